"""Tests for geo.read.url: fetching a pasted URL safely. No network: every server runs on 127.0.0.1."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from geo.errors import DocumentError
from geo.read.url import MAX_REDIRECTS, MESSAGES, USER_AGENT, FetchError, fetch, fetch_article, is_public_address
from tests.localserver import served


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test whose fetch would look up a name or connect beyond 127.0.0.1 (even if broken)."""
    connect, getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def no_lookup(host, *args, **kwargs):
        if host not in ("localhost", "127.0.0.1"):
            raise AssertionError(f"the test tried to look up {host}")
        return getaddrinfo(host, *args, **kwargs)

    def loopback_only(sock, address):
        if address[0] != "127.0.0.1":
            raise AssertionError(f"the test tried to connect to {address[0]}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)
    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)  # fetch's default resolver was bound before


def loopback_allowed(ip) -> bool:
    """The policy for the functional tests: the local test servers, nothing else."""
    return ip == ipaddress.ip_address("127.0.0.1")


def everything_allowed(ip) -> bool:
    return True


def answering(*ips: str, calls: list | None = None):
    """A resolver (getaddrinfo's signature and answer shape) that answers ``ips`` for every host."""

    def resolve(host, port, family=0, type=0, proto=0, flags=0):
        if calls is not None:
            calls.append(host)
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (ip, port, 0, 0) if ":" in ip else (ip, port),
            )
            for ip in ips
        ]

    return resolve


# ------------------------------------------------------------------ a local web site


@dataclass
class Page:
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None
    send_length: bool = True
    claimed_length: int | None = None  # a Content-Length other than the body's
    delay: float = 0.0  # seconds before answering
    drip: float = 0.0  # seconds between body bytes


class Site:
    """A ThreadingHTTPServer on 127.0.0.1 (OS-chosen port) serving ``pages``; records each request."""

    def __init__(self, pages: dict[str, Page]) -> None:
        self.pages = pages
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()  # ends the waits of slow pages when the test is over
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, dict(self.headers.items())))
                page = site.pages.get(self.path, Page(b"not here", "text/plain", 404))
                site.release.wait(page.delay)
                try:
                    self.send_response(page.status)
                    if page.content_type:
                        self.send_header("Content-Type", page.content_type)
                    if page.location:
                        self.send_header("Location", page.location.replace("{url}", site.url))
                    if page.send_length:
                        self.send_header("Content-Length", str(page.claimed_length or len(page.body)))
                    self.end_headers()
                    for start in range(0, len(page.body), 1 if page.drip else len(page.body) or 1):
                        self.wfile.write(page.body[start : start + (1 if page.drip else len(page.body))])
                        self.wfile.flush()
                        if page.drip and site.release.wait(page.drip):
                            return
                except OSError:  # the client gave up (size and deadline tests)
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


def serving(pages: dict[str, Page]):  # -> a context manager giving the running Site
    return served(Site(pages))


ARTICLE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Kim's armoured train reaches Vladivostok</title>
<meta property="og:title" content="Kim's armoured train reaches Vladivostok">
<meta property="article:published_time" content="2023-09-12">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Kim's armoured train reaches Vladivostok</h1>
<p>North Korean leader Kim Jong-un arrived in Russia on Tuesday after a slow journey by train from
Pyongyang. The armoured train crossed the border at Khasan before travelling on to Vladivostok.</p>
<p>Moscow is about 6,500 kilometres away, so the two leaders met in the Far East instead. Officials
in Washington have warned against any arms deal between the two countries.</p>
</article>
<footer>Copyright News Example</footer>
</body></html>
"""

PLAIN = "BERLIN, 5. März 2024 – Der Zug aus Pjöngjang ist in Wladiwostok angekommen. Die Fahrt dauerte zwei Tage.\n"


# ------------------------------------------------------------------ articles that arrive


def test_an_html_article_is_fetched_with_its_text_title_and_date():
    with serving({"/news/kim": Page(ARTICLE)}) as site:
        document = fetch_article(f"{site.url}/news/kim", address_allowed=loopback_allowed)
    assert "Kim Jong-un arrived in Russia" in document.text and "Vladivostok" in document.text
    assert "Copyright" not in document.text and "Home" not in document.text  # the extractor ran
    assert document.title == "Kim's armoured train reaches Vladivostok"
    assert (document.published, document.published_source) == (datetime.date(2023, 9, 12), "metadata")
    assert document.language == "en" and document.source == f"{site.url}/news/kim"
    [(path, headers)] = site.requests
    assert headers["User-Agent"] == USER_AGENT and "Dateline" in USER_AGENT
    assert headers["Accept-Encoding"] == "identity" and headers["Host"] == f"127.0.0.1:{site.port}"


def test_plain_text_is_read_as_text_and_options_pass_through():
    with serving({"/a.txt": Page(PLAIN.encode(), "text/plain; charset=utf-8")}) as site:
        document = fetch_article(f"{site.url}/a.txt", language="DE", address_allowed=loopback_allowed)
        dated = fetch_article(
            f"{site.url}/a.txt", published="2024-03-06", language="de", address_allowed=loopback_allowed
        )
    assert document.text == PLAIN and document.source == f"{site.url}/a.txt"
    assert (document.language, document.published, document.published_source) == (
        "de",
        datetime.date(2024, 3, 5),
        "dateline",
    )
    assert (dated.published, dated.published_source) == (datetime.date(2024, 3, 6), "option")


def test_a_redirect_chain_is_followed_and_the_final_url_is_the_source():
    pages = {
        "/old": Page(status=301, location="/moved"),  # relative
        "/moved": Page(status=302, location="{url}/final?x=1"),  # absolute
        "/final?x=1": Page(ARTICLE),
    }
    with serving(pages) as site:
        document = fetch_article(f"{site.url}/old", address_allowed=loopback_allowed)
    assert site.paths == ["/old", "/moved", "/final?x=1"]
    assert document.source == f"{site.url}/final?x=1" and "Vladivostok" in document.text


def test_the_declared_charset_is_used():
    latin1 = "<html><body><p>Grüße aus Köln: die Straße ist gesperrt, sagte die Ärztin.</p></body></html>"
    polish = "Łódź, Gdańsk i Wrocław leżą w Polsce."  # read as cp1252 without the header
    meta = f'<html><head><meta charset="iso-8859-2"></head><body><p>{polish}</p></body></html>'
    pages = {
        "/latin1": Page(latin1.encode("latin-1"), "text/html; charset=ISO-8859-1"),
        "/polish": Page(polish.encode("iso-8859-2"), "text/plain; charset=iso-8859-2"),
        "/meta": Page(meta.encode("iso-8859-2"), "text/html"),
    }
    with serving(pages) as site:
        document = fetch_article(f"{site.url}/latin1", language="de", address_allowed=loopback_allowed)
        plain = fetch(f"{site.url}/polish", address_allowed=loopback_allowed)
        declared_in_meta = fetch(f"{site.url}/meta", address_allowed=loopback_allowed)
    assert "Grüße aus Köln" in document.text and "Ärztin" in document.text
    assert (plain.content_type, plain.charset) == ("text/plain", "iso-8859-2")
    assert plain.text() == polish
    assert polish in declared_in_meta.text()


@pytest.mark.parametrize("charset", ["base64", "zlib", "rot13", "punycode", "idna", "undefined", "utf-7"])
def test_a_charset_that_is_no_text_encoding_falls_back_to_guessing(charset: str) -> None:
    """Python's codecs include base64, zlib and friends, which bytes.decode refuses with LookupError; and
    UTF-7 can spell a lone surrogate, which becomes U+FFFD like any other."""
    body = b"<html><body><p>Kim fuhr von Berlin nach Wien. +2AA-</p></body></html>"
    pages = {
        "/header": Page(body, f"text/html; charset={charset}"),
        "/meta": Page(b'<meta charset="%s">' % charset.encode() + body, "text/html"),
    }
    with serving(pages) as site:
        for path in pages:
            document = fetch_article(f"{site.url}{path}", language="de", address_allowed=loopback_allowed)
            assert "Kim fuhr von Berlin nach Wien." in document.text and document.text.encode()
    assert ("\ufffd" in document.text) == (charset == "utf-7")


# ------------------------------------------------------------------ refused before any request


@pytest.mark.parametrize(
    "url, message",
    [
        ("http://localhost/", "refused: localhost resolves to "),
        ("http://[::1]/", "refused: ::1 is not a public address"),
        ("http://10.0.0.1/", "refused: 10.0.0.1 is not a public address"),
        ("http://169.254.169.254/latest/meta-data", "refused: 169.254.169.254 is not a public address"),
        ("http://100.64.0.1/", "refused: 100.64.0.1 is not a public address"),
        ("http://[::ffff:127.0.0.1]/", "refused: ::ffff:7f00:1 is not a public address"),
        ("http://0.0.0.0:8501/", "refused: 0.0.0.0 is not a public address"),
        ("file:///etc/passwd", MESSAGES["scheme"]),
        ("ftp://ftp.example.org/pub/article.txt", MESSAGES["scheme"]),
        ("javascript:alert(1)", MESSAGES["scheme"]),
        ("example.org/news", MESSAGES["scheme"]),
        ("http://user:pass@example.org/", MESSAGES["credentials"]),
        ("https://token@example.org/", MESSAGES["credentials"]),
        ("http://example.org:port/", "not a usable web address: http://example.org:port/"),
    ],
)
def test_unsafe_urls_are_refused_by_default(url, message):
    with pytest.raises(FetchError) as refused:
        fetch_article(url, timeout=0.5)
    assert str(refused.value).startswith(message)
    assert isinstance(refused.value, DocumentError) and "\n" not in str(refused.value)


def test_the_local_machine_is_refused_even_on_a_real_port():
    with serving({"/": Page(ARTICLE)}) as site:
        with pytest.raises(FetchError, match=r"^refused: 127\.0\.0\.1 is not a public address$"):
            fetch(f"{site.url}/", timeout=0.5)
    assert site.requests == []


@pytest.mark.parametrize(
    "answers, refused_ip",
    [
        (("10.1.2.3",), "10.1.2.3"),
        (("93.184.216.34", "192.168.1.20"), "192.168.1.20"),  # one private answer refuses the host
        (("2606:2800:220:1::1", "fd00::5"), "fd00::5"),
    ],
)
def test_a_host_name_with_any_private_address_is_refused(answers, refused_ip):
    with pytest.raises(FetchError) as refused:
        fetch("https://news.example/article", resolver=answering(*answers), timeout=0.5)
    assert str(refused.value) == f"refused: news.example resolves to {refused_ip}, which is not a public address"


def test_an_unknown_host_is_a_short_message():
    def no_such_host(*args):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(FetchError, match=r"^cannot find the server nowhere\.example$"):
        fetch("https://nowhere.example/", resolver=no_such_host)


@pytest.mark.parametrize(
    "ip, public",
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("239.255.255.250", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("192.0.0.8", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fec0::1", False),
        ("fd12::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("::127.0.0.1", False),
        ("2002:7f00:1::1", False),
        ("64:ff9b::a9fe:a9fe", False),
        ("2001:db8::1", False),
    ],
)
def test_only_public_addresses_pass_the_default_policy(ip, public):
    assert is_public_address(ip) is public


# ------------------------------------------------------------------ redirects, limits and failures


def test_a_redirect_to_a_refused_address_is_refused():
    with serving({"/go": Page(status=302, location="http://10.0.0.1/admin")}) as site:
        with pytest.raises(FetchError, match=r"^refused: 10\.0\.0\.1 is not a public address$"):
            fetch(f"{site.url}/go", address_allowed=loopback_allowed, timeout=0.5)
    assert site.paths == ["/go"]


def test_every_hop_is_vetted_not_only_the_first():
    allowed = iter([True])  # the policy allows the first hop's address once, then nothing

    def first_hop_only(ip) -> bool:
        return next(allowed, False)

    pages = {"/go": Page(status=307, location="/secret"), "/secret": Page(ARTICLE)}
    with serving(pages) as site:
        with pytest.raises(FetchError, match=r"^refused: 127\.0\.0\.1 is not a public address$"):
            fetch(f"{site.url}/go", address_allowed=first_hop_only, timeout=0.5)
    assert site.paths == ["/go"]


def test_a_redirect_to_another_scheme_is_refused():
    with serving({"/go": Page(status=301, location="file:///etc/passwd")}) as site:
        with pytest.raises(FetchError, match=f"^{MESSAGES['scheme']}$"):
            fetch(f"{site.url}/go", address_allowed=loopback_allowed)


def test_too_many_redirects():
    pages = {f"/r{n}": Page(status=302, location=f"/r{n + 1}") for n in range(10)}
    with serving(pages) as site:
        with pytest.raises(FetchError, match=r"^too many redirects"):
            fetch(f"{site.url}/r0", address_allowed=loopback_allowed)
    assert len(site.requests) == MAX_REDIRECTS + 1


@pytest.mark.parametrize("send_length", [True, False])
def test_a_body_over_max_bytes_is_refused_with_or_without_content_length(send_length):
    pages = {
        "/big": Page(b"x" * 5000, "text/plain", send_length=send_length),
        "/just": Page(b"y" * 1000, "text/plain", send_length=send_length),
    }
    with serving(pages) as site:
        with pytest.raises(FetchError, match=r"^the page is larger than 1 kB$"):
            fetch(f"{site.url}/big", max_bytes=1000, address_allowed=loopback_allowed)
        assert fetch(f"{site.url}/just", max_bytes=1000, address_allowed=loopback_allowed).body == b"y" * 1000


def test_an_announced_length_over_the_default_limit_is_refused_unread():
    with serving({"/huge": Page(b"tiny", "text/plain", claimed_length=6_000_000)}) as site:
        with pytest.raises(FetchError, match=r"^the page is larger than 5 MB$"):
            fetch(f"{site.url}/huge", address_allowed=loopback_allowed, timeout=1.0)


@pytest.mark.parametrize(
    "page",
    [
        Page(ARTICLE, delay=3.0),  # silent until long after the deadline
        Page(b"z" * 100, "text/plain", drip=0.05),  # a byte every 0.05 s: no socket timeout ever fires
    ],
    ids=["silent", "dripping"],
)
def test_the_whole_fetch_has_one_deadline(page):
    with serving({"/slow": page}) as site:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"^no answer within 0\.3 s$"):
            fetch(f"{site.url}/slow", timeout=0.3, address_allowed=loopback_allowed)
        assert time.monotonic() - started < 0.8


@pytest.mark.parametrize(
    "page, message",
    [
        (Page(b"gone", "text/plain", 404), "the server answered 404 Not Found"),
        (Page(b"%PDF-1.7", "application/pdf"), "not an article: the server sent application/pdf"),
        (Page(b"<html></html>", None), "not an article: the server sent no content type"),
        (Page(status=302), "the server answered 302 Found without saying where to go"),
    ],
)
def test_answers_that_are_not_articles(page, message):
    with serving({"/x": page}) as site:
        with pytest.raises(FetchError) as refused:
            fetch_article(f"{site.url}/x", address_allowed=loopback_allowed)
    assert str(refused.value) == message


def test_a_closed_port_is_a_short_message():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # nobody listens once it is closed
    with pytest.raises(FetchError, match=r"^cannot reach 127\.0\.0\.1 \(.+\)$"):
        fetch(f"http://127.0.0.1:{port}/", address_allowed=loopback_allowed, timeout=0.5)


# ------------------------------------------------------------------ the vetted address is the one connected to


def test_the_connection_goes_to_the_vetted_address_with_the_original_host_header():
    calls: list[str] = []
    first = answering("127.0.0.1")
    later = answering("203.0.113.7")  # TEST-NET-3: nothing answers there

    def rebinding(host, *args):
        calls.append(host)
        return (first if len(calls) == 1 else later)(host, *args)

    with serving({"/article": Page(ARTICLE)}) as site:
        document = fetch_article(
            f"http://news.example:{site.port}/article",
            resolver=rebinding,
            address_allowed=everything_allowed,
            timeout=0.5,
        )
    assert calls == ["news.example"]
    [(path, headers)] = site.requests
    assert headers["Host"] == f"news.example:{site.port}"
    assert document.source == f"http://news.example:{site.port}/article" and "Vladivostok" in document.text


def test_https_sends_the_host_name_for_sni_to_the_vetted_address():
    """A plain TCP listener sees the TLS ClientHello: the SNI names the host, the socket is ours."""
    hello: list[bytes] = []
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(2)

        def accept_one() -> None:
            connection, _ = listener.accept()
            with connection:
                hello.append(connection.recv(4096))

        thread = threading.Thread(target=accept_one, daemon=True)
        thread.start()
        port = listener.getsockname()[1]
        with pytest.raises(FetchError, match=r"^no secure connection to news\.example \(.+\)$"):
            fetch(
                f"https://news.example:{port}/",
                resolver=answering("127.0.0.1"),
                address_allowed=loopback_allowed,
                timeout=1.0,
            )
        thread.join(timeout=2)
    assert hello and hello[0][:1] == b"\x16" and b"news.example" in hello[0]  # a TLS handshake with SNI
