"""Real routes between two points, drawn beside the geodesic: the offline sea lanes and railways.

Every length is measured on the WGS84 ellipsoid (geodesic, as in :mod:`geo.journeys.geodesy`; a
route's thousands of points at once, :func:`geo.journeys.geodesy.geodesic_lengths_km`): a route's
``km`` is the sum of the geodesics between its points, so it is never shorter than the geodesic
between its ends. A network only chooses which way to go. Paths carry
unrolled longitudes like :func:`geo.journeys.geodesy.geodesic_path` (continuous, possibly outside [-180, 180]),
and a segment longer than :data:`geo.journeys.geodesy.MAX_SEGMENT_KM` is densified along its geodesic, so a map
draws the short way across the antimeridian and a long ocean leg as the curve it is.

Offline networks (:data:`OFFLINE_NETWORKS`), each loaded lazily, once per process:

- ``sea``: the maritime network that ``searoute`` ships (code Apache-2.0): Eurostat's SeaRoute
  network (EUPL-1.2), itself based on Oak Ridge National Laboratory's Global Shipping Lane Network
  (2000) and lines from AIS data; the network file carries no licence of its own. Passages that
  searoute closes by default (the Northwest Passage) stay closed. About 0.4 s to load (mostly
  importing networkx) and 30 MB of memory.
- ``rail``: the world railway network of ``scgraph-data`` 2.0.0 (code MIT), shipped as a compact
  derived file, ``data/networks/world_railways.npz`` (4.3 MB: 274,974 nodes, 328,750 undirected
  edges, stored ready to search: compressed sparse rows, weights, connected parts; rebuilt by
  ``scripts/build_rail_network.py``, which alone needs scgraph-data), and searched with an A* search
  in pure Python (great-circle heuristic) over that adjacency; an edge weighs the track length
  scgraph-data gives it (never less than the great circle between its nodes). The network is derived
  from OpenStreetMap: © OpenStreetMap contributors, ODbL 1.0, and so is the file. About 0.08 s to
  load (reading the arrays) and 40 MB of memory; a route across Eurasia (Lisbon to Vladivostok)
  takes about 0.17 s to find, Berlin to Munich about 0.02 s, Berlin to Hanover 0.007 s. Without the
  file there are no rail routes (a warning is logged).

A point joins a network at the nearest node (on the sphere, :func:`geo.journeys.geodesy.great_circle_km`)
that lies in a connected part of the network reachable from the other point's node; the join is a
straight geodesic leg, counted in ``km``. No route (``None``) when a point lies more than
:data:`MAX_SNAP_KM` from every such node (an inland town for ``sea``, an island without railways for
``rail``), when the joining legs make up more than :data:`MAX_OFF_NETWORK_SHARE` of the route (Kassel
to Erfurt "by sea", 250 km to the Elbe and back), when a railway is more than
:data:`MAX_RAIL_CIRCUITY` times the straight line (a link the data lacks), when both points join at
the same node (the network adds nothing to the geodesic), or when the network's package or file is
missing.

Results are cached per process on the points rounded to :data:`geo.journeys.geodesy.ROUND_DIGITS`
decimals (about a metre), so a repeated call costs a dictionary look-up.
"""

from __future__ import annotations

import heapq
import logging
import math
import threading
import time
import zipfile
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from geo.journeys.geodesy import EARTH_RADIUS_KM, great_circle_km, polyline_path, rounded_point, unit_vectors
from geo.lang.registry import DATA_DIR
from geo.model import LatLon, Route  # Route: km, path (unrolled), source, credit: the one value object for a route

__all__ = [
    "OfflineNetwork",
    "OFFLINE_NETWORKS",
    "MAX_SNAP_KM",
    "MAX_OFF_NETWORK_SHARE",
    "MAX_RAIL_CIRCUITY",
    "OSM_CREDIT",
    "RAIL_NETWORK_FILE",
    "load_offline_networks",
    "offline_route",
    "network_load_seconds",
]

MAX_SNAP_KM = 300.0  # farther than this from its network, a point has no offline route
MAX_OFF_NETWORK_SHARE = 0.5  # a route whose joining legs are more than this share of it is no route
# Railways between two towns are seldom half as long again as the straight line; one more than this
# many times as long runs round a link the network lacks (Berlin to Stockholm through Minsk and
# Finland, 3,000 km for 810: the Øresund line is missing), and is no route. Sea lanes have no such
# bound: a ship rounds a continent.
MAX_RAIL_CIRCUITY = 2.5
OSM_CREDIT = "© OpenStreetMap contributors, ODbL"
_log = logging.getLogger(__name__)


class _Graph:
    """A loaded network: nodes as (lat, lon) and as unit vectors (for the nearest-node search and the
    A* heuristic), the connected part each node belongs to, and a shortest-path search from node
    index to node index."""

    def __init__(
        self, latlon: np.ndarray | Sequence[LatLon], parts: np.ndarray, shortest: Callable[[int, int], list[int] | None]
    ) -> None:
        self.latlon = latlon  # as loaded (lists, tuples or an array): no second copy in memory
        self.xyz = unit_vectors(latlon)
        self.parts = parts
        self.shortest = shortest

    def joins(self, point: LatLon, limit_km: float) -> dict[int, tuple[float, int]]:
        """For each connected part with a node within ``limit_km`` of ``point``: (great-circle km to
        its nearest such node, that node). Only the nodes whose cosine to the point passes the limit's
        are measured (a matrix product over all nodes takes a tenth of measuring them all)."""
        cosines = self.xyz @ unit_vectors(point)  # the nodes within reach first, by their cosine alone
        near = np.flatnonzero(cosines >= math.cos(min(limit_km / EARTH_RADIUS_KM, math.pi)) - 1e-12)
        km = great_circle_km(self.xyz[near], unit_vectors(point))
        keep = km <= limit_km
        near, km = near[keep], km[keep]
        order = np.argsort(km, kind="stable")
        near, km = near[order], km[order]
        parts, first = np.unique(self.parts[near], return_index=True)
        return {int(part): (float(km[i]), int(near[i])) for part, i in zip(parts, first)}

    def node_path(self, a: LatLon, b: LatLon, limit_km: float) -> tuple[list[int], float] | None:
        """The network's node indices from where ``a`` joins to where ``b`` joins, through the
        connected part that keeps the two joining legs shortest, and those legs' length in km (on the
        sphere); None if no part is within reach of both, or both join at one node."""
        joins_a, joins_b = self.joins(a, limit_km), self.joins(b, limit_km)
        shared = joins_a.keys() & joins_b.keys()
        if not shared:
            return None
        part = min(shared, key=lambda p: (joins_a[p][0] + joins_b[p][0], p))
        (km_a, start), (km_b, end) = joins_a[part], joins_b[part]
        nodes = self.shortest(start, end) if start != end else None
        return (nodes, km_a + km_b) if nodes else None


def connected_parts(nodes: int, edges: np.ndarray) -> np.ndarray:
    """A label per node: the smallest index of the nodes it is connected to (so two nodes are
    connected when their labels are equal). Vectorised: each round hooks every edge's larger label
    onto its smaller one, then follows labels to their roots (pointer jumping), so it takes a few
    dozen passes over the edges, not one Python step per node (0.2 s for the world's railways)."""
    labels = np.arange(nodes, dtype=np.int64)
    heads, tails = (edges[:, 0], edges[:, 1]) if len(edges) else (np.empty(0, np.int64), np.empty(0, np.int64))
    while True:
        low = np.minimum(labels[heads], labels[tails])
        before = labels.copy()
        np.minimum.at(labels, labels[heads], low)
        np.minimum.at(labels, labels[tails], low)
        while True:  # every node straight to its root
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(labels, before):
            return labels.astype(np.int32)


def _load_sea() -> _Graph:
    """searoute's maritime network (Marnet on networkx), with its default closed passages."""
    import networkx
    import searoute

    marnet = searoute.setup_M()  # built once per process by searoute itself (lru_cache)
    nodes = list(marnet.nodes)  # (lon, lat) tuples; some longitudes lie beyond ±180
    index = {node: i for i, node in enumerate(nodes)}

    def shortest(start: int, end: int) -> list[int] | None:
        try:
            length, path = marnet.shortest_path(nodes[start], nodes[end])
        except (networkx.NetworkXNoPath, networkx.NodeNotFound):
            return None
        return None if not path or math.isinf(length) else [index[node] for node in path]

    edges = np.array([(index[a], index[b]) for a, b in marnet.edges()], dtype=np.int64).reshape(-1, 2)
    parts = connected_parts(len(nodes), edges)
    return _Graph([(lat, lon) for lon, lat in nodes], parts, shortest)


RAIL_NETWORK_FILE = DATA_DIR / "networks" / "world_railways.npz"


class _Csr:
    """An undirected graph as compressed sparse rows, held as standard-library arrays (the search reads
    them item by item, which these do far faster than numpy, in a fifth of a list's memory): node
    ``i``'s neighbours are ``indices[indptr[i]:indptr[i + 1]]``, the edges' weights at the same
    positions in ``weights``."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray) -> None:
        self.indptr = array("i", np.asarray(indptr, dtype=np.intc).tobytes())
        self.indices = array("i", np.asarray(indices, dtype=np.intc).tobytes())
        self.weights = array("d", np.asarray(weights, dtype=np.double).tobytes())

    @classmethod
    def from_edges(cls, nodes: int, edges: np.ndarray, weights: np.ndarray) -> _Csr:
        """The graph of ``nodes`` nodes whose undirected ``edges`` (pairs of node indices) weigh ``weights``."""
        return cls(*csr_rows(nodes, edges, weights))


def csr_rows(nodes: int, edges: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The undirected ``edges`` (pairs of node indices) of a graph of ``nodes`` nodes as compressed
    sparse rows, each edge in both directions: ``indptr`` (nodes + 1 offsets), ``indices`` (each row's
    neighbours, in the order of ``edges``) and the edges' ``weights`` beside them."""
    heads = np.concatenate([edges[:, 0], edges[:, 1]])
    order = np.argsort(heads, kind="stable")
    indptr = np.searchsorted(heads[order], np.arange(nodes + 1))
    return indptr, np.concatenate([edges[:, 1], edges[:, 0]])[order], np.concatenate([weights, weights])[order]


def _astar(csr: _Csr, xyz: np.ndarray, start: int, end: int) -> list[int] | None:
    """The lightest path of node indices from ``start`` to ``end`` (A*: the great-circle km to ``end``
    never exceeds what is left, since no edge weighs less than its great circle), or None."""
    heuristic = array("d", (great_circle_km(xyz, xyz[end]) * (1 - 1e-9)).astype(np.double).tobytes())
    indptr, indices, weights = csr.indptr, csr.indices, csr.weights
    best, came_from = {start: 0.0}, {start: -1}
    queue = [(heuristic[start], 0.0, start)]
    pop, push, inf = heapq.heappop, heapq.heappush, math.inf
    while queue:
        _, cost, node = pop(queue)
        if node == end:
            path = [end]
            while (node := came_from[node]) != -1:
                path.append(node)
            return path[::-1]
        if cost > best[node]:  # a stale entry: the node was reached more cheaply since
            continue
        low, high = indptr[node], indptr[node + 1]
        for other, weight in zip(indices[low:high], weights[low:high]):
            total = cost + weight
            if total < best.get(other, inf):
                best[other] = total
                came_from[other] = node
                push(queue, (total + heuristic[other], total, other))
    return None


def _load_rail() -> _Graph:
    """The world railways (OpenStreetMap, via scgraph-data) from the derived file that Dateline ships,
    searched with A*. The file holds the graph ready to search (see ``scripts/build_rail_network.py``):
    compressed sparse rows, weights never below the great circle, connected parts labelled. Raises
    OSError (FileNotFoundError) or ValueError for a missing or broken file."""
    with np.load(RAIL_NETWORK_FILE, allow_pickle=False) as data:
        latlon = np.asarray(data["latlon"], dtype=np.float64)
        indptr, indices = np.asarray(data["indptr"]), np.asarray(data["indices"])
        weight_mm, parts = np.asarray(data["weight_mm"]), np.asarray(data["parts"], dtype=np.int32)
    nodes = len(latlon)
    if (
        latlon.ndim != 2
        or latlon.shape[1:] != (2,)
        or indptr.shape != (nodes + 1,)
        or indices.ndim != 1
        or weight_mm.shape != indices.shape
        or parts.shape != (nodes,)
        or indptr[0] != 0
        or indptr[-1] != len(indices)
        or (np.diff(indptr) < 0).any()
        or (len(indices) and not 0 <= indices.min() <= indices.max() < nodes)
        or (weight_mm < 0).any()
    ):
        raise ValueError(f"{RAIL_NETWORK_FILE} is not a network of nodes and edges")
    graph = _Graph(latlon, parts, lambda start, end: None)
    # The file's weights are millimetres along the track, raised to the great circle between the
    # edge's nodes (rounded up), so the A* heuristic stays admissible (and consistent).
    csr = _Csr(indptr, indices, weight_mm / 1e6)
    graph.shortest = lambda start, end: _astar(csr, graph.xyz, start, end)
    return graph


@dataclass(frozen=True)
class OfflineNetwork:
    """A network that ships inside a package: what a route through it is called and credited, and how
    to load it (slow: done once per process, on first use)."""

    source: str
    credit: str
    load: Callable[[], _Graph]
    max_circuity: float = math.inf  # a route longer than this times the straight line is a gap in the data


OFFLINE_NETWORKS: dict[str, OfflineNetwork] = {
    "sea": OfflineNetwork(
        "searoute", "Sea lanes: searoute (Eurostat SeaRoute, after ORNL's Global Shipping Lane Network)", _load_sea
    ),
    "rail": OfflineNetwork(
        "osm:world_railways", f"Railways: {OSM_CREDIT} (via scgraph-data)", _load_rail, MAX_RAIL_CIRCUITY
    ),
}

_LOAD_LOCK = threading.Lock()
_LOAD_SECONDS: dict[str, float] = {}


def network_load_seconds() -> dict[str, float]:
    """How long each offline network took to load in this process (absent: not loaded yet), so that
    benchmarks and the dashboard can tell a slow first route from a slow router."""
    return dict(_LOAD_SECONDS)


def load_offline_networks() -> dict[str, bool]:
    """Load every offline network now rather than on the first leg that needs it (a server warming
    up); returns which loaded."""
    return {mode: _graph(mode) is not None for mode in OFFLINE_NETWORKS}


def _graph(mode: str) -> _Graph | None:
    with _LOAD_LOCK:  # one load per process even when threads (Streamlit) ask at once
        return _loaded_graph(mode)


@cache
def _loaded_graph(mode: str) -> _Graph | None:
    started = time.perf_counter()
    try:
        graph = OFFLINE_NETWORKS[mode].load()
    except ImportError as error:  # the package is optional: Dateline falls back to the geodesic
        _log.info("no offline %s routes: %s", mode, error)
        return None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:  # a network file missing or broken
        _log.warning("no offline %s routes: %s", mode, error)
        return None
    _LOAD_SECONDS[mode] = time.perf_counter() - started
    return graph


def offline_route(a: LatLon, b: LatLon, mode: str) -> Route | None:
    """The route from ``a`` to ``b`` through the offline network for ``mode`` (sea lanes for "sea",
    world railways for "rail"), so a map can show the way a ship or train goes instead of the geodesic.

    None when the mode has no offline network (air, road, unknown), the network's package is missing,
    a point lies more than MAX_SNAP_KM from the network, the legs that join the network are more than
    MAX_OFF_NETWORK_SHARE of the route, or the network finds no route.
    """
    if mode not in OFFLINE_NETWORKS:
        return None
    return _cached_offline_route(rounded_point(a), rounded_point(b), mode)


@lru_cache(maxsize=4096)
def _cached_offline_route(a: LatLon, b: LatLon, mode: str) -> Route | None:
    graph = _graph(mode)
    found = graph.node_path(a, b, MAX_SNAP_KM) if graph is not None else None
    if found is None:
        return None
    nodes, joining_km = found
    km, path = polyline_path([a, *((float(graph.latlon[n][0]), float(graph.latlon[n][1])) for n in nodes), b])
    if joining_km > km * MAX_OFF_NETWORK_SHARE:  # mostly off the network: Kassel to Erfurt "by sea"
        return None
    network = OFFLINE_NETWORKS[mode]
    if km > network.max_circuity * float(great_circle_km(unit_vectors(a), unit_vectors(b))):
        return None  # round a gap in the network's data
    return Route(km, path, network.source, network.credit)
