"""The two database roles (docs/开发说明.md, "Security: database roles"): the application connects as a role
that does not own the tables; migrations, backups and restores run as the owner.

Configured by ``DATABASE_OWNER_URL`` beside ``DATABASE_URL``; without it there is one role and
everything here does nothing, as before.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connections

CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT", "OPTIONS")


def app_role(alias: str = "default") -> str | None:
    """The role the application connects as, when it is not the owner's."""
    if not settings.DATABASE_OWNER:
        return None
    return app_credentials(alias)["USER"]


def app_credentials(alias: str = "default") -> dict:
    """How the application connects (USER, PASSWORD, HOST, PORT, OPTIONS), even while the connection
    runs as the owner (``as_owner``, and the tests, which run as the owner)."""
    settings_dict = connections[alias].settings_dict
    return settings_dict.get("APP_CREDENTIALS") or {key: settings_dict.get(key) for key in CREDENTIALS}


def owner_credentials() -> dict:
    owner = settings.DATABASE_OWNER
    return {key: owner.get(key, {} if key == "OPTIONS" else "") for key in CREDENTIALS}


@contextmanager
def as_owner(alias: str = "default"):
    """Run the block on the connection ``alias`` as the owner of the tables. The database's name is
    kept (in tests it is the test database's)."""
    owner = settings.DATABASE_OWNER
    connection = connections[alias]
    if not owner or connection.settings_dict["USER"] == owner["USER"]:
        yield connection
        return
    saved = {key: connection.settings_dict[key] for key in CREDENTIALS}
    connection.close()
    connection.settings_dict.update(owner_credentials(), APP_CREDENTIALS=saved)
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(saved)
        connection.settings_dict.pop("APP_CREDENTIALS", None)


GRANTS = [
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
    # Tables a later migration creates, as this owner, get the same.
    "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
]


def grant_app_role(connection, role: str | None) -> None:
    """Give the application's role the rows of every table (the task queue's too) and nothing more:
    no TRUNCATE, no REFERENCES or TRIGGER, no ownership. Run by the owner after every ``migrate``
    and ``restore``; repeating it changes nothing."""
    if not role:
        return
    with connection.cursor() as cursor:
        for statement in GRANTS:
            cursor.execute(statement.format(role=connection.ops.quote_name(role)))
