"""Build ``data/networks/world_railways.npz``, the railway network that :mod:`geo.journeys.networks` routes rail
legs through, from the ``scgraph-data`` package.

A developer tool: nothing in setup, the tests or CI runs it, and nothing outside this script imports
``scgraph`` or ``scgraph_data`` (installed, scgraph-data is about 300 MB and byte-compiling it needs
gigabytes of memory). The derived file is a few megabytes and needs only numpy to read.

What it writes (``numpy.savez_compressed``): the graph ready to search, so that loading it is reading
arrays (0.08 s), not building them (0.2 s). Node order: scgraph-data's, so the graph is the same.

- ``latlon``: float64 array (nodes, 2), each node's latitude and longitude in degrees, as the package
  holds them (three decimals);
- ``indptr``, ``indices``: int32 arrays, the undirected edges as compressed sparse rows: node ``i``'s
  neighbours are ``indices[indptr[i]:indptr[i + 1]]``, each edge in both directions; self-loops
  dropped (the package's adjacency is symmetric);
- ``weight_mm``: int32 array beside ``indices``, each edge's length in millimetres: the package's
  (its km with three decimals; the length along the track, which can exceed the straight line
  between the edge's nodes), raised to the great circle between its nodes (rounded up to the
  millimetre) where the package's rounding left it below, so that the A* search's great-circle
  heuristic stays admissible;
- ``parts``: int32 array (nodes,), each node's connected part (the least node index it reaches);
- ``meta``: a JSON string: source package and version, build date, counts, licence.

Run, in a development virtual environment (not the project's run-time requirements)::

    .venv/bin/pip install scgraph-data==2.0.0 scgraph==2.15.0
    .venv/bin/python scripts/build_rail_network.py [--out data/networks/world_railways.npz]

``--from-npz FILE`` derives the arrays again from a file this script wrote before (when only the way
they are derived changed), without scgraph-data; the graph and ``meta``'s source stay the same.

Licence: scgraph-data's code is MIT; its railway data is derived from OpenStreetMap,
© OpenStreetMap contributors, available under the Open Database License (ODbL) 1.0
(https://opendatacommons.org/licenses/odbl/). The file this script writes is a derived database and
is therefore ODbL 1.0 too: keep the attribution wherever routes drawn from it are shown.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo.journeys.geodesy import great_circle_km, unit_vectors  # noqa: E402
from geo.journeys.networks import connected_parts, csr_rows  # noqa: E402

OUT = REPO / "data" / "networks" / "world_railways.npz"


def build(out: Path = OUT) -> dict:
    from scgraph_data.world_railways import world_railways_geograph as railways

    latlon = np.asarray(railways.nodes, dtype=np.float64)
    assert latlon.shape == (len(railways.graph), 2)
    metres = {}
    for i, neighbours in enumerate(railways.graph):
        for j, km in neighbours.items():
            if i == j:
                continue
            key = (min(i, j), max(i, j))
            m = int(round(float(km) * 1000))
            if key in metres and metres[key] != m:
                raise ValueError(f"edge {key} has two lengths: {metres[key]} and {m} m")
            metres[key] = m
    keys = sorted(metres)
    edges = np.asarray(keys, dtype=np.int32).reshape(-1, 2)
    edge_m = np.asarray([metres[key] for key in keys], dtype=np.int32)
    meta = {
        "source": "scgraph-data",
        "source_version": importlib.metadata.version("scgraph-data"),
        "graph": "scgraph_data.world_railways.world_railways_geograph",
        "nodes": int(len(latlon)),
        "edges": int(len(edges)),
        "directed_entries": int(sum(len(n) for n in railways.graph)),
        "licence": "ODbL-1.0; data © OpenStreetMap contributors (https://opendatacommons.org/licenses/odbl/)",
    }
    return write(out, latlon, edges, edge_m.astype(np.int64) * 1000, meta)


def write(out: Path, latlon: np.ndarray, edges: np.ndarray, track_mm: np.ndarray, meta: dict) -> dict:
    """Write the searchable arrays of the graph (``edges`` once each as (i, j) with i < j, their
    lengths in millimetres beside them) to ``out``; returns ``meta`` with the build date and the
    file's size."""
    xyz = unit_vectors(latlon)
    straight_mm = np.ceil(great_circle_km(xyz[edges[:, 0]], xyz[edges[:, 1]]) * 1e6)
    weight_mm = np.maximum(track_mm, straight_mm)
    if weight_mm.max(initial=0) > np.iinfo(np.int32).max:
        raise ValueError("an edge is longer than int32 millimetres hold (2,147 km)")
    weight_mm = weight_mm.astype(np.int32)
    indptr, indices, weights = csr_rows(len(latlon), edges, weight_mm)
    meta = {**meta, "built": datetime.date.today().isoformat()}
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        latlon=latlon,
        indptr=indptr.astype(np.int32),
        indices=indices.astype(np.int32),
        weight_mm=weights,
        parts=connected_parts(len(latlon), edges),
        meta=np.array(json.dumps(meta)),
    )
    meta["bytes"] = out.stat().st_size
    return meta


def from_npz(source: Path, out: Path) -> dict:
    """The arrays of ``out`` derived again from a file this script wrote (with ``edges`` and
    ``edge_m``, as before 2026-12-07, or as compressed sparse rows)."""
    with np.load(source, allow_pickle=False) as data:
        latlon, meta = data["latlon"], json.loads(str(data["meta"]))
        if "edges" in data.files:
            edges, track_mm = data["edges"], data["edge_m"].astype(np.int64) * 1000
        else:
            heads = np.repeat(np.arange(len(latlon), dtype=np.int32), np.diff(data["indptr"]))
            once = heads < data["indices"]
            edges = np.stack([heads[once], data["indices"][once]], axis=1)
            track_mm = data["weight_mm"][once].astype(np.int64)  # raised already: raising again keeps them
            order = np.lexsort((edges[:, 1], edges[:, 0]))
            edges, track_mm = edges[order], track_mm[order]
    meta = {key: value for key, value in meta.items() if key not in ("built", "bytes")}
    return write(out, latlon, edges, track_mm, meta)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--from-npz", type=Path, help="derive the arrays again from a file this script wrote")
    arguments = parser.parse_args()
    meta = from_npz(arguments.from_npz, arguments.out) if arguments.from_npz else build(arguments.out)
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
