import argparse
import datetime
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from articles.seeds.loader import (
    CREATED,
    UNCHANGED,
    UPDATED,
    SeedLoadError,
    find_documents,
    load_documents,
    parse_documents,
)


def _print_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"看不懂日期“{value}”，请写成 2026-11-28 这样的格式。") from None


KIND_NAMES = {"series": "专题", "articles": "文章", "contributors": "作者/机构"}


class Command(BaseCommand):
    help = (
        "导入排版系统导出的种子文档（见 docs/seed-format.md）。不给路径时导入 seeds/ 下的全部文档；"
        "路径可以是文件或文件夹（文件夹里的文档按相对路径区分）。全部成功才写入，任何一处出错都不会改动数据库。"
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="种子文档或包含 .txt 文档的文件夹")
        parser.add_argument("--dry-run", action="store_true", help="只显示会发生的变化，不写入数据库")
        parser.add_argument(
            "--date",
            type=_print_date,
            help="见报日期，如 2026-11-28：记为文章的刊发日期，发布时间记为当天 0:00（北京时间）",
        )

    def handle(self, *args, paths, dry_run, verbosity, date=None, **options):
        paths = paths or [Path(os.path.relpath(Path(settings.BASE_DIR) / "seeds"))]
        try:
            files = find_documents(paths)
        except FileNotFoundError as missing:
            raise CommandError(f"找不到文件或文件夹：{missing.args[0]}") from None
        except OSError as error:
            raise CommandError(f"无法读取 {error.filename}：{error.strerror}") from None
        if not files:
            raise CommandError(f"没有找到种子文档（.txt）：{'、'.join(map(str, paths))}")
        try:
            documents = parse_documents(files)
            report = load_documents(documents, dry_run=dry_run, print_date=date)
        except SeedLoadError as error:
            for seed_error in error.errors:
                self.stderr.write(str(seed_error))
            raise CommandError("种子文档有错误，什么都没有导入，数据库保持原样。") from None
        except DatabaseError as error:
            raise CommandError(f"写入数据库失败，什么都没有导入：{error}") from None

        if verbosity >= 2 or dry_run:
            for change in report.changes:
                self.stdout.write(f"  {change}")
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if verbosity >= 1:
            prefix = "演习（没有写入）：" if dry_run else ""
            self.stdout.write(f"{prefix}读取 {len(documents)} 个文档。")
            for kind, label in KIND_NAMES.items():
                counts = report.counts[kind]
                self.stdout.write(f"{label}：新建 {counts[CREATED]}，更新 {counts[UPDATED]}，未变 {counts[UNCHANGED]}")
