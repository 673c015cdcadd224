from django import template

from guro_sme.money import format_amount, format_rate

register = template.Library()


@register.filter
def won(value, unit="원"):
    """{{ amount|won }} → 1,750,000원; {{ amount|won:"천원" }} → 1,750천원."""
    return format_amount(value, unit)


@register.filter
def amount(value, unit="원"):
    """Number only, for table cells under a unit header: {{ amount|amount:"백만원" }} → 5,200."""
    return format_amount(value, unit, suffix=False)


@register.filter
def rate(value):
    return format_rate(value)
