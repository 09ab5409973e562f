"""Hardened settings: deploy checks, login throttling, password rules, idle sessions, CSP, upload serving."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DEBUG": False,
    "SECRET_KEY": "a-production-secret-of-more-than-fifty-characters-0123456789-abcdefghij",
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "ALLOWED_HOSTS": ["dangjian.example.gov.cn"],
}


def test_deploy_checks_pass_with_the_production_environment(settings, monkeypatch):
    # Set only for the browser tests' Playwright (see conftest.py); a served process never has it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    call_command("check", deploy=True, fail_level="WARNING")


def test_deploy_checks_fail_with_the_development_defaults(settings):
    from django.core.management.base import SystemCheckError

    settings.DEBUG = True
    with pytest.raises(SystemCheckError):
        call_command("check", deploy=True, fail_level="WARNING")


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    return settings


def attempt(client, password):
    return client.post(reverse("login"), {"username": "office", "password": password}, REMOTE_ADDR="10.0.0.7")


def test_five_failures_lock_the_username_from_that_address_for_a_cool_off(client, office_staff, throttled):
    statuses = [attempt(client, "wrong").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    locked = attempt(client, "x")  # even the right password, while cooling off
    assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out.
    other = client.post(reverse("login"), {"username": "office", "password": "x"}, REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 302
    # After the cool-off the lock lifts by itself: never a permanent lock.
    client.logout()
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "x").status_code == 302


def test_weak_passwords_are_refused_in_chinese():
    with pytest.raises(ValidationError) as error:
        validate_password("12345678")
    assert any("密码" in message for message in error.value.messages)


def test_sessions_expire_after_eight_hours_without_activity(settings, client, office_staff, monkeypatch):
    """A used session's expiry moves forward at most every SESSION_REFRESH_SECONDS, not on every request
    (core.middleware.SessionRefreshMiddleware): it expires between 7 h 55 min and 8 h after the last request."""
    from django.contrib.sessions.models import Session

    from core import middleware

    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60 and settings.SESSION_REFRESH_SECONDS == 300
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    now = [1_900_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: now[0])
    client.force_login(office_staff)

    def expiry():
        return Session.objects.get(session_key=client.session.session_key).expire_date

    client.get(reverse("home"))  # the login saved the session: no second write
    first = expiry()
    now[0] += 299
    client.get(reverse("home"))
    assert expiry() == first  # no write within five minutes of the last one
    now[0] += 1
    client.get(reverse("home"))
    assert expiry() > first  # pushed forward: 8 hours from this request
    assert client.session[middleware.SessionRefreshMiddleware.KEY] == 1_900_000_300


def test_pages_send_a_content_security_policy_without_inline_script(client, office_staff):
    client.force_login(office_staff)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("where", ["reading the session", "saving the session"])
def test_a_lost_database_connection_in_a_middleware_answers_503(client, office_staff, monkeypatch, where):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import OperationalError

    client.force_login(office_staff)
    client.raise_request_exception = False

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    if where == "reading the session":
        monkeypatch.setattr(SessionStore, "load", lost)
    else:  # Django turns this into "the session was deleted" (400); the cause is what counts
        monkeypatch.setattr(Session, "save", lost)
    response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "数据库暂时不可用" in response.content.decode()


def test_a_lost_connection_seen_by_the_task_queue_answers_503(client, office_staff, monkeypatch):
    """Procrastinate's connector re-raises the driver's error, not Django's, inside its own exception
    (a job deferred during a restart): the driver's class in the chain is a lost connection too."""
    import psycopg
    from django.contrib.sessions.backends.db import SessionStore
    from procrastinate.sync_psycopg_connector import wrap_exceptions

    client.force_login(office_staff)
    client.raise_request_exception = False

    def lost(*args, **kwargs):
        with wrap_exceptions():
            raise psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "load", lost)
    response = client.get(reverse("home"))
    assert response.status_code == 503
    assert "数据库暂时不可用" in response.content.decode()


def test_any_other_error_is_the_plain_500_page(client, office_staff, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    client.force_login(office_staff)
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(SessionStore, "load", broken)
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "系统错误" in response.content.decode()


def test_a_bad_request_is_the_plain_400_page(client):
    response = client.get(reverse("login"), HTTP_HOST="bad host name")
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()


def test_every_environment_variable_the_settings_read_is_in_the_readme_table_and_docstring():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    settings_text = (root / "config" / "settings.py").read_text()
    read = set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_text))
    table = (root / "README.md").read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)`", table, re.MULTILINE)) | set(
        re.findall(r"`([A-Z_]+)`", "\n".join(line for line in table.splitlines() if line.startswith("| `")))
    )
    docstring = settings_text.split('"""', 2)[1]
    assert read and read <= documented, read - documented
    assert read <= set(re.findall(r"[A-Z_]{4,}", docstring)), read - set(re.findall(r"[A-Z_]{4,}", docstring))
