"""Newsroom beside a peer CMS: the home, series and article pages of the same
articles, uncached, served the same way on the same machine in one run.

    .venv/bin/python bench/peer_pages.py             # the seed + 10,000 articles; the peer: the same 10,000
    .venv/bin/python bench/peer_pages.py --reuse     # keep both sites' data from the last run
    .venv/bin/python bench/peer_pages.py --articles 2000 --workdir var/bench/pages-2000 --peer-dir var/bench/peer-2000
    .venv/bin/python bench/peer_pages.py --postgres  # both on PostgreSQL (127.0.0.1:5432), connections kept

The peer is a Wagtail 7.0 site (bench/peer_wagtail/): a home page with the
20 latest articles and a block for each series, a page per series with its
articles 30 a page, article pages with their authors and previous/next, in
the way the Wagtail tutorial builds a blog. It runs in a virtualenv of its
own (var/bench/peer-venv, bench/requirements-peer.txt, made on first use)
on SQLite in var/bench/peer/. Newsroom's site is bench/pages.py's
(var/bench/pages/), its page cache off; Wagtail has none by default. With
``--postgres`` both sites are PostgreSQL databases of their own on the local
server (bench/pages.py's ``newsroom_bench_pages``, and ``newsroom_bench_peer``),
recreated unless ``--reuse``, analysed after loading; both keep their
connections (Newsroom's production settings; ``CONN_MAX_AGE`` for Wagtail).

Both are served by gunicorn (2 sync workers, 127.0.0.1, the same
gunicorn.conf.py settings) and loaded by ``wrk`` from another process. Each
pair of measurements comes right after one of Newsroom's trivial view (as in
bench/pages.py): the ratio Newsroom/Wagtail is what to read; the shares of
the trivial view place both against bench/pages.py's targets. The article
compared is the same synthetic article on both (the corpus's number 1000),
the series the same series (侨乡观察). Results are printed and saved as JSON
in var/bench/; docs/benchmarks.md has the recorded ones.
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script: bench.pages importable

from bench import corpus, pages  # noqa: E402

PEER_VENV = REPO / "var" / "bench" / "peer-venv"
PEER_PYTHON = PEER_VENV / "bin" / "python"
COMPARED = ["home", "series", "article"]
# The corpus article both sites show on their article page, and the series both list.
ARTICLE_INDEX = 1000
SERIES_NAME = "侨乡观察"
PEER_POSTGRES_DATABASE = "newsroom_bench_peer"
# Written once the peer's data is loaded (in the data directory): --reuse keeps it.
LOADED = "loaded"


def peer_environment(data: Path, *, postgres: bool) -> dict:
    env = pages.environment(data)  # the same gunicorn settings as Newsroom's
    env.update(DJANGO_SETTINGS_MODULE="bench.peer_wagtail.settings", PEER_DATA_DIR=str(data))
    if postgres:
        env["PEER_POSTGRES_DATABASE"] = PEER_POSTGRES_DATABASE
    return env


def prepare_peer(data: Path, articles: int, *, postgres: bool) -> None:
    if not PEER_PYTHON.exists():
        print("== the peer's virtualenv (var/bench/peer-venv)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)  # from the base interpreter
        requirements = REPO / "bench" / "requirements-peer.txt"
        subprocess.run([str(PEER_PYTHON), "-m", "pip", "install", "-q", "-r", str(requirements)], check=True)
    print(f"== the peer: Wagtail with the same {articles} articles in {data}", flush=True)
    started = time.monotonic()
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    published = datetime.now(UTC) - timedelta(days=1)
    documents = corpus.generate(articles)
    (data / "corpus.json").write_text(
        json.dumps({"published_at": published.isoformat(), "documents": documents}, ensure_ascii=False)
    )
    env = peer_environment(data, postgres=postgres)
    if postgres:
        pages.recreate_postgres_database(PEER_POSTGRES_DATABASE)
    subprocess.run([str(PEER_PYTHON), "-m", "django", "migrate", "-v0"], env=env, cwd=REPO, check=True)
    subprocess.run([str(PEER_PYTHON), "-m", "bench.peer_wagtail.load", str(data / "corpus.json")],
                   env=env, cwd=REPO, check=True)  # fmt: skip
    if postgres:
        pages.analyse_postgres_database(PEER_POSTGRES_DATABASE)
    (data / LOADED).touch()
    print(f"   ready in {time.monotonic() - started:.0f} s", flush=True)


# Each site names its own addresses of the pages compared (run with its interpreter).
OURS = """
import django, json
django.setup()
from articles.models import Article, Series
article = Article.objects.filter(slug__startswith="bench-").order_by("id")[{index}]
print(json.dumps({{"home": "/", "series": Series.objects.get(name="{series}").get_absolute_url(),
                  "article": article.get_absolute_url()}}))
"""
THEIRS = """
import django, json
django.setup()
from bench.peer_wagtail.news.models import ArticlePage, SeriesPage
print(json.dumps({{"home": "/", "series": SeriesPage.objects.get(title="{series}").url,
                  "article": ArticlePage.objects.get(slug="bench-{index}").url}}))
"""


def addresses(python, code: str, env: dict) -> dict:
    source = code.format(index=ARTICLE_INDEX, series=SERIES_NAME)
    out = subprocess.run([str(python), "-c", source], env=env, cwd=REPO, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep both sites' data from the last run")
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench" / "pages", help="Newsroom's data")
    parser.add_argument("--peer-dir", type=Path, default=REPO / "var" / "bench" / "peer", help="the peer's data")
    parser.add_argument("--postgres", action="store_true", help="both sites on PostgreSQL (127.0.0.1:5432)")
    args = parser.parse_args()

    workdir, peer_dir = args.workdir.resolve(), args.peer_dir.resolve()
    if args.postgres:  # as bench/pages.py --postgres keeps them
        workdir, peer_dir = workdir / "postgres", peer_dir / "postgres"
        if not (args.reuse and (workdir / "search_index").exists()):
            print(f"== Newsroom on PostgreSQL ({pages.POSTGRES_DATABASE}): the seed + {args.articles}", flush=True)
            pages.prepare_postgres(workdir, args.articles)
        ours_env = pages.environment(workdir, NEWSROOM_PAGE_CACHE="0", DATABASE_URL=pages.POSTGRES_URL)
    else:
        if not (args.reuse and (workdir / "newsroom.sqlite3").exists()):
            print(f"== Newsroom: the seed + {args.articles} articles in {workdir}", flush=True)
            pages.prepare(workdir, args.articles, search=True)
        ours_env = pages.environment(workdir, NEWSROOM_PAGE_CACHE="0")
    if not (args.reuse and (peer_dir / LOADED).exists() and PEER_PYTHON.exists()):
        prepare_peer(peer_dir, args.articles, postgres=args.postgres)
    theirs_env = peer_environment(peer_dir, postgres=args.postgres)
    # The peer's own migrations since its data was made (none when just made).
    subprocess.run([str(PEER_PYTHON), "-m", "django", "migrate", "-v0"], env=theirs_env, cwd=REPO, check=True)
    ours_urls = addresses(pages.PYTHON, OURS, ours_env)
    theirs_urls = addresses(PEER_PYTHON, THEIRS, theirs_env)

    ours = pages.Server(ours_env)
    theirs = pages.Server(theirs_env, python=str(PEER_PYTHON), app="bench.peer_wagtail.wsgi", ready="/")
    samples = {page: [] for page in COMPARED}
    try:
        for page in COMPARED:
            for server, path in ((ours, ours_urls[page]), (theirs, theirs_urls[page])):
                status, _, body = server.get(path)
                if status != 200:
                    raise RuntimeError(f"{page} {path}: HTTP {status}")
                pages.load(server.port, path, seconds=1, connections=args.connections)  # warm both workers
        for round_ in range(1, args.rounds + 1):
            print(f"\n== round {round_} of {args.rounds}", flush=True)
            for page in COMPARED:
                timing = dict(seconds=args.seconds, connections=args.connections)
                trivial = pages.load(ours.port, "/bench/trivial/", **timing)["rps"]
                mine = pages.load(ours.port, ours_urls[page], **timing)
                peer = pages.load(theirs.port, theirs_urls[page], **timing)
                samples[page].append({"trivial": trivial, "newsroom": mine, "wagtail": peer})
                print(f"   {page:<8} Newsroom {mine['rps']:>7.1f} req/s ({mine['rps'] / trivial:>5.1%})   "
                      f"Wagtail {peer['rps']:>7.1f} req/s ({peer['rps'] / trivial:>5.1%})   "
                      f"Newsroom/Wagtail {mine['rps'] / peer['rps']:.2f}   trivial {trivial:.0f}",
                      flush=True)  # fmt: skip
    finally:
        ours.stop()
        theirs.stop()

    results = {}
    for page, runs in samples.items():
        results[page] = {
            "newsroom_rps": statistics.median(run["newsroom"]["rps"] for run in runs),
            "wagtail_rps": statistics.median(run["wagtail"]["rps"] for run in runs),
            "ratio": statistics.median(run["newsroom"]["rps"] / run["wagtail"]["rps"] for run in runs),
            "newsroom_share": statistics.median(run["newsroom"]["rps"] / run["trivial"] for run in runs),
            "wagtail_share": statistics.median(run["wagtail"]["rps"] / run["trivial"] for run in runs),
            "newsroom_path": ours_urls[page],
            "wagtail_path": theirs_urls[page],
        }
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"\nuncached, {database}, median of {args.rounds} rounds of {args.seconds:g} s, "
          f"{args.connections} connections:")  # fmt: skip
    print(f"{'page':<8}{'Newsroom':>22}{'Wagtail':>22}{'Newsroom/Wagtail':>18}")
    for page, r in results.items():
        print(f"{page:<8}{r['newsroom_rps']:>12.1f} ({r['newsroom_share']:>6.1%}){r['wagtail_rps']:>12.1f} "
              f"({r['wagtail_share']:>6.1%}){r['ratio']:>18.2f}")  # fmt: skip
    saved = REPO / "var" / "bench" / f"peer-results-{time.strftime('%Y%m%d-%H%M%S')}.json"
    summary = {"articles": args.articles, "database": database, "pages": results}
    saved.write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"\nsaved: {saved}")


if __name__ == "__main__":
    main()
