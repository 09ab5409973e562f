"""Where the embedded development database listens, read from its postmaster.pid.

Only the standard library is used, because settings import this before Django is set up.
The embedded server itself is started and stopped by ``scripts/devdb.py``.
"""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / ".pgdata"
# The application's role on the development servers (`make run`, `make test`); postgres owns the tables.
APP_ROLE = "dangjian_app"


def embedded_url(pgdata: Path = PGDATA, database: str = "postgres", user: str = "postgres") -> str | None:
    """The connection URL of the embedded server if it is running, else None (as ``user``: the
    superuser postgres, who owns the tables, or the application's role).

    postmaster.pid lines: pid, data dir, start time, port, socket dir, listen address, ...
    """
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
        pid, port, socket_dir = int(lines[0]), int(lines[3]), lines[4]
    except (OSError, ValueError, IndexError):
        return None
    if not _process_alive(pid):
        return None
    return f"postgres://{user}@/{database}?host={socket_dir}&port={port}"


def embedded_owner_url(pgdata: Path = PGDATA) -> str | None:
    """The embedded server's URL as the owner of the tables (its superuser)."""
    return embedded_url(pgdata)


def _process_alive(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}").stat()
    except OSError:
        return False
    return True
