"""Timeline benchmark: temporal expressions (TIMEX) found, typed and normalised by ``geo.timeline.events``.

    .venv/bin/python -m benchmarks.timeline [--only wikiwarsde,wikiwars-en,samples] [--limit N]
                                             [--json OUT.json] [--errors OUT.tsv]

Data: ``../shared/eval/timeline`` (or $DATELINE_EVAL_DIR/timeline), read in place; absent -> a note,
the set is skipped, exit 0. The samples are the project's ``data/samples/*.gold.json`` with "events".

- WikiWarsDE (German Wikipedia war narratives, gold TIMEX2): the <TEXT> content of each document,
  ``tag_text(text, "de", 2011-02-16, narrative=True)``. Strict and relaxed span P/R/F1, value
  accuracy and value P/R/F1 (TempEval-3 style, one-to-one matching), per document too.
- English WikiWars (records without offsets): each record's context is cleaned of markup, the
  expression located in it, ``tag_text(context, "en", None, narrative=True)`` run, and the predicted
  timex overlapping the expression taken: found / exact span / right value, per record type.
  No creation time and a window of ~240 characters: a value whose anchor lies outside the window
  cannot be right.
- Samples: ``tag_text(text, language, published, narrative=False)``; as WikiWarsDE plus type accuracy.
- Time: median ms per article and ms per 4 KB (4,096 characters), warm (after one warm-up call per
  language), for WikiWarsDE and the samples; each article's time is the median of three runs.

Published figures and the project's goals are printed beside (from ../shared/eval/timeline/README.md).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from .common import (
    TimexMatch,
    TimexSpan,
    best_overlapping,
    eval_path,
    match_timexes,
    same_value,
    table,
    timex_scores,
    timing,
    value_kind,
    write_json,
)
from .datasets import (
    ContextRecord,
    TimexDataset,
    TimexDocument,
    read_sample_timelines,
    read_wikiwars_de,
    read_wikiwars_en,
)

KEYS = ("wikiwarsde", "timebank", "wikiwars-en", "samples")
TIMING_RUNS = 3
# ../shared/eval/timeline/README.md: HeidelTime's own evaluation (narrative mode) and TEI2GO.
PUBLISHED = {
    "WikiWarsDE": {
        "HeidelTime": {"strict": 0.877, "relaxed": 0.933, "value": 0.885},
        "TEI2GO": {"strict": 0.676, "relaxed": 0.936},
    },
    # Measured with this scorer (the corpus README and issue 21): HeidelTime 2.2.1 in news mode with the
    # DCT, on the TimeBank half and on both halves of TBAQ-cleaned; Dateline before issue 21.
    "TimeBank": {
        "HeidelTime (TimeBank)": {"value": 0.795},
        "HeidelTime (TBAQ both)": {"strict": 0.841, "relaxed": 0.921, "value": 0.774, "type": 0.956},
        "Dateline before": {"value": 0.721},
    },
}
GOALS = {
    "WikiWarsDE": {"relaxed": 0.94, "value": 0.90},
    "TimeBank": {"relaxed": 0.93, "value": 0.82, "type": 0.96},
    "samples": {"value": 0.95},
}
MS_PER_4KB_GOAL = 10.0

Tagger = Callable[..., list]


def default_tagger() -> Tagger:
    """``geo.timeline.events.tag_text``, looked up at call time (so tests can replace it)."""
    import geo.timeline.events

    return geo.timeline.events.tag_text


@dataclass
class Run:
    """One dataset tagged: predictions, ms per document, and offset problems of the tagger."""

    dataset: TimexDataset
    predicted: list[TimexSpan]
    milliseconds: list[float]
    bad_offsets: int = 0


# --------------------------------------------------------------------------- TimeBank


def read_timebank(directory: Path) -> TimexDataset:
    """The TimeBank half of TempEval-3's TBAQ-cleaned: 183 English news stories in TimeML.

    Text: the content of ``<TEXT>`` with every tag removed (the files are XML; entities decoded).
    Publication date: the day of the ``CREATION_TIME`` TIMEX3 (the DCT, outside ``<TEXT>``). Gold:
    the ``<TIMEX3 type value mod>`` tags inside ``<TEXT>``, offsets into that text. Tagged in news
    mode (``narrative=False``).
    """
    documents, gold, problems = [], [], []
    for path in sorted(directory.glob("*.tml")):
        root = ElementTree.parse(path).getroot()
        dct = next((t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None)
        body = root.find("TEXT")
        if dct is None or body is None:
            problems.append(f"{path.name}: no creation time or no <TEXT>")
            continue
        text, tags = _flatten(body)
        published = datetime.date.fromisoformat(dct.get("value", "")[:10])
        documents.append(TimexDocument(path.stem, text, "en", published))
        gold.extend(
            TimexSpan(path.stem, start, end, text[start:end], tag.get("value"), tag.get("type"), tag.get("mod"))
            for tag, start, end in tags
        )
    notes = [f"document dates from each file's CREATION_TIME; news mode; {len(gold)} TIMEX3 in <TEXT>"]
    return TimexDataset(
        "TimeBank", tuple(documents), tuple(gold), narrative=False, notes=tuple(notes), problems=tuple(problems)
    )


def _flatten(element: ElementTree.Element) -> tuple[str, list[tuple[ElementTree.Element, int, int]]]:
    """The text of ``element`` without tags, and each TIMEX3 inside it with its offsets.

    >>> text, tags = _flatten(ElementTree.fromstring('<T>on <TIMEX3 value="1990">1990</TIMEX3>.</T>'))
    >>> text, [(t.get("value"), a, b) for t, a, b in tags]
    ('on 1990.', [('1990', 3, 7)])
    """
    parts: list[str] = []
    tags: list[tuple[ElementTree.Element, int, int]] = []
    length = 0

    def walk(node: ElementTree.Element) -> None:
        nonlocal length
        start = length
        if node.text:
            parts.append(node.text)
            length += len(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)
        if node.tag == "TIMEX3" and node is not element:
            tags.append((node, start, length))

    walk(element)
    return "".join(parts), sorted(tags, key=lambda t: t[1])


# --------------------------------------------------------------------------- running the tagger


def as_spans(doc: str, text: str, timexes) -> tuple[list[TimexSpan], int]:
    """Tagger output as TimexSpan rows, and how many have text[start:end] != timex.text."""
    rows, bad = [], 0
    for t in timexes:
        bad += text[t.start : t.end] != t.text
        rows.append(TimexSpan(doc, t.start, t.end, t.text, t.value, t.type, t.mod))
    return rows, bad


def tag_dataset(dataset: TimexDataset, tagger: Tagger | None = None) -> Run:
    """Tag every document (text exactly as read); one untimed warm-up call per language first."""
    tagger = tagger or default_tagger()
    warmed = set()
    for document in dataset.documents:
        if document.language not in warmed:
            tagger(document.text, document.language, document.published, narrative=dataset.narrative)
            warmed.add(document.language)
    predicted, milliseconds, bad = [], [], 0
    for document in dataset.documents:
        runs = []
        for _ in range(TIMING_RUNS):  # the median of a few runs: these machines are noisy
            began = time.perf_counter()
            timexes = tagger(document.text, document.language, document.published, narrative=dataset.narrative)
            runs.append((time.perf_counter() - began) * 1000)
        milliseconds.append(statistics.median(runs))
        rows, wrong = as_spans(document.id, document.text, timexes)
        predicted.extend(rows)
        bad += wrong
    return Run(dataset, predicted, milliseconds, bad)


@dataclass(frozen=True)
class ContextResult:
    record: ContextRecord
    predicted: TimexSpan | None

    @property
    def found(self) -> bool:
        return self.predicted is not None

    @property
    def exact(self) -> bool:
        return self.found and (self.predicted.start, self.predicted.end) == (self.record.start, self.record.end)

    @property
    def right(self) -> bool:
        return self.found and bool(self.record.value) and (self.predicted.value or "").strip() == self.record.value


def tag_contexts(records: Sequence[ContextRecord], tagger: Tagger | None = None) -> list[ContextResult]:
    """English WikiWars: tag each cleaned context, keep the prediction overlapping the record most."""
    tagger = tagger or default_tagger()
    results = []
    for record in records:
        if record.start < 0:
            results.append(ContextResult(record, None))
            continue
        rows, _ = as_spans(record.id, record.context, tagger(record.context, "en", None, narrative=True))
        results.append(ContextResult(record, best_overlapping(record.start, record.end, rows)))
    return results


def year_in_window(record: ContextRecord) -> bool:
    """Whether the year of the gold value (if it has one) is written in the context window.

    >>> r = ContextRecord("d", 0, "June 10", "1940-06-10", "full_date", None, "On June 10, Italy", 3, 10, 1)
    >>> year_in_window(r)
    False
    """
    value = record.value or ""
    digits = value[2:6] if value.startswith("BC") else value[:4]
    if not (len(digits) == 4 and digits.isdigit()):
        return True
    return str(int(digits)) in record.context if value.startswith("BC") else digits in record.context


# --------------------------------------------------------------------------- figures


def document_rows(run: Run) -> list[list[object]]:
    rows = []
    for document, ms in zip(run.dataset.documents, run.milliseconds):
        gold = [g for g in run.dataset.gold if g.doc == document.id]
        predicted = [p for p in run.predicted if p.doc == document.id]
        s = timex_scores(gold, predicted)
        rows.append(
            [document.id, len(document.text), len(gold), len(predicted), s.strict[2], s.relaxed[2], s.value[2], ms]
        )
    return rows


def kind_rows(run: Run, match: TimexMatch) -> list[list[object]]:
    """Relaxed recall and value accuracy per shape of the gold value (see common.value_kind)."""
    total = Counter(value_kind(g.value) for g in run.dataset.gold)
    found = Counter(value_kind(g.value) for g, _ in match.pairs)
    right = Counter(value_kind(g.value) for g, p in match.pairs if same_value(g, p))
    return [
        [
            kind,
            n,
            found[kind],
            found[kind] / n,
            right[kind],
            right[kind] / found[kind] if found[kind] and kind != "no_value" else None,
        ]
        for kind, n in total.most_common()
    ]


def score_rows(name: str, scores, published: dict, goals: dict) -> list[list[object]]:
    systems = list(published)
    rows = []
    for label, key, tp in (
        ("strict span", "strict", scores.strict_tp),
        ("relaxed span", "relaxed", scores.relaxed_tp),
        ("value", "value", scores.value_tp),
    ):
        p, r, f = getattr(scores, key)
        rows.append(
            [label, tp, p, r, f]
            + [published[s].get(key) for s in systems]
            + [f">= {goals[key]:.2f}" if key in goals else ""]
        )
    extra = [None] * len(systems)
    rows.append(["value accuracy (relaxed matches)", None, None, None, scores.value_accuracy] + extra + [""])
    if scores.type_accuracy is not None:
        rows.append(
            ["type accuracy (relaxed matches)", None, None, None, scores.type_accuracy]
            + [published[s].get("type") for s in systems]
            + [f">= {goals['type']:.2f}" if "type" in goals else ""]
        )
    return rows


def report_dataset(run: Run) -> dict:
    ds = run.dataset
    match = match_timexes(ds.gold, run.predicted)
    scores = timex_scores(ds.gold, run.predicted, match)
    speed = timing(run.milliseconds, [len(d.text) for d in ds.documents])
    print(
        f"\n=== {ds.name}: {len(ds.documents)} documents, {len(ds.gold)} gold timexes "
        f"({len(ds.gold) - scores.gold_with_value} without value), {len(run.predicted)} predicted, "
        f"{sum(run.milliseconds) / 1000:.1f} s ==="
    )
    for note in ds.notes:
        print(f"  note: {note}")
    for problem in ds.problems:
        print(f"  warning: {problem}")
    if run.bad_offsets:
        print(f"  warning: {run.bad_offsets} predicted timexes whose text is not text[start:end]")
    published = PUBLISHED.get(ds.name, {})
    goals = GOALS.get(ds.name, {})
    print()
    print(
        table(
            ["measure", "TP", "P", "R", "F1"] + [f"{s} (published)" for s in published] + ["goal"],
            score_rows(ds.name, scores, published, goals),
        )
    )
    print(
        "  (TempEval-3 style, one-to-one matching; value TP = relaxed match with the gold value;"
        " gold without value left out of value recall)"
    )
    print(
        f"\nTime, warm: median {speed['median_ms']:.1f} ms per article, {speed['ms_per_4kb']:.2f} ms per 4 KB "
        f"(goal <= {MS_PER_4KB_GOAL:.0f} ms per 4 KB)"
    )
    kinds = kind_rows(run, match)
    print("\nBy shape of the gold value (relaxed matches)")
    print(table(["gold value", "gold", "found", "recall", "right value", "value accuracy"], kinds))
    docs = document_rows(run)
    print()
    print(
        table(
            ["document", "chars", "gold", "predicted", "strict F1", "relaxed F1", "value F1", "ms"],
            [row[:-1] + [f"{row[-1]:.1f}"] for row in docs],
        )
    )
    return {
        "documents": len(ds.documents),
        "notes": list(ds.notes),
        "problems": list(ds.problems),
        "bad_offsets": run.bad_offsets,
        **scores.as_dict(),
        "time": speed,
        "published": published,
        "goals": goals,
        "by_value_kind": {
            r[0]: dict(zip(("gold", "found", "recall", "right", "value_accuracy"), r[1:])) for r in kinds
        },
        "by_document": {
            r[0]: dict(zip(("chars", "gold", "predicted", "strict_f1", "relaxed_f1", "value_f1", "ms"), r[1:]))
            for r in docs
        },
    }


def context_rows(results: Sequence[ContextResult]) -> list[list[object]]:
    """Per record type and in total: records, found (overlap), exact span, right value, accuracies."""
    by_type: dict[str, list[ContextResult]] = {}
    for result in results:
        by_type.setdefault(result.record.type or "?", []).append(result)
    groups = sorted(by_type.items(), key=lambda item: -len(item[1])) + [("all", list(results))]
    rows = []
    for name, group in groups:
        valued = [r for r in group if r.record.value]
        found = sum(r.found for r in group)
        right = sum(r.right for r in valued)
        found_valued = sum(r.found for r in valued)
        reachable = sum(year_in_window(r.record) for r in valued)
        rows.append(
            [
                name,
                len(group),
                found / len(group),
                sum(r.exact for r in group) / len(group),
                right / len(valued) if valued else None,
                right / found_valued if found_valued else None,
                reachable / len(valued) if valued else None,
            ]
        )
    return rows


def report_contexts(results: Sequence[ContextResult], problems: Sequence[str]) -> dict:
    valued = sum(bool(r.record.value) for r in results)
    located = sum(r.record.start >= 0 for r in results)
    print(
        f"\n=== English WikiWars: {len(results)} records ({valued} with a value), {located} located "
        f"in their context, {len(set(r.record.doc for r in results))} documents ==="
    )
    print(
        "  note: contexts cleaned of TIMEX2 markup; expression = occurrence closest to the middle;"
        " tagged with no creation time, narrative mode"
    )
    print(
        "  note: no creation time and ~240-character windows: a value anchored outside the window cannot"
        " be right (column 'year in window' = share whose value's year is written in the window)"
    )
    for problem in problems:
        print(f"  warning: {problem}")
    rows = context_rows(results)
    print()
    print(
        table(
            ["record type", "records", "found", "exact span", "value accuracy", "value acc. (found)", "year in window"],
            rows,
        )
    )
    print("  (value accuracy over records with a value; 'found': a predicted timex overlaps the expression)")
    keys = ("records", "found", "exact_span", "value_accuracy", "value_accuracy_found", "year_in_window")
    return {
        "records": len(results),
        "with_value": valued,
        "located": located,
        "problems": list(problems),
        "by_type": {r[0]: dict(zip(keys, r[1:])) for r in rows},
    }


# --------------------------------------------------------------------------- errors


def error_rows(run: Run) -> list[list[object]]:
    """Misses, false positives, and relaxed matches with a wrong span or a wrong value."""
    ds = run.dataset
    texts = {d.id: d.text for d in ds.documents}
    match = match_timexes(ds.gold, run.predicted)
    rows = []
    for g, p in match.pairs:
        wrong_span = (g.start, g.end) != (p.start, p.end)
        wrong_value = g.has_value and not same_value(g, p)
        if wrong_span or wrong_value:
            status = " + ".join(s for s, bad in (("wrong span", wrong_span), ("wrong value", wrong_value)) if bad)
            rows.append(_row(ds.name, status, g, p, texts))
    rows.extend(_row(ds.name, "missed", g, None, texts) for g in match.false_negatives)
    for p in match.false_positives:
        status = "false positive (not_events)" if p.span in ds.not_events else "false positive"
        rows.append(_row(ds.name, status, None, p, texts))
    return sorted(rows, key=lambda r: (r[2], r[3] if r[3] != "" else r[9]))


def _row(name: str, status: str, g: TimexSpan | None, p: TimexSpan | None, texts: dict[str, str]) -> list[object]:
    item = g or p
    text = texts.get(item.doc, "")
    around = " ".join(text[max(0, item.start - 60) : item.end + 60].split())
    return [
        name,
        status,
        item.doc,
        g.start if g else "",
        g.end if g else "",
        g.text if g else "",
        (g.value or "") if g else "",
        p.text if p else "",
        (p.value or "") if p else "",
        p.start if p else "",
        p.end if p else "",
        (g.type or "") if g else "",
        (p.type or "") if p else "",
        (g.mod or "") if g else "",
        (p.mod or "") if p else "",
        around,
    ]


def context_error_rows(results: Sequence[ContextResult]) -> list[list[object]]:
    rows = []
    for r in results:
        rec, p = r.record, r.predicted
        if r.found and (r.right or not rec.value) and r.exact:
            continue
        status = (
            "not located"
            if rec.start < 0
            else "missed"
            if not r.found
            else " + ".join(
                s for s, bad in (("wrong span", not r.exact), ("wrong value", rec.value and not r.right)) if bad
            )
        )
        rows.append(
            [
                "WikiWars en",
                status,
                rec.id,
                rec.start,
                rec.end,
                rec.text,
                rec.value or "",
                p.text if p else "",
                (p.value or "") if p else "",
                p.start if p else "",
                p.end if p else "",
                rec.type,
                (p.type or "") if p else "",
                rec.mod or "",
                (p.mod or "") if p else "",
                rec.context,
            ]
        )
    return rows


ERROR_HEADERS = [
    "dataset",
    "status",
    "doc",
    "start",
    "end",
    "gold text",
    "gold value",
    "predicted text",
    "predicted value",
    "predicted start",
    "predicted end",
    "gold type",
    "predicted type",
    "gold mod",
    "predicted mod",
    "context",
]


def write_errors(path: str, runs: Sequence[Run], results: Sequence[ContextResult]) -> int:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(ERROR_HEADERS)
        count = 0
        for run in runs:
            rows = error_rows(run)
            writer.writerows(rows)
            count += len(rows)
        rows = context_error_rows(results)
        writer.writerows(rows)
        count += len(rows)
    print(f"\nerror list written to {path} ({count} rows)")
    return count


# --------------------------------------------------------------------------- main


def load(
    key: str, limit: int | None, samples_dir: Path | None = None
) -> TimexDataset | tuple[list[ContextRecord], list[str]] | None:
    if key == "wikiwarsde":
        path = eval_path("timeline", "de", "WikiWarsDE_20110412")
        return read_wikiwars_de(path).limited(limit) if path else None
    if key == "timebank":
        path = eval_path("timeline", "en", "TimeBank")
        return read_timebank(path).limited(limit) if path else None
    if key == "wikiwars-en":
        path = eval_path("timeline", "en", "wikiwars_all.json")
        if path is None:
            return None
        records, problems = read_wikiwars_en(path)
        if limit:  # the first N documents
            keep = list(dict.fromkeys(r.doc for r in records))[:limit]
            records = [r for r in records if r.doc in keep]
        return records, problems
    dataset = read_sample_timelines(samples_dir).limited(limit)
    if not dataset.documents:
        print('benchmarks: no data/samples/*.gold.json with "events" yet; samples skipped', file=sys.stderr)
        return None
    return dataset


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.timeline", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default=",".join(KEYS), help="comma-separated: " + ",".join(KEYS))
    parser.add_argument("--limit", type=int, help="only the first N documents of each set")
    parser.add_argument("--json", help="save the figures to this JSON file")
    parser.add_argument("--errors", help="write misses, false positives and wrong values/spans to this TSV file")
    parser.add_argument("--samples-dir", type=Path, help="samples directory (default data/samples)")
    args = parser.parse_args(argv)
    keys = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = [k for k in keys if k not in KEYS]
    if unknown:
        parser.error(f"unknown set(s): {', '.join(unknown)}")
    out: dict = {"date": datetime.date.today().isoformat(), "machine": platform.platform(), "datasets": {}}
    runs, results = [], []
    for key in keys:
        loaded = load(key, args.limit, args.samples_dir)
        if loaded is None:
            continue
        if key == "wikiwars-en":
            records, problems = loaded
            began = time.perf_counter()
            results = tag_contexts(records)
            figures = report_contexts(results, problems)
            figures["seconds"] = time.perf_counter() - began
            out["datasets"]["WikiWars en"] = figures
        else:
            run = tag_dataset(loaded)
            runs.append(run)
            out["datasets"][loaded.name] = report_dataset(run)
    if not out["datasets"]:
        print("benchmarks: no timeline evaluation data found; nothing to measure")
        return 0
    if args.errors:
        write_errors(args.errors, runs, results)
    write_json(args.json, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
