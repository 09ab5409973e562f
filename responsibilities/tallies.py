"""Task tallies: the roll-up's counts, kept by PostgreSQL as tasks change.

A root organisation's roll-up counts every task of a province (half a million at five thousand
organisations); counting them on each page view took a third of a second. ``TaskTally`` holds, for
every organisation, the number of active tasks of its whole subtree per year, status and deadline.
The roll-up then reads the organisation's and its children's rows only: a few thousand rows
whatever the size of the tree, and exact, since the deadline is kept to the day.

Statement-level triggers on the task table add and subtract the changed rows (one grouped upsert
per statement, so a bulk insert of ten thousand tasks costs one statement, not ten thousand). A task
counts for its own organisation and every ancestor, found by the prefixes of the organisation's
path. Moving an organisation moves its subtree's tallies between ancestors (``move_tallies``);
``rebuild`` recounts from the tasks, and ``discrepancies`` compares the two, which the tests and
``manage.py task_tallies --check`` use.

This module holds SQL only and imports no model, so the models can build their triggers from it.
"""

from django.db import connection

TASK = "responsibilities_task"
ITEM = "responsibilities_listitem"
LIST = "responsibilities_responsibilitylist"
ORGANISATION = "responsibilities_organisation"
TALLY = "responsibilities_tasktally"
STEPLEN = 4  # treebeard's MP_Node.steplen, checked against the model by a test

KEY = "organisation_id, year, status, deadline"

# Each changed task, with +1 or -1, expanded to its organisation and every ancestor.
_EXPANDED = f"""
    SELECT ancestor.id AS organisation_id, l.year, c.status, c.deadline, SUM(c.delta) AS delta
    FROM changes c
    JOIN {ITEM} i ON i.id = c.item_id
    JOIN {LIST} l ON l.id = i.responsibility_list_id
    JOIN {ORGANISATION} o ON o.id = l.organisation_id
    CROSS JOIN LATERAL generate_series(1, length(o.path) / {STEPLEN}) AS level(n)
    JOIN {ORGANISATION} ancestor ON ancestor.path = substr(o.path, 1, level.n * {STEPLEN})
    GROUP BY 1, 2, 3, 4
"""

_UPSERT = f"""
    INSERT INTO {TALLY} ({KEY}, task_count)
    SELECT {KEY}, delta FROM expanded WHERE delta <> 0 ORDER BY {KEY}
    ON CONFLICT ({KEY}) DO UPDATE SET task_count = {TALLY}.task_count + EXCLUDED.task_count;
"""


def _counted(alias: str) -> str:
    """The fields that decide where a task is counted. Archiving takes it out; its time does not matter."""
    return f"({alias}.item_id, {alias}.status, {alias}.deadline, {alias}.archived_at IS NULL)"


def trigger_body(operation: str) -> str:
    """The PL/pgSQL body of the statement trigger for INSERT or UPDATE (tasks are never deleted)."""
    if operation == "INSERT":
        changes = "SELECT item_id, status, deadline, 1 AS delta FROM new_rows WHERE archived_at IS NULL"
    elif operation == "UPDATE":
        changed = f"""
            FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE {_counted("o")} IS DISTINCT FROM {_counted("n")}
        """
        changes = f"""
            SELECT n.item_id, n.status, n.deadline, 1 AS delta {changed} AND n.archived_at IS NULL
            UNION ALL
            SELECT o.item_id, o.status, o.deadline, -1 AS delta {changed} AND o.archived_at IS NULL
        """
    else:
        raise ValueError(operation)
    return f"WITH changes AS ({changes}), expanded AS ({_EXPANDED}) {_UPSERT} RETURN NULL;"


def rebuild(using=None) -> None:
    """Recount every tally from the tasks: when the table is made, or to repair it."""
    with (using or connection).cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TASK} IN SHARE MODE")  # no task changes while recounting
        cursor.execute(f"DELETE FROM {TALLY}")
        cursor.execute(
            f"""
            WITH changes AS (SELECT item_id, status, deadline, 1 AS delta FROM {TASK} WHERE archived_at IS NULL),
            expanded AS ({_EXPANDED})
            {_UPSERT}
            """
        )


def move_tallies(organisation_id: int, *, leaving: list[int], joining: list[int]) -> None:
    """An organisation moved: its subtree's counts leave its old ancestors and join the new ones."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH expanded AS (
                SELECT ancestor.id AS organisation_id, t.year, t.status, t.deadline,
                       t.task_count * ancestor.sign AS delta
                FROM {TALLY} t
                CROSS JOIN (
                    SELECT id, -1 AS sign FROM unnest(%s::bigint[]) AS id
                    UNION ALL SELECT id, 1 AS sign FROM unnest(%s::bigint[]) AS id
                ) ancestor
                WHERE t.organisation_id = %s
            )
            {_UPSERT}
            """,
            [leaving, joining, organisation_id],
        )


def discrepancies(limit: int = 20) -> list[tuple]:
    """Keys where the tally differs from a direct count of the tasks: (key…, tallied, counted)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH changes AS (SELECT item_id, status, deadline, 1 AS delta FROM {TASK} WHERE archived_at IS NULL),
            expanded AS ({_EXPANDED})
            SELECT {KEY}, COALESCE(tally.task_count, 0), COALESCE(expanded.delta, 0)
            FROM expanded FULL JOIN {TALLY} tally USING ({KEY})
            WHERE COALESCE(tally.task_count, 0) <> COALESCE(expanded.delta, 0)
            ORDER BY {KEY}
            LIMIT %s
            """,
            [limit],
        )
        return cursor.fetchall()
