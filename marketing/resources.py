"""Excel import/export of the marketing support's selected firms (participants) and their results.

One row per firm per year (연도 + 사업자등록번호). Every row goes through
`marketing.services.selection_save`: in-district firms only, once per year, the event must belong
to the year, and the year's costs may not pass the budget.
"""

from django.core.exceptions import ValidationError

from guro_sme.imports import parsing
from guro_sme.imports.base import Column, KoreanResource, firm_name_mismatch
from guro_sme.imports.widgets import (
    AmountWidget,
    DateWidget,
    FirmWidget,
    IntegerWidget,
    TextWidget,
    YearWidget,
)

from .models import BloggerEvent, MarketingProject, Selection
from .services import selection_save


class EventDateWidget(DateWidget):
    """The year's 품평회 by its date (a year rarely has two); empty = none."""

    def clean(self, value, row=None, **kwargs):
        self._year = parsing.cell_text((row or {}).get("연도"))
        return super().clean(value, row=row, **kwargs)

    def parse(self, value):
        held_on = super().parse(value)
        year = self._year.removesuffix("년")
        events = BloggerEvent.objects.filter(held_on=held_on)
        if year.isdigit():
            events = events.filter(project__year=int(year))
        event = events.first()
        if event is None:
            raise ValueError(
                f"{held_on:%Y.%m.%d}에 열린 품평회가 없습니다: 마케팅 화면에서 품평회를 먼저 등록하거나 칸을 비워 두세요."
            )
        return event

    def render(self, value, obj=None, **kwargs):
        return value.held_on if value else ""


class MarketingParticipantResource(KoreanResource):
    title = "마케팅 지원 선정기업"
    description = (
        "소셜네트워크 마케팅 지원 선정기업과 홍보 실적: 연도와 사업자등록번호로 같은 행을 찾고, 관내 기업·연 1회·예산 "
        "한도를 확인합니다."
    )
    aliases = {"사업자번호": "사업자등록번호", "지원금": "지원비용", "비용": "지원비용", "상호": "회사명"}
    domain_error_field = "business_number"

    year = Column(
        "project",
        "연도",
        YearWidget(
            MarketingProject,
            what="마케팅 지원사업 연도",
            hint="먼저 마케팅 화면에서 그 해 사업(예산)을 등록하세요.",
        ),
        help="사업 연도 (예: 2018)",
    )
    business_number = Column("firm", "사업자등록번호", FirmWidget(), help="등록된 기업의 사업자등록번호")
    firm_name = Column(
        "firm__name",
        "회사명",
        TextWidget(),
        readonly=True,
        help="확인용: 채우면 등록된 회사명과 같아야 합니다.",
    )
    event = Column(
        "event", "품평회 개최일", EventDateWidget(), help="그 해 품평회의 날짜 (없으면 비워 두세요)"
    )
    product = Column("product", "홍보 제품·기술", TextWidget(max_length=100))
    cost = Column("cost_won", "지원비용", AmountWidget(required=True), help="원 단위: 1,500,000 또는 150만원")
    posts = Column("posts_count", "게시글 수", IntegerWidget(what="게시글 수"), default=0)
    reach = Column("reach", "도달 수", IntegerWidget(what="도달 수"), default=0)
    link = Column("link_url", "게시글 링크", TextWidget(max_length=200), help="대표 게시글 주소 (https://…)")
    note = Column("note", "비고", TextWidget(max_length=200))

    class Meta:
        model = Selection
        fields = (
            "year",
            "business_number",
            "firm_name",
            "event",
            "product",
            "cost",
            "posts",
            "reach",
            "link",
            "note",
        )
        import_id_fields = ("year", "business_number")

    def get_queryset(self):
        return Selection.objects.select_related("project", "firm", "event")

    def get_export_queryset(self):
        return self.get_queryset().order_by("-project__year", "pk")

    def filter_for_export(self, queryset, params):
        year = (params.get("year") or "").strip()
        return queryset.filter(project__year=int(year)) if year.isdigit() else queryset

    def validate_row(self, instance, row) -> None:
        mismatch = firm_name_mismatch(instance.firm, row)
        if mismatch:
            raise ValidationError({"firm_name": mismatch})

    def save_row(self, instance, *, is_create: bool, row) -> None:
        selection_save(
            project=instance.project,
            firm=instance.firm,
            cost_won=instance.cost_won,
            actor=self.user,
            selection=None if is_create else instance,
            event=instance.event,
            product=instance.product,
            posts_count=instance.posts_count or 0,
            reach=instance.reach or 0,
            link_url=instance.link_url,
            note=instance.note,
        )
