import time

from django.core.management.base import BaseCommand, CommandError
from haystack import connections
from haystack.management.commands.rebuild_index import Command as HaystackRebuildIndex
from haystack.query import SearchQuerySet

from search.backend import IndexBusy, IndexOutdated
from search.indexing import apply_queued, article_index


class Command(BaseCommand):
    help = (
        "重建搜索索引：用两个进程建一份新索引，建好后一次切换过去；重建期间搜索照常可用，"
        "期间保存的修改排队，重建完成后写入。"
    )

    def add_arguments(self, parser):
        # Accepted for compatibility with haystack's command; nothing is deleted until the swap.
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="只在索引缺失、过期（字段或分词表变了）或篇数与数据库不符时重建",
        )

    def handle(self, *args, verbosity, if_needed, **options):
        backend = connections["default"].get_backend()
        if not hasattr(backend, "rebuild"):  # a search cluster (Solr): haystack's own rebuild
            total = article_index().index_queryset().count()
            if if_needed and SearchQuerySet().count() == total:
                if verbosity >= 1:
                    self.stdout.write(f"搜索索引的篇数与数据库一致（{total} 篇），不用重建。")
                return
            return HaystackRebuildIndex().run_from_argv(["manage.py", "rebuild_index", "--noinput"])
        index = article_index()
        queryset = index.index_queryset()
        total = queryset.count()
        if if_needed and _is_current(backend, total):
            if verbosity >= 1:
                self.stdout.write(f"搜索索引是最新的（{total} 篇），不用重建。")
            return
        started = time.monotonic()
        step = max(1, total // 10)

        def progress(stage, done):
            if verbosity < 1:
                return
            if stage == "indexed" and (done % step == 0 or done == total):
                elapsed = time.monotonic() - started
                self.stdout.write(f"  已处理 {done}/{total}（{done * 100 // max(total, 1)}%），用时 {elapsed:.0f} 秒")
            elif stage == "committing":
                self.stdout.write("  正在写入索引文件……")

        if verbosity >= 1:
            self.stdout.write(f"重建搜索索引：{total} 篇已发布文章（{backend.build_procs} 个进程）")
        try:
            count = backend.rebuild(index, queryset, progress=progress)
        except IndexBusy as busy:
            raise CommandError(f"{busy}；请稍后再试。") from None
        applied = apply_queued()
        if verbosity >= 1:
            elapsed = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(f"完成：索引了 {count} 篇文章，用时 {elapsed:.1f} 秒。"))
            if applied:
                self.stdout.write(f"另外写入了重建期间排队的 {applied} 篇文章的修改。")


def _is_current(backend, published: int) -> bool:
    try:
        return backend.searcher().doc_count() == published
    except IndexOutdated:
        return False
