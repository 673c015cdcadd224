"""Query pieces the apps share."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_of(model, field: str, *, outer: str = "pk", **filters):
    """How many `model` rows point at the outer row (or at its `outer` field, e.g. its run) through
    `field` (0 when none), as a correlated subquery: counting without joining the outer row to every
    row it counts, so several counts on one queryset neither multiply each other nor get cut by a
    filter on the outer query."""
    rows = model.objects.filter(**{field: OuterRef(outer)}, **filters).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)
