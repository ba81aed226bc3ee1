"""Built indexes in the cache folder: built once across processes, under a lock, and a build that
cannot be made is one line."""

from __future__ import annotations

import multiprocessing

import pytest

from geo.places import gazetteer as gz_module
from geo.places.gazetteer import Gazetteer, GazetteerError
from geo.places.indexcache import LOCK_FILE, built_once, cache_dir
from tests.places.indexes import builds, use_small_sources


def test_the_cache_folder_is_the_one_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_CACHE_DIR", str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here"
    monkeypatch.delenv("DATELINE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "dateline"


def test_a_file_is_built_when_missing_or_asked_for_and_the_stale_ones_go(tmp_path):
    made = []

    def build(path):
        made.append(path)
        path.write_text("built", encoding="utf-8")

    target = tmp_path / "index-new.db"
    (tmp_path / "index-old.db").write_text("old", encoding="utf-8")
    (tmp_path / "index-killed.tmp").write_text("half", encoding="utf-8")
    problem = lambda path: None if path.exists() else "missing"  # noqa: E731
    stale = ("index-*.db", "index-*.tmp")
    assert built_once(target, build, problem, stale=stale) == target and len(made) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([LOCK_FILE, "index-new.db"])
    built_once(target, build, problem, stale=stale)
    assert len(made) == 1  # there already
    built_once(target, build, problem, rebuild=True, stale=stale)
    assert len(made) == 2


def _load_and_look_up(barrier, answers) -> None:
    barrier.wait()
    answers.put(sorted(match.candidate.id for match in Gazetteer.load().lookup("Paris")))


def test_processes_that_start_on_an_empty_cache_build_the_index_once(tmp_path, monkeypatch):
    log = use_small_sources(tmp_path, monkeypatch, build_seconds=0.3)  # each would see no index yet
    fork = multiprocessing.get_context("fork")  # the processes inherit the small sources
    barrier, answers = fork.Barrier(3), fork.Queue()
    processes = [fork.Process(target=_load_and_look_up, args=(barrier, answers)) for _ in range(3)]
    for process in processes:
        process.start()
    found = [answers.get(timeout=30) for _ in processes]
    for process in processes:
        process.join(10)
    assert [process.exitcode for process in processes] == [0, 0, 0]
    assert builds(log) == 1
    assert found == [["geonames:2988507", "geonames:4647963", "geonames:4717560"]] * 3
    assert [path.name for path in (tmp_path / "cache").iterdir() if path.suffix != ".lock"] == [
        gz_module.index_path().name
    ]


def test_an_index_that_cannot_be_built_is_one_line(tmp_path, monkeypatch):
    use_small_sources(tmp_path, monkeypatch)
    (tmp_path / "file").write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("DATELINE_CACHE_DIR", str(tmp_path / "file" / "cache"))
    with pytest.raises(
        GazetteerError, match=r"^cannot build the index in .*file/cache \(.*\); set \$DATELINE_CACHE_DIR"
    ):
        Gazetteer.load()
