from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from backups import BackupError, services


class Command(BaseCommand):
    help = (
        "备份整个网站到一个新的（或空的）目录：数据库（运行中也是一致的副本）、全部媒体文件，"
        "和一份带校验和的清单 manifest.json。用 restore 恢复。"
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="备份目录：不存在则创建；已存在则必须是空的")

    def handle(self, *args, folder, verbosity, **options):
        log = self.stdout.write if verbosity >= 1 else (lambda message: None)
        try:
            manifest = services.backup(folder, log=log)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except DatabaseError as error:
            raise CommandError(f"数据库出错：{error}（请检查 DATABASE_URL，数据库是否在运行）。") from None
        if verbosity >= 1:
            media = manifest["media"]
            database = next(e for e in manifest["files"] if e["path"] == manifest["database"]["file"])
            self.stdout.write(
                self.style.SUCCESS(
                    f"备份完成：{folder}（数据库 {services._size(database['size'])}，"
                    f"媒体文件 {media['files']} 个，{services._size(media['bytes'])}）。"
                )
            )
