"""On PostgreSQL the database itself refuses to change or delete an access record.

A row trigger raises on UPDATE and DELETE, whoever connects (the application's role included), so
neither a bug, the admin, nor a hand-typed SQL statement can rewrite the trail. SQLite, the
embedded default, has no such role model: there the application never updates or deletes it.
"""

from django.db import migrations

TABLE = "guro_sme_personaldataaccess"

CREATE = f"""
CREATE OR REPLACE FUNCTION guro_refuse_access_log_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '개인정보 접속기록은 수정하거나 삭제할 수 없습니다 (%).', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION guro_refuse_access_log_change();
"""

DROP = f"""
DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE};
DROP FUNCTION IF EXISTS guro_refuse_access_log_change();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("guro_sme", "0005_personal_data_access_log")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
