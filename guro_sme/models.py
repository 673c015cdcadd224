from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .validators import format_business_number, validate_business_number


class EntryStamp(models.Model):
    """Who entered a record and who changed it last, shown on its page; history rows hold the rest."""

    created_at = models.DateTimeField("등록일시", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="등록자",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("수정일시", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="수정자",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class PersonalDataConsent(models.Model):
    """개인정보 수집·이용 동의 (개인정보 보호법 제15조): when the person agreed, who recorded it and to
    which notice (guro_sme/privacy.py CONSENT_VERSION)."""

    consent_at = models.DateTimeField("개인정보 수집·이용 동의일시", null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="동의 확인자",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_version = models.CharField("동의서 버전", max_length=40, blank=True)

    class Meta:
        abstract = True


class DistrictProfile(models.Model):
    """Who runs this instance: the district and the department. One row; another district edits it."""

    district_name = models.CharField("자치구명", max_length=50)
    city_name = models.CharField("시·도", max_length=50, blank=True)
    department = models.CharField("주관부서", max_length=100)
    cooperating_departments = models.CharField("협조부서(기관)", max_length=300, blank=True)
    contact_person = models.CharField("담당자", max_length=50, blank=True)
    contact_phone = models.CharField("전화번호", max_length=30, blank=True)
    contact_title = models.CharField(
        "담당자 직위",
        max_length=30,
        blank=True,
        default="주무관",
        help_text="보고서 끝의 담당자 줄 (예: 주무관)",
    )
    report_approval_titles = models.CharField(
        "보고서 결재란",
        max_length=200,
        blank=True,
        default="담당,팀장,과장",
        help_text="추진실적 보고서 첫 쪽 결재란의 칸 제목, 쉼표로 구분 (예: 담당,팀장,과장)",
    )
    # The official letter (guro_sme/letters.py): who signs, how documents are numbered, the footer.
    sender_title = models.CharField(
        "발신 명의", max_length=50, blank=True, help_text="예: 구로구청장 (비우면 자치구명 + 청장)"
    )
    document_prefix = models.CharField(
        "문서번호 처리과명", max_length=50, blank=True, help_text="예: 지역경제과 (비우면 주관부서)"
    )
    approval_titles = models.CharField(
        "결재 직위",
        max_length=200,
        blank=True,
        default="주무관,팀장,과장",
        help_text="기안자부터 결재권자까지 쉼표로 구분 (예: 주무관,지역경제팀장,지역경제과장)",
    )
    postal_code = models.CharField("우편번호", max_length=10, blank=True)
    address = models.CharField("주소", max_length=200, blank=True)
    homepage = models.CharField("홈페이지", max_length=100, blank=True)
    fax = models.CharField("전송(팩스)", max_length=30, blank=True)
    email = models.EmailField("대표 이메일", blank=True)
    require_second_factor = models.BooleanField(
        "담당자·관리자 2단계 인증 필수",
        default=False,
        help_text="켜면 담당자와 관리자는 다음 로그인부터 인증 앱(TOTP) 코드를 입력해야 합니다.",
    )

    class Meta:
        verbose_name = "운영기관 정보"
        verbose_name_plural = "운영기관 정보"

    def __str__(self):
        return f"{self.district_name} {self.department}"

    @property
    def sender(self) -> str:
        """발신 명의: the set title, else the district's head (구로구 → 구로구청장)."""
        return self.sender_title or f"{self.district_name}청장"

    @property
    def approval_line(self) -> list[str]:
        """결재 직위 from the drafter to the approver, e.g. ['주무관', '팀장', '과장']."""
        return [t.strip() for t in self.approval_titles.split(",") if t.strip()]

    @property
    def report_approval_line(self) -> list[str]:
        """The yearly report's 결재란 columns, e.g. ['담당', '팀장', '과장']."""
        return [t.strip() for t in self.report_approval_titles.split(",") if t.strip()]

    @classmethod
    def current(cls) -> "DistrictProfile":
        """The profile row; an unsaved placeholder before the demo or the admin sets it."""
        return cls.objects.order_by("pk").first() or cls(district_name="(자치구 미설정)", department="")


class Organization(models.Model):
    """Partner banks, guarantee foundations and agencies: data, so a district can change banks."""

    class Kind(models.TextChoices):
        BANK = "bank", "은행"
        GUARANTEE = "guarantee", "신용보증기관"
        AGENCY = "agency", "유관기관"
        ASSOCIATION = "association", "협회·단체"
        DEPARTMENT = "department", "구청 부서"

    name = models.CharField("기관명", max_length=100, unique=True)
    kind = models.CharField("구분", max_length=20, choices=Kind.choices)
    phone = models.CharField("전화번호", max_length=30, blank=True)
    note = models.CharField("비고", max_length=200, blank=True)

    class Meta:
        verbose_name = "협력기관"
        verbose_name_plural = "협력기관"
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class FirmQuerySet(models.QuerySet):
    def in_district(self):
        return self.filter(in_district=True)


class Firm(PersonalDataConsent):
    """A firm in the registry (기업). The business number is the natural key across imports."""

    class FirmType(models.TextChoices):
        SME = "sme", "중소기업"
        SMALL_BUSINESS = "small_business", "소상공인"
        VENTURE = "venture", "벤처기업"

    class Gender(models.TextChoices):
        """The representative's gender, for the 성인지 breakdown; blank is counted as 미기재."""

        FEMALE = "female", "여성"
        MALE = "male", "남성"

    business_number = models.CharField(
        "사업자등록번호",
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^\d{10}$", "숫자 10자리로 저장합니다."), validate_business_number],
        error_messages={"unique": "이미 등록된 사업자등록번호입니다."},
        help_text="예: 123-45-67890 (하이픈은 있어도 없어도 됩니다)",
    )
    name = models.CharField("회사명", max_length=100)
    representative = models.CharField("대표자", max_length=50)
    representative_gender = models.CharField(
        "대표자 성별",
        max_length=10,
        choices=Gender.choices,
        blank=True,
        help_text="선택 사항: 성인지 통계(수혜 기업의 대표자 성별)에 씁니다. 비우면 미기재로 셉니다.",
    )
    address = models.CharField("주소", max_length=200, blank=True)
    in_district = models.BooleanField("관내 소재", default=True, help_text="운영 자치구 안에 사업장이 있는지")
    firm_type = models.CharField("기업구분", max_length=20, choices=FirmType.choices)
    industry = models.CharField("업종", max_length=100, blank=True)
    employees = models.PositiveIntegerField("종업원수", null=True, blank=True)
    founded_on = models.DateField("설립일(개업일)", null=True, blank=True)
    closed_on = models.DateField("폐업일", null=True, blank=True, help_text="폐업한 기업만 입력합니다.")
    phone = models.CharField("전화", max_length=30, blank=True)
    email = models.EmailField("이메일", blank=True)
    # Set when the retention period ran out and the contacts were blanked (erase_expired_personal_data).
    contact_erased_at = models.DateTimeField("연락처 파기일시", null=True, blank=True)
    created_at = models.DateTimeField("등록일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정일시", auto_now=True)

    history = HistoricalRecords(verbose_name="기업 변경 이력")
    objects = FirmQuerySet.as_manager()

    class Meta(PersonalDataConsent.Meta):
        verbose_name = "기업"
        verbose_name_plural = "기업"
        ordering = ["name", "pk"]
        # The firm list's default order: a page is read from the index, not by sorting every firm.
        indexes = [models.Index(fields=["name", "id"], name="firm_name_order")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(business_number__regex=r"^[0-9]{10}$"),
                name="firm_business_number_10_digits",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("firm_detail", args=[self.pk])

    @property
    def business_status(self) -> str:
        return "폐업" if self.closed_on else "영업"

    @property
    def business_number_display(self) -> str:
        return format_business_number(self.business_number)


class PersonalDataAccess(models.Model):
    """One access to a person's data (개인정보 접속기록): who, when, from where, what, whose.

    Written by `guro_sme.access_log.log_access` from every view and export that shows a firm's
    representative or contacts, a programme participant or a committee member. Never changed or
    deleted: no admin edit, and on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0006).
    """

    class Action(models.TextChoices):
        VIEW = "view", "열람"
        LIST = "list", "목록·검색"
        DOWNLOAD = "download", "내려받기"

    accessed_at = models.DateTimeField("접속일시", default=timezone.now, db_index=True)
    # PROTECT: an account that read personal data is deactivated, never deleted with its trail.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="계정",
        on_delete=models.PROTECT,
        null=True,
        related_name="personal_data_accesses",
    )
    username = models.CharField("계정명", max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField("접속지(IP)", null=True, blank=True)
    action = models.CharField("수행업무", max_length=20, choices=Action.choices)
    subject = models.CharField("정보주체 구분", max_length=40, db_index=True)
    # ",3,17," so one `contains ",17,"` finds a record on both databases.
    record_ids = models.TextField("대상 기록", blank=True)
    count = models.PositiveIntegerField("건수", default=0)
    path = models.CharField("화면", max_length=300)
    query = models.CharField("조회 조건", max_length=500, blank=True)
    reason = models.CharField("내려받기 사유", max_length=200, blank=True)

    class Meta:
        verbose_name = "개인정보 접속기록"
        verbose_name_plural = "개인정보 접속기록"
        ordering = ["-accessed_at", "-pk"]

    def __str__(self):
        return f"{self.accessed_at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.subject}"

    @property
    def ids(self) -> list[int]:
        return [int(part) for part in self.record_ids.strip(",").split(",") if part]


class AccessLogReview(models.Model):
    """A manager's monthly sign-off of the access log (접속기록 월 1회 이상 점검)."""

    month = models.DateField("점검 월", unique=True, help_text="그 달의 1일")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="점검자", on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("점검일시", default=timezone.now)
    record_count = models.PositiveIntegerField("점검 당시 기록 수")
    download_count = models.PositiveIntegerField("점검 당시 내려받기 수")
    note = models.TextField("점검 의견", blank=True)

    class Meta:
        verbose_name = "접속기록 월 점검"
        verbose_name_plural = "접속기록 월 점검"
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y-%m} 점검"


class PersonalDataErasure(models.Model):
    """One run of `erase_expired_personal_data --commit` for one kind of record (파기 기록):
    how many records were erased, under which retention period and cut-off, when and by whom."""

    erased_at = models.DateTimeField("파기일시", default=timezone.now, db_index=True)
    kind = models.CharField("대상 구분", max_length=40)
    count = models.PositiveIntegerField("파기 건수")
    retention_years = models.PositiveSmallIntegerField("보유기간(년)")
    cutoff = models.DateField("기준일", help_text="이 날 이전에 보유기간이 끝난 기록을 파기했습니다")
    performed_by = models.CharField("실행자", max_length=150, help_text="계정 또는 명령")
    record_ids = models.TextField("파기한 기록", blank=True)

    class Meta:
        verbose_name = "개인정보 파기 기록"
        verbose_name_plural = "개인정보 파기 기록"
        ordering = ["-erased_at", "-pk"]

    def __str__(self):
        return f"{self.erased_at:%Y-%m-%d %H:%M} {self.kind} {self.count}건"
