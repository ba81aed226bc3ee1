"""Distances and geodesic paths: properties that must hold for any two points on Earth; the great circle
for choosing; polylines and points as routes use them."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

import geo.journeys.geodesy
from geo.journeys.geodesy import (
    EARTH_RADIUS_KM,
    MAX_SEGMENT_DEGREES,
    MAX_SEGMENT_KM,
    MIN_STEP_M,
    distance_km,
    distance_table,
    geodesic_lengths_km,
    geodesic_path,
    great_circle_km,
    polyline_path,
    rounded_point,
    split_at_antimeridian,
    unit_vectors,
    wrap_longitude,
)

latitudes = st.floats(min_value=-89.5, max_value=89.5, allow_nan=False)
longitudes = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False)
points = st.tuples(latitudes, longitudes)

ANADYR, NOME = (64.7337, 177.5089), (64.5011, -165.4064)
AUCKLAND, HONOLULU = (-36.8485, 174.7633), (21.3069, -157.8583)


def _km(a, b) -> float:
    """geographiclib directly: the same geodesic as distance_km, without geopy's overhead per call."""
    return Geodesic.WGS84.Inverse(a[0], a[1], b[0], b[1], Geodesic.DISTANCE)["s12"] / 1000


def _near_pole(*ends) -> bool:
    return any(abs(lat) > 89.99 for lat, _ in ends)


@settings(max_examples=40, deadline=None, derandomize=True)  # the same cases on every CI run
@given(points, points)
def test_a_path_starts_and_ends_at_its_points(a, b):
    path = geodesic_path(a, b)
    assert path[0] == a
    assert path[-1][0] == pytest.approx(b[0], abs=1e-9)
    assert (path[-1][1] - b[1] + 180) % 360 - 180 == pytest.approx(0, abs=1e-9)  # b, maybe unrolled


@settings(max_examples=40, deadline=None, derandomize=True)  # the same cases on every CI run
@given(points, points)
def test_no_segment_is_longer_than_the_bound_or_jumps(a, b):
    path = geodesic_path(a, b)
    for first, second in zip(path, path[1:]):
        assert _km(first, second) <= MAX_SEGMENT_KM * 1.000001
        if _km(first, second) * 1000 > MIN_STEP_M * 1.01 and not _near_pole(first, second):
            assert abs(second[0] - first[0]) <= MAX_SEGMENT_DEGREES + 1e-9
            assert abs(second[1] - first[1]) <= MAX_SEGMENT_DEGREES + 1e-9


@settings(max_examples=40, deadline=None, derandomize=True)  # the same cases on every CI run
@given(points, points)
def test_the_segments_add_up_to_the_geodesic_distance(a, b):
    path = geodesic_path(a, b)
    summed = sum(_km(first, second) for first, second in zip(path, path[1:]))
    assert summed == pytest.approx(distance_km(a, b), rel=1e-3, abs=1e-6)


@settings(max_examples=40, deadline=None, derandomize=True)  # the same cases on every CI run
@given(points, points)
def test_split_pieces_stay_on_the_map_and_never_draw_across_it(a, b):
    for piece in split_at_antimeridian(geodesic_path(a, b)):
        assert all(-180 <= lon <= 180 for _, lon in piece)
        for first, second in zip(piece, piece[1:]):
            if _km(first, second) * 1000 > MIN_STEP_M * 1.01 and not _near_pole(first, second):
                assert abs(second[1] - first[1]) <= MAX_SEGMENT_DEGREES + 1e-9


@pytest.mark.parametrize("a, b", [(ANADYR, NOME), (AUCKLAND, HONOLULU), (NOME, ANADYR)])
def test_a_path_across_the_antimeridian_goes_the_short_way(a, b):
    path = geodesic_path(a, b)
    longitudes = [lon for _, lon in path]
    assert max(longitudes) - min(longitudes) < 60  # not around the world
    pieces = split_at_antimeridian(path)
    assert len(pieces) == 2
    assert {abs(pieces[0][-1][1]), abs(pieces[1][0][1])} == {180.0}
    assert pieces[0][-1][0] == pytest.approx(pieces[1][0][0])


def test_a_path_near_the_pole_is_drawn_in_short_steps():
    path = geodesic_path((80.0, -170.0), (80.0, 10.0))  # over the pole
    assert max(lat for lat, _ in path) > 89.9
    assert all(distance_km(p, q) <= MAX_SEGMENT_KM * 1.000001 for p, q in zip(path, path[1:]))


def test_the_reference_journey_and_claim_distances():
    pyongyang, vladivostok, moscow = (39.03385, 125.75432), (43.10562, 131.87353), (55.75222, 37.61556)
    assert distance_km(pyongyang, vladivostok) == pytest.approx(684.5, abs=0.5)
    assert distance_km(vladivostok, moscow) == pytest.approx(6434, abs=5)


def test_the_distance_table_has_every_pair_both_ways():
    table = distance_table({"a": (0.0, 0.0), "b": (0.0, 1.0), "c": (1.0, 0.0)})
    assert len(table) == 6
    assert table["a", "b"] == table["b", "a"] == pytest.approx(111.32, abs=0.01)
    assert math.isclose(table["a", "c"], 110.57, abs_tol=0.01)


def test_doctests():
    assert doctest.testmod(geo.journeys.geodesy).failed == 0


@settings(max_examples=40, deadline=None, derandomize=True)  # the same cases on every CI run
@given(points, points)
def test_the_great_circle_is_within_half_a_percent_of_the_geodesic(a, b):
    km = float(great_circle_km(unit_vectors(a), unit_vectors(b)))
    assert km == pytest.approx(distance_km(a, b), rel=0.006, abs=1e-3)  # the ellipsoid's flattening is 0.34 %


def test_the_great_circle_broadcasts_row_by_row_each_to_one_and_each_to_each():
    ends = unit_vectors(np.array([ANADYR, NOME, AUCKLAND]))
    assert ends.shape == (3, 3) and np.allclose(np.linalg.norm(ends, axis=-1), 1.0)
    to_one = great_circle_km(ends, ends[0])
    table = great_circle_km(ends[:, None], ends)
    assert to_one.shape == (3,) and table.shape == (3, 3)
    assert np.array_equal(table[:, 0], to_one) and np.allclose(table, table.T) and not table.diagonal().any()
    assert great_circle_km(ends[0], ends[1], radius_km=1.0) == pytest.approx(to_one[1] / EARTH_RADIUS_KM)


def test_a_polyline_is_unrolled_densified_and_measured_along_its_geodesics():
    km, path = polyline_path([ANADYR, (64.6, -179.9), (64.6, -179.9), NOME])
    assert path[0] == ANADYR and path[-1] == pytest.approx((NOME[0], NOME[1] + 360))
    assert len(set(path)) == len(path)  # the repeated point is dropped
    assert all(_km(p, q) <= MAX_SEGMENT_KM * 1.000001 for p, q in zip(path, path[1:]))
    assert km == pytest.approx(distance_km(ANADYR, (64.6, -179.9)) + distance_km((64.6, -179.9), NOME))
    assert polyline_path([NOME, NOME]) == (0.0, (NOME, NOME))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(points, min_size=1, max_size=12), st.integers(min_value=0, max_value=11))
def test_a_polyline_measures_each_segment_as_distance_km_and_steps_the_short_way(route, repeated):
    route = route[: repeated + 1] + route[repeated:]  # a point twice over: it adds nothing
    km, path = polyline_path(route)
    assert km == pytest.approx(sum(distance_km(a, b) for a, b in zip(route, route[1:])), abs=1e-6)
    assert all(abs(q[1] - p[1]) <= 180 for p, q in zip(path, path[1:]))  # longitudes unrolled
    assert path[0] == route[0] and wrap_longitude(path[-1][1]) == pytest.approx(wrap_longitude(route[-1][1]), abs=1e-9)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.tuples(points, points), min_size=1, max_size=8))
def test_vectorised_geodesics_are_within_a_millimetre_of_karneys(pairs):
    (lat1, lon1), (lat2, lon2) = (np.array(side).T for side in zip(*pairs))
    expected = [Geodesic.WGS84.Inverse(*pair[0], *pair[1], Geodesic.DISTANCE)["s12"] / 1000 for pair in pairs]
    assert geodesic_lengths_km(lat1, lon1, lat2, lon2) == pytest.approx(expected, abs=1e-6)


def test_vectorised_geodesics_measure_the_hard_pairs_too():
    hard = [  # antipodes (Vincenty's iteration does not converge: geographiclib measures them), the
        # same point, the poles, along the equator, across the antimeridian
        ((0.0, 0.0), (0.5, 179.7)),
        ((10.0, 20.0), (-10.0, -160.0)),
        ((45.0, 7.0), (45.0, 7.0)),
        ((90.0, 0.0), (-90.0, 0.0)),
        ((0.0, 0.0), (0.0, 90.0)),
        ((64.6, 179.9), (64.6, 180.1)),
    ]
    (lat1, lon1), (lat2, lon2) = (np.array(side).T for side in zip(*hard))
    expected = [Geodesic.WGS84.Inverse(*a, *b, Geodesic.DISTANCE)["s12"] / 1000 for a, b in hard]
    assert geodesic_lengths_km(lat1, lon1, lat2, lon2) == pytest.approx(expected, abs=1e-6)


def test_a_point_is_rounded_to_about_a_metre_and_a_non_point_refused():
    assert rounded_point((54.0887014, 12.1404996)) == (54.0887, 12.1405)
    for point in ((91.0, 0.0), (float("nan"), 0.0), (0.0, float("inf"))):
        with pytest.raises(ValueError):
            rounded_point(point)


@pytest.mark.parametrize(
    "lon, wrapped", [(0.0, 0.0), (180.0, -180.0), (-180.0, -180.0), (190.0, -170.0), (-540.0, -180.0)]
)
def test_a_longitude_is_wrapped_into_the_map(lon, wrapped):
    assert wrap_longitude(lon) == wrapped


any_longitude = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([1e12, -1e12, 1e300, -1.7e308])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(latitudes, any_longitude), min_size=2, max_size=30))
def test_splitting_any_finite_path_is_linear_and_stays_on_the_map(path):
    """A hand-edited Story's path with longitude 1e12 once looped for ever (issue 23): every step
    now crosses the antimeridian at most once, whatever its longitudes."""
    pieces = split_at_antimeridian(path)
    assert sum(len(piece) for piece in pieces) <= 3 * len(path)
    assert all(-180 - 1e-6 <= lon <= 180 + 1e-6 for piece in pieces for _, lon in piece)


def test_a_step_of_whole_turns_loses_them_and_a_usual_path_is_left_to_the_last_bit():
    assert split_at_antimeridian([(0.0, 0.0), (10.0, 1e12)]) == [[(0.0, 0.0), (10.0, -80.0)]]  # 1e12 is -80
    assert split_at_antimeridian([(0.0, 170.0), (0.0, 170.0 + 3 * 360)]) == [[(0.0, 170.0), (0.0, 170.0)]]
    path = geodesic_path(ANADYR, NOME)
    assert [point for piece in split_at_antimeridian(path) for point in piece if abs(point[1]) != 180] == [
        (lat, lon - 360 if lon > 180 else lon) for lat, lon in path
    ]
