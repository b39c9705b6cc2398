"""What a locked-out login sees (django-axes' AXES_LOCKOUT_CALLABLE).

The admin's own login page, status 429 with ``Retry-After``, and the reason in
Chinese where the form's errors go: not axes' English one-line page.
"""

import math

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import render


def client_address(request) -> str | None:
    """The address a login is counted under (AXES_CLIENT_IP_CALLABLE)."""
    proxies = settings.NEWSROOM_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_message() -> str:
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return (
        f"登录失败次数过多（连续 {settings.AXES_FAILURE_LIMIT} 次），"
        f"这个账号和这个网络地址的登录已暂停 {minutes} 分钟。"
        "请稍后再试；急需登录，请联系编辑部管理员在后台“访问尝试”中解除锁定。"
    )


def lockout_response(request, original_response=None, credentials=None):
    context = {
        **admin.site.each_context(request),
        "title": "登录已暂停",
        "form": AdminAuthenticationForm(request),
        "app_path": request.get_full_path(),
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "lockout_message": lockout_message(),
    }
    response = render(request, "admin/login_locked.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
