"""Demo after the loan: a late partial payment, the bank's subsidy claim for the first half of 2018
approved, and a 환수 case for a loan long overdue. Built once; a second run changes nothing."""

import datetime

from django.contrib.auth import get_user_model

from loans.models import LoanApplication, LoanFund

from . import services
from .models import LoanPayment, RecoveryCase, SubsidyClaim

D = datetime.date


def load(stdout=None) -> None:
    staff = get_user_model().objects.get(username="staff")
    executed = LoanApplication.objects.filter(status="executed", firm__name="(주)구일물산").first()
    if executed is not None and not LoanPayment.objects.filter(application=executed).exists():
        # The first installment (2018-09-15) paid a month late and only in part.
        services.payment_record(
            application=executed, paid_on=D(2018, 10, 16), amount_won=500_000, note="일부 납입", actor=staff
        )
    bank_loan = LoanApplication.objects.filter(
        fund__kind=LoanFund.Kind.BANK_PARTNERSHIP, firm__name="(주)오류전자", executed_on__isnull=False
    ).first()
    if bank_loan is not None and not SubsidyClaim.objects.exists():
        claim = services.subsidy_claim_open(
            fund=bank_loan.fund, period_start=D(2018, 3, 15), period_end=D(2018, 9, 15), actor=staff
        )
        line = services.subsidy_claim_add_line(
            claim=claim, application=bank_loan, claimed_won=1_010_000, actor=staff
        )
        services.subsidy_claim_approve(
            claim=claim, approved_won=line.computed_won, note="산정액으로 지급", actor=staff
        )
    if executed is not None and not RecoveryCase.objects.exists():
        case = services.recovery_open(
            firm=executed.firm,
            application=executed,
            cause=RecoveryCase.Cause.OVERDUE,
            actor=staff,
            on_date=D(2019, 6, 30),
        )
        services.recovery_issue_notice(case=case, actor=staff, on_date=D(2019, 7, 1))
    if stdout is not None:
        stdout.write("사후관리 시연 자료: 연체·일부 납입, 이자보전금 청구, 환수 1건")
