"""A Story as files other tools open: GeoJSON, CSV tables, KML and the Story JSON.

Each writer takes a Story and returns bytes; none analyses anything again. :data:`FORMATS` names
them with their file extension and media type, for the CLI and the dashboard's download buttons.

- **GeoJSON** (RFC 7946): longitude before latitude; places are Points, legs, routes and checked
  distances are LineStrings, cut at the antimeridian into MultiLineStrings (section 3.1.9).
  Every feature says what it is in ``properties.feature``; the Story's id, document and the
  credits are a foreign member, ``dateline``.
- **CSV**: one table each for places, events, legs and claims (UTF-8 with a byte-order mark, so
  that spreadsheets read accents), together in a ZIP archive, or one table alone. A text cell that
  starts with ``= + - @``, a tab or a carriage return, also behind blanks and invisible characters
  or as a full-width ``＝``, gets a leading apostrophe, so that no spreadsheet runs it as a formula.
  An event's date is in words at its own precision ("2019", "April 2019", "in the past"; see
  :mod:`geo.timeline.labels`), with its value only where that is a plain ISO date: no TIMEX3 code
  and no invented first day reaches a spreadsheet, a GeoJSON property or a KML name.
- **KML** (fastkml): folders of places, journeys, checked distances and dated events; an event is
  a placemark at each of its places with a TimeSpan, so Google Earth's time slider plays the story.
  A character XML 1.0 cannot hold (a control character from a PDF's text) becomes U+FFFD.
- **JSON**: the Story exactly as ``python -m geo extract`` prints it.
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import pygeoif
from fastkml import KML, Data, Document, ExtendedData, Folder, Placemark
from fastkml.links import Icon
from fastkml.styles import IconStyle, LineStyle, Style, StyleUrl
from fastkml.times import KmlDateTime, TimeSpan

from geo.errors import ExportError
from geo.journeys.geodesy import split_at_antimeridian
from geo.model import Claim, Event, LatLon, Leg, Place, Story
from geo.render.style import (
    KIND_COLOURS,
    MODE_STYLES,
    VERDICT_COLOURS,
    credits,
    kind_of,
    mode_of,
    pair_path,
    place_label,
    verdict_of,
)
from geo.timeline.labels import calendar_value, event_label

__all__ = [
    "FORMATS",
    "spreadsheet_safe",
    "Format",
    "export",
    "to_geojson",
    "to_csv_zip",
    "csv_table",
    "to_kml",
    "to_json",
    "CSV_TABLES",
    "ExportError",
]

KML_ICON = "https://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"  # Google Earth's own icon set
COORDINATE_DECIMALS = 6  # RFC 7946 section 11.2: about 10 cm
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's CSV injection list


# -- GeoJSON ----------------------------------------------------------------------------------


def to_geojson(story: Story) -> bytes:
    """The Story as an RFC 7946 FeatureCollection (UTF-8 bytes)."""
    features = [_place_feature(place, story) for place in story.places]
    for leg in story.legs:
        path = leg.path or pair_path(story, leg.from_id, leg.to_id)
        features.append(_line_feature(path, _leg_properties(leg, story)))
        if leg.route and leg.route.path:
            features.append(
                _line_feature(
                    leg.route.path,
                    {
                        "feature": "route",
                        "from": leg.from_id,
                        "to": leg.to_id,
                        "mode": leg.mode,
                        "km": round(leg.route.km, 1),
                        "source": leg.route.source,
                        "credit": leg.route.credit,
                    },
                )
            )
    for claim in story.claims:
        path = pair_path(story, claim.from_id, claim.to_id)
        if path:
            features.append(_line_feature(path, {"feature": "claim", **_claim_row(claim, story)}))
    collection = {
        "type": "FeatureCollection",
        "features": features,
        "dateline": {"id": story.id, "document": story.document.to_dict(), "credits": _credits(story)},
    }
    return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _place_feature(place: Place, story: Story) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": place.id,
        "geometry": {"type": "Point", "coordinates": _lonlat((place.lat, place.lon))},
        "properties": {
            "feature": "place",
            **_place_row(place),
            "events": [_event_words(event, story) for event in story.events if place.id in event.places],
        },
    }


def _line_feature(path: Sequence[LatLon], properties: dict[str, Any]) -> dict[str, Any]:
    """A line feature; with fewer than two points (an end missing from the Story) its geometry is null."""
    pieces = [[_lonlat(point) for point in piece] for piece in split_at_antimeridian(path)] if len(path) > 1 else []
    geometry = (
        None
        if not pieces
        else {"type": "LineString", "coordinates": pieces[0]}
        if len(pieces) == 1
        else {"type": "MultiLineString", "coordinates": pieces}
    )
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _lonlat(point: LatLon) -> list[float]:
    return [round(point[1], COORDINATE_DECIMALS), round(point[0], COORDINATE_DECIMALS)]


# -- rows shared by GeoJSON properties, CSV and KML -------------------------------------------


def _place_row(place: Place) -> dict[str, Any]:
    return {
        "id": place.id,
        "label": place.label,
        "name": place.name,
        "country": place.country,
        "kind": place.kind,
        "role": place.role,
        "lat": place.lat,
        "lon": place.lon,
        "confidence": round(place.confidence, 4),
        "population": place.population,
        "mentions": len(place.mentions),
        "mention_texts": "; ".join(dict.fromkeys(m.text for m in place.mentions)),
        "first_offset": min((m.start for m in place.mentions), default=None),
        "candidates": len(place.candidates),
    }


def _event_words(event: Event, story: Story) -> str:
    return event_label(event, story.document.language)


def _event_row(event: Event, story: Story) -> dict[str, Any]:
    """An event for readers: its date in words at its own precision ("2019", "in the past"),
    and its value only where that is a plain ISO date (never "PAST_REF", never "2019-01-01" for
    2019); the Story JSON keeps the TIMEX3 value and the interval."""
    return {
        "date": _event_words(event, story),
        "value": calendar_value(event.value),
        "type": event.type,
        "text": event.text,
        "start_char": event.start_char,
        "end_char": event.end_char,
        "places": "; ".join(event.places),
        "place_labels": "; ".join(place_label(story, p) for p in event.places),
        "sentence": event.sentence,
    }


def _leg_properties(leg: Leg, story: Story) -> dict[str, Any]:
    return {"feature": "leg", **_leg_row(leg, story)}


def _leg_row(leg: Leg, story: Story) -> dict[str, Any]:
    return {
        "from": leg.from_id,
        "from_label": place_label(story, leg.from_id),
        "to": leg.to_id,
        "to_label": place_label(story, leg.to_id),
        "mode": leg.mode,
        "km": round(leg.km, 1),
        "route_km": round(leg.route.km, 1) if leg.route else None,
        "route_source": leg.route.source if leg.route else None,
        "route_credit": leg.route.credit if leg.route else None,
        "start": leg.start,
        "end": leg.end,
        "sentence": leg.sentence,
    }


def _claim_row(claim: Claim, story: Story) -> dict[str, Any]:
    row = claim.to_dict()
    return {
        "text": row["text"],
        "value_km": row["value_km"],
        "low_km": row["low_km"],
        "high_km": row["high_km"],
        "hedge": row["hedge"],
        "basis": row["basis"],
        "kind": row["kind"],
        "unit": row["unit"],
        "from": row["from"],
        "from_label": place_label(story, claim.from_id) if claim.from_id else None,
        "to": row["to"],
        "to_label": place_label(story, claim.to_id) if claim.to_id else None,
        "computed_km": row["computed_km"],
        "computed_by": row["computed_by"],
        "mode": row["mode"],
        "verdict": row["verdict"],
        "reason": row["reason"],
        "start": row["start"],
        "end": row["end"],
        "sentence": row["sentence"],
    }


def _credits(story: Story) -> list[str]:
    """The map's credits as plain text."""
    return [html.unescape(re.sub(r"<[^>]+>", "", credit)) for credit in credits(story)]


# -- CSV --------------------------------------------------------------------------------------

CSV_TABLES: dict[str, Callable[[Story], list[dict[str, Any]]]] = {
    "places": lambda story: [_place_row(place) for place in story.places],
    "events": lambda story: [_event_row(event, story) for event in story.events],
    "legs": lambda story: [_leg_row(leg, story) for leg in story.legs],
    "claims": lambda story: [_claim_row(claim, story) for claim in story.claims],
}
_CSV_COLUMNS = {  # the header of an empty table
    "places": [
        "id",
        "label",
        "name",
        "country",
        "kind",
        "role",
        "lat",
        "lon",
        "confidence",
        "population",
        "mentions",
        "mention_texts",
        "first_offset",
        "candidates",
    ],
    "events": [
        "date",
        "value",
        "type",
        "text",
        "start_char",
        "end_char",
        "places",
        "place_labels",
        "sentence",
    ],
    "legs": [
        "from",
        "from_label",
        "to",
        "to_label",
        "mode",
        "km",
        "route_km",
        "route_source",
        "route_credit",
        "start",
        "end",
        "sentence",
    ],
    "claims": [
        "text",
        "value_km",
        "low_km",
        "high_km",
        "hedge",
        "basis",
        "kind",
        "unit",
        "from",
        "from_label",
        "to",
        "to_label",
        "computed_km",
        "computed_by",
        "mode",
        "verdict",
        "reason",
        "start",
        "end",
        "sentence",
    ],
}


def csv_table(story: Story, table: str) -> bytes:
    """One table of the Story (places, events, legs or claims) as CSV."""
    if table not in CSV_TABLES:
        raise ExportError(f"no table {table!r}; the tables are {', '.join(CSV_TABLES)}")
    rows = [{key: spreadsheet_safe(value) for key, value in row.items()} for row in CSV_TABLES[table](story)]
    frame = pd.DataFrame(rows, columns=_CSV_COLUMNS[table]).convert_dtypes()  # whole numbers stay whole beside blanks
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def to_csv_zip(story: Story) -> bytes:
    """Every table as CSV in one ZIP archive (places.csv, events.csv, legs.csv, claims.csv)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in CSV_TABLES:
            entry = zipfile.ZipInfo(f"{table}.csv", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, csv_table(story, table))
    return buffer.getvalue()


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, defused with a leading apostrophe.

    Numbers are no text and stay numbers. A text is defused if it starts with one of
    :data:`_FORMULA_STARTS` or if its first visible character is a formula start (see
    :func:`_first_visible`): OWASP's CSV injection guidance, with what spreadsheets skip or fold.
    """
    if isinstance(value, str) and (
        value.startswith(_FORMULA_STARTS) or _first_visible(value).startswith(_FORMULA_STARTS)
    ):
        return "'" + value
    return value


_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})  # controls, format (BOM, zero-width), spaces


def _first_visible(text: str) -> str:
    """The first character after blanks (space, newline, NBSP, the other Unicode spaces) and invisible
    characters (BOM, zero-width space, direction marks), folded with NFKC so that a full-width ＝ ＋ － ＠
    or a small ﹦ reads as its ASCII twin; "" if there is none."""
    for char in text:
        if not char.isspace() and unicodedata.category(char) not in _INVISIBLE_CATEGORIES:
            return unicodedata.normalize("NFKC", char)
    return ""


# -- KML --------------------------------------------------------------------------------------


def to_kml(story: Story) -> bytes:
    """The Story as KML 2.2 (UTF-8 bytes), for Google Earth and GIS tools."""
    styles = [
        *(_style(f"kind-{kind}", icon=colour) for kind, colour in KIND_COLOURS.items()),
        *(_style(f"mode-{mode}", line=style["color"], width=3) for mode, style in MODE_STYLES.items()),
        *(_style(f"verdict-{verdict}", line=colour, width=2) for verdict, colour in VERDICT_COLOURS.items()),
    ]
    folders = [
        Folder(name="Places", features=[_kml_place(place) for place in story.places]),
        Folder(name="Journeys", features=[_kml_leg(leg, story) for leg in story.legs]),
        Folder(
            name="Checked distances",
            features=[mark for mark in (_kml_claim(claim, story) for claim in story.claims) if mark],
        ),
        Folder(name="Events", features=[mark for event in story.events for mark in _kml_event(event, story)]),
    ]
    document = Document(
        name=_xml_text(story.document.title or story.id),
        description=_xml_text("\n".join(_credits(story))),
        styles=styles,
        features=folders,
    )
    body = KML(features=[document]).to_string(prettyprint=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def _style(style_id: str, *, icon: str | None = None, line: str | None = None, width: float = 2) -> Style:
    parts = (
        [IconStyle(color=_kml_colour(icon), scale=1.0, icon=Icon(href=KML_ICON))]
        if icon
        else [LineStyle(color=_kml_colour(line), width=width)]
    )
    return Style(id=style_id, styles=parts)


def _kml_colour(hex_colour: str) -> str:
    """#RRGGBB as KML's aabbggrr."""
    red, green, blue = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"ff{blue}{green}{red}".lower()


def _extended(row: dict[str, Any]) -> ExtendedData:
    return ExtendedData(
        elements=[Data(name=key, value="" if value is None else _xml_text(str(value))) for key, value in row.items()]
    )


def _kml_place(place: Place) -> Placemark:
    return Placemark(
        id=_kml_id(place.id),
        name=_xml_text(place.label),
        description=_balloon(place.sentences),
        style_url=StyleUrl(url=f"#kind-{kind_of(place.kind)}"),
        extended_data=_extended(_place_row(place)),
        geometry=pygeoif.Point(place.lon, place.lat),
    )


def _kml_leg(leg: Leg, story: Story) -> Placemark:
    name = f"{place_label(story, leg.from_id)} \u2192 {place_label(story, leg.to_id)}"
    return Placemark(
        name=_xml_text(name),
        description=_balloon([leg.sentence]),
        style_url=StyleUrl(url=f"#mode-{mode_of(leg.mode)}"),
        extended_data=_extended(_leg_row(leg, story)),
        geometry=_kml_line(leg.path or pair_path(story, leg.from_id, leg.to_id)),
    )


def _kml_claim(claim: Claim, story: Story) -> Placemark | None:
    path = pair_path(story, claim.from_id, claim.to_id)
    if not path:
        return None
    return Placemark(
        name=_xml_text(claim.text),
        description=_balloon([claim.reason, claim.sentence]),
        style_url=StyleUrl(url=f"#verdict-{verdict_of(claim.verdict)}"),
        extended_data=_extended(_claim_row(claim, story)),
        geometry=_kml_line(path),
    )


def _kml_event(event: Event, story: Story) -> list[Placemark]:
    """A placemark at each place the event touches, with its time span (none for an undated event)."""
    span = _time_span(event)
    return [
        Placemark(
            name=_xml_text(f"{_event_words(event, story)}: {event.text}"),
            description=_balloon([event.sentence]),
            times=span,
            extended_data=_extended(_event_row(event, story)),
            geometry=pygeoif.Point(place.lon, place.lat),
        )
        for place in (story.place(place_id) for place_id in event.places)
        if place
    ]


def _time_span(event: Event) -> TimeSpan | None:
    try:
        begin = date.fromisoformat(event.start) if event.start else None
        end = date.fromisoformat(event.end) if event.end else None
    except ValueError:
        return None
    if not begin:
        return None
    return TimeSpan(begin=KmlDateTime(begin), end=KmlDateTime(end or begin))


def _kml_line(path: Sequence[LatLon]) -> pygeoif.LineString | pygeoif.MultiLineString:
    pieces = [[(lon, lat) for lat, lon in piece] for piece in split_at_antimeridian(path)]
    return pygeoif.LineString(pieces[0]) if len(pieces) == 1 else pygeoif.MultiLineString(pieces)


def _kml_id(place_id: str) -> str:
    """An XML id (an NCName) from a place id: ``geonames:123`` becomes ``place-geonames-123``."""
    return "place-" + "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in place_id)


def _balloon(paragraphs: Sequence[str]) -> str:
    """A KML description: Google Earth shows it as HTML (scripts included), so the text is escaped."""
    return _xml_text("<br><br>".join(html.escape(paragraph) for paragraph in paragraphs if paragraph))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Text that XML 1.0 can hold: each character it cannot (a control character, a lone surrogate)
    as U+FFFD, the replacement character."""
    return _NOT_XML.sub("\ufffd", text)


# -- JSON and the registry --------------------------------------------------------------------


def to_json(story: Story) -> bytes:
    """The Story JSON, exactly as ``python -m geo extract`` prints it."""
    return (json.dumps(story.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Format:
    """An export format: its writer, file extension and media type."""

    write: Callable[[Story], bytes]
    extension: str
    media_type: str


FORMATS: dict[str, Format] = {
    "geojson": Format(to_geojson, ".geojson", "application/geo+json"),
    "csv": Format(to_csv_zip, ".zip", "application/zip"),
    "kml": Format(to_kml, ".kml", "application/vnd.google-earth.kml+xml"),
    "json": Format(to_json, ".json", "application/json"),
}


def export(story: Story, fmt: str) -> bytes:
    """The Story in one of :data:`FORMATS`."""
    if fmt not in FORMATS:
        raise ExportError(f"no format {fmt!r}; the formats are {', '.join(FORMATS)}")
    return FORMATS[fmt].write(story)
