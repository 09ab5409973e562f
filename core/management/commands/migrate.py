"""``migrate`` as the owner of the tables when the application has a role of its own (core.db), then
the application's role granted its privileges on every table, those just created included."""

from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS

from core.db import app_role, as_owner, grant_app_role


class Command(migrate.Command):
    def handle(self, *args, **options):
        alias = options.get("database") or DEFAULT_DB_ALIAS
        role = app_role(alias)
        with as_owner(alias) as connection:
            super().handle(*args, **options)
            grant_app_role(connection, role)
