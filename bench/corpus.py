"""A deterministic synthetic corpus of Chinese news articles, for the search
benchmark and the search quality test.

Words are drawn by frequency (a flattened Zipf curve) from the 40,000 most
frequent words of jieba's dictionary, so the text has hundreds of thousands
of distinct bigrams rather than the same sentences reshuffled. On top of
that every article carries a minority of topical items: each place name in
about 12% of articles, each policy term in about 10%, tricky contexts
(新江门, 侨乡村, 白鹤, 碉堡 …) in about 5%, Latin and digits (GDP, 5G, 2024年,
PM2.5 …) in about 6%. Bodies are 1,500-2,500 characters.

    from bench.corpus import generate
    documents = generate(1000)   # [{"title", "body", "authors", "series"}, …]
"""

import bisect
import itertools
import random
from functools import cache
from pathlib import Path

PLACES = [
    "江门", "新会", "台山", "开平", "鹤山", "恩平", "蓬江", "江海", "大泽镇", "四九镇", "侨乡村", "赤坎古镇",
    "小鸟天堂", "潭江", "银湖湾", "白沙街道", "沙坪街道", "共和镇", "址山镇", "川岛镇", "广海湾", "圭峰山", "古劳水乡",
]  # fmt: skip
POLICIES = [
    "百千万工程", "头号工程", "城乡区域协调发展", "高质量发展", "乡村振兴", "新质生产力", "营商环境", "制造业当家",
    "绿美广东", "典型村", "县域经济", "粤港澳大湾区", "双区驱动", "侨都赋能", "民营经济", "招商引资",
]  # fmt: skip
TRICKY = [
    "新江门", "侨乡村", "白鹤", "仙鹤", "鹤鸣", "碉楼", "开平碉楼", "碉堡", "侨乡文化", "华侨华人", "五邑侨乡",
    "江门市", "江门人", "新会陈皮", "台山大米", "鹤山红茶",
]  # fmt: skip
LATIN = ["GDP", "5G", "5G基站", "2024年", "2023年", "2025年", "AI", "iPhone", "CPI", "3.5", "PM2.5", "APP", "GDP增长", "4K"]  # fmt: skip  # noqa: E501
SURNAMES = "陈李黄张梁林吴刘何周邓谭区关余冯甄"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华健文辉"
SERIES = ["侨乡观察", "百千万工程在一线", "镇村新貌", "五邑经济", "民生热线", "侨都夜话", "头条新闻"]


@cache
def _vocabulary(top: int = 40_000):
    import jieba

    words = []
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as dictionary:
        for line in dictionary:
            word, frequency, _ = line.split(" ")
            if all("\u4e00" <= char <= "\u9fff" for char in word):
                words.append((int(frequency), word))
    words.sort(reverse=True)
    words = words[:top]
    weights = list(itertools.accumulate(frequency**0.85 for frequency, _ in words))
    return [word for _, word in words], weights


def _word(rng, vocabulary, weights):
    return vocabulary[bisect.bisect_left(weights, rng.random() * weights[-1])]


def _sentence(rng, vocabulary, weights, topical):
    words = []
    for _ in range(rng.randint(6, 18)):
        words.append(rng.choice(topical) if topical and rng.random() < 0.06 else _word(rng, vocabulary, weights))
    if rng.random() < 0.05:
        words.insert(rng.randrange(len(words)), str(rng.randint(1, 99999)))
    return "".join(words) + rng.choice("，，，。。；！？")


def generate(n: int, seed: int = 20240601) -> list[dict]:
    vocabulary, weights = _vocabulary()
    documents = []
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        topical = [p for p in PLACES if rng.random() < 0.12]
        topical += [p for p in POLICIES if rng.random() < 0.10]
        topical += [p for p in TRICKY if rng.random() < 0.05]
        topical += [p for p in LATIN if rng.random() < 0.06]
        target, paragraphs, length = rng.randint(1500, 2500), [], 0
        while length < target:
            paragraph = "".join(_sentence(rng, vocabulary, weights, topical) for _ in range(rng.randint(2, 6)))
            paragraphs.append(paragraph)
            length += len(paragraph)
        body, cut = [], 0
        for paragraph in paragraphs:
            body.append(paragraph[: target - cut])
            cut += len(paragraph)
            if cut >= target:
                break
        head = rng.choice(topical) if topical else ""
        title = head + "".join(_word(rng, vocabulary, weights) for _ in range(rng.randint(4, 9)))
        authors = list(
            dict.fromkeys(
                rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
                for _ in range(rng.randint(1, 2))
            )
        )
        documents.append({"title": title[:200], "body": body, "authors": authors, "series": rng.choice(SERIES)})
    return documents


def load(documents: list[dict], *, published_at) -> list[int]:
    """Write the documents as published articles (fast, bulk); returns their ids."""
    from django.utils.html import escape

    from articles.models import Article, Byline, Contributor, Series
    from articles.slugs import pinyin_slug

    series = {name: Series.objects.get_or_create(name=name)[0] for name in {d["series"] for d in documents}}
    names = {name for d in documents for name in d["authors"]}
    existing = {c.name for c in Contributor.objects.filter(name__in=names)}
    Contributor.objects.bulk_create(
        [Contributor(name=name, slug=f"{pinyin_slug(name)}-{i}") for i, name in enumerate(sorted(names - existing))]
    )
    people = {c.name: c for c in Contributor.objects.filter(name__in=names)}
    start = Article.objects.count()
    articles = Article.objects.bulk_create(
        [
            Article(
                title=d["title"],
                slug=f"bench-{start + i}",
                body="".join(f"<p>{escape(p)}</p>" for p in d["body"]),
                series=series[d["series"]],
                status=Article.Status.PUBLISHED,
                publish_at=published_at,
                first_published_at=published_at,
            )
            for i, d in enumerate(documents)
        ],
        batch_size=500,
    )
    Byline.objects.bulk_create(
        [
            Byline(article=article, contributor=people[name], role="记者", position=position)
            for article, d in zip(articles, documents, strict=True)
            for position, name in enumerate(d["authors"])
        ],
        batch_size=1000,
    )
    return [article.pk for article in articles]
