"""Workers die with their batch: a batch parent killed with SIGKILL leaves no process of its run
alive (fork server, workers, resource tracker), with a local pool and with a Dask LocalCluster."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from tests.batch.conftest import INPUTS
from tests.conftest import REPO

ENVIRONMENT = {**os.environ, "PYTHONPATH": str(REPO)}


def _alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    """The processes still running (a zombie is dead: only its exit status waits to be collected)."""
    alive = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except psutil.NoSuchProcess:
            pass
    return alive


def _alive_after(processes: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    while _alive(processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _alive(processes)


def _descendants_once_working(parent: psutil.Process, process: subprocess.Popen) -> list[psutil.Process]:
    """The batch's processes, once two of them (the workers) are grandchildren of the batch."""
    deadline = time.monotonic() + 120
    while True:
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the workers never started"
        if sum(_grandchild(child, parent) for child in parent.children(recursive=True)) >= 2:
            return parent.children(recursive=True)
        time.sleep(0.1)


def _grandchild(child: psutil.Process, parent: psutil.Process) -> bool:
    """Whether ``child`` is a grandchild of ``parent``: a helper that ended between the listing and
    this question (Dask starts and drops a few) is none."""
    try:
        return child.ppid() != parent.pid
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("pool", [[], ["--dask", "local"]], ids=["local pool", "dask local"])
def test_no_process_of_a_killed_batch_outlives_it(corpus, full_gazetteer, tmp_path, pool):
    command = [sys.executable, "-m", "geo", "batch", *INPUTS, "-o", str(tmp_path / "out.parquet")]
    process = subprocess.Popen(
        [*command, "--workers", "2", "--no-progress", *pool],
        cwd=corpus[0],
        env=ENVIRONMENT,
        start_new_session=True,  # to clean up after a failure
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    descendants: list[psutil.Process] = []
    try:
        descendants = _descendants_once_working(psutil.Process(process.pid), process)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        left = _alive_after(descendants, 5)
        assert not left, [" ".join(p.cmdline())[:120] for p in left]
    finally:
        for survivor in _alive(descendants):
            survivor.kill()


PARENT_THAT_FORKS = textwrap.dedent(
    """
    import os, sys, time
    from geo.batch.lifeline import children_die_with_this_process
    children_die_with_this_process()
    child = os.fork()
    if child == 0:
        time.sleep(60)
        os._exit(0)
    print(child, flush=True)
    time.sleep(60)
    """
)

PARENT_OF_A_CHILD_THAT_ASKS = textwrap.dedent(
    """
    import subprocess, sys, time
    child = subprocess.Popen([sys.executable, "-c", "from geo.batch.lifeline import die_with_parent; "
                              "die_with_parent(); print(flush=True); import time; time.sleep(60)"],
                             stdout=subprocess.PIPE)
    child.stdout.readline()  # it has asked
    print(child.pid, flush=True)
    time.sleep(60)
    """
)


@pytest.mark.parametrize("script", [PARENT_THAT_FORKS, PARENT_OF_A_CHILD_THAT_ASKS], ids=["forked", "asked"])
def test_a_child_dies_with_its_parent(script):
    parent = subprocess.Popen(
        [sys.executable, "-c", script], env=ENVIRONMENT, stdout=subprocess.PIPE, start_new_session=True
    )
    child = psutil.Process(int(parent.stdout.readline()))
    try:
        parent.kill()
        parent.wait()
        assert not _alive_after([child], 5)
    finally:
        for survivor in _alive([child]):
            survivor.kill()
