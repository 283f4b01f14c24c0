"""The database itself refuses to change or remove audit rows (SQLite and PostgreSQL triggers)."""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_auditseal")

SQLITE_UP = [
    sql
    for table in TABLES
    for sql in (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: {table} rows cannot be updated'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: {table} rows cannot be deleted'); END",
    )
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS {t}_{op}" for t in TABLES for op in ("no_update", "no_delete")]

POSTGRES_UP = [
    """
    CREATE OR REPLACE FUNCTION clearline_audit_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    *[
        sql
        for table in TABLES
        for sql in (
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION clearline_audit_append_only()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION clearline_audit_append_only()",
        )
    ],
]
POSTGRES_DOWN = [
    *[f"DROP TRIGGER IF EXISTS {t}_{name} ON {t}" for t in TABLES for name in ("append_only", "no_truncate")],
    "DROP FUNCTION IF EXISTS clearline_audit_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(f"no append-only triggers for {schema_editor.connection.vendor}")
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
