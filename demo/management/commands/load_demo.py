from django.core.management.base import BaseCommand, CommandError

from demo.loader import DEMO_PASSWORD, DemoRefused, load_demo


class Command(BaseCommand):
    help = "加载演示数据（可重复运行）：一个省、两个市及其县区和机关，完整班子，每个角色一个演示账号。"

    def handle(self, *args, **options):
        try:
            created, accounts = load_demo()
        except DemoRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write("已创建演示数据。" if created else "演示数据已存在，仅核对演示账号。")
        self.stdout.write("")
        self.stdout.write(f"演示账号（仅用于演示，生产环境不要加载）：密码均为 {DEMO_PASSWORD}")
        for username, role, where in accounts:
            self.stdout.write(f"  {username:<24} {role:<8} {where}")
