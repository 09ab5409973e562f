"""The tasks a 督办 notice names become an explicit link model.

The link table exists already (Django created it for the many-to-many field); the model takes it
over as it is, so no row moves: only the migration state changes here.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("responsibilities", "0014_search_trigram_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="OrderTask",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "supervisionorder",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="responsibilities.supervisionorder",
                                verbose_name="督办",
                            ),
                        ),
                        (
                            "task",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="responsibilities.task",
                                verbose_name="相关任务",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "相关任务",
                        "verbose_name_plural": "相关任务",
                        "db_table": "responsibilities_supervisionorder_tasks",
                        "unique_together": {("supervisionorder", "task")},
                    },
                ),
                migrations.AlterField(
                    model_name="supervisionorder",
                    name="tasks",
                    field=models.ManyToManyField(
                        blank=True, related_name="supervision_orders", through="responsibilities.OrderTask", to="responsibilities.task", verbose_name="相关任务"
                    ),
                ),
            ],
        )
    ]
