"""The business registration number (사업자등록번호) and its National Tax Service check digit."""

import re

from django.core.exceptions import ValidationError

# NTS weights for the first nine digits; the ninth digit's product also adds its tens.
_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
_FORMAT = re.compile(r"^\d{3}-?\d{2}-?\d{5}$")


def normalize_business_number(value: str) -> str:
    """Digits only: '123-45-67890' and ' 1234567890 ' both give '1234567890'."""
    return re.sub(r"[\s-]", "", str(value or ""))


def business_number_check_digit(first_nine: str) -> int:
    digits = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(digits, _WEIGHTS, strict=True))
    total += (digits[8] * 5) // 10
    return (10 - total % 10) % 10


def with_check_digit(first_nine: str) -> str:
    """A valid 10-digit number from nine digits (for demo data and tests)."""
    return first_nine + str(business_number_check_digit(first_nine))


def validate_business_number(value: str) -> None:
    raw = str(value or "").strip()
    if not _FORMAT.match(raw):
        raise ValidationError(
            "사업자등록번호는 10자리 숫자입니다 (예: 123-45-67890).", code="business_number_format"
        )
    digits = normalize_business_number(raw)
    if business_number_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            "사업자등록번호가 올바르지 않습니다: 검증번호(마지막 자리)가 맞지 않습니다.",
            code="business_number_check_digit",
        )


def format_business_number(digits: str) -> str:
    if len(digits) != 10:
        return digits
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
