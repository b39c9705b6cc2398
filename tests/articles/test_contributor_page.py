"""A contributor's page: who they are, what they did, their articles by role;
and no page at all until they have public work."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Contributor, Series
from articles.views import ContributorDetailView
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CreditFactory,
    SeriesFactory,
    not_public_states,
)
from tests.pages import text, texts

pytestmark = pytest.mark.django_db

NOT_PUBLIC = not_public_states()


@pytest.fixture
def zhao():
    """赵可义: 记者 on two articles, 文 and 图 on one, 责任编辑 of one, 总策划 of a special issue."""
    zhao = ContributorFactory(name="赵可义", bio="江门日报记者。")
    for title in ("记者稿一", "记者稿二"):
        BylineFactory(article=ArticleFactory(title=title), contributor=zhao, role="记者")
    photo_story = ArticleFactory(title="图文稿")
    BylineFactory(article=photo_story, contributor=zhao, role="文")
    BylineFactory(article=photo_story, contributor=zhao, role="图")
    CreditFactory(article=ArticleFactory(title="编辑的稿"), contributor=zhao, role="责任编辑")
    special = SeriesFactory(name="奋进")
    ArticleFactory(series=SeriesFactory(name="百千万", parent=special))
    CreditFactory(series=special, contributor=zhao, role="总策划")
    ArticleFactory(title="别人的文章")
    return zhao


def test_contributor_page_summarises_roles_and_groups_articles_by_role(client, zhao):
    html = client.get(zhao.get_absolute_url()).content.decode()
    assert html.count("<h1") == 1 and "<h1>赵可义</h1>" in html
    assert text(html, "kicker") == "个人" and "江门日报记者。" in html
    assert text(html, "role-summary") == "记者 2 篇 · 图 1 篇 · 文 1 篇 · 责任编辑 1 篇 · 总策划 1 个专刊"
    assert texts(html, "role-group-title") == ["记者 2 篇", "图 1 篇", "文 1 篇", "责任编辑 1 篇"]
    groups = texts(html, "role-group")
    assert "记者稿二" in groups[0] and "记者稿一" in groups[0]
    assert "图文稿" in groups[1] and "图文稿" in groups[2]
    assert "编辑的稿" in groups[3]
    assert text(html, "series-credits") == "奋进 总策划"
    assert "别人的文章" not in html


def test_contributor_page_is_paginated_by_role_entry(client, zhao, monkeypatch):
    monkeypatch.setattr(ContributorDetailView, "paginate_by", 2)
    first = client.get(zhao.get_absolute_url()).content.decode()
    second = client.get(zhao.get_absolute_url() + "?page=2").content.decode()
    assert texts(first, "article-item-title") == ["记者稿二", "记者稿一"]
    assert texts(first, "role-group-title") == ["记者 2 篇"]
    assert texts(second, "role-group-title") == ["图 1 篇", "文 1 篇"]
    assert text(second, "role-summary") == text(first, "role-summary")  # the whole summary on every page
    assert client.get(zhao.get_absolute_url() + "?page=4").status_code == 404


def test_an_article_counts_once_for_a_role_a_byline_and_a_credit_both_give(client):
    """文 as a byline and as a credit of one article (and a byline without a
    role beside a credit of 作者): listed once, counted once, so the summary,
    the group and the pages agree."""
    wang = ContributorFactory(name="王芳")
    both = ArticleFactory(title="图文并茂")
    BylineFactory(article=both, contributor=wang, role="文")
    CreditFactory(article=both, contributor=wang, role="文")
    unnamed = ArticleFactory(title="未署角色")
    BylineFactory(article=unnamed, contributor=wang, role="")
    CreditFactory(article=unnamed, contributor=wang, role="作者")
    CreditFactory(article=ArticleFactory(title="只是职务"), contributor=wang, role="文")
    html = client.get(wang.get_absolute_url()).content.decode()
    assert text(html, "role-summary") == "文 2 篇 · 作者 1 篇"
    assert texts(html, "role-group-title") == ["文 2 篇", "作者 1 篇"]
    assert texts(html, "article-item-title") == ["只是职务", "图文并茂", "未署角色"]
    assert "pagination" not in html


@pytest.mark.parametrize("state", NOT_PUBLIC.values(), ids=NOT_PUBLIC.keys())
def test_work_that_is_not_public_is_not_listed_or_counted(client, zhao, state):
    hidden = ArticleFactory(title="不该公开的稿件", **state)
    BylineFactory(article=hidden, contributor=zhao, role="记者")
    CreditFactory(article=hidden, contributor=zhao, role="校对")
    html = client.get(zhao.get_absolute_url()).content.decode()
    assert "不该公开的稿件" not in html
    assert text(html, "role-summary").startswith("记者 2 篇 ·") and "校对" not in html


@pytest.mark.parametrize("state", NOT_PUBLIC.values(), ids=NOT_PUBLIC.keys())
def test_a_contributor_without_public_work_has_no_page(client, state):
    nobody = ContributorFactory(name="新记者", bio="未经审核的简介。")
    hidden = ArticleFactory(**state)
    BylineFactory(article=hidden, contributor=nobody)
    CreditFactory(article=hidden, contributor=nobody)
    empty = SeriesFactory(name="还没有文章的专题")
    ArticleFactory(series=empty, **state)
    CreditFactory(series=empty, contributor=nobody, role="总策划")
    response = client.get(nobody.get_absolute_url())
    assert response.status_code == 404
    assert "未经审核的简介" not in response.content.decode()
    BylineFactory(article=ArticleFactory(), contributor=nobody)
    assert client.get(nobody.get_absolute_url()).status_code == 200


def test_a_special_issue_credit_is_public_work_once_a_column_has_public_articles(client):
    fu = ContributorFactory(name="傅健")
    special = SeriesFactory(name="奋进")
    CreditFactory(series=special, contributor=fu, role="总策划")
    column = SeriesFactory(name="百千万", parent=special)
    draft = ArticleFactory(series=column, draft=True)
    assert client.get(fu.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.PUBLISHED, publish_at=timezone.now())
    html = client.get(fu.get_absolute_url()).content.decode()
    assert text(html, "role-summary") == "总策划 1 个专刊"
    assert 'class="role-group"' not in html


def test_the_real_seeds_credited_people_have_pages(client, real_seed):
    call_command("load_seeds", str(real_seed), verbosity=0)
    Series.objects.filter(name="百千万").update(parent=Series.objects.get(name="奋进"))
    html = client.get(Contributor.objects.get(name="赵可义").get_absolute_url()).content.decode()
    assert text(html, "role-summary") == "作者 1 篇 · 总策划 1 个专刊"
    paper = client.get(Contributor.objects.get(name="江门日报社").get_absolute_url()).content.decode()
    assert text(paper, "kicker") == "机构" and text(paper, "role-summary") == "出品 1 个专刊"
