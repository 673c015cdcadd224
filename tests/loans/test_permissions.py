"""The loans side of the permission matrix: the workflow's declared roles decide the buttons, and
loans.permissions decides who may see an application."""

import pytest

from guro_sme.roles import Role
from loans import permissions as loan_permissions
from loans import workflow

ROLES = [Role.STAFF, Role.MANAGER, Role.COMMITTEE, None]


@pytest.mark.parametrize("role", ROLES, ids=[str(r) for r in ROLES])
def test_the_application_page_offers_only_the_actions_the_workflow_gives_the_role(
    make_user, make_application, role
):
    user = make_user(role)
    for status in workflow.ALLOWED_TRANSITIONS:
        application = make_application(status=status, firm=None)
        offered = workflow.actions_for(user, application)
        for action in offered:
            assert role in action.roles and status in action.from_statuses
            assert action.started_from == workflow.BUTTON
        expected = [
            a
            for a in workflow.WORKFLOW
            if a.started_from == workflow.BUTTON
            and a.starts_from(
                status, workflow.fund_kind_of(application), workflow.recommended_by_of(application)
            )
            and role
            in a.roles_for(workflow.fund_kind_of(application), workflow.recommended_by_of(application))
        ]
        assert offered == expected
        application.delete()


@pytest.mark.parametrize(
    ("role", "may_view"),
    [(Role.STAFF, True), (Role.MANAGER, True), (Role.COMMITTEE, False), (None, False)],
)
def test_who_may_view_an_application_that_is_on_no_agenda(make_user, make_application, role, may_view):
    application = make_application(status="review")
    user = make_user(role)
    assert loan_permissions.can_view_application(user, application) is may_view
