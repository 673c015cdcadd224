"""Renderers of a YearReport: HTML (for the PDF), PDF (WeasyPrint) and Excel (openpyxl).

The numbers come from reports.services; these functions only lay them out, in the plan card's
units (백만원 for the investment plan and the loan results, 천원 for the budget execution).
"""

from io import BytesIO

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from guro_sme.documents import render_pdf
from guro_sme.models import DistrictProfile
from guro_sme.money import in_unit

from .services import YearReport

FORMATS = ("pdf", "html", "xlsx")


def filename(report: YearReport, fmt: str) -> str:
    return f"report_{report.plan.code}_{report.year}.{fmt}"


PRINT_TEMPLATE = "reports/report_pdf.html"


def _print_context(report: YearReport, district: DistrictProfile | None) -> dict:
    return {"report": report, "district": district or DistrictProfile.current()}


def report_print_html(report: YearReport, district: DistrictProfile | None = None) -> str:
    """A standalone HTML document of the report, laid out for A4 (the PDF's source)."""
    return render_to_string(PRINT_TEMPLATE, _print_context(report, district))


def report_pdf(report: YearReport, district: DistrictProfile | None = None) -> bytes:
    return render_pdf(PRINT_TEMPLATE, _print_context(report, district))


# --- Excel -------------------------------------------------------------------------------------

THOUSANDS = "#,##0"
PERCENT = '0.0"%"'
HEAD_FILL = PatternFill("solid", fgColor="EEF2F7")
FLAG_FONT = Font(color="B3261E", bold=True)
THIN = Side(style="thin", color="B8C0CC")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _sheet(workbook: Workbook, title: str, heading: str, unit: str = ""):
    sheet = workbook.create_sheet(title)
    sheet["A1"] = heading
    sheet["A1"].font = Font(bold=True, size=13)
    if unit:
        sheet["A2"] = f"(단위: {unit})"
    return sheet


def _header(sheet, row: int, labels: list[str]) -> int:
    for col, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=col, value=label)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return row + 1


def _row(sheet, row: int, values: list, number_format: str = THOUSANDS) -> int:
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=col, value=value)
        cell.border = BORDER
        if isinstance(value, int | float):
            cell.number_format = number_format
    return row + 1


def _widths(sheet, first: int, rest: int, count: int) -> None:
    sheet.column_dimensions["A"].width = first
    for col in range(2, count + 1):
        sheet.column_dimensions[get_column_letter(col)].width = rest


def report_xlsx(report: YearReport, district: DistrictProfile | None = None) -> bytes:
    """A workbook with a sheet per table of the report, Korean headers and units in the headers."""
    district = district or DistrictProfile.current()
    plan = report.plan
    years = report.term_years
    workbook = Workbook()
    workbook.remove(workbook.active)

    # 개요: the plan card's head table.
    sheet = _sheet(
        workbook,
        "개요",
        f"{district.district_name} {plan.code} {plan.title} — {report.year}년 추진실적 보고서",
    )
    row = _header(sheet, 3, ["관리번호", "유형", "이행시기", "예산구분", "주관부서", "협조부서(기관)"])
    row = _row(
        sheet,
        row,
        [plan.code, plan.kind, plan.timing, plan.budget_category, plan.lead_department, plan.cooperating],
    )
    sheet.cell(row=row + 1, column=1, value="정책목표")
    sheet.cell(row=row + 1, column=2, value=plan.policy_goal)
    sheet.cell(row=row + 2, column=1, value="계획기간")
    sheet.cell(row=row + 2, column=2, value=f"{plan.start_year}~{plan.end_year}년")
    if plan.stated_total_won is not None:
        sheet.cell(row=row + 3, column=1, value="총사업비(백만원)")
        cell = sheet.cell(row=row + 3, column=2, value=in_unit(plan.stated_total_won, "백만원"))
        cell.number_format = THOUSANDS
    _widths(sheet, 16, 16, 6)
    sheet.column_dimensions["F"].width = 40

    # 확인지표: targets and the planned 달성도.
    sheet = _sheet(workbook, "확인지표", "확인지표 (목표 및 달성도)", "업체수")
    row = _header(sheet, 3, ["확인지표", *[f"{y}년" for y in years]])
    for indicator in report.indicators:
        row = _row(sheet, row, [indicator.name, *indicator.targets])
    _row(sheet, row, ["달성도(%)", *report.milestones], '0"%"')
    _widths(sheet, 40, 11, len(years) + 1)

    # The year's target vs achievement.
    sheet = _sheet(workbook, f"{report.year}년 실적", f"{report.year}년 목표 대비 실적", "업체수, 달성률 %")
    row = _header(
        sheet,
        3,
        [
            "확인지표",
            "목표(업체수)",
            "실적: 시스템 기록(업체수)",
            "실적: 추진실적(업체수)",
            "실적 계(업체수)",
            "달성률(%)",
            "누적 목표(업체수)",
            "누적 실적(업체수)",
            "누적 달성도(%)",
        ],
    )
    for i in report.indicators:
        values = [i.name, i.target, i.recorded, i.historical, i.achieved, i.rate]
        values += [i.cumulative_target, i.cumulative_achieved, i.cumulative_rate]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=value)
            cell.border = BORDER
            cell.number_format = PERCENT if col in (6, 9) else THOUSANDS
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value="계획 달성도(%)")
    sheet.cell(row=row, column=2, value=report.planned_progress).number_format = '0"%"'
    sheet.cell(row=row + 1, column=1, value="실제 누적 달성도(%)")
    sheet.cell(row=row + 1, column=2, value=report.actual_progress).number_format = PERCENT
    _widths(sheet, 40, 14, 9)

    # 추진실적: one block per series, typed 합계 next to the computed sum.
    sheet = _sheet(workbook, "추진실적", "추진실적", "업체수 / 백만원")
    row = 3
    for table in report.results:
        labels = ["구분", "합계(계획서) 업체수", "합계(연도별 합산) 업체수"]
        if table.has_amounts:
            labels += ["합계(계획서) 금액(백만원)", "합계(연도별 합산) 금액(백만원)"]
        for entry in table.entries:
            labels.append(f"{entry.label} 업체수")
            if table.has_amounts:
                labels.append(f"{entry.label} 금액(백만원)")
        row = _header(sheet, row, labels)
        values = [table.name, table.stated_firms, table.sum_firms]
        if table.has_amounts:
            values += [in_unit(table.stated_won, "백만원"), in_unit(table.sum_won, "백만원")]
        for entry in table.entries:
            values.append(entry.firms)
            if table.has_amounts:
                values.append(in_unit(entry.amount_won, "백만원"))
        row = _row(sheet, row, values)
        if not table.firms_match or not table.won_match:
            flag = sheet.cell(row=row, column=1, value="※ 계획서의 합계가 연도별 실적의 합과 다릅니다.")
            flag.font = FLAG_FONT
            row += 1
        row += 1
    _widths(sheet, 30, 16, 12)

    # 연도별 투자계획 (백만원), by line and by funding source.
    inv = report.investment
    sheet = _sheet(workbook, "연도별 투자계획", "연도별 투자계획", "백만원")
    row = _header(sheet, 3, ["구분", "추진내용", "계(백만원)", *[f"{y}년(백만원)" for y in inv.years]])

    def money_cells(item):
        return [in_unit(item.total, "백만원"), *[in_unit(a, "백만원") for a in item.amounts]]

    for line in inv.lines:
        row = _row(sheet, row, ["추진내용", line.name, *money_cells(line)])
    row = _row(sheet, row, ["총 계", "", *money_cells(inv.totals)])
    for funding in inv.funding:
        row = _row(sheet, row, ["예산구분", funding.name, *money_cells(funding)])
    _widths(sheet, 12, 14, len(inv.years) + 3)
    sheet.column_dimensions["B"].width = 32

    # 예산 대비 집행 (천원).
    sheet = _sheet(workbook, "예산 대비 집행", f"{report.year}년 예산 대비 집행", "천원")
    row = _header(
        sheet,
        3,
        [
            "사업",
            "계획(천원)",
            "집행: 시스템 기록(천원)",
            "집행: 추진실적(천원)",
            "집행 계(천원)",
            "집행률(%)",
        ],
    )
    for b in [*report.budget.rows]:
        values = [b.name, in_unit(b.planned_won, "천원"), in_unit(b.recorded_won, "천원")]
        values += [in_unit(b.historical_won, "천원"), in_unit(b.spent_won, "천원"), b.rate]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=value)
            cell.border = BORDER
            cell.number_format = PERCENT if col == 6 else THOUSANDS
        row += 1
    total = report.budget
    for col, value in enumerate(
        [
            "계",
            in_unit(total.planned_won, "천원"),
            None,
            None,
            in_unit(total.spent_won, "천원"),
            total.rate,
        ],
        start=1,
    ):
        cell = sheet.cell(row=row, column=col, value=value)
        cell.border = BORDER
        cell.font = Font(bold=True)
        cell.number_format = PERCENT if col == 6 else THOUSANDS
    _widths(sheet, 32, 18, 6)

    # 경영지원사업.
    sheet = _sheet(workbook, "경영지원사업", f"{report.year}년 경영지원사업 실적", "명")
    row = _header(sheet, 3, ["사업명", "참여 인원(명)", "수료 인원(명)"])
    for program in report.programs:
        row = _row(sheet, row, [program.program, program.participants, program.completers])
    if not report.programs:
        sheet.cell(row=row, column=1, value="기록 없음")
    _widths(sheet, 36, 16, 3)

    # 불일치: typed summaries that are not the sum of their parts.
    sheet = _sheet(workbook, "불일치", "계획서 기재 합계와 계산값이 다른 항목")
    row = _header(sheet, 3, ["항목", "단위", "계획서 기재", "계산값"])
    for m in report.mismatches:
        scale = "백만원" if m.unit == "백만원" else "원"
        stated = in_unit(m.stated, scale) if m.unit == "백만원" else m.stated
        computed = in_unit(m.computed, scale) if m.unit == "백만원" else m.computed
        row = _row(sheet, row, [m.label, m.unit, stated, computed])
    if not report.mismatches:
        sheet.cell(row=row, column=1, value="없음")
    _widths(sheet, 44, 14, 4)

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_render(report: YearReport, fmt: str) -> bytes:
    """The report in `fmt` (pdf, html, xlsx) as bytes."""
    if fmt == "pdf":
        return report_pdf(report)
    if fmt == "xlsx":
        return report_xlsx(report)
    if fmt == "html":
        return report_print_html(report).encode()
    raise ValueError(fmt)
