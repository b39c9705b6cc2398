"""The word lists in the admin, their bulk import, and the editor's live check.

The live check (``check_view``) is an admin URL under the sensitive words
(``admin:proofing_check``): the editor's page posts the text being written
and gets the hits back as JSON (static/proofing/panel.js).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles.admin.bad_input import CheckedInput
from images.models import Image

from . import lists, services
from .models import CommonMistake, Level, SensitiveWord

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("粘贴清单"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
        help_text=_("一行一条。可以只写词语，也可以用“|”分隔写全，格式见下方说明。"),
    )
    file = forms.FileField(
        label=_("或上传文本文件"), required=False, help_text=_("UTF-8 或 GBK 编码的 .txt 文件，格式同上，最大 5 MB。")
    )

    def __init__(self, *args, section: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        if section == lists.SENSITIVE:
            self.fields["level"] = forms.ChoiceField(
                label=_("没写级别的新词"), choices=Level.choices, initial=Level.BLOCK
            )
            self.fields["category"] = forms.ChoiceField(
                label=_("没写类别的新词"), choices=SensitiveWord.Category.choices, initial=SensitiveWord.Category.OTHER
            )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        texts = [cleaned.get("text") or ""]
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("文件太大（最大 5 MB）。"))
            try:
                texts.append(lists.decode(upload.read()))
            except lists.ListError as error:
                raise forms.ValidationError(error.errors) from None
        if not any(text.strip() for text in texts):
            raise forms.ValidationError(_("请粘贴清单或选择一个文件。"))
        parsed = lists.Parsed()
        errors = []
        for name, text in zip([_("粘贴的清单"), _("文件")], texts, strict=False):
            try:
                part = lists.parse(text, section=self.section)
            except lists.ListError as error:
                errors += [f"{name}{line}" for line in error.errors]
            else:
                parsed.words += part.words
                parsed.mistakes += part.mistakes
        if errors:
            raise forms.ValidationError(errors)
        cleaned["parsed"] = parsed
        return cleaned


class ListAdmin(CheckedInput, admin.ModelAdmin):
    """The bulk import shared by both lists."""

    change_list_template = "admin/proofing/change_list.html"
    section = ""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        own = [path("import/", self.admin_site.admin_view(self.import_view), name=name)]
        return own + super().get_urls()

    def can_import(self, request, parsed: lists.Parsed | None = None) -> bool:
        """Add and change rights on this list, and on the other one if ``parsed`` has entries for it."""
        models = {self.model}
        if parsed is not None:
            given = ((SensitiveWord, parsed.words), (CommonMistake, parsed.mistakes))
            models |= {model for model, rows in given if rows}
        return all(
            request.user.has_perm(f"proofing.{action}_{model._meta.model_name}")
            for model in models
            for action in ("add", "change")
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.can_import(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.can_import(request):
            raise PermissionDenied(_("你没有权限导入清单。"))
        form = ImportForm(request.POST or None, request.FILES or None, section=self.section)
        if request.method == "POST" and form.is_valid():
            parsed = form.cleaned_data["parsed"]
            if not self.can_import(request, parsed):
                raise PermissionDenied(_("文件里还有另一个清单，你没有权限导入它。"))
            options = {key: form.cleaned_data[key] for key in ("level", "category") if key in form.cleaned_data}
            outcome = lists.load(parsed, **options)
            self.message_user(request, _("已导入：%(summary)s。") % {"summary": outcome.summary()}, messages.SUCCESS)
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        return TemplateResponse(
            request,
            "admin/proofing/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("批量导入%(name)s") % {"name": self.opts.verbose_name},
                "form": form,
                "section": self.section,
                "categories": [str(label) for label in SensitiveWord.Category.labels],
            },
        )


@admin.register(SensitiveWord)
class SensitiveWordAdmin(ListAdmin):
    section = lists.SENSITIVE
    list_display = ["word", "level", "category", "suggestion", "note", "updated_at"]
    list_filter = ["level", "category"]
    search_fields = ["word", "suggestion", "note"]
    fields = ["word", "level", "category", "suggestion", "note"]
    list_per_page = 100

    def get_urls(self):
        check = self.admin_site.admin_view(require_POST(self.check_view))
        return [path("check/", check, name="proofing_check"), *super().get_urls()]

    def check_view(self, request):
        """The live check: the text being written in, the hits out (JSON)."""
        if not request.user.has_perm("articles.change_article"):
            return _json({"error": "你没有权限修改文章，不能使用检查。"}, status=403)
        form = CheckForm(request.POST)
        if not form.is_valid():
            errors = {name: [str(message) for message in messages_] for name, messages_ in form.errors.items()}
            return _json({"error": "提交的内容有误。", "errors": errors}, status=400)
        return _json(services.check_texts(**form.texts()).as_dict())


@admin.register(CommonMistake)
class CommonMistakeAdmin(ListAdmin):
    section = lists.MISTAKES
    list_display = ["wrong", "right", "note", "updated_at"]
    search_fields = ["wrong", "right", "note"]
    fields = ["wrong", "right", "note"]
    list_per_page = 100


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


class CheckForm(forms.Form):
    """The live check's input: the article form's fields as the editor has them now."""

    kicker = forms.CharField(required=False, max_length=200)
    title = forms.CharField(required=False, max_length=200)
    subtitle = forms.CharField(required=False, max_length=200)
    summary = forms.CharField(required=False, max_length=5000)
    body = forms.CharField(required=False, max_length=2_000_000)
    cover = forms.IntegerField(required=False, min_value=1)
    names = forms.CharField(required=False, max_length=5000, help_text="署名和制作人员的名字，一行一个。")

    TEXT_FIELDS = ("kicker", "title", "subtitle", "summary", "body")

    def clean(self):
        cleaned = super().clean()
        if not any(name in self.data for name in (*self.TEXT_FIELDS, "names", "cover")):
            raise forms.ValidationError("没有要检查的文字。")
        cover = cleaned.get("cover")
        if cover is not None:
            cleaned["cover"] = Image.objects.select_related("credit").filter(pk=cover).first()
            if cleaned["cover"] is None:
                self.add_error("cover", "没有这张图片。")
        return cleaned

    def texts(self) -> dict:
        data = self.cleaned_data
        cover = data.get("cover")
        names = [name.strip() for name in data["names"].splitlines()]
        if cover is not None and cover.credit is not None:
            names.append(cover.credit.name)
        return {
            **{name: data[name] for name in self.TEXT_FIELDS},
            "cover_caption": cover.caption if cover is not None else "",
            "names": names,
        }
