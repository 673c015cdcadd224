"""The seed's KOTRA support table as an Excel workbook (openpyxl)."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from .selectors import SupportTable

HEADERS = ["연번", "회사명", "대표자", "생산품명", "무역관명", "지원금"]
WIDTHS = [6, 24, 10, 22, 24, 14]
WON_FORMAT = "#,##0"


def support_table_xlsx(table: SupportTable) -> bytes:
    """Title in row 1, unit in row 2, headers in row 3, one row per firm, then the total (합계)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{table.year}년"
    sheet.append([f"{table.year}년 KOTRA 해외지사화 사업 지원 실적"])
    sheet.append(["(단위: 원)"])
    sheet.append(HEADERS)
    header_row = sheet.max_row
    for row in table.rows:
        firm = row.participant.firm
        sheet.append(
            [
                row.number,
                firm.name,
                firm.representative,
                row.participant.product,
                str(row.participant.trade_office),
                row.subsidy_won,
            ]
        )
    sheet.append(["합계", f"{table.firms}개 기업", None, None, None, table.total_won])
    total_row = sheet.max_row
    for name, firms in table.shared_representatives.items():
        sheet.append([f"※ 대표자 중복: {name} ({', '.join(firms)})"])

    thin = Side(style="thin", color="999999")
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F7")
        cell.alignment = Alignment(horizontal="center")
    for row_cells in sheet.iter_rows(min_row=header_row, max_row=total_row, max_col=len(HEADERS)):
        for cell in row_cells:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        row_cells[-1].number_format = WON_FORMAT
    for cell in sheet[total_row]:
        cell.font = Font(bold=True)
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
