"""敏感词 and 错别字 check: building the matcher and checking one article.

    .venv/bin/python bench/proofing_speed.py                 # 10,000 words, a 5,000-character article
    .venv/bin/python bench/proofing_speed.py --words 50000 --chars 20000

Word lists come from jieba's dictionary (Chinese words of two characters or
more), in two shapes: ``sample``, words drawn at random (what a sensitive
word list looks like: specific terms, most of them rare in news text), and
``frequent``, the most frequent words (the worst case: hundreds of hits per
article). Half of each list is 禁用, half 提示, and a tenth is entered as
错别字 with a correction. The article is synthetic news text
(bench/corpus.py) as HTML paragraphs, cut to ``--chars`` characters of text,
with a title, subtitle and summary.

"build" is ``Matcher(entries)`` (proofing/matching.py); "check" is what the
article page and the live check do per article after the matcher is cached:
the body's HTML to text, the automaton over every field, the hits with their
context, sorted (``Matcher.check(article_fields(...))``). Not measured: the
list stamp (two aggregate queries, proofing/services.py) and reading the
lists from the database when they changed. Figures go in docs/benchmarks.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script: the apps importable (bench/ names none of them: tests/test_layout.py)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from bench.corpus import generate  # noqa: E402
from proofing.matching import BLOCK, MISTAKE, SENSITIVE, WARN, Entry, Matcher  # noqa: E402
from proofing.services import article_fields  # noqa: E402


def jieba_words() -> list[tuple[int, str]]:
    import jieba

    words = []
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as dictionary:
        for line in dictionary:
            word, frequency, _ = line.split(" ")
            if len(word) >= 2 and all("\u4e00" <= char <= "\u9fff" for char in word):
                words.append((int(frequency), word))
    return words


def entries_for(words: list[str]) -> list[Entry]:
    entries = []
    for i, word in enumerate(words):
        if i % 10 == 0:
            entries.append(Entry(word, MISTAKE, WARN, "错别字", suggestion=word[::-1]))
        else:
            entries.append(Entry(word, SENSITIVE, BLOCK if i % 2 else WARN, "其他", note="基准测试"))
    return entries


def article(chars: int) -> dict:
    paragraphs, length = [], 0
    for document in generate(chars // 1500 + 2, seed=7):
        for paragraph in document["body"]:
            take = paragraph[: chars - length]
            paragraphs.append(f"<p>{take}</p>")
            length += len(take)
            if length >= chars:
                return {
                    "title": document["title"],
                    "subtitle": "副题" + document["title"][:20],
                    "summary": paragraphs[0][3:80],
                    "body": "".join(paragraphs),
                    "names": document["authors"],
                }
    raise RuntimeError("corpus too short")


def timed(function, rounds: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each round (CPU time is what a
    shared, busy machine does not inflate)."""
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def figures(times: tuple[list[float], list[float]]) -> str:
    parts = []
    for name, values in zip(("wall", "cpu"), times, strict=True):
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        parts.append(f"{name} median {statistics.median(values):7.2f} ms  p95 {p95:7.2f} ms")
    return "   ".join(parts) + f"   (n={len(times[0])})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=10_000, help="words in the lists (default 10,000)")
    parser.add_argument("--chars", type=int, default=5_000, help="characters of body text (default 5,000)")
    parser.add_argument("--build-rounds", type=int, default=20)
    parser.add_argument("--check-rounds", type=int, default=500)
    options = parser.parse_args()

    dictionary = jieba_words()
    texts = article(options.chars)
    fields = article_fields(**texts)
    body_chars = len(next(field.text for field in fields if field.name == "body"))
    print(f"article: {body_chars} characters of body text, {sum(len(f.text) for f in fields)} in all fields")
    lists = {
        "sample": [word for _, word in random.Random(1).sample(dictionary, options.words)],
        "frequent": [word for _, word in sorted(dictionary, reverse=True)[: options.words]],
    }
    for name, words in lists.items():
        entries = entries_for(words)
        matcher = Matcher(entries)
        report = matcher.check(fields)
        print(f"\n{name}: {len(entries)} words, {len(report.hits)} hits ({len(report.blocking)} 禁用)")
        print(f"  build  {figures(timed(lambda entries=entries: Matcher(entries), options.build_rounds))}")
        check = timed(lambda matcher=matcher: matcher.check(article_fields(**texts)), options.check_rounds)
        print(f"  check  {figures(check)}")


if __name__ == "__main__":
    main()
