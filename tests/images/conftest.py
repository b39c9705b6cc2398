import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


@pytest.fixture
def upload(media):
    """POST a file to the editor's upload endpoint as CKEditor does (field ``upload``)."""

    def post(client, content: bytes, name="photo.jpg", content_type="image/jpeg", **extra):
        file = SimpleUploadedFile(name, content, content_type=content_type)
        return client.post(reverse("ckeditor_upload"), {"upload": file}, **extra)

    return post
