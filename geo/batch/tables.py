"""A batch's output: one table per entity (:data:`TABLES`), keyed by ``doc_id``, as Parquet parts in
a folder, and :func:`read` that gives them back as pandas DataFrames.

- A part holds the next :data:`PART_DOCS` documents of the input, whatever finished first, so the
  files are the same for any number of workers and on a cluster.
- A part is written under a temporary name and renamed, the ``documents`` file last: a killed run
  leaves whole parts only (the others are swept away on the next start). Running again with the
  same output skips every document already in it (resume: :func:`finished_ids`).
- The rows of a Story are its fields under the Story JSON's names (:func:`story_rows`); a document
  that could not be analysed is a ``documents`` row with its ``error`` (:func:`error_row`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from geo.batch.inputs import Item
from geo.errors import BatchError
from geo.model import Story

if TYPE_CHECKING:
    from geo.batch.tasks import TaskResult

__all__ = [
    "TABLES",
    "SCHEMAS",
    "PART_DOCS",
    "META_FILE",
    "Output",
    "error_row",
    "story_rows",
    "read",
    "is_output",
    "finished_ids",
]

PART_DOCS = 1000
"""Documents per Parquet part: what a killed run may have to do again."""
META_FILE = "_dateline.json"
FORMAT = 1


# --------------------------------------------------------------------------- tables

_CANDIDATE = pa.struct(
    [
        ("id", pa.string()),
        ("name", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("country", pa.string()),
        ("kind", pa.string()),
        ("population", pa.int64()),
        ("score", pa.float64()),
    ]
)
_PATH = pa.list_(pa.list_(pa.float64()))
_STRINGS = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("doc_id", pa.string()),
            ("position", pa.int64()),
            ("source", pa.string()),
            ("url", pa.string()),
            ("status", pa.string()),
            ("error", pa.string()),
            ("title", pa.string()),
            ("language", pa.string()),
            ("published", pa.string()),
            ("published_source", pa.string()),
            ("chars", pa.int64()),
            ("places", pa.int32()),
            ("events", pa.int32()),
            ("legs", pa.int32()),
            ("claims", pa.int32()),
            ("warnings", _STRINGS),
        ]
    ),
    "places": pa.schema(
        [
            ("doc_id", pa.string()),
            ("place_index", pa.int32()),
            ("id", pa.string()),
            ("name", pa.string()),
            ("label", pa.string()),
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("country", pa.string()),
            ("kind", pa.string()),
            ("role", pa.string()),
            ("confidence", pa.float64()),
            ("population", pa.int64()),
            ("mentions", pa.int32()),
            ("sentences", _STRINGS),
            ("candidates", pa.list_(_CANDIDATE)),
        ]
    ),
    "mentions": pa.schema(
        [
            ("doc_id", pa.string()),
            ("place_index", pa.int32()),
            ("place_id", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("role", pa.string()),
        ]
    ),
    "events": pa.schema(
        [
            ("doc_id", pa.string()),
            ("event_index", pa.int32()),
            ("text", pa.string()),
            ("start_char", pa.int64()),
            ("end_char", pa.int64()),
            ("value", pa.string()),
            ("start", pa.string()),
            ("end", pa.string()),
            ("type", pa.string()),
            ("mod", pa.string()),
            ("label", pa.string()),
            ("sentence", pa.string()),
            ("places", _STRINGS),
        ]
    ),
    "legs": pa.schema(
        [
            ("doc_id", pa.string()),
            ("leg_index", pa.int32()),
            ("from", pa.string()),
            ("to", pa.string()),
            ("km", pa.float64()),
            ("mode", pa.string()),
            ("sentence", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("path", _PATH),
            ("route_km", pa.float64()),
            ("route_source", pa.string()),
            ("route_credit", pa.string()),
            ("route_path", _PATH),
        ]
    ),
    "claims": pa.schema(
        [
            ("doc_id", pa.string()),
            ("claim_index", pa.int32()),
            ("text", pa.string()),
            ("value_km", pa.float64()),
            ("from", pa.string()),
            ("to", pa.string()),
            ("computed_km", pa.float64()),
            ("verdict", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("kind", pa.string()),
            ("unit", pa.string()),
            ("hedge", pa.string()),
            ("basis", pa.string()),
            ("low_km", pa.float64()),
            ("high_km", pa.float64()),
            ("computed_by", pa.string()),
            ("mode", pa.string()),
            ("sentence", pa.string()),
            ("reason", pa.string()),
            ("reading", pa.string()),
            ("linked_by", pa.string()),
        ]
    ),
}
TABLES = tuple(SCHEMAS)
"""The output's tables, ``documents`` first; each row of the others belongs to one document."""
ORDINALS = {
    "places": "place_index",
    "mentions": "place_index",
    "events": "event_index",
    "legs": "leg_index",
    "claims": "claim_index",
}


# --------------------------------------------------------------------------- rows


def error_row(item: Item, message: str) -> dict[str, Any]:
    """The ``documents`` row of a document that could not be analysed."""
    return {
        "doc_id": item.id,
        "position": item.position,
        "source": item.source,
        "url": item.url,
        "status": "error",
        "error": message,
        "places": 0,
        "events": 0,
        "legs": 0,
        "claims": 0,
        "warnings": [],
    }


def story_rows(story: Story, item: Item, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Append a Story's rows to ``rows``: its fields under the Story JSON's names, keyed by doc_id."""
    data, doc_id = story.to_dict(), item.id
    rows["documents"].append(
        {
            "doc_id": doc_id,
            "position": item.position,
            "source": item.source,
            "url": item.url,
            "status": "ok",
            **data["document"],
            "places": len(story.places),
            "events": len(story.events),
            "legs": len(story.legs),
            "claims": len(story.claims),
            "warnings": data["warnings"],
        }
    )
    for index, place in enumerate(data["places"]):
        rows["places"].append({**place, "doc_id": doc_id, "place_index": index, "mentions": len(place["mentions"])})
        rows["mentions"].extend(
            {**mention, "doc_id": doc_id, "place_index": index, "place_id": place["id"]}
            for mention in place["mentions"]
        )
    rows["events"].extend(
        {**event, "doc_id": doc_id, "event_index": index} for index, event in enumerate(data["events"])
    )
    for index, leg in enumerate(data["legs"]):
        route = leg.pop("route") or {}
        rows["legs"].append(
            {
                **leg,
                "doc_id": doc_id,
                "leg_index": index,
                "route_km": route.get("km"),
                "route_source": route.get("source"),
                "route_credit": route.get("credit"),
                "route_path": route.get("path"),
            }
        )
    rows["claims"].extend(
        {**claim, "doc_id": doc_id, "claim_index": index} for index, claim in enumerate(data["claims"])
    )


# --------------------------------------------------------------------------- the output folder


@dataclass
class Output:
    """A batch output folder: one subfolder of Parquet parts per table, and ``_dateline.json`` with
    the options it was made with (a resumed run must use the same)."""

    path: Path
    next_part: int = 0
    pending: dict[str, list[pa.Table]] = field(default_factory=dict)
    pending_docs: int = 0

    @classmethod
    def open(cls, path: str | os.PathLike, settings: dict[str, Any]) -> Output:
        """Open (or start) an output, sweeping away the pieces of a part a killed run left."""
        root = Path(path)
        meta = root / META_FILE
        if root.exists() and not root.is_dir():
            raise BatchError(f"{root}: exists and is not a folder (a batch output is a folder of Parquet tables)")
        if root.is_dir() and any(root.iterdir()) and not meta.exists():
            raise BatchError(f"{root}: a folder that is not a Dateline batch output; choose a new or empty one")
        if meta.exists():
            made_with = json.loads(meta.read_text(encoding="utf-8")).get("settings")
            if made_with != settings:
                raise BatchError(
                    f"{root}: made with other options ({_describe(made_with)}); resume it with "
                    f"the same ones, or write to a new output"
                )
        else:
            root.mkdir(parents=True, exist_ok=True)
            _atomic_write(meta, json.dumps({"format": FORMAT, "settings": settings}, indent=2).encode())
        for name in TABLES:
            (root / name).mkdir(exist_ok=True)
        complete = _complete_parts(root)
        for name in TABLES:
            for part in (root / name).iterdir():
                if part.name.endswith(".tmp") or part.stem not in complete:
                    part.unlink()
        numbers = [int(stem.removeprefix("part-")) for stem in complete]
        return cls(root, next_part=max(numbers, default=-1) + 1, pending={name: [] for name in TABLES})

    def add(self, result: TaskResult, part_docs: int) -> None:
        """Take a task's tables; write a part once ``part_docs`` documents are waiting."""
        for name in TABLES:
            self.pending[name].append(result.tables[name])
        self.pending_docs += result.documents
        if self.pending_docs >= part_docs:
            self.flush()

    def flush(self) -> None:
        """Write what is waiting as the next part (the documents file last: it marks the part whole)."""
        if not self.pending_docs:
            return
        stem = f"part-{self.next_part:05d}"
        for name in (*TABLES[1:], TABLES[0]):
            table = pa.concat_tables(self.pending[name])
            target = self.path / name / f"{stem}.parquet"
            pq.write_table(table, target.with_suffix(".tmp"), compression="zstd")
            os.replace(target.with_suffix(".tmp"), target)
            self.pending[name] = []
        self.pending_docs, self.next_part = 0, self.next_part + 1


def _complete_parts(root: Path) -> set[str]:
    return {part.stem for part in (root / TABLES[0]).glob("part-*.parquet")}


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _describe(settings: Any) -> str:
    if not isinstance(settings, dict):
        return "unknown"
    return ", ".join(f"{key}={value}" for key, value in settings.items()) or "defaults"


def finished_ids(path: str | os.PathLike) -> set[str]:
    """The ids of the documents an output already holds (whole parts only)."""
    root = Path(path)
    ids: set[str] = set()
    for stem in sorted(_complete_parts(root)):
        ids.update(pq.read_table(root / TABLES[0] / f"{stem}.parquet", columns=["doc_id"]).column(0).to_pylist())
    return ids


def is_output(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a batch output folder."""
    return (Path(path) / META_FILE).is_file()


def read(path: str | os.PathLike, tables: Iterable[str] = TABLES) -> dict[str, Any]:
    """A batch output's tables as pandas DataFrames, by name, in input order (documents by their
    position, the other tables by their document's position, then their index in it). Parts a
    killed run left half-written are not read."""
    root = Path(path)
    if not is_output(root):
        raise BatchError(
            f"{root}: not a Dateline batch output (no {META_FILE}); make one with "
            "`python -m geo batch INPUT... -o {root}`"
        )
    wanted = list(tables)
    stems = sorted(_complete_parts(root))
    loaded = {name: _read_table(root / name, stems, SCHEMAS[name]).to_pandas() for name in {TABLES[0], *wanted}}
    documents = loaded[TABLES[0]].sort_values("position", kind="stable").reset_index(drop=True)
    order = dict(zip(documents["doc_id"], documents["position"]))
    result = {}
    for name in wanted:
        if name == TABLES[0]:
            result[name] = documents
            continue
        frame = loaded[name]
        keys = frame["doc_id"].map(order)
        result[name] = (
            frame.assign(_position=keys)
            .sort_values(["_position", ORDINALS[name]], kind="stable")
            .drop(columns="_position")
            .reset_index(drop=True)
        )
    return result


def _read_table(folder: Path, stems: Sequence[str], schema: pa.Schema) -> pa.Table:
    parts = [
        pq.read_table(folder / f"{stem}.parquet", schema=schema)
        for stem in stems
        if (folder / f"{stem}.parquet").exists()
    ]
    return pa.concat_tables(parts) if parts else schema.empty_table()
