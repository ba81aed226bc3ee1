"""Samples benchmark: place precision / recall / F1 on the project's own ``data/samples``.

    .venv/bin/python -m benchmarks.samples [--limit N] [--json OUT.json] [--quiet]

Each ``NAME.txt`` beside a ``NAME.gold.json`` ({"language", "published", "places": [{"start", "end",
"text", "id", "name"}], "not_places": [...]}) is analysed with the gold language and date. Two levels:

- recognition: a predicted mention is right when its span equals a gold place's span;
- end to end: the span matches AND the chosen id equals the gold id.

Every false positive and false negative is listed (file, span, text, predicted id, gold id), so
they can be read; a false positive on a span listed in "not_places" is marked as such.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .common import REPO_DIR, Gold, Predicted, match_spans, overlapping, predictions_of, prf, table, write_json

SAMPLES_DIR = REPO_DIR / "data" / "samples"


@dataclass(frozen=True)
class Sample:
    name: str
    text: str
    language: str
    published: str | None
    gold: tuple[Gold, ...]
    not_places: frozenset[tuple[int, int]]


def read_samples(directory: Path = SAMPLES_DIR) -> tuple[list[Sample], list[str]]:
    """Samples with a gold file, and the problems found (a gold span that does not match its text)."""
    samples, problems = [], []
    for gold_path in sorted(directory.glob("*.gold.json")):
        name = gold_path.name.removesuffix(".gold.json")
        text_path = directory / f"{name}.txt"
        if not text_path.exists():
            problems.append(f"{gold_path.name}: no {text_path.name}")
            continue
        text = text_path.read_text(encoding="utf-8")
        record = json.loads(gold_path.read_text(encoding="utf-8"))
        gold = []
        for place in record.get("places", []):
            start, end = int(place["start"]), int(place["end"])
            if text[start:end] != place.get("text", text[start:end]):
                problems.append(f"{gold_path.name}: {start}-{end} is {text[start:end]!r}, gold says {place['text']!r}")
            gold.append(Gold(name, start, end, text[start:end], place.get("id")))
        not_places = frozenset(
            (int(p["start"]), int(p["end"]))
            for p in record.get("not_places", [])
            if isinstance(p, dict) and "start" in p
        )
        samples.append(
            Sample(name, text, record.get("language", "auto"), record.get("published"), tuple(gold), not_places)
        )
    return samples, problems


def analyse_samples(samples: list[Sample]) -> tuple[list[Predicted], list[str]]:
    """Dateline's mentions for every sample (texts passed exactly as read)."""
    from geo.errors import DocumentError
    from geo.pipeline import Options, analyse
    from geo.read.document import normalise_text

    predicted, problems = [], []
    for sample in samples:
        if normalise_text(sample.text) != sample.text:
            problems.append(f"{sample.name}: text changes under NFC/newline normalisation; offsets may drift")
        try:
            story = analyse(
                sample.text, Options(language=sample.language, published=sample.published), story_id=sample.name
            )
        except DocumentError as exc:
            problems.append(f"{sample.name}: {exc}")
            continue
        predicted.extend(predictions_of(story, sample.name))
    return predicted, problems


def evaluate(samples: list[Sample], predicted: list[Predicted]) -> dict:
    """Counts and scores at both levels, per sample and in total, plus the error lists."""
    gold = [g for s in samples for g in s.gold]
    found = match_spans(gold, predicted)
    right = [(g, p) for g, p in found.pairs if g.id and g.id == p.id]
    wrong_id = [(g, p) for g, p in found.pairs if not (g.id and g.id == p.id)]
    by_sample = []
    for sample in samples:
        pairs = [x for x in found.pairs if x[0].doc == sample.name]
        fp = sum(p.doc == sample.name for p in found.false_positives)
        fn = sum(g.doc == sample.name for g in found.false_negatives)
        ok = sum(1 for g, p in pairs if g.id and g.id == p.id)
        by_sample.append(
            [
                sample.name,
                sample.language,
                len(sample.gold),
                len(pairs) + fp,
                *prf(len(pairs), fp, fn)[2:],
                prf(ok, fp + len(pairs) - ok, fn + len(pairs) - ok)[2],
            ]
        )
    n_pred = len(found.pairs) + len(found.false_positives)
    recognition = prf(len(found.pairs), len(found.false_positives), len(found.false_negatives))
    # End to end: a right span with the wrong id is both a false positive and a false negative.
    end_to_end = prf(len(right), n_pred - len(right), len(gold) - len(right))
    not_places = {(s.name, a, b) for s in samples for a, b in s.not_places}
    return {
        "gold": len(gold),
        "predicted": n_pred,
        "recognition": dict(zip(("p", "r", "f1"), recognition), tp=len(found.pairs)),
        "end_to_end": dict(zip(("p", "r", "f1"), end_to_end), tp=len(right)),
        "by_sample": by_sample,
        "false_positives": [
            [p.doc, f"{p.start}-{p.end}", p.text, p.id, _overlap(p, gold), "not_places" if p.span in not_places else ""]
            for p in found.false_positives
        ],
        "false_negatives": [
            [g.doc, f"{g.start}-{g.end}", g.text, _overlap(g, predicted), g.id or "", ""] for g in found.false_negatives
        ],
        "wrong_id": [[g.doc, f"{g.start}-{g.end}", g.text, p.id, g.id or "", ""] for g, p in wrong_id],
    }


def _overlap(item, others) -> str:
    """The id (and text) of an overlapping span on the other side: a boundary error, not a miss."""
    hits = overlapping(others, [item])
    return "; ".join(f"{h.id or '?'} (overlaps {h.text!r})" for h in hits)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.samples", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, help="only the first N samples")
    parser.add_argument("--json", help="save the figures to this JSON file")
    parser.add_argument("--quiet", action="store_true", help="totals only, no error lists")
    parser.add_argument("--dir", type=Path, default=SAMPLES_DIR, help="samples directory (default data/samples)")
    args = parser.parse_args(argv)
    samples, problems = read_samples(args.dir)
    samples = samples[: args.limit] if args.limit else samples
    if not samples:
        print(f"benchmarks: no *.gold.json samples in {args.dir}; nothing to measure")
        return 0
    predicted, more = analyse_samples(samples)
    figures = evaluate(samples, predicted)
    print(f"Samples: {len(samples)} files, {figures['gold']} gold places, {figures['predicted']} predicted mentions\n")
    print(
        table(
            ["level", "TP", "P", "R", "F1"],
            [
                [level, figures[level]["tp"], figures[level]["p"], figures[level]["r"], figures[level]["f1"]]
                for level in ("recognition", "end_to_end")
            ],
        )
    )
    print()
    print(table(["sample", "lang", "gold", "predicted", "recognition F1", "end-to-end F1"], figures["by_sample"]))
    if not args.quiet:
        headers = ["file", "span", "text", "predicted id", "gold id", "note"]
        for title, key in (
            ("False positives (no gold place at this span)", "false_positives"),
            ("False negatives (gold place not found at this span)", "false_negatives"),
            ("Right span, wrong id", "wrong_id"),
        ):
            print(f"\n{title}: {len(figures[key])}")
            if figures[key]:
                print(table(headers, figures[key]))
    for problem in problems + more:
        print(f"warning: {problem}", file=sys.stderr)
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
