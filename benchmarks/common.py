"""Shared pieces of the benchmarks: where the evaluation data lives, span matching and the metrics.

One copy of each metric, so every script reports the same thing:

- recognition precision / recall / F1 on exact span matches (:func:`prf`, :func:`match_spans`);
- resolution error in kilometres on the WGS84 ellipsoid, via geopy's geodesic (:func:`error_km`);
- accuracy@161 km, mean and median error and the AUC of the log-error curve (:func:`resolution`);
- reliability of a confidence score against being within 161 km (:func:`reliability`).

Evaluation data is read from ``../shared/eval/`` beside the repository (or ``$DATELINE_EVAL_DIR``)
and is never copied into the project.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from geopy.distance import geodesic

REPO_DIR = Path(__file__).resolve().parents[1]
EVAL_ENV = "DATELINE_EVAL_DIR"
MAX_ERROR_KM = 20039.0      # half the Earth's circumference: the error of a miss
ACCURACY_KM = 161.0         # 100 miles
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
    kind: str = "toponym"        # the dataset's annotation type (GeoWebNews: Literal, Metonymic...)
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


def match_spans(gold: Iterable[Gold], predicted: Iterable[Predicted],
                ignore: Iterable[tuple[str, int, int]] = ()) -> SpanMatch:
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
    return [item for item in items
            if any(start < item.end and item.start < end for start, end in by_doc.get(item.doc, ()))]


def predictions_of(story, doc: str) -> list[Predicted]:
    """Every mention of every place in a Story, as Predicted rows (sorted by offset)."""
    rows = [Predicted(doc, m.start, m.end, m.text, place.id, place.lat, place.lon, place.confidence,
                      place.kind)
            for place in story.places for m in place.mentions]
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
    return Resolution(len(errors), accuracy_at(errors), statistics.fmean(errors),
                      statistics.median(errors), auc_log_error(errors))


@dataclass(frozen=True)
class ReliabilityBin:
    low: float
    high: float
    count: int
    mean_confidence: float
    accuracy: float


def reliability(scored: Iterable[tuple[float, bool]],
                bins: Sequence[tuple[float, float]] = CONFIDENCE_BINS) -> list[ReliabilityBin]:
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
        return "  ".join(v.ljust(w) if l else v.rjust(w) for v, w, l in zip(values, widths, left)).rstrip()

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
        Path(path).write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=_jsonable) + "\n",
                              encoding="utf-8")
        print(f"\nfigures written to {path}")


def _jsonable(value: object) -> object:
    if hasattr(value, "__dataclass_fields__"):
        return {k: getattr(value, k) for k in value.__dataclass_fields__}
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
