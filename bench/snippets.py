"""Search snippets on long articles: the snippet builder alone, and the search
page over real HTTP with three published articles of about 80,000 characters
each, for a query of common characters (every article matches thousands of
times).

    .venv/bin/python bench/snippets.py                 # both parts
    .venv/bin/python bench/snippets.py --no-http       # the snippet builder only

The HTTP part works in var/bench/snippets/ (recreated): its own SQLite
database and index, gunicorn with 2 workers, ``DJANGO_DEBUG=0``, the page
cache off. Results are printed and saved as JSON in var/bench/. See
docs/benchmarks.md for recorded results.
"""

import argparse
import json
import os
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

from bench.search_speed import PYTHON, environment, run, summary  # noqa: E402

QUERY = "的 力 发 工 展 程 江 门"
ARTICLE_LENGTH = 80_000
ARTICLES = 3


def long_bodies(count: int = ARTICLES, length: int = ARTICLE_LENGTH) -> list[list[str]]:
    """``count`` article bodies of about ``length`` characters, as paragraphs:
    the synthetic corpus's news text and the real seed's article (curly
    quotes, ……, full-width punctuation, 的 and 江门 every few characters)
    in turn, about half and half."""
    from articles.seeds.parser import parse_bytes
    from bench import corpus

    seed = parse_bytes((REPO / "seeds" / "000_c6905cedc614910f.txt").read_bytes(), "seed")
    seed_paragraphs = [block.text for _, article in seed.articles for block in article.blocks]
    documents = iter(corpus.generate(count * length // 1000))
    bodies = []
    for _ in range(count):
        body, size = [], 0
        while size < length:
            for paragraph in next(documents)["body"] + seed_paragraphs:
                body.append(paragraph[: length - size])
                size += len(body[-1])
                if size >= length:
                    break
        bodies.append(body)
    return bodies


def snippet_timings(rounds: int) -> dict:
    """``search.highlight.snippet`` on each long body as the search page calls it."""
    from articles.text import html_to_text
    from search.highlight import match_spans, snippet
    from search.query import parse

    terms = parse(QUERY).terms
    results = []
    for body in long_bodies():
        text = html_to_text("".join(f"<p>{paragraph}</p>" for paragraph in body))
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            snippet(text, terms)
            timings.append((time.perf_counter() - started) * 1000)
        results.append({"characters": len(text), "matches": len(match_spans(text, terms)), **summary(timings)})
    return {"query": QUERY, "articles": results}


# --- the search page over HTTP -------------------------------------------------------------


def http_timings(rounds: int, workdir: Path) -> dict:
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    env = environment("newsroom", workdir)
    run([PYTHON, "manage.py", "migrate", "-v0"], env)
    run([PYTHON, __file__, "--worker", "load"], env)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "newsroom.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,  # the access log, if gunicorn.conf.py asks for one
    )
    url = f"http://127.0.0.1:{port}/search/?" + urllib.parse.urlencode({"q": QUERY})

    def get() -> str:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode()

    try:
        for _ in range(100):
            try:
                page = get()
                break
            except OSError:
                time.sleep(0.2)
        if page.count('class="search-result"') != ARTICLES:
            raise RuntimeError("the search page does not show the three long articles")
        for _ in range(4):  # warm both workers
            get()
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            get()
            timings.append((time.perf_counter() - started) * 1000)
        return summary(timings)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)


def worker_load() -> None:
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.utils import timezone

    from bench import corpus

    apps.get_app_config("haystack").signal_processor.teardown()  # the rebuild indexes them
    documents = [
        {"title": f"长文第{i + 1}篇", "body": body, "authors": ["李明"], "series": "侨乡观察"}
        for i, body in enumerate(long_bodies())
    ]
    corpus.load(documents, published_at=timezone.now() - timezone.timedelta(days=1))
    call_command("rebuild_index", "--noinput", verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--no-http", action="store_true", help="time the snippet builder only")
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--worker", choices=["load"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "load":
        return worker_load()

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    results = {"snippet": snippet_timings(args.rounds)}
    print(f"snippet builder, query “{QUERY}” (ms):")
    for article in results["snippet"]["articles"]:
        print(
            f"   {article['characters']:,} characters, {article['matches']:,} matches: "
            f"p50 {article['p50_ms']} / p95 {article['p95_ms']} / max {article['max_ms']}"
        )
    if not args.no_http:
        results["http"] = http_timings(args.rounds, args.workdir / "snippets")
        http = results["http"]
        print(
            f"GET /search/?q={QUERY}, {ARTICLES} articles, gunicorn 2 workers (ms): "
            f"p50 {http['p50_ms']} / p95 {http['p95_ms']} / max {http['max_ms']} (n={http['n']})"
        )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    saved = args.workdir / f"snippets-{stamp}.json"
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"saved: {saved}")


if __name__ == "__main__":
    main()
