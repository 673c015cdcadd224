from django import forms

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


class ReversalForm(forms.Form):
    reason = forms.CharField(
        label="취소 사유", max_length=300, error_messages={"required": "납입 취소 사유를 입력하세요."}
    )


def first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return "입력을 확인하세요."
