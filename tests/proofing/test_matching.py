"""Finding listed words in text: positions, context, levels (proofing/matching.py)."""

from proofing.matching import BLOCK, MISTAKE, SENSITIVE, WARN, Entry, Field, Matcher


def sensitive(word, level=BLOCK, category="政治", **extra):
    return Entry(word, SENSITIVE, level, category, **extra)


def mistake(wrong, right, note=""):
    return Entry(wrong, MISTAKE, WARN, "错别字", suggestion=right, note=note)


def spans(report):
    return [(hit.field, hit.start, hit.end, hit.word) for hit in report.hits]


def test_hits_with_positions_in_full_width_text():
    text = "（本报讯）“再接再励！”他说：既使下雨，也要按装好。"
    report = Matcher([mistake("再接再励", "再接再厉"), mistake("既使", "即使"), mistake("按装", "安装")]).check(
        [Field("body", "正文", text)]
    )
    assert spans(report) == [("body", 6, 10, "再接再励"), ("body", 15, 17, "既使"), ("body", 22, 24, "按装")]
    for hit in report.hits:
        assert text[hit.start : hit.end] == hit.word


def test_words_at_the_very_start_and_end():
    text = "北朝鲜代表团今天抵达，随团的有维族"
    report = Matcher([sensitive("北朝鲜"), sensitive("维族", category="规范用语")]).check(
        [Field("title", "标题", text)]
    )
    assert spans(report) == [("title", 0, 3, "北朝鲜"), ("title", len(text) - 2, len(text), "维族")]
    first, last = report.hits
    assert (first.before, first.after) == ("", "代表团今天抵达，随团的有维族")
    assert (last.before, last.after) == ("北朝鲜代表团今天抵达，随团的有", "")


def test_context_is_fifteen_characters_each_side_with_line_breaks_as_spaces():
    text = "一二三四五六七八九十甲乙丙丁戊己庚\n辛禁词壬癸子丑寅卯辰巳午未申酉戌亥天地"
    (hit,) = Matcher([sensitive("禁词")]).check([Field("body", "正文", text)]).hits
    assert (hit.start, hit.end) == (19, 21)
    assert hit.before == "五六七八九十甲乙丙丁戊己庚 辛"
    assert hit.after == "壬癸子丑寅卯辰巳午未申酉戌亥天"
    assert hit.context == "五六七八九十甲乙丙丁戊己庚 辛禁词壬癸子丑寅卯辰巳午未申酉戌亥天"


def test_mistakes_come_with_their_correction_and_note():
    matcher = Matcher([mistake("既使", "即使", note="注意“既使用……又……”")])
    (hit,) = matcher.check([Field("summary", "摘要", "既使这样")]).hits
    assert (hit.kind, hit.level, hit.level_label, hit.category) == (MISTAKE, WARN, "提示", "错别字")
    assert (hit.suggestion, hit.note) == ("即使", "注意“既使用……又……”")
    assert hit.as_dict()["suggestion"] == "即使"


def test_blocking_hits_first_then_fields_and_text_in_order():
    matcher = Matcher([sensitive("最佳", level=WARN, category="广告"), sensitive("台湾政府"), mistake("按装", "安装")])
    report = matcher.check([Field("title", "标题", "最佳按装方法"), Field("body", "正文", "最佳时机，台湾政府")])
    assert [(hit.field, hit.word, hit.level) for hit in report.hits] == [
        ("body", "台湾政府", BLOCK),
        ("title", "最佳", WARN),
        ("title", "按装", WARN),
        ("body", "最佳", WARN),
    ]
    assert report.blocking_words == ["台湾政府"]
    assert [hit.word for hit in report.warnings] == ["最佳", "按装", "最佳"]


def test_overlapping_words_are_all_found():
    """A short 禁用 word inside a longer 提示 word is not hidden by it."""
    report = Matcher([sensitive("国家级", level=WARN), sensitive("国家级新药")]).check(
        [Field("body", "正文", "这是国家级新药")]
    )
    assert {(hit.start, hit.end, hit.level) for hit in report.hits} == {(2, 5, WARN), (2, 7, BLOCK)}
    assert report.hits[0].word == "国家级新药"


def test_a_word_on_both_lists_is_reported_for_each():
    report = Matcher([sensitive("蒙族"), mistake("蒙族", "蒙古族")]).check([Field("body", "正文", "蒙族同胞")])
    assert [(hit.kind, hit.level) for hit in report.hits] == [(SENSITIVE, BLOCK), (MISTAKE, WARN)]


def test_ascii_letters_match_in_any_case_and_positions_keep():
    report = Matcher([sensitive("abc")]).check([Field("title", "标题", "全角“ABC”和 Abc")])
    assert spans(report) == [("title", 3, 6, "ABC"), ("title", 9, 12, "Abc")]


def test_empty_lists_and_empty_fields_have_no_hits():
    assert Matcher([]).check([Field("body", "正文", "任何文字")]).hits == ()
    assert Matcher([sensitive("禁词")]).check([Field("body", "正文", "")]).hits == ()
