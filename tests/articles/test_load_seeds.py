"""``manage.py load_seeds``: what lands in the database, idempotence, and bad input."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Byline, Contributor, Credit, Series
from tests.helpers.repo import REAL_SEED_SERIES_CREDITS

pytestmark = pytest.mark.django_db

TWO_ARTICLES = """# 百千万

## 第一篇

正文一。

（记者 李明 通讯员 王芳）

责任编辑：赵可义

## 第二篇

正文二。

（文/赵可义 图/李华）

# 奋进

总策划：赵可义 傅健
出品：江门日报社
"""


def load(*paths, **options):
    out, err = StringIO(), StringIO()
    call_command("load_seeds", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def snapshot():
    """Everything the loader may write, to compare before and after."""
    return {
        "series": list(Series.objects.order_by("pk").values()),
        "contributors": list(Contributor.objects.order_by("pk").values()),
        "articles": list(Article.objects.order_by("pk").values()),
        "bylines": list(Byline.objects.order_by("pk").values()),
        "credits": list(Credit.objects.order_by("pk").values()),
    }


def test_real_seed_loads_a_published_article(real_seed):
    load(real_seed)
    article = Article.objects.published().get()
    assert article.title == "以“头号力度”拼出“头号工程”新图景"
    assert article.slug == "yi-tou-hao-li-du-pin-chu-tou-hao-gong-cheng-xin-tu-jing"
    assert article.series.name == "百千万"
    assert (article.source_document, article.source_line) == ("000_c6905cedc614910f.txt", 7)
    assert [(b.contributor.name, b.role) for b in article.bylines.all()] == [("赵可义", "")]
    special = Series.objects.get(name="奋进")
    assert [(c.role, c.contributor.name) for c in special.credits.all()] == REAL_SEED_SERIES_CREDITS


def test_the_same_name_is_one_contributor_everywhere(real_seed):
    load(real_seed)
    zhao = Contributor.objects.get(name="赵可义")
    assert zhao.bylines.count() == 1 and zhao.credits.count() == 1
    assert Contributor.objects.count() == 8


def test_organisations_are_recognised(write_seed):
    load(write_seed(TWO_ARTICLES))
    assert Contributor.objects.get(name="江门日报社").kind == Contributor.Kind.ORGANISATION
    assert Contributor.objects.get(name="赵可义").kind == Contributor.Kind.PERSON


def test_several_articles_and_series_with_roles_in_order(write_seed):
    load(write_seed(TWO_ARTICLES))
    first, second = Article.objects.order_by("series_position")
    assert [(b.role, b.contributor.name) for b in first.bylines.all()] == [("记者", "李明"), ("通讯员", "王芳")]
    assert [(c.role, c.contributor.name) for c in first.credits.all()] == [("责任编辑", "赵可义")]
    assert [(b.role, b.contributor.name) for b in second.bylines.all()] == [("文", "赵可义"), ("图", "李华")]
    assert [a.title for a in Series.objects.get(name="百千万").articles.order_by("series_position")] == [
        "第一篇",
        "第二篇",
    ]


def test_summary_counts(write_seed):
    out, _ = load(write_seed(TWO_ARTICLES))
    assert "专题：新建 2，更新 0，未变 0" in out
    assert "文章：新建 2，更新 0，未变 0" in out
    assert "作者/机构：新建 6，更新 0，未变 0" in out


def test_loading_again_changes_nothing(write_seed, real_seed):
    path = write_seed(TWO_ARTICLES)
    load(path, real_seed)
    before = snapshot()
    out, _ = load(path, real_seed)
    assert snapshot() == before  # no duplicates, no rewritten timestamps
    assert "文章：新建 0，更新 0，未变 3" in out
    assert "专题：新建 0，更新 0，未变 2" in out


def test_the_same_document_from_another_folder_is_the_same_document(real_seed, tmp_path):
    load(real_seed)
    copy = tmp_path / real_seed.name
    copy.write_bytes(real_seed.read_bytes())
    load(copy)
    assert Article.objects.count() == 1


def test_a_changed_document_updates_its_articles(write_seed):
    path = write_seed(TWO_ARTICLES)
    load(path)
    first = Article.objects.get(title="第一篇")
    second_before = Article.objects.get(title="第二篇")
    out, _ = load(
        write_seed(
            TWO_ARTICLES.replace("正文一。", "正文一，改过了。").replace("（记者 李明 通讯员 王芳）", "（记者 李明）")
        )
    )
    first.refresh_from_db()
    assert "正文一，改过了。" in first.body
    assert [b.contributor.name for b in first.bylines.all()] == ["李明"]
    assert first.updated_at > second_before.updated_at
    assert Article.objects.get(title="第二篇").updated_at == second_before.updated_at
    assert "文章：新建 0，更新 1，未变 1" in out


def test_a_corrected_headline_updates_the_article_and_keeps_its_address(write_seed):
    path = write_seed(TWO_ARTICLES)
    load(path)
    first = Article.objects.get(title="第一篇")
    load(write_seed(TWO_ARTICLES.replace("## 第一篇", "## 第一篇（更正）")))
    assert Article.objects.count() == 2
    first.refresh_from_db()
    assert (first.title, first.slug) == ("第一篇（更正）", "di-yi-pian")


def test_an_inserted_article_leaves_the_others_alone(write_seed):
    load(write_seed(TWO_ARTICLES))
    before = {a.title: a.updated_at for a in Article.objects.all()}
    load(write_seed(TWO_ARTICLES.replace("## 第二篇", "## 插入的\n\n新文章。\n\n## 第二篇")))
    assert Article.objects.count() == 3
    assert {a.title: a.updated_at for a in Article.objects.filter(title__in=before)} == before


def test_an_article_removed_from_the_document_is_kept_with_a_warning(write_seed):
    load(write_seed(TWO_ARTICLES))
    _, err = load(write_seed(TWO_ARTICLES.split("## 第二篇")[0] + "# 奋进\n\n出品：江门日报社\n"))
    assert "第二篇" in err
    assert Article.objects.published().filter(title="第二篇").exists()


def test_reloading_keeps_a_withdrawn_article_withdrawn(real_seed):
    load(real_seed)
    Article.objects.update(status=Article.Status.WITHDRAWN)
    load(real_seed)
    assert not Article.objects.published().exists()


def test_dry_run_writes_nothing_and_shows_the_changes(real_seed):
    out, _ = load(real_seed, dry_run=True)
    assert snapshot() == {"series": [], "contributors": [], "articles": [], "bylines": [], "credits": []}
    assert "演习" in out
    assert "新建文章：以“头号力度”拼出“头号工程”新图景" in out


def test_no_path_loads_the_seeds_folder():
    load()
    assert Article.objects.filter(source_document="000_c6905cedc614910f.txt").exists()


def test_a_folder_loads_every_txt_inside(tmp_path):
    (tmp_path / "a.txt").write_text("# 甲\n## 一\n正文。\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("# 乙\n## 二\n正文。\n")
    (tmp_path / "notes.md").write_text("not a seed")
    load(tmp_path)
    assert sorted(Article.objects.values_list("title", flat=True)) == ["一", "二"]


# --- bad input: FILE:LINE: message, non-zero exit, database untouched -----------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "bad.txt:1: 文件是空的。"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "bad.txt:3: 这不是文本文件（含有二进制数据）。"),
        ("## 标题\n\n正文。\n".encode(), "bad.txt:1: 文章标题“标题”之前没有专题"),
        ("# 栏目\n\n## 空的\n".encode(), "bad.txt:3: 文章“空的”没有正文。"),
        ("# 奋进\n\n总策划：\n".encode(), "bad.txt:3: 职务“总策划”后面没有名字。"),
        (("# 栏目\n\n## " + "长" * 201 + "\n\n正文。\n").encode(), "bad.txt:3: "),
    ],
)
def test_bad_document_fails_with_file_and_line_and_leaves_the_database_alone(write_seed, real_seed, content, expected):
    load(real_seed)
    before = snapshot()
    bad = write_seed(content, "bad.txt")
    err = StringIO()
    with pytest.raises(CommandError, match="什么都没有导入"):
        call_command("load_seeds", str(write_seed(TWO_ARTICLES, "good.txt")), str(bad), stdout=StringIO(), stderr=err)
    assert f"{bad.parent}/{expected}" in err.getvalue()
    assert snapshot() == before


def test_every_bad_document_is_reported(write_seed):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_seeds", str(write_seed(b"", "a.txt")), str(write_seed(b"", "b.txt")), stderr=err)
    assert "a.txt:1:" in err.getvalue() and "b.txt:1:" in err.getvalue()


def test_missing_path():
    with pytest.raises(CommandError, match="找不到文件或文件夹：no/such/seeds"):
        load("no/such/seeds")


# --- special issues and columns (专刊 ⊃ 栏目) ------------------------------------

ISSUE_PAGE = """# 百千万

## 侨乡新貌

正文。

（记者 李明）

# 奋进

总策划：赵可义

奋进
"""


def test_the_real_seed_makes_its_column_part_of_the_special_issue(real_seed):
    load(real_seed)
    assert Series.objects.get(name="百千万").parent == Series.objects.get(name="奋进")
    assert Series.objects.get(name="奋进").parent is None
    out, _ = load(real_seed)
    assert "专题：新建 0，更新 0，未变 2" in out  # idempotent


def test_a_later_page_without_running_head_leaves_the_column_where_it_is(write_seed):
    load(write_seed(ISSUE_PAGE, "a.txt"))
    load(write_seed("# 百千万\n\n## 第二篇\n\n正文二。\n", "b.txt"))
    assert Series.objects.get(name="百千万").parent.name == "奋进"


def test_a_page_of_one_series_with_its_running_head_holds_its_own_articles(write_seed):
    load(write_seed("# 奋进\n\n## 开篇\n\n正文。\n\n奋进\n"))
    assert Series.objects.get(name="奋进").parent is None
    assert Article.objects.get().series.name == "奋进"


def test_two_running_heads_are_a_warning_and_change_nothing(write_seed):
    page = "# 甲\n\n## 一\n\n正文。\n\n甲\n\n# 乙\n\n## 二\n\n正文。\n\n乙\n"
    _, err = load(write_seed(page))
    assert "看不出这一版属于哪个专刊" in err
    assert not Series.objects.filter(parent__isnull=False).exists()


def test_a_column_named_as_a_special_issue_is_refused_with_nothing_written(write_seed):
    load(write_seed(ISSUE_PAGE, "a.txt"))
    before = snapshot()
    # This page's running head says 百千万 is a special issue, but it is 奋进's column.
    bad = write_seed("# 百千万\n\n## 又一篇\n\n正文。\n\n# 江门\n\n## 另一篇\n\n正文。\n\n百千万\n", "b.txt")
    with pytest.raises(CommandError):
        load(bad)
    assert snapshot() == before


def test_moving_a_column_to_another_special_issue_is_reported(write_seed):
    load(write_seed(ISSUE_PAGE, "a.txt"))
    out, _ = load(write_seed("# 百千万\n\n## 又一篇\n\n正文。\n\n# 侨都\n\n侨都\n", "b.txt"), verbosity=2)
    assert Series.objects.get(name="百千万").parent.name == "侨都"
    assert "栏目“百千万”归入专刊“侨都”" in out


# --- the print date (--date) -----------------------------------------------------


def test_date_records_the_print_date_and_midnight_beijing_time(real_seed):
    load(real_seed, "--date=2026-11-28")
    article = Article.objects.get()
    assert article.print_date.isoformat() == "2026-11-28"
    assert article.publish_at.isoformat() == "2026-11-27T16:00:00+00:00"  # 00:00 in Beijing
    assert article.first_published_at == article.publish_at
    out, _ = load(real_seed, "--date=2026-11-28")
    assert "文章：新建 0，更新 0，未变 1" in out
    out, _ = load(real_seed, "--date=2026-11-29")
    assert "文章：新建 0，更新 1，未变 0" in out
    assert Article.objects.get().print_date.isoformat() == "2026-11-29"


def test_without_date_articles_go_live_now_with_no_print_date(real_seed):
    load(real_seed)
    article = Article.objects.get()
    assert article.print_date is None
    assert article.is_live


def test_a_bad_date_is_a_clear_error(real_seed):
    with pytest.raises(CommandError, match="2026-11-28 这样的格式"):
        load(real_seed, "--date=2026-02-30")
    assert not Article.objects.exists()
