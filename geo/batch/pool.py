"""Where a batch's tasks run: a local process pool (``--workers N``) or a dask.distributed cluster
(``--dask ADDRESS``; ``--dask local`` starts a LocalCluster), with each task's result in input order.

- A local pool's workers fork from a fork server that imported a warm analysis
  (:data:`FORK_SERVER_PRELOAD`), and so do a LocalCluster's.
- A task whose worker died is run again a document at a time, and a document that kills its worker
  again is an error row. A local pool that broke is replaced by a fresh one; one that keeps breaking
  before it finishes any task (:data:`MAX_BREAKS_IN_A_ROW`) is a setup fault, and stops the batch.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pyarrow as pa

from geo.batch.inputs import Item
from geo.batch.tables import SCHEMAS, TABLES, error_row
from geo.batch.tasks import TaskResult, analyse_items
from geo.errors import BatchError
from geo.pipeline import Options

__all__ = ["Pool", "open_pool", "ordered_results", "FORK_SERVER_PRELOAD", "MAX_BREAKS_IN_A_ROW"]

MAX_BREAKS_IN_A_ROW = 8
"""A local pool replaced this often without finishing a task is not a bad document but a setup fault."""
FORK_SERVER_PRELOAD = ["geo.batch.tasks", "geo.batch.preload"]
"""What a fork server imports before its workers fork from it: the module of :func:`analyse_items`
(workers find it by name) and a warm analysis (geo/batch/preload.py)."""


class Pool:
    """Where tasks run: ``submit(items, options)`` gives a Future of a TaskResult. A local pool that
    broke (one of its workers died) is replaced by a fresh one, once per break."""

    def __init__(self, make: Callable[[], Executor], close: Callable[[], None] = lambda: None) -> None:
        self._make, self._close = make, close
        self.executor = make()
        self.generation = 0  # how many times the executor was replaced
        self.breaks_in_a_row = 0  # replaced executors that finished no task

    def submit(self, items: list[Item], options: Options) -> tuple[Future, int]:
        """The Future of a task and the generation of the executor that runs it."""
        try:
            try:
                return self.executor.submit(analyse_items, items, options), self.generation
            except BrokenProcessPool:
                self.renew(self.generation)
                return self.executor.submit(analyse_items, items, options), self.generation
        except (EOFError, OSError) as exc:  # the fork server itself failed to start
            raise BatchError(f"cannot start the worker processes ({type(exc).__name__}: {exc})") from exc

    def renew(self, generation: int) -> None:
        """Replace a broken local executor (of ``generation``: later failures of its tasks do not
        replace its successor). A cluster looks after its own workers."""
        if generation == self.generation and isinstance(self.executor, ProcessPoolExecutor):
            self.breaks_in_a_row += 1
            if self.breaks_in_a_row > MAX_BREAKS_IN_A_ROW:
                raise BatchError(
                    "the worker processes keep stopping before they finish any task; is the "
                    'calling script\'s work under `if __name__ == "__main__":`? (multiprocessing '
                    "imports the main module again in each worker)"
                )
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._make()
            self.generation += 1

    def finished(self, generation: int) -> None:
        """A task of ``generation`` finished: its executor works."""
        if generation == self.generation:
            self.breaks_in_a_row = 0

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if isinstance(self.executor, ProcessPoolExecutor):
            self.executor.shutdown(wait=True, cancel_futures=True)
        else:
            self.executor.shutdown(wait=True)
        self._close()


def open_pool(workers: int, dask: str | None) -> Pool:
    """A pool of ``workers`` local processes, or (``dask``: an address, a scheduler file or "local")
    one on a Dask cluster."""
    if dask is None:
        import multiprocessing

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(FORK_SERVER_PRELOAD)
        return Pool(lambda: ProcessPoolExecutor(workers, mp_context=context))
    return _dask_pool(workers, dask)


@contextlib.contextmanager
def _warm_dask_workers() -> Iterator[None]:
    """While a LocalCluster starts: its workers fork from a warm fork server, as the local pool's
    do (Dask's own setting, ``distributed.worker.multiprocessing-method``, and the modules its
    fork server imports; both as Dask documents them)."""
    import dask
    from distributed.utils import get_mp_context

    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        get_mp_context().set_forkserver_preload(["distributed", *FORK_SERVER_PRELOAD])  # after Dask's own
        yield


def _dask_pool(workers: int, address: str) -> Pool:
    """A pool on a dask.distributed cluster: ``local`` starts a LocalCluster of ``workers``
    single-threaded processes (the analysis holds the GIL); a JSON file is a scheduler file (as
    ``dask scheduler --scheduler-file`` writes it); anything else is a scheduler address."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - distributed is a pinned requirement
        raise BatchError(f"--dask needs the 'distributed' package ({exc})") from exc
    cluster = None
    try:
        if address == "local":
            with _warm_dask_workers():
                cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
                )
            client = Client(cluster)
        elif address.endswith(".json") and os.path.isfile(address):
            client = Client(scheduler_file=address)
        else:
            client = Client(address)  # waits distributed.comm.timeouts.connect (dask's config)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise BatchError(f"--dask {address}: cannot reach the scheduler ({exc})") from exc

    def close() -> None:
        client.close()
        if cluster is not None:
            cluster.close()

    return Pool(lambda: client.get_executor(pure=False), close)


def ordered_results(pool: Pool, tasks: Iterator[list[Item]], options: Options, in_flight: int) -> Iterator[TaskResult]:
    """Each task's result in input order, with at most ``in_flight`` tasks submitted ahead."""
    pending: deque[tuple[list[Item], tuple[Future, int]]] = deque()
    for items in tasks:
        pending.append((items, pool.submit(items, options)))
        while len(pending) >= in_flight:
            yield _result(pool, *pending.popleft(), options)
    while pending:
        yield _result(pool, *pending.popleft(), options)


def _result(pool: Pool, items: list[Item], task: tuple[Future, int], options: Options) -> TaskResult:
    """A task's result; when its worker died, its documents again one at a time (a document that
    fails that way too is an error row, made here)."""
    future, generation = task
    try:
        result = future.result()
        pool.finished(generation)
        return result
    except Exception:  # noqa: BLE001 - a dead worker, a pool that broke, a cluster that gave up
        pool.renew(generation)
    results = []
    for item in items:
        future, generation = pool.submit([item], options)
        try:
            results.append(future.result())
            pool.finished(generation)
        except Exception as exc:  # noqa: BLE001
            pool.renew(generation)
            results.append(_error_result(item, f"the worker analysing it stopped ({type(exc).__name__}: {exc})"))
    return _merged(results)


def _error_result(item: Item, message: str) -> TaskResult:
    tables = {name: SCHEMAS[name].empty_table() for name in TABLES}
    tables[TABLES[0]] = pa.Table.from_pylist([error_row(item, message)], schema=SCHEMAS[TABLES[0]])
    return TaskResult(tables, 1, 1, os.getpid(), 0.0)


def _merged(results: list[TaskResult]) -> TaskResult:
    tables = {name: pa.concat_tables([result.tables[name] for result in results]) for name in TABLES}
    workers = [result for result in results if result.peak_rss_mb]
    last = workers[-1] if workers else results[-1]
    return TaskResult(
        tables, sum(r.documents for r in results), sum(r.errors for r in results), last.pid, last.peak_rss_mb
    )
