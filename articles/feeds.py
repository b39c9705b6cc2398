"""RSS 2.0 and Atom feeds: the latest articles of the site, of a series, and of
a special issue (its own articles and its columns'), with the full text.

Escaping, once and only once. RSS readers treat titles, descriptions,
categories and creators as HTML, so every plain-text field is HTML-escaped
exactly once before the XML writer escapes it for XML: a reader decodes the
XML and shows ``<img onerror=…>`` in a title as those characters, never as
markup. Atom says what each element holds: titles, names and category terms
are text (``type="text"``, not escaped), ``<summary type="html">`` is the
escaped abstract. The full text (RSS ``content:encoded``, Atom
``<content type="html">``) is the cleaned body, with absolute links and plain
``<img>`` renditions (``render_bodies_for_feed``).

A feed costs a fixed number of queries: the articles with their series,
special issue and cover, their bylines, and the pictures of all their texts.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, rfc3339_date
from django.utils.html import escape, format_html

from images.renditions import img_html

from .models import Article, Series
from .richtext import render_bodies_for_feed
from .share import article_dates, authors, series_chain

FEED_LENGTH = 30
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"


class NewsroomRss(Rss201rev2Feed):
    """RSS 2.0 with every author (``dc:creator``), the full text
    (``content:encoded``) and when each item last changed (``dcterms:modified``)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS, "xmlns:dcterms": DCTERMS_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        if item["updateddate"] is not None:
            handler.addQuickElement("dcterms:modified", rfc3339_date(item["updateddate"]))
        handler.addQuickElement("content:encoded", item["content"])


class NewsroomAtom(Atom1Feed):
    """Atom with every author (name and page) and the full text (``<content type="html">``)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        handler.addQuickElement("content", item["content"], {"type": "html"})


@dataclass
class Channel:
    """What one feed request is about: the whole site, or a series (``None``
    for the site). Carries the request, for absolute URLs in the full text;
    the feed object itself is shared by every request."""

    request: HttpRequest
    series: Series | None = None


class LatestArticlesFeed(Feed):
    """/feeds/latest/: the latest articles of the whole site, RSS 2.0."""

    feed_type = NewsroomRss
    language = "zh-cn"

    def text(self, value: str) -> str:
        """A plain-text field as this format's readers take it: RSS readers read it as HTML."""
        return escape(value)

    def get_object(self, request, *args, **kwargs):
        return Channel(request)

    def title(self, channel):
        return self.text(settings.NEWSROOM_SITE_NAME)

    def link(self, channel):
        return reverse("articles:home")

    def description(self, channel):
        return self.text(f"{settings.NEWSROOM_SITE_NAME} 最新文章")

    def subtitle(self, channel):  # Atom's name for the description
        return self.description(channel)

    def author_name(self, channel):  # Atom: the feed's author stands in for an article without byline
        return self.text(settings.NEWSROOM_PUBLISHER_NAME)

    def articles(self, channel):
        return Article.objects.public_list()

    def items(self, channel):
        # Everything that needs the request (absolute URLs) or one query for
        # all (the pictures of the texts) is done here, kept on each article.
        articles = list(self.articles(channel)[:FEED_LENGTH])
        absolute = channel.request.build_absolute_uri
        bodies = render_bodies_for_feed([(a.body, a.get_absolute_url()) for a in articles], absolute=absolute)
        for article, body in zip(articles, bodies, strict=True):
            article.feed_content = _cover_html(article, absolute) + body
            article.feed_authors = [(self.text(c.name), absolute(c.get_absolute_url())) for c in authors(article)]
        return articles

    def item_title(self, article):
        return self.text(article.title)

    def item_description(self, article):
        # The abstract is plain text, and both RSS and Atom (<summary type="html">) take HTML here.
        return escape(article.abstract)

    def item_pubdate(self, article):
        return article_dates(article)[0]

    def item_updateddate(self, article):
        return article_dates(article)[1]

    def item_categories(self, article):
        return [self.text(series.name) for series in series_chain(article.series)]

    def item_extra_kwargs(self, article):
        return {"content": article.feed_content, "authors": article.feed_authors}


class AtomFeed:
    """Makes a feed below Atom: its titles, names and category terms are text
    constructs, which the XML writer's escaping is all they take."""

    feed_type = NewsroomAtom

    def text(self, value: str) -> str:
        return value


class LatestArticlesAtomFeed(AtomFeed, LatestArticlesFeed):
    """/feeds/latest/atom/: the same, Atom."""


class SeriesFeed(LatestArticlesFeed):
    """/series/<slug>/feed/: a series' latest articles; for a special issue,
    its columns' articles too. RSS 2.0."""

    def get_object(self, request, slug):
        return Channel(request, get_object_or_404(Series, slug=slug))

    def title(self, channel):
        return self.text(f"{channel.series.name} - {settings.NEWSROOM_SITE_NAME}")

    def link(self, channel):
        return channel.series.get_absolute_url()

    def description(self, channel):
        return self.text(channel.series.intro or channel.series.name)

    def articles(self, channel):
        series = channel.series
        return super().articles(channel).filter(Q(series=series) | Q(series__parent=series))


class SeriesAtomFeed(AtomFeed, SeriesFeed):
    """/series/<slug>/feed/atom/: the same, Atom."""


def _cover_html(article: Article, absolute) -> str:
    """The cover picture above the text, as the article page shows it."""
    picture = img_html(article.cover, absolute=absolute) if article.cover else ""
    if not picture:
        return ""
    caption = article.cover.caption
    return format_html(
        "<figure>{}{}</figure>", picture, format_html("<figcaption>{}</figcaption>", caption) if caption else ""
    )
