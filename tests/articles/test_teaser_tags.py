"""{% teasers %} prints what the article list template printed before it, and
costs nothing the page did not already read."""

import re

import pytest
from django.template import engines

from articles.models import Article
from articles.views.furniture import attach_bylines
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, ImageFactory, SeriesFactory, hours_ago

pytestmark = pytest.mark.django_db

# includes/article_list.html as it was before the tag (commit 9428639).
THE_TEMPLATE = """{% load byline_tags images_tags time_tags %}
<ul class="article-list">
  {% for article in articles %}
  <li class="article-item{% if article.cover %} has-picture{% endif %}">
    {% if article.cover %}<a class="article-item-picture" href="{{ article.get_absolute_url }}" tabindex="-1" aria-hidden="true">{% picture article.cover sizes="(max-width: 600px) 30vw, 180px" lazy=True %}</a>{% endif %}
    {% if article.kicker %}<p class="article-item-kicker">{{ article.kicker }}</p>{% endif %}
    <a class="article-item-title" href="{{ article.get_absolute_url }}">{{ article.title }}</a>
    {% with abstract=article.abstract %}{% if abstract %}<p class="article-item-summary">{{ abstract }}</p>{% endif %}{% endwith %}
    <p class="article-item-meta">
      {% if show_series and article.series %}<a class="series-link" href="{{ article.series.get_absolute_url }}">{{ article.series.name }}</a>{% endif %}
      {% byline article.bylines.all %}
      {% time_tag article.publish_at "Y年n月j日" %}
    </p>
  </li>
  {% empty %}
  <li class="empty">还没有文章。</li>
  {% endfor %}
</ul>"""  # noqa: E501 - the template as it was


def render(source: str, **context) -> str:
    html = engines["django"].from_string(source).render(context)
    return re.sub(r"\s*\n\s*", "", html).strip()  # the template's line breaks and indents are not the markup


def teasers():
    """Articles as the list pages load them (ArticleQuerySet.for_teasers()), with every part a teaser may show."""
    special = SeriesFactory(name="奋进")
    column = SeriesFactory(name="百千万 & <工程>", parent=special)
    full = ArticleFactory(
        title="“百千万工程”<新>进展 & 成效",
        kicker="奋进·百千万",
        summary="编辑写的摘要：<b>不是标签</b> & “引号”。",
        series=column,
        cover=ImageFactory(),
        publish_at=hours_ago(1),
    )
    BylineFactory(article=full, contributor=ContributorFactory(name="赵可义"), role="文", position=0)
    BylineFactory(article=full, contributor=ContributorFactory(name="李华"), role="图", position=1)
    BylineFactory(article=full, contributor=ContributorFactory(name="王<芳>"), role="记者", position=2)
    ArticleFactory(title="只有标题", summary="", body="", publish_at=hours_ago(2))
    opening = "<p>第一段。</p><p>第二段&amp;更多。</p>"
    ArticleFactory(title="正文开头", summary="", body=opening, publish_at=hours_ago(3))
    return attach_bylines(list(Article.objects.for_teasers().prefetch_related(None).order_by("-publish_at")))


@pytest.mark.parametrize("show_series", [True, False])
def test_the_tag_prints_what_the_template_printed(media, show_series):
    articles = teasers()
    by_template = render(THE_TEMPLATE, articles=articles, show_series=show_series)
    by_tag = render("{% load teaser_tags %}{% teasers articles show_series=show_series %}", **locals())
    assert by_tag == by_template
    assert by_tag.count('<li class="article-item') == 3 and "<picture>" in by_tag and "&lt;新&gt;" in by_tag
    assert ('class="series-link"' in by_tag) is show_series


def test_an_empty_list_says_so_as_the_template_did():
    assert render("{% load teaser_tags %}{% teasers articles %}", articles=[]) == render(THE_TEMPLATE, articles=[])
    assert "还没有文章。" in render("{% load teaser_tags %}{% teasers articles %}", articles=[])


def test_the_tag_reads_nothing_more(media, django_assert_num_queries):
    articles = teasers()
    with django_assert_num_queries(0):
        html = render("{% load teaser_tags %}{% teasers articles show_series=True %}", articles=articles)
    assert "赵可义" in html and "奋进·百千万" in html
