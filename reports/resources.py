"""Excel import/export of the plan card's historical results (추진실적), e.g. '16년 47개사 4,927백만원.

One row per result: 구분 (the plan card's result series) + 연도 + 기간. The plan is named by
관리번호 (e.g. III-2-1); without that column, the (only) plan card is meant. Amounts may be typed
as the plan card writes them ("4,927백만원") or in won.
"""

from django.core.exceptions import ValidationError

from guro_sme.imports import parsing
from guro_sme.imports.base import Column, KoreanResource
from guro_sme.imports.widgets import (
    AmountWidget,
    BooleanWidget,
    ChoiceWidget,
    IntegerWidget,
    KoreanWidget,
    TextWidget,
)
from guro_sme.korean import particle

from .models import HistoricalResult, Period, PlanCard, ResultSeries


class SeriesWidget(KoreanWidget):
    """On the 구분 column: the result series of the row's plan (관리번호, or the only plan)."""

    def __init__(self):
        super().__init__(required=True)
        self._cache: dict = {}

    def clean(self, value, row=None, **kwargs):
        self._row = row or {}
        return super().clean(value, row=row, **kwargs)

    def parse(self, value):
        name = parsing.cell_text(value)
        code = parsing.cell_text(self._row.get("관리번호"))
        key = (code, name)
        if key not in self._cache:
            plan = (
                PlanCard.objects.filter(code=code).first()
                if code
                else PlanCard.objects.order_by("code").first()
            )
            if plan is None:
                raise ValueError(
                    f"구정 계획 카드가 없습니다{f': {code}' if code else ''}. 먼저 보고서 화면에서 계획 카드를 입력하세요."
                )
            series = ResultSeries.objects.filter(plan=plan, name=name).first()
            names = ", ".join(plan.result_series.values_list("name", flat=True))
            self._cache[key] = (series, names)
        series, names = self._cache[key]
        if series is None:
            raise ValueError(f"계획 카드에 없는 추진실적 구분입니다: '{name}'. 있는 구분: {names}")
        return series

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class HistoricalResultResource(KoreanResource):
    title = "추진실적 (과거 실적)"
    description = "계획 카드의 추진실적: 구분·연도·기간으로 같은 행을 찾습니다. 금액은 원 또는 '4,927백만원'처럼 입력합니다."
    aliases = {
        "사업": "구분",
        "추진내용": "구분",
        "실적 업체수": "업체수",
        "지원금액": "금액",
        "실적 금액": "금액",
    }

    plan_code = Column(
        "series__plan__code",
        "관리번호",
        TextWidget(),
        readonly=True,
        help="예: III-2-1 (비우면 계획 카드가 하나일 때 그 카드)",
    )
    series = Column("series", "구분", SeriesWidget(), help="예: 중소기업·소상공인 자금지원")
    year = Column(
        "year", "연도", IntegerWidget(required=True, what="연도", suffixes=("년",)), help="예: 2016"
    )
    period = Column(
        "period",
        "기간",
        ChoiceWidget(Period.choices),
        default=Period.YEAR,
        help="연간, 상반기, 하반기 (비우면 연간)",
    )
    firms = Column("firms", "업체수", IntegerWidget(required=True, what="업체수"), help="예: 47")
    amount = Column("amount_won", "금액", AmountWidget(), help="원 단위 또는 4,927백만원")
    counted = Column(
        "counted_in_records",
        "시스템 기록에 포함",
        BooleanWidget(default=False),
        help="같은 지원이 시스템 기록에도 있으면 '예' (보고서가 두 번 세지 않습니다). 비우면 '아니오'",
    )

    class Meta:
        model = HistoricalResult
        fields = ("plan_code", "series", "year", "period", "firms", "amount", "counted")
        import_id_fields = ("series", "year", "period")

    def get_queryset(self):
        return HistoricalResult.objects.select_related("series__plan")

    def get_export_queryset(self):
        return self.get_queryset().order_by("series__plan__code", "series__order", "year", "period")

    def validate_row(self, instance, row) -> None:
        if not instance.series.has_amounts and instance.amount_won is not None:
            raise ValidationError(
                {
                    "amount": f"'{instance.series.name}'{particle(instance.series.name, '은')} 금액 실적이 없는 구분입니다: 금액 칸을 비워 두세요."
                }
            )
