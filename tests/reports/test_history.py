"""The investment plan's amounts and the yearly targets keep who, when, old and new; managers read
the trail on the plan card's page."""

import html
import re

from reports.models import InvestmentAmount

from .test_plan_edit import _formset_data, _row_index


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_an_investment_amount_change_is_kept_and_managers_read_it_on_the_plan_page(
    client, staff_user, manager_user, plan, figures
):
    client.force_login(staff_user)
    response = client.get("/reports/plan/investment/")
    index = _row_index(response, "중소기업 마케팅 지원사업 · 2018년 · 구비(기금포함)")
    assert (
        client.post(
            "/reports/plan/investment/", _formset_data(response, {f"rows-{index}-amount_million": "32.5"})
        ).status_code
        == 302
    )

    amount = InvestmentAmount.objects.get(line__name="중소기업 마케팅 지원사업", year=2018)
    change = amount.history.get()
    assert (change.history_type, change.amount_won, change.history_user) == ("~", 32_500_000, staff_user)

    assert "변경 이력" not in text(client.get("/reports/plan/"))  # staff: not their reading
    client.force_login(manager_user)
    body = text(client.get("/reports/plan/"))
    assert "변경 이력" in body
    assert "투자계획 금액 중소기업 마케팅 지원사업 2018 구비(기금포함)" in body
    # The fixture's rows predate their history: the old value is marked as not recorded.
    assert "금액(원): (기록 전) → 32,500,000원" in body


def test_a_target_change_shows_old_and_new_once_history_exists(
    client, staff_user, manager_user, plan, figures
):
    client.force_login(staff_user)
    for value in ("35", "40"):
        response = client.get("/reports/plan/targets/")
        index = _row_index(response, "중소기업 마케팅 지원사업(업체수) · 2022년")
        client.post("/reports/plan/targets/", _formset_data(response, {f"rows-{index}-target": value}))
    client.force_login(manager_user)
    body = text(client.get("/reports/plan/"))
    assert "목표: 35 → 40" in body
