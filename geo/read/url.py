"""Fetching an article from a URL a user pasted -> :class:`~geo.read.document.Document`.

Why this module is careful: the URL is untrusted input, and the request leaves from the machine
that runs Dateline (the dashboard's server), not from the user's browser. Fetched naively, a URL
could make that machine read its own services (``http://localhost:8501/``), the private network
(``http://10.0.0.1/admin``) or a cloud's metadata service (``http://169.254.169.254/``), and show
the answer to the user: server-side request forgery (SSRF). So:

- only ``http`` and ``https``, with no user name or password in the URL;
- the host is resolved once, and every address it resolves to must be public
  (:func:`is_public_address`): one private answer refuses the whole host;
- the connection goes to the vetted address itself (it is pinned), while the Host header, SNI and
  certificate check use the host name. Resolving again when connecting would let a DNS server
  answer a public address to the check and a private one to the connection (DNS rebinding);
- redirects are followed here, at most :data:`MAX_REDIRECTS`, each hop checked like the first;
- one deadline covers the whole fetch (resolving, connecting, every redirect, every byte), and the
  body is refused beyond ``max_bytes``; only HTML, XHTML and plain text are accepted.

Proxies from the environment are not used: the address connected to must be the vetted one.
Every failure is a :class:`FetchError` whose text comes from :data:`MESSAGES`.
"""

from __future__ import annotations

import codecs
import datetime
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from geo import __version__
from geo.errors import FETCH_MESSAGES as MESSAGES
from geo.errors import FetchError
from geo.read.decoding import decode_bytes
from geo.read.document import Document, document_from_html, document_from_text

__all__ = [
    "MAX_REDIRECTS",
    "MESSAGES",
    "USER_AGENT",
    "FetchError",
    "Fetched",
    "fetch",
    "fetch_article",
    "is_public_address",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., Sequence[tuple[Any, ...]]]  # socket.getaddrinfo's signature and answers
AddressPolicy = Callable[[IPAddress], bool]

MAX_REDIRECTS = 5
USER_AGENT = f"Dateline/{__version__} (news articles to maps)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 65536


@dataclass(frozen=True)
class Fetched:
    """One fetched page: where it ended up, its media type, declared charset and raw body."""

    final_url: str
    content_type: str  # lower case, without parameters: "text/html"
    charset: str | None  # as the Content-Type header declares it, lower case
    body: bytes

    def text(self) -> str:
        """The body decoded: BOM, else the declared (or HTML meta) charset, else :func:`decode_bytes`."""
        return _decoded(self)


# =========================================================================== public entry points


def is_public_address(ip: IPAddress | str) -> bool:
    """True only for a globally routable unicast address, also for IPv4 embedded in IPv6.

    Refused: loopback, private, link-local, multicast, reserved, unspecified, shared (100.64/10),
    site-local, anything ``is_global`` calls not global, and IPv6 addresses that carry such an IPv4
    address (mapped, compatible, 6to4, Teredo, NAT64).
    """
    ip = ipaddress.ip_address(ip)
    if ip.version == 6 and ip.scope_id:
        return False  # a zone index only means something on a local link
    flags = (ip.is_loopback, ip.is_private, ip.is_link_local, ip.is_multicast, ip.is_reserved, ip.is_unspecified)
    if any(flags) or not ip.is_global or any(ip in network for network in _NOT_PUBLIC[ip.version]):
        return False
    return all(is_public_address(inner) for inner in _embedded_ipv4(ip))


def fetch(
    url: str,
    *,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    resolver: Resolver = socket.getaddrinfo,
    address_allowed: AddressPolicy = is_public_address,
) -> Fetched:
    """GET ``url`` safely (see the module docstring); redirects followed, every hop vetted.

    ``timeout`` is the deadline for the whole fetch in seconds. ``resolver`` is called like
    :func:`socket.getaddrinfo`; ``address_allowed`` decides for each address it answers.
    """
    if not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    if not max_bytes > 0:
        raise ValueError(f"max_bytes must be a positive number, not {max_bytes!r}")
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        target = _target(url)
        addresses = _vetted_addresses(target, resolver, address_allowed, deadline, timeout)
        with _response(target, addresses, deadline, timeout) as (response, cut):
            location = _redirect(response)
            if location is None:
                return _page(url, response, cut, max_bytes, timeout)
        url = urllib.parse.urljoin(url, location)
    raise FetchError(MESSAGES["redirects"].format(limit=MAX_REDIRECTS))


def fetch_article(
    url: str,
    *,
    language: str = "auto",
    published: datetime.date | str | None = None,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    resolver: Resolver = socket.getaddrinfo,
    address_allowed: AddressPolicy = is_public_address,
) -> Document:
    """Fetch ``url`` and read it as an article; ``Document.source`` is the URL after redirects.

    HTML goes through :func:`document_from_html` (text, title and date from the page's metadata),
    plain text through :func:`document_from_text`. Raises :class:`FetchError` (a DocumentError).
    """
    page = fetch(url, timeout=timeout, max_bytes=max_bytes, resolver=resolver, address_allowed=address_allowed)
    build = document_from_html if page.content_type in HTML_TYPES else document_from_text
    return build(page.text(), language=language, published=published, source=page.final_url)


# =========================================================================== the URL and its addresses


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # ASCII (IDNA for international names), without brackets
    port: int
    request_path: str  # path and query, percent-encoded: what goes on the request line


def _target(url: str) -> _Target:
    """The parts of one hop's URL, or FetchError for a scheme, credentials or form we do not fetch."""
    try:
        parts = urllib.parse.urlsplit(str(url).strip())
        port = parts.port
    except ValueError:
        raise FetchError(MESSAGES["url"].format(url=_short(url))) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(MESSAGES["scheme"])
    if "@" in parts.netloc:
        raise FetchError(MESSAGES["credentials"])
    if not parts.hostname:
        raise FetchError(MESSAGES["url"].format(url=_short(url)))
    scheme = parts.scheme.lower()
    default_port = 443 if scheme == "https" else 80
    path = _quoted(parts.path or "/") + (f"?{_quoted(parts.query)}" if parts.query else "")
    return _Target(scheme, _ascii_host(parts.hostname, url), default_port if port is None else port, path)


def _ascii_host(host: str, url: str) -> str:
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchError(MESSAGES["url"].format(url=_short(url))) from None


def _quoted(part: str) -> str:
    """Percent-encode what may not stand on a request line (spaces, non-ASCII, controls); keep the rest."""
    return urllib.parse.quote(part, safe="/?[]@!$&'()*+,;=:%-._~")


def _vetted_addresses(
    target: _Target, resolver: Resolver, address_allowed: AddressPolicy, deadline: float, timeout: float
) -> list[tuple[int, tuple[Any, ...]]]:
    """(family, socket address) of every answer for the host, all allowed, or FetchError."""
    answers = _resolve(target, resolver, deadline, timeout)
    vetted = []
    for family, _type, _proto, _name, sockaddr in answers:
        ip = ipaddress.ip_address(sockaddr[0])
        if not address_allowed(ip):
            if _is_ip_literal(target.host):
                raise FetchError(MESSAGES["refused_ip"].format(ip=ip))
            raise FetchError(MESSAGES["refused_host"].format(host=target.host, ip=ip))
        vetted.append((family, sockaddr))
    return vetted


def _resolve(target: _Target, resolver: Resolver, deadline: float, timeout: float) -> Sequence[tuple[Any, ...]]:
    """The resolver's answers, within the deadline (a resolver has no timeout of its own)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["answers"] = resolver(target.host, target.port, 0, socket.SOCK_STREAM)
        except Exception as error:  # handed to the calling thread
            outcome["error"] = error

    worker = threading.Thread(target=run, name="dateline-resolve", daemon=True)
    worker.start()
    worker.join(max(deadline - time.monotonic(), 0))
    if worker.is_alive():
        raise FetchError(MESSAGES["timeout"].format(timeout=timeout))
    error = outcome.get("error")
    if error is not None and not isinstance(error, OSError | UnicodeError):  # socket.gaierror is an OSError
        raise error
    if not outcome.get("answers"):
        raise FetchError(MESSAGES["unknown_host"].format(host=target.host))
    return outcome["answers"]


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _embedded_ipv4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries (mapped, compatible, 6to4, Teredo client, NAT64)."""
    if ip.version == 4:
        return []
    found = [inner for inner in (ip.ipv4_mapped, ip.sixtofour) if inner is not None]
    if ip.teredo is not None:
        found.append(ip.teredo[1])
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _COMPATIBLE or ip in _NAT64:
        found.append(low32)
    return found


_NOT_PUBLIC = {  # named again: ``is_global`` of older Python 3.11 releases misses some of these
    4: tuple(map(ipaddress.IPv4Network, ("100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4"))),
    6: tuple(map(ipaddress.IPv6Network, ("fec0::/10", "fc00::/7", "2001::/23", "64:ff9b:1::/48"))),
}
_COMPATIBLE = ipaddress.IPv6Network("::/96")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


# =========================================================================== one request


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a vetted socket address; the Host header still names the host."""

    def __init__(self, host: str, port: int, addresses: list[tuple[int, tuple[Any, ...]]], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses
        self.raw_socket: socket.socket | None = None  # kept: ``sock`` is dropped once the response owns it

    def connect(self) -> None:
        self.sock = self.raw_socket = _connect(self._addresses, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a vetted socket address; SNI and the certificate check use the host name."""

    def __init__(self, host: str, port: int, addresses: list[tuple[int, tuple[Any, ...]]], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._addresses = addresses
        self.raw_socket: socket.socket | None = None

    def connect(self) -> None:
        sock = self.raw_socket = _connect(self._addresses, self.timeout)
        try:
            self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def _connect(addresses: list[tuple[int, tuple[Any, ...]]], timeout: float) -> socket.socket:
    """A socket connected to the first vetted address that answers (never resolving again)."""
    error: OSError = ConnectionError("no address")
    for family, sockaddr in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(sockaddr)
            return sock
        except OSError as failure:
            sock.close()
            error = failure
    raise error


@contextmanager
def _response(
    target: _Target, addresses: list[tuple[int, tuple[Any, ...]]], deadline: float, timeout: float
) -> Iterator[tuple[http.client.HTTPResponse, threading.Event]]:
    """Send the GET and yield (response, cut); network failures inside become FetchError.

    A watchdog shuts the socket down at the deadline, so a server that drips bytes cannot stretch
    the fetch; ``cut`` tells that it did.
    """
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(MESSAGES["timeout"].format(timeout=timeout))
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target.host, target.port, addresses, remaining)
    cut = threading.Event()
    watchdog = threading.Timer(remaining, _cut_off, args=(connection, cut))
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request("GET", target.request_path, headers=_HEADERS)
        yield connection.getresponse(), cut
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as error:  # ssl.SSLError is an OSError
        raise _network_error(error, target.host, cut.is_set() or time.monotonic() >= deadline, timeout) from None
    finally:
        watchdog.cancel()
        connection.close()


_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html, application/xhtml+xml, text/plain;q=0.9",
    "Accept-Encoding": "identity",
    "Connection": "close",
}


def _cut_off(connection: _PinnedHTTPConnection | _PinnedHTTPSConnection, cut: threading.Event) -> None:
    cut.set()
    sock = connection.raw_socket
    if sock is not None:
        try:  # the TCP socket's shutdown, also under TLS: wakes a blocked read at once
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass


def _network_error(error: Exception, host: str, late: bool, timeout: float) -> FetchError:
    """The one-line message for a failure of the connection or the HTTP exchange."""
    if late or isinstance(error, TimeoutError):
        return FetchError(MESSAGES["timeout"].format(timeout=timeout))
    detail = getattr(error, "reason", None) or getattr(error, "strerror", None) or error
    reason = _short(detail) or type(error).__name__
    if isinstance(error, ssl.SSLError):
        return FetchError(MESSAGES["tls"].format(host=host, reason=reason))
    if isinstance(error, http.client.HTTPException | ValueError):
        return FetchError(MESSAGES["broken"].format(host=host, reason=reason))
    return FetchError(MESSAGES["unreachable"].format(host=host, reason=reason))


# =========================================================================== the answer


def _redirect(response: http.client.HTTPResponse) -> str | None:
    """The Location of a redirect, None for a page; FetchError for any other status."""
    if response.status in REDIRECT_STATUSES:
        location = (response.getheader("Location") or "").strip()
        if not location:
            raise FetchError(MESSAGES["no_location"].format(status=response.status, reason=_short(response.reason)))
        return location
    if not 200 <= response.status < 300:
        raise FetchError(MESSAGES["status"].format(status=response.status, reason=_short(response.reason)))
    return None


def _page(
    url: str, response: http.client.HTTPResponse, cut: threading.Event, max_bytes: int, timeout: float
) -> Fetched:
    """The page of a 2xx answer, if it is an article type, uncompressed and within ``max_bytes``."""
    declared = response.getheader("Content-Type")
    content_type = response.headers.get_content_type() if declared else "no content type"
    if content_type not in HTML_TYPES | TEXT_TYPES:
        raise FetchError(MESSAGES["not_article"].format(content_type=_short(content_type)))
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise FetchError(MESSAGES["encoded"].format(encoding=_short(encoding)))
    body = _body(response, max_bytes)
    if cut.is_set():  # the watchdog ended a body of unknown length: it may be incomplete
        raise FetchError(MESSAGES["timeout"].format(timeout=timeout))
    return Fetched(url, content_type, response.headers.get_content_charset(), body)


def _body(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    """Read at most ``max_bytes``; one byte more refuses the page (announced or not)."""
    too_big = FetchError(MESSAGES["too_big"].format(limit=_size(max_bytes)))
    if response.length is not None and response.length > max_bytes:
        raise too_big
    chunks, size = [], 0
    while chunk := response.read(min(_CHUNK, max_bytes + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise too_big
    return b"".join(chunks)


# =========================================================================== decoding

_BOM_STARTS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_WINDOWS_1252_LABELS = frozenset({"iso8859-1", "ascii"})  # as browsers read them (WHATWG Encoding)


def _decoded(page: Fetched) -> str:
    if page.body.startswith(_BOM_STARTS):
        return decode_bytes(page.body, label=page.final_url)
    charset = page.charset
    if charset is None and page.content_type in HTML_TYPES:
        meta = _META_CHARSET.search(page.body[:4096])
        charset = meta[1].decode("ascii").lower() if meta else None
    text = _decode_as(page.body, charset) if charset else None
    return text if text is not None else decode_bytes(page.body, label=page.final_url)


def _decode_as(body: bytes, charset: str) -> str | None:
    """The body in the declared charset (latin-1 and ASCII read as cp1252); None if that fails, or if
    the server named a codec that is no text encoding."""
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return None
    for encoding in ("cp1252", name) if name in _WINDOWS_1252_LABELS else (name,):
        try:
            return body.decode(encoding)
        except (UnicodeError, LookupError):  # not this charset, or none of text ("base64", "zlib", "idna")
            continue
    return None


# =========================================================================== small helpers


def _short(value: object, limit: int = 80) -> str:
    """One line, at most ``limit`` characters: server-sent text goes into our messages."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _size(limit: int) -> str:
    if limit >= 1_000_000:
        return f"{limit / 1_000_000:g} MB"
    if limit >= 1_000:
        return f"{limit / 1_000:g} kB"
    return f"{limit} bytes"
