"""Golden test: the project's own sample articles against their gold annotations.

The thresholds sit just under what Dateline achieves today (benchmarks/samples.py prints the
details), so a regression in recognition or resolution fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.common import TimexSpan, timex_scores
from geo.model import DEMONYM
from geo.pipeline import run_stages
from geo.read.document import read_document
from geo.timeline.events import tag_text
from tests.conftest import SAMPLES, SHARED

REFERENCE = SHARED / "reference" / "seed-article-de.txt"


def gold_files() -> list[Path]:
    return sorted(SAMPLES.glob("*.gold.json"))


@pytest.fixture(scope="module")
def results(full_gazetteer) -> dict[str, tuple[dict, set, set]]:
    """Per sample: the gold, predicted (start, end, id) and predicted (start, end)."""
    out = {}
    for path in gold_files():
        gold = json.loads(path.read_text(encoding="utf-8"))
        document = read_document(path.with_name(path.name.replace(".gold.json", ".txt")))
        story = run_stages(document, path.stem, full_gazetteer)
        # The gold lists demonyms as not places: an English demonym's mention (role "demonym") is
        # left out, as benchmarks/samples.py leaves it out.
        predicted = {(m.start, m.end, p.id) for p in story.places for m in p.mentions if m.role != DEMONYM}
        out[path.stem] = (gold, predicted, {(s, e) for s, e, _ in predicted})
    return out


def test_there_are_enough_samples_in_both_languages():
    languages = [json.loads(p.read_text(encoding="utf-8"))["language"] for p in gold_files()]
    assert len(languages) >= 12 and languages.count("de") >= 6 and languages.count("en") >= 6


def micro(results, level: str) -> tuple[float, float]:
    tp = n_gold = n_pred = 0
    for gold, predicted, spans in results.values():
        gold_set = {(g["start"], g["end"], g["id"]) for g in gold["places"]}
        if level == "span":
            gold_set, predicted = {(s, e) for s, e, _ in gold_set}, spans
        tp += len(gold_set & predicted)
        n_gold += len(gold_set)
        n_pred += len(predicted)
    return tp / n_pred, tp / n_gold


# Since 2026-12-06 the samples include eight trap articles (issue 19: capes, counties, one name for
# two places, people named like towns). Issue 19's goal, P and R >= 0.95 end to end, is the bound;
# recognition's is just under today's figures (0.986 / 0.986 on 2026-12-07).
def test_recognition_precision_and_recall(results):
    precision, recall = micro(results, "span")
    assert precision >= 0.975 and recall >= 0.975, (precision, recall)


def test_end_to_end_precision_and_recall(results):
    precision, recall = micro(results, "id")
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


@pytest.mark.parametrize("name", [p.stem for p in gold_files()])
def test_each_sample_is_mostly_right(results, name):
    gold, predicted, spans = results[name]
    gold_spans = {(g["start"], g["end"]) for g in gold["places"]}
    found = len(gold_spans & spans)
    f1 = 2 * found / (len(gold_spans) + len(spans))
    assert f1 >= 0.85, f"{name}: recognition F1 {f1:.2f}"


def test_traps_are_mostly_avoided(results):
    hits = [
        (name, t["text"], t.get("why", ""))
        for name, (gold, _p, spans) in results.items()
        for t in gold.get("not_places", [])
        if (t["start"], t["end"]) in spans
    ]
    total = sum(len(gold.get("not_places", [])) for gold, _p, _s in results.values())
    assert len(hits) <= 0.09 * total, hits  # 12 of 147 with the trap articles (above)


def test_published_dates_match_the_gold(results):
    wrong = []
    for path in gold_files():
        gold = json.loads(path.read_text(encoding="utf-8"))
        document = read_document(path.with_name(path.name.replace(".gold.json", ".txt")))
        published = document.published.isoformat() if document.published else None
        if published != gold["published"]:
            wrong.append((path.stem, published, gold["published"]))
    assert not wrong


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference is not beside the repo")
def test_reference_article_places(full_gazetteer):
    story = run_stages(read_document(REFERENCE), "seed", full_gazetteer)
    assert {p.id for p in story.places} == {
        "geonames:1871859",  # Pjöngjang
        "geonames:2013348",  # Wladiwostok
        "geonames:2017370",  # Russland
        "geonames:524901",  # Moskau
        "geonames:1873107",  # Nordkorea
        "geonames:690791",  # Ukraine
        "geonames:6252001",  # USA (not "US-" in compounds: a modifier)
        "geonames:1835841",  # Südkorea
        "geonames:1861060",  # Japan
    }
    assert story.document.published == "2023-09-12"
    text = REFERENCE.read_text(encoding="utf-8")
    spans = {m.start for p in story.places for m in p.mentions}
    zug = text.index("Zug Aufmerksamkeit")
    assert zug not in spans  # the armoured train is not the Swiss town


# --------------------------------------------------------------------------- timelines


@pytest.fixture(scope="module")
def timelines() -> dict[str, tuple[list[TimexSpan], list[TimexSpan]]]:
    """Per language: gold and predicted timexes (TIMEX3 extents, values, types) of every sample."""
    out: dict[str, tuple[list[TimexSpan], list[TimexSpan]]] = {}
    for path in gold_files():
        gold = json.loads(path.read_text(encoding="utf-8"))
        document = read_document(path.with_name(path.name.replace(".gold.json", ".txt")))
        gold_spans, predicted = out.setdefault(gold["language"], ([], []))
        gold_spans += [
            TimexSpan(path.stem, e["start"], e["end"], e["text"], e["value"], e["type"], e.get("mod"))
            for e in gold["events"]
        ]
        predicted += [
            TimexSpan(path.stem, t.start, t.end, t.text, t.value, t.type, t.mod)
            for t in tag_text(document.text, document.language, document.published, sentences=document.sentences)
        ]
    return out


def test_every_sample_has_a_gold_timeline():
    for path in gold_files():
        gold = json.loads(path.read_text(encoding="utf-8"))
        assert gold.get("events"), path.name
        text = path.with_name(path.name.replace(".gold.json", ".txt")).read_text(encoding="utf-8")
        for event in gold["events"] + gold.get("not_events", []):
            assert text[event["start"] : event["end"]] == event["text"], (path.name, event)


@pytest.mark.parametrize("language, strict_f1, value_f1", [("de", 0.96, 0.93), ("en", 0.96, 0.93)])
def test_timeline_spans_and_values(timelines, language, strict_f1, value_f1):
    gold, predicted = timelines[language]
    scores = timex_scores(gold, predicted)
    assert scores.strict[2] >= strict_f1 and scores.value[2] >= value_f1, scores


def test_timeline_traps_are_not_dates():
    hits = []
    for path in gold_files():
        gold = json.loads(path.read_text(encoding="utf-8"))
        document = read_document(path.with_name(path.name.replace(".gold.json", ".txt")))
        found = tag_text(document.text, document.language, document.published, sentences=document.sentences)
        hits += [
            (path.stem, trap["text"])
            for trap in gold.get("not_events", [])
            if any(t.start < trap["end"] and trap["start"] < t.end and t.type in ("DATE", "TIME") for t in found)
        ]
    assert not hits


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference is not beside the repo")
def test_reference_article_timeline(full_gazetteer):
    story = run_stages(read_document(REFERENCE), "seed", full_gazetteer)
    events = {e.text: e for e in story.events}
    expected = {
        "seit 2019": "2019",
        "in den kommenden Tagen": "FUTURE_REF",
        "im August": "2023-08",
        "vor vier Jahren": "2019",
        "Im April 2019": "2019-04",
        "in den vergangenen Monaten": "PAST_REF",
        "In diesem Jahr": "2023",
        "12.9.2023": "2023-09-12",
    }
    assert {text: events[text].value for text in expected if text in events} == expected
    assert events["Im April 2019"].start == "2019-04-01" and events["Im April 2019"].end == "2019-04-30"
    text = REFERENCE.read_text(encoding="utf-8")
    for event in story.events:  # each carries the places named in its sentence
        named = {
            p.id
            for p in story.places
            for m in p.mentions
            if text.find(event.sentence) <= m.start < text.find(event.sentence) + len(event.sentence)
        }
        assert set(event.places) == named, event
    assert "geonames:1871859" in events["im August"].places  # Pjöngjang
    assert "geonames:524901" in events["12.9.2023"].places  # Moskau, in the dateline
    dated = [e.start for e in story.events if e.start]
    assert dated == sorted(dated)


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference is not beside the repo")
def test_reference_article_legs_and_claims(full_gazetteer):
    story = run_stages(read_document(REFERENCE), "reference", full_gazetteer)
    assert [(leg.from_id, leg.to_id, leg.mode, round(leg.km, 1)) for leg in story.legs] == [
        ("geonames:1871859", "geonames:2013348", "rail", 684.5)
    ]
    assert story.legs[0].path[0] == (39.03385, 125.75432)
    by_text = {claim.text: claim for claim in story.claims}
    moscow = by_text["rund 6500 Kilometer"]
    assert (moscow.from_id, moscow.to_id, moscow.verdict) == ("geonames:2013348", "geonames:524901", "consistent")
    assert abs(moscow.computed_km - 6434) < 1
    assert by_text["17 Kilometer langen"].verdict == "unverifiable"
    assert by_text["60 Kilometer pro Stunde"].verdict == "unverifiable"


def test_sample_claims_and_legs():
    """Thresholds just under today's figures (benchmarks/claims.py prints them with every error)."""
    from benchmarks.claims import gold_samples, score

    tally = score(gold_samples())
    assert tally.claims_gold >= 30 and tally.claims_found == tally.claims_gold == tally.claims_predicted
    # Issue 20 (claims read from the discourse, 8 more claims): verdicts 61 of 65, pairs 57 of 65, legs 20 of 38.
    assert tally.verdict_right / tally.claims_found >= 0.93 and tally.pair_right / tally.claims_found >= 0.86
    assert tally.legs_found / tally.legs_gold >= 0.48 and tally.legs_found / tally.legs_predicted >= 0.9
    verdicts = {claim["verdict"] for _, _, record in gold_samples() for claim in record["claims"]}
    assert verdicts == {"consistent", "inconsistent", "unverifiable"}


def test_the_sample_flight_across_the_date_line_is_drawn_the_short_way(full_gazetteer):
    story = run_stages(read_document(SAMPLES / "en-air-new-zealand.txt"), "nz", full_gazetteer)
    honolulu = next(leg for leg in story.legs if leg.to_id == "geonames:5856195")
    longitudes = [lon for _lat, lon in honolulu.path]
    assert longitudes[0] == pytest.approx(174.76, abs=0.01) and longitudes[-1] == pytest.approx(360 - 157.86, abs=0.01)
    assert all(abs(b - a) <= 1.0 + 1e-9 for a, b in zip(longitudes, longitudes[1:]))
