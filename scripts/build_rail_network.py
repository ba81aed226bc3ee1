"""Build ``data/networks/world_railways.npz``, the railway network that :mod:`geo.journeys.networks` routes rail
legs through, from the ``scgraph-data`` package.

A developer tool: nothing in setup, the tests or CI runs it, and nothing outside this script imports
``scgraph`` or ``scgraph_data`` (installed, scgraph-data is about 300 MB and byte-compiling it needs
gigabytes of memory). The derived file is a few megabytes and needs only numpy to read.

What it writes (``numpy.savez_compressed``), keeping scgraph-data's node order so the graph is the same:

- ``latlon``: float64 array (nodes, 2), each node's latitude and longitude in degrees, as the package
  holds them (three decimals);
- ``edges``: int32 array (edges, 2), each undirected edge once as (i, j) with i < j, sorted; self-loops
  and the second direction of each edge dropped (the package's adjacency is symmetric);
- ``edge_m``: int32 array (edges,), each edge's length in metres as the package gives it (its km
  with three decimals; the length along the track, which can exceed the straight line between the
  edge's nodes);
- ``meta``: a JSON string: source package and version, build date, counts, licence.

Run, in a development virtual environment (not the project's run-time requirements)::

    .venv/bin/pip install scgraph-data==2.0.0 scgraph==2.15.0
    .venv/bin/python scripts/build_rail_network.py [--out data/networks/world_railways.npz]

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
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "data" / "networks" / "world_railways.npz"


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
        "built": datetime.date.today().isoformat(),
        "nodes": int(len(latlon)),
        "edges": int(len(edges)),
        "directed_entries": int(sum(len(n) for n in railways.graph)),
        "licence": "ODbL-1.0; data © OpenStreetMap contributors (https://opendatacommons.org/licenses/odbl/)",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, latlon=latlon, edges=edges, edge_m=edge_m, meta=np.array(json.dumps(meta)))
    meta["bytes"] = out.stat().st_size
    return meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    print(json.dumps(build(parser.parse_args().out), indent=2))


if __name__ == "__main__":
    main()
