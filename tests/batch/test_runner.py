"""Batch mode from end to end (:func:`geo.batch.run` and ``python -m geo batch``): every document is
a row, broken ones are error rows, the progress and summary lines, and a run killed midway resumes
where it stopped."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time

import dask
import pandas as pd
import pytest

from geo import batch
from geo.__main__ import main
from tests.batch.conftest import BROKEN, INPUTS, run_batch
from tests.conftest import REPO

# --------------------------------------------------------------------------- what a run writes


def test_every_document_is_one_row_and_broken_ones_are_errors(corpus, one_worker):
    root, good = corpus
    output, summary = one_worker
    documents = batch.read(output)["documents"]
    assert documents["doc_id"].is_unique
    assert sorted(documents["doc_id"]) == sorted(good + list(BROKEN))
    assert summary.documents == len(good) + len(BROKEN) and summary.errors == len(BROKEN) and summary.skipped == 0
    errors = documents.set_index("doc_id")
    for doc_id, message in BROKEN.items():
        assert errors.at[doc_id, "status"] == "error", doc_id
        assert message in errors.at[doc_id, "error"], (doc_id, errors.at[doc_id, "error"])
    ok = documents[documents["status"] == "ok"]
    assert ok["error"].isna().all() and (ok["places"] > 0).all()
    assert list(documents["position"]) == sorted(documents["position"])
    assert errors.at["broken/latin1.txt", "status"] == "ok"  # cp1252 is read, not refused
    places = batch.read(output, ["places"])["places"]
    assert "München" in set(places[places["doc_id"] == "broken/latin1.txt"]["label"])


def test_an_input_that_does_not_exist_stops_before_any_work(tmp_path):
    with pytest.raises(batch.BatchError, match="no such file or folder"):
        batch.run([str(tmp_path / "missing")], tmp_path / "out.parquet")
    with pytest.raises(batch.BatchError, match="glob matches nothing"):
        batch.run([str(tmp_path / "*.txt")], tmp_path / "out.parquet")
    assert not (tmp_path / "out.parquet").exists()


# --------------------------------------------------------------------------- resume


def test_a_killed_run_resumes_where_it_stopped(corpus, one_worker, tmp_path):
    root, good = corpus
    output = tmp_path / "resumed.parquet"
    command = [
        sys.executable,
        "-m",
        "geo",
        "batch",
        *INPUTS,
        "-o",
        str(output),
        "--workers",
        "1",
        "--part-size",
        "50",
        "--no-progress",
    ]
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        command, cwd=root, env=environment, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while len(list(output.glob("documents/part-*.parquet"))) < 2:
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the run and its workers, midway
    process.wait()
    done = batch.finished_ids(output)
    assert 100 <= len(done) < len(good) + len(BROKEN)

    finished = subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert f"{len(done):,} already done" in finished.stderr
    summary = run_batch(root, output, workers=1)  # a third run finds everything done
    assert summary.documents == 0 and summary.skipped == len(good) + len(BROKEN)
    resumed = batch.read(output)
    for name in batch.TABLES:
        pd.testing.assert_frame_equal(resumed[name], batch.read(one_worker[0])[name], obj=name)


# --------------------------------------------------------------------------- the command line


def test_cli_batch_prints_a_summary_and_resumes(tmp_path, full_gazetteer):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "zug.txt").write_text("Der Sonderzug fuhr von Pjöngjang nach Wladiwostok.", encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    output = str(tmp_path / "out.parquet")
    out, err = io.StringIO(), io.StringIO()
    assert main(["batch", str(tmp_path / "in"), "-o", output, "--workers", "1"], out, err) == 0
    assert out.getvalue() == ""
    assert "2 documents (1 errors, 0 already done)" in err.getvalue() and "doc/s" in err.getvalue()  # the bar
    err = io.StringIO()
    assert main(["batch", str(tmp_path / "in"), "-o", output, "--no-progress"], io.StringIO(), err) == 0
    assert "0 documents (0 errors, 2 already done)" in err.getvalue()
    places = batch.read(output)["places"]
    assert list(places["label"]) == ["Pjöngjang", "Wladiwostok"]
    err = io.StringIO()
    assert main(["map", output, "-o", str(tmp_path / "corpus.html")], io.StringIO(), err) == 0
    page = (tmp_path / "corpus.html").read_text(encoding="utf-8")
    assert "wrote" in err.getvalue() and page.startswith("<!DOCTYPE html>")
    assert "Wladiwostok" in page and "GeoNames" in page and "markercluster" in page.lower()
    assert "<script src=" not in page and "dateline-asset:" not in page


def test_cli_batch_bad_arguments_get_one_line(tmp_path):
    err = io.StringIO()
    assert main(["batch", str(tmp_path / "missing"), "-o", str(tmp_path / "o")], io.StringIO(), err) == 1
    assert err.getvalue().count("\n") == 1 and "no such file or folder" in err.getvalue()
    err = io.StringIO()
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "o"), "--workers", "0"], io.StringIO(), err) == 2
    err = io.StringIO()
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code = main(
            ["batch", str(tmp_path), "-o", str(tmp_path / "o"), "--dask", "tcp://127.0.0.1:9"], io.StringIO(), err
        )
    assert code == 1
    assert "cannot reach the scheduler" in err.getvalue() and err.getvalue().count("\n") == 1


def test_the_cli_names_what_the_library_offers():
    import geo.__main__ as cli
    from geo.render.export import CSV_TABLES, FORMATS

    assert cli.PART_DOCS == batch.PART_DOCS and cli.DOCUMENT_SECONDS == batch.DOCUMENT_SECONDS
    assert cli.EXPORT_FORMATS == tuple(FORMATS) and cli.CSV_TABLE_NAMES == tuple(CSV_TABLES)


@pytest.mark.parametrize("limit", ["0", "-1", "nan"])
def test_cli_batch_time_limit_must_be_seconds_above_zero(tmp_path, limit):
    err = io.StringIO()
    code = main(["batch", str(tmp_path), "-o", str(tmp_path / "o"), "--time-limit", limit], io.StringIO(), err)
    assert code == 2 and err.getvalue().startswith("dateline: --time-limit must be")
    assert not (tmp_path / "o").exists()


def test_cli_batch_takes_a_time_limit(tmp_path, monkeypatch):
    asked = {}
    monkeypatch.setattr(batch, "run", lambda *args, **kwargs: asked.update(kwargs) or batch.Summary("o"))
    for given, expected in (("2.5", 2.5), ("inf", None)):
        main(["batch", str(tmp_path), "-o", "o", "--time-limit", given, "--no-progress"], io.StringIO(), io.StringIO())
        assert asked["time_limit"] == expected
    main(["batch", str(tmp_path), "-o", "o", "--no-progress"], io.StringIO(), io.StringIO())
    assert asked["time_limit"] == batch.DOCUMENT_SECONDS


# --------------------------------------------------------------------------- the gazetteer's index


def test_a_damaged_index_is_built_again_before_the_workers_start(tmp_path, monkeypatch):
    from geo.batch import pool as batch_pool
    from geo.places.gazetteer import ensure_index
    from tests.places.indexes import builds, damage_the_lookup_pages, use_small_sources

    log = use_small_sources(tmp_path, monkeypatch)
    damage_the_lookup_pages(ensure_index())  # a fork server opening it would fail
    monkeypatch.setattr(batch_pool, "_start_fork_server", lambda: None)  # not one that sees the small index
    with batch_pool.open_pool(1, None):
        assert builds(log) == 2


def test_an_index_that_cannot_be_built_stops_the_batch_in_one_line(tmp_path, monkeypatch):
    from tests.places.indexes import use_small_sources

    use_small_sources(tmp_path, monkeypatch)
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DATELINE_CACHE_DIR", str(tmp_path / "file" / "cache"))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "zug.txt").write_text("Der Zug fuhr von Berlin nach Essen.", encoding="utf-8")
    err = io.StringIO()
    code = main(
        ["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out.parquet"), "--no-progress"], io.StringIO(), err
    )
    assert code == 1 and "EOFError" not in err.getvalue()
    [line] = err.getvalue().splitlines()
    assert line.startswith("dateline: gazetteer: cannot build the index in ")
