import pytest
from django.core.exceptions import ValidationError

from guro_sme.validators import (
    business_number_check_digit,
    format_business_number,
    normalize_business_number,
    validate_business_number,
    with_check_digit,
)

# Real, published business numbers with correct check digits.
VALID = ["220-81-62517", "2208162517", "124-81-00998", "1248100998", "104-81-53114"]


@pytest.mark.parametrize("number", VALID)
def test_it_accepts_valid_numbers_with_and_without_dashes(number):
    assert validate_business_number(number) is None  # no ValidationError
    digits = normalize_business_number(number)
    assert business_number_check_digit(digits[:9]) == int(digits[9])
    assert format_business_number(digits) == f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


@pytest.mark.parametrize("number", ["220-81-62518", "2208162510", "124-81-00990"])
def test_it_rejects_a_wrong_check_digit(number):
    with pytest.raises(ValidationError) as error:
        validate_business_number(number)
    assert "검증번호" in error.value.messages[0]


@pytest.mark.parametrize(
    "number", ["", "22081625", "220-81-6251", "22O8162517", "220_81_62517", "220-816-2517x"]
)
def test_it_rejects_malformed_numbers(number):
    with pytest.raises(ValidationError) as error:
        validate_business_number(number)
    assert "10자리" in error.value.messages[0]


def test_the_ninth_digit_contributes_its_tens():
    # 9 * 5 = 45: the 4 of the tens is added; without it the check digit would differ.
    assert business_number_check_digit("000000009") == (10 - (45 + 4) % 10) % 10


@pytest.mark.parametrize(
    ("first_nine", "expected"), [("220816251", "2208162517"), ("124810099", "1248100998")]
)
def test_with_check_digit_appends_the_published_check_digit(first_nine, expected):
    assert with_check_digit(first_nine) == expected


def test_with_check_digit_makes_numbers_the_validator_accepts():
    for first_nine in ("113810001", "000000000", "999999999"):
        number = with_check_digit(first_nine)
        assert number[:9] == first_nine and len(number) == 10
        assert validate_business_number(number) is None
        wrong = number[:9] + str((int(number[9]) + 1) % 10)
        with pytest.raises(ValidationError):
            validate_business_number(wrong)


def test_normalize_and_format_round_trip():
    assert normalize_business_number(" 220-81-62517 ") == "2208162517"
    assert format_business_number("2208162517") == "220-81-62517"
