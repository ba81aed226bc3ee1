"""The benchmark metrics on hand-made numbers (no evaluation data needed)."""

import doctest
import math

import pytest

import benchmarks.common as common
from benchmarks.common import (MAX_ERROR_KM, Gold, Predicted, accuracy_at, auc_log_error,
                               calibration_error, error_km, match_spans, most_populous, overlapping,
                               prf, reliability, resolution, table)
from benchmarks.datasets import _hipe_text
from benchmarks.speed import slices


def gold(start, end, doc="d", demonym=False):
    return Gold(doc, start, end, "x" * (end - start), demonym=demonym)


def predicted(start, end, doc="d", confidence=1.0):
    return Predicted(doc, start, end, "x" * (end - start), "geonames:1", 0.0, 0.0, confidence)


def test_doctests():
    assert doctest.testmod(common).failed == 0


def test_prf():
    assert prf(8, 2, 8) == pytest.approx((0.8, 0.5, 8 / 13))
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)
    assert prf(0, 5, 0) == (0.0, 0.0, 0.0)


def test_error_km_is_geodesic():
    # Pyongyang - Vladivostok, WGS84 geodesic (geopy): about 688 km.
    assert error_km((39.0194, 125.7381), (43.1155, 131.8855)) == pytest.approx(688, abs=1)
    assert error_km((52.52, 13.405), (52.52, 13.405)) == 0.0


def test_accuracy_at_161_km_is_inclusive():
    assert accuracy_at([0, 161, 161.1, 5000]) == 0.5
    assert accuracy_at([]) == 0.0


def test_auc_of_log_errors():
    assert auc_log_error([0, 0, 0]) == 0.0
    assert auc_log_error([MAX_ERROR_KM] * 3) == pytest.approx(1.0, abs=1e-4)
    # Two errors: the trapezoid between ln(1) and ln(1 + 20039), over width 1, is half the maximum.
    assert auc_log_error([0, MAX_ERROR_KM]) == pytest.approx(0.5, abs=1e-4)
    assert auc_log_error([100]) == pytest.approx(math.log(101) / math.log(MAX_ERROR_KM))
    # Order does not matter; errors above the maximum are capped.
    assert auc_log_error([5, 1000, 0]) == auc_log_error([0, 5, 1000])
    assert auc_log_error([50_000]) == auc_log_error([MAX_ERROR_KM])


def test_resolution_summary():
    r = resolution([0, 100, 200, MAX_ERROR_KM])
    assert (r.n, r.accuracy, r.median_km) == (4, 0.5, 150)
    assert r.mean_km == pytest.approx((300 + MAX_ERROR_KM) / 4)
    assert resolution([]).n == 0


def test_match_spans_exact_only():
    result = match_spans([gold(0, 5), gold(10, 15), gold(0, 5, doc="e")],
                         [predicted(0, 5), predicted(10, 14), predicted(0, 5, doc="e")])
    assert len(result.pairs) == 2
    assert [(p.start, p.end) for p in result.false_positives] == [(10, 14)]
    assert [(g.start, g.end) for g in result.false_negatives] == [(10, 15)]
    assert result.scores == pytest.approx((2 / 3, 2 / 3, 2 / 3))


def test_match_spans_ignores_left_out_gold():
    demonym = gold(20, 27, demonym=True)
    result = match_spans([gold(0, 5)], [predicted(0, 5), predicted(20, 27)], ignore=[demonym.span])
    assert (len(result.pairs), len(result.false_positives), result.ignored) == (1, 0, 1)


def test_overlapping_is_per_document():
    items = [predicted(0, 8), predicted(20, 25), predicted(0, 8, doc="e")]
    assert overlapping(items, [gold(0, 5)]) == [items[0]]


def test_reliability_bins_and_calibration_error():
    bins = reliability([(0.2, False), (0.4, True), (0.6, True), (0.9, True), (1.0, True), (0.96, False)])
    assert [b.count for b in bins] == [2, 1, 1, 2]
    assert bins[0].mean_confidence == pytest.approx(0.3) and bins[0].accuracy == 0.5
    assert bins[3].accuracy == 0.5            # 1.0 falls in the last bin
    expected = (2 * 0.2 + 1 * 0.4 + 1 * 0.1 + 2 * abs(0.5 - 0.98)) / 6
    assert calibration_error(bins) == pytest.approx(expected)


def test_population_baseline_takes_the_largest():
    from geo.gazetteer import Match
    from geo.model import Candidate
    small = Match(Candidate("geonames:1", "Paris", 33.66, -95.55, "US", "city", 25_000), "Paris", 1)
    large = Match(Candidate("geonames:2", "Paris", 48.85, 2.35, "FR", "city", 2_100_000), "Paris", 1)
    assert most_populous([small, large]).id == "geonames:2"
    assert most_populous([]) is None


def test_hipe_text_spacing_and_spans():
    rows = [("Berlin", "B-LOC", ""), (",", "O", ""), ("den", "O", ""), ("„", "O", ""), ("Neue", "B-LOC", ""),
            ("Welt", "I-LOC", ""), ("“", "O", ""), ("Ver¬", "B-LOC", ""), ("einigte", "I-LOC", ""),
            ("Staaten", "I-LOC", ""), (".", "O", "")]
    text, spans = _hipe_text(rows)
    assert text == "Berlin, den „Neue Welt“ Ver¬einigte Staaten."
    assert [text[s:e] for s, e in spans] == ["Berlin", "Neue Welt", "Ver¬einigte Staaten"]


def test_slices_end_at_spaces():
    text = ("word " * 2000).strip()
    pieces = slices(text, 100)
    assert all(len(p) <= 100 and not p.startswith(" ") for p in pieces)
    assert all(p.endswith("word") for p in pieces)


def test_table_aligns_text_left_and_numbers_right():
    lines = table(["name", "n", "share"], [["a", 1, 0.5], ["bb", 1000, 0.25]]).splitlines()
    assert lines[2].startswith("a ") and lines[2].endswith("0.500")
    assert lines[3].endswith("1000  0.250")
