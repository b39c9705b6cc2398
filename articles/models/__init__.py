"""The newsroom domain: who writes (contributors), what is written
(articles), where it runs (series), and who gets the credit."""

from .articles import Article, ArticleQuerySet
from .contributors import Contributor
from .credits import Byline, Credit
from .presence import ArticleOpen
from .previews import PreviewLink
from .review_records import Correction, Transition
from .series import Series

__all__ = [
    "Article",
    "ArticleOpen",
    "ArticleQuerySet",
    "Byline",
    "Contributor",
    "Correction",
    "Credit",
    "PreviewLink",
    "Series",
    "Transition",
]
