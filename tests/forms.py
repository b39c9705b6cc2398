"""The admin forms' POST data, as the browser sends them."""


def article_form(article=None, **fields):
    """The article change form's POST data, as the browser sends it."""
    data = {
        "title": article.title if article else "",
        "subtitle": article.subtitle if article else "",
        "series": article.series_id if article and article.series_id else "",
        "body": article.body if article else "",
        "expire_at_0": "",
        "expire_at_1": "",
        "slug": article.slug if article else "",
        "loaded_version": article.version if article else "",
        "bylines-TOTAL_FORMS": 0,
        "bylines-INITIAL_FORMS": 0,
        "credits-TOTAL_FORMS": 0,
        "credits-INITIAL_FORMS": 0,
    }
    if article:  # the change page also lists corrections and sign-offs (read-only)
        data.update(
            {f"{name}-{kind}_FORMS": 0 for name in ("corrections", "transitions") for kind in ("TOTAL", "INITIAL")}
        )
    data.update(fields)
    return data


def series_form(series, *, order, credits=()):
    """POST data for the series change page: its name and slug, the credit
    rows (role, contributor) and the articles' places (article → position)."""
    data = {
        "name": series.name,
        "slug": series.slug,
        "intro": "",
        "credits-TOTAL_FORMS": len(credits),
        "credits-INITIAL_FORMS": 0,
        "articles-TOTAL_FORMS": len(order),
        "articles-INITIAL_FORMS": len(order),
    }
    for n, (role, contributor) in enumerate(credits):
        data |= {f"credits-{n}-position": n, f"credits-{n}-role": role, f"credits-{n}-contributor": contributor.pk}
    for n, (article, position) in enumerate(order.items()):
        data |= {f"articles-{n}-id": article.pk, f"articles-{n}-series": series.pk}
        data[f"articles-{n}-series_position"] = position
    return data
