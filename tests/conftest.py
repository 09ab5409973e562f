"""Shared fixtures: role users placed in a small tree with a parent, a child and a sibling.

Tree used by the role fixtures:

    province (P)
    ├── city (C)            ← the "own" organisation of every role fixture
    │   └── county (K)      ← a child
    └── other city (S)      ← a sibling
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model

from responsibilities import services
from responsibilities.models import Department, OrganisationKind, Role
from tests.responsibilities.factories import PersonFactory
from tests.worker import worker  # noqa: F401  (a real task-queue worker, for the tests that ask for it)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """With two database roles (``make test``), the tests connect as the owner: pytest creates,
    migrates and empties (TRUNCATE) the test database as the owner, and the fixtures write rows
    the application could not remove again. ``tests/reliability/test_database_roles.py`` connects as
    the application's role to the same test database, and the task-queue worker runs as it."""
    from django.conf import settings
    from django.db import connections

    from core.db import app_credentials, owner_credentials

    owner = settings.DATABASE_OWNER
    connection = connections["default"]
    if owner and connection.settings_dict["USER"] != owner["USER"]:
        app = app_credentials()
        connection.settings_dict.update(owner_credentials(), APP_CREDENTIALS=app)


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Tests render templates without a collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def chinese_first():
    """Each test starts in the product's language. Django's LocaleMiddleware leaves the language of
    the last request active in the thread, so a test that switched to English would otherwise make
    the next test's direct ``gettext`` calls (a service's message, a to-do's text) English."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def login_throttling_off(settings):
    """django-axes counts failed logins across tests; the throttling tests turn it back on."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def jobs_inline(settings):
    """Background jobs run when the request commits, in the test's process; the queue's own tests
    start a real worker instead (``tests.worker``)."""
    settings.JOBS_INLINE = True


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Production hashing takes a third of a second per user; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


SEED_MIGRATIONS = [
    importlib.import_module("responsibilities.migrations.0003_seed_2016_list_template"),
    importlib.import_module("accountability.migrations.0002_seed_rule_sets_and_negative_list"),
    importlib.import_module("accountability.migrations.0005_seed_sources_and_default_adoptions"),
    importlib.import_module("responsibilities.migrations.0012_default_warning_thresholds"),
    importlib.import_module("responsibilities.migrations.0021_duty_records_and_signatures"),
]


def seed_rows() -> None:
    """Rows that data migrations seed (idempotent)."""
    for migration in SEED_MIGRATIONS:
        migration.seed(django_apps, None)


@pytest.fixture
def list_template(db):
    seed_rows()


@pytest.fixture(autouse=True)
def seeded_rows(request):
    """Put back what data migrations seeded, for every test that uses the database.

    Browser journeys run in real transactions that end by emptying every table (TRUNCATE), seeded
    rows included; without this, the tests after them, and later runs on the reused test database,
    would find no list template.
    """
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("list_template")
        request.getfixturevalue("seeded_rows_kept_for_the_next_run")


@pytest.fixture(scope="session")
def seeded_rows_kept_for_the_next_run(django_db_setup, django_db_blocker):
    """At the end of a session that used the test database, leave the seeded rows in it."""
    yield
    with django_db_blocker.unblock():
        seed_rows()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded evidence goes to a temporary folder, never into the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_user(
        username="root", password="x", is_superuser=True, is_staff=True, first_name="超级管理员"
    )


@pytest.fixture
def tree(superuser):
    """The four organisations of the role fixtures, created through the services."""
    province = services.organisation_create(
        parent=None, name="测试省委", code="P", kind=OrganisationKind.COMMITTEE, by=superuser
    )
    city = services.organisation_create(
        parent=province, name="测试市委", code="P-C", kind=OrganisationKind.COMMITTEE, by=superuser
    )
    county = services.organisation_create(
        parent=city, name="测试县委", code="P-C-K", kind=OrganisationKind.COMMITTEE, by=superuser
    )
    sibling = services.organisation_create(
        parent=province, name="兄弟市委", code="P-S", kind=OrganisationKind.COMMITTEE, by=superuser
    )
    return {"parent": province, "own": city, "child": county, "sibling": sibling}


def make_user(username, organisation, role, by, department=""):
    user = get_user_model().objects.create_user(username=username, password="x")
    services.assignment_grant(user=user, organisation=organisation, role=role, department=department, by=by)
    return user


@pytest.fixture
def office_staff(tree, superuser):
    return make_user("office", tree["own"], Role.OFFICE_STAFF, superuser)


@pytest.fixture
def administrator(tree, superuser):
    return make_user("orgadmin", tree["own"], Role.ADMIN, superuser)


@pytest.fixture
def inspector(tree, superuser):
    return make_user("inspector", tree["own"], Role.INSPECTOR, superuser, department=Department.ORGANISATION)


@pytest.fixture
def leader(tree, superuser):
    user = make_user("leader", tree["own"], Role.LEADER, superuser)
    PersonFactory(home_organisation=tree["own"], user=user, name="李领导")
    return user


@pytest.fixture
def secretary(tree, superuser):
    """A leader who is the secretary of the own organisation."""
    from datetime import date

    from responsibilities.models import TeamRole

    user = make_user("secretary", tree["own"], Role.LEADER, superuser)
    person = PersonFactory(home_organisation=tree["own"], user=user, name="王书记")
    services.membership_add(
        organisation=tree["own"], person=person, role=TeamRole.SECRETARY, start_date=date(2024, 1, 1), by=superuser
    )
    return user


@pytest.fixture
def outsider(db):
    """Logged in, but assigned nowhere."""
    return get_user_model().objects.create_user(username="outsider", password="x")
