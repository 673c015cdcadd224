"""Reads of the committee that the core uses (home page)."""

from guro_sme.support import AttentionItem, SupportRecord


def firm_support(firm) -> list[SupportRecord]:
    return []  # the loans app lists applications and their results


def attention_items(user) -> list[AttentionItem]:
    """For a member: open meetings' agenda items still waiting for their vote."""
    return []
