"""The application connects as a role that does not own the tables (issue 12, break 4): over its own
connection TRUNCATE, DELETE of history, SET session_replication_role and disabling a trigger are
refused, while the rows it works with (the task queue's too) are granted to it by ``migrate``.

``make test`` sets up the two roles (scripts/devdb.py test-env); the tests themselves connect as the
owner (tests/conftest.py), and these open a second connection as the application's role."""

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from core.db import app_credentials
from tests.worker import app_database_url

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not settings.DATABASE_OWNER, reason="one database role (DATABASE_OWNER_URL unset); make test sets up two"
    ),
]


@pytest.fixture
def app_cursor():
    """A cursor on a connection of its own, logged in as the application's role, in a transaction
    that is rolled back at the end."""
    app = psycopg2.connect(app_database_url())
    try:
        with app.cursor() as cursor:
            yield cursor
    finally:
        app.rollback()
        app.close()


def refused(cursor, statement, params=None) -> str:
    cursor.execute("SAVEPOINT attempt")
    with pytest.raises(psycopg2.Error) as error:
        cursor.execute(statement, params)
    cursor.execute("ROLLBACK TO SAVEPOINT attempt")
    return str(error.value)


def test_the_application_role_is_neither_the_owner_nor_a_superuser(app_cursor):
    app_cursor.execute(
        "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
    )
    assert app_cursor.fetchone() == (app_credentials()["USER"], False, False, False)
    assert app_credentials()["USER"] != settings.DATABASE_OWNER["USER"]
    app_cursor.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND pg_has_role(current_user, tableowner, 'USAGE')"
    )
    assert app_cursor.fetchone() == (0,)
    with connection.cursor() as cursor:  # the tests' own connection is the owner's
        cursor.execute(
            "SELECT tableowner = current_user FROM pg_tables WHERE tablename = 'responsibilities_organisation'"
        )
        assert cursor.fetchone() == (True,)


def test_migrate_granted_the_application_role_the_rows_of_every_table(app_cursor):
    for table in ("responsibilities_organisation", "pghistory_context", "procrastinate_jobs", "django_session"):
        app_cursor.execute(f"SELECT count(*) FROM {table}")  # no error: SELECT is granted
    app_cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
        "AND c.relkind = 'r' AND NOT has_table_privilege(current_user, c.oid, 'SELECT, INSERT, UPDATE, DELETE')"
    )
    assert app_cursor.fetchall() == []
    app_cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
        "AND c.relkind = 'r' AND has_table_privilege(current_user, c.oid, 'TRUNCATE, REFERENCES, TRIGGER')"
    )
    assert app_cursor.fetchall() == []


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("TRUNCATE responsibilities_organisation CASCADE", "permission denied"),
        ("TRUNCATE pghistory_context CASCADE", "permission denied"),
        ("SET session_replication_role = replica", "permission denied"),
        ("ALTER TABLE responsibilities_organisation DISABLE TRIGGER ALL", "must be owner"),
        ("DROP TRIGGER core_context_append_only ON pghistory_context", "must be owner"),
    ],
)
def test_the_application_role_cannot_get_round_the_triggers(app_cursor, statement, refusal):
    assert refusal in refused(app_cursor, statement)


def test_the_application_role_cannot_delete_history(app_cursor):
    """Rows it has just written itself, so that the refusal is the triggers' and not an empty table's."""
    app_cursor.execute(
        "INSERT INTO pghistory_context (id, metadata, created_at, updated_at) "
        "VALUES (gen_random_uuid(), '{}', now(), now()) RETURNING id"
    )
    [context] = app_cursor.fetchone()
    assert "append-only" in refused(app_cursor, "DELETE FROM pghistory_context WHERE id = %s", [context])
    app_cursor.execute(
        "INSERT INTO assessments_schemetargetevent (pgh_created_at, pgh_label, id, scheme_id, organisation_id) "
        "VALUES (now(), 'add', 1, 1, 1) RETURNING pgh_id"
    )
    [event] = app_cursor.fetchone()
    assert "Cannot update or delete" in refused(
        app_cursor, "DELETE FROM assessments_schemetargetevent WHERE pgh_id = %s", [event]
    )
    assert "Cannot update or delete" in refused(
        app_cursor, "UPDATE assessments_schemetargetevent SET pgh_label = 'remove' WHERE pgh_id = %s", [event]
    )
