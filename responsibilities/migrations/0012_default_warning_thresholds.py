from django.db import migrations

DEFAULTS = [("blue", 5, False), ("yellow", 0, False), ("red", 30, True)]


def seed(apps, schema_editor):
    WarningThreshold = apps.get_model("responsibilities", "WarningThreshold")
    for colour, days, after_intervention in DEFAULTS:
        WarningThreshold.objects.get_or_create(
            colour=colour, defaults={"days": days, "after_intervention": after_intervention}
        )


class Migration(migrations.Migration):
    dependencies = [("responsibilities", "0011_warning_thresholds")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
