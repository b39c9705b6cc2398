"""The seed format, rule by rule (docs/seed-format.md), on small documents."""

import pytest

from articles.seeds.parser import Person, SeedError, parse_bytes, parse_text
from tests.helpers.repo import REAL_SEED_SERIES_CREDITS

ARTICLE = "# 百千万\n\n## 标题\n\n第一段。\n"


def parse(text: str):
    return parse_text(text, "doc.txt")


def only_article(text: str):
    (series,) = parse(text).series
    (article,) = series.articles
    return article


def paragraphs(article):
    return [block.text for block in article.blocks if block.kind == "paragraph"]


# --- encodings and lines ------------------------------------------------------


def test_utf8_without_bom():
    assert parse_bytes(ARTICLE.encode("utf-8"), "doc.txt").series[0].name == "百千万"


def test_utf8_with_bom_is_not_part_of_the_first_heading():
    document = parse_bytes(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "doc.txt")
    assert document.series[0].name == "百千万"


def test_gb18030_when_not_utf8():
    text = "# 百千万\n\n## 以“头号力度”拼出“头号工程”新图景\n\n战鼓催征马蹄疾，奋勇争先正当时。\n"
    article = parse_bytes(text.encode("gb18030"), "old.txt").series[0].articles[0]
    assert article.title == "以“头号力度”拼出“头号工程”新图景"
    assert paragraphs(article) == ["战鼓催征马蹄疾，奋勇争先正当时。"]


def test_crlf_and_lf_give_the_same_document():
    crlf = parse_bytes(ARTICLE.replace("\n", "\r\n").encode(), "doc.txt")
    lf = parse_bytes(ARTICLE.encode(), "doc.txt")
    assert crlf == lf


def test_leading_and_trailing_blank_lines_mean_nothing():
    padded = parse("\n\n  \n" + ARTICLE + "\n\n\n")
    article = padded.series[0].articles[0]
    assert paragraphs(article) == ["第一段。"]


def test_line_numbers_count_leading_blank_lines():
    article = parse("\n\n" + ARTICLE).series[0].articles[0]
    assert article.line == 5


def test_lines_of_one_paragraph_are_joined_without_a_separator():
    article = only_article("# 栏目\n## 标题\n江门迅速行动，明确了\n总目标。\n")
    assert paragraphs(article) == ["江门迅速行动，明确了总目标。"]


def test_two_trailing_spaces_are_a_hard_break():
    article = only_article("# 栏目\n## 标题\n第一行  \n第二行。\n")
    assert paragraphs(article) == ["第一行\n第二行。"]
    assert "第一行<br>\n第二行。" in article.body_html


def test_full_width_indentation_is_not_content():
    article = only_article("# 栏目\n## 标题\n\u3000\u3000战鼓催征马蹄疾。\n")
    assert paragraphs(article) == ["战鼓催征马蹄疾。"]


# --- structure ----------------------------------------------------------------


def test_title_is_kept_exactly():
    title = "以“头号力度”拼出“头号工程”新图景——江门（市、区）‘百千万’！"
    assert only_article(f"# 栏目\n\n## {title}\n\n正文。\n").title == title


def test_series_heading_stays_current_until_the_next():
    document = parse("# 甲\n## 一\n正文。\n## 二\n正文。\n# 乙\n## 三\n正文。\n")
    assert [(s.name, [a.title for a in s.articles]) for s in document.series] == [("甲", ["一", "二"]), ("乙", ["三"])]


def test_several_articles_in_one_series():
    document = parse("# 百千万\n\n## 一\n\n甲。\n\n## 二\n\n乙。\n\n## 三\n\n丙。\n")
    assert [a.title for a in document.series[0].articles] == ["一", "二", "三"]


def test_a_series_heading_repeated_later_continues_the_same_series():
    document = parse("# 甲\n## 一\n正文。\n# 乙\n## 二\n正文。\n# 甲\n## 三\n正文。\n")
    assert [(s.name, [a.title for a in s.articles]) for s in document.series] == [("甲", ["一", "三"]), ("乙", ["二"])]


def test_subheadings_are_headings_inside_the_body():
    article = only_article("# 栏目\n## 标题\n引言。\n\n### 老屋活化 留住乡愁\n\n正文。\n")
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "引言。"),
        ("subheading", "老屋活化 留住乡愁"),
        ("paragraph", "正文。"),
    ]
    assert article.body_html == "<p>引言。</p>\n<h2>老屋活化 留住乡愁</h2>\n<p>正文。</p>"


def test_body_html_escapes_markup_in_the_text():
    article = only_article("# 栏目\n## 标题\n<script>alert(1)</script> & “引号”。\n")
    assert article.body_html == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; “引号”。</p>"


def test_hash_without_a_space_is_text_not_a_heading():
    article = only_article("# 栏目\n## 标题\n#百千万工程# 话题正在热议。\n")
    assert paragraphs(article) == ["#百千万工程# 话题正在热议。"]


def test_paragraphs_under_a_series_heading_are_its_intro():
    series = parse("# 奋进\n\n江门日报特刊。\n\n## 标题\n\n正文。\n").series[0]
    assert series.intro == "江门日报特刊。"


# --- bylines --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        ("（赵可义）", [Person("赵可义", "")]),
        ("（记者 李明 通讯员 王芳）", [Person("李明", "记者"), Person("王芳", "通讯员")]),
        ("（文/赵可义 图/李华）", [Person("赵可义", "文"), Person("李华", "图")]),
        ("（记者 李明、王芳）", [Person("李明", "记者"), Person("王芳", "记者")]),
        ("（记者\u3000李明\u3000通讯员\u3000王芳）", [Person("李明", "记者"), Person("王芳", "通讯员")]),
        ("（记者 李明 摄）", [Person("李明", "记者"), Person("李明", "摄")]),
        ("（文/图 赵可义）", [Person("赵可义", "文/图")]),
        ("（记者李明 通讯员 江组宣）", [Person("李明", "记者"), Person("江组宣", "通讯员")]),
        ("（江门日报社）", [Person("江门日报社", "")]),
    ],
)
def test_byline_forms(byline, people):
    article = only_article(f"# 栏目\n## 标题\n正文。\n\n{byline}\n")
    assert article.bylines == people
    assert paragraphs(article) == ["正文。"]


@pytest.mark.parametrize(
    ("glued", "spaced"),
    [
        ("（记者李明）", "（记者 李明）"),
        ("（记者江门日报社）", "（记者 江门日报社）"),
        ("（本报记者江门市委宣传部）", "（本报记者 江门市委宣传部）"),
    ],
)
def test_a_role_against_a_name_reads_as_with_a_space(glued, spaced):
    """记者江门日报社 is 江门日报社 as 记者, as with a space: one record for 江门日报社,
    not a second contributor called 记者江门日报社 (docs/seed-format.md, "Bylines")."""
    article = only_article(f"# 栏目\n## 标题\n正文。\n\n{glued}\n")
    assert article.bylines == only_article(f"# 栏目\n## 标题\n正文。\n\n{spaced}\n").bylines
    assert paragraphs(article) == ["正文。"]


def test_a_role_against_a_one_character_rest_is_one_name():
    """记者站 is not 站 as 记者: a rest of one character is no name, whatever its ending."""
    assert only_article("# 栏目\n## 标题\n正文。\n\n（记者站）\n").bylines == [Person("记者站", "")]


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        ("（文/图/李明）", [Person("李明", "文/图")]),
        ("（文／图／李明 通讯员 王芳）", [Person("李明", "文/图"), Person("王芳", "通讯员")]),
        ("（文/图/ 李明）", [Person("李明", "文/图")]),
    ],
)
def test_a_compound_role_before_a_slash(byline, people):
    """文/图/李明 is 文/图 赵可义 written with a slash: the name follows the last slash."""
    article = only_article(f"# 栏目\n## 标题\n正文。\n\n{byline}\n")
    assert article.bylines == people
    assert paragraphs(article) == ["正文。"]


@pytest.mark.parametrize("aside", ["（文/李明/王芳）", "（文//李明）", "（/李明）"])
def test_a_slash_between_names_is_no_byline(aside):
    """A compound role is made of byline roles only: 文/李明 is no role."""
    article = only_article(f"# 栏目\n## 标题\n正文。\n\n{aside}\n")
    assert article.bylines == []
    assert paragraphs(article)[-1] == aside


def test_byline_ends_the_body_and_is_not_body_text():
    article = only_article("# 栏目\n## 标题\n正文。\n\n（赵可义）\n")
    assert "赵可义" not in article.body_html


def test_parenthesised_paragraph_followed_by_more_text_is_body():
    article = only_article("# 栏目\n## 标题\n正文。\n\n（赵可义）\n\n下文。\n")
    assert article.bylines == []
    assert paragraphs(article) == ["正文。", "（赵可义）下文。"]


def test_parenthesised_note_that_is_not_names_is_body():
    article = only_article("# 栏目\n## 标题\n正文。\n\n（本文有删节，图为开平碉楼群。）\n")
    assert article.bylines == []
    assert paragraphs(article)[-1] == "（本文有删节，图为开平碉楼群。）"


# --- credits ------------------------------------------------------------------


def test_series_credit_block_directly_under_the_heading():
    document = parse("# 奋进\n\n\n\n总策划：傅健 曹乃付 王平强  \n出品人：张永源  \n出品：江门日报社\n")
    assert document.series[0].credits == [
        Person("傅健", "总策划"),
        Person("曹乃付", "总策划"),
        Person("王平强", "总策划"),
        Person("张永源", "出品人"),
        Person("江门日报社", "出品"),
    ]


def test_credit_names_separated_by_ideographic_space_or_enumeration_comma():
    document = parse("# 奋进\n总策划：傅健\u3000曹乃付、王平强\n")
    assert [p.name for p in document.series[0].credits] == ["傅健", "曹乃付", "王平强"]


def test_article_credits_after_its_byline():
    article = only_article("# 栏目\n## 标题\n正文。\n\n（记者 李明）\n\n责任编辑：王芳  \n校对：陈东\n")
    assert article.bylines == [Person("李明", "记者")]
    assert article.credits == [Person("王芳", "责任编辑"), Person("陈东", "校对")]


def test_known_credit_roles_end_an_article_without_a_byline():
    article = only_article("# 栏目\n## 标题\n正文。\n\n责任编辑：王芳\n")
    assert article.credits == [Person("王芳", "责任编辑")]
    assert paragraphs(article) == ["正文。"]


def test_text_with_a_colon_in_the_body_is_not_a_credit():
    article = only_article("# 栏目\n## 标题\n江门提出：\n\n“要加力提速。”\n\n（赵可义）\n")
    assert article.credits == []
    assert paragraphs(article) == ["江门提出：", "“要加力提速。”"]


def test_one_name_in_several_roles_is_one_person():
    document = parse("# 奋进\n总策划：赵可义\n## 标题\n正文。\n\n（赵可义）\n")
    names = {p.name for p in document.series[0].credits} | {p.name for p in document.series[0].articles[0].bylines}
    assert names == {"赵可义"}


# --- running heads ------------------------------------------------------------


def test_lone_line_repeating_a_series_name_is_dropped():
    document = parse("# 百千万\n## 标题\n正文。\n\n（赵可义）\n\n# 奋进\n\n出品：江门日报社\n\n奋进\n")
    assert document.series[1].credits == [Person("江门日报社", "出品")]
    assert document.series[1].intro == ""


def test_running_head_of_a_later_series_inside_an_article_is_dropped():
    article = parse("# 百千万\n## 标题\n是一项\n\n奋进\n\n系统工程。\n# 奋进\n出品：江门日报社\n").series[0].articles[0]
    assert paragraphs(article) == ["是一项系统工程。"]


# --- page breaks --------------------------------------------------------------


def test_paragraph_cut_by_a_page_break_is_rejoined():
    article = only_article("# 栏目\n## 标题\n“百千万工程”是一项\n\n系统工程，点多线面广。\n")
    assert paragraphs(article) == ["“百千万工程”是一项系统工程，点多线面广。"]


def test_cut_inside_a_quotation_is_rejoined():
    article = only_article("# 栏目\n## 标题\n全省各地实施“百千万\n\n工程”呈现百舸争流的态势。\n")
    assert paragraphs(article) == ["全省各地实施“百千万工程”呈现百舸争流的态势。"]


def test_a_break_between_latin_letters_or_digits_becomes_a_space():
    article = only_article("# 栏目\n## 标题\n迈入万亿 GDP\n\nCity 行列，2024\n\n2025 年。\n")
    assert paragraphs(article) == ["迈入万亿 GDP City 行列，2024 2025 年。"]


@pytest.mark.parametrize("ending", ["。", "！", "？", "……", "；", "：", "。”", "？’", "。）", "！」", "。』", ".)"])
def test_sentence_final_punctuation_ends_a_paragraph(ending):
    article = only_article(f"# 栏目\n## 标题\n第一段{ending}\n\n第二段。\n")
    assert len(paragraphs(article)) == 2


def test_closing_quote_without_final_punctuation_continues():
    article = only_article("# 栏目\n## 标题\n把“头号工程”\n\n作为抓手。\n")
    assert paragraphs(article) == ["把“头号工程”作为抓手。"]


def test_never_joined_across_a_subheading():
    article = only_article("# 栏目\n## 标题\n没有句号\n\n### 小标题\n\n下一段。\n")
    assert paragraphs(article) == ["没有句号", "下一段。"]


def test_never_joined_into_the_byline():
    article = only_article("# 栏目\n## 标题\n没有句号\n\n（赵可义）\n")
    assert paragraphs(article) == ["没有句号"]
    assert article.bylines == [Person("赵可义", "")]


def test_a_break_spanning_several_paragraphs_is_rejoined():
    article = only_article("# 栏目\n## 标题\n一\n\n二\n\n三。\n\n四。\n")
    assert paragraphs(article) == ["一二三。", "四。"]


# --- the real seed ------------------------------------------------------------


def test_real_seed(real_seed):
    document = parse_bytes(real_seed.read_bytes(), str(real_seed))
    assert [s.name for s in document.series] == ["百千万", "奋进"]
    column, special = document.series
    (article,) = column.articles
    assert article.title == "以“头号力度”拼出“头号工程”新图景"
    assert article.bylines == [Person("赵可义", "")]
    assert len(paragraphs(article)) == 16  # 19 in the export, three of them cut by a page break
    assert "“百千万工程”是一项系统工程，点多线面广" in article.body_html
    assert "共同富裕是中国式现代化的重要特征与本质要求。" in article.body_html
    assert "全省各地实施“百千万工程”呈现百舸争流" in article.body_html
    assert special.articles == []
    assert [(p.role, p.name) for p in special.credits] == REAL_SEED_SERIES_CREDITS


# --- bad input ----------------------------------------------------------------


def error_of(content: str | bytes) -> SeedError:
    data = content.encode() if isinstance(content, str) else content
    with pytest.raises(SeedError) as caught:
        parse_bytes(data, "bad.txt")
    return caught.value


@pytest.mark.parametrize("content", ["", "\n\n  \n", "\ufeff", b"\xef\xbb\xbf\r\n"])
def test_empty_file(content):
    error = error_of(content)
    assert (error.line, error.message) == (1, "文件是空的。")
    assert str(error) == "bad.txt:1: 文件是空的。"


def test_binary_bytes_are_not_text():
    error = error_of(b"# \xe6\xa0\x8f\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert error.line == 4  # where the first NUL byte is
    assert "不是文本文件" in error.message


def test_control_characters_are_not_text():
    error = error_of("# 栏目\n## 标题\n正文\x07。\n")
    assert (error.line, "不是文本文件" in error.message) == (3, True)


def test_bytes_that_are_neither_utf8_nor_gb18030():
    error = error_of("# 栏目\n## 标题\n".encode() + b"\xff\xfe\xfd\n")
    assert error.line == 3
    assert "既不是 UTF-8 也不是 GB18030" in error.message


def test_utf16_is_refused_with_advice():
    error = error_of("# 栏目\n".encode("utf-16"))
    assert "UTF-16" in error.message


def test_headline_with_no_series_before_it():
    error = error_of("\n## 以“头号力度”拼出“头号工程”新图景\n\n正文。\n")
    assert error.line == 2
    assert "之前没有专题" in error.message


def test_text_before_the_first_series():
    error = error_of("第A05版\n\n# 栏目\n## 标题\n正文。\n")
    assert error.line == 1


def test_article_with_no_body():
    error = error_of("# 栏目\n\n## 空文章\n\n## 下一篇\n\n正文。\n")
    assert (error.line, error.message) == (3, "文章“空文章”没有正文。")


def test_article_with_only_a_byline_has_no_body():
    error = error_of("# 栏目\n## 只有署名\n（赵可义）\n")
    assert error.line == 2


def test_article_with_only_subheadings_has_no_body():
    error = error_of("# 栏目\n## 标题\n### 小标题\n")
    assert "没有正文" in error.message


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("# 奋进\n\n总策划：\n出品：江门日报社\n", 3),
        ("# 奋进\n\n出品：江门日报社  \n出品人：\n", 4),
        ("# 栏目\n## 标题\n正文。\n\n（赵可义）\n\n责任编辑：王芳\n校对：\n", 8),
        ("# 栏目\n## 标题\n正文。\n\n责任编辑：\u3000\n", 5),
    ],
)
def test_credit_line_with_a_role_but_no_name(content, line):
    error = error_of(content)
    assert error.line == line
    assert "后面没有名字" in error.message


def test_empty_heading():
    assert error_of("# 栏目\n## \n正文。\n").line == 2


def test_subheading_outside_an_article():
    assert "不在任何文章里" in error_of("# 栏目\n### 小标题\n## 标题\n正文。\n").message
