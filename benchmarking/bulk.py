"""Loading the benchmark's large tables fast: rows made in Python, streamed with COPY.

Inside ``loading(models)`` (in a transaction, as the tables' owner) the tables take rows with nothing
to keep up per row: their secondary indexes (history tables' too) and foreign keys are dropped,
and their triggers are off. Leaving the block puts everything back as it was: the history rows
the row triggers would have written are written in one statement per table (the triggers' own
INSERT, read from their functions), the triggers come back on, the indexes are built once and the
foreign keys checked once. What statement triggers keep (the task tallies) is the caller's to
recount. An error anywhere rolls the whole transaction back, so nothing is left half done.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain

from django.db import connection

# A row trigger's function as django-pghistory writes it: one INSERT of NEW's values into the event table.
HISTORY_INSERT = re.compile(r"INSERT INTO (\"?\w+\"?) \(([^)]*)\) VALUES \((.*?)\); RETURN NULL;", re.S)

INSERT_ROW_TRIGGERS = """
    SELECT t.tgname, p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE t.tgrelid = %s::regclass AND NOT t.tgisinternal AND t.tgenabled <> 'D'
        AND t.tgtype & 4 = 4 AND t.tgtype & 1 = 1
    ORDER BY t.tgname
"""

# Indexes that back no primary key, unique or exclusion constraint (those stay: ids are checked as they come).
SECONDARY_INDEXES = """
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
    WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS (
        SELECT 1 FROM pg_constraint c
        WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')
    )
    ORDER BY 1
"""

FOREIGN_KEYS = """
    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
    WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
    ORDER BY 1, 2
"""


@dataclass
class Loader:
    """What a ``loading`` block offers: ids to give rows, and COPY of rows into a table."""

    cursor: object
    loaded: dict = field(default_factory=dict)  # table -> rows copied

    def reserve(self, model, count: int) -> range:
        """``count`` ids of ``model``'s sequence, for rows that other rows refer to before they are written."""
        if count <= 0:
            return range(0)
        table = model._meta.db_table
        self.cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        last = self.cursor.fetchone()[0]
        return range(last - count + 1, last + 1)

    def analyze(self) -> None:
        """Give the planner the loaded tables' real sizes, for the queries that read them next."""
        self.cursor.execute(f"ANALYZE {', '.join(self.loaded)}")

    def copy(self, model, columns: list[str], rows) -> int:
        """COPY ``rows`` (tuples in the order of ``columns``) into ``model``'s table. Every other field
        gets its default, as a model instance made without it would have."""
        fields = {f.column: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
        rest = [f for column, f in fields.items() if column not in columns]
        for f in rest:
            if not f.null and not f.has_default() and not f.empty_strings_allowed:
                raise ValueError(f"{model.__name__}.{f.name} needs a value")
        tail = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        names = ", ".join(connection.ops.quote_name(c) for c in chain(columns, (f.column for f in rest)))
        count = 0
        with self.cursor.cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row + tail)
                count += 1
        self.loaded[model._meta.db_table] = self.loaded.get(model._meta.db_table, 0) + count
        return count


def _history_statement(cursor, table: str) -> str | None:
    """The history triggers' INSERT on ``table``, for every row above an id, as one statement;
    None when the table has no history. Any other row trigger on insert is refused: its effect
    would be lost."""
    cursor.execute(INSERT_ROW_TRIGGERS, [table])
    statements = []
    for name, source in cursor.fetchall():
        match = HISTORY_INSERT.search(source)
        if not name.startswith("pgtrigger_insert_") or not match:
            raise ValueError(f"{table}: the insert trigger {name} is not a history trigger; cannot load in bulk")
        event_table, columns, values = match.groups()
        values = values.replace("NEW.", "loaded.").replace("_pgh_attach_context()", "context.id")
        statements.append(
            (
                event_table.strip('"'),
                f"INSERT INTO {event_table} ({columns}) SELECT {values} "
                f"FROM {table} AS loaded, (SELECT _pgh_attach_context() AS id) AS context "
                "WHERE loaded.id > %s ORDER BY loaded.id",
            )
        )
    if len(statements) > 1:
        raise ValueError(f"{table}: more than one history trigger")
    return statements[0] if statements else None


@contextmanager
def loading(models):
    """Load ``models``' tables in bulk (see the module's docstring); yields a ``Loader``."""
    if not connection.in_atomic_block:
        raise RuntimeError("bulk loading drops indexes and triggers: it must run in a transaction")
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        # ALTER TABLE refuses a table with foreign key checks still waiting for the commit: they run
        # now (and the transaction's deferrable constraints stay immediate from here on).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        history, before = {}, {}
        for table in tables:
            history[table] = _history_statement(cursor, table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            before[table] = cursor.fetchone()[0]
        every = tables + [statement[0] for statement in history.values() if statement]
        cursor.execute(SECONDARY_INDEXES, [every])
        indexes = cursor.fetchall()
        cursor.execute(FOREIGN_KEYS, [every])
        foreign_keys = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")

        yield Loader(cursor)

        for table in tables:
            if history[table]:
                cursor.execute(history[table][1], [before[table]])
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        # One sort per index instead of one insertion per row; the memory is given back at commit.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
