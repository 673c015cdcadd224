from django import template

register = template.Library()


@register.filter
def person(user) -> str:
    """A Korean name as written: family name first, no space (이심의); the username if none."""
    if user is None:
        return "-"
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.username
