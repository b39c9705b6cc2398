"""The word lists as text: the starter list on a fresh database, the format,
loading without downgrading, and the load_proofing_lists command."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from proofing import lists
from proofing.models import CommonMistake, SensitiveWord
from proofing.services import check_texts

pytestmark = pytest.mark.django_db


def starter():
    parsed = lists.Parsed()
    for path in sorted((Path(__file__).parents[2] / "proofing" / "starter").glob("*.txt")):
        part = lists.parse(lists.decode(path.read_bytes()))
        parsed.words += part.words
        parsed.mistakes += part.mistakes
    return parsed


def test_the_starter_list_is_loaded_on_a_fresh_database():
    shipped = starter()
    assert len(shipped.words) >= 20 and len(shipped.mistakes) >= 40
    assert set(SensitiveWord.objects.values_list("word", flat=True)) == {line.word for line in shipped.words}
    assert set(CommonMistake.objects.values_list("wrong", flat=True)) == {line.wrong for line in shipped.mistakes}
    assert CommonMistake.objects.get(wrong="再接再励").right == "再接再厉"
    north = SensitiveWord.objects.get(word="北朝鲜")
    assert (north.get_level_display(), north.get_category_display(), north.suggestion) == ("禁用", "政治", "朝鲜")
    assert SensitiveWord.objects.get(word="国家级").get_level_display() == "提示"
    # … and articles are checked against it from the start.
    report = check_texts(title="一股作气，甘败下风？", body="<p>北朝鲜代表团来访。</p>")
    assert [(hit.word, hit.suggestion) for hit in report.warnings] == [
        ("一股作气", "一鼓作气"),
        ("甘败下风", "甘拜下风"),
    ]
    assert report.blocking_words == ["北朝鲜"]


def test_the_starter_migration_keeps_what_a_newsroom_changed():
    migration = importlib.import_module("proofing.migrations.0003_starter_lists")
    SensitiveWord.objects.filter(word="北朝鲜").update(level="warn")
    CommonMistake.objects.filter(wrong="按装").delete()
    migration.load_starter(apps, None)
    assert SensitiveWord.objects.get(word="北朝鲜").level == "warn"
    assert CommonMistake.objects.get(wrong="按装").right == "安装"  # what was missing comes back


def test_format_with_sections_separators_and_comments():
    parsed = lists.parse(
        "# 注释\n[敏感词]\n甲乙\n丙丁 | 提示 | 广告 | 戊己 | 说明文字\n庚辛\t禁用\n\n"
        "[错别字]\n既使→即使\n按装 | 安装 | 常见\n"
    )
    assert [(w.word, w.level, w.category, w.suggestion, w.note) for w in parsed.words] == [
        ("甲乙", None, None, None, None),
        ("丙丁", "warn", "advertising", "戊己", "说明文字"),
        ("庚辛", "block", None, None, None),
    ]
    assert [(m.wrong, m.right, m.note) for m in parsed.mistakes] == [("既使", "即使", None), ("按装", "安装", "常见")]


def test_every_bad_line_is_named_in_chinese():
    with pytest.raises(lists.ListError) as raised:
        lists.parse(
            "没有标题的一行\n[敏感词]\n词 | 严禁\n词 | 禁用 | 反动\n[错别字]\n错字\n同字 | 同字\n", section=None
        )
    assert raised.value.errors == [
        "第 1 行：不知道这一行属于哪个清单：请在前面加一行 [敏感词] 或 [错别字]。",
        "第 3 行：看不懂级别“严禁”，请写“禁用”或“提示”。",
        "第 4 行：看不懂类别“反动”，请写政治、色情、暴力、广告、规范用语、其他之一。",
        "第 6 行：“错字”缺少正确写法：写成“错误写法 | 正确写法”或“错误写法→正确写法”。",
        "第 7 行：“同字”的正确写法和错误写法相同。",
    ]


def test_gbk_files_are_read():
    assert lists.decode("[错别字]\n按装→安装\n".encode("gbk")) == "[错别字]\n按装→安装\n"
    assert lists.decode("\ufeff[敏感词]".encode()) == "[敏感词]"


def test_loading_adds_and_updates_but_a_bare_word_never_downgrades():
    SensitiveWord.objects.create(word="甲乙丙", level="block", category="politics", note="原说明")
    outcome = lists.load(lists.parse("甲乙丙\n丁戊己\n", section=lists.SENSITIVE), level="warn", category="other")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (1, 0, 1)
    kept = SensitiveWord.objects.get(word="甲乙丙")
    assert (kept.level, kept.category, kept.note) == ("block", "politics", "原说明")
    assert SensitiveWord.objects.get(word="丁戊己").level == "warn"
    outcome = lists.load(lists.parse("甲乙丙 | 提示 | | | 新说明\n", section=lists.SENSITIVE))
    assert (outcome.created, outcome.updated) == (0, 1)
    changed = SensitiveWord.objects.get(word="甲乙丙")
    assert (changed.level, changed.category, changed.note) == ("warn", "politics", "新说明")


def test_command_loads_a_newsrooms_list(tmp_path):
    path = tmp_path / "本报清单.txt"
    path.write_text("[敏感词]\n某某词甲 | 禁用 | 暴力\n某某词乙\n[错别字]\n某错→某对\n", encoding="utf-8")
    call_command("load_proofing_lists", str(path), "--level", "提示", "--category", "广告", verbosity=0)
    assert SensitiveWord.objects.get(word="某某词甲").category == "violence"
    assert (SensitiveWord.objects.get(word="某某词乙").level, SensitiveWord.objects.get(word="某某词乙").category) == (
        "warn",
        "advertising",
    )
    assert CommonMistake.objects.get(wrong="某错").right == "某对"


def test_command_kind_option_and_dry_run(tmp_path, capsys):
    path = tmp_path / "mistakes.txt"
    path.write_text("某错→某对\n", encoding="gbk")
    call_command("load_proofing_lists", str(path), "--kind", "mistakes", "--dry-run")
    assert "新增 1 条" in capsys.readouterr().out
    assert not CommonMistake.objects.filter(wrong="某错").exists()
    call_command("load_proofing_lists", str(path), "--kind", "错别字")
    assert CommonMistake.objects.filter(wrong="某错").exists()


def test_command_refuses_bad_files_and_writes_nothing(tmp_path, capsys):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("load_proofing_lists", str(tmp_path / "missing.txt"))
    path = tmp_path / "bad.txt"
    path.write_text("[敏感词]\n好词\n坏词 | 严禁\n", encoding="utf-8")
    with pytest.raises(CommandError, match="什么都没有导入"):
        call_command("load_proofing_lists", str(path))
    assert "第 3 行：看不懂级别“严禁”" in capsys.readouterr().err
    assert not SensitiveWord.objects.filter(word="好词").exists()
