"""Writes and rules of the programs app: registration, attendance, completion and certificates.

The completion rule lives in exactly one place, `completion_met`; every page, export, selector
and the certificate service ask it.
"""

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from guro_sme.dates import add_months
from guro_sme.documents import render_pdf
from guro_sme.errors import RuleError
from guro_sme.history import bulk_delete_with_history
from guro_sme.korean import particle
from guro_sme.models import DistrictProfile, Firm
from guro_sme.privacy import record_consent
from guro_sme.roles import Role, has_role

from .models import (
    ApplicantCategory,
    Attendance,
    Certificate,
    CompletionRule,
    Consultation,
    Person,
    ProgramKind,
    ProgramRun,
    Registration,
    Session,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The middle part of a certificate number, e.g. "2018-창업-0001".
CERTIFICATE_CODES = {
    ProgramKind.STARTUP_ACADEMY: "창업",
    ProgramKind.LEADERS_ACADEMY: "리더스",
    ProgramKind.CONSULTATION_FAIR: "상담",
}


class ProgramRuleError(RuleError):
    """A registration, attendance or certificate request the rules refuse; `message` is Korean."""


# --- completion -------------------------------------------------------------------------------


def completion_met(*, rule: str, minimum: int | None, attended: int, total: int) -> bool:
    """Whether `attended` of `total` sessions completes a run with this rule (수료 여부).

    - none: the run has no completion (the consultation fair) → never completed
    - all_sessions: every session attended (the startup academy)
    - min_sessions: at least `minimum` sessions
    - min_percent: at least `minimum` % of the sessions (attended*100 >= minimum*total, integers)
    A run without sessions completes nobody.
    """
    if total <= 0 or attended <= 0:
        return False
    if rule == CompletionRule.ALL_SESSIONS:
        return attended >= total
    if rule == CompletionRule.MIN_SESSIONS:
        return attended >= min(minimum or total, total)
    if rule == CompletionRule.MIN_PERCENT:
        return attended * 100 >= (minimum or 100) * total
    return False


def run_completion_met(run: ProgramRun, *, attended: int, total: int) -> bool:
    return completion_met(
        rule=run.completion_rule, minimum=run.completion_minimum, attended=attended, total=total
    )


def registration_progress(registration: Registration) -> tuple[int, int]:
    """(attended, total sessions) for one registration: two queries."""
    attended = registration.attendances.count()
    total = registration.run.sessions.count()
    return attended, total


def registration_completed(registration: Registration) -> bool:
    attended, total = registration_progress(registration)
    return run_completion_met(registration.run, attended=attended, total=total)


# --- registration -----------------------------------------------------------------------------


def normalize_phone(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def run_start_date(run: ProgramRun) -> datetime.date | None:
    first = run.sessions.order_by("date").values_list("date", flat=True).first()
    return first


def check_eligible_category(*, run: ProgramRun, category: str) -> None:
    """A run may take only some applicant categories (the startup academy: 예비창업자, 업종전환 희망자, 기존사업자)."""
    if category not in ApplicantCategory.values:
        raise ProgramRuleError("신청 구분을 목록에서 고르세요.")
    if run.eligible_categories and category not in run.eligible_categories:
        allowed = ", ".join(run.eligible_category_labels())
        raise ProgramRuleError(
            f"{run.name}{particle(run.name, '은')} {allowed}만 신청할 수 있습니다 ('{ApplicantCategory(category).label}' 불가)."
        )


def check_founded_within(
    *, run: ProgramRun, category: str, firm: Firm | None, reference: datetime.date
) -> None:
    """The startup academy takes existing businesses only within N months of registration (등록 후 6월 이내)."""
    months = run.founded_within_months
    if not months or category != ApplicantCategory.EXISTING_BUSINESS:
        return
    if firm is None:
        raise ProgramRuleError("기존사업자는 사업자등록번호로 기업을 연결해야 합니다 (개업일 확인).")
    if firm.founded_on is None:
        raise ProgramRuleError(
            f"'{firm.name}'의 개업일(설립일)이 없어 등록 후 {months}개월 이내인지 확인할 수 없습니다. 기업 정보에 개업일을 입력하세요."
        )
    earliest = add_months(reference, -months)
    if firm.founded_on < earliest:
        raise ProgramRuleError(
            f"기존사업자는 사업자 등록 후 {months}개월 이내여야 신청할 수 있습니다. "
            f"'{firm.name}' 개업일 {firm.founded_on:%Y.%m.%d}{particle(f'{firm.founded_on:%d}', '은')} 기준일 {reference:%Y.%m.%d}의 "
            f"{months}개월 전({earliest:%Y.%m.%d})보다 앞섭니다."
        )


def registration_create(
    *,
    run: ProgramRun,
    name: str,
    phone: str,
    category: str,
    actor: "User",
    birth_date: datetime.date | None = None,
    firm: Firm | None = None,
    consent_at: datetime.datetime | None = None,
) -> Registration:
    """Register a person for a run. Refuses a person who has not agreed to the collection and use
    of their data (`consent_at`, 개인정보 보호법 제15조), a full run, a second registration of the
    same person (name + phone), a category the run doesn't take and, where the run says so, an
    existing business registered more than N months before the first session.
    """
    if consent_at is None:
        raise ProgramRuleError(
            "참가자의 개인정보 수집·이용 동의를 받아야 등록할 수 있습니다 (동의일을 기록합니다)."
        )
    name = (name or "").strip()
    phone = normalize_phone(phone)
    if not name:
        raise ProgramRuleError("성명을 입력하세요.")
    if not 9 <= len(phone) <= 11:
        raise ProgramRuleError("연락처는 9~11자리 숫자로 입력하세요 (예: 010-1234-5678).")
    with transaction.atomic():
        # Lock the run so two staff can't both take the last seat.
        run = ProgramRun.objects.select_for_update().get(pk=run.pk)
        if run.registrations.filter(person__name=name, person__phone=phone).exists():
            raise ProgramRuleError(f"{name}({phone})님은 이미 이 회차에 등록되어 있습니다.")
        taken = run.registrations.count()
        if taken >= run.capacity:
            raise ProgramRuleError(f"정원 {run.capacity}명이 모두 찼습니다. 더 등록할 수 없습니다.")
        check_eligible_category(run=run, category=category)
        reference = run_start_date(run) or timezone.localdate()
        check_founded_within(run=run, category=category, firm=firm, reference=reference)
        person, created = Person.objects.get_or_create(
            name=name, phone=phone, defaults={"birth_date": birth_date}
        )
        if not created and birth_date and person.birth_date != birth_date:
            person.birth_date = birth_date
            person.save(update_fields=["birth_date"])
        try:
            with transaction.atomic():
                registration = Registration(
                    run=run, person=person, category=category, firm=firm, registered_by=actor
                )
                record_consent(registration, actor=actor, at=consent_at)
                registration.save(force_insert=True)
                return registration
        except IntegrityError:
            raise ProgramRuleError(f"{name}({phone})님은 이미 이 회차에 등록되어 있습니다.") from None


def registration_cancel(*, registration: Registration, actor: "User") -> None:
    """Undo a registration entered by mistake or withdrawn before the course.

    Only while nothing hangs on it: once attendance is recorded or a certificate issued, the
    record is part of the program's results and stays.
    """
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=registration.pk)
        )
        if Certificate.objects.filter(registration=registration).exists():
            raise ProgramRuleError("수료증이 발급된 참가 등록은 취소할 수 없습니다.")
        if registration.attendances.exists():
            raise ProgramRuleError(
                f"{registration.person.name}님은 출석 기록이 있어 등록을 취소할 수 없습니다. 먼저 출석부에서 출석을 지우세요."
            )
        registration.delete()


# --- attendance -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceChange:
    added: int
    removed: int


def attendance_record(
    *,
    run: ProgramRun,
    present: set[tuple[int, int]],
    actor: "User",
    today: datetime.date | None = None,
    shown: set[tuple[int, int]] | None = None,
) -> AttendanceChange:
    """Record attendance ({(registration_id, session_id)}) per cell.

    With `shown` (the ticks the user's grid showed when it was opened) only the cells this user
    changed are written, so two staff saving the same grid at once keep each other's ticks.
    Without it (an import) the run's attendance becomes exactly `present`.
    Constant queries whatever the size. Refuses pairs outside the run, ticks for sessions that
    haven't happened yet, and removing attendance of a participant whose certificate is issued.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        run = ProgramRun.objects.select_for_update().get(pk=run.pk)
        registration_ids = set(run.registrations.values_list("pk", flat=True))
        session_dates = dict(run.sessions.values_list("pk", "date"))
        for registration_id, session_id in present:
            if registration_id not in registration_ids or session_id not in session_dates:
                raise ProgramRuleError("이 회차에 없는 참가자나 일정의 출석은 기록할 수 없습니다.")
        existing = {
            (reg, ses): pk
            for pk, reg, ses in Attendance.objects.filter(registration__run=run).values_list(
                "pk", "registration_id", "session_id"
            )
        }
        if shown is not None:
            present = (present - shown) | (existing.keys() - (shown - present))
        to_add = present - existing.keys()
        future = sorted({session_dates[s] for _, s in to_add if session_dates[s] > today})
        if future:
            raise ProgramRuleError(
                f"아직 열리지 않은 일정({future[0]:%Y.%m.%d})의 출석은 기록할 수 없습니다."
            )
        removed_pairs = [pair for pair in existing if pair not in present]
        # A valid certificate stands on these ticks: removing one would drop its holder from the
        # completers while the certificate stays valid. A revoked certificate no longer does.
        certified = dict(
            Certificate.objects.filter(
                registration_id__in={r for r, _ in removed_pairs}, revoked_at__isnull=True
            ).values_list("registration_id", "registration__person__name")
        )
        if certified:
            names = ", ".join(sorted(certified.values()))
            raise ProgramRuleError(
                f"수료증이 발급된 참가자({names})의 출석은 취소할 수 없습니다. 수료 판정이 바뀌면 수료증과 맞지 않게 됩니다. "
                "출석을 고쳐야 하면 먼저 참가자 목록에서 수료증을 취소하세요."
            )
        to_remove = [existing[pair] for pair in removed_pairs]
        if to_remove:
            bulk_delete_with_history(Attendance.objects.filter(pk__in=to_remove), actor=actor)
        bulk_create_with_history(
            [Attendance(registration_id=r, session_id=s, recorded_by=actor) for r, s in sorted(to_add)],
            Attendance,
            default_user=actor,
        )
    return AttendanceChange(added=len(to_add), removed=len(to_remove))


# --- certificates -----------------------------------------------------------------------------


def certificate_number_prefix(run: ProgramRun) -> str:
    return f"{run.year}-{CERTIFICATE_CODES[run.kind]}-"


def certificate_issue(*, registration: Registration, actor: "User") -> Certificate:
    """The registration's certificate: numbered on first issue, the same one afterwards.

    Refused (ProgramRuleError) when the person hasn't completed the run under its rule.
    Numbers run per program and year across both halves: 2018-창업-0001, 2018-창업-0002, …
    """
    existing = Certificate.objects.filter(registration=registration).first()
    if existing and existing.is_revoked:
        raise ProgramRuleError(
            f"{registration.person.name}님의 수료증 {existing.number}{particle(existing.number, '은')} 취소되었습니다. "
            "취소된 수료증은 다시 발급하지 않습니다."
        )
    if existing:
        return existing
    run = registration.run
    if not registration_completed(registration):
        if not run.has_completion:
            raise ProgramRuleError(
                f"{run.name}{particle(run.name, '은')} 수료 과정이 아니어서 수료증이 없습니다."
            )
        raise ProgramRuleError(
            f"{registration.person.name}님은 수료 기준({run.completion_rule_text()})을 충족하지 않아 수료증을 발급할 수 없습니다."
        )
    prefix = certificate_number_prefix(run)
    with transaction.atomic():
        # Numbers are shared by the runs of one program and year: lock them all.
        list(ProgramRun.objects.select_for_update().filter(kind=run.kind, year=run.year).values_list("pk"))
        again = Certificate.objects.filter(registration=registration).first()
        if again:
            return again
        last = (
            Certificate.objects.filter(number__startswith=prefix)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        serial = int(last.rsplit("-", 1)[1]) + 1 if last else 1
        certificate = Certificate(registration=registration, number=f"{prefix}{serial:04d}", issued_by=actor)
        certificate._history_user = actor
        certificate.save()
        return certificate


@transaction.atomic
def certificates_issue(
    *, registration_ids, actor: "User", run: ProgramRun | None = None
) -> list[Certificate]:
    """The completers staff ticked, each issued a certificate by certificate_issue, all or none.

    Numbered in the order of the completers list (by name). A ticked person who already holds a
    certificate, or whom certificate_issue refuses, undoes the whole batch and is named. With
    `run`, an id that is not one of its registrations refuses the batch too.
    """
    if not has_role(actor, Role.STAFF):
        raise ProgramRuleError("수료증은 담당자만 발급할 수 있습니다.")
    wanted = {int(pk) for pk in registration_ids}
    if not wanted:
        raise ProgramRuleError("수료증을 발급할 수료자를 한 명 이상 선택하세요.")
    chosen = Registration.objects.filter(pk__in=wanted).select_related("run", "person")
    if run is not None:
        chosen = chosen.filter(run=run)
    chosen = list(chosen.order_by("person__name", "pk"))
    if len(chosen) != len(wanted):
        raise ProgramRuleError(
            "선택한 수료자 가운데 명단에 없는 사람이 있습니다. 명단을 다시 열어 선택하세요."
        )
    held = {c.registration_id: c for c in Certificate.objects.filter(registration__in=chosen)}
    issued = []
    for registration in chosen:
        name = registration.person.name
        try:
            if registration.pk in held and not held[registration.pk].is_revoked:
                number = held[registration.pk].number
                raise ProgramRuleError(f"이미 수료증 {number}{particle(number, '이')} 발급되었습니다.")
            issued.append(certificate_issue(registration=registration, actor=actor))
        except ProgramRuleError as error:
            raise ProgramRuleError(
                f"{name}님의 수료증을 발급할 수 없습니다: {error.message} "
                f"선택한 {len(chosen)}명 모두 발급하지 않았습니다."
            ) from error
    return issued


def certificate_revoke(*, certificate: Certificate, actor: "User", reason: str) -> Certificate:
    """Revoke an issued certificate (수료증 취소): who, when and why, in its history.

    The row and its number stay (numbers are never reused; the PDF then says 취소됨). Afterwards
    the holder's attendance may be corrected, and the completers follow the attendance again.
    """
    if not has_role(actor, Role.STAFF):
        raise ProgramRuleError("수료증은 담당자만 취소할 수 있습니다.")
    reason = (reason or "").strip()
    if not reason:
        raise ProgramRuleError("수료증 취소 사유를 입력하세요.")
    if len(reason) > 200:
        raise ProgramRuleError("취소 사유는 200자 이내로 입력하세요.")
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.is_revoked:
            raise ProgramRuleError(
                f"수료증 {locked.number}{particle(locked.number, '은')} 이미 {timezone.localtime(locked.revoked_at):%Y.%m.%d} 취소되었습니다."
            )
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.revocation_reason = reason
        locked._history_user = actor
        locked._change_reason = "수료증 취소"  # the reason itself is a tracked field
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return locked


def certificate_pdf(certificate: Certificate) -> bytes:
    """The A4 certificate PDF (NanumGothic), with the district and the co-host from the data."""
    registration = (
        Registration.objects.select_related("person", "firm", "run", "run__co_host")
        .prefetch_related("run__sessions")
        .get(pk=certificate.registration_id)
    )
    sessions = list(registration.run.sessions.all())
    return render_pdf(
        "programs/certificate_pdf.html",
        {
            "certificate": certificate,
            "registration": registration,
            "run": registration.run,
            "first_day": sessions[0].date if sessions else None,
            "last_day": sessions[-1].date if sessions else None,
            "session_count": len(sessions),
            "district": DistrictProfile.current(),
        },
    )


# --- consultations and runs -------------------------------------------------------------------


def consultation_save(*, consultation: Consultation, actor: "User") -> Consultation:
    """Create or update a consultation record; a done follow-up implies it was needed."""
    if not consultation.firm_id and not consultation.visitor_name.strip():
        raise ProgramRuleError("기업이나 방문자 이름 중 하나는 입력하세요.")
    if consultation.run.kind != ProgramKind.CONSULTATION_FAIR:
        raise ProgramRuleError("상담 기록은 상담회에만 남길 수 있습니다.")
    if consultation.follow_up_done:
        consultation.follow_up_needed = True
    if consultation.pk is None:
        consultation.recorded_by = actor
    with transaction.atomic():
        consultation.save()
    return consultation


def run_save(*, run: ProgramRun, partners=None, actor: "User") -> ProgramRun:
    """Create or update a programme run: the capacity may not fall below those registered, and
    a completion rule by sessions or percent needs its minimum (a percent at most 100)."""
    if not has_role(actor, Role.STAFF):
        raise ProgramRuleError("사업 회차는 담당자만 등록하고 수정할 수 있습니다.")
    taken = run.registrations.count() if run.pk else 0
    if run.capacity is not None and run.capacity < taken:
        raise ProgramRuleError(f"이미 {taken}명이 등록되어 있어 정원을 {taken}명보다 줄일 수 없습니다.")
    if run.completion_rule in ("min_sessions", "min_percent") and not run.completion_minimum:
        raise ProgramRuleError("이 수료 기준에는 최소값(횟수 또는 %)이 필요합니다.")
    if run.completion_rule == "min_percent" and run.completion_minimum and run.completion_minimum > 100:
        raise ProgramRuleError("출석률은 100% 이하로 입력하세요.")
    with transaction.atomic():
        run.save()
        if partners is not None:
            run.partners.set(partners)
    return run


def session_add(
    *, run: ProgramRun, date: datetime.date, start_time, end_time, topic: str, actor: "User"
) -> Session:
    if end_time <= start_time:
        raise ProgramRuleError("종료 시각은 시작 시각보다 늦어야 합니다.")
    if run.sessions.filter(date=date, start_time=start_time).exists():
        raise ProgramRuleError(f"{date:%Y.%m.%d} {start_time:%H:%M}에 시작하는 일정이 이미 있습니다.")
    with transaction.atomic():
        return Session.objects.create(
            run=run, date=date, start_time=start_time, end_time=end_time, topic=topic
        )


# --- retention (개인정보 보유기간) -------------------------------------------------------------


def erase_expired_participants(*, cutoff: datetime.date, commit: bool, actor: "User") -> list[int]:
    """People all of whose runs ended (last session, else 31 Dec of the run's year) before `cutoff`:
    name, phone and birth date are blanked (ERASERS in guro_sme/privacy.py). Registrations,
    categories, firms, attendance and certificates stay, so participants and completers per run
    and every report figure are unchanged. Returns the people's ids."""
    from django.db.models import CharField, Max, Value
    from django.db.models.functions import Cast, Concat

    run_end = {}
    for pk, year, last_day in ProgramRun.objects.annotate(last_day=Max("sessions__date")).values_list(
        "pk", "year", "last_day"
    ):
        run_end[pk] = last_day or datetime.date(year, 12, 31)
    latest: dict[int, datetime.date] = {}
    for person_id, run_id in Registration.objects.filter(person__erased_at__isnull=True).values_list(
        "person_id", "run_id"
    ):
        latest[person_id] = max(latest.get(person_id, run_end[run_id]), run_end[run_id])
    expired = sorted(pk for pk, end in latest.items() if end < cutoff)
    if commit and expired:
        with transaction.atomic():
            # Name + phone is unique: each erased person keeps a distinct placeholder.
            Person.objects.filter(pk__in=expired).update(
                name=Concat(Value("(파기 "), Cast("pk", CharField()), Value(")")),
                phone="",
                birth_date=None,
                erased_at=timezone.now(),
            )
    return expired
