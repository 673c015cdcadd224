"""A reserve (예비선정) is promoted by one service only: meeting_promote_reserve, with the committee's
agreed amount, in reserve order, within the meeting's budget and the fund's remaining money.
Every other path is refused with a Korean message and writes nothing."""

import pytest
from django.urls import reverse

from loans import services as loan_services
from loans.committee import services
from loans.committee.models import CommitteeAction
from loans.committee.services import CommitteeRuleError
from loans.models import ApplicationEvent, LoanApplication

S = LoanApplication.Status


def _close_with_reserves(c, values):
    c.attend(*c.members)
    for item, value in zip(c.items, values, strict=True):
        c.vote(item, c.members)
        c.score(item, c.members[0], value)
    return c.close()


@pytest.fixture
def budgeted(make_committee):
    """The auditor's case: a 100,000,000원 meeting budget; the top firm takes 100,000,000원, the
    second (agreed at 120,000,000원 of 160,000,000원 requested) becomes reserve 1."""
    c = make_committee(members=3, requested=[100_000_000, 160_000_000], allocation=1_000_000_000)
    services.meeting_set_budget(meeting=c.meeting, fund=c.fund, amount_won=100_000_000, actor=c.staff)
    services.item_set_amount(item=c.items[1], amount_won=120_000_000, actor=c.staff)
    return _close_with_reserves(c, [9, 8])


def _nothing_written(c, item):
    assert c.status_of(item) == S.RESERVE
    assert not CommitteeAction.objects.filter(kind=CommitteeAction.Kind.PROMOTE).exists()
    assert not ApplicationEvent.objects.filter(
        application_id=item.application_id, to_status=S.SELECTED
    ).exists()


def test_the_application_page_refuses_to_promote_a_reserve(client, budgeted):
    reserve = budgeted.items[1]
    assert budgeted.status_of(reserve) == S.RESERVE
    client.force_login(budgeted.staff)
    url = reverse("loans:application_action", args=[reserve.application_id])
    page = client.get(reverse("loans:application_detail", args=[reserve.application_id])).content.decode()
    assert 'value="promote"' not in page and "심의 결과 화면에서 예비 순위대로" in page
    response = client.post(url, {"action": "promote", "approved_amount_won": "160000000"}, follow=True)
    assert loan_services.REFUSED_PROMOTION in response.content.decode()
    _nothing_written(budgeted, reserve)


def test_a_different_amount_than_the_committees_is_refused(budgeted):
    loan_services.application_withdraw(application=budgeted.items[0].application, actor=budgeted.staff)
    for amount in (160_000_000, 50_000_000):
        with pytest.raises(CommitteeRuleError, match=r"의결한 금액\(120,000,000원\)으로만"):
            services.meeting_promote_reserve(
                meeting=budgeted.meeting, actor=budgeted.staff, approved_amount_won=amount
            )
    _nothing_written(budgeted, budgeted.items[1])


def test_more_than_the_meetings_budget_is_refused_even_when_the_fund_has_money(budgeted):
    # The top firm withdraws: 100,000,000원 of the budget is free, still less than the 120,000,000원 agreed.
    loan_services.application_withdraw(application=budgeted.items[0].application, actor=budgeted.staff)
    with pytest.raises(CommitteeRuleError, match=r"더 선정할 수 있는 금액\(100,000,000원\)"):
        services.meeting_promote_reserve(meeting=budgeted.meeting, actor=budgeted.staff)
    _nothing_written(budgeted, budgeted.items[1])


def test_more_than_the_fund_has_left_is_refused(make_committee):
    c = make_committee(members=3, requested=[100_000_000, 100_000_000], allocation=100_000_000)
    c = _close_with_reserves(c, [9, 8])
    with pytest.raises(CommitteeRuleError, match=r"더 선정할 수 있는 금액\(0원\)"):
        services.meeting_promote_reserve(meeting=c.meeting, actor=c.staff)
    _nothing_written(c, c.items[1])


def test_reserves_are_promoted_in_reserve_order_only(make_committee):
    c = make_committee(members=3, requested=[100_000_000] * 3, allocation=100_000_000)
    c = _close_with_reserves(c, [9, 8, 7])
    first, second = c.items[1], c.items[2]
    assert (first.reserve_rank, second.reserve_rank) == (1, 2)
    loan_services.application_withdraw(application=c.items[0].application, actor=c.staff)
    with pytest.raises(CommitteeRuleError, match="먼저 예비 1순위"):
        services.meeting_promote_reserve(meeting=c.meeting, actor=c.staff, application=second.application)
    assert c.status_of(second) == S.RESERVE
    promoted = services.meeting_promote_reserve(meeting=c.meeting, actor=c.staff)
    assert promoted.pk == first.pk
    application = LoanApplication.objects.get(pk=first.application_id)
    assert (application.status, application.approved_amount_won) == (S.SELECTED, 100_000_000)
    action = CommitteeAction.objects.get(kind=CommitteeAction.Kind.PROMOTE)
    assert (action.actor, action.application_id) == (c.staff, first.application_id)


def test_only_staff_promote(budgeted):
    loan_services.application_withdraw(application=budgeted.items[0].application, actor=budgeted.staff)
    for user in (budgeted.manager, budgeted.members[0]):
        with pytest.raises(CommitteeRuleError, match="담당자만"):
            services.meeting_promote_reserve(meeting=budgeted.meeting, actor=user)
    _nothing_written(budgeted, budgeted.items[1])


def test_the_workflow_step_under_the_service_refuses_what_the_fund_cannot_pay(make_committee):
    # Even the low-level step keeps the fund's remainder (it locks the fund row).
    c = make_committee(members=3, requested=[100_000_000, 100_000_000], allocation=100_000_000)
    c = _close_with_reserves(c, [9, 8])
    with pytest.raises(loan_services.LoanRuleError, match="남은 재원"):
        loan_services.reserve_mark_selected(
            application=c.items[1].application, approved_amount_won=100_000_000, actor=c.staff, reason="x"
        )


def test_the_results_page_button_promotes_at_the_agreed_amount(client, budgeted):
    loan_services.application_withdraw(application=budgeted.items[0].application, actor=budgeted.staff)
    client.force_login(budgeted.staff)
    url = reverse("loans:meeting_results", args=[budgeted.meeting.pk])
    assert "예비 1순위" in client.get(url).content.decode()
    # A typed amount in the request is ignored: the form has none, the service takes the committee's.
    response = client.post(
        reverse("loans:meeting_promote", args=[budgeted.meeting.pk]),
        {"approved_amount_won": "160000000"},
        follow=True,
    )
    assert "100,000,000원" in response.content.decode()  # refused: the budget left is 100,000,000원
    assert budgeted.status_of(budgeted.items[1]) == S.RESERVE


def test_removing_an_item_keeps_its_audit_rows_and_records_the_removal(make_committee):
    c = make_committee(members=3, requested=[100_000_000, 100_000_000])
    item = c.items[0]
    c.attend(*c.members)
    c.vote(item, c.members[:2])
    c.score(item, c.members[0], 7)
    services.item_recuse(item=item, member=c.members[2], reason="대표자와 친족")
    before = CommitteeAction.objects.filter(application=item.application).count()
    assert before == 4  # two votes, one score, one recusal
    services.item_remove(item=item, actor=c.staff, reason="서류 보완")
    rows = CommitteeAction.objects.filter(application=item.application)
    assert rows.count() == before + 1
    assert all(row.item_id is None for row in rows)
    removal = rows.get(kind=CommitteeAction.Kind.REMOVE)
    assert removal.actor == c.staff
    assert "서류 보완" in removal.detail and "찬성 2·반대 0, 채점 위원 1명, 회피 1명" in removal.detail
