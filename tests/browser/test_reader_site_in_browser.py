"""The reader's site in a real browser, on a phone (390 px) and a desktop
(1280 px), and at 360 and 1440 px: home → special issue (奋进) → its column
(百千万) → an article → its author (赵可义) → a search typed into the masthead. On every page: no
horizontal scroll, one <h1>, the landmarks, alt text on every picture, no
console error, no CSP violation, a one-line masthead (on a phone too). The
article is also checked as printed. Screenshots (and the article as a PDF)
are saved under test-results/screenshots/reader-site/ (git ignores it)."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Contributor, Series
from tests.browser.csp import CSPViolations
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, CreditFactory, ImageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The phone and desktop, and the two ends of the range the site must read well in.
SCREENS = {
    "phone-390": {"width": 390, "height": 844},
    "desktop-1280": {"width": 1280, "height": 900},
    "small-phone-360": {"width": 360, "height": 740},
    "wide-1440": {"width": 1440, "height": 900},
}
# A link in an article's text, printed after it on paper.
OUTSIDE_LINK = "https://www.jiangmen.gov.cn/"

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# The masthead's content box is no taller than its tallest item: everything on one line.
MASTHEAD_LINES = """() => {
  const masthead = document.querySelector(".masthead");
  const style = getComputedStyle(masthead);
  const content = masthead.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  const tallest = Math.max(...[...masthead.children].map((child) => child.getBoundingClientRect().height));
  return {content, tallest};
}"""
PICTURES_LOADED = "[...document.images].every((img) => img.complete && img.naturalWidth > 0)"


@pytest.fixture
def screenshots(request):
    folder = request.config.rootpath / "test-results" / "screenshots" / "reader-site"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def paper(real_seed, search_index, media):
    """The real seed (奋进 with its column 百千万 and one article by 赵可义),
    and a few more articles with covers, summaries and credits around it."""
    call_command("load_seeds", str(real_seed), verbosity=0)
    special = Series.objects.get(name="奋进")
    column = Series.objects.get(name="百千万")
    if column.parent_id is None:  # the loader's running-head rule, if it has not run
        column.parent = special
        column.save()
    article = Article.objects.get(series=column)
    zhao = Contributor.objects.get(name="赵可义")

    photographer = ContributorFactory(name="李华")
    special.cover = ImageFactory(size=(1600, 900), alt="江门五邑大桥夜景", caption="奋进中的侨乡", credit=photographer)
    special.save()
    now = timezone.now()
    stories = [
        ("鹤山：侨乡村焕新颜", column, "百千万工程在鹤山", True),
        ("台山：海洋牧场万顷碧波", column, "向海图强", False),
        ("开平：碉楼下的新农人", special, "乡村振兴", False),
    ]
    for n, (title, series, kicker, is_lead) in enumerate(stories):
        story = ArticleFactory(
            title=title,
            kicker=kicker,
            summary=f"{title}。江门把“百千万工程”作为头号工程，镇村面貌焕然一新。",
            series=series,
            is_lead=is_lead,
            source="江门日报",
            print_page=f"A0{n + 2}",
            print_date=now.date(),
            publish_at=now - timedelta(hours=n + 1),
            cover=ImageFactory(size=(1200, 800), alt=f"{title}的照片", caption=title, credit=photographer),
            body=f'<p>江门的新闻。详见<a href="{OUTSIDE_LINK}">江门市人民政府网站</a>。</p><p>第二段。</p>',
        )
        BylineFactory(article=story, contributor=zhao, role="文", position=0)
        BylineFactory(article=story, contributor=photographer, role="图", position=1)
        CreditFactory(article=story, contributor=ContributorFactory(name="陈编辑"), role="责任编辑")
    return {"special": special, "column": column, "article": article, "zhao": zhao}


class ConsoleErrors:
    """Every console error, uncaught exception and failed request of a page."""

    def __init__(self, page):
        self.seen = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.seen.append(f"exception: {error}"))
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":
            self.seen.append(f"console: {message.text}")

    def _response(self, response):
        if response.status >= 400:
            self.seen.append(f"{response.status}: {response.url}")


def wait_for(page, expression, what, tries=100):
    for _ in range(tries):
        if page.evaluate(expression):
            return
        time.sleep(0.1)
    raise AssertionError(f"{what}: {expression}")


def test_a_reader_goes_through_the_site_on_phones_and_desktops(browser, live_server, paper, screenshots):
    special, column, article, zhao = paper["special"], paper["column"], paper["article"], paper["zhao"]
    for screen, viewport in SCREENS.items():
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors = ConsoleErrors(page)
        violations = CSPViolations(page)
        shot = 0

        def check(name, page=page, screen=screen, width=viewport["width"]):
            """What every page owes the reader, then a screenshot."""
            nonlocal shot
            page.wait_for_load_state("load")
            page.evaluate("document.fonts.ready.then(() => true)")
            for image in page.locator("img").all():
                image.scroll_into_view_if_needed()
            wait_for(page, PICTURES_LOADED, f"{name}: every picture loaded")
            page.evaluate("window.scrollTo(0, 0)")
            assert page.evaluate(NO_HORIZONTAL_SCROLL), (
                f"{screen} {name}: scrolls sideways, {page.evaluate('document.documentElement.scrollWidth')} > {width}"
            )
            assert page.locator("h1").count() == 1, f"{screen} {name}: one <h1>"
            assert page.get_by_role("banner").count() == 1, f"{screen} {name}: a header"
            assert page.get_by_role("main").count() == 1, f"{screen} {name}: a main"
            assert page.get_by_role("contentinfo").count() == 1, f"{screen} {name}: a footer"
            assert page.get_by_role("navigation").count() >= 1, f"{screen} {name}: a nav"
            assert page.locator("img:not([alt])").count() == 0, f"{screen} {name}: alt text"
            assert page.get_by_role("searchbox").count() == 1, f"{screen} {name}: one search box"
            masthead = page.evaluate(MASTHEAD_LINES)
            assert masthead["content"] <= masthead["tallest"] + 1, f"{screen} {name}: masthead on one line {masthead}"
            shot += 1
            page.screenshot(path=screenshots / f"{screen}-{shot}-{name}.png", full_page=True)

        # Home: the lead story, the latest, the special issue's block.
        assert page.goto(live_server.url + "/").status == 200
        check("home")
        # Keyboard: the first Tab shows the skip link, with a visible outline.
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();"
            " return {text: e.textContent, outline: s.outlineStyle, top: r.top, bottom: r.bottom}; })()"
        )
        assert focused["text"] == "跳到正文" and focused["outline"] != "none" and focused["top"] >= 0, focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"

        # The special issue, its column, the article, its author: each linked from the page before.
        for name, target in [
            ("special-issue", special),
            ("column", column),
            ("article", article),
            ("contributor", zhao),
        ]:
            url = target.get_absolute_url()
            assert page.locator(f'main a[href="{url}"]').count() >= 1, f"{screen}: {name} linked from {page.url}"
            assert page.goto(live_server.url + url).status == 200
            check(name)
            if name == "special-issue":
                assert page.get_by_role("heading", level=1).inner_text() == "奋进"
                assert "总策划" in page.locator("main").inner_text()
            if name == "article":
                assert page.get_by_role("heading", level=1).inner_text() == article.title
                # The credits of its special issue, as the paper prints them.
                assert "总策划" in page.locator("main").inner_text()
                assert "出品人" in page.locator("main").inner_text()
            if name == "contributor":
                assert page.get_by_role("heading", level=1).inner_text() == "赵可义"

        # Search, typed into the masthead's box as a reader would.
        page.get_by_role("search").get_by_role("searchbox").fill("江门")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=*")
        check("search")
        assert page.locator(f'main a[href="{article.get_absolute_url()}"]').count() >= 1

        assert errors.seen == [], screen
        assert violations.all() == [], screen
        context.close()


def test_an_article_on_paper(browser, live_server, paper, screenshots):
    """Printed: no navigation, no search, no footer links; the credits kept;
    the address printed after a link in the text; pictures within the page."""
    story = Article.objects.get(title="鹤山：侨乡村焕新颜")
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=SCREENS["desktop-1280"])
    page = context.new_page()
    violations = CSPViolations(page)
    assert page.goto(live_server.url + story.get_absolute_url()).status == 200
    wait_for(page, PICTURES_LOADED, "the cover loaded")
    link = page.locator(f'.article-body a[href="{OUTSIDE_LINK}"]')
    after = "(a) => getComputedStyle(a, '::after').content"
    assert link.evaluate(after) in ("none", "normal")  # on screen, just the link

    page.emulate_media(media="print")
    assert page.get_by_role("search").is_hidden()
    assert page.locator(".site-footer nav").is_hidden()
    assert page.locator(".masthead-name").is_visible()  # the paper's name stays on the page
    assert page.get_by_text("责任编辑").is_visible()
    assert OUTSIDE_LINK in link.evaluate(after)
    page_width = page.evaluate("document.documentElement.clientWidth")
    for width in page.locator("main img").evaluate_all("(imgs) => imgs.map((i) => i.getBoundingClientRect().width)"):
        assert 0 < width <= page_width
    page.screenshot(path=screenshots / "print-article.png", full_page=True)
    page.pdf(path=screenshots / "print-article.pdf", format="A4")
    assert violations.all() == []
    context.close()
