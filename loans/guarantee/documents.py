"""What goes to the guarantee foundation: the district's recommendation (추천서, PDF in the official
letter layout, one per firm or one for a batch) and the list of recommended firms (xlsx), whose
columns the foundation's result file comes back in (loans/guarantee/resources.py)."""

from guro_sme.exports import XlsxBook
from guro_sme.letters import letter_number, official_letter, render_letters_pdf
from loans.models import LoanApplication, LoanFund

S = LoanApplication.Status
# Recommended firms stay on the list after the foundation answers, so a reprint shows the same firms.
LISTED_STATUSES = (
    S.RECOMMENDED,
    S.GUARANTEE_REQUESTED,
    S.GUARANTEE_APPROVED,
    S.GUARANTEE_REJECTED,
    S.EXECUTED,
    S.REPAYING,
    S.REPAID,
    S.BANK_REJECTED,
)
LIST_COLUMNS = [
    "연번",
    "접수번호",
    "회사명",
    "사업자등록번호",
    "대표자",
    "업종",
    "접수일",
    "추천금액(원)",
    "심사결과",
    "보증금액(원)",
    "보증비율(%)",
    "보증료(%)",
    "보증서번호",
    "결과일",
    "거절사유",
]


def recommended_applications(*, fund: LoanFund, pks=None) -> list[LoanApplication]:
    """The fund's recommended applications (those picked, when `pks` is given), in intake order."""
    applications = LoanApplication.objects.filter(fund=fund, status__in=LISTED_STATUSES)
    if pks:
        applications = applications.filter(pk__in=pks)
    return list(
        applications.select_related("firm", "fund", "fund__guarantor").order_by("intake_number", "pk")
    )


def _recommendation(fund: LoanFund, applications, number: str):
    cap = max((limit.limit_won for limit in fund.firm_limits.all()), default=0)
    guarantor = fund.guarantor.name if fund.guarantor else "신용보증재단"
    names = (
        applications[0].firm.name
        if len(applications) == 1
        else f"{applications[0].firm.name} 외 {len(applications) - 1}개 업체"
    )
    return official_letter(
        recipient=f"{guarantor} 이사장",
        title=f"{fund.year}년 {fund.name} 보증 추천({names})",
        body_template="loans/guarantee/recommendation_body.html",
        context={
            "fund": fund,
            "cap": cap,
            "applications": applications,
            "total": sum(a.approved_amount_won or 0 for a in applications),
        },
        attachments=["보증 추천 업체 명단(엑셀) 1부"],
        number=letter_number(number),
    )


def recommendation_pdf(*, fund: LoanFund, applications, per_firm: bool) -> bytes:
    """One letter per firm (each from a new page), or one letter listing the whole batch."""
    if per_firm:
        letters = [
            _recommendation(fund, [a], f"{fund.year}-보증추천-{a.intake_number or a.pk}")
            for a in applications
        ]
    else:
        first = applications[0].intake_number if applications else ""
        letters = [_recommendation(fund, applications, f"{fund.year}-보증추천-{first}")]
    return render_letters_pdf(letters, document_title=f"{fund.year}년 {fund.name} 보증 추천서")


def foundation_list_xlsx(*, fund: LoanFund, applications) -> bytes:
    """The list for the foundation: one row per firm, the result columns left for it to fill.

    The header is the first row (the foundation's result file comes back in these columns), and
    every cell goes through the core writer: a firm name like "=HYPERLINK(…)" stays text."""
    book = XlsxBook()
    sheet = book.sheet(
        "보증 추천 업체",
        widths=(6, 11, 22, 15, 10, 14, 11, 14, 9, 14, 10, 9, 18, 11, 24),
        freeze_header_row=1,
    )
    sheet.header(LIST_COLUMNS)
    for number, a in enumerate(applications, start=1):
        approved = a.guarantee_amount_won is not None
        result = "승인" if approved else ("거절" if a.status == S.GUARANTEE_REJECTED else "")
        sheet.row(
            [
                number,
                a.intake_number,
                a.firm.name,
                a.firm.business_number_display,
                a.firm.representative,
                a.firm.industry,
                a.submitted_on,
                a.approved_amount_won,
                result,
                a.guarantee_amount_won,
                a.guarantee_ratio_pct,
                a.guarantee_fee_pct,
                a.guarantee_certificate_number,
                a.guarantee_decided_on,
                a.guarantee_rejection_reason,
            ],
            formats={0: "0"},  # 연번 is a count, not money
        )
    return book.to_bytes()
