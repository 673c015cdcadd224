"""Money is integer won everywhere; these helpers only format it in the seed's units.

The plan card shows 원 (KOTRA table), 천원 (program budgets) and 백만원 (investment plan).
Conversions to a larger unit round half up, as the district's own tables do.
"""

from decimal import ROUND_HALF_UP, Decimal

UNITS = {"원": 1, "천원": 1_000, "백만원": 1_000_000, "억원": 100_000_000}


def in_unit(amount_won: int | None, unit: str = "원") -> int | None:
    if amount_won is None:
        return None
    divisor = UNITS[unit]
    return int((Decimal(int(amount_won)) / divisor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_amount(amount_won: int | None, unit: str = "원", suffix: bool = True) -> str:
    """1750000 → '1,750,000원'; in 천원 → '1,750천원'; without suffix → '1,750'."""
    value = in_unit(amount_won, unit)
    if value is None:
        return "-"
    text = f"{value:,}"
    return f"{text}{unit}" if suffix else text


def format_rate(rate: Decimal | None) -> str:
    """Decimal('1.80') → '1.8%'."""
    if rate is None:
        return "-"
    return f"{Decimal(rate).normalize():f}%"
