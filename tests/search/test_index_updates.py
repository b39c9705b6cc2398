"""The index is always current: saves, review steps, withdrawals, deletions,
renames and seed loads reach it with no command; concurrent writers and a
busy index lose nothing and never show anyone an error."""

import multiprocessing
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from haystack import connections
from haystack.query import SearchQuerySet
from whoosh.util.filelock import FcntlLock

from articles import services
from articles.models import Article
from search.indexing import article_index
from search.models import PendingIndexChange
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, CreditFactory, SeriesFactory

pytestmark = pytest.mark.django_db(transaction=True)


def indexed_titles(word: str) -> set[str]:
    """Titles of the articles the index returns for ``word``."""
    pks = [int(result.pk) for result in SearchQuerySet().filter(text=word)[:1000]]
    return set(Article.objects.filter(pk__in=pks).values_list("title", flat=True))


def in_index(article: Article) -> bool:
    backend = connections["default"].get_backend()
    return any(doc["id"] == f"articles.article.{article.pk}" for doc in backend.searcher().documents())


def test_editing_updates_the_index(search_index, staff):
    article = ArticleFactory(title="稿件", body="<p>开平碉楼。</p>")
    assert indexed_titles("碉楼") == {"稿件"}
    article.body = "<p>台山大米。</p>"
    services.article_save(article=article, by=staff.editor)
    assert indexed_titles("碉楼") == set() and indexed_titles("大米") == {"稿件"}


def test_review_steps_withdrawal_and_deletion_reach_the_index(search_index, staff):
    article = ArticleFactory(title="侨乡新貌", status=Article.Status.FINAL_REVIEW, publish_at=None)
    assert not in_index(article)
    services.article_publish(article=article, by=staff.chief)
    assert in_index(article)
    services.article_withdraw(article=article, by=staff.chief, reason="核实中")
    assert not in_index(article)
    services.article_transition(article=article, by=staff.chief, action="reopen")
    article.delete()
    assert not in_index(article)


def test_bylines_and_series_names_are_searchable_and_follow_renames(search_index):
    series = SeriesFactory(name="百千万")
    article = ArticleFactory(title="稿件", series=series)
    BylineFactory(article=article, contributor=ContributorFactory(name="赵可义"))
    assert indexed_titles("赵可义") == {"稿件"}
    series.name = "奋进特刊"
    series.save()
    assert indexed_titles("奋进特刊") == {"稿件"} and indexed_titles("百千万") == set()


def test_kicker_summary_source_and_printed_credits_are_searchable_and_follow_changes(search_index):
    """What the article page prints is what search finds: 引题, 摘要, 来源, and
    the credits of the article, its column and the special issue above it."""
    special = SeriesFactory(name="奋进")
    column = SeriesFactory(name="百千万", parent=special)
    article = ArticleFactory(
        title="稿件", series=column, kicker="侨乡新貌", summary="导语里的碉楼。", source="南方日报"
    )
    CreditFactory(article=article, contributor=ContributorFactory(name="王编辑"), role="责任编辑")
    CreditFactory(series=column, contributor=ContributorFactory(name="李策划"), role="策划")
    planner = ContributorFactory(name="傅总策")
    CreditFactory(series=special, contributor=planner, role="总策划")
    for word in ["侨乡新貌", "碉楼", "南方日报", "王编辑", "李策划", "傅总策", "奋进"]:
        assert indexed_titles(word) == {"稿件"}, word
    planner.name = "傅新名"
    planner.save()
    assert indexed_titles("傅新名") == {"稿件"} and indexed_titles("傅总策") == set()
    special.credits.all().delete()
    assert indexed_titles("傅新名") == set()
    special.name = "奋斗"
    special.save()
    assert indexed_titles("奋斗") == {"稿件"} and indexed_titles("奋进") == set()


def test_one_index_write_per_transaction_and_none_after_a_rollback(search_index, monkeypatch):
    calls = []
    original = type(search_index).sync

    def counting_sync(self, index, pks, **kwargs):
        calls.append(set(pks))
        return original(self, index, pks, **kwargs)

    monkeypatch.setattr(type(search_index), "sync", counting_sync)
    with transaction.atomic():
        article = ArticleFactory(title="一篇")
        BylineFactory(article=article)
        BylineFactory(article=article)
    assert calls == [{article.pk}]
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory(title="回滚的")
        raise RuntimeError
    assert len(calls) == 1 and indexed_titles("回滚的") == set()


def test_a_save_inside_a_rolled_back_savepoint_does_not_lose_the_rest(search_index):
    with transaction.atomic():
        kept = ArticleFactory(title="保留的侨乡稿")
        try:
            with transaction.atomic():
                ArticleFactory(title="撤销的侨乡稿")
                raise RuntimeError
        except RuntimeError:
            pass
        also_kept = ArticleFactory(title="之后的侨乡稿")
    assert indexed_titles("侨乡") == {kept.title, also_kept.title}


# --- a busy index: the save goes through, the change is queued, nothing is lost ----


def _hold_lock(path, seconds, ready):
    lock = FcntlLock(path)
    lock.acquire(blocking=True)
    ready.set()
    time.sleep(seconds)
    lock.release()


@pytest.fixture
def lock_held_elsewhere(search_index, settings):
    """Another process (think: a rebuild) holds the index's write lock for two seconds."""
    settings.NEWSROOM_SEARCH_WRITE_WAIT = 0.2
    search_index.setup()  # the index exists, as it does in production
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    holder = context.Process(target=_hold_lock, args=(f"{search_index.path}.lock", 2, ready))
    holder.start()
    assert ready.wait(10)
    yield holder
    holder.join(10)


def test_a_save_while_the_index_is_busy_is_queued_then_applied(search_index, staff, lock_held_elsewhere):
    article = ArticleFactory(title="稿件", body="<p>开平碉楼。</p>")
    started = time.monotonic()
    article.body = "<p>台山大米。</p>"
    services.article_save(article=article, by=staff.editor)  # no error for the editor
    assert time.monotonic() - started < 2
    assert PendingIndexChange.objects.filter(article_id=article.pk).exists()
    lock_held_elsewhere.join(10)
    call_command("search_maintain", verbosity=0)
    assert indexed_titles("大米") == {"稿件"}
    assert not PendingIndexChange.objects.exists()


def test_the_next_write_applies_what_was_queued(search_index, staff, lock_held_elsewhere):
    queued = ArticleFactory(title="排队的侨乡稿")
    assert PendingIndexChange.objects.count() == 1
    lock_held_elsewhere.join(10)
    ArticleFactory(title="后来的稿")
    assert indexed_titles("侨乡") == {"排队的侨乡稿"} and not PendingIndexChange.objects.exists()
    assert queued.pk


def _writer(path_info, documents, removals, rounds):
    """In a separate process: update and remove documents, round after round."""
    from haystack import connections as child_connections

    child_connections.connections_info["default"]["PATH"] = path_info
    child_connections.reload("default")
    backend = child_connections["default"].get_backend()
    index = child_connections["default"].get_unified_index().get_index(Article)
    for _ in range(rounds):
        backend.update(index, documents)
        for identifier in removals:
            backend.remove(identifier)


def test_two_processes_writing_at_once_lose_nothing(search_index):
    articles = [ArticleFactory(title=f"并发稿{n}") for n in range(12)]
    prepared = list(article_index().index_queryset().filter(pk__in=[a.pk for a in articles]))
    first, second = prepared[:6], prepared[6:]
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_writer, args=(search_index.path, first, [f"articles.article.{first[0].pk}"], 8)),
        context.Process(target=_writer, args=(search_index.path, second, [f"articles.article.{second[0].pk}"], 8)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    remaining = {doc["id"] for doc in search_index.searcher().documents()}
    expected = {f"articles.article.{a.pk}" for a in first[1:] + second[1:]}
    assert remaining == expected  # every update landed, both deletes too


# --- commands ---------------------------------------------------------------------------


def test_rebuild_index_shows_progress_and_swaps_in_a_complete_index(search_index, capsys):
    for n in range(25):
        ArticleFactory(title=f"江门稿{n}")
    old_generation = search_index.searcher()  # a reader open during the rebuild keeps working
    call_command("rebuild_index", "--noinput")
    out = capsys.readouterr().out
    assert "重建搜索索引：25 篇已发布文章" in out and "已处理 25/25（100%）" in out and "完成：索引了 25 篇文章" in out
    assert old_generation.doc_count() == 25
    assert SearchQuerySet().filter(text="江门").count() == 25


def test_update_index_works(search_index, capsys):
    ArticleFactory(title="侨乡稿")
    call_command("clear_index", "--noinput", verbosity=0)
    assert SearchQuerySet().filter(text="侨乡").count() == 0
    call_command("update_index", verbosity=2)
    assert "Indexing 1" in capsys.readouterr().out
    assert SearchQuerySet().filter(text="侨乡").count() == 1


def test_search_maintain_merges_segments(search_index, capsys):
    for n in range(5):
        ArticleFactory(title=f"稿{n}")  # one small segment each
    assert search_index.segment_count() >= 5
    call_command("search_maintain")
    assert "索引现在有 1 段" in capsys.readouterr().out


def test_an_index_built_for_other_fields_is_reported_not_crashed_on(search_index, client):
    ArticleFactory(title="侨乡稿")
    marker = f"{search_index.path}/NEWSROOM_FINGERPRINT"
    with open(marker, "w") as stale:
        stale.write("another bigram list")
    connections.reload("default")
    response = client.get("/search/", {"q": "侨乡"})
    assert response.status_code == 503
    assert "搜索暂时不可用" in response.content.decode()
    call_command("rebuild_index", verbosity=0)
    assert client.get("/search/", {"q": "侨乡"}).status_code == 200


def test_scheduled_articles_are_indexed_before_their_minute(search_index):
    article = ArticleFactory(title="明天的稿", publish_at=timezone.now() + timedelta(days=1))
    assert in_index(article)  # so it is findable at its minute with nothing to run


def test_rebuild_if_needed_only_rebuilds_a_missing_or_incomplete_index(search_index, capsys):
    ArticleFactory.create_batch(2)
    call_command("rebuild_index", "--if-needed")
    assert "搜索索引是最新的（2 篇），不用重建" in capsys.readouterr().out
    search_index.clear()  # an empty index: 0 of 2
    call_command("rebuild_index", "--if-needed")
    assert "完成：索引了 2 篇文章" in capsys.readouterr().out
