"""The list items a problem concerns become an explicit link model, as the other sets did (0015).

The link table exists already (Django created it for the many-to-many field); the model takes it
over as it is, so no row moves: only the migration state changes here.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("responsibilities", "0018_problems"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ProblemItem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "problem",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="responsibilities.problem",
                                verbose_name="问题",
                            ),
                        ),
                        (
                            "listitem",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="responsibilities.listitem",
                                verbose_name="涉及的责任事项",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "涉及的责任事项",
                        "verbose_name_plural": "涉及的责任事项",
                        "db_table": "responsibilities_problem_items",
                        "unique_together": {("problem", "listitem")},
                    },
                ),
                migrations.AlterField(
                    model_name="problem",
                    name="items",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="problems",
                        through="responsibilities.ProblemItem",
                        to="responsibilities.listitem",
                        verbose_name="涉及的责任事项",
                    ),
                ),
            ],
        )
    ]
