from django import forms

from guro_sme.forms import ChosenIdsField, WonField

from .models import RecoveryCase

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PaymentForm(forms.Form):
    paid_on = forms.DateField(
        label="납입일",
        widget=DATE,
        error_messages={"required": "납입일을 입력하세요.", "invalid": "납입일을 입력하세요."},
    )
    amount_won = forms.IntegerField(
        label="납입액(원)",
        min_value=1,
        error_messages={
            "required": "납입액을 입력하세요.",
            "invalid": "납입액은 숫자(원)로 입력하세요.",
            "min_value": "납입액을 0원보다 크게 입력하세요.",
        },
    )
    note = forms.CharField(label="메모", max_length=300, required=False)


class InstallmentsPaidForm(forms.Form):
    """The due list's bulk 납입 처리: the ticked installments and one 납입일 for all of them."""

    installment = ChosenIdsField(empty="납입 처리할 회차를 한 건 이상 선택하세요.")
    paid_on = forms.DateField(
        label="납입일",
        widget=DATE,
        error_messages={"required": "납입일을 입력하세요.", "invalid": "납입일을 입력하세요."},
    )


class ReversalForm(forms.Form):
    reason = forms.CharField(
        label="취소 사유", max_length=300, error_messages={"required": "납입 취소 사유를 입력하세요."}
    )


def first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return "입력을 확인하세요."


class RecoveryOpenForm(forms.Form):
    program = forms.ChoiceField(label="지원사업", choices=RecoveryCase.Program.choices)
    application = forms.ModelChoiceField(
        label="융자", queryset=None, required=False, empty_label="(융자 환수일 때 고르세요)"
    )
    support_title = forms.CharField(label="환수 대상 지원 (KOTRA·마케팅)", max_length=200, required=False)
    subsidy_won = forms.IntegerField(label="지원금 전액(원, KOTRA·마케팅)", min_value=1, required=False)
    cause = forms.ChoiceField(label="환수 사유", choices=RecoveryCase.Cause.choices)
    cause_on = forms.DateField(
        label="사유 발생일",
        widget=DATE,
        required=False,
        help_text="비우면 기업 정보의 이전일·폐업일을 씁니다.",
    )
    detail = forms.CharField(label="사유 상세", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, firm, **kwargs):
        super().__init__(*args, **kwargs)
        from loans.models import LoanApplication

        self.fields["application"].queryset = LoanApplication.objects.filter(
            firm=firm, status__in=("executed", "repaying")
        ).select_related("fund", "call")
        self.fields["application"].label_from_instance = lambda a: (
            f"{a.fund.name} · {a.call.title} ({a.executed_amount_won:,}원)"
        )


class ObjectionForm(forms.Form):
    received_on = forms.DateField(
        label="이의신청 접수일",
        widget=DATE,
        error_messages={"required": "이의신청 접수일과 내용을 입력하세요."},
    )
    text = forms.CharField(
        label="이의신청 내용",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "이의신청 접수일과 내용을 입력하세요."},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="결정", choices=RecoveryCase.Decision.choices)
    reason = forms.CharField(
        label="결정 사유",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "결정 사유를 입력하세요."},
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="종결 결과",
        choices=[
            (s.value, s.label)
            for s in (
                RecoveryCase.Status.REPAID,
                RecoveryCase.Status.INSTALMENTS,
                RecoveryCase.Status.COLLECTION,
                RecoveryCase.Status.WITHDRAWN,
            )
        ],
    )
    on_date = forms.DateField(
        label="종결일", widget=DATE, error_messages={"required": "종결일을 입력하세요."}
    )
    note = forms.CharField(label="메모", max_length=300, required=False)


class ClaimOpenForm(forms.Form):
    fund = forms.ModelChoiceField(
        label="기금", queryset=None, error_messages={"required": "기금을 고르세요."}
    )
    period_start = forms.DateField(
        label="청구기간 시작", widget=DATE, error_messages={"required": "청구기간을 입력하세요."}
    )
    period_end = forms.DateField(
        label="청구기간 끝",
        widget=DATE,
        help_text="끝일은 빼고 계산합니다.",
        error_messages={"required": "청구기간을 입력하세요."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from loans.models import LoanFund

        self.fields["fund"].queryset = LoanFund.objects.filter(kind=LoanFund.Kind.BANK_PARTNERSHIP).order_by(
            "-year"
        )


class ClaimLineForm(forms.Form):
    application = forms.ModelChoiceField(
        label="융자", queryset=None, error_messages={"required": "융자를 고르세요."}
    )
    claimed_won = forms.IntegerField(
        label="청구액(원)",
        min_value=0,
        error_messages={"required": "청구액을 입력하세요.", "invalid": "청구액은 숫자(원)로 입력하세요."},
    )

    def __init__(self, *args, claim, **kwargs):
        super().__init__(*args, **kwargs)
        from loans.models import LoanApplication

        self.fields["application"].queryset = (
            LoanApplication.objects.filter(fund=claim.fund, executed_on__lt=claim.period_end)
            .exclude(subsidy_lines__claim=claim)
            .select_related("firm")
        )
        self.fields["application"].label_from_instance = lambda a: (
            f"{a.firm.name} ({a.firm.business_number_display}, {a.executed_on:%Y.%m.%d} 실행)"
        )


class ClaimApproveForm(forms.Form):
    approved_won = WonField(label="지급 승인액(원)", error_messages={"required": "지급 승인액을 입력하세요."})
    note = forms.CharField(label="승인 메모", max_length=300, required=False)


class PrepaymentForm(forms.Form):
    paid_on = forms.DateField(
        label="중도상환일", widget=DATE, error_messages={"required": "중도상환일을 입력하세요."}
    )
    amount_won = forms.IntegerField(
        label="중도상환 원금(원)",
        min_value=1,
        error_messages={
            "required": "중도상환액을 입력하세요.",
            "invalid": "중도상환액은 숫자(원)로 입력하세요.",
            "min_value": "중도상환액을 0원보다 크게 입력하세요.",
        },
    )
    mode = forms.ChoiceField(
        label="남은 일정",
        choices=[("shorter_term", "상환기간 단축"), ("lower_instalments", "회차 상환액 감소")],
    )
    reason = forms.CharField(label="사유", max_length=200, required=False)


class RateChangeForm(forms.Form):
    effective_on = forms.DateField(
        label="변경 적용일", widget=DATE, error_messages={"required": "변경 적용일을 입력하세요."}
    )
    new_rate = forms.DecimalField(
        label="새 금리(연 %)",
        max_digits=5,
        decimal_places=2,
        error_messages={"required": "새 금리를 입력하세요.", "invalid": "새 금리는 숫자(연 %)로 입력하세요."},
    )
    reason = forms.CharField(
        label="변경 사유", max_length=200, error_messages={"required": "금리 변경 사유를 입력하세요."}
    )
