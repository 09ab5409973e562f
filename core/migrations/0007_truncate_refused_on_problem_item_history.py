"""TRUNCATE refused on the problems' link-history table too (the idempotent statement trigger of 0005)."""

import importlib

from django.db import migrations

audit = importlib.import_module("core.migrations.0005_append_only_audit")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_truncate_refused_on_link_history"),
        ("responsibilities", "0020_problem_item_history"),
    ]

    operations = [migrations.RunPython(audit.install, migrations.RunPython.noop)]
