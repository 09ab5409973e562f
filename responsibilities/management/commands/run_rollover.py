from django.core.management.base import BaseCommand

from responsibilities.jobs import run_job


class Command(BaseCommand):
    help = "运行一个年度清单生成任务（由页面上的“年度清单生成”按钮在后台启动）。"

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)

    def handle(self, *args, job_id, **options):
        job = run_job(job_id)
        self.stdout.write(f"完成：新建 {job.lists_created} 份，跳过 {job.lists_skipped} 份，共 {job.total} 个组织。")
