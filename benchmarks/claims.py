"""Legs and claims benchmark: journeys and checked distances on ``data/samples``, and their speed.

    .venv/bin/python -m benchmarks.claims [--repeats N] [--json OUT.json] [--quiet] [--no-public]

Each sample's gold file lists its ``claims`` ({"start", "end", "text", "kind", "from", "to",
"verdict"}) and its ``legs`` ({"from", "to", "mode"}), annotated as a reader would: the two places
a distance joins, and the verdict the rules of ``geo/claims.py`` give on the true places. Figures:

- claims, found: a predicted claim is right when its span equals a gold claim's span (P / R / F1);
- on the found claims: kind, the pair of places (unordered; gold without a pair: no pair predicted)
  and the verdict, each as the share that agrees with the gold; every disagreement is listed;
- the same verdict and pair shares with the *gold places* given to ``check_claims`` (what the
  claim rules do when the places are right; end to end includes resolution errors);
- legs: a predicted leg is right when its (from, to) equals a gold leg's, in that direction
  (P / R / F1), and the share of right legs with the gold mode;
- the public claims set (``../shared/eval/claims/``: 149 statements in real English and German text,
  written by others): its own scorer is run (one ``geo extract`` per publication date, about a minute)
  and its figures printed beside the samples' (found, kind, pair, verdict, lenient verdict, claims
  the gold does not list), overall and per language; issue 20's goals are found >= 0.95, kind >=
  0.90, pair >= 0.85, lenient verdict >= 0.90 (>= 0.85 in each language), extra <= 2;
- speed: legs, their routes and the claims of the reference article from its read document and
  resolved places (``find_legs`` + ``draw_legs`` + ``check_claims``), warm, median of N runs; and
  the time to load each offline network once per process.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from geo.journeys.claims import check_claims
from geo.journeys.legs import find_legs
from geo.journeys.routing import draw_legs, route_lookup
from geo.model import Mention, Place, Story
from geo.pipeline import Options, analyse, run_stages
from geo.places.gazetteer import default_gazetteer
from geo.read.document import document_from_text, read_document

from .common import REPO_DIR, eval_path, prf, table, write_json

SAMPLES_DIR = REPO_DIR / "data" / "samples"
REFERENCE = REPO_DIR.parent / "shared" / "reference" / "seed-article-de.txt"
GOAL_MS = 5.0


@dataclass
class Tally:
    """Counts over all samples, and the disagreements to list."""

    claims_gold: int = 0
    claims_predicted: int = 0
    claims_found: int = 0
    kind_right: int = 0
    pair_right: int = 0
    verdict_right: int = 0
    gold_places_pair_right: int = 0
    gold_places_verdict_right: int = 0
    legs_gold: int = 0
    legs_predicted: int = 0
    legs_found: int = 0
    mode_right: int = 0
    errors: list[tuple] = field(default_factory=list)


def gold_samples() -> list[tuple[str, str, dict]]:
    """(name, text, gold record) of every sample with claim annotations."""
    samples = []
    for path in sorted(SAMPLES_DIR.glob("*.gold.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if "claims" in record:
            name = path.name.removesuffix(".gold.json")
            samples.append((name, (SAMPLES_DIR / f"{name}.txt").read_text(encoding="utf-8"), record))
    return samples


def gold_places(record: dict) -> tuple[Place, ...]:
    """The gold places of a sample as Places, coordinates from the gazetteer."""
    gazetteer = default_gazetteer()
    mentions: dict[str, list[Mention]] = {}
    for place in record["places"]:
        mentions.setdefault(place["id"], []).append(Mention(place["start"], place["end"], place["text"]))
    places = []
    for place_id, found in mentions.items():
        entry = gazetteer.get(place_id)
        if entry is not None:
            places.append(
                Place(
                    place_id,
                    entry.name,
                    found[0].text,
                    entry.lat,
                    entry.lon,
                    entry.country,
                    entry.kind,
                    1.0,
                    tuple(found),
                )
            )
    return tuple(places)


def pair(claim_or_gold) -> frozenset | None:
    ends = (
        (claim_or_gold["from"], claim_or_gold["to"])
        if isinstance(claim_or_gold, dict)
        else (claim_or_gold.from_id, claim_or_gold.to_id)
    )
    return frozenset(ends) if all(ends) else None


def score(samples: Sequence[tuple[str, str, dict]]) -> Tally:
    tally = Tally()
    for name, text, record in samples:
        story = analyse(text, Options(language=record["language"], published=record["published"]), story_id=name)
        document = document_from_text(text, language=record["language"], published=record["published"])
        places = gold_places(record)
        legs = find_legs(text, document.sentences, places, record["language"])
        with_gold = check_claims(text, document.sentences, places, record["language"], route_lookup(), legs)
        _score_claims(tally, name, record["claims"], story, {(c.start, c.end): c for c in with_gold})
        _score_legs(tally, name, record["legs"], story)
    return tally


def _score_claims(tally: Tally, name: str, gold: list[dict], story: Story, with_gold: dict) -> None:
    predicted = {(c.start, c.end): c for c in story.claims}
    tally.claims_gold += len(gold)
    tally.claims_predicted += len(predicted)
    for item in gold:
        claim = predicted.get((item["start"], item["end"]))
        if claim is None:
            tally.errors.append((name, "claim missed", item["text"], item["verdict"], ""))
            continue
        tally.claims_found += 1
        tally.kind_right += claim.kind == item["kind"]
        pair_ok = pair(claim) == pair(item)
        tally.pair_right += pair_ok
        tally.verdict_right += claim.verdict == item["verdict"]
        if not pair_ok or claim.verdict != item["verdict"]:
            tally.errors.append(
                (name, "claim", item["text"], f"{item['verdict']} {_ids(item)}", f"{claim.verdict} {_ids(claim)}")
            )
        given = with_gold.get((item["start"], item["end"]))
        tally.gold_places_pair_right += bool(given) and pair(given) == pair(item)
        tally.gold_places_verdict_right += bool(given) and given.verdict == item["verdict"]
    gold_spans = {(g["start"], g["end"]) for g in gold}
    for span, claim in predicted.items():
        if span not in gold_spans:
            tally.errors.append((name, "claim not in gold", claim.text, "", claim.verdict))


def _score_legs(tally: Tally, name: str, gold: list[dict], story: Story) -> None:
    predicted = {(leg.from_id, leg.to_id): leg for leg in story.legs}
    tally.legs_gold += len(gold)
    tally.legs_predicted += len(predicted)
    labels = {p.id: p.label for p in story.places}
    for item in gold:
        leg = predicted.get((item["from"], item["to"]))
        if leg is None:
            tally.errors.append((name, "leg missed", f"{item['from']} > {item['to']}", item["mode"], ""))
            continue
        tally.legs_found += 1
        tally.mode_right += leg.mode == item["mode"]
        if leg.mode != item["mode"]:
            tally.errors.append(
                (name, "leg mode", f"{labels[leg.from_id]} > {labels[leg.to_id]}", item["mode"], leg.mode)
            )
    gold_pairs = {(g["from"], g["to"]) for g in gold}
    for (first, second), leg in predicted.items():
        if (first, second) not in gold_pairs:
            tally.errors.append((name, "leg not in gold", f"{labels[first]} > {labels[second]}", "", leg.mode))


def _ids(claim) -> str:
    ends = pair(claim)
    return "-".join(sorted(ends)) if ends else "no pair"


def time_reference(repeats: int) -> dict:
    """Median ms for legs + routes + claims of the reference article, warm; network load times."""
    from geo.journeys.networks import network_load_seconds

    document = read_document(REFERENCE)
    story = run_stages(document, "reference", default_gazetteer())  # warms every cache and loads the networks
    places = story.places
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        legs = find_legs(document.text, document.sentences, places, document.language)
        draw_legs(legs, places)
        check_claims(document.text, document.sentences, places, document.language, route_lookup())
        times.append((time.perf_counter() - began) * 1000)
    return {
        "median_ms": statistics.median(times),
        "repeats": repeats,
        "legs": len(story.legs),
        "claims": len(story.claims),
        "network_load_s": network_load_seconds(),
    }


_FIGURES = re.compile(r"^(?:# lang=(\w+) )?(claims_found=.*)$")


def public_claims() -> dict[str, dict[str, float]] | None:
    """The public claims set's figures from its own scorer ({"all": ..., "de": ..., "en": ...}), or
    None when the evaluation data is not beside the repository."""
    scorer = eval_path("claims", "score.py")
    if scorer is None:
        return None
    done = subprocess.run(
        [sys.executable, str(scorer), "--python", sys.executable, "--project", str(REPO_DIR)],
        capture_output=True,
        text=True,
        cwd=REPO_DIR,
    )
    if done.returncode:
        print(f"benchmarks: the claims scorer failed: {done.stderr.strip()[-500:]}", file=sys.stderr)
        return None
    rows: dict[str, dict[str, float]] = {}
    for line in done.stdout.splitlines():
        found = _FIGURES.match(line)
        if found:
            values = dict(item.split("=") for item in found[2].split())
            rows[found[1] or "all"] = {key: float(value) for key, value in values.items() if key != "docs"}
    return {name: rows[name] for name in sorted(rows, key=lambda name: name != "all")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=51, help="timed runs on the reference article")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--quiet", action="store_true", help="figures only, no list of disagreements")
    parser.add_argument("--no-public", action="store_true", help="skip the public claims set")
    args = parser.parse_args(argv)
    tally = score(gold_samples())
    claims_p, claims_r, claims_f = prf(
        tally.claims_found, tally.claims_predicted - tally.claims_found, tally.claims_gold - tally.claims_found
    )
    legs_p, legs_r, legs_f = prf(
        tally.legs_found, tally.legs_predicted - tally.legs_found, tally.legs_gold - tally.legs_found
    )
    found = tally.claims_found or 1
    figures = {
        "claims": {
            "gold": tally.claims_gold,
            "predicted": tally.claims_predicted,
            "found": tally.claims_found,
            "precision": claims_p,
            "recall": claims_r,
            "f1": claims_f,
            "kind_accuracy": tally.kind_right / found,
            "pair_accuracy": tally.pair_right / found,
            "verdict_accuracy": tally.verdict_right / found,
            "gold_places_pair_accuracy": tally.gold_places_pair_right / found,
            "gold_places_verdict_accuracy": tally.gold_places_verdict_right / found,
        },
        "legs": {
            "gold": tally.legs_gold,
            "predicted": tally.legs_predicted,
            "found": tally.legs_found,
            "precision": legs_p,
            "recall": legs_r,
            "f1": legs_f,
            "mode_accuracy": tally.mode_right / (tally.legs_found or 1),
        },
    }
    if REFERENCE.exists():
        figures["reference_speed"] = time_reference(args.repeats)
    print(
        table(
            ["claims", "gold", "found", "P", "R", "F1", "kind", "pair", "verdict", "pair*", "verdict*"],
            [
                [
                    "samples",
                    tally.claims_gold,
                    tally.claims_found,
                    claims_p,
                    claims_r,
                    claims_f,
                    figures["claims"]["kind_accuracy"],
                    figures["claims"]["pair_accuracy"],
                    figures["claims"]["verdict_accuracy"],
                    figures["claims"]["gold_places_pair_accuracy"],
                    figures["claims"]["gold_places_verdict_accuracy"],
                ]
            ],
        )
    )
    print("  * with the gold places given to check_claims (the claim rules alone)\n")
    print(
        table(
            ["legs", "gold", "found", "P", "R", "F1", "mode"],
            [["samples", tally.legs_gold, tally.legs_found, legs_p, legs_r, legs_f, figures["legs"]["mode_accuracy"]]],
        )
    )
    if "reference_speed" in figures:
        speed = figures["reference_speed"]
        print(
            f"\nreference article: legs + routes + claims {speed['median_ms']:.2f} ms warm "
            f"(median of {speed['repeats']}; goal <= {GOAL_MS:g} ms); {speed['legs']} legs, {speed['claims']} claims"
        )
        loads = ", ".join(f"{mode} {seconds:.2f} s" for mode, seconds in speed["network_load_s"].items())
        print(f"offline networks, first load per process: {loads or 'none loaded'}")
    public = None if args.no_public else public_claims()
    if public:
        figures["public"] = public
        print("\npublic claims set (../shared/eval/claims, its own scorer):")
        print(
            table(
                ["set", "n", "found", "kind", "pair", "verdict", "lenient", "extra"],
                [
                    [
                        name,
                        row["n"],
                        row["claims_found"],
                        row["claims_kind"],
                        row.get("claims_pair", "-"),
                        row["claims_verdict"],
                        row["claims_verdict_lenient"],
                        row.get("extra", "-"),
                    ]
                    for name, row in public.items()
                ],
            )
        )
        print("  goals: found >= 0.95, kind >= 0.90, pair >= 0.85, lenient >= 0.90 (0.85 per language), extra <= 2")
    if not args.quiet and tally.errors:
        print()
        print(table(["sample", "what", "text", "gold", "predicted"], tally.errors))
    write_json(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
