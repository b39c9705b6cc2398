"""Pages benchmark: requests per second of the public pages over real HTTP,
beside a trivial Django view, uncached and cached, in one run.

    .venv/bin/python bench/pages.py                       # the seed + 10,000 articles
    .venv/bin/python bench/pages.py --articles 2000 --rounds 1 --phases cached
    .venv/bin/python bench/pages.py --reuse --profile     # and where an uncached page's time goes
    .venv/bin/python bench/pages.py --postgres            # and the same site on PostgreSQL, uncached
    .venv/bin/python bench/pages.py --reuse --postgres --phases --pages article   # one page, SQLite beside PostgreSQL

The site runs under gunicorn (2 sync workers, 127.0.0.1 only, ``DJANGO_DEBUG=0``)
on a SQLite database in var/bench/pages/ (recreated unless ``--reuse``): the
real seed plus a synthetic corpus (bench/corpus.py) and its search index.
Another process loads it: ``wrk`` when installed (``apt-get install wrk``),
otherwise a pool of Python threads, with a fixed number of connections for a
fixed time per page. The yardstick is ``/bench/trivial/`` (bench/urls_pages.py):
20 KB of fixed HTML through the same middleware, measured just before each
page, so that whatever else the machine does weighs on both alike.

One server per set-up, side by side: the page cache off ("uncached"); on, in
each worker's memory with the content version in a file ("cached", the
default); on, in Redis ("cached, Redis", ``CACHE_URL``) when Redis answers
on 127.0.0.1:6379 (its database 1 is emptied first); with ``--postgres``,
the page cache off on a PostgreSQL copy of the same site (database
``newsroom_bench_pages`` on 127.0.0.1:5432, recreated unless ``--reuse``),
whose article page is compared with SQLite's.

Then each page's ceiling on this database ("SQL only"): the statements the
page ran, recorded from it in-process and replayed by ``/bench/sql-only/``
with their rows fetched, followed by the trivial view's HTML. No rendering of
that page can serve more than its own SQL allows, so a target above its
ceiling is out of reach for any Python on top of these queries. Results are
printed and saved as JSON in var/bench/; see docs/benchmarks.md for recorded
results.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script: the apps importable (bench/ names none of them: tests/test_layout.py)
PYTHON = sys.executable
REDIS_URL = "redis://127.0.0.1:6379/1"
# --postgres: the same site on the PostgreSQL server here, in a database of its own.
POSTGRES_SERVER = "host=127.0.0.1 port=5432 user=postgres"
POSTGRES_DATABASE = "newsroom_bench_pages"
POSTGRES_URL = f"postgres://postgres@127.0.0.1:5432/{POSTGRES_DATABASE}"
# PostgreSQL's article page, uncached, against SQLite's in the same run (issue 10).
POSTGRES_TARGET = 0.80
# In the data directory: each page's statements, for /bench/sql-only/ (bench/urls_pages.py).
STATEMENTS_FILE = "statements.json"
PAGES = ["trivial", "home", "series", "special issue", "article", "contributor", "search"]
TARGETS = {  # share of the trivial view's requests/s (issue 8)
    ("article", "uncached"): 0.25,
    ("article", "cached"): 0.80,
    ("home", "uncached"): 0.15,
    ("series", "uncached"): 0.15,
}


def environment(workdir: Path, **extra) -> dict:
    local = ("DJANGO_", "NEWSROOM_", "DATABASE_", "CACHE_URL", "SEARCH_URL", "GUNICORN_")
    return {
        **{name: value for name, value in os.environ.items() if not name.startswith(local)},
        "DJANGO_SETTINGS_MODULE": "bench.settings_pages",
        "NEWSROOM_DATA_DIR": str(workdir),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "CACHE_URL": "",
        # gunicorn.conf.py's production settings that would weigh on the measure:
        # an access log line per request, and workers restarted every 2,000 requests.
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_MAX_REQUESTS": "0",
        "PYTHONPATH": str(REPO),
        **extra,
    }


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=REPO, check=True, **kwargs)


def prepare(workdir: Path, articles: int, *, search: bool, **extra) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    env = environment(workdir, **extra)
    started = time.monotonic()
    run([PYTHON, "manage.py", "migrate", "-v0"], env)
    run([PYTHON, "manage.py", "load_seeds", "-v0"], env)
    run([PYTHON, __file__, "--worker", "load", "--articles", str(articles)], env)
    if search:
        run([PYTHON, "manage.py", "rebuild_index", "--noinput", "-v0"], env)
    print(f"   database and index ready in {time.monotonic() - started:.0f} s", flush=True)


def prepare_postgres(workdir: Path, articles: int, database: str = POSTGRES_DATABASE) -> None:
    """The same site (the seed and the same synthetic corpus) in a PostgreSQL
    database of its own on the local server (``database``, recreated), its
    planner statistics taken after the bulk load (as autovacuum would soon
    after; docs/operations.md). bench/load.py prepares its site this way too,
    and bench/peer_pages.py its peer's database."""
    recreate_postgres_database(database)
    prepare(workdir, articles, search=True, DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}")
    analyse_postgres_database(database)


def recreate_postgres_database(database: str) -> None:
    """``database`` on the local server, empty (dropped first if it exists)."""
    import psycopg

    with psycopg.connect(POSTGRES_SERVER, dbname="postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {database}")


def analyse_postgres_database(database: str) -> None:
    """The planner's statistics after a bulk load, as autovacuum would take them soon after."""
    import psycopg

    with psycopg.connect(POSTGRES_SERVER, dbname=database, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


# --- serving and loading ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with 2 sync workers on a loopback port, for one phase (the
    site's, or with ``python`` and ``app`` another's: bench/peer_pages.py)."""

    def __init__(self, env, *, python=PYTHON, app="newsroom.wsgi", ready="/bench/trivial/"):
        self.port = free_port()
        self.process = subprocess.Popen(
            [python, "-m", "gunicorn", app, "-w", "2", "-b", f"127.0.0.1:{self.port}"]
            + ["--log-level", "warning", "--backlog", "256"],
            env=env,
            cwd=REPO,
        )
        for _ in range(150):
            try:
                self.get(ready)
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def get(self, path: str) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)


def load(port: int, path: str, *, seconds: float, connections: int) -> dict:
    """Requests/s and latency at a fixed number of open connections, for ``seconds``."""
    url = f"http://127.0.0.1:{port}{path}"
    if shutil.which("wrk"):
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", "30s", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        return {
            "rps": round(rps, 1),
            "p50_ms": round(float(p50.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)], 2),
            "errors": int(errors.group(1)) if errors else 0,
            "client": "wrk",
        }
    return _load_with_threads(port, path, seconds=seconds, connections=connections)


def _load_with_threads(port, path, *, seconds, connections) -> dict:
    deadline = time.perf_counter() + seconds
    timings, errors, lock = [], [0], threading.Lock()

    def client():
        mine, failed = [], 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                failed += response.status != 200
            finally:
                connection.close()
            mine.append(time.perf_counter() - started)
        with lock:
            timings.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings.sort()
    return {
        "rps": round(len(timings) / (time.perf_counter() - started), 1),
        "p50_ms": round(timings[len(timings) // 2] * 1000, 2),
        "errors": errors[0],
        "client": "python threads",
    }


def measure(phases: dict, urls: dict, *, rounds: int, seconds: float, connections: int) -> dict:
    """Every page on every phase's server, ``rounds`` times, each measurement
    right after one of the trivial view on the first phase's server (the
    uncached one): the machine's drift (other work on it) hits both sides of
    each ratio alike."""
    servers = {name: Server(env) for name, env in phases.items()}
    try:
        found = {}
        for name, server in servers.items():
            for page, path in urls.items():
                status, headers, body = server.get(path)
                if status != 200:
                    raise RuntimeError(f"{name}: {page} {path}: HTTP {status}")
                load(server.port, path, seconds=1, connections=connections)  # warm both workers
                found[name, page] = {"bytes": len(body), "cache": server.get(path)[1].get("X-Page-Cache", "-")}
        yardstick = next(iter(servers.values()))
        samples = {(name, page): [] for name in servers for page in urls}
        for round_ in range(1, rounds + 1):
            print(f"\n== round {round_} of {rounds}", flush=True)
            for page, path in urls.items():
                trivial = load(yardstick.port, urls["trivial"], seconds=seconds, connections=connections)["rps"]
                for name, server in servers.items():
                    result = load(server.port, path, seconds=seconds, connections=connections)
                    result["share"] = result["rps"] / trivial
                    samples[name, page].append(result)
                    print(f"   {page:<14} {name:<14} {result['rps']:>8.1f} req/s  {result['share']:>7.1%} "
                          f"of {trivial:.0f}  p50 {result['p50_ms']:>7.2f} ms", flush=True)  # fmt: skip
    finally:
        for server in servers.values():
            server.stop()
    results = {name: {} for name in servers}
    for (name, page), runs in samples.items():
        results[name][page] = {
            "rps": statistics.median(run["rps"] for run in runs),
            "share": statistics.median(run["share"] for run in runs),
            "p50_ms": statistics.median(run["p50_ms"] for run in runs),
            "errors": sum(run["errors"] for run in runs),
            "client": runs[0]["client"],
            "path": urls[page],
            "rounds": [round(run["rps"], 1) for run in runs],
            **found[name, page],
        }
    return results


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


# --- workers (run inside Django) --------------------------------------------------------


def worker_load(articles: int) -> None:
    import django

    django.setup()
    from django.apps import apps
    from django.utils import timezone

    from bench import corpus

    apps.get_app_config("haystack").signal_processor.teardown()  # the rebuild indexes them
    started = time.monotonic()
    corpus.load(corpus.generate(articles), published_at=timezone.now() - timezone.timedelta(days=1))
    print(f"   corpus: {articles} articles generated and stored in {time.monotonic() - started:.1f} s", flush=True)


def worker_urls() -> None:
    """The addresses measured: the busiest series, contributor and the seed's pages."""
    import django

    django.setup()
    from django.db.models import Count

    from articles.models import Article, Contributor, Series

    seed = Article.objects.exclude(source_document="").order_by("id").first()
    series = Series.objects.filter(parent__isnull=False).first() or seed.series
    special = series.parent or series
    busiest = Series.objects.annotate(n=Count("articles")).order_by("-n").first()
    prolific = Contributor.objects.annotate(n=Count("bylines")).order_by("-n").first()
    urls = {
        "trivial": "/bench/trivial/",
        "home": "/",
        "series": busiest.get_absolute_url(),
        "special issue": special.get_absolute_url(),
        "article": seed.get_absolute_url(),
        "contributor": prolific.get_absolute_url(),
        "search": "/search/?q=%E6%B1%9F%E9%97%A8",  # 江门
    }
    print(json.dumps(urls))


def worker_statements(urls: dict, out: Path) -> None:
    """The SQL each page runs (its second request: the first may warm caches),
    written to ``out`` for ``/bench/sql-only/<page>/`` (bench/urls_pages.py)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    recorded = {}
    for page, path in urls.items():
        client.get(path)
        statements = recorded[ceiling_name(page)] = []

        def record(execute, sql, params, many, context, statements=statements):
            statements.append((sql, list(params or ())))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            client.get(path)
    out.write_text(json.dumps(recorded, ensure_ascii=False))


def ceiling_name(page: str) -> str:
    return page.replace(" ", "-")


def worker_profile(urls: dict, rounds: int, out: Path) -> None:
    """Each page ``rounds`` times in this process, uncached, under pyinstrument,
    with its queries and their time; the call trees are written to ``out``."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler

    queries = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql))

    client = Client(SERVER_NAME="127.0.0.1")
    summary = {}
    for page, path in urls.items():
        client.get(path)  # warm: templates compiled, renditions known
        queries.clear()
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            client.get(path)
            one = time.perf_counter() - started
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        profiler.start()
        for _ in range(rounds):
            client.get(path)
        profiler.stop()
        slowest = max(queries, default=(0, ""))
        summary[page] = {
            "ms_per_request": round((time.perf_counter() - started) / rounds * 1000, 2),
            "ms_one_request": round(one * 1000, 2),
            "queries": len(queries),
            "sql_ms": round(sum(seconds for seconds, _ in queries) * 1000, 2),
            "slowest_query_ms": round(slowest[0] * 1000, 2),
            "slowest_query": slowest[1][:400],
        }
        name = page.replace(" ", "-")
        (out / f"profile-{name}.txt").write_text(profiler.output_text(unicode=True, show_all=False))
        (out / f"profile-{name}.html").write_text(profiler.output_html())
    print(json.dumps(summary, ensure_ascii=False))


# --- driver -----------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000, help="synthetic articles besides the seed")
    parser.add_argument("--seconds", type=float, default=4, help="measuring time per page, phase and round")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each page (the median is shown)")
    parser.add_argument("--connections", type=int, default=4, help="open connections (2 workers)")
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench" / "pages")
    parser.add_argument("--reuse", action="store_true", help="keep the database and index of the last run")
    parser.add_argument("--phases", nargs="*", default=["cached", "redis"], choices=["cached", "redis"])
    parser.add_argument(
        "--pages", nargs="+", choices=PAGES[1:], help="only these pages (and the trivial view), e.g. --pages article"
    )
    parser.add_argument("--profile", action="store_true", help="also profile each page, uncached, in-process")
    parser.add_argument(
        "--postgres", action="store_true", help="also serve the same site from PostgreSQL, uncached (127.0.0.1:5432)"
    )
    parser.add_argument("--worker", choices=["load", "urls", "statements", "profile"], help=argparse.SUPPRESS)
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "load":
        return worker_load(args.articles)
    if args.worker == "urls":
        return worker_urls()
    if args.worker == "statements":
        return worker_statements(json.loads(args.urls), args.workdir / STATEMENTS_FILE)
    if args.worker == "profile":
        return worker_profile(json.loads(args.urls), 50, args.workdir)

    workdir = args.workdir.resolve()
    print(f"== data: the seed + {args.articles} articles in {workdir}", flush=True)
    if not (args.reuse and (workdir / "newsroom.sqlite3").exists()):
        prepare(workdir, args.articles, search=True)
    env = environment(workdir)
    urls = json.loads(run([PYTHON, __file__, "--worker", "urls"], env, capture_output=True, text=True).stdout)
    if args.pages:
        urls = {page: path for page, path in urls.items() if page == "trivial" or page in args.pages}

    phases = {
        "uncached": environment(workdir, NEWSROOM_PAGE_CACHE="0"),
        "cached": environment(workdir, NEWSROOM_PAGE_CACHE="1"),
    }
    phases = {name: env for name, env in phases.items() if name == "uncached" or name in args.phases}
    if args.postgres:
        postgres = workdir / "postgres"
        if not (args.reuse and (postgres / "search_index").exists()):
            print(f"== the same on PostgreSQL ({POSTGRES_DATABASE})", flush=True)
            prepare_postgres(postgres, args.articles)
        phases["uncached, PostgreSQL"] = environment(postgres, NEWSROOM_PAGE_CACHE="0", DATABASE_URL=POSTGRES_URL)
    if "redis" in args.phases:
        if redis_answers():
            run(["redis-cli", "-n", "1", "flushdb"], env, capture_output=True)
            phases["cached, Redis"] = environment(workdir, NEWSROOM_PAGE_CACHE="1", CACHE_URL=REDIS_URL)
        else:
            print("   (Redis does not answer on 127.0.0.1:6379: no Redis phase)")
    results = measure(phases, urls, rounds=args.rounds, seconds=args.seconds, connections=args.connections)
    results.update(ceilings(workdir, urls, args))
    profile = None
    if args.profile:
        out = run(
            [PYTHON, __file__, "--worker", "profile", "--urls", json.dumps(urls), "--workdir", str(workdir)],
            environment(workdir, NEWSROOM_PAGE_CACHE="0"),
            capture_output=True,
            text=True,
        )
        profile = json.loads(out.stdout.strip().splitlines()[-1])

    if profile:
        print("\nuncached, in-process (ms per request, queries, SQL ms):")
        for page, figures in profile.items():
            print(f"   {page:<14} {figures['ms_per_request']:>7.2f} ms  {figures['queries']:>2} queries  "
                  f"{figures['sql_ms']:>7.2f} ms SQL (slowest {figures['slowest_query_ms']:.2f} ms)")  # fmt: skip
        print(f"   call trees: {workdir}/profile-*.txt")
    missed = table(results, args)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    saved = workdir.parent / f"pages-results-{stamp}.json"
    summary = {"articles": args.articles, "urls": urls, "phases": results, "profile": profile, "missed": missed}
    saved.write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    print(f"\nsaved: {saved}")


def ceilings(workdir: Path, urls: dict, args) -> dict:
    """Each page's SQL alone, replayed on the uncached set-up (SQLite): its "SQL only" phase."""
    pages = {page: path for page, path in urls.items() if page != "trivial"}
    uncached = environment(workdir, NEWSROOM_PAGE_CACHE="0")
    run([PYTHON, __file__, "--worker", "statements", "--urls", json.dumps(pages), "--workdir", str(workdir)], uncached)
    replayed = {page: f"/bench/sql-only/{ceiling_name(page)}/" for page in pages}
    print("\n== each page's ceiling: its SQL alone", flush=True)
    return measure(
        {"SQL only": uncached},
        {"trivial": urls["trivial"], **replayed},
        rounds=args.rounds,
        seconds=args.seconds,
        connections=args.connections,
    )


def table(results: dict, args) -> list[str]:
    """Print requests/s per page and phase with their shares of the trivial view; return the targets missed."""
    trivial = results["uncached"]["trivial"]
    print(f"\nrequests/s, and share of the trivial view measured just before (median of {args.rounds} rounds of "
          f"{args.seconds:g} s, {args.connections} connections, client: {trivial['client']}; "
          f"trivial view {trivial['rps']:.0f} req/s)")  # fmt: skip
    print(f"{'page':<14}" + "".join(f"{name:>24}" for name in results))
    missed = []
    for page in [page for page in PAGES if page in results["uncached"]]:  # all, or --pages
        cells = ""
        for name in results:
            figures = results[name][page]
            cells += f"{figures['rps']:>13.1f} ({figures['share']:>7.1%})"
            target = TARGETS.get((page, name))  # the targets are for the default set-up
            if target and figures["share"] < target:
                missed.append(f"{page} {name}: {figures['share']:.1%} < {target:.0%}")
        print(f"{page:<14}{cells}")
    for (page, name), target in TARGETS.items():
        ceiling = results.get("SQL only", {}).get(page)
        if name == "uncached" and ceiling and ceiling["share"] < target:
            print(f"out of reach on this database: {page} uncached ≥ {target:.0%}, "
                  f"its SQL alone serves {ceiling['share']:.1%}")  # fmt: skip
    if "uncached, PostgreSQL" in results and "article" in results["uncached"]:
        ratio = results["uncached, PostgreSQL"]["article"]["rps"] / results["uncached"]["article"]["rps"]
        print(f"article uncached, PostgreSQL against SQLite: {ratio:.0%} (target ≥ {POSTGRES_TARGET:.0%})")
        if ratio < POSTGRES_TARGET:
            missed.append(f"article uncached, PostgreSQL: {ratio:.0%} of SQLite < {POSTGRES_TARGET:.0%}")
    print("targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return missed


if __name__ == "__main__":
    main()
