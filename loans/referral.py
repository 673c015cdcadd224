"""The partner-bank referral of a call: the letter (PDF) and the sheet (xlsx) of the selected firms.

The addressee is each fund's partner bank (data: 우리은행 in the plan, another bank later), and
the letter is the district's official layout (guro_sme/letters.py), so nothing here names a bank or a district.
"""

from guro_sme.exports import XlsxBook
from guro_sme.letters import letter_number, official_letter, render_letter_pdf

from .models import LoanApplication, LoanCall

S = LoanApplication.Status
# Selected firms stay on the referral after the bank answers, so a reprint shows the same list.
REFERRAL_STATUSES = (S.SELECTED, S.REFERRED, S.EXECUTED, S.BANK_REJECTED, S.REPAYING, S.REPAID)


def referral_applications(call: LoanCall, application_ids=None) -> list[LoanApplication]:
    """The call's selected firms, or only those staff chose (`application_ids`)."""
    applications = LoanApplication.objects.filter(call=call, status__in=REFERRAL_STATUSES)
    if application_ids:
        applications = applications.filter(pk__in=application_ids)
    return list(
        applications.select_related("firm", "fund", "fund__partner_bank", "fund__guarantor").order_by(
            "fund__year", "fund__pk", "firm__name", "pk"
        )
    )


def referral_banks(applications) -> list[str]:
    names = []
    for application in applications:
        bank = application.fund.partner_bank
        name = bank.name if bank else "(협력은행 미지정)"
        if name not in names:
            names.append(name)
    return names


def referral_xlsx(call: LoanCall, application_ids=None) -> bytes:
    """One row per selected firm: firm, business number, fund, approved amount (and the bank)."""
    applications = referral_applications(call, application_ids)
    book = XlsxBook()
    sheet = book.sheet("융자 추천 업체", widths=(6, 24, 16, 10, 20, 14, 16, 10))
    sheet.title(f"{call.title} 융자 추천 업체 명단")
    sheet.header(["연번", "회사명", "사업자등록번호", "대표자", "기금", "협력은행", "선정금액(원)", "상태"])
    for number, application in enumerate(applications, start=1):
        sheet.row(
            [
                number,
                application.firm.name,
                application.firm.business_number_display,
                application.firm.representative,
                application.fund.name,
                application.fund.partner_bank.name if application.fund.partner_bank else "",
                application.approved_amount_won,
                application.get_status_display(),
            ]
        )
    sheet.row(
        [None, "합계", None, None, None, None, sum(a.approved_amount_won or 0 for a in applications)],
        bold=True,
    )
    return book.to_bytes()


def referral_pdf(call: LoanCall, application_ids=None) -> bytes:
    """The referral letter to the partner bank(s), in the district's official layout."""
    applications = referral_applications(call, application_ids)
    banks = referral_banks(applications)
    letter = official_letter(
        recipient=f"{', '.join(banks) or '협력은행'} 은행장",
        title=f"{call.title}: 융자 지원 대상 업체 통보",
        body_template="loans/referral_body.html",
        context={
            "call": call,
            "applications": applications,
            "total": sum(a.approved_amount_won or 0 for a in applications),
        },
        attachments=["융자 추천 업체 명단(엑셀) 1부"],
        number=letter_number(f"{call.year}-융자-{call.pk}"),
    )
    return render_letter_pdf(letter)
