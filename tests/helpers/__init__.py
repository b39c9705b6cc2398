"""Helpers shared by more than one test module.

Test modules (``test_*.py``) import from here, from ``tests/*.py`` (factories,
forms, pictures, pages, xss) or get fixtures from a ``conftest.py``; never from
one another (tests/test_layout.py checks). See docs/testing.md.
"""
