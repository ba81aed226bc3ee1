"""Where tasks run: one or two local workers and Dask (an in-process LocalCluster, and a real
``dask scheduler`` and ``dask worker`` started as processes on 127.0.0.1) write the same files; a
worker that dies costs one error row, not the batch; and so does a document that takes too long,
whose worker is replaced."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import distributed
import pandas as pd
import psutil
import pytest

from geo import batch
from geo.batch import pool as batch_pool
from geo.batch import tasks
from geo.batch.pool import MAX_BREAKS_IN_A_ROW, Pool, ordered_results
from geo.batch.tasks import TaskResult, chunks
from geo.pipeline import Options, warm_up
from geo.places.gazetteer import Gazetteer
from tests.batch.conftest import assert_same_output, run_batch
from tests.conftest import REPO

# --------------------------------------------------------------------------- the same whatever runs it


def test_two_workers_write_the_same_files(corpus, one_worker, tmp_path):
    summary = run_batch(corpus[0], tmp_path / "two.parquet", workers=2)
    assert len(summary.workers) == 2
    assert 0 < summary.first_seconds <= summary.seconds and summary.first_documents == batch.TASK_DOCS
    assert summary.steady_rate > 0
    assert_same_output(one_worker[0], tmp_path / "two.parquet")


def _garbage_collection() -> tuple[tuple[int, int, int], int]:
    import gc

    return gc.get_threshold(), gc.get_freeze_count()


def test_local_workers_fork_warm_and_collect_young_garbage_seldom():
    """Each worker inherits the fork server's loaded, frozen objects and its collector setting."""
    with batch_pool.open_pool(1, None):  # starts the fork server as a batch does, here in the project folder
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(1, mp_context=context) as workers:
            threshold, frozen = workers.submit(_garbage_collection).result(timeout=120)
    assert threshold[0] == tasks.YOUNG_COLLECTION_THRESHOLD > 700 and frozen > 10_000


def test_dask_local_cluster_writes_the_same_files(corpus, one_worker, tmp_path):
    run_batch(corpus[0], tmp_path / "dask.parquet", workers=2, dask="local")
    assert_same_output(one_worker[0], tmp_path / "dask.parquet")


def test_dask_scheduler_and_workers_as_processes_write_the_same_files(corpus, one_worker, tmp_path):
    scheduler_file = tmp_path / "scheduler.json"
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    dask = [sys.executable, "-m", "dask"]
    scheduler = subprocess.Popen(
        [
            *dask,
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(scheduler_file),
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "scheduler.log", "w"),
    )
    workers = None
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists():
            assert scheduler.poll() is None and time.monotonic() < deadline, (tmp_path / "scheduler.log").read_text()
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        workers = subprocess.Popen(
            [*dask, "worker", address, "--host", "127.0.0.1", "--nworkers", "2", "--nthreads", "1", "--no-dashboard"],
            env=environment,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / "workers.log", "w"),
        )
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


# --------------------------------------------------------------------------- a worker that dies


def _analyse_or_die(items, options, seconds):
    if any(item.id.endswith("poison.txt") for item in items):
        os._exit(3)  # as a segfault or the OOM killer would end a worker
    return _real_analyse_items(items, options, seconds)


_real_analyse_items = tasks.analyse_items


def test_a_document_that_kills_its_worker_is_an_error_row(tmp_path, monkeypatch, small_gazetteer):
    for name in ("a", "b", "poison", "c", "d"):
        (tmp_path / f"{name}.txt").write_text("Der Zug fuhr von Berlin nach Essen.", encoding="utf-8")
    monkeypatch.setattr(batch_pool, "analyse_items", _analyse_or_die)  # workers fork from this process
    monkeypatch.setattr(
        "geo.pipeline.default_gazetteer", lambda: Gazetteer(small_gazetteer.path)
    )  # opened after the fork
    fork = multiprocessing.get_context("fork")
    pool = Pool(lambda: ProcessPoolExecutor(2, mp_context=fork))
    with pool:
        items = batch.Inputs([str(tmp_path)])
        results = list(ordered_results(pool, chunks(iter(items), 2), Options(), 4))
    documents = pd.concat([result.tables["documents"].to_pandas() for result in results])
    by_id = documents.set_index("doc_id")
    assert list(documents["doc_id"]) == [
        (tmp_path / f"{name}.txt").as_posix() for name in ("a", "b", "c", "d", "poison")
    ]
    poison = (tmp_path / "poison.txt").as_posix()
    assert by_id.at[poison, "status"] == "error" and "the worker analysing it stopped" in by_id.at[poison, "error"]
    assert (by_id.drop(index=poison)["status"] == "ok").all()


def test_workers_that_never_finish_a_task_stop_the_batch(tmp_path, monkeypatch):
    for number in range(MAX_BREAKS_IN_A_ROW):  # each breaks its pool twice: as a task, then alone
        (tmp_path / f"{number}.txt").write_text("Berlin.", encoding="utf-8")
    monkeypatch.setattr(batch_pool, "analyse_items", _always_die)
    fork = multiprocessing.get_context("fork")
    with pytest.raises(batch.BatchError, match="keep stopping"):
        with Pool(lambda: ProcessPoolExecutor(1, mp_context=fork)) as pool:
            list(ordered_results(pool, chunks(iter(batch.Inputs([str(tmp_path)])), 1), Options(), 1))


def _always_die(items, options, seconds):
    os._exit(3)


# --------------------------------------------------------------------------- a document that takes too long

_real_analyse = tasks.analyse


def _slow_analysis(blocked: bool):
    """An analysis that never ends for documents named "slow...", and says which process ran them
    (``blocked``: with the time limit's signal blocked, as in one long call into C)."""

    def analyse(document, options, story_id):
        if "slow" in Path(story_id).name:
            (Path(story_id).parent / "slow.pid").write_text(str(os.getpid()))
            if blocked:
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            while True:
                time.sleep(0.01)
        return _real_analyse(document, options, story_id=story_id)

    return analyse


def _five_documents(folder: Path) -> list[str]:
    names = ["1.txt", "2.txt", "3-slow.txt", "4.txt", "5.txt"]  # in input order
    for name in names:
        (folder / name).write_text("Der Zug fuhr von Berlin nach Essen.", encoding="utf-8")
    return [(folder / name).as_posix() for name in names]


def _run_five(folder: Path, seconds: float) -> tuple[pd.DataFrame, Pool, list[TaskResult]]:
    fork = multiprocessing.get_context("fork")  # the workers inherit the slow analysis
    with Pool(lambda: ProcessPoolExecutor(2, mp_context=fork), seconds=seconds) as pool:
        results = list(ordered_results(pool, chunks(iter(batch.Inputs([str(folder)])), 2), Options(), 4))
    documents = pd.concat([result.tables["documents"].to_pandas() for result in results])
    return documents.set_index("doc_id"), pool, results


@pytest.mark.parametrize("blocked", [False, True], ids=["stopped by its worker", "stuck where no signal reaches"])
def test_a_document_that_takes_too_long_is_an_error_row_and_its_worker_is_replaced(
    tmp_path, monkeypatch, small_gazetteer, blocked
):
    ids = _five_documents(tmp_path)
    monkeypatch.setattr(tasks, "analyse", _slow_analysis(blocked))
    monkeypatch.setattr(batch_pool, "STUCK_GRACE_SECONDS", 0.5)
    monkeypatch.setattr("geo.pipeline.default_gazetteer", lambda: Gazetteer(small_gazetteer.path))
    warm_up(small_gazetteer)  # the workers fork warm, as from the fork server
    by_id, pool, results = _run_five(tmp_path, seconds=0.5)
    assert list(by_id.index) == ids and sum(result.documents for result in results) == 5
    slow = ids[2]
    assert by_id.at[slow, "status"] == "error"
    assert by_id.at[slow, "error"].startswith("took longer than 0.5 s (batch --time-limit)")
    assert (by_id.drop(index=slow)["status"] == "ok").all()
    assert pool.generation >= 1  # a fresh executor after the slow document
    slow_worker = int((tmp_path / "slow.pid").read_text())
    assert results[1].pid != slow_worker  # 4.txt, after it in its task, ran elsewhere
    assert not psutil.pid_exists(slow_worker) or psutil.Process(slow_worker).status() == psutil.STATUS_ZOMBIE


def test_a_task_stops_at_a_document_out_of_time_and_hands_back_the_rest(monkeypatch, tmp_path, small_gazetteer):
    ids = _five_documents(tmp_path)
    monkeypatch.setattr(tasks, "analyse", _slow_analysis(blocked=False))
    monkeypatch.setattr("geo.pipeline.default_gazetteer", lambda: small_gazetteer)
    warm_up(small_gazetteer)
    items = list(batch.Inputs([str(tmp_path)]))
    result = tasks.analyse_items(items, Options(), 1.0)  # in this thread, the main one
    assert result.out_of_time and [item.id for item in result.left] == ids[3:]
    documents = result.tables["documents"].to_pandas()
    assert list(documents["doc_id"]) == ids[:3] and list(documents["status"]) == ["ok", "ok", "error"]
    assert result.documents == 3 and result.errors == 1


def test_a_document_out_of_time_in_a_thread_no_signal_reaches_is_an_error_row_when_it_ends(
    monkeypatch, tmp_path, small_gazetteer
):
    ids = _five_documents(tmp_path)[:2]
    items = list(batch.Inputs([str(tmp_path)]))[:2]

    def slow(document, options, story_id):
        time.sleep(0.3)
        return _real_analyse(document, options, story_id=story_id)

    monkeypatch.setattr(tasks, "analyse", slow)
    monkeypatch.setattr("geo.pipeline.default_gazetteer", lambda: small_gazetteer)
    with ThreadPoolExecutor(1) as threads:  # as a Dask worker runs its tasks
        result = threads.submit(tasks.analyse_items, items, Options(), 0.1).result()
    assert result.out_of_time and [item.id for item in result.left] == ids[1:]
    assert result.tables["documents"].to_pandas()["error"][0].startswith("took longer than 0.1 s")
