import time

from django.core.management.base import BaseCommand, CommandError

from benchmarking.data import generate


class Command(BaseCommand):
    help = (
        "生成基准测试数据：N 个组织（五级）、班子、一年的责任清单和任务、三年的考核、"
        "每五个组织两件问责案件（N=50000 时两万件）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, required=True, help="组织数量，例如 500 或 5000")
        parser.add_argument("--seed", type=int, default=2016)

    def handle(self, *args, orgs, seed, **options):
        if orgs < 20:
            raise CommandError("至少 20 个组织。")
        started = time.monotonic()
        summary = generate(
            orgs, seed=seed, progress=lambda line: self.stdout.write(f"  {time.monotonic() - started:6.1f}s {line}")
        )
        self.stdout.write(f"完成，用时 {time.monotonic() - started:.0f} 秒：")
        for name, number in summary.counts.items():
            self.stdout.write(f"  {name}: {number}")
