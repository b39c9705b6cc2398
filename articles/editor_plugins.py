"""The CKEditor 4 plugins the newsroom does not use, named once.

django-ckeditor ships CKEditor's "full" build: most plugins are compiled into
``ckeditor.js`` and load their dialogs, icons and language files from
``ckeditor/ckeditor/plugins/<name>/``; the rest are only folders there. This
tuple is used twice from here:

- ``articles/editor.py`` passes it to CKEditor as ``removePlugins``, so none
  of these is loaded or offered in the editor;
- ``newsroom/staticfiles.py`` hides their folders, so they are neither served
  nor collected.

A plugin stays off this list when the editor uses it or when a plugin it uses
requires it (CKEditor refuses to start if a required plugin is removed):
``ajax`` and ``xml`` stay because ``pastetools`` (paste from Word, Google
Docs, LibreOffice) requires ``ajax``; ``fakeobjects`` because ``link`` does;
``widget``, ``lineutils``, ``uploadwidget``, ``filetools``, ``notification``
and ``notificationaggregator`` because ``image2`` and ``uploadimage`` do.
``tests/newsroom/test_staticfiles.py`` fails if a plugin on this list is
still required by one the editor loads, and
``tests/browser/test_csp_in_browser.py`` starts the real editor.
"""

UNUSED_PLUGINS = (
    # Output, printing and document-level tools: a body is a fragment, not a page.
    "exportpdf",
    "preview",
    "print",
    "save",
    "newpage",
    "docprops",
    "templates",
    "pagebreak",
    # Embedded or active content the allow-list removes anyway.
    "flash",
    "iframe",
    "iframedialog",
    "forms",
    "embed",
    "embedbase",
    "embedsemantic",
    "autoembed",
    "mathjax",
    "codesnippet",
    "codesnippetgeshi",
    "placeholder",
    # Styling that becomes style attributes or classes (not kept by the allow-list).
    "font",
    "colorbutton",
    "colordialog",
    "justify",
    "indentblock",
    "liststyle",
    "stylescombo",
    "stylesheetparser",
    "copyformatting",
    "div",
    "dialogadvtab",
    "bidi",
    "language",
    "smiley",
    "uicolor",
    "showblocks",
    # The stock picture dialog: image2 (captioned <figure>) replaces it.
    "image",
    # Remote spell-checkers (send the text to a third party; end-of-life services).
    "scayt",
    "wsc",
    # Other editors' integrations, developer tools and alternative layouts.
    "about",
    "adobeair",
    "bbcode",
    "devtools",
    "divarea",
    "sharedspace",
    "sourcedialog",
    "autogrow",
    "autolink",
    "tableresize",
    "find",
)
