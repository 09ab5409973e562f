"""The benchmark's bulk load: what it sets aside comes back, and its rows get the history the triggers write."""

import pytest
from django.db import connection

from benchmarking import bulk
from responsibilities.models import Organisation, OrganisationKind, Task

pytestmark = pytest.mark.django_db

TABLES = ["responsibilities_organisation", "responsibilities_task", "responsibilities_taskevent"]


def catalogue() -> dict:
    """The indexes, constraints and triggers (with their enabled state) of the tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[])",
            [TABLES],
        )
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[])",
            [TABLES],
        )
        constraints = set(cursor.fetchall())
        cursor.execute(
            # Not the foreign keys' internal triggers: made again with the keys, they get new names.
            "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger "
            "WHERE tgrelid = ANY(%s::regclass[]) AND NOT tgisinternal",
            [TABLES],
        )
        triggers = set(cursor.fetchall())
    return {"indexes": indexes, "constraints": constraints, "triggers": triggers}


def test_loading_puts_back_every_index_constraint_and_trigger_it_set_aside():
    before = catalogue()
    assert any("task_search_trgm" in name for name, _ in before["indexes"])

    with bulk.loading([Organisation, Task]):
        during = catalogue()

    assert catalogue() == before
    assert len(during["indexes"]) < len(before["indexes"])
    assert not {c for c in during["constraints"] if "FOREIGN KEY" in c[2]}
    assert {state for _table, name, state in during["triggers"] if name.startswith("pgtrigger_")} == {"D", "O"}


def test_a_copied_row_gets_the_history_row_an_orm_insert_gets():
    fields = ["path", "depth", "name", "short_name", "code", "kind", "version", "archive_reason"]
    saved = Organisation.objects.create(path="ZZZ1", depth=1, name="甲", code="SAVED", kind=OrganisationKind.COMMITTEE)
    with bulk.loading([Organisation]) as load:
        [pk] = load.reserve(Organisation, 1)
        load.copy(
            Organisation,
            ["id", "path", "depth", "name", "code", "kind"],
            [(pk, "ZZZ2", 1, "甲", "COPIED", OrganisationKind.COMMITTEE)],
        )

    events = Organisation.pgh_event_model.objects.filter(pgh_obj__in=[saved.pk, pk])
    rows = {code: row for code, *row in events.values_list("code", "pgh_label", "pgh_context_id", *fields)}
    assert set(rows) == {"SAVED", "COPIED"}
    for row in rows.values():
        row[fields.index("path") + 2] = row[fields.index("code") + 2] = None  # the two rows differ only there
    assert rows["SAVED"] == rows["COPIED"]
    assert rows["COPIED"][:2] == ["insert", None]
    assert Organisation.objects.get(pk=pk).short_name == ""  # a field left out takes its default
