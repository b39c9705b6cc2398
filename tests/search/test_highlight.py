"""Marks and snippets (search/highlight.py), on plain strings: what a reader
sees of a hit's text, escaped, with its matches marked."""

import random
import re

from search.highlight import MAX_FRAGMENTS, MAX_MATCHES, _densest_window, highlight, match_spans, snippet


def test_every_match_is_marked_and_everything_else_escaped():
    marked = "&lt;b&gt;<mark>江门</mark>&lt;/b&gt;<mark>GDP</mark>与<mark>gdp</mark>"
    assert highlight("<b>江门</b>GDP与gdp", ["gdp", "江门"]) == marked
    assert highlight("ＧＤＰ增长", ["gdp"]) == "<mark>ＧＤＰ</mark>增长"  # full width, marked in the original
    assert highlight("重10㎏的江门", ["江门"]) == "重10㎏的<mark>江门</mark>"  # NFKC changed the length before it
    assert highlight("百千万工程", ["百千万", "千万工程"]) == "<mark>百千万工程</mark>"


def test_paragraphs_run_on_joined_between_chinese_and_spaced_between_latin_words():
    assert highlight("江门。\n侨乡", ["侨乡"]) == "江门。<mark>侨乡</mark>"
    assert highlight("江门\n侨乡", []) == "江门侨乡"  # no space between two Chinese characters
    assert highlight("“江门”\n“侨乡”", []) == "“江门”“侨乡”"
    assert highlight("Jiangmen grows\nfast", []) == "Jiangmen grows fast"  # Latin words keep their space
    assert highlight("GDP\n增长", []) == "GDP增长"
    assert highlight("up\nGDP\nrises", ["gdp"]) == "up <mark>GDP</mark> rises"  # a break next to a mark


def test_a_snippet_is_the_densest_window_with_ellipses_where_text_was_skipped():
    text = "甲" * 200 + "江门" + "乙" * 30 + "江门江门" + "丙" * 200
    shown = snippet(text, ["江门"], length=60)
    assert shown.startswith("…") and shown.endswith("…") and " … " not in shown
    assert shown.count("<mark>") == 2  # both places, in one window
    assert "<mark>江门江门</mark>" in shown


def test_a_term_outside_the_window_gets_its_own_fragment_after_a_separator():
    terms = ["江门", "侨乡", "碉楼", "鹤山"]
    text = "江门" + "甲" * 300 + "侨乡" + "乙" * 300 + "碉楼" + "丙" * 300 + "鹤山" + "丁" * 300
    shown = snippet(text, terms, length=60)
    assert not shown.startswith("…") and shown.endswith("…")  # the text's start is shown
    assert shown.count(" … ") == MAX_FRAGMENTS - 1
    assert [term for term in terms if f"<mark>{term}</mark>" in shown] == terms[:MAX_FRAGMENTS]


def test_without_a_match_a_snippet_is_the_opening_or_nothing():
    assert snippet("甲" * 200, ["江门"], length=50) == "甲" * 50 + "…"
    assert snippet("甲" * 200, ["江门"], length=50, opening=False) == ""
    assert snippet("短文。", ["江门"]) == "短文。"


def test_the_densest_window_is_the_one_a_brute_force_search_finds():
    """The window search uses prefix sums and bisection (it was once quadratic
    in the number of matches); it must choose what trying every window chooses."""

    def brute_force(spans, length, size):
        best_start, best_cover = 0, -1
        for first, _ in spans:
            start = max(0, first - length // 4)
            cover = sum(min(e, start + length) - max(s, start) for s, e in spans if s < start + length and e > start)
            if cover > best_cover:
                best_start, best_cover = start, cover
        return min(best_start, size - length)

    rng = random.Random(8)
    for _ in range(300):
        size = rng.randint(130, 3000)
        text = "".join(rng.choice("江门甲乙丙丁侨乡") for _ in range(size))
        spans = match_spans(text, ["江门", "侨乡", "门甲"])
        if spans:
            assert _densest_window(spans, 120, size) == brute_force(spans, 120, size)


def unmarked(shown: str) -> str:
    """What a snippet shows outside its marks."""
    return re.sub(r"<mark>.*?</mark>", "|", shown)


def test_a_snippet_of_an_80000_character_text_with_thousands_of_matches():
    """The snippet builder is linear in the text (it once compared matches with
    each other): what it shows here; how long it takes in bench/snippets.py."""
    rng = random.Random(80)
    paragraphs, size = [], 0
    while size < 80_000:
        paragraphs.append("".join(rng.choice("的甲乙丙丁戊己庚，。…") for _ in range(rng.randint(60, 200))))
        size += len(paragraphs[-1]) + 1
    paragraphs[200] += "江门"
    paragraphs[-2] += "侨乡"
    text = "\n".join(paragraphs)
    assert text.count("的") > 5 * MAX_MATCHES

    shown = snippet(text, ["的", "江门", "侨乡"])

    assert shown.count(" … ") == 2  # the densest window, then 江门's and 侨乡's fragments
    assert "<mark>江门</mark>" in shown and "<mark>侨乡</mark>" in shown
    assert shown.count("<mark>") > 20
    assert not {"的", "江门", "侨乡"} & set(re.findall("的|江门|侨乡", unmarked(shown)))  # all it shows is marked


def test_past_the_cap_the_window_is_chosen_among_the_earlier_matches_and_fragments_are_marked_whole():
    text = "的乙" * (MAX_MATCHES + 500) + "的" * 200 + "丙" * 500 + "侨乡的的侨乡" + "丁" * 500
    shown = snippet(text, ["的", "侨乡"], length=60)
    # The run of 的 after the first MAX_MATCHES is not considered for the window; 侨乡's fragment,
    # far past them, is searched again and marked whole.
    assert shown == "<mark>的</mark>乙" * 30 + " … " + "丙" * 7 + "<mark>侨乡的的侨乡</mark>" + "丁" * 17 + "…"


def test_marks_stay_on_their_characters_in_a_long_text_where_folding_changes_the_length():
    # "…" folds into "...": the text is folded character by character and mapped back.
    text = ("……江门" + "甲" * 50 + "\n") * 1000
    marked = re.findall("<mark>(.*?)</mark>", snippet(text, ["江门"]))
    assert marked and set(marked) == {"江门"}
    assert highlight("这一㎡……的江门", ["江门", "m2"]) == "这一<mark>㎡</mark>……的<mark>江门</mark>"
    # A letter and its combining accent compose (one shorter) while ㎡ grows (one longer): not one to one.
    assert highlight("cafe\u0301，㎡", ["m2"]) == "cafe\u0301，<mark>㎡</mark>"
