# ruff: noqa: T201, S603 - command-line scripts: they print and start local processes
"""Drives the main journeys through the load balancer of `make cluster` and prints a verdict.

    python -m deploy.journey check      public pages, readiness of both instances, a session
                                        shared by both, a publish on one seen on the other,
                                        20 concurrent confirmations for the last seat; then
                                        identity and faults: a forged X-Forwarded-For sent
                                        straight to an app server, a stranger failing the
                                        admin login, a browser's form post with Origin, Redis
                                        stopped and started, the task worker stopped
    python -m deploy.journey kill-one   confirmations under load while one app server is
                                        killed (SIGKILL): no enrolment lost, no overbooking,
                                        the other keeps serving; the killed one is restarted

Only loopback: other clients are played from other addresses of 127.0.0.0/8 (the
cluster trusts X-Forwarded-For from 127.0.0.1, nginx, only). Every loop is bounded in
count and time. Exit code 0 only if all passed.
"""

import functools
import http.client
import json
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from deploy import cluster

LB = cluster.LB
A = f"http://127.0.0.1:{cluster.APPS['app-1']}"
B = f"http://127.0.0.1:{cluster.APPS['app-2']}"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RESULTS: list[tuple[bool, str]] = []


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class FromAddress(urllib.request.HTTPHandler):
    """Connects from a given local address (another client on loopback)."""

    def __init__(self, source: str):
        super().__init__()
        self.source = source

    def http_open(self, req):
        connection = functools.partial(http.client.HTTPConnection, source_address=(self.source, 0))
        return self.do_open(connection, req)


def another_address() -> str:
    """A loopback address other than 127.0.0.1 (which the cluster trusts as its proxy)."""
    return f"127.{random.randint(16, 250)}.{random.randint(0, 255)}.{random.randint(1, 254)}"  # noqa: S311


class Browser:
    """Cookies kept by hand: production cookies are Secure, the loopback cluster speaks HTTP
    (as behind a TLS-terminating load balancer). ``source``: the client's own address;
    ``headers``: sent with every request (e.g. Origin, as browsers do on form posts)."""

    def __init__(self, source: str | None = None, headers: dict | None = None):
        self.cookies: dict[str, str] = {}
        self.headers = dict(headers or {})
        self.opener = (
            urllib.request.build_opener(NoRedirect, FromAddress(source)) if source else OPENER
        )

    def request(self, method, url, data=None, timeout=20):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 - loopback
        for name, value in self.headers.items():
            request.add_header(name, value)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            response = self.opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "Max-Age=0" not in header:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        text = response.read().decode("utf-8", "replace")
        return response.status, response.headers, text

    def get(self, url):
        return self.request("GET", url)

    def post_form(self, url, data=None, form_url=None):
        status, _headers, html = self.get(form_url or url)
        match = CSRF_RE.search(html)
        if not match:
            raise RuntimeError(f"no form at {form_url or url} (status {status})")
        return self.request("POST", url, {"csrfmiddlewaretoken": match.group(1), **(data or {})})


def record(ok: bool, text: str) -> None:
    RESULTS.append((ok, text))
    print(("PASS " if ok else "FAIL ") + text, flush=True)


def django(code: str) -> dict:
    """Run Python with the cluster's settings and return the JSON it prints last."""
    out = cluster.manage("shell", "-c", code, capture=True).stdout
    return json.loads(out.strip().splitlines()[-1])


SETUP_DATE = """
import json
from datetime import timedelta
from django.utils import timezone
from courses.models import CourseDate
from enrolment import services, tokens
run = timezone.now().strftime("%H%M%S%f")
base = CourseDate.objects.filter(start__gt=timezone.now() + timedelta(days=3),
    status="planned", course__live=True).order_by("start").first()
d = CourseDate.objects.get(pk=base.pk)
d.pk = None
d.id = None
d.capacity = {capacity}
d.seats_confirmed = 0
d.registration_deadline = None
d.save()
out = []
for i in range({people}):
    o = services.request_enrolment(d.pk, {{"first_name": "Last", "last_name": f"Test {{i}}",
        "email": f"journey-{{run}}-{{i}}@example.org"}})
    out.append(tokens.make_token(o.enrolment, tokens.CONFIRM))
print(json.dumps({{"date": d.pk, "tokens": out}}))
"""

DATE_STATE = """
import json
from courses.models import CourseDate
from enrolment.models import Enrolment
d = CourseDate.objects.get(pk={pk})
rows = Enrolment.objects.filter(course_date=d)
print(json.dumps({{"capacity": d.capacity, "seats_confirmed": d.seats_confirmed,
    "total": rows.count(),
    "confirmed": rows.filter(status="confirmed").count(),
    "waitlisted": rows.filter(status="waitlisted").count(),
    "pending": rows.filter(status="pending").count(),
    "positions": sorted(rows.filter(status="waitlisted").values_list("waitlist_position", flat=True))}}))
"""


def confirm(token: str, retries: int = 6) -> str:
    """One person clicks the link and presses the button; retried like a person would."""
    url = f"{LB}/anmeldung/bestaetigen/{token}/"
    last = ""
    for _attempt in range(retries):
        try:
            status, _h, _html = Browser().post_form(url)
            if status in (302, 303):
                return "ok"
            last = f"status {status}"
        except (OSError, RuntimeError) as error:
            last = str(error)
        time.sleep(0.5)
    return last


def check_seats(pk: int, capacity: int, people: int, label: str) -> None:
    state = django(DATE_STATE.format(pk=pk))
    expected_confirmed = min(capacity, people)
    record(
        state["confirmed"] == state["seats_confirmed"] == expected_confirmed
        and state["confirmed"] <= state["capacity"],
        f"{label}: {state['confirmed']} confirmed = counter {state['seats_confirmed']}"
        f" ≤ capacity {state['capacity']} (no overbooking)",
    )
    record(
        state["pending"] == 0 and state["total"] == people,
        f"{label}: all {people} enrolments kept, none lost or left pending "
        f"(total {state['total']}, pending {state['pending']})",
    )
    record(
        state["positions"] == list(range(1, people - expected_confirmed + 1)),
        f"{label}: waitlist positions 1..{people - expected_confirmed} without gaps",
    )


def journey() -> None:
    status, headers, _html = Browser().get(f"{LB}/")
    record(
        status == 200 and "unsafe-inline" not in headers.get("Content-Security-Policy", "x"),
        "home page through the load balancer: 200 with CSP",
    )
    record(bool(headers.get("X-Request-ID")), "request id sent back")
    for name, base in (("app-1", A), ("app-2", B)):
        status, _h, body = Browser().get(f"{base}/readyz/")
        record(status == 200, f"{name} /readyz/: {body.strip()}")

    info = django(
        "import json; from news.models import NewsPage; p = NewsPage.objects.live().first(); "
        "print(json.dumps({'id': p.pk, 'url': p.get_url()}))"
    )
    admin = Browser()
    status, _h, _ = admin.post_form(
        f"{A}/admin/login/", {"username": "admin", "password": "handwerk-demo-2026"}
    )
    record(status == 302 and "sessionid" in admin.cookies, "admin signs in on app-1")
    status, _h, _ = admin.get(f"{B}/admin/")
    record(status == 200, "the session started on app-1 is valid on app-2")

    url = info["url"]
    for base in (A, B, A, B):
        Browser().get(base + url)
    _s, headers, _ = Browser().get(B + url)
    record(headers.get("X-Page-Cache") == "hit", "news page cached on app-2")
    status, _h, _ = admin.post_form(f"{A}/admin/pages/{info['id']}/unpublish/")
    record(status == 302, "editor unpublishes the news page on app-1")
    status, _h, _ = Browser().get(B + url)
    record(status == 404, "app-2 no longer shows it at once (cache invalidated)")
    django(
        "import json; from wagtail.models import Page; "
        f"p = Page.objects.get(pk={info['id']}).specific; p.get_latest_revision().publish(); "
        "print(json.dumps({}))"
    )
    status, _h, _ = Browser().get(A + url)
    status_b, _h, _ = Browser().get(B + url)
    record(status == 200 and status_b == 200, "published again: both app servers show it")

    people, capacity = 20, 1
    setup = django(SETUP_DATE.format(capacity=capacity, people=people))
    barrier = threading.Barrier(people, timeout=30)

    def one(token):
        barrier.wait()
        return confirm(token)

    with ThreadPoolExecutor(people) as pool:
        answers = list(pool.map(one, setup["tokens"]))
    record(
        all(a == "ok" for a in answers),
        f"{people} simultaneous confirmations answered: {sum(a == 'ok' for a in answers)} ok",
    )
    check_seats(setup["date"], capacity, people, "last seat")
    identity_and_faults()


ENROL_FORM = {
    "salutation": "frau",
    "first_name": "Jana",
    "last_name": "Proxy",
    "phone": "03521 123456",
    "role": "master",
    "company": "Tischlerei Proxy",
    "trade": "Tischler",
    "postcode": "01662",
    "billing": "Tischlerei Proxy, Hauptstraße 1, 01662 Meißen",
    "consent": "on",
}


def enrol(browser, date_pk: int, email: str, base: str = LB) -> int:
    url = f"{base}/anmeldung/termin/{date_pk}/"
    status, _h, _html = browser.post_form(url, {**ENROL_FORM, "email": email})
    return status


def readiness(base: str) -> dict:
    _status, _h, body = Browser().get(f"{base}/readyz/")
    try:
        return json.loads(body)
    except ValueError:
        return {"status": body.strip()[:80]}


def wait_until(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return predicate()


def forged_forwarded_for() -> None:
    """Straight to an app server with a new X-Forwarded-For on every post: one client."""
    run = time.strftime("%H%M%S")
    date = django(SETUP_DATE.format(capacity=100, people=0))["date"]
    client = another_address()
    answers = []
    for i in range(25):
        forger = Browser(source=client, headers={"X-Forwarded-For": f"198.51.100.{i + 1}"})
        answers.append(enrol(forger, date, f"forged-{run}-{i}@example.org", base=A))
    accepted = sum(status in (302, 303) for status in answers)
    record(
        accepted == 20 and answers.count(429) == 5,
        f"forged X-Forwarded-For straight to app-1: counted as one client "
        f"({accepted} of 25 accepted, limit 20)",
    )
    through_lb = Browser(source=another_address(), headers={"X-Forwarded-For": client})
    status = enrol(through_lb, date, f"other-{run}@example.org")
    record(
        status in (302, 303),
        f"another client through the load balancer, claiming that address: its own count ({status})",
    )


def admin_lockout_and_origin() -> Browser:
    """A stranger failing five times does not lock the staff member out; the staff
    member's browser sends Origin on its form posts like every browser does."""
    stranger = Browser(source=another_address(), headers={"Origin": LB})
    answers = [
        stranger.post_form(f"{LB}/admin/login/", {"username": "admin", "password": "falsch"})[0]
        for _ in range(5)
    ]
    record(
        answers == [200, 200, 200, 200, 429],
        f"a stranger is locked out at the 5th wrong password for 'admin' ({answers})",
    )
    staff = Browser(source=another_address(), headers={"Origin": LB})
    status, _h, _ = staff.post_form(
        f"{LB}/admin/login/", {"username": "admin", "password": "handwerk-demo-2026"}
    )
    record(
        status == 302 and "sessionid" in staff.cookies,
        f"staff from their own address sign in meanwhile, with Origin through nginx "
        f"(CSRF passes): {status}",
    )
    foreign = Browser(source=another_address(), headers={"Origin": "http://evil.example"})
    status, _h, _ = foreign.post_form(f"{LB}/lernen/anmelden/", {"email": "x@example.org"})
    record(status == 403, f"a form post with a foreign Origin is refused ({status})")
    return staff


def redis_stopped(staff: Browser) -> None:
    run = time.strftime("%H%M%S")
    date = django(SETUP_DATE.format(capacity=100, people=0))["date"]
    cluster.stop("redis")
    try:
        started = time.monotonic()
        pages = [Browser().get(f"{LB}{path}")[0] for path in ("/", "/kurse/", "/aktuelles/")]
        seconds = time.monotonic() - started
        record(
            pages == [200, 200, 200] and seconds < 10,
            f"Redis stopped: pages answer {pages} in {seconds:.1f} s",
        )
        visitor = Browser(source=another_address(), headers={"Origin": LB})
        status = enrol(visitor, date, f"redis-down-{run}@example.org")
        record(status in (302, 303), f"Redis stopped: enrolment accepted ({status})")
        status, _h, _ = Browser().get(f"{LB}/lernen/anmelden/")
        record(status == 200, f"Redis stopped: sign-in page answers ({status})")
        status, _h, _ = visitor.post_form(f"{LB}/lernen/anmelden/", {"email": "x@example.org"})
        record(status == 429, f"Redis stopped: sign-in links not mailed unthrottled ({status})")
        status, _h, _ = staff.get(f"{LB}/admin/")
        record(status == 200, f"Redis stopped: the admin session still holds ({status})")
        again = Browser(source=another_address(), headers={"Origin": LB})
        status, _h, _ = again.post_form(
            f"{LB}/admin/login/", {"username": "admin", "password": "handwerk-demo-2026"}
        )
        record(status == 302, f"Redis stopped: admin sign-in works ({status})")
        for name, base in (("app-1", A), ("app-2", B)):
            state = readiness(base)
            record(
                state.get("status") == "degraded" and state.get("cache") == "unavailable",
                f"Redis stopped: {name} /readyz/ says {state}",
            )
    finally:
        cluster.start_redis()
    record(
        wait_until(lambda: readiness(A).get("status") == "ok", 15)
        and readiness(B).get("status") == "ok",
        "Redis started again: both /readyz/ ok",
    )


def worker_stopped() -> None:
    cluster.stop("worker")
    try:
        django(
            "import json; from enrolment.tasks import send_pending_mail; "
            "send_pending_mail.enqueue(); print(json.dumps({}))"
        )
        limit = int(cluster.env()["READY_TASK_MAX_AGE_SECONDS"])
        stalled = wait_until(lambda: readiness(A).get("tasks") == "stalled", limit + 15)
        state = readiness(B)
        record(
            stalled and state.get("status") == "degraded" and "tasks" in state.get("degraded", []),
            f"task worker stopped: /readyz/ says {state}",
        )
    finally:
        cluster.start_worker()
    record(
        wait_until(lambda: readiness(A).get("tasks") == "ok", 30),
        "task worker started again: the queue drains, /readyz/ tasks ok",
    )


def identity_and_faults() -> None:
    forged_forwarded_for()
    staff = admin_lockout_and_origin()
    redis_stopped(staff)
    worker_stopped()


def kill_one() -> None:
    people, capacity, threads = 40, 15, 6
    setup = django(SETUP_DATE.format(capacity=capacity, people=people))
    done = []
    killed = threading.Event()
    victim = cluster.pid_of("app-1")

    def one(token):
        answer = confirm(token)
        done.append(answer)
        if len(done) >= 10 and not killed.is_set():
            killed.set()
            import os
            import signal

            os.killpg(victim, signal.SIGKILL)  # the master and all its workers, mid-load
        return answer

    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        answers = list(pool.map(one, setup["tokens"]))
    record(
        killed.is_set() and cluster.pid_of("app-1") is None,
        f"app-1 killed with SIGKILL after 10 of {people} confirmations",
    )
    record(
        all(a == "ok" for a in answers),
        f"every confirmation answered ({sum(a == 'ok' for a in answers)}/{people}) "
        f"in {time.monotonic() - started:.1f} s",
    )
    ok = sum(Browser().get(f"{LB}/")[0] == 200 for _ in range(10))
    record(ok == 10, f"app-2 keeps serving through the load balancer ({ok}/10)")
    check_seats(setup["date"], capacity, people, "kill one")
    cluster.restart_missing()
    record(cluster.pid_of("app-1") is not None, "app-1 restarted")


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    {"check": journey, "kill-one": kill_one}[command]()
    failed = [text for ok, text in RESULTS if not ok]
    print(f"\n{len(RESULTS) - len(failed)} passed, {len(failed)} failed")
    print("RESULT: " + ("PASS" if not failed else "FAIL"))
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as error:
        print(error.stderr or error)
        print("RESULT: FAIL")
        sys.exit(1)
