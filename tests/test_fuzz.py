"""Fuzzing the public site with malformed requests: whatever a client sends, the answer is
never a 5xx. tests/config/test_error_pages.py names each kind of malformed input; here
Hypothesis combines them: odd paths and query strings (non-UTF-8 bytes, NUL, broken percent
escapes), Content-Types and charsets (known, unknown, not text encodings), bodies (form,
multipart with good and broken boundaries, raw bytes, other encodings), Content-Lengths that
lie, headers with odd and very long values, bad hosts, CSRF cookies and tokens or none.

Header values never hold NUL, CR or LF: gunicorn refuses those with its own 400 before the
request reaches Django. Every request goes through the whole middleware stack behind an
HTTPS proxy, as in production. The number of requests sent, by target and status, is printed
at the end of the module (with `-n0`).
"""

import io
from collections import Counter
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import ReviewerProfile
from config.middleware import without_unusable_charset
from reviews import roles
from tests.factories import ArticleFactory, SpecialtyFactory, TopicFactory, staff, workflow_to

pytestmark = pytest.mark.django_db

# Generated requests per test below (3 × EXAMPLES in all, plus the reported case), about ten
# seconds on one core.
EXAMPLES = 100
FUZZ = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no example files in the working tree
    suppress_health_check=[HealthCheck.too_slow],
)
SENT: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    if not SENT:
        return
    by_status = sorted((k, v) for k, v in SENT.items() if k[0] == "status")
    by_target = sorted((k[1], v) for k, v in SENT.items() if k[0] == "target")
    total = sum(v for k, v in SENT.items() if k[0] == "target")
    line = (
        f"fuzz: {total} malformed requests, none answered 5xx; "
        f"by target {dict(by_target)}; by status { {k[1]: v for k, v in by_status} }"
    )
    # Past pytest's output capture, as `capsys.disabled()` does (pytest-xdist workers have no
    # terminal: run with -n0 to see it).
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{line}")


@pytest.fixture
def site(settings):
    """What the targets point at, behind production's HTTPS proxy and client-IP setting."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 1
    settings.FOLLOW_UP_RATE = "10000/m"  # the fuzz is about parsing, not the rate limit
    reviewer = staff(roles.MEDICAL_ADVISORY_BOARD)
    infectious = SpecialtyFactory(name="Infectious diseases")
    profile = ReviewerProfile.objects.create(
        user=reviewer, slug="ana-ruiz", display_name="Ana Ruiz", credentials="MD",
    )  # fmt: skip
    profile.specialties.add(infectious)
    topic = TopicFactory(specialty=infectious)  # hers: an ordinary approval
    article = ArticleFactory(slug="cystitis", topic=topic)
    article = workflow_to(article, "approved", reviewer=reviewer)
    return {"article": article.get_absolute_url()}


# -- pieces of requests ----------------------------------------------------------------------

ODD_BYTES = st.binary(max_size=24) | st.sampled_from(
    [b"\x00", b"\xff\xfe", b"\xc0\xaf", b"%", b"%ZZ", b"%%", b"..", b"/", b"//evil.example",
     b"\xe2\x80\xae", b"+", b"&", b"=", b"?", b"#", "患者".encode(), b"\xed\xa0\x80"]
)  # fmt: skip
# What a WSGI server hands over: header bytes as ISO-8859-1, no NUL, CR or LF.
HEADER_CHARS = st.characters(codec="latin-1", exclude_characters="\x00\r\n")
HEADER_VALUE = st.text(HEADER_CHARS, max_size=40) | st.builds(
    lambda c, n: c * n, st.text(HEADER_CHARS, min_size=1, max_size=3), st.integers(1, 20_000)
)


def percent(raw: bytes) -> str:
    return quote_from_bytes(raw, safe="")


@st.composite
def query_strings(draw) -> str:
    """A raw QUERY_STRING: the known parameters with odd values, odd names, broken escapes."""
    names = st.sampled_from(["next", "reader", "preview", "page", "q", "o", "p", "_popup"])
    pairs = draw(
        st.lists(st.tuples(names | ODD_BYTES.map(percent), ODD_BYTES.map(percent)), max_size=5)
    )
    query = "&".join(f"{k}={v}" for k, v in pairs)
    if draw(st.booleans()):  # some bytes left unescaped, as a sloppy client sends them
        query += draw(st.text(HEADER_CHARS, max_size=20)).replace("#", "")
    return query


CHARSETS = st.sampled_from(
    ["utf-8", "UTF-8", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "ascii",
     "shift_jis", "utf-7", "utf_8_sig", "nonsense", "", '"utf-8"', "utf-8; charset=utf-16",
     "base64", "rot13", "zip", "hex", "quopri", "idna", "undefined", "punycode",
     "unicode_escape", "x" * 300]
)  # fmt: skip
MEDIA_TYPES = st.sampled_from(
    ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain",
     "application/json", "application/octet-stream", "", "garbage", "multipart/mixed",
     "application/x-www-form-urlencoded;", "text/html; q=0.9"]
)  # fmt: skip
BOUNDARIES = st.sampled_from(["xx", "", " ", "----a", "a" * 80, "é", '"quoted"', "x;y"]) | (
    st.text(HEADER_CHARS, max_size=12)
)


@st.composite
def content_types(draw, media_types=MEDIA_TYPES) -> str:
    media = draw(media_types)
    params = []
    if media.startswith("multipart") and draw(st.booleans()):
        params.append(f"boundary={draw(BOUNDARIES)}")
    if draw(st.booleans()):
        params.append(f"charset={draw(CHARSETS)}")
    if draw(st.integers(0, 9)) == 0:
        params.append(draw(st.text(HEADER_CHARS, max_size=30)))
    return "; ".join([media, *params])


# What a form endpoint mostly gets: a form, possibly in an odd charset.
FORM_TYPES = st.one_of(
    st.sampled_from(["application/x-www-form-urlencoded", "multipart/form-data"]), MEDIA_TYPES
)

FIELDS = st.sampled_from(["text", "asker_email", "website", "username", "password", "next"])
FIELD_TEXT = st.text(max_size=60) | st.sampled_from(
    ["", "\x00", "Is a shorter course as good for older patients?", "a@b", "x" * 3000]
)


@st.composite
def bodies(draw, content_type: str) -> bytes:
    kind = draw(st.sampled_from(["form", "multipart", "raw"]))
    fields = draw(st.lists(st.tuples(FIELDS, FIELD_TEXT), max_size=4))
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252"]))

    def encode(text: str) -> bytes:
        return text.encode(encoding, errors="replace")

    if kind == "form":
        return b"&".join(
            percent(encode(k)).encode() + b"=" + percent(encode(v)).encode() for k, v in fields
        )
    if kind == "multipart":
        _, _, boundary = content_type.partition("boundary=")
        boundary = boundary.split(";")[0].encode("latin-1", errors="replace") or b"xx"
        parts = [
            b"--" + boundary + b"\r\n"
            b'Content-Disposition: form-data; name="' + encode(k) + b'"\r\n\r\n' + encode(v)
            for k, v in fields
        ]
        body = b"\r\n".join(parts) + b"\r\n--" + boundary + b"--\r\n"
        cut = draw(st.integers(0, len(body)))
        return body[:cut] if draw(st.booleans()) else body
    return draw(st.binary(max_size=200))


HEADER_NAMES = st.sampled_from(
    ["HTTP_USER_AGENT", "HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_ACCEPT_ENCODING",
     "HTTP_REFERER", "HTTP_ORIGIN", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO",
     "HTTP_X_FORWARDED_HOST", "HTTP_X_CSRFTOKEN", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_NONE_MATCH",
     "HTTP_RANGE", "HTTP_AUTHORIZATION", "HTTP_COOKIE"]
)  # fmt: skip
# Mostly one we serve, so that the request gets past the host check.
HOSTS = st.one_of(
    st.just("testserver"), st.just("testserver"), st.just("testserver:443"),
    st.text(HEADER_CHARS, max_size=30),
)  # fmt: skip


@st.composite
def headers(draw) -> dict[str, str]:
    environ = dict(draw(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUE), max_size=4)))
    environ["HTTP_HOST"] = draw(HOSTS)
    if draw(st.booleans()):
        environ["HTTP_X_FORWARDED_PROTO"] = "https"
        environ["SERVER_PORT"] = "443"
        environ.setdefault("HTTP_REFERER", f"https://{environ['HTTP_HOST']}/")
    return environ


@st.composite
def cookies(draw) -> dict[str, str]:
    """The CSRF cookie (well-formed, wrong or odd), a reader-type cookie, a session cookie."""
    jar = {}
    # Mostly well-formed, so the CSRF check goes on to read the form.
    token = draw(
        st.one_of(
            st.just("a" * 32), st.just("b" * 64),
            st.sampled_from(["", "short", "!" * 32]), HEADER_VALUE,
        )
    )  # fmt: skip
    if draw(st.booleans()):
        jar["csrftoken"] = token
    if draw(st.booleans()):
        jar["vetted_reader"] = draw(st.sampled_from(["patient", "nurse", "\x7f"]) | HEADER_VALUE)
    if draw(st.booleans()):
        jar["sessionid"] = draw(HEADER_VALUE)
    return jar


class GuardedClient(Client):
    """The test client with config.wsgi's charset guard in front, as production has it."""

    def request(self, **request):
        return super().request(**without_unusable_charset(request))


def send(site, target: str, *, method, path_suffix, query, content_type, body, lie, environ,
         jar, csrf) -> int:  # fmt: skip
    urls = {
        "home": "/",
        "article": site["article"],
        "follow-up": f"{site['article']}follow-up/",
        "reader": "/reader/",
        "page": "/pages/editorial-policy/",
        "board": "/board/",
        "profile": "/board/ana-ruiz/",
        "admin login": "/admin/login/",
    }
    path = urls[target] + path_suffix
    client = GuardedClient(enforce_csrf_checks=csrf, raise_request_exception=False)
    for name, value in jar.items():
        client.cookies[name] = value
    extra = {**environ, "QUERY_STRING": query}
    if body or content_type:
        extra["CONTENT_TYPE"] = content_type
    if lie is not None:
        # A Content-Length that lies: a server hands over what arrived, then end-of-file.
        extra.update({"CONTENT_LENGTH": lie(len(body)), "wsgi.input": io.BytesIO(body)})
    response = client.generic(method, path, body, content_type=content_type, **extra)
    SENT["target", target] += 1
    SENT["status", response.status_code] += 1
    return response.status_code


LIES = st.sampled_from(
    [None, None, None, lambda n: str(n + 100), lambda n: str(max(n - 5, 0)), lambda n: "0",
     lambda n: "abc", lambda n: "-1", lambda n: " 12", lambda n: "9" * 30]
)  # fmt: skip
PATH_SUFFIXES = st.one_of(
    st.just(""), st.just(""), ODD_BYTES.map(percent), ODD_BYTES.map(lambda b: percent(b) + "/")
)


def sent() -> int:
    return sum(count for (kind, _), count in SENT.items() if kind == "target")


@FUZZ
@given(
    target=st.sampled_from(["home", "article", "reader", "page", "board", "profile"]),
    path_suffix=PATH_SUFFIXES,
    query=query_strings(),
    environ=headers(),
    jar=cookies(),
    content_type=content_types() | st.just(""),
)
def odd_reads(site, target, path_suffix, query, environ, jar, content_type):
    status = send(
        site, target, method="GET", path_suffix=path_suffix, query=query,
        content_type=content_type, body=b"", lie=None, environ=environ, jar=jar, csrf=True,
    )  # fmt: skip
    assert status < 500


@st.composite
def forms(draw) -> tuple[str, bytes]:
    content_type = draw(content_types(FORM_TYPES))
    return content_type, draw(bodies(content_type))


# The report that started this: a form in UTF-16 with a CSRF cookie, behind the HTTPS proxy.
REPORTED = {
    "target": "follow-up",
    "form": (
        "application/x-www-form-urlencoded; charset=utf-16",
        "text=Is a shorter course as good?".encode("utf-16"),
    ),
    "query": "",
    "environ": {
        "HTTP_HOST": "testserver",
        "HTTP_X_FORWARDED_PROTO": "https",
        "SERVER_PORT": "443",
        "HTTP_REFERER": "https://testserver/",
    },
    "jar": {"csrftoken": "a" * 32},
    "lie": None,
    "csrf": True,
}


@FUZZ
@example(**REPORTED)
@given(
    target=st.sampled_from(["follow-up", "admin login"]),
    form=forms(),
    query=query_strings() | st.just(""),
    environ=headers(),
    jar=cookies(),
    lie=LIES,
    csrf=st.booleans(),
)
def odd_forms(site, target, form, query, environ, jar, lie, csrf):
    content_type, body = form
    status = send(
        site, target, method="POST", path_suffix="", query=query, content_type=content_type,
        body=body, lie=lie, environ=environ, jar=jar, csrf=csrf,
    )  # fmt: skip
    assert status < 500


@FUZZ
@given(
    target=st.sampled_from(["home", "article", "reader", "page", "board", "follow-up"]),
    method=st.sampled_from(["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "FOO"]),
    content_type=content_types(),
    body=st.binary(max_size=100),
    environ=headers(),
    jar=cookies(),
)
def odd_methods(site, target, method, content_type, body, environ, jar):
    status = send(
        site, target, method=method, path_suffix="", query="", content_type=content_type,
        body=body, lie=None, environ=environ, jar=jar, csrf=True,
    )  # fmt: skip
    assert status < 500


# Each test checks that Hypothesis really sent its EXAMPLES requests (every one answered
# below 500); the module's summary line gives the totals.


def test_odd_reads_of_public_pages_are_never_a_server_error(site):
    before = sent()
    odd_reads(site)
    assert sent() - before >= EXAMPLES


def test_odd_forms_sent_to_public_forms_are_never_a_server_error(site):
    before = sent()
    odd_forms(site)
    assert sent() - before >= EXAMPLES


def test_other_methods_with_odd_bodies_are_never_a_server_error(site):
    before = sent()
    odd_methods(site)
    assert sent() - before >= EXAMPLES
