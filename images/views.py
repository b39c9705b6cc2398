"""The editor's picture endpoints, replacing django-ckeditor's stock uploader
under its URL names (``ckeditor_upload``, ``ckeditor_browse``) so CKEditor
finds them: an upload answering in CKEditor 4's JSON, and the library dialog."""

from django.contrib.admin import site as admin_site
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import services
from .models import Image
from .permissions import can_browse, can_upload
from .renditions import thumbnail_url
from .uploads import UploadRefused

PER_PAGE = 24
# Chinese messages as characters, not \u escapes: readable in the browser's network tab.
READABLE = {"ensure_ascii": False}
NOT_SIGNED_IN = "登录已失效，请重新登录后台后再上传图片。"
NO_FILE = "没有收到文件：请选择一张图片。"
POST_ONLY = "上传只接受 POST 请求。"


def upload_error_response(message: str, status: int) -> JsonResponse:
    """CKEditor 4's JSON answer to a refused upload: the editor shows ``message``
    (images/static/images/editor-uploads.js makes it do so for 4xx answers too)."""
    return JsonResponse({"uploaded": 0, "error": {"message": message}}, status=status, json_dumps_params=READABLE)


@never_cache
def upload(request):
    """``POST`` the picture as ``upload`` (CKEditor's field name) with Django's
    CSRF token (``X-CSRFToken``): 200 and ``{"uploaded": 1, "fileName", "url"}``,
    or 400/403 and ``{"uploaded": 0, "error": {"message"}}``. Never a redirect."""
    if request.method != "POST":
        response = upload_error_response(POST_ONLY, 405)
        response["Allow"] = "POST"
        return response
    if not request.user.is_authenticated:
        return upload_error_response(NOT_SIGNED_IN, 403)
    if not can_upload(request.user):
        return upload_error_response(services.NOT_ALLOWED, 403)
    file = request.FILES.get("upload")
    if file is None:
        return upload_error_response(NO_FILE, 400)
    try:
        image = services.image_upload(file=file, by=request.user)
    except UploadRefused as refusal:
        return upload_error_response(refusal.message, refusal.status)
    except PermissionDenied as denied:
        return upload_error_response(str(denied) or services.NOT_ALLOWED, 403)
    return JsonResponse(
        {
            "uploaded": 1,
            "fileName": image.file.name.rsplit("/", 1)[-1],
            "url": image.file.url,
            "width": image.width,
            "height": image.height,
        },
        json_dumps_params=READABLE,
    )


@never_cache
@require_GET
def browse(request):
    """The library in CKEditor's "浏览服务器" window: search, pages of
    thumbnails; a click hands the picture to the editor (images/browse.js)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not can_browse(request.user):
        raise PermissionDenied("只有可以编辑文章的采编人员才能浏览图片库。")
    query = request.GET.get("q", "").strip()
    images = Image.objects.select_related("credit").search(query)
    page = Paginator(images, PER_PAGE).get_page(request.GET.get("page"))
    func_num = request.GET.get("CKEditorFuncNum", "")
    context = {
        **admin_site.each_context(request),
        "title": "图片库",
        "is_popup": True,
        "query": query,
        "page_obj": page,
        "pictures": [(image, thumbnail_url(image)) for image in page],
        "func_num": func_num if func_num.isdigit() else "",
    }
    return render(request, "images/browse.html", context)
