from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.backups import database_url, dump, private_folder
from core.db import as_owner


class Command(BaseCommand):
    help = "备份数据库（pg_dump 自定义格式）。默认写到 backups/<数据库>-<时间>.dump。"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="备份文件路径")

    def handle(self, *args, output=None, **options):
        name = settings.DATABASES["default"]["NAME"]
        if output:
            path = Path(output)
        else:
            path = private_folder(settings.BASE_DIR / "backups") / f"{name}-{timezone.now():%Y%m%d-%H%M%S}.dump"
        with as_owner():  # the owner reads every table, whatever the application's role may
            dump(database_url(), path)
        self.stdout.write(f"已备份到 {path}（{path.stat().st_size // 1024} KB，仅本用户可读）")
