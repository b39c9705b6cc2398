"""The archive by the paper's date: ``/archive/2026/11/28/`` lists that
day's edition page by page (A01版, A02版 …), ``/archive/2026/11/`` the days
of a month with their counts and articles.

An article belongs to the day of its 刊发日期 (``print_date``); one without
a print date (web only) to the day it was published, in Beijing time. A
date with nothing public, or no such date, is a 404."""

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, DateField, Func, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404

from ..models import Article
from .furniture import ArticlePagesView

# The paper's days are Beijing days, whatever TIME_ZONE the server runs in.
PAPER_TIMEZONE = ZoneInfo("Asia/Shanghai")


class BeijingDate(Func):
    """The date of a moment in Beijing time, computed by the database.

    Beijing keeps UTC+8 all year (no daylight saving), so SQLite's ``date()``
    can add the offset; Django's ``TruncDate`` would call back into Python
    for every row, which a month of articles makes slow. PostgreSQL converts
    natively; other databases get ``TruncDate``."""

    arity = 1
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="date(%(expressions)s, '+8 hours')", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = "(%(expressions)s AT TIME ZONE 'Asia/Shanghai')::date"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sql(self, compiler, connection, **extra):
        if "template" not in extra:
            return compiler.compile(TruncDate(*self.get_source_expressions(), tzinfo=PAPER_TIMEZONE))
        return super().as_sql(compiler, connection, **extra)


def paper_days(first: dt.date, last: dt.date) -> Q:
    """Articles of the paper's days ``first`` to ``last``, both included."""
    start = dt.datetime.combine(first, dt.time.min, tzinfo=PAPER_TIMEZONE)
    end = dt.datetime.combine(last, dt.time.max, tzinfo=PAPER_TIMEZONE)
    return Q(print_date__range=(first, last)) | Q(print_date__isnull=True, publish_at__range=(start, end))


def paper_day():
    """An article's day in the paper's archive (what ``paper_days`` selects by)."""
    return Coalesce("print_date", BeijingDate("publish_at"))


def in_edition_order(articles):
    """Day by day; within a day the paper's pages in order (A01 before A02),
    each page's 头条 first, then the web-only articles."""
    without_page = Case(When(print_page="", then=Value(1)), default=Value(0), output_field=IntegerField())
    ordered = articles.annotate(day=paper_day())
    return ordered.order_by("day", without_page, "print_page", "-is_lead", "publish_at", "id")


def _date_or_404(year: str, month: str, day: str = "01") -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except (ValueError, OverflowError) as error:
        raise Http404("没有这个日期") from error


class ArchiveDayView(ArticlePagesView):
    """One day's paper: its articles page by page, then the web-only ones."""

    template_name = "articles/archive_day.html"
    context_object_name = "articles"
    paginate_by = 50

    def articles(self):
        self.day = _date_or_404(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        return Article.objects.published().filter(paper_days(self.day, self.day))

    def ordered(self, articles):
        return in_edition_order(articles)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(day=self.day, **kwargs)
        if not context["paginator"].count:  # counted once, for the pages too
            raise Http404("这一天没有文章")
        return context


class ArchiveMonthView(ArticlePagesView):
    """A month of the paper: its days with how many articles each, then the
    articles day by day, paginated."""

    template_name = "articles/archive_month.html"
    context_object_name = "articles"
    paginate_by = 50

    def articles(self):
        self.month = _date_or_404(self.kwargs["year"], self.kwargs["month"])
        last = self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1])
        in_month = Article.objects.published().filter(paper_days(self.month, last))
        days = in_month.annotate(day=paper_day()).order_by("day").values("day").annotate(count=Count("pk"))
        self.days = [(row["day"], row["count"]) for row in days]
        if not self.days:
            raise Http404("这个月没有文章")
        return in_month

    def ordered(self, articles):
        return in_edition_order(articles)

    def get_context_data(self, **kwargs):
        return super().get_context_data(month=self.month, days=self.days, **kwargs)
