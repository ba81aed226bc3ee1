"""The folder where built indexes are kept, and building one there once.

Why a lock: eight batch workers (or eight commands) that start on an empty cache would otherwise
each build the gazetteer index, eight half-minute builds at once; with the lock the first one builds
and the others wait for it, then open what it built. The lock is an advisory ``flock`` on a file
beside the indexes, so the kernel releases it when its holder dies, however it dies. A build writes
a temporary file that takes its place atomically (``os.replace``), so a reader never sees half an
index, and a file that is there but damaged is built again the same way.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from geo.errors import GAZETTEER_MESSAGES, GazetteerError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock; builds may then overlap, each still atomic
    fcntl = None

__all__ = ["cache_dir", "build_lock", "built_once", "LOCK_FILE"]

LOCK_FILE = "build.lock"

_log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """Where built indexes live: $DATELINE_CACHE_DIR, else the user's cache directory."""
    configured = os.environ.get("DATELINE_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dateline"


@contextlib.contextmanager
def build_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's build lock (waiting for another process that holds it)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "a") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released on close, or when this process dies
        yield


def built_once(
    path: Path,
    build: Callable[[Path], object],
    problem: Callable[[Path], str | None],
    *,
    rebuild: bool = False,
    stale: tuple[str, ...] = (),
) -> Path:
    """``path``, built first by ``build(path)`` if ``problem(path)`` finds it missing or damaged (or
    ``rebuild`` asks for it), once across processes: one builds under the lock while the others
    wait, then find it built. ``stale``: globs of the folder's files that a build makes obsolete
    (older indexes, the temporary file of a killed build), removed after it."""
    if not rebuild and problem(path) is None:
        return path
    try:
        with build_lock(path.parent):
            reason = None if rebuild else problem(path)
            if rebuild or reason is not None:
                if reason is not None and path.exists():
                    _log.warning("%s", GAZETTEER_MESSAGES["rebuilding"].format(path=path, reason=reason))
                build(path)
                _remove_stale(path, stale)
    except (OSError, sqlite3.Error) as exc:
        raise GazetteerError(GAZETTEER_MESSAGES["cannot_build"].format(folder=path.parent, reason=exc)) from exc
    return path


def _remove_stale(path: Path, patterns: tuple[str, ...]) -> None:
    for pattern in patterns:
        for old in path.parent.glob(pattern):
            if old != path:
                old.unlink(missing_ok=True)
