"""Small-multiple bar charts as numbers for a server-rendered SVG (templates/reports/_bar_chart.html).

No JavaScript and no chart library: the geometry is computed here and tested; the template only
draws rectangles and labels.

Readability rules (tests/reports/test_chart_accessibility.py checks the rendered page):
- Each panel is drawn at its own size (width attribute = viewBox width), so 1 unit is 1 CSS px and
  every label is FONT_PX (12 px) on screen, 9 pt on paper; it is never scaled down to fit.
- Text is INK or MUTED on a white background: contrast 15.5:1 and 6.0:1 (WCAG, at least 4.5:1); the solid bars 6.7:1.
- Each panel has its own scale, with its maximum written on the axis. What is compared on one
  axis is one measure against its yardstick (목표 and 실적 of one indicator, 계획 and 집행 of one
  budget line); different indicators and budget lines get panels of their own, so a line of
  50 백만원 is not flattened next to one of 5,300.
- Bars are horizontal rows labelled with their category and series name and carry their value as
  text; series differ by shape too (hollow 목표/계획, solid 실적/집행), not only by colour.
"""

from dataclasses import dataclass

WIDTH = 280
FONT_PX = 12
LABEL_W = 80  # row labels ("2018년 목표") end at LABEL_W - 6
RIGHT = 48  # room for the value written after the longest bar
TOP = 6
ROW = 18  # one bar per row
BAR_H = 12
GROUP_GAP = 8
AXIS_H = 28  # axis line, tick marks and tick labels under the bars

BACKGROUND = "#ffffff"
INK = "#1d2433"
MUTED = "#5b6475"
# Series 0 (목표, 계획): hollow, outlined in MUTED; series 1 (실적, 집행): solid ACCENT.
ACCENT = "#0b5cad"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  # 0: hollow (목표, 계획), 1: solid (실적, 집행)
    value: int
    label: str  # tooltip and row text, e.g. "2018년 목표 60"
    row_label: str  # "2018년 목표" on a group's first row, "실적" on the next

    @property
    def value_text(self) -> str:
        return f"{self.value:,}"

    @property
    def middle(self) -> float:
        return round(self.y + self.height / 2, 1)

    @property
    def value_x(self) -> float:
        return round(self.x + self.width + 4, 1)


@dataclass(frozen=True)
class AxisLabel:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Panel:
    title: str  # "" when the chart has a single panel
    width: int
    height: int
    bars: list[Bar]
    ticks: list[AxisLabel]  # 0, half and the axis maximum, under the axis
    top: int  # the axis maximum
    left: float  # where bars start (the value 0)
    baseline: float  # the axis line's height
    summary: str  # the panel's numbers in one sentence (the SVG's <desc>)

    @property
    def top_text(self) -> str:
        return f"{self.top:,}"

    @property
    def right(self) -> float:
        return self.width - RIGHT

    @property
    def label_x(self) -> float:
        return self.left - 6

    @property
    def grid_bottom(self) -> float:
        return self.baseline + 4


@dataclass(frozen=True)
class BarChart:
    title: str
    unit: str  # "업체수", "백만원"
    series_names: list[str]
    panels: list[Panel]
    table_head: str  # the first column of the table under the chart ("연도", "사업")
    table_rows: list[tuple[str, list[int | None]]]  # category, one value per series

    @property
    def font_px(self) -> int:
        return FONT_PX


def _nice_max(value: int) -> int:
    """A round top for the axis: 60 → 60, 61 → 80, 7 → 8, 210 → 250."""
    if value <= 0:
        return 10
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return 10 * magnitude


def _panel(
    title: str,
    categories: list[str],
    series: dict[str, list[int | None]],
    unit: str,
    *,
    row_category: bool = True,
) -> Panel:
    names = list(series)
    values = [v or 0 for column in series.values() for v in column]
    top = _nice_max(max(values, default=0))
    plot_w = WIDTH - LABEL_W - RIGHT
    bars = []
    y = TOP
    parts = []
    for index, category in enumerate(categories):
        said = []
        first = True
        for s, name in enumerate(names):
            value = series[name][index]
            if value is None:
                continue
            bars.append(
                Bar(
                    x=LABEL_W,
                    y=round(y + (ROW - BAR_H) / 2, 1),
                    width=round(plot_w * value / top, 1),
                    height=BAR_H,
                    series=s,
                    value=value,
                    label=f"{category} {name} {value:,}",
                    row_label=f"{category} {name}" if first and row_category else name,
                )
            )
            said.append(f"{name} {value:,}")
            first = False
            y += ROW
        if said:
            parts.append(f"{category} {', '.join(said)}" if row_category else ", ".join(said))
            y += GROUP_GAP
    baseline = y - GROUP_GAP + 2 if bars else TOP + ROW
    ticks = [
        AxisLabel(round(LABEL_W + plot_w * i / 2, 1), baseline + 18, f"{int(top * i / 2):,}")
        for i in range(3)
    ]
    summary = f"{'; '.join(parts) or '자료 없음'}. 가로축 0~{top:,}{f' ({unit})' if unit else ''}."
    return Panel(title, WIDTH, int(baseline + AXIS_H), bars, ticks, top, LABEL_W, baseline, summary)


def bar_chart(
    title: str,
    categories: list[str],
    series: dict[str, list[int | None]],
    *,
    unit: str = "",
    table_head: str = "구분",
    one_panel_per_category: bool = False,
) -> BarChart:
    """Rows of bars for each category (e.g. a year), one per series (e.g. 목표, 실적); None draws
    nothing. one_panel_per_category: each category (e.g. a budget line) gets a panel of its own
    with its own scale, for categories whose sizes are not comparable."""
    names = list(series)
    if one_panel_per_category:
        panels = [
            _panel(
                category,
                [category],
                {name: [series[name][index]] for name in names},
                unit,
                row_category=False,
            )
            for index, category in enumerate(categories)
        ]
    else:
        panels = [_panel("", categories, series, unit)]
    rows = [(category, [series[name][index] for name in names]) for index, category in enumerate(categories)]
    return BarChart(title, unit, names, panels, table_head, rows)
