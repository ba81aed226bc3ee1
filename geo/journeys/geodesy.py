"""Distances and drawable paths between places, on the WGS84 ellipsoid.

Distances are geodesic (Karney's algorithm via geographiclib, as ``geopy.distance.geodesic``; the
thousands of segments of a route at once by Vincenty's formulae, vectorised, within a millimetre of
it: :func:`geodesic_lengths_km`). A path is the geodesic densified into short segments, each at
most ``max_km`` long and spanning at most ``max_degrees`` of latitude or longitude, so that a map
draws it as the curve it is.
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
    "geodesic_lengths_km",
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
    never shorter than the geodesic between its ends. Vectorised (:func:`geodesic_lengths_km`): a
    railway route has thousands of points, which geographiclib took 10-80 ms to measure one by one."""
    lat = np.array([point[0] for point in points], dtype=np.float64)
    lon = np.array([point[1] for point in points], dtype=np.float64)
    # Each longitude is shifted by whole turns to the copy nearest the one before it (Python's and
    # numpy's rounding both take a half turn to the even side), so the path never jumps the map.
    turns = np.concatenate([[0.0], np.cumsum(-np.rint(np.diff(lon) / 360))])
    lon = lon + 360 * turns
    steps = geodesic_lengths_km(lat[:-1], lon[:-1], lat[1:], lon[1:])
    moved = np.flatnonzero(steps > 0) + 1  # a repeated point adds nothing: it is dropped
    path = [(float(lat[0]), float(lon[0]))]
    for index in moved.tolist():
        here = (float(lat[index]), float(lon[index]))
        if steps[index - 1] > MAX_SEGMENT_KM:
            path.extend(geodesic_path(path[-1], here)[1:-1])
        path.append(here)
    if len(path) == 1:  # a route between two equal points
        path.append(path[0])
    return float(steps[moved - 1].sum()), tuple(path)


_VINCENTY_ROUNDS = 50  # Vincenty's iteration converges in a few rounds except near the antipode


def geodesic_lengths_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """The geodesic km on the WGS84 ellipsoid between the points (degrees) pair by pair, vectorised:
    Vincenty's inverse formulae (1975), within a millimetre of Karney's algorithm; the pairs where
    they do not converge (nearly antipodal points) are measured by geographiclib.

    >>> km = geodesic_lengths_km(np.array([39.0339]), np.array([125.7543]), np.array([43.1056]), np.array([131.8735]))
    >>> round(float(km[0]), 1)  # Pyongyang - Vladivostok, as distance_km
    684.5
    """
    a, f = _WGS84.a, _WGS84.f
    b = a * (1 - f)
    lat1, lon1, lat2, lon2 = (np.asarray(value, dtype=np.float64) for value in (lat1, lon1, lat2, lon2))
    along = np.radians(lon2 - lon1)
    u1, u2 = np.arctan((1 - f) * np.tan(np.radians(lat1))), np.arctan((1 - f) * np.tan(np.radians(lat2)))
    sin_u1, cos_u1, sin_u2, cos_u2 = np.sin(u1), np.cos(u1), np.sin(u2), np.cos(u2)
    turn = along.copy()
    pending = np.ones(along.shape, dtype=bool)
    for _ in range(_VINCENTY_ROUNDS):
        sin_turn, cos_turn = np.sin(turn), np.cos(turn)
        sin_sigma = np.hypot(cos_u2 * sin_turn, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_turn)
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_turn
        sigma = np.arctan2(sin_sigma, cos_sigma)
        with np.errstate(invalid="ignore", divide="ignore"):
            sin_alpha = np.where(sin_sigma > 0, cos_u1 * cos_u2 * sin_turn / sin_sigma, 0.0)
            cos2_alpha = 1 - sin_alpha**2
            cos_2sigma_m = np.where(cos2_alpha > 0, cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha, 0.0)
        c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        previous = turn
        turn = along + (1 - c) * f * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sigma_m + c * cos_sigma * (2 * cos_2sigma_m**2 - 1))
        )
        pending = np.abs(turn - previous) > 1e-12
        if not pending.any():
            break
    u_squared = cos2_alpha * (a * a - b * b) / (b * b)
    big_a = 1 + u_squared / 16384 * (4096 + u_squared * (-768 + u_squared * (320 - 175 * u_squared)))
    big_b = u_squared / 1024 * (256 + u_squared * (-128 + u_squared * (74 - 47 * u_squared)))
    delta_sigma = (
        big_b
        * sin_sigma
        * (
            cos_2sigma_m
            + big_b
            / 4
            * (
                cos_sigma * (2 * cos_2sigma_m**2 - 1)
                - big_b / 6 * cos_2sigma_m * (4 * sin_sigma**2 - 3) * (4 * cos_2sigma_m**2 - 3)
            )
        )
    )
    km = b * big_a * (sigma - delta_sigma) / 1000
    for index in np.flatnonzero(pending | ~np.isfinite(km)).tolist():
        km[index] = _WGS84.Inverse(lat1[index], lon1[index], lat2[index], lon2[index], Geodesic.DISTANCE)["s12"] / 1000
    return km


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
    cosines = np.einsum("...i,...i->...", points, others)  # a fifth of the time of sum(points * others)
    return radius_km * np.arccos(np.clip(cosines, -1.0, 1.0))
