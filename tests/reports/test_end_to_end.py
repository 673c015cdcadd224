"""The 2018 report over the whole demo (load_demo), with the other apps' real selectors."""

import io

from openpyxl import load_workbook

from kotra.selectors import kotra_support_by_year
from loans.selectors import loan_support_by_year
from marketing.selectors import marketing_support_by_year
from reports.exports import report_pdf, report_xlsx
from reports.services import year_report_build

from .pdftools import pdf_fonts, pdf_text


def test_the_2018_report_of_the_demo_adds_the_records_once(demo_state):
    demo_state("everything")  # load_demo
    report = year_report_build(year=2018)
    loans, marketing = report.indicators
    assert (loans.target, marketing.target) == (60, 20)
    assert loans.recorded == loan_support_by_year(2018).firms
    assert loans.achieved == loans.recorded + 36  # the first half of 2018 from the plan card
    # The marketing demo holds the plan card's selections as records: counted once.
    assert marketing.historical == 0
    assert marketing.achieved == marketing_support_by_year(2018).firms + kotra_support_by_year(2018).firms
    line = report.budget.rows[-1]
    assert line.spent_won == (
        marketing_support_by_year(2018).amount_won + kotra_support_by_year(2018).amount_won
    )
    assert report.investment.totals.total == 26_670_000_000

    pdf = report_pdf(report)
    text = pdf_text(pdf)
    for figure in ("26,670", "5,230", "5,400", "5,345", "5,350", "26,460", "210"):
        assert figure in text
    assert "NanumGothic" in pdf_fonts(pdf)
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    assert book["연도별 투자계획"]["C6"].value == 26670


def test_marketing_kotra_and_the_report_show_the_same_execution_of_the_marketing_line(demo_state, client):
    from django.contrib.auth import get_user_model

    demo_state("everything")  # load_demo
    client.force_login(get_user_model().objects.get(username="manager"))
    row = year_report_build(year=2018).budget.rows[1]
    assert row.name == "중소기업 마케팅 지원사업" and row.planned_won == 30_000_000
    assert row.spent_won == (
        marketing_support_by_year(2018).amount_won + kotra_support_by_year(2018).amount_won
    )
    cell = f'<td class="num">{row.rate}%</td>'
    assert cell in client.get("/reports/2018/").content.decode()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for page in ("/marketing/", "/kotra/?year=2018"):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(page).content.decode()
        section = body[body.index('id="plan-line-execution"') :]
        assert "중소기업 마케팅 지원사업" in section and cell in section, page
        # Only the marketing line is worked out: the loans' repayments are not read.
        assert not [q for q in queries if "loans_installment" in q["sql"]], page


def test_the_demo_fund_accounts_open_with_the_card_fund_and_never_run_negative(demo_state):
    from reports.fund_accounts import fund_accounts_for

    demo_state("everything")
    accounts = {a.fund.kind: a for a in fund_accounts_for(2018).accounts}
    district = accounts["district_fund"]
    assert (district.opening_won, district.opening_carried) == (5_000_000_000, False)
    assert district.closing_won == (
        5_000_000_000
        + district.principal_repaid_won
        + district.interest_received_won
        - district.loans_executed_won
    )
    assert (
        accounts["guarantee"].transfers_in_won
        == accounts["guarantee"].guarantee_contribution_won
        == 500_000_000
    )
    assert all(account.closing_won >= 0 for account in accounts.values())


def test_the_2018_report_carries_the_years_arrears_recovery_and_subsidy_claims(demo_state):
    from loans.aftercare.models import RecoveryCase
    from loans.aftercare.selectors import aftercare_by_year

    demo_state("everything")
    care = year_report_build(year=2018).card.aftercare
    assert care == aftercare_by_year(2018)
    assert care.recovery["count"] == RecoveryCase.objects.filter(opened_on__year=2018).count()
    assert care.arrears_loans == sum(b["loans"] for b in care.arrears)
    assert care.as_of.isoformat() == "2018-12-31"

    report = year_report_build(year=2018)
    text = " ".join(pdf_text(report_pdf(report)).split())
    assert "2018년 사후관리: 연체·환수·이자보전 청구" in text
    assert f"계 {care.arrears_loans} {care.arrears_won:,}" in text
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    sheet = book["사후관리"]
    values = [[c.value for c in row if c.value is not None] for row in sheet.iter_rows(min_row=3)]
    assert ["계", care.arrears_loans, care.arrears_won] in values
    assert ["환수 결정 건수", care.recovery["count"]] in [v[:2] for v in values]


def test_a_firm_name_that_looks_like_a_formula_stays_text_in_the_report_workbook(demo_state):
    from kotra.models import Participant

    demo_state("everything")
    firm = Participant.objects.filter(project__year=2018).order_by("pk").first().firm
    firm.name = '=HYPERLINK("http://x","y")'
    firm.save()
    book = load_workbook(io.BytesIO(report_xlsx(year_report_build(year=2018))))
    cells = [c for row in book["KOTRA 지원"].iter_rows() for c in row if c.value == firm.name]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_cards_kotra_tables_are_the_kotra_pages_rows(demo_state):
    """The card reads its KOTRA tables as plain values (kotra.selectors.card_rows): each row, its
    subsidy and the total are those of the KOTRA page's table (support_table) for both years."""
    from kotra.selectors import support_table

    demo_state("everything")
    card = year_report_build(year=2018).card
    assert [table.year for table in card.kotra] == [2017, 2018]
    for table in card.kotra:
        page = support_table(table.year)
        assert [tuple(vars(row).values()) for row in table.rows] == [
            (
                row.number,
                row.participant.firm.name,
                row.participant.firm.representative,
                row.participant.product,
                str(row.participant.trade_office),
                row.subsidy_won,
            )
            for row in page.rows
        ]
        assert table.total_won == page.total_won > 0
