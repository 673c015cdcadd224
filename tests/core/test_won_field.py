"""The one money input field (guro_sme.forms.WonField): integer won from what staff type, in the
card's units."""

import pytest
from django import forms

from guro_sme.forms import WonField


@pytest.mark.parametrize("typed", ["3,500,000", "3500000원", "350만원", " 3500000 "])
def test_won_is_read_as_the_import_parser_reads_it(typed):
    assert WonField().clean(typed) == 3_500_000


@pytest.mark.parametrize(
    ("unit", "typed", "won"), [("천원", "1,750", 1_750_000), ("백만원", "5,230", 5_230_000_000)]
)
def test_an_amount_typed_in_the_cards_units_is_stored_in_won(unit, typed, won):
    field = WonField(unit=unit)
    assert field.clean(typed) == won
    assert field.prepare_value(won) == typed


@pytest.mark.parametrize("typed", ["삼백만원", "백만원", "１２", "1.5", "-3", "99999999999999"])
def test_what_is_not_an_amount_gets_a_korean_message(typed):
    with pytest.raises(forms.ValidationError) as caught:
        WonField().clean(typed)
    assert "금액은 원 단위 숫자로 입력하세요" in caught.value.messages[0]


def test_a_minimum_is_said_in_won():
    with pytest.raises(forms.ValidationError, match="1,000원 이상"):
        WonField(min_won=1_000).clean("999")
