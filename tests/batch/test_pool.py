"""Where tasks run: one or two local workers and Dask (an in-process LocalCluster, and a real
``dask scheduler`` and ``dask worker`` started as processes on 127.0.0.1) write the same files, and a
worker that dies costs one error row, not the batch."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import distributed
import pandas as pd
import pytest

from geo import batch
from geo.batch import pool as batch_pool
from geo.batch import tasks
from geo.batch.pool import MAX_BREAKS_IN_A_ROW, Pool, ordered_results
from geo.batch.tasks import chunks
from geo.pipeline import Options
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


def _analyse_or_die(items, options):
    if any(item.id.endswith("poison.txt") for item in items):
        os._exit(3)  # as a segfault or the OOM killer would end a worker
    return _real_analyse_items(items, options)


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


def _always_die(items, options):
    os._exit(3)
