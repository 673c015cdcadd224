"""Tolerant readers for what staff type into spreadsheets: amounts, dates, numbers, yes/no, labels.

Every reader takes a raw cell (str from CSV; str, int, float or datetime from an xlsx cell) and
returns a Python value, or raises ValueError with a Korean message that names the expected form.
Empty cells give None; whether a value is required is the caller's business (see widgets.py).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from guro_sme.korean import particle
from guro_sme.validators import normalize_business_number, validate_business_number

AMOUNT_EXAMPLES = "예: 1,750,000 / 1750000 / 175만원 / 1억 2,000만원"
DATE_EXAMPLES = "2018-02-01, 2018.2.1, 2018/2/1, 2018년 2월 1일 형식이나 엑셀 날짜 칸으로 입력하세요"

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# "1억 2,000만 5,000원", "175만원", "13,900천원", "4,927백만원", "1,750,000": units in falling order,
# each at most once (the plan card writes money in 백만원 and 천원).
_AMOUNT = re.compile(
    rf"(?:({_NUMBER})억)?(?:({_NUMBER})백만)?(?:({_NUMBER})만)?(?:({_NUMBER})천)?({_NUMBER})?"
)
_NEGATIVE = re.compile(r"^\s*(?:-|−|△|▲|\()")


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def cell_text(value) -> str:
    """A cell as trimmed text; an integral number cell (1750000.0) loses its '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _integral(number: Decimal, raw) -> int:
    if number < 0:
        raise ValueError(f"금액은 0 이상이어야 합니다: '{cell_text(raw)}'")
    if number != number.to_integral_value():
        raise ValueError(f"금액은 원 단위 정수여야 합니다 (소수 불가): '{cell_text(raw)}'")
    return int(number)


def parse_amount(value) -> int | None:
    """Won as an integer: 1,750,000 / 1750000 / '175만원' / '1,750,000원' / '1억 2,000만원' / 1750000.0."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"금액을 읽을 수 없습니다: '{cell_text(value)}' ({AMOUNT_EXAMPLES})")
    if isinstance(value, int | float | Decimal):
        try:
            return _integral(Decimal(str(value)), value)
        except InvalidOperation:
            raise ValueError(f"금액을 읽을 수 없습니다: '{value}' ({AMOUNT_EXAMPLES})") from None
    text = str(value).strip()
    if _NEGATIVE.match(text):
        raise ValueError(f"금액은 0 이상이어야 합니다: '{text}'")
    compact = re.sub(r"\s+", "", text).lstrip("₩")
    compact = re.sub(r"(원|KRW)$", "", compact, flags=re.IGNORECASE)
    match = _AMOUNT.fullmatch(compact)
    if not compact or not match:
        raise ValueError(f"금액을 읽을 수 없습니다: '{text}' ({AMOUNT_EXAMPLES})")
    total = Decimal(0)
    for part, unit in zip(match.groups(), (100_000_000, 1_000_000, 10_000, 1_000, 1), strict=True):
        if part:
            total += Decimal(part.replace(",", "")) * unit
    return _integral(total, value)


def parse_integer(
    value, *, what: str = "숫자", suffixes: tuple[str, ...] = ("명", "개", "개사", "곳", "건")
) -> int | None:
    """A count such as 종업원수: 12, '12', '12명', '1,200', 12.0; never negative or fractional."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{what}를 읽을 수 없습니다: '{cell_text(value)}'")
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = re.sub(r"\s+", "", str(value))
        for suffix in sorted(suffixes, key=len, reverse=True):
            if text.endswith(suffix):
                text = text[: -len(suffix)]
                break
        if not re.fullmatch(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?", text):
            raise ValueError(f"{what}를 읽을 수 없습니다: '{cell_text(value)}' (예: 12)")
        number = Decimal(text.replace(",", ""))
    if number < 0:
        raise ValueError(f"{what}는 0 이상이어야 합니다: '{cell_text(value)}'")
    if number != number.to_integral_value():
        raise ValueError(f"{what}는 정수여야 합니다: '{cell_text(value)}'")
    return int(number)


_DATE_PATTERNS = [
    # 2018-02-01, 2018.2.1, 2018/2/1, 2018. 2. 1., 2018-02-01 00:00:00 (a CSV of a datetime cell)
    re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*\.?(?:\s+00:00(?::00)?)?$"),
    re.compile(r"^(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date(value) -> datetime.date | None:
    """A date from an Excel date cell or '2018-02-01', '2018.2.1', '2018/2/1', '2018. 2. 1.', '20180201'."""
    if is_empty(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                raise ValueError(f"없는 날짜입니다: '{text}'") from None
    raise ValueError(f"날짜를 읽을 수 없습니다: '{text}' ({DATE_EXAMPLES})")


_TRUE = {
    "예",
    "네",
    "y",
    "yes",
    "true",
    "t",
    "1",
    "o",
    "○",
    "◯",
    "소재",
    "관내",
    "해당",
    "수료",
    "참석",
    "출석",
}
_FALSE = {
    "아니오",
    "아니요",
    "n",
    "no",
    "false",
    "f",
    "0",
    "x",
    "×",
    "관외",
    "해당없음",
    "미수료",
    "불참",
    "결석",
}


def parse_bool(value) -> bool | None:
    """예/아니오, Y/N, O/X, 1/0, TRUE/FALSE (and 관내/관외, 수료/미수료, 출석/결석)."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    text = re.sub(r"\s+", "", cell_text(value)).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(
        f"'{cell_text(value)}'{particle(cell_text(value), '은')} 예/아니오로 읽을 수 없습니다 (예, 아니오, Y, N, O, X 중 하나)"
    )


def parse_business_number(value) -> str | None:
    """Ten digits from '220-81-62517', '2208162517' or the number cell 2208162517; check digit verified."""
    if is_empty(value):
        return None
    text = cell_text(value)
    from django.core.exceptions import ValidationError

    # Spaces and the dashes word processors substitute (‐ ‑ – —) are typing noise.
    compact = re.sub(r"[\s‐‑–—]", lambda m: "" if m.group().isspace() else "-", text)
    try:
        validate_business_number(compact)
    except ValidationError as error:
        raise ValueError(f"{error.messages[0]} ('{text}')") from None
    return normalize_business_number(compact)


def parse_choice(value, choices) -> str | None:
    """A choice by its Korean label ('소상공인') or its stored value ('small_business')."""
    if is_empty(value):
        return None
    text = cell_text(value)
    key = re.sub(r"\s+", "", text)
    for stored, label in choices:
        if key in (re.sub(r"\s+", "", str(label)), str(stored)):
            return stored
    labels = ", ".join(str(label) for _, label in choices)
    raise ValueError(f"'{text}'{particle(text, '은')} 선택할 수 없는 값입니다 ({labels} 중 하나)")


def parse_decimal(value, *, what: str = "숫자") -> Decimal | None:
    """A rate or other decimal: 1.8, '1.8', '1.8%', '연 1.8%'."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{what}를 읽을 수 없습니다: '{cell_text(value)}'")
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = re.sub(r"\s+|연|%", "", str(value))
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{what}를 읽을 수 없습니다: '{cell_text(value)}' (예: 1.8)") from None
