"""The audit trail cannot be rewritten from the application's connection (issue 12, break 4).

- ``pghistory_context`` (the user and URL behind every history row) is append-only: DELETE is
  refused, and UPDATE too except pghistory's own upsert of a context inside the transaction that
  created it (its ``created_at`` is that transaction's ``now()``).
- TRUNCATE is refused by a statement trigger on every table of the business apps and of pghistory,
  unless the current role owns the table (the migration role: ``flush`` in tests, restores). The
  application connects as a role that does not own the tables (docs/开发说明.md, "Security: database roles").

A new business table gets its trigger from a later migration: ``tests/reliability/test_audit_trail.py``
fails for a table without one.
"""

from django.db import migrations

APPS = ("core", "responsibilities", "accountability", "assessments", "pghistory")

FUNCTIONS = """
CREATE OR REPLACE FUNCTION core_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RAISE EXCEPTION 'TRUNCATE of % is refused: records are archived, never deleted', TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION core_context_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'pghistory_context is append-only: DELETE is refused';
    END IF;
    IF NEW.id <> OLD.id OR NEW.created_at <> OLD.created_at OR OLD.created_at <> now() THEN
        RAISE EXCEPTION 'pghistory_context is append-only: UPDATE is refused';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS core_context_append_only ON pghistory_context;
CREATE TRIGGER core_context_append_only BEFORE UPDATE OR DELETE ON pghistory_context
    FOR EACH ROW EXECUTE FUNCTION core_context_append_only();
"""


def tables(apps):
    return sorted(
        {
            model._meta.db_table
            for label in APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if not model._meta.proxy and model._meta.managed
        }
    )


def install(apps, schema_editor):
    schema_editor.execute(FUNCTIONS, params=None)
    for table in tables(apps):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS core_refuse_truncate ON "{table}"')
        schema_editor.execute(
            f'CREATE TRIGGER core_refuse_truncate BEFORE TRUNCATE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION core_refuse_truncate()"
        )


def uninstall(apps, schema_editor):
    for table in tables(apps):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS core_refuse_truncate ON "{table}"')
    schema_editor.execute("DROP TRIGGER IF EXISTS core_context_append_only ON pghistory_context")
    schema_editor.execute("DROP FUNCTION IF EXISTS core_refuse_truncate(); DROP FUNCTION IF EXISTS core_context_append_only();")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_channels_and_preferences"),
        ("responsibilities", "0013_supervision_orders"),
        ("accountability", "0007_acknowledgements"),
        ("assessments", "0003_result_bonus_points"),
        ("pghistory", "0007_auto_20250421_0444"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
