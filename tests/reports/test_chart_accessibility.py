"""The dashboard's charts read well: 12 px text in colours of at least 4.5:1 against the chart's
background (WCAG relative luminance), one scale per panel with its maximum written on the axis,
no budget line flattened next to one ten times larger, values as text, and the same numbers in a
table next to each chart."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings

from guro_sme.support import YearlyFigure
from reports.charts import _nice_max

SVG = "{http://www.w3.org/2000/svg}"
FIGURE = re.compile(r'<figure class="chart">.*?</figure>', re.S)
CHART_SVG = re.compile(r'<svg [^>]*role="img".*?</svg>', re.S)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of "#rrggbb" (or "#rgb")."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(d * 2 for d in hex_digits)
    r, g, b = (_channel(int(hex_digits[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_gives_wcags_reference_values():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#fff"), 2) == 4.54  # the lightest grey that passes on white
    assert contrast("#9db4cf", "#ffffff") < 4.5  # the old 목표 bar colour


def _panels(body: str) -> list[tuple[str, ET.Element]]:
    """(the figure's HTML, one parsed chart SVG) for every panel of every chart on the page."""
    found = []
    for figure in FIGURE.findall(body):
        for svg in CHART_SVG.findall(figure):
            found.append((figure, ET.fromstring(svg)))
    return found


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _check_panel(svg: ET.Element) -> None:
    # Drawn at its own size: one viewBox unit is one CSS px (and 0.75 pt on paper), never scaled.
    _, _, width, height = (float(v) for v in svg.get("viewBox").split())
    assert float(svg.get("width")) == width and float(svg.get("height")) == height
    # Named for screen readers, with the numbers in its description.
    assert svg.get("role") == "img" and svg.get("aria-label")
    assert svg.find(f"{SVG}title").text and re.search(r"\d", svg.find(f"{SVG}desc").text)
    background = svg.find(f"{SVG}rect[@class='background']")
    assert float(background.get("width")) == width and float(background.get("height")) == height
    texts = svg.findall(f".//{SVG}text")
    assert texts
    for text in texts:
        size = float(text.get("font-size") or svg.get("font-size"))
        assert size >= 12, (text.text, size)
        assert size * 0.75 >= 9  # points on paper
        ratio = contrast(text.get("fill"), background.get("fill"))
        assert ratio >= 4.5, (text.text, text.get("fill"), round(ratio, 2))
    # Every bar says its value: a tooltip, and the number written next to it.
    bars = [rect for rect in svg.findall(f"{SVG}rect") if rect.get("class", "").startswith("bar-")]
    values = [t.text for t in svg.findall(f"{SVG}text[@class='value']")]
    assert len(values) == len(bars) > 0
    for bar, value in zip(bars, values, strict=True):
        assert bar.find(f"{SVG}title").text.endswith(f" {value}")
    # Its own scale: the axis maximum is written, a round number just above the largest bar.
    ticks = [_number(t.text) for t in svg.findall(f"{SVG}text[@class='tick']")]
    largest = max(_number(v) for v in values)
    assert ticks[0] == 0 and ticks[-1] == _nice_max(largest)
    # Not by colour alone: the two series differ in shape (hollow outline / solid) as well.
    for bar in bars:
        if bar.get("class") == "bar-0":
            assert bar.get("fill") == "#ffffff" and bar.get("stroke")
        else:
            assert bar.get("fill") != "#ffffff" and not bar.get("stroke")


def test_every_dashboard_chart_has_large_text_enough_contrast_and_its_own_scale(
    manager_client, plan, figures
):
    figures.loans[2018] = YearlyFigure(firms=36)
    figures.loan_cost[2022] = YearlyFigure(amount_won=2_100_000_000)
    figures.marketing[2022] = YearlyFigure(firms=4, amount_won=12_000_000)
    body = manager_client.get("/reports/?year=2022").content.decode()
    panels = _panels(body)
    assert len(panels) == 4  # two indicators, and the budget in one panel per line
    for _, svg in panels:
        _check_panel(svg)


def test_a_small_budget_line_gets_its_own_panel_and_scale_not_a_sliver_next_to_the_loans(
    manager_client, plan, figures
):
    figures.loan_cost[2022] = YearlyFigure(amount_won=2_100_000_000)
    figures.marketing[2022] = YearlyFigure(firms=4, amount_won=12_000_000)
    body = manager_client.get("/reports/?year=2022").content.decode()
    figure = next(f for f in FIGURE.findall(body) if "예산 대비 집행" in f)
    titles = re.findall(r'<p class="panel-title">(.*?)</p>', figure)
    assert titles == ["중소기업·소상공인 융자지원", "중소기업 마케팅 지원사업"]
    loans, marketing = (ET.fromstring(svg) for svg in CHART_SVG.findall(figure))
    top = [
        [_number(t.text) for t in svg.findall(f"{SVG}text[@class='tick']")][-1] for svg in (loans, marketing)
    ]
    assert top == [6_000, 50]  # 계획 5,300 and 50 (백만원), each on an axis of its own
    widest = [
        max(float(r.get("width")) for r in svg.findall(f"{SVG}rect[@class='bar-0']"))
        for svg in (loans, marketing)
    ]
    assert widest[1] > widest[0] * 0.8  # the 50 line's plan bar is drawn as long as the loans', not 1/100
    assert (
        "2022년 예산 대비 집행 (백만원) — 중소기업 마케팅 지원사업: 계획 50, 집행 12. 가로축 0~50 (백만원)."
        in marketing.get("aria-label")
    )
    # No panel anywhere puts categories ten times apart on one axis.
    for _, svg in _panels(body):
        sizes = []
        for title in svg.findall(f".//{SVG}rect/{SVG}title"):
            sizes.append(_number(title.text.rsplit(" ", 1)[1]))
        nonzero = [s for s in sizes if s]
        assert (
            not nonzero
            or max(nonzero) < 10 * min(nonzero)
            or len(svg.findall(f"{SVG}rect[@class='bar-0']")) == 1
        )


def test_each_chart_has_its_numbers_in_a_table_and_a_legend_in_words(manager_client, plan, figures):
    figures.loans[2019] = YearlyFigure(firms=58)
    body = manager_client.get("/reports/?year=2019").content.decode()
    figures_html = FIGURE.findall(body)
    assert len(figures_html) == 3
    loans = figures_html[0]
    assert "<summary>표로 보기</summary>" in loans
    assert re.search(r'<th scope="row">2019년</th><td class="num">60</td><td class="num">58</td>', loans)
    assert "목표(빈 막대)" in loans and "실적(채운 막대)" in loans
    budget = figures_html[2]
    assert re.search(r'<th scope="row">중소기업·소상공인 융자지원</th><td class="num">5,360</td>', budget)


def test_no_stylesheet_rule_shrinks_or_recolours_the_chart_text():
    """The sizes and colours checked above are SVG attributes; a CSS rule would override them."""
    for path in Path(settings.BASE_DIR, "static", "css").glob("*.css"):
        css = path.read_text()
        for selector, rules in re.findall(r"([^{}]*)\{([^}]*)\}", css):
            if re.search(r"\btext\b|svg", selector):
                assert "font-size" not in rules and "fill" not in rules, (path.name, selector)


@pytest.mark.parametrize("year", [2018, 2022])
def test_the_dashboard_charts_read_well_in_the_full_demo(demo_state, client, year):
    demo_state("everything")
    from django.contrib.auth.models import User

    client.force_login(
        User.objects.filter(groups__name="관리자").first() or User.objects.filter(is_superuser=True).first()
    )
    body = client.get(f"/reports/?year={year}").content.decode()
    panels = _panels(body)
    assert len(panels) >= 3
    for _, svg in panels:
        _check_panel(svg)
