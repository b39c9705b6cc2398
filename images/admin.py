from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.admin.bad_input import CheckedInput
from articles.people import user_name

from . import services
from .models import Image
from .permissions import can_upload
from .renditions import thumbnail_url
from .uploads import ACCEPTED, UploadRefused, verify_upload

METADATA = ["alt", "caption", "credit", "credit_role"]


class ImageUploadForm(forms.ModelForm):
    """The add form: the file is checked like an editor upload (images/uploads.py)
    while the form is cleaned, so a refused file is a form error and nothing is saved."""

    upload = forms.FileField(
        label=_("图片文件"),
        help_text=_("只接受 %(formats)s 格式的图片；会去掉拍摄地点等 EXIF 信息，方向自动摆正。")
        % {"formats": ACCEPTED},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )

    class Meta:
        model = Image
        fields = ["upload", *METADATA]

    def clean_upload(self):
        try:
            self.verified = verify_upload(self.cleaned_data["upload"])
        except UploadRefused as refusal:
            raise forms.ValidationError(refusal.message, code="refused") from None
        return self.cleaned_data["upload"]


@admin.register(Image)
class ImageAdmin(CheckedInput, admin.ModelAdmin):
    list_display = ["thumbnail", "title", "credit_line", "dimensions", "uploader", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    list_select_related = ["credit", "uploaded_by"]
    list_filter = ["credit_role", "uploaded_at"]
    search_fields = ["caption", "alt", "original_name", "credit__name"]
    autocomplete_fields = ["credit"]
    date_hierarchy = "uploaded_at"
    list_per_page = 50
    readonly_fields = ["preview", "dimensions", "size", "original_name", "uploaded_at", "uploader"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ImageUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["upload", *METADATA]
        return ["preview", *METADATA, "dimensions", "size", "original_name", "uploaded_at", "uploader"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def has_add_permission(self, request):
        # The same rule as the editor's upload: staff who may edit articles.
        return can_upload(request.user)

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        # A new picture goes through the upload service (the file verified once, in the form).
        return services.image_upload(
            file=form.verified, by=request.user, **{name: form.cleaned_data[name] for name in METADATA}
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change:  # a new picture has no related objects to save
            super().save_related(request, form, formsets, change)

    @admin.display(description=_("缩略图"))
    def thumbnail(self, image):
        url = thumbnail_url(image)
        if not url:
            return _("（无法显示）")
        return format_html('<img src="{}" alt="" class="images-thumbnail" width="96">', url)

    @admin.display(description=_("预览"))
    def preview(self, image):
        url = thumbnail_url(image)
        if not url:
            return _("（图片文件缺失或损坏）")
        return format_html('<a href="{}"><img src="{}" alt="" class="images-preview"></a>', image.file.url, url)

    @admin.display(description=_("图片说明"))
    def title(self, image):
        return str(image)

    @admin.display(description=_("上传人"), ordering="uploaded_by")
    def uploader(self, image):
        return user_name(image.uploaded_by) if image.uploaded_by else "—"

    @admin.display(description=_("摄影/来源"), ordering="credit__name")
    def credit_line(self, image):
        return image.credit_line

    @admin.display(description=_("尺寸"))
    def dimensions(self, image):
        return f"{image.width} × {image.height}"

    @admin.display(description=_("文件大小"), ordering="file_size")
    def size(self, image):
        return (
            f"{image.file_size / 1024:.0f} KB"
            if image.file_size < 1024 * 1024
            else f"{image.file_size / 1048576:.1f} MB"
        )
