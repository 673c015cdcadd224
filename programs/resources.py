"""Excel import/export of program registrations and attendance (경영지원사업).

A run is named by 연도 + 반기 + 사업 구분 (one run per kind per half-year). A person is named by
성명 + 연락처, as the registration form does.
- Registrations go through `programs.services.registration_create` (capacity, once per run, the
  startup academy's "registered within N months" rule).
- Attendance rows (one per person per session: 출석 O/X) go through
  `programs.services.attendance_record` (no ticks for sessions that haven't happened yet).
Completion (수료) is computed, never imported: it is an export-only column.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from guro_sme.imports import parsing
from guro_sme.imports.base import Column, KoreanResource, firm_name_mismatch
from guro_sme.imports.widgets import (
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    FirmWidget,
    IntegerWidget,
    KoreanWidget,
    TextWidget,
)
from guro_sme.privacy import CONSENT_COLUMN, consent_at_from_date
from guro_sme.queries import count_of

from .models import (
    ApplicantCategory,
    Attendance,
    CompletionRule,
    Half,
    ProgramKind,
    ProgramRun,
    Registration,
    Session,
    phone_display,
)
from .services import (
    attendance_record,
    completion_met,
    normalize_phone,
    registration_create,
    registration_progress,
    run_completion_met,
)

RUN_HINT = "먼저 경영지원사업 화면에서 그 회차를 등록하세요."


def _run_from_row(row, cache: dict) -> ProgramRun:
    """The run named by the row's 연도, 반기 (empty: 상반기) and 사업 구분; ValueError otherwise."""
    kind = parsing.parse_choice(row.get("사업 구분"), ProgramKind.choices)
    year = parsing.parse_integer(row.get("연도"), what="연도", suffixes=("년",))
    half = parsing.parse_choice(row.get("반기"), Half.choices) or Half.FIRST
    if not kind or not year:
        raise ValueError("연도와 사업 구분을 입력하세요.")
    key = (kind, year, int(half))
    if key not in cache:
        cache[key] = ProgramRun.objects.filter(kind=kind, year=year, half=int(half)).first()
    if cache[key] is None:
        raise ValueError(
            f"등록되지 않은 사업 회차입니다: {year}년 {Half(int(half)).label} {ProgramKind(kind).label}. {RUN_HINT}"
        )
    return cache[key]


class RunWidget(KoreanWidget):
    """On the 사업 구분 column: the run, read with the row's 연도 and 반기."""

    def __init__(self):
        super().__init__(required=True)
        self._cache: dict = {}

    def clean(self, value, row=None, **kwargs):
        self._row = row or {}
        return super().clean(value, row=row, **kwargs)

    def parse(self, value):
        return _run_from_row(self._row, self._cache)

    def render(self, value, obj=None, **kwargs):
        return value.get_kind_display() if value else ""

    def render_key(self, kind):
        """What `render` gives for a run of this kind (a values() export)."""
        return dict(ProgramKind.choices).get(kind, kind) if kind else ""


class PhoneWidget(TextWidget):
    def __init__(self):
        super().__init__(required=True)

    def parse(self, value):
        phone = normalize_phone(super().parse(value))
        if not 9 <= len(phone) <= 11:
            raise ValueError(
                f"연락처는 9~11자리 숫자로 입력하세요 (예: 010-1234-5678): '{parsing.cell_text(value)}'"
            )
        return phone


class RunColumns(KoreanResource):
    """연도 / 반기 / 사업 구분: the run of the row (연도 and 반기 ride along for export)."""

    year = Column(
        "import_year", "연도", IntegerWidget(required=True, what="연도", suffixes=("년",)), help="예: 2018"
    )
    half = Column(
        "import_half",
        "반기",
        ChoiceWidget(Half.choices),
        default=Half.FIRST,
        help="상반기 또는 하반기 (비우면 상반기)",
    )
    kind = Column("run", "사업 구분", RunWidget(), help="상담회, 창업 아카데미, 리더스 아카데미 중 하나")

    aliases = {
        "사업구분": "사업 구분",
        "이름": "성명",
        "전화": "연락처",
        "휴대전화": "연락처",
        "사업자번호": "사업자등록번호",
    }
    domain_error_field = "name"

    @staticmethod
    def _set_run_columns(instance, run) -> None:
        instance.import_year = run.year if run else None
        instance.import_half = run.half if run else ""

    def _run_values(self, run: str) -> dict:
        """export_values' entries for 연도 / 반기 / 사업 구분 read at `run` (a values path)."""
        year, half, kind = (self.fields[name].widget for name in ("year", "half", "kind"))
        return {
            "year": ([f"{run}__year"], year.render),
            "half": ([f"{run}__half"], half.render),
            "kind": ([f"{run}__kind"], kind.render_key),
        }


class RegistrationResource(RunColumns):
    title = "경영지원사업 참가 등록"
    description = (
        "상담회·창업 아카데미·리더스 아카데미 참가자 등록: 연도·반기·사업 구분과 성명·연락처로 같은 사람을 찾고, 정원과 "
        "중복 등록, 기존사업자 개업 기한을 확인합니다."
    )
    clean_exclude = ("person",)

    name = Column("import_name", "성명", TextWidget(required=True, max_length=50))
    phone = Column("import_phone", "연락처", PhoneWidget(), help="010-1234-5678 (숫자만 저장)")
    birth_date = Column("import_birth_date", "생년월일", DateWidget())
    category = Column(
        "category",
        "신청 구분",
        ChoiceWidget(ApplicantCategory.choices, required=True),
        help=", ".join(label for _, label in ApplicantCategory.choices),
    )
    business_number = Column(
        "firm", "사업자등록번호", FirmWidget(required=False), help="소속 기업 (없으면 비워 두세요)"
    )
    firm_name = Column("firm__name", "회사명", TextWidget(), readonly=True, help="확인용")
    consent_on = Column(
        "import_consent_on",
        CONSENT_COLUMN,
        DateWidget(required=True),
        help="참가자가 개인정보 수집·이용에 동의한 날 (신청서의 동의일, 예: 2018-02-20). 동의가 없으면 등록할 수 없습니다.",
    )
    completed = Column(
        "import_completed",
        "수료",
        BooleanWidget(true="수료", false="미수료"),
        readonly=True,
        help="내려받기 전용 (출석으로 계산)",
    )

    class Meta:
        model = Registration
        fields = (
            "year",
            "half",
            "kind",
            "name",
            "phone",
            "birth_date",
            "category",
            "business_number",
            "firm_name",
            "completed",
            "consent_on",
        )
        import_id_fields = ("kind", "name", "phone")

    def get_queryset(self):
        return Registration.objects.select_related("run", "person", "firm")

    def get_export_queryset(self):
        # Completion needs attended / total sessions: counted in the same query, not per row.
        # Two correlated counts, not Count(distinct) over the joined attendances × sessions: that
        # join multiplies the rows before grouping them (430,000 rows for 20,000 registrations).
        return (
            self.get_queryset()
            .annotate(
                attended_count=count_of(Attendance, "registration"),
                session_total=count_of(Session, "run", outer="run"),
            )
            .order_by("-run__year", "run__half", "run__kind", "person__name", "pk")
        )

    def filter_for_export(self, queryset, params):
        year = (params.get("year") or "").strip()
        run = (params.get("run") or "").strip()
        if year.isdigit():
            queryset = queryset.filter(run__year=int(year))
        if run.isdigit():
            queryset = queryset.filter(run_id=int(run))
        return queryset

    def instance_natural_key(self, instance) -> tuple:
        return (instance.run, instance.person.name, instance.person.phone)

    def _load(self, instance, *, with_completion: bool = False) -> None:
        self._set_run_columns(instance, instance.run if instance.run_id else None)
        person = instance.person if instance.person_id else None
        instance.import_name = person.name if person else ""
        instance.import_phone = person.phone if person else ""
        instance.import_birth_date = person.birth_date if person else None
        instance.import_consent_on = (
            timezone.localtime(instance.consent_at).date() if instance.consent_at else None
        )
        instance.import_completed = None
        if with_completion and instance.pk and instance.run.has_completion:
            if hasattr(instance, "attended_count"):
                attended, total = instance.attended_count, instance.session_total
            else:
                attended, total = registration_progress(instance)
            instance.import_completed = run_completion_met(instance.run, attended=attended, total=total)

    def after_init_instance(self, instance, new, row, **kwargs):
        self._load(instance)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        self._load(instance, with_completion=True)
        return super().export_resource(instance, selected_fields, **kwargs)

    def export_rows(self, queryset):
        # Plain values instead of a registration (with its run, person and firm) per row.
        text, date, completed = (self.fields[name].widget for name in ("name", "birth_date", "completed"))

        def completion(rule, minimum, attended, total):
            if rule == CompletionRule.NONE:
                return completed.render(None)
            met = completion_met(rule=rule, minimum=minimum, attended=attended, total=total)
            return completed.render(met)

        def consent(at):
            return date.render(timezone.localtime(at).date() if at else None)

        return self.export_values(
            queryset,
            {
                **self._run_values("run"),
                "name": (["person__name"], text.render),
                "phone": (["person__phone"], phone_display),
                "birth_date": (["person__birth_date"], date.render),
                "completed": (
                    ["run__completion_rule", "run__completion_minimum", "attended_count", "session_total"],
                    completion,
                ),
                "consent_on": (["consent_at"], consent),
            },
        )

    def dehydrate_phone(self, instance):
        return instance.person.phone_display

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # 수료 is computed; whatever the file says there is not a change.
        instance.import_completed = original.import_completed
        return super().skip_row(instance, original, row, import_validation_errors)

    def validate_row(self, instance, row) -> None:
        errors = {}
        mismatch = firm_name_mismatch(instance.firm, row)
        if mismatch:
            errors["firm_name"] = mismatch
        if instance.pk:
            errors["name"] = (
                "이미 등록된 참가자의 정보는 가져오기로 고칠 수 없습니다: 경영지원사업 화면에서 고치세요."
            )
        if errors:
            raise ValidationError(errors)

    def save_row(self, instance, *, is_create: bool, row) -> None:
        registration_create(
            run=instance.run,
            name=instance.import_name,
            phone=instance.import_phone,
            category=instance.category,
            actor=self.user,
            birth_date=instance.import_birth_date,
            firm=instance.firm,
            consent_at=consent_at_from_date(instance.import_consent_on)
            if instance.import_consent_on
            else None,
        )


class RegistrationWidget(KoreanWidget):
    """On the 성명 column: the person's registration in the row's run (with the row's 연락처)."""

    def __init__(self):
        super().__init__(required=True)
        self._runs: dict = {}

    def clean(self, value, row=None, **kwargs):
        self._row = row or {}
        return super().clean(value, row=row, **kwargs)

    def parse(self, value):
        run = _run_from_row(self._row, self._runs)
        name = parsing.cell_text(value)
        phone = normalize_phone(parsing.cell_text(self._row.get("연락처")))
        registration = (
            Registration.objects.select_related("run", "person")
            .filter(run=run, person__name=name, person__phone=phone)
            .first()
        )
        if registration is None:
            raise ValueError(
                f"이 회차에 등록되지 않은 참가자입니다: {name}({phone}). 먼저 참가 등록을 하세요."
            )
        return registration

    def render(self, value, obj=None, **kwargs):
        return value.person.name if value else ""

    def render_key(self, name):
        """What `render` gives for a registration of the person named `name` (a values() export)."""
        return name or ""


class SessionWidget(DateWidget):
    """On the 교육일자 column: the run's session on that date."""

    def __init__(self):
        super().__init__(required=True)
        self._runs: dict = {}

    def clean(self, value, row=None, **kwargs):
        self._row = row or {}
        return super().clean(value, row=row, **kwargs)

    def parse(self, value):
        day = super().parse(value)
        run = _run_from_row(self._row, self._runs)
        sessions = list(Session.objects.filter(run=run, date=day)[:2])
        if not sessions:
            raise ValueError(f"{day:%Y.%m.%d}에 이 회차의 교육 일정이 없습니다.")
        if len(sessions) > 1:
            raise ValueError(f"{day:%Y.%m.%d}에 교육 일정이 둘 이상입니다: 출석 화면에서 입력하세요.")
        return sessions[0]

    def render(self, value, obj=None, **kwargs):
        return value.date if value else ""

    def render_key(self, day):
        """What `render` gives for the session on `day` (a values() export)."""
        return day or ""


class AttendanceResource(RunColumns):
    title = "경영지원사업 출석"
    description = (
        "교육 회차별 출석(O/X): 한 행에 한 사람의 한 일정. 수료는 출석으로 계산됩니다. 아직 열리지 않은 일정의 출석은 "
        "받지 않습니다."
    )
    domain_error_field = "present"

    kind = Column(
        "import_run", "사업 구분", RunWidget(), help="상담회, 창업 아카데미, 리더스 아카데미 중 하나"
    )
    name = Column("registration", "성명", RegistrationWidget(), help="참가 등록된 사람")
    phone = Column("import_phone", "연락처", PhoneWidget())
    session = Column("session", "교육일자", SessionWidget(), help="그 회차의 교육 일정 날짜")
    present = Column(
        "import_present",
        "출석",
        BooleanWidget(required=True, true="O", false="X"),
        help="O(출석) 또는 X(결석)",
    )

    class Meta:
        model = Attendance
        fields = ("year", "half", "kind", "name", "phone", "session", "present")
        import_id_fields = ("name", "session")

    def get_queryset(self):
        return Attendance.objects.select_related("registration__run", "registration__person", "session")

    def get_export_queryset(self):
        return self.get_queryset().order_by(
            "-registration__run__year",
            "registration__run__half",
            "registration__person__name",
            "session__date",
            "pk",  # two people of one name: a stable order
        )

    def filter_for_export(self, queryset, params):
        year = (params.get("year") or "").strip()
        run = (params.get("run") or "").strip()
        if year.isdigit():
            queryset = queryset.filter(registration__run__year=int(year))
        if run.isdigit():
            queryset = queryset.filter(registration__run_id=int(run))
        return queryset

    def _load(self, instance, *, stored: bool) -> None:
        run = instance.registration.run if instance.registration_id else None
        self._set_run_columns(instance, run)
        instance.import_run = run
        instance.import_phone = instance.registration.person.phone if instance.registration_id else ""
        instance.import_present = stored

    def after_init_instance(self, instance, new, row, **kwargs):
        self._load(instance, stored=not new)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        self._load(instance, stored=True)
        return super().export_resource(instance, selected_fields, **kwargs)

    def export_rows(self, queryset):
        # Plain values instead of an attendance (with its registration, run, person, session) per row.
        name, present = self.fields["name"].widget, self.fields["present"].widget
        return self.export_values(
            queryset,
            {
                **self._run_values("registration__run"),
                "name": (["registration__person__name"], name.render_key),
                "phone": (["registration__person__phone"], phone_display),
                "session": (["session__date"], self.fields["session"].widget.render_key),
                "present": ([], lambda: present.render(True)),
            },
        )

    def dehydrate_phone(self, instance):
        return instance.registration.person.phone_display

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        # A row is a change only when it turns attendance on or off.
        return bool(instance.import_present) == bool(original.import_present)

    def save_row(self, instance, *, is_create: bool, row) -> None:
        run = instance.registration.run
        present = set(
            Attendance.objects.filter(registration__run=run).values_list("registration_id", "session_id")
        )
        pair = (instance.registration_id, instance.session_id)
        if instance.import_present:
            present.add(pair)
        else:
            present.discard(pair)
        attendance_record(run=run, present=present, actor=self.user)
