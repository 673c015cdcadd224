import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone

from .imports.parsing import parse_amount
from .models import Firm
from .privacy import FIRM_CONTACT, consent_notice
from .validators import normalize_business_number, validate_business_number


class FirmForm(forms.ModelForm):
    # A wider text field than the stored 10 digits: staff type the dashes.
    business_number = forms.CharField(
        label="사업자등록번호",
        max_length=20,
        help_text="예: 123-45-67890 (하이픈은 있어도 없어도 됩니다)",
        error_messages={"required": "사업자등록번호를 입력하세요."},
    )

    class Meta:
        model = Firm
        fields = [
            "business_number",
            "name",
            "representative",
            "representative_gender",
            "firm_type",
            "address",
            "in_district",
            "industry",
            "employees",
            "founded_on",
            "closed_on",
            "phone",
            "email",
        ]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "name": {"required": "회사명을 입력하세요."},
            "representative": {"required": "대표자를 입력하세요."},
            "firm_type": {"required": "기업구분을 선택하세요."},
        }

    consent = forms.BooleanField(
        required=False, error_messages={"required": "개인정보 수집·이용 동의를 확인하세요."}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["business_number"] = self.instance.business_number_display
        notice = consent_notice(FIRM_CONTACT)
        field = self.fields["consent"]
        field.label = notice.label
        field.help_text = notice.text
        if self.instance.consent_at:
            field.help_text += f" (동의 기록: {timezone.localtime(self.instance.consent_at):%Y.%m.%d}. 새로 받았으면 다시 표시하세요.)"
        else:
            # New firms always; the service also refuses changed contacts without a consent.
            field.required = self.instance.pk is None

    def clean_business_number(self):
        value = self.cleaned_data["business_number"]
        validate_business_number(value)
        return normalize_business_number(value)


class LoginForm(AuthenticationForm):
    """Django's own Korean login refusal writes both particles after 이름; this one reads right."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "사용자 이름과 비밀번호가 맞지 않습니다. 대문자와 소문자를 구별합니다.",
    }


class AccessLogSearchForm(forms.Form):
    person = forms.CharField(label="정보주체 (이름·사업자번호·전화)", required=False, max_length=50)
    account = forms.CharField(label="계정", required=False, max_length=150)
    date_from = forms.DateField(
        label="기간 시작", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label="기간 끝", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("기간 시작이 끝보다 늦습니다.")
        return data


WON_UNITS = {"원": 1, "천원": 1_000, "백만원": 1_000_000}
MAX_WON = 10**13 - 1  # 10조 원: a longer number is a typo, not an amount


class WonField(forms.CharField):
    """An amount typed in `unit` (원, 천원 or 백만원, as the plan card's tables show it), cleaned to
    integer won. In 원 it reads what the import parser reads: '3,500,000', '3500000원', '350만원'."""

    def __init__(self, *args, unit: str = "원", min_won: int = 0, **kwargs):
        if unit not in WON_UNITS:
            raise ValueError(f"unknown unit {unit!r}")
        self.unit, self.factor, self.min_won = unit, WON_UNITS[unit], min_won
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "maxlength": "20"})

    def _invalid(self):
        return forms.ValidationError(
            f"금액은 {self.unit} 단위 숫자로 입력하세요 (예: {3_500_000 // self.factor or 35:,}).",
            code="invalid",
        )

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        # ASCII digits only (no full-width or other scripts' digits).
        if not re.fullmatch(r"[0-9,.\s만억원₩]+", text):
            raise self._invalid()
        if self.factor == 1:
            try:
                won = parse_amount(text)
            except ValueError:
                raise self._invalid() from None
        else:
            try:
                amount = Decimal(re.sub(r"[,\s]", "", text).removesuffix(self.unit)) * self.factor
            except InvalidOperation:
                raise self._invalid() from None
            if amount != amount.to_integral_value():
                raise self._invalid()
            won = int(amount)
        if won is None or won > MAX_WON:
            raise self._invalid()
        if won < self.min_won:
            raise forms.ValidationError(f"{self.min_won:,}원 이상으로 입력하세요.", code="min_value")
        return won

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value // self.factor:,}" if value % self.factor == 0 else f"{value:,}"
        return value


MAX_CHOSEN = 500  # ticked rows in one bulk action: more is not a page anyone ticked by hand


class ChosenIdsField(forms.Field):
    """The rows ticked on a list for a bulk action (every value of one checkbox name), cleaned to
    a list of distinct ids in the order sent. Junk (not a positive id) refuses the whole choice, so
    nothing is written for a tampered or stale form; whether each id may be acted on is the
    service's question. `empty` is the Korean sentence for nothing ticked."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *args, empty: str, **kwargs):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", empty)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        ids = []
        for item in values:
            text = str(item).strip()
            if not (text.isascii() and text.isdigit() and 0 < len(text) < 12 and int(text) > 0):
                raise forms.ValidationError("선택한 항목을 알아볼 수 없습니다. 목록을 다시 열어 선택하세요.")
            if int(text) not in ids:
                ids.append(int(text))
        if len(ids) > MAX_CHOSEN:
            raise forms.ValidationError(f"한 번에 {MAX_CHOSEN:,}건까지 처리할 수 있습니다.")
        return ids


def firm_label(firm: Firm) -> str:
    """How a firm is named in the firm field and its suggestions: 회사명 (사업자등록번호), marked 관외."""
    return f"{firm.name} ({firm.business_number_display})" + ("" if firm.in_district else " · 관외")


def _is_firm_id(text: str) -> bool:
    """A firm's id, not a 사업자등록번호 (always ten digits)."""
    return text.isdigit() and len(text) < 10


class FirmSearchInput(forms.TextInput):
    """The firm typed as its 사업자등록번호, or picked from the suggestions static/js/app.js fills
    in from /firms/lookup/ as staff type (회사명, 대표자 or 번호): the page never lists every firm."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "inputmode": "search",
                "data-firm-lookup": reverse_lazy("firm_lookup"),
                **(attrs or {}),
            }
        )

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.html import format_html

        suggestions = f"{(attrs or {}).get('id', name)}-suggestions"
        field = super().render(name, value, {**(attrs or {}), "list": suggestions}, renderer)
        return format_html('{}<datalist id="{}"></datalist>', field, suggestions)

    def format_value(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, Firm):
            return firm_label(value)
        text = str(value)
        if _is_firm_id(text):  # the form's initial or its instance
            firm = Firm.objects.filter(pk=text).first()
            return firm_label(firm) if firm else text
        return text


class FirmField(forms.ModelChoiceField):
    """A firm from what staff typed: a suggestion's label, a 사업자등록번호 with or without dashes,
    or a firm's id (the firm page's "융자 신청" link and older forms post it)."""

    widget = FirmSearchInput
    default_error_messages = {
        "invalid_choice": "등록된 기업을 찾을 수 없습니다. 사업자등록번호(예: 123-45-67890)를 입력하거나 제안 목록에서 고르세요."
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Firm.objects.all())
        kwargs.setdefault("help_text", "회사명, 대표자 또는 사업자등록번호를 입력하면 기업을 제안합니다.")
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if _is_firm_id(text):
            return super().to_python(text)
        numbers = re.findall(r"\(([0-9][0-9 -]{8,14}[0-9])\)", text)
        number = normalize_business_number(numbers[-1] if numbers else text)
        firm = (
            self.queryset.filter(business_number=number).first()
            if re.fullmatch(r"[0-9]{10}", number)
            else None
        )
        if firm is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return firm
