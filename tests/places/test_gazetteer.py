"""The gazetteer index: exact look-ups, source handling, caching, and an index file that is damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.places import gazetteer as gz_module
from geo.places.gazetteer import (
    ALTERNATE,
    Gazetteer,
    GazetteerError,
    KeyFilter,
    _keep_alternate,
    build_index,
    index_problem,
    normalise,
    read_curated,
)
from tests.conftest import city
from tests.places.indexes import DAMAGE, builds, damage_the_lookup_pages, use_small_sources


def test_normalise_folds_case_apostrophes_dashes_and_spaces():
    assert normalise("  Frankfurt  (Oder) ") == "frankfurt (oder)"
    assert normalise("Côte d’Ivoire") == normalise("Côte d'Ivoire")
    assert normalise("Baden\u2013Württemberg") == "baden-württemberg"
    assert normalise("STRAßE") == normalise("strasse")  # casefold: ß -> ss


def test_lookup_is_exact_not_substring(small_gazetteer):
    assert small_gazetteer.lookup("Frankfurt am") == ()
    assert small_gazetteer.lookup("Pari") == ()
    names = {m.candidate.id for m in small_gazetteer.lookup("paris")}
    assert names == {"geonames:2988507", "geonames:4717560", "geonames:4647963"}


def test_lookup_finds_exonyms_and_orders_by_prominence(small_gazetteer):
    (match,) = small_gazetteer.lookup("Pjöngjang")
    assert match.candidate.name == "Pyongyang" and match.flags & ALTERNATE and match.capital
    georgia = small_gazetteer.lookup("Georgia")
    assert [m.candidate.kind for m in georgia] == ["region", "country"]  # non-cities first, by population


def test_lookup_many_returns_only_matching_keys(small_gazetteer):
    found = small_gazetteer.lookup_many(["Zug", "Nowhere", "ESSEN"])
    assert set(found) == {"zug", "essen"}


def test_key_filter_admits_every_key_and_few_others(full_gazetteer):
    keys = {key for (key,) in full_gazetteer._connection.execute("SELECT DISTINCT key FROM names")}
    assert all(key in full_gazetteer._filter for key in keys)  # a key it ruled out would be a place lost
    absent = [f"{key} {number}" for number, key in enumerate(sorted(keys)[::50])]
    assert sum(key in full_gazetteer._filter for key in absent) < 0.03 * len(absent)


def test_key_filter_of_a_small_index():
    keys = {"zug", "essen", "frankfurt am main"}
    assert all(key in KeyFilter.of(keys) for key in keys)
    assert len(KeyFilter.of(keys).bits) * 8 >= 1024


def test_get_and_stats(small_gazetteer):
    assert small_gazetteer.get("geonames:2657908").name == "Zug"
    assert small_gazetteer.get("geonames:0") is None
    assert small_gazetteer.stats()["places"] == 32


def test_alternate_filter_drops_codes_and_lowercase_romanisations():
    assert not _keep_alternate("FNJ", "Pyongyang")
    assert not _keep_alternate("ping rang", "Pyongyang")
    assert _keep_alternate("Pjöngjang", "Pyongyang")
    assert _keep_alternate("平壤", "Pyongyang")
    assert _keep_alternate("NYC", "NYC")
    assert not _keep_alternate("The Bank", "Portsmouth")  # a nickname: "The Bank of Japan kept rates"
    assert _keep_alternate("The Hague", "The Hague") and _keep_alternate("Den Haag", "The Hague")


def test_nicknames_after_an_article_are_no_keys(full_gazetteer):
    assert not full_gazetteer.lookup("The Bank") and full_gazetteer.lookup("The Hague")


def write_tsv(path: Path, rows: list[str]) -> Path:
    header = "# test\n# FORMAT: id\tkind\tname\tlat\tlon\tcountry\tadmin1\tpopulation\tnames\tsource\n"
    path.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_curated_rows_parse(tmp_path):
    path = write_tsv(
        tmp_path / "x.tsv", ["geonames:703883\tregion\tCrimea\t45.0\t34.0\tUA\t11\t\tKrim|Crimea\tGeoNames"]
    )
    (entry,) = read_curated(path)
    assert entry.kind == "region" and entry.admin1 == "11" and ("Krim", 4) in entry.names


@pytest.mark.parametrize(
    "row, message",
    [
        ("geonames:1\tregion\tX\t1\t2", "x.tsv:3: expected 10"),
        ("geonames:1\tplanet\tX\t1\t2\t\t\t\tX\ts", "x.tsv:3: kind 'planet'"),
        ("geonames:1\tregion\tX\t95\t2\t\t\t\tX\ts", "x.tsv:3: coordinates"),
        ("geonames:1\tregion\tX\tnorth\t2\t\t\t\tX\ts", "x.tsv:3:"),
    ],
)
def test_curated_errors_name_file_and_line(tmp_path, row, message):
    path = write_tsv(tmp_path / "x.tsv", [row])
    with pytest.raises(GazetteerError, match=message.replace("(", r"\(")):
        list(read_curated(path))


def test_index_is_rebuilt_when_a_source_changes_and_reused_otherwise(tmp_path, monkeypatch):
    curated = tmp_path / "curated"
    curated.mkdir()
    write_tsv(curated / "a.tsv", ["geonames:1\tregion\tAland\t1\t2\t\t\t\tAland\ts"])
    monkeypatch.setattr(gz_module, "CURATED_DIR", curated)
    log = use_small_sources(tmp_path, monkeypatch)
    first = gz_module.ensure_index()
    assert gz_module.ensure_index() == first and builds(log) == 1
    write_tsv(curated / "a.tsv", ["geonames:1\tregion\tAland\t1\t3\t\t\t\tAland\ts"])
    second = gz_module.ensure_index()
    assert second != first and builds(log) == 2
    assert not first.exists()  # the stale index is removed


# --------------------------------------------------------------------------- a damaged index


@pytest.mark.parametrize("damage", DAMAGE, ids=str)
def test_a_damaged_index_is_refused_in_one_line(small_gazetteer, tmp_path, damage):
    path = tmp_path / "index.sqlite"
    path.write_bytes(small_gazetteer.path.read_bytes())
    DAMAGE[damage](path)
    assert index_problem(path) is not None
    with pytest.raises(GazetteerError) as error:
        Gazetteer(path)
    message = str(error.value)
    assert message.startswith(f"the index {path} cannot be used (") and "\n" not in message
    assert message.endswith("run `python -m geo index --rebuild`")


@pytest.mark.parametrize("damage", DAMAGE, ids=str)
def test_a_damaged_default_index_is_built_again(tmp_path, monkeypatch, damage):
    log = use_small_sources(tmp_path, monkeypatch)
    path = gz_module.ensure_index()
    DAMAGE[damage](path)
    gazetteer = Gazetteer.load()
    assert builds(log) == 2 and gazetteer.path == path
    assert {m.candidate.country for m in gazetteer.lookup("Paris")} == {"FR", "US"}


def test_damage_a_lookup_meets_is_a_gazetteer_error_and_a_thorough_check_finds_it(tmp_path, monkeypatch):
    log = use_small_sources(tmp_path, monkeypatch)
    path = gz_module.ensure_index()
    damage_the_lookup_pages(path)
    assert index_problem(path) is None  # not seen by the checks every opening makes ...
    gazetteer = Gazetteer(path)
    for look_up in (lambda: gazetteer.lookup("Paris"), lambda: gazetteer.get("geonames:2988507"), gazetteer.stats):
        with pytest.raises(GazetteerError, match=r"cannot be used \(.*\): run `python -m geo index --rebuild`$"):
            look_up()
    assert "Page" in index_problem(path, thorough=True)  # ... but by reading every page
    assert Gazetteer(gz_module.ensure_index(thorough=True)).lookup("Zug") and builds(log) == 2


def test_a_missing_index_file_is_refused(tmp_path):
    with pytest.raises(GazetteerError, match="there is no such file"):
        Gazetteer(tmp_path / "nowhere.sqlite")


def test_build_is_atomic_on_failure(tmp_path):
    broken = [city(1, "Ok", 1, 1, "XX", 10), object()]
    target = tmp_path / "index.sqlite"
    with pytest.raises(AttributeError):
        build_index(target, broken, set())
    assert not target.exists() and not list(tmp_path.glob("*.tmp"))


def test_real_index_resolves_the_reference_names(full_gazetteer):
    ids = {
        name: {m.candidate.id for m in full_gazetteer.lookup(name)}
        for name in ("Pjöngjang", "Wladiwostok", "Moskau", "Russland", "Nordkorea", "USA", "Südkorea", "Japan")
    }
    assert "geonames:1871859" in ids["Pjöngjang"]
    assert "geonames:2013348" in ids["Wladiwostok"]
    assert "geonames:524901" in ids["Moskau"]
    assert "geonames:2017370" in ids["Russland"]
    assert "geonames:1873107" in ids["Nordkorea"]
    assert "geonames:6252001" in ids["USA"]
    assert "geonames:1835841" in ids["Südkorea"]
    assert "geonames:1861060" in ids["Japan"]


def test_real_index_has_coordinates_for_every_country(full_gazetteer):
    rows = full_gazetteer._connection.execute("SELECT count(*) FROM places WHERE kind = 'country'").fetchone()[0]
    assert rows >= 250
