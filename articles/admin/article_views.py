"""The article admin's own pages: 三审 steps, corrections, preview links and revisions.

Each view is thin: it reads the request, calls a service, and reports the
outcome. A step the user may not take raises PermissionDenied (a 403 page);
a step the article's status does not allow comes back as an error message.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST
from reversion.models import Version

from articles import revisions, services, workflow
from articles.models import Article, Transition
from articles.previews import preview_lifetime, preview_url


class ArticleWorkflowViews:
    """Mixed into ArticleAdmin."""

    change_form_template = "admin/articles/article/change_form.html"

    def get_urls(self):
        own = [
            path("<path:object_id>/workflow/", self._post(self.workflow_view), name="articles_article_workflow"),
            path("<path:object_id>/correction/", self._post(self.correction_view), name="articles_article_correction"),
            path(
                "<path:object_id>/preview-link/",
                self._post(self.preview_link_view),
                name="articles_article_preview_link",
            ),
            path("<path:object_id>/revisions/", self._view(self.revisions_view), name="articles_article_revisions"),
            path(
                "<path:object_id>/revisions/compare/",
                self._view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                self._post(self.restore_view),
                name="articles_article_restore",
            ),
        ]
        return own + super().get_urls()

    def _view(self, view):
        return self.admin_site.admin_view(view)

    def _post(self, view):
        return self.admin_site.admin_view(require_POST(view))

    def _article(self, request, object_id) -> Article:
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_permission(request, article):
            raise Http404("没有这篇文章")
        return article

    def _back(self, article):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    # --- the change page ------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is not None and self.has_view_permission(request, article):
            if request.method == "GET":
                services.record_open(article=article, user=request.user)
            extra_context = {**(extra_context or {}), **self._workflow_context(request, article)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _workflow_context(self, request, article):
        return {
            "workflow_steps": workflow.allowed_steps(request.user, article),
            "can_correct": workflow.can_correct(request.user, article),
            "can_preview": workflow.can_preview(request.user),
            "recent_openers": services.recent_openers(article=article, user=request.user),
            "preview_hours": int(preview_lifetime().total_seconds() // 3600),
        }

    # --- 三审 -------------------------------------------------------------------------

    def workflow_view(self, request, object_id):
        article = self._article(request, object_id)
        action = request.POST.get("action", "")
        if action not in Transition.Action.values:
            messages.error(request, "未知的操作。")
            return self._back(article)
        try:
            at = _parse_local_datetime(request.POST.get("publish_at", ""))
            article = services.article_transition(
                article=article,
                by=request.user,
                action=Transition.Action(action),
                comment=request.POST.get("comment", ""),
                at=at,
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(
                request, f"《{article.title}》：{Transition.Action(action).label}，现在是“{article.display_status}”。"
            )
        return self._back(article)

    def correction_view(self, request, object_id):
        article = self._article(request, object_id)
        try:
            services.article_add_correction(article=article, by=request.user, text=request.POST.get("text", ""))
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, "更正已发布，读者会在文章顶部看到。")
        return self._back(article)

    def preview_link_view(self, request, object_id):
        article = self._article(request, object_id)
        if not workflow.can_preview(request.user):
            raise PermissionDenied("你没有权限生成预览链接。")
        link = request.build_absolute_uri(preview_url(article))
        hours = int(preview_lifetime().total_seconds() // 3600)
        messages.success(request, f"预览链接（{hours} 小时内有效，无需登录）：{link}")
        return self._back(article)

    # --- revisions --------------------------------------------------------------------

    def revisions_view(self, request, object_id):
        article = self._article(request, object_id)
        return TemplateResponse(
            request,
            "admin/articles/article/revisions.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": article,
                "title": f"修订历史：{article.title}",
                "versions": [(v, revisions.version_label(v)) for v in revisions.article_versions(article)],
                "can_restore": workflow.can_edit(request.user, article),
            },
        )

    def compare_view(self, request, object_id):
        article = self._article(request, object_id)
        versions = revisions.article_versions(article)
        try:
            old = versions.get(pk=int(request.GET.get("old", "")))
            new = versions.get(pk=int(request.GET.get("new", "")))
        except (ValueError, Version.DoesNotExist):
            raise Http404("没有这个历史版本") from None
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        return TemplateResponse(
            request,
            "admin/articles/article/compare.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": article,
                "title": f"比较修订：{article.title}",
                "old_label": revisions.version_label(old),
                "new_label": revisions.version_label(new),
                "diff": revisions.compare(old, new),
            },
        )

    def restore_view(self, request, object_id, version_id):
        article = self._article(request, object_id)
        version = get_object_or_404(revisions.article_versions(article), pk=version_id)
        try:
            services.article_restore(article=article, version=version, by=request.user)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已恢复到 {revisions.version_label(version)} 的版本（这也是一个新的修订）。")
        return self._back(article)


def _parse_local_datetime(value: str):
    """The schedule field (``2026-12-01T08:00``, Beijing time); blank means now."""
    value = value.strip()
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValidationError(f"看不懂发布时间“{value}”，请用 2026-12-01 08:00 这样的格式。")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
