"""The tolerant readers: every way staff type an amount or a date gives one value, or a Korean error."""

import datetime
from decimal import Decimal

import pytest

from guro_sme.imports import parsing


@pytest.mark.parametrize(
    "raw",
    [
        "1,750,000",
        "175만원",
        "1750000",
        "1,750,000원",
        " 1,750,000 ",
        "175 만원",
        "₩1,750,000",
        1750000,
        1750000.0,
        Decimal("1750000"),
    ],
)
def test_every_way_of_typing_an_amount_gives_the_same_won(raw):
    assert parsing.parse_amount(raw) == 1_750_000


@pytest.mark.parametrize(
    ("raw", "won"),
    [
        ("1억 2,000만원", 120_000_000),
        ("13,900천원", 13_900_000),
        ("1.5억", 150_000_000),
        ("0", 0),
        ("5,000만", 50_000_000),
    ],
)
def test_amounts_with_korean_units(raw, won):
    assert parsing.parse_amount(raw) == won


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-1,000", "0 이상"),
        (-1000, "0 이상"),
        ("△1,000", "0 이상"),
        ("백만원", "금액을 읽을 수 없습니다"),
        ("1,75,000", "금액을 읽을 수 없습니다"),
        ("abc", "금액을 읽을 수 없습니다"),
        ("1750000.5", "정수"),
        (1750000.5, "정수"),
        (True, "금액을 읽을 수 없습니다"),
    ],
)
def test_bad_amounts_are_refused_in_korean(raw, message):
    with pytest.raises(ValueError, match=message):
        parsing.parse_amount(raw)


def test_an_empty_amount_is_none():
    assert parsing.parse_amount("  ") is None
    assert parsing.parse_amount(None) is None


@pytest.mark.parametrize(
    "raw",
    [
        "2018.2.1",
        "2018-02-01",
        "2018/2/1",
        "2018. 2. 1.",
        "2018.02.01.",
        "2018년 2월 1일",
        "20180201",
        "2018-02-01 00:00:00",
        datetime.datetime(2018, 2, 1),
        datetime.date(2018, 2, 1),
    ],
)
def test_every_way_of_typing_a_date_gives_the_same_day(raw):
    assert parsing.parse_date(raw) == datetime.date(2018, 2, 1)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("01/02/2018", "날짜를 읽을 수 없습니다"),
        ("다음주", "2018-02-01"),
        ("2018-02-30", "없는 날짜"),
        ("18.2.1", "날짜를 읽을 수 없습니다"),
    ],
)
def test_strange_dates_are_refused_with_the_expected_formats(raw, message):
    with pytest.raises(ValueError, match=message):
        parsing.parse_date(raw)


@pytest.mark.parametrize(("raw", "value"), [("12", 12), ("12명", 12), ("1,200", 1200), (12.0, 12), (12, 12)])
def test_counts(raw, value):
    assert parsing.parse_integer(raw) == value


@pytest.mark.parametrize(
    ("raw", "message"), [("-3", "0 이상"), ("열둘", "읽을 수 없습니다"), ("1.5", "정수")]
)
def test_bad_counts(raw, message):
    with pytest.raises(ValueError, match=message):
        parsing.parse_integer(raw, what="종업원수")


@pytest.mark.parametrize(
    ("raw", "value"),
    [("예", True), ("Y", True), ("o", True), ("아니오", False), ("N", False), ("X", False), (True, True)],
)
def test_yes_and_no(raw, value):
    assert parsing.parse_bool(raw) is value


def test_a_strange_yes_no_is_refused():
    with pytest.raises(ValueError, match="예/아니오"):
        parsing.parse_bool("글쎄")


@pytest.mark.parametrize("raw", ["220-81-62517", "2208162517", " 220 81 62517 ", 2208162517, 2208162517.0])
def test_business_numbers_are_normalized(raw):
    assert parsing.parse_business_number(raw) == "2208162517"


def test_a_wrong_check_digit_is_refused():
    with pytest.raises(ValueError, match="검증번호"):
        parsing.parse_business_number("220-81-62518")


def test_choices_by_korean_label_or_stored_value():
    choices = [("sme", "중소기업"), ("small_business", "소상공인")]
    assert parsing.parse_choice("소상공인", choices) == "small_business"
    assert parsing.parse_choice("중소 기업", choices) == "sme"
    assert parsing.parse_choice("sme", choices) == "sme"
    with pytest.raises(ValueError, match="중소기업, 소상공인 중 하나"):
        parsing.parse_choice("대기업", choices)


@pytest.mark.parametrize(
    ("raw", "value"), [("1.8", Decimal("1.8")), ("연 1.8%", Decimal("1.8")), (1.8, Decimal("1.8"))]
)
def test_rates(raw, value):
    assert parsing.parse_decimal(raw) == value
