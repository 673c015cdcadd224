"""The audit trail: who changed which money or decision field, when, from what to what.

Every model whose fields hold money or a decision has `history = HistoricalRecords(...)`
(django-simple-history). A web request names its user through HistoryRequestMiddleware; a
service that may run outside a request (tests, commands, demo) wraps its writes in
`recorded_by(actor)` so each history row names the acting user there too — bulk writes and
queryset deletes included, where no instance attribute could carry it.

`history_trail(obj, ...)` reads the rows back as changes (who, when, field, old → new) for the
shared include `includes/history_trail.html` ("변경 이력") that managers see on a record's page.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .money import format_amount
from .roles import Role, has_role
from .templatetags.people import HISTORY_ACTIONS, person

# Fields every history row has that say nothing about the record itself.
_BOOKKEEPING = {"id", "created_at", "updated_at", "created_by", "updated_by"}


@contextmanager
def recorded_by(actor):
    """Name `actor` on every history row written inside the block (unless a request already does).

    simple-history reads the user of the current request; outside a request there is none, so
    this puts a stand-in carrying only the actor there for the duration of the block.
    """
    context = HistoricalRecords.context
    current = getattr(context, "request", None)
    if actor is None or getattr(getattr(current, "user", None), "is_authenticated", False):
        yield
        return
    context.request = SimpleNamespace(user=actor)
    try:
        yield
    finally:
        if current is None:
            del context.request
        else:
            context.request = current


def bulk_delete_with_history(queryset, *, actor) -> int:
    """Delete the rows in two queries, one history row ('삭제') each naming `actor`.

    A plain queryset delete writes one history row per deleted row (a query each); a grid that
    clears many cells at once would grow with its size. Only for models nothing else points to
    (attendance ticks): the delete skips Django's cascade collector.
    """
    model = queryset.model
    objs = list(queryset)
    if not objs:
        return 0
    historical = model.history.model
    now = timezone.now()
    historical.objects.bulk_create(
        [
            historical(
                history_date=now,
                history_user=actor,
                history_type="-",
                **{field.attname: getattr(obj, field.attname) for field in historical.tracked_fields},
            )
            for obj in objs
        ]
    )
    return model.objects.filter(pk__in=[obj.pk for obj in objs])._raw_delete(queryset.db)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class TrailEntry:
    at: datetime
    user: str
    kind: str
    record: str
    changes: tuple[FieldChange, ...]


# The fields that name a record among its siblings in a trail (e.g. "상환 회차 3", "출석 김출석 …
# 2018.03.02"): the first three of these the model has.
_LABEL_FIELDS = (
    "number",
    "name",
    "title",
    "firm_type",
    "application",
    "member",
    "fund",
    "registration",
    "session",
    "indicator",
    "series",
    "line",
    "year",
    "funding_source",
    "period",
)
NOT_RECORDED = "(기록 전)"


def _display(field: models.Field, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        target = related.get(field.name, {}).get(value)
        return str(target) if target is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "예" if value else "아니오"
    if field.name.endswith("_won") and isinstance(value, int):
        return format_amount(value)
    return str(value)


def _tracked_fields(model, fields: Iterable[str] | None) -> list[models.Field]:
    concrete = [f for f in model._meta.concrete_fields if f.name not in _BOOKKEEPING]
    if fields is None:
        return concrete
    wanted = set(fields)
    return [f for f in concrete if f.name in wanted]


def _resolve_related(wanted: dict[models.Field, set]) -> dict[str, dict]:
    """One query per foreign key shown, so the trail names a bank or a user instead of an id."""
    related = {}
    for field, ids in wanted.items():
        ids = ids - {None}
        if ids:
            # select_related(): the names (str) of most records read their own foreign keys.
            related[field.name] = field.related_model._default_manager.select_related().in_bulk(ids)
    return related


def _history_rows(source):
    """(model, history rows, parent) for a source; parent is True for one record, else the name of
    the foreign key to the parent when the source is a reverse foreign key (not shown: the page is
    the parent's), else False."""
    if isinstance(source, models.Model):
        return type(source), source.history.all(), True
    if hasattr(source, "core_filters") and hasattr(source, "instance"):
        if hasattr(source, "through"):  # a many-to-many (call.funds): its current records
            source = source.all()
        else:
            # A reverse foreign key (fund.firm_limits): its history includes the deleted rows too.
            model = source.model
            rows = model.history.filter(**{source.field.attname: source.instance.pk})
            return model, rows, source.field.name
    if isinstance(source, models.QuerySet):
        if hasattr(source.model, "instance_type"):  # already history rows (Model.history.filter(...))
            return source.model.instance_type, source, False
        model = source.model
        return model, model.history.filter(id__in=source.values("pk")), False
    raise TypeError(f"history_trail: not a record, related manager or queryset: {source!r}")


def _label_fields(model, parent) -> list[models.Field]:
    by_name = {f.name: f for f in model._meta.concrete_fields if f.name != parent}
    return [by_name[name] for name in _LABEL_FIELDS if name in by_name][:3]


_UNKNOWN = object()  # the value before the record's history began


def _entries_for(source, fields) -> list[TrailEntry]:
    """Compare each history row with the previous row of the same record.

    A creation lists its plain fields (its foreign keys are on the page already); a change lists
    what differs; foreign keys are named in one query each, only when some change shows them.
    """
    model, rows, parent = _history_rows(source)
    single = parent is True
    rows = list(rows.select_related("history_user").order_by("history_date", "history_id"))
    tracked = [f for f in _tracked_fields(model, fields) if f.name != parent]
    label_fields = [] if single else _label_fields(model, parent)
    wanted: dict[models.Field, set] = {}
    for field in label_fields:
        if field.is_relation:
            wanted[field] = {getattr(row, field.attname) for row in rows}
    previous: dict[int, object] = {}
    raw = []
    for row in rows:
        before = previous.get(row.id)
        previous[row.id] = row
        changes = []
        if row.history_type != "-":
            for field in tracked:
                new = getattr(row, field.attname)
                if before is None and row.history_type == "+":
                    if new in (None, "") or field.is_relation:
                        continue
                    old = None
                elif before is None:
                    old = _UNKNOWN  # the record is older than its history
                else:
                    old = getattr(before, field.attname)
                    if old == new:
                        continue
                if field.is_relation:
                    wanted.setdefault(field, set()).update({new} if old is _UNKNOWN else {old, new})
                changes.append((field, old, new))
            if row.history_type == "~" and not changes:
                continue  # saved again without a change of a tracked field
        raw.append((row, changes))
    related = _resolve_related(wanted)
    name = str(model._meta.verbose_name)
    entries = []
    for row, changes in raw:
        if label_fields:
            record = " ".join([name, *(_display(f, getattr(row, f.attname), related) for f in label_fields)])
        else:
            record = name if single else f"{name} #{row.id}"
        entries.append(
            TrailEntry(
                at=row.history_date,
                user=person(row.history_user) if row.history_user else "시스템",
                kind=HISTORY_ACTIONS.get(row.history_type, row.history_type),
                record=record,
                changes=tuple(
                    FieldChange(
                        str(field.verbose_name),
                        NOT_RECORDED if old is _UNKNOWN else _display(field, old, related),
                        _display(field, new, related),
                    )
                    for field, old, new in changes
                ),
            )
        )
    return entries


def history_trail(*sources, fields: Iterable[str] | None = None, limit: int = 200) -> list[TrailEntry]:
    """The changes of the given records, newest first, merged into one trail.

    Each source is a record (`fund`), a reverse foreign key (`fund.firm_limits`, deleted rows
    included), a queryset, or a list of those. `fields` limits the trail to those field names (default: every field
    but the bookkeeping). A constant number of queries: one per source, and one per foreign key
    whose change is shown.
    """
    flat = [item for source in sources for item in (source if isinstance(source, list | tuple) else [source])]
    entries = [entry for source in flat for entry in _entries_for(source, fields)]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


def may_read_trail(user) -> bool:
    """Managers read the trail of every record (superusers carry every role)."""
    return has_role(user, Role.MANAGER)
