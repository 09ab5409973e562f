"""Backup and restore: a dump restored into a fresh database has identical row counts and checksums."""

import os
import stat
import uuid

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.backups import database_url, fingerprint
from tests.responsibilities.list_factories import add_task, committee_list

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"restore_drill_{uuid.uuid4().hex[:8]}"
    admin_url = database_url().replace(f"/{connection.settings_dict['NAME']}", "/postgres", 1)
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True  # CREATE DATABASE runs outside a transaction
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    yield database_url().replace(f"/{connection.settings_dict['NAME']}", f"/{name}", 1)
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_a_restore_into_a_fresh_database_is_identical_table_by_table(tree, superuser, tmp_path, fresh_database):
    add_task(committee_list(tree["child"], superuser), superuser, title="备份演练任务")
    dump_file = tmp_path / "drill.dump"
    call_command("backup", output=str(dump_file))
    call_command("restore", str(dump_file), database_url=fresh_database, yes=True)
    original, restored = fingerprint(database_url()), fingerprint(fresh_database)
    assert restored == original
    assert original["responsibilities_task"][0] == 1
    assert original["responsibilities_organisationevent"][0] >= 4  # the history came along


def test_restore_refuses_without_confirmation(tmp_path):
    dump_file = tmp_path / "x.dump"
    dump_file.write_bytes(b"")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(dump_file))


def test_backups_are_readable_by_their_owner_only(settings, tmp_path):
    """Mode 600 files in a mode 700 folder, even under a permissive umask and in an open folder."""
    settings.BASE_DIR = tmp_path
    (tmp_path / "backups").mkdir(mode=0o755)
    (tmp_path / "backups").chmod(0o755)
    chosen = tmp_path / "elsewhere" / "x.dump"
    previous = os.umask(0o022)
    try:
        call_command("backup")
        call_command("backup", output=str(chosen))
    finally:
        os.umask(previous)
    (default,) = (tmp_path / "backups").iterdir()
    modes = {
        "default folder": stat.S_IMODE(os.stat(tmp_path / "backups").st_mode),
        "default file": stat.S_IMODE(os.stat(default).st_mode),
        "chosen folder": stat.S_IMODE(os.stat(chosen.parent).st_mode),
        "chosen file": stat.S_IMODE(os.stat(chosen).st_mode),
    }
    assert modes == {"default folder": 0o700, "default file": 0o600, "chosen folder": 0o700, "chosen file": 0o600}
    assert default.read_bytes()[:5] == b"PGDMP"  # a pg_dump custom-format file
