"""Page caching for anonymous readers that is never stale: pages are kept
under the content version (pagecache/version.py), which every write to the
content and every scheduled publication or expiry changes. See docs/caching.md."""
