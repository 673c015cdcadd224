"""Reads of kotra that other apps use (firm page, home page, reports)."""

from guro_sme.support import AttentionItem, SupportRecord, YearlyFigure


def firm_support(firm) -> list[SupportRecord]:
    """Every support this app gave the firm, newest first (shown on the firm page)."""
    return []


def attention_items(user) -> list[AttentionItem]:
    """What needs this user's attention in this app (shown on the home page)."""
    return []


def kotra_support_by_year(year: int) -> YearlyFigure:
    """Firms supported and amount in won in `year`, computed from records (for the reports)."""
    return YearlyFigure()
