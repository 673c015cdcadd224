"""Eligibility rules several programmes share. Each app raises or lists the message in its own way."""

from .errors import RuleError
from .korean import particle
from .models import DistrictProfile, Firm


def out_of_district(firm: Firm, *, what: str, rule_first: bool = False) -> str | None:
    """None when `firm` is located in the district; else the Korean refusal naming the district.

    `what` is the refused action's verb (참여, 선정, 신청). `rule_first` states the rule before the
    firm ("구로구 소재 기업만 신청할 수 있습니다. (…)"): loan eligibility lists every failed rule
    of an application at once, so there each line starts with the rule.
    """
    if firm.in_district:
        return None
    district = DistrictProfile.current().district_name
    subject = f"'{firm.name}'{particle(firm.name, '은')}"
    if rule_first:
        return f"{district} 소재 기업만 {what}할 수 있습니다. ({subject} 관외 기업입니다.)"
    return f"{subject} {district} 소재 기업이 아니어서 {what}할 수 없습니다."


def require_in_district(firm: Firm, *, what: str, error: type[RuleError] = RuleError) -> None:
    """Raise `error` (the app's RuleError subclass) when `firm` is outside the district."""
    message = out_of_district(firm, what=what)
    if message:
        raise error(message)
