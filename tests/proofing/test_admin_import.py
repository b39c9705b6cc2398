"""The lists in the admin: who may change them, search and filters, and the
bulk import (pasted or uploaded) a newsroom with thousands of words needs."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from proofing.models import CommonMistake, SensitiveWord
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

WORDS = "/admin/proofing/sensitiveword/"
MISTAKES = "/admin/proofing/commonmistake/"


@pytest.mark.parametrize("role, may_change", [("记者", False), ("编辑", True), ("部门主任", False), ("总编辑", True)])
def test_everyone_reads_the_lists_editors_and_the_chief_change_them(staff, client_for, role, may_change):
    client = client_for(staff.roles()[role])
    html = client.get(WORDS).content.decode()
    assert "北朝鲜" in html  # the starter list
    assert ("批量导入" in html) is may_change
    assert client.get(MISTAKES).status_code == 200
    assert client.get(f"{WORDS}import/").status_code == (200 if may_change else 403)
    response = client.post(f"{WORDS}add/", {"word": "新加的词", "level": "warn", "category": "other"})
    assert SensitiveWord.objects.filter(word="新加的词").exists() is may_change
    assert response.status_code == (302 if may_change else 403)


def test_search_and_filters(admin_client):
    html = admin_client.get(WORDS, {"q": "朝鲜"}).content.decode()
    assert "北朝鲜" in html and "国家级" not in html
    html = admin_client.get(WORDS, {"level__exact": "warn", "category__exact": "advertising"}).content.decode()
    assert "国家级" in html and "北朝鲜" not in html
    html = admin_client.get(MISTAKES, {"q": "再接再"}).content.decode()
    assert "再接再励" in html and "按装" not in html


def test_pasting_a_list(staff, client_for):
    response = client_for(staff.editor).post(
        f"{WORDS}import/",
        {"text": "粘贴词一\n粘贴词二 | 提示 | 广告 | 改法 | 说明\n北朝鲜\n", "level": "block", "category": "politics"},
        follow=True,
    )
    assert "已导入：新增 2 条，更新 0 条，1 条没有变化。" in response.content.decode()
    one, two = SensitiveWord.objects.get(word="粘贴词一"), SensitiveWord.objects.get(word="粘贴词二")
    assert (one.level, one.category) == ("block", "politics")
    assert (two.level, two.category, two.suggestion, two.note) == ("warn", "advertising", "改法", "说明")


def test_uploading_a_gbk_file_of_mistakes(staff, client_for):
    upload = SimpleUploadedFile(
        "本报错别字.txt", "# 本报清单\n上传错→上传对\n上传错二 | 上传对二 | 说明\n".encode("gbk")
    )
    response = client_for(staff.chief).post(f"{MISTAKES}import/", {"text": "", "file": upload}, follow=True)
    assert "已导入：新增 2 条" in response.content.decode()
    assert CommonMistake.objects.get(wrong="上传错").right == "上传对"
    assert CommonMistake.objects.get(wrong="上传错二").note == "说明"


def test_a_bad_line_imports_nothing_and_names_the_line(staff, client_for):
    response = client_for(staff.editor).post(
        f"{WORDS}import/", {"text": "好词甲\n坏词 | 严禁\n", "level": "block", "category": "other"}
    )
    assert response.status_code == 200
    assert "粘贴的清单第 2 行：看不懂级别“严禁”，请写“禁用”或“提示”。" in response.content.decode()
    assert not SensitiveWord.objects.filter(word="好词甲").exists()


def test_nothing_to_import(staff, client_for):
    response = client_for(staff.editor).post(f"{WORDS}import/", {"text": "  \n", "level": "block", "category": "other"})
    assert "请粘贴清单或选择一个文件。" in response.content.decode()


def test_a_file_with_the_other_list_needs_rights_on_it(staff, client_for):
    keeper = UserFactory(username="wordkeeper")
    keeper.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_sensitiveword", "add_sensitiveword", "change_sensitiveword"])
    )
    text = "[敏感词]\n词甲乙\n[错别字]\n错甲→对甲\n"
    data = {"text": text, "level": "block", "category": "other"}
    assert client_for(keeper).post(f"{WORDS}import/", data).status_code == 403
    assert not SensitiveWord.objects.filter(word="词甲乙").exists()
    client_for(staff.editor).post(f"{WORDS}import/", data)
    assert SensitiveWord.objects.filter(word="词甲乙").exists() and CommonMistake.objects.filter(wrong="错甲").exists()


def test_a_new_word_reaches_the_article_page_at_once(staff, client_for):
    article = ArticleFactory(draft=True, created_by=staff.reporter, body="<p>文中有个后加词。</p>")
    client_for(staff.editor).post(f"{WORDS}import/", {"text": "后加词", "level": "block", "category": "other"})
    html = client_for(staff.reporter).get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "文中有个<mark>后加词</mark>。" in html
