"""Each export read back with a real reader and compared with the Story it came from."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace

import geojson
import pandas as pd
import pytest
from fastkml import KML
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.model import Claim, Event, story_from_dict
from geo.render.export import (
    CSV_TABLES,
    FORMATS,
    ExportError,
    csv_table,
    export,
    spreadsheet_safe,
    to_csv_zip,
    to_geojson,
    to_json,
    to_kml,
)
from tests.render.timeline_codes import coded_story, codes_shown
from tests.stories import ANADYR, NOME, hostile_story, leg, story_of


def date_line_story():
    event = Event("in May", 0, 6, "2024-05", "2024-05-01", "2024-05-31", "They flew in May.", (ANADYR.id, NOME.id))
    claim = Claim("about 850 km", 850.0, ANADYR.id, NOME.id, 840.0, "consistent", low_km=765, high_km=935)
    return story_of(ANADYR, NOME, legs=[leg(ANADYR, NOME)], claims=[claim], events=[event])


# -- GeoJSON ----------------------------------------------------------------------------------


def test_geojson_is_valid_rfc7946_with_lon_before_lat(reference_story):
    data = json.loads(to_geojson(reference_story))
    assert geojson.loads(json.dumps(data)).is_valid
    points = {f["id"]: f for f in data["features"] if f["properties"]["feature"] == "place"}
    assert set(points) == {p.id for p in reference_story.places}
    for p in reference_story.places:
        lon, lat = points[p.id]["geometry"]["coordinates"]
        assert (lat, lon) == pytest.approx((p.lat, p.lon), abs=1e-6)
        assert points[p.id]["properties"]["label"] == p.label
    legs = [f for f in data["features"] if f["properties"]["feature"] == "leg"]
    assert [(f["properties"]["from"], f["properties"]["to"], f["properties"]["km"]) for f in legs] == [
        (g.from_id, g.to_id, round(g.km, 1)) for g in reference_story.legs
    ]
    assert "GeoNames (CC BY 4.0)" in data["dateline"]["credits"][0]


def test_geojson_lines_are_cut_at_the_antimeridian():
    data = json.loads(to_geojson(date_line_story()))
    flight = next(f for f in data["features"] if f["properties"]["feature"] == "leg")
    assert flight["geometry"]["type"] == "MultiLineString"
    west, east = flight["geometry"]["coordinates"]
    assert west[0] == [pytest.approx(177.5103), pytest.approx(64.73424)] and west[-1][0] == 180
    assert east[0][0] == -180 and east[-1] == [pytest.approx(-165.40639), pytest.approx(64.5011)]
    assert all(-180 <= lon <= 180 for part in (west, east) for lon, _ in part)
    assert geojson.loads(json.dumps(data)).is_valid
    events = next(f for f in data["features"] if f["id"] == ANADYR.id)["properties"]["events"]
    assert events == ["May 2024"]


# -- CSV --------------------------------------------------------------------------------------


def read_tables(story) -> dict[str, pd.DataFrame]:
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(story))) as archive:
        assert archive.namelist() == [f"{name}.csv" for name in CSV_TABLES]
        return {
            name: pd.read_csv(archive.open(f"{name}.csv"), encoding="utf-8-sig", keep_default_na=False)
            for name in CSV_TABLES
        }


def test_csv_tables_read_back_as_the_story(reference_story):
    tables = read_tables(reference_story)
    for name, rows in CSV_TABLES.items():  # the header of an empty table is the keys of a full one
        assert list(tables[name].columns) == list(rows(reference_story)[0]), name
    places = tables["places"]
    assert list(places["id"]) == [p.id for p in reference_story.places]
    assert list(places["label"]) == [p.label for p in reference_story.places]
    assert list(places["lat"]) == pytest.approx([p.lat for p in reference_story.places])
    assert list(places["mentions"]) == [len(p.mentions) for p in reference_story.places]
    events = tables["events"]
    assert list(events["date"]) == [e.label for e in reference_story.events]
    assert all(value == "" or value == e.value for value, e in zip(events["value"].astype(str), reference_story.events))
    assert list(events["text"]) == [e.text for e in reference_story.events]
    assert list(tables["legs"]["mode"]) == [g.mode for g in reference_story.legs]
    assert list(tables["claims"]["verdict"]) == [c.verdict for c in reference_story.claims]
    assert list(tables["claims"]["value_km"]) == pytest.approx([c.value_km for c in reference_story.claims])


def test_csv_shows_dates_in_words_never_a_timex_code_or_an_invented_day():
    story = coded_story()
    events = csv_table(story, "events").decode("utf-8-sig")
    assert codes_shown(events) == []
    dates = list(read_tables(story)["events"]["date"])
    assert dates[:4] == ["2019", "April 2019", "early 2020", "in the past"]
    assert dates[5:7] == ["Monday", "the week of Apr 22, 2024"]
    assert list(read_tables(story)["events"]["value"].astype(str))[:2] == ["2019", "2019-04"]


def test_geojson_and_kml_name_events_in_words():
    story = coded_story()
    assert codes_shown(to_geojson(story).decode("utf-8")) == []
    document = KML.from_string(to_kml(story)).features[0]
    events = next(folder for folder in document.features if folder.name == "Events").features
    names = [mark.name for mark in events]
    assert "2019: in 2019" in names and "in the past: years ago" in names
    assert codes_shown(" ".join(names)) == []


def test_csv_defuses_formulas_and_keeps_markup_as_text():
    formula = Claim('=HYPERLINK("http://x.invalid")', 1.0, None, None, None, "unverifiable")
    story = replace(hostile_story(), claims=(formula,))
    tables = read_tables(story)
    assert tables["claims"]["text"][0] == '\'=HYPERLINK("http://x.invalid")'
    assert tables["places"]["label"][0] == "Berlin"
    assert "<img src=x onerror" in tables["events"]["sentence"][0]


HIDDEN_FORMULAS = [
    " =1+1",  # a space
    "\t=1+1",  # a tab (OWASP: defused even without a formula behind it)
    "\u00a0=1+1",  # a non-breaking space
    "\u3000@SUM(A1)",  # an ideographic space
    "\n=1+1",  # a newline
    "\r\n+1",
    "\ufeff=1+1",  # a byte order mark
    "\u200b=1+1",  # a zero-width space
    "\u200e\u2060-2+3",  # a direction mark and a word joiner
    "\uff1d1+1",  # a full-width equals sign
    "\uff0b1",
    "\uff0d1+1",
    "\uff20SUM(A1)",
    " \ufe66 1+1",  # a small equals sign, behind a space
]


@pytest.mark.parametrize("text", HIDDEN_FORMULAS)
def test_csv_defuses_formulas_behind_blanks_invisible_characters_and_full_width_signs(text):
    story = replace(hostile_story(), claims=(Claim(text, 1.0, None, None, None, "unverifiable"),))
    assert read_tables(story)["claims"]["text"][0] == "'" + text


@given(
    blanks=st.text(st.sampled_from(" \t\n\r\u00a0\u2007\u202f\u3000\ufeff\u200b\u200c\u200d\u2060\u200e\u00ad")),
    start=st.sampled_from("=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b"),
    rest=st.text(max_size=20),
)
@settings(max_examples=200, deadline=None)
def test_no_blank_or_invisible_prefix_hides_a_formula(blanks, start, rest):
    value = blanks + start + rest
    assert spreadsheet_safe(value) == "'" + value


def test_csv_keeps_ordinary_values_and_numbers_as_they_are():
    assert [spreadsheet_safe(value) for value in ("Berlin", " Berlin", "\u00a0Wien", "3 May", "", "  ", "\u200b")] == [
        "Berlin",
        " Berlin",
        "\u00a0Wien",
        "3 May",
        "",
        "  ",
        "\u200b",
    ]
    assert [spreadsheet_safe(value) for value in (-12.5, -3, 0, None)] == [-12.5, -3, 0, None]  # numbers stay numbers
    places = read_tables(story_of(ANADYR, NOME))["places"]
    assert list(places["lon"]) == pytest.approx([ANADYR.lon, NOME.lon])  # a western longitude stays a number


def test_an_empty_table_still_has_its_header():
    frame = pd.read_csv(io.BytesIO(csv_table(story_of(), "legs")), encoding="utf-8-sig")
    assert frame.empty and list(frame.columns)[:4] == ["from", "from_label", "to", "to_label"]
    with pytest.raises(ExportError):
        csv_table(story_of(), "nothing")


# -- KML --------------------------------------------------------------------------------------


def test_kml_reads_back_with_fastkml(reference_story):
    document = KML.from_string(to_kml(reference_story)).features[0]
    folders = {folder.name: folder.features for folder in document.features}
    assert list(folders) == ["Places", "Journeys", "Checked distances", "Events"]
    marks = {mark.name: mark for mark in folders["Places"]}
    assert set(marks) == {p.label for p in reference_story.places}
    for p in reference_story.places:
        point = marks[p.label].geometry
        assert (point.y, point.x) == pytest.approx((p.lat, p.lon))
        data = {d.name: d.value for d in marks[p.label].extended_data.elements}
        assert data["id"] == p.id and data["kind"] == p.kind
    assert len(folders["Journeys"]) == len(reference_story.legs)
    dated = [e for e in reference_story.events if e.places and e.start]
    assert len([m for m in folders["Events"] if m.times]) == sum(len(e.places) for e in dated)
    assert "GeoNames" in document.description


def test_kml_cuts_lines_at_the_antimeridian_and_dates_events():
    document = KML.from_string(to_kml(date_line_story())).features[0]
    folders = {folder.name: folder.features for folder in document.features}
    flight = folders["Journeys"][0].geometry
    assert flight.geom_type == "MultiLineString" and len(list(flight.geoms)) == 2
    span = folders["Events"][0].times
    assert (str(span.begin), str(span.end)) == ("2024-05-01", "2024-05-31")


def test_kml_escapes_markup_as_xml_text():
    text = to_kml(hostile_story()).decode("utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert KML.from_string(text.encode("utf-8")).features[0].name.startswith("</script>")


def test_kml_holds_text_with_characters_xml_cannot_as_replacement_characters():
    """A form feed from a PDF or a NUL in a hand-edited Story once stopped the KML export (issue 23)."""
    story = hostile_story()
    odd = replace(story.places[0], label="Ber\x00lin\x0c", sentences=("From\x0bBerlin\ufffe.",))
    document_info = replace(story.document, title="A\x1ftitle")
    text = to_kml(replace(story, places=(odd, *story.places[1:]), document=document_info)).decode("utf-8")
    document = KML.from_string(text.encode("utf-8")).features[0]
    assert document.name == "A\ufffdtitle" and document.features[0].features[0].name == "Ber\ufffdlin\ufffd"
    assert "From\ufffdBerlin\ufffd." in text


# -- JSON and the registry --------------------------------------------------------------------


def test_json_export_is_the_story(reference_story):
    data = json.loads(to_json(reference_story))
    assert data == json.loads(json.dumps(reference_story.to_dict()))
    assert story_from_dict(data).to_dict() == data


def test_every_format_is_bytes_and_unknown_formats_are_refused(reference_story):
    for name, fmt in FORMATS.items():
        assert export(reference_story, name) == fmt.write(reference_story)
        assert fmt.extension.startswith(".") and "/" in fmt.media_type
    with pytest.raises(ExportError):
        export(reference_story, "shp")


def test_kml_balloons_show_article_markup_as_text():
    """Google Earth renders a description as HTML and runs its scripts: the article's markup must
    arrive there escaped."""
    document = KML.from_string(to_kml(hostile_story())).features[0]
    place_mark = document.features[0].features[0]
    assert "&lt;img src=x onerror" in place_mark.description and "<img" not in place_mark.description
    assert place_mark.id == "place-geonames-2950159"


def test_a_line_whose_end_is_missing_has_a_null_geometry_and_numbers_stay_whole():
    lost = Claim("5 km", 5.0, ANADYR.id, "geonames:0", None, "unverifiable")
    journey = replace(leg(ANADYR, NOME), to_id="geonames:0", path=())
    story = story_of(ANADYR, replace(NOME, mentions=()), legs=[journey], claims=[lost])
    features = json.loads(to_geojson(story))["features"]
    assert [f["geometry"] for f in features if f["properties"]["feature"] == "leg"] == [None]
    assert not [f for f in features if f["properties"]["feature"] == "claim"]  # no pair: no line
    rows = [line.split(",") for line in csv_table(story, "places").decode("utf-8-sig").splitlines()]
    column = rows[0].index("first_offset")
    assert [row[column] for row in rows[1:]] == ["13", ""]  # not "13.0" beside a blank
