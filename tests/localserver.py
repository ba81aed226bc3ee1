"""Local HTTP servers for tests: a fake service runs in a thread on 127.0.0.1 for one block."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TypeVar


class Fake(Protocol):
    server: object  # an http.server.HTTPServer on 127.0.0.1 with an OS-chosen port
    release: threading.Event  # set when the block ends, so that handlers still waiting return


F = TypeVar("F", bound=Fake)


@contextmanager
def served(fake: F) -> Iterator[F]:
    """Serve ``fake.server`` in a thread while the block runs; then release, stop and close it."""
    thread = threading.Thread(target=fake.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.release.set()
        fake.server.shutdown()
        fake.server.server_close()
        thread.join(timeout=5)


class FakeService:
    """A stand-in for an online service on 127.0.0.1 (OS-chosen port).

    Each GET is answered by ``answer(path, query)`` -> (status, body, headers), unless the test queued
    answers with :meth:`then` (used first, in order). Requests are recorded with the time on ``clock``
    (a test's fake clock, to measure a pace without sleeping) and their headers.
    """

    def __init__(self, answer, clock=None) -> None:
        import json
        import time
        import urllib.parse
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.calls: list[dict] = []
        self.queued: list[tuple[int, bytes, dict, float]] = []
        self.delay = 0.0  # seconds before each answer that ``answer`` gives (a slow service)
        self.release = threading.Event()
        clock = clock or time.monotonic
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                query = {k: v[-1] for k, v in urllib.parse.parse_qs(parts.query).items()}
                fake.calls.append(
                    {
                        "path": parts.path,
                        "query": query,
                        "headers": dict(self.headers),
                        "time": clock(),
                        "target": self.path,
                    }
                )
                if fake.queued:
                    status, body, headers, delay = fake.queued.pop(0)
                else:
                    status, body, headers = answer(parts.path, query)
                    delay = fake.delay
                if delay:
                    fake.release.wait(delay)
                if not isinstance(body, bytes):
                    body = json.dumps(body, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up (a timeout test)
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    @property
    def requests(self) -> list[dict]:
        """Each request so far: path, query (last value of each name), headers, time on the clock,
        target (path and query as sent)."""
        return self.calls

    def then(self, status: int, body: bytes | dict | list = b"", *, delay: float = 0.0, **headers: str) -> FakeService:
        """Queue one answer for the next request (before ``answer`` is asked again)."""
        self.queued.append((status, body, headers, delay))
        return self


class FakeClock:
    """A clock that only moves when something sleeps on it: a pace measured without waiting."""

    def __init__(self) -> None:
        self.now, self.slept = 0.0, []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += max(0.0, seconds)
