"""Load the corpus bench/peer_pages.py wrote (JSON: title, body paragraphs,
authors, series) into the Wagtail peer: a home page at the site's root, a
series page per series, the articles under them, live, all published at the
same moment as Newsroom's copy.

    PEER_DATA_DIR=… DJANGO_SETTINGS_MODULE=bench.peer_wagtail.settings python -m bench.peer_wagtail.load corpus.json
"""

import json
import sys
from datetime import datetime

import django


def main(path: str) -> None:
    django.setup()
    from django.db import transaction
    from django.utils.html import escape
    from wagtail.models import Page, Site

    from bench.peer_wagtail.news.models import ArticlePage, Author, HomePage, SeriesPage

    corpus = json.loads(open(path, encoding="utf-8").read())
    published = datetime.fromisoformat(corpus["published_at"])
    with transaction.atomic():
        for page in Page.get_first_root_node().get_children():  # Wagtail's welcome page
            page.delete()
        home = Page.get_first_root_node().add_child(instance=HomePage(title="首页", slug="home"))
        Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "127.0.0.1"})
        names = sorted({name for document in corpus["documents"] for name in document["authors"]})
        authors = {a.name: a for a in Author.objects.bulk_create([Author(name=name) for name in names])}
        series = {}
        for i, name in enumerate(sorted({document["series"] for document in corpus["documents"]})):
            series[name] = home.add_child(instance=SeriesPage(title=name, slug=f"series-{i}"))
        for i, document in enumerate(corpus["documents"]):
            article = ArticlePage(
                title=document["title"],
                slug=f"bench-{i}",
                date=published,
                first_published_at=published,
                body="".join(f"<p>{escape(p)}</p>" for p in document["body"]),
            )
            article.authors = [authors[name] for name in document["authors"]]
            series[document["series"]].add_child(instance=article)
    print(f"{len(corpus['documents'])} articles in {len(series)} series")


if __name__ == "__main__":
    main(sys.argv[1])
