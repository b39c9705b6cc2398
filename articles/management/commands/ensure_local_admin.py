import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = "本地开发用：第一次运行时创建管理员账号 admin 并打印密码；以后再运行保持原账号不变。"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_local_admin 只用于本地开发（DJANGO_DEBUG=1）；生产环境请用 createsuperuser。")
        password_file = settings.DATA_DIR / "local-admin.txt"
        User = get_user_model()
        if User.objects.filter(username=USERNAME).exists():
            hint = f"，密码保存在 {password_file}" if password_file.exists() else ""
            self.stdout.write(f"本地管理员账号：{USERNAME}（已存在{hint}）")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(USERNAME, email="", password=password)
        password_file.write_text(f"username: {USERNAME}\npassword: {password}\n")
        password_file.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"已创建本地管理员账号  用户名：{USERNAME}  密码：{password}"))
        self.stdout.write(f"（密码也保存在 {password_file}）")
