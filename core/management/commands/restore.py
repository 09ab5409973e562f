from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups import RestoreFailed, database_url, restore
from core.db import app_role, as_owner, grant_app_role


class Command(BaseCommand):
    help = "从备份文件恢复数据库：替换目标数据库中的全部内容（在一个事务中完成，出错则不改变任何数据）。"

    def add_arguments(self, parser):
        parser.add_argument("dump_file")
        parser.add_argument("--database-url", help="恢复到这个数据库（默认为当前数据库）；演练时恢复到一个新建的空库")
        parser.add_argument("--yes", action="store_true", help="确认替换目标数据库的内容")

    def handle(self, *args, dump_file, yes=False, **options):
        if options.get("database_url"):
            self._restore(options["database_url"], dump_file, yes)
            return
        role = app_role()
        with as_owner() as connection:  # the restored tables belong to the owner again
            self._restore(database_url(), dump_file, yes)
            grant_app_role(connection, role)

    def _restore(self, target, dump_file, yes):
        if not Path(dump_file).is_file():
            raise CommandError(f"找不到备份文件：{dump_file}")
        if not yes:
            raise CommandError("恢复会替换目标数据库的全部内容；确认无误后加 --yes 再运行。")
        try:
            restore(target, Path(dump_file))
        except RestoreFailed as error:
            raise CommandError(f"恢复失败，目标数据库未作任何改动：{error}") from error
        self.stdout.write(f"已从 {dump_file} 恢复。")
