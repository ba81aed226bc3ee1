"""What every online service Dateline may ask shares: a cache on disk, a pace that keeps to the
service's usage policy, retries with backoff on 429 and 5xx, and one error with a message for the user.

Why here and not in each client: the geocoders (:mod:`geo.places.geocoders`) and the OSRM router
(:mod:`geo.journeys.osrm`) must keep the same promises: the same question is never sent twice (the cache
outlives the process, so the same article never hits a service again), no service is asked faster than
its policy allows (one :class:`Gate` per service and address, shared by every caller in the process;
after a 429 that retries did not get past, the service rests for a minute or its Retry-After), and a
service that fails costs a note, never the analysis.

The pace is geopy's :class:`~geopy.extra.rate_limiter.RateLimiter` (thread-safe: the dashboard's
sessions share it), with its clock and sleep injectable so that tests measure the pace on a fake
clock. The cache is one SQLite file beside the gazetteer index (``$DATELINE_CACHE_DIR``, else
``~/.cache/dateline``): ``online-cache.sqlite`` (or the file ``$DATELINE_ONLINE_CACHE`` names), keyed by
service, address, question and options.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from geo import __version__
from geo.errors import AddressError, ServiceUnavailable
from geo.places.indexcache import cache_dir

CACHE_FILE = "online-cache.sqlite"
CACHE_VARIABLE = "DATELINE_ONLINE_CACHE"  # another file for the answers (shared by a team, or kept apart)
USER_AGENT = f"Dateline/{__version__} (news articles to maps)"
USER_AGENT_VARIABLE = "DATELINE_USER_AGENT"  # who the user is, for every service: the CLI's and the dashboard's default
RETRIES = 2  # after the first try: three requests at most per question
BACKOFF_SECONDS = 1.0  # the first retry waits this long, each later one twice as long
MAX_BACKOFF_SECONDS = 30.0  # and never longer (nor longer than a Retry-After within it)
COOL_DOWN_SECONDS = 60.0  # after a 429 that retries did not get past: no question for this long
MAX_COOL_DOWN_SECONDS = 3600.0  # (or the Retry-After, up to an hour)
DEFAULT_PORTS = {"http": 80, "https": 443}
CACHE_PROBLEM = "The online cache {path} cannot be used ({reason}); answers are not kept"
COOLING = "{service} asked to wait after too many requests; it is not asked again for {seconds:.0f} s"

T = TypeVar("T")
_log = logging.getLogger(__name__)


@dataclass
class Counts:
    """How often a cache answered and how often the service was asked (the CLI's summary, the
    dashboard's caption): a cache's own, and each client's."""

    hits: int = 0
    misses: int = 0

    def count(self, hit: bool) -> None:
        if hit:
            self.hits += 1
        else:
            self.misses += 1

    def __str__(self) -> str:
        return f"{self.hits} cached, {self.misses} asked"


def default_cache_path() -> Path:
    """$DATELINE_ONLINE_CACHE, else ``online-cache.sqlite`` beside the gazetteer index."""
    return Path(os.environ.get(CACHE_VARIABLE) or cache_dir() / CACHE_FILE)


class ResponseCache:
    """Answers of online services, on disk: JSON values under a key made of the question's parts.

    Only answers are stored (an empty list of results is an answer); failures never are, so a service
    that was down is asked again next time. Safe across threads and processes (SQLite, WAL). A file
    that cannot be used (a read-only folder, a directory in its place, a damaged database) costs the
    caching, never the analysis: ``problem`` then says why, and every question is a miss.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_cache_path()
        self.counts = Counts()
        self.problem: str | None = None
        self._lock = threading.Lock()
        self._asking = [threading.Lock() for _ in range(64)]  # one question at a time per stripe of keys
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            with self._db:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute(
                    "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, service TEXT, "
                    "question TEXT, answer TEXT, stored REAL)"
                )
        except (sqlite3.Error, OSError) as error:
            self._give_up(error)

    def _give_up(self, error: Exception) -> None:
        """Go on without the file (called with the lock held, or before anyone else has the cache)."""
        self.problem = CACHE_PROBLEM.format(path=self.path, reason=one_line(error, 120))
        _log.warning("%s", self.problem)
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None

    @staticmethod
    def key(service: str, *parts: Any) -> str:
        """A stable key for a question: its parts as canonical JSON, hashed."""
        text = json.dumps([service, *parts], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str, counts: Counts | None = None) -> Any | None:
        """The stored answer, or None; counted as a hit or a miss here and in ``counts`` (a client's)."""
        answer = self.peek(key)
        for tally in (self.counts, counts):
            if tally is not None:
                tally.count(answer is not None)
        return answer

    def peek(self, key: str) -> Any | None:
        """The stored answer, or None, counted nowhere."""
        row = None
        with self._lock:
            if self._db is not None:
                try:
                    row = self._db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
                except sqlite3.Error as error:
                    self._failed(error)
        try:
            return json.loads(row[0]) if row is not None else None
        except (ValueError, TypeError):  # a damaged row: asked again, and overwritten
            return None

    def put(self, key: str, service: str, question: str, answer: Any) -> None:
        with self._lock:
            if self._db is None:
                return
            try:
                with self._db:
                    self._db.execute(
                        "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                        (key, service, question, json.dumps(answer, ensure_ascii=False), time.time()),
                    )
            except sqlite3.Error as error:
                self._failed(error)

    def _failed(self, error: sqlite3.Error) -> None:
        """A read or write that failed: a busy file ("database is locked") costs this one answer; a
        damaged one (not a database, read-only, disk full) the caching from now on."""
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
            _log.info("online cache busy, one answer not cached: %s", error)
            return
        self._give_up(error)

    def cached(self, key: str, service: str, question: str, ask: Callable[[], T], counts: Counts | None = None) -> T:
        """The stored answer to a question, else ``ask()``'s, stored. Two threads with the same
        question send it once: the second waits for the first's answer."""
        answer = self.get(key, counts)
        if answer is not None:
            return answer
        with self._asking[hash(key) % len(self._asking)]:
            answer = self.peek(key)  # asked and answered while this thread waited
            if answer is None:
                answer = ask()
                self.put(key, service, question, answer)
        return answer

    def __len__(self) -> int:
        with self._lock:
            if self._db is not None:
                try:
                    return self._db.execute("SELECT count(*) FROM answers").fetchone()[0]
                except sqlite3.Error as error:
                    self._failed(error)
            return 0

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


@dataclass(frozen=True)
class Limits:
    """How a service is asked: its pace, its timeout and its retries (clock and sleep for tests)."""

    min_delay: float = 1.0
    timeout: float = 5.0
    retries: int = RETRIES
    backoff: float = BACKOFF_SECONDS
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


def with_retries(call: Callable[[], T], limits: Limits) -> T:
    """``call()``, tried again after a growing wait when it fails with a 429 or a 5xx (the wait is a
    429's Retry-After when that is longer); any other failure, the last one, and a 429 that asks to
    wait longer than :data:`MAX_BACKOFF_SECONDS` are raised."""
    for attempt in range(limits.retries + 1):
        try:
            return call()
        except ServiceUnavailable as error:
            if not error.retryable or attempt == limits.retries:
                raise
            if error.retry_after is not None and error.retry_after > MAX_BACKOFF_SECONDS:
                raise  # asking again sooner is what gets a client blocked
            wait = min(limits.backoff * 2**attempt, MAX_BACKOFF_SECONDS)
            limits.sleep(max(wait, error.retry_after or 0.0))
    raise AssertionError("unreachable")  # pragma: no cover


class Gate:
    """One service on one host, in this process: its pace (a :class:`~geo.places.pacing.Pacer`, shared by every client
    and dashboard session that asks it) and the time before which it is not asked again: its
    Retry-After, and after a 429 that the retries did not get past, a minute or more."""

    def __init__(self, limits: Limits) -> None:
        from geo.places.pacing import Pacer  # geopy loads requests and asyncio: only once a service is asked

        self.pacer = Pacer(
            lambda request, *args: request(*args), limits.min_delay, clock=limits.clock, sleep=limits.sleep
        )
        self.clock = limits.clock
        self.resume_at: float | None = None
        self._lock = threading.Lock()

    def keep_to(self, min_delay: float) -> None:
        """The slowest pace any client asked for is the one kept."""
        with self._lock:
            self.pacer.min_delay_seconds = max(self.pacer.min_delay_seconds, min_delay)

    def ask(
        self,
        title: str,
        request: Callable[..., T],
        *args: Any,
        limits: Limits,
        refused: type[ServiceUnavailable] = ServiceUnavailable,
    ) -> T:
        """``request(*args)`` at the pace, with retries; refused at once (``refused``, the caller's kind
        of ServiceUnavailable) while the service rests."""

        def attempt() -> T:
            with self._lock:
                wait = self.resume_at - self.clock() if self.resume_at is not None else 0.0
            if wait > 0:  # resting: every caller, also one between its own retries (status None: no retry)
                raise refused(COOLING.format(service=title, seconds=wait))
            try:
                return self.pacer(request, *args)
            except ServiceUnavailable as error:
                if error.status == 429 and error.retry_after:  # nobody asks before its Retry-After
                    self._rest(min(error.retry_after, MAX_COOL_DOWN_SECONDS))
                raise

        try:
            return with_retries(attempt, limits)
        except ServiceUnavailable as error:
            if error.status == 429:  # retries spent: a longer rest
                self._rest(min(max(error.retry_after or 0.0, COOL_DOWN_SECONDS), MAX_COOL_DOWN_SECONDS))
            raise

    def _rest(self, seconds: float) -> None:
        with self._lock:
            until = self.clock() + seconds
            self.resume_at = until if self.resume_at is None else max(self.resume_at, until)


_GATES: dict[tuple, Gate] = {}
_GATES_LOCK = threading.Lock()


def gate(service: str, address: str, limits: Limits) -> Gate:
    """The one gate of a service on a host in this process, made on first use: two clients of the same
    service, or two dashboard sessions, share its pace, whatever scheme, port or path they write."""
    key = (service, urllib.parse.urlsplit(normal_address(address)).hostname, limits.clock, limits.sleep)
    with _GATES_LOCK:
        found = _GATES.get(key)
        if found is None:
            found = _GATES[key] = Gate(limits)
    found.keep_to(limits.min_delay)
    return found


def service_address(url: str, *, credentials: bool = True) -> str:
    """A user's address of a service, checked and as :func:`normal_address` spells it (the geocoders
    and the router take the same rules; each says it in its own words). Raises AddressError."""
    parts = urllib.parse.urlsplit(str(url).strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise AddressError("scheme")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise AddressError("url") from None
    if not parts.hostname or parts.query or parts.fragment or (not credentials and (parts.username or parts.password)):
        raise AddressError("url")
    return normal_address(urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))


def host_of(address: str) -> str:
    """host[:port] of an address, for messages: never the user name or password it may carry."""
    parts = urllib.parse.urlsplit(address)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{host}:{parts.port}" if parts.port else host


def normal_address(url: str) -> str:
    """One spelling per address: scheme and host in lower case, no default port, no trailing slash."""
    parts = urllib.parse.urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")  # "nominatim.openstreetmap.org." is the same host
    host = f"[{host}]" if ":" in host else host
    port = parts.port if parts.port not in (None, DEFAULT_PORTS.get(scheme)) else None
    credentials = parts.netloc.rpartition("@")[0]
    netloc = (f"{credentials}@" if credentials else "") + host + (f":{port}" if port else "")
    return urllib.parse.urlunsplit((scheme, netloc, parts.path.rstrip("/"), "", ""))


_DEFAULT_CACHES: dict[Path, ResponseCache] = {}
_CACHES_LOCK = threading.Lock()


def default_cache() -> ResponseCache:
    """The process's connection to the default cache file (made on first use)."""
    path = default_cache_path()
    with _CACHES_LOCK:
        found = _DEFAULT_CACHES.get(path)
        if found is None:
            found = _DEFAULT_CACHES[path] = ResponseCache(path)
        return found


def one_line(reason: object, limit: int = 200) -> str:
    """An error's text on one line, short enough for a note."""
    return " ".join(str(reason).split())[:limit] or type(reason).__name__


def user_agent(given: str | None = None) -> str:
    """The User-Agent to send: the user's, else Dateline's own. The user's comes with the settings
    (``--user-agent``, the dashboard's field); $DATELINE_USER_AGENT is their default, read by the CLI
    and the dashboard only."""
    return given or USER_AGENT
