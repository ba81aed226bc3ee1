"""The benchmark metrics on hand-made numbers (no evaluation data needed)."""

import datetime
import doctest
import json
import math

import pytest

import benchmarks.common as common
import benchmarks.datasets as datasets
import benchmarks.limits as limits
import benchmarks.timeline as timeline
import geo.pipeline
from benchmarks.common import (
    MAX_ERROR_KM,
    Gold,
    Predicted,
    TimexSpan,
    accuracy_at,
    auc_log_error,
    best_overlapping,
    calibration_error,
    error_km,
    eval_dir,
    match_spans,
    match_timexes,
    most_populous,
    overlapping,
    prf,
    reliability,
    resolution,
    table,
    timex_scores,
    timing,
    value_kind,
)
from benchmarks.datasets import _annotated_part, _hipe_text
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
    result = match_spans(
        [gold(0, 5), gold(10, 15), gold(0, 5, doc="e")], [predicted(0, 5), predicted(10, 14), predicted(0, 5, doc="e")]
    )
    assert len(result.pairs) == 2
    assert [(p.start, p.end) for p in result.false_positives] == [(10, 14)]
    assert [(g.start, g.end) for g in result.false_negatives] == [(10, 15)]
    assert result.scores == pytest.approx((2 / 3, 2 / 3, 2 / 3))


def test_match_spans_ignores_left_out_gold():
    demonym = gold(20, 27, demonym=True)
    result = match_spans([gold(0, 5)], [predicted(0, 5), predicted(20, 27)], ignore=[demonym.span])
    assert (len(result.pairs), len(result.false_positives), result.ignored) == (1, 0, 1)


def test_demonym_mentions_count_only_where_the_gold_tags_demonyms():
    from benchmarks.geoparsing import Run, recognition_rows
    from geo import Options, analyse

    story = analyse("Russian envoys flew to Kyiv.", Options(language="en"))
    assert [p.text for p in common.predictions_of(story, "d")] == ["Kyiv"]
    both = common.predictions_of(story, "d", demonyms=True)
    assert [(p.text, p.role) for p in both] == [("Russian", "demonym"), ("Kyiv", "literal")]
    dataset = datasets.Dataset("t", "en", (), (gold(0, 7, demonym=True), gold(23, 27)))
    rows = {row[0]: row[1:] for row in recognition_rows(Run(dataset, both, 0.0))}
    assert rows["all gold"][:3] == [2, 2, 2]  # gold, predicted, true positives
    assert rows["without demonyms"][:3] == [1, 1, 1]  # the demonym left out on both sides


def test_overlapping_is_per_document():
    items = [predicted(0, 8), predicted(20, 25), predicted(0, 8, doc="e")]
    assert overlapping(items, [gold(0, 5)]) == [items[0]]


def test_reliability_bins_and_calibration_error():
    bins = reliability([(0.2, False), (0.4, True), (0.6, True), (0.9, True), (1.0, True), (0.96, False)])
    assert [b.count for b in bins] == [2, 1, 1, 2]
    assert bins[0].mean_confidence == pytest.approx(0.3) and bins[0].accuracy == 0.5
    assert bins[3].accuracy == 0.5  # 1.0 falls in the last bin
    expected = (2 * 0.2 + 1 * 0.4 + 1 * 0.1 + 2 * abs(0.5 - 0.98)) / 6
    assert calibration_error(bins) == pytest.approx(expected)


def test_population_baseline_takes_the_largest():
    from geo.model import Candidate
    from geo.places.gazetteer import Match

    small = Match(Candidate("geonames:1", "Paris", 33.66, -95.55, "US", "city", 25_000), "Paris", 1)
    large = Match(Candidate("geonames:2", "Paris", 48.85, 2.35, "FR", "city", 2_100_000), "Paris", 1)
    assert most_populous([small, large]).id == "geonames:2"
    assert most_populous([]) is None


def test_hipe_text_spacing_and_spans():
    rows = [
        ("Berlin", "B-LOC", ""),
        (",", "O", ""),
        ("den", "O", ""),
        ("„", "O", ""),
        ("Neue", "B-LOC", ""),
        ("Welt", "I-LOC", ""),
        ("“", "O", ""),
        ("Ver¬", "B-LOC", ""),
        ("einigte", "I-LOC", ""),
        ("Staaten", "I-LOC", ""),
        (".", "O", ""),
    ]
    text, spans = _hipe_text(rows)
    assert text == "Berlin, den „Neue Welt“ Ver¬einigte Staaten."
    assert [text[s:e] for s, e in spans] == ["Berlin", "Neue Welt", "Ver¬einigte Staaten"]


def test_a_document_annotated_only_at_its_start_is_read_that_far():
    def rows(tags):
        return [("Wien" if tag != "O" else ("." if i % 5 == 4 else "Wort"), tag, "") for i, tag in enumerate(tags)]

    partial = rows(["O", "B-LOC", "O", "O", "O", "O", "B-ORG"] + ["O"] * 30)
    part = _annotated_part(partial)
    assert len(part) == 10 and part[-1][0] == "." and part[6][1] == "B-ORG"  # to the end of the last entity's sentence
    whole = rows(["O"] * 20 + ["B-LOC"] + ["O"] * 18)  # an entity past half the text: annotated throughout
    assert _annotated_part(whole) == whole


def test_slices_end_at_spaces():
    text = ("word " * 2000).strip()
    pieces = slices(text, 100)
    assert all(len(p) <= 100 and not p.startswith(" ") for p in pieces)
    assert all(p.endswith("word") for p in pieces)


def test_table_aligns_text_left_and_numbers_right():
    lines = table(["name", "n", "share"], [["a", 1, 0.5], ["bb", 1000, 0.25]]).splitlines()
    assert lines[2].startswith("a ") and lines[2].endswith("0.500")
    assert lines[3].endswith("1000  0.250")


# --------------------------------------------------------------------------- timeline benchmark


def tx(start, end, value=None, type_=None, doc="d", text=None):
    return TimexSpan(doc, start, end, text if text is not None else "x" * (end - start), value, type_)


def test_timex_matching_is_one_to_one_by_largest_overlap():
    gold = [tx(0, 10), tx(12, 20), tx(30, 35), tx(0, 4, doc="e")]
    # One long prediction overlaps two gold timexes: it pairs with the larger overlap only.
    predicted = [tx(5, 20), tx(30, 35), tx(50, 55), tx(0, 4, doc="f")]
    m = match_timexes(gold, predicted)
    assert [(g.start, p.start) for g, p in m.pairs] == [(12, 5), (30, 30)]
    assert [(g.doc, g.start) for g in m.false_negatives] == [("d", 0), ("e", 0)]
    assert [(p.doc, p.start) for p in m.false_positives] == [("d", 50), ("f", 0)]
    assert m.strict == 1


def test_timex_matching_prefers_the_exact_span_on_equal_overlap():
    m = match_timexes([tx(0, 4)], [tx(0, 8), tx(0, 4)])
    assert [(p.start, p.end) for _, p in m.pairs] == [(0, 4)] and m.strict == 1
    # Duplicate predictions: one strict match, the other a false positive.
    m = match_timexes([tx(0, 4)], [tx(0, 4), tx(0, 4)])
    assert m.strict == 1 and len(m.false_positives) == 1


def test_timex_scores_on_hand_made_numbers():
    gold = [
        tx(0, 4, "1939", "DATE"),
        tx(10, 20, "1940-05", "DATE"),
        tx(30, 40, "P3D", "DURATION"),
        tx(50, 55, "PAST_REF", "DATE"),
    ]
    predicted = [
        tx(0, 4, "1939", "DATE"),  # strict, right value
        tx(12, 20, "1940-05", "DATE"),  # relaxed, right value
        tx(30, 40, "P4D", "DATE"),  # strict, wrong value, wrong type
        tx(60, 64, "1941", "DATE"),
    ]  # false positive
    s = timex_scores(gold, predicted)
    assert (s.strict_tp, s.relaxed_tp, s.value_tp) == (2, 3, 2)
    assert s.strict == pytest.approx((0.5, 0.5, 0.5))
    assert s.relaxed == pytest.approx((0.75, 0.75, 0.75))
    assert s.value_accuracy == pytest.approx(2 / 3)
    assert s.value == pytest.approx((0.5, 0.5, 0.5))
    assert s.type_accuracy == pytest.approx(2 / 3)


def test_gold_without_value_counts_for_spans_only():
    gold = [tx(0, 4, "1939"), tx(10, 20, None)]
    predicted = [tx(0, 4, "1939"), tx(10, 20, "XXXX")]
    s = timex_scores(gold, predicted)
    assert s.relaxed == (1.0, 1.0, 1.0) and s.strict == (1.0, 1.0, 1.0)
    assert s.gold_with_value == 1
    # The prediction on the valueless gold is left out of value precision too.
    assert s.value == (1.0, 1.0, 1.0) and s.value_accuracy == 1.0
    assert s.type_accuracy is None  # no gold type (TIMEX2)


def test_timex_scores_of_nothing():
    s = timex_scores([tx(0, 4, "1939")], [])
    assert s.strict == s.relaxed == s.value == (0.0, 0.0, 0.0) and s.value_accuracy == 0.0
    assert timex_scores([], []).relaxed == (0.0, 0.0, 0.0)


def test_best_overlapping_and_timing():
    assert best_overlapping(10, 20, [tx(0, 12), tx(15, 30), tx(40, 45)]).start == 15
    assert best_overlapping(10, 20, [tx(20, 25)]) is None
    assert timing([2.0, 4.0, 30.0], [1024, 2048, 5120]) == {"articles": 3, "median_ms": 4.0, "ms_per_4kb": 18.0}
    assert timing([], [])["ms_per_4kb"] == 0.0


def test_value_kinds():
    assert value_kind("BC0216-08-02") == "bc_date" and value_kind("PXY") == "duration"
    assert value_kind("1915-XX-XX") == "partial_date" and value_kind("") == "no_value"


def test_sgml_stripping_and_utf8_offsets():
    raw = '<DOC><TEXT>Am <TIMEX2 val="1939-09-01">1. September 1939</TIMEX2> & so</TEXT></DOC>'
    text, tags = datasets.strip_sgml(raw)
    assert text == "Am 1. September 1939 & so"
    assert [(o, c, n) for o, c, n, _ in tags if n == "TIMEX2"] == [(3, "", "TIMEX2"), (20, "/", "TIMEX2")]
    byte = datasets.utf8_offsets("Größe 1939")
    assert byte(6) == 8 and byte(0) == 0


def test_wikiwars_context_cleaning_and_location():
    raw = 'EX2 val="1939">1939</TIMEX2>, then in 1939 <TIMEX2 val="1940">1940</TIMEX2> it went on and on. <TIMEX2 v'
    clean, positions = datasets.clean_context(raw)
    assert clean == "1939, then in 1939 1940 it went on and on. "
    assert all(raw[p] == c for p, c in zip(positions, clean))
    start, count = datasets.locate("1939", clean, positions, len(raw))
    assert (start, count) == (14, 2)  # the occurrence nearer the middle of the raw context
    assert datasets.locate("May", "Mayor in May", list(range(12)), 12) == (9, 1)  # word boundaries first
    assert datasets.locate("1950", clean, positions, len(raw)) == (-1, 0)


def _fake_tagger(answers):
    """A tagger returning prepared Timex objects for each text."""

    def tag(text, language, published=None, *, narrative=False):
        return answers.get(text, [])

    return tag


def test_timeline_run_with_gold_as_predictions_scores_one(monkeypatch):
    import geo.timeline.events
    from geo.timeline.extraction import Timex

    text = "Am 1. September 1939 begann der Krieg; drei Tage später erklärten sie den Krieg."
    gold = (
        TimexSpan("doc", 3, 20, "1. September 1939", "1939-09-01", "DATE"),
        TimexSpan("doc", 39, 55, "drei Tage später", "1939-09-04", "DATE"),
    )
    dataset = datasets.TimexDataset(
        "tiny", (datasets.TimexDocument("doc", text, "de", datetime.date(2011, 2, 16)),), gold, narrative=True
    )
    answers = {text: [Timex(g.start, g.end, g.text, g.type, g.value) for g in gold]}
    monkeypatch.setattr(geo.timeline.events, "tag_text", _fake_tagger(answers))
    run = timeline.tag_dataset(dataset)
    s = timex_scores(dataset.gold, run.predicted)
    assert s.strict[2] == s.relaxed[2] == s.value[2] == s.value_accuracy == s.type_accuracy == 1.0
    assert run.bad_offsets == 0 and len(run.milliseconds) == 1
    assert timeline.error_rows(run) == []
    # The tagger as it stands (nothing found): everything missed, no crash.
    monkeypatch.setattr(geo.timeline.events, "tag_text", _fake_tagger({}))
    run = timeline.tag_dataset(dataset)
    assert timex_scores(dataset.gold, run.predicted).relaxed == (0.0, 0.0, 0.0)
    assert [r[1] for r in timeline.error_rows(run)] == ["missed", "missed"]


def test_context_records_scored_by_overlap(monkeypatch):
    import geo.timeline.events
    from geo.timeline.extraction import Timex

    record = datasets.ContextRecord
    records = [
        record("d", 0, "June 10", "1940-06-10", "full_date", None, "On June 10, 1940, Italy", 3, 10, 1),
        record("d", 1, "now", "PRESENT_REF", "deictic_ref", None, "It is now over", 6, 9, 1),
        record("d", 2, "a while", None, "no_value", None, "for a while", 4, 11, 1),
    ]
    answers = {
        "On June 10, 1940, Italy": [Timex(3, 16, "June 10, 1940", "DATE", "1940-06-10")],
        "It is now over": [Timex(6, 9, "now", "DATE", "2011-02-16")],
    }
    monkeypatch.setattr(geo.timeline.events, "tag_text", _fake_tagger(answers))
    results = timeline.tag_contexts(records)
    assert [(r.found, r.exact, r.right) for r in results] == [
        (True, False, True),
        (True, True, False),
        (False, False, False),
    ]
    total = timeline.context_rows(results)[-1]
    assert total[:5] == ["all", 3, pytest.approx(2 / 3), pytest.approx(1 / 3), 0.5]
    statuses = [row[1] for row in timeline.context_error_rows(results)]
    assert statuses == ["wrong span", "wrong value", "missed"]


def test_sample_timelines_reader(tmp_path):
    (tmp_path / "a.txt").write_text("Am 12. September 2023 in Wladiwostok.", encoding="utf-8")
    (tmp_path / "a.gold.json").write_text(
        json.dumps(
            {
                "language": "de",
                "published": "2023-09-12",
                "places": [],
                "events": [
                    {"start": 3, "end": 21, "text": "12. September 2023", "type": "DATE", "value": "2023-09-12"}
                ],
                "not_events": [{"start": 25, "end": 36, "text": "Wladiwostok", "why": "place"}],
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text("No timeline yet.", encoding="utf-8")
    (tmp_path / "b.gold.json").write_text(
        json.dumps({"language": "en", "published": None, "places": []}), encoding="utf-8"
    )
    ds = datasets.read_sample_timelines(tmp_path)
    assert [d.id for d in ds.documents] == ["a"] and ds.documents[0].published == datetime.date(2023, 9, 12)
    assert [(g.text, g.value, g.type) for g in ds.gold] == [("12. September 2023", "2023-09-12", "DATE")]
    assert ds.not_events == {("a", 25, 36)} and not ds.problems
    assert "1 without" in ds.notes[0]


def test_timeline_benchmark_exits_0_without_data(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATELINE_EVAL_DIR", str(tmp_path))
    assert timeline.main(["--only", "wikiwarsde,wikiwars-en"]) == 0
    assert "nothing to measure" in capsys.readouterr().out


WIKIWARS_DE = eval_dir() / "timeline" / "de" / "WikiWarsDE_20110412"


@pytest.mark.skipif(not WIKIWARS_DE.exists(), reason="WikiWarsDE not present")
def test_wikiwarsde_gold_slices_equal_gold_texts():
    ds = datasets.read_wikiwars_de(WIKIWARS_DE)
    texts = {d.id: d.text for d in ds.documents}
    assert len(ds.documents) == 22 and len(ds.gold) == 2217  # 2,239 tags minus 22 <DATETIME> ones
    assert all(texts[g.doc][g.start : g.end] == g.text for g in ds.gold)
    assert not ds.problems  # inline text == in/ text, APF offsets agree
    assert all(not t.startswith(("<DOC", "<DATETIME")) and "<" not in t for t in texts.values())


def test_timeline_doctests():
    assert doctest.testmod(datasets).failed == 0
    assert doctest.testmod(timeline).failed == 0


# --------------------------------------------------------------------------- GermEval reader

GERMEVAL_SAMPLE = [
    ("#", "http://www.example-zeitung.de/lokales/42.html", "[2011-03-05]", ""),
    ("1", "Der", "O", "O"),
    ("2", "Bürgermeister", "O", "O"),
    ("3", "von", "O", "O"),
    ("4", "Bad", "B-LOC", "O"),
    ("5", "Kreuznach", "I-LOC", "O"),
    ("6", "traf", "O", "O"),
    ("7", '"', "O", "O"),
    ("8", "US-Diplomaten", "B-LOCpart", "O"),
    ("9", '"', "O", "O"),
    ("10", "des", "O", "O"),
    ("11", "FC", "B-ORG", "O"),
    ("12", "Kickers", "I-ORG", "O"),
    ("13", "Offenbach", "I-ORG", "B-LOC"),
    ("14", "aus", "O", "O"),
    ("15", "Paris", "B-LOC", "O"),
    ("16", ".", "O", "O"),
    (),
    ("#", "http://de.wikipedia.org/wiki/Beispiel", "[2009-10-01]", ""),
    ("1", "Die", "O", "O"),
    ("2", "europäischen", "B-LOCderiv", "O"),
    ("3", "Häfen", "O", "O"),
    ("4", "(", "O", "O"),
    ("5", "Rotterdam", "B-LOC", "O"),
    ("6", ")", "O", "O"),
    ("7", "wachsen", "O", "O"),
    ("8", ".", "O", "O"),
    (),
    ("#", "welt.de vom 01.02.2006", "[2006-02-01]", ""),
    ("1", "Nürnberg", "B-LOC", "O"),
    ("2", "Fürth", "B-LOC", "O"),
    ("3", "Rosenheim", "B-PER", "O"),
    ("4", "Paris", "I-LOC", "O"),
]


def _germeval_file(tmp_path):
    path = tmp_path / "germeval.tsv"
    path.write_text("\n".join("\t".join(row) for row in GERMEVAL_SAMPLE) + "\n", encoding="utf-8")
    return path


def test_germeval_reader_spans_gold_and_news_flag(tmp_path):
    ds = datasets.read_germeval(_germeval_file(tmp_path))
    assert (ds.name, ds.language, ds.sentences) == ("GermEval 2014 de", "de", True)
    assert [(d.id, d.published, d.news) for d in ds.documents] == [
        ("1", "2011-03-05", True),
        ("2", "2009-10-01", False),
        ("3", "2006-02-01", True),  # a site and a date instead of a URL: still news
    ]
    first, second, third = (d.text for d in ds.documents)
    assert first == 'Der Bürgermeister von Bad Kreuznach traf " US-Diplomaten " des FC Kickers Offenbach aus Paris.'
    assert second == "Die europäischen Häfen (Rotterdam) wachsen."
    assert third == "Nürnberg Fürth Rosenheim Paris"
    # Gold: outer LOC only, exact spans; not LOCpart, LOCderiv or the ORG's inner LOC.
    assert [(g.doc, g.start, g.end, g.text) for g in ds.gold] == [
        ("1", 22, 35, "Bad Kreuznach"),
        ("1", 88, 93, "Paris"),
        ("2", 24, 33, "Rotterdam"),
        ("3", 0, 8, "Nürnberg"),  # two B-LOC in a row: two names
        ("3", 9, 14, "Fürth"),
        ("3", 25, 30, "Paris"),  # an I-LOC after a PER opens a name
    ]
    texts = {d.id: d.text for d in ds.documents}
    assert all(texts[g.doc][g.start : g.end] == g.text for g in ds.gold)
    assert all(texts[d.id][s:e] for d in ds.documents for s, e in d.tokens)
    assert [len(d.tokens) for d in ds.documents] == [16, 8, 4]
    # The other names are kept for sorting the errors, with their column.
    others = {(e.doc, first[e.start : e.end] if e.doc == "1" else "", e.label, e.inner) for e in ds.entities}
    assert ("1", "Offenbach", "LOC", True) in others
    assert ("1", "FC Kickers Offenbach", "ORG", False) in others
    assert ("1", "US-Diplomaten", "LOCpart", False) in others
    assert sum(e.label == "LOCderiv" for e in ds.entities) == 1
    limited = ds.limited(1)
    assert len(limited.gold) == 2 and {e.doc for e in limited.entities} == {"1"}


def test_germeval_error_kinds(tmp_path):
    from benchmarks.geoparsing import FN_KINDS, FP_KINDS, Run, error_kinds, inner_loc_of_org, recognition_rows

    ds = datasets.read_germeval(_germeval_file(tmp_path))

    def at(doc, start, end):
        return Predicted(doc, start, end, "x", "geonames:1", 0.0, 0.0, 1.0)

    run = Run(
        ds,
        [
            at("1", 22, 25),  # "Bad": the gold is "Bad Kreuznach" (multi-token, missed)
            at("1", 43, 45),  # "US" in "US-Diplomaten"
            at("1", 74, 83),  # "Offenbach", the ORG's inner LOC
            at("1", 88, 93),  # "Paris": right
            at("2", 0, 3),  # "Die": first word
            at("3", 15, 24),  # "Rosenheim", a person
            at("3", 0, 14),  # "Nürnberg Fürth" for two names
        ],
        0.0,
    )
    kinds = error_kinds(run)
    assert kinds == {
        ("FP", "1", 22, 25): FP_KINDS[4],
        ("FP", "1", 43, 45): FP_KINDS[2],
        ("FP", "1", 74, 83): FP_KINDS[1],
        ("FP", "2", 0, 3): FP_KINDS[3],
        ("FP", "3", 15, 24): FP_KINDS[0],
        ("FP", "3", 0, 14): FP_KINDS[4],
        ("FN", "1", 22, 35): FN_KINDS[1],
        ("FN", "2", 24, 33): FN_KINDS[2],
        ("FN", "3", 0, 8): FN_KINDS[3],
        ("FN", "3", 9, 14): FN_KINDS[3],
        ("FN", "3", 25, 30): FN_KINDS[2],
    }
    assert inner_loc_of_org(run, kinds) == 1
    rows = {row[0]: row[1:] for row in recognition_rows(run)}
    assert list(rows) == ["all gold", "all gold, news", "all gold, not news"]
    assert rows["all gold"][:3] == [6, 7, 1] and rows["all gold, news"][:3] == [5, 6, 1]


GERMEVAL_DEV = eval_dir() / "geoparsing" / "de" / "GermEval2014-NER-de-dev.tsv"


@pytest.mark.skipif(not GERMEVAL_DEV.exists(), reason="GermEval 2014 dev not present")
def test_germeval_dev_counts():
    ds = datasets.read_germeval(GERMEVAL_DEV)
    assert len(ds.documents) == 2200 and len(ds.gold) == 763  # the eval README's counts
    texts = {d.id: d.text for d in ds.documents}
    assert all(texts[g.doc][g.start : g.end] == g.text for g in ds.gold)
    assert all(d.published for d in ds.documents)


# --------------------------------------------------------------------------- limits


def test_limits_cases_are_exactly_their_size():
    for case in limits.CASES:
        assert len(case.build(3000)) == 3000, case.name
    assert "\n" not in limits.one_line(3000) and not set(".!?") & set(limits.one_sentence(3000))
    assert len(set(limits.made_up_words(5000))) == 5000


def test_limits_report_gives_growth_and_verdicts():
    run = {"stages": {"read": 0.1}, "peak_mb": 300.0, "base_mb": 270.0, "language": "de"}
    figures = {
        "machine": "test",
        "python": "3",
        "cases": {
            "linear": {500: {**run, "runs": [1.0, 1.2, 5.0]}, 1000: {**run, "runs": [2.4]}},
            "quadratic": {500: {**run, "runs": [1.0]}, 1000: {**run, "runs": [4.0], "peak_mb": 2000.0}},
            "hung": {500: {"timeout": 60.0}, 1000: {"timeout": 60.0, "not_run": True}},
        },
    }
    assert limits.growth(figures["cases"]["linear"], 1000) == 2.0  # medians: 2.4 / 1.2
    shown = limits.report(figures, [500, 1000])
    lines = {line.split()[0] + line.split()[1]: line for line in shown.splitlines() if line[:1] and line[0] in "lqh"}
    assert lines["linear1,000"].endswith(" ok") and "2.00" in lines["linear1,000"]
    assert lines["quadratic1,000"].endswith("MISSED memory, growth")
    assert "> 60 (not run)" in lines["hung1,000"] and lines["hung1,000"].endswith("MISSED time")


def test_limits_runs_a_tiny_case(monkeypatch, tmp_path, capsys):
    def in_this_process(case, size, repeats, timeout):  # the probe without its fresh process (seconds to start)
        path = tmp_path / f"{case.name}-{size}.txt"
        path.write_text(case.build(size), encoding="utf-8")
        return limits.probe(str(path), case.language, repeats)

    monkeypatch.setattr(limits, "measure", in_this_process)
    monkeypatch.setattr(geo.pipeline, "warm_up", lambda: 0.0)  # a fresh process's loading: not this test's business
    assert limits.main(["--sizes", "300,600", "--cases", "berlin-commas", "--repeats", "1"]) == 0
    shown = capsys.readouterr().out
    assert "berlin-commas  600" in shown and "Seconds per stage at 600 characters" in shown


def test_limits_stops_a_case_that_runs_out_of_time():
    assert limits.measure(limits.CASES[0], 1000, 1, timeout=0.05) == {"timeout": 0.05}
