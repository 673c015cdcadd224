"""Rules and writes of the fund management committee (기금운용심의위원회).

The pure rules (quorum, majority, result, weighted score, ranking, who sees scores) are in
rules.py; what a meeting may still grant is selectors.meeting_available_won; who may see a meeting
or an application is permissions.py.
Writes (each checks who and whether, writes in one transaction and records a CommitteeAction):
  meeting_create, meeting_set_attendance, meeting_set_budget, item_set_amount, item_remove, item_recuse, item_score, item_vote,
  meeting_close, meeting_promote_reserve.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from guro_sme.errors import RuleError
from guro_sme.history import recorded_by
from guro_sme.korean import korean_name, particle
from guro_sme.money import format_amount
from guro_sme.roles import Role, has_role
from guro_sme.validators import normalize_business_number, validate_business_number
from loans import services as loan_services
from loans.models import LoanApplication, LoanFund

from .models import (
    AgendaItem,
    CommitteeAction,
    CommitteeMeeting,
    CompositionRule,
    ConflictFlag,
    InterestDeclaration,
    MeetingBudget,
    MemberProfile,
    Membership,
    MinutesConfirmation,
    Objection,
    Recusal,
    Score,
    Vote,
)
from .permissions import meetings_visible_to  # noqa: F401 - re-exported for older callers
from .rules import (  # noqa: F401 - the pure rules, re-exported for the callers that import them here
    Allocation,
    Candidate,
    RubricLine,
    composition_breaches,
    conflict_grounds,
    item_is_passed,
    item_result_for,
    meeting_has_quorum,
    member_may_see_scores,
    rank_and_allocate,
    weighted_average_score,
)
from .selectors import meeting_available_won, meeting_tallies


class CommitteeRuleError(RuleError):
    """A committee rule refused the action; `message` is the Korean text shown to the user."""


# ---------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------


def _record(*, meeting, actor, kind, item=None, application=None, detail: str = "") -> None:
    CommitteeAction.objects.create(
        meeting=meeting,
        item=item,
        application=application or (item.application if item is not None else None),
        actor=actor,
        kind=kind,
        detail=detail[:500],
    )


def _require_staff(actor) -> None:
    if not has_role(actor, Role.STAFF):
        raise CommitteeRuleError("담당자만 할 수 있습니다.")


def _require_open(meeting: CommitteeMeeting) -> None:
    if meeting.status != CommitteeMeeting.Status.OPEN:
        raise CommitteeRuleError("이미 종료된 회의입니다. 종료 후에는 바꿀 수 없습니다.")


def _locked_item(item: AgendaItem) -> AgendaItem:
    """The item with its meeting row locked, so nothing changes while the meeting is being closed."""
    item = AgendaItem.objects.select_related("meeting", "application").get(pk=item.pk)
    item.meeting = CommitteeMeeting.objects.select_for_update().get(pk=item.meeting_id)
    return item


def _require_sitting_member(item: AgendaItem, member) -> None:
    if not has_role(member, Role.COMMITTEE) or not item.meeting.memberships.filter(member=member).exists():
        raise CommitteeRuleError("이 회의의 위원만 할 수 있습니다.")


def _require_present(item: AgendaItem, member) -> None:
    """Only members recorded present take part: an absent member's score or vote would not count."""
    if not item.meeting.memberships.filter(member=member, present=True).exists():
        raise CommitteeRuleError(
            "출석으로 기록된 위원만 채점하거나 표결할 수 있습니다. 불참으로 기록되어 있으면 "
            "담당자에게 출석 기록을 요청하세요."
        )


def _require_not_recused(item: AgendaItem, member) -> None:
    if item.recusals.filter(member=member).exists():
        raise CommitteeRuleError("회피를 신청한 안건에는 채점하거나 표결할 수 없습니다.")
    flag = item.conflict_flags.filter(member=member).first()
    if flag is not None:
        raise CommitteeRuleError(
            f"이 안건에는 제척 사유가 확인되었습니다({flag.ground}). 채점·표결 전에 회피를 신청해야 합니다."
        )


def _composition(members, held_on) -> tuple[list, list[str]]:
    """The members' profiles and the composition rules they break (CompositionRule, the district's)."""
    profiles = {p.user_id: p for p in MemberProfile.objects.filter(user__in=[m.pk for m in members])}
    missing = [str(m) for m in members if m.pk not in profiles]
    if missing:
        raise CommitteeRuleError(
            f"위촉 정보(위원 구분·직위·임기)가 없는 위원이 있습니다: {', '.join(missing)}. 관리 화면에서 먼저 등록하세요."
        )
    ended = [
        f"{m} ({profiles[m.pk].term_ends_on:%Y.%m.%d} 임기 만료)"
        for m in members
        if not profiles[m.pk].serves_on(held_on)
    ]
    if ended:
        raise CommitteeRuleError(
            f"회의일에 임기 중이 아닌 위원은 회의에 넣을 수 없습니다: {', '.join(ended)}"
        )
    rule = CompositionRule.current()
    breaches = composition_breaches(
        members=[(profiles[m.pk].is_civil_servant, profiles[m.pk].committee_role) for m in members],
        numerator=rule.civilian_min_numerator,
        denominator=rule.civilian_min_denominator,
        require_chair=rule.require_chair,
    )
    return rule, breaches


def _enforce(rule, breaches: list[str], when: str) -> str:
    """Refuse (the district's rule says so) or return the warning to record on the meeting."""
    if not breaches:
        return ""
    if rule.enforcement == CompositionRule.Enforcement.REFUSE:
        raise CommitteeRuleError(f"위원회 구성 요건에 맞지 않아 {when}할 수 없습니다: " + "; ".join(breaches))
    return f"{when} 시 구성 요건 경고: " + "; ".join(breaches)


def _flag_conflicts(meeting: CommitteeMeeting, members) -> int:
    """Flag every agenda item matching a member's declared interests, name or address (제척)."""
    declarations = defaultdict(list)
    for declaration in InterestDeclaration.objects.filter(member__in=[m.pk for m in members]):
        declarations[declaration.member_id].append(declaration)
    addresses = dict(
        MemberProfile.objects.filter(user__in=[m.pk for m in members]).values_list("user_id", "address")
    )
    flags = []
    for item in meeting.items.select_related("application__firm"):
        for member in members:
            grounds = conflict_grounds(
                declarations=declarations.get(member.pk, []),
                member_name=korean_name(member),
                member_address=addresses.get(member.pk, ""),
                firm=item.application.firm,
            )
            if grounds:
                flags.append(ConflictFlag(item=item, member=member, ground="; ".join(grounds)[:300]))
    ConflictFlag.objects.bulk_create(flags)
    return len(flags)


def meeting_create(
    *,
    call,
    title: str,
    held_on,
    place: str = "",
    members: Iterable | None = None,
    starts_at=None,
    actor,
) -> CommitteeMeeting:
    """Create a meeting for a call. Members default to the call's committee (those whose term
    covers the meeting day); every application of the call in 요건검토 goes on the agenda (via the
    loans workflow, which moves it to 심의상정), and so does one already in 심의상정 that no open
    meeting has on its agenda yet (a held item does not count). So does a guarantee application
    waiting in 심의상정 that no open meeting has and no closed meeting passed: the ones staff put
    on the agenda, and the ones taken off or held at an earlier meeting (_leave_agenda). The district's composition rules are checked (refused or
    recorded as a warning), and every item matching a member's interests is flagged (제척)."""
    _require_staff(actor)
    with transaction.atomic(), recorded_by(actor):
        meeting = CommitteeMeeting.objects.create(
            call=call, title=title, held_on=held_on, place=place, starts_at=starts_at, created_by=actor
        )
        if members is not None:
            member_list = list(members)
        else:
            member_list = [
                m
                for m in call.committee_members.select_related("committee_profile")
                if not hasattr(m, "committee_profile") or m.committee_profile.serves_on(held_on)
            ]
        if not member_list:
            raise CommitteeRuleError("위원을 한 명 이상 지정하세요. (공고에 기본 심의위원이 없습니다)")
        not_members = [str(m) for m in member_list if not has_role(m, Role.COMMITTEE)]
        if not_members:
            raise CommitteeRuleError(
                f"심의위원 역할이 없는 사용자는 위원이 될 수 없습니다: {', '.join(not_members)}"
            )
        rule, breaches = _composition(member_list, held_on)
        meeting.composition_note = _enforce(rule, breaches, "회의 등록")[:500]
        if meeting.composition_note:
            meeting.save(update_fields=["composition_note"])
        bulk_create_with_history(
            [Membership(meeting=meeting, member=m) for m in member_list], Membership, default_user=actor
        )
        # A held item (보류) stays in its meeting's minutes but is not decided there.
        on_open_agenda = AgendaItem.objects.filter(
            application=OuterRef("pk"), meeting__status=CommitteeMeeting.Status.OPEN
        ).exclude(result=AgendaItem.Result.HELD)
        # A guarantee fund whose district has the committee recommend (구 추천) has no call: its
        # applications staff put on the agenda go to the next meeting, unless one already passed them.
        passed_before = AgendaItem.objects.filter(
            application=OuterRef("pk"),
            meeting__status=CommitteeMeeting.Status.CLOSED,
            result__in=[AgendaItem.Result.ORIGINAL, AgendaItem.Result.AMENDED],
        )
        guarantee_waiting = (
            Q(
                call__isnull=True,
                fund__kind=LoanFund.Kind.GUARANTEE,
                fund__recommended_by=LoanFund.RecommendedBy.COMMITTEE,
                status=LoanApplication.Status.ON_AGENDA,
            )
            & ~Exists(on_open_agenda)
            & ~Exists(passed_before)
        )
        applications = LoanApplication.objects.filter(
            Q(call=call)
            & (
                Q(status=LoanApplication.Status.REVIEW)
                | Q(status=LoanApplication.Status.ON_AGENDA) & ~Exists(on_open_agenda)
            )
            | guarantee_waiting
        ).order_by("pk")
        added = 0
        for order, application in enumerate(applications, start=1):
            if application.status == LoanApplication.Status.REVIEW:
                loan_services.application_put_on_agenda(application=application, actor=actor)
            AgendaItem.objects.create(
                meeting=meeting,
                application=application,
                order=order,
                committee_amount_won=application.requested_amount_won,
            )
            added = order
        flagged = _flag_conflicts(meeting, member_list)
        _record(
            meeting=meeting,
            actor=actor,
            kind=CommitteeAction.Kind.CREATE,
            detail=f"위원 {len(member_list)}명, 안건 {added}건 상정, 제척 사유 확인 {flagged}건"
            + (f"; {meeting.composition_note}" if meeting.composition_note else ""),
        )
    return meeting


def meeting_set_attendance(*, meeting: CommitteeMeeting, present_member_ids: Iterable[int], actor) -> None:
    """Record who is present (staff, while the meeting is open)."""
    _require_staff(actor)
    present = {int(pk) for pk in present_member_ids}
    with transaction.atomic():
        meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
        _require_open(meeting)
        memberships = list(meeting.memberships.all())
        unknown = present - {m.member_id for m in memberships}
        if unknown:
            raise CommitteeRuleError("이 회의의 위원이 아닌 사람은 출석으로 기록할 수 없습니다.")
        for membership in memberships:
            membership.present = membership.member_id in present
        bulk_update_with_history(memberships, Membership, ["present"], default_user=actor)
        _record(
            meeting=meeting,
            actor=actor,
            kind=CommitteeAction.Kind.ATTENDANCE,
            detail=f"재적 {len(memberships)}명 중 출석 {len(present)}명",
        )


def meeting_set_budget(*, meeting: CommitteeMeeting, fund, amount_won: int | None, actor) -> None:
    """Staff cap how much of a fund this meeting may grant (None removes the cap)."""
    _require_staff(actor)
    with transaction.atomic(), recorded_by(actor):
        meeting = (
            CommitteeMeeting.objects.select_for_update(of=("self",)).select_related("call").get(pk=meeting.pk)
        )
        _require_open(meeting)
        if not meeting.call.funds.filter(pk=fund.pk).exists():
            raise CommitteeRuleError(f"'{meeting.call}'에서 지원하지 않는 기금입니다.")
        if amount_won is None:
            MeetingBudget.objects.filter(meeting=meeting, fund=fund).delete()
            detail = f"{fund.name} 배정액 제한 없음"
        else:
            if amount_won <= 0:
                raise CommitteeRuleError("배정액은 0원보다 커야 합니다.")
            MeetingBudget.objects.update_or_create(
                meeting=meeting, fund=fund, defaults={"amount_won": amount_won}
            )
            detail = f"{fund.name} 이번 회의 배정액 {format_amount(amount_won)}"
        _record(meeting=meeting, actor=actor, kind=CommitteeAction.Kind.BUDGET, detail=detail)


def item_set_amount(*, item: AgendaItem, amount_won: int, actor) -> AgendaItem:
    """Staff enter the amount the committee agreed on (0 < amount ≤ requested) before closing."""
    _require_staff(actor)
    with transaction.atomic():
        item = _locked_item(item)
        _require_open(item.meeting)
        requested = item.application.requested_amount_won
        if not 0 < amount_won <= requested:
            raise CommitteeRuleError(
                f"의결 금액은 0원보다 크고 신청 금액({format_amount(requested)}) 이하여야 합니다."
            )
        item.committee_amount_won = amount_won
        item._history_user = actor
        item.save(update_fields=["committee_amount_won"])
        _record(
            meeting=item.meeting,
            item=item,
            actor=actor,
            kind=CommitteeAction.Kind.AMOUNT,
            detail=f"{item.application.firm} 의결 금액 {format_amount(amount_won)}",
        )
    return item


def waits_for_next_meeting(application: LoanApplication) -> bool:
    """Whether `application` reaches a meeting only from 심의상정: a guarantee application (no call)
    of a fund whose committee recommends. meeting_create's `guarantee_waiting` is the same test in
    the database; a call's application in 요건검토 is taken by its call's next meeting anyway."""
    fund = application.fund
    return (
        application.call_id is None
        and fund.kind == LoanFund.Kind.GUARANTEE
        and fund.recommended_by == LoanFund.RecommendedBy.COMMITTEE
    )


def _leave_agenda(*, application: LoanApplication, meeting: CommitteeMeeting, actor, reason: str) -> None:
    """An application still 심의상정 leaves `meeting` undecided (안건 제외 or 보류) through the loans
    workflow: back to 요건검토, where its call's next meeting takes it. A guarantee application
    without a call is taken only from 심의상정, so it is put straight back there, waiting for the
    next meeting: two timeline events, each with who, when and why."""
    if application.status != LoanApplication.Status.ON_AGENDA:
        return  # withdrawn meanwhile (or already moved): it just leaves the agenda
    loan_services.application_remove_from_agenda(application=application, actor=actor, reason=reason)
    if waits_for_next_meeting(application):
        loan_services.application_put_on_agenda(
            application=application,
            actor=actor,
            reason=f"다음 심의위원회 회의 안건으로 재상정 ({meeting.title}에서 의결하지 않음)",
        )


def item_remove(*, item: AgendaItem, actor, reason: str = "") -> None:
    """Take an application off an open meeting's agenda (staff). The loans workflow moves it back
    to 요건검토, where its call's next meeting takes it again; a guarantee application without a
    call goes straight back to 심의상정 for the next meeting (_leave_agenda). Its scores, votes and
    recusals go with the item, but not their audit rows: every CommitteeAction keeps the
    application, and the removal records what was given so far."""
    _require_staff(actor)
    with transaction.atomic(), recorded_by(actor):
        item = _locked_item(item)
        _require_open(item.meeting)
        application = item.application
        votes = list(item.votes.all())
        yes = sum(1 for v in votes if v.choice == Vote.Choice.YES)
        no = sum(1 for v in votes if v.choice == Vote.Choice.NO)
        scorers = item.scores.values("member").distinct().count()
        recusals = item.recusals.count()
        _record(
            meeting=item.meeting,
            item=item,
            actor=actor,
            kind=CommitteeAction.Kind.REMOVE,
            detail=f"{application.firm} 안건 제외"
            + (f": {reason}" if reason else "")
            + f" (제외 전 찬성 {yes}·반대 {no}, 채점 위원 {scorers}명, 회피 {recusals}명)",
        )
        held = item.result == AgendaItem.Result.HELD
        item.delete()
        # A held item already left the decision (and moved its application) when it was held.
        if not held:
            _leave_agenda(
                application=application,
                meeting=item.meeting,
                actor=actor,
                reason=f"{item.meeting.title} 안건에서 제외" + (f": {reason}" if reason else ""),
            )


def item_recuse(*, item: AgendaItem, member, reason: str) -> Recusal:
    """A member declares a conflict of interest (회피). Any score or vote they already gave on the
    item is withdrawn: from now on they take no part in it."""
    reason = (reason or "").strip()
    if not reason:
        raise CommitteeRuleError("회피 사유를 입력하세요.")
    with transaction.atomic():
        item = _locked_item(item)
        _require_open(item.meeting)
        _require_sitting_member(item, member)
        if item.recusals.filter(member=member).exists():
            raise CommitteeRuleError("이미 회피를 신청한 안건입니다.")
        Score.objects.filter(item=item, member=member).delete()
        Vote.objects.filter(item=item, member=member).delete()
        recusal = Recusal.objects.create(item=item, member=member, reason=reason)
        _record(
            meeting=item.meeting,
            item=item,
            actor=member,
            kind=CommitteeAction.Kind.RECUSE,
            detail=f"{item.application.firm}: {reason}",
        )
    return recusal


def item_score(*, item: AgendaItem, member, scores: Mapping[int, int]) -> list[Score]:
    """A member scores every rubric item of the call (rubric item id → score within 0..max).
    Scores can be changed until the meeting closes."""
    with transaction.atomic():
        item = _locked_item(item)
        _require_open(item.meeting)
        _require_sitting_member(item, member)
        _require_present(item, member)
        _require_not_recused(item, member)
        rubric = list(item.meeting.call.rubric_items.all())
        if not rubric:
            raise CommitteeRuleError("이 공고에는 평가항목이 없습니다.")
        missing = [r.name for r in rubric if scores.get(r.pk) is None]
        if missing:
            raise CommitteeRuleError(f"모든 평가항목을 채점하세요: {', '.join(missing)}")
        saved = []
        for rubric_item in rubric:
            value = int(scores[rubric_item.pk])
            if not 0 <= value <= rubric_item.max_score:
                raise CommitteeRuleError(
                    f"{rubric_item.name} 점수는 0점부터 {rubric_item.max_score}점까지입니다."
                )
            score, _ = Score.objects.update_or_create(
                item=item,
                member=member,
                rubric_item=rubric_item,
                defaults={"score": value, "max_score": rubric_item.max_score},
            )
            saved.append(score)
        _record(
            meeting=item.meeting,
            item=item,
            actor=member,
            kind=CommitteeAction.Kind.SCORE,
            detail=f"{item.application.firm}: "
            + ", ".join(f"{r.name} {scores[r.pk]}/{r.max_score}" for r in rubric),
        )
    return saved


def item_vote(*, item: AgendaItem, member, choice: str, comment: str = "") -> Vote:
    """A member present votes 찬성/반대/기권 with a comment; changeable until the meeting closes."""
    if choice not in Vote.Choice.values:
        raise CommitteeRuleError("찬성, 반대, 기권 중 하나를 선택하세요.")
    with transaction.atomic():
        item = _locked_item(item)
        _require_open(item.meeting)
        _require_sitting_member(item, member)
        _require_present(item, member)
        _require_not_recused(item, member)
        vote, _ = Vote.objects.update_or_create(
            item=item, member=member, defaults={"choice": choice, "comment": (comment or "").strip()}
        )
        _record(
            meeting=item.meeting,
            item=item,
            actor=member,
            kind=CommitteeAction.Kind.VOTE,
            detail=f"{item.application.firm}: {vote.get_choice_display()}",
        )
    return vote


def meeting_close(*, meeting: CommitteeMeeting, actor) -> CommitteeMeeting:
    """Close the meeting and decide every item (staff or manager).

    Refused without a quorum. Each item passes by a majority of its non-recused members present;
    passed items are ranked by weighted average score and granted down the ranking while their fund
    has money left for the call (meeting_available_won); the rest become reserves in
    rank order; failed items are rejected. Every decision goes through the loans workflow
    (application_decide), all in one transaction: either every item is decided or none.
    """
    if not has_role(actor, Role.STAFF, Role.MANAGER):
        raise CommitteeRuleError("회의 종료는 담당자 또는 관리자만 할 수 있습니다.")
    with transaction.atomic():
        meeting = (
            CommitteeMeeting.objects.select_for_update(of=("self",)).select_related("call").get(pk=meeting.pk)
        )
        _require_open(meeting)
        memberships = list(meeting.memberships.all())
        present = {m.member_id for m in memberships if m.present}
        if not meeting_has_quorum(member_count=len(memberships), present_count=len(present)):
            needed = len(memberships) // 2 + 1
            raise CommitteeRuleError(
                f"의사정족수에 미달하여 회의를 종료할 수 없습니다: 재적 {len(memberships)}명 중 "
                f"출석 {len(present)}명입니다. 과반수인 {needed}명 이상 출석해야 합니다."
            )
        pending = Objection.objects.filter(item__meeting=meeting, decision=Objection.Decision.PENDING)
        if pending.exists():
            names = ", ".join(
                f"{korean_name(o.member)}({o.item.application.firm})"
                for o in pending.select_related("item__application__firm", "member")
            )
            raise CommitteeRuleError(f"의결하지 않은 기피 신청이 있어 종료할 수 없습니다: {names}")
        present_members = [
            m.member for m in meeting.memberships.select_related("member").filter(present=True)
        ]
        rule, breaches = _composition(present_members, meeting.held_on)
        warning = _enforce(rule, breaches, "회의 종료")
        if warning:
            meeting.composition_note = "; ".join(filter(None, [meeting.composition_note, warning]))[:500]
        # 보류 items left the decision when staff held them (back to 요건검토 for a later meeting).
        items = list(
            meeting.items.exclude(result=AgendaItem.Result.HELD)
            .select_related("application__fund", "application__firm")
            .prefetch_related("recusals", "votes", "scores")
        )
        stale = [i for i in items if i.application.status != LoanApplication.Status.ON_AGENDA]
        if stale:
            names = ", ".join(f"{i.application.firm}({i.application.get_status_display()})" for i in stale)
            raise CommitteeRuleError(
                f"심의상정 상태가 아닌 안건이 있어 종료할 수 없습니다: {names}. 안건에서 제외한 뒤 종료하세요."
            )
        # Guarantee items are decided by the vote but not granted from the call's funds: the
        # recommendation (구 추천) that follows is recorded by staff with this meeting.
        guarantee = {item.pk for item in items if item.application.fund.is_guarantee}
        tallies = meeting_tallies(meeting, items)
        candidates = []
        for item in items:
            tally = tallies[item.pk]
            item.yes_count, item.no_count, item.abstain_count = tally.yes, tally.no, tally.abstain
            item.eligible_count = tally.eligible
            item.average_score = tally.average_score
            requested = item.application.requested_amount_won
            amount = item.committee_amount_won or requested
            passed = item_is_passed(yes_count=tally.yes, eligible_count=tally.eligible)
            item.result = item_result_for(passed=passed, requested_won=requested, committee_amount_won=amount)
            item.rank = item.reserve_rank = item.approved_amount_won = None
            if passed and item.pk in guarantee:
                item.approved_amount_won = amount
            elif passed:
                candidates.append(
                    Candidate(item.pk, item.application.fund_id, amount, item.average_score, item.order)
                )
        funds = {i.application.fund_id: i.application.fund for i in items if i.pk not in guarantee}
        available = {
            fund_id: meeting_available_won(meeting=meeting, fund=fund) for fund_id, fund in funds.items()
        }
        allocations = {
            a.key: a for a in rank_and_allocate(candidates=candidates, available_by_fund=available)
        }

        for item in items:
            application = item.application
            allocation = allocations.get(item.pk)
            amount = item.committee_amount_won or application.requested_amount_won
            votes_text = (
                f"찬성 {item.yes_count}·반대 {item.no_count}·기권 {item.abstain_count} "
                f"(의결 참여 {item.eligible_count}명)"
            )
            if item.pk in guarantee:
                if item.approved_amount_won is None:  # not passed: back to 요건검토 (탈락 or 재상정)
                    loan_services.application_remove_from_agenda(
                        application=application, actor=actor, reason=f"{meeting.title} 부결: {votes_text}"
                    )
                continue
            if allocation is None:
                outcome, approved = LoanApplication.Status.REJECTED, None
                reason = f"{meeting.title} 부결: {votes_text}"
            elif allocation.granted:
                outcome, approved = LoanApplication.Status.SELECTED, amount
                item.rank, item.approved_amount_won = allocation.rank, amount
                reason = f"{meeting.title} {item.get_result_display()} ({allocation.rank}위): {votes_text}"
            else:
                outcome, approved = LoanApplication.Status.RESERVE, amount
                item.rank, item.reserve_rank = allocation.rank, allocation.reserve_rank
                reason = f"{meeting.title} 가결, 기금 잔액 부족으로 예비 {allocation.reserve_rank}순위"
            loan_services.application_decide(
                application=application,
                outcome=outcome,
                approved_amount_won=approved,
                actor=actor,
                reason=reason,
            )
        bulk_update_with_history(
            items,
            AgendaItem,
            [
                "result",
                "approved_amount_won",
                "average_score",
                "rank",
                "reserve_rank",
                "yes_count",
                "no_count",
                "abstain_count",
                "eligible_count",
            ],
            default_user=actor,
        )
        meeting.status = CommitteeMeeting.Status.CLOSED
        meeting.closed_by = actor
        meeting.closed_at = timezone.now()
        meeting._history_user = actor
        meeting.quorum_note = f"재적 {len(memberships)}명 중 {len(present)}명 출석 (과반수 출석으로 성원)"
        meeting.save(update_fields=["status", "closed_by", "closed_at", "quorum_note", "composition_note"])
        selected = sum(1 for a in allocations.values() if a.granted)
        reserves = len(allocations) - selected
        _record(
            meeting=meeting,
            actor=actor,
            kind=CommitteeAction.Kind.CLOSE,
            detail=f"{meeting.quorum_note}; 안건 {len(items)}건: 선정 {selected}, 예비선정 {reserves}, "
            f"부결 {len(items) - len(guarantee) - len(allocations)}"
            + (
                f", 보증특례 구 추천 가결 {sum(1 for i in items if i.pk in guarantee and i.approved_amount_won)}"
                f"/{len(guarantee)}"
                if guarantee
                else ""
            ),
        )
    return meeting


def reserve_item_of(application) -> AgendaItem | None:
    """The closed meeting's agenda item that made `application` a reserve (its latest), if any."""
    return (
        AgendaItem.objects.select_related("meeting")
        .filter(
            application=application,
            reserve_rank__isnull=False,
            meeting__status=CommitteeMeeting.Status.CLOSED,
        )
        .order_by("-meeting__held_on", "-meeting_id")
        .first()
    )


def meeting_promote_reserve(
    *, meeting: CommitteeMeeting, actor, application=None, approved_amount_won: int | None = None
) -> AgendaItem:
    """The one way a reserve (예비선정) becomes selected (staff), when money frees up:

    - in reserve order: the meeting's lowest reserve rank still 예비선정 (`application`, when
      given, must be that one);
    - with the committee's agreed amount (`approved_amount_won`, when given, must equal it);
    - within what the meeting may still grant from the fund: its budget less what it granted,
      and never more than the fund has left (meeting_available_won).
    Each refusal names the rule in Korean; nothing is written then.
    """
    _require_staff(actor)
    with transaction.atomic():
        meeting = (
            CommitteeMeeting.objects.select_for_update(of=("self",)).select_related("call").get(pk=meeting.pk)
        )
        if meeting.status != CommitteeMeeting.Status.CLOSED:
            raise CommitteeRuleError("회의를 종료한 뒤에 예비선정 업체를 선정할 수 있습니다.")
        item = (
            meeting.items.select_related("application__fund", "application__firm")
            .filter(reserve_rank__isnull=False, application__status=LoanApplication.Status.RESERVE)
            .order_by("reserve_rank")
            .first()
        )
        if item is None:
            raise CommitteeRuleError("선정할 예비선정 업체가 없습니다.")
        if application is not None and application.pk != item.application_id:
            raise CommitteeRuleError(
                f"예비 순위대로 선정합니다: 먼저 예비 {item.reserve_rank}순위 {item.application.firm}{particle(item.application.firm, '을')} "
                "선정하거나 취하 처리하세요."
            )
        application = item.application
        agreed = item.committee_amount_won or application.requested_amount_won
        if approved_amount_won is not None and approved_amount_won != agreed:
            raise CommitteeRuleError(
                f"예비선정 업체는 위원회가 의결한 금액({format_amount(agreed)})으로만 선정할 수 있습니다."
            )
        available = meeting_available_won(meeting=meeting, fund=application.fund)
        if agreed > available:
            raise CommitteeRuleError(
                f"이 회의가 {application.fund}에서 더 선정할 수 있는 금액({format_amount(available)})이 "
                f"예비 {item.reserve_rank}순위 {application.firm}의 의결 금액({format_amount(agreed)})보다 "
                "적어 선정할 수 없습니다. (회의 배정액과 기금 잔액 중 적은 금액)"
            )
        loan_services.reserve_mark_selected(
            application=application,
            approved_amount_won=agreed,
            actor=actor,
            reason=f"{meeting.title} 예비 {item.reserve_rank}순위 선정 (의결 금액)",
        )
        item.approved_amount_won = agreed
        item._history_user = actor
        item.save(update_fields=["approved_amount_won"])
        _record(
            meeting=meeting,
            item=item,
            actor=actor,
            kind=CommitteeAction.Kind.PROMOTE,
            detail=f"예비 {item.reserve_rank}순위 {application.firm} 선정: {format_amount(agreed)}",
        )
    return item


def item_hold(*, item: AgendaItem, reason: str, actor) -> AgendaItem:
    """보류: the committee defers an item (staff record it, with the reason). It stays in the
    minutes, is not decided at closing, and the application goes back for a later meeting through
    the loans workflow (_leave_agenda: 요건검토, or 심의상정 for a guarantee application)."""
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise CommitteeRuleError("보류 사유를 입력하세요.")
    with transaction.atomic(), recorded_by(actor):
        item = _locked_item(item)
        _require_open(item.meeting)
        if item.result == AgendaItem.Result.HELD:
            raise CommitteeRuleError("이미 보류한 안건입니다.")
        item.result, item.hold_reason = AgendaItem.Result.HELD, reason[:300]
        item.save(update_fields=["result", "hold_reason"])
        _leave_agenda(
            application=item.application,
            meeting=item.meeting,
            actor=actor,
            reason=f"{item.meeting.title} 보류: {reason}",
        )
        _record(
            meeting=item.meeting,
            item=item,
            actor=actor,
            kind=CommitteeAction.Kind.HOLD,
            detail=f"{item.application.firm} 보류: {reason}",
        )
    return item


def _require_minutes_editable(meeting: CommitteeMeeting) -> None:
    if meeting.minutes_frozen_at is not None:
        raise CommitteeRuleError("위원이 확인한 회의록은 확정되어 고칠 수 없습니다.")


def minutes_record(
    *, meeting: CommitteeMeeting, starts_at, ends_at, items: Mapping[int, tuple[str, str]], actor
) -> None:
    """Staff write the minutes: opening and closing time, and per item the summary of remarks
    (발언요지) and the conditions attached to the decision. Refused once a member confirmed them."""
    _require_staff(actor)
    if starts_at and ends_at and ends_at < starts_at:
        raise CommitteeRuleError("폐회 시각은 개회 시각보다 늦어야 합니다.")
    with transaction.atomic(), recorded_by(actor):
        meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
        _require_minutes_editable(meeting)
        meeting.starts_at, meeting.ends_at = starts_at, ends_at
        meeting.save(update_fields=["starts_at", "ends_at"])
        rows = list(meeting.items.filter(pk__in=list(items)))
        for row in rows:
            summary, conditions = items[row.pk]
            row.discussion_summary, row.conditions = summary.strip(), conditions.strip()[:500]
        AgendaItem.objects.bulk_update(rows, ["discussion_summary", "conditions"])
        _record(
            meeting=meeting,
            actor=actor,
            kind=CommitteeAction.Kind.MINUTES,
            detail=f"회의록 입력: 안건 {len(rows)}건",
        )


def minutes_confirm(*, meeting: CommitteeMeeting, member) -> MinutesConfirmation:
    """A member who attended confirms the closed meeting's minutes (who, when); from the first
    confirmation on the minutes are frozen."""
    with transaction.atomic(), recorded_by(member):
        meeting = CommitteeMeeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.is_open:
            raise CommitteeRuleError("회의를 종료한 뒤에 회의록을 확인할 수 있습니다.")
        if not meeting.memberships.filter(member=member, present=True).exists():
            raise CommitteeRuleError("회의에 출석한 위원만 회의록을 확인할 수 있습니다.")
        if MinutesConfirmation.objects.filter(meeting=meeting, member=member).exists():
            raise CommitteeRuleError("이미 회의록을 확인했습니다.")
        confirmation = MinutesConfirmation.objects.create(meeting=meeting, member=member)
        if meeting.minutes_frozen_at is None:
            meeting.minutes_frozen_at = confirmation.confirmed_at
            meeting.save(update_fields=["minutes_frozen_at"])
        _record(meeting=meeting, actor=member, kind=CommitteeAction.Kind.CONFIRM, detail="회의록 확인")
    return confirmation


def objection_record(*, item: AgendaItem, member, reason: str, actor) -> Objection:
    """Staff record an applicant's objection to a member (기피 신청); the committee decides it."""
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise CommitteeRuleError("기피 사유를 입력하세요.")
    with transaction.atomic(), recorded_by(actor):
        item = _locked_item(item)
        _require_open(item.meeting)
        if not item.meeting.memberships.filter(member=member).exists():
            raise CommitteeRuleError("이 회의의 위원에 대해서만 기피를 신청할 수 있습니다.")
        objection = Objection.objects.create(item=item, member=member, reason=reason[:300], recorded_by=actor)
        _record(
            meeting=item.meeting,
            item=item,
            actor=actor,
            kind=CommitteeAction.Kind.OBJECTION,
            detail=f"{item.application.firm}: {korean_name(member)} 기피 신청 ({reason})",
        )
    return objection


def objection_decide(
    *, objection: Objection, accepted: bool, yes_count: int, no_count: int, actor
) -> Objection:
    """Record the committee's decision on an objection with its vote. Accepted: the member is
    recused from the item (their score and vote on it withdrawn), the ground named in the minutes."""
    _require_staff(actor)
    if yes_count < 0 or no_count < 0:
        raise CommitteeRuleError("표결 수는 0 이상이어야 합니다.")
    with transaction.atomic(), recorded_by(actor):
        objection = Objection.objects.select_related("item__application__firm", "member").get(pk=objection.pk)
        item = _locked_item(objection.item)
        _require_open(item.meeting)
        if objection.decision != Objection.Decision.PENDING:
            raise CommitteeRuleError("이미 의결한 기피 신청입니다.")
        present = item.meeting.memberships.filter(present=True).exclude(member=objection.member).count()
        if yes_count + no_count > present:
            raise CommitteeRuleError(
                f"표결 수(찬성 {yes_count}, 반대 {no_count})가 출석 위원 수({present}명)보다 많습니다."
            )
        if accepted != (yes_count * 2 > present):
            raise CommitteeRuleError(
                f"출석 위원 {present}명 중 찬성 {yes_count}명이면 {'인용' if yes_count * 2 > present else '기각'}입니다."
            )
        objection.decision = Objection.Decision.ACCEPTED if accepted else Objection.Decision.DISMISSED
        objection.yes_count, objection.no_count = yes_count, no_count
        objection.decided_by, objection.decided_at = actor, timezone.now()
        objection.save()
        if accepted and not item.recusals.filter(member=objection.member).exists():
            Score.objects.filter(item=item, member=objection.member).delete()
            Vote.objects.filter(item=item, member=objection.member).delete()
            Recusal.objects.create(
                item=item, member=objection.member, reason=f"기피 인용: {objection.reason}"[:200]
            )
        _record(
            meeting=item.meeting,
            item=item,
            actor=actor,
            kind=CommitteeAction.Kind.OBJECTION_DECIDE,
            detail=f"{item.application.firm}: {korean_name(objection.member)} 기피 {objection.get_decision_display()} "
            f"(찬성 {yes_count}, 반대 {no_count})",
        )
    return objection


# ---------------------------------------------------------------------------------------------
# Members: appointment (위촉 정보) and declared interests (이해관계 신고)
# ---------------------------------------------------------------------------------------------


def _require_staff_or_manager(actor) -> None:
    if not has_role(actor, Role.STAFF, Role.MANAGER):
        raise CommitteeRuleError("담당자 또는 관리자만 할 수 있습니다.")


def member_profile_save(
    *,
    member,
    kind: str,
    committee_role: str,
    appointed_on,
    term_ends_on=None,
    affiliation: str = "",
    address: str = "",
    actor,
) -> MemberProfile:
    """Create or change a member's appointment (kind, affiliation, committee role, term, address);
    each change is a history row naming `actor`. Meetings already held keep what they checked."""
    _require_staff_or_manager(actor)
    if not has_role(member, Role.COMMITTEE):
        raise CommitteeRuleError("심의위원 역할이 있는 사용자만 위촉 정보를 둘 수 있습니다.")
    if kind not in MemberProfile.Kind.values:
        raise CommitteeRuleError("위원 구분을 목록에서 고르세요.")
    if committee_role not in MemberProfile.CommitteeRole.values:
        raise CommitteeRuleError("위원회 직위를 목록에서 고르세요.")
    if appointed_on is None:
        raise CommitteeRuleError("위촉일을 입력하세요.")
    if term_ends_on is not None and term_ends_on < appointed_on:
        raise CommitteeRuleError("임기 만료일은 위촉일보다 빠를 수 없습니다.")
    with transaction.atomic(), recorded_by(actor):
        profile = MemberProfile.objects.select_for_update().filter(user=member).first()
        profile = profile or MemberProfile(user=member)
        profile.kind, profile.committee_role = kind, committee_role
        profile.appointed_on, profile.term_ends_on = appointed_on, term_ends_on
        profile.affiliation, profile.address = affiliation.strip()[:100], address.strip()[:200]
        profile._history_user = actor
        profile.save()
    return profile


def interest_declare(
    *,
    member,
    relation: str,
    business_number: str = "",
    firm_name: str = "",
    representative: str = "",
    note: str = "",
    actor,
) -> InterestDeclaration:
    """Record a member's declared interest (by business number, or by firm name and representative)."""
    _require_staff_or_manager(actor)
    if not has_role(member, Role.COMMITTEE):
        raise CommitteeRuleError("심의위원의 이해관계만 신고할 수 있습니다.")
    if relation not in InterestDeclaration.Relation.values:
        raise CommitteeRuleError("관계를 목록에서 고르세요.")
    firm_name, representative = firm_name.strip(), representative.strip()
    digits = ""
    if business_number.strip():
        try:
            validate_business_number(business_number)
        except ValidationError as error:
            raise CommitteeRuleError(error.messages[0]) from error
        digits = normalize_business_number(business_number)
    if not digits and not firm_name:
        raise CommitteeRuleError("사업자등록번호 또는 회사명을 입력하세요.")
    with transaction.atomic(), recorded_by(actor):
        declaration = InterestDeclaration(
            member=member,
            relation=relation,
            business_number=digits,
            firm_name=firm_name[:100],
            representative=representative[:50],
            note=note.strip()[:200],
        )
        declaration._history_user = actor
        declaration.save()
    return declaration


def interest_withdraw(*, declaration: InterestDeclaration, actor) -> None:
    """Withdraw a declaration (it no longer flags new meetings); its history keeps it and who."""
    _require_staff_or_manager(actor)
    with transaction.atomic(), recorded_by(actor):
        declaration._history_user = actor
        declaration.delete()
