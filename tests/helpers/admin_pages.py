"""The article's admin page, as the tests open it."""


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def change_page(client, article) -> str:
    """The change page's HTML, which ``client`` may open."""
    response = client.get(change_url(article))
    assert response.status_code == 200
    return response.content.decode()
