"""Reads of the committee: the home page's attention items and the agenda as each user may see it.

Every function here costs a constant number of queries, whatever the number of items or members.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Sum
from django.urls import reverse

from guro_sme.korean import korean_name
from guro_sme.queries import count_of
from guro_sme.roles import Role, has_role
from guro_sme.support import AttentionItem, SupportRecord
from loans.selectors import COMMITTED_STATUSES, CommitteeDecision, fund_available_won

from .models import AgendaItem, CommitteeMeeting, MeetingBudget, Membership, Recusal, Score, Vote
from .rules import RubricLine, meeting_has_quorum, member_may_see_scores, weighted_average_score


def application_decisions(application) -> list[CommitteeDecision]:
    """What each closed meeting decided on `application` (held items left the decision), latest
    first: for loans (registered in apps.py), whose guarantee 구 추천 follows such a decision."""
    items = (
        AgendaItem.objects.filter(application=application, meeting__status=CommitteeMeeting.Status.CLOSED)
        .exclude(result__in=["", AgendaItem.Result.HELD])
        .select_related("meeting")
        .order_by("-meeting__held_on", "-meeting_id")
    )
    return [
        CommitteeDecision(
            meeting_id=item.meeting_id,
            label=f"{item.meeting.title} ({item.meeting.held_on:%Y.%m.%d})",
            passed=item.result in (AgendaItem.Result.ORIGINAL, AgendaItem.Result.AMENDED),
            amount_won=item.approved_amount_won,
            text=f"{item.get_result_display()}: 찬성 {item.yes_count or 0}·반대 {item.no_count or 0}·"
            f"기권 {item.abstain_count or 0} (의결 참여 {item.eligible_count or 0}명)",
        )
        for item in items
    ]


def application_open_agendas(application) -> list[str]:
    """The open meetings that have `application` on their agenda to decide (a held item does not
    count), soonest first: for loans (registered in apps.py), whose application page says so."""
    items = (
        AgendaItem.objects.filter(application=application, meeting__status=CommitteeMeeting.Status.OPEN)
        .exclude(result=AgendaItem.Result.HELD)
        .select_related("meeting")
        .order_by("meeting__held_on", "meeting_id")
    )
    return [f"{item.meeting.title} ({item.meeting.held_on:%Y.%m.%d})" for item in items]


def firm_support(firm) -> list[SupportRecord]:
    return []  # the loans app lists applications and their results


def _waiting_for_vote(user):
    """Items of open meetings the user sits on, with neither their vote nor their recusal."""
    return (
        AgendaItem.objects.filter(
            meeting__status=CommitteeMeeting.Status.OPEN,
            meeting__memberships__member=user,
        )
        .exclude(Exists(Vote.objects.filter(item=OuterRef("pk"), member=user)))
        .exclude(Exists(Recusal.objects.filter(item=OuterRef("pk"), member=user)))
    )


def attention_items(user) -> list[AttentionItem]:
    """For a member: open meetings' agenda items still waiting for their vote; for staff and
    managers: meetings still open (to record attendance and close). One query each."""
    items = []
    if has_role(user, Role.COMMITTEE):
        count = _waiting_for_vote(user).count()
        if count:
            items.append(AttentionItem(label="심의할 안건", count=count, url=reverse("loans:meeting_list")))
    if has_role(user, Role.STAFF, Role.MANAGER):
        count = CommitteeMeeting.objects.filter(status=CommitteeMeeting.Status.OPEN).count()
        if count:
            items.append(
                AttentionItem(label="의결 전 심의위원회 회의", count=count, url=reverse("loans:meeting_list"))
            )
    return items


MEETINGS_PER_PAGE = 20


def meeting_list_page(meetings, user, page_number):
    """One page of meetings with their counts: members, present, items, and the user's items
    waiting for a vote. A constant number of queries, however many meetings there are."""

    # Subqueries, not Count() over joins: a member's list is already filtered on their own
    # membership row, and a join would count only that row (위원 1 / 출석 1 for every meeting).
    meetings = (
        meetings.select_related("call")
        .annotate(
            member_count=count_of(Membership, "meeting"),
            present_count=count_of(Membership, "meeting", present=True),
            item_count=count_of(AgendaItem, "meeting"),
        )
        .order_by("-held_on", "-pk")
    )
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(page_number)
    waiting = defaultdict(int)
    if has_role(user, Role.COMMITTEE):
        on_page = [meeting.pk for meeting in page.object_list]
        for meeting_id in (
            _waiting_for_vote(user).filter(meeting__in=on_page).values_list("meeting_id", flat=True)
        ):
            waiting[meeting_id] += 1
    for meeting in page.object_list:
        meeting.waiting_count = waiting.get(meeting.pk, 0)
    return page


@dataclass(frozen=True)
class Tally:
    """An item's count as the committee decides it: only members present and not recused count.

    Every screen, PDF and export reads this (meeting_tallies), and meeting_close stores it."""

    yes: int
    no: int
    abstain: int
    eligible: int  # members present and not recused
    average_score: Decimal | None
    recused: tuple = ()  # the item's Recusal rows (member, reason)

    @property
    def not_voted(self) -> int:
        return self.eligible - self.yes - self.no - self.abstain


def item_tally(*, rubric_lines, present_ids, recusals, votes, scores) -> Tally:
    """The tally of one item from its rows (pure): votes and scores of members who are present and
    not recused; the average is services.weighted_average_score over those scores."""
    recused_ids = {r.member_id for r in recusals}
    counting = set(present_ids) - recused_ids
    counted = [v for v in votes if v.member_id in counting]
    return Tally(
        yes=sum(1 for v in counted if v.choice == Vote.Choice.YES),
        no=sum(1 for v in counted if v.choice == Vote.Choice.NO),
        abstain=sum(1 for v in counted if v.choice == Vote.Choice.ABSTAIN),
        eligible=len(counting),
        average_score=weighted_average_score(
            rubric=rubric_lines,
            scores=[(s.rubric_item_id, s.score) for s in scores if s.member_id in counting],
        ),
        recused=tuple(recusals),
    )


def rubric_lines(rubric):
    return [RubricLine(r.pk, Decimal(r.weight), int(r.max_score)) for r in rubric]


def present_member_ids(meeting: CommitteeMeeting) -> set[int]:
    return set(meeting.memberships.filter(present=True).values_list("member_id", flat=True))


def meeting_tallies(
    meeting: CommitteeMeeting,
    items=None,
    *,
    rubric=None,
    present=None,
    recusals=None,
    votes=None,
    scores=None,
) -> dict[int, Tally]:
    """Item id → Tally for every agenda item (items prefetched by meeting_items, or fetched here;
    the call's rubric items, the present member ids, and item id → the items' recusals, votes and
    scores (score_rows) when the caller has read them otherwise): a few queries, whatever the
    agenda's size."""
    items = list(meeting_items(meeting)) if items is None else items
    lines = rubric_lines(meeting.call.rubric_items.all() if rubric is None else rubric)
    present = present_member_ids(meeting) if present is None else present
    return {
        item.pk: item_tally(
            rubric_lines=lines,
            present_ids=present,
            recusals=list(item.recusals.all()) if recusals is None else recusals[item.pk],
            votes=list(item.votes.all()) if votes is None else votes[item.pk],
            scores=list(item.scores.all()) if scores is None else scores[item.pk],
        )
        for item in items
    }


def score_rows(**filters) -> defaultdict:
    """Item id → the item's scores as plain rows (member_id, rubric_item_id, score): a page of
    twenty items holds hundreds of scores, too many to build as model instances. One query."""
    rows = defaultdict(list)
    for score in Score.objects.filter(**filters).values_list(
        "item_id", "member_id", "rubric_item_id", "score", named=True
    ):
        rows[score.item_id].append(score)
    return rows


@dataclass
class MemberScores:
    member: object
    name: str  # korean_name(member)
    scores: dict  # rubric item id → score
    total: int = 0
    # The grid's cells in the rubric's order, as the page writes them ("-" for no score): worked
    # out here, not with a filter in each of the page's hundreds of cells.
    cells: list = field(default_factory=list)


@dataclass
class AgendaRow:
    """One agenda item as the current user may see it."""

    item: AgendaItem
    recusal: Recusal | None = None  # the viewing member's own
    my_flag: object = None  # the viewing member's 제척 flag on the item, if any
    my_vote: Vote | None = None
    my_scores: dict = field(default_factory=dict)
    my_scores_complete: bool = False
    my_scores_in_rubric_order: list = field(default_factory=list)
    can_see_scores: bool = False
    scores_by_member: list[MemberScores] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    recusals: list[Recusal] = field(default_factory=list)
    tally: Tally | None = None  # None: the viewing member may not see the count (yet)

    @property
    def amount_won(self) -> int:
        return self.item.committee_amount_won or self.item.application.requested_amount_won


def meeting_result_items(meeting):
    """The items with their firm and fund, for the results page (their tallies:
    meeting_result_tallies)."""
    return meeting.items.select_related("application__firm", "application__fund").order_by("order", "pk")


def meeting_result_tallies(meeting: CommitteeMeeting, items) -> dict[int, Tally]:
    """meeting_tallies for pages that show counts and averages, not names (the results page): the
    votes and scores of every item read as plain rows, not thousands of model instances. The
    recusals stay model rows (Tally.recused; a handful). A few queries, whatever the agenda's size."""
    recusals, votes = defaultdict(list), defaultdict(list)
    for recusal in Recusal.objects.filter(item__meeting=meeting).only("id", "item_id", "member_id"):
        recusals[recusal.item_id].append(recusal)
    for vote in Vote.objects.filter(item__meeting=meeting).values_list(
        "item_id", "member_id", "choice", named=True
    ):
        votes[vote.item_id].append(vote)
    return meeting_tallies(
        meeting, items, recusals=recusals, votes=votes, scores=score_rows(item__meeting=meeting)
    )


def meeting_items(meeting):
    return (
        meeting.items.select_related("application__firm", "application__fund", "application__call")
        .prefetch_related(
            "recusals__member",
            "votes__member",
            "scores__member",
            "application__documents",
            "conflict_flags__member",
            "objections__member",
        )
        .order_by("order", "pk")
    )


AGENDA_PER_PAGE = 20


def agenda_items(meeting: CommitteeMeeting, *, member_view: bool):
    """The items with what the agenda page shows: the documents to a member, the objections to
    staff and managers. Votes come without their members' rows (the page names only members
    present, whom meeting_memberships has already read); scores are meeting_agenda's score_rows."""
    lookups = [
        "recusals__member",
        "conflict_flags__member",
        Prefetch("votes", queryset=Vote.objects.only("id", "item_id", "member_id", "choice", "comment")),
        "application__documents" if member_view else "objections__member",
    ]
    return (
        meeting.items.select_related("application__firm", "application__fund", "application__call")
        .prefetch_related(*lookups)
        .order_by("order", "pk")
    )


def meeting_agenda_page(meeting: CommitteeMeeting, page_number, *, member_view: bool = False):
    """One page of the agenda, its items prefetched for that page only: a hundred-item meeting
    costs the same on a phone as a small one."""
    return Paginator(agenda_items(meeting, member_view=member_view), AGENDA_PER_PAGE).get_page(page_number)


def meeting_agenda(
    meeting: CommitteeMeeting, user, items=None, memberships=None
) -> tuple[list, list[AgendaRow]]:
    """The rubric and one row per agenda item (`items`, a page of agenda_items; every item by
    default), with what `user` may see; `memberships` are meeting_memberships, if the caller has them.

    Staff and managers see every score and vote. A member sees nothing of an item they recused
    from, and others' scores and the count only after submitting their own scores or once the
    meeting is closed (services.member_may_see_scores). Counts come from meeting_tallies.
    """
    rubric = list(meeting.call.rubric_items.order_by("order", "pk"))
    reader = has_role(user, Role.STAFF, Role.MANAGER)
    items = list(agenda_items(meeting, member_view=not reader) if items is None else items)
    memberships = meeting_memberships(meeting) if memberships is None else memberships
    present = {m.member_id for m in memberships if m.present}
    # Only present members' scores and votes count, so every one shown is by a member of the meeting.
    members = {m.member_id: m.member for m in memberships}
    scores = score_rows(item_id__in=[item.pk for item in items])
    tallies = meeting_tallies(meeting, items, rubric=rubric, present=present, scores=scores)
    rows = []
    for item in items:
        recusals = list(item.recusals.all())
        counting = present - {r.member_id for r in recusals}
        row = AgendaRow(item=item, recusals=recusals)
        row.recusal = next((r for r in recusals if r.member_id == user.pk), None)
        row.my_flag = next((f for f in item.conflict_flags.all() if f.member_id == user.pk), None)
        row.my_scores = {s.rubric_item_id: s.score for s in scores[item.pk] if s.member_id == user.pk}
        row.my_scores_complete = bool(rubric) and all(r.pk in row.my_scores for r in rubric)
        row.my_scores_in_rubric_order = [(r, row.my_scores.get(r.pk)) for r in rubric]
        row.my_vote = next((v for v in item.votes.all() if v.member_id == user.pk), None)
        if reader:
            row.can_see_scores = True
        else:
            row.can_see_scores = member_may_see_scores(
                recused=row.recusal is not None,
                own_scores_complete=row.my_scores_complete or not meeting.is_open,
            )
        if row.can_see_scores:
            by_member = {}
            for s in scores[item.pk]:
                if s.member_id in counting:
                    by_member.setdefault(s.member_id, {})[s.rubric_item_id] = s.score
            row.scores_by_member = sorted(
                (
                    MemberScores(
                        member=members[member_id],
                        name=korean_name(members[member_id]),
                        scores=given,
                        total=sum(given.values()),
                        cells=["-" if given.get(r.pk) is None else str(given[r.pk]) for r in rubric],
                    )
                    for member_id, given in by_member.items()
                ),
                key=lambda entry: entry.name,
            )
            row.votes = [v for v in item.votes.all() if v.member_id in counting]
            for vote in row.votes:
                vote.member = members[vote.member_id]
            row.tally = tallies[item.pk]
        rows.append(row)
    return rubric, rows


def meeting_memberships(meeting: CommitteeMeeting) -> list[Membership]:
    return list(meeting.memberships.select_related("member__committee_profile"))


def recusals_of_member(meeting: CommitteeMeeting, member) -> set[int]:
    return set(Recusal.objects.filter(item__meeting=meeting, member=member).values_list("item_id", flat=True))


def meeting_fund_rows(meeting: CommitteeMeeting) -> list[dict]:
    """The call's funds with what is left, the meeting's budget and what the meeting may still grant
    (a few queries per fund; a call offers two or three funds, whatever the agenda's size)."""
    budgets = {b.fund_id: b.amount_won for b in MeetingBudget.objects.filter(meeting=meeting)}
    rows = []
    for fund in meeting.call.funds.order_by("kind", "name"):
        # Worked out once: the guarantee fund's capacity reads every loan of its pool.
        left = fund_available_won(fund=fund)
        rows.append(
            {
                "fund": fund,
                "left_won": left,
                "budget_won": budgets.get(fund.pk),
                "available_won": _within_budget(
                    meeting=meeting, fund=fund, available=left, budget_won=budgets.get(fund.pk)
                ),
            }
        )
    return rows


def meeting_available_won(*, meeting: CommitteeMeeting, fund) -> int:
    """What the meeting may still grant from `fund`: what the fund has left for the call
    (loans.selectors.fund_available_won), capped by the meeting's budget for that fund, if staff set
    one, less what this meeting has already granted from it."""
    budget = MeetingBudget.objects.filter(meeting=meeting, fund=fund).first()
    return _within_budget(
        meeting=meeting,
        fund=fund,
        available=fund_available_won(fund=fund),
        budget_won=None if budget is None else budget.amount_won,
    )


def _within_budget(*, meeting: CommitteeMeeting, fund, available: int, budget_won: int | None) -> int:
    if budget_won is None:
        return available
    granted = AgendaItem.objects.filter(
        meeting=meeting, application__fund=fund, application__status__in=COMMITTED_STATUSES
    ).aggregate(total=Sum("application__approved_amount_won"))["total"]
    return max(0, min(available, budget_won - int(granted or 0)))


def packet_pdf(meeting: CommitteeMeeting, member) -> bytes:
    """A member's printable packet (심의 자료): every item but those they recused from."""
    from guro_sme.documents import render_pdf
    from guro_sme.models import DistrictProfile

    recused = recusals_of_member(meeting, member)
    return render_pdf(
        "loans/committee/packet_pdf.html",
        {
            "meeting": meeting,
            "member": member,
            "items": [i for i in meeting_items(meeting) if i.pk not in recused],
            "recused_count": len(recused),
            "rubric": list(meeting.call.rubric_items.order_by("order", "pk")),
            "district": DistrictProfile.current(),
        },
    )


def attendance_by_kind(memberships) -> list[dict]:
    """Attendees and absentees grouped by member kind (공무원, 민간 전문가, 구의원 …) for the minutes."""
    from .models import MemberProfile

    groups: dict[str, dict] = {}
    for m in memberships:
        profile = getattr(m.member, "committee_profile", None)
        kind = profile.get_kind_display() if profile else "구분 미등록"
        entry = SimpleNamespace(
            member=m.member,
            member_id=m.member_id,
            role=profile.get_committee_role_display() if profile else "",
        )
        group = groups.setdefault(kind, {"kind": kind, "present": [], "absent": []})
        group["present" if m.present else "absent"].append(entry)
    order = [label for _, label in MemberProfile.Kind.choices]
    return sorted(groups.values(), key=lambda g: order.index(g["kind"]) if g["kind"] in order else len(order))


def quorum_text(memberships) -> str:
    """The quorum check as the minutes state it (rules.meeting_has_quorum)."""
    present = sum(1 for m in memberships if m.present)
    needed = len(memberships) // 2 + 1
    ok = meeting_has_quorum(member_count=len(memberships), present_count=present)
    return f"재적 {len(memberships)}명 중 {present}명 출석: 의사정족수(과반수 {needed}명) " + (
        "충족, 성원" if ok else "미달"
    )


def committee_members():
    """Every user with the committee role, with their appointment (None if not yet entered)."""
    return (
        get_user_model()
        .objects.filter(groups__name=Role.COMMITTEE)
        .select_related("committee_profile")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def committee_member_rows() -> list:
    """The members page: each member, their appointment and how many interests they declared."""
    members = list(committee_members().annotate(interest_count=Count("interest_declarations", distinct=True)))
    for member in members:
        member.profile = getattr(member, "committee_profile", None)
    return members
