"""Distances and drawable paths between places, on the WGS84 ellipsoid.

Distances are geodesic (``geopy.distance.geodesic``, Karney's algorithm via geographiclib). A
path is the geodesic densified into short segments, each at most ``max_km`` long and spanning at
most ``max_degrees`` of latitude or longitude, so that a map draws it as the curve it is.
Longitudes along a path are *unrolled*: they change continuously and may leave [-180, 180]
(Anadyr to Nome goes from 177.5 to 194.6, not to -165.4), so that Leaflet draws the short way across
the antimeridian instead of a line around the world. :func:`split_at_antimeridian` turns such a
path into pieces within [-180, 180] for formats that need them (GeoJSON, RFC 7946 section 3.1.9).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from geographiclib.geodesic import Geodesic
from geopy.distance import geodesic

from geo.model import LatLon, Leg, Place, Route

__all__ = ["distance_km", "geodesic_path", "split_at_antimeridian", "distance_table", "network_route", "route_lookup", "draw_legs",
           "MAX_SEGMENT_KM", "MAX_SEGMENT_DEGREES", "ROUTER_MODES"]

MAX_SEGMENT_KM = 50.0
MAX_SEGMENT_DEGREES = 1.0
MIN_STEP_M = 100.0  # segments are not refined below this (a pole turns longitude in no distance)
_WGS84 = Geodesic.WGS84
_LINE_CAPS = Geodesic.LATITUDE | Geodesic.LONGITUDE | Geodesic.DISTANCE_IN
_POSITION_MASK = Geodesic.LATITUDE | Geodesic.LONGITUDE | Geodesic.LONG_UNROLL



def distance_km(a: LatLon, b: LatLon) -> float:
    """The geodesic distance between two (lat, lon) points in kilometres.

    >>> round(distance_km((39.0339, 125.7543), (43.1056, 131.8735)), 1)  # Pyongyang - Vladivostok
    684.5
    """
    return _distance_km(tuple(a), tuple(b))


@lru_cache(maxsize=4096)
def _distance_km(a: LatLon, b: LatLon) -> float:
    """Cached: legs, claims and distance tables ask for the same pairs, and each costs 0.3 ms."""
    return geodesic(a, b).km


def geodesic_path(a: LatLon, b: LatLon, *, max_km: float = MAX_SEGMENT_KM,
                  max_degrees: float = MAX_SEGMENT_DEGREES) -> list[LatLon]:
    """The geodesic from ``a`` to ``b`` as (lat, lon) points with unrolled longitudes: the first is
    ``a``, the last is ``b`` with its longitude shifted by a multiple of 360 where the path crosses
    the antimeridian. No segment is longer than ``max_km``; none spans more than ``max_degrees`` of
    latitude or longitude unless it is shorter than ``MIN_STEP_M`` (which happens only close to a
    pole, where longitude turns fast).

    >>> path = geodesic_path((64.73, 177.51), (64.50, -165.41))  # Anadyr - Nome
    >>> path[0], (round(path[-1][0], 2), round(path[-1][1], 2))
    ((64.73, 177.51), (64.5, 194.59))
    """
    return list(_geodesic_path(tuple(a), tuple(b), max_km, max_degrees))


@lru_cache(maxsize=256)
def _geodesic_path(a: LatLon, b: LatLon, max_km: float, max_degrees: float) -> tuple[LatLon, ...]:
    """:func:`geodesic_path`, cached: a path costs about 40 microseconds a point (geographiclib), and
    articles keep travelling between the same places."""
    line = _WGS84.InverseLine(a[0], a[1], b[0], b[1], _LINE_CAPS)
    length = line.s13
    pieces = max(1, math.ceil(length / 1000 / max_km))
    marks = [length * step / pieces for step in range(pieces + 1)]
    points = [a] + [_position(line, mark) for mark in marks[1:]]
    path = [a]
    for index in range(pieces):  # refine where the degree bound fails (longitude races near a pole)
        pending = [(marks[index], points[index], marks[index + 1], points[index + 1])]
        while pending:
            start, first, end, last = pending.pop()
            span = max(abs(last[0] - first[0]), abs(last[1] - first[1]))
            if span <= max_degrees or end - start <= MIN_STEP_M:
                path.append(last)
                continue
            steps = min(math.ceil(span / max_degrees), 64)
            cuts = [start + (end - start) * k / steps for k in range(steps + 1)]
            inner = [first] + [_position(line, cut) for cut in cuts[1:-1]] + [last]
            pending.extend(reversed([(cuts[k], inner[k], cuts[k + 1], inner[k + 1]) for k in range(steps)]))
    return tuple(path)


def _position(line, distance_m: float) -> LatLon:
    where = line.Position(distance_m, _POSITION_MASK)
    return where["lat2"], where["lon2"]


def split_at_antimeridian(path: Sequence[LatLon]) -> list[list[LatLon]]:
    """An unrolled path as pieces whose longitudes lie within [-180, 180], cut where it crosses the
    antimeridian (the crossing point interpolated and repeated at -180 and 180).

    >>> split_at_antimeridian([(60.0, 170.0), (62.0, 190.0)])
    [[(60.0, 170.0), (61.0, 180.0)], [(61.0, -180.0), (62.0, -170.0)]]
    """
    if len(path) < 2:
        return [[(lat, _wrap(lon)) for lat, lon in path]]
    path = [(lat, _snap_to_antimeridian(lon)) for lat, lon in path]  # a path along it stays on it
    pieces: list[list[LatLon]] = []
    current: list[LatLon] = []
    sheet = 0  # the current piece's longitudes are the path's minus 360 * sheet
    for (lat1, lon1), (lat2, lon2) in zip(path, path[1:]):
        direction = 1 if lon2 >= lon1 else -1
        # the copy of the map the segment starts in (a start on ±180 belongs to the side it goes to)
        first = math.floor((lon1 + 180) / 360) if direction > 0 else math.ceil((lon1 + 180) / 360) - 1
        if not current or first != sheet:
            if current:
                pieces.append(current)
            sheet = first
            current = [(lat1, lon1 - 360 * sheet)]
        for boundary in _antimeridians_between(lon1, lon2):
            crossing = lat1 + (boundary - lon1) / (lon2 - lon1) * (lat2 - lat1)
            current.append((crossing, boundary - 360 * sheet))
            pieces.append(current)
            sheet += direction
            current = [(crossing, boundary - 360 * sheet)]
        current.append((lat2, lon2 - 360 * sheet))
    pieces.append(current)
    return pieces


def _antimeridians_between(start: float, end: float) -> list[float]:
    """Every longitude 180 + 360k strictly between ``start`` and ``end``, in the order of travel."""
    low, high = sorted((start, end))
    found = [180.0 + 360 * k for k in range(math.floor((low - 180) / 360), math.floor((high - 180) / 360) + 1)
             if low < 180.0 + 360 * k < high]
    return found if end >= start else found[::-1]


def _snap_to_antimeridian(lon: float) -> float:
    """``lon`` exactly on 180 + 360k when rounding put it a hair beside."""
    nearest = 180.0 + 360 * round((lon - 180) / 360)
    return nearest if abs(lon - nearest) < 1e-9 else lon


def _wrap(lon: float) -> float:
    """``lon`` within [-180, 180)."""
    return (lon + 180) % 360 - 180


def distance_table(points: dict[str, LatLon]) -> dict[tuple[str, str], float]:
    """The geodesic distance in km for every ordered pair of distinct keys of ``points``."""
    keys = list(points)
    table: dict[tuple[str, str], float] = {}
    for i, first in enumerate(keys):
        for second in keys[i + 1:]:
            table[first, second] = table[second, first] = distance_km(points[first], points[second])
    return table


ROUTER_MODES = ("road", "rail")
"""Modes an OSRM-compatible router (``--router URL``) is asked for; the others use offline networks."""


def network_route(a: LatLon, b: LatLon, mode: str, router: str | None = None) -> tuple[Route | None, str | None]:
    """The way along a network for a mode, and the router's failure if it failed: through ``router``
    for road and rail when one is given, else (or when it fails, or knows no route) the offline
    sea-lane and rail networks; no route where none has one (the caller draws the geodesic)."""
    from geo.journeys.networks import NoRoute, RouterError, offline_route, osrm_route  # networks load lazily, on the first route

    if router and mode in ROUTER_MODES:
        try:
            return osrm_route(a, b, router, profile="driving" if mode == "road" else "train"), None
        except NoRoute:  # the router works; it knows no way between these two
            return offline_route(a, b, mode), None
        except RouterError as error:
            return offline_route(a, b, mode), str(error)
    return offline_route(a, b, mode), None


def route_lookup(router: str | None = None):  # -> geo.journeys.claims.RouteLookup
    """(from, to, mode) -> (km, source) along the mode's network, for checking a claim measured along
    a way; None where no network has the route."""

    def lookup(first: Place, second: Place, mode: str) -> tuple[float, str] | None:
        route, _failure = network_route((first.lat, first.lon), (second.lat, second.lon), mode, router)
        return (route.km, route.source) if route else None

    return lookup


def draw_legs(legs: Sequence[Leg], places: Sequence[Place], router: str | None = None
              ) -> tuple[tuple[Leg, ...], tuple[str, ...]]:
    """Each leg with its geodesic path and, where its mode has a network, its route; and the
    warning of a router that failed (it is not asked again; its legs use the offline networks)."""
    where = {place.id: (place.lat, place.lon) for place in places}
    drawn, warnings = [], []
    for leg in legs:
        a, b = where[leg.from_id], where[leg.to_id]
        route, failure = network_route(a, b, leg.mode, router)
        if failure:
            warnings.append(f"{failure.rstrip('.')}: legs are drawn without the router.")
            router = None
        drawn.append(replace(leg, path=tuple(geodesic_path(a, b)), route=route))
    return tuple(drawn), tuple(warnings)
