"""Production settings: ``manage.py check --deploy`` prints only what
docs/security.md names and explains, and the two never drift apart."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers.processes import production, production_settings
from tests.helpers.repo import REPO

SECURITY_DOC = REPO / "docs" / "security.md"
# A row of the table in docs/security.md: | `security.W005` | printed | why… |
DOC_ROW = re.compile(r"^\|\s*`([a-z_]+\.[WE]\d{3})`\s*\|\s*(silenced|printed)\s*\|", re.M)
CHECK_ID = re.compile(r"\(([a-z_]+\.[WECID]\d{3})\)")


def documented(status: str) -> set[str]:
    return {
        check for check, row_status in DOC_ROW.findall(SECURITY_DOC.read_text(encoding="utf-8")) if row_status == status
    }


def test_check_deploy_prints_only_the_documented_warnings(tmp_path):
    result = production(tmp_path, "check", "--deploy")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "ERRORS" not in output
    assert set(CHECK_ID.findall(output)) == documented("printed"), output
    assert documented("printed") <= {"security.W005", "security.W021"}  # only the operator's HSTS choices


def test_with_subdomains_and_preload_opted_in_check_deploy_prints_nothing(tmp_path):
    result = production(
        tmp_path, "check", "--deploy", DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="1", DJANGO_SECURE_HSTS_PRELOAD="1"
    )
    assert result.returncode == 0
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_every_silenced_check_is_documented_and_the_settings_point_there():
    assert set(settings.SILENCED_SYSTEM_CHECKS) == documented("silenced")
    source = (REPO / "newsroom" / "settings.py").read_text(encoding="utf-8")
    comment = source[: source.index("SILENCED_SYSTEM_CHECKS =")].rsplit("\n\n", 1)[-1]
    assert "docs/security.md" in comment
    for check in settings.SILENCED_SYSTEM_CHECKS:
        assert check in comment


def test_every_documented_check_is_a_real_one():
    # A typo in the document (security.W05) would leave a real warning unexplained.
    import ckeditor
    import django.core.checks.security

    sources = [
        *Path(django.core.checks.security.__file__).parent.glob("*.py"),
        *Path(ckeditor.__file__).parent.glob("*.py"),
    ]
    defined = set(re.findall(r'id="([a-z_]+\.[WE]\d{3})"', "".join(p.read_text(encoding="utf-8") for p in sources)))
    names = documented("printed") | documented("silenced")
    assert "ckeditor.W001" in defined and "security.W005" in defined  # the reading works
    assert names and names <= defined


def test_production_defaults_are_the_safe_ones(tmp_path):
    assert production_settings(tmp_path) == {
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "NEWSROOM_SERVE_MEDIA": False,
    }


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DJANGO_SECURE_PROXY_SSL_HEADER": "1"}, {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]}),
        ({"DJANGO_SECURE_HSTS_SECONDS": "600"}, {"SECURE_HSTS_SECONDS": 600}),
        (
            {"DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "DJANGO_SECURE_HSTS_PRELOAD": "1"},
            {"SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True},
        ),
        ({"DJANGO_SECURE_SSL_REDIRECT": "0"}, {"SECURE_SSL_REDIRECT": False}),
    ],
)
def test_each_production_option_comes_from_the_environment(tmp_path, env, expected):
    values = production_settings(tmp_path, **env)
    assert {key: values[key] for key in expected} == expected
