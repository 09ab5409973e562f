"""The audit trail cannot be rewritten from a connection that does not own the tables (issue 12,
break 4): TRUNCATE refused on every business and history table, pghistory_context append-only,
session_replication_role out of reach, the login log not deletable from the admin."""

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

pytestmark = pytest.mark.django_db

APPS = ("core", "responsibilities", "accountability", "assessments", "pghistory")
APP_ROLE = "audit_trail_test_app"


def business_tables():
    return sorted(
        {
            m._meta.db_table
            for label in APPS
            for m in apps.get_app_config(label).get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy
        }
    )


def test_every_business_and_history_table_refuses_truncate_by_a_statement_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'core_refuse_truncate' AND c.relname = ANY(%s)",
            [business_tables()],
        )
        protected = {row[0] for row in cursor.fetchall()}
    assert set(business_tables()) - protected == set()


@pytest.fixture
def as_app_role():
    """Run statements as a role that does not own the tables, as the application connects (created
    inside the test's transaction, so it disappears with it). It is even granted TRUNCATE and
    DELETE, to show that the triggers, not only the missing privileges, refuse them."""

    def run(sql, params=None):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks in the way
            cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
            cursor.execute(sql, params)

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}")
    yield run
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


@pytest.mark.parametrize(
    ("sql", "refusal"),
    [
        ("TRUNCATE responsibilities_organisation CASCADE", "is refused"),
        ("TRUNCATE assessments_ballotcode", "is refused"),
        ("TRUNCATE pghistory_context CASCADE", "is refused"),
        ("DELETE FROM responsibilities_organisation", "Cannot delete"),
        ("UPDATE pghistory_context SET metadata = '{}' WHERE created_at < now()", "append-only"),
        ("DELETE FROM pghistory_context", "append-only"),
        ("SET session_replication_role = replica", "permission denied"),
    ],
)
def test_the_application_role_cannot_rewrite_the_audit_trail(as_app_role, tree, earlier_context, sql, refusal):
    with pytest.raises(DatabaseError, match=refusal):
        as_app_role(sql)


@pytest.fixture
def earlier_context():
    """A context written by an earlier transaction (the test runs in one transaction, where
    pghistory's own upsert of a context it has just created is allowed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO pghistory_context (id, metadata, created_at, updated_at) "
            "VALUES (gen_random_uuid(), '{\"user\": 1}', now() - interval '1 day', now() - interval '1 day')"
        )


def test_the_history_context_is_append_only_even_for_the_owner(tree, earlier_context):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pghistory_context")
        assert cursor.fetchone()[0] > 0  # the services wrote contexts (and could upsert them)
    for sql in (
        "UPDATE pghistory_context SET metadata = '{}' WHERE created_at < now()",
        "DELETE FROM pghistory_context",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_login_log_cannot_be_deleted_from_the_admin(client, superuser):
    from axes.models import AccessLog

    entry = AccessLog.objects.create(username="x", ip_address="127.0.0.1", user_agent="t", path_info="/")
    client.force_login(superuser)
    assert client.get(reverse("admin:axes_accesslog_delete", args=[entry.pk])).status_code == 403
    assert client.post(
        reverse("admin:axes_accesslog_changelist"), {"action": "delete_selected", "_selected_action": [entry.pk]}
    ).status_code in (200, 302)
    assert AccessLog.objects.filter(pk=entry.pk).exists()
