"""images/static/images/editor-uploads.js leans on CKEditor 4.22's fileLoader:
these fail, by name, when a django-ckeditor upgrade changes what it wraps."""

import re

from django.contrib.staticfiles import finders


def read_static(path: str) -> str:
    found = finders.find(path)
    assert found, f"{path} is not among the static files"
    with open(found, encoding="utf-8-sig") as file:
        return file.read()


def test_the_upload_script_is_a_static_file_without_inline_tricks():
    script = read_static("images/editor-uploads.js")

    assert "X-CSRFToken" in script and "attachRequestListeners" in script
    assert "eval(" not in script and "innerHTML" not in script


def test_ckeditor_fileloader_still_sets_xhr_onload_in_attach_request_listeners():
    ckeditor = read_static("ckeditor/ckeditor/ckeditor.js")

    listeners = ckeditor.split("attachRequestListeners:function(){", 1)
    assert len(listeners) == 2, "CKEditor's fileLoader has no attachRequestListeners() any more"
    assert ".onload=function(){" in listeners[1][:1500], "attachRequestListeners() no longer sets xhr.onload"
    assert 'changeStatus("error")' in listeners[1][:1500]


def test_ckeditor_still_opens_and_sends_uploads_around_our_header():
    ckeditor = read_static("ckeditor/ckeditor/ckeditor.js")

    # Opened at priority 5 with the picture as "upload", sent at 999: our header goes in at 10.
    assert re.search(r'xhr\.open\("POST",\w+\.uploadUrl,!0\);[^}]*requestData\.upload=[^}]*}},null,null,5\)', ckeditor)
    assert re.search(r"\w+\.xhr\.send\(\w+\)},null,null,999\)", ckeditor)
