"""Article body HTML: the one allow-list, cleaning, and rendering for readers.

Every write path cleans the body (``articles/services/editing.py``), and
pages clean it again as they render it, so a row written around the
services (an old database, a hand-made fix) still cannot carry script to a
reader or an editor. The allow-list is what a newspaper's text needs and
nothing more; CKEditor's own content filter is generated from it
(``articles/editor.py``), so the editor shows what will be stored.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urljoin, urlsplit

import nh3
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Tag → the attributes it may keep. Nothing else survives: no style, no id,
# no event handlers, no iframes, no forms.
ALLOWED = {
    "p": set(),
    "br": set(),
    "h2": set(),
    "h3": set(),
    "h4": set(),
    "strong": set(),
    "b": set(),
    "em": set(),
    "i": set(),
    "u": set(),
    "s": set(),
    "sub": set(),
    "sup": set(),
    "blockquote": set(),
    "ul": set(),
    "ol": set(),
    "li": set(),
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "figure": set(),  # and the classes below
    "figcaption": set(),
    "table": set(),
    "thead": set(),
    "tbody": set(),
    "tr": set(),
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "hr": set(),
}
# The only class kept: CKEditor's captioned picture (image2's <figure class="image">).
ALLOWED_CLASSES = {"figure": {"image"}}
LINK_SCHEMES = {"http", "https", "mailto"}
# Elements removed together with everything inside them (not just unwrapped).
DROPPED_WITH_CONTENT = {"script", "style", "template", "textarea", "select", "noscript", "title", "xmp", "iframe"}
EXTERNAL_LINK_REL = "noopener noreferrer"

_NUMBER = re.compile(r"[1-9][0-9]{0,4}")
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_LINK = re.compile(r'<a href="([^"]*)">')
_TAG_NAME = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9-]*)")


def image_source_allowed(src: str) -> bool:
    """Pictures come from this site's media or a host the newsroom trusts
    (``NEWSROOM_IMAGE_HOSTS``); never data:, javascript: or anyone else's."""
    media = settings.MEDIA_URL if settings.MEDIA_URL.startswith(("/", "http")) else "/" + settings.MEDIA_URL
    path = unquote(src)
    if src.startswith(media) and ".." not in path and "\\" not in path:  # browsers read \ as / and %2e%2e as ..
        return True
    parts = urlsplit(src)
    return parts.scheme in ("http", "https") and parts.hostname in set(settings.NEWSROOM_IMAGE_HOSTS)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if image_source_allowed(value) else None
    if attribute in ("width", "height", "colspan", "rowspan"):
        return value if _NUMBER.fullmatch(value.strip()) else None
    if attribute == "scope":
        return value if value in ("row", "col", "rowgroup", "colgroup") else None
    return value


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED),
    attributes=ALLOWED,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attribute_filter=_attribute_filter,
    url_schemes=LINK_SCHEMES,
    allowed_classes=ALLOWED_CLASSES,
    link_rel=None,  # added below, to external links only
    strip_comments=True,
)


def _external(href: str) -> bool:
    return href.lower().startswith(("http:", "https:", "//"))


def _with_rel(match: re.Match) -> str:
    href = match.group(1)
    if _external(href):
        return f'<a href="{href}" rel="{EXTERNAL_LINK_REL}">'
    return match.group(0)


def clean_body(html: str) -> str:
    """The body as it may be stored and shown: only the allow-list survives.

    Idempotent: cleaning a clean body gives it back byte for byte, so
    ordinary newspaper markup (and full-width punctuation, curly quotes)
    passes through unchanged.
    """
    cleaned = _cleaner.clean(html or "")
    cleaned = _IMG_WITHOUT_SRC.sub("", cleaned)  # a picture from nowhere is no picture
    return _LINK.sub(_with_rel, cleaned)


@dataclass
class Cleaning:
    """What cleaning a body took out, said so the editor is told."""

    html: str
    removed: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.removed)

    def summary(self) -> str:
        return "、".join(f"<{tag}> ×{count}" if count > 1 else f"<{tag}>" for tag, count in self.removed.items())


def clean_body_reporting(html: str) -> Cleaning:
    """``clean_body``, and which elements did not survive (pictures from
    other sites, scripts, frames, forms …)."""
    cleaned = clean_body(html)
    before = Counter(tag.lower() for tag in _TAG_NAME.findall(html or ""))
    after = Counter(tag.lower() for tag in _TAG_NAME.findall(cleaned))
    return Cleaning(cleaned, before - after)


# How wide a picture in the text is shown, for the browser to pick a rendition.
BODY_PICTURE_SIZES = "(max-width: 760px) 100vw, 720px"
_IMG = re.compile(r"<img\s[^>]*>")
_ATTRIBUTE = re.compile(r'([a-z]+)="([^"]*)"')
_SRC = re.compile(r'\ssrc="([^"]*)"')


def render_body(html: str) -> SafeString:
    """The body for a page: cleaned (again), with pictures from the image
    library served as responsive renditions, never as the original upload.
    One query when the body has pictures, none otherwise."""
    from images.renditions import picture_html  # images imports articles

    cleaned = clean_body(html)

    def picture(tag: str, attributes: dict, image) -> str:
        if image is None:  # an allow-listed host's picture: shown as it is, loaded when scrolled to
            return tag[:-1] + ' loading="lazy">'
        alt = unescape(attributes.get("alt", "")) or None
        return picture_html(image, sizes=BODY_PICTURE_SIZES, lazy=True, alt=alt)

    rendered = _each_picture(cleaned, _library([cleaned]), picture)
    return mark_safe(rendered)  # noqa: S308 - cleaned against the allow-list, pictures built with format_html


_LINK_HREF = re.compile(r'(<a href=")([^"]*)(")')


def render_bodies_for_feed(bodies: list[tuple[str, str]], *, absolute) -> list[str]:
    """Bodies for feed readers, each given with its page's path, as
    ``(body, path)``: cleaned (again), links and pictures made absolute (a
    reader shows them away from this site), and library pictures as one plain
    ``<img>`` of a rendition, never the original upload (readers take neither
    ``<picture>`` nor ``srcset`` reliably). ``absolute`` turns a path into a
    URL (``request.build_absolute_uri``). One query for all the pictures of
    all the bodies, none without pictures."""
    from images.renditions import img_html  # images imports articles

    cleaned = [(clean_body(body), absolute(path)) for body, path in bodies]
    library = _library([html for html, _ in cleaned])

    def render(html: str, base: str) -> str:
        def picture(tag: str, attributes: dict, image) -> str:
            alt = unescape(attributes.get("alt", "")) or None
            shown = img_html(image, absolute=absolute, alt=alt) if image is not None else ""
            if shown:
                return shown
            # An allow-listed host's picture (or one whose renditions cannot be made): its own URL, absolute.
            src = unescape(attributes["src"])
            return tag.replace(f'src="{attributes["src"]}"', f'src="{escape(urljoin(base, src))}"', 1)

        def link(match: re.Match) -> str:
            return match.group(1) + escape(urljoin(base, unescape(match.group(2)))) + match.group(3)

        return _LINK_HREF.sub(link, _each_picture(html, library, picture))

    return [render(html, base) for html, base in cleaned]


def _library(htmls: list[str]) -> dict:
    """The library pictures that the ``<img>`` of cleaned ``htmls`` show, by
    source: one query for all of them, none when there are no pictures."""
    from images.models import Image  # images imports articles

    sources = {unescape(src) for html in htmls for tag in _IMG.findall(html) for src in _SRC.findall(tag)}
    return Image.objects.by_sources(sources) if sources else {}


def _each_picture(html: str, library: dict, render) -> str:
    """``html`` with each ``<img>`` replaced by ``render(tag, attributes,
    image)``, where ``image`` is its library picture or None."""

    def replace(match: re.Match) -> str:
        attributes = dict(_ATTRIBUTE.findall(match.group(0)))
        return render(match.group(0), attributes, library.get(unescape(attributes["src"])))

    return _IMG.sub(replace, html)
