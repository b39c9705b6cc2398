"""Public pages. Every list is built on ``Article.objects.published()`` and
hands the template everything it shows, so a page costs a fixed number of
queries however many articles, authors or credits it lists."""

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from .models import Article, Byline, Contributor, Credit, Series
from .previews import article_for_preview
from .richtext import render_body
from .workflow import can_preview


def public_articles():
    return Article.objects.published().for_lists()


class HomeView(ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return public_articles()

    def get_context_data(self, **kwargs):
        published = Article.objects.published()
        return super().get_context_data(
            series_list=Series.objects.annotate(article_count=Count("articles", filter=Q(articles__in=published))),
            **kwargs,
        )


class SeriesDetailView(ListView):
    """A series: its intro and credits, then its articles in the editors' order."""

    template_name = "articles/series_detail.html"
    context_object_name = "articles"
    paginate_by = 30

    def get_queryset(self):
        series = Series.objects.select_related("cover", "cover__credit").prefetch_related(
            Prefetch("credits", Credit.objects.select_related("contributor"))
        )
        self.series = get_object_or_404(series, slug=self.kwargs["slug"])
        return public_articles().filter(series=self.series).order_by("series_position", "publish_at", "id")

    def get_context_data(self, **kwargs):
        return super().get_context_data(series=self.series, **kwargs)


class ArticleDetailView(DetailView):
    """The article page. Staff who may see articles in the admin read any
    article here, marked 预览; everyone else only what ``published()`` allows."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        articles = Article.objects.all() if can_preview(self.request.user) else Article.objects.published()
        return _for_article_page(articles)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            is_preview=not self.object.is_live, body_html=render_body(self.object.body), **kwargs
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["is_preview"]:
            _keep_private(response)
        return response


class ArticlePreviewView(ArticleDetailView):
    """An article opened through a signed preview link (no account needed)."""

    def get_object(self, queryset=None):
        found = article_for_preview(self.kwargs["token"], self.get_queryset())
        if found is None:
            raise Http404("预览链接无效或已过期")
        article, self.link_expires_at = found
        return article

    def get_queryset(self):
        return _for_article_page(Article.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(is_preview=True, preview_link_expires_at=self.link_expires_at)
        return context


class ContributorDetailView(ListView):
    """A contributor's page: each of their public articles once, with the roles they held."""

    template_name = "articles/contributor_detail.html"
    context_object_name = "articles"
    paginate_by = 30

    def get_queryset(self):
        self.contributor = get_object_or_404(Contributor, slug=self.kwargs["slug"])
        mine = Q(pk__in=Byline.objects.filter(contributor=self.contributor).values("article"))
        mine |= Q(pk__in=Credit.objects.filter(contributor=self.contributor, article__isnull=False).values("article"))
        return (
            Article.objects.published()
            .filter(mine)
            .select_related("series")
            .prefetch_related(
                Prefetch("bylines", Byline.objects.filter(contributor=self.contributor), to_attr="their_bylines"),
                Prefetch("credits", Credit.objects.filter(contributor=self.contributor), to_attr="their_credits"),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(contributor=self.contributor, **kwargs)
        for article in context["articles"]:
            roles = [byline.role or "作者" for byline in article.their_bylines]
            roles += [credit.role for credit in article.their_credits]
            article.their_roles = list(dict.fromkeys(roles))
        context["series_credits"] = _roles_by_series(
            Credit.objects.filter(contributor=self.contributor, series__isnull=False).select_related("series")
        )
        return context


def _for_article_page(articles):
    """Everything the article page shows, in four queries (five with pictures in the text)."""
    return articles.for_lists().with_credits().prefetch_related("corrections")


def _roles_by_series(credits) -> list[tuple[Series, list[str]]]:
    grouped: dict[int, tuple[Series, list[str]]] = {}
    for credit in credits:
        grouped.setdefault(credit.series_id, (credit.series, []))[1].append(credit.role)
    return list(grouped.values())


def _keep_private(response) -> None:
    """Previews are for one reader: never cached on the way, never indexed."""
    add_never_cache_headers(response)
    response["Cache-Control"] += ", private"
    response["X-Robots-Tag"] = "noindex, nofollow"
