from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from responsibilities.models import Organisation
from responsibilities.services import lists_generate_subtree


class Command(BaseCommand):
    help = "年度清单生成：为一个组织及其全部下级生成某年度的党委（党组）清单和班子成员个人清单（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，例如 2027")
        parser.add_argument("--root", required=True, help="起始组织的组织代码")
        parser.add_argument("--user", required=True, help="记入修改记录的操作人用户名（须有该组织的权限）")

    def handle(self, *args, year, root, user, **options):
        try:
            organisation = Organisation.objects.get(code=root)
            actor = get_user_model().objects.get(username=user)
        except (Organisation.DoesNotExist, get_user_model().DoesNotExist) as error:
            raise CommandError(f"找不到组织代码 {root} 或用户 {user}。") from error

        def progress(done, total, result):
            if done == total or done % 100 == 0:
                self.stdout.write(f"  {done}/{total} 个组织，新建 {len(result.created)} 份清单")

        try:
            result = lists_generate_subtree(root=organisation, year=year, by=actor, progress=progress)
        except (ValidationError, PermissionDenied) as error:  # no template for the year, no scope, ...
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError(" ".join(messages)) from error
        self.stdout.write(f"完成：新建 {len(result.created)} 份，已存在跳过 {result.skipped} 份。")
