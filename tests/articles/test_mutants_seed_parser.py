"""Seed-parser rules that the mutation check (docs/testing.md) found no test for."""

import pytest

from articles.seeds.parser import Person, SeedError, parse_bytes, parse_text


def only_article(text: str):
    (series,) = parse_text(text, "doc.txt").series
    (article,) = series.articles
    return article


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        # The longest role wins: 摄影记者 before 摄影 (which would leave 记者李明 as a name).
        ("（摄影记者李明）", [Person("李明", "摄影记者")]),
        # A one-character role is never split off a name: 文 is also a surname.
        ("（记者 文静怡）", [Person("文静怡", "记者")]),
        # Chinese names run to four characters, with or without a space after the role.
        ("（记者欧阳明月）", [Person("欧阳明月", "记者")]),
        ("（记者 欧阳明月）", [Person("欧阳明月", "记者")]),
        # A name in Latin letters is a name.
        ("（记者 Mary）", [Person("Mary", "记者")]),
    ],
)
def test_role_written_against_the_name(byline, people):
    article = only_article(f"# 栏目\n## 标题\n正文。\n\n{byline}\n")
    assert article.bylines == people


@pytest.mark.parametrize(
    "aside",
    [
        "（图为开平楼）",  # five characters: a caption, not a name
        "（记者 李明2）",  # a digit is in no name
    ],
)
def test_a_parenthesis_that_names_no_one_stays_body_text(aside):
    article = only_article(f"# 栏目\n## 标题\n正文。\n\n{aside}\n")
    assert article.bylines == []
    assert [block.text for block in article.blocks if block.kind == "paragraph"] == ["正文。", aside]


def test_a_series_intro_keeps_its_paragraphs_apart():
    series = parse_text("# 奋进\n\n江门日报特刊。\n\n第二段。\n\n## 标题\n\n正文。\n", "doc.txt").series[0]
    assert series.intro == "江门日报特刊。\n\n第二段。"


def test_a_bad_byte_is_reported_on_its_line_when_the_file_starts_with_a_blank_line():
    with pytest.raises(SeedError) as caught:
        parse_bytes(b"\n# \xe6\xa0\x8f\xe7\x9b\xae\n\x00\n", "doc.txt")
    assert str(caught.value).startswith("doc.txt:3: ")


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        ("升级到iOS\n9系统。", "升级到iOS 9系统。"),  # a space only between Latin letters or digits
        ("使用AI\n技术。", "使用AI技术。"),
        ("共\n5G基站。", "共5G基站。"),
    ],
)
def test_lines_of_one_paragraph_are_joined_with_a_space_only_between_latin_letters_or_digits(lines, joined):
    article = only_article(f"# 栏目\n## 标题\n{lines}\n")
    assert [block.text for block in article.blocks if block.kind == "paragraph"] == [joined]


def test_a_credit_with_only_separators_after_the_role_names_no_one():
    with pytest.raises(SeedError) as caught:
        parse_text("# 栏目\n## 标题\n正文。\n\n（记者 李明）\n\n责任编辑：、，\n", "doc.txt")
    assert str(caught.value) == "doc.txt:7: 职务“责任编辑”后面没有名字。"


def test_an_unclosed_parenthesis_is_not_a_byline():
    article = only_article("# 栏目\n## 标题\n正文。\n\n（记者 李明明\n")
    assert article.bylines == []


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        ("（文／李明）", [("李明", "文", 5)]),  # a full-width slash is a slash
        ("（文/李明 摄）", [("李明", "文", 5), ("李明", "摄", 5)]),
        ("（记者 李明 摄 王芳）", [("李明", "记者", 5), ("李明", "摄", 5), ("王芳", "记者", 5)]),
    ],
)
def test_each_person_in_a_byline_keeps_the_line_it_is_on(byline, people):
    article = only_article(f"# 栏目\n## 标题\n正文。\n\n{byline}\n")
    assert [(person.name, person.role, person.line) for person in article.bylines] == people


def test_without_a_byline_an_unknown_role_line_is_body_text():
    article = only_article("# 栏目\n## 标题\n正文。\n\n地点：江门\n")
    assert (article.credits, article.bylines) == ([], [])
    assert [block.text for block in article.blocks if block.kind == "paragraph"] == ["正文。", "地点：江门"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("# 栏目\n## 标题\n正文。\n\n（赵可义）\n\n责任编辑：王芳\n校对：\n", "doc.txt:8: 职务“校对”后面没有名字。"),
        ("# 栏目\n## 标题\n正文。\n\n责任编辑：王芳\n校对：\n", "doc.txt:6: 职务“校对”后面没有名字。"),
        ("# 栏目\n## 标题\n### 小标题\n", "doc.txt:2: 文章“标题”没有正文。"),
    ],
)
def test_an_error_at_the_end_of_an_article_names_the_file(content, message):
    with pytest.raises(SeedError) as caught:
        parse_text(content, "doc.txt")
    assert str(caught.value) == message
