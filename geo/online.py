"""What every online service Dateline may ask shares: a cache on disk, a pace that keeps to the
service's usage policy, retries with backoff on 429 and 5xx, and one error with a message for the user.

Why here and not in each client: the geocoders (:mod:`geo.geocoders`) and the OSRM router
(:mod:`geo.routers`) must keep the same promises: the same question is never sent twice (the cache
outlives the process, so the same article never hits a service again), no service is asked faster than
its policy allows (one :class:`Pacer` per service and address, shared by every caller in the process),
and a service that fails costs a note, never the analysis.

The pace is geopy's :class:`~geopy.extra.rate_limiter.RateLimiter` (thread-safe: the dashboard's
sessions share it), with its clock and sleep injectable so that tests measure the pace on a fake
clock. The cache is one SQLite file beside the gazetteer index (``$DATELINE_CACHE_DIR``, else
``~/.cache/dateline``): ``online-cache.sqlite`` (or the file ``$DATELINE_ONLINE_CACHE`` names), keyed by
service, address, question and options.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from geopy.extra.rate_limiter import RateLimiter

from . import __version__
from .gazetteer import cache_dir

CACHE_FILE = "online-cache.sqlite"
CACHE_VARIABLE = "DATELINE_ONLINE_CACHE"  # another file for the answers (shared by a team, or kept apart)
USER_AGENT = f"Dateline/{__version__} (news articles to maps)"
RETRIES = 2                      # after the first try: three requests at most per question
BACKOFF_SECONDS = 1.0            # the first retry waits this long, each later one twice as long
MAX_BACKOFF_SECONDS = 30.0       # and never longer (nor longer than a Retry-After within it)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

T = TypeVar("T")


class ServiceUnavailable(Exception):
    """A service gave no usable answer; ``str(error)`` is one line for the user. ``status`` is the
    HTTP status when there was one, ``retry_after`` the seconds a 429 asked to wait."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.status in RETRY_STATUSES


@dataclass
class Counts:
    """How a cache answered, for the CLI's summary and the dashboard's caption."""

    hits: int = 0
    misses: int = 0

    def __str__(self) -> str:
        return f"{self.hits} cached, {self.misses} asked"


def default_cache_path() -> Path:
    """$DATELINE_ONLINE_CACHE, else ``online-cache.sqlite`` beside the gazetteer index."""
    return Path(os.environ.get(CACHE_VARIABLE) or cache_dir() / CACHE_FILE)


class ResponseCache:
    """Answers of online services, on disk: JSON values under a key made of the question's parts.

    Only answers are stored (an empty list of results is an answer); failures never are, so a service
    that was down is asked again next time. Safe across threads and processes (SQLite, WAL).
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_cache_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        with self._lock, self._db:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, service TEXT, "
                             "question TEXT, answer TEXT, stored REAL)")
        self.counts = Counts()

    @staticmethod
    def key(service: str, *parts: Any) -> str:
        """A stable key for a question: its parts as canonical JSON, hashed."""
        text = json.dumps([service, *parts], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> Any | None:
        """The stored answer, or None (counted as a hit or a miss)."""
        with self._lock:
            row = self._db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
            if row is None:
                self.counts.misses += 1
                return None
            self.counts.hits += 1
        return json.loads(row[0])

    def put(self, key: str, service: str, question: str, answer: Any) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                             (key, service, question, json.dumps(answer, ensure_ascii=False), time.time()))

    def cached(self, key: str, service: str, question: str, ask: Callable[[], T]) -> T:
        """The stored answer to a question, else ``ask()``'s, stored."""
        answer = self.get(key)
        if answer is None:
            answer = ask()
            self.put(key, service, question, answer)
        return answer

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM answers").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()


class Pacer(RateLimiter):
    """geopy's RateLimiter around a service's request function, on an injectable clock: at most one
    request per ``min_delay`` seconds, whoever asks. Retries are :func:`with_retries`' job, so the
    limiter's own are off and every error reaches the caller."""

    def __init__(self, func: Callable[..., Any], min_delay: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(func, min_delay_seconds=min_delay, max_retries=0, swallow_exceptions=False)
        self._clock_function, self._sleep_function = clock, sleep

    def _clock(self) -> float:
        return self._clock_function()

    def _sleep(self, seconds: float) -> None:
        self._sleep_function(seconds)


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
    429's Retry-After when it gives one within :data:`MAX_BACKOFF_SECONDS`); any other failure, and
    the last one, is raised."""
    for attempt in range(limits.retries + 1):
        try:
            return call()
        except ServiceUnavailable as error:
            if not error.retryable or attempt == limits.retries:
                raise
            wait = min(limits.backoff * 2 ** attempt, MAX_BACKOFF_SECONDS)
            if error.retry_after is not None and 0 <= error.retry_after <= MAX_BACKOFF_SECONDS:
                wait = max(wait, error.retry_after)
            limits.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


_PACERS: dict[tuple, Pacer] = {}
_PACERS_LOCK = threading.Lock()


def pacer(service: str, address: str, limits: Limits, func: Callable[..., T]) -> Callable[..., T]:
    """``func`` on the one pacer of a service at an address in this process (made on first use): two
    clients of the same service, or two dashboard sessions, share its pace."""
    key = (service, address, limits.min_delay, limits.clock, limits.sleep)
    with _PACERS_LOCK:
        found = _PACERS.get(key)
        if found is None:
            found = _PACERS[key] = Pacer(lambda request, *a, **k: request(*a, **k), limits.min_delay,
                                         clock=limits.clock, sleep=limits.sleep)
    return _Bound(found, func)


class _Bound:
    """A shared pacer applied to one client's request function."""

    def __init__(self, shared: Pacer, func: Callable[..., Any]) -> None:
        self.shared, self.func = shared, func

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.shared(self.func, *args, **kwargs)


def one_line(reason: object, limit: int = 200) -> str:
    """An error's text on one line, short enough for a note."""
    return " ".join(str(reason).split())[:limit] or type(reason).__name__


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
