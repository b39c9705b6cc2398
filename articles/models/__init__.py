"""The newsroom domain: who writes (contributors), what is written
(articles), where it runs (series), and who gets the credit."""

from .articles import Article, ArticleQuerySet
from .contributors import Contributor
from .credits import Byline, Credit
from .presence import ArticleOpen
from .previews import PreviewLink
from .series import Series
from .workflow import Correction, Transition

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
