from django import forms

from guro_sme.forms import FirmField, WonField

from .models import KotraProject, Participant, SubProgram
from .services import Fees


class ProjectForm(forms.ModelForm):
    budget_won = WonField(label="소요예산(원)", help_text="예: 15,000,000")
    cap_per_sub_program_won = WonField(
        label="세부사업별 지원한도(원)",
        min_won=1,
        help_text="예: 1,750,000 (참가비의 지원비율, 최대 이 금액)",
    )

    class Meta:
        model = KotraProject
        fields = [
            "year",
            "title",
            "organization",
            "budget_won",
            "target_firms",
            "subsidy_rate",
            "cap_per_sub_program_won",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "year": {"required": "연도를 입력하세요."},
            "budget_won": {"required": "소요예산을 입력하세요."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The year is the project's address (/kotra/projects/2017/); it does not change.
            self.fields["year"].disabled = True


class ParticipantForm(forms.Form):
    firm = FirmField(label="기업", error_messages={"required": "기업을 선택하세요."})
    # Free text with suggestions (datalists on the form page, from the view): a new office is created on first use.
    trade_office_city = forms.CharField(
        label="무역관 도시",
        max_length=50,
        error_messages={"required": "무역관 도시를 입력하세요."},
        widget=forms.TextInput(attrs={"list": "kotra-office-cities", "autocomplete": "off"}),
    )
    trade_office_country = forms.CharField(
        label="무역관 국가",
        max_length=50,
        error_messages={"required": "무역관 국가를 입력하세요."},
        widget=forms.TextInput(attrs={"list": "kotra-office-countries", "autocomplete": "off"}),
    )
    product = forms.CharField(
        label="생산품명", max_length=100, required=False, help_text="비워 두면 기업의 업종"
    )
    branch_fee = WonField(
        label=f"{SubProgram.BRANCH.label} 참가비(원)",
        required=False,
        min_won=1,
        help_text="마케팅 및 수출지원. 참여하지 않으면 비워 두세요.",
    )
    logistics_fee = WonField(
        label=f"{SubProgram.LOGISTICS.label} 참가비(원)",
        required=False,
        min_won=1,
        help_text="현지 물류창고 이용지원 및 물류 컨설팅. 참여하지 않으면 비워 두세요.",
    )
    other_agency_funded = forms.BooleanField(
        label="타 기관 지원 여부 (같은 무역관에 대해 다른 기관의 지원을 받고 있음)", required=False
    )
    other_agency_name = forms.CharField(label="타 기관명", max_length=100, required=False)
    note = forms.CharField(label="비고", max_length=200, required=False)

    def __init__(self, *args, participant: Participant | None = None, **kwargs):
        if participant is not None and "initial" not in kwargs:
            fees = {fee.sub_program: fee.fee_won for fee in participant.fees.all()}
            kwargs["initial"] = {
                "firm": participant.firm_id,
                "trade_office_city": participant.trade_office.city,
                "trade_office_country": participant.trade_office.country,
                "product": participant.product,
                "branch_fee": fees.get(SubProgram.BRANCH),
                "logistics_fee": fees.get(SubProgram.LOGISTICS),
                "note": participant.note,
            }
        super().__init__(*args, **kwargs)
        if participant is not None:
            self.fields["firm"].disabled = True

    def clean(self):
        data = super().clean()
        if not self.errors and data.get("branch_fee") is None and data.get("logistics_fee") is None:
            raise forms.ValidationError("해외지사화 또는 물류네트워크 중 하나 이상의 참가비를 입력하세요.")
        return data

    def fees(self) -> Fees:
        return Fees(
            branch=self.cleaned_data.get("branch_fee"), logistics=self.cleaned_data.get("logistics_fee")
        )
