"""Hostile markup through every save path, checked on every render surface.

An attacker is a reporter (or a seed document): whatever they put into a
body, a title, a series intro, a correction or a name, no reader, editor or
feed reader ever gets live markup from it, while ordinary newspaper markup
comes through byte for byte.
"""

import xml.etree.ElementTree as ET

import pytest
import reversion
from django.core.management import call_command
from reversion.models import Version

from articles import services
from articles.models import Article, Byline, Contributor, Series, Transition
from articles.richtext import clean_body
from tests.factories import ArticleFactory, preview_url
from tests.forms import article_form
from tests.xss import MARKER, ORDINARY, VECTORS, live_markup

pytestmark = pytest.mark.django_db

HOSTILE_BODY = "\n".join(VECTORS)
ORDINARY_BODY = "\n".join(ORDINARY)
HOSTILE_TEXT = "<img src=x onerror=alert('XSS')>“标题”<script>alert('XSS')</script>"
# The pages' own search form, and the admin's own scripts, stylesheets and
# forms: checked for the marker only (hostile forms carry it in their action).
PUBLIC_TAGS = {"form"}
ADMIN_TAGS = {"script", "form", "style", "svg"}


def assert_clean_html(html: str, allow_tags=PUBLIC_TAGS):
    assert live_markup(html, allow_tags) == [], live_markup(html, allow_tags)[:5]


def stored_body_is_clean(article: Article):
    article.refresh_from_db()
    assert live_markup(article.body) == []
    assert ORDINARY_BODY in article.body  # newspaper markup kept byte for byte
    return article


# --- save paths --------------------------------------------------------------------


def test_admin_add_cleans_the_body_and_tells_the_editor(staff, client_for):
    response = client_for(staff.reporter).post(
        "/admin/articles/article/add/",
        article_form(title="侨乡新貌", body=HOSTILE_BODY + ORDINARY_BODY),
        follow=True,
    )
    assert response.status_code == 200
    stored_body_is_clean(Article.objects.get())
    messages = [str(m) for m in response.context["messages"]]
    assert any("不允许的内容" in m and "<script>" in m for m in messages), messages


def test_admin_change_cleans_the_body(staff, client_for):
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    response = client_for(staff.reporter).post(
        f"/admin/articles/article/{article.pk}/change/", article_form(article, body=ORDINARY_BODY + HOSTILE_BODY)
    )
    assert response.status_code == 302
    stored_body_is_clean(article)


def test_bulk_action_cleans_a_body_written_around_the_services(staff, client_for):
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    Article.objects.filter(pk=article.pk).update(body=HOSTILE_BODY + ORDINARY_BODY)  # an old, dirty row
    client_for(staff.reporter).post(
        "/admin/articles/article/", {"action": "submit_selected", "_selected_action": [article.pk]}
    )
    assert stored_body_is_clean(article).status == Article.Status.FIRST_REVIEW


def test_restoring_a_dirty_revision_stores_it_clean(staff, client_for):
    article = ArticleFactory(draft=True, created_by=staff.reporter)
    with reversion.create_revision():  # a revision kept from before cleaning existed
        article.body = HOSTILE_BODY + ORDINARY_BODY
        article.save()
    dirty = Version.objects.get_for_object(article).first()
    Article.objects.filter(pk=article.pk).update(body="<p>后来的版本。</p>")
    seen = Article.objects.get(pk=article.pk).version  # the version shown on the confirmation page
    client_for(staff.reporter).post(
        f"/admin/articles/article/{article.pk}/revisions/{dirty.pk}/restore/", {"loaded_version": seen}
    )
    stored_body_is_clean(article)


def test_seed_documents_carry_text_never_markup(write_seed):
    seed = write_seed(f"# 百千万\n\n## 标题{HOSTILE_TEXT}\n\n正文{VECTORS[0]}{VECTORS[6]}。\n\n（记者 李明）\n")
    call_command("load_seeds", str(seed), verbosity=0)
    article = Article.objects.get()
    assert live_markup(article.body) == []
    assert "&lt;script&gt;alert('XSS')&lt;/script&gt;" in article.body  # shown as the text it was


def test_the_data_migration_cleans_rows_that_exist():
    from importlib import import_module

    from django.apps import apps

    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(body=HOSTILE_BODY + ORDINARY_BODY)
    import_module("articles.migrations.0004_clean_bodies").clean_existing_bodies(apps, None)
    article.refresh_from_db()
    assert live_markup(article.body) == []
    # Frozen rules of that day (rel on every link); today's cleaning on the next save settles it.
    assert ORDINARY_BODY in clean_body(article.body)


# --- render surfaces ----------------------------------------------------------------


def no_rows(*prefixes):
    return {f"{prefix}-{kind}_FORMS": 0 for prefix in prefixes for kind in ("TOTAL", "INITIAL")}


@pytest.fixture
def hostile(staff, client_for):
    """A published article whose every field was written by an attacker, and a draft;
    the series (its intro) and the author (the name) made in the admin."""
    editor = client_for(staff.editor)
    made = editor.post(
        "/admin/articles/series/add/",
        {"name": "百千万" + MARKER, "slug": "", "intro": HOSTILE_TEXT, "cover": "", **no_rows("credits", "articles")},
    )
    assert made.status_code == 302
    made = editor.post(
        "/admin/articles/contributor/add/",
        {"name": "<svg onload=alert('XSS')>", "slug": "", "kind": "person", "bio": HOSTILE_TEXT},
    )
    assert made.status_code == 302
    series, name = Series.objects.get(), Contributor.objects.get()
    published = Article(title=HOSTILE_TEXT, subtitle=HOSTILE_TEXT, series=series, body=HOSTILE_BODY + ORDINARY_BODY)
    services.article_save(article=published, by=staff.reporter)
    Byline.objects.create(article=published, contributor=name, role="记者")
    for action, by in [
        (Transition.Action.SUBMIT, staff.reporter),
        (Transition.Action.PASS_FIRST, staff.editor),
        (Transition.Action.PASS_SECOND, staff.desk_head),
        (Transition.Action.PUBLISH, staff.chief),
    ]:
        published = services.article_transition(article=published, by=by, action=action)
    services.article_add_correction(article=published, by=staff.chief, text=HOSTILE_TEXT)
    draft = Article(title="草稿" + HOSTILE_TEXT, series=series, body=HOSTILE_BODY + ORDINARY_BODY)
    services.article_save(article=draft, by=staff.reporter)
    # Two revisions of the draft to compare: the second adds more hostile text.
    draft.body += HOSTILE_BODY
    services.article_save(article=draft, by=staff.reporter)
    return {"published": Article.objects.get(pk=published.pk), "draft": draft, "series": series, "name": name}


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.mark.parametrize(
    "surface",
    ["article", "home", "series", "contributor", "contributor-second-page", "sitemap", "sitemap-sections", "news"],
)
def test_public_pages(client, hostile, surface):
    urls = {
        "article": hostile["published"].get_absolute_url(),
        "home": "/",
        "series": hostile["series"].get_absolute_url(),
        "contributor": hostile["name"].get_absolute_url(),
        "contributor-second-page": hostile["name"].get_absolute_url() + "?page=1",
        "sitemap": "/sitemap.xml",
        "sitemap-sections": "/sitemap-articles.xml",
        "news": "/sitemap-news.xml",
    }
    html = page(client, urls[surface])
    assert_clean_html(html)
    if surface == "article":
        for block in ORDINARY:
            if "<img" not in block:
                assert block in html  # byte for byte on the page too
        assert "&lt;img src=x onerror=alert(&#x27;XSS&#x27;)&gt;“标题”" in html  # the title, as text


def test_staff_preview_of_a_draft(client_for, staff, hostile):
    assert_clean_html(page(client_for(staff.editor), hostile["draft"].get_absolute_url()))


def test_signed_preview_link(client, hostile):
    assert_clean_html(page(client, preview_url(hostile["draft"])))


def test_admin_read_only_view_renders_the_cleaned_body(client_for, staff, hostile):
    html = page(client_for(staff.desk_head), f"/admin/articles/article/{hostile['published'].pk}/change/")
    assert_clean_html(html, allow_tags=ADMIN_TAGS)
    assert "<h2>一、产业兴旺</h2>" in html  # rendered as readers see it, not flattened to text
    assert "<strong>加粗</strong>" in html


def test_admin_change_form_and_lists(client_for, staff, hostile):
    editor = client_for(staff.editor)
    for url in [
        f"/admin/articles/article/{hostile['draft'].pk}/change/",
        "/admin/articles/article/",
        f"/admin/articles/series/{hostile['series'].pk}/change/",
        "/admin/articles/contributor/",
    ]:
        assert_clean_html(page(editor, url), allow_tags=ADMIN_TAGS)


def test_revision_diff(client_for, staff, hostile):
    draft = hostile["draft"]
    new, old = Version.objects.get_for_object(draft)[:2]
    url = f"/admin/articles/article/{draft.pk}/revisions/compare/?old={old.pk}&new={new.pk}"
    assert_clean_html(page(client_for(staff.editor), url), allow_tags=ADMIN_TAGS)


def test_revision_diff_shows_a_changed_link_picture_or_table(client_for, staff):
    article = Article(title="链接", body='<p>见<a href="https://a.example/">这里</a></p>')
    services.article_save(article=article, by=staff.reporter)
    for body in [
        '<p>见<a href="https://b.example/">这里</a></p>',
        '<p>见<a href="https://b.example/">这里</a></p><p><img src="/media/images/x.jpg" alt="图"></p>',
        '<p>见<a href="https://b.example/">这里</a></p><p><img src="/media/images/y.jpg" alt="图"></p>',
        '<p>见<a href="https://b.example/">这里</a></p><table><tbody><tr><td>1</td></tr></tbody></table>',
    ]:
        article.body = body
        services.article_save(article=article, by=staff.reporter)
    versions = list(Version.objects.get_for_object(article))
    editor = client_for(staff.editor)
    shown = [  # newest change first
        "<ins>｜1｜</ins>",
        "［图片 /media/images/<del>x</del><ins>y</ins>.jpg",
        "<ins>［图片 /media/images/x.jpg 替代文字“图”］</ins>",
        "［链接：https://<del>a</del><ins>b</ins>.example/］",
    ]
    for new, old, change in zip(versions, versions[1:], shown, strict=False):
        url = f"/admin/articles/article/{article.pk}/revisions/compare/?old={old.pk}&new={new.pk}"
        html = page(editor, url)
        assert change in html[html.index('class="diff diff-body"') :]


RSS_TEXT = ("title", "description", "category", "{http://purl.org/dc/elements/1.1/}creator")
RSS_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
ATOM = "{http://www.w3.org/2005/Atom}"


def feed_url(hostile, feed: str, atom: bool = False) -> str:
    url = "/feeds/latest/" if feed == "latest" else f"{hostile['series'].get_absolute_url()}feed/"
    return url + "atom/" if atom else url


def assert_full_text_is_clean(html: str):
    assert_clean_html(html)
    for block in ORDINARY:
        if "<img" not in block and 'href="/' not in block:  # pictures and links are made absolute in feeds
            assert block in html


@pytest.mark.parametrize("feed", ["latest", "series"])
def test_feeds_escape_every_text_field_exactly_once(client, hostile, feed):
    root = ET.fromstring(client.get(feed_url(hostile, feed)).content)
    texts = [element.text or "" for element in root.iter() if element.tag in RSS_TEXT]
    assert any(MARKER in text for text in texts)
    for text in texts:
        # A feed reader decodes the XML, then reads the text as HTML: it must find text, not tags.
        assert live_markup(text) == [], text
        assert "&amp;lt;" not in text  # and not escaped twice either
    item = root.find("channel/item")
    assert item.findtext("title").startswith("&lt;img src=x onerror=alert(&#x27;XSS&#x27;)&gt;“标题”")
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "&lt;svg onload=alert(&#x27;XSS&#x27;)&gt;"
    assert_full_text_is_clean(item.findtext(RSS_CONTENT))


@pytest.mark.parametrize("feed", ["latest", "series"])
def test_atom_feeds_keep_text_as_text_and_html_clean(client, hostile, feed):
    entry = ET.fromstring(client.get(feed_url(hostile, feed, atom=True)).content).find(f"{ATOM}entry")
    # Text constructs (type="text"): a reader shows them as they are, so they are not escaped for HTML.
    assert entry.find(f"{ATOM}title").get("type", "text") == "text"
    assert entry.findtext(f"{ATOM}title") == hostile["published"].title
    assert [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")] == ["<svg onload=alert('XSS')>"]
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == [hostile["series"].name]
    # type="html": decoded once, it holds text, not tags.
    for name in ("summary", "content"):
        element = entry.find(f"{ATOM}{name}")
        assert element.get("type") == "html"
        assert live_markup(element.text) == [], name
        assert "&amp;lt;" not in element.text, name
    assert_full_text_is_clean(entry.findtext(f"{ATOM}content"))


@pytest.mark.django_db(transaction=True)
def test_search_page_and_snippets(client, search_index, hostile):
    html = page(client, "/search/?q=XSS")
    assert 'class="search-result"' in html  # found, title and snippet shown …
    assert_clean_html(html)  # … as text


def test_a_reporter_cannot_plant_script_for_the_editor_in_chief(staff, client_for):
    """The attack from the issue: a never-submitted draft opened by the 总编辑."""
    victim = ArticleFactory(title="已发布的种子文章")
    script = f"fetch('/admin/articles/article/{victim.pk}/')"
    draft = Article(title="草稿", body=f'<p>文</p><img src=x onerror="{script}">')
    services.article_save(article=draft, by=staff.reporter)
    html = page(client_for(staff.chief), draft.get_absolute_url())
    assert "onerror" not in html and "fetch(" not in html
    assert_clean_html(html)
