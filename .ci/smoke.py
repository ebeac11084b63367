"""The smoke test's journeys, over HTTP against the servers .ci/smoke started.

Standard library only (urllib, http.cookiejar, html.parser): every request goes to gunicorn
as the akimat's TLS proxy would pass it on — Host the public name, X-Forwarded-Proto https,
and for a form its Origin and Referer — and every form is sent with all its fields as the
page gives them. Settings come from the environment .ci/smoke exports (SMOKE_*).

1. a department head signs in and moves one of their paper services on, in the admin form;
2. the governor builds a report from the reports page, follows it, downloads PDF and XLSX;
3. an official exports the services (through the worker: EXPORT_BACKGROUND_ROWS=1);
4. /health/, asked over plain HTTP as a monitor would, answers 200 with every check ok;
5. a build whose worker is killed (SIGKILL) mid-job is taken back by the sweep and finished
   by a new worker.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path

BASE_URL = os.environ["SMOKE_BASE_URL"]  # gunicorn, http://127.0.0.1:PORT
HOST = os.environ["SMOKE_HOST"]  # the public name the proxy passes on
PASSWORD = os.environ["SMOKE_PASSWORD"]
WORK = Path(os.environ["SMOKE_WORK"])
VENV = Path(os.environ["SMOKE_VENV"])
DATABASE = os.environ["SMOKE_DATABASE"]
ORIGIN = f"https://{HOST}"
REGION = "KZ-31"  # the demo oblast
JOB_TIMEOUT = 120  # seconds a build or an export may take to finish
# Read by the build after it has claimed its snapshot (reports.usage): locked, it holds the
# build mid-job, deterministically.
LOCKED_TABLE = "services_usage"


def step(number, text: str) -> None:
    print(f"--- smoke [{number}]: {text}", flush=True)


def check(condition, message: str) -> None:
    if not condition:
        raise SystemExit(f"smoke test FAILED: {message}")


# --- HTTP ----------------------------------------------------------------------------------


class ProxySide(DefaultCookiePolicy):
    """Secure cookies travel: the browser's side of the proxy is HTTPS, ours plain HTTP."""

    def return_ok_secure(self, cookie, request):
        return True


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are answers to look at (and followed by Browser.follow)."""

    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, path, status, headers, body):
        self.path, self.status, self.headers, self.body = path, status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)

    @property
    def location(self) -> str:
        """The redirect's target as a path on this site."""
        target = urllib.parse.urlsplit(self.headers.get("Location", ""))
        check(target.netloc in ("", HOST), f"{self.path} redirects off the site: {target}")
        return target.path + (f"?{target.query}" if target.query else "")


class Browser:
    """One person's browser behind the proxy: their cookies, every request over "HTTPS"."""

    def __init__(self, name: str):
        self.name = name
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar(policy=ProxySide())), NoRedirects()
        )

    def request(self, path, *, data=None, referer=None, https=True) -> Response:
        headers = {"Host": HOST, "User-Agent": "tracker-smoke-test"}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if data is not None:
            headers |= {"Origin": ORIGIN, "Referer": ORIGIN + (referer or path)}
            data = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(BASE_URL + path, data=data, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as answer:
                return Response(path, answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as answer:  # 3xx (not followed), 4xx, 5xx
            return Response(path, answer.code, answer.headers, answer.read())

    def get(self, path, *, https=True) -> Response:
        return self.follow(self.request(path, https=https))

    def submit(self, page: Response, form: "Form", fields: dict) -> Response:
        """Send ``fields`` as the form on ``page`` would: to its action, read as a browser
        reads it (relative to the page; none is the page itself)."""
        action = urllib.parse.urljoin(page.path, form.action)
        return self.request(action, data=fields, referer=page.path)

    def follow(self, response: Response) -> Response:
        for _ in range(10):
            if response.status not in (301, 302, 303, 307, 308):
                return response
            response = self.request(response.location)
        raise SystemExit(f"smoke test FAILED: {self.name}: too many redirects")

    def ok(self, path) -> Response:
        response = self.get(path)
        check(response.status == 200, f"{self.name}: GET {path} answered {response.status}")
        return response

    def sign_in(self, username: str) -> None:
        login = self.ok("/admin/login/")
        form = Page(login.text).form(lambda f: "password" in f.names)
        # Every field as the page gives it (a second factor's code, if the form has one,
        # stays empty: the demo users have no device).
        fields = form.fields | {"username": username, "password": PASSWORD}
        answer = self.submit(login, form, fields)
        check(
            answer.status == 302 and "login" not in answer.location,
            f"{username} could not sign in (answer {answer.status})",
        )
        self.follow(answer)
        print(f"    {username} signed in")


# --- HTML ----------------------------------------------------------------------------------


class Form:
    def __init__(self, attrs):
        self.action = attrs.get("action") or ""
        self.id = attrs.get("id") or ""
        self.method = (attrs.get("method") or "get").lower()
        self.pairs: list[tuple[str, str]] = []
        self.buttons: list[str] = []

    @property
    def names(self) -> set[str]:
        return {name for name, _value in self.pairs}

    @property
    def fields(self) -> dict[str, str | list[str]]:
        """name -> value, or a list of values for a name given more than once."""
        found: dict[str, list[str]] = {}
        for name, value in self.pairs:
            found.setdefault(name, []).append(value)
        return {name: values[0] if len(values) == 1 else values for name, values in found.items()}


class Page(HTMLParser):
    """A page's forms (the fields a browser would send), links and data-progress-url."""

    SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self.scripts: list[str] = []
        self.progress_urls: list[str] = []
        self._form = self._select = self._option = self._textarea = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-progress-url" in attrs:
            self.progress_urls.append(attrs["data-progress-url"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag == "form":
            self._form = Form(attrs)
            self.forms.append(self._form)
        elif self._form is None or "disabled" in attrs:
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "button" and attrs.get("name"):
            self._form.buttons.append(attrs["name"])
        elif tag == "select":
            self._select = {"name": attrs.get("name"), "multiple": "multiple" in attrs}
            self._select |= {"options": [], "selected": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": attrs.get("value"), "text": ""}
            self._select["options"].append(self._option)
            if "selected" in attrs:
                self._select["selected"].append(self._option)
        elif tag == "textarea":
            self._textarea = {"name": attrs.get("name"), "text": ""}

    def _input(self, attrs):
        kind = (attrs.get("type") or "text").lower()
        name = attrs.get("name")
        if not name or kind in self.SKIPPED_INPUTS:
            return
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self._form.pairs.append((name, attrs.get("value") or "on"))
        else:
            self._form.pairs.append((name, attrs.get("value") or ""))

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        elif self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["selected"] or self._select["options"][:1]
            if not self._select["multiple"]:
                chosen = chosen[-1:]
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"]
                if self._select["name"]:
                    self._form.pairs.append((self._select["name"], value.strip()))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline right after <textarea>, as Django writes it.
            text = self._textarea["text"].removeprefix("\r").removeprefix("\n")
            if self._form is not None and self._textarea["name"]:
                self._form.pairs.append((self._textarea["name"], text))
            self._textarea = None
        elif tag == "form":
            self._form = None

    def form(self, matches) -> Form:
        found = [form for form in self.forms if matches(form)]
        check(len(found) == 1, f"expected one such form on the page, found {len(found)}")
        return found[0]

    def link(self, pattern: str) -> str:
        found = [href for href in self.links if re.search(pattern, href)]
        check(found, f"no link matching {pattern!r} on the page")
        return found[0]


# --- the servers' side ---------------------------------------------------------------------


def shell(code: str) -> str:
    """Ask the database what landed, through the installed app (manage.py shell -c)."""
    done = subprocess.run(
        [VENV / "bin" / "python", "-m", "django", "shell", "--no-imports", "-c", code],
        cwd=WORK / "run",
        capture_output=True,
        text=True,
        check=False,
    )
    check(done.returncode == 0, f"manage.py shell failed:\n{done.stderr}")
    return done.stdout.strip()


def psql(query: str) -> str:
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-XAtqc", query],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def follow_job(browser: Browser, page: Response, *, seconds=JOB_TIMEOUT) -> dict:
    """Poll the job's progress URL (the one the page's script follows) until it is done."""
    progress_url = progress_of(page)
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        state = browser.ok(progress_url).json()
        if state["state"] != last:
            print(f"    {state['state']} {state['progress'] or 0}%")
            last = state["state"]
        check(state["state"] != "failed", f"the job failed: {state['error']}")
        if state["state"] == "done":
            return state
        time.sleep(0.5)
    raise SystemExit(f"smoke test FAILED: the job of {page.path} not done after {seconds} s")


def progress_of(page: Response) -> str:
    """The progress URL the page's script follows; a job done before its page was drawn
    shows the result instead, and its progress is next to it."""
    shown = Page(page.text).progress_urls
    return shown[0] if shown else page.path.rstrip("/") + "/progress/"


def download(browser: Browser, path: str, magic: bytes) -> None:
    response = browser.ok(path)
    check(response.body.startswith(magic), f"{path} does not start with {magic!r}")
    check("no-store" in response.headers.get("Cache-Control", ""), f"{path} may be cached")
    print(f"    {path}: {len(response.body)} bytes, {response.headers.get('Content-Type')}")


# --- the journeys --------------------------------------------------------------------------


def head_changes_a_service() -> None:
    step(1, "a department head moves one of their paper services on, in the admin form")
    head = Browser("head.edu")
    head.sign_in("head.edu")
    found = head.ok("/admin/services/service/?status=paper")
    change_url = Page(found.text).link(r"/admin/services/service/\d+/change/")
    service_id = re.search(r"/(\d+)/change/", change_url).group(1)
    page = head.ok(change_url)
    form = Page(page.text).form(lambda f: "status" in f.names and f.method == "post")
    check(form.fields["status"] == "paper", f"service {service_id} is not on paper")
    fields = form.fields | {
        "status": "partial",
        "status_comment": "Smoke test: applications are accepted through eGov.",
        "_save": "",
    }
    answer = head.submit(page, form, fields)
    check(
        answer.status == 302,
        f"the change form was refused ({answer.status}):\n"
        + "\n".join(re.findall(r'class="[^"]*errorlist[^"]*"[^>]*>(.*?)</ul>', answer.text, re.S)),
    )
    shown = Page(head.ok(change_url).text).form(lambda f: "status" in f.names)
    check(shown.fields["status"] == "partial", "the service page does not show the new status")
    stored = shell(
        "from services.models import Service, StatusChange\n"
        f"service = Service.objects.get(pk={service_id})\n"
        "latest = StatusChange.objects.filter(service=service).latest()\n"
        "print(service.status, latest.changed_by.username)"
    )
    check(stored == "partial head.edu", f"the database says {stored!r}")
    print(f"    service {service_id}: paper -> partial, by head.edu (page and database agree)")


def governor_builds_a_report(governor: Browser) -> None:
    step(2, "the governor builds a report now, follows it, downloads PDF and XLSX")
    region_page = governor.ok("/reports/")  # one region: straight to its page
    check(region_page.path == f"/reports/{REGION}/", f"/reports/ led to {region_page.path}")
    snapshot_page = build_now(governor)
    follow_job(governor, snapshot_page)
    done = Page(governor.ok(snapshot_page.path).text)
    download(governor, done.link(r"\.pdf$"), b"%PDF")
    download(governor, done.link(r"\.xlsx$"), b"PK")


def build_now(governor: Browser, page: Response | None = None) -> Response:
    """The region page's "build now" button: the snapshot's page it leads to."""
    page = page or governor.ok(f"/reports/{REGION}/")
    form = Page(page.text).form(lambda f: f.action.endswith("/build/"))
    answer = governor.submit(page, form, form.fields)
    check(answer.status == 302, f"build now answered {answer.status}")
    snapshot_page = governor.follow(answer)
    check(snapshot_page.status == 200, f"{snapshot_page.path} answered {snapshot_page.status}")
    print(f"    asked for {snapshot_page.path}")
    return snapshot_page


def official_exports_services() -> None:
    step(3, "an official exports the services: written by the worker, then downloaded")
    official = Browser("official")
    official.sign_in("official")
    services = official.ok("/admin/services/service/")
    export_url = Page(services.text).link(r"/exports/services\.xlsx")
    job_page = official.get(export_url)
    check(re.search(r"/exports/jobs/\d+/$", job_page.path), f"no export job: {job_page.path}")
    for script in Page(job_page.text).scripts:  # the collected static files are served
        official.ok(script)
    follow_job(official, job_page)
    download(official, Page(official.ok(job_page.path).text).link(r"/download/$"), b"PK")


def health_says_ok() -> None:
    step(4, "GET /health/ over plain HTTP, as a monitor inside the network asks it")
    monitor = Browser("monitor")
    deadline = time.monotonic() + 90
    while True:
        answer = monitor.request("/health/", https=False)
        body = answer.json() if answer.status in (200, 503) else answer.text[:200]
        if answer.status == 200 or time.monotonic() > deadline:
            break
        time.sleep(2)
    check(answer.status == 200, f"/health/ answered {answer.status}: {body}")
    expected = {"status": "ok", "checks": {"database": "ok", "broker": "ok", "worker": "ok"}}
    check(body == expected, f"/health/ answered {body}")
    check("no-store" in answer.headers.get("Cache-Control", ""), "/health/ may be cached")
    print(f"    200 {json.dumps(body)}")
    # Everything else still goes to HTTPS.
    login = monitor.request("/admin/login/", https=False)
    check(login.status == 301 and login.location, "plain HTTP is not redirected to HTTPS")


def killed_worker_job_is_finished(governor: Browser) -> None:
    step(5, "a build whose worker is killed (SIGKILL) mid-job is taken back and finished")
    region_page = governor.ok(f"/reports/{REGION}/")  # read before the lock, not during
    locker = subprocess.Popen(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-XAtq"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    locker.stdin.write(f"BEGIN;\nLOCK TABLE {LOCKED_TABLE} IN ACCESS EXCLUSIVE MODE;\n")
    locker.stdin.write("SELECT 'locked';\n")
    locker.stdin.flush()
    check(locker.stdout.readline().strip() == "locked", f"could not lock {LOCKED_TABLE}")
    print(f"    {LOCKED_TABLE} locked (ACCESS EXCLUSIVE) by a psql session")
    try:
        snapshot_page = build_now(governor, region_page)
        progress_url = progress_of(snapshot_page)
        wait_until(
            lambda: governor.ok(progress_url).json()["state"] == "running" and waiting_on_lock(),
            "the worker to claim the build and wait on the lock",
        )
        print(f"    running, its worker waiting on {LOCKED_TABLE}")
        worker = int((WORK / "pids" / "worker").read_text())
        os.killpg(worker, signal.SIGKILL)
        wait_until(lambda: not group_alive(worker), "the killed worker to go")
        killed_at = time.monotonic()
        print(f"    worker process group {worker} killed with SIGKILL")
    finally:
        locker.stdin.write("COMMIT;\n")
        locker.stdin.close()
        locker.wait(timeout=30)
    print(f"    {LOCKED_TABLE} released")
    state = governor.ok(progress_url).json()["state"]
    check(state in ("running", "queued"), f"the build is {state} with no worker alive")
    start_worker("worker2", "smoke2@%h")
    print("    a new worker started")
    follow_job(governor, snapshot_page)
    print(f"    done {time.monotonic() - killed_at:.1f} s after its worker was killed")
    finished_by = (WORK / "logs" / "worker2.log").read_text()
    check(
        re.search(r"build_report_task\[[^]]+\] succeeded", finished_by),
        "the new worker's log does not say it built the report",
    )
    health = Browser("monitor").request("/health/", https=False)
    check(health.status == 200, f"/health/ answered {health.status} after the new worker")


def waiting_on_lock() -> bool:
    return psql(
        "SELECT count(*) FROM pg_locks JOIN pg_class ON pg_class.oid = pg_locks.relation"
        f" WHERE pg_class.relname = '{LOCKED_TABLE}' AND NOT pg_locks.granted"
    ) not in ("", "0")


def group_alive(group: int) -> bool:
    """Any process of the group still running (not a zombie waiting to be reaped)?"""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


def start_worker(name: str, node: str) -> None:
    """Another worker, like the first; .ci/smoke's trap stops it (its id is in pids/)."""
    log = (WORK / "logs" / f"{name}.log").open("ab")
    command = [VENV / "bin" / "celery", "-A", "tracker", "worker", "--concurrency", "2"]
    worker = subprocess.Popen(
        [*command, "-n", node, "--loglevel", "INFO"],
        cwd=WORK / "run",
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    (WORK / "pids" / name).write_text(str(worker.pid))


def wait_until(condition, what: str, *, seconds=60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        check(time.monotonic() < deadline, f"waited {seconds} s for {what}")
        time.sleep(0.3)


def wait_for_server() -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            Browser("monitor").request("/health/", https=False)
            return
        except OSError:
            check(time.monotonic() < deadline, "gunicorn did not answer within 60 s")
            time.sleep(0.5)


def main() -> None:
    started = time.monotonic()
    wait_for_server()
    head_changes_a_service()
    governor = Browser("akim")
    governor.sign_in("akim")
    governor_builds_a_report(governor)
    official_exports_services()
    health_says_ok()
    killed_worker_job_is_finished(governor)
    print(f"--- smoke: every journey passed in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
