"""Settings for bench/pages.py: the site's own, plus one trivial view to
measure the pages against (bench/urls_pages.py)."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls_pages"
