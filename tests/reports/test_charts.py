"""The dashboard's bar chart geometry."""

from reports.charts import LABEL_W, RIGHT, WIDTH, _nice_max, bar_chart


def test_the_axis_top_is_a_round_number_at_or_above_the_largest_value():
    assert [_nice_max(v) for v in (0, 7, 60, 61, 210, 5_400)] == [10, 8, 60, 80, 250, 6_000]


def test_bars_are_as_long_as_their_value_and_a_missing_value_draws_nothing():
    chart = bar_chart("자금 지원", ["2018년", "2019년"], {"목표": [60, 60], "실적": [30, None]})
    (panel,) = chart.panels
    assert len(panel.bars) == 3
    target, achieved = panel.bars[0], panel.bars[1]
    plot_width = WIDTH - LABEL_W - RIGHT
    assert target.width == round(plot_width, 1)  # 60 of an axis up to 60
    assert achieved.width == round(plot_width / 2, 1)
    assert target.x == achieved.x == panel.left
    assert achieved.label == "2018년 실적 30"
    assert [b.row_label for b in panel.bars] == ["2018년 목표", "실적", "2019년 목표"]
    assert [t.text for t in panel.ticks] == ["0", "30", "60"]
    assert panel.summary == "2018년 목표 60, 실적 30; 2019년 목표 60. 가로축 0~60."
    assert chart.table_rows == [("2018년", [60, 30]), ("2019년", [60, None])]
    assert bar_chart("예산", ["융자"], {"계획": [5_200]}).panels[0].bars[0].value_text == "5,200"


def test_categories_of_different_sizes_each_get_a_panel_with_its_own_scale():
    chart = bar_chart(
        "예산",
        ["융자", "마케팅"],
        {"계획": [5_300, 50], "집행": [2_100, 12]},
        unit="백만원",
        one_panel_per_category=True,
    )
    loans, marketing = chart.panels
    assert (loans.title, loans.top, marketing.title, marketing.top) == ("융자", 6_000, "마케팅", 50)
    assert marketing.bars[0].width == round(WIDTH - LABEL_W - RIGHT, 1)  # 50 of 50: full length
    assert [b.row_label for b in marketing.bars] == ["계획", "집행"]
    assert marketing.bars[1].label == "마케팅 집행 12"
    assert marketing.summary == "계획 50, 집행 12. 가로축 0~50 (백만원)."
