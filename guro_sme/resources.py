"""Excel import/export of the firm registry (기업), keyed by the business registration number."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from guro_sme.imports.base import Column, KoreanResource
from guro_sme.imports.widgets import (
    BooleanWidget,
    BusinessNumberWidget,
    ChoiceWidget,
    DateWidget,
    IntegerWidget,
    TextWidget,
)

from .models import Firm
from .privacy import CONSENT_COLUMN, consent_at_from_date, record_consent
from .services import FIRM_PERSONAL_FIELDS

IMPORT_REASON = "엑셀 가져오기"


class FirmResource(KoreanResource):
    title = "기업"
    description = "기업 명부: 사업자등록번호로 같은 기업을 찾아 새로 등록하거나 고칩니다."
    aliases = {
        "사업자번호": "사업자등록번호",
        "상호": "회사명",
        "업체명": "회사명",
        "기업명": "회사명",
        "대표자명": "대표자",
        "개업일": "설립일",
        "전화번호": "전화",
        "주소지": "주소",
        "관내소재": "구로구소재",
        "구로구 소재": "구로구소재",
    }
    # Uniqueness of the business number is covered by the natural-key loader and the duplicate
    # check (no per-row query); the database constraint still backs it.
    validate_unique = False

    business_number = Column(
        "business_number",
        "사업자등록번호",
        BusinessNumberWidget(required=True),
        help="123-45-67890 (하이픈은 있어도 없어도 됩니다). 같은 번호의 기업이 있으면 그 기업을 고칩니다.",
    )
    name = Column("name", "회사명", TextWidget(required=True, max_length=100), help="예: (주)시큐브")
    representative = Column("representative", "대표자", TextWidget(required=True, max_length=50))
    address = Column("address", "주소", TextWidget(max_length=200))
    firm_type = Column(
        "firm_type",
        "기업구분",
        ChoiceWidget(Firm.FirmType.choices, required=True),
        help="중소기업, 소상공인, 벤처기업 중 하나",
    )
    industry = Column("industry", "업종", TextWidget(max_length=100), help="업종 또는 생산품명")
    employees = Column("employees", "종업원수", IntegerWidget(what="종업원수"), help="숫자 (예: 12)")
    founded_on = Column("founded_on", "설립일", DateWidget(), help="설립일(개업일): 2018-02-01 또는 2018.2.1")
    phone = Column("phone", "전화", TextWidget(max_length=30))
    email = Column("email", "이메일", TextWidget(max_length=254))
    in_district = Column(
        "in_district",
        "구로구소재",
        BooleanWidget(default=True),
        help="예/아니오 (비워 두면 '예')",
    )
    consent_on = Column(
        "import_consent_on",
        CONSENT_COLUMN,
        DateWidget(),
        help="대표자가 개인정보 수집·이용에 동의한 날 (예: 2018-02-20). 새 기업은 필수, 이미 동의가 기록된 기업은 비워 둡니다.",
    )

    class Meta:
        model = Firm
        fields = (
            "business_number",
            "name",
            "representative",
            "address",
            "firm_type",
            "industry",
            "employees",
            "founded_on",
            "phone",
            "email",
            "in_district",
            "consent_on",
        )
        import_id_fields = ("business_number",)
        # Many thousand firms at a time: bulk inserts/updates with their history rows.
        use_bulk = True
        batch_size = 1000

    def get_queryset(self):
        return Firm.objects.all()

    def get_export_queryset(self):
        return Firm.objects.order_by("name", "pk")

    def after_init_instance(self, instance, new, row, **kwargs):
        self._load_consent(instance)
        # What the registry held before this row: whether its contacts change (consent needed).
        instance._stored_contacts = {name: getattr(instance, name) for name in FIRM_PERSONAL_FIELDS}

    @staticmethod
    def _load_consent(instance):
        instance.import_consent_on = (
            timezone.localtime(instance.consent_at).date() if instance.consent_at else None
        )

    def export_resource(self, instance, selected_fields=None, **kwargs):
        self._load_consent(instance)
        return super().export_resource(instance, selected_fields, **kwargs)

    def validate_row(self, instance, row) -> None:
        # 개인정보 보호법 제15조: no contacts enter the registry without a recorded consent.
        if instance.import_consent_on is None and instance.consent_at is None:
            changed = any(
                instance._stored_contacts.get(name) != getattr(instance, name)
                for name in FIRM_PERSONAL_FIELDS
            )
            if instance.pk is None or changed:
                raise ValidationError(
                    {
                        "import_consent_on": "개인정보 수집·이용 동의일자를 입력하세요: 동의를 받지 않은 대표자·연락처는 등록할 수 없습니다."
                    }
                )

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk:
            instance.updated_at = timezone.now()
        current = timezone.localtime(instance.consent_at).date() if instance.consent_at else None
        if instance.import_consent_on and instance.import_consent_on != current:
            record_consent(instance, actor=self.user, at=consent_at_from_date(instance.import_consent_on))

    def get_bulk_update_fields(self):
        return [
            *(name for name in super().get_bulk_update_fields() if name != "consent_on"),
            "updated_at",
            "consent_at",
            "consent_recorded_by",
            "consent_version",
        ]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances:
            try:
                bulk_create_with_history(
                    self.create_instances,
                    Firm,
                    batch_size=batch_size,
                    default_user=self.user,
                    default_change_reason=IMPORT_REASON,
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances:
            try:
                bulk_update_with_history(
                    self.update_instances,
                    Firm,
                    self.get_bulk_update_fields(),
                    batch_size=batch_size,
                    default_user=self.user,
                    default_change_reason=IMPORT_REASON,
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()
