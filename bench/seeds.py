"""Seed parser speed on very long documents: one paragraph of N lines (the
lines of a paragraph are joined), and N paragraphs cut by page breaks (they
are re-joined into one). Both were quadratic; the parser must stay linear.

    .venv/bin/python bench/seeds.py
    .venv/bin/python bench/seeds.py --lines 50000 100000 400000 --rounds 3

Prints the best of ``--rounds`` parses (decoding included) for each size.
See docs/benchmarks.md for recorded results.
"""

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script: the apps importable (bench/ names none of them: tests/test_layout.py)

from articles.seeds.parser import parse_bytes  # noqa: E402  (pure Python: no Django needed)

SHAPES = {
    "one paragraph of N lines": lambda n: "这是很长的一段文字的一行\n" * n,
    "N paragraphs cut by page breaks": lambda n: "这是被分页切开的一段\n\n" * n,
}


def best_parse_seconds(data: bytes, rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        parse_bytes(data, "bench.txt")
        timings.append(time.perf_counter() - started)
    return min(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, nargs="+", default=[50_000, 100_000, 400_000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for shape, body in SHAPES.items():
        print(f"{shape}:")
        for n in args.lines:
            data = ("# 专题\n\n## 标题\n\n" + body(n) + "完。\n").encode()
            seconds = best_parse_seconds(data, args.rounds)
            print(f"   N = {n:>7,} ({len(data) / 1e6:.1f} MB): {seconds:.2f} s", flush=True)


if __name__ == "__main__":
    main()
