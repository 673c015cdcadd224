"""Reads of programs that other apps use (firm page, home page, reports)."""

from guro_sme.support import AttentionItem, SupportRecord


def firm_support(firm) -> list[SupportRecord]:
    """Every support this app gave the firm, newest first (shown on the firm page)."""
    return []


def attention_items(user) -> list[AttentionItem]:
    """What needs this user's attention in this app (shown on the home page)."""
    return []


def program_results_by_year(year: int) -> list[dict]:
    """Per program run in `year`: {"program": name, "participants": int, "completers": int}."""
    return []
