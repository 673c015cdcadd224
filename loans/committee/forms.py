from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from guro_sme.roles import Role
from guro_sme.templatetags.people import person
from loans.models import LoanCall

from .models import InterestDeclaration, MemberProfile, Objection, Vote


def _member_label(user) -> str:
    return person(user)


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        profile = getattr(obj, "committee_profile", None)
        if profile is None:
            return f"{_member_label(obj)} ({obj.username}, 위촉 정보 없음)"
        return (
            f"{_member_label(obj)} ({profile.get_committee_role_display()}, {profile.get_kind_display()}"
            f"{', ' + profile.affiliation if profile.affiliation else ''})"
        )


class MeetingForm(forms.Form):
    call = forms.ModelChoiceField(
        label="공고",
        queryset=LoanCall.objects.all(),
        error_messages={"invalid_choice": "목록에 있는 공고를 선택하세요.", "required": "공고를 선택하세요."},
    )
    title = forms.CharField(
        label="회의명", max_length=200, error_messages={"required": "회의명을 입력하세요."}
    )
    held_on = forms.DateField(
        label="회의일",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "회의일을 입력하세요.",
            "invalid": "날짜를 YYYY-MM-DD 형식으로 입력하세요.",
        },
    )
    place = forms.CharField(label="장소", max_length=100, required=False)
    starts_at = forms.TimeField(
        label="개회 시각",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": "시각을 HH:MM 형식으로 입력하세요."},
    )
    members = MemberChoiceField(
        label="위원",
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="비워 두면 공고에 지정된 심의위원 중 임기 중인 위원으로 구성합니다. 임기가 끝난 위원은 목록에 없습니다.",
        error_messages={"invalid_choice": "심의위원 역할이 있는 사용자만 선택할 수 있습니다."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A member whose term ended is not offered.
        today = timezone.localdate()
        self.fields["members"].queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.COMMITTEE)
            .exclude(committee_profile__term_ends_on__lt=today)
            .select_related("committee_profile")
            .order_by("username")
            .distinct()
        )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label="출석 위원",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "이 회의의 위원만 선택할 수 있습니다."},
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(m.member_id), _member_label(m.member)) for m in memberships]
        if not self.is_bound:
            self.initial["present"] = [str(m.member_id) for m in memberships if m.present]


class AmountForm(forms.Form):
    amount_won = forms.IntegerField(
        label="의결 금액(원)",
        min_value=1,
        error_messages={
            "required": "의결 금액을 입력하세요.",
            "invalid": "금액은 원 단위 숫자로 입력하세요.",
            "min_value": "의결 금액은 0원보다 커야 합니다.",
        },
    )


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label="회피 사유", max_length=200, error_messages={"required": "회피 사유를 입력하세요."}
    )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label="표결",
        choices=Vote.Choice.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "찬성, 반대, 기권 중 하나를 선택하세요.",
            "invalid_choice": "찬성, 반대, 기권 중 하나를 선택하세요.",
        },
    )
    comment = forms.CharField(
        label="의견", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScoreForm(forms.Form):
    """One field per rubric item of the call, named `r<id>`, each 0..max; the label shows the
    item's weight, so a member knows how much each score counts."""

    def __init__(self, *args, rubric, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = list(rubric)
        total_weight = sum(r.weight for r in self.rubric)
        for r in self.rubric:
            self.fields[f"r{r.pk}"] = forms.IntegerField(
                label=f"{r.name} (0~{r.max_score}점, 가중치 {r.weight}/{total_weight})",
                min_value=0,
                max_value=r.max_score,
                initial=(initial_scores or {}).get(r.pk),
                error_messages={
                    "required": f"{r.name} 점수를 입력하세요.",
                    "invalid": f"{r.name} 점수는 숫자로 입력하세요.",
                    "min_value": f"{r.name} 점수는 0점부터 {r.max_score}점까지입니다.",
                    "max_value": f"{r.name} 점수는 0점부터 {r.max_score}점까지입니다.",
                },
            )

    def scores(self) -> dict[int, int]:
        return {r.pk: self.cleaned_data[f"r{r.pk}"] for r in self.rubric}


class BudgetForm(forms.Form):
    fund = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "기금을 선택하세요."})
    amount_won = forms.IntegerField(
        label="이번 회의 배정액(원)",
        min_value=1,
        required=False,
        help_text="비우면 기금 잔액 전체",
        error_messages={
            "invalid": "금액은 원 단위 숫자로 입력하세요.",
            "min_value": "배정액은 0원보다 커야 합니다.",
        },
    )


class HoldForm(forms.Form):
    reason = forms.CharField(
        label="보류 사유", max_length=300, error_messages={"required": "보류 사유를 입력하세요."}
    )


class ObjectionForm(forms.Form):
    member = forms.TypedChoiceField(
        label="기피 대상 위원",
        coerce=int,
        error_messages={"required": "위원을 선택하세요.", "invalid_choice": "이 회의의 위원을 선택하세요."},
    )
    reason = forms.CharField(
        label="기피 사유", max_length=300, error_messages={"required": "기피 사유를 입력하세요."}
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.member_id, _member_label(m.member)) for m in memberships]


class ObjectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="의결",
        choices=[(Objection.Decision.ACCEPTED, "인용"), (Objection.Decision.DISMISSED, "기각")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "인용 또는 기각을 선택하세요.",
            "invalid_choice": "인용 또는 기각을 선택하세요.",
        },
    )
    yes_count = forms.IntegerField(
        label="인용 찬성(명)",
        min_value=0,
        error_messages={
            "required": "찬성 수를 입력하세요.",
            "invalid": "숫자로 입력하세요.",
            "min_value": "0 이상이어야 합니다.",
        },
    )
    no_count = forms.IntegerField(
        label="인용 반대(명)",
        min_value=0,
        error_messages={
            "required": "반대 수를 입력하세요.",
            "invalid": "숫자로 입력하세요.",
            "min_value": "0 이상이어야 합니다.",
        },
    )


class MinutesForm(forms.Form):
    """The meeting's times and, per agenda item, 발언요지 and 의결 조건 (fields s<id> and c<id>)."""

    starts_at = forms.TimeField(
        label="개회 시각",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": "시각을 HH:MM 형식으로 입력하세요."},
    )
    ends_at = forms.TimeField(
        label="폐회 시각",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": "시각을 HH:MM 형식으로 입력하세요."},
    )

    def __init__(self, *args, meeting, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        if not self.is_bound:
            self.initial.update({"starts_at": meeting.starts_at, "ends_at": meeting.ends_at})
        for item in self.items:
            self.fields[f"s{item.pk}"] = forms.CharField(
                label=f"{item.order}. {item.application.firm.name} 발언요지",
                required=False,
                max_length=5000,
                initial=item.discussion_summary,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"c{item.pk}"] = forms.CharField(
                label=f"{item.order}. {item.application.firm.name} 의결 조건",
                required=False,
                max_length=500,
                initial=item.conditions,
            )

    def item_minutes(self) -> dict[int, tuple[str, str]]:
        return {i.pk: (self.cleaned_data[f"s{i.pk}"], self.cleaned_data[f"c{i.pk}"]) for i in self.items}


class MemberProfileForm(forms.ModelForm):
    """A member's appointment (위촉 정보): parsing only; the rules are in services.member_profile_save."""

    class Meta:
        model = MemberProfile
        fields = ["kind", "affiliation", "committee_role", "appointed_on", "term_ends_on", "address"]
        widgets = {
            "appointed_on": forms.DateInput(attrs={"type": "date"}),
            "term_ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {
            "kind": {"required": "위원 구분을 고르세요.", "invalid_choice": "위원 구분을 목록에서 고르세요."},
            "committee_role": {
                "required": "위원회 직위를 고르세요.",
                "invalid_choice": "위원회 직위를 목록에서 고르세요.",
            },
            "appointed_on": {"required": "위촉일을 입력하세요.", "invalid": "위촉일을 날짜로 입력하세요."},
            "term_ends_on": {"invalid": "임기 만료일을 날짜로 입력하세요."},
        }


class InterestForm(forms.Form):
    """One declared interest (이해관계 신고); the business number is checked by the service."""

    relation = forms.ChoiceField(
        label="관계",
        choices=InterestDeclaration.Relation.choices,
        error_messages={"required": "관계를 고르세요.", "invalid_choice": "관계를 목록에서 고르세요."},
    )
    business_number = forms.CharField(
        label="사업자등록번호",
        max_length=12,  # 123-45-67890 with dashes; the service keeps the digits
        required=False,
        help_text="사업자등록번호 또는 회사명 중 하나는 입력하세요.",
        error_messages={"max_length": "사업자등록번호는 10자리 숫자입니다 (예: 123-45-67890)."},
    )
    firm_name = forms.CharField(label="회사명", max_length=100, required=False)
    representative = forms.CharField(label="대표자", max_length=50, required=False)
    note = forms.CharField(label="내용", max_length=200, required=False)
