"""Education and consultation programs (경영지원사업): runs, sessions, registrations, attendance,
completion certificates and the consultation fair's records.

Completion (수료) is never stored: `programs.services.completion_met` computes it from the
attendance rows and the run's rule (`completion_rule`, `completion_minimum`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from guro_sme.models import Firm, Organization, PersonalDataConsent


def phone_display(p: str) -> str:
    """010-1234-5678 / 02-123-4567 from the stored digits."""
    if len(p) == 11:
        return f"{p[:3]}-{p[3:7]}-{p[7:]}"
    if len(p) == 10 and p.startswith("02"):
        return f"{p[:2]}-{p[2:6]}-{p[6:]}"
    if len(p) == 10:
        return f"{p[:3]}-{p[3:6]}-{p[6:]}"
    if len(p) == 9 and p.startswith("02"):
        return f"{p[:2]}-{p[2:5]}-{p[5:]}"
    return p


class ProgramKind(models.TextChoices):
    CONSULTATION_FAIR = "consultation_fair", "상담회"
    STARTUP_ACADEMY = "startup_academy", "창업 아카데미"
    LEADERS_ACADEMY = "leaders_academy", "리더스 아카데미"


class Half(models.IntegerChoices):
    FIRST = 1, "상반기"
    SECOND = 2, "하반기"


class CompletionRule(models.TextChoices):
    NONE = "none", "수료 없음"
    ALL_SESSIONS = "all_sessions", "전 회차 출석"
    MIN_SESSIONS = "min_sessions", "최소 출석 횟수"
    MIN_PERCENT = "min_percent", "최소 출석률(%)"


class ApplicantCategory(models.TextChoices):
    PRE_FOUNDER = "pre_founder", "예비창업자"
    BUSINESS_CHANGER = "business_changer", "업종전환 희망자"
    EXISTING_BUSINESS = "existing_business", "기존사업자"
    SMALL_BUSINESS = "small_business", "소상공인"
    SME = "sme", "중소기업인"
    OTHER = "other", "기타"


class ProgramRun(models.Model):
    """One edition of a program (e.g. 2018 상반기 창업 아카데미) with its completion rule as data."""

    kind = models.CharField("사업 구분", max_length=30, choices=ProgramKind.choices)
    name = models.CharField("사업명", max_length=100)
    year = models.PositiveSmallIntegerField("연도")
    half = models.PositiveSmallIntegerField("반기", choices=Half.choices, default=Half.FIRST)
    place = models.CharField("장소", max_length=100)
    capacity = models.PositiveIntegerField("정원", help_text="등록할 수 있는 최대 인원")
    target_audience = models.CharField("참여대상", max_length=200, blank=True)
    curriculum = models.TextField("교육 내용", blank=True, help_text="한 줄에 한 과목")
    partners = models.ManyToManyField(
        Organization, verbose_name="참여·협력기관", blank=True, related_name="program_runs"
    )
    co_host = models.ForeignKey(
        Organization,
        verbose_name="공동 주최",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohosted_program_runs",
    )
    completion_rule = models.CharField(
        "수료 기준", max_length=20, choices=CompletionRule.choices, default=CompletionRule.NONE
    )
    completion_minimum = models.PositiveSmallIntegerField(
        "수료 최소값", null=True, blank=True, help_text="최소 출석 횟수 또는 출석률(%)"
    )
    eligible_categories = models.JSONField(
        "신청 가능 구분",
        default=list,
        blank=True,
        help_text="이 구분의 신청자만 받습니다. 비우면 제한 없음",
    )
    founded_within_months = models.PositiveSmallIntegerField(
        "기존사업자 개업 후 기한(개월)",
        null=True,
        blank=True,
        help_text="기존사업자는 첫 교육일 기준 이 기간 안에 개업(등록)했어야 합니다. 비우면 제한 없음",
    )
    note = models.CharField("비고", max_length=200, blank=True)
    created_at = models.DateTimeField("등록일시", auto_now_add=True)
    history = HistoricalRecords(verbose_name="사업 회차 변경 이력")

    class Meta:
        verbose_name = "사업 회차"
        verbose_name_plural = "사업 회차"
        ordering = ["-year", "half", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "half"], name="programrun_one_per_half"),
            models.CheckConstraint(
                condition=~Q(completion_rule__in=["min_sessions", "min_percent"])
                | Q(completion_minimum__gte=1),
                name="programrun_minimum_for_min_rules",
            ),
            models.CheckConstraint(
                condition=~Q(completion_rule="min_percent") | Q(completion_minimum__lte=100),
                name="programrun_percent_at_most_100",
            ),
        ]

    def __str__(self):
        return f"{self.year}년 {self.get_half_display()} {self.name}"

    def get_absolute_url(self):
        return reverse("programs:run_detail", args=[self.pk])

    @property
    def has_completion(self) -> bool:
        return self.completion_rule != CompletionRule.NONE

    @property
    def curriculum_topics(self) -> list[str]:
        return [line.strip(" -·\t") for line in self.curriculum.splitlines() if line.strip(" -·\t")]

    def eligible_category_labels(self) -> list[str]:
        labels = dict(ApplicantCategory.choices)
        return [labels.get(code, code) for code in self.eligible_categories or []]

    def completion_rule_text(self) -> str:
        if self.completion_rule == CompletionRule.MIN_SESSIONS:
            return f"{self.completion_minimum}회 이상 출석"
        if self.completion_rule == CompletionRule.MIN_PERCENT:
            return f"출석률 {self.completion_minimum}% 이상"
        return self.get_completion_rule_display()


class Session(models.Model):
    run = models.ForeignKey(
        ProgramRun, verbose_name="사업 회차", on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField("일자")
    start_time = models.TimeField("시작")
    end_time = models.TimeField("종료")
    topic = models.CharField("주제", max_length=200, blank=True)

    class Meta:
        verbose_name = "교육 일정"
        verbose_name_plural = "교육 일정"
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "date", "start_time"], name="session_unique_start"),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="session_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y.%m.%d} {self.start_time:%H:%M} {self.topic}"


class Person(models.Model):
    """A participant. Name + phone identify a person, so one person registers once per run."""

    name = models.CharField("성명", max_length=50)
    phone = models.CharField("연락처", max_length=20, help_text="숫자만 저장합니다")
    birth_date = models.DateField("생년월일", null=True, blank=True)
    # Set when the retention period of all the person's registrations ran out and the name,
    # phone and birth date were blanked (erase_expired_personal_data); the registrations stay.
    erased_at = models.DateTimeField("개인정보 파기일시", null=True, blank=True)

    class Meta:
        verbose_name = "참여자"
        verbose_name_plural = "참여자"
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["name", "phone"], name="person_unique_name_phone")]

    def __str__(self):
        return self.name

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone)


class Registration(PersonalDataConsent):
    run = models.ForeignKey(
        ProgramRun, verbose_name="사업 회차", on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        Person, verbose_name="참여자", on_delete=models.PROTECT, related_name="registrations"
    )
    category = models.CharField("신청 구분", max_length=30, choices=ApplicantCategory.choices)
    firm = models.ForeignKey(
        Firm,
        verbose_name="소속 기업",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="program_registrations",
    )
    registered_at = models.DateTimeField("등록일시", auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="등록자",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "참가 등록"
        verbose_name_plural = "참가 등록"
        ordering = ["person__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["run", "person"], name="registration_once_per_run")]

    def __str__(self):
        return f"{self.person} ({self.run})"


class Attendance(models.Model):
    """A row means the person attended the session; no row means absent."""

    registration = models.ForeignKey(
        Registration, verbose_name="참가 등록", on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(
        Session, verbose_name="교육 일정", on_delete=models.CASCADE, related_name="attendances"
    )
    recorded_at = models.DateTimeField("기록일시", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="기록자",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A tick added or removed, by whom: the completers (and certificates) follow from it.
    history = HistoricalRecords(verbose_name="출석 변경 이력")

    class Meta:
        verbose_name = "출석"
        verbose_name_plural = "출석"
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="attendance_once_per_session")
        ]

    def __str__(self):
        return f"{self.registration_id}:{self.session_id}"


class Certificate(models.Model):
    """A completion certificate (수료증): numbered once, reused on every later download."""

    registration = models.OneToOneField(
        Registration, verbose_name="참가 등록", on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField("수료증 번호", max_length=30, unique=True)
    issued_at = models.DateTimeField("발급일시", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="발급자",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # 수료증 취소: the certificate stays (its number is never reused) but is no longer valid.
    revoked_at = models.DateTimeField("취소일시", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="취소자",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.CharField("취소 사유", max_length=200, blank=True)
    history = HistoricalRecords(verbose_name="수료증 변경 이력")

    class Meta:
        verbose_name = "수료증"
        verbose_name_plural = "수료증"
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} (취소됨)" if self.is_revoked else self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ConsultationTopic(models.TextChoices):
    FINANCE = "finance", "자금·금융"
    GUARANTEE = "guarantee", "보증"
    MARKETING = "marketing", "판로·마케팅"
    EXPORT = "export", "수출·해외진출"
    TECHNOLOGY = "technology", "기술·인증"
    LABOR = "labor", "인력·노무"
    TAX = "tax", "세무·회계"
    STARTUP = "startup", "창업"
    OTHER = "other", "기타"


class Consultation(models.Model):
    """A 1:1 consultation at the fair: who asked which agency about what, and the follow-up."""

    run = models.ForeignKey(
        ProgramRun, verbose_name="상담회", on_delete=models.CASCADE, related_name="consultations"
    )
    firm = models.ForeignKey(
        Firm,
        verbose_name="기업",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="program_consultations",
    )
    visitor_name = models.CharField("방문자", max_length=50, blank=True)
    agency = models.ForeignKey(
        Organization, verbose_name="상담 기관", on_delete=models.PROTECT, related_name="program_consultations"
    )
    topic = models.CharField("상담 분야", max_length=20, choices=ConsultationTopic.choices)
    notes = models.TextField("상담 내용", blank=True)
    follow_up_needed = models.BooleanField("후속 조치 필요", default=False)
    follow_up_done = models.BooleanField("후속 조치 완료", default=False)
    recorded_at = models.DateTimeField("기록일시", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="기록자",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "상담 기록"
        verbose_name_plural = "상담 기록"
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(firm__isnull=False) | ~Q(visitor_name=""), name="consultation_firm_or_visitor"
            ),
            models.CheckConstraint(
                condition=Q(follow_up_done=False) | Q(follow_up_needed=True),
                name="consultation_done_only_if_needed",
            ),
        ]

    def __str__(self):
        return f"{self.who} · {self.agency} · {self.get_topic_display()}"

    @property
    def who(self) -> str:
        if self.firm_id and self.visitor_name:
            return f"{self.visitor_name} ({self.firm.name})"
        return self.firm.name if self.firm_id else self.visitor_name
