"""Real app servers for tests/test_app_servers.py: gunicorn processes running the production
settings on the test database, and a small browser that talks to them over HTTP the way one
behind the site's TLS proxy would (its own cookies, same-origin headers, the forms it is given).

Only the standard library speaks HTTP here: what the servers receive is what a browser sends,
nothing of Django's test client."""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "config.settings.production"
# The site's public address: one TLS proxy in front of both servers, so each request names
# the same host, whichever server the proxy hands it to (and a page either one stored is the
# other's to serve).
SITE = "localhost"
SITE_URL = f"https://{SITE}"
START_DEADLINE = 60  # seconds for a server to answer its first request (2 shared cores)
REQUEST_TIMEOUT = 30

# What the processes inherit from ours: enough to run Python, nothing the settings read (so
# the servers run on exactly the production variables the test gives them).
_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def production_env(**variables: str) -> dict[str, str]:
    inherited = {name: os.environ[name] for name in _INHERITED if name in os.environ}
    return {**inherited, "DJANGO_SETTINGS_MODULE": SETTINGS, **variables}


def collect_static(env: dict[str, str]) -> None:
    """`collectstatic` into env["STATIC_ROOT"]: production's manifest storage renders no page
    without the manifest it writes."""
    done = subprocess.run(  # noqa: S603 — our own interpreter and arguments
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"collectstatic failed:\n{done.stdout}{done.stderr}")


@dataclass(eq=False)  # each one is itself: a key for counting what it was sent
class AppServer:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def __str__(self):
        return f"server {self.name}"


def start(env: dict[str, str], logs: Path, names=("A", "B")) -> list[AppServer]:
    """One server per name, started side by side; returned once each answers. If one fails
    to start, those already running are stopped before the error is raised."""
    servers = []
    try:
        for name in names:
            servers.append(_launch(name, env, logs / f"{name}.log"))
        for server in servers:
            _wait_until_ready(server)
    except BaseException:
        stop(*servers)
        raise
    return servers


def _launch(name: str, env: dict[str, str], log: Path) -> AppServer:
    """gunicorn serving config.wsgi with one sync worker (so "this server" is one process,
    whatever it keeps in memory), on a loopback port the kernel picked. The socket is bound
    here and handed over (`fd://`), so no other process can take the port in between."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    try:
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 — our own interpreter and arguments
                [
                    sys.executable, "-m", "gunicorn", "config.wsgi:application",
                    "--bind", f"fd://{listener.fileno()}", "--workers", "1",
                    "--graceful-timeout", "5", "--access-logfile", "-",
                    # Its default path (~/.gunicorn) is one per user: two servers, or a
                    # benchmark's gunicorn running meanwhile, would take it from each other.
                    "--no-control-socket",
                ],
                cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                pass_fds=[listener.fileno()],
            )  # fmt: skip
    finally:
        listener.close()  # gunicorn holds its own copy
    return AppServer(name, port, process, log)


def _wait_until_ready(server: AppServer) -> None:
    """Poll until the server answers, up to START_DEADLINE. The port accepts connections from
    the start (it was listening before gunicorn ran): a request simply waits for the worker."""
    deadline = time.monotonic() + START_DEADLINE
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server} exited at start:\n{server.log_tail()}")
        left = deadline - time.monotonic()
        if left <= 0:
            raise RuntimeError(
                f"{server} did not answer in {START_DEADLINE} s:\n{server.log_tail()}"
            )
        try:
            answer = Browser().get(server, "/robots.txt", timeout=min(left, 5))
        except OSError:  # refused or reset while the master forks its worker: ask again
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.process.wait(timeout=0.1)  # a short pause that notices an exit at once
            continue
        if answer.status != 200:
            raise RuntimeError(f"{server} answered {answer.status}:\n{server.log_tail()}")
        return


def stop(*servers: AppServer) -> None:
    """SIGTERM to each (gunicorn finishes the request in hand), then SIGKILL to any that
    hangs."""
    running = [server for server in servers if server.process.poll() is None]
    for server in running:
        server.process.terminate()
    for server in running:
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


# -- the browser ----------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes
    path: str  # what was asked for
    server: AppServer

    def __str__(self):
        """For a failed assertion: the answer, and the server's log when it failed itself."""
        told = f"{self.server} answered {self.status} to {self.path}"
        return f"{told}; its log:\n{self.server.log_tail()}" if self.status >= 500 else told

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def location(self) -> str:
        """A redirect's target as a path on the same site."""
        target = urlsplit(self.headers["Location"])
        return target.path + (f"?{target.query}" if target.query else "")

    def forms(self) -> list["Form"]:
        parser = _FormParser(self.path)
        parser.feed(self.text)
        return parser.forms

    def form_with(self, name: str, value: str | None = None) -> "Form":
        """The one form with a control (or button) `name` (of `value`)."""
        found = [f for f in self.forms() if f.has(name, value)]
        assert len(found) == 1, f"{len(found)} forms with {name}={value} on {self.path}"
        return found[0]


@dataclass
class Browser:
    """One person's browser on the site (SITE_URL). The servers sit behind its TLS proxy
    (`X-Forwarded-Proto: https`, which production trusts), so for the browser every page is
    https: it keeps and sends the Secure cookies the servers set, as a real one would."""

    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, server: AppServer, path: str, *, timeout: float = REQUEST_TIMEOUT) -> Response:
        return self._request(server, "GET", path, timeout=timeout)

    def submit(self, server: AppServer, form: "Form", button=None, **values) -> Response:
        """Submit `form` to `server` as a browser on the same site does: every control's
        value, `values` typed in, the `button` (name, value) clicked."""
        body = urlencode(form.data(button, values)).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            # Same-origin evidence: Django's CSRF check reads Origin (Referer without it);
            # Sec-Fetch-Site is what current browsers add for a same-site form.
            "Origin": SITE_URL,
            "Referer": SITE_URL + form.page,
            "Sec-Fetch-Site": "same-origin",
        }
        return self._request(server, "POST", form.target, body=body, headers=headers)

    def _request(self, server, method, path, *, body=None, headers=None, timeout=REQUEST_TIMEOUT):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
        sent = {"Host": SITE, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read(), path, server)
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self._keep(header)
        return response

    def _keep(self, header: str) -> None:
        """Store a Set-Cookie, or forget the cookie when it is deleted (Django deletes with
        Max-Age=0)."""
        pair, *attributes = (part.strip() for part in header.split(";"))
        name, _, value = pair.partition("=")
        deleted = any(a.lower().replace(" ", "") == "max-age=0" for a in attributes)
        if deleted:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value


# -- forms ----------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    page: str  # the path of the page it came from
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def target(self) -> str:
        """Where it posts: the action resolved against the page, without the fragment."""
        resolved = urlsplit(urljoin(self.page, self.action))
        return resolved.path + (f"?{resolved.query}" if resolved.query else "")

    def has(self, name: str, value: str | None = None) -> bool:
        return any(n == name and value in (None, v) for n, v in self.fields + self.buttons)

    def value(self, name: str) -> str | None:
        return next((v for n, v in self.fields if n == name), None)

    def data(self, button, values: dict) -> list[tuple[str, str]]:
        unknown = set(values) - {n for n, _ in self.fields}
        assert not unknown, f"the form on {self.page} has no {unknown}"
        data = [(n, values.get(n, v)) for n, v in self.fields]
        if button is not None:
            assert button in self.buttons, f"no button {button} on {self.page}"
            data.append(button)
        return data


class _FormParser(HTMLParser):
    """The forms of a page and what a browser would send from them: inputs (checked boxes
    only), textareas, each select's chosen option, and the submit buttons to choose from."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._in_form = False
        self._text: list[str] | None = None  # a textarea's or option's text, while inside
        self._textarea: str | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(action=a.get("action", ""), page=self.page))
            self._in_form = True
        if not self._in_form or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self.forms[-1].buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.forms[-1].fields.append((name, a.get("value", "on")))
            elif kind not in ("button", "reset", "file"):
                self.forms[-1].fields.append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            self.forms[-1].buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._option, self._text = a, []

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea:
            # A browser drops the one newline that may follow <textarea>.
            text = "".join(self._text or []).removeprefix("\n")
            self.forms[-1].fields.append((self._textarea, text))
            self._textarea = self._text = None
        elif tag == "option" and self._option is not None:
            value = self._option.get("value", "".join(self._text or []).strip())
            self._options.append((value, "selected" in self._option))
            self._option = self._text = None
        elif tag == "select" and self._select:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.forms[-1].fields += [(self._select, v) for v in chosen[-1:]]
            self._select = None
