"""Task tallies: the counts behind the roll-up and the early warning, kept by PostgreSQL as tasks change.

A province's root sees half a million tasks at five thousand organisations; counting them on each
page view took a third of a second or more. Three tables hold the counts instead:

``TaskTally``
    For every organisation, the active tasks of its whole subtree per year, status and deadline.
    The roll-up reads the organisation's and its children's rows only: a few thousand rows however
    large the tree, exact to the day. A task counts for its own organisation and every ancestor,
    found by the prefixes of the organisation's path; moving an organisation moves its subtree's
    counts between ancestors (``move_tallies``).

``ItemTally``
    The same counts per year, list kind, item number and status (no deadline): the 驾驶舱's
    completion of each responsibility item over the subtree, kept by the same statement triggers
    and moved with ``TaskTally``.

``OverdueTally``
    For every organisation and person (no person: the committee list), the active tasks not done
    of their lists not yet closed whose deadline is before the overdue clock's day
    (``OverdueClock.as_of``): the early warning's rows, one per person. Being overdue depends on the day,
    so the clock is moved to today by the worker at 00:05 (``advance_clock``, a periodic task in
    ``responsibilities.tasks``), which adds the tasks whose deadline passed since: one day's
    deadlines, not the whole table. Readers never move it; while it is behind they count directly. Every transaction
    that changes the count holds a share lock on the clock row, and moving the clock takes it
    exclusively, so a count is always exact for the clock's day.

Statement-level triggers on the task table add and subtract the changed rows (one grouped upsert
per statement, so a bulk insert of ten thousand tasks costs one statement, not ten thousand).
``rebuild`` recounts both tables from the tasks, and ``discrepancies`` compares them with a direct
count, which the tests and ``manage.py task_tallies`` use.

This module holds SQL only and imports no model, so the models can build their triggers from it.
"""

from datetime import date

from django.db import connection, transaction
from django.utils import timezone

TASK = "responsibilities_task"
ITEM = "responsibilities_listitem"
LIST = "responsibilities_responsibilitylist"
ORGANISATION = "responsibilities_organisation"
TALLY = "responsibilities_tasktally"
OVERDUE = "responsibilities_overduetally"
ITEM_TALLY = "responsibilities_itemtally"
CLOCK = "responsibilities_overdueclock"
STEPLEN = 4  # treebeard's MP_Node.steplen, checked against the model by a test

KEY = "organisation_id, year, status, deadline"

ALL_TASKS = f"SELECT item_id, status, deadline, 1 AS delta FROM {TASK} WHERE archived_at IS NULL"

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

# The same changes per list kind and item number (the 驾驶舱's completion per responsibility item).
ITEM_KEY = "organisation_id, year, kind, number, status"

_ITEM_EXPANDED = f"""
    SELECT ancestor.id AS organisation_id, l.year, l.kind, i.number, c.status, SUM(c.delta) AS delta
    FROM changes c
    JOIN {ITEM} i ON i.id = c.item_id
    JOIN {LIST} l ON l.id = i.responsibility_list_id
    JOIN {ORGANISATION} o ON o.id = l.organisation_id
    CROSS JOIN LATERAL generate_series(1, length(o.path) / {STEPLEN}) AS level(n)
    JOIN {ORGANISATION} ancestor ON ancestor.path = substr(o.path, 1, level.n * {STEPLEN})
    GROUP BY 1, 2, 3, 4, 5
"""

_ITEM_UPSERT = f"""
    INSERT INTO {ITEM_TALLY} ({ITEM_KEY}, task_count)
    SELECT {ITEM_KEY}, delta FROM expanded WHERE delta <> 0 ORDER BY {ITEM_KEY}
    ON CONFLICT ({ITEM_KEY}) DO UPDATE SET task_count = {ITEM_TALLY}.task_count + EXCLUDED.task_count;
"""

# Each changed task that is overdue on the clock's day, per organisation and person of its list.
_OVERDUE_BY_OWNER = f"""
    SELECT l.organisation_id, l.person_id, SUM(c.delta) AS delta
    FROM changes c
    JOIN {ITEM} i ON i.id = c.item_id
    JOIN {LIST} l ON l.id = i.responsibility_list_id
    WHERE c.status <> 'done' AND c.deadline < %(day)s AND l.status <> 'closed'
    GROUP BY 1, 2
"""

OVERDUE_KEY = "organisation_id, person_id"

_OVERDUE_UPSERT = f"""
    INSERT INTO {OVERDUE} ({OVERDUE_KEY}, overdue_count)
    SELECT {OVERDUE_KEY}, delta FROM by_owner WHERE delta <> 0 ORDER BY {OVERDUE_KEY}
    ON CONFLICT ({OVERDUE_KEY}) DO UPDATE SET overdue_count = {OVERDUE}.overdue_count + EXCLUDED.overdue_count;
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
    overdue = _OVERDUE_BY_OWNER.replace("%(day)s", "clock_day")
    return f"""
        IF NOT EXISTS ({changes}) THEN
            RETURN NULL;  -- only fields the counts ignore changed (a version, a title)
        END IF;
        WITH changes AS ({changes}), expanded AS ({_EXPANDED}) {_UPSERT}
        WITH changes AS ({changes}), expanded AS ({_ITEM_EXPANDED}) {_ITEM_UPSERT}
        -- Held until commit: the clock cannot move while this transaction's counts are open.
        SELECT as_of INTO clock_day FROM {CLOCK} WHERE id = 1 FOR SHARE;
        IF clock_day IS NOT NULL THEN  -- no clock: the next ``advance_clock`` counts from scratch
            WITH changes AS ({changes}), by_owner AS ({overdue}) {_OVERDUE_UPSERT}
        END IF;
        RETURN NULL;
    """


TRIGGER_DECLARE = [("clock_day", "date")]

# A list closing (or opening again) takes its overdue tasks out of the early warning (or back in).
LIST_CLOSING_CONDITION = "((OLD.status = 'closed') IS DISTINCT FROM (NEW.status = 'closed'))"


def list_closing_body() -> str:
    """The PL/pgSQL body of the row trigger on lists whose closed state changes."""
    return f"""
        SELECT as_of INTO clock_day FROM {CLOCK} WHERE id = 1 FOR SHARE;
        IF clock_day IS NOT NULL THEN
            INSERT INTO {OVERDUE} ({OVERDUE_KEY}, overdue_count)
            SELECT NEW.organisation_id, NEW.person_id,
                   CASE WHEN NEW.status = 'closed' THEN -COUNT(*) ELSE COUNT(*) END
            FROM {TASK} t JOIN {ITEM} i ON i.id = t.item_id
            WHERE i.responsibility_list_id = NEW.id AND t.archived_at IS NULL
                AND t.status <> 'done' AND t.deadline < clock_day
            HAVING COUNT(*) > 0
            ON CONFLICT ({OVERDUE_KEY})
                DO UPDATE SET overdue_count = {OVERDUE}.overdue_count + EXCLUDED.overdue_count;
        END IF;
        RETURN NULL;
    """


def rebuild(using=None) -> None:
    """Recount both tables from the tasks: when they are made (migration 0006), or to repair them."""
    with (using or connection).cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TASK} IN SHARE MODE")  # no task changes while recounting
        cursor.execute(f"DELETE FROM {TALLY}")
        cursor.execute(f"WITH changes AS ({ALL_TASKS}), expanded AS ({_EXPANDED}) {_UPSERT}")
        _recount_items(cursor)
        cursor.execute(f"SELECT as_of FROM {CLOCK} WHERE id = 1 FOR UPDATE")
        row = cursor.fetchone()
        _recount_overdue(cursor, row[0] if row else timezone.localdate())


def _recount_items(cursor) -> None:
    cursor.execute(f"DELETE FROM {ITEM_TALLY}")
    cursor.execute(f"WITH changes AS ({ALL_TASKS}), expanded AS ({_ITEM_EXPANDED}) {_ITEM_UPSERT}")


def rebuild_items(using=None) -> None:
    """Recount the per-item table alone (to repair it; migration 0022 made it with a frozen copy)."""
    with (using or connection).cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TASK} IN SHARE MODE")
        _recount_items(cursor)


def _recount_overdue(cursor, day: date) -> None:
    cursor.execute(f"DELETE FROM {OVERDUE}")
    cursor.execute(f"WITH changes AS ({ALL_TASKS}), by_owner AS ({_OVERDUE_BY_OWNER}) {_OVERDUE_UPSERT}", {"day": day})
    cursor.execute(
        f"INSERT INTO {CLOCK} (id, as_of) VALUES (1, %s) ON CONFLICT (id) DO UPDATE SET as_of = EXCLUDED.as_of", [day]
    )


def clock_day() -> date | None:
    """The day the overdue counts stand on (None before the first count)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT as_of FROM {CLOCK} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def advance_clock(day: date) -> None:
    """Make the overdue counts exact for ``day``: only the tasks whose deadline lies between the
    clock's day and ``day`` are counted in or out. Cheap when the clock is already there."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT as_of FROM {CLOCK} WHERE id = 1")
        row = cursor.fetchone()
        if row is not None and row[0] == day:
            return
        # Waits for every transaction that holds the clock (see ``trigger_body``), then holds it.
        cursor.execute(f"SELECT as_of FROM {CLOCK} WHERE id = 1 FOR UPDATE")
        row = cursor.fetchone()
        if row is None:  # the table was emptied (a test database flush): count from scratch
            cursor.execute(f"LOCK TABLE {TASK} IN SHARE MODE")
            _recount_overdue(cursor, day)
            return
        [as_of] = row
        if as_of == day:
            return
        low, high, sign = (as_of, day, 1) if as_of < day else (day, as_of, -1)
        cursor.execute(
            f"""
            WITH changes AS (
                SELECT item_id, status, deadline, %(sign)s AS delta FROM {TASK}
                WHERE archived_at IS NULL AND status <> 'done' AND deadline >= %(low)s AND deadline < %(high)s
            ),
            by_owner AS ({_OVERDUE_BY_OWNER.replace("%(day)s", "%(high)s")})
            {_OVERDUE_UPSERT}
            """,
            {"sign": sign, "low": low, "high": high},
        )
        cursor.execute(f"UPDATE {CLOCK} SET as_of = %s WHERE id = 1", [day])


def _move_counts(
    table: str, keys: str, counts: dict[str, str], upsert: str, organisation_id: int, leaving, joining
) -> None:
    """An organisation moved: the counts its own row of ``table`` holds (those of its whole subtree)
    are taken from the ancestors it left and added to those it joined, by ``upsert``. ``keys`` are the
    table's key columns besides the organisation; ``counts`` names each count column as the upsert reads it."""
    columns = ", ".join(f"t.{key.strip()}" for key in keys.split(","))
    moved = ", ".join(f"t.{column} * ancestor.sign AS {name}" for column, name in counts.items())
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH expanded AS (
                SELECT ancestor.id AS organisation_id, {columns}, {moved}
                FROM {table} t
                CROSS JOIN (
                    SELECT id, -1 AS sign FROM unnest(%s::bigint[]) AS id
                    UNION ALL SELECT id, 1 AS sign FROM unnest(%s::bigint[]) AS id
                ) ancestor
                WHERE t.organisation_id = %s
            )
            {upsert}
            """,
            [leaving, joining, organisation_id],
        )


def move_tallies(organisation_id: int, *, leaving: list[int], joining: list[int]) -> None:
    """An organisation moved: its subtree's counts leave its old ancestors and join the new ones."""
    _move_counts(TALLY, "year, status, deadline", {"task_count": "delta"}, _UPSERT, organisation_id, leaving, joining)
    _move_counts(
        ITEM_TALLY,
        "year, kind, number, status",
        {"task_count": "delta"},
        _ITEM_UPSERT,
        organisation_id,
        leaving,
        joining,
    )


def _differences(label: str, rows: str, expanded: str, table: str, column: str, key: str, limit: int) -> list[tuple]:
    """Rows of a kept count (``table.column`` per ``key``) that differ from the same count made
    directly from ``rows`` spread to every ancestor by ``expanded``: (label, key…, kept, counted)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH changes AS ({rows}), expanded AS ({expanded})
            SELECT '{label}', {key}, COALESCE(kept.{column}, 0), COALESCE(expanded.delta, 0)
            FROM expanded FULL JOIN {table} kept USING ({key})
            WHERE COALESCE(kept.{column}, 0) <> COALESCE(expanded.delta, 0)
            ORDER BY {key}
            LIMIT %(limit)s
            """,
            {"limit": limit},
        )
        return cursor.fetchall()


def discrepancies(limit: int = 20) -> list[tuple]:
    """Where a count differs from a direct count of the tasks: (table, key…, kept, counted)."""
    wrong = _differences("tally", ALL_TASKS, _EXPANDED, TALLY, "task_count", KEY, limit)
    wrong += _differences("item", ALL_TASKS, _ITEM_EXPANDED, ITEM_TALLY, "task_count", ITEM_KEY, limit)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH changes AS ({ALL_TASKS}),
            by_owner AS ({_OVERDUE_BY_OWNER.replace("%(day)s", f"(SELECT as_of FROM {CLOCK} WHERE id = 1)")})
            SELECT 'overdue', COALESCE(kept.organisation_id, by_owner.organisation_id),
                   COALESCE(kept.person_id, by_owner.person_id),
                   COALESCE(kept.overdue_count, 0), COALESCE(by_owner.delta, 0)
            FROM by_owner FULL JOIN {OVERDUE} kept
                ON kept.organisation_id = by_owner.organisation_id
                AND COALESCE(kept.person_id, 0) = COALESCE(by_owner.person_id, 0)
            WHERE COALESCE(kept.overdue_count, 0) <> COALESCE(by_owner.delta, 0)
            ORDER BY 2, 3
            LIMIT %(limit)s
            """,
            {"limit": limit},
        )
        return wrong + cursor.fetchall()


# ---- 督办 tallies ----------------------------------------------------------------------------------
#
# ``OrderTally``: for every organisation, the 督办 replies its whole subtree received, per status and
# reply deadline. The roll-up reads issued (all), answered, closed and overdue (waiting or returned
# with the deadline passed) from the organisation's and its children's rows, exact to the day without
# a clock, as the task tally is. A statement trigger on the reply table keeps it (a reply's
# organisation and status decide where it counts; an order's deadline never changes once issued).

REPLY = "responsibilities_supervisionreply"
ORDER = "responsibilities_supervisionorder"
ORDER_TALLY = "responsibilities_ordertally"

ORDER_KEY = "organisation_id, status, reply_by"

ALL_REPLIES = f"SELECT order_id, organisation_id, status, 1 AS delta FROM {REPLY}"

_ORDER_EXPANDED = f"""
    SELECT ancestor.id AS organisation_id, c.status, ord.reply_by, SUM(c.delta) AS delta
    FROM changes c
    JOIN {ORDER} ord ON ord.id = c.order_id
    JOIN {ORGANISATION} o ON o.id = c.organisation_id
    CROSS JOIN LATERAL generate_series(1, length(o.path) / {STEPLEN}) AS level(n)
    JOIN {ORGANISATION} ancestor ON ancestor.path = substr(o.path, 1, level.n * {STEPLEN})
    GROUP BY 1, 2, 3
"""

_ORDER_UPSERT = f"""
    INSERT INTO {ORDER_TALLY} ({ORDER_KEY}, reply_count)
    SELECT {ORDER_KEY}, delta FROM expanded WHERE delta <> 0 ORDER BY {ORDER_KEY}
    ON CONFLICT ({ORDER_KEY}) DO UPDATE SET reply_count = {ORDER_TALLY}.reply_count + EXCLUDED.reply_count;
"""


def order_trigger_body(operation: str) -> str:
    """The PL/pgSQL body of the statement trigger on 督办 replies for INSERT or UPDATE (never deleted)."""
    if operation == "INSERT":
        changes = "SELECT order_id, organisation_id, status, 1 AS delta FROM new_rows"
    elif operation == "UPDATE":
        changed = """
            FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (o.order_id, o.organisation_id, o.status) IS DISTINCT FROM (n.order_id, n.organisation_id, n.status)
        """
        changes = f"""
            SELECT n.order_id, n.organisation_id, n.status, 1 AS delta {changed}
            UNION ALL
            SELECT o.order_id, o.organisation_id, o.status, -1 AS delta {changed}
        """
    else:
        raise ValueError(operation)
    return f"""
        IF NOT EXISTS ({changes}) THEN
            RETURN NULL;  -- only fields the counts ignore changed (an answer's text, a version)
        END IF;
        WITH changes AS ({changes}), expanded AS ({_ORDER_EXPANDED}) {_ORDER_UPSERT}
        RETURN NULL;
    """


def rebuild_orders(using=None) -> None:
    """Recount the 督办 tally from the replies (migration 0014, or to repair it)."""
    with (using or connection).cursor() as cursor:
        cursor.execute(f"LOCK TABLE {REPLY} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {ORDER_TALLY}")
        cursor.execute(f"WITH changes AS ({ALL_REPLIES}), expanded AS ({_ORDER_EXPANDED}) {_ORDER_UPSERT}")


def move_order_tallies(organisation_id: int, *, leaving: list[int], joining: list[int]) -> None:
    """An organisation moved: the 督办 its subtree received leave its old ancestors and join the new ones."""
    _move_counts(
        ORDER_TALLY, "status, reply_by", {"reply_count": "delta"}, _ORDER_UPSERT, organisation_id, leaving, joining
    )


def order_discrepancies(limit: int = 20) -> list[tuple]:
    """Where a 督办 count differs from a direct count of the replies: ('orders', key…, kept, counted)."""
    return _differences("orders", ALL_REPLIES, _ORDER_EXPANDED, ORDER_TALLY, "reply_count", ORDER_KEY, limit)


# ---- Problems (问题清单) -----------------------------------------------------------------------
# The same scheme for the problem roll-up: for every organisation, the problems of its whole subtree
# per year found, status and deadline. Being overdue is read from the deadline against the day.

PROBLEM = "responsibilities_problem"
PROBLEM_TALLY = "responsibilities_problemtally"

ALL_PROBLEMS = f"""
    SELECT organisation_id, EXTRACT(YEAR FROM found_on)::int AS year, status, deadline, 1 AS delta FROM {PROBLEM}
"""

_PROBLEM_EXPANDED = f"""
    SELECT ancestor.id AS organisation_id, c.year, c.status, c.deadline, SUM(c.delta) AS delta
    FROM changes c
    JOIN {ORGANISATION} o ON o.id = c.organisation_id
    CROSS JOIN LATERAL generate_series(1, length(o.path) / {STEPLEN}) AS level(n)
    JOIN {ORGANISATION} ancestor ON ancestor.path = substr(o.path, 1, level.n * {STEPLEN})
    GROUP BY 1, 2, 3, 4
"""

_PROBLEM_UPSERT = f"""
    INSERT INTO {PROBLEM_TALLY} ({KEY}, problem_count)
    SELECT {KEY}, delta FROM expanded WHERE delta <> 0 ORDER BY {KEY}
    ON CONFLICT ({KEY}) DO UPDATE SET problem_count = {PROBLEM_TALLY}.problem_count + EXCLUDED.problem_count;
"""


def _problem_counted(alias: str) -> str:
    return f"({alias}.organisation_id, {alias}.found_on, {alias}.status, {alias}.deadline)"


def problem_trigger_body(operation: str) -> str:
    """The PL/pgSQL body of the statement trigger on problems for INSERT or UPDATE (never deleted)."""
    row = "SELECT {a}.organisation_id, EXTRACT(YEAR FROM {a}.found_on)::int AS year, {a}.status, {a}.deadline"
    if operation == "INSERT":
        changes = f"{row.format(a='n')}, 1 AS delta FROM new_rows n"
    elif operation == "UPDATE":
        changed = f"""
            FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE {_problem_counted("o")} IS DISTINCT FROM {_problem_counted("n")}
        """
        changes = f"{row.format(a='n')}, 1 AS delta {changed} UNION ALL {row.format(a='o')}, -1 AS delta {changed}"
    else:
        raise ValueError(operation)
    return f"""
        IF NOT EXISTS ({changes}) THEN
            RETURN NULL;
        END IF;
        WITH changes AS ({changes}), expanded AS ({_PROBLEM_EXPANDED}) {_PROBLEM_UPSERT}
        RETURN NULL;
    """


def rebuild_problems(using=None) -> None:
    """Recount the problem tallies from the problems (migration 0014, or to repair them)."""
    with (using or connection).cursor() as cursor:
        cursor.execute(f"LOCK TABLE {PROBLEM} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {PROBLEM_TALLY}")
        cursor.execute(f"WITH changes AS ({ALL_PROBLEMS}), expanded AS ({_PROBLEM_EXPANDED}) {_PROBLEM_UPSERT}")


def move_problem_tallies(organisation_id: int, *, leaving: list[int], joining: list[int]) -> None:
    """An organisation moved: its subtree's problem counts leave its old ancestors and join the new ones."""
    _move_counts(
        PROBLEM_TALLY,
        "year, status, deadline",
        {"problem_count": "delta"},
        _PROBLEM_UPSERT,
        organisation_id,
        leaving,
        joining,
    )


def problem_discrepancies(limit: int = 20) -> list[tuple]:
    """Where a problem count differs from a direct count: (key…, kept, counted)."""
    return [
        row[1:]
        for row in _differences("problem", ALL_PROBLEMS, _PROBLEM_EXPANDED, PROBLEM_TALLY, "problem_count", KEY, limit)
    ]


# ---- 责任书签收 tallies ------------------------------------------------------------------------------
#
# ``SignedList``: every list with a signature, and whether one of its signatures was made on the list
# as it stands (its fingerprint equals one of theirs). ``SigningTally``: for every organisation and
# year, the personal lists (not the committee's) of its whole subtree, how many are signed and how
# many signed as they stand; unsigned = lists − signed, 签收后已修改 = signed − as they stand. The
# roll-up reads the organisation's and its children's rows instead of testing every list of a
# province for a signature and a fingerprint (400 ms at N = 50,000, and a fingerprint of every list
# once they are signed).
#
# A list is never deleted and never changes organisation, year or kind; a signature is never changed
# or deleted. So a list counts once, when inserted, and its state changes only when it is signed or
# when what its fingerprint digests changes: an item's number or title, a task's 数量、时限、标准、要求,
# responsible person, item or archiving. Statement triggers on those tables hand the touched signed
# lists to one statement (``_signing_refresh``) that recomputes their state and adds the difference.

SIGNATURE = "responsibilities_listsignature"
SIGNED = "responsibilities_signedlist"
SIGNING_TALLY = "responsibilities_signingtally"
SIGNING_KEY = "organisation_id, year"

# What a list commits its person to, digested (``selectors.duties.ListFingerprint`` reads it too, so a
# signature's fingerprint and the one compared with it are one expression). ``{list}``: the list's id.
FINGERPRINT = (
    "md5("
    "coalesce((SELECT string_agg(fi.number::text || ':' || fi.title, '|' ORDER BY fi.number) "
    "FROM responsibilities_listitem fi WHERE fi.responsibility_list_id = {list}), '')"
    " || '#' || "
    "coalesce((SELECT string_agg(concat_ws(':', ft.id, ft.item_id, ft.title, coalesce(ft.quantity::text, ''), "
    "ft.unit, ft.deadline, ft.standard, ft.requirement, coalesce(ft.responsible_person_id::text, '')), '|' "
    "ORDER BY ft.id) FROM responsibilities_task ft JOIN responsibilities_listitem fti ON fti.id = ft.item_id "
    "WHERE fti.responsibility_list_id = {list} AND ft.archived_at IS NULL), '')"
    ")"
)

_SIGNING_EXPANDED = f"""
    SELECT ancestor.id AS organisation_id, c.year,
           SUM(c.lists) AS lists, SUM(c.signed) AS signed, SUM(c.as_is) AS as_is
    FROM changes c
    JOIN {ORGANISATION} o ON o.id = c.organisation_id
    CROSS JOIN LATERAL generate_series(1, length(o.path) / {STEPLEN}) AS level(n)
    JOIN {ORGANISATION} ancestor ON ancestor.path = substr(o.path, 1, level.n * {STEPLEN})
    GROUP BY 1, 2
"""

_SIGNING_UPSERT = f"""
    INSERT INTO {SIGNING_TALLY} ({SIGNING_KEY}, lists, signed, as_is)
    SELECT {SIGNING_KEY}, lists, signed, as_is FROM expanded
    WHERE (lists, signed, as_is) <> (0, 0, 0) ORDER BY {SIGNING_KEY}
    ON CONFLICT ({SIGNING_KEY}) DO UPDATE SET
        lists = {SIGNING_TALLY}.lists + EXCLUDED.lists,
        signed = {SIGNING_TALLY}.signed + EXCLUDED.signed,
        as_is = {SIGNING_TALLY}.as_is + EXCLUDED.as_is;
"""

# The state of each personal list in ``touched(id)``: signed, and signed as it stands.
_SIGNING_STATE = f"""
    SELECT l.id, l.organisation_id, l.year,
           EXISTS (SELECT 1 FROM {SIGNATURE} s WHERE s.responsibility_list_id = l.id) AS signed,
           EXISTS (
               SELECT 1 FROM {SIGNATURE} s
               WHERE s.responsibility_list_id = l.id AND s.fingerprint = {FINGERPRINT.format(list="l.id")}
           ) AS as_is
    FROM {LIST} l
    WHERE l.id IN (SELECT id FROM touched) AND l.kind <> 'committee'
"""


def _signing_refresh(touched: str) -> str:
    """One statement: the lists ``touched`` (a query of ids) get their state recomputed, ``SignedList``
    takes it, and the tally the difference from what ``SignedList`` held."""
    return f"""
        WITH touched AS ({touched}),
        state AS ({_SIGNING_STATE}),
        kept AS (
            SELECT k.responsibility_list_id AS id, k.as_is FROM {SIGNED} k
            WHERE k.responsibility_list_id IN (SELECT id FROM touched)
        ),
        stored AS (
            INSERT INTO {SIGNED} (responsibility_list_id, as_is)
            SELECT id, as_is FROM state WHERE signed
            ON CONFLICT (responsibility_list_id) DO UPDATE SET as_is = EXCLUDED.as_is
            WHERE {SIGNED}.as_is IS DISTINCT FROM EXCLUDED.as_is
        ),
        changes AS (
            SELECT s.organisation_id, s.year, 0 AS lists,
                   s.signed::int - (k.id IS NOT NULL)::int AS signed,
                   (s.signed AND s.as_is)::int - COALESCE(k.as_is, false)::int AS as_is
            FROM state s LEFT JOIN kept k ON k.id = s.id
        ),
        expanded AS ({_SIGNING_EXPANDED})
        {_SIGNING_UPSERT}
    """


# Fields of a task and of an item that its list's fingerprint digests.
_TASK_DIGESTED = (
    "({a}.item_id, {a}.title, {a}.quantity, {a}.unit, {a}.deadline, {a}.standard, {a}.requirement, "
    "{a}.responsible_person_id, {a}.archived_at IS NULL)"
)
_ITEM_DIGESTED = "({a}.number, {a}.title)"


def signing_trigger_body(table: str, operation: str) -> str:
    """The PL/pgSQL body of a statement trigger keeping the signing tallies: on the list table for
    INSERT (a list to count), on signatures for INSERT, and on items and tasks for INSERT or UPDATE
    (a signed list whose digest may have changed). None of these tables has rows deleted."""
    if table == LIST:
        if operation != "INSERT":
            raise ValueError(operation)
        return f"""
        WITH changes AS (
            SELECT organisation_id, year, 1 AS lists, 0 AS signed, 0 AS as_is
            FROM new_rows WHERE kind <> 'committee'
        ), expanded AS ({_SIGNING_EXPANDED}) {_SIGNING_UPSERT}
        RETURN NULL;
        """
    if table == SIGNATURE:
        if operation != "INSERT":
            raise ValueError(operation)
        touched = "SELECT DISTINCT responsibility_list_id AS id FROM new_rows"
    elif table in (TASK, ITEM):
        digested = _TASK_DIGESTED if table == TASK else _ITEM_DIGESTED
        if table == TASK:
            # A task's list is its item's: signed lists only (an unsigned list has no state to change).
            list_of = f"SELECT i.responsibility_list_id AS id FROM {{rows}} r JOIN {ITEM} i ON i.id = r.item_id"
        else:
            list_of = "SELECT r.responsibility_list_id AS id FROM {rows} r"
        if operation == "INSERT":
            lists = list_of.format(rows="new_rows")
        elif operation == "UPDATE":
            changed = (
                f"(SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id "
                f"WHERE {digested.format(a='o')} IS DISTINCT FROM {digested.format(a='n')})"
            )
            old_changed = (
                f"(SELECT o.* FROM new_rows n JOIN old_rows o ON o.id = n.id "
                f"WHERE {digested.format(a='o')} IS DISTINCT FROM {digested.format(a='n')})"
            )
            lists = f"{list_of.format(rows=changed)} UNION {list_of.format(rows=old_changed)}"
        else:
            raise ValueError(operation)
        touched = f"SELECT k.responsibility_list_id AS id FROM {SIGNED} k WHERE k.responsibility_list_id IN ({lists})"
        # A list that may be signed (submitted or confirmed) is held in share mode first: a signature
        # being made on it (``list_sign`` holds the list for update) commits before this statement
        # looks for it, and one made after waits for this transaction, so its fingerprint sees this change.
        before = f"""
        PERFORM 1 FROM {LIST} l WHERE l.id IN ({lists}) AND l.status IN ('submitted', 'confirmed')
            ORDER BY l.id FOR SHARE;"""
    else:
        raise ValueError(table)
    if table == SIGNATURE:
        before = ""
    # Two transactions changing one signed list take turns: each reads the state the other left
    # (every statement of a trigger reads what was committed when it began), so no change counts twice.
    return f"""{before}
        IF NOT EXISTS ({touched}) THEN
            RETURN NULL;
        END IF;
        PERFORM 1 FROM {SIGNED} k WHERE k.responsibility_list_id IN ({touched})
            ORDER BY k.responsibility_list_id FOR UPDATE;
        {_signing_refresh(touched)}
        RETURN NULL;
    """


ALL_PERSONAL_LISTS = f"SELECT id FROM {LIST} WHERE kind <> 'committee'"


def rebuild_signing(using=None) -> None:
    """Recount the signing tallies and every list's signed state from the lists and signatures."""
    with (using or connection).cursor() as cursor:
        cursor.execute(f"LOCK TABLE {LIST}, {SIGNATURE}, {ITEM}, {TASK} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {SIGNING_TALLY}")
        cursor.execute(f"DELETE FROM {SIGNED}")
        cursor.execute(
            f"""
            WITH changes AS (
                SELECT organisation_id, year, COUNT(*) AS lists, 0 AS signed, 0 AS as_is
                FROM {LIST} WHERE kind <> 'committee' GROUP BY 1, 2
            ), expanded AS ({_SIGNING_EXPANDED}) {_SIGNING_UPSERT}
            """
        )
        cursor.execute(_signing_refresh(f"SELECT DISTINCT responsibility_list_id AS id FROM {SIGNATURE}"))


def move_signing_tallies(organisation_id: int, *, leaving: list[int], joining: list[int]) -> None:
    """An organisation moved: its subtree's signing counts leave its old ancestors and join the new ones."""
    counts = {"lists": "lists", "signed": "signed", "as_is": "as_is"}
    _move_counts(SIGNING_TALLY, "year", counts, _SIGNING_UPSERT, organisation_id, leaving, joining)


def signing_discrepancies(limit: int = 20) -> list[tuple]:
    """Where a signing count or a list's kept state differs from a direct count:
    ('signing', organisation, year, kept (lists, signed, as is), counted) or ('signed list', id, kept, counted)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH touched AS ({ALL_PERSONAL_LISTS}), state AS ({_SIGNING_STATE}),
            changes AS (
                SELECT organisation_id, year, 1 AS lists, signed::int AS signed, (signed AND as_is)::int AS as_is
                FROM state
            ),
            expanded AS ({_SIGNING_EXPANDED}),
            tally AS (
                SELECT 'signing' AS what, {SIGNING_KEY},
                       ARRAY[COALESCE(kept.lists, 0), COALESCE(kept.signed, 0), COALESCE(kept.as_is, 0)] AS kept,
                       ARRAY[COALESCE(e.lists, 0), COALESCE(e.signed, 0), COALESCE(e.as_is, 0)]::int[] AS counted
                FROM expanded e FULL JOIN {SIGNING_TALLY} kept USING ({SIGNING_KEY})
            ),
            lists AS (
                SELECT 'signed list' AS what, COALESCE(s.id, k.responsibility_list_id) AS organisation_id, 0 AS year,
                       ARRAY[(k.responsibility_list_id IS NOT NULL)::int, COALESCE(k.as_is, false)::int] AS kept,
                       ARRAY[COALESCE(s.signed, false)::int, COALESCE(s.signed AND s.as_is, false)::int] AS counted
                FROM (SELECT * FROM state WHERE signed) s FULL JOIN {SIGNED} k ON k.responsibility_list_id = s.id
            )
            SELECT * FROM (SELECT * FROM tally UNION ALL SELECT * FROM lists) d
            WHERE kept <> counted ORDER BY 1, 2, 3 LIMIT %(limit)s
            """,
            {"limit": limit},
        )
        return cursor.fetchall()
