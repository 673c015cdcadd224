"""The seed's KOTRA support table as an Excel workbook (the core writer, guro_sme.exports)."""

from guro_sme.exports import XlsxBook

from .selectors import SupportTable

HEADERS = ["연번", "회사명", "대표자", "생산품명", "무역관명", "지원금"]
WIDTHS = [6, 24, 10, 22, 24, 14]


def support_table_xlsx(table: SupportTable) -> bytes:
    """Title in row 1, unit in row 2, headers in row 3, one row per firm, then the total (합계)."""
    book = XlsxBook()
    sheet = book.sheet(f"{table.year}년", widths=WIDTHS)
    sheet.title(f"{table.year}년 KOTRA 해외지사화 사업 지원 실적")
    sheet.note("(단위: 원)")
    sheet.header(HEADERS)
    for row in table.rows:
        firm = row.participant.firm
        sheet.row(
            [
                row.number,
                firm.name,
                firm.representative,
                row.participant.product,
                str(row.participant.trade_office),
                row.subsidy_won,
            ],
            border=True,
        )
    sheet.row(["합계", f"{table.firms}개 기업", None, None, None, table.total_won], bold=True, border=True)
    for name, firms in table.shared_representatives.items():
        sheet.note(f"※ 대표자 중복: {name} ({', '.join(firms)})")
    return book.to_bytes()
