"""Calendar helpers every app uses: months added with clamping, and the one ?year= parser."""

import datetime
import re

from dateutil.relativedelta import relativedelta

from .errors import RuleError
from .korean import particle

YEAR_MIN, YEAR_MAX = 2000, 2100


class YearError(RuleError):
    """A year that isn't one; `.message` says so in Korean."""


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), clamped to the month's end:
    31 Jan + 1 month → 28/29 Feb; 31 Aug − 6 months → 28 Feb."""
    return day + relativedelta(months=months)


def parse_year(value, *, earliest: int = YEAR_MIN, latest: int = YEAR_MAX) -> int:
    """A four-digit year between `earliest` and `latest`, from a query string, a form or a command
    line; YearError with a Korean message otherwise."""
    text = "" if value is None else str(value).strip()
    if not re.fullmatch(r"[0-9]{4}", text) or not earliest <= int(text) <= latest:
        raise YearError(
            f"'{text}'{particle(text, '은')} 연도가 아닙니다. 연도는 {earliest}~{latest} 사이의 숫자로 입력하세요 (예: 2018)."
        )
    return int(text)


def year_from_query(request, *, name: str = "year") -> int | None:
    """The ?year= of a request: None when it is absent or blank, YearError when it isn't a year."""
    raw = request.GET.get(name, "")
    if not raw.strip():
        return None
    return parse_year(raw)
