"""The workflow, table-driven: every status × every action is either allowed (and recorded) or refused."""

import datetime
from decimal import Decimal

import pytest

from loans import services
from loans.models import ApplicationEvent, LoanApplication
from loans.services import ALLOWED_TRANSITIONS, LoanRuleError

S = LoanApplication.Status

# action → (the call, the statuses it starts from, the status it leads to)
ACTIONS = {
    "start_review": (
        lambda a, u: services.application_start_review(application=a, actor=u),
        {S.RECEIVED},
        S.REVIEW,
    ),
    "put_on_agenda": (
        lambda a, u: services.application_put_on_agenda(application=a, actor=u),
        {S.REVIEW},
        S.ON_AGENDA,
    ),
    "remove_from_agenda": (
        lambda a, u: services.application_remove_from_agenda(application=a, actor=u),
        {S.ON_AGENDA},
        S.REVIEW,
    ),
    "reject_in_review": (
        lambda a, u: services.application_reject_in_review(application=a, actor=u, reason="요건 미충족"),
        {S.REVIEW},
        S.REJECTED,
    ),
    "decide_selected": (
        lambda a, u: services.application_decide(
            application=a, outcome=S.SELECTED, approved_amount_won=90_000_000, actor=u
        ),
        {S.ON_AGENDA},
        S.SELECTED,
    ),
    "decide_reserve": (
        lambda a, u: services.application_decide(
            application=a, outcome=S.RESERVE, approved_amount_won=None, actor=u
        ),
        {S.ON_AGENDA},
        S.RESERVE,
    ),
    "decide_rejected": (
        lambda a, u: services.application_decide(
            application=a, outcome=S.REJECTED, approved_amount_won=None, actor=u
        ),
        {S.ON_AGENDA},
        S.REJECTED,
    ),
    # The step under the committee's meeting_promote_reserve (which adds order, amount, budget).
    "promote_reserve": (
        lambda a, u: services.reserve_mark_selected(
            application=a, approved_amount_won=80_000_000, actor=u, reason="예비 1순위"
        ),
        {S.RESERVE},
        S.SELECTED,
    ),
    "refer": (
        lambda a, u: services.application_refer_to_bank(application=a, actor=u),
        {S.SELECTED},
        S.REFERRED,
    ),
    "bank_approval": (
        lambda a, u: services.application_record_bank_approval(
            application=a,
            executed_amount_won=50_000_000,
            bank_rate=Decimal("1.80"),
            executed_on=datetime.date(2018, 3, 15),
            actor=u,
        ),
        {S.REFERRED},
        S.EXECUTED,
    ),
    "bank_rejection": (
        lambda a, u: services.application_record_bank_rejection(application=a, reason="담보 부족", actor=u),
        {S.REFERRED},
        S.BANK_REJECTED,
    ),
    "withdraw": (
        lambda a, u: services.application_withdraw(application=a, actor=u, reason="업체 요청"),
        {S.DRAFT, S.RECEIVED, S.REVIEW, S.ON_AGENDA, S.RESERVE, S.SELECTED, S.REFERRED},
        S.WITHDRAWN,
    ),
}

CASES = [(status, action) for status in S.values for action in ACTIONS]


def _application_in(make_application, status):
    approved = 100_000_000 if status not in (S.DRAFT, S.RECEIVED, S.REVIEW, S.ON_AGENDA, S.REJECTED) else None
    return make_application(status=status, amount=100_000_000, approved_amount_won=approved)


@pytest.mark.parametrize("status, action", CASES)
def test_each_action_from_each_status_is_allowed_or_refused(
    make_application, staff_user, manager_user, status, action
):
    call, sources, target = ACTIONS[action]
    application = _application_in(make_application, status)
    actor = manager_user if action.startswith("decide") else staff_user
    if status in sources:
        call(application, actor)
        application.refresh_from_db()
        assert application.status == target
        event = ApplicationEvent.objects.get(application=application)
        assert (event.from_status, event.to_status, event.actor) == (status, target, actor)
        assert target in ALLOWED_TRANSITIONS[status]
    else:
        with pytest.raises(LoanRuleError) as caught:
            call(application, actor)
        assert caught.value.message  # a Korean sentence for the user
        application.refresh_from_db()
        assert application.status == status
        assert ApplicationEvent.objects.count() == 0


def test_the_transition_table_names_every_status_and_closed_ones_go_nowhere():
    assert set(ALLOWED_TRANSITIONS) == set(S.values)
    for closed in (S.REJECTED, S.BANK_REJECTED, S.REPAID, S.WITHDRAWN):
        assert ALLOWED_TRANSITIONS[closed] == frozenset()


@pytest.mark.parametrize("action", [a for a in ACTIONS if not a.startswith(("decide", "put_on", "remove"))])
def test_managers_and_committee_members_cannot_run_staff_steps(
    make_application, manager_user, committee_user, action
):
    call, sources, _ = ACTIONS[action]
    application = _application_in(make_application, next(iter(sources)))
    for user in (manager_user, committee_user):
        with pytest.raises(LoanRuleError, match="권한이 없습니다"):
            call(application, user)
    assert ApplicationEvent.objects.count() == 0


@pytest.mark.parametrize(
    "action", ["decide_selected", "promote_reserve", "put_on_agenda", "remove_from_agenda"]
)
def test_committee_members_cannot_decide_or_set_the_agenda(make_application, committee_user, action):
    call, sources, _ = ACTIONS[action]
    application = _application_in(make_application, next(iter(sources)))
    with pytest.raises(LoanRuleError, match="권한이 없습니다"):
        call(application, committee_user)


@pytest.mark.parametrize("amount", [None, 0, 100_000_001])
def test_selection_needs_an_amount_above_zero_and_within_the_request(make_application, manager_user, amount):
    application = make_application(status=S.ON_AGENDA, amount=100_000_000)
    with pytest.raises(LoanRuleError):
        services.application_decide(
            application=application, outcome=S.SELECTED, approved_amount_won=amount, actor=manager_user
        )
    application.refresh_from_db()
    assert application.status == S.ON_AGENDA


def test_the_committee_may_approve_a_lower_amount_and_the_event_keeps_it(make_application, manager_user):
    application = make_application(status=S.ON_AGENDA, amount=100_000_000)
    services.application_decide(
        application=application,
        outcome=S.SELECTED,
        approved_amount_won=70_000_000,
        actor=manager_user,
        reason="수정가결",
    )
    assert application.status == S.SELECTED  # the caller's instance is updated too
    assert application.approved_amount_won == 70_000_000
    event = application.events.get()
    assert (event.amount_won, event.reason) == (70_000_000, "수정가결")


def test_an_unknown_outcome_is_refused(make_application, manager_user):
    application = make_application(status=S.ON_AGENDA)
    with pytest.raises(LoanRuleError, match="선정, 예비선정, 탈락"):
        services.application_decide(
            application=application, outcome=S.REPAID, approved_amount_won=1, actor=manager_user
        )


def test_rejection_in_review_needs_a_reason(make_application, staff_user):
    application = make_application(status=S.REVIEW)
    with pytest.raises(LoanRuleError, match="탈락 사유를 입력하세요"):
        services.application_reject_in_review(application=application, actor=staff_user, reason=" ")


def test_a_call_refers_all_its_selected_applications_at_once(make_application, staff_user, loan_call):
    selected = [make_application(status=S.SELECTED, approved_amount_won=100_000_000) for _ in range(3)]
    make_application(status=S.REVIEW)
    services.call_refer_to_bank(call=loan_call, actor=staff_user)
    assert {a.status for a in LoanApplication.objects.filter(pk__in=[a.pk for a in selected])} == {S.REFERRED}
    with pytest.raises(LoanRuleError, match="통보할 선정 신청이 없습니다"):
        services.call_refer_to_bank(call=loan_call, actor=staff_user)
