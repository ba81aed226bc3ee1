"""What the map and the exports share: colours by kind, mode and verdict, the credits, and the
labels and lines of a Story's places. No folium here: exports and batch runs import it cheaply.

Values from a Story (a kind, a mode, a verdict) become CSS classes, colours and KML style ids;
:func:`known` maps anything outside the contract's sets onto its fallback first, so a hand-edited
Story JSON cannot smuggle a class name or a style into a map.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from geo.journeys.geodesy import geodesic_path
from geo.model import PLACE_KINDS, TRAVEL_MODES, VERDICTS, LatLon, Story
from geo.render.basemap import BASEMAP_CREDIT

__all__ = [
    "KIND_COLOURS",
    "MODE_STYLES",
    "VERDICT_COLOURS",
    "VERDICT_SIGNS",
    "GEONAMES_CREDIT",
    "known",
    "kind_of",
    "mode_of",
    "verdict_of",
    "credits",
    "source_credits",
    "place_label",
    "pair_path",
]

GEONAMES_CREDIT = (
    'Places: <a href="https://www.geonames.org/">GeoNames</a> '
    '(<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>)'
)
OSM_PLACES_CREDIT = (
    'Places: &copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    "contributors (ODbL), via the online geocoder"
)
OSM_MUNICIPALITIES_CREDIT = (
    'German municipalities: &copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    "contributors (ODbL), by their postal codes"
)
DESTATIS_DISTRICTS_CREDIT = (
    'German districts: &copy; <a href="https://www.destatis.de/">Statistisches Bundesamt (Destatis)</a>, 2019 '
    '(<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>)'
)
AIRPORTS_CREDIT = 'Airports: <a href="https://ourairports.com/data/">OurAirports</a> (public domain)'
# Places whose data needs a credit of its own (or, public domain, deserves one), by the prefix of
# their ids, and that credit.
SOURCE_CREDITS = {
    "osm:": OSM_PLACES_CREDIT,
    "dateline:de-gemeinde-": OSM_MUNICIPALITIES_CREDIT,
    "dateline:de-kreis-": DESTATIS_DISTRICTS_CREDIT,
    "dateline:airport-": AIRPORTS_CREDIT,
}
# Okabe-Ito colours: told apart with every common colour-vision deficiency.
KIND_COLOURS = {
    "city": "#0072B2",
    "landmark": "#009E73",
    "region": "#CC79A7",
    "country": "#E69F00",
    "water": "#56B4E9",
    "continent": "#7F7F7F",
    "street": "#000000",
}
MODE_STYLES = {
    "rail": {"color": "#222222", "dash_array": None},
    "road": {"color": "#8C510A", "dash_array": None},
    "sea": {"color": "#1F78B4", "dash_array": "10 6"},
    "air": {"color": "#6A3D9A", "dash_array": "2 7"},
    "unknown": {"color": "#555555", "dash_array": "6 6"},
}
VERDICT_COLOURS = {"consistent": "#009E73", "inconsistent": "#D55E00", "unverifiable": "#7F7F7F"}
VERDICT_SIGNS = {"consistent": "\u2713", "inconsistent": "\u2717", "unverifiable": "?"}


def known(value: str | None, allowed: tuple[str, ...], fallback: str) -> str:
    """``value`` if the contract allows it, else ``fallback``."""
    return value if value in allowed else fallback


def kind_of(kind: str | None) -> str:
    return known(kind, PLACE_KINDS, "city")


def mode_of(mode: str | None) -> str:
    return known(mode, TRAVEL_MODES, "unknown")


def verdict_of(verdict: str | None) -> str:
    return known(verdict, VERDICTS, "unverifiable")


def credits(story: Story) -> list[str]:
    """The map's attributions, as HTML: GeoNames and the basemap always; OpenStreetMap when an online
    geocoder placed something or a German municipality of data/gazetteer/de_municipalities.tsv is on
    the map, Destatis when a German district is; and each route network used."""
    networks = dict.fromkeys(leg.route.credit or leg.route.source for leg in story.legs if leg.route)
    sources = source_credits(place.id for place in story.places)
    return [GEONAMES_CREDIT, *sources, BASEMAP_CREDIT, *(html.escape(credit) for credit in networks if credit)]


def source_credits(place_ids: Iterable[str]) -> list[str]:
    """The credits the places' own sources ask for (:data:`SOURCE_CREDITS`), in that table's order."""
    prefixes = {prefix for place_id in place_ids for prefix in SOURCE_CREDITS if place_id.startswith(prefix)}
    return [credit for prefix, credit in SOURCE_CREDITS.items() if prefix in prefixes]


def place_label(story: Story, place_id: str | None) -> str:
    """The label of one of the Story's places; its id when the Story lacks it; "" for no id."""
    place = story.place(place_id or "")
    return place.label if place else (place_id or "")


def pair_path(story: Story, first_id: str | None, second_id: str | None) -> list[LatLon]:
    """The geodesic between two of the Story's places, for drawing ([] unless both are there)."""
    first, second = story.place(first_id or ""), story.place(second_id or "")
    return geodesic_path((first.lat, first.lon), (second.lat, second.lon)) if first and second else []
