"""Shared pieces of the benchmarks: where the evaluation data lives, span matching and the metrics.

One copy of each metric, so every script reports the same thing:

- recognition precision / recall / F1 on exact span matches (:func:`prf`, :func:`match_spans`);
- resolution error in kilometres on the WGS84 ellipsoid, via geopy's geodesic (:func:`error_km`);
- accuracy@161 km, mean and median error and the AUC of the log-error curve (:func:`resolution`);
- reliability of a confidence score against being within 161 km (:func:`reliability`);
- temporal expressions, TempEval-3 style: one-to-one overlap matching (:func:`match_timexes`),
  strict and relaxed span P/R/F1, value accuracy and value P/R/F1, type accuracy
  (:func:`timex_scores`), and time per article (:func:`timing`).

Evaluation data is read from ``../shared/eval/`` beside the repository (or ``$DATELINE_EVAL_DIR``)
and is never copied into the project.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from geopy.distance import geodesic

REPO_DIR = Path(__file__).resolve().parents[1]
EVAL_ENV = "DATELINE_EVAL_DIR"
MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the error of a miss
ACCURACY_KM = 161.0  # 100 miles
CONFIDENCE_BINS = ((0.0, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 1.0))


# --------------------------------------------------------------------------- data location


def eval_dir() -> Path:
    """The evaluation data directory: $DATELINE_EVAL_DIR, else ``../shared/eval`` beside the repo."""
    configured = os.environ.get(EVAL_ENV)
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "shared" / "eval"


def eval_path(*parts: str) -> Path | None:
    """A path under the evaluation directory, or None (with a note on stderr) if it is absent."""
    path = eval_dir().joinpath(*parts)
    if not path.exists():
        print(f"benchmarks: {path} not found (set ${EVAL_ENV}); skipping", file=sys.stderr)
        return None
    return path


# --------------------------------------------------------------------------- spans


@dataclass(frozen=True)
class Gold:
    """One gold toponym: its exact span, and where known its GeoNames id and coordinates."""

    doc: str
    start: int
    end: int
    text: str
    id: str | None = None
    lat: float | None = None
    lon: float | None = None
    kind: str = "toponym"  # the dataset's annotation type (GeoWebNews: Literal, Metonymic...)
    demonym: bool = False

    @property
    def span(self) -> tuple[str, int, int]:
        return (self.doc, self.start, self.end)

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class Predicted:
    """One mention Dateline found, with the place it chose."""

    doc: str
    start: int
    end: int
    text: str
    id: str
    lat: float
    lon: float
    confidence: float
    kind: str = ""
    role: str = "literal"  # Mention.role: "demonym" for "Russian", judged only where the gold tags demonyms

    @property
    def span(self) -> tuple[str, int, int]:
        return (self.doc, self.start, self.end)


@dataclass(frozen=True)
class SpanMatch:
    """Exact-span matching of predictions against gold: pairs, false positives, false negatives."""

    pairs: tuple[tuple[Gold, Predicted], ...]
    false_positives: tuple[Predicted, ...]
    false_negatives: tuple[Gold, ...]
    ignored: int = 0

    @property
    def scores(self) -> tuple[float, float, float]:
        return prf(len(self.pairs), len(self.false_positives), len(self.false_negatives))


def match_spans(
    gold: Iterable[Gold], predicted: Iterable[Predicted], ignore: Iterable[tuple[str, int, int]] = ()
) -> SpanMatch:
    """Pair gold and predicted mentions whose (doc, start, end) are equal.

    A prediction on an ``ignore`` span (a gold annotation left out of this view, such as a demonym
    when measuring without demonyms) is neither a true nor a false positive.
    """
    by_span = {g.span: g for g in gold}
    ignored = set(ignore) - set(by_span)
    pairs, false_positives, skipped = [], [], 0
    for p in predicted:
        if p.span in by_span:
            pairs.append((by_span.pop(p.span), p))
        elif p.span in ignored:
            skipped += 1
        else:
            false_positives.append(p)
    return SpanMatch(tuple(pairs), tuple(false_positives), tuple(by_span.values()), skipped)


def overlapping(items: Iterable, others: Iterable) -> list:
    """The items whose span overlaps the span of some other item in the same document."""
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for other in others:
        by_doc.setdefault(other.doc, []).append((other.start, other.end))
    return [
        item for item in items if any(start < item.end and item.start < end for start, end in by_doc.get(item.doc, ()))
    ]


def predictions_of(story, doc: str, *, demonyms: bool = False) -> list[Predicted]:
    """Every mention of every place in a Story, as Predicted rows (sorted by offset). Demonym
    mentions ("Russian" for Russia) only with ``demonyms``: a set that tags none (GermEval's
    LOCderiv is no LOC, the samples list them as not places) does not count them as places."""
    from geo.model import DEMONYM

    rows = [
        Predicted(doc, m.start, m.end, m.text, place.id, place.lat, place.lon, place.confidence, place.kind, m.role)
        for place in story.places
        for m in place.mentions
        if demonyms or m.role != DEMONYM
    ]
    return sorted(rows, key=lambda p: (p.start, p.end))


# --------------------------------------------------------------------------- metrics


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where a ratio is undefined).

    >>> prf(8, 2, 8)
    (0.8, 0.5, 0.6153846153846154)
    """
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def error_km(gold: tuple[float, float], predicted: tuple[float, float]) -> float:
    """Geodesic distance in km on the WGS84 ellipsoid (geopy), between two (lat, lon) points.

    >>> round(error_km((39.0194, 125.7381), (43.1155, 131.8855)))  # Pyongyang - Vladivostok
    688
    """
    return geodesic(gold, predicted).km


def accuracy_at(errors: Sequence[float], km: float = ACCURACY_KM) -> float:
    """Share of errors within ``km`` (0.0 for no errors)."""
    return sum(e <= km for e in errors) / len(errors) if errors else 0.0


def auc_log_error(errors: Sequence[float], max_error: float = MAX_ERROR_KM) -> float:
    """Area under the curve of log errors, normalised to [0, 1]; lower is better.

    As in Gritta, Pilehvar & Collier (2018), "Which Melbourne? Augmenting geocoding with maps"
    (and the GeoWebNews paper, 2019): sort the errors, take y_i = ln(1 + e_i), and integrate with the
    trapezoidal rule over the unit-spaced sorted positions, normalised by the area of the maximal
    curve:

        AUC = trapezoid(ln(1 + sorted(e))) / ((n - 1) * ln(20039))

    A single error is its own height: ln(1 + e) / ln(20039). Errors above ``max_error`` are capped.

    >>> auc_log_error([0.0, 0.0])
    0.0
    >>> round(auc_log_error([20039.0, 20039.0]), 4)
    1.0
    """
    if not errors:
        return 0.0
    heights = np.log1p(np.minimum(np.sort(np.asarray(errors, dtype=float)), max_error))
    if len(heights) == 1:
        return float(heights[0] / np.log(max_error))
    return float(np.trapezoid(heights) / ((len(heights) - 1) * np.log(max_error)))


@dataclass(frozen=True)
class Resolution:
    """Resolution figures over a set of errors (km)."""

    n: int
    accuracy: float
    mean_km: float
    median_km: float
    auc: float


def resolution(errors: Sequence[float]) -> Resolution:
    """acc@161, mean and median error (km) and AUC of a list of errors."""
    if not errors:
        return Resolution(0, 0.0, 0.0, 0.0, 0.0)
    return Resolution(
        len(errors), accuracy_at(errors), statistics.fmean(errors), statistics.median(errors), auc_log_error(errors)
    )


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    count: int
    mean_confidence: float
    accuracy: float


def reliability(
    scored: Iterable[tuple[float, bool]], bins: Sequence[tuple[float, float]] = CONFIDENCE_BINS
) -> list[ReliabilityBin]:
    """Per confidence bin: how many, their mean confidence and the share that was right.

    Bins are half-open [low, high) except the last, which includes its upper edge.
    """
    scored = list(scored)
    result = []
    for i, (low, high) in enumerate(bins):
        last = i == len(bins) - 1
        inside = [(c, ok) for c, ok in scored if low <= c < high or (last and c == high)]
        mean = statistics.fmean(c for c, _ in inside) if inside else 0.0
        accuracy = sum(ok for _, ok in inside) / len(inside) if inside else 0.0
        result.append(ReliabilityBin(low, high, len(inside), mean, accuracy))
    return result


def calibration_error(bins: Sequence[ReliabilityBin]) -> float:
    """Expected calibration error: the count-weighted mean gap between confidence and accuracy."""
    total = sum(b.count for b in bins)
    return sum(b.count * abs(b.accuracy - b.mean_confidence) for b in bins) / total if total else 0.0


def most_populous(matches) -> object | None:
    """The population baseline's choice: the candidate with the largest population, or None."""
    candidates = [m.candidate for m in matches]
    return max(candidates, key=lambda c: (c.population, c.id)) if candidates else None


# --------------------------------------------------------------------------- output


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain-text table: text columns left-aligned, numbers right-aligned (see :func:`_cell`)."""
    rows = [list(row) for row in rows]
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    left = [all(isinstance(r[i], str) or r[i] is None for r in rows) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) if is_left else v.rjust(w) for v, w, is_left in zip(values, widths, left)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells])


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}" if -1.0 <= value <= 1.0 else f"{value:,.0f}"
    return str(value)


def write_json(path: str | None, figures: object) -> None:
    """Save figures as JSON (when --json was given)."""
    if path:
        Path(path).write_text(
            json.dumps(figures, indent=2, ensure_ascii=False, default=_jsonable) + "\n", encoding="utf-8"
        )
        print(f"\nfigures written to {path}")


def _jsonable(value: object) -> object:
    if hasattr(value, "__dataclass_fields__"):
        return {k: getattr(value, k) for k in value.__dataclass_fields__}
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


# --------------------------------------------------------------------------- temporal expressions


@dataclass(frozen=True)
class TimexSpan:
    """One temporal expression, gold or predicted: span, value and (where known) type and modifier.

    ``value`` None (or "") means the gold annotation gives no value (a TIMEX2 without ``val``): it
    counts for the spans and is left out of the value figures.
    """

    doc: str
    start: int
    end: int
    text: str
    value: str | None = None
    type: str | None = None
    mod: str | None = None

    @property
    def span(self) -> tuple[str, int, int]:
        return (self.doc, self.start, self.end)

    @property
    def has_value(self) -> bool:
        return bool(self.value)


@dataclass(frozen=True)
class TimexMatch:
    """One-to-one relaxed (overlap) matching of gold and predicted timexes, TempEval-3 style."""

    pairs: tuple[tuple[TimexSpan, TimexSpan], ...]
    false_positives: tuple[TimexSpan, ...]
    false_negatives: tuple[TimexSpan, ...]
    strict: int  # gold timexes with a prediction of exactly the same span (one-to-one)


@dataclass(frozen=True)
class TimexScores:
    """TempEval-3 style figures: strict and relaxed span P/R/F1, value and type accuracy, value P/R/F1."""

    gold: int
    predicted: int
    gold_with_value: int
    strict: tuple[float, float, float]
    relaxed: tuple[float, float, float]
    value_accuracy: float  # right values / relaxed matches whose gold has a value
    value: tuple[float, float, float]
    type_accuracy: float | None  # right types / relaxed matches whose gold has a type (None: no type)
    strict_tp: int
    relaxed_tp: int
    value_tp: int

    def as_dict(self) -> dict:
        def prf_dict(t):
            return dict(zip(("p", "r", "f1"), t))

        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "gold_with_value": self.gold_with_value,
            "strict": prf_dict(self.strict) | {"tp": self.strict_tp},
            "relaxed": prf_dict(self.relaxed) | {"tp": self.relaxed_tp},
            "value_accuracy": self.value_accuracy,
            "value": prf_dict(self.value) | {"tp": self.value_tp},
            "type_accuracy": self.type_accuracy,
        }


def overlap(a, b) -> int:
    """Characters shared by two spans (objects with start and end); 0 when they only touch.

    >>> overlap(TimexSpan("d", 0, 10, ""), TimexSpan("d", 5, 20, ""))
    5
    >>> overlap(TimexSpan("d", 0, 5, ""), TimexSpan("d", 5, 9, ""))
    0
    """
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def match_timexes(gold: Iterable[TimexSpan], predicted: Iterable[TimexSpan]) -> TimexMatch:
    """Pair gold and predicted timexes one-to-one within each document.

    Relaxed: every (gold, predicted) pair of the same document that overlaps is a candidate; pairs
    are taken greedily by largest overlap, then an exact span before an inexact one, then position
    (gold start, predicted start); a timex already paired is skipped. Strict: gold and predicted
    spans that are exactly equal, paired one-to-one (independent of the relaxed pairing, as the
    TempEval-3 scorer counts them).

    >>> g = [TimexSpan("d", 0, 10, "x"), TimexSpan("d", 20, 25, "y")]
    >>> p = [TimexSpan("d", 0, 10, "x"), TimexSpan("d", 22, 30, "z"), TimexSpan("d", 40, 44, "w")]
    >>> m = match_timexes(g, p)
    >>> len(m.pairs), m.strict, [t.start for t in m.false_positives], len(m.false_negatives)
    (2, 1, [40], 0)
    """
    gold, predicted = list(gold), list(predicted)
    by_doc: dict[str, list[TimexSpan]] = {}
    for p in predicted:
        by_doc.setdefault(p.doc, []).append(p)
    candidates = []
    for gi, g in enumerate(gold):
        for p in by_doc.get(g.doc, ()):
            shared = overlap(g, p)
            if shared:
                candidates.append((-shared, (g.start, g.end) != (p.start, p.end), g.start, p.start, gi, id(p), p))
    candidates.sort(key=lambda c: c[:4])
    used_gold, used_pred, pairs = set(), set(), []
    for *_, gi, pid, p in candidates:
        if gi in used_gold or pid in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pid)
        pairs.append((gold[gi], p))
    pairs.sort(key=lambda pair: (pair[0].doc, pair[0].start, pair[0].end))
    spans: dict[tuple[str, int, int], int] = {}
    for p in predicted:
        spans[p.span] = spans.get(p.span, 0) + 1
    strict = 0
    for g in gold:
        if spans.get(g.span):
            spans[g.span] -= 1
            strict += 1
    return TimexMatch(
        tuple(pairs),
        tuple(p for p in predicted if id(p) not in used_pred),
        tuple(g for i, g in enumerate(gold) if i not in used_gold),
        strict,
    )


def same_value(gold: TimexSpan, predicted: TimexSpan) -> bool:
    """The values are equal (exact string comparison after trimming spaces; no value never equals).

    >>> same_value(TimexSpan("d", 0, 4, "1939", "1939"), TimexSpan("d", 0, 4, "1939", " 1939"))
    True
    >>> same_value(TimexSpan("d", 0, 4, "x", None), TimexSpan("d", 0, 4, "x", None))
    False
    """
    return bool(gold.value) and (gold.value or "").strip() == (predicted.value or "").strip()


def timex_scores(
    gold: Sequence[TimexSpan], predicted: Sequence[TimexSpan], match: TimexMatch | None = None
) -> TimexScores:
    """TempEval-3 style figures for gold and predicted timexes (any number of documents).

    - strict span P/R/F1: exact (start, end); relaxed span P/R/F1: one-to-one overlap matches;
    - value accuracy: share of the relaxed matches (gold with a value) whose value equals the gold's;
    - value P/R/F1: a true positive is a relaxed match with the gold value; P over the predicted
      timexes (leaving out those matched to a gold timex without value), R over the gold timexes
      with a value;
    - type accuracy: share of the relaxed matches (gold with a type) whose type is the gold's.

    >>> g = [TimexSpan("d", 0, 4, "1939", "1939", "DATE"), TimexSpan("d", 10, 20, "x", "1940-05", "DATE")]
    >>> p = [TimexSpan("d", 0, 4, "1939", "1939", "DATE"), TimexSpan("d", 12, 20, "x", "1940", "DATE")]
    >>> s = timex_scores(g, p)
    >>> s.strict, s.relaxed, s.value_accuracy, s.value, s.type_accuracy
    ((0.5, 0.5, 0.5), (1.0, 1.0, 1.0), 0.5, (0.5, 0.5, 0.5), 1.0)
    """
    gold, predicted = list(gold), list(predicted)
    match = match if match is not None else match_timexes(gold, predicted)
    n_gold, n_pred = len(gold), len(predicted)
    relaxed_tp = len(match.pairs)
    valued = [(g, p) for g, p in match.pairs if g.has_value]
    value_tp = sum(same_value(g, p) for g, p in valued)
    gold_with_value = sum(g.has_value for g in gold)
    value_pred = n_pred - (relaxed_tp - len(valued))  # predictions matched to a valueless gold: out
    value = _ratio_prf(value_tp, value_pred, gold_with_value)
    typed = [(g, p) for g, p in match.pairs if g.type]
    type_accuracy = (
        sum(g.type == p.type for g, p in typed) / len(typed)
        if typed
        else None
        if not any(g.type for g in gold)
        else 0.0
    )
    return TimexScores(
        gold=n_gold,
        predicted=n_pred,
        gold_with_value=gold_with_value,
        strict=_ratio_prf(match.strict, n_pred, n_gold),
        relaxed=_ratio_prf(relaxed_tp, n_pred, n_gold),
        value_accuracy=value_tp / len(valued) if valued else 0.0,
        value=value,
        type_accuracy=type_accuracy,
        strict_tp=match.strict,
        relaxed_tp=relaxed_tp,
        value_tp=value_tp,
    )


VALUE_KINDS = (
    ("deictic_ref", re.compile(r"(PRESENT|PAST|FUTURE)_REF$")),
    ("duration", re.compile(r"P[\dXT]")),
    ("bc_date", re.compile(r"BC\d")),
    ("partial_date", re.compile(r".*X")),
    ("datetime", re.compile(r"\d{4}-\d\d-\d\dT")),
    ("full_date", re.compile(r"\d{4}-\d\d-\d\d$")),
    ("year_month", re.compile(r"\d{4}-\d\d$")),
    ("year_only", re.compile(r"\d{4}$")),
    ("season", re.compile(r"\d{4}-(SP|SU|FA|WI)$")),
    ("week", re.compile(r"\d{4}-W\d\d")),
    ("decade_century", re.compile(r"\d{1,3}$")),
)


def value_kind(value: str | None) -> str:
    """The shape of a TIMEX value, named like the English WikiWars record types where they agree.

    >>> [value_kind(v) for v in ("1939-09-01", "1939-09", "1939", "193", "BC0499", "P3D", "PAST_REF")]
    ['full_date', 'year_month', 'year_only', 'decade_century', 'bc_date', 'duration', 'deictic_ref']
    >>> [value_kind(v) for v in ("1943-SU", "XXXX-XX-XX", "1941-06-22TMO", "2023-W37", "1863-H1", None)]
    ['season', 'partial_date', 'datetime', 'week', 'other', 'no_value']
    """
    if not value:
        return "no_value"
    return next((kind for kind, pattern in VALUE_KINDS if pattern.match(value)), "other")


def _ratio_prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    return prf(tp, predicted - tp, gold - tp)


def best_overlapping(start: int, end: int, predicted: Iterable) -> object | None:
    """The prediction (with start, end) sharing most characters with [start, end), first on ties.

    >>> best_overlapping(5, 10, [TimexSpan("d", 0, 6, "a"), TimexSpan("d", 7, 12, "b")]).text
    'b'
    >>> best_overlapping(5, 10, [TimexSpan("d", 0, 5, "a")]) is None
    True
    """
    best, most = None, 0
    for p in predicted:
        shared = max(0, min(end, p.end) - max(start, p.start))
        if shared > most:
            best, most = p, shared
    return best


def timing(milliseconds: Sequence[float], characters: Sequence[int]) -> dict:
    """Median ms per article, and ms per 4,096 characters (total time over total length).

    >>> timing([2.0, 4.0, 30.0], [1024, 2048, 5120])
    {'articles': 3, 'median_ms': 4.0, 'ms_per_4kb': 18.0}
    """
    total = sum(characters)
    return {
        "articles": len(milliseconds),
        "median_ms": statistics.median(milliseconds) if milliseconds else 0.0,
        "ms_per_4kb": sum(milliseconds) / total * 4096 if total else 0.0,
    }
