"""Real routes between two points, drawn beside the geodesic: sea lanes and railways offline, roads from
an OSRM server online (opt-in).

Every length is measured on the WGS84 ellipsoid (geodesic, Karney's algorithm via geographiclib, as in
:mod:`geo.journeys.geodesy`): a route's ``km`` is the sum of the geodesics between its points, so it is never
shorter than the geodesic between its ends. A network only chooses which way to go. Paths carry
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
  derived file, ``data/networks/world_railways.npz`` (3.1 MB: 274,974 nodes, 328,750 undirected
  edges; rebuilt by ``scripts/build_rail_network.py``, which alone needs scgraph-data), and searched
  with an A* search in pure Python (great-circle heuristic) over a numpy CSR adjacency; an edge weighs
  the track length scgraph-data gives it (never less than the great circle between its nodes). The
  network is derived from OpenStreetMap: © OpenStreetMap contributors, ODbL 1.0, and so is the file.
  About 0.5 s to load (mostly labelling its connected parts) and 40 MB of memory (65 MB at the peak
  of loading); a route across Eurasia (Lisbon to Vladivostok) takes about 1.2 s to find, Berlin to
  Munich about 0.1 s. Without the file there are no rail routes (a warning is logged).

A point joins a network at the nearest node (on the sphere) that lies in a connected part of the
network reachable from the other point's node; the join is a straight geodesic leg, counted in
``km``. No route (``None``) when a point lies more than :data:`MAX_SNAP_KM` from every such node
(an inland town for ``sea``, an island without railways for ``rail``), when the joining legs make up
more than :data:`MAX_OFF_NETWORK_SHARE` of the route (Kassel to Erfurt "by sea", 250 km to the Elbe
and back), when both points join at the same node (the network adds nothing to the geodesic), or
when the network's package or file is missing.

Online: :func:`osrm_route` asks an OSRM-compatible server that the user names (``--router URL``);
OSRM networks are built from OpenStreetMap data. Only the standard library speaks HTTP here.

Results are cached per process on the points rounded to :data:`ROUND_DIGITS` decimals (about a metre),
so a repeated call costs a dictionary look-up.
"""

from __future__ import annotations

import heapq
import json
import logging
import math
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from http.client import HTTPException

import numpy as np
from geographiclib.geodesic import Geodesic

from geo.errors import NoRoute, RouterError, RouterUnavailable
from geo.lang.rulefiles import DATA_DIR
from geo.model import Route  # km, path (unrolled), source, credit: the one value object for a route
from geo.places.online import (AddressError, Counts, Limits, ResponseCache, ServiceUnavailable, default_cache, gate, host_of,
                     one_line, service_address, user_agent)
from geo.journeys.geodesy import MAX_SEGMENT_KM, geodesic_path

__all__ = ["LatLon", "Route", "RouterError", "RouterUnavailable", "NoRoute", "ROUTER_COUNTS", "MESSAGES", "OfflineNetwork", "OFFLINE_NETWORKS",
           "MAX_SNAP_KM", "MAX_OFF_NETWORK_SHARE", "ROUND_DIGITS", "load_offline_networks", "offline_route", "osrm_route",
           "network_load_seconds"]

LatLon = tuple[float, float]

MAX_SNAP_KM = 300.0  # farther than this from its network, a point has no offline route
MAX_OFF_NETWORK_SHARE = 0.5  # a route whose joining legs are more than this share of it is no route
ROUND_DIGITS = 5  # cache key and route ends: 1e-5 degrees, about a metre
EARTH_RADIUS_KM = 6371.0088  # mean radius; only for choosing nodes and paths, never for a reported length
OSM_CREDIT = "© OpenStreetMap contributors, ODbL"
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
_WGS84 = Geodesic.WGS84
_PROFILE = re.compile(r"[A-Za-z0-9_.-]+")
_log = logging.getLogger(__name__)


# One table of user-facing messages, so the CLI and the dashboard say the same thing.
MESSAGES = {
    "scheme": "The router URL must start with http:// or https:// (got {url!r}).",
    "url": "The router URL {url!r} is not a usable address.",
    "profile": "The router profile must be letters, digits, '_', '.' or '-' (got {profile!r}).",
    "timeout": "The router at {host} did not answer within {timeout:g} s.",
    "unreachable": "The router at {host} cannot be reached ({reason}).",
    "http": "The router at {host} answered HTTP {status}{detail}.",
    "too_big": "The router at {host} sent more than {limit} MB.",
    "no_route": "The router at {host} found no route ({code}{detail}).",
    "malformed": "The router at {host} sent an answer that is not an OSRM route ({reason}).",
}


# ---------------------------------------------------------------------------------------------------
# Offline networks


class _Graph:
    """A loaded network: nodes as unit vectors (for the nearest-node search), the connected part each
    node belongs to, and a shortest-path search from node index to node index."""

    def __init__(self, latlon: Sequence[LatLon], parts: np.ndarray,
                 shortest: Callable[[int, int], list[int] | None]) -> None:
        coords = np.radians(np.asarray(latlon, dtype=np.float64))
        self.latlon = latlon  # as loaded (lists, tuples or an array): no second copy in memory
        self.xyz = _unit_vectors(coords[:, 0], coords[:, 1])
        self.parts = parts
        self.shortest = shortest

    def joins(self, point: LatLon, limit_km: float) -> dict[int, tuple[float, int]]:
        """For each connected part with a node within ``limit_km`` of ``point``: (angle to its
        nearest such node in radians, that node)."""
        lat, lon = np.radians(point)
        cosines = self.xyz @ _unit_vectors(lat, lon)
        near = np.flatnonzero(cosines >= math.cos(limit_km / EARTH_RADIUS_KM))
        near = near[np.argsort(-cosines[near], kind="stable")]
        parts, first = np.unique(self.parts[near], return_index=True)
        return {int(part): (math.acos(min(1.0, float(cosines[near[i]]))), int(near[i]))
                for part, i in zip(parts, first)}

    def node_path(self, a: LatLon, b: LatLon, limit_km: float) -> tuple[list[int], float] | None:
        """The network's node indices from where ``a`` joins to where ``b`` joins, through the
        connected part that keeps the two joining legs shortest, and those legs' length in km (on the
        sphere); None if no part is within reach of both, or both join at one node."""
        joins_a, joins_b = self.joins(a, limit_km), self.joins(b, limit_km)
        shared = joins_a.keys() & joins_b.keys()
        if not shared:
            return None
        part = min(shared, key=lambda p: (joins_a[p][0] + joins_b[p][0], p))
        (angle_a, start), (angle_b, end) = joins_a[part], joins_b[part]
        nodes = self.shortest(start, end) if start != end else None
        return (nodes, (angle_a + angle_b) * EARTH_RADIUS_KM) if nodes else None


def _unit_vectors(lat, lon):
    """Points on the unit sphere for latitudes and longitudes in radians (arrays or scalars)."""
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)


def _connected_parts(neighbours: Sequence[Iterable[int]]) -> np.ndarray:
    """A label per node: nodes with the same label are connected (iterative depth-first search)."""
    labels = np.full(len(neighbours), -1, dtype=np.int32)
    seen = [False] * len(neighbours)
    for seed in range(len(neighbours)):
        if seen[seed]:
            continue
        seen[seed] = True
        stack, members = [seed], []
        while stack:
            node = stack.pop()
            members.append(node)
            for other in neighbours[node]:
                if not seen[other]:
                    seen[other] = True
                    stack.append(other)
        labels[members] = seed
    return labels


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

    parts = _connected_parts([[index[other] for other in marnet[node]] for node in nodes])
    return _Graph([(lat, lon) for lon, lat in nodes], parts, shortest)


RAIL_NETWORK_FILE = DATA_DIR / "networks" / "world_railways.npz"


class _Csr:
    """An undirected graph as compressed sparse rows, held as standard-library arrays (the search reads
    them item by item, which these do far faster than numpy, in a fifth of a list's memory): node
    ``i``'s neighbours are ``indices[indptr[i]:indptr[i + 1]]``, the edges' weights at the same
    positions in ``weights``."""

    def __init__(self, nodes: int, edges: np.ndarray, weights: np.ndarray) -> None:
        heads = np.concatenate([edges[:, 0], edges[:, 1]])
        tails = np.concatenate([edges[:, 1], edges[:, 0]])
        order = np.argsort(heads, kind="stable")
        self.indptr = array("i", np.searchsorted(heads[order], np.arange(nodes + 1)).astype(np.intc).tobytes())
        self.indices = array("i", tails[order].astype(np.intc).tobytes())
        self.weights = array("d", np.concatenate([weights, weights])[order].astype(np.double).tobytes())

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def __getitem__(self, node: int) -> array:  # neighbours, for _connected_parts
        return self.indices[self.indptr[node]:self.indptr[node + 1]]


def _great_circle_km(xyz: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Great-circle km (mean Earth radius) between unit vectors, row by row (or each row to one)."""
    return EARTH_RADIUS_KM * np.arccos(np.clip(np.sum(xyz * others, axis=-1), -1.0, 1.0))


def _astar(csr: _Csr, xyz: np.ndarray, start: int, end: int) -> list[int] | None:
    """The lightest path of node indices from ``start`` to ``end`` (A*: the great-circle km to ``end``
    never exceeds what is left, since no edge weighs less than its great circle), or None."""
    heuristic = array("d", (_great_circle_km(xyz, xyz[end]) * (1 - 1e-9)).astype(np.double).tobytes())
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
    searched with A*. Raises OSError (FileNotFoundError) or ValueError for a missing or broken file."""
    with np.load(RAIL_NETWORK_FILE, allow_pickle=False) as data:
        latlon = np.asarray(data["latlon"], dtype=np.float64)
        edges = np.asarray(data["edges"], dtype=np.int64)
        track_km = np.asarray(data["edge_m"], dtype=np.float64) / 1000
    if latlon.ndim != 2 or latlon.shape[1] != 2 or edges.ndim != 2 or edges.shape[1] != 2 \
            or len(track_km) != len(edges) or (len(edges) and not 0 <= edges.min() <= edges.max() < len(latlon)):
        raise ValueError(f"{RAIL_NETWORK_FILE} is not a network of nodes and edges")
    graph = _Graph(latlon, np.empty(0, dtype=np.int32), lambda start, end: None)
    # The file's lengths are along the track, rounded to the metre; never below the great circle, so
    # the A* heuristic stays admissible (and consistent) whatever the rounding did.
    weights = np.maximum(track_km, _great_circle_km(graph.xyz[edges[:, 0]], graph.xyz[edges[:, 1]]))
    csr = _Csr(len(latlon), edges, weights)
    graph.parts = _connected_parts(csr)
    graph.shortest = lambda start, end: _astar(csr, graph.xyz, start, end)
    return graph


@dataclass(frozen=True)
class OfflineNetwork:
    """A network that ships inside a package: what a route through it is called and credited, and how
    to load it (slow: done once per process, on first use)."""

    source: str
    credit: str
    load: Callable[[], _Graph]


OFFLINE_NETWORKS: dict[str, OfflineNetwork] = {
    "sea": OfflineNetwork("searoute", "Sea lanes: searoute (Eurostat SeaRoute, after ORNL's Global Shipping "
                                      "Lane Network)", _load_sea),
    "rail": OfflineNetwork("osm:world_railways", f"Railways: {OSM_CREDIT} (via scgraph-data)", _load_rail),
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
    return _cached_offline_route(_rounded(a), _rounded(b), mode)


@lru_cache(maxsize=4096)
def _cached_offline_route(a: LatLon, b: LatLon, mode: str) -> Route | None:
    graph = _graph(mode)
    found = graph.node_path(a, b, MAX_SNAP_KM) if graph is not None else None
    if found is None:
        return None
    nodes, joining_km = found
    km, path = _drawable([a, *((float(graph.latlon[n][0]), float(graph.latlon[n][1])) for n in nodes), b])
    if joining_km > km * MAX_OFF_NETWORK_SHARE:  # mostly off the network: Kassel to Erfurt "by sea"
        return None
    network = OFFLINE_NETWORKS[mode]
    return Route(km, path, network.source, network.credit)


def _rounded(point: LatLon) -> LatLon:
    lat, lon = point
    if not (-90 <= lat <= 90 and -math.inf < lon < math.inf):  # also False for NaN
        raise ValueError(f"not a (lat, lon) point: {point!r}")
    return round(lat, ROUND_DIGITS), round(lon, ROUND_DIGITS)


def _drawable(points: Sequence[LatLon]) -> tuple[float, tuple[LatLon, ...]]:
    """The length in km and the drawable path of a polyline: longitudes unrolled from the first point,
    repeated points dropped, segments longer than MAX_SEGMENT_KM densified along their geodesic."""
    path, km = [points[0]], 0.0
    for lat, lon in points[1:]:
        last_lat, last_lon = path[-1]
        here = (lat, lon + 360 * round((last_lon - lon) / 360))  # the copy of lon nearest the last one
        step = _WGS84.Inverse(last_lat, last_lon, *here, Geodesic.DISTANCE)["s12"] / 1000
        if step == 0:
            continue
        if step > MAX_SEGMENT_KM:
            path.extend(geodesic_path(path[-1], here)[1:-1])
        path.append(here)
        km += step
    if len(path) == 1:  # a route between two equal points
        path.append(path[0])
    return km, tuple(path)


# ---------------------------------------------------------------------------------------------------
# OSRM (online, opt-in)


PUBLIC_OSRM_HOSTS = frozenset({"router.project-osrm.org", "routing.openstreetmap.de"})
PUBLIC_DELAY, OWN_SERVER_DELAY = 1.0, 0.1  # the demo servers' policy: one request a second at most
ROUTE_FORMAT = 1                            # part of every cache key: bump when the stored answer changes


ROUTER_COUNTS = Counts()  # this process's OSRM questions: answered from the cache, or asked


def osrm_route(a: LatLon, b: LatLon, url: str, *, profile: str = "driving", timeout: float = 5.0,
               cache: ResponseCache | None = None, limits: Limits | None = None, agent: str | None = None) -> Route:
    """The road route (or whatever the server's ``profile`` routes) from ``a`` to ``b`` as an
    OSRM-compatible server at ``url`` gives it, for users who run or trust such a server.

    ``km`` is the server's ``distance``; the path runs from ``a`` through the server's geometry to
    ``b``. Answers are kept in the disk cache (:mod:`geo.places.online`; ``cache`` None: the default file),
    so the same leg never asks twice; requests keep the server's pace (one a second on the public
    demo servers) and are tried again with backoff on 429 and 5xx. Each is abandoned after about
    ``timeout`` seconds (connecting and each read within it). ``agent`` is the User-Agent (default
    $DATELINE_USER_AGENT, else Dateline's). Raises RouterError for a URL that is not http(s) or a bad
    profile, RouterUnavailable when the server gives no usable route (NoRoute: none exists).
    """
    base = router_address(url)
    if not _PROFILE.fullmatch(profile):
        raise RouterError(MESSAGES["profile"].format(profile=profile))
    if not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    limits = limits or default_limits(base, float(timeout))
    return _cached_osrm_route(_rounded(a), _rounded(b), base, profile, limits,
                              cache if cache is not None else default_cache(), user_agent(agent))


def default_limits(base: str, timeout: float) -> Limits:
    """The pace a router is asked at: the public demo servers' policy, else a self-hosted server's."""
    public = urllib.parse.urlsplit(base).hostname in PUBLIC_OSRM_HOSTS
    return Limits(min_delay=PUBLIC_DELAY if public else OWN_SERVER_DELAY, timeout=timeout)


def router_address(url: str) -> str:
    """A router URL as Dateline asks it (:func:`geo.places.online.service_address`); RouterError when it is
    not http(s) with a host, or carries a query or fragment."""
    try:
        return service_address(url)
    except AddressError as error:
        raise RouterError(MESSAGES[error.kind].format(url=url)) from None


def _cached_osrm_route(a: LatLon, b: LatLon, base: str, profile: str, limits: Limits, cache: ResponseCache,
                       agent: str) -> Route:
    ends = ";".join(f"{_wrap(lon):.6f},{lat:.6f}" for lat, lon in (a, b))
    query = f"{base}/route/v1/{profile}/{ends}?overview=full&geometries=geojson"
    host = host_of(base)

    def ask() -> dict:
        try:
            body = gate("osrm", base, limits).ask(f"The router at {host}", _fetch, query, host, limits.timeout, agent,
                                                  limits=limits, refused=RouterUnavailable)
            km, geometry = _parse_osrm(body, host)
        except NoRoute as error:  # an answer too: asked once
            return {"no_route": str(error)}
        return {"km": km, "points": geometry}

    shown = query.replace(base, f"{urllib.parse.urlsplit(base).scheme}://{host}{urllib.parse.urlsplit(base).path}", 1)
    answer = cache.cached(ResponseCache.key("osrm", base, profile, a, b, ROUTE_FORMAT), "osrm", shown, ask,
                          ROUTER_COUNTS)  # the question as stored: never a password the address may carry
    if "no_route" in answer:
        raise NoRoute(answer["no_route"])
    _, path = _drawable([a, *(tuple(point) for point in answer["points"]), b])
    return Route(answer["km"], path, "osrm", f"Route: OSRM, {OSM_CREDIT}")


def _parse_osrm(body: bytes, host: str) -> tuple[float, list[LatLon]]:
    """The first route's length in km and its (lat, lon) points from an OSRM /route answer."""
    def malformed(reason: str) -> RouterUnavailable:
        return RouterUnavailable(MESSAGES["malformed"].format(host=host, reason=reason))
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise malformed("not JSON") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("code"), str):
        raise malformed("no OSRM code")
    if answer["code"] != "Ok":
        raise _no_route(answer, host)
    try:
        route = answer["routes"][0]
        km = float(route["distance"]) / 1000
        points = [(float(lat), float(lon)) for lon, lat, *_ in route["geometry"]["coordinates"]]
    except (KeyError, IndexError, TypeError, ValueError):
        raise malformed("no routes[0] with distance and GeoJSON coordinates") from None
    if not points or not math.isfinite(km) or km < 0 or not all(
            math.isfinite(lon) and -90 <= lat <= 90 for lat, lon in points):
        raise malformed("a distance or coordinate out of range")
    return km, points


NO_ROUTE_CODES = frozenset({"NoRoute", "NoSegment"})  # OSRM's "there is none"; other codes are errors


def _no_route(answer: dict, host: str) -> RouterUnavailable:
    """The error for an OSRM answer whose code is not Ok: NoRoute (kept in the cache) when it says
    there is no route, a plain RouterUnavailable (asked again next time) for any other code."""
    message = answer.get("message")
    detail = f": {one_line(message)}" if isinstance(message, str) and message.strip() else ""
    kind = NoRoute if answer["code"] in NO_ROUTE_CODES else RouterUnavailable
    return kind(MESSAGES["no_route"].format(host=host, code=one_line(answer["code"])[:40],
                                                         detail=detail))


class _HttpRedirectsOnly(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another http(s) URL (urllib alone would follow one to ftp too)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpRedirectsOnly)


def _fetch(query: str, host: str, timeout: float, agent: str) -> bytes:
    """The body of a GET, read within the deadline; every failure as RouterUnavailable."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(query, headers={"User-Agent": agent, "Accept": "application/json"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return _read(response, deadline, host, timeout)
    except urllib.error.HTTPError as error:
        raise _http_error(error, host, deadline, timeout) from None
    except (OSError, HTTPException, ValueError) as error:  # URLError and TimeoutError are OSErrors
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError) or isinstance(error, TimeoutError):
            raise RouterUnavailable(MESSAGES["timeout"].format(host=host, timeout=timeout)) from None
        raise RouterUnavailable(MESSAGES["unreachable"].format(host=host, reason=one_line(reason))) from None


def _read(response, deadline: float, host: str, timeout: float) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(65536):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise RouterUnavailable(MESSAGES["too_big"].format(host=host, limit=MAX_RESPONSE_BYTES // 2**20))
        if time.monotonic() > deadline:
            raise TimeoutError
    return b"".join(chunks)


def _http_error(error: urllib.error.HTTPError, host: str, deadline: float, timeout: float) -> RouterUnavailable:
    """OSRM answers a query it cannot route with HTTP 400 and a JSON code; other errors by status."""
    try:
        answer = json.loads(_read(error, deadline, host, timeout))
    except (ValueError, UnicodeDecodeError, OSError, HTTPException, RouterUnavailable):
        answer = None
    finally:
        error.close()
    if error.code == 400 and isinstance(answer, dict) and isinstance(answer.get("code"), str) and answer["code"] != "Ok":
        return _no_route(answer, host)
    detail = f" {error.reason}" if isinstance(error.reason, str) and error.reason else ""
    return RouterUnavailable(MESSAGES["http"].format(host=host, status=error.code, detail=detail[:100]),
                             status=error.code, retry_after=_retry_after(error.headers))


def _retry_after(headers) -> float | None:
    """A Retry-After given in seconds (the HTTP-date form is left to the backoff)."""
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _wrap(lon: float) -> float:
    """``lon`` within [-180, 180), as OSRM wants it."""
    return (lon + 180) % 360 - 180
