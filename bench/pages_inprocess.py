"""What each public page costs in-process, uncached: Django's test client,
no server and no profiler, the best and the median of 5 rounds of 20
requests, on the data ``bench/pages.py`` built (var/bench/pages/, the seed
and 10,000 articles; run that first).

    .venv/bin/python bench/pages_inprocess.py                    # this checkout's code
    git worktree add /tmp/base ad0c576
    .venv/bin/python bench/pages_inprocess.py --code /tmp/base   # another commit's code, the same data

The figures of record are bench/pages.py's, over HTTP; these say where a
change moved a page, and compare two commits on one machine in one sitting
(alternate them: this machine's speed drifts by a third within minutes).
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROUNDS, REQUESTS = 5, 20


def worker(urls: dict) -> None:
    """In the code under test (its checkout first on PYTHONPATH)."""
    if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
        sys.path.pop(0)  # bench/ itself: its scripts' names must not shadow the site's packages
    import django

    django.setup()
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    for page, path in urls.items():
        for _ in range(5):  # warm: statements compiled, templates loaded
            status = client.get(path).status_code
        if status != 200:
            raise RuntimeError(f"{page} {path}: HTTP {status}")
        rounds = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            for _ in range(REQUESTS):
                client.get(path)
            rounds.append((time.perf_counter() - started) / REQUESTS * 1000)
        best, median = round(min(rounds), 2), round(statistics.median(rounds), 2)
        print(json.dumps({"page": page, "best_ms": best, "median_ms": median}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose code serves the pages")
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench" / "pages")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(json.loads(args.worker))
    sys.path.insert(0, str(REPO))  # the driver's helpers: this checkout's, whichever code is measured
    from bench.pages import PYTHON, environment

    workdir, code = args.workdir.resolve(), args.code.resolve()
    if not (workdir / "newsroom.sqlite3").exists():
        sys.exit(f"no benchmark data in {workdir}: run bench/pages.py first")
    env = environment(workdir, NEWSROOM_PAGE_CACHE="0")
    urls = subprocess.run(
        [PYTHON, str(REPO / "bench" / "pages.py"), "--worker", "urls"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    ).stdout
    commit = subprocess.run(["git", "-C", str(code), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    print(f"== {code} ({commit.stdout.strip() or '?'}), {ROUNDS} rounds of {REQUESTS} requests a page, in-process")
    out = subprocess.run(
        [PYTHON, __file__, "--worker", urls],
        env={**env, "PYTHONPATH": str(code)},
        capture_output=True,
        text=True,
        check=True,
        cwd=code,
    ).stdout
    for line in out.splitlines():
        row = json.loads(line)
        print(f"   {row['page']:<14} best {row['best_ms']:>7.2f} ms   median {row['median_ms']:>7.2f} ms")


if __name__ == "__main__":
    main()
