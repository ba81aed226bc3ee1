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
