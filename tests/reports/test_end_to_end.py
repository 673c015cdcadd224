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
    assert marketing.achieved == marketing_support_by_year(2018).firms
    kotra = report.budget.rows[-1]
    assert kotra.spent_won == kotra_support_by_year(2018).amount_won
    assert report.investment.totals.total == 26_670_000_000

    pdf = report_pdf(report)
    text = pdf_text(pdf)
    for figure in ("26,670", "5,230", "5,400", "5,345", "5,350", "26,460", "210"):
        assert figure in text
    assert "NanumGothic" in pdf_fonts(pdf)
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    assert book["연도별 투자계획"]["C6"].value == 26670
