from django.contrib.sitemaps import Sitemap

from .models import Article, Series


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Article.objects.published().order_by("-publish_at", "-id").only("slug", "updated_at")

    def lastmod(self, article):
        return article.updated_at


class SeriesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Series.objects.filter(articles__in=Article.objects.published()).distinct().order_by("slug")


SITEMAPS = {"articles": ArticleSitemap, "series": SeriesSitemap}
