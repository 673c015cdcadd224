"""`{% history_trail record record.children ... %}`: the "변경 이력" box managers see on a page."""

from django import template

from guro_sme.history import history_trail as build_trail
from guro_sme.history import may_read_trail

register = template.Library()


@register.inclusion_tag("includes/history_trail.html", takes_context=True)
def history_trail(context, *sources, fields=None, title="변경 이력"):
    """Render the merged trail of the sources for a manager; nothing (and no query) for others.

    `fields="a,b"` limits the trail to those fields.
    """
    request = context.get("request")
    if request is None or not may_read_trail(request.user):
        return {"show": False}
    wanted = [name.strip() for name in fields.split(",")] if fields else None
    return {"show": True, "title": title, "entries": build_trail(*sources, fields=wanted)}
