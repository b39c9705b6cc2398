from django.core.management.base import BaseCommand, CommandError
from haystack import connections

from search.backend import IndexBusy
from search.indexing import apply_queued


class Command(BaseCommand):
    help = (
        "搜索索引日常维护（可选，例如每小时一次）：写入排队的修改，合并每次保存留下的小段；"
        "--optimize 把索引合并成一段（较慢，适合夜间）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--optimize", action="store_true", help="合并成一段，查询最快，耗时较长")

    def handle(self, *args, optimize, verbosity, **options):
        try:
            applied = apply_queued(wait=60)
            backend = connections["default"].get_backend()
            segments = backend.merge_segments(optimize=optimize) if hasattr(backend, "merge_segments") else None
        except IndexBusy as busy:
            raise CommandError(f"{busy}；请稍后再试。") from None
        if verbosity >= 1:
            self.stdout.write(f"写入排队的修改：{applied} 篇。")
            if segments is not None:
                self.stdout.write(f"索引现在有 {segments} 段。")
