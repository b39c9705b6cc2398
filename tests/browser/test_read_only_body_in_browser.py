"""The read-only article page, as a reviewer at another stage sees it in a real browser:
小标题 as headings, lists with their bullets, bold kept (the admin's form styles
would otherwise make an <h2> a blue bar and push a list 160 px aside, bullets gone)."""

import pytest

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BODY = (
    "<h2>一、侨乡新貌</h2><p>鹤山市把<strong>百千万工程</strong>作为头号工程。</p>"
    "<ul><li>村道硬化</li><li>污水处理</li></ul>"
)


def style(page, selector, *properties):
    return page.eval_on_selector(
        selector, f"e => {{ const s = getComputedStyle(e); return {list(properties)}.map(p => s[p]); }}"
    )


def test_the_body_reads_as_printed_for_a_reviewer_who_may_not_edit(live_server, login):
    UserFactory(username="chief", first_name="张总编", roles=["总编辑"])
    article = ArticleFactory(status=Article.Status.SECOND_REVIEW, publish_at=None, body=BODY)
    page = login("chief")  # at 复审 the editor-in-chief reads; the desk head edits
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    body = ".readonly .article-body"
    assert page.locator(f"{body} h2").inner_text() == "一、侨乡新貌"
    background, weight, size = style(page, f"{body} h2", "backgroundColor", "fontWeight", "fontSize")
    assert background == "rgba(0, 0, 0, 0)" and int(weight) >= 700
    paragraph_size = style(page, f"{body} p", "fontSize")[0]
    assert float(size.removesuffix("px")) > float(paragraph_size.removesuffix("px"))
    assert style(page, f"{body} li", "listStyleType") == ["disc"]
    indent = page.locator(f"{body} li").first.bounding_box()["x"] - page.locator(f"{body} h2").bounding_box()["x"]
    assert 0 < indent < 60
    assert int(style(page, f"{body} strong", "fontWeight")[0]) >= 700
