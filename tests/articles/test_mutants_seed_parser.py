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


# --- the second run: decoding, lines, running heads, the document's frame ------------------


def refusal(content: str | bytes) -> str:
    """What the loader prints for a document it refuses: file, line and message."""
    data = content.encode() if isinstance(content, str) else content
    with pytest.raises(SeedError) as caught:
        parse_bytes(data, "bad.txt")
    return str(caught.value)


UTF16_ADVICE = "bad.txt:1: 文件是 UTF-16 编码；请从排版系统导出 UTF-8 或 GB18030 文本。"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_either_way_round_is_refused_with_advice(encoding):
    assert refusal("\ufeff# 栏目\n## 标题\n正文。\n".encode(encoding)) == UTF16_ADVICE


def test_bytes_that_are_no_text_encoding_are_refused_in_words():
    assert refusal("# 栏目\n## 标题\n".encode() + b"\xff\xfe\xfd\n") == (
        "bad.txt:3: 这不是文本文件：既不是 UTF-8 也不是 GB18030 编码的文字。"
    )


def test_a_control_character_is_named_with_its_line():
    assert refusal("\n# 栏目\n## 标题\n正文\x07。\n") == "bad.txt:4: 这不是文本文件（含有控制字符 U+0007）。"


def test_binary_data_is_reported_at_its_first_nul_byte():
    assert refusal("# 栏目\n## 标题\n正文\x00\n\n\x00\x00".encode()) == "bad.txt:3: 这不是文本文件（含有二进制数据）。"


def page(body: str) -> str:
    """A one-article page, CRLF as some exports write it; 7 characters that are
    not blank (#专题 ##标题) before ``body``."""
    return "# 专题\r\n\r\n## 标题\r\n\r\n" + body + "\r\n"


def padded_body(unusual: str, visible: int) -> str:
    """``visible`` characters that are not blank on the page, ``unusual`` among
    them, an anonymised place (XX村, as papers print it: X is a letter, not a
    blank) and blanks of every kind (space, tab, U+3000, line breaks)."""
    words = visible - 7 - len(unusual) - len("XX村") - len("。")
    return "\u3000\u3000" + unusual + "XX村" + "文 \t\r\n" * words + "。"


def unusual_share(count: int) -> str:
    return "\ue000" * count


def test_private_use_characters_up_to_one_in_fifty_are_text():
    # 3 of 150 characters that are not blank: the most a page of that length may hold.
    text = page(padded_body(unusual_share(3), 150))
    ((_, article),) = parse_bytes(text.encode(), "ok.txt").articles
    assert article.blocks[0].text.count("\ue000") == 3


def test_more_than_one_in_fifty_private_use_characters_are_not_text_however_many_blanks():
    text = page(padded_body(unusual_share(4), 150))
    assert refusal(text) == (
        "bad.txt:5: 这不是文本文件：4 个字符是私用区或未定义的码位（如 U+E000），"
        "像是二进制数据或编码错误；请从排版系统重新导出 UTF-8 或 GB18030 文本。"
    )


def test_two_private_use_characters_are_text_on_however_short_a_page():
    ((_, article),) = parse_bytes(page("李\ue000\ue001生。").encode(), "ok.txt").articles
    assert article.blocks[0].text == "李\ue000\ue001生。"


def test_unassigned_code_points_are_not_text_and_the_first_unusual_character_is_named_with_its_line():
    text = "\n# 专题\n\n## 标题\n\n甲\u0378。\n\n乙\ue000\u0378。\n"
    assert refusal(text) == (
        "bad.txt:6: 这不是文本文件：3 个字符是私用区或未定义的码位（如 U+0378），"
        "像是二进制数据或编码错误；请从排版系统重新导出 UTF-8 或 GB18030 文本。"
    )


def test_old_mac_line_endings_are_line_endings():
    document = parse_text("# 栏目\r## 标题\r正文。\r", "doc.txt")
    assert [(series.name, article.title) for series, article in document.articles] == [("栏目", "标题")]


def test_a_document_is_known_by_its_file_name_unless_given_a_key():
    text = "# 栏目\n## 标题\n正文。\n"
    assert parse_text(text, "seeds/2026/A05.txt").key == "A05.txt"
    assert parse_bytes(text.encode(), "seeds/2026/A05.txt", key="2026/A05.txt").key == "2026/A05.txt"


def test_a_running_head_is_kept_with_the_first_line_it_is_on():
    document = parse_text("# 奋进\n出品：江门日报社\n\n奋进\n\n# 百千万\n## 标题\n正文。\n\n奋进\n", "doc.txt")
    assert document.running_heads == {"奋进": 4}
    assert document.special_issue == "奋进"


def test_a_line_repeating_a_headline_is_body_text_not_a_running_head():
    document = parse_text("# 栏目\n## 坚持！\n坚持！\n\n正文。\n", "doc.txt")
    assert document.running_heads == {}
    assert [block.text for block in document.articles[0][1].blocks] == ["坚持！", "正文。"]


def test_a_running_head_between_the_lines_of_a_paragraph_is_dropped_from_it():
    document = parse_text("# 百千万\n## 标题\n是一项\n奋进\n系统工程。\n# 奋进\n出品：江门日报社\n", "doc.txt")
    article = document.articles[0][1]
    assert [block.text for block in article.blocks] == ["是一项系统工程。"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("# 栏目\n## \n正文。\n", "bad.txt:2: “##” 后面没有文字。"),
        ("\n## 新图景\n\n正文。\n", "bad.txt:2: 文章标题“新图景”之前没有专题（缺少一行 “# 专题名”）。"),
        ("第A05版\n\n# 栏目\n## 标题\n正文。\n", "bad.txt:1: 第一个专题标题（“# 专题名”）之前有内容。"),
        ("# 栏目\n### 小标题\n## 标题\n正文。\n", "bad.txt:2: 小标题“小标题”不在任何文章里（缺少 “## 标题”）。"),
        (
            "\n\n# 专题\n\n江门日报特刊。\n",
            "bad.txt:3: 文档里没有文章（“## 标题”），也没有职务名单（“角色：名字”），不会导入（以免建出空专题）。",
        ),
        ("# 奋进\n\n总策划：\n出品：江门日报社\n", "bad.txt:3: 职务“总策划”后面没有名字。"),
    ],
)
def test_a_document_in_the_wrong_shape_is_refused_in_words(content, message):
    assert refusal(content) == message


def test_an_article_may_end_in_a_colon_without_a_byline():
    # 江门提出： looks like a role with no name; without a byline it is body text, not an error.
    article = only_article("# 栏目\n## 标题\n正文。\n\n江门提出：\n")
    assert [block.text for block in article.blocks] == ["正文。", "江门提出："]
    assert (article.bylines, article.credits) == ([], [])


def test_a_credit_role_takes_any_name_an_unknown_role_only_a_plausible_one():
    text = "# 奋进\n\n总策划：买买提·艾力\n\n主办方提出：要加力提速\n\n## 标题\n\n正文。\n"
    series = parse_text(text, "doc.txt").series[0]
    assert series.credits == [Person("买买提·艾力", "总策划")]
    assert series.intro == "主办方提出：要加力提速"


def test_without_a_byline_a_block_with_an_unknown_role_is_body_text_even_after_a_role_with_no_name():
    # 校对 is a credit role but names no one here; 地点 is no credit role: the paragraph is text, not an error.
    article = only_article("# 栏目\n## 标题\n正文。\n\n校对：\n地点：江门\n")
    assert (article.credits, article.bylines) == ([], [])
    assert [block.text for block in article.blocks] == ["正文。", "校对：地点：江门"]


# --- the third run: bylines again, after the "last slash" and "role against a name" changes ---------


@pytest.mark.parametrize("aside", ["（（文/李明）", "（文）/李明）"])
def test_a_parenthesis_with_an_unmatched_bracket_inside_is_no_byline(aside):
    # A byline is one pair of brackets with none inside; the slash must not turn （文 or 文） into a role.
    article = only_article(f"# 栏目\n## 标题\n正文。\n\n{aside}\n")
    assert article.bylines == []
    assert [block.text for block in article.blocks] == ["正文。", aside]
