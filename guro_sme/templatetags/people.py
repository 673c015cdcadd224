from django import template

from guro_sme.korean import korean_name

register = template.Library()

HISTORY_ACTIONS = {"+": "등록", "~": "수정", "-": "삭제"}


@register.filter
def person(user) -> str:
    """A Korean name as written: family name first, no space (정효진); the username if none.

    Django's get_full_name() puts the given name first ("효진 정"), which reads wrong in Korean.
    """
    return korean_name(user)


register.filter("korean_name", korean_name)


@register.filter
def history_action(entry) -> str:
    """등록 / 수정 / 삭제 for a django-simple-history row (its own labels are English)."""
    return HISTORY_ACTIONS.get(getattr(entry, "history_type", ""), "")
