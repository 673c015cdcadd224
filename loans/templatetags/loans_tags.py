from django import template

register = template.Library()


@register.filter
def korean_name(user) -> str:
    """Family name first, as Korean names are written (정효진), else the username; '-' for nobody."""
    if user is None:
        return "-"
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.username
