"""The editors' admin. Registration happens on import of these modules."""

from . import article, contributor, series, users  # noqa: F401
