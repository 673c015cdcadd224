"""Staff keep the plan data up to date; totals follow, nothing is typed twice."""

from decimal import Decimal

import pytest

from guro_sme.support import YearlyFigure
from reports.models import HistoricalResult, IndicatorTarget, InvestmentAmount, PlanCard
from reports.services import year_report_build


def _formset_data(response, changes: dict[str, str]) -> dict:
    """The formset's current values as POST data, with some fields changed."""
    formset = response.context["formset"]
    data = {
        "rows-TOTAL_FORMS": str(formset.total_form_count()),
        "rows-INITIAL_FORMS": str(formset.initial_form_count()),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
    }
    for form in formset:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else str(value)
    data.update(changes)
    return data


def _row_index(response, label: str) -> int:
    for index, form in enumerate(response.context["formset"]):
        if form.row_label == label:
            return index
    raise AssertionError(label)


def test_staff_change_a_yearly_target(staff_client, plan, figures):
    response = staff_client.get("/reports/plan/targets/")
    index = _row_index(response, "중소기업 마케팅 지원사업(업체수) · 2022년")
    response = staff_client.post(
        "/reports/plan/targets/", _formset_data(response, {f"rows-{index}-target": "35"})
    )
    assert response.status_code == 302
    assert IndicatorTarget.objects.get(indicator__name__startswith="중소기업 마케팅", year=2022).target == 35
    assert year_report_build(year=2022).indicators[1].targets == [20, 20, 25, 25, 35]
    plan.refresh_from_db()
    assert plan.updated_by.username == "staff" and plan.updated_at is not None


def test_staff_enter_investment_amounts_in_millions_and_the_totals_follow(staff_client, plan, figures):
    response = staff_client.get("/reports/plan/investment/")
    index = _row_index(response, "중소기업 마케팅 지원사업 · 2018년 · 구비(기금포함)")
    assert response.context["formset"][index]["amount_million"].value() == 30
    data = _formset_data(response, {f"rows-{index}-amount_million": "32.5"})
    assert staff_client.post("/reports/plan/investment/", data).status_code == 302
    amount = InvestmentAmount.objects.get(line__name="중소기업 마케팅 지원사업", year=2018)
    assert amount.amount_won == 32_500_000
    investment = year_report_build(year=2018).investment
    assert investment.totals.amounts[0] == 5_232_500_000
    assert investment.totals.total == 26_672_500_000


def test_a_bad_amount_is_refused_in_korean_and_nothing_changes(staff_client, plan, figures):
    response = staff_client.get("/reports/plan/investment/")
    data = _formset_data(response, {"rows-0-amount_million": "-5", "rows-1-amount_million": "abc"})
    response = staff_client.post("/reports/plan/investment/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "0보다 크거나 같아야 합니다" in body or "0 이상" in body
    assert "숫자를 입력하세요" in body
    assert sorted(InvestmentAmount.objects.values_list("amount_won", flat=True))[-1] == 5_360_000_000


def test_staff_correct_a_historical_result_and_the_mismatch_goes_away(staff_client, plan, figures):
    response = staff_client.get("/reports/plan/results/")
    index = _row_index(response, "중소기업 마케팅 지원 사업 · '18년 상반기")
    assert "amount_million" not in response.context["formset"][index].fields  # no amounts for marketing
    data = _formset_data(response, {f"rows-{index}-firms": "0"})
    assert staff_client.post("/reports/plan/results/", data).status_code == 302
    assert HistoricalResult.objects.get(series__name="중소기업 마케팅 지원 사업", year=2018).firms == 0
    report = year_report_build(year=2018)
    assert report.results[1].sum_firms == 19
    assert report.mismatches == []


def test_staff_edit_the_plan_card_text_and_stated_total(staff_client, plan, figures):
    response = staff_client.get("/reports/plan/edit/")
    assert response.context["form"]["stated_total_million"].value() == 26670
    data = {
        k: ("" if v is None else v)
        for k, v in response.context["form"].initial.items()
        if k in response.context["form"].fields
    }
    data.update({"policy_goal": "새 정책목표", "stated_total_million": "26000"})
    response = staff_client.post("/reports/plan/edit/", data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.policy_goal == "새 정책목표"
    assert plan.stated_total_won == 26_000_000_000
    assert [m.label for m in year_report_build(year=2018).mismatches][-1] == "총사업비와 연도별 투자계획 총계"


def test_a_term_that_ends_before_it_starts_is_refused(staff_client, plan, figures):
    response = staff_client.get("/reports/plan/edit/")
    data = {
        k: ("" if v is None else v)
        for k, v in response.context["form"].initial.items()
        if k in response.context["form"].fields
    }
    data.update({"start_year": "2022", "end_year": "2018", "stated_total_million": "26670"})
    response = staff_client.post("/reports/plan/edit/", data)
    assert response.status_code == 200
    assert "종료연도는 시작연도와 같거나 뒤여야 합니다." in response.content.decode()
    plan.refresh_from_db()
    assert (plan.start_year, plan.end_year) == (2018, 2022)


@pytest.mark.parametrize(
    "url", ["/reports/plan/targets/", "/reports/plan/investment/", "/reports/plan/results/"]
)
def test_managers_cannot_post_plan_changes(manager_client, plan, url):
    assert manager_client.post(url, {"rows-TOTAL_FORMS": "0", "rows-INITIAL_FORMS": "0"}).status_code == 403


def test_the_plan_page_shows_the_card_and_its_texts(manager_client, plan, figures):
    body = manager_client.get("/reports/plan/").content.decode()
    assert "임기내완료" in body and "기획예산과, 재무과, 우리은행, 신용보증재단" in body
    assert "주민배심원단 권고안" in body and "4차산업 관련 전문직업훈련 강화" in body
    assert "SBA와 기업지원 센터" in body
    assert "카드 수정" not in body  # managers read only


def test_loading_the_demo_twice_changes_nothing(plan):
    from reports import demo

    before = {
        m.__name__: list(m.objects.order_by("pk").values())
        for m in (PlanCard, IndicatorTarget, InvestmentAmount, HistoricalResult)
    }
    demo.load()
    after = {
        m.__name__: list(m.objects.order_by("pk").values())
        for m in (PlanCard, IndicatorTarget, InvestmentAmount, HistoricalResult)
    }
    assert after == before


def test_amounts_show_in_millions_without_exponents():
    from reports.forms import won_to_million

    assert [won_to_million(v) for v in (5_200_000_000, 30_000_000, 32_500_000, 1_000, None)] == [
        5200,
        30,
        Decimal("32.5"),
        Decimal("0.001"),
        None,
    ]
    assert str(won_to_million(5_200_000_000)) == "5200"


def test_staff_link_a_programme_to_another_indicator_and_line_and_the_report_follows(
    staff_client, plan, figures
):
    from reports.models import ProgrammeLink

    kotra = ProgrammeLink.objects.get(programme="kotra")
    links = list(ProgrammeLink.objects.order_by("pk"))
    data = {"rows-TOTAL_FORMS": str(len(links)), "rows-INITIAL_FORMS": str(len(links))}
    for index, link in enumerate(links):
        data[f"rows-{index}-id"] = str(link.pk)
        data[f"rows-{index}-indicator"] = str(link.indicator_id or "")
        data[f"rows-{index}-investment_line"] = str(link.investment_line_id or "")
        if link.pk == kotra.pk:
            data[f"rows-{index}-indicator"] = ""
            data[f"rows-{index}-investment_line"] = ""
    response = staff_client.post("/reports/plan/links/", data)
    assert response.status_code == 302
    kotra.refresh_from_db()
    assert kotra.indicator is None and kotra.investment_line is None
    figures.kotra[2018] = YearlyFigure(firms=9, amount_won=13_900_000)
    report = year_report_build(year=2018)
    assert report.indicators[1].source_label == "마케팅 지원"
    assert [(row.name, row.spent_won) for row in report.budget.unplanned] == [
        ("KOTRA 해외지사화", 13_900_000)
    ]
    page = staff_client.get("/reports/plan/").content.decode()
    assert "계획 외 집행" in page


def test_the_links_page_refuses_managers(manager_client, plan):
    assert manager_client.get("/reports/plan/links/").status_code == 403
    assert manager_client.post("/reports/plan/links/", {}).status_code == 403


def test_the_links_page_refuses_an_indicator_of_another_plan(staff_client, plan):
    from reports.models import Indicator, ProgrammeLink

    other = PlanCard.objects.create(
        code="X-1",
        title="다른 계획",
        kind="신규",
        timing="-",
        budget_category="구비",
        lead_department="-",
        start_year=2018,
        end_year=2019,
    )
    foreign = Indicator.objects.create(plan=other, name="다른 지표")
    link = ProgrammeLink.objects.get(programme="kotra")
    before = (link.indicator_id, link.investment_line_id)
    data = {"rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "1", "rows-0-id": str(link.pk)}
    data["rows-0-indicator"] = str(foreign.pk)
    response = staff_client.post("/reports/plan/links/", data)
    assert response.status_code == 200
    assert "올바르게 선택해 주세요" in response.content.decode()
    link.refresh_from_db()
    assert (link.indicator_id, link.investment_line_id) == before
