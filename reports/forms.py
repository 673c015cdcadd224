"""Staff edit the plan data: the card's text, yearly targets, investment amounts and results.

Amounts are entered in 백만원, the plan card's unit (to 천원 precision) and stored as integer won.
"""

from decimal import Decimal

from django import forms

from guro_sme.forms import WonField

from .models import HistoricalResult, IndicatorTarget, InvestmentAmount, PlanCard, ProgrammeLink

MILLION = 1_000_000


def million_field(label: str, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label}(백만원)",
        required=required,
        min_value=0,
        max_digits=15,
        decimal_places=3,
        help_text="백만원 단위, 천원까지 소수점으로 입력합니다. 예: 5,200백만원 → 5200",
    )


def won_to_million(amount_won: int | None) -> int | Decimal | None:
    """5_200_000_000 → 5200; 32_500_000 → Decimal('32.5') (never '5.2E+3' in the input)."""
    if amount_won is None:
        return None
    value = Decimal(amount_won) / MILLION
    if value == value.to_integral_value():
        return int(value)
    return value.quantize(Decimal("0.001")).normalize()


def million_to_won(value: Decimal | None) -> int | None:
    return None if value is None else int(value * MILLION)


class PlanCardForm(forms.ModelForm):
    stated_total_million = million_field("총사업비(계획서 기재)", required=False)

    class Meta:
        model = PlanCard
        fields = [
            "code",
            "title",
            "kind",
            "timing",
            "budget_category",
            "lead_department",
            "cooperating",
            "policy_goal",
            "start_year",
            "end_year",
            "jury_period",
            "jury_recommendation",
            "department_opinion",
        ]
        widgets = {
            "policy_goal": forms.Textarea(attrs={"rows": 3}),
            "jury_recommendation": forms.Textarea(attrs={"rows": 6}),
            "department_opinion": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stated_total_million"].initial = won_to_million(self.instance.stated_total_won)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", "종료연도는 시작연도와 같거나 뒤여야 합니다.")
        return data

    def save(self, commit=True):
        self.instance.stated_total_won = million_to_won(self.cleaned_data.get("stated_total_million"))
        return super().save(commit=commit)


class IndicatorTargetForm(forms.ModelForm):
    class Meta:
        model = IndicatorTarget
        fields = ["target"]

    @property
    def row_label(self) -> str:
        return f"{self.instance.indicator.name} · {self.instance.year}년"


class InvestmentAmountForm(forms.ModelForm):
    amount_million = million_field("금액")

    class Meta:
        model = InvestmentAmount
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount_million"].initial = won_to_million(self.instance.amount_won)

    @property
    def row_label(self) -> str:
        i = self.instance
        return f"{i.line.name} · {i.year}년 · {i.get_funding_source_display()}"

    def save(self, commit=True):
        self.instance.amount_won = million_to_won(self.cleaned_data["amount_million"])
        return super().save(commit=commit)


class HistoricalResultForm(forms.ModelForm):
    amount_million = million_field("금액", required=False)

    class Meta:
        model = HistoricalResult
        fields = ["firms", "counted_in_records"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount_million"].initial = won_to_million(self.instance.amount_won)
        if not self.instance.series.has_amounts:
            del self.fields["amount_million"]

    @property
    def row_label(self) -> str:
        return f"{self.instance.series.name} · {self.instance.label}"

    def save(self, commit=True):
        if "amount_million" in self.fields:
            self.instance.amount_won = million_to_won(self.cleaned_data.get("amount_million"))
        return super().save(commit=commit)


class ProgrammeLinkForm(forms.ModelForm):
    """Which indicator and investment-plan line one programme's records count toward."""

    class Meta:
        model = ProgrammeLink
        fields = ["indicator", "investment_line"]
        labels = {"indicator": "더할 확인지표(업체수)", "investment_line": "더할 투자계획 사업(집행액)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance.plan
        self.fields["indicator"].queryset = plan.indicators.order_by("order", "pk")
        self.fields["indicator"].empty_label = "(지표에 더하지 않음)"
        self.fields["investment_line"].queryset = plan.investment_lines.order_by("order", "pk")
        self.fields["investment_line"].empty_label = "(계획 외 집행)"

    @property
    def row_label(self) -> str:
        return self.instance.get_programme_display()


TargetFormSet = forms.modelformset_factory(IndicatorTarget, form=IndicatorTargetForm, extra=0)
InvestmentFormSet = forms.modelformset_factory(InvestmentAmount, form=InvestmentAmountForm, extra=0)
ResultFormSet = forms.modelformset_factory(HistoricalResult, form=HistoricalResultForm, extra=0)
LinkFormSet = forms.modelformset_factory(ProgrammeLink, form=ProgrammeLinkForm, extra=0)


class FundAccountInputForm(forms.Form):
    opening_balance_won = WonField(
        label="기초잔액(원)",
        required=False,
        help_text="비우면 같은 기금의 전년도 기말잔액을 이어받습니다.",
    )
    transfers_in_won = WonField(
        label="전입금(원)", required=False, help_text="그 해 구 예산 등에서 기금으로 들어온 돈 (출연·전입)"
    )
    note = forms.CharField(label="비고", max_length=200, required=False)
