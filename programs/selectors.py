"""Reads of programs: the lists and summaries of the pages, and what other apps ask (firm page,
home page, reports). Each runs a constant number of queries whatever the number of rows.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from guro_sme.queries import count_of
from guro_sme.roles import Role, has_role
from guro_sme.search import SearchGroup, SearchHit, SearchQuery, take
from guro_sme.support import AttentionItem, SupportRecord

from .models import (
    ApplicantCategory,
    Attendance,
    Certificate,
    Consultation,
    ConsultationTopic,
    ProgramRun,
    Registration,
    Session,
)
from .services import run_completion_met

PROGRAM_LABEL = "경영지원사업"


def runs_overview(year: int | None = None) -> list[ProgramRun]:
    """Runs with dates, session/registration counts and completers (`.completers`): 2 queries.

    The counts are subqueries and the completers are counted per (run, sessions attended) in the
    database, so the page costs the same whatever the number of registrations.
    """
    runs = ProgramRun.objects.annotate(
        session_count=count_of(Session, "run"),
        registration_count=count_of(Registration, "run"),
        first_day=Subquery(Session.objects.filter(run=OuterRef("pk")).order_by("date").values("date")[:1]),
        last_day=Subquery(Session.objects.filter(run=OuterRef("pk")).order_by("-date").values("date")[:1]),
    ).order_by("-year", "half", "kind")
    if year:
        runs = runs.filter(year=year)
    runs = list(runs)
    _attach_completers(runs)
    return runs


def _attach_completers(runs: list[ProgramRun]) -> None:
    """Set `.completers` on each run (which must carry `session_count`): one query.

    The database returns how many registrations attended how many sessions, per run (a few rows
    per run); the completion rule then decides which of those counts complete the run.
    """
    by_pk = {run.pk: run for run in runs}
    for run in runs:
        run.completers = 0
    attended = count_of(Attendance, "registration")
    rows = (
        Registration.objects.filter(run__in=by_pk.keys())
        .annotate(attended=attended)
        .values("run_id", "attended")
        .annotate(people=Count("pk"))
        .order_by()
        .values_list("run_id", "attended", "people")
    )
    for run_id, attended_sessions, people in rows:
        run = by_pk[run_id]
        if run_completion_met(run, attended=attended_sessions, total=run.session_count):
            run.completers += people


def run_with_counts(pk: int) -> ProgramRun:
    return (
        ProgramRun.objects.select_related("co_host")
        .annotate(session_count=Count("sessions", distinct=True))
        .get(pk=pk)
    )


def run_registrations(run: ProgramRun) -> list[Registration]:
    """The run's registrations with `.attended`, `.completed`, `.certificate_number` and
    `.certificate_revoked_at` (a revoked certificate: 취소됨): 1 query.

    `run` must carry `session_count` (see run_with_counts).
    """
    registrations = list(
        Registration.objects.filter(run=run)
        .select_related("person", "firm")
        .annotate(attended=Count("attendances"))
        .annotate(
            certificate_number=Certificate.objects.filter(registration=OuterRef("pk")).values("number")[:1],
            certificate_revoked_at=Certificate.objects.filter(registration=OuterRef("pk")).values(
                "revoked_at"
            )[:1],
        )
        .order_by("person__name", "pk")
    )
    for registration in registrations:
        registration.completed = run_completion_met(
            run, attended=registration.attended, total=run.session_count
        )
    return registrations


def run_completers(run: ProgramRun) -> list[Registration]:
    return [r for r in run_registrations(run) if r.completed]


@dataclass
class AttendanceGrid:
    sessions: list[Session]
    rows: list[tuple[Registration, list[tuple[Session, bool]]]]


def attendance_grid(run: ProgramRun) -> AttendanceGrid:
    """Registrations × sessions with a tick where attended: 3 queries."""
    sessions = list(run.sessions.all())
    registrations = list(Registration.objects.filter(run=run).select_related("person", "firm"))
    present = set(
        Attendance.objects.filter(registration__run=run).values_list("registration_id", "session_id")
    )
    rows = [(r, [(s, (r.pk, s.pk) in present) for s in sessions]) for r in registrations]
    return AttendanceGrid(sessions=sessions, rows=rows)


@dataclass
class ConsultationSummary:
    total: int
    by_topic: list[tuple[str, int]]
    by_agency: list[tuple[str, int]]
    follow_up_needed: int
    follow_up_done: int

    @property
    def follow_up_open(self) -> int:
        return self.follow_up_needed - self.follow_up_done


def consultation_summary(run: ProgramRun | None = None, year: int | None = None) -> ConsultationSummary:
    """What firms asked for: counts by topic and by agency, and the follow-ups. 1 query."""
    consultations = Consultation.objects.all()
    if run is not None:
        consultations = consultations.filter(run=run)
    if year is not None:
        consultations = consultations.filter(run__year=year)
    rows = list(consultations.values_list("topic", "agency__name", "follow_up_needed", "follow_up_done"))
    labels = dict(ConsultationTopic.choices)
    topics = Counter(labels.get(topic, topic) for topic, _, _, _ in rows)
    agencies = Counter(agency for _, agency, _, _ in rows)
    return ConsultationSummary(
        total=len(rows),
        by_topic=sorted(topics.items(), key=lambda kv: (-kv[1], kv[0])),
        by_agency=sorted(agencies.items(), key=lambda kv: (-kv[1], kv[0])),
        follow_up_needed=sum(1 for _, _, needed, _ in rows if needed),
        follow_up_done=sum(1 for _, _, _, done in rows if done),
    )


# --- asked by the core and the reports ---------------------------------------------------------


def firm_support(firm) -> list[SupportRecord]:
    """Registrations (with completion) and fair consultations of the firm's people: 3 queries."""
    registrations = list(
        Registration.objects.filter(firm=firm)
        .select_related("person", "run")
        .annotate(attended=Count("attendances", distinct=True), total=Count("run__sessions", distinct=True))
    )
    records = []
    for registration in registrations:
        run = registration.run
        if run.has_completion:
            done = run_completion_met(run, attended=registration.attended, total=registration.total)
            status = "수료" if done else "미수료"
        else:
            status = "참가"
        records.append(
            SupportRecord(
                program=PROGRAM_LABEL,
                year=run.year,
                title=f"{run.get_half_display()} {run.name} · {registration.person.name}",
                status=status,
                url=reverse("programs:run_detail", args=[run.pk]),
            )
        )
    for consultation in Consultation.objects.filter(firm=firm).select_related("run", "agency"):
        records.append(
            SupportRecord(
                program=PROGRAM_LABEL,
                year=consultation.run.year,
                title=f"{consultation.run.name} 상담 · {consultation.agency.name} ({consultation.get_topic_display()})",
                status="후속 조치 필요"
                if consultation.follow_up_needed and not consultation.follow_up_done
                else "상담 완료",
                url=reverse("programs:consultations", args=[consultation.run_id]),
            )
        )
    return records


def attention_items(user) -> list[AttentionItem]:
    """For staff: today's sessions without attendance, and fair follow-ups still open. 2 queries."""
    if not has_role(user, Role.STAFF):
        return []
    today = timezone.localdate()
    items = []
    sessions = list(
        Session.objects.filter(date=today)
        .filter(Exists(Registration.objects.filter(run=OuterRef("run"))))
        .filter(~Exists(Attendance.objects.filter(session=OuterRef("pk"))))
        .values_list("run_id", flat=True)
    )
    if sessions:
        url = (
            reverse("programs:attendance", args=[sessions[0]])
            if len(set(sessions)) == 1
            else reverse("programs:index")
        )
        items.append(AttentionItem(label="오늘 교육 출석 미입력", count=len(sessions), url=url))
    open_follow_ups = Consultation.objects.filter(follow_up_needed=True, follow_up_done=False).count()
    if open_follow_ups:
        items.append(
            AttentionItem(
                label="상담회 후속 조치 미완료", count=open_follow_ups, url=reverse("programs:index")
            )
        )
    return items


def program_results_by_year(year: int) -> list[dict]:
    """Per program run in `year`: {"program": name, "participants": int, "completers": int}."""
    return [
        {
            "program": f"{run.name} ({run.get_half_display()})",
            "participants": run.registration_count,
            "completers": run.completers,
        }
        for run in runs_overview(year)
    ]


def years_with_runs() -> list[int]:
    return list(ProgramRun.objects.order_by("-year").values_list("year", flat=True).distinct())


def registration_counts_by_category(run: ProgramRun) -> list[tuple[str, int]]:
    rows = Registration.objects.filter(run=run).values("category").annotate(n=Count("pk")).order_by("-n")
    labels = dict(ApplicantCategory.choices)
    return [(labels.get(row["category"], row["category"]), row["n"]) for row in rows]


def _day(value) -> str:
    return f"{value.year}.{value.month}.{value.day}"


def program_card_runs(year: int) -> list[dict]:
    """The plan card's 경영지원사업 table for `year`, a row per run: 사업명, 운영일/장소, 참여대상 및
    인원, 내용, 비고 (the report's record table); 4 queries whatever the number of runs."""
    from django.db.models import prefetch_related_objects

    runs = runs_overview(year)
    prefetch_related_objects(runs, "partners", "co_host")
    rows = []
    for run in runs:
        if run.first_day and run.last_day and run.first_day != run.last_day:
            days = f"{_day(run.first_day)}~{run.last_day.month}.{run.last_day.day}"
        else:
            days = _day(run.first_day) if run.first_day else "일정 미정"
        people = f"{run.registration_count}명 참여"
        if run.has_completion:
            people += f", {run.completers}명 수료"
        partners = [org.name for org in run.partners.all()]
        notes = [f"{run.co_host.name}과 공동 개최"] if run.co_host else []
        notes += [", ".join(partners) + " 참여"] if partners else []
        notes += [run.note] if run.note else []
        rows.append(
            {
                "name": f"{run.name} ({run.get_half_display()})",
                "when_where": f"{days} / {run.place}",
                "audience": " ".join(part for part in (run.target_audience, people) if part),
                "content": run.curriculum_topics,
                "note": " · ".join(notes),
            }
        )
    return rows


def search(query: SearchQuery, user, limit: int) -> SearchGroup | None:
    """The header search's 참여자 group: registrations of people by name, or by phone when the
    query is a number (stored as digits; any part matches, e.g. the last four). One query."""
    from guro_sme.access_log import Subject

    if not has_role(user, Role.STAFF, Role.MANAGER):
        return None
    if query.digits:
        condition = Q(person__phone__contains=query.digits)
    else:
        condition = Q(person__name__icontains=query.text)
    registrations, has_more = take(
        Registration.objects.filter(condition, person__erased_at__isnull=True)
        .select_related("person", "run", "firm")
        .order_by("person__name", "-run__year", "pk"),
        limit,
    )
    hits = [
        SearchHit(
            title=f"{r.person.name} ({r.person.phone_display})",
            url=reverse("programs:run_detail", args=[r.run_id]),
            detail=f"{r.run.year}년 {r.run.get_half_display()} {r.run.name}"
            + (f" · {r.firm.name}" if r.firm else ""),
        )
        for r in registrations
    ]
    return SearchGroup(
        "programs",
        f"{PROGRAM_LABEL} 참여자",
        hits,
        has_more,
        subject=Subject.PARTICIPANT,
        record_ids=tuple(dict.fromkeys(r.person_id for r in registrations)),
    )
