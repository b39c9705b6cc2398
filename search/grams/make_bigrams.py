"""Write search/grams/bigrams.txt: the bigrams the search index keeps.

The 60,000 bigrams that occur most (weighted by word frequency) inside the
words of jieba's dictionary, plus every bigram of newsroom_words.txt. Needs
jieba (in requirements-dev.txt). Run it after editing newsroom_words.txt,
then rebuild the search index: ``python manage.py rebuild_index``.

    .venv/bin/python search/grams/make_bigrams.py
"""

import collections
from pathlib import Path

import jieba

HERE = Path(__file__).resolve().parent
TOP = 60_000


def is_hanzi(text: str) -> bool:
    return all("\u4e00" <= char <= "\u9fff" for char in text)


def main() -> None:
    counts: collections.Counter = collections.Counter()
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as dictionary:
        for line in dictionary:
            word, frequency, _ = line.split(" ")
            if len(word) >= 2 and is_hanzi(word):
                for i in range(len(word) - 1):
                    counts[word[i : i + 2]] += int(frequency)
    bigrams = {bigram for bigram, _ in counts.most_common(TOP)}
    for line in (HERE / "newsroom_words.txt").read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if word and not word.startswith("#"):
            bigrams.update(word[i : i + 2] for i in range(len(word) - 1))
    (HERE / "bigrams.txt").write_text("\n".join(sorted(bigrams)) + "\n", encoding="utf-8")
    print(f"{len(bigrams)} bigrams written to {HERE / 'bigrams.txt'}")


if __name__ == "__main__":
    main()
