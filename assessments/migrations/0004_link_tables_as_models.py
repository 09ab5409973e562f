"""Scheme targets and indicator list items become explicit link models (their history and protection follow).

The link table exists already (Django created it for the many-to-many field); the model takes it
over as it is, so no row moves: only the migration state changes here.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_result_bonus_points"),
        ("responsibilities", "0013_supervision_orders"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="SchemeTarget",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "scheme",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="assessments.scheme",
                                verbose_name="考核方案",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="responsibilities.organisation",
                                verbose_name="被考核组织",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "被考核组织",
                        "verbose_name_plural": "被考核组织",
                        "db_table": "assessments_scheme_targets",
                        "unique_together": {("scheme", "organisation")},
                    },
                ),
                migrations.AlterField(
                    model_name="scheme",
                    name="targets",
                    field=models.ManyToManyField(
                        related_name="assessed_in", through="assessments.SchemeTarget", to="responsibilities.organisation", verbose_name="被考核组织"
                    ),
                ),
                migrations.CreateModel(
                    name="IndicatorListItem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "indicator",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="assessments.indicator",
                                verbose_name="考核指标",
                            ),
                        ),
                        (
                            "templateitem",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="responsibilities.templateitem",
                                verbose_name="考核的责任事项",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "考核的责任事项",
                        "verbose_name_plural": "考核的责任事项",
                        "db_table": "assessments_indicator_list_items",
                        "unique_together": {("indicator", "templateitem")},
                    },
                ),
                migrations.AlterField(
                    model_name="indicator",
                    name="list_items",
                    field=models.ManyToManyField(
                        blank=True, related_name="+", through="assessments.IndicatorListItem", to="responsibilities.templateitem", verbose_name="考核的责任事项"
                    ),
                ),
            ],
        )
    ]
