from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from backups import BackupError, services


class Command(BaseCommand):
    help = (
        "从 backup 做的备份恢复网站：先按清单校验每个文件，只恢复到空数据库和空的媒体目录"
        "（绝不覆盖正在使用的网站），然后重建搜索索引。"
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="backup 写的备份目录")
        parser.add_argument("--dry-run", action="store_true", help="只校验备份、检查目标是否为空，不写入任何东西")

    def handle(self, *args, folder, dry_run, verbosity, **options):
        log = self.stdout.write if verbosity >= 1 else (lambda message: None)
        try:
            services.restore(folder, dry_run=dry_run, log=log, verbosity=verbosity)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            raise CommandError(f"数据库出错：{error}（请检查 DATABASE_URL，数据库是否在运行）。") from None
