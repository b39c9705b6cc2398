"""The admin is all Chinese: every page a newsroom opens, Django's JavaScript
widgets (the /admin/jsi18n/ catalog), permission names, messages with
full-width punctuation, and the project's own translations compiled as committed.

Django's zh_Hans catalogs leave some of the admin in English or end messages
with an ASCII period; the project's catalog (locale/zh_Hans/) fills that in.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from articles import services
from articles.models import Article, Contributor, Correction, Series, Transition
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CreditFactory,
    ImageFactory,
    SeriesFactory,
    UserFactory,
)
from tests.forms import article_form
from tests.pages import texts

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
ADMIN_JS = Path(django.__path__[0]) / "contrib" / "admin" / "static" / "admin" / "js"

# English a newsroom met in the admin before, each from a different source:
# Django's catalogs (missing or untranslated), its templates and forms
# (hard-coded), its JavaScript catalog, auth's permission names, our own forms.
KNOWN_ENGLISH = [
    "After you’ve created a user",
    "If disabled, the current password",
    "Model name",
    "Add link",
    "Change or view list link",
    "Choose all",
    "Remove all",
    "Choose selected",
    "Remove selected",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "Loaded version",
    "Reversion",
    "revision",
    "Welcome,",
    "Django",
    "View site",
    "Log out",
    "Search",
    "True",
    "False",
    "None",
]
# English that is not a translation gap: the product's name in the header, key
# and picture-format names inside Django's and our Chinese help texts.
ALLOWED_WORDS = {"Newsroom", "Control", "Mac", "Command", "LDAP", "JPEG", "PNG", "GIF", "WebP", "EXIF", "KB", "MB"}
# An English word: ASCII letters not glued to other ASCII letters, digits or
# asterisks (so "77bdb9****" or "jq****", a masked password hash, is not one).
WORD = re.compile(r"(?<![A-Za-z0-9_*])[A-Za-z]{2,}(?![A-Za-z0-9_*])")
# Chinese followed by ASCII punctuation: "…编辑它." or "标题:".
ASCII_AFTER_CHINESE = re.compile(r"[\u3400-\u9fff”）》」][.,:;?!](?![A-Za-z0-9])")


class _Visible(HTMLParser):
    """What a person sees or hears: text outside scripts and styles, and the
    attributes a browser shows or reads out (titles, placeholders, labels,
    alternative text, button captions)."""

    SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden, self.found = 0, []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style", "template"):
            self.hidden += 1
        for name, value in attrs:
            shown = name in self.SHOWN_ATTRIBUTES or (
                name == "value" and tag == "input" and attributes.get("type") in ("submit", "button")
            )
            if shown and value and value.strip():
                self.found.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.found.append(data.strip())


def visible(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    return parser.found


def english_in(strings, data_words=frozenset()) -> list[str]:
    """Each string with English in it (words not allowed and not from the data)."""
    found = []
    for string in strings:
        words = set(WORD.findall(string)) - ALLOWED_WORDS - data_words
        phrases = [phrase for phrase in KNOWN_ENGLISH if phrase in string]
        if words or phrases:
            found.append(string)
    return found


def ascii_punctuation_in(strings) -> list[str]:
    return [string for string in strings if ASCII_AFTER_CHINESE.search(string)]


class Newsroom:
    """A small newsroom with one of everything the admin shows."""

    def __init__(self, client_for):
        self.root = UserFactory(username="root", first_name="芳", last_name="王", is_superuser=True)
        self.colleague = UserFactory(
            username="liming", first_name="明", last_name="李", email="liming@jmrb.example", roles=["编辑"]
        )
        self.group = Group.objects.get(name="编辑")
        self.series = SeriesFactory(name="奋进")
        self.contributor = ContributorFactory(name="赵可义")
        self.published = ArticleFactory(series=self.series, created_by=self.colleague, updated_by=self.colleague)
        BylineFactory(article=self.published, contributor=self.contributor)
        CreditFactory(article=self.published, contributor=self.contributor)
        Correction.objects.create(article=self.published, text="更正：第二段的日期应为 3 月 1 日。")
        self.in_review = ArticleFactory(
            status=Article.Status.FINAL_REVIEW, publish_at=None, series=self.series, created_by=self.colleague
        )
        self.draft = ArticleFactory(draft=True, created_by=self.colleague)
        services.article_transition(article=self.draft, by=self.colleague, action=Transition.Action.SUBMIT)
        self.image = ImageFactory(uploaded_by=self.colleague)
        client_for(self.colleague).get(f"/admin/articles/article/{self.published.pk}/change/")  # presence
        self.client = client_for(self.root)
        self.reporter = UserFactory(username="lihua", first_name="华", last_name="李", roles=["记者"])
        self.reporter_client = client_for(self.reporter)

    def data_words(self) -> frozenset[str]:
        """English-looking words that are data, not interface: logins, e-mail, slugs, file names."""
        data = [self.root.username, self.colleague.username, self.colleague.email, self.image.original_name]
        data.append(self.reporter.username)
        data.append(self.image.file.name)
        for model in (Article, Series, Contributor):
            data += list(model.objects.values_list("slug", flat=True))
        return frozenset(WORD.findall(" ".join(data)))


@pytest.fixture
def newsroom(db, media, client_for):
    return Newsroom(client_for)


PAGES = {
    "首页": "/admin/",
    "采编": "/admin/articles/",
    "认证和授权": "/admin/auth/",
    "用户列表": "/admin/auth/user/",
    "增加用户": "/admin/auth/user/add/",
    "修改用户": "/admin/auth/user/{n.colleague.pk}/change/",
    "设置密码": "/admin/auth/user/{n.colleague.pk}/password/",
    "组列表": "/admin/auth/group/",
    "增加组": "/admin/auth/group/add/",
    "修改组": "/admin/auth/group/{n.group.pk}/change/",
    "文章列表": "/admin/articles/article/",
    "增加文章": "/admin/articles/article/add/",
    "已发布的文章": "/admin/articles/article/{n.published.pk}/change/",
    "终审中的文章": "/admin/articles/article/{n.in_review.pk}/change/",
    "初审中的文章": "/admin/articles/article/{n.draft.pk}/change/",
    "文章历史": "/admin/articles/article/{n.published.pk}/history/",
    "删除文章": "/admin/articles/article/{n.published.pk}/delete/",
    "修订历史": "/admin/articles/article/{n.published.pk}/revisions/",
    "专题列表": "/admin/articles/series/",
    "增加专题": "/admin/articles/series/add/",
    "修改专题": "/admin/articles/series/{n.series.pk}/change/",
    "作者列表": "/admin/articles/contributor/",
    "增加作者": "/admin/articles/contributor/add/",
    "修改作者": "/admin/articles/contributor/{n.contributor.pk}/change/",
    "图片列表": "/admin/images/image/",
    "上传图片": "/admin/images/image/add/",
    "修改图片": "/admin/images/image/{n.image.pk}/change/",
    "修改密码": "/admin/password_change/",
    "密码已修改": "/admin/password_change/done/",
}


@pytest.mark.parametrize("page", PAGES)
def test_admin_pages_have_no_english(newsroom, page):
    response = newsroom.client.get(PAGES[page].format(n=newsroom))
    assert response.status_code == 200
    html = response.content.decode()
    shown = visible(html)
    assert len(shown) > 10
    assert english_in(shown, newsroom.data_words()) == []
    # Django writes the delete page's list of related objects as "署名: <link>" in
    # Python (admin.utils.get_deleted_objects), outside any template or catalog.
    html = re.sub(r'<ul id="deleted-objects">.*?</ul>', "", html, flags=re.S)
    assert ascii_punctuation_in(visible(html)) == []


REPORTER_PAGES = {
    "首页": "/admin/",
    "文章列表": "/admin/articles/article/",
    "写稿": "/admin/articles/article/add/",
    "别人的稿件（只读）": "/admin/articles/article/{n.draft.pk}/change/",
    "修改密码": "/admin/password_change/",
}


@pytest.mark.parametrize("page", REPORTER_PAGES)
def test_pages_a_reporter_sees_have_no_english(newsroom, page):
    response = newsroom.reporter_client.get(REPORTER_PAGES[page].format(n=newsroom))
    assert response.status_code == 200
    shown = visible(response.content.decode())
    assert english_in(shown, newsroom.data_words()) == []
    assert ascii_punctuation_in(shown) == []


def test_login_and_logout_pages_have_no_english(newsroom, client):
    login = client.get("/admin/login/").content.decode()
    assert english_in(visible(login)) == [] and ascii_punctuation_in(visible(login)) == []
    refused = client.post("/admin/login/", {"username": "root", "password": "wrong"}).content.decode()
    assert "请输入工作人员账户正确的用户名和密码。注意两者都区分大小写。" in refused
    assert ascii_punctuation_in(visible(refused)) == []
    client.force_login(newsroom.root)
    logout = client.post("/admin/logout/").content.decode()
    assert "已注销" in logout or "感谢" in logout
    assert english_in(visible(logout)) == [] and ascii_punctuation_in(visible(logout)) == []


def test_the_checks_catch_what_the_admin_used_to_show():
    """The page checks above fail on each thing the newsroom once saw."""
    before = [
        "After you’ve created a user, you’ll be able to edit more user options.",
        "采编 | 文章 | Can add 文章",
        "Model name",
        "Search",
        "True",
        "Loaded version:",
        "Welcome,",
    ]
    assert english_in(before) == before
    assert ascii_punctuation_in(["您可以在下面再次编辑它.", "标题:", "确认小数不超过 2 位."]) == [
        "您可以在下面再次编辑它.",
        "标题:",
        "确认小数不超过 2 位.",
    ]
    assert english_in(["Newsroom 编辑部", "只接受 JPEG、PNG 格式"]) == []


def test_add_user_page(newsroom):
    html = newsroom.client.get("/admin/auth/user/add/").content.decode()
    assert "创建用户之后，就可以编辑更多用户选项。" in html
    assert "After you" not in html


def test_password_page_warns_in_chinese(newsroom):
    html = newsroom.client.get(f"/admin/auth/user/{newsroom.colleague.pk}/password/").content.decode()
    assert "禁用后，这个用户现在的密码将会失效。" in html
    assert "If disabled" not in html


@pytest.mark.parametrize(
    "page", ["/admin/auth/group/{n.group.pk}/change/", "/admin/auth/user/{n.colleague.pk}/change/"]
)
def test_permissions_are_named_in_chinese(newsroom, page):
    html = newsroom.client.get(page.format(n=newsroom)).content.decode()
    options = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', html)
    permissions = [option for option in options if option.count(" | ") == 2]
    assert len(permissions) == Permission.objects.count()
    assert "采编 | 文章 | 可以添加文章" in permissions
    assert "认证和授权 | 用户 | 可以修改用户" in permissions
    assert "管理 | 日志记录 | 可以删除日志记录" in permissions
    assert "修订历史 | 修订 | 可以查看修订" in permissions
    # The newsroom's own permissions keep their (Chinese) names.
    assert f"采编 | 文章 | {Permission.objects.get(codename='review_first').name}" in permissions
    assert [p for p in permissions if "Can " in p] == []


def test_a_renamed_default_permission_keeps_its_name(newsroom):
    Permission.objects.filter(codename="view_article").update(name="看稿（全部）")
    html = newsroom.client.get(f"/admin/auth/group/{newsroom.group.pk}/change/").content.decode()
    assert "采编 | 文章 | 看稿（全部）" in html


def test_inline_headings_have_no_english_plural(newsroom):
    html = newsroom.client.get(f"/admin/articles/article/{newsroom.published.pk}/change/").content.decode()
    headings = re.findall(r"<h2[^>]*>\s*([^<]*?)\s*</h2>", html)
    assert "制作人员" in headings
    assert [heading for heading in headings if re.search(r"[\u4e00-\u9fff][sS]\b", heading)] == []


def test_form_labels_end_with_a_full_width_colon(newsroom):
    html = newsroom.client.get("/admin/articles/article/add/").content.decode()
    assert '<label class="required" for="id_title">标题：</label>' in html


# --- messages ---------------------------------------------------------------------


def messages_after(client, url, data):
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    shown = texts(response.content.decode(), "messagelist")
    assert shown, f"no message after POST {url}"
    return shown


def test_messages_are_chinese_with_full_width_punctuation(newsroom):
    client = newsroom.client
    password = "侨乡-Jiangmen-2026"
    said = []
    said += messages_after(
        client,
        "/admin/auth/user/add/",
        {"username": "zhaoke", "password1": password, "password2": password, "usable_password": "true"},
    )
    said += messages_after(client, "/admin/auth/group/add/", {"name": "校对", "_continue": "1"})
    said += messages_after(
        client, "/admin/articles/contributor/add/", {"name": "李华", "kind": "person", "_continue": "1"}
    )
    said += messages_after(
        client, f"/admin/articles/series/{newsroom.series.pk}/change/", series_form(newsroom.series, "_continue")
    )
    said += messages_after(
        client,
        "/admin/articles/article/add/",
        {**article_form(title="侨乡新闻", body="<p>正文。</p>"), "_continue": "1"},
    )
    contributor = ContributorFactory(name="待删除")
    said += messages_after(
        client,
        "/admin/articles/contributor/",
        {"action": "delete_selected", "_selected_action": [contributor.pk], "post": "yes"},
    )
    assert len(said) == 6
    assert "你可以在下面继续编辑。" in said[0]
    assert english_in(said, frozenset({"zhaoke"})) == []
    assert ascii_punctuation_in(said) == []
    assert [message for message in said if message.rstrip().endswith(".")] == []


def series_form(series, *buttons):
    data = {"name": series.name, "slug": series.slug, "intro": "", "parent": "", "cover": ""}
    for prefix in ("credits", "articles"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return {**data, **{button: "1" for button in buttons}}


# --- the JavaScript catalog -------------------------------------------------------

MESSAGE_CALLS = re.compile(
    r"""\b(?:gettext|gettext_noop|ngettext)\(\s*(['"])((?:\\.|(?!\1).)*)\1"""
    r"""|\bpgettext\(\s*(['"])((?:\\.|(?!\3).)*)\3\s*,\s*(['"])((?:\\.|(?!\5).)*)\5"""
)


def admin_script_messages() -> set[str]:
    """Every message Django's admin scripts look up, as catalog keys."""
    keys = set()
    for script in ADMIN_JS.rglob("*.js"):
        if "vendor" in script.parts or script.name.endswith(".min.js"):
            continue
        for match in MESSAGE_CALLS.finditer(script.read_text()):
            keys.add(match.group(2) if match.group(2) is not None else f"{match.group(4)}\x04{match.group(6)}")
    return keys


def served_catalog(client) -> dict:
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    script = response.content.decode()
    start = script.index("const newcatalog = ") + len("const newcatalog = ")
    catalog, _end = json.JSONDecoder().raw_decode(script[start:])
    return catalog


def test_admin_pages_load_the_javascript_catalog(newsroom):
    response = newsroom.client.get(f"/admin/auth/group/{newsroom.group.pk}/change/")
    assert '<script src="/admin/jsi18n/"></script>' in response.content.decode()
    # The catalog comes from this site, which the policy allows.
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_javascript_catalog_is_chinese(newsroom):
    catalog = served_catalog(newsroom.client)
    assert catalog["Choose all %s"] == "全选%s"
    assert catalog["Remove all %s"] == "删除全部%s"
    assert catalog["Choose selected %s"] == "选择选中的%s"
    assert catalog["Remove selected %s"] == "删除选中的%s"
    assert catalog["Now"] == "现在" and catalog["Today"] == "今天"


def test_every_message_of_the_admin_scripts_is_translated(newsroom):
    catalog = served_catalog(newsroom.client)
    used = admin_script_messages()
    assert "Choose all %s" in used and "abbrev. month January\x04Jan" in used
    untranslated = sorted(key for key in used if not re.search(r"[\u3400-\u9fff]", str(catalog.get(key, ""))))
    assert untranslated == []
    punctuated = [key for key in used if ASCII_AFTER_CHINESE.search(str(catalog[key]))]
    assert punctuated == []


# --- the project's catalogs -------------------------------------------------------

CATALOGS = sorted((REPO / "locale").glob("*/LC_MESSAGES/*.po"))


def test_the_project_has_its_catalogs():
    assert [po.relative_to(REPO).as_posix() for po in CATALOGS] == [
        "locale/zh_Hans/LC_MESSAGES/django.po",
        "locale/zh_Hans/LC_MESSAGES/djangojs.po",
    ]


def _messages(catalog) -> dict:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr or dict(sorted(entry.msgstr_plural.items()))
        for entry in catalog
        if entry.msgid
    }


@pytest.mark.parametrize("po", CATALOGS, ids=lambda po: po.name)
def test_the_committed_mo_is_the_po_compiled(po):
    """The .mo files are committed (a fresh clone works without msgfmt): each
    says exactly what its .po says. After editing a .po: msgfmt --check -o X.mo X.po"""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo.name} missing: msgfmt --check -o {mo} {po}"
    source, compiled = polib.pofile(str(po)), polib.mofile(str(mo))
    assert [entry for entry in source if "fuzzy" in entry.flags or not entry.translated()] == []
    assert _messages(compiled) == _messages(source), f"{mo.name} is stale: msgfmt --check -o {mo} {po}"


@pytest.mark.parametrize("po", CATALOGS, ids=lambda po: po.name)
def test_the_project_translations_use_full_width_punctuation(po):
    translations = []
    for entry in polib.pofile(str(po)):
        translations += [entry.msgstr, *entry.msgstr_plural.values()]
    assert ascii_punctuation_in(translations) == []


def test_a_message_ends_without_an_ascii_period_in_the_catalog():
    """Django's own zh_Hans says "您可以在下面再次编辑它." (ASCII period); ours wins."""
    from django.utils.translation import gettext, override

    with override("zh-hans"):
        assert gettext("You may edit it again below.") == "你可以在下面继续编辑。"
        assert gettext(":") == "："
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"
