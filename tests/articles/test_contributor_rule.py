"""Reporters may add contributors for their bylines, but a bio is published
text: only editors write one, and no contributor's page exists before they
have public work (issue 10: a reporter could publish a bio with no review)."""

import pytest

from articles.models import Contributor
from tests.factories import ArticleFactory, BylineFactory, CreditFactory, SeriesFactory, not_public_states

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/contributor/add/"


def add(client, name, bio):
    return client.post(ADD, {"name": name, "slug": "", "kind": "person", "bio": bio})


def test_a_reporter_adds_a_contributor_without_a_bio_field(staff, client_for):
    reporter = client_for(staff.reporter)
    form = reporter.get(ADD)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="name"' in html and 'name="bio"' not in html
    response = add(reporter, "王小明", "未经审核的简介，含推广链接。")
    assert response.status_code == 302
    contributor = Contributor.objects.get(name="王小明")
    assert contributor.bio == ""  # what a reporter posts as a bio is not stored


def test_a_reporter_cannot_change_a_bio(staff, client_for):
    contributor = Contributor.objects.create(name="王小明", slug="wang-xiao-ming", bio="编辑写的简介。")
    reporter = client_for(staff.reporter)
    url = f"/admin/articles/contributor/{contributor.pk}/change/"
    page = reporter.get(url)
    assert page.status_code == 200 and 'name="bio"' not in page.content.decode()  # view only
    reporter.post(url, {"name": "王小明", "slug": "wang-xiao-ming", "kind": "person", "bio": "改过的简介"})
    contributor.refresh_from_db()
    assert contributor.bio == "编辑写的简介。"


def test_an_editor_writes_the_bio(staff, client_for):
    editor = client_for(staff.editor)
    assert 'name="bio"' in editor.get(ADD).content.decode()
    assert add(editor, "王小明", "江门日报记者。").status_code == 302
    assert Contributor.objects.get(name="王小明").bio == "江门日报记者。"


def test_a_bio_alone_publishes_nothing(client, staff, client_for):
    add(client_for(staff.editor), "王小明", "江门日报记者。")
    contributor = Contributor.objects.get(name="王小明")
    page = contributor.get_absolute_url()
    assert client.get(page).status_code == 404
    assert page not in client.get("/sitemap-contributors.xml").content.decode()
    for state in not_public_states().values():
        BylineFactory(article=ArticleFactory(**state), contributor=contributor)
    CreditFactory(series=SeriesFactory(name="空专题"), contributor=contributor, role="总策划")
    assert client.get(page).status_code == 404
    assert page not in client.get("/sitemap-contributors.xml").content.decode()
    # Public work: the page and its sitemap entry appear, bio included.
    BylineFactory(article=ArticleFactory(title="见报稿"), contributor=contributor)
    response = client.get(page)
    assert response.status_code == 200 and "江门日报记者。" in response.content.decode()
    assert page in client.get("/sitemap-contributors.xml").content.decode()


@pytest.mark.parametrize("via", ["series credit", "article credit"])
def test_a_credit_on_public_work_makes_the_page_public(client, via):
    contributor = Contributor.objects.create(name="张永源", slug="zhang-yong-yuan")
    assert client.get(contributor.get_absolute_url()).status_code == 404
    series = SeriesFactory(name="奋进")
    article = ArticleFactory(series=series)
    if via == "series credit":
        CreditFactory(series=series, contributor=contributor, role="出品人")
    else:
        CreditFactory(article=article, contributor=contributor, role="责任编辑")
    assert client.get(contributor.get_absolute_url()).status_code == 200
