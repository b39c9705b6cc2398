"""Only what the editor needs is published from django-ckeditor's static files."""

import re
from pathlib import Path

import ckeditor
import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.test import RequestFactory

from articles.editor_plugins import UNUSED_PLUGINS
from newsroom.staticfiles import is_hidden

CKEDITOR_STATIC = Path(ckeditor.__file__).parent / "static"
CKEDITOR_FILES = sorted(p.relative_to(CKEDITOR_STATIC).as_posix() for p in CKEDITOR_STATIC.rglob("*") if p.is_file())
PLUGINS = CKEDITOR_STATIC / "ckeditor" / "ckeditor" / "plugins"

# What the editor loads: the core, its skin and Chinese strings, django-ckeditor's
# start-up script, and the pictures plugins with their dialog, icons and strings.
NEEDED = [
    "ckeditor/ckeditor-init.js",
    "ckeditor/fixups.js",
    "ckeditor/ckeditor/ckeditor.js",
    "ckeditor/ckeditor/config.js",
    "ckeditor/ckeditor/styles.js",
    "ckeditor/ckeditor/contents.css",
    "ckeditor/ckeditor/lang/zh-cn.js",
    "ckeditor/ckeditor/skins/moono-lisa/editor.css",
    "ckeditor/ckeditor/skins/moono-lisa/dialog.css",
    "ckeditor/ckeditor/skins/moono-lisa/icons.png",
    "ckeditor/ckeditor/plugins/image2/plugin.js",
    "ckeditor/ckeditor/plugins/image2/dialogs/image2.js",
    "ckeditor/ckeditor/plugins/image2/lang/zh-cn.js",
    "ckeditor/ckeditor/plugins/uploadimage/plugin.js",
    "ckeditor/ckeditor/plugins/uploadwidget/plugin.js",
    "ckeditor/ckeditor/plugins/widget/images/handle.png",
    "ckeditor/ckeditor/plugins/link/dialogs/link.js",
    "ckeditor/ckeditor/plugins/table/dialogs/table.js",
    "ckeditor/ckeditor/plugins/specialchar/dialogs/specialchar.js",
    "ckeditor/ckeditor/plugins/pastefromword/filter/default.js",
    "ckeditor/ckeditor/plugins/clipboard/dialogs/paste.js",
]
SAMPLES = [
    "ckeditor/ckeditor/plugins/exportpdf/tests/manual/integration.html",
    "ckeditor/ckeditor/plugins/preview/preview.html",
    "ckeditor/ckeditor/plugins/wsc/dialogs/ciframe.html",
    "ckeditor/ckeditor/plugins/exportpdf/plugindefinition.js",
    "ckeditor/ckeditor/plugins/flash/dialogs/flash.js",
    "ckeditor/ckeditor/plugins/scayt/dialogs/options.js",
    "ckeditor/ckeditor/README.md",
    "ckeditor/ckeditor/CHANGES.md",
    "ckeditor/ckeditor/build-config.js",
    "ckeditor/ckeditor/bender-runner.config.json",
    "ckeditor/galleriffic/js/jquery-1.3.2.js",
]


def test_the_package_still_ships_what_these_tests_look_for():
    # If django-ckeditor stops shipping these, the tests below prove nothing.
    shipped = set(CKEDITOR_FILES)
    assert set(NEEDED) <= shipped
    assert set(SAMPLES) <= shipped
    assert sum(path.endswith(".html") for path in shipped) >= 17


def test_no_html_file_and_no_sample_is_findable():
    html = [path for path in CKEDITOR_FILES if path.endswith(".html")]
    assert html and all(finders.find(path) is None for path in html)
    assert [path for path in SAMPLES if finders.find(path)] == []


def test_no_path_trick_reaches_a_hidden_file():
    for path in (
        "ckeditor/ckeditor/plugins/../plugins/exportpdf/plugindefinition.js",
        "ckeditor//ckeditor/plugins/preview/preview.html",
        "/ckeditor/ckeditor/plugins/preview/preview.html",
        "ckeditor/ckeditor/plugins/preview/PREVIEW.HTML",
        "ckeditor\\ckeditor\\plugins\\preview\\preview.html",
    ):
        assert is_hidden(path), path
        assert finders.find(path) is None, path


def test_unused_plugin_folders_are_not_findable():
    shipped = [name for name in UNUSED_PLUGINS if (PLUGINS / name).is_dir()]
    assert len(shipped) > 30
    for name in shipped:
        files = [path for path in CKEDITOR_FILES if path.startswith(f"ckeditor/ckeditor/plugins/{name}/")]
        assert [path for path in files if finders.find(path)] == [], name


def test_what_the_editor_needs_is_findable():
    assert [path for path in NEEDED if finders.find(path) is None] == []
    # Licences stay with the code they cover.
    assert finders.find("ckeditor/ckeditor/LICENSE.md")


def test_collectstatic_publishes_only_what_the_editor_needs(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    collected = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert [path for path in collected if path.lower().endswith((".html", ".htm"))] == []
    assert [path for path in collected if "/tests/" in path or "/samples/" in path] == []
    assert [path for path in collected if re.search(r"(README|CHANGES|CHANGELOG)\.md$|build-config|bender", path)] == []
    plugins = {
        path.split("/")[3]
        for path in collected
        if path.startswith("ckeditor/ckeditor/plugins/") and path.count("/") > 3
    }
    assert plugins & set(UNUSED_PLUGINS) == set()
    assert not any(path.startswith("ckeditor/galleriffic/") for path in collected)
    assert set(NEEDED) <= collected
    assert "admin/js/core.js" in collected and "articles/site.css" in collected  # other apps untouched


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("ckeditor/ckeditor/plugins/exportpdf/tests/manual/integration.html", 404),
        ("ckeditor/ckeditor/plugins/preview/preview.html", 404),
        ("ckeditor/ckeditor/plugins/exportpdf/plugindefinition.js", 404),
        ("ckeditor/ckeditor/plugins/wsc/plugin.js", 404),
        ("ckeditor/ckeditor/ckeditor.js", 200),
        ("ckeditor/ckeditor/plugins/image2/plugin.js", 200),
    ],
)
def test_static_serving_under_runserver_and_the_live_server(settings, path, status):
    # runserver and the test live server both serve /static/ through this handler.
    settings.DEBUG = True
    handler = StaticFilesHandler(WSGIHandler())
    response = handler.get_response(RequestFactory().get(f"/{settings.STATIC_URL.lstrip('/')}{path}"))
    assert response.status_code == status


REQUIRES = re.compile(r"requires\s*:\s*(\"[^\"]*\"|'[^']*'|\[[^\]]*\])")


def plugin_requirements() -> dict[str, set[str]]:
    """Each shipped plugin's ``requires``, read from the code: the plugins
    compiled into ckeditor.js, then the ones that are only folders."""
    core = (PLUGINS.parent / "ckeditor.js").read_text(encoding="utf-8")
    starts = [(m.start(), m.group(1)) for m in re.finditer(r'CKEDITOR\.plugins\.add\("([a-z0-9]+)"', core)]
    requires = {}
    for (start, name), (end, _) in zip(starts, [*starts[1:], (len(core), "")], strict=True):
        found = REQUIRES.search(core, start, min(end, start + 3000))
        requires[name] = set(re.findall(r"[a-z0-9]+", found.group(1))) if found else set()
    for plugin_js in PLUGINS.glob("*/plugin.js"):
        found = REQUIRES.search(plugin_js.read_text(encoding="utf-8"))
        requires.setdefault(plugin_js.parent.name, set(re.findall(r"[a-z0-9]+", found.group(1))) if found else set())
    return requires


def test_no_plugin_the_editor_keeps_requires_one_it_removes():
    """CKEditor refuses to start when ``removePlugins`` names a plugin that a
    loaded one requires (``pastetools`` needs ``ajax``, ``link`` needs
    ``fakeobjects``). tests/browser/test_csp_in_browser.py starts the real editor."""
    from articles.editor import editor_config

    requires = plugin_requirements()
    # The reading works: known requirements are found.
    assert requires["pastetools"] == {"clipboard", "ajax"}
    assert requires["specialchar"] == {"dialog"}
    assert requires["image2"] == {"widget", "dialog"}
    config = editor_config()
    removed = set(config["removePlugins"].split(","))
    assert set(UNUSED_PLUGINS) <= removed
    loaded = (set(requires) - removed) | set(config["extraPlugins"].split(","))
    assert {name: requires[name] & removed for name in loaded if requires[name] & removed} == {}
