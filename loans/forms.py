from django import forms
from django.contrib.auth import get_user_model
from django.forms import inlineformset_factory
from django.utils import timezone

from guro_sme.forms import FirmField
from guro_sme.models import Firm
from guro_sme.roles import Role
from guro_sme.templatetags.people import person

from .models import LoanApplication, LoanCall, LoanFund, RubricItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def committee_users():
    return get_user_model().objects.filter(groups__name=Role.COMMITTEE).order_by("username").distinct()


class FundForm(forms.ModelForm):
    limit_sme = forms.IntegerField(label="업체당 한도: 중소기업(원)", required=False, min_value=1)
    limit_small_business = forms.IntegerField(label="업체당 한도: 소상공인(원)", required=False, min_value=1)
    limit_venture = forms.IntegerField(label="업체당 한도: 벤처기업(원)", required=False, min_value=1)

    LIMIT_FIELDS = {
        "limit_sme": Firm.FirmType.SME,
        "limit_small_business": Firm.FirmType.SMALL_BUSINESS,
        "limit_venture": Firm.FirmType.VENTURE,
    }

    class Meta:
        model = LoanFund
        fields = [
            "name",
            "kind",
            "year",
            "allocation_won",
            "interest_rate",
            "rate_min",
            "rate_max",
            "subsidy_cap_pct",
            "partner_bank",
            "guarantor",
            "grace_years",
            "repayment_years_min",
            "repayment_years_max",
            "payments_per_year",
            "guarantee_contribution_won",
            "guarantee_multiplier",
            "year_round",
            "recommended_by",
            "min_business_age_months",
            "repeat_loan_limit",
            "repeat_loan_limit_refuses",
            "followup_overdue_days",
            "recovery_rate_pct",
        ]
        help_texts = {"allocation_won": "한도를 비운 기업구분은 이 기금을 신청할 수 없습니다."}

    def clean_followup_overdue_days(self):
        value = self.cleaned_data.get("followup_overdue_days")
        if value is None:
            return self.instance.followup_overdue_days
        return value

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left blank, the minimum business age is the plan card's (the model default, 6 months).
        self.fields["min_business_age_months"].required = False
        # Older fund forms (and imports) leave the 사후관리 threshold out: it keeps its value.
        self.fields["followup_overdue_days"].required = False
        self.fields["recommended_by"].required = False
        if self.instance.pk:
            for name, firm_type in self.LIMIT_FIELDS.items():
                self.initial[name] = self.instance.limit_for(firm_type)

    def clean_min_business_age_months(self):
        value = self.cleaned_data.get("min_business_age_months")
        if value is None:
            return LoanFund._meta.get_field("min_business_age_months").get_default()
        return value

    def clean_recommended_by(self):
        return self.cleaned_data.get("recommended_by") or LoanFund.RecommendedBy.STAFF

    def limits(self) -> dict[str, int | None]:
        return {firm_type: self.cleaned_data.get(name) for name, firm_type in self.LIMIT_FIELDS.items()}


class CallForm(forms.ModelForm):
    class Meta:
        model = LoanCall
        fields = ["title", "year", "half", "opens_on", "closes_on", "funds", "committee_members"]
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "funds": forms.CheckboxSelectMultiple,
            "committee_members": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "title": {"required": "공고명을 입력하세요.", "unique": "같은 이름의 공고가 있습니다."},
            "funds": {"required": "지원 기금을 하나 이상 고르세요."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funds"].queryset = LoanFund.objects.order_by("-year", "kind")
        self.fields["committee_members"].queryset = committee_users()
        self.fields["committee_members"].label_from_instance = lambda u: f"{person(u)} ({u.username})"

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["opens_on"] > data["closes_on"]:
            self.add_error("closes_on", "마감일이 시작일보다 빠릅니다.")
        return data


RubricFormSet = inlineformset_factory(
    LoanCall,
    RubricItem,
    fields=["name", "weight", "max_score", "order"],
    extra=1,
    can_delete=True,
)


class CallCopyForm(forms.Form):
    title = forms.CharField(label="새 공고명", max_length=200)
    year = forms.IntegerField(label="연도", min_value=2000, max_value=2100)
    half = forms.ChoiceField(label="구분", choices=LoanCall.Half.choices)
    opens_on = forms.DateField(label="접수 시작일", widget=DATE)
    closes_on = forms.DateField(label="접수 마감일", widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["opens_on"] > data["closes_on"]:
            self.add_error("closes_on", "마감일이 시작일보다 빠릅니다.")
        if data.get("title") and LoanCall.objects.filter(title=data["title"]).exists():
            self.add_error("title", "같은 이름의 공고가 있습니다.")
        return data


class DataSelect(forms.Select):
    """A select whose options carry data attributes (option value → attrs), for static/js/app.js."""

    def __init__(self, *args, option_attrs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_attrs = option_attrs or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update(self.option_attrs.get(str(value), {}))
        return option


class ApplicationForm(forms.ModelForm):
    firm = FirmField(label="기업", error_messages={"required": "기업을 고르세요."})
    received_on = forms.DateField(
        label="접수일",
        widget=DATE,
        required=False,
        help_text="신청서를 받은 날 (비우면 오늘). 공고의 접수 기간 안이어야 합니다.",
    )

    class Meta:
        model = LoanApplication
        fields = [
            "firm",
            "call",
            "fund",
            "requested_amount_won",
            "purpose",
            "purpose_detail",
            "repayment_method",
            "repayment_years",
            "staff_notes",
        ]
        widgets = {"staff_notes": forms.Textarea(attrs={"rows": 3}), "call": DataSelect, "fund": DataSelect}
        error_messages = {
            "firm": {"required": "기업을 고르세요."},
            "call": {"required": "공고를 고르세요."},
            "fund": {"required": "기금을 고르세요."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = LoanCall.objects.order_by("-year", "-opens_on")
        funds = LoanFund.objects.order_by("-year", "kind")
        self.fields["fund"].queryset = funds
        # Which funds each call offers, so the fund select can list only the chosen call's
        # (static/js/app.js); without JavaScript clean() says so.
        call_funds: dict[str, list[str]] = {}
        for call_id, fund_id in LoanCall.funds.through.objects.values_list("loancall_id", "loanfund_id"):
            call_funds.setdefault(str(call_id), []).append(str(fund_id))
        call_widget = self.fields["call"].widget
        call_widget.option_attrs = {pk: {"data-funds": " ".join(ids)} for pk, ids in call_funds.items()}
        call_widget.attrs["data-fund-select"] = self["fund"].auto_id
        self.fields[
            "call"
        ].help_text = "공고를 고르면 그 공고의 기금만 보입니다. 연중 수시 접수 기금은 공고 없이 신청합니다."
        year_round = funds.filter(year_round=True).values_list("pk", flat=True)
        self.fields["fund"].widget.option_attrs = {str(pk): {"data-year-round": "1"} for pk in year_round}
        self.fields["requested_amount_won"].widget.attrs["min"] = 1
        if self.instance.submitted_on:
            self.initial["received_on"] = self.instance.submitted_on

    def clean(self):
        data = super().clean()
        call, fund = data.get("call"), data.get("fund")
        # Also for a draft, which 접수 would refuse for it anyway (check_eligibility): say so now,
        # at the field, rather than save a pair that can never be received.
        if call is not None and fund is not None and not call.funds.filter(pk=fund.pk).exists():
            self.add_error("fund", "선택한 공고의 기금이 아닙니다. 공고의 기금을 고르세요.")
        return data

    def clean_received_on(self):
        # 접수일 may not be in the future: loans.services.application_submit says so.
        return self.cleaned_data.get("received_on") or timezone.localdate()

    def clean_requested_amount_won(self):
        amount = self.cleaned_data.get("requested_amount_won")
        if amount is not None and amount <= 0:
            raise forms.ValidationError("신청금액은 0원보다 커야 합니다.")
        return amount


class DocumentForm(forms.Form):
    title = forms.CharField(label="서류명", max_length=100, help_text="예: 사업자등록증, 재무제표")
    file = forms.FileField(label="파일", help_text="PDF, JPEG, PNG")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="사유", max_length=500, required=False)


class BankOutcomeForm(forms.Form):
    OUTCOMES = [("approved", "승인 (대출실행)"), ("rejected", "부결")]
    outcome = forms.ChoiceField(label="은행 심사 결과", choices=OUTCOMES, widget=forms.RadioSelect)
    executed_amount_won = forms.IntegerField(label="실행금액(원)", required=False, min_value=1)
    bank_rate = forms.DecimalField(label="대출금리(연 %)", required=False, max_digits=5, decimal_places=2)
    executed_on = forms.DateField(label="대출실행일", required=False, widget=DATE)
    reason = forms.CharField(label="부결 사유 / 비고", required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "approved":
            for name, message in (
                ("executed_amount_won", "실행금액을 입력하세요."),
                ("bank_rate", "대출금리를 입력하세요."),
                ("executed_on", "대출실행일을 입력하세요."),
            ):
                if data.get(name) in (None, ""):
                    self.add_error(name, message)
        elif data.get("outcome") == "rejected" and not (data.get("reason") or "").strip():
            self.add_error("reason", "부결 사유를 입력하세요.")
        return data


class PaidForm(forms.Form):
    paid_on = forms.DateField(label="납입일", widget=DATE)


class GuaranteeSendForm(forms.Form):
    sent_on = forms.DateField(
        label="보증 신청일", widget=DATE, error_messages={"required": "보증 신청일을 입력하세요."}
    )
    applications = forms.TypedMultipleChoiceField(
        label="보낼 신청",
        coerce=int,
        choices=(),
        error_messages={"required": "보증기관에 보낼 신청을 하나 이상 고르세요."},
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = choices


class GuaranteeResultForm(forms.Form):
    OUTCOMES = [("approved", "승인"), ("rejected", "거절")]
    outcome = forms.ChoiceField(label="보증 심사 결과", choices=OUTCOMES, widget=forms.RadioSelect)
    guarantee_amount_won = forms.IntegerField(label="보증금액(원)", required=False, min_value=1)
    ratio_pct = forms.DecimalField(label="보증비율(%)", required=False, max_digits=5, decimal_places=2)
    fee_pct = forms.DecimalField(label="보증료(연 %)", required=False, max_digits=5, decimal_places=2)
    certificate_number = forms.CharField(label="보증서 번호", required=False, max_length=50)
    decided_on = forms.DateField(
        label="결과일", widget=DATE, error_messages={"required": "결과일을 입력하세요."}
    )
    reason = forms.CharField(label="거절 사유", required=False, max_length=300)


class AmountForm(forms.Form):
    """The amount of a workflow button that asks for one (구 추천's 추천금액)."""

    amount_won = forms.IntegerField(label="금액(원)", min_value=1)
