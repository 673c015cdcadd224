from decimal import Decimal

from django.template import Context, Template

from guro_sme.money import format_amount, format_rate, in_unit


def test_won_units_as_the_seed_shows_them():
    assert format_amount(1_750_000) == "1,750,000원"
    assert format_amount(15_000_000, "천원") == "15,000천원"
    assert format_amount(26_670_000_000, "백만원") == "26,670백만원"
    assert format_amount(None) == "-"
    assert format_amount(5_200_000_000, "백만원", suffix=False) == "5,200"


def test_unit_conversion_rounds_half_up():
    assert in_unit(1_500, "천원") == 2
    assert in_unit(1_499, "천원") == 1


def test_rates_are_decimals_without_trailing_zeros():
    assert format_rate(Decimal("1.80")) == "1.8%"
    assert format_rate(Decimal("0.8")) == "0.8%"


def test_template_filters():
    html = Template('{% load money %}{{ a|won }} {{ a|won:"천원" }} {{ a|amount:"천원" }}').render(
        Context({"a": 13_900_000})
    )
    assert html == "13,900,000원 13,900천원 13,900"
