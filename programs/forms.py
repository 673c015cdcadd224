from django import forms

from guro_sme.forms import ChosenIdsField
from guro_sme.models import Firm, Organization
from guro_sme.privacy import PROGRAM_REGISTRATION, consent_notice
from guro_sme.validators import normalize_business_number

from .models import ApplicantCategory, Consultation, ConsultationTopic, ProgramRun

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _firm_by_number(value: str) -> Firm | None:
    digits = normalize_business_number(value)
    if not digits:
        return None
    firm = Firm.objects.filter(business_number=digits).first()
    if firm is None:
        raise forms.ValidationError("등록되지 않은 사업자등록번호입니다. 먼저 기업을 등록하세요.")
    return firm


class CertificatesIssueForm(forms.Form):
    """The completers list's bulk 수료증 발급: the ticked registrations."""

    registration = ChosenIdsField(empty="수료증을 발급할 수료자를 한 명 이상 선택하세요.")


class RegistrationForm(forms.Form):
    name = forms.CharField(label="성명", max_length=50, error_messages={"required": "성명을 입력하세요."})
    phone = forms.CharField(
        label="연락처",
        max_length=20,
        help_text="예: 010-1234-5678",
        error_messages={"required": "연락처를 입력하세요."},
    )
    birth_date = forms.DateField(
        label="생년월일", required=False, widget=DATE, error_messages={"invalid": "날짜를 바르게 입력하세요."}
    )
    category = forms.ChoiceField(
        label="신청 구분",
        choices=[("", "선택하세요"), *ApplicantCategory.choices],
        error_messages={
            "required": "신청 구분을 선택하세요.",
            "invalid_choice": "신청 구분을 목록에서 고르세요.",
        },
    )
    business_number = forms.CharField(
        label="소속 기업 사업자등록번호",
        max_length=20,
        required=False,
        help_text="기업과 연결할 때만 입력합니다 (기존사업자는 필수: 개업일 확인).",
    )

    consent = forms.BooleanField(
        label=consent_notice(PROGRAM_REGISTRATION).label,
        error_messages={
            "required": "개인정보 수집·이용 동의를 받아야 등록할 수 있습니다. 동의를 확인하세요."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The notice names the retention period from the settings: read it per form, not at import.
        self.fields["consent"].help_text = consent_notice(PROGRAM_REGISTRATION).text

    def clean_business_number(self):
        return _firm_by_number(self.cleaned_data.get("business_number", ""))


class ConsultationForm(forms.ModelForm):
    business_number = forms.CharField(
        label="기업 사업자등록번호", max_length=20, required=False, help_text="기업이면 입력합니다."
    )

    class Meta:
        model = Consultation
        fields = [
            "business_number",
            "visitor_name",
            "agency",
            "topic",
            "notes",
            "follow_up_needed",
            "follow_up_done",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "agency": {
                "required": "상담 기관을 선택하세요.",
                "invalid_choice": "상담 기관을 목록에서 고르세요.",
            },
            "topic": {
                "required": "상담 분야를 선택하세요.",
                "invalid_choice": "상담 분야를 목록에서 고르세요.",
            },
        }

    def __init__(self, *args, run: ProgramRun, **kwargs):
        super().__init__(*args, **kwargs)
        partners = run.partners.all()
        self.fields["agency"].queryset = partners if partners.exists() else Organization.objects.all()
        self.fields["agency"].empty_label = "선택하세요"
        self.fields["topic"].choices = [("", "선택하세요"), *ConsultationTopic.choices]
        if self.instance.firm_id:
            self.initial["business_number"] = self.instance.firm.business_number_display

    def clean_business_number(self):
        return _firm_by_number(self.cleaned_data.get("business_number", ""))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("business_number") and not (cleaned.get("visitor_name") or "").strip():
            raise forms.ValidationError("기업 사업자등록번호나 방문자 이름 중 하나는 입력하세요.")
        # Set before the model's constraint checks (firm or visitor) run in _post_clean.
        self.instance.firm = cleaned.get("business_number")
        if cleaned.get("follow_up_done"):
            cleaned["follow_up_needed"] = True
        return cleaned


class RunForm(forms.ModelForm):
    eligible_categories = forms.MultipleChoiceField(
        label="신청 가능 구분",
        choices=ApplicantCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="고른 구분의 신청자만 받습니다. 비우면 제한 없음",
    )

    class Meta:
        model = ProgramRun
        fields = [
            "kind",
            "name",
            "year",
            "half",
            "place",
            "capacity",
            "target_audience",
            "curriculum",
            "partners",
            "co_host",
            "eligible_categories",
            "completion_rule",
            "completion_minimum",
            "founded_within_months",
            "note",
        ]
        widgets = {"curriculum": forms.Textarea(attrs={"rows": 4}), "partners": forms.CheckboxSelectMultiple}
        error_messages = {
            "name": {"required": "사업명을 입력하세요."},
            "year": {"required": "연도를 입력하세요."},
            "place": {"required": "장소를 입력하세요."},
            "capacity": {"required": "정원을 입력하세요."},
            "kind": {"required": "사업 구분을 선택하세요."},
        }

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError("연도를 바르게 입력하세요 (예: 2018).")
        return year

    # The capacity and completion rules live in services.run_save.


class SessionForm(forms.Form):
    date = forms.DateField(
        label="일자",
        widget=DATE,
        error_messages={"required": "일자를 입력하세요.", "invalid": "날짜를 바르게 입력하세요."},
    )
    start_time = forms.TimeField(
        label="시작",
        widget=TIME,
        error_messages={"required": "시작 시각을 입력하세요.", "invalid": "시각을 바르게 입력하세요."},
    )
    end_time = forms.TimeField(
        label="종료",
        widget=TIME,
        error_messages={"required": "종료 시각을 입력하세요.", "invalid": "시각을 바르게 입력하세요."},
    )
    topic = forms.CharField(label="주제", max_length=200, required=False)
