from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from proofing import lists
from proofing.models import Level, SensitiveWord

KINDS = {"sensitive": lists.SENSITIVE, "敏感词": lists.SENSITIVE, "mistakes": lists.MISTAKES, "错别字": lists.MISTAKES}


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "导入报社自己的敏感词和错别字清单（格式见 docs/proofing.md）：新词新增，已有的词按文件更新。"
        "文件里用 [敏感词]、[错别字] 分开两个清单，或用 --kind 指明整个文件是哪个清单。"
        "任何一行有错都不会导入，数据库保持原样。"
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="清单文件（UTF-8 或 GBK 编码的文本）")
        parser.add_argument("--kind", choices=sorted(KINDS), help="没有 [敏感词]/[错别字] 标题的行属于哪个清单")
        parser.add_argument(
            "--level", choices=[str(label) for label in Level.labels], default="禁用", help="没写级别的新词的级别"
        )
        parser.add_argument(
            "--category",
            choices=[str(label) for label in SensitiveWord.Category.labels],
            default="其他",
            help="没写类别的新词的类别",
        )
        parser.add_argument("--dry-run", action="store_true", help="只显示会发生的变化，不写入数据库")

    def handle(self, *args, files, kind, level, category, dry_run, verbosity, **options):
        parsed, errors = lists.Parsed(), []
        for path in files:
            try:
                text = lists.decode(path.read_bytes())
                part = lists.parse(text, section=KINDS.get(kind))
            except FileNotFoundError:
                raise CommandError(f"找不到文件：{path}") from None
            except IsADirectoryError:
                raise CommandError(f"{path} 是文件夹，请给出清单文件。") from None
            except lists.ListError as error:
                errors += [f"{path}：{line}" for line in error.errors]
                continue
            parsed.words += part.words
            parsed.mistakes += part.mistakes
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError("清单有错误，什么都没有导入，数据库保持原样。")
        if verbosity >= 2:
            self.stdout.write(f"读到敏感词 {len(parsed.words)} 条，错别字 {len(parsed.mistakes)} 条。")
        try:
            with transaction.atomic():
                outcome = lists.load(parsed, level=lists.LEVELS[level], category=lists.CATEGORIES[category])
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write(f"试运行（没有写入）：{outcome.summary()}。")
            return
        except DatabaseError as error:
            raise CommandError(f"写入数据库失败，什么都没有导入：{error}") from None
        self.stdout.write(self.style.SUCCESS(f"已导入：{outcome.summary()}。"))
