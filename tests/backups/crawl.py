"""What a site shows its readers, read as a reader: every public page, feed and
sitemap reachable from the home page and the sitemaps, search results, and
the sign-off records. Used on the original site (in the test's process) and
on the restored one (in a process of its own, started with the restored
NEWSROOM_DATA_DIR):

    python -m tests.backups.crawl OUT.json [SEARCH …]
"""

import base64
import html
import json
import re
import sys
from urllib.parse import urlsplit

# Not the reader's site: staff pages and code. Media are compared as files.
SKIP = ("/admin/", "/editor/", "/preview/", "/static/", "/media/")
START = ["/", "/sitemap.xml", "/robots.txt", "/feeds/latest/", "/feeds/latest/atom/", "/.well-known/security.txt"]
LINK = re.compile(r"""(?:href|src)="([^"]*)"|<(?:loc|link|id)>([^<]*)</""")
LIMIT = 1000


def crawl(client, searches=()) -> dict[str, str]:
    """``{url: "status content-type\\n" + body}`` for every public page found."""
    queue = [*START, *(f"/search/?q={query}" for query in searches)]
    pages: dict[str, str] = {}
    while queue:
        url = queue.pop(0)
        if url in pages:
            continue
        assert len(pages) < LIMIT, "the crawl does not end"
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        kind = response.get("Content-Type", "")
        pages[url] = f"{response.status_code} {kind}\n{response.get('Location', '')}\n" + base64.b64encode(body).decode(
            "ascii"
        )
        if response.status_code == 200 and ("html" in kind or "xml" in kind):
            queue += [link for link in _links(body.decode()) if link not in pages]
    return pages


def _links(text: str):
    for match in LINK.finditer(text):
        link = html.unescape(match.group(1) or match.group(2) or "").strip()
        parts = urlsplit(link)
        if parts.netloc and parts.netloc != "testserver":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not path.startswith(("//", *SKIP)):
            yield path


def sign_off_records() -> list[list]:
    """The admin's sign-off records (Transition rows), with who and when."""
    from articles.models import Transition

    return [
        [
            record.article.slug,
            record.action,
            record.from_status,
            record.to_status,
            record.actor.username if record.actor else None,
            record.comment,
            record.publish_at.isoformat() if record.publish_at else None,
            record.created_at.isoformat(),
        ]
        for record in Transition.objects.select_related("article", "actor").order_by("pk")
    ]


def main(out: str, searches: list[str]) -> None:
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)  # as pytest-django: the host "testserver", DEBUG off
    result = {"pages": crawl(Client(), searches), "sign_offs": sign_off_records()}
    with open(out, "w", encoding="utf-8") as file:
        json.dump(result, file, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
