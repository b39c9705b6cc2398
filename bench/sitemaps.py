"""Sitemaps benchmark: what one uncached sitemap page costs, by page size.

    .venv/bin/python bench/sitemaps.py                  # 20,000 public articles
    .venv/bin/python bench/sitemaps.py --articles 50000 --rounds 5

A SQLite database in var/bench/sitemaps/ (recreated unless ``--reuse``) gets
N public articles, a contributor with a byline on each tenth, and a series
per hundred, one series in ten a special issue whose next nine are its
columns (bulk inserts). Then, in this process, through Django's test client
and the whole middleware with the page cache off (every request renders),
the median time of the index (``/sitemap.xml``), the first and the last page
of the articles section, and the first page of the series and contributors
sections; as before (articles 10,000 URLs a page in id order and the rest
50,000, Django's paginator: a count and the slice; series with their latest
article found by one "in it or in its columns" subquery: ``*_before`` below,
as committed before) and as now (``PAGE_SIZE`` a page, the slice alone;
articles in the public index's order; two indexed subqueries for series),
alternating, so both see the same machine.
Results: docs/benchmarks.md.
"""

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script: the apps importable (bench/ names none of them: tests/test_layout.py)
WORKDIR = REPO / "var" / "bench" / "sitemaps"


def setup(workdir: Path, reuse: bool) -> None:
    if not reuse and workdir.exists():
        shutil.rmtree(workdir)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        NEWSROOM_DATA_DIR=str(workdir),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-secret",
        DJANGO_ALLOWED_HOSTS="testserver",
        NEWSROOM_PAGE_CACHE="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        SEARCH_URL=f"whoosh://{workdir / 'search_index'}",
    )
    import django

    django.setup()


def populate(n: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from articles.models import Article, Byline, Contributor, Series

    call_command("migrate", verbosity=0)
    if Article.objects.exists():
        return
    now = timezone.now()
    series = Series.objects.bulk_create(Series(name=f"专题{i}", slug=f"series-{i}") for i in range(n // 100 + 1))
    for i, column in enumerate(series):
        if i % 10:
            column.parent = series[i - i % 10]
    Series.objects.bulk_update(series, ["parent"])
    Article.objects.bulk_create(
        (
            Article(
                title=f"第{i}篇",
                slug=f"article-{i}",
                series=series[i // 100],
                body="<p>正文。</p>",
                status=Article.Status.PUBLISHED,
                publish_at=now - timezone.timedelta(minutes=i),
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    people = Contributor.objects.bulk_create(Contributor(name=f"作者{i}", slug=f"author-{i}") for i in range(n // 10))
    articles = list(Article.objects.order_by("pk").values_list("pk", flat=True)[::10])
    Byline.objects.bulk_create(
        (Byline(article_id=pk, contributor=person, role="记者") for pk, person in zip(articles, people, strict=False)),
        batch_size=2000,
    )


def series_items_before(self):
    """``SeriesSitemap.items`` as committed before: the newest public article "in
    the series or in one of its columns", one OR over a join."""
    from django.db.models import OuterRef, Q, Subquery

    from articles.models import Article, Series

    newest = (
        Article.objects.published()
        .filter(Q(series=OuterRef("pk")) | Q(series__parent=OuterRef("pk")))
        .order_by("-updated_at")
    )
    return (
        Series.objects.with_public_articles()
        .annotate(latest_article=Subquery(newest.values("updated_at")[:1]))
        .order_by("pk")
        .values("slug", "updated_at", "latest_article")
    )


def article_items_before(self):
    """``ArticleSitemap.items`` as committed before: in id order (every public
    article sorted before the page is cut)."""
    from articles.models import Article

    return Article.objects.published().order_by("pk").values("slug", "updated_at", "publish_at")


def series_lastmod_before(self, item):
    return max(item["updated_at"], item["latest_article"])


def median_ms(client, url: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    args = parser.parse_args()
    setup(WORKDIR, args.reuse)
    populate(args.articles)

    from django.contrib.sitemaps import Sitemap
    from django.test import Client

    from articles import sitemaps
    from articles.models import Article, Series

    total = Article.objects.published().count()
    client = Client()

    current = {
        (sitemaps.SlugSitemap, "paginator"): sitemaps.SlugSitemap.paginator,
        (sitemaps.SlugSitemap, "limit"): sitemaps.SlugSitemap.limit,
        (sitemaps.SeriesSitemap, "items"): sitemaps.SeriesSitemap.items,
        (sitemaps.SeriesSitemap, "lastmod"): sitemaps.SeriesSitemap.lastmod,
        (sitemaps.ArticleSitemap, "items"): sitemaps.ArticleSitemap.items,
    }
    previous = {
        (sitemaps.SlugSitemap, "paginator"): Sitemap.paginator,
        (sitemaps.SlugSitemap, "limit"): Sitemap.limit,
        (sitemaps.SeriesSitemap, "items"): series_items_before,
        (sitemaps.SeriesSitemap, "lastmod"): series_lastmod_before,
        (sitemaps.ArticleSitemap, "items"): article_items_before,
    }

    def before():
        for (cls, name), value in previous.items():
            setattr(cls, name, value)
        sitemaps.ArticleSitemap.limit = 10_000

    def now():
        for (cls, name), value in current.items():
            setattr(cls, name, value)
        del sitemaps.ArticleSitemap.limit

    results = {"before": {}, "now": {}}
    for _ in range(2):  # alternate, so both see the same machine
        for name, configure in (("before", before), ("now", now)):
            configure()
            size = sitemaps.ArticleSitemap.limit
            last = -(-total // size)
            for label, url in (
                ("index", "/sitemap.xml"),
                ("articles, page 1", "/sitemap-articles.xml"),
                (f"articles, last page ({last})", f"/sitemap-articles.xml?p={last}"),
                ("series, page 1", "/sitemap-series.xml"),
                ("contributors, page 1", "/sitemap-contributors.xml"),
            ):
                key = label.split(" (")[0]
                measured = median_ms(client, url, args.rounds)
                results[name][key] = min(measured, results[name].get(key, measured))
    print(
        f"{total} public articles, {Series.objects.count()} series; "
        f"median of {args.rounds} requests, best of 2 alternations, page cache off"
    )
    print(f"{'':24} {'before':>12} {'now':>12}")
    for key in results["now"]:
        print(f"{key:24} {results['before'][key]:>9.1f} ms {results['now'][key]:>9.1f} ms")


if __name__ == "__main__":
    main()
