"""``{% load todo_tags %}``: the 待办 dashboard on the admin index (articles/dashboard.py).

    {% todo_dashboard %}      the lists waiting on the signed-in colleague

A fixed number of queries however many articles (see articles/dashboard.py);
the template only shows what the tag hands it.
"""

from django import template

from articles import dashboard

register = template.Library()


@register.inclusion_tag("admin/includes/todo_dashboard.html", takes_context=True)
def todo_dashboard(context):
    user = context["request"].user
    queues = dashboard.todo(user) if user.has_perm("articles.view_article") else []
    return {"queues": queues}
