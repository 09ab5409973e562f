import gc
import json
import warnings
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from benchmarking import measures, runner
from core.backups import database_url


class Command(BaseCommand):
    help = (
        "性能基准：在 bench_500、bench_5000 数据库中生成数据，测量关键页面、年度清单生成、考核结果计算、"
        "大表导出，用 wrk 对 gunicorn 做负载测试，写入 BENCHMARKS.md。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, nargs="+", default=[500, 5000], help="组织数量（默认 500 5000）")
        parser.add_argument("--runs", type=int, default=30, help="每个页面的请求次数（默认 30）")
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "BENCHMARKS.md"))
        parser.add_argument("--load-seconds", type=int, default=60, help="负载测试秒数，0 为不做（默认 60）")
        parser.add_argument(
            "--prefix", default="bench", help="基准数据库名前缀（默认 bench，即 bench_500、bench_5000）"
        )
        parser.add_argument("--connections", type=int, default=50, help="负载测试并发连接数（默认 50）")
        # Used by the command itself in its child processes, against DATABASE_URL.
        parser.add_argument("--state", action="store_true", help="(内部) 报告当前数据库中的基准数据")
        parser.add_argument("--measure-into", help="(内部) 测量当前数据库，结果写入该 JSON 文件")
        parser.add_argument("--load-plan", action="store_true", help="(内部) 生成负载测试的会话和网址")
        parser.add_argument("--export-into", help="(内部) 在本进程中测量大表导出，结果写入该 JSON 文件")
        parser.add_argument("--export-rows", type=int, default=100_000, help="(内部) 大表导出的行数")
        parser.add_argument(
            "--reminders-into", help="(内部) 对当前数据库做一天的到期提醒和每日汇总并计时（会写入数据）"
        )
        parser.add_argument("--rollover-into", help="(内部) 对当前数据库做下一年度的清单生成并计时（会写入数据）")

    def handle(self, *args, **options):
        if options["state"]:
            self.stdout.write(json.dumps(measures.state()))
            return
        if options["rollover_into"]:
            seconds, lists = measures.rollover_seconds()
            Path(options["rollover_into"]).write_text(json.dumps({"rollover_s": seconds, "rollover_lists": lists}))
            return
        if options["reminders_into"]:
            Path(options["reminders_into"]).write_text(json.dumps(measures.reminders_measure()))
            return
        if options["export_into"]:
            Path(options["export_into"]).write_text(json.dumps(measures.export_measure(options["export_rows"])))
            return
        if options["measure_into"] or options["load_plan"]:
            # WhiteNoise looks for collected static files, which in-process requests do not need.
            warnings.filterwarnings("ignore", message="No directory at: ")
            gc.freeze()  # as config/wsgi.py does in every served process
            # In-process requests come from the test client's host, and need no collected static files.
            storages = {
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
            with override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=storages):
                if options["load_plan"]:
                    self.stdout.write(json.dumps(measures.load_plan()))
                else:
                    Path(options["measure_into"]).write_text(json.dumps(measures.measure_all(options["runs"])))
            return
        if any(orgs < 20 for orgs in options["orgs"]):
            raise CommandError("每个规模至少 20 个组织。")
        if options["runs"] < 30:
            self.stderr.write("注意：少于 30 次请求时 p95 不可靠。")
        runner.run(
            base_url=database_url(),
            sizes=sorted(options["orgs"]),
            runs=options["runs"],
            seed=options["seed"],
            output=Path(options["output"]),
            load_seconds=options["load_seconds"],
            connections=options["connections"],
            prefix=options["prefix"],
        )
