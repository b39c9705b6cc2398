"""The article body's field and its editor, in one place.

The body is stored as HTML in a plain text column; the editor (CKEditor 4,
through django-ckeditor) is only the widget. Moving to another editor means
changing ``BodyEditorWidget`` here and nothing else: the allow-list, the
cleaning and the rendering live in ``articles/richtext.py`` and do not care
which editor produced the HTML (see docs/security.md).
"""

from ckeditor.widgets import CKEditorWidget
from django.db import models
from django.forms import Media
from django.templatetags.static import static
from django.urls import reverse

from .editor_plugins import UNUSED_PLUGINS
from .richtext import ALLOWED, ALLOWED_CLASSES

# Our additions to the editor page: Django's CSRF token and readable errors
# for uploads (images/), captioned figures for pasted pictures and the live
# 字数 under the editor (articles/).
# They run after CKEditor itself: naming ckeditor.js first tells Django's media
# merging that order (without it, other widgets' media may put ours first).
EDITOR_SCRIPTS = Media(
    js=["ckeditor/ckeditor/ckeditor.js", "images/editor-uploads.js", "articles/editor.js", "articles/wordcount.js"]
)

TOOLBAR = [
    ["Format", "Bold", "Italic", "Underline", "Strike", "Subscript", "Superscript"],
    ["NumberedList", "BulletedList", "Blockquote", "HorizontalRule"],
    ["Link", "Unlink"],
    ["Image", "Table", "SpecialChar"],
    ["Undo", "Redo", "RemoveFormat", "Source"],
]


def allowed_content() -> str:
    """CKEditor's Advanced Content Filter rules, generated from the server's
    allow-list: what the editor keeps is what the server stores."""
    rules = []
    for tag in sorted(ALLOWED):
        attributes = sorted(ALLOWED[tag])
        if tag == "a":
            attributes = ["!href"]
        elif tag == "img":
            attributes = ["!src", *(a for a in attributes if a != "src")]
        classes = sorted(ALLOWED_CLASSES.get(tag, ()))
        rule = tag
        if attributes:
            rule += "[" + ",".join(attributes) + "]"
        if classes:
            rule += "(" + ",".join(classes) + ")"
        rules.append(rule)
    return "; ".join(rules)


def editor_config() -> dict:
    return {
        "language": "zh-cn",
        "height": 480,
        "width": "100%",
        "toolbar": "Newsroom",
        "toolbar_Newsroom": TOOLBAR,
        "format_tags": "p;h2;h3;h4",
        "contentsCss": [static("ckeditor/ckeditor/contents.css"), static("articles/editor-content.css")],
        "allowedContent": allowed_content(),
        # The marker CKEditor puts on a pasted picture while it uploads (its
        # upload widget); the uploaded picture replaces it, and the server
        # would strip it anyway.
        "extraAllowedContent": "img[data-widget]",
        # image2: pictures as <figure class="image"> with a caption; the
        # stock image plugin (inline styles, no captions) is left out.
        "extraPlugins": "image2,uploadimage",
        "removePlugins": ",".join(("image", *UNUSED_PLUGINS)),
        "image2_captionedClass": "image",
        "image2_altRequired": True,
        "image2_disableResizer": True,
        # Uploads (toolbar dialog, paste and drop) go by XHR with Django's
        # CSRF token and get JSON back; no inline-script responses.
        "uploadUrl": reverse("ckeditor_upload"),
        "filebrowserUploadUrl": reverse("ckeditor_upload"),
        "filebrowserUploadMethod": "xhr",
        "filebrowserBrowseUrl": reverse("ckeditor_browse"),
        "filebrowserWindowWidth": 960,
        "filebrowserWindowHeight": 640,
        "linkShowAdvancedTab": False,
        "linkShowTargetTab": False,
        "removeDialogTabs": "link:upload;table:advanced",
        # Keep Chinese text exactly: store “ ” — … as characters, not &ldquo; entities.
        "entities": False,
        "entities_latin": False,
        "entities_greek": False,
        "versionCheck": False,
    }


class BodyEditorWidget(CKEditorWidget):
    """CKEditor 4 with the newsroom's allow-list, pictures and uploads."""

    def _set_config(self):
        self.config.update(editor_config())
        super()._set_config()

    @property
    def media(self):
        return super().media + EDITOR_SCRIPTS


class BodyField(models.TextField):
    """An article body: HTML from the body editor, cleaned before it is stored."""

    def formfield(self, **kwargs):
        # Always the body editor, even where the admin would put its plain textarea.
        return super().formfield(**{**kwargs, "widget": BodyEditorWidget})
