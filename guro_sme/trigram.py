"""Trigram indexes (PostgreSQL's pg_trgm) for the substring searches: 회사명, 대표자, 사업자등록번호,
participants' names and phones. Django's `icontains` is `UPPER(col::text) LIKE UPPER('%q%')`, which
no B-tree index serves; a GIN index on the same expression with `gin_trgm_ops` does, so a search
stays an index scan at ten times today's firms.

SQLite (the embedded default) has no such index and needs none at its size: the migration does
nothing there. Where the database user may not create the extension (pg_trgm is a trusted extension
from PostgreSQL 13, so the database's owner may), the migration says so and leaves search on
sequential scans rather than stopping the deployment; `CREATE EXTENSION pg_trgm;` by a superuser
and `manage.py migrate <app> <previous>` then `migrate` again adds the indexes.
"""

from django.db import DatabaseError, migrations


def trigram_indexes(table: str, indexes: dict[str, str]) -> migrations.RunPython:
    """A migration operation: `indexes` maps an index name to the indexed expression, e.g.
    {"firm_name_trgm": "UPPER(name::text)"}."""

    def create(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            try:
                cursor.execute("SAVEPOINT trigram_extension")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("RELEASE SAVEPOINT trigram_extension")
            except DatabaseError as error:  # not allowed here: say so, keep migrating
                cursor.execute("ROLLBACK TO SAVEPOINT trigram_extension")
                print(f"\n  pg_trgm를 만들 수 없어 {table} 검색 색인을 건너뜁니다: {error}".rstrip())
                return
            for name, expression in indexes.items():
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)"
                )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for name in indexes:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
