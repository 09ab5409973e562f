"""A real Procrastinate worker process on the test database, for the tests of the task queue."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.backups import database_url
from core.db import app_credentials

BASE_DIR = Path(__file__).resolve().parents[1]


def clean_queue() -> None:
    """Procrastinate's tables are not Django-managed, so a test database flush leaves them: empty them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE procrastinate_jobs, procrastinate_events, procrastinate_periodic_defers CASCADE")


def app_database_url() -> str:
    """The test database's URL as the application's role (as the owner when there is one role)."""
    return database_url(app_credentials())


def start_worker(**env) -> subprocess.Popen:
    """``manage.py procrastinate worker`` against the database the tests use (committed rows only:
    use it with ``transactional_db`` or ``live_server``), as the application's role when there are
    two (``make test``): the worker's privileges are tested with the queue."""
    environment = {
        **os.environ,
        "DATABASE_URL": app_database_url(),
        "DATABASE_OWNER_URL": database_url(),
        "JOBS_INLINE": "false",
        "JOB_RETRY_WAIT": "1",
        **env,
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    clean_queue()
    return subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--fetch-job-polling-interval", "0.2"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_worker(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output or ""


def wait_for(condition, timeout: float = 30, what: str = "the worker") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def worker(transactional_db, settings):
    """One real worker process for the test; the requesting code queues instead of running inline."""
    settings.JOBS_INLINE = False
    process = start_worker()
    yield process
    output = stop_worker(process)
    if process.returncode not in (0, -15, 143):
        print(output)
