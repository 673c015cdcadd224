from django import template

register = template.Library()

HISTORY_ACTIONS = {"+": "등록", "~": "수정", "-": "삭제"}


@register.filter
def person(user) -> str:
    """A Korean name as written: family name first, no space (정효진); the username if none.

    Django's get_full_name() puts the given name first ("효진 정"), which reads wrong in Korean.
    """
    if user is None:
        return "-"
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.username


@register.filter
def history_action(entry) -> str:
    """등록 / 수정 / 삭제 for a django-simple-history row (its own labels are English)."""
    return HISTORY_ACTIONS.get(getattr(entry, "history_type", ""), "")
