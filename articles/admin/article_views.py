"""The article admin's own pages: 三审 steps, corrections, preview links and revisions.

Each view is thin: it reads the request, calls a service, and reports the
outcome. A step the user may not take raises PermissionDenied (a 403 page);
a step the article's status does not allow comes back as an error message.
"""

import json

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST
from reversion.models import Version

from articles import dashboard, review_rules, revisions, services
from articles.models import Article, PreviewLink, Transition
from articles.people import user_name
from articles.previews import listed_links, preview_lifetime
from proofing.services import panel_context as proofing_panel_context

from .schedule import ScheduleForm, publish_at_from


class ArticleWorkflowViews:
    """Mixed into ArticleAdmin."""

    change_form_template = "admin/articles/article/change_form.html"

    @property
    def media(self):
        # The 三审 panel's 定时发布 widget (schedule.py), even where 下线时间 is read-only.
        return super().media + ScheduleForm().media

    def get_urls(self):
        own = [
            path("<path:object_id>/workflow/", self._post(self.workflow_view), name="articles_article_workflow"),
            path("<path:object_id>/presence/", self._post(self.presence_view), name="articles_article_presence"),
            path("<path:object_id>/correction/", self._post(self.correction_view), name="articles_article_correction"),
            path(
                "<path:object_id>/preview-link/",
                self._post(self.preview_link_view),
                name="articles_article_preview_link",
            ),
            path(
                "<path:object_id>/preview-link/<int:link_id>/revoke/",
                self._post(self.preview_link_revoke_view),
                name="articles_article_preview_link_revoke",
            ),
            path("<path:object_id>/revisions/", self._view(self.revisions_view), name="articles_article_revisions"),
            path(
                "<path:object_id>/revisions/compare/",
                self._view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                self._view(require_http_methods(["GET", "POST"])(self.restore_view)),
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
            # Presence: opening the page counts; a POST (a save) does not, the
            # page it shows again reports itself (articles/static/articles/presence.js).
            page = services.new_page()
            if request.method == "GET":
                services.record_open(article=article, user=request.user, page=page)
            extra_context = {
                **(extra_context or {}),
                **self._workflow_context(request, article),
                **services.presence_context(
                    article=article, user=request.user, page=page, editing=request.method == "POST"
                ),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _workflow_context(self, request, article):
        return {
            "workflow_steps": review_rules.allowed_steps(request.user, article),
            "schedule_form": ScheduleForm(),
            "can_correct": review_rules.can_correct(request.user, article),
            "can_make_preview_link": review_rules.can_make_preview_link(request.user, article),
            "preview_links": listed_links(article, user=request.user, absolute=request.build_absolute_uri),
            "preview_hours": int(preview_lifetime().total_seconds() // 3600),
            "return_notice": dashboard.return_notice(request.user, article),
            **proofing_panel_context(article=article, user=request.user),  # the 敏感词 panel
        }

    def presence_view(self, request, object_id):
        """The change page's heartbeat (presence.js): JSON {"page", "state"} (or
        the same as a form, from navigator.sendBeacon); answers who else is here."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return JsonResponse({"error": "没有这篇文章。"}, status=404)
        if not self.has_view_permission(request, article):
            return JsonResponse({"error": "你没有权限查看这篇文章。"}, status=403)
        try:
            report = json.loads(request.body) if request.content_type == "application/json" else request.POST
        except ValueError:
            report = None
        if not isinstance(report, dict):  # a QueryDict is one too
            return JsonResponse({"error": "请求格式不对：应为 JSON 对象，含 page 和 state。"}, status=400)
        try:
            present = services.presence_report(
                article=article, user=request.user, page=report.get("page", ""), state=report.get("state", "")
            )
        except ValidationError as error:
            return JsonResponse({"error": "；".join(error.messages)}, status=400)
        return JsonResponse({"present": [person.as_json() for person in present]})

    # --- 三审 -------------------------------------------------------------------------

    def workflow_view(self, request, object_id):
        article = self._article(request, object_id)
        action = request.POST.get("action", "")
        if action not in review_rules.STEPS:  # 导入, 更正, 修改已发布 are recorded, never taken here
            messages.error(request, "未知的操作。")
            return self._back(article)
        try:
            # Who may take the step first (PermissionDenied: a 403), then what they typed.
            review_rules.check_step(request.user, Transition.Action(action), article)
            at = publish_at_from(request.POST)
            article = services.article_transition(
                article=article,
                by=request.user,
                action=Transition.Action(action),
                comment=request.POST.get("comment", ""),
                at=at,
                override_reason=request.POST.get("override_reason", ""),
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
        try:
            link = services.preview_link_create(article=article, by=request.user)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
            return self._back(article)
        hours = int(preview_lifetime().total_seconds() // 3600)
        expires = timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M")
        messages.success(request, f"已生成预览链接，{hours} 小时内有效（到 {expires}）；在下方“预览链接”里复制。")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]) + "#preview-links")

    def preview_link_revoke_view(self, request, object_id, link_id):
        article = self._article(request, object_id)
        link = get_object_or_404(PreviewLink.objects.filter(article=article), pk=link_id)
        try:
            services.preview_link_revoke(link=link, by=request.user)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, "预览链接已撤销，打开它会看到“链接无效”。")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]) + "#preview-links")

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
                "can_restore": review_rules.can_edit(request.user, article),
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
        """GET: what restoring this version would change, against the current
        text, and a button to confirm. POST: restore, unless someone saved
        since the editor looked (the form carries the version they saw)."""
        article = self._article(request, object_id)
        version = get_object_or_404(revisions.article_versions(article), pk=version_id)
        if not review_rules.can_edit(request.user, article):
            raise PermissionDenied(f"你没有权限恢复《{article.title}》的历史版本。")
        confirm_url = reverse("admin:articles_article_restore", args=[article.pk, version.pk])
        if request.method == "POST":
            try:
                seen = int(request.POST.get("loaded_version", ""))
            except ValueError:
                messages.warning(request, "请先看清恢复会改动什么，再确认恢复。")
                return HttpResponseRedirect(confirm_url)
            try:
                services.article_restore(article=article, version=version, by=request.user, loaded_version=seen)
            except services.StaleEdit as stale:
                current = stale.current
                who = user_name(current.updated_by) if current.updated_by else "系统（导入）"
                when = date_format(timezone.localtime(current.updated_at), "Y年n月j日 H:i:s")
                messages.error(
                    request,
                    f"恢复被拒绝：{who} 在 {when} 修改了这篇文章（你打开确认页之后）。"
                    "下面是与最新内容重新比较的结果，请再确认一次。",
                )
                return HttpResponseRedirect(confirm_url)
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
                return self._back(article)
            messages.success(request, f"已恢复到 {revisions.version_label(version)} 的版本（这也是一个新的修订）。")
            return self._back(article)
        people = revisions.people_at(version)
        return TemplateResponse(
            request,
            "admin/articles/article/restore.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": article,
                "title": f"恢复历史版本：{article.title}",
                "version_label": revisions.version_label(version),
                "diff": revisions.compare_texts(revisions.text_of(article), version.field_dict),
                "people": revisions.compare_people(revisions.people_of(article), people),
                "missing_people": people["missing"],
                "loaded_version": article.version,
                "confirm_url": confirm_url,
            },
        )
