"""Batch mode: a corpus of a few hundred documents built from data/samples, some of them broken, run
on one and two local workers and on Dask (an in-process LocalCluster, and a real ``dask scheduler``
and ``dask worker`` started as processes on 127.0.0.1). The tables must be the same in every run,
the broken documents must be error rows, and a run killed midway must resume where it stopped."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import dask
import distributed
import pandas as pd
import pytest

from geo.batch import run as batch
from geo.__main__ import main
from geo.read.document import MAX_CHARS, MAX_FILE_BYTES_PER_CHAR
from geo.places.gazetteer import Gazetteer
from geo.pipeline import Options, analyse
from tests.conftest import REPO, SAMPLES

SAMPLE_TEXTS = {path.stem: path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt"))}
DOCUMENTS_PER_FORMAT = 60  # four formats (txt, md, html, JSON Lines): 240 good documents


def _paragraphs(text: str) -> list[str]:
    return [block.strip() for block in text.split("\n\n") if block.strip()]


def _article(number: int) -> str:
    """A deterministic article made of two samples' paragraphs (facts from the samples, recombined)."""
    names = list(SAMPLE_TEXTS)
    first = _paragraphs(SAMPLE_TEXTS[names[number % len(names)]])
    second = _paragraphs(SAMPLE_TEXTS[names[(number * 7 + 3) % len(names)]])
    return "\n\n".join(first[: 2 + number % 3] + second[1: 2 + number % 2])


BROKEN = {  # file or record -> the start of its error message
    "broken/empty.txt": "empty text",
    "broken/binary.txt": "looks like a binary file",
    "broken/huge-file.txt": "bytes is over the file size limit",
    "broken/too-long.txt": "characters is over the limit",
    "broken/records.jsonl:2": "not UTF-8",
    "broken/records.jsonl:3": "not JSON",
    "no-text": 'expected a "text" (or "html") string',
    "date-number": '"published" must be a string',
    "bad-date": "published date must be a real date",
}


def build_corpus(root: Path) -> list[str]:
    """Write the test corpus under ``root``; returns the ids of its good documents."""
    good = []
    for number in range(DOCUMENTS_PER_FORMAT):
        folder = root / "articles" / f"batch-{number // 20}"
        folder.mkdir(parents=True, exist_ok=True)
        text = _article(number)
        (folder / f"story-{number:03d}.txt").write_text(text, encoding="utf-8")
        (folder / f"story-{number:03d}.md").write_text(f"# Story {number}\n\n{_article(number + 100)}", encoding="utf-8")
        paragraphs = "".join(f"<p>{block}</p>" for block in _paragraphs(_article(number + 200)))
        (folder / f"story-{number:03d}.html").write_text(
            f"<html><head><title>Story {number}</title></head><body><article>{paragraphs}</article></body></html>",
            encoding="utf-8")
        good += [(folder / f"story-{number:03d}.{suffix}").relative_to(root).as_posix() for suffix in ("html", "md", "txt")]
    (root / "articles" / "notes.csv").write_text("not an article,1\n", encoding="utf-8")  # not a suffix batch reads
    records = root / "records.jsonl"
    with records.open("w", encoding="utf-8") as handle:
        for number in range(DOCUMENTS_PER_FORMAT):
            record = {"id": f"record-{number:03d}", "text": _article(number + 300), "url": f"https://example.org/{number}"}
            if number % 4 == 0:
                record["published"] = "2023-09-12"
            if number % 5 == 0:
                record["lang"] = "de" if "ä" in record["text"] or "ß" in record["text"] else "en"
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        handle.write(json.dumps({"id": "bad-date", "text": "Flug von Berlin nach Wien.", "published": "12.9."}) + "\n")
    good += [f"record-{number:03d}" for number in range(DOCUMENTS_PER_FORMAT)]
    broken = root / "broken"
    broken.mkdir()
    (broken / "empty.txt").write_bytes(b"")
    (broken / "binary.txt").write_bytes(random.Random(8).randbytes(4000))
    with (broken / "huge-file.txt").open("wb") as handle:  # refused unread
        handle.truncate(MAX_CHARS * MAX_FILE_BYTES_PER_CHAR + 1)
    (broken / "too-long.txt").write_text("Wien. " * (MAX_CHARS // 6 + 10), encoding="utf-8")
    latin = "Der Zug fährt von München über Nürnberg nach Würzburg; in Köln regnet es."
    (broken / "latin1.txt").write_bytes(latin.encode("cp1252"))  # not UTF-8, but readable: no error
    (broken / "records.jsonl").write_bytes(
        json.dumps({"id": "fine", "text": "Die Fähre fuhr von Rostock nach Trelleborg."}).encode() + b"\n"
        + b'{"id": "x", "text": "Caf\xe9 in Paris"}\n'
        + b"{this is not json\n"
        + json.dumps({"id": "no-text", "body": "Rostock"}).encode() + b"\n\n"
        + json.dumps({"id": "date-number", "text": "Rostock", "published": 20230912}).encode() + b"\n")
    good += ["broken/latin1.txt", "fine"]
    return good


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("corpus")
    previous = os.getcwd()
    os.chdir(root)  # ids are paths as found: relative inputs give relative ids
    try:
        return root, build_corpus(root)
    finally:
        os.chdir(previous)


INPUTS = ["articles", "records.jsonl", "broken"]


def run_batch(corpus_root: Path, output: Path, **options) -> batch.Summary:
    previous = os.getcwd()
    os.chdir(corpus_root)
    try:
        return batch.run(INPUTS, output, part_docs=50, **options)
    finally:
        os.chdir(previous)


@pytest.fixture(scope="module")
def one_worker(corpus, tmp_path_factory, full_gazetteer) -> tuple[Path, batch.Summary]:
    output = tmp_path_factory.mktemp("one") / "out.parquet"
    return output, run_batch(corpus[0], output, workers=1)


def assert_same_output(first: Path, second: Path) -> None:
    """The same tables, and the same bytes in every Parquet part."""
    left, right = batch.read(first), batch.read(second)
    for name in batch.TABLES:
        pd.testing.assert_frame_equal(left[name], right[name], obj=name)
    files = sorted(path.relative_to(first) for path in first.rglob("*.parquet"))
    assert files == sorted(path.relative_to(second) for path in second.rglob("*.parquet"))
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in files)


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


def test_rows_are_the_story_that_extract_gives(corpus, one_worker):
    root, _ = corpus
    output, _ = one_worker
    tables = batch.read(output)
    record = json.loads((root / "records.jsonl").read_text(encoding="utf-8").splitlines()[4])
    story = analyse(record["text"], Options(language=record.get("lang", "auto"), published=record.get("published")),
                    story_id=record["id"]).to_dict()
    doc_id = record["id"]

    def rows(name: str) -> list[dict]:
        frame = tables[name][tables[name]["doc_id"] == doc_id]
        return json.loads(frame.to_json(orient="records"))

    document = rows("documents")[0]
    assert {key: document[key] for key in story["document"]} == story["document"]
    assert document["url"] == record["url"] and document["warnings"] == story["warnings"]
    assert [(p["id"], p["label"], p["lat"], p["lon"], p["confidence"], p["mentions"]) for p in rows("places")] == [
        (p["id"], p["label"], p["lat"], p["lon"], p["confidence"], len(p["mentions"])) for p in story["places"]]
    assert [p["candidates"] for p in rows("places")] == [p["candidates"] for p in story["places"]]
    assert [(m["place_id"], m["start"], m["end"], m["text"]) for m in rows("mentions")] == [
        (p["id"], m["start"], m["end"], m["text"]) for p in story["places"] for m in p["mentions"]]
    assert story["events"] and [{key: e[key] for key in story["events"][0]} for e in rows("events")] == story["events"]
    assert [(c["text"], c["from"], c["to"], c["computed_km"], c["verdict"]) for c in rows("claims")] == [
        (c["text"], c["from"], c["to"], c["computed_km"], c["verdict"]) for c in story["claims"]]
    assert [(g["from"], g["to"], g["km"], g["mode"], g["path"]) for g in rows("legs")] == [
        (g["from"], g["to"], g["km"], g["mode"], g["path"]) for g in story["legs"]]


def test_tables_hold_legs_routes_and_claims(one_worker):
    tables = batch.read(one_worker[0])
    assert len(tables["legs"]) and tables["legs"]["route_source"].notna().any()
    assert set(tables["claims"]["verdict"]) <= {"consistent", "inconsistent", "unverifiable"}
    assert len(tables["claims"]) and len(tables["events"]) and len(tables["mentions"]) > len(tables["places"])
    assert set(tables["mentions"]["doc_id"]) <= set(tables["documents"]["doc_id"])


# --------------------------------------------------------------------------- the same whatever runs it

def test_two_workers_write_the_same_files(corpus, one_worker, tmp_path):
    summary = run_batch(corpus[0], tmp_path / "two.parquet", workers=2)
    assert len(summary.workers) == 2
    assert 0 < summary.first_seconds <= summary.seconds and summary.first_documents == batch.TASK_DOCS
    assert summary.steady_rate > 0
    assert_same_output(one_worker[0], tmp_path / "two.parquet")


def test_dask_local_cluster_writes_the_same_files(corpus, one_worker, tmp_path):
    run_batch(corpus[0], tmp_path / "dask.parquet", workers=2, dask="local")
    assert_same_output(one_worker[0], tmp_path / "dask.parquet")


def test_dask_scheduler_and_workers_as_processes_write_the_same_files(corpus, one_worker, tmp_path):
    scheduler_file = tmp_path / "scheduler.json"
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    dask = [sys.executable, "-m", "dask"]
    scheduler = subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                  "--scheduler-file", str(scheduler_file)], env=environment,
                                 stdout=subprocess.DEVNULL, stderr=open(tmp_path / "scheduler.log", "w"))
    workers = None
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists():
            assert scheduler.poll() is None and time.monotonic() < deadline, (tmp_path / "scheduler.log").read_text()
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        workers = subprocess.Popen([*dask, "worker", address, "--host", "127.0.0.1", "--nworkers", "2",
                                    "--nthreads", "1", "--no-dashboard"], env=environment, cwd=tmp_path,
                                   stdout=subprocess.DEVNULL, stderr=open(tmp_path / "workers.log", "w"))
        with distributed.Client(address) as client:
            client.wait_for_workers(2, timeout=60)
        summary = run_batch(corpus[0], tmp_path / "cluster.parquet", dask=address)
        assert len(summary.workers) == 2, summary.workers
        assert_same_output(one_worker[0], tmp_path / "cluster.parquet")
    finally:
        for process in (workers, scheduler):
            if process is not None:
                process.terminate()
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()


# --------------------------------------------------------------------------- resume

def test_a_killed_run_resumes_where_it_stopped(corpus, one_worker, tmp_path):
    root, good = corpus
    output = tmp_path / "resumed.parquet"
    command = [sys.executable, "-m", "geo", "batch", *INPUTS, "-o", str(output), "--workers", "1",
               "--part-size", "50", "--no-progress"]
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, cwd=root, env=environment, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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


def test_pieces_of_an_unfinished_part_are_swept_away(one_worker, tmp_path):
    output = tmp_path / "copy.parquet"
    for path in one_worker[0].rglob("*"):
        if path.is_file():
            (output / path.relative_to(one_worker[0])).parent.mkdir(parents=True, exist_ok=True)
            (output / path.relative_to(one_worker[0])).write_bytes(path.read_bytes())
    last = sorted((output / "documents").glob("part-*.parquet"))[-1]
    last.unlink()  # killed after writing the other tables of its part
    (output / "places" / "part-99999.tmp").write_bytes(b"half")
    assert batch.read(output)["places"]["doc_id"].isin(batch.read(output)["documents"]["doc_id"]).all()
    settings = json.loads((output / batch.META_FILE).read_text())["settings"]
    batch.Output.open(output, settings)
    assert not (output / "places" / last.name).exists() and not (output / "places" / "part-99999.tmp").exists()


# --------------------------------------------------------------------------- a worker that dies

def _analyse_or_die(items, options):
    if any(item.id.endswith("poison.txt") for item in items):
        os._exit(3)  # as a segfault or the OOM killer would end a worker
    return _real_analyse_items(items, options)


_real_analyse_items = batch.analyse_items


def test_a_document_that_kills_its_worker_is_an_error_row(tmp_path, monkeypatch, small_gazetteer):
    for name in ("a", "b", "poison", "c", "d"):
        (tmp_path / f"{name}.txt").write_text("Der Zug fuhr von Berlin nach Essen.", encoding="utf-8")
    monkeypatch.setattr(batch, "analyse_items", _analyse_or_die)  # workers fork from this process
    monkeypatch.setattr(batch, "default_gazetteer", lambda: Gazetteer(small_gazetteer.path))  # opened after the fork
    fork = multiprocessing.get_context("fork")
    pool = batch._Pool(lambda: ProcessPoolExecutor(2, mp_context=fork))
    with pool:
        items = batch.Inputs([str(tmp_path)])
        results = list(batch._ordered_results(pool, batch._chunks(iter(items), 2), Options(), 4))
    documents = pd.concat([result.tables["documents"].to_pandas() for result in results])
    by_id = documents.set_index("doc_id")
    assert list(documents["doc_id"]) == [(tmp_path / f"{name}.txt").as_posix() for name in ("a", "b", "c", "d", "poison")]
    poison = (tmp_path / "poison.txt").as_posix()
    assert by_id.at[poison, "status"] == "error" and "the worker analysing it stopped" in by_id.at[poison, "error"]
    assert (by_id.drop(index=poison)["status"] == "ok").all()


def test_workers_that_never_finish_a_task_stop_the_batch(tmp_path, monkeypatch):
    for number in range(batch.MAX_BREAKS_IN_A_ROW):  # each breaks its pool twice: as a task, then alone
        (tmp_path / f"{number}.txt").write_text("Berlin.", encoding="utf-8")
    monkeypatch.setattr(batch, "analyse_items", _always_die)
    fork = multiprocessing.get_context("fork")
    with pytest.raises(batch.BatchError, match="keep stopping"):
        with batch._Pool(lambda: ProcessPoolExecutor(1, mp_context=fork)) as pool:
            list(batch._ordered_results(pool, batch._chunks(iter(batch.Inputs([str(tmp_path)])), 1), Options(), 1))


def _always_die(items, options):
    os._exit(3)


# --------------------------------------------------------------------------- inputs

def test_inputs_are_found_in_a_stable_order_with_paths_as_ids(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Wien", encoding="utf-8")
    (tmp_path / "b" / "1.md").write_text("Wien", encoding="utf-8")
    (tmp_path / "b" / ".hidden.txt").write_text("Wien", encoding="utf-8")
    (tmp_path / "b" / "data.csv").write_text("Wien", encoding="utf-8")
    (tmp_path / "a.html").write_text("<p>Wien</p>", encoding="utf-8")
    (tmp_path / "list.jsonl").write_text('{"id": "r1", "text": "Wien"}\n{"text": "Graz"}\n', encoding="utf-8")
    found = list(batch.Inputs([str(tmp_path / "b"), str(tmp_path / "*.html"), str(tmp_path / "list.jsonl")]))
    assert [item.id for item in found] == [(tmp_path / "b" / "1.md").as_posix(), (tmp_path / "b" / "2.txt").as_posix(),
                                           (tmp_path / "a.html").as_posix(), "r1", f"{tmp_path / 'list.jsonl'}:2"]
    assert [item.position for item in found] == [0, 1, 2, 3, 4]
    assert found[0].data == b"Wien" and found[3].text == "Wien"


def test_done_and_repeated_ids_are_passed_over(tmp_path):
    (tmp_path / "list.jsonl").write_text('{"id": "a", "text": "Wien"}\n{"id": "b", "text": "Graz"}\n'
                                         '{"id": "a", "text": "Linz"}\n', encoding="utf-8")
    warnings = []
    inputs = batch.Inputs([str(tmp_path / "list.jsonl")], done={"b"}, warn=warnings.append)
    assert [(item.id, item.text, item.position) for item in inputs] == [("a", "Wien", 0)]
    assert inputs.skipped == 1 and inputs.count() == 3
    assert len(warnings) == 1 and "'a' was used before" in warnings[0]


def test_inputs_are_streamed_not_loaded_whole(tmp_path):
    line = json.dumps({"text": "Der Zug fuhr von Berlin nach Wien. " * 110}) + "\n"  # about 4 KB
    with (tmp_path / "many.jsonl").open("w", encoding="utf-8") as handle:
        for _ in range(5000):
            handle.write(line)
    tracemalloc.start()
    try:
        count = sum(1 for _ in batch.Inputs([str(tmp_path / "many.jsonl")]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 5000
    assert peak < 3_000_000, f"{peak:,} bytes held for a {5000 * len(line):,}-byte input"


def test_an_input_that_does_not_exist_stops_before_any_work(tmp_path):
    with pytest.raises(batch.BatchError, match="no such file or folder"):
        batch.run([str(tmp_path / "missing")], tmp_path / "out.parquet")
    with pytest.raises(batch.BatchError, match="glob matches nothing"):
        batch.run([str(tmp_path / "*.txt")], tmp_path / "out.parquet")
    assert not (tmp_path / "out.parquet").exists()


# --------------------------------------------------------------------------- the output folder

def test_an_output_that_is_not_a_batch_is_refused(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Wien", encoding="utf-8")
    with pytest.raises(batch.BatchError, match="not a Dateline batch output"):
        batch.run([str(tmp_path / "a.txt")], tmp_path / "mine")
    with pytest.raises(batch.BatchError, match="is not a folder"):
        batch.run([str(tmp_path / "a.txt")], tmp_path / "a.txt")
    with pytest.raises(batch.BatchError, match="not a Dateline batch output"):
        batch.read(tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_resuming_with_other_options_is_refused(tmp_path, one_worker):
    (tmp_path / "a.txt").write_text("Wien", encoding="utf-8")
    with pytest.raises(batch.BatchError, match="made with other options"):
        batch.run([str(tmp_path / "a.txt")], one_worker[0], options=Options(language="de"))


def test_an_empty_output_reads_as_empty_tables(tmp_path):
    (tmp_path / "in").mkdir()
    summary = batch.run([str(tmp_path / "in")], tmp_path / "out.parquet", workers=1)
    tables = batch.read(tmp_path / "out.parquet")
    assert summary.documents == 0 and all(frame.empty for frame in tables.values())
    assert list(tables["places"].columns) == batch.SCHEMAS["places"].names


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
        code = main(["batch", str(tmp_path), "-o", str(tmp_path / "o"), "--dask", "tcp://127.0.0.1:9"], io.StringIO(), err)
    assert code == 1
    assert "cannot reach the scheduler" in err.getvalue() and err.getvalue().count("\n") == 1


def test_the_readme_documents_every_table_and_column():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Batch"):readme.index("## How it works")]
    for name, schema in batch.SCHEMAS.items():
        assert f"`{name}`" in section, name
        for column in schema.names:
            assert f"`{column}`" in section, f"{name}.{column}"


def test_the_cli_names_what_the_library_offers():
    import geo.__main__ as cli
    from geo.render.export import CSV_TABLES, FORMATS

    assert cli.PART_DOCS == batch.PART_DOCS
    assert cli.EXPORT_FORMATS == tuple(FORMATS) and cli.CSV_TABLE_NAMES == tuple(CSV_TABLES)
