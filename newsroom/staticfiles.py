"""Publish only the part of django-ckeditor's static files the editor uses.

django-ckeditor ships all of CKEditor 4 (the "full" build): sample and
manual-test pages (``plugins/exportpdf/tests/manual/*.html``), helper pages
(``plugins/preview/preview.html``, ``plugins/wsc/dialogs/*.html``), the
builder's files, jQuery 1.3 for the stock browse page (galleriffic) and about
fifty plugins the newsroom never loads. Collected, every one of them would be
served from the site's own origin: HTML pages that run script as this site,
and script files that ``script-src 'self'`` trusts. ``EditorStaticFinder``
hides them from ``find()`` (runserver and the test servers) and from
``list()`` (collectstatic), so they are neither served nor collected.

The unused plugins are named once, in ``articles/editor_plugins.py``, which
also tells CKEditor not to load them.
"""

import posixpath

from django.contrib.staticfiles.finders import AppDirectoriesFinder
from whitenoise.storage import CompressedManifestStaticFilesStorage

from articles.editor_plugins import UNUSED_PLUGINS

# Everything django-ckeditor publishes lives under this static path.
CKEDITOR_STATIC = "ckeditor/"
PLUGINS = "ckeditor/ckeditor/plugins/"
# Pages (samples, manual tests, the preview and spell-checker helper pages).
HIDDEN_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
# Test and sample folders anywhere under ckeditor/.
HIDDEN_FOLDERS = frozenset({"tests", "samples", "_samples", "dev"})
# CKEditor's builder and test-runner files.
HIDDEN_NAMES = frozenset({"build-config.js", "bender-runner.config.json", "bender.js"})
# Folders nothing the newsroom loads uses: the stock browse page's galleriffic
# (with jQuery 1.3.2) and the unused plugins.
HIDDEN_PREFIXES = ("ckeditor/galleriffic/", *(f"{PLUGINS}{name}/" for name in UNUSED_PLUGINS))


def is_hidden(path: str) -> bool:
    """Whether a static path (relative to STATIC_URL) is withheld from the site."""
    path = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    if not path.startswith(CKEDITOR_STATIC):
        return False
    folders, _, name = path.rpartition("/")
    lowered = name.lower()
    return (
        lowered.endswith(HIDDEN_SUFFIXES)
        # READMEs, changelogs, security notes of the upstream project; licences stay.
        or (lowered.endswith(".md") and not lowered.startswith("license"))
        or lowered in HIDDEN_NAMES
        or not HIDDEN_FOLDERS.isdisjoint(folders.split("/"))
        or path.startswith(HIDDEN_PREFIXES)
    )


class EditorStaticFinder(AppDirectoriesFinder):
    """Django's app-directories finder, minus what ``is_hidden`` withholds."""

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            if not is_hidden(path):
                yield path, storage

    def find_in_app(self, app, path):
        if is_hidden(path):
            return None
        return super().find_in_app(app, path)


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Production static files: hashed names (cached for a year by whitenoise)
    and compressed copies, from the manifest ``collectstatic`` writes. Before
    ``collectstatic`` has run (a fresh checkout with ``DJANGO_DEBUG=0``, the
    benchmarks) pages use the plain names, which whitenoise serves from the
    apps' folders (WHITENOISE_USE_FINDERS): a missing manifest, or a file
    missing from it, never fails a page."""

    def stored_name(self, name):
        if not self.hashed_files:
            return name
        try:
            return super().stored_name(name)
        except ValueError:
            # A file added since the last collectstatic: its plain name, served
            # from the app's folder, rather than an error on every page.
            return name
