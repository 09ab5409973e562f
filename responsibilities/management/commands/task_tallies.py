from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from responsibilities import tallies


class Command(BaseCommand):
    help = "核对或重建任务、督办、问题和责任书签收统计表（总览页的汇总数据由数据库触发器维护）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="按任务、督办反馈、问题和签收记录重新统计，替换现有统计。"
        )

    def handle(self, *args, rebuild, **options):
        if rebuild:
            with transaction.atomic():
                tallies.rebuild()
                tallies.rebuild_orders()
                tallies.rebuild_problems()
                tallies.rebuild_signing()
            self.stdout.write("已按任务表、督办反馈表、问题表和签收记录重建统计。")
        wrong = (
            tallies.discrepancies()
            + tallies.order_discrepancies()
            + [("problem", *row) for row in tallies.problem_discrepancies()]
            + tallies.signing_discrepancies()
        )
        if wrong:
            for *key, tallied, counted in wrong:
                self.stderr.write(f"{key}: 统计 {tallied}，实际 {counted}")
            raise CommandError("统计与原始记录不一致，请运行 manage.py task_tallies --rebuild。")
        self.stdout.write("任务、督办、问题和签收统计与原始记录一致。")
