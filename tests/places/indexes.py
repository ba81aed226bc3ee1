"""Gazetteer index files for tests: the default index built from the small test gazetteer into a
cache of the test's own (each build logged, by whichever process makes it), and the ways a file on
disk gets damaged."""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from geo.places import gazetteer as gz_module
from tests.conftest import AMBIGUOUS_NAMES, CAPITALS


def use_small_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build_seconds: float = 0.0) -> Path:
    """Make the default index the small test gazetteer, in ``tmp_path/cache``; returns the log that
    gets one line per build (forked processes inherit all of it). ``build_seconds``: how much longer
    each build takes, for tests of builds that overlap."""
    monkeypatch.setenv("DATELINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(gz_module, "all_entries", lambda: iter(AMBIGUOUS_NAMES))
    monkeypatch.setattr(gz_module, "capital_ids", lambda: CAPITALS)
    log = tmp_path / "builds.log"
    real_build = gz_module.build_index

    def logged_build(path: Path, entries=None, capitals=None) -> Path:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        time.sleep(build_seconds)
        return real_build(path, entries, capitals)

    monkeypatch.setattr(gz_module, "build_index", logged_build)
    return log


def builds(log: Path) -> int:
    """How many builds the log of :func:`use_small_sources` counts."""
    return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0


def _cut(fraction: float) -> Callable[[Path], None]:
    def cut(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * fraction)])

    return cut


def _zeroed(path: Path) -> None:
    path.write_bytes(bytes(path.stat().st_size))


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(23).randbytes(path.stat().st_size))


def _header_only(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:50])


def _other_tables(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE documents (key TEXT PRIMARY KEY, text TEXT)")
    connection.close()


def _other_format(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = '3' WHERE key = 'format'")
    connection.close()


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated": _cut(0.5),
    "cut inside its header": _header_only,
    "emptied": _cut(0.0),
    "zeroed": _zeroed,
    "random bytes": _random_bytes,
    "another database's tables": _other_tables,
    "another format": _other_format,
}
"""Damage that opening the index finds (by name, for parametrised tests)."""


def damage_the_lookup_pages(path: Path) -> None:
    """Overwrite the pages of the names and places tables (and their indexes), leaving the first
    page, the format and the key filter whole: damage only a look-up meets."""
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = [
            page
            for (page,) in connection.execute(
                "SELECT rootpage FROM sqlite_master WHERE tbl_name IN ('names', 'places') AND rootpage > 1"
            )
        ]
    connection.close()
    with open(path, "r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * page_size)
            handle.write(b"\xff" * page_size)
