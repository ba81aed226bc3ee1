"""Which route a leg gets: the router for road and rail, else the offline networks, else none."""

from __future__ import annotations

import socket

from geo.journeys.geodesy import geodesic_path
from geo.journeys.routing import draw_legs, network_route, route_lookup
from geo.model import Leg, Place
from tests.journeys.test_osrm import NO_ROUTE, osrm  # noqa: F401 (osrm: the fake router fixture)

ROSTOCK, TRELLEBORG = (54.0887, 12.1405), (55.3751, 13.1569)
PYONGYANG, VLADIVOSTOK = (39.0339, 125.7543), (43.1056, 131.8735)


def _place(place_id: str, point: tuple[float, float]) -> Place:
    return Place(place_id, place_id, place_id, point[0], point[1], None, "city", 1.0, ())


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"  # free, and nothing listens once the probe is closed


def test_a_leg_without_a_route_keeps_the_router_for_the_next(osrm):  # noqa: F811 (the fixture)
    osrm.answer(400, NO_ROUTE)
    route, failure = network_route(ROSTOCK, TRELLEBORG, "road", osrm.url)
    assert failure is None  # the router works: it only knows no road across the Baltic


def test_a_mode_without_a_network_has_no_route_and_asks_no_router(osrm):  # noqa: F811 (the fixture)
    assert network_route(PYONGYANG, VLADIVOSTOK, "air", osrm.url) == (None, None)
    assert osrm.requests == []


def test_a_router_that_fails_is_warned_of_once_and_its_legs_use_the_offline_networks():
    places = (_place("a", PYONGYANG), _place("b", VLADIVOSTOK))
    legs = (Leg("a", "b", 684.5, "rail", "", 0, 0), Leg("b", "a", 684.5, "rail", "", 0, 0))
    drawn, warnings = draw_legs(legs, places, _closed_port())
    assert len(warnings) == 1 and warnings[0].endswith(": legs are drawn without the router.")
    assert drawn[0].route is not None and drawn[0].route.source == "osm:world_railways"
    assert drawn[0].path == tuple(geodesic_path(PYONGYANG, VLADIVOSTOK))


def test_a_claim_is_measured_along_the_network_of_its_mode():
    lookup = route_lookup()
    km, source = lookup(_place("a", PYONGYANG), _place("b", VLADIVOSTOK), "rail")
    assert source == "osm:world_railways" and 1000 <= km <= 1400
    assert lookup(_place("a", PYONGYANG), _place("b", VLADIVOSTOK), "air") is None


def test_without_a_router_the_offline_networks_answer():
    route, failure = network_route(ROSTOCK, TRELLEBORG, "sea")
    assert failure is None and route.source == "searoute"
