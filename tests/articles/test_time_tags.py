"""{% time_tag %} prints what the date filters printed before it, faster."""

import datetime as dt

import pytest
from django.template import engines

MOMENTS = [
    dt.datetime(2026, 11, 27, 16, 0, tzinfo=dt.UTC),  # 2026-11-28 00:00 in Beijing
    dt.datetime(2026, 1, 5, 3, 7, 9, 123456, tzinfo=dt.UTC),  # microseconds kept, as date:'c'
    dt.date(2026, 11, 28),  # a print date
]


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load time_tags %}" + source).render(context)


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("text_format", ["Y年n月j日", "n月j日", "Y年n月j日 H:i", "Y-m-d l"])
def test_the_tag_prints_what_the_date_filters_print(moment, text_format):
    if isinstance(moment, dt.date) and not isinstance(moment, dt.datetime) and "H" in text_format:
        pytest.skip("a date has no time of day")
    by_filters = render(f"""<time datetime="{{{{ m|date:'c' }}}}">{{{{ m|date:"{text_format}" }}}}</time>""", m=moment)
    assert render(f'{{% time_tag m "{text_format}" %}}', m=moment) == by_filters


def test_the_tag_prints_beijing_time_with_its_class_and_nothing_for_no_moment():
    html = render('{% time_tag m "Y年n月j日 H:i" css_class="publish-time" %}', m=MOMENTS[0])
    assert html == '<time class="publish-time" datetime="2026-11-28T00:00:00+08:00">2026年11月28日 00:00</time>'
    assert render('{% time_tag m "Y年n月j日" %}', m=None) == ""
