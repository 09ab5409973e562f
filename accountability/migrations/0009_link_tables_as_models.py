"""A situation's failed items, a case's situations and a decision's measures become explicit link models.

The link table exists already (Django created it for the many-to-many field); the model takes it
over as it is, so no row moves: only the migration state changes here.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0008_case_search_trigram_index"),
        ("responsibilities", "0013_supervision_orders"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="SituationFailedItem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "situation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="accountability.situation",
                                verbose_name="追责情形",
                            ),
                        ),
                        (
                            "templateitem",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="responsibilities.templateitem",
                                verbose_name="对应责任事项",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "对应责任事项",
                        "verbose_name_plural": "对应责任事项",
                        "db_table": "accountability_situation_failed_items",
                        "unique_together": {("situation", "templateitem")},
                    },
                ),
                migrations.AlterField(
                    model_name="situation",
                    name="failed_items",
                    field=models.ManyToManyField(
                        blank=True, related_name="+", through="accountability.SituationFailedItem", to="responsibilities.templateitem", verbose_name="对应责任事项"
                    ),
                ),
                migrations.CreateModel(
                    name="CaseSituation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="accountability.case",
                                verbose_name="案件",
                            ),
                        ),
                        (
                            "situation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accountability.situation",
                                verbose_name="追责情形",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "追责情形",
                        "verbose_name_plural": "追责情形",
                        "db_table": "accountability_case_situations",
                        "unique_together": {("case", "situation")},
                    },
                ),
                migrations.AlterField(
                    model_name="case",
                    name="situations",
                    field=models.ManyToManyField(
                        related_name="cases", through="accountability.CaseSituation", to="accountability.situation", verbose_name="追责情形"
                    ),
                ),
                migrations.CreateModel(
                    name="DecisionMeasure",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "decision",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="accountability.decision",
                                verbose_name="问责决定",
                            ),
                        ),
                        (
                            "measure",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accountability.measure",
                                verbose_name="问责方式和处分",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "问责方式和处分",
                        "verbose_name_plural": "问责方式和处分",
                        "db_table": "accountability_decision_measures",
                        "unique_together": {("decision", "measure")},
                    },
                ),
                migrations.AlterField(
                    model_name="decision",
                    name="measures",
                    field=models.ManyToManyField(
                        related_name="decisions", through="accountability.DecisionMeasure", to="accountability.measure", verbose_name="问责方式和处分"
                    ),
                ),
            ],
        )
    ]
