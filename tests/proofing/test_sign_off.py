"""The 敏感词 panel at every stage, and the 禁用 rule of 终审签发: blocked
until the text changes or a 总编辑 overrides with a reason on record."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import services
from articles.models import Article, Transition
from proofing.models import SensitiveWord
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, ImageFactory, UserFactory
from tests.helpers.admin_pages import change_page

pytestmark = pytest.mark.django_db

Status = Article.Status
TITLE = "侨乡新貌按装在即"
BODY = "<p>记者走访发现，测试禁用词出现在这里。</p>"
BLOCKED = "《侨乡新貌按装在即》含禁用词“测试禁用词”，不能终审签发"


@pytest.fixture(autouse=True)
def banned():
    return SensitiveWord.objects.create(word="测试禁用词", level="block", category="politics", note="测试用")


def article_at(status, staff, body=BODY):
    live = status in (Status.PUBLISHED, Status.WITHDRAWN)
    return ArticleFactory(
        status=status,
        title=TITLE,
        body=body,
        created_by=staff.reporter,
        publish_at=timezone.now() - timedelta(hours=1) if live else None,
    )


def publish(client, article, **fields):
    return client.post(f"/admin/articles/article/{article.pk}/workflow/", {"action": "publish", **fields}, follow=True)


def no_override_signer():
    """Someone who may sign off (终审) but not override 禁用 words."""
    user = UserFactory(username="signer", first_name="赵终审")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", codename__in=["view_article", "review_final"])
    )
    return user


VIEWERS = {
    Status.DRAFT: "reporter",
    Status.RETURNED: "reporter",
    Status.FIRST_REVIEW: "editor",
    Status.SECOND_REVIEW: "desk_head",
    Status.FINAL_REVIEW: "chief",
    Status.PUBLISHED: "chief",
    Status.WITHDRAWN: "chief",
}


@pytest.mark.parametrize("status", VIEWERS)
def test_the_panel_lists_hits_at_every_stage_blocking_first(staff, client_for, status):
    article = article_at(status, staff)
    html = change_page(client_for(getattr(staff, VIEWERS[status])), article)
    panel = html[html.index('id="proofing"') :]
    panel = panel[: panel.index("</section>")]
    assert "禁用 1 处，提示 1 处" in panel
    assert "含禁用词“测试禁用词”，不能终审签发" in panel
    blocking = panel.index("<mark>测试禁用词</mark>")
    warning = panel.index("<mark>按装</mark>")
    assert blocking < warning  # 禁用 first, though the 提示 is in the title
    assert "记者走访发现，<mark>测试禁用词</mark>出现在这里。" in panel
    assert "正文第 8 字" in panel and "政治" in panel and "测试用" in panel
    assert "标题第 5 字" in panel and "建议改为“安装”" in panel


def test_the_panel_says_when_there_is_nothing(staff, client_for):
    article = article_at(Status.FIRST_REVIEW, staff, body="<p>干净的正文。</p>")
    article.title = "干净的标题"
    article.save()
    html = change_page(client_for(staff.editor), article)
    assert "已保存的文字里没有发现敏感词和错别字。" in html
    assert "不能终审签发" not in html


def test_a_blocking_word_stops_final_sign_off_with_the_words_named(staff, client_for):
    article = article_at(Status.FINAL_REVIEW, staff)
    html = publish(client_for(staff.chief), article).content.decode()
    assert f"{BLOCKED}：请修改文字，或写明放行理由后再签发。" in html
    article.refresh_from_db()
    assert article.status == Status.FINAL_REVIEW
    assert not article.transitions.exists()


def test_sign_off_passes_once_the_text_is_changed(staff, client_for):
    article = article_at(Status.FINAL_REVIEW, staff)
    Article.objects.filter(pk=article.pk).update(body="<p>记者走访发现，改好的说法出现在这里。</p>")
    publish(client_for(staff.chief), article)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.transitions.get().comment == ""


def test_the_editor_in_chief_overrides_with_a_reason_on_record(staff, client_for):
    article = article_at(Status.FINAL_REVIEW, staff)
    html = change_page(client_for(staff.chief), article)
    assert 'name="override_reason"' in html
    response = publish(client_for(staff.chief), article, override_reason="  引用外电原文，已核实  ")
    assert "终审签发" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    record = article.transitions.get()
    assert (record.action, record.actor) == (Transition.Action.PUBLISH, staff.chief)
    assert record.comment == "敏感词放行：引用外电原文，已核实（禁用词：“测试禁用词”）"
    # … and the sign-off record on the article page shows it.
    assert "敏感词放行：引用外电原文，已核实" in change_page(client_for(staff.chief), article)


def test_override_needs_a_reason(staff, client_for):
    article = article_at(Status.FINAL_REVIEW, staff)
    html = publish(client_for(staff.chief), article, override_reason="   ").content.decode()
    assert BLOCKED in html
    article.refresh_from_db()
    assert article.status == Status.FINAL_REVIEW


def test_override_needs_the_permission(staff, client_for):
    article = article_at(Status.FINAL_REVIEW, staff)
    signer = client_for(no_override_signer())
    html = change_page(signer, article)
    assert 'name="override_reason"' not in html
    assert "或请总编辑写明理由放行" in html
    response = signer.post(
        f"/admin/articles/article/{article.pk}/workflow/", {"action": "publish", "override_reason": "我觉得可以"}
    )
    assert response.status_code == 403
    assert "只有总编辑可以写明理由放行" in response.content.decode()
    html = publish(signer, article).content.decode()
    assert f"{BLOCKED}：请修改文字后再签发。" in html
    article.refresh_from_db()
    assert article.status == Status.FINAL_REVIEW
    assert not article.transitions.exists()


def test_no_override_field_without_blocking_words(staff, client_for):
    article = article_at(Status.FINAL_REVIEW, staff, body="<p>干净的正文。</p>")
    assert 'name="override_reason"' not in change_page(client_for(staff.chief), article)


def test_bulk_sign_off_is_blocked_the_same_way(staff, client_for):
    blocked = article_at(Status.FINAL_REVIEW, staff)
    clean = ArticleFactory(status=Status.FINAL_REVIEW, publish_at=None, title="干净的稿件", body="<p>好。</p>")
    response = client_for(staff.chief).post(
        "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [blocked.pk, clean.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert f"{BLOCKED}：请修改文字，或写明放行理由后再签发。" in html
    blocked.refresh_from_db()
    clean.refresh_from_db()
    assert (blocked.status, clean.status) == (Status.FINAL_REVIEW, Status.PUBLISHED)


def test_the_service_refuses_and_names_the_words(staff):
    article = article_at(Status.FINAL_REVIEW, staff)
    with pytest.raises(ValidationError) as refused:
        services.article_publish(article=article, by=staff.chief)
    assert refused.value.messages == [f"{BLOCKED}：请修改文字，或写明放行理由后再签发。"]


def test_a_warning_does_not_block(staff, client_for, banned):
    banned.level = "warn"
    banned.save()
    article = article_at(Status.FINAL_REVIEW, staff)
    publish(client_for(staff.chief), article)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_cover_caption_and_names_are_checked(staff, client_for):
    article = article_at(Status.FINAL_REVIEW, staff, body="<p>干净的正文。</p>")
    article.cover = ImageFactory(caption="图为测试禁用词现场", credit=ContributorFactory(name="阿提示摄影"))
    article.save()
    BylineFactory(article=article, contributor=ContributorFactory(name="李按装"))
    SensitiveWord.objects.create(word="阿提示", level="warn", category="usage")
    html = change_page(client_for(staff.chief), article)
    assert "头图说明第 3 字" in html and "图为<mark>测试禁用词</mark>现场" in html
    assert "署名和制作人员第 2 字" in html and "李<mark>按装</mark>" in html
    assert "<mark>阿提示</mark>摄影" in html
