"""The dashboard's bar chart geometry."""

from reports.charts import HEIGHT, TOP, _nice_max, bar_chart


def test_the_axis_top_is_a_round_number_at_or_above_the_largest_value():
    assert [_nice_max(v) for v in (0, 7, 60, 61, 210, 5_400)] == [10, 8, 60, 80, 250, 6_000]


def test_bars_are_as_tall_as_their_value_and_a_missing_value_draws_nothing():
    chart = bar_chart("자금 지원", ["2018년", "2019년"], {"목표": [60, 60], "실적": [30, None]})
    assert len(chart.bars) == 3
    target, achieved = chart.bars[0], chart.bars[1]
    plot_height = chart.baseline - TOP
    assert target.height == round(plot_height, 1)  # 60 of an axis up to 60
    assert achieved.height == round(plot_height / 2, 1)
    assert achieved.y + achieved.height == chart.baseline == HEIGHT - 30
    assert achieved.label == "2018년 실적 30"
    assert [t.text for t in chart.ticks] == ["0", "30", "60"]
    assert bar_chart("예산", ["융자"], {"계획": [5_200]}).bars[0].value_text == "5,200"
