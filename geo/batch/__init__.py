"""Many articles at once: ``python -m geo batch INPUT... -o out.parquet`` (docs/batch.md).

Each document gets exactly what ``extract`` gives it (:func:`geo.pipeline.analyse`), in worker
processes: a local process pool (``--workers N``) or a dask.distributed cluster (``--dask ADDRESS``;
``--dask local`` starts a LocalCluster). What this package adds is the plumbing, which is where
batch jobs go wrong:

- Inputs are streamed (:mod:`geo.batch.inputs`): files, folders and globs are listed lazily and
  each file is read when its turn comes; JSON Lines are read a line at a time. At most a few tasks
  of documents are in flight (:mod:`geo.batch.runner`).
- Results are tables, one per entity (:data:`TABLES`), keyed by ``doc_id`` and written as Parquet
  parts in input order (:mod:`geo.batch.tables`). A part holds the next :data:`PART_DOCS` documents
  of the input, whatever finished first, so the files are the same for any number of workers and
  on a cluster.
- A document that fails is a ``documents`` row with its ``error``; the batch goes on
  (:mod:`geo.batch.tasks`). So is one that takes longer than its time limit (:data:`DOCUMENT_SECONDS`,
  ``--time-limit``), and the worker that ran it is replaced. A task whose worker died is run again a
  document at a time, and a document that kills its worker again is an error row too
  (:mod:`geo.batch.pool`).
- The workers die with the batch, however it ends, even by SIGKILL (:mod:`geo.batch.lifeline`).
- A part is written under a temporary name and renamed, the ``documents`` file last: a killed run
  leaves whole parts only (the others are swept away on the next start). Running again with the
  same output skips every document already in it (resume).
- Workers share the gazetteer index read-only: each maps the same SQLite file into memory
  (:class:`geo.places.gazetteer.Gazetteer`), so the operating system holds its pages once for all;
  a local pool's workers fork from a warm fork server (:mod:`geo.batch.preload`).

Callers write ``from geo import batch`` and ``batch.run(...)``, ``batch.read(...)``.
"""

from geo.batch.inputs import Inputs, Item
from geo.batch.runner import Summary, run
from geo.batch.tables import PART_DOCS, SCHEMAS, TABLES, finished_ids, is_output, read
from geo.batch.tasks import DOCUMENT_SECONDS, TASK_DOCS, analyse_items
from geo.errors import BatchError

__all__ = [
    "TABLES",
    "SCHEMAS",
    "PART_DOCS",
    "TASK_DOCS",
    "DOCUMENT_SECONDS",
    "Item",
    "Inputs",
    "BatchError",
    "Summary",
    "analyse_items",
    "run",
    "read",
    "is_output",
    "finished_ids",
]
