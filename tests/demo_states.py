"""Demo data built once per test process and restored into each test that asks for it.

Loading the demo runs every app's services (events, schedules, meetings, history rows), which
takes seconds; a dozen tests need it. The first test that asks for a state builds it through
the real loaders and records, table by table, the rows the loaders added and the rows they
changed or removed. Every later test gets the same rows written back with plain INSERTs inside
its own transaction (rolled back as usual), in a fraction of the time.

Restore a state before the test writes anything of its own: the rows come back with their
original primary keys.
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

SKIPPED_TABLES = {"django_migrations", "django_session"}


def _load_everything():
    call_command("load_demo", allow_production=True, stdout=io.StringIO())


def _load_loans():
    from guro_sme import demo as core_demo
    from loans import demo

    core_demo.load()
    demo.load()


def _load_committee():
    from loans.committee import demo

    _load_loans()
    demo.load()


def _load_programs():
    from guro_sme import demo as core_demo
    from programs import demo

    core_demo.load()
    demo.load()


def _load_marketing():
    from marketing import demo

    demo.load()


def _load_kotra_seed():
    """The seed's nine firms as the core demo makes them (not its users), then the kotra demo."""
    from guro_sme import demo as core_demo
    from guro_sme.models import Firm, Organization
    from kotra import demo

    Organization.objects.get_or_create(name="KOTRA", defaults={"kind": Organization.Kind.AGENCY})
    for serial, (name, representative, product) in enumerate(core_demo.KOTRA_2017_FIRMS, start=1):
        core_demo.ensure_firm(
            serial, name, representative, firm_type=Firm.FirmType.SME, industry=product, in_district=True
        )
    demo.load()


def _load_plan():
    from reports import demo

    demo.load()


BUILDERS: dict[str, Callable[[], None]] = {
    "everything": _load_everything,  # load_demo, as `make run` does
    "loans": _load_loans,  # core + loans
    "committee": _load_committee,  # core + loans + committee
    "programs": _load_programs,  # core + programs
    "marketing": _load_marketing,
    "kotra_seed": _load_kotra_seed,
    "plan": _load_plan,  # the plan card III-2-1
}


@dataclass
class TableChange:
    columns: list[str]
    pk_column: str | None
    added: list[tuple] = field(default_factory=list)
    removed_pks: list = field(default_factory=list)


def _tables(cursor) -> list[str]:
    return [t for t in connection.introspection.table_names(cursor) if t not in SKIPPED_TABLES]


def _read(cursor, only: set[str] | None = None) -> dict[str, tuple[list[str], list[tuple]]]:
    quote = connection.ops.quote_name
    contents = {}
    for table in _tables(cursor):
        if only is not None and table not in only:
            continue
        cursor.execute(f"SELECT * FROM {quote(table)}")
        contents[table] = ([c[0] for c in cursor.description], [tuple(row) for row in cursor.fetchall()])
    return contents


def _writable(row: tuple) -> tuple:
    """SQLite hands back times and datetimes it can't take again; Django stores them as str()."""
    if connection.vendor != "sqlite":
        return row
    return tuple(str(v) if isinstance(v, datetime.time | datetime.datetime) else v for v in row)


def _key(row: tuple) -> str:
    return repr(row)


@dataclass
class Recording:
    """What a builder changed, and the contents of the tables it depends on when it ran: the rows
    already there (the migrations' roles, permissions, content types) and the tables it wrote."""

    changes: dict[str, TableChange]
    depends_on: dict[str, list[tuple]]

    def replays_onto(self, cursor) -> bool:
        return _read(cursor, only=set(self.depends_on)) == {
            table: (_columns_of(table, cursor), rows) for table, rows in self.depends_on.items()
        }


def _columns_of(table: str, cursor) -> list[str]:
    return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def build(builder: Callable[[], None]) -> Recording:
    """Run `builder` in the current transaction and record what it changed, table by table."""
    # A fresh cursor on each side: loaddata closes the connection when it runs in autocommit
    # (transactional and live-server tests), which would leave a held cursor on a closed database.
    with connection.cursor() as cursor:
        before = _read(cursor)
    builder()
    with connection.cursor() as cursor:
        after = _read(cursor)
        changes = {}
        for table, (columns, rows) in after.items():
            old_rows = before.get(table, (columns, []))[1]
            old_keys = {_key(r) for r in old_rows}
            new_keys = {_key(r) for r in rows}
            added = [r for r in rows if _key(r) not in old_keys]
            removed = [r for r in old_rows if _key(r) not in new_keys]
            if not added and not removed:
                continue
            pk_columns = connection.introspection.get_primary_key_columns(cursor, table) or []
            pk_column = pk_columns[0] if len(pk_columns) == 1 else None
            if removed and pk_column is None:
                raise RuntimeError(f"the demo changed rows of {table}, which has no single-column key")
            index = columns.index(pk_column) if pk_column else None
            changes[table] = TableChange(
                columns=columns,
                pk_column=pk_column,
                added=added,
                removed_pks=[r[index] for r in removed] if removed else [],
            )
        depends_on = {table: rows for table, (_, rows) in before.items() if rows or table in changes}
        return Recording(changes=changes, depends_on=depends_on)


def restore(changes: dict[str, TableChange]) -> None:
    """Write the recorded changes into the current transaction, then move the id sequences on."""
    from django.apps import apps

    quote = connection.ops.quote_name
    # One transaction, so the foreign keys (deferred) are checked once every table is written,
    # also in the autocommit of a transactional test.
    with transaction.atomic(), connection.cursor() as cursor:
        for table, change in changes.items():
            if change.removed_pks:
                marks = ", ".join(["%s"] * len(change.removed_pks))
                cursor.execute(
                    f"DELETE FROM {quote(table)} WHERE {quote(change.pk_column)} IN ({marks})",
                    change.removed_pks,
                )
            if change.added:
                columns = ", ".join(quote(c) for c in change.columns)
                marks = ", ".join(["%s"] * len(change.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})",
                    [_writable(row) for row in change.added],
                )
        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in changes]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


class DemoStates:
    """Per test process: name → the recording of its builder.

    A recording is replayed only onto the state it was made from (the tables it depends on hold
    the same rows): after a live-server test has flushed the database the migrations' rows come
    back under new ids, and a test may have written rows of its own first; then it is built anew.
    """

    def __init__(self):
        self._built: dict[str, Recording] = {}
        self.builds = 0  # how many times a builder ran (the rest were replays)

    def restore(self, name: str) -> None:
        recording = self._built.get(name)
        with connection.cursor() as cursor:
            replayable = recording is not None and recording.replays_onto(cursor)
        if replayable:
            restore(recording.changes)
        else:
            self._built[name] = build(BUILDERS[name])
            self.builds += 1
