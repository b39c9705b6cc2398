"""``load_seeds`` against what a real folder of exports, and a careless or
hostile hand, can give it: documents with the same file name, values longer
than their columns, endless paragraphs, bytes that are not text, devices and
pipes, documents with nothing to load, a file named twice. Bad input writes
nothing and answers FILE:LINE: message, with a non-zero exit."""

import os
import random
import signal
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from reversion.models import Version

from articles.models import Article, Byline, Contributor, Credit, Series
from articles.seeds.parser import parse_bytes
from tests.helpers.repo import REPO

pytestmark = pytest.mark.django_db

PAGE_1 = "# 侨乡观察\n\n## 第一版的头条\n\n第一版的正文。\n\n（记者 李明）\n"
PAGE_2 = "# 侨乡观察\n\n## 第二版的头条\n\n第二版的正文。\n\n（记者 王芳）\n"


def load(*paths, **options):
    out, err = StringIO(), StringIO()
    call_command("load_seeds", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def refused(*paths) -> str:
    """Load ``paths``, expect the refusal, and return what the command printed on stderr."""
    err = StringIO()
    with pytest.raises(CommandError, match="什么都没有导入"):
        call_command("load_seeds", *map(str, paths), stdout=StringIO(), stderr=err)
    return err.getvalue()


def snapshot():
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Series, Contributor, Article, Byline, Credit)
    }


def write(path, content: str | bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


@pytest.fixture
def two_pages(tmp_path):
    """An export folder where every page is called page.txt, as layout systems do."""
    folder = tmp_path / "coll"
    write(folder / "page1" / "page.txt", PAGE_1)
    write(folder / "page2" / "page.txt", PAGE_2)
    return folder


# --- documents are keyed by their path inside the folder given ---------------------------


def test_files_with_the_same_name_in_different_folders_are_different_documents(two_pages):
    out, _ = load(two_pages)
    assert "文章：新建 2，更新 0，未变 0" in out
    assert dict(Article.objects.values_list("source_document", "title")) == {
        "page1/page.txt": "第一版的头条",
        "page2/page.txt": "第二版的头条",
    }
    assert "第一版的正文" in Article.objects.get(title="第一版的头条").body
    revisions = Version.objects.count()

    out, _ = load(two_pages)
    assert "文章：新建 0，更新 0，未变 2" in out
    assert Version.objects.count() == revisions  # nothing rewritten, no revision added


def test_a_database_loaded_when_documents_were_keyed_by_file_name_gets_no_duplicates(tmp_path):
    folder = tmp_path / "export"
    write(folder / "a.txt", PAGE_1)
    write(folder / "sub" / "b.txt", PAGE_2)
    load(folder)
    # What the loader stored before: the file name only.
    Article.objects.filter(source_document="sub/b.txt").update(source_document="b.txt")
    before = set(Article.objects.values_list("pk", flat=True))

    out, _ = load(folder)
    assert "文章：新建 0，更新 0，未变 2" in out
    assert set(Article.objects.values_list("pk", flat=True)) == before
    assert Article.objects.get(title="第二版的头条").source_document == "sub/b.txt"  # found directly next time
    out, _ = load(folder)
    assert "文章：新建 0，更新 0，未变 2" in out


def test_a_database_left_by_the_old_overwriting_gets_the_lost_page_back_once(two_pages):
    # The old loader gave both page.txt files the same key: one article, holding page 2's text.
    load(two_pages / "page2" / "page.txt")
    survivor = Article.objects.get()

    out, _ = load(two_pages)
    assert "文章：新建 1，更新 0，未变 1" in out
    assert Article.objects.get(title="第二版的头条").pk == survivor.pk
    assert Article.objects.count() == 2
    out, _ = load(two_pages)
    assert "文章：新建 0，更新 0，未变 2" in out


def test_a_corrected_headline_in_a_document_under_its_old_key_updates_its_article(tmp_path):
    folder = tmp_path / "export"
    write(folder / "sub" / "b.txt", PAGE_2 + "\n## 同版的第二篇\n\n正文二。\n")
    load(folder)
    Article.objects.update(source_document="b.txt")  # loaded before keys were paths
    slug = Article.objects.get(title="第二版的头条").slug
    write(
        folder / "sub" / "b.txt",
        PAGE_2.replace("第二版的头条", "第二版的头条（更正）") + "\n## 同版的第二篇\n\n正文二。\n",
    )

    out, _ = load(folder)
    assert "文章：新建 0，更新 1，未变 1" in out
    assert Article.objects.get(title="第二版的头条（更正）").slug == slug


def test_an_unrelated_document_with_the_same_file_name_takes_nothing(tmp_path):
    load(write(tmp_path / "monday" / "page.txt", PAGE_1))  # stored as page.txt
    folder = tmp_path / "tuesday"
    write(folder / "a2" / "page.txt", PAGE_2)  # another page that happens to have the same name
    out, _ = load(folder)
    assert "文章：新建 1，更新 0，未变 0" in out
    assert dict(Article.objects.values_list("title", "source_document")) == {
        "第一版的头条": "page.txt",
        "第二版的头条": "a2/page.txt",
    }


def test_the_real_seed_stays_unchanged_from_the_folder_or_as_a_file(real_seed):
    load()
    before = snapshot()
    for paths in [(), (real_seed,), (real_seed.parent,)]:
        out, _ = load(*paths)
        assert "文章：新建 0，更新 0，未变 1" in out
    assert snapshot() == before


def test_two_different_documents_with_the_same_key_are_refused_naming_both(tmp_path, real_seed):
    load(real_seed)
    before = snapshot()
    first = write(tmp_path / "monday" / "page.txt", PAGE_1)
    second = write(tmp_path / "tuesday" / "page.txt", PAGE_2)
    err = refused(first, second)
    assert f"{second}:1: 与 {first} 同名" in err
    assert "会认领同样的文章" in err
    assert snapshot() == before


def test_the_same_bytes_found_twice_under_the_same_key_are_one_document(tmp_path):
    first = write(tmp_path / "monday" / "page.txt", PAGE_1)
    copy = write(tmp_path / "backup" / "page.txt", PAGE_1)
    out, _ = load(first, copy)
    assert "读取 1 个文档" in out
    assert "文章：新建 1，更新 0，未变 0" in out


def test_a_file_named_twice_is_loaded_once(real_seed):
    out, _ = load(real_seed, real_seed, real_seed.parent)
    assert "读取 1 个文档" in out
    assert "文章：新建 1，更新 0，未变 0" in out
    assert Article.objects.count() == 1


# --- every value fits its column, checked before anything is written ---------------------


def max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


ROLE_LIMIT = max_length(Byline, "role")
LONG_ROLE = "角" * (ROLE_LIMIT + 1)


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (
            f"# 栏目\n\n## 标题\n\n正文。\n\n（{LONG_ROLE}/李明）\n",
            7,
            f"署名角色“{LONG_ROLE}”有 {ROLE_LIMIT + 1} 个字，最多 {ROLE_LIMIT} 个字。",
        ),
        ("# " + "专" * (max_length(Series, "name") + 1) + "\n\n## 标题\n\n正文。\n", 1, "专题名“"),
        ("# 栏目\n\n## " + "题" * (max_length(Article, "title") + 1) + "\n\n正文。\n", 3, "标题“"),
    ],
    ids=["byline role", "series name", "headline"],
)
def test_a_value_longer_than_its_column_is_refused_with_file_and_line(write_seed, real_seed, content, line, message):
    load(real_seed)
    before = snapshot()
    bad = write_seed(content, "long.txt")
    err = refused(write_seed(PAGE_1, "good.txt"), bad)
    assert f"{bad}:{line}: {message}" in err
    assert snapshot() == before


def test_a_path_longer_than_its_column_is_refused(tmp_path):
    folder = tmp_path / "export"
    deep = folder / ("甲" * 80) / ("乙" * 80) / ("丙" * 80) / ("丁" * 80 + ".txt")  # 327 characters
    write(deep, PAGE_1)
    err = refused(folder)
    assert f"{deep}:1: 文档路径“" in err
    assert f"最多 {max_length(Article, 'source_document')} 个字" in err
    assert not Article.objects.exists()


# --- linear time --------------------------------------------------------------------------


# Joining lines was quadratic (15 s for the first of these). How long they take
# is measured in bench/seeds.py, never here: these check what comes out.


def test_a_paragraph_of_400000_lines_is_one_paragraph():
    data = ("# 专题\n\n## 标题\n\n" + "一行文字\n" * 400_000 + "完。\n").encode()
    document = parse_bytes(data, "long.txt")
    (block,) = document.articles[0][1].blocks
    assert block.text == "一行文字" * 400_000 + "完。"


def test_a_paragraph_cut_200000_times_by_page_breaks_is_rejoined():
    data = ("# 专题\n\n## 标题\n\n" + "被分页切开\n\n" * 200_000 + "完。\n").encode()
    document = parse_bytes(data, "cut.txt")
    (block,) = document.articles[0][1].blocks
    assert block.text == "被分页切开" * 200_000 + "完。"


# --- bytes that are not text; files that are not files ------------------------------------


def high_bytes(seed: int, size: int = 300) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randint(0x80, 0xFF) for _ in range(size))


@pytest.mark.parametrize("seed", range(12))
def test_random_high_bytes_are_not_text(write_seed, seed):
    # Some of these decode as GB18030 (into private-use characters), others do not decode at all.
    bad = write_seed(high_bytes(seed), "noise.txt")
    assert f"{bad}:1: 这不是文本文件" in refused(bad)
    assert not Series.objects.exists()


def test_high_bytes_that_decode_as_gb18030_are_still_not_text(write_seed):
    data = "# 专题\n\n## 标题\n\n".encode("gb18030") + bytes(range(0xAA, 0xB0)) * 40 + b"\n"
    bad = write_seed(data, "pua.txt")
    err = refused(bad)
    assert f"{bad}:5: 这不是文本文件：" in err
    assert "私用区或未定义的码位" in err


def test_a_rare_private_use_character_in_real_text_is_accepted(write_seed):
    # Papers encode a rare character of a name in the private-use area (造字): text, not noise.
    load(write_seed("# 侨乡观察\n\n## 标题\n\n本报记者采访了村民李\ue000生，他说今年收成很好，家家户户都忙着晒谷。\n"))
    assert "\ue000" in Article.objects.get().body


def test_nul_bytes_are_not_text(write_seed):
    bad = write_seed("# 专题\n\n## 标题\n\n正文。\n".encode() + b"\x00\x00\x01", "nul.txt")
    assert f"{bad}:6: 这不是文本文件（含有二进制数据）。" in refused(bad)


def test_a_device_is_not_a_regular_file():
    assert "/dev/null:1: 这不是普通文件（是设备文件）" in refused("/dev/null")


def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)

    def waited(signum, frame):
        raise AssertionError("load_seeds waited for a writer on the pipe")

    previous = signal.signal(signal.SIGALRM, waited)
    signal.alarm(10)
    try:
        err = refused(fifo)
        err_from_folder = refused(tmp_path)  # found inside a folder: refused too, not skipped
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert f"{fifo}:1: 这不是普通文件（是管道）" in err
    assert f"{fifo}:1: 这不是普通文件（是管道）" in err_from_folder


# --- documents with nothing to load --------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    ["# 专题\n# 专题\n# 另一个专题\n", "# 专题\n\n江门日报特刊。\n"],
)
def test_a_document_with_no_article_and_no_credits_creates_no_empty_series(write_seed, content):
    bad = write_seed(content, "headings.txt")
    assert f"{bad}:1: 文档里没有文章（“## 标题”），也没有职务名单" in refused(bad)
    assert not Series.objects.exists()


def test_a_document_with_only_series_credits_still_loads(write_seed):
    load(write_seed("# 奋进\n\n总策划：赵可义\n出品：江门日报社\n"))
    assert [c.contributor.name for c in Series.objects.get(name="奋进").credits.all()] == ["赵可义", "江门日报社"]


# --- what an operator sees at the shell ----------------------------------------------------


def test_at_the_shell_bad_input_exits_non_zero_with_every_error_and_no_traceback(tmp_path):
    write(tmp_path / "bad" / "noise.txt", high_bytes(1))
    write(tmp_path / "bad" / "headings.txt", "# 专题\n")
    write(tmp_path / "bad" / "long.txt", "# 栏目\n\n## 标题\n\n正文。\n\n（{}/李明）\n".format("角" * 30))
    env = {**os.environ, "NEWSROOM_DATA_DIR": str(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "load_seeds", str(tmp_path / "bad"), "/dev/null"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for expected in (
        "headings.txt:1: 文档里没有文章",
        "long.txt:7: 署名角色",
        "noise.txt:1: 这不是文本文件",
        "/dev/null:1: 这不是普通文件",
    ):
        assert expected in result.stderr
    assert "什么都没有导入，数据库保持原样" in result.stderr
