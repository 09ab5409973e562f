"""TRUNCATE refused on the new link-history tables too (the statement trigger of 0005, installed again
on every business and history table: it is idempotent)."""

import importlib

from django.db import migrations

audit = importlib.import_module("core.migrations.0005_append_only_audit")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_append_only_audit"),
        ("responsibilities", "0016_link_history_and_protection"),
        ("accountability", "0010_link_history_and_protection"),
        ("assessments", "0005_link_history_and_protection"),
    ]

    operations = [migrations.RunPython(audit.install, migrations.RunPython.noop)]
