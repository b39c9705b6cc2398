"""A Wagtail news site, the peer CMS that bench/peer_pages.py serves beside
Newsroom: the same articles, the same machine, the same load. Bench only: it
runs in a virtualenv of its own (var/bench/peer-venv, from
bench/requirements-peer.txt) and never imports Newsroom."""
