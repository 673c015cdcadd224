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
from guro_sme.exports import keep_as_text
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
    titles = district.report_approval_line
    if titles:
        start = row + 5
        sheet.cell(row=start, column=1, value="결재란")
        _header(sheet, start, ["결재", *titles])
        _row(sheet, start + 1, ["", *[""] * len(titles)])
        sheet.row_dimensions[start + 1].height = 36
    contact = row + 8
    sheet.cell(row=contact, column=1, value="담당자")
    sheet.cell(row=contact, column=2, value=f"부 서 : {district.department or plan.lead_department}")
    sheet.cell(
        row=contact,
        column=3,
        value=f"{district.contact_title or '담당'} : {district.contact_person or '-'}",
    )
    sheet.cell(row=contact, column=4, value=f"전화번호 : {district.contact_phone or '-'}")
    if report.jury_period:
        sheet.cell(row=contact + 1, column=1, value="주민배심원단")
        sheet.cell(row=contact + 1, column=2, value=f"권고안 [{report.jury_period}]")
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
            "지표 달성도(%)",
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
    sheet.cell(row=row + 1, column=1, value="실제 달성도(%)")
    sheet.cell(row=row + 1, column=2, value=report.actual_progress).number_format = PERCENT
    row = _header(
        sheet,
        row + 3,
        ["연도", "계획 달성도 증분(%)", "달성비율(지표별 최대 1의 평균)", "반영분(%)", "달성도(%)"],
    )
    for p in report.progress_years:
        values = [f"{p.year}년", p.weight, p.ratio, p.contribution, p.cumulative]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=value)
            cell.border = BORDER
            cell.number_format = "0.000" if col == 3 else PERCENT if col > 3 else '0"%"'
        row += 1
    formula = sheet.cell(row=row + 1, column=1, value=f"산식: {report.progress_formula}")
    formula.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=9)
    sheet.row_dimensions[row + 1].height = 60
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

    # 예산 대비 집행 (천원): the 계 covers the planned lines, every column filled.
    sheet = _sheet(workbook, "예산 대비 집행", f"{report.year}년 예산 대비 집행", "천원")
    row = _header(
        sheet,
        3,
        [
            "사업",
            "집계 사업",
            "계획(천원)",
            "집행: 시스템 기록(천원)",
            "집행: 추진실적(천원)",
            "집행 계(천원)",
            "집행률(%)",
        ],
    )
    total = report.budget
    lines = [(b.name, b.programmes, b) for b in total.rows] + [("계", "", total)]
    for name, programmes, b in lines:
        values = [name, programmes, in_unit(b.planned_won, "천원"), in_unit(b.recorded_won, "천원")]
        values += [in_unit(b.historical_won, "천원"), in_unit(b.spent_won, "천원"), b.rate]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=value)
            cell.border = BORDER
            cell.number_format = PERCENT if col == 7 else THOUSANDS
            if b is total:
                cell.font = Font(bold=True)
        row += 1
    for b in total.unplanned:
        sheet.cell(row=row, column=1, value=f"계획 외 집행(계·집행률 제외): {b.name}")
        sheet.cell(row=row, column=6, value=in_unit(b.spent_won, "천원")).number_format = THOUSANDS
        row += 1
    _widths(sheet, 32, 18, 7)

    if report.card is not None:
        _card_sheets(workbook, report)

    # 경영지원사업.
    sheet = _sheet(workbook, "경영지원사업 인원", f"{report.year}년 경영지원사업 실적", "명")
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

    _in_card_order(workbook, report.year)
    return _saved(workbook)


def _in_card_order(workbook: Workbook, year: int) -> None:
    """The sheets in the plan card's order; the report's own tables after the card's."""
    order = ["개요", "확인지표", f"{year}년 실적", "사업개요", "추진실적", "구의 부담", "KOTRA 지원"]
    order += [
        "경영지원사업",
        "경영지원사업 인원",
        "연도별 투자계획",
        "예산 대비 집행",
        "기금 결산",
        "성인지",
        "사후관리",
    ]
    order += ["불일치"]
    for index, name in enumerate(n for n in order if n in workbook.sheetnames):
        workbook.move_sheet(name, offset=index - workbook.sheetnames.index(name))


def _card_sheets(workbook: Workbook, report: YearReport) -> None:
    """The card's record tables: 사업개요 (text, 규모 및 조건), KOTRA, 경영지원사업, the district's
    cost, 기금 결산 and 성인지 — in the card's order, each in its unit."""
    card = report.card
    sheet = _sheet(workbook, "사업개요", "사업개요 및 이행계획")
    row = 3
    for section in report.sections:
        sheet.cell(row=row, column=1, value=f"{section.number} {section.title}").font = Font(bold=True)
        row += 1
        for line in section.body:
            sheet.cell(row=row, column=1, value=line)
            row += 1
        if "loan_terms" in section.tables and card.loan_terms:
            sheet.cell(row=row, column=1, value=f"- '{card.terms_year % 100:02d}년 규모 및 조건 (단위: 억원)")
            row = _header(sheet, row + 1, ["구분", *[t.name for t in card.loan_terms]])
            total = in_unit(card.loan_terms_total_won, "억원")
            row = _row(
                sheet, row, [f"규모 (총{total}억)", *[in_unit(t.scale_won, "억원") for t in card.loan_terms]]
            )
            row = _row(sheet, row, ["금리", *[t.rate for t in card.loan_terms]])
            row = _row(sheet, row, ["상환기간", *[t.repayment for t in card.loan_terms]])
        if "guarantee_note" in section.tables:
            for note in card.guarantee_notes:
                sheet.cell(row=row, column=1, value=f"※ {note}")
                row += 1
        if "results" in section.tables and section.result:
            sheet.cell(row=row, column=1, value="추진실적: '추진실적' 시트")
            row += 1
        if "kotra" in section.tables:
            sheet.cell(row=row, column=1, value="KOTRA 지원 기업: 'KOTRA 지원' 시트")
            row += 1
        if "programs" in section.tables:
            sheet.cell(row=row, column=1, value="경영지원사업: '경영지원사업' 시트")
            row += 1
        if "district_cost" in section.tables:
            sheet.cell(row=row, column=1, value="구의 부담과 조달 융자: '구의 부담' 시트")
            row += 1
        for line in section.closing:
            sheet.cell(row=row, column=1, value=line)
            row += 1
        row += 1
    _widths(sheet, 40, 24, 4)

    sheet = _sheet(workbook, "KOTRA 지원", "KOTRA 해외지사화 지원 기업", "원")
    row = 3
    for table in card.kotra:
        sheet.cell(row=row, column=1, value=f"'{table.year % 100:02d}년도 추진실적")
        row = _header(sheet, row + 1, ["연번", "회사명", "대표자", "생산품명", "무역관명", "지원금(원)"])
        for r in table.rows:
            row = _row(
                sheet, row, [r.number, r.firm, r.representative, r.product, r.trade_office, r.subsidy_won]
            )
        row = _row(sheet, row, ["계", "", "", "", "", table.total_won]) + 1
    if not card.kotra:
        sheet.cell(row=row, column=1, value="기록 없음")
    _widths(sheet, 8, 22, 6)

    sheet = _sheet(workbook, "경영지원사업", f"{report.year}년 중소기업·소상공인 경영지원사업")
    row = _header(sheet, 3, ["사업명", "운영일/장소", "참여대상 및 인원", "내용", "비 고"])
    for p in card.programs:
        row = _row(
            sheet, row, [p.name, p.when_where, p.audience, "\n".join(f"- {c}" for c in p.content), p.note]
        )
    if not card.programs:
        sheet.cell(row=row, column=1, value="기록 없음")
    _widths(sheet, 30, 30, 5)

    cost = card.cost
    sheet = _sheet(workbook, "구의 부담", f"{report.year}년 구의 실제 부담과 조달한 융자", "천원")
    row = _header(sheet, 3, ["구분", "항목", "금액(천원)", "건수"])
    lines = [
        ("구의 부담", "구 기금 융자 실행", cost.own_lending_won, cost.own_loans),
        ("구의 부담", "이자보전 발생액(납입기일 기준)", cost.subsidy_due_won, None),
        ("구의 부담", "이자보전 지급액(납입 기준)", cost.subsidy_paid_won, None),
        ("구의 부담", "보증 출연금", cost.guarantee_contribution_won, None),
        ("구의 부담", "계", cost.district_total_won, None),
        ("조달 융자", "은행 협력자금 융자 실행", cost.bank_lending_won, cost.bank_loans),
        ("조달 융자", "보증특례 융자 실행", cost.guarantee_lending_won, cost.guarantee_loans),
        ("조달 융자", "계", cost.mobilised_won, None),
    ]
    for group, name, won, count in lines:
        row = _row(sheet, row, [group, name, in_unit(won, "천원"), count])
    _widths(sheet, 14, 34, 4)

    sheet = _sheet(workbook, "기금 결산", f"{report.year}년 기금 결산", "원")
    labels = ["기금", "기초잔액", "전입금(+)", "원금 회수(+)", "이자 수입(+)", "융자 실행(−)"]
    labels += [
        "이자보전 지급(−)",
        "보증 출연(−)",
        "기말잔액",
        "융자 잔액",
        "다음 해 융자 가능액",
        "은행 재원 융자(참고)",
    ]
    row = _header(sheet, 3, labels)
    for a in card.accounts:
        values = [a.fund.name, a.opening_won, a.transfers_in_won, a.principal_repaid_won]
        values += [a.interest_received_won, a.loans_executed_won, a.subsidies_paid_won]
        values += [a.guarantee_contribution_won, a.closing_won, a.outstanding_won]
        values += [a.next_year_capacity_won, a.mobilised_executed_won]
        row = _row(sheet, row, values)
    formula = (
        "기말잔액 = 기초잔액 + 전입금 + 원금 회수 + 이자 수입 − 융자 실행 − 이자보전 지급 − 보증 출연; "
        "융자 잔액 = 연말까지 실행한 원금 − 연말까지 회수한 원금"
    )
    sheet.cell(row=row + 1, column=1, value=formula)
    _widths(sheet, 24, 16, len(labels))

    sheet = _sheet(workbook, "성인지", f"{report.year}년 수혜 기업 대표자 성별", "개사")
    row = _header(sheet, 3, ["사업", *card.gender_columns, "계"])
    for g in card.gender_rows:
        row = _row(sheet, row, [g.programme, *g.counts, g.total])
    _widths(sheet, 28, 12, len(card.gender_columns) + 2)

    care = card.aftercare
    if care is not None:
        sheet = _sheet(workbook, "사후관리", f"{report.year}년 사후관리: 연체·환수·이자보전 청구", "건, 원")
        row = _header(sheet, 3, [f"연체 ({care.as_of:%Y.%m.%d} 기준)", "건수", "연체액"])
        for bucket in care.arrears:
            row = _row(sheet, row, [bucket["bucket"], bucket["loans"], bucket["overdue_won"]])
        row = _row(sheet, row, ["계", care.arrears_loans, care.arrears_won])
        row = _header(sheet, row + 1, ["환수", "값"])
        row = _row(sheet, row, ["환수 결정 건수", care.recovery["count"]])
        for cause, count in care.recovery["by_cause"].items():
            row = _row(sheet, row, [f"· {cause}", count])
        row = _row(sheet, row, ["환수 결정 금액", care.recovery["amount_won"]])
        row = _row(sheet, row, ["환수 완료 금액", care.recovery["recovered_won"]])
        row = _header(
            sheet, row + 1, ["이자보전금 청구", "청구 건수", "은행 청구액", "구 산정액", "지급 승인액"]
        )
        claims = care.claims
        values = [claims["claims"], claims["claimed_won"], claims["computed_won"], claims["approved_won"]]
        _row(sheet, row, [f"{report.year}년", *values])
        _widths(sheet, 28, 16, 5)


def fund_accounts_xlsx(accounts) -> bytes:
    """기금 결산 of one year (reports.fund_accounts.FundAccounts) as a workbook: the accounts in 원
    and the district's cost next to the lending it mobilised."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = _sheet(workbook, "기금 결산", f"{accounts.year}년 기금 결산", "원")
    labels = ["기금", "기초잔액", "전입금(+)", "원금 회수(+)", "이자 수입(+)", "융자 실행(−)"]
    labels += ["이자보전 지급(−)", "보증 출연(−)", "기말잔액", "융자 잔액", "다음 해 융자 가능액"]
    labels += ["은행 재원 융자(참고)"]
    row = _header(sheet, 3, labels)
    for a in accounts.accounts:
        values = [a.fund.name, a.opening_won, a.transfers_in_won, a.principal_repaid_won]
        values += [a.interest_received_won, a.loans_executed_won, a.subsidies_paid_won]
        values += [a.guarantee_contribution_won, a.closing_won, a.outstanding_won]
        values += [a.next_year_capacity_won, a.mobilised_executed_won]
        row = _row(sheet, row, values)
    _widths(sheet, 24, 16, len(labels))
    cost = accounts.cost
    sheet = _sheet(workbook, "구의 부담", f"{accounts.year}년 구의 실제 부담과 조달한 융자", "원")
    row = _header(sheet, 3, ["항목", "금액(원)"])
    for name, won in [
        ("구 기금 융자 실행", cost.own_lending_won),
        ("이자보전 발생액", cost.subsidy_due_won),
        ("이자보전 지급액", cost.subsidy_paid_won),
        ("보증 출연금", cost.guarantee_contribution_won),
        ("구의 부담 계", cost.district_total_won),
        ("은행 협력자금 융자 실행(조달)", cost.bank_lending_won),
        ("보증특례 융자 실행(조달)", cost.guarantee_lending_won),
        ("조달 융자 계", cost.mobilised_won),
    ]:
        row = _row(sheet, row, [name, won])
    _widths(sheet, 34, 18, 2)
    return _saved(workbook)


def _saved(workbook: Workbook) -> bytes:
    """The workbook's bytes, every text kept as text: a firm or product name such as "=1+1" or
    "@SUM(…)" from the records must never become a formula (the reports write none of their own)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                keep_as_text(cell)
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
