"""Where a batch's tasks run: a local process pool (``--workers N``) or a dask.distributed cluster
(``--dask ADDRESS``; ``--dask local`` starts a LocalCluster), with each task's result in input order.

- A local pool's workers fork from a fork server that imported a warm analysis
  (:data:`FORK_SERVER_PRELOAD`), and so do a LocalCluster's. They die with the batch, however it
  ends (:mod:`geo.batch.lifeline`). Before they start, the gazetteer's index they will open is
  checked page by page, and built again if it is damaged.
- A task whose worker died is run again a document at a time, and a document that kills its worker
  again is an error row. A local pool that broke is replaced by a fresh one; one that keeps breaking
  before it finishes any task (:data:`MAX_BREAKS_IN_A_ROW`) is a setup fault, and stops the batch.
- A document that runs past its time limit is an error row, made by its worker
  (:mod:`geo.batch.tasks`), and the local pool that ran it is replaced: the tasks it had not started
  go to the fresh one whole. A worker that does not come back from a task within the limits of its
  documents and :data:`STUCK_GRACE_SECONDS` (stuck in one long call that no signal stops) is killed,
  and its task is run again a document at a time, each with its own deadline.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import pyarrow as pa

from geo.batch.inputs import Item
from geo.batch.tables import SCHEMAS, TABLES, error_row
from geo.batch.tasks import DOCUMENT_SECONDS, TaskResult, analyse_items
from geo.errors import BATCH_MESSAGES, BatchError
from geo.pipeline import Options
from geo.places.gazetteer import ensure_index

__all__ = [
    "Pool",
    "open_pool",
    "ordered_results",
    "FORK_SERVER_PRELOAD",
    "MAX_BREAKS_IN_A_ROW",
    "STUCK_GRACE_SECONDS",
]

MAX_BREAKS_IN_A_ROW = 8
"""A local pool replaced this often without finishing a task is not a bad document but a setup fault."""
FORK_SERVER_PRELOAD = ["geo.batch.tasks", "geo.batch.preload"]
"""What a fork server imports before its workers fork from it: the module of :func:`analyse_items`
(workers find it by name) and a warm analysis (geo/batch/preload.py)."""
STUCK_GRACE_SECONDS = 30.0
"""How long past the time limits of its documents a task may take before its worker counts as stuck:
time to hand the task over, and for a limit that fired to end the document."""


class Pool:
    """Where tasks run: ``submit(items, options)`` gives a Future of a TaskResult. A local pool that
    broke (one of its workers died), that ran a document out of time, or that is stuck, is replaced
    by a fresh one. ``seconds``: each document's time limit (None: none)."""

    def __init__(
        self,
        make: Callable[[], Executor],
        close: Callable[[], None] = lambda: None,
        seconds: float | None = DOCUMENT_SECONDS,
    ) -> None:
        self._make, self._close, self.seconds = make, close, seconds
        self.executor = make()
        self.generation = 0  # how many times the executor was replaced
        self.breaks_in_a_row = 0  # replaced executors that finished no task

    @property
    def local(self) -> bool:
        """Whether the workers are this batch's own processes (else a cluster's, which it looks after)."""
        return isinstance(self.executor, ProcessPoolExecutor)

    def submit(self, items: list[Item], options: Options) -> tuple[Future, int]:
        """The Future of a task and the generation of the executor that runs it."""
        try:
            try:
                return self.executor.submit(analyse_items, items, options, self.seconds), self.generation
            except BrokenProcessPool:
                self.renew(self.generation)
                return self.executor.submit(analyse_items, items, options, self.seconds), self.generation
        except (EOFError, OSError) as exc:  # the fork server itself failed to start
            raise BatchError(f"cannot start the worker processes ({type(exc).__name__}: {exc})") from exc

    def deadline(self, documents: int) -> float | None:
        """How long to wait for a task of ``documents`` before its worker counts as stuck (None: as
        long as it takes: without a time limit, and on a cluster, whose workers are not ours to kill)."""
        if self.seconds is None or not self.local:
            return None
        return documents * self.seconds + STUCK_GRACE_SECONDS

    def renew(self, generation: int) -> None:
        """Replace a broken local executor (of ``generation``: later failures of its tasks do not
        replace its successor). A cluster looks after its own workers."""
        if generation == self.generation and self.local:
            self.breaks_in_a_row += 1
            if self.breaks_in_a_row > MAX_BREAKS_IN_A_ROW:
                raise BatchError(
                    "the worker processes keep stopping before they finish any task; is the "
                    'calling script\'s work under `if __name__ == "__main__":`? (multiprocessing '
                    "imports the main module again in each worker)"
                )
            self._replace()

    def retire(self, generation: int) -> None:
        """A worker of ``generation`` stopped a document that ran out of time, midway, which may have
        left its caches half-made: new tasks go to a fresh executor, and the old one's workers end
        once they finish the tasks they started."""
        if generation == self.generation and self.local:
            self._replace()

    def kill(self, generation: int) -> None:
        """A worker of ``generation`` is stuck: end the executor's workers now and replace it (its
        tasks that had started fail, and are run again a document at a time)."""
        if generation == self.generation and self.local:
            workers = list((self.executor._processes or {}).values())  # Python 3.14: terminate_workers()
            self._replace()
            for worker in workers:
                worker.kill()

    def _replace(self) -> None:
        """A fresh executor for new tasks; the old one's tasks that had not started are cancelled
        (:func:`ordered_results` sends them again)."""
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
        if self.local:
            self.executor.shutdown(wait=True, cancel_futures=True)
        else:
            self.executor.shutdown(wait=True)
        self._close()


def open_pool(workers: int, dask: str | None, seconds: float | None = DOCUMENT_SECONDS) -> Pool:
    """A pool of ``workers`` local processes, or (``dask``: an address, a scheduler file or "local")
    one on a Dask cluster; ``seconds``: each document's time limit (None: none)."""
    if dask is None or dask == "local":
        ensure_index(thorough=True)  # found damaged here, it is built again, not met by a failing fork server
    if dask is None:
        import multiprocessing

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(FORK_SERVER_PRELOAD)
        _start_fork_server()
        return Pool(lambda: ProcessPoolExecutor(workers, mp_context=context), seconds=seconds)
    return _dask_pool(workers, dask, seconds)


def _start_fork_server() -> None:
    """Start the fork server from this thread, which outlives the batch's workers: the kernel ends
    the fork server when the thread that started it ends (:mod:`geo.batch.lifeline`). Python's
    fork server imports the preload from the interpreter's default path (its first entry the
    working directory), not the batch's, and passes over a module it cannot import without a word:
    run where Dateline is not importable so (a script that put it on ``sys.path`` itself, from
    another folder), the workers start cold, each loading its own copy of everything."""
    from multiprocessing import forkserver

    forkserver.ensure_running()


@contextlib.contextmanager
def _warm_dask_workers() -> Iterator[None]:
    """While a LocalCluster starts: its workers fork from a warm fork server, as the local pool's
    do (Dask's own setting, ``distributed.worker.multiprocessing-method``, and the modules its
    fork server imports; both as Dask documents them)."""
    import dask
    from distributed.utils import get_mp_context

    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        get_mp_context().set_forkserver_preload(["distributed", *FORK_SERVER_PRELOAD])  # after Dask's own
        _start_fork_server()  # here, not in one of Dask's threads
        yield


def _dask_pool(workers: int, address: str, seconds: float | None) -> Pool:
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

    return Pool(lambda: client.get_executor(pure=False), close, seconds)


@dataclass
class _Task:
    """A task on its way: its documents, its Future and the generation of the executor running it."""

    items: list[Item]
    future: Future
    generation: int


def _sent(pool: Pool, items: list[Item], options: Options) -> _Task:
    return _Task(items, *pool.submit(items, options))


def ordered_results(pool: Pool, tasks: Iterator[list[Item]], options: Options, in_flight: int) -> Iterator[TaskResult]:
    """Each task's result in input order, with at most ``in_flight`` tasks submitted ahead."""
    pending: deque[_Task] = deque()
    for items in tasks:
        pending.append(_sent(pool, items, options))
        while len(pending) >= in_flight:
            yield _result(pool, pending.popleft(), options)
            _send_again_cancelled(pool, pending, options)
    while pending:
        yield _result(pool, pending.popleft(), options)
        _send_again_cancelled(pool, pending, options)


def _send_again_cancelled(pool: Pool, pending: deque[_Task], options: Options) -> None:
    """Tasks that an executor replaced meanwhile had not started (it cancelled them): to its
    successor, whole and at once."""
    for task in pending:
        if task.future.cancelled():
            task.future, task.generation = pool.submit(task.items, options)


def _result(pool: Pool, task: _Task, options: Options) -> TaskResult:
    """A task's result; when its worker died or was stuck, its documents again one at a time (a
    document that fails that way too is an error row, made here); the documents a task left after
    one that ran out of time, sent again."""
    try:
        result = _awaited(pool, task)
    except BatchError:
        raise  # the pool cannot go on
    except Exception:  # noqa: BLE001 - a dead or stuck worker, a pool that broke, a cluster that gave up
        return _one_at_a_time(pool, task.items, options)
    if result.left:
        return _merged([result, _result(pool, _sent(pool, list(result.left), options), options)])
    return result


def _awaited(pool: Pool, task: _Task) -> TaskResult:
    """A task's result, the pool kept in order: its executor is replaced when a worker died (the
    error is raised), was stuck past the task's deadline (killed: TimeoutError), or ran a document
    out of time (the result is returned)."""
    try:
        result = task.future.result(timeout=pool.deadline(len(task.items)))
    except TimeoutError:
        pool.kill(task.generation)
        raise
    except Exception:
        pool.renew(task.generation)
        raise
    pool.finished(task.generation)
    if result.out_of_time:
        pool.retire(task.generation)
    return result


def _one_at_a_time(pool: Pool, items: list[Item], options: Options) -> TaskResult:
    results = []
    for item in items:
        try:
            results.append(_awaited(pool, _sent(pool, [item], options)))
        except BatchError:
            raise
        except TimeoutError:
            results.append(_error_result(item, BATCH_MESSAGES["time_limit"].format(seconds=pool.seconds)))
        except Exception as exc:  # noqa: BLE001
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
