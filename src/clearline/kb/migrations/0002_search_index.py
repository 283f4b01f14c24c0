"""Full-text search for the FAQ: an FTS5 table kept by triggers on SQLite, GIN expression indexes per
language on PostgreSQL (the expressions must match ``kb.search`` exactly to be used)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE kb_search USING fts5(title, body, language UNINDEXED, text_id UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER kb_search_insert AFTER INSERT ON kb_articletext BEGIN "
    "INSERT INTO kb_search (rowid, title, body, language, text_id) "
    "VALUES (new.id, new.title, new.search_text, new.language, new.id); END",
    "CREATE TRIGGER kb_search_update AFTER UPDATE OF title, search_text, language ON kb_articletext BEGIN "
    "DELETE FROM kb_search WHERE rowid = old.id; "
    "INSERT INTO kb_search (rowid, title, body, language, text_id) "
    "VALUES (new.id, new.title, new.search_text, new.language, new.id); END",
    "CREATE TRIGGER kb_search_delete AFTER DELETE ON kb_articletext BEGIN "
    "DELETE FROM kb_search WHERE rowid = old.id; END",
]
SQLITE_DROP = [
    "DROP TRIGGER kb_search_insert",
    "DROP TRIGGER kb_search_update",
    "DROP TRIGGER kb_search_delete",
    "DROP TABLE kb_search",
]
PG_CONFIGS = {"en": "english", "es": "spanish", "ro": "romanian"}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    elif schema_editor.connection.vendor == "postgresql":
        for language, config in PG_CONFIGS.items():
            schema_editor.execute(
                f"CREATE INDEX kb_text_fts_{language} ON kb_articletext USING gin "
                f"((setweight(to_tsvector('{config}', title), 'A') || to_tsvector('{config}', search_text))) "
                f"WHERE language = '{language}'"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)
    elif schema_editor.connection.vendor == "postgresql":
        for language in PG_CONFIGS:
            schema_editor.execute(f"DROP INDEX kb_text_fts_{language}")


class Migration(migrations.Migration):
    dependencies = [("kb", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
