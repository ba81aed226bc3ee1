"""Golden test: the project's own sample articles against their gold annotations.

The thresholds sit just under what Dateline achieves today (benchmarks/samples.py prints the
details), so a regression in recognition or resolution fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.document import read_document
from geo.pipeline import run_stages
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
        predicted = {(m.start, m.end, p.id) for p in story.places for m in p.mentions}
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


def test_recognition_precision_and_recall(results):
    precision, recall = micro(results, "span")
    assert precision >= 0.94 and recall >= 0.96, (precision, recall)


def test_end_to_end_precision_and_recall(results):
    precision, recall = micro(results, "id")
    assert precision >= 0.90 and recall >= 0.92, (precision, recall)


@pytest.mark.parametrize("name", [p.stem for p in gold_files()])
def test_each_sample_is_mostly_right(results, name):
    gold, predicted, spans = results[name]
    gold_spans = {(g["start"], g["end"]) for g in gold["places"]}
    found = len(gold_spans & spans)
    f1 = 2 * found / (len(gold_spans) + len(spans))
    assert f1 >= 0.85, f"{name}: recognition F1 {f1:.2f}"


def test_traps_are_mostly_avoided(results):
    hits = [(name, t["text"], t.get("why", "")) for name, (gold, _p, spans) in results.items()
            for t in gold.get("not_places", []) if (t["start"], t["end"]) in spans]
    total = sum(len(gold.get("not_places", [])) for gold, _p, _s in results.values())
    assert len(hits) <= 0.06 * total, hits


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
        "geonames:524901",   # Moskau
        "geonames:1873107",  # Nordkorea
        "geonames:690791",   # Ukraine
        "geonames:6252001",  # USA (and US- in compounds)
        "geonames:1835841",  # Südkorea
        "geonames:1861060",  # Japan
    }
    assert story.document.published == "2023-09-12"
    text = REFERENCE.read_text(encoding="utf-8")
    spans = {m.start for p in story.places for m in p.mentions}
    zug = text.index("Zug Aufmerksamkeit")
    assert zug not in spans  # the armoured train is not the Swiss town
