"""The workflow, table-driven from its declaration (loans/workflow.py): every status × every action
is either allowed (and recorded) or refused."""

import datetime
from decimal import Decimal

import pytest

from guro_sme.roles import Role
from loans import services, workflow
from loans.models import ApplicationEvent, LoanApplication
from loans.services import ALLOWED_TRANSITIONS, LoanRuleError

from .conftest import ENTRY_DAY

S = LoanApplication.Status

# What a person enters for each action; the declaration says everything else.
ENTERED = {
    "submit": {"on_date": ENTRY_DAY},
    "reject": {"reason": "요건 미충족"},
    "select": {"amount_won": 90_000_000},
    "reserve": {"amount_won": None},
    "decline": {"amount_won": None},
    # The step under the committee's meeting_promote_reserve (which adds order, amount, budget).
    "promote": {"amount_won": 80_000_000, "reason": "예비 1순위"},
    "bank_approval": {
        "amount_won": 50_000_000,
        "bank_rate": Decimal("1.80"),
        "executed_on": datetime.date(2018, 3, 15),
    },
    "bank_rejection": {"reason": "담보 부족"},
    "withdraw": {"reason": "업체 요청"},
}
# A repayment acts on an installment, not a status alone: tests/loans/test_capacity_and_repayment.py.
# These cases use the district fund; the guarantee path's own actions: tests/loans/test_guarantee_path.py.
ACTIONS = [
    action
    for action in workflow.WORKFLOW
    if action.name != "repayment" and action.applies_to("district_fund")
]
CASES = [(status, action.name) for status in S.values for action in ACTIONS]


def _run(action_name, application, actor):
    return services.application_perform(
        application=application, action=action_name, actor=actor, **ENTERED.get(action_name, {})
    )


def _application_in(make_application, status):
    approved = 100_000_000 if status not in (S.DRAFT, S.RECEIVED, S.REVIEW, S.ON_AGENDA, S.REJECTED) else None
    return make_application(status=status, amount=100_000_000, approved_amount_won=approved)


def _actor_for(action, staff_user, manager_user):
    """A manager for the steps managers may take too (so their right is proven), else staff."""
    return manager_user if Role.MANAGER in action.roles else staff_user


@pytest.mark.parametrize("status, action_name", CASES)
def test_each_action_from_each_status_is_allowed_or_refused(
    make_application, staff_user, manager_user, status, action_name
):
    action = workflow.ACTIONS[action_name]
    (target,) = action.to_statuses
    application = _application_in(make_application, status)
    actor = _actor_for(action, staff_user, manager_user)
    if status in action.from_statuses:
        _run(action_name, application, actor)
        application.refresh_from_db()
        assert application.status == target
        event = ApplicationEvent.objects.get(application=application)
        assert (event.from_status, event.to_status, event.actor) == (status, target, actor)
        assert target in ALLOWED_TRANSITIONS[status]
    else:
        with pytest.raises(LoanRuleError) as caught:
            _run(action_name, application, actor)
        assert caught.value.message  # a Korean sentence for the user
        application.refresh_from_db()
        assert application.status == status
        assert ApplicationEvent.objects.count() == 0


def test_the_transition_table_names_every_status_and_closed_ones_go_nowhere():
    assert set(ALLOWED_TRANSITIONS) == set(S.values)
    for closed in (S.REJECTED, S.BANK_REJECTED, S.REPAID, S.WITHDRAWN):
        assert ALLOWED_TRANSITIONS[closed] == frozenset()


def test_the_declaration_is_sound_and_names_real_services():
    assert workflow.check_declaration() == []
    for action in workflow.WORKFLOW:
        assert callable(getattr(services, action.service)), action.name


@pytest.mark.parametrize("status", S.values)
def test_the_declared_path_reaches_each_status_from_a_draft(status):
    path = workflow.path_to(status)
    if path:
        assert status in path[-1].to_statuses
    current = S.DRAFT
    for action in path:
        assert current in action.from_statuses
        current = status if status in action.to_statuses else next(iter(action.to_statuses))


def test_an_undeclared_action_is_refused(make_application, staff_user):
    application = make_application(status=S.RECEIVED)
    with pytest.raises(LoanRuleError, match="알 수 없는 처리"):
        services.application_perform(application=application, action="approve_everything", actor=staff_user)
    assert ApplicationEvent.objects.count() == 0


ROLE_FIXTURES = {Role.STAFF: "staff_user", Role.MANAGER: "manager_user", Role.COMMITTEE: "committee_user"}
REFUSED_ROLES = [
    (action.name, role) for action in ACTIONS for role in Role.values if role not in action.roles
]


@pytest.mark.parametrize("action_name, role", REFUSED_ROLES)
def test_a_role_the_declaration_leaves_out_is_refused(make_application, request, action_name, role):
    action = workflow.ACTIONS[action_name]
    user = request.getfixturevalue(ROLE_FIXTURES[role])
    application = _application_in(make_application, next(iter(action.from_statuses)))
    with pytest.raises(LoanRuleError, match="권한이 없습니다"):
        _run(action_name, application, user)
    assert ApplicationEvent.objects.count() == 0


def test_managers_and_committee_members_are_refused_the_staff_steps():
    """The declaration itself: only staff run intake, review, referral, the bank's result."""
    staff_steps = {a.name for a in workflow.WORKFLOW if a.roles == {Role.STAFF}}
    assert staff_steps == {
        "promote",
        "submit",
        "start_review",
        "reject",
        "refer",
        "bank_approval",
        "bank_rejection",
        "repayment",
        "withdraw",
        "send_to_guarantor",
        "guarantee_approval",
        "guarantee_rejection",
    }
    assert not any(Role.COMMITTEE in a.roles for a in workflow.WORKFLOW)


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
