from django import forms

# One parser for amounts typed by staff ('15,000,000', '1500000원'), shared with the KOTRA forms.
from guro_sme.forms import FirmField, WonField

from .models import BloggerEvent, MarketingProject, Selection


class ProjectForm(forms.ModelForm):
    budget_won = WonField(label="예산(원)", help_text="예: 15,000,000")

    class Meta:
        model = MarketingProject
        fields = ["year", "title", "budget_won", "target_firms", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"year": {"required": "연도를 입력하세요."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The year is the project's address (/marketing/projects/2018/); it does not change.
            self.fields["year"].disabled = True


class EventForm(forms.ModelForm):
    bloggers_invited = forms.IntegerField(
        label="초청 블로거 수",
        min_value=0,
        required=False,
        help_text="비워 두면 아래 명단의 인원 수",
        error_messages={"invalid": "초청 블로거 수는 숫자로 입력하세요."},
    )

    class Meta:
        model = BloggerEvent
        fields = ["title", "held_on", "place", "bloggers_invited", "blogger_names", "note"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "blogger_names": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "held_on": {
                "required": "개최일을 입력하세요.",
                "invalid": "개최일을 2018-06-15 형식으로 입력하세요.",
            },
            "place": {"required": "장소를 입력하세요."},
        }

    def clean_bloggers_invited(self):
        return self.cleaned_data["bloggers_invited"] or 0


class SelectionForm(forms.ModelForm):
    cost_won = WonField(
        label="지원비용(원)", help_text="예: 1,500,000", error_messages={"required": "지원비용을 입력하세요."}
    )
    link_url = forms.URLField(
        label="대표 게시글 링크",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "링크는 https://로 시작하는 주소로 입력하세요."},
    )
    firm = FirmField(label="기업", error_messages={"required": "기업을 선택하세요."})

    class Meta:
        model = Selection
        fields = ["firm", "event", "product", "cost_won", "posts_count", "reach", "link_url", "note"]
        error_messages = {
            "posts_count": {"invalid": "게시글 수는 숫자로 입력하세요."},
            "reach": {"invalid": "도달(조회) 수는 숫자로 입력하세요."},
        }

    def __init__(self, *args, project: MarketingProject, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = project.events.all()
        self.fields["event"].empty_label = "(선택 안 함)"
        self.fields["event"].error_messages["invalid_choice"] = "이 사업의 품평회를 고르세요."
        for name in ("posts_count", "reach"):
            # Results come after the promotion: blank while the firm is only selected.
            self.fields[name].required = False
        if self.instance.pk:
            self.fields["firm"].disabled = True

    def clean_posts_count(self):
        return self.cleaned_data["posts_count"] or 0

    def clean_reach(self):
        return self.cleaned_data["reach"] or 0
