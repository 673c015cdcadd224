"""The fund management committee (기금운용심의위원회): meetings, agenda items, recusals, scores, votes.

The rules (quorum, majority, ranking within the fund's money) live in services.py; the database
backs the ones that must never break: one vote per member per item, one recusal per member per
item, one score per member per rubric item, and scores within 0..max.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from guro_sme.korean import korean_name


class CommitteeMeeting(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "진행중"
        CLOSED = "closed", "종료"

    call = models.ForeignKey(
        "loans.LoanCall", on_delete=models.PROTECT, related_name="meetings", verbose_name="공고"
    )
    title = models.CharField("회의명", max_length=200)
    held_on = models.DateField("회의일")
    place = models.CharField("장소", max_length=100, blank=True)
    status = models.CharField("상태", max_length=10, choices=Status.choices, default=Status.OPEN)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="committee_meetings",
        verbose_name="위원",
    )
    starts_at = models.TimeField("개회 시각", null=True, blank=True)
    ends_at = models.TimeField("폐회 시각", null=True, blank=True)
    quorum_note = models.CharField("성원 보고", max_length=200, blank=True)
    # A composition rule the district set to warn (not refuse) that this meeting breaks.
    composition_note = models.CharField("구성 요건 확인", max_length=500, blank=True)
    minutes_frozen_at = models.DateTimeField("회의록 확정일시", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="등록자"
    )
    created_at = models.DateTimeField("등록일시", auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="의결 처리자",
    )
    closed_at = models.DateTimeField("의결일시", null=True, blank=True)
    history = HistoricalRecords(verbose_name="심의위원회 회의 변경 이력")

    class Meta:
        verbose_name = "심의위원회 회의"
        verbose_name_plural = "심의위원회 회의"
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("loans:meeting_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Membership(models.Model):
    """A member sitting on a meeting, with attendance recorded by staff."""

    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_memberships"
    )
    present = models.BooleanField("출석", default=False)
    history = HistoricalRecords(verbose_name="회의 출석 변경 이력")

    class Meta:
        verbose_name = "회의 위원"
        verbose_name_plural = "회의 위원"
        ordering = ["member__last_name", "member__first_name", "member__username"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="committee_membership_unique"),
        ]

    def __str__(self):
        return f"{self.meeting} · {korean_name(self.member)}"


class AgendaItem(models.Model):
    """One application on a meeting's agenda; the result fields are written when the meeting closes."""

    class Result(models.TextChoices):
        ORIGINAL = "original", "원안가결"
        AMENDED = "amended", "수정가결"
        REJECTED = "rejected", "부결"
        HELD = "held", "보류"

    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(
        "loans.LoanApplication",
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name="융자신청",
    )
    order = models.PositiveIntegerField("순서", default=0)
    # The amount the committee agrees on, entered by staff before closing (defaults to requested).
    committee_amount_won = models.PositiveBigIntegerField("의결 금액(원)", null=True, blank=True)
    result = models.CharField("의결 결과", max_length=10, choices=Result.choices, blank=True)
    approved_amount_won = models.PositiveBigIntegerField("선정 금액(원)", null=True, blank=True)
    average_score = models.DecimalField("평균 점수", max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField("순위", null=True, blank=True)
    reserve_rank = models.PositiveIntegerField("예비 순위", null=True, blank=True)
    yes_count = models.PositiveIntegerField("찬성", null=True, blank=True)
    no_count = models.PositiveIntegerField("반대", null=True, blank=True)
    abstain_count = models.PositiveIntegerField("기권", null=True, blank=True)
    eligible_count = models.PositiveIntegerField("의결 참여 가능 위원", null=True, blank=True)
    # The committee amount per item and the result: only the new value was kept before.
    history = HistoricalRecords(verbose_name="심의 안건 변경 이력")
    # The minutes (공공기록물 관리에 관한 법률 시행령 §18): the summary of remarks and conditions.
    discussion_summary = models.TextField("발언요지", blank=True)
    conditions = models.CharField("의결 조건", max_length=500, blank=True)
    hold_reason = models.CharField("보류 사유", max_length=300, blank=True)

    class Meta:
        verbose_name = "심의 안건"
        verbose_name_plural = "심의 안건"
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "application"], name="committee_item_unique"),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.order}번 안건"


class Recusal(models.Model):
    """A member's declared conflict of interest (회피) on one item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("회피 사유", max_length=200)
    created_at = models.DateTimeField("신청일시", auto_now_add=True)

    class Meta:
        verbose_name = "회피"
        verbose_name_plural = "회피"
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="committee_recusal_unique"),
        ]

    def __str__(self):
        return f"{korean_name(self.member)} 회피: {self.item}"


class Score(models.Model):
    """A member's score on one rubric item of one agenda item.

    `max_score` copies the rubric item's maximum when scoring, so the database itself can keep the
    score within 0..max (a check constraint cannot look into another table).
    """

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rubric_item = models.ForeignKey(
        "loans.RubricItem", on_delete=models.PROTECT, related_name="+", verbose_name="평가항목"
    )
    score = models.PositiveIntegerField("점수")
    max_score = models.PositiveIntegerField("배점")
    updated_at = models.DateTimeField("채점일시", auto_now=True)

    class Meta:
        verbose_name = "평가 점수"
        verbose_name_plural = "평가 점수"
        constraints = [
            models.UniqueConstraint(fields=["item", "member", "rubric_item"], name="committee_score_unique"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=models.F("max_score")),
                name="committee_score_within_max",
            ),
        ]

    def __str__(self):
        return f"{korean_name(self.member)} {self.rubric_item}: {self.score}"


class Vote(models.Model):
    class Choice(models.TextChoices):
        YES = "yes", "찬성"
        NO = "no", "반대"
        ABSTAIN = "abstain", "기권"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField("표결", max_length=10, choices=Choice.choices)
    comment = models.CharField("의견", max_length=500, blank=True)
    updated_at = models.DateTimeField("투표일시", auto_now=True)

    class Meta:
        verbose_name = "표결"
        verbose_name_plural = "표결"
        constraints = [
            # One vote per member per application: changing a vote updates this row.
            models.UniqueConstraint(fields=["item", "member"], name="committee_vote_one_per_member"),
        ]

    def __str__(self):
        return f"{korean_name(self.member)} {self.get_choice_display()}: {self.item}"


class CommitteeAction(models.Model):
    """Audit trail: who did what, when, in a meeting (create, attendance, recusal, score, vote, close…)."""

    class Kind(models.TextChoices):
        CREATE = "create", "회의 등록"
        ATTENDANCE = "attendance", "출석 기록"
        AMOUNT = "amount", "의결 금액 입력"
        BUDGET = "budget", "기금 배정액 입력"
        REMOVE = "remove", "안건 제외"
        RECUSE = "recuse", "회피 신청"
        SCORE = "score", "채점"
        VOTE = "vote", "표결"
        CLOSE = "close", "회의 종료·의결"
        PROMOTE = "promote", "예비선정 승격"
        NOTICE = "notice", "결과 통지 발송"
        MINUTES = "minutes", "회의록 입력"
        CONFIRM = "confirm", "회의록 확인"
        HOLD = "hold", "안건 보류"
        OBJECTION = "objection", "기피 신청"
        OBJECTION_DECIDE = "objection_decide", "기피 의결"

    # Audit rows are never deleted: an item taken off the agenda leaves its rows (item becomes
    # empty, the application stays named) and a meeting with actions cannot be deleted.
    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    application = models.ForeignKey(
        "loans.LoanApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_actions",
        verbose_name="융자신청",
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("구분", max_length=20, choices=Kind.choices)
    detail = models.CharField("내용", max_length=500, blank=True)
    created_at = models.DateTimeField("일시", auto_now_add=True)

    class Meta:
        verbose_name = "심의위원회 처리 기록"
        verbose_name_plural = "심의위원회 처리 기록"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {korean_name(self.actor)} {self.get_kind_display()}"


class MeetingBudget(models.Model):
    """Optional: how much of a fund this meeting may hand out (e.g. the district keeps part of the
    year's fund for the July call). Closing never grants more than the smaller of this and what the
    fund has left (loans.selectors.fund_available_won)."""

    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="budgets")
    fund = models.ForeignKey(
        "loans.LoanFund", on_delete=models.PROTECT, related_name="+", verbose_name="기금"
    )
    amount_won = models.PositiveBigIntegerField("이번 회의 배정액(원)")
    history = HistoricalRecords(verbose_name="회의 배정액 변경 이력")

    class Meta:
        verbose_name = "회의별 기금 배정액"
        verbose_name_plural = "회의별 기금 배정액"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "fund"], name="committee_budget_unique"),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.fund}: {self.amount_won:,}원"


class NoticeDelivery(models.Model):
    """One sending of a decision notice (선정·예비선정·미선정 통지서) to a firm by e-mail: to whom,
    when, which notice, delivered or failed. Never edited or deleted; a resend adds a row."""

    class Kind(models.TextChoices):
        SELECTED = "selected", "선정 통지"
        RESERVE = "reserve", "예비선정 통지"
        REJECTED = "rejected", "미선정 통지"

    class Status(models.TextChoices):
        DELIVERED = "delivered", "발송 완료"
        FAILED = "failed", "발송 실패"

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="notice_deliveries")
    application = models.ForeignKey(
        "loans.LoanApplication", on_delete=models.PROTECT, related_name="+", verbose_name="융자신청"
    )
    kind = models.CharField("통지 구분", max_length=10, choices=Kind.choices)
    number = models.CharField("문서번호", max_length=100)
    to_email = models.EmailField("받는 주소")
    status = models.CharField("발송 결과", max_length=10, choices=Status.choices)
    error = models.CharField("실패 사유", max_length=300, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="발송자"
    )
    sent_at = models.DateTimeField("발송일시", auto_now_add=True)

    class Meta:
        verbose_name = "결과 통지 발송 기록"
        verbose_name_plural = "결과 통지 발송 기록"
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.application} {self.get_kind_display()} → {self.to_email} ({self.get_status_display()})"


class MemberProfile(models.Model):
    """A committee member as appointed: kind, affiliation, role in the committee and term."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", "공무원"
        EXPERT = "expert", "민간 전문가"
        COUNCILLOR = "councillor", "구의원"
        OTHER = "other", "기타 민간"

    class CommitteeRole(models.TextChoices):
        CHAIR = "chair", "위원장"
        VICE_CHAIR = "vice_chair", "부위원장"
        MEMBER = "member", "위원"
        SECRETARY = "secretary", "간사"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_profile"
    )
    kind = models.CharField("위원 구분", max_length=20, choices=Kind.choices)
    affiliation = models.CharField("소속", max_length=100, blank=True)
    committee_role = models.CharField(
        "위원회 직위", max_length=20, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER
    )
    appointed_on = models.DateField("위촉일")
    term_ends_on = models.DateField("임기 만료일", null=True, blank=True)
    address = models.CharField("주소(제척 확인용)", max_length=200, blank=True)
    # Kind, role and term decide whether a meeting may sit (composition, terms): who changed them.
    history = HistoricalRecords(verbose_name="심의위원 위촉 정보 변경 이력")

    class Meta:
        verbose_name = "심의위원 위촉 정보"
        verbose_name_plural = "심의위원 위촉 정보"

    def __str__(self):
        return f"{korean_name(self.user)} ({self.get_kind_display()}, {self.get_committee_role_display()})"

    @property
    def is_civil_servant(self) -> bool:
        return self.kind == self.Kind.OFFICIAL

    def serves_on(self, day) -> bool:
        return self.appointed_on <= day and (self.term_ends_on is None or day <= self.term_ends_on)


class CompositionRule(models.Model):
    """The district's composition rules for a meeting (지방자치단체 기금관리기본법 시행령 §7):
    at least `civilian_min_numerator / civilian_min_denominator` of the members from outside the
    civil service, and a chair (위원장, or 부위원장 acting) present. One row; without it, defaults."""

    class Enforcement(models.TextChoices):
        REFUSE = "refuse", "거부"
        WARN = "warn", "경고만"

    civilian_min_numerator = models.PositiveSmallIntegerField("민간위원 최소 비율(분자)", default=1)
    civilian_min_denominator = models.PositiveSmallIntegerField("민간위원 최소 비율(분모)", default=3)
    require_chair = models.BooleanField("위원장(또는 부위원장) 출석 필요", default=True)
    enforcement = models.CharField(
        "위반 시", max_length=10, choices=Enforcement.choices, default=Enforcement.REFUSE
    )

    class Meta:
        verbose_name = "위원회 구성 요건"
        verbose_name_plural = "위원회 구성 요건"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(civilian_min_denominator__gte=1)
                & models.Q(civilian_min_numerator__lte=models.F("civilian_min_denominator")),
                name="composition_rule_fraction",
            ),
        ]

    def __str__(self):
        return f"민간위원 {self.civilian_min_numerator}/{self.civilian_min_denominator} 이상"

    @classmethod
    def current(cls) -> "CompositionRule":
        return cls.objects.order_by("pk").first() or cls()


class InterestDeclaration(models.Model):
    """A member's declared interest (이해관계 신고): a firm they own, work for or advise, or a
    relative's firm, by business number or by name and representative."""

    class Relation(models.TextChoices):
        OWNER = "owner", "소유·대표"
        EMPLOYEE = "employee", "재직"
        ADVISER = "adviser", "자문·용역"
        RELATIVE = "relative", "친족 기업"
        OTHER = "other", "기타"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interest_declarations"
    )
    relation = models.CharField("관계", max_length=20, choices=Relation.choices)
    business_number = models.CharField("사업자등록번호", max_length=10, blank=True)
    firm_name = models.CharField("회사명", max_length=100, blank=True)
    representative = models.CharField("대표자", max_length=50, blank=True)
    note = models.CharField("내용", max_length=200, blank=True)
    declared_at = models.DateTimeField("신고일시", auto_now_add=True)
    # A declaration flags items for recusal (제척): who added or withdrew it is kept.
    history = HistoricalRecords(verbose_name="이해관계 신고 변경 이력")

    class Meta:
        verbose_name = "이해관계 신고"
        verbose_name_plural = "이해관계 신고"
        ordering = ["member", "-declared_at"]

    def __str__(self):
        return f"{korean_name(self.member)} {self.get_relation_display()}: {self.firm_name or self.business_number}"


class ConflictFlag(models.Model):
    """An agenda item flagged for a member when the meeting was created (제척 사유): the member must
    recuse (회피) before scoring or voting on it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="conflict_flags")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ground = models.CharField("제척 사유", max_length=300)
    created_at = models.DateTimeField("확인일시", auto_now_add=True)

    class Meta:
        verbose_name = "제척 사유 확인"
        verbose_name_plural = "제척 사유 확인"
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="committee_conflict_flag_unique"),
        ]

    def __str__(self):
        return f"{korean_name(self.member)}: {self.ground}"


class Objection(models.Model):
    """An applicant's objection to a member (기피 신청), decided by the committee with its vote."""

    class Decision(models.TextChoices):
        PENDING = "pending", "의결 전"
        ACCEPTED = "accepted", "인용"
        DISMISSED = "dismissed", "기각"

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="objections")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("기피 사유", max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("접수일시", auto_now_add=True)
    decision = models.CharField("의결", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    yes_count = models.PositiveIntegerField("인용 찬성", null=True, blank=True)
    no_count = models.PositiveIntegerField("인용 반대", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("의결일시", null=True, blank=True)
    # The committee's decision (인용/기각) with its vote: who recorded it and what it replaced.
    history = HistoricalRecords(verbose_name="기피 신청 변경 이력")

    class Meta:
        verbose_name = "기피 신청"
        verbose_name_plural = "기피 신청"
        ordering = ["item", "pk"]

    def __str__(self):
        return f"{korean_name(self.member)} 기피: {self.reason}"


class MinutesConfirmation(models.Model):
    """A member present confirms the minutes (who, when); the first confirmation freezes them."""

    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.PROTECT, related_name="confirmations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField("확인일시", auto_now_add=True)

    class Meta:
        verbose_name = "회의록 확인"
        verbose_name_plural = "회의록 확인"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="committee_minutes_confirm_unique"),
        ]

    def __str__(self):
        return f"{korean_name(self.member)} 회의록 확인 {self.confirmed_at:%Y-%m-%d %H:%M}"
