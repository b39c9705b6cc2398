"""What a page says about itself to crawlers, chat apps and feed readers:
canonical URL, Open Graph and Twitter card tags, JSON-LD (schema.org) and
the feeds it offers.

Built as plain data (``ShareMeta``: lists of pairs and dicts) from what the
view already loaded, so it costs no query: the article page's queryset brings
the series (and its special issue), the cover and the bylines with their
contributors. ``{% share_meta %}`` (articles/templatetags/share_tags.py)
renders it in ``base.html``; tests read it back from the page.

Which page this is comes from the URL name, not from the context alone (the
search page has a ``series`` too: its filter). Previews get ``noindex`` and
nothing that names or describes the draft; error and search pages (whose
templates say ``noindex``) only the feed links.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page
from django.utils import timezone

from images import renditions

from .chinese import join_lines, shortened
from .links import fixed_url, slug_url, static_url
from .models import Article, Contributor, Series

# Characters of a description (Open Graph, Twitter, <meta name="description">).
DESCRIPTION_LENGTH = 160
LOCALE = "zh_CN"
LANGUAGE = "zh-CN"
# The publisher's logo when NEWSROOM_PUBLISHER_LOGO is not set, and its size.
DEFAULT_LOGO = "articles/publisher-logo.png"
DEFAULT_LOGO_SIZE = (512, 512)
RSS, ATOM = "application/rss+xml", "application/atom+xml"
# A path from the site's root that build_absolute_uri() would leave as it is:
# no "//" in front (another host), only the characters iri_to_uri() keeps.
_ABSOLUTE_PATH_URI = re.compile(r"/(?!/)[-A-Za-z0-9_.~/#%\[\]=:;$&()+,!?*@']*")


@dataclass
class ShareMeta:
    """Everything ``{% share_meta %}`` prints, in order."""

    robots: str = ""
    canonical: str = ""
    description: str = ""
    open_graph: list[tuple[str, str]] = field(default_factory=list)
    twitter: list[tuple[str, str]] = field(default_factory=list)
    feeds: list[dict] = field(default_factory=list)
    json_ld: list[dict] = field(default_factory=list)


def share_meta(context) -> ShareMeta:
    """The share metadata of the page being rendered with ``context``."""
    request = context.get("request")
    if request is None:  # an error page rendered without a request
        return ShareMeta()
    page = _Page(request, context)
    meta = ShareMeta(feeds=site_feeds())
    match = request.resolver_match
    view_name = match.view_name if match else ""
    if "exception" in context or match is None:  # 404, 403, 400: nothing to share (their templates say noindex)
        return meta
    article = context.get("article")
    if view_name in ("articles:article-detail", "articles:article-preview") and isinstance(article, Article):
        if context.get("is_preview") or not article.is_live:
            meta.robots = "noindex, nofollow"  # a draft never gets a card or structured data
            return meta
        return _article(meta, page, article)
    series = context.get("series")
    if view_name == "articles:series-detail" and isinstance(series, Series):
        return _series(meta, page, series)
    contributor = context.get("contributor")
    if view_name == "articles:contributor-detail" and isinstance(contributor, Contributor):
        return _contributor(meta, page, contributor)
    if view_name == "articles:home":
        return _home(meta, page)
    if view_name == "search:search":
        # Result pages are never indexed (search.html says noindex), so no
        # card and no canonical, which would only echo the reader's query.
        return meta
    # Any other public page (the archive …): itself, and the site's card.
    meta.canonical = page.canonical(request.path)
    site = settings.NEWSROOM_SITE_NAME
    _cards(meta, page, kind="website", title=site, description=site_description(), url=meta.canonical)
    return meta


# --- one builder per kind of page ------------------------------------------------------


def _article(meta: ShareMeta, page: "_Page", article: Article) -> ShareMeta:
    path = article.get_absolute_url()
    url = page.canonical(path, paginated=False)
    meta.canonical = url
    description = _description(article.abstract)
    image = share_image(page, article.cover)
    _cards(meta, page, kind="article", title=article.title, description=description, url=url, image=image)
    published, modified = article_dates(article)
    chain = series_chain(article.series)
    meta.open_graph += [
        ("article:published_time", _iso(published)),
        ("article:modified_time", _iso(modified)),
    ]
    if chain:
        meta.open_graph.append(("article:section", chain[0].name))
    meta.open_graph += [("article:author", page.absolute(c.get_absolute_url())) for c in authors(article)]
    news = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": f"{url}#article",
        "headline": article.title,
        "description": description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": LANGUAGE,
        "datePublished": _iso(published),
        "dateModified": _iso(modified),
        "author": [_agent(page, contributor) for contributor in authors(article)] or [page.publisher],
        "publisher": page.publisher,
    }
    if article.subtitle:
        news["alternativeHeadline"] = article.subtitle
    if image:
        news["image"] = {
            "@type": "ImageObject",
            "url": image["url"],
            "width": image["width"],
            "height": image["height"],
        }
    if chain:
        news["articleSection"] = [series.name for series in chain]
        news["isPartOf"] = _series_node(page, chain)
    if article.print_page:
        news["printPage"] = article.print_page
    crumbs = [(series.name, series.get_absolute_url()) for series in reversed(chain)]
    meta.json_ld = [news, _breadcrumbs(page, [*crumbs, (article.title, path)])]
    return meta


def _series(meta: ShareMeta, page: "_Page", series: Series) -> ShareMeta:
    url = page.canonical(series.get_absolute_url())
    meta.canonical = url
    description = _description(series.intro) or f"{series.name} - {settings.NEWSROOM_SITE_NAME}"
    image = share_image(page, series.cover)
    _cards(meta, page, kind="website", title=series.name, description=description, url=url, image=image)
    meta.feeds += series_feeds(series)
    chain = series_chain(series)
    collection = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": series.name,
        "description": description,
        "inLanguage": LANGUAGE,
        "isPartOf": _website(page),
        "mainEntity": _series_node(page, chain),
    }
    crumbs = [(s.name, s.get_absolute_url()) for s in reversed(chain)]
    meta.json_ld = [collection, _breadcrumbs(page, crumbs)]
    return meta


def _contributor(meta: ShareMeta, page: "_Page", contributor: Contributor) -> ShareMeta:
    url = page.canonical(contributor.get_absolute_url())
    meta.canonical = url
    description = _description(contributor.bio) or f"{contributor.name}在{settings.NEWSROOM_SITE_NAME}的文章"
    _cards(meta, page, kind="profile", title=contributor.name, description=description, url=url)
    person = _agent(page, contributor)
    if contributor.bio:
        person["description"] = contributor.bio
    meta.json_ld = [
        {
            "@context": "https://schema.org",
            "@type": "ProfilePage",
            "@id": url,
            "url": url,
            "name": contributor.name,
            "inLanguage": LANGUAGE,
            "isPartOf": _website(page),
            "mainEntity": person,
        }
    ]
    return meta


def _home(meta: ShareMeta, page: "_Page") -> ShareMeta:
    home = page.absolute(page.home)
    url = page.canonical(page.home)
    meta.canonical = url
    description = site_description()
    _cards(meta, page, kind="website", title=settings.NEWSROOM_SITE_NAME, description=description, url=url)
    search = page.absolute(fixed_url("search:search"))
    website = {
        **_website(page),
        "name": settings.NEWSROOM_SITE_NAME,
        "url": home,
        "inLanguage": LANGUAGE,
        "publisher": page.publisher,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
    collection = {
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": settings.NEWSROOM_SITE_NAME,
        "description": description,
        "inLanguage": LANGUAGE,
        "isPartOf": {"@id": website["@id"]},
    }
    meta.json_ld = [{"@context": "https://schema.org", "@graph": [website, collection]}]
    return meta


# --- pieces ----------------------------------------------------------------------------


class _Page:
    """The request and context of the page, for absolute URLs and its page number."""

    def __init__(self, request, context):
        self.request = request
        # Not ``or``: a Page's truth is its length, which would load its list here.
        page = context.get("page_obj")
        if page is None:
            page = context.get("page")
        self.number = page.number if isinstance(page, Page) else 1

    @cached_property
    def publisher(self) -> dict:
        """``publisher()``, built once for the page."""
        return publisher(self)

    def absolute(self, path: str) -> str:
        """``request.build_absolute_uri(path)``. A page makes a dozen, of
        paths from ``reverse()``, ``static()`` or a storage, which are URIs
        already: those get the origin in front (what Django does for them,
        after quoting nothing), at a tenth of the cost."""
        if _ABSOLUTE_PATH_URI.fullmatch(path):
            return self.origin + path
        return self.request.build_absolute_uri(path)

    @cached_property
    def home(self) -> str:
        """The home page's path, which a page names up to five times."""
        return fixed_url("articles:home")

    @cached_property
    def origin(self) -> str:
        """``https://example.com``: the scheme and host ``absolute()`` puts in front."""
        return self.request.build_absolute_uri("/")[:-1]

    def canonical(self, path: str, *, paginated: bool = True) -> str:
        """``path`` made absolute with only the query that names the content,
        ``?page=N`` past the first page: tracking parameters (``utm_*``,
        ``from=…``) and anything else a link added are dropped."""
        page = f"?{urlencode({'page': self.number})}" if paginated and self.number > 1 else ""
        return self.absolute(path) + page


def site_description() -> str:
    return settings.NEWSROOM_SITE_DESCRIPTION or f"{settings.NEWSROOM_SITE_NAME}：新闻、专刊与栏目"


def site_feeds() -> list[dict]:
    name = settings.NEWSROOM_SITE_NAME
    return [
        {"type": RSS, "title": name, "href": fixed_url("articles:feed-latest")},
        {"type": ATOM, "title": f"{name}（Atom）", "href": fixed_url("articles:feed-latest-atom")},
    ]


def series_feeds(series: Series) -> list[dict]:
    title = f"{series.name} - {settings.NEWSROOM_SITE_NAME}"
    return [
        {"type": RSS, "title": title, "href": slug_url("articles:series-feed", series.slug)},
        {
            "type": ATOM,
            "title": f"{title}（Atom）",
            "href": slug_url("articles:series-feed-atom", series.slug),
        },
    ]


def share_image(page: "_Page", image) -> dict | None:
    """``{"url", "width", "height", "alt"}`` of ``image``'s share rendition
    (large JPEG/PNG, never the upload), or None."""
    url = renditions.share_url(image) if image is not None else ""
    if not url:
        return None
    width = min(renditions.SHARE_WIDTH, image.width)
    height = renditions.height_at(image, width)
    return {"url": page.absolute(url), "width": width, "height": height, "alt": image.alt}


def publisher(page: "_Page") -> dict:
    """The ``Organization`` that publishes the site (NEWSROOM_PUBLISHER_NAME,
    …_LOGO). A page names it up to three times: ``page.publisher`` builds it once."""
    logo = {"@type": "ImageObject", "url": page.absolute(settings.NEWSROOM_PUBLISHER_LOGO or static_url(DEFAULT_LOGO))}
    if not settings.NEWSROOM_PUBLISHER_LOGO:
        logo["width"], logo["height"] = DEFAULT_LOGO_SIZE
    return {
        "@type": "NewsMediaOrganization",
        "@id": page.absolute(page.home) + "#publisher",
        "name": settings.NEWSROOM_PUBLISHER_NAME,
        "url": page.absolute(page.home),
        "logo": logo,
    }


def authors(article: Article) -> list[Contributor]:
    """The article's authors in byline order, each once (文 and 图 by one person)."""
    people = {byline.contributor_id: byline.contributor for byline in article.bylines.all()}
    return list(people.values())


def series_chain(series: Series | None) -> list[Series]:
    """``series`` and the special issue above it, nearest first."""
    chain = []
    while series is not None and series not in chain:
        chain.append(series)
        series = series.parent if series.parent_id else None
    return chain


def article_dates(article: Article) -> tuple[datetime, datetime]:
    """When the public first could read it, and when it last changed (never
    before that: an article edited while scheduled changed when it went out)."""
    published = article.publish_at
    return published, max(article.updated_at, published)


def _cards(meta: ShareMeta, page, *, kind: str, title: str, description: str, url: str, image=None) -> None:
    meta.description = description
    image = image or _logo_image(page)
    meta.open_graph = [
        ("og:type", kind),
        ("og:site_name", settings.NEWSROOM_SITE_NAME),
        ("og:locale", LOCALE),
        ("og:title", title),
    ]
    if description:
        meta.open_graph.append(("og:description", description))
    if url:
        meta.open_graph.append(("og:url", url))
    meta.open_graph.append(("og:image", image["url"]))
    if image.get("width"):
        meta.open_graph += [("og:image:width", str(image["width"])), ("og:image:height", str(image["height"]))]
    meta.open_graph.append(("og:image:alt", image.get("alt") or title))
    large = (image.get("width") or 0) >= 600 and not image.get("is_logo")
    meta.twitter = [
        ("twitter:card", "summary_large_image" if large else "summary"),
        ("twitter:title", title),
        *([("twitter:description", description)] if description else []),
        ("twitter:image", image["url"]),
    ]


def _logo_image(page) -> dict:
    logo = page.publisher["logo"]
    return {**logo, "alt": settings.NEWSROOM_PUBLISHER_NAME, "is_logo": True}


def _agent(page, contributor: Contributor) -> dict:
    kind = "Organization" if contributor.kind == Contributor.Kind.ORGANISATION else "Person"
    return {"@type": kind, "name": contributor.name, "url": page.absolute(contributor.get_absolute_url())}


def _series_node(page, chain: list[Series]) -> dict:
    """The series as a ``CreativeWorkSeries``, within its special issue if it has one."""
    node = None
    for series in reversed(chain):  # the special issue first, its column inside it
        inner = {"@type": "CreativeWorkSeries", "name": series.name, "url": page.absolute(series.get_absolute_url())}
        if node is not None:
            inner["isPartOf"] = node
        node = inner
    return node


def _website(page) -> dict:
    return {"@type": "WebSite", "@id": page.absolute(page.home) + "#website"}


def _breadcrumbs(page, trail: list[tuple[str, str]]) -> dict:
    items = [("首页", page.home), *trail]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": page.absolute(path)}
            for position, (name, path) in enumerate(items, start=1)
        ],
    }


def _description(text: str) -> str:
    """One line: lines joined (with no space between two Chinese characters), then cut."""
    return shortened(join_lines(text or ""), DESCRIPTION_LENGTH)


def _iso(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")
