"""RSS feeds: the latest articles, and the latest of each series.

RSS readers treat titles and descriptions as HTML. Every field here is plain
text, so it is HTML-escaped exactly once before the XML writer escapes it for
XML: a reader decodes the XML and shows ``<img onerror=…>`` in a title as
those characters, never as markup.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator

from .models import Article, Series
from .text import html_to_text

FEED_LENGTH = 30


class LatestArticlesFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-cn"

    def title(self):
        return escape(settings.NEWSROOM_SITE_NAME)

    def link(self):
        return "/"

    def description(self):
        return escape(f"{settings.NEWSROOM_SITE_NAME} 最新文章")

    def items(self):
        return self.articles()[:FEED_LENGTH]

    def articles(self):
        return Article.objects.published().for_lists()

    def item_title(self, article):
        return escape(article.title)

    def item_description(self, article):
        return escape(article.subtitle or Truncator(html_to_text(article.body)).chars(200))

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return escape(" ".join(str(byline) for byline in article.bylines.all())) or None

    def item_categories(self, article):
        return [escape(article.series.name)] if article.series else []


class SeriesFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Series, slug=slug)

    def title(self, series):
        return escape(f"{series.name} - {settings.NEWSROOM_SITE_NAME}")

    def link(self, series):
        return series.get_absolute_url()

    def description(self, series):
        return escape(series.intro or series.name)

    def items(self, series):
        return self.articles().filter(series=series)[:FEED_LENGTH]
