import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "创建本地管理员账号（已存在时不做改动）。用户名和密码可由环境变量 ADMIN_USERNAME、ADMIN_PASSWORD 指定。"

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("ADMIN_USERNAME", "admin")
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"管理员账号 {username} 已存在，密码未改动。")
            return
        chosen_password = os.environ.get("ADMIN_PASSWORD")
        password = chosen_password or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS("已创建管理员账号，请登录 http://127.0.0.1:8000/admin/")
        )
        self.stdout.write(f"  用户名：{username}")
        if not chosen_password:
            self.stdout.write(f"  密码：{password}（只显示这一次，请妥善保存）")
