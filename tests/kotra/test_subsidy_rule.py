"""THE rule: 50% of each sub-program's fee, rounded down to won, at most 1,750,000 won."""

from decimal import Decimal

import pytest

from kotra.services import kotra_subsidy_for


@pytest.mark.parametrize(
    ("fee_won", "subsidy_won"),
    [
        (3_499_998, 1_749_999),
        (3_499_999, 1_749_999),  # 1,749,999.5 is rounded down
        (3_500_000, 1_750_000),  # exactly the cap
        (3_500_001, 1_750_000),  # above: capped
        (4_000_000, 1_750_000),
        (100_000_000, 1_750_000),
        (2_500_000, 1_250_000),
        (3_000_000, 1_500_000),
        (300_000, 150_000),
        (1, 0),
        (3, 1),
        (2_500_001, 1_250_000),
        (0, 0),
    ],
)
def test_the_subsidy_is_half_the_fee_rounded_down_and_capped(fee_won, subsidy_won):
    assert kotra_subsidy_for(fee_won) == subsidy_won


def test_the_subsidy_is_an_int_not_a_decimal():
    assert type(kotra_subsidy_for(3_499_999)) is int


def test_rate_and_cap_are_data_the_project_can_change():
    assert kotra_subsidy_for(1_000_001, rate=Decimal("0.30"), cap_won=2_000_000) == 300_000
    assert kotra_subsidy_for(9_000_000, rate=Decimal("0.30"), cap_won=2_000_000) == 2_000_000


def test_a_negative_fee_is_a_programming_error():
    with pytest.raises(ValueError):
        kotra_subsidy_for(-1)
