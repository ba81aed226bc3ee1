"""Distances and drawable paths between places, on the WGS84 ellipsoid.

Distances are geodesic (Karney's algorithm via geographiclib, as ``geopy.distance.geodesic``). A
path is the geodesic densified into short segments, each at most ``max_km`` long and spanning at
most ``max_degrees`` of latitude or longitude, so that a map draws it as the curve it is.
Longitudes along a path are *unrolled*: they change continuously and may leave [-180, 180]
(Anadyr to Nome goes from 177.5 to 194.6, not to -165.4), so that Leaflet draws the short way across
the antimeridian instead of a line around the world. :func:`split_at_antimeridian` turns such a
path into pieces within [-180, 180] for formats that need them (GeoJSON, RFC 7946 section 3.1.9).

One coarser measure, for choosing only: :func:`great_circle_km` on a sphere of
:data:`EARTH_RADIUS_KM` (numpy, vectorised), for questions asked of thousands of points at once (which
candidate lies near the article's places, which network node lies nearest a town). Every distance
Dateline reports is geodesic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
from geographiclib.geodesic import Geodesic

from geo.model import LatLon

__all__ = [
    "distance_km",
    "geodesic_path",
    "polyline_path",
    "split_at_antimeridian",
    "wrap_longitude",
    "rounded_point",
    "distance_table",
    "unit_vectors",
    "great_circle_km",
    "EARTH_RADIUS_KM",
    "MAX_SEGMENT_KM",
    "MAX_SEGMENT_DEGREES",
    "MIN_STEP_M",
    "ROUND_DIGITS",
]

MAX_SEGMENT_KM = 50.0
MAX_SEGMENT_DEGREES = 1.0
MIN_STEP_M = 100.0  # segments are not refined below this (a pole turns longitude in no distance)
ROUND_DIGITS = 5  # routes are cached on their ends rounded to 1e-5 degrees, about a metre
EARTH_RADIUS_KM = 6371.0088
"""The mean Earth radius (IUGG), for :func:`great_circle_km` only: never for a reported length."""
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
    """Cached: legs, claims and distance tables ask for the same pairs. geographiclib's WGS84, which
    is what ``geopy.distance.geodesic`` computes, without importing geopy (0.15 s)."""
    return _WGS84.Inverse(a[0], a[1], b[0], b[1], Geodesic.DISTANCE)["s12"] / 1000


def geodesic_path(
    a: LatLon, b: LatLon, *, max_km: float = MAX_SEGMENT_KM, max_degrees: float = MAX_SEGMENT_DEGREES
) -> list[LatLon]:
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
    antimeridian (the crossing point interpolated and repeated at -180 and 180). Linear in the
    path's length for any finite longitudes: a step is cut to less than a full turn first
    (:func:`_within_a_turn`), so it crosses the antimeridian at most once.

    >>> split_at_antimeridian([(60.0, 170.0), (62.0, 190.0)])
    [[(60.0, 170.0), (61.0, 180.0)], [(61.0, -180.0), (62.0, -170.0)]]
    """
    if len(path) < 2:
        return [[(lat, wrap_longitude(lon)) for lat, lon in path]]
    path = [(lat, _snap_to_antimeridian(lon)) for lat, lon in _within_a_turn(path)]  # one along it stays on it
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


def _within_a_turn(path: Sequence[LatLon]) -> list[LatLon]:
    """``path`` starting within [-180, 180], each step less than a full turn: a step of whole turns
    or more (no path Dateline makes has one; a hand-edited Story might) loses the whole turns, by
    arithmetic, and its end stays the same point on the Earth. A path that needs neither comes back
    unchanged, to the last bit.

    >>> _within_a_turn([(0.0, 1e12), (0.0, 1e12 + 90)])
    [(0.0, -80.0), (0.0, 10.0)]
    """
    lat, lon = path[0]
    first = lon if -180 <= lon <= 180 else math.remainder(lon, 360)
    kept = [(lat, first)]
    moved = first != lon  # once a point moved, the others follow it step by step
    for (_, before), (lat, lon) in zip(path, path[1:]):
        step = lon - before
        if abs(step) >= 360:
            step = math.fmod(math.remainder(lon, 360) - math.remainder(before, 360), 360)
            moved = True
        kept.append((lat, kept[-1][1] + step if moved else lon))
    return kept


def _antimeridians_between(start: float, end: float) -> list[float]:
    """Every longitude 180 + 360k strictly between ``start`` and ``end``, in the order of travel."""
    low, high = sorted((start, end))
    found = [
        180.0 + 360 * k
        for k in range(math.floor((low - 180) / 360), math.floor((high - 180) / 360) + 1)
        if low < 180.0 + 360 * k < high
    ]
    return found if end >= start else found[::-1]


def _snap_to_antimeridian(lon: float) -> float:
    """``lon`` exactly on 180 + 360k when rounding put it a hair beside."""
    nearest = 180.0 + 360 * round((lon - 180) / 360)
    return nearest if abs(lon - nearest) < 1e-9 else lon


def wrap_longitude(lon: float) -> float:
    """``lon`` within [-180, 180).

    >>> wrap_longitude(190.0)
    -170.0
    """
    return (lon + 180) % 360 - 180


def distance_table(points: Mapping[str, LatLon]) -> dict[tuple[str, str], float]:
    """The geodesic distance in km for every ordered pair of distinct keys of ``points``."""
    keys = list(points)
    table: dict[tuple[str, str], float] = {}
    for i, first in enumerate(keys):
        for second in keys[i + 1 :]:
            table[first, second] = table[second, first] = distance_km(points[first], points[second])
    return table


def polyline_path(points: Sequence[LatLon]) -> tuple[float, tuple[LatLon, ...]]:
    """The length in km and the drawable path of a polyline (a route's points): longitudes unrolled
    from the first point, repeated points dropped, segments longer than MAX_SEGMENT_KM densified
    along their geodesic. The length is the sum of the geodesics between the points, so a route is
    never shorter than the geodesic between its ends."""
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


def rounded_point(point: LatLon) -> LatLon:
    """A (lat, lon) point rounded to ROUND_DIGITS decimals (about a metre), the key a route is cached
    under; ValueError for a latitude outside [-90, 90] or a longitude or latitude that is no number."""
    lat, lon = point
    if not (-90 <= lat <= 90 and -math.inf < lon < math.inf):  # also False for NaN
        raise ValueError(f"not a (lat, lon) point: {point!r}")
    return round(lat, ROUND_DIGITS), round(lon, ROUND_DIGITS)


def unit_vectors(points: np.ndarray | Sequence) -> np.ndarray:
    """(lat, lon) points in degrees, shape (..., 2), as points on the unit sphere, shape (..., 3): what
    :func:`great_circle_km` measures between (convert thousands of points once, then ask often)."""
    radians = np.radians(np.asarray(points, dtype=np.float64))
    lat, lon = radians[..., 0], radians[..., 1]
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)


def great_circle_km(points: np.ndarray, others: np.ndarray, *, radius_km: float = EARTH_RADIUS_KM) -> np.ndarray:
    """Great-circle km on a sphere between points given as :func:`unit_vectors`, element by element:
    ``points`` (..., 3) and ``others`` (..., 3) broadcast against each other, so (n, 3) with (n, 3)
    pairs rows, (n, 3) with (3,) measures each to one point, and (n, 1, 3) with (m, 3) gives an (n, m)
    table. For choosing only (see the module docstring).

    >>> ends = unit_vectors([(39.0339, 125.7543), (43.1056, 131.8735)])  # Pyongyang, Vladivostok
    >>> round(float(great_circle_km(ends[0], ends[1])), 1)
    683.9
    """
    return radius_km * np.arccos(np.clip(np.sum(points * others, axis=-1), -1.0, 1.0))
