"""The CLI, called in-process; its JSON is checked against the public contract."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.__main__ import main
from geo.model import story_problem
from tests.conftest import SAMPLES, SHARED

CHECKER = SHARED / "tools" / "check_story.py"


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture()
def article(tmp_path):
    path = tmp_path / "besuch.txt"
    path.write_text(
        "Der Sonderzug fuhr von Pjöngjang nach Wladiwostok. (Jo Beispiel aus Moskau, 12.9.2023)", encoding="utf-8"
    )
    return path


def test_extract_one_file_prints_one_story(article, full_gazetteer):
    code, out, err = run(["extract", str(article)])
    story = json.loads(out)
    assert code == 0 and err == ""
    assert story["id"] == "besuch.txt" and story["document"]["published"] == "2023-09-12"
    assert [p["name"] for p in story["places"]] == ["Pyongyang", "Vladivostok", "Moscow"]


def test_extract_options_win(article, full_gazetteer):
    code, out, _ = run(["extract", str(article), "--lang", "de", "--published", "2024-01-02"])
    assert json.loads(out)["document"]["published"] == "2024-01-02"


def test_extract_several_files_prints_a_list_and_survives_bad_ones(article, tmp_path, full_gazetteer):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    code, out, err = run(
        ["extract", str(article), str(tmp_path / "missing.txt"), str(tmp_path), str(empty), str(binary)]
    )
    stories = json.loads(out)
    assert code == 1 and [s["id"] for s in stories] == ["besuch.txt"]
    lines = err.strip().splitlines()
    assert len(lines) == 4 and all(line.startswith("dateline: ") for line in lines)
    assert "Traceback" not in err


def test_extract_rejects_a_bad_date_and_language(article):
    code, out, err = run(["extract", str(article), "--published", "12.9.2023"])
    assert code == 1 and out == "" and "YYYY-MM-DD" in err
    code, _, err = run(["extract", str(article), "--lang", "klingon"])
    assert code == 1 and err.startswith("dateline: ")


def test_extract_jsonl(tmp_path, full_gazetteer):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "text": "Die Gäste kamen aus Moskau."}),
                "this is not json",
                json.dumps({"id": "b", "text": "   "}),
                json.dumps({"id": "c", "text": "Talks were held in Paris, Texas.", "published": "2025-06-09"}),
                json.dumps(["not", "an", "object"]),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, err = run(["extract", "--jsonl", str(source)])
    stories = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and [s["id"] for s in stories] == ["a", "c"]
    assert stories[1]["document"]["published"] == "2025-06-09"
    assert "in.jsonl:2: not JSON" in err and "in.jsonl:3:" in err and "in.jsonl:5:" in err


def test_extract_without_input_is_a_usage_error():
    code, _, err = run(["extract"])
    assert code == 2 and "FILE" in err


def test_module_runs_as_a_program(article, full_gazetteer):
    result = subprocess.run(
        [sys.executable, "-m", "geo", "extract", str(article)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and json.loads(result.stdout)["places"]


def sample_files() -> list:
    return sorted(SAMPLES.glob("*.txt"))


@pytest.mark.skipif(not CHECKER.exists(), reason="../shared/tools/check_story.py is not beside the repo")
@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.stem)
def test_every_sample_passes_the_contract_checker(path, tmp_path, full_gazetteer):
    code, out, err = run(["extract", str(path)])
    assert code == 0, err
    story_path = tmp_path / "story.json"
    story_path.write_text(out, encoding="utf-8")
    result = subprocess.run([sys.executable, str(CHECKER), str(story_path), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("0 problems")
    assert story_problem(json.loads(out)) is None  # and map and export read it back


def test_map_writes_a_standalone_page(article, tmp_path, full_gazetteer):
    out = tmp_path / "map.html"
    code, stdout, err = run(["map", str(article), "-o", str(out)])
    page = out.read_text(encoding="utf-8")
    assert code == 0 and stdout == "" and "wrote" in err
    assert page.startswith("<!DOCTYPE html>") and "GeoNames" in page and "Wladiwostok" in page
    assert "dateline-asset:" not in page and "<script src=" not in page


def test_map_and_export_read_a_story_json_file(article, tmp_path, full_gazetteer):
    code, story_json, _ = run(["extract", str(article)])
    story = json.loads(story_json)
    story["places"] = [p for p in story["places"] if p["name"] != "Moscow"]  # as a user's correction would
    path = tmp_path / "corrected.json"
    path.write_text(json.dumps(story), encoding="utf-8")
    code, out, err = run(["export", str(path), "--format", "geojson"])
    labels = [f["properties"]["label"] for f in json.loads(out)["features"] if f["properties"]["feature"] == "place"]
    assert code == 0 and labels == ["Pjöngjang", "Wladiwostok"]
    code, out, _ = run(["map", str(path)])
    assert code == 0 and "Moskau" not in out.split("Dateline.show", 1)[1].split("\n", 1)[0]


def test_export_every_format(article, tmp_path, full_gazetteer):
    for fmt in ("geojson", "kml", "json"):
        code, out, err = run(["export", str(article), "--format", fmt])
        assert code == 0 and "Wladiwostok" in out, fmt
    code, _, err = run(["export", str(article), "--format", "csv", "-o", str(tmp_path / "tables.zip")])
    assert code == 0 and (tmp_path / "tables.zip").read_bytes().startswith(b"PK")
    code, out, _ = run(["export", str(article), "--format", "csv", "--table", "places"])
    assert code == 0 and out.lstrip("\ufeff").startswith("id,label,name")


def test_export_and_map_give_clear_errors(article, tmp_path):
    code, _, err = run(["export", str(article), "--format", "csv"])
    assert code == 2 and "give -o FILE.zip" in err
    code, _, err = run(["map", str(tmp_path / "missing.txt")])
    assert code == 1 and "missing.txt" in err and "Traceback" not in err
    bad = tmp_path / "story.json"
    bad.write_text('{"id": "x"}', encoding="utf-8")
    code, _, err = run(["export", str(bad), "--format", "kml"])
    assert code == 1 and "not a Story JSON file" in err
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run(["map", str(bad)])
    assert code == 1 and "not a Story JSON file" in err
    code, _, err = run(["map", str(article), "-o", str(tmp_path / "no" / "such" / "dir.html")])
    assert code == 1 and "dir.html" in err


def test_map_of_an_article_without_places_says_so(tmp_path, full_gazetteer):
    path = tmp_path / "nothing.txt"
    path.write_text("Nothing happened here, and nobody went anywhere.", encoding="utf-8")
    code, out, err = run(["map", str(path)])
    assert code == 0 and "no place found" in err and "Dateline found no place in this article" in out


@pytest.mark.parametrize("field, value", [("lat", "52.5"), ("lat", float("nan")), ("lon", None)])
def test_a_story_json_with_a_bad_number_is_refused_in_one_line(article, tmp_path, full_gazetteer, field, value):
    _, story_json, _ = run(["extract", str(article)])
    story = json.loads(story_json)
    story["places"][0][field] = value
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(story), encoding="utf-8")
    for argv in (["map", str(path)], ["export", str(path), "--format", "geojson"]):
        code, _, err = run(argv)
        assert code == 1 and "not a finite number" in err and "Traceback" not in err


def test_table_is_only_for_csv(article):
    code, _, err = run(["export", str(article), "--format", "kml", "--table", "places"])
    assert code == 2 and "--table is for --format csv" in err


# -- options from the command line and its environment, errors as one line -------------------------


def test_the_user_agent_travels_in_the_options_and_the_environment_is_left_alone(article, monkeypatch, full_gazetteer):
    import os

    import geo.__main__ as cli

    monkeypatch.delenv("DATELINE_USER_AGENT", raising=False)
    seen = []
    real = cli.analyse
    monkeypatch.setattr(
        cli, "analyse", lambda document, options, **kw: seen.append(options) or real(document, options, **kw)
    )
    before = dict(os.environ)
    code, _, _ = run(["extract", str(article), "--user-agent", "desk/1.0 (desk@example.org)"])
    assert code == 0 and dict(os.environ) == before
    assert [options.user_agent for options in seen] == ["desk/1.0 (desk@example.org)"]


def test_the_environment_gives_the_defaults(monkeypatch):
    from geo.__main__ import _options, build_parser

    monkeypatch.setenv("DATELINE_USER_AGENT", "desk/2.0")
    monkeypatch.setenv("GEONAMES_USERNAME", "newsroom")
    options = _options(build_parser().parse_args(["extract", "a.txt", "--geocoder", "geonames"]))
    assert options.user_agent == "desk/2.0" and options.geocoder.user_agent == "desk/2.0"
    assert options.geocoder.username == "newsroom"
    options = _options(build_parser().parse_args(["extract", "a.txt", "--geocoder", "photon", "--user-agent", "x/1"]))
    assert options.user_agent == "x/1" and options.geocoder.username is None  # an account goes to GeoNames only
    assert _options(build_parser().parse_args(["batch", "in", "-o", "out.parquet"])).user_agent == "desk/2.0"


def test_geonames_without_an_account_is_a_usage_error(article, monkeypatch):
    monkeypatch.delenv("GEONAMES_USERNAME", raising=False)
    code, out, err = run(["extract", str(article), "--geocoder", "geonames"])
    assert code == 2 and out == "" and err.startswith("dateline: ") and "$GEONAMES_USERNAME" in err
    code, _, err = run(["extract", str(article), "--geocoder-url", "http://127.0.0.1:1"])
    assert code == 2 and err == "dateline: --geocoder-url needs --geocoder nominatim, photon or geonames\n"


def _dateline_errors() -> list[type]:
    from geo.errors import DatelineError

    found, todo = [], [DatelineError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(set(found), key=lambda cls: cls.__name__)


@pytest.mark.parametrize("error", _dateline_errors(), ids=lambda cls: cls.__name__)
def test_any_dateline_error_is_one_line_and_exit_1(error, article, monkeypatch):
    import geo.__main__ as cli

    def fail(*args, **kwargs):
        raise error("something is wrong\u2014and here is what to do")

    monkeypatch.setattr(cli, "analyse", fail)
    code, out, err = run(["extract", str(article)])
    assert code == 1 and out == "" and "Traceback" not in err
    [line] = err.splitlines()
    assert line.startswith("dateline: ") and line.endswith("something is wrong\u2014and here is what to do")
    monkeypatch.setattr(cli, "extract", fail)  # raised by the command itself: the root catches it
    code, out, err = run(["extract", str(article)])
    assert code == 1 and len(err.splitlines()) == 1 and err.startswith("dateline: ")


def test_a_gazetteer_error_says_it_is_about_the_gazetteer(article, monkeypatch):
    import geo.__main__ as cli
    from geo.errors import GazetteerError

    monkeypatch.setattr(cli, "analyse", lambda *a, **k: (_ for _ in ()).throw(GazetteerError("rows.tsv:3: bad row")))
    code, _, err = run(["map", str(article)])
    assert code == 1 and err == "dateline: gazetteer: rows.tsv:3: bad row\n"


def test_the_cli_messages_come_from_the_one_table():
    from geo.errors import CLI_MESSAGES, GEOCODER_MESSAGES
    from geo.places.geocoders import SERVICE_NAMES
    from geo.places.online import USER_AGENT_VARIABLE

    assert all(name in GEOCODER_MESSAGES["service"] for name in SERVICE_NAMES)
    assert f"${USER_AGENT_VARIABLE}" in GEOCODER_MESSAGES["user_agent"]
    from geo.places.geocoders import GEONAMES_USERNAME_VARIABLE
    from tests.conftest import REPO

    assert f"${GEONAMES_USERNAME_VARIABLE}" in GEOCODER_MESSAGES["username"]
    source = (REPO / "geo" / "__main__.py").read_text(encoding="utf-8")
    assert 'print(f"dateline:' not in source
    assert [key for key in CLI_MESSAGES if f'"{key}"' not in source] == ["gazetteer"]  # errors.user_message's


# -- map and export of a Story JSON file that holds no valid Story (issue 23) ----------------------


def story_commands(path, tmp_path) -> list[list[str]]:
    """map, and export in every format, of the Story JSON file ``path``."""
    exports = [["export", str(path), "--format", fmt] for fmt in ("geojson", "kml", "json")]
    return [["map", str(path)], *exports, ["export", str(path), "--format", "csv", "-o", str(tmp_path / "t.zip")]]


def assert_refused_in_one_line(argv: list[str], path) -> str:
    code, out, err = run(argv)
    assert code == 1 and out == "" and "Traceback" not in err, (argv, err)
    [line] = err.splitlines()
    assert line.startswith(f"dateline: {path}: "), line
    return line


def with_field(data, where: tuple, value):
    """``data`` (a Story's JSON form) with the field at ``where`` set to ``value``."""
    changed = json.loads(json.dumps(data))
    *parents, last = where
    holder = changed
    for key in parents:
        holder = holder[key]
    holder[last] = value
    return changed


@pytest.mark.parametrize(
    "where, value, field",
    [
        (("places", 0, "confidence"), "0.9", "places[0].confidence"),
        (("places", 0, "confidence"), 1.5, "places[0].confidence"),
        (("places", 0, "population"), [3_000_000], "places[0].population"),
        (("legs", 0, "route", "km"), "600", "legs[0].route.km"),
        (("places", 1, "label"), 5, "places[1].label"),
        (("places", 0, "id"), None, "places[0].id"),
        (("events", 0, "places"), [None], "events[0].places[0]"),
        (("places", 0, "sentences"), {"0": "From Berlin"}, "places[0].sentences"),
        (("events", 0, "sentence"), {"text": "3 May"}, "events[0].sentence"),
        (("places", 0, "lat"), 91, "places[0].lat"),
        (("places", 0, "lat"), 1e308, "places[0].lat"),
        (("places", 1, "lon"), float("inf"), "places[1].lon"),
        (("places", 0, "name"), "Berlin\ud800", "places[0].name"),
        (("legs", 0, "path", 1, 1), 1e12, "legs[0].path[1][1]"),
        (("legs", 0, "route", "path", 0), [52.5, -1e12], "legs[0].route.path[0][1]"),
        (("legs", 0, "path", 0), [52.5], "legs[0].path[0]"),
        (("claims", 0, "value_km"), "500", "claims[0].value_km"),
        (("claims", 0, "verdict"), "probably", "claims[0].verdict"),
        (("document", "chars"), -1, "document.chars"),
        (("document", "published"), "3 May 2024", "document.published"),
        (("places", 0, "mentions"), [], "places[0].mentions"),
        (("places", 0, "candidates", 1, "score"), "high", "places[0].candidates[1].score"),
        (("events",), {"0": {}}, "events"),
        (("warnings",), [7], "warnings[0]"),
    ],
)
def test_a_story_json_with_a_wrong_field_is_refused_by_map_and_every_export_naming_the_field(
    where, value, field, tmp_path
):
    from tests.stories import hostile_story

    path = tmp_path / "bad.json"
    path.write_text(json.dumps(with_field(hostile_story().to_dict(), where, value)), encoding="utf-8")
    for argv in story_commands(path, tmp_path):
        line = assert_refused_in_one_line(argv, path)
        assert f": {field} " in line, line


def test_a_story_json_beyond_a_limit_or_not_json_at_all_is_refused_in_one_line(tmp_path, monkeypatch):
    from geo import model
    from tests.stories import hostile_story

    path = tmp_path / "bad.json"
    story = hostile_story().to_dict()
    too_many = story["places"] * (model.MAX_STORY_PLACES // 2 + 1)
    cases = [
        (json.dumps({**story, "places": too_many}), f"places has {len(too_many):,} items, more than"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"id": ' + "7" * 5000 + "}", "not a Story JSON file"),
        ("\ufeff\ufeff" + json.dumps(story), "not a Story JSON file"),  # one byte-order mark is fine, two are not
        (json.dumps(story).replace('"en"', '"en\\ud800"'), "document.language holds a lone surrogate"),
    ]
    for text, message in cases:
        path.write_text(text, encoding="utf-8")
        for argv in story_commands(path, tmp_path):
            assert message in assert_refused_in_one_line(argv, path)
    monkeypatch.setattr(model, "MAX_STORY_BYTES", 1000)
    path.write_text(json.dumps(story), encoding="utf-8")
    assert "larger than the 0.001 MB" in assert_refused_in_one_line(["map", str(path)], path)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | st.just("x\udc00"),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def _fields(value, where=()):
    """Where every value of a JSON tree sits (the tree itself at ())."""
    yield where
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from _fields(child, (*where, key))


def _a_story_across_the_antimeridian() -> dict:
    from tests.stories import ANADYR, NOME, hostile_story, leg

    story = hostile_story().to_dict()
    crossing = leg(ANADYR, NOME).to_dict()
    return {**story, "places": story["places"] + [ANADYR.to_dict(), NOME.to_dict()], "legs": story["legs"] + [crossing]}


VALID_STORY = _a_story_across_the_antimeridian()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    where=st.sampled_from(list(_fields(VALID_STORY))),
    value=JSON_VALUES,
    remove=st.booleans(),
    command=st.integers(0, 4),
)
def test_a_story_json_with_any_field_changed_maps_and_exports_or_is_refused_in_one_line(
    where, value, remove, command, tmp_path
):
    story = json.loads(json.dumps(VALID_STORY))
    if not where:
        story = value
    elif remove:
        *parents, last = where
        holder = story
        for key in parents:
            holder = holder[key]
        del holder[last]
    else:
        story = with_field(story, where, value)
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(story), encoding="utf-8")
    argv = story_commands(path, tmp_path)[command]
    code, out, err = run(argv)
    assert code in (0, 1) and "Traceback" not in err
    if code == 1:
        [line] = err.splitlines()
        assert line.startswith(f"dateline: {path}: ")
    else:
        assert out or "wrote" in err


# --------------------------------------------------------------------------- the gazetteer's index


def test_index_checks_every_page_and_builds_a_damaged_index_again(tmp_path, monkeypatch):
    from geo.places.gazetteer import ensure_index
    from tests.places.indexes import builds, damage_the_lookup_pages, use_small_sources

    log = use_small_sources(tmp_path, monkeypatch)
    damage_the_lookup_pages(ensure_index())  # only a look-up, or reading every page, finds it
    code, out, err = run(["index"])
    assert code == 0 and builds(log) == 2 and json.loads(out)["places"] == 32
    assert "Traceback" not in err


def test_index_that_cannot_be_built_is_one_line(tmp_path, monkeypatch):
    from tests.places.indexes import use_small_sources

    use_small_sources(tmp_path, monkeypatch)
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DATELINE_CACHE_DIR", str(tmp_path / "file" / "cache"))
    code, out, err = run(["index", "--rebuild"])
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith("dateline: gazetteer: cannot build the index in ") and "$DATELINE_CACHE_DIR" in line


def test_an_index_damaged_where_only_a_lookup_finds_it_is_one_line_per_article(article, tmp_path, monkeypatch):
    from geo.places.gazetteer import Gazetteer, ensure_index
    from tests.places.indexes import damage_the_lookup_pages, use_small_sources

    use_small_sources(tmp_path, monkeypatch)
    path = ensure_index()
    damage_the_lookup_pages(path)
    monkeypatch.setattr("geo.pipeline.default_gazetteer", lambda: Gazetteer(path))
    code, out, err = run(["extract", str(article), str(article)])
    assert code == 1 and out == "" and "Traceback" not in err
    assert (
        err.splitlines()
        == [
            f"dateline: gazetteer: the index {path} cannot be used (database disk image is malformed): "
            "run `python -m geo index --rebuild`"
        ]
        * 2
    )
