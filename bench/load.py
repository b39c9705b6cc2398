"""Load and faults, with nothing lost (issue 10): readers and editors at once
while a worker is killed, Redis stops and the read replica stops.

    .venv/bin/python bench/load.py                  # 60 s, 32 readers, 2 editors
    .venv/bin/python bench/load.py --reuse          # keep the database and index of the last run

Set-up, all on this machine: a PostgreSQL database ``newsroom_bench_load`` on
the server at 127.0.0.1:5432 (recreated unless ``--reuse``) holding the real
seed and 2,000 synthetic articles (bench/corpus.py) and its search index; a
streaming replica of that server (``pg_basebackup`` and ``pg_ctl`` on a free
port, as tests/newsroom/test_replicas.py does; replication from 127.0.0.1 must
be allowed, as .ci/run sets up); a Redis server of its own on a free port
(cache and sessions); gunicorn with 2 sync workers (``DJANGO_DEBUG=0``,
gunicorn.conf.py, no access log).

For ``--seconds`` (60): ``--readers`` (32) threads fetch home, the special
issue, columns, articles, a contributor, searches and feeds, without
cookies, as readers do; two editors (superusers 编辑甲 and 编辑乙, each with
articles of their own) sign in to the admin and, once a second each, open an
article and either save a change to its title and body or take the next
三审 step the page offers (submit, 初审, 复审, 终审签发, 撤稿, 恢复为草稿).
A desk of two runs with ``NEWSROOM_REVIEW_SEPARATION=0`` (docs/workflow.md):
with 三审分离 a third person would have to sign 终审. The faults, at fixed
moments: one gunicorn worker killed with SIGKILL (25%), Redis stopped for
10 s (40%), the replica stopped for 10 s (70%). ``/healthz`` is polled
twice a second throughout.

Afterwards, with the site still up: every public article an editor touched
is searched for by its title over HTTP; then, in Django on the primary: each
save the admin acknowledged (a redirect after the POST) has its revision,
each acknowledged step its 签发记录, every article's text equals its latest
revision (nothing half-written), and the search index holds exactly the
public articles. Printed: requests/s and p50/p95/p99 for readers and for the
editors' round trips, the errors (5xx or no answer), and each check; saved as
JSON in var/bench/. Results: docs/benchmarks.md.

A reader whose request was in the hands of the killed worker loses the
connection before any answer; the reader retries it once, as a browser
retries a GET cut off that way, and the retries are counted and shown.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script: the apps importable (bench/ names none of them: tests/test_layout.py)

from bench.pages import prepare_postgres  # noqa: E402
from tests.helpers.replica import Replica, free_port, postgres_binaries  # noqa: E402

PYTHON = sys.executable
DATABASE = "newsroom_bench_load"
PRIMARY = {"HOST": "127.0.0.1", "PORT": 5432, "USER": "postgres", "PASSWORD": "", "NAME": DATABASE}
PRIMARY_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
PASSWORD = "bench-load-pass"
EDITORS = {"editor_a": ("编辑", "甲"), "editor_b": ("编辑", "乙")}
ARTICLES_PER_EDITOR = 8
# Where each editor's articles stand when the run starts: every step is taken during it.
START_STATES = ["published", "final_review", "second_review", "draft"]
# The steps an editor takes, in the order preferred when the page offers several.
STEPS = ["submit", "pass_first", "pass_second", "publish", "withdraw", "reopen"]
SEARCH_TERMS = ["江门", "百千万", "乡村振兴", "侨乡", "发展", "文化", "高质量发展", "台山"]


# --- set-up -------------------------------------------------------------------------------


def environment(workdir: Path, **extra) -> dict:
    local = ("DJANGO_", "NEWSROOM_", "DATABASE_", "CACHE_URL", "SEARCH_URL", "EMAIL_", "GUNICORN_")
    return {
        **{name: value for name, value in os.environ.items() if not name.startswith(local)},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "NEWSROOM_DATA_DIR": str(workdir),
        "DATABASE_URL": PRIMARY_URL,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "NEWSROOM_REVIEW_SEPARATION": "0",
        "PYTHONPATH": str(REPO),
        **extra,
    }


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=REPO, **{"check": True, **kwargs})


class Redis:
    """A Redis server of the run's own, which may be stopped and started again."""

    def __init__(self, folder: Path):
        self.port, self.folder, self.process = free_port(), folder, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout == b"PONG\n":
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(10)


class Gunicorn:
    def __init__(self, env, log: Path):
        self.port = free_port()
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "newsroom.wsgi", "-w", "2", "-b", f"127.0.0.1:{self.port}"],
            env={**env, "GUNICORN_ACCESS_LOG": "", "GUNICORN_LOG_LEVEL": "warning"},
            cwd=REPO,
            stderr=log.open("w"),  # Django's and gunicorn's log (404s, the killed worker …)
        )
        for _ in range(200):
            try:
                if get(self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)


def get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Language": "zh-hans"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- readers ------------------------------------------------------------------------------


def percentiles(latencies: list) -> dict:
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0] if latencies else 0] * 99
    return {"p50_ms": round(cuts[49] * 1000), "p95_ms": round(cuts[94] * 1000), "p99_ms": round(cuts[98] * 1000)}


def kind_of(path: str) -> str:
    for prefix, kind in (("/search/", "search"), ("/feeds/", "feed"), ("/articles/", "article")):
        if path.startswith(prefix):
            return kind
    if path.startswith("/series/"):
        return "feed" if "/feed/" in path else "series"
    return "contributor" if path.startswith("/contributors/") else "home"


@dataclass
class Tally:
    """What one kind of client saw: each answered request (when it ended, seconds,
    kind of page), statuses, failures."""

    samples: list = field(default_factory=list)
    statuses: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # 5xx or no answer at all, after the retry
    retried: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, seconds: float, what: str, kind: str = ""):
        with self.lock:
            self.samples.append((time.monotonic(), seconds, kind))
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status >= 500:
                self.errors.append(f"{status} {what}")

    def summary(self, start: float, seconds: float, windows: dict) -> dict:
        latencies = [latency for _, latency, _ in self.samples]
        kinds = sorted({kind for _, _, kind in self.samples if kind})
        return {
            "requests": len(latencies),
            "per_second": round(len(latencies) / seconds, 1),
            **percentiles(latencies),
            "max_ms": round(max(latencies, default=0) * 1000),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": len(self.errors),
            "error_examples": self.errors[:10],
            "retried": self.retried,
            "by_page": {
                kind: {"requests": len(of), **percentiles(of)}
                for kind in kinds
                for of in [[latency for _, latency, k in self.samples if k == kind]]
            },
            "by_moment": {
                name: {"requests": len(of), **percentiles(of)}
                for name, (begin, end) in windows.items()
                for of in [[latency for at, latency, _ in self.samples if begin <= at - start < end]]
                if of
            },
        }


def reader(port: int, urls: list[str], until: float, tally: Tally, seed: int):
    rng = random.Random(seed)
    while time.monotonic() < until:
        path = rng.choice(urls)
        started = time.monotonic()
        for attempt in (1, 2):
            try:
                status, _ = get(port, path)
            except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine) as error:
                if attempt == 1:
                    with tally.lock:
                        tally.retried += 1
                    continue
                tally.add(599, time.monotonic() - started, f"{path}: {error!r}")
            else:
                tally.add(status, time.monotonic() - started, path, kind_of(path))
            break


def health_poller(port: int, until: float, timeline: list):
    while time.monotonic() < until:
        try:
            status, body = get(port, "/healthz", timeout=5)
            failing = json.loads(body).get("failing", []) if status == 503 else []
        except (OSError, http.client.HTTPException, ValueError) as error:
            status, failing = 0, [repr(error)]
        timeline.append((round(time.monotonic(), 2), status, failing))
        time.sleep(0.5)


# --- editors -----------------------------------------------------------------------------


class FormFields(HTMLParser):
    """The fields a browser would post from the form ``form_id``: inputs (checked
    boxes only), textareas and selects, as (name, value) pairs."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag in ("input", "textarea", "select"):
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select = {"name": attrs["name"], "first": None, "chosen": [], "multiple": "multiple" in attrs}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"] or ([] if self.select["multiple"] else [self.select["first"] or ""])
            self.fields.extend((self.select["name"], value) for value in chosen)
            self.select = None


MARK = re.compile(r"〔负载[甲乙]\d+〕$")
BODY_MARK = re.compile(r"<p>负载测试修改：[^<]*</p>")


class Editor:
    """One editor's session in the admin: requests.Session, signed in."""

    def __init__(self, port: int, username: str, label: str, articles: list[int], until: float):
        import requests

        self.base, self.username, self.label = f"http://127.0.0.1:{port}", username, label
        self.articles, self.until = articles, until
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = "zh-hans"
        self.tally = Tally()
        self.acks = {"saves": [], "steps": []}
        self.refused = []  # acknowledged with an error message, or a form shown again
        self.attempted_titles = {}  # article id -> every title posted
        self.count = 0
        self.sign_in(username)

    def url(self, path: str) -> str:
        return self.base + path

    def sign_in(self, username: str):
        login = self.url("/admin/login/")
        self.session.get(login, timeout=30)
        answer = self.session.post(
            login,
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.session.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=30,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{username} could not sign in: {answer.status_code}")

    def work(self):
        """One action a second, round robin over this editor's articles: even
        rounds save a change, odd rounds take the next step the page offers
        (an article with an odd id, once published, is not withdrawn)."""
        turn = 0
        while time.monotonic() < self.until:
            started = time.monotonic()
            article = self.articles[turn % len(self.articles)]
            try:
                self.save(article) if (turn // len(self.articles)) % 2 == 0 else self.step(article)
            except Exception as error:  # noqa: BLE001 - a dropped connection is counted, the editor goes on
                with self.tally.lock:
                    self.tally.errors.append(f"{article}: {error!r}")
            turn += 1
            time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))

    def open(self, article: int):
        page = self.session.get(self.url(f"/admin/articles/article/{article}/change/"), timeout=30)
        return page

    def save(self, article: int):
        started = time.monotonic()
        page = self.open(article)
        if page.status_code >= 500:
            return self.tally.add(page.status_code, time.monotonic() - started, f"open {article}")
        parser = FormFields("article_form")
        parser.feed(page.text)
        fields = dict(parser.fields)
        self.count += 1
        mark = f"〔负载{self.label}{self.count}〕"
        title = MARK.sub("", fields["title"]) + mark
        body = BODY_MARK.sub("", fields.get("body", "")) + f"<p>负载测试修改：{mark}</p>"
        data = [
            (name, title if name == "title" else body if name == "body" else value) for name, value in parser.fields
        ]
        data.append(("_continue", "1"))
        self.attempted_titles.setdefault(article, []).append(title)
        answer = self.session.post(
            self.url(f"/admin/articles/article/{article}/change/"),
            data=data,
            headers={"Referer": page.url},
            allow_redirects=False,
            timeout=30,
        )
        self.tally.add(answer.status_code, time.monotonic() - started, f"save {article}")
        if answer.status_code == 302:
            self.acks["saves"].append({"article": article, "title": title, "mark": mark})
        elif answer.status_code < 500:
            errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', answer.text, re.S)
            self.refused.append({"article": article, "save": answer.status_code, "errors": errors[:3]})

    def step(self, article: int):
        started = time.monotonic()
        page = self.open(article)
        if page.status_code >= 500:
            return self.tally.add(page.status_code, time.monotonic() - started, f"open {article}")
        offered = set(re.findall(r'name="action" value="(\w+)"', page.text))
        action = next((step for step in STEPS if step in offered), None)
        if action is None or (action == "withdraw" and article % 2):
            return  # half the articles, once published, stay published (and are edited)
        answer = self.session.post(
            self.url(f"/admin/articles/article/{article}/workflow/"),
            data={
                "action": action,
                "comment": "负载测试：撤下核实" if action == "withdraw" else "",
                "csrfmiddlewaretoken": self.session.cookies["csrftoken"],
            },
            headers={"Referer": page.url},
            allow_redirects=False,
            timeout=30,
        )
        if answer.status_code != 302:
            return self.tally.add(answer.status_code, time.monotonic() - started, f"{action} {article}")
        shown = self.session.get(self.url(answer.headers["Location"]), timeout=30)  # the message is on the next page
        self.tally.add(shown.status_code, time.monotonic() - started, f"{action} {article}")
        if shown.status_code < 500 and re.search(r'<li class="success">', shown.text):
            self.acks["steps"].append({"article": article, "action": action})
        else:
            message = re.findall(r'<li class="error">(.*?)</li>', shown.text, re.S)
            self.refused.append({"article": article, "step": action, "errors": message[:2]})


# --- workers run inside Django (on the primary) --------------------------------------------


def worker_setup() -> None:
    """Two editors with articles of their own (in several states), and the readers' URLs."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from articles.models import Article, Contributor, Series

    User = get_user_model()
    public = list(Article.objects.public_list().order_by("id").values_list("id", flat=True))
    rng = random.Random(7)
    chosen = rng.sample(public[1:], ARTICLES_PER_EDITOR * len(EDITORS))
    editors = {}
    for number, (username, (family, given)) in enumerate(EDITORS.items()):
        user, _ = User.objects.update_or_create(
            username=username, defaults={"last_name": family, "first_name": given, "is_staff": True}
        )
        user.is_superuser = True
        user.set_password(PASSWORD)
        user.save()
        editors[username] = chosen[number * ARTICLES_PER_EDITOR : (number + 1) * ARTICLES_PER_EDITOR]
        for position, article_id in enumerate(editors[username]):
            move_to(Article.objects.get(pk=article_id), START_STATES[position % len(START_STATES)], user)
    seed = Article.objects.exclude(source_document="").order_by("id").first()
    column = seed.series
    special = column.parent or column
    busiest = Series.objects.annotate(n=Count("articles")).order_by("-n").first()
    contributor = Contributor.objects.annotate(n=Count("bylines")).order_by("-n").first()
    readers = ["/", special.get_absolute_url(), column.get_absolute_url(), busiest.get_absolute_url()]
    readers += [busiest.get_absolute_url() + "?page=2", seed.get_absolute_url()]
    readers += [a.get_absolute_url() for a in Article.objects.filter(id__in=public[1:40] + chosen)]
    readers += [contributor.get_absolute_url(), "/feeds/latest/", column.get_absolute_url() + "feed/"]
    readers += [f"/search/?q={quote(term)}" for term in SEARCH_TERMS]
    print(json.dumps({"editors": editors, "readers": readers}, ensure_ascii=False))


def move_to(article, status: str, user) -> None:
    """Through the services, from 已发布 to ``status`` (the index follows)."""
    from articles import services
    from articles.models import Transition

    Action = Transition.Action
    path = {
        "published": [],
        "final_review": [Action.WITHDRAW, Action.REOPEN, Action.SUBMIT, Action.PASS_FIRST, Action.PASS_SECOND],
        "second_review": [Action.WITHDRAW, Action.REOPEN, Action.SUBMIT, Action.PASS_FIRST],
        "draft": [Action.WITHDRAW, Action.REOPEN],
    }[status]
    for action in path:
        comment = "负载测试准备" if action == Action.WITHDRAW else ""
        article = services.article_transition(article=article, by=user, action=action, comment=comment)


def worker_check(record: Path) -> None:
    """The checks after the run: nothing acknowledged is missing, nothing half-written,
    the index holds exactly the public articles."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from haystack import connections
    from reversion.models import Version

    from articles.models import Article, Transition

    data = json.loads(record.read_text())
    users = {user.username: user for user in get_user_model().objects.filter(username__in=EDITORS)}
    problems, touched = [], []
    checked = {"saves": 0, "steps": 0, "articles": 0}
    for username, work in data["editors"].items():
        for ack in work["acks"]["saves"]:
            versions = Version.objects.get_for_object_reference(Article, ack["article"])
            if not any(version.field_dict.get("title") == ack["title"] for version in versions):
                problems.append(f"save {ack['mark']} of article {ack['article']}: no revision holds it")
            checked["saves"] += 1
        expected = {}
        for ack in work["acks"]["steps"]:
            key = (ack["article"], ack["action"])
            expected[key] = expected.get(key, 0) + 1
        for (article, action), count in expected.items():
            recorded = Transition.objects.filter(article=article, action=action, actor=users[username]).count()
            if recorded < count:
                problems.append(f"article {article}: {count} × {action} acknowledged, {recorded} on record")
            checked["steps"] += count
        for article_id, titles in work["attempted_titles"].items():
            article = Article.objects.get(pk=article_id)
            acknowledged = [ack["title"] for ack in work["acks"]["saves"] if ack["article"] == int(article_id)]
            last = acknowledged[-1] if acknowledged else None
            later = titles[titles.index(last) :] if last in titles else titles
            if article.title not in later:
                problems.append(f"article {article_id}: title {article.title!r} is not its last acknowledged save")
            latest = Version.objects.get_for_object(article).first()
            if latest is None or (latest.field_dict["title"], latest.field_dict["body"]) != (
                article.title,
                article.body,
            ):
                problems.append(f"article {article_id}: its text is not its latest revision's (half-written)")
            last_step = article.transitions.order_by("-created_at", "-id").first()
            if last_step and last_step.to_status != article.status:
                problems.append(f"article {article_id}: status {article.status}, last step to {last_step.to_status}")
            checked["articles"] += 1
            public = Article.objects.published().filter(pk=article.pk).exists()
            touched.append((article.title, article.get_absolute_url(), public))
    public = set(Article.objects.public_list().values_list("pk", flat=True))
    stored = connections["default"].get_backend().searcher().reader().all_stored_fields()
    indexed = {int(fields["django_id"]) for fields in stored if fields.get("django_ct") == "articles.article"}
    if public - indexed:
        problems.append(f"public but not in the index: {sorted(public - indexed)[:20]}")
    if indexed - public:
        problems.append(f"in the index but not public: {sorted(indexed - public)[:20]}")
    checked.update(public=len(public), indexed=len(indexed))
    print(json.dumps({"checked": checked, "problems": problems, "touched": touched}, ensure_ascii=False))


# --- driver ----------------------------------------------------------------------------------


def faults(gunicorn: Gunicorn, redis: Redis, replica: Replica, start: float, seconds: float, log: list):
    def at(fraction: float):
        time.sleep(max(0.0, start + fraction * seconds - time.monotonic()))

    def note(what: str):
        log.append((round(time.monotonic() - start, 1), what))
        print(f"   {time.monotonic() - start:5.1f} s  {what}", flush=True)

    at(0.25)
    victim = gunicorn.workers()[0]
    os.kill(victim, signal.SIGKILL)
    note(f"worker {victim} killed (SIGKILL)")
    at(0.40)
    redis.stop()
    note("Redis stopped")
    time.sleep(10)
    redis.start()
    note("Redis started again (empty)")
    at(0.70)
    replica.stop()
    note("replica stopped")
    time.sleep(10)
    replica.start()
    note("replica started again")


def found_by_title(port: int, touched: list) -> dict:
    """Every article an editor touched, searched for by its title over HTTP:
    found if it is public, not found if it is not."""
    found, missing, leaked = 0, [], []
    for title, url, public in touched:
        status, page = get(port, "/search/?" + urlencode({"q": title}))
        listed = status == 200 and f'href="{url}"'.encode() in page
        if public and listed:
            found += 1
        elif public:
            missing.append(title)
        elif listed:
            leaked.append(title)
    return {
        "public_found": found,
        "missing": missing,
        "not_public": len(touched) - found - len(missing),
        "leaked": leaked,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--readers", type=int, default=32)
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles besides the seed")
    parser.add_argument("--workdir", type=Path, default=REPO / "var" / "bench" / "load")
    parser.add_argument("--reuse", action="store_true", help="keep the database and index of the last run")
    parser.add_argument("--worker", choices=["setup", "check"], help=argparse.SUPPRESS)
    parser.add_argument("--record", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "setup":
        return worker_setup()
    if args.worker == "check":
        return worker_check(args.record)

    workdir = args.workdir.resolve()
    print(f"== data: the seed + {args.articles} articles, PostgreSQL database {DATABASE}", flush=True)
    if not (args.reuse and (workdir / "search_index").exists()):
        prepare_postgres(workdir, args.articles, DATABASE)
    plan = json.loads(run([PYTHON, __file__, "--worker", "setup"], environment(workdir), capture_output=True).stdout)

    import psycopg

    with psycopg.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres") as connection:
        major = connection.info.server_version // 10000
    bindir = postgres_binaries(major)
    if bindir is None:
        sys.exit(f"no pg_basebackup/pg_ctl for PostgreSQL {major} here")
    folder = Path(tempfile.mkdtemp(prefix="newsroom-load-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    replica = Replica(PRIMARY, bindir, folder)
    redis = Redis(folder)
    gunicorn = None
    try:
        try:
            replica.create()
        except RuntimeError as error:
            sys.exit(
                f"could not make a replica: {error}\nThe server must allow replication from 127.0.0.1, e.g. "
                "'host replication postgres 127.0.0.1/32 trust' in pg_hba.conf and SELECT pg_reload_conf() "
                "(as .ci/run does)."
            )
        replica.start()
        redis.start()
        env = environment(workdir, DATABASE_REPLICA_URLS=replica.url, CACHE_URL=redis.url)
        gunicorn = Gunicorn(env, workdir / "gunicorn.log")
        print(f"== serving: gunicorn :{gunicorn.port}, replica :{replica.port}, Redis :{redis.port}", flush=True)
        for path in plan["readers"]:  # warm: each page once
            get(gunicorn.port, path)
        result = load(gunicorn, redis, replica, plan, args)
        record = workdir / "load-record.json"
        record.write_text(json.dumps({"editors": result["editors"]}, ensure_ascii=False))
        checked = run([PYTHON, __file__, "--worker", "check", "--record", str(record)], environment(workdir),
                      capture_output=True, text=True, check=False)  # fmt: skip
        if checked.returncode:
            sys.exit(f"the checks failed to run:\n{checked.stderr[-3000:]}")
        result["checks"] = json.loads(checked.stdout.strip().splitlines()[-1])
        result["search_by_title"] = found_by_title(gunicorn.port, result["checks"].pop("touched"))
    finally:
        if gunicorn:
            gunicorn.stop()
        if redis.process and redis.process.poll() is None:
            redis.stop()
        try:
            replica.stop()
        except RuntimeError:
            pass
        shutil.rmtree(folder, ignore_errors=True)
    report(result, args)


def load(gunicorn: Gunicorn, redis: Redis, replica: Replica, plan: dict, args) -> dict:
    start = time.monotonic()
    until = start + args.seconds
    readers = Tally()
    threads = [
        threading.Thread(target=reader, args=(gunicorn.port, plan["readers"], until, readers, n), daemon=True)
        for n in range(args.readers)
    ]
    editors = [
        Editor(gunicorn.port, username, EDITORS[username][1], articles, until)
        for username, articles in plan["editors"].items()
    ]
    threads += [threading.Thread(target=editor.work, daemon=True) for editor in editors]
    health, fault_log = [], []
    threads.append(threading.Thread(target=health_poller, args=(gunicorn.port, until, health), daemon=True))
    print(f"== {args.seconds:g} s: {args.readers} readers, {len(editors)} editors, faults:", flush=True)
    for thread in threads:
        thread.start()
    faults(gunicorn, redis, replica, start, args.seconds, fault_log)
    for thread in threads:
        thread.join(args.seconds + 60)
    elapsed = time.monotonic() - start
    (killed, _), (redis_off, _), (redis_on, _), (replica_off, _), (replica_on, _) = fault_log
    windows = {
        "before the faults": (0, killed),
        "a worker killed, 5 s after": (killed, killed + 5),
        "Redis stopped": (redis_off, redis_on),
        "Redis back, 5 s after": (redis_on, redis_on + 5),
        "replica stopped": (replica_off, replica_on),
        "replica back, to the end": (replica_on, elapsed + 1),
    }
    health_codes = {}
    for _, status, _ in health:
        health_codes[str(status)] = health_codes.get(str(status), 0) + 1
    editor_tally = Tally()
    for editor in editors:
        editor_tally.samples += editor.tally.samples
        editor_tally.errors += editor.tally.errors
        for status, count in editor.tally.statuses.items():
            editor_tally.statuses[status] = editor_tally.statuses.get(status, 0) + count
    return {
        "seconds": round(elapsed, 1),
        "readers": readers.summary(start, elapsed, windows),
        "editors_round_trips": editor_tally.summary(start, elapsed, windows),
        "editors": {
            editor.username: {
                "acks": editor.acks,
                "refused": editor.refused,
                "attempted_titles": editor.attempted_titles,
            }
            for editor in editors
        },
        "faults": fault_log,
        "healthz": {"statuses": health_codes, "failing": sorted({name for _, _, f in health for name in f})},
    }


def report(result: dict, args) -> None:
    print()
    for who in ("readers", "editors_round_trips"):
        s = result[who]
        print(f"{who:<20} {s['requests']:>6} requests  {s['per_second']:>6.1f}/s  p50 {s['p50_ms']} ms  "
              f"p95 {s['p95_ms']} ms  p99 {s['p99_ms']} ms  max {s['max_ms']} ms  errors {s['errors']}  "
              f"retried {s['retried']}  statuses {s['statuses']}")  # fmt: skip
        for example in s["error_examples"]:
            print(f"      {example}")
        for name, figures in [*s["by_page"].items(), *s["by_moment"].items()]:
            print(f"      {name:<28} {figures['requests']:>6}  p50 {figures['p50_ms']:>5} ms  "
                  f"p95 {figures['p95_ms']:>5} ms  p99 {figures['p99_ms']:>5} ms")  # fmt: skip
    saves = sum(len(e["acks"]["saves"]) for e in result["editors"].values())
    steps = sum(len(e["acks"]["steps"]) for e in result["editors"].values())
    refused = [r for e in result["editors"].values() for r in e["refused"]]
    print(f"editors: {saves} saves and {steps} steps acknowledged, {len(refused)} refused")
    for item in refused[:10]:
        print(f"      refused: {item}")
    print(f"/healthz: {result['healthz']}")
    search = result["search_by_title"]
    print(f"search by title after the run: {search['public_found']} public articles found, missing "
          f"{search['missing']}; {search['not_public']} not public, listed anyway: {search['leaked']}")  # fmt: skip
    checks = result["checks"]
    print(f"checks: {checks['checked']}; problems: {checks['problems'] or 'none'}")
    verdict = {
        "readers: 0 errors": result["readers"]["errors"] == 0,
        "0 lost edits": not checks["problems"] and not search["missing"] and not search["leaked"],
        "readers p99 ≤ 1 s": result["readers"]["p99_ms"] <= 1000,
    }
    print("targets: " + "; ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in verdict.items()))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    saved = args.workdir.resolve().parent / f"load-results-{stamp}.json"
    saved.write_text(json.dumps({**result, "targets": verdict}, ensure_ascii=False, indent=2))
    print(f"saved: {saved}")


if __name__ == "__main__":
    main()
