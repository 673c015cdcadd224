"""The calendar helpers: months with clamping (loan schedules, programme founding windows, the
firm-age rule) and the one ?year= parser."""

import datetime

import pytest
from django.test import RequestFactory

from guro_sme.dates import YearError, add_months, parse_year, year_from_query


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(datetime.date(2018, 8, 31), 6) == datetime.date(2019, 2, 28)
    assert add_months(datetime.date(2018, 1, 15), -6) == datetime.date(2017, 7, 15)
    assert add_months(datetime.date(2018, 8, 31), -6) == datetime.date(2018, 2, 28)
    assert add_months(datetime.date(2018, 2, 26), -6) == datetime.date(2017, 8, 26)
    assert add_months(datetime.date(2019, 8, 31), 6) == datetime.date(2020, 2, 29)  # leap year


@pytest.mark.parametrize("value, year", [("2018", 2018), (" 2019 ", 2019), (2020, 2020)])
def test_parse_year_reads_four_digits(value, year):
    assert parse_year(value) == year


@pytest.mark.parametrize("value", ["abc", "", None, "20l8", "１９９９", "1999", "2101", "201", "2018.0"])
def test_parse_year_refuses_what_is_not_a_year_in_korean(value):
    with pytest.raises(YearError) as caught:
        parse_year(value)
    assert "연도가 아닙니다" in caught.value.message
    assert "2000~2100 사이의 숫자로 입력하세요" in caught.value.message


def test_the_query_parser_treats_a_missing_or_blank_year_as_none():
    factory = RequestFactory()
    assert year_from_query(factory.get("/x/")) is None
    assert year_from_query(factory.get("/x/", {"year": "  "})) is None
    assert year_from_query(factory.get("/x/", {"year": "2018"})) == 2018
    with pytest.raises(YearError):
        year_from_query(factory.get("/x/", {"year": "twenty"}))
