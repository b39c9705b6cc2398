"""The body allow-list: hostile markup never survives, newspaper markup does."""

import pytest

from articles.editor import allowed_content, editor_config
from articles.richtext import ALLOWED, clean_body, clean_body_reporting, render_body
from articles.text import html_to_review_text
from tests.xss import INERT_UNLESS_MANGLED, MARKER, ORDINARY, VECTORS, live_markup


def test_the_corpus_is_big_enough_and_every_vector_carries_the_marker():
    assert len(VECTORS) >= 40
    assert all(MARKER in vector or "88,83,83" in vector for vector in VECTORS)


@pytest.mark.parametrize("vector", VECTORS)
def test_no_vector_survives_cleaning(vector):
    cleaned = clean_body(vector)
    assert live_markup(cleaned) == []
    assert "javascript" not in cleaned.lower()
    assert "onerror" not in cleaned.lower()
    assert clean_body(cleaned) == cleaned  # idempotent: cleaning twice changes nothing


@pytest.mark.parametrize("vector", sorted(set(VECTORS) - INERT_UNLESS_MANGLED))
def test_the_detector_sees_each_vector_when_it_is_not_cleaned(vector):
    # Otherwise the test above could pass with a detector that sees nothing.
    assert live_markup(vector), vector


def test_inert_vectors_are_all_in_the_corpus():
    assert INERT_UNLESS_MANGLED <= set(VECTORS)


@pytest.mark.parametrize("html", ORDINARY)
def test_newspaper_markup_survives_byte_for_byte(html):
    assert clean_body(html) == html


def test_full_width_punctuation_and_curly_quotes_are_kept_as_characters():
    text = "<p>“引号”‘单引号’——破折号……省略号　全角空格，。、；：？！（）《》</p>"
    assert clean_body(text) == text


def test_external_links_get_rel_and_internal_links_do_not():
    cleaned = clean_body('<p><a href="https://example.com/">外</a><a href="/articles/a/">内</a></p>')
    assert '<a href="https://example.com/" rel="noopener noreferrer">外</a>' in cleaned
    assert 'rel="noopener noreferrer"' in clean_body('<a href="HTTPS://example.com/">外</a>')
    assert 'rel="noopener noreferrer"' in clean_body('<a href="//example.com/">外</a>')
    assert '<a href="/articles/a/">内</a>' in cleaned


def test_pictures_only_from_this_sites_media_or_an_allowed_host(settings):
    settings.NEWSROOM_IMAGE_HOSTS = ["img.jmrb.com"]
    assert clean_body('<img src="/media/images/a.jpg" alt="甲">') == '<img src="/media/images/a.jpg" alt="甲">'
    assert clean_body('<img src="https://img.jmrb.com/b.jpg">') == '<img src="https://img.jmrb.com/b.jpg">'
    assert clean_body('<p><img src="https://other.example/c.jpg">文</p>') == "<p>文</p>"
    assert clean_body('<img src="/media/../secret_key">') == ""
    assert clean_body('<img src="/media/%2E%2e/secret_key">') == ""
    assert clean_body('<img src="/media/images\\..\\x.jpg">') == ""
    assert clean_body('<img src="data:image/png;base64,iVBORw0KGgo=">') == ""


def test_no_style_no_class_outside_the_short_list_no_ids():
    html = (
        '<p style="color:red" class="lead" id="x">文</p>'
        '<figure class="image evil"><figcaption>说明</figcaption></figure>'
    )
    assert clean_body(html) == '<p>文</p><figure class="image"><figcaption>说明</figcaption></figure>'


def test_sizes_must_be_numbers():
    assert clean_body('<img src="/media/a.jpg" width="100%" height="80">') == '<img src="/media/a.jpg" height="80">'
    assert clean_body('<td colspan="2x">格</td>') == "格"  # a cell outside a table is just text
    assert clean_body('<table><tr><td rowspan="3">格</td></tr></table>').count('rowspan="3"') == 1


def test_reporting_says_what_was_taken_out():
    cleaning = clean_body_reporting('<p>文<img src="https://other.example/a.jpg"><script>x()</script></p>')
    assert cleaning.html == "<p>文</p>"
    assert cleaning.removed == {"img": 1, "script": 1}
    assert "<img>" in cleaning.summary() and "<script>" in cleaning.summary()
    assert not clean_body_reporting(ORDINARY[0]).changed


def test_render_body_cleans_again_on_the_way_out(db):
    # A row written around the services (an old database) is still safe on a page.
    assert str(render_body("<p>文</p><script>alert('XSS')</script>")) == "<p>文</p>"


def test_ckeditor_filter_is_generated_from_the_same_allow_list():
    rules = allowed_content()
    for tag in ALLOWED:
        assert any(rule.split("[")[0].split("(")[0] == tag for rule in rules.split("; ")), tag
    assert "a[!href]" in rules
    assert "img[!src,alt,height,width]" in rules
    assert "figure(image)" in rules
    assert "style" not in rules
    config = editor_config()
    assert config["allowedContent"] == rules
    assert "image2" in config["extraPlugins"]
    assert "exportpdf" in config["removePlugins"].split(",")


def test_review_text_spells_out_links_pictures_and_tables():
    text = html_to_review_text(
        '<p>见<a href="https://a.example/">这里</a></p>'
        '<figure class="image"><img src="/media/x.jpg" alt="图" width="4" height="3">'
        "<figcaption>说明</figcaption></figure>"
        "<table><tbody><tr><td>甲</td><td>乙</td></tr></tbody></table>"
    )
    assert "见这里［链接：https://a.example/］" in text
    assert "［图片 /media/x.jpg 4×3 替代文字“图”］" in text
    assert "【图片说明】说明" in text
    assert "｜甲｜乙｜" in text


def test_the_real_seed_body_is_already_clean(real_seed):
    from articles.seeds.parser import parse_bytes

    document = parse_bytes(real_seed.read_bytes(), str(real_seed))
    bodies = [article.body_html for _, article in document.articles]
    assert bodies and all(clean_body(body) == body for body in bodies)
