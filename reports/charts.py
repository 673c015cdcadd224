"""Simple grouped bar charts as numbers for a server-rendered SVG (templates/reports/_bar_chart.html).

No JavaScript and no chart library: the geometry is computed here and tested; the template
only draws rectangles and labels.
"""

from dataclasses import dataclass

WIDTH = 520
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 16, 30


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  # 0: 목표, 1: 실적 … (CSS class bar-0, bar-1)
    value: int
    label: str  # tooltip, e.g. "2018년 목표 60"

    @property
    def value_text(self) -> str:
        return f"{self.value:,}"

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class AxisLabel:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class BarChart:
    title: str
    series_names: list[str]
    width: int
    height: int
    bars: list[Bar]
    categories: list[AxisLabel]
    ticks: list[AxisLabel]  # y-axis values, with their gridline heights
    baseline: float


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


def bar_chart(title: str, categories: list[str], series: dict[str, list[int | None]]) -> BarChart:
    """Bars for each category (e.g. a year), one per series (e.g. 목표, 실적); None draws nothing."""
    names = list(series)
    values = [v or 0 for column in series.values() for v in column]
    top = _nice_max(max(values, default=0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.7 / max(len(names), 1)
    bars = []
    labels = []
    for index, category in enumerate(categories):
        group_x = LEFT + index * group_w + group_w * 0.15
        labels.append(AxisLabel(round(LEFT + (index + 0.5) * group_w, 1), baseline + 16, category))
        for s, name in enumerate(names):
            value = series[name][index]
            if value is None:
                continue
            height = plot_h * value / top
            bars.append(
                Bar(
                    x=round(group_x + s * bar_w, 1),
                    y=round(baseline - height, 1),
                    width=round(bar_w - 2, 1),
                    height=round(height, 1),
                    series=s,
                    value=value,
                    label=f"{category} {name} {value:,}",
                )
            )
    # Labels at 0, half and top only: a quarter of a round top (30 → 7.5) is not a round number.
    ticks = [
        AxisLabel(LEFT - 6, round(baseline - plot_h * i / 2, 1), f"{int(top * i / 2):,}") for i in range(3)
    ]
    return BarChart(title, names, WIDTH, HEIGHT, bars, labels, ticks, baseline)
