"""字数: the rule (articles/wordcount.py), the count stored on every save, the
data migration's frozen copy, and the editor's JavaScript kept identical."""

import importlib
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from articles import services
from articles.models import Article
from articles.wordcount import WHITESPACE, word_count
from tests.factories import ArticleFactory
from tests.forms import article_form
from tests.helpers.repo import REPO

MIGRATION = importlib.import_module("articles.migrations.0009_preview_links_and_word_count")
SCRIPT = REPO / "articles" / "static" / "articles" / "wordcount.js"

# Every character of the text counts one; whitespace and markup count nothing.
EXAMPLES = [
    ("", 0),
    ("<p>江门日报</p>", 4),
    ("<p>“百千万工程”！</p>", 8),  # full-width punctuation counts
    ("<p>GDP 增长 5%</p>", 7),  # each letter and digit counts, spaces do not
    ("<p>1+6+3</p>", 5),
    ("<p>江门&nbsp;日报\u3000\u3000社</p>", 5),  # no-break and ideographic spaces do not count
    ("<p><strong>加粗</strong>和<em>斜体</em></p>", 5),  # markup counts nothing
    ("<h2>小标题</h2><ul><li>一</li><li>二</li></ul>", 5),  # headings and lists are body text
    ('<figure class="image"><img src="/a.jpg" alt="侨乡新貌"><figcaption>图片说明</figcaption></figure>', 4),
    ("<p>&amp;&lt;b&gt;</p>", 4),  # entities are the characters they stand for
    ("<p>😀</p>", 1),  # one character, though two UTF-16 units
    ("<p>正文</p><script>alert(1)</script><style>p{}</style>", 2),
]


@pytest.mark.parametrize(("html", "expected"), EXAMPLES)
def test_the_rule(html, expected):
    assert word_count(html) == expected


@pytest.mark.django_db
def test_the_real_seed_article(real_seed):
    """Counted once by hand from seeds/000_c6905cedc614910f.txt, the lines
    between the headline and the byline （赵可义）: 1,705 汉字, 251 punctuation
    marks (175 like ，。、！, 72 quotation marks, 4 brackets), 3 letters (GDP),
    3 digits and 3 plus signs (“党建+音乐”, “1+6+3”). The title is not counted."""
    call_command("load_seeds", str(real_seed), stdout=StringIO(), stderr=StringIO())
    article = Article.objects.get(title="以“头号力度”拼出“头号工程”新图景")
    assert article.word_count == 1705 + 251 + 3 + 3 + 3 == 1965


# --- stored on every save -----------------------------------------------------------


@pytest.mark.django_db
def test_every_save_stores_the_count(staff):
    article = Article(title="字数", body="<p>江门日报</p>")
    services.article_save(article=article, by=staff.reporter)
    assert Article.objects.get(pk=article.pk).word_count == 4
    article.body = "<p>江门日报社，江门。</p>"
    services.article_save(article=article, by=staff.reporter)
    assert Article.objects.get(pk=article.pk).word_count == 9


@pytest.mark.django_db
def test_the_count_is_of_the_cleaned_body(staff):
    article = Article(title="字数", body='<p>正文</p><script>var secret = "不算";</script><p onclick="x()">两字</p>')
    services.article_save(article=article, by=staff.reporter)
    assert Article.objects.get(pk=article.pk).word_count == 4


@pytest.mark.django_db
def test_the_admin_stores_and_shows_the_count_and_never_takes_it_from_the_form(staff, client_for):
    reporter = client_for(staff.reporter)
    form = article_form(title="标题不计入字数", body="<p>战鼓催征马蹄疾，奋勇争先正当时。</p>", word_count=99999)
    assert reporter.post("/admin/articles/article/add/", form).status_code == 302
    article = Article.objects.get()
    assert article.word_count == 16
    html = reporter.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    field = re.search(r'<div class="form-row field-word_count">.*?</div>\s*</div>', html, re.DOTALL)
    assert field and "字数" in field.group(0) and ">16<" in field.group(0)
    assert 'src="/static/articles/wordcount.js"' in html  # the live count under the editor


# --- the data migration's frozen copy ----------------------------------------------


@pytest.mark.parametrize(("html", "expected"), EXAMPLES)
def test_the_migrations_copy_counts_the_same(html, expected):
    assert MIGRATION._word_count(html) == expected
    assert MIGRATION._WHITESPACE.pattern == WHITESPACE.pattern


@pytest.mark.django_db
def test_the_migration_fills_existing_articles():
    first = ArticleFactory(body="<p>江门日报</p>")
    second = ArticleFactory(body="<p>“百千万工程”！</p>")
    Article.objects.update(word_count=0)  # as the rows were before the migration
    MIGRATION.count_words(apps, None)
    assert Article.objects.get(pk=first.pk).word_count == 4
    assert Article.objects.get(pk=second.pk).word_count == 8


# --- the editor's live count --------------------------------------------------------


def test_the_editor_script_uses_the_same_whitespace():
    """The browser test (tests/browser/test_change_list_in_browser.py) runs both
    rules on the same HTML; this keeps the character class literally identical."""
    script = SCRIPT.read_text(encoding="utf-8")
    (pattern,) = re.findall(r"const WHITESPACE = /(\[.*?\])/g", script)
    assert pattern == WHITESPACE.pattern
    assert "Array.from(" in script  # code points, as Python's len()
