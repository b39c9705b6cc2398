"""Search benchmark: full rebuild, one-article update, query latency over
real HTTP (gunicorn), and recall/precision on the query set, for Newsroom's
search and, in the same run, a baseline (haystack's stock Whoosh backend with
jieba's ChineseAnalyzer).

    .venv/bin/python bench/search_speed.py                                # 1,000 and 10,000 articles
    .venv/bin/python bench/search_speed.py --sizes 1000 --baseline-sizes 1000 --rounds 2

Each run works in var/bench/<engine>-<size>/ (recreated): its own SQLite
database and index. Results are printed and saved as JSON in var/bench/.
See docs/benchmarks.md for recorded results.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script: the apps importable (bench/ names none of them: tests/test_layout.py)
PYTHON = sys.executable
ENGINES = {"newsroom": "newsroom.settings", "baseline": "bench.settings_baseline"}


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(values_ms):
    return {
        "p50_ms": round(percentile(values_ms, 50), 1),
        "p95_ms": round(percentile(values_ms, 95), 1),
        "max_ms": round(max(values_ms), 1),
        "n": len(values_ms),
    }


# --- driver ----------------------------------------------------------------------------


def environment(engine: str, workdir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": ENGINES[engine],
        "NEWSROOM_DATA_DIR": str(workdir),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "NEWSROOM_PAGE_CACHE": "0",  # measure the search, not the page cache
        "PYTHONPATH": str(REPO),
    }


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=REPO, check=True, **kwargs)


def measure(engine: str, size: int, rounds: int, workdir_root: Path) -> dict:
    workdir = workdir_root / f"{engine}-{size}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    env = environment(engine, workdir)
    print(f"\n== {engine}, {size} articles ({workdir})", flush=True)
    run([PYTHON, "manage.py", "migrate", "-v0"], env)
    run([PYTHON, __file__, "--worker", "load", "--size", str(size)], env)

    started = time.monotonic()
    run([PYTHON, "manage.py", "rebuild_index", "--noinput", "-v0"], env)
    rebuild_s = time.monotonic() - started
    print(f"   full rebuild: {rebuild_s:.1f} s", flush=True)

    out = run([PYTHON, __file__, "--worker", "inprocess", "--rounds", str(rounds)], env, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result.update(engine=engine, size=size, rebuild_s=round(rebuild_s, 1))
    result["http"] = http_latency(env, rounds, result.pop("series_slug"))
    print(f"   {json.dumps(result, ensure_ascii=False)}", flush=True)
    return result


# What the HTTP run measures: every results page a reader can reach. Each case
# is (label, sort, series filter?, page); "last" is the query's last page.
HTTP_CASES = [
    ("page 1", "relevance", False, 1),
    ("page 5", "relevance", False, 5),
    ("last page", "relevance", False, "last"),
    ("newest first, page 1", "date", False, 1),
    ("newest first, page 5", "date", False, 5),
    ("newest first, last page", "date", False, "last"),
    ("series, page 1", "relevance", True, 1),
    ("series, newest first, last page", "date", True, "last"),
]
PER_PAGE = 20
_TOTAL = re.compile(r"找到 (\d+) 篇")


def http_latency(env, rounds: int, series_slug: str) -> dict:
    """Latency as a reader gets it: gunicorn, 2 workers, real HTTP on loopback,
    the page cache off (each address is asked several times; a cached answer
    would measure the cache, not the search). For every query of the set and
    every case of HTTP_CASES that exists for it (page 5 needs 81 hits, a
    "last page" case needs two pages): one untimed request, then ``rounds``
    timed ones."""
    from tests.search.query_set import QUERIES

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "newsroom.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
        cwd=REPO,
    )
    base = f"http://127.0.0.1:{port}/search/?"

    def get(params) -> str:
        with urllib.request.urlopen(base + urllib.parse.urlencode(params), timeout=60) as response:
            if response.status != 200 or response.url != base + urllib.parse.urlencode(params):
                raise RuntimeError(f"{response.status} {response.url}: not the search page (a redirect?)")
            return response.read().decode()

    try:
        for _ in range(100):
            try:
                get({"q": "warm"})
                break
            except OSError:
                time.sleep(0.2)
        # The addresses to time: pages that exist, from each query's total (with and without the filter).
        urls = {label: [] for label, *_ in HTTP_CASES}
        for query, _ in QUERIES:
            totals = {}
            for filtered in (False, True):
                params = {"q": query, **({"series": series_slug} if filtered else {})}
                found = _TOTAL.search(get(params))
                totals[filtered] = int(found.group(1)) if found else 0
            for label, sort, filtered, page in HTTP_CASES:
                last = max(1, -(-totals[filtered] // PER_PAGE))
                if page == "last":
                    if last < 2:
                        continue
                    page = last
                elif page > last:
                    continue
                params = {"q": query, "sort": sort, "page": page, **({"series": series_slug} if filtered else {})}
                urls[label].append(params)
        for cases in urls.values():  # warm both workers: each address once or twice, untimed
            for params in cases:
                get(params)
        timings = {label: [] for label in urls}
        for _ in range(rounds):
            for label, cases in urls.items():
                for params in cases:
                    started = time.perf_counter()
                    get(params)
                    timings[label].append((time.perf_counter() - started) * 1000)
        return {label: summary(values) for label, values in timings.items() if values}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


# --- workers (run inside Django) --------------------------------------------------------


def worker_load(size: int) -> None:
    import django

    django.setup()
    from django.apps import apps
    from django.utils import timezone

    from bench import corpus

    apps.get_app_config("haystack").signal_processor.teardown()  # the rebuild indexes them
    started = time.monotonic()
    documents = corpus.generate(size)
    corpus.load(documents, published_at=timezone.now() - timezone.timedelta(days=1))
    print(f"   corpus: {size} articles generated and stored in {time.monotonic() - started:.1f} s", flush=True)


def worker_inprocess(rounds: int) -> None:
    import django

    django.setup()
    from django.db.models import Count
    from haystack import connections

    from articles import services
    from articles.models import Article, Series
    from search.indexing import article_index, sync_articles
    from search.query import normalise, parse
    from search.results import ArticleSearch, matching
    from tests.search.query_set import QUERIES

    index = article_index()
    texts = {a.pk: normalise(index.prepare_text(a)) for a in index.index_queryset()}
    backend = connections["default"].get_backend()

    def segment_count():
        return backend.segment_count() if hasattr(backend, "segment_count") else None

    # Quality: every hit the index returns against literal-substring answers.
    recalls, precisions, misses = [], [], {}
    for query, _ in QUERIES:
        terms = parse(query).terms
        expected = {pk for pk, text in texts.items() if all(term in text for term in terms)}
        results = matching(parse(query))
        # One slice, one search (iterating a SearchQuerySet searches again every 10 hits).
        got = {int(result.pk) for result in results[: results.count()]} if terms else set()
        recalls.append(len(got & expected) / len(expected) if expected else 1.0)
        precisions.append(len(got & expected) / len(got) if got else 1.0)
        if expected - got:
            misses[query] = len(expected - got)

    def query_latency():
        """The query as haystack runs it for page 1: the top 20 and the exact count."""
        timings = []
        for round_ in range(rounds + 1):
            for query, _ in QUERIES:
                started = time.perf_counter()
                results = matching(parse(query))
                list(results[:20])
                results.count()
                if round_:  # the first round warms the searcher
                    timings.append((time.perf_counter() - started) * 1000)
        return summary(timings)

    def page_work():
        """What the search page does for page 1: the query, loading 20 articles, highlighting them."""
        timings = []
        for round_ in range(rounds + 1):
            for query, _ in QUERIES:
                started = time.perf_counter()
                search = ArticleSearch(parse(query))
                search.count()
                search[0:20]
                if round_:
                    timings.append((time.perf_counter() - started) * 1000)
        return summary(timings)

    segments_after_rebuild = segment_count()
    query_ms, page_ms = query_latency(), page_work()

    # One article edited and saved: database, revision, and the index write after commit.
    rng = random.Random(7)
    pks = rng.sample(sorted(texts), 20)
    save_ms, sync_ms = [], []
    for pk in pks:
        article = Article.objects.get(pk=pk)
        article.body += "<p>补充报道：江门。</p>"
        started = time.perf_counter()
        services.article_save(article=article, by=None)
        save_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        if hasattr(backend, "sync"):
            sync_articles({pk})
        else:
            backend.update(index, [index.index_queryset().get(pk=pk)])
        sync_ms.append((time.perf_counter() - started) * 1000)

    segments_after_saves = segment_count()
    query_after_saves = query_latency()
    if hasattr(backend, "merge_segments"):
        backend.merge_segments()  # what search_maintain does; the HTTP run comes next
    print(
        json.dumps(
            {
                "queries": len(QUERIES),
                "recall": round(sum(recalls) / len(recalls), 4),
                "precision": round(sum(precisions) / len(precisions), 4),
                "queries_missing_answers": misses,
                "segments_after_rebuild": segments_after_rebuild,
                "query": query_ms,
                "search_page_work": page_ms,
                "save_article": summary(save_ms),
                "index_one_article": summary(sync_ms),
                "segments_after_40_writes": segments_after_saves,
                "query_after_40_writes": query_after_saves,
                "segments_for_http": segment_count(),
                # The HTTP run's series filter: the series with the most articles.
                "series_slug": Series.objects.annotate(n=Count("articles")).order_by("-n", "slug")[0].slug,
            },
            ensure_ascii=False,
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--baseline-sizes", type=int, nargs="*", default=[1000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--worker", choices=["load", "inprocess"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "load":
        return worker_load(args.size)
    if args.worker == "inprocess":
        return worker_inprocess(args.rounds)

    results = [measure("baseline", size, args.rounds, args.workdir) for size in args.baseline_sizes]
    results += [measure("newsroom", size, args.rounds, args.workdir) for size in args.sizes]
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (args.workdir / f"results-{stamp}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    columns = [
        ("query", lambda r: r["query"]),
        ("page work", lambda r: r["search_page_work"]),
        ("HTTP page", lambda r: r["http"]["page 1"]),
        ("save", lambda r: r["save_article"]),
        ("index 1", lambda r: r["index_one_article"]),
    ]
    print("\n(ms: p50/p95)  " + "  ".join(f"{name:>13}" for name, _ in columns))
    for r in results:
        cells = "  ".join(f"{get(r)['p50_ms']:>6}/{get(r)['p95_ms']:<6}" for _, get in columns)
        print(f"{r['engine']:<9}{r['size']:>6}  {cells}  rebuild {r['rebuild_s']} s  recall {r['recall']}")
    labels = [label for label, *_ in HTTP_CASES]
    print("\nHTTP, gunicorn 2 workers (ms: p50/p95, n requests)")
    for r in results:
        print(f"{r['engine']} {r['size']}:")
        for label in labels:
            if label in r["http"]:
                cell = r["http"][label]
                print(f"   {label:<33} {cell['p50_ms']:>6} / {cell['p95_ms']:<6}  n={cell['n']}")
    print(f"\nsaved: {args.workdir / f'results-{stamp}.json'}")


if __name__ == "__main__":
    main()
