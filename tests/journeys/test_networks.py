"""Routes along the offline networks: the sea lanes and railways on real pairs (no test needs the network)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from geo.journeys import networks
from geo.journeys.geodesy import MAX_SEGMENT_KM, distance_km, great_circle_km, unit_vectors
from geo.journeys.networks import (
    MAX_OFF_NETWORK_SHARE,
    MAX_RAIL_CIRCUITY,
    MAX_SNAP_KM,
    OFFLINE_NETWORKS,
    OfflineNetwork,
    offline_route,
)
from geo.model import Route

PYONGYANG, VLADIVOSTOK = (39.0339, 125.7543), (43.1056, 131.8735)
BERLIN, MUNICH = (52.5200, 13.4050), (48.1372, 11.5756)
ROSTOCK, TRELLEBORG = (54.0887, 12.1405), (55.3751, 13.1569)
ODESSA, ISTANBUL = (46.4775, 30.7326), (41.0138, 28.9497)
AUCKLAND, HONOLULU = (-36.85, 174.76), (21.31, -157.86)
NOME, ANADYR = (64.50, -165.41), (64.73, 177.51)
ALMATY, BISHKEK = (43.24, 76.95), (42.87, 74.59)  # farther than MAX_SNAP_KM from any sea lane
KASSEL, ERFURT = (51.31, 9.48), (50.98, 11.03)  # within reach of the Elbe, but mostly off it

NAMES = {
    PYONGYANG: "Pyongyang",
    VLADIVOSTOK: "Vladivostok",
    BERLIN: "Berlin",
    MUNICH: "Munich",
    ROSTOCK: "Rostock",
    TRELLEBORG: "Trelleborg",
    ODESSA: "Odessa",
    ISTANBUL: "Istanbul",
    AUCKLAND: "Auckland",
    HONOLULU: "Honolulu",
    NOME: "Nome",
    ANADYR: "Anadyr",
}
OFFLINE_PAIRS = {  # (from, to, mode): plausible km along the network (the geodesic is the floor)
    (PYONGYANG, VLADIVOSTOK, "rail"): (1000, 1400),  # the real line is about 1,100-1,200 km
    (BERLIN, MUNICH, "rail"): (550, 700),
    (ROSTOCK, TRELLEBORG, "sea"): (150, 175),
    (ODESSA, ISTANBUL, "sea"): (620, 720),
    (AUCKLAND, HONOLULU, "sea"): (7050, 8000),
    (NOME, ANADYR, "sea"): (815, 1000),
}


@pytest.fixture(scope="module")
def offline_routes() -> dict[tuple, Route | None]:
    """Each pair routed once (loading the sea and rail networks, about 0.4 s in all)."""
    return {key: offline_route(*key) for key in OFFLINE_PAIRS}


def _same_longitude(lon: float, expected: float) -> bool:
    """``lon`` is ``expected`` or a copy of it shifted by a multiple of 360 (an unrolled end)."""
    return abs((lon - expected + 180) % 360 - 180) < 1e-5


@pytest.mark.parametrize("key", OFFLINE_PAIRS, ids=lambda key: f"{key[2]}-{NAMES[key[0]]}-{NAMES[key[1]]}")
def test_an_offline_route_is_plausible_and_ends_at_its_points(offline_routes, key):
    a, b, mode = key
    route = offline_routes[key]
    assert route is not None
    low, high = OFFLINE_PAIRS[key]
    geodesic = distance_km(a, b)
    assert geodesic <= route.km < 2.5 * geodesic
    assert low <= route.km <= high
    assert route.path[0] == pytest.approx(a, abs=1e-5)
    assert route.path[-1][0] == pytest.approx(b[0], abs=1e-5) and _same_longitude(route.path[-1][1], b[1])
    longitudes = [lon for _, lon in route.path]
    assert max(abs(second - first) for first, second in zip(longitudes, longitudes[1:])) < 180


@pytest.mark.parametrize("key", OFFLINE_PAIRS, ids=lambda key: f"{key[2]}-{NAMES[key[0]]}-{NAMES[key[1]]}")
def test_an_offline_route_is_drawn_in_short_segments_and_measured_along_them(offline_routes, key):
    path = offline_routes[key].path
    steps = [distance_km(first, second) for first, second in zip(path, path[1:])]
    assert max(steps) <= MAX_SEGMENT_KM + 1e-6  # long ocean legs are densified along their geodesic
    assert sum(steps) == pytest.approx(offline_routes[key].km, rel=1e-9)


def test_routes_across_the_antimeridian_are_unrolled(offline_routes):
    pacific = offline_routes[AUCKLAND, HONOLULU, "sea"]
    assert pacific.path[-1][1] == pytest.approx(HONOLULU[1] + 360, abs=1e-5)  # 202.14, not -157.86
    assert all(170 < lon < 210 for _, lon in pacific.path)
    bering = offline_routes[NOME, ANADYR, "sea"]
    assert bering.path[-1][1] == pytest.approx(ANADYR[1] - 360, abs=1e-5)  # westwards from Nome: -182.49
    assert all(-190 < lon < -160 for _, lon in bering.path)


def test_the_way_back_is_as_long_and_unrolled_from_its_own_start():
    back = offline_route(ANADYR, NOME, "sea")
    there = offline_route(NOME, ANADYR, "sea")
    assert back.km == pytest.approx(there.km, rel=1e-6)
    assert back.path[0] == ANADYR and back.path[-1][1] == pytest.approx(NOME[1] + 360, abs=1e-5)


def test_routes_name_their_network_and_its_credit(offline_routes):
    rail = offline_routes[PYONGYANG, VLADIVOSTOK, "rail"]
    sea = offline_routes[ROSTOCK, TRELLEBORG, "sea"]
    assert rail.source == "osm:world_railways" and "OpenStreetMap" in rail.credit and "ODbL" in rail.credit
    assert sea.source == "searoute" and "searoute" in sea.credit
    assert isinstance(rail, Route)


@pytest.mark.parametrize("mode", ["air", "road", "unknown", "", "Sea"])
def test_modes_without_an_offline_network_have_no_route(mode):
    assert offline_route(BERLIN, MUNICH, mode) is None


def test_a_sea_route_between_inland_points_is_none():
    assert distance_km(ALMATY, (46.0, 60.0)) > MAX_SNAP_KM  # the Aral Sea side of Kazakhstan is farther
    assert offline_route(ALMATY, BISHKEK, "sea") is None  # no sea lane within MAX_SNAP_KM
    assert offline_route(KASSEL, ERFURT, "sea") is None  # 500 km of joining legs to 12 km of the Elbe


def test_points_that_join_the_network_at_one_node_have_no_route():
    assert offline_route(TRELLEBORG, (55.3760, 13.1580), "sea") is None  # the network adds nothing here
    assert offline_route(BERLIN, BERLIN, "rail") is None


def test_a_railway_that_runs_round_a_gap_in_the_data_is_no_route():
    """The network lacks the Øresund line: its way from Berlin to Stockholm runs through Minsk and
    Finland, nearly four times the straight line; the map draws the geodesic instead."""
    stockholm = (59.3293, 18.0686)
    assert offline_route(BERLIN, stockholm, "rail") is None
    berlin_munich = offline_route(BERLIN, MUNICH, "rail")
    assert berlin_munich is not None and berlin_munich.km < MAX_RAIL_CIRCUITY * distance_km(BERLIN, MUNICH)
    assert OFFLINE_NETWORKS["sea"].max_circuity == float("inf")  # a ship rounds a continent


def test_the_off_network_share_is_documented():
    assert 0 < MAX_OFF_NETWORK_SHARE < 1 and MAX_SNAP_KM == 300.0
    assert "MAX_SNAP_KM" in networks.__doc__ and "MAX_OFF_NETWORK_SHARE" in networks.__doc__


def test_a_repeated_route_comes_from_the_cache(offline_routes):
    first = offline_route(ROSTOCK, TRELLEBORG, "sea")
    assert offline_route(ROSTOCK, TRELLEBORG, "sea") is first
    assert offline_route((54.088701, 12.140499), TRELLEBORG, "sea") is first  # rounded to about a metre
    started = time.perf_counter()
    for _ in range(1000):
        offline_route(PYONGYANG, VLADIVOSTOK, "rail")
    assert (time.perf_counter() - started) / 1000 < 0.001  # microseconds each (a generous bound for CI)


def test_each_network_loads_once_and_says_how_long_it_took(offline_routes):
    seconds = networks.network_load_seconds()
    assert set(seconds) >= {"sea", "rail"} and all(value > 0 for value in seconds.values())


def test_a_missing_network_package_means_no_route(monkeypatch):
    def missing():
        raise ImportError("No module named 'not_installed'")

    monkeypatch.setitem(OFFLINE_NETWORKS, "test-missing-package", OfflineNetwork("none", "", missing))
    assert offline_route(BERLIN, MUNICH, "test-missing-package") is None


def test_the_rail_network_file_holds_the_whole_graph_ready_to_search():
    with np.load(networks.RAIL_NETWORK_FILE, allow_pickle=False) as data:
        latlon, indptr, indices = data["latlon"], data["indptr"], data["indices"]
        weight_mm, parts, meta = data["weight_mm"], data["parts"], json.loads(str(data["meta"]))
    nodes = len(latlon)
    assert latlon.shape == (274_974, 2) and indptr.shape == (nodes + 1,) and indices.shape == (2 * 328_750,)
    assert indptr[0] == 0 and indptr[-1] == len(indices) and (np.diff(indptr) >= 0).all()
    heads = np.repeat(np.arange(nodes), np.diff(indptr))
    assert (heads != indices).all()  # no self-loops
    forward = heads.astype(np.int64) * nodes + indices
    backward = indices.astype(np.int64) * nodes + heads
    assert len(np.unique(forward)) == len(forward)  # each direction of each edge once
    assert np.array_equal(np.sort(forward), np.sort(backward))  # and both directions, at one weight:
    assert np.array_equal(weight_mm[np.argsort(forward)], weight_mm[np.argsort(backward)])
    xyz = unit_vectors(latlon)
    assert (weight_mm / 1e6 >= great_circle_km(xyz[heads], xyz[indices])).all()  # the A* heuristic is admissible
    once = heads < indices
    assert np.array_equal(parts, networks.connected_parts(nodes, np.stack([heads[once], indices[once]], axis=1)))
    assert (np.abs(latlon[:, 0]) <= 90).all() and (np.abs(latlon[:, 1]) <= 180).all()
    assert meta["source"] == "scgraph-data" and meta["nodes"] == 274_974 and "ODbL" in meta["licence"]
    assert networks.RAIL_NETWORK_FILE.stat().st_size < 8 * 2**20


def test_a_network_file_with_rows_out_of_range_is_broken(monkeypatch, tmp_path):
    with np.load(networks.RAIL_NETWORK_FILE, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["indices"] = arrays["indices"].copy()
    arrays["indices"][7] = len(arrays["latlon"])  # a neighbour that is no node
    np.savez(tmp_path / "rows.npz", **arrays)
    monkeypatch.setattr(networks, "RAIL_NETWORK_FILE", tmp_path / "rows.npz")
    with pytest.raises(ValueError, match="not a network"):
        networks._load_rail()


def test_rail_routes_need_neither_scgraph_nor_scgraph_data():
    code = (
        "import sys; sys.modules['scgraph'] = None; sys.modules['scgraph_data'] = None\n"
        "from geo.journeys.networks import offline_route\n"
        f"route = offline_route({BERLIN}, {MUNICH}, 'rail')\n"
        "assert not [name for name in sys.modules if name.startswith('scgraph')\n"
        "            and sys.modules[name] is not None]\n"
        "print(route.source, round(route.km))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(networks.__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    source, km = done.stdout.split()
    assert source == "osm:world_railways" and 550 <= int(km) <= 700


def test_a_missing_network_file_means_no_rail_route(monkeypatch, tmp_path):
    monkeypatch.setattr(networks, "RAIL_NETWORK_FILE", tmp_path / "absent.npz")
    with pytest.raises(FileNotFoundError):
        networks._load_rail()
    monkeypatch.setitem(
        OFFLINE_NETWORKS, "test-missing-file", OfflineNetwork("none", "", OFFLINE_NETWORKS["rail"].load)
    )
    assert offline_route(BERLIN, MUNICH, "test-missing-file") is None
    (tmp_path / "broken.npz").write_bytes(b"not a zip file")
    monkeypatch.setattr(networks, "RAIL_NETWORK_FILE", tmp_path / "broken.npz")
    networks._cached_offline_route.cache_clear()
    monkeypatch.setitem(OFFLINE_NETWORKS, "test-broken-file", OfflineNetwork("none", "", networks._load_rail))
    assert offline_route(BERLIN, MUNICH, "test-broken-file") is None


def test_the_rail_search_finds_the_lightest_path_on_a_small_graph():
    latlon = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 2.0], [5.0, 5.0]])
    xyz = unit_vectors(latlon)
    edges = np.array([[0, 1], [1, 3], [0, 2], [2, 3]])
    direct = great_circle_km(xyz[edges[:, 0]], xyz[edges[:, 1]])
    csr = networks._Csr.from_edges(len(latlon), edges, np.maximum(direct * [1, 2, 1, 1], direct))  # 1-3 is a long curve
    assert networks._astar(csr, xyz, 0, 3) == [0, 2, 3]  # 314 km, not 111 + 222 straight on
    assert networks._astar(csr, xyz, 3, 0) == [3, 2, 0]
    assert networks._astar(csr, xyz, 0, 1) == [0, 1]
    assert networks._astar(csr, xyz, 0, 4) is None  # node 4 has no edges
    assert list(networks.connected_parts(len(latlon), edges)) == [0, 0, 0, 0, 4]


@pytest.mark.parametrize("seed", range(20))
def test_connected_parts_label_each_node_with_the_least_node_it_reaches(seed):
    import networkx

    rng = np.random.default_rng(seed)
    nodes = int(rng.integers(1, 300))
    edges = rng.integers(0, nodes, size=(int(rng.integers(0, 2 * nodes)), 2))
    graph = networkx.Graph()
    graph.add_nodes_from(range(nodes))
    graph.add_edges_from(map(tuple, edges))
    expected = np.empty(nodes, dtype=np.int32)
    for component in networkx.connected_components(graph):
        expected[list(component)] = min(component)
    assert np.array_equal(networks.connected_parts(nodes, edges), expected)


@pytest.mark.parametrize("point", [(91.0, 0.0), (float("nan"), 0.0), (0.0, float("inf"))])
def test_a_point_that_is_no_point_is_refused(point):
    with pytest.raises(ValueError):
        offline_route(point, BERLIN, "rail")
