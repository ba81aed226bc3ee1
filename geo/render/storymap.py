"""The map of a Story: a folium (Leaflet) map that shows its evidence, and its standalone HTML file.

:func:`build_map` draws what the Story holds and analyses nothing again:

- a circle per place, coloured by kind and filled by confidence (a dashed ring is the centre of an
  area), with a popup of its GeoNames entry, the sentences that name it (the mention marked) and the
  other candidates;
- each leg as the geodesic curve the Story carries, styled by mode with its length, and the
  network route beside it where there is one;
- each checked distance on its pair of places, coloured by verdict, with the text's number and the
  map's number;
- the timeline as a slider, story mode: it steps through the dated events in calendar order, picks
  out the places each one touches and flies there (:func:`_focus`);
- country outlines that need no tiles (online OpenStreetMap tiles on top when reachable), a scale
  bar, a measure tool, a layer control, a legend, and the credits (GeoNames, CC BY 4.0, always).

Article text is untrusted. Every string from a Story reaches the page either escaped into HTML
that Leaflet shows (popups, tooltips, legend: :mod:`geo.render.markup`) or as JSON data that
geo/render/web/map.js writes with ``textContent``. folium's own Popup and Tooltip put their HTML
inside a JavaScript template literal, where ``${...}`` in an article would run, so this module
binds its own.

:func:`standalone_html` renders the map with Leaflet, the plugins, the outlines and Dateline's own
script and styles inlined: the file opens and draws with no network at all.

A map is :func:`base_map` (what every map has) with :func:`story_layers` on it (what this Story
adds, and a call of ``Dateline.show`` in geo/render/web/map.js that puts its legend, credits,
timeline and view in place). The dashboard sends the two apart: the base stays mounted in the browser and only
the Story's layers change after a correction.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import MeasureControl
from folium.template import Template

from geo.model import LITERAL, POINT_KINDS, Claim, Event, LatLon, Leg, Place, Story
from geo.render.assets import asset_url, data_uri, inline_assets, served_url
from geo.render.basemap import BASEMAP_CREDIT, OUTLINES_ASSET, country_outlines, in_polygon
from geo.render.markup import (
    claim_summary,
    escape_html,
    leg_popup,
    legend_html,
    pair_title,
    place_popup,
    same_pair,
    script_json,
)
from geo.render.style import (
    GEONAMES_CREDIT,
    KIND_COLOURS,
    MODE_STYLES,
    VERDICT_COLOURS,
    VERDICT_SIGNS,
    credits,
    kind_of,
    mode_of,
    pair_path,
    place_label,
    verdict_of,
)
from geo.timeline.events import timeline_order
from geo.timeline.labels import event_label

__all__ = [
    "build_map",
    "base_map",
    "story_layers",
    "standalone_html",
    "page_html",
    "with_served_assets",
    "marker_style",
    "MapView",
    "TILES",
    "PLACES_PANE",
]

TILES = {
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "maxZoom": 19,
    "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
}
FIT_MAX_ZOOM = 8
FOCUS_MAX_ZOOM = 9  # an event in one town: the town and its surroundings, not its streets
# A place drawn as one point that is no town (a sea, a continent, a region or a state without an
# outline here) is seen from further away: the Mediterranean, not a square of sea at zoom 9.
FOCUS_ZOOM_BY_KIND = {"continent": 3, "water": 4, "region": 6}
PLACES_PANE = "dateline-places"  # made by geo/render/web/map.js, above Leaflet's overlay pane
WORLD_VIEW = ((20.0, 0.0), 2)  # where a map looks before it is fitted to its Story, as in geo/render/web/map.js
LEGEND_WIDTH = 250  # px, as in geo/render/web/map.css
CLAIM_LABEL = "dateline-label dateline-claim-label"  # kept first where labels overlap (geo/render/web/map.js)
LEG_LABEL = "dateline-label dateline-leg-label"


# -- folium elements whose assets are shipped, and whose text is bound safely ------------------


class DatelineMap(folium.Map):
    """A folium Map that loads Leaflet only, from the shipped copy (no jQuery, Bootstrap or fonts:
    nothing here uses them)."""

    default_js = [("leaflet", asset_url("leaflet/leaflet.js"))]
    default_css = [("leaflet_css", asset_url("leaflet/leaflet.css"))]


class ShippedMeasureControl(MeasureControl):
    """folium's measure tool, loading leaflet-measure from the shipped copy."""

    default_js = [("leaflet_measure_js", asset_url("leaflet-measure/leaflet-measure.js"))]
    default_css = [("leaflet_measure_css", asset_url("leaflet-measure/leaflet-measure.css"))]


class BoundText(MacroElement):
    """A popup or tooltip on its parent layer, from HTML this module escaped, passed as a JSON string."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.{{ this.method }}({{ this.html_json }}, {{ this.options_json }});
        {% endmacro %}""")

    def __init__(self, method: str, markup: str, **options: Any) -> None:
        super().__init__()
        if method not in ("bindPopup", "bindTooltip"):
            raise ValueError(method)
        self.method, self.html_json, self.options_json = method, script_json(markup), script_json(options)


POPUP_MAX_HEIGHT = 320
"""px: a longer popup (a place named in many sentences) scrolls inside itself instead of running
out of a map that is 450 px high in the dashboard."""


def popup(markup: str) -> BoundText:
    return BoundText("bindPopup", markup, maxWidth=380, minWidth=220, maxHeight=POPUP_MAX_HEIGHT)


def tooltip(markup: str, **options: Any) -> BoundText:
    return BoundText("bindTooltip", markup, **options)


class DatelineBase(JSCSSMixin, MacroElement):
    """Hands the map to geo/render/web/map.js once: outlines, tiles on request, layer control, legend box."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        Dateline.init({{ this._parent.get_name() }}, {{ this.config_json }});
        {% endmacro %}""")
    default_js = [
        ("dateline_outlines_js", asset_url(OUTLINES_ASSET)),
        ("dateline_map_js", asset_url("dateline/map.js")),
    ]
    default_css = [("dateline_map_css", asset_url("dateline/map.css"))]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        self.config_json = script_json(config)


class StoryView(MacroElement):
    """Puts a Story on a map set up by :class:`DatelineBase` (``Dateline.show``): its layers in the
    layer control, its legend, credits and timeline, and the view that fits it. Its parent is the
    last of the Story's feature groups, so every layer and marker it names exists when it runs."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        Dateline.show({{ this._parent._parent.get_name() }}, {{ this.view_json }},
                      [{%- for name, group in this.overlays %}[{{ name }}, {{ group.get_name() }}],{% endfor -%}],
                      [{%- for id, marker in this.markers %}[{{ id }}, {{ marker.get_name() }}],{% endfor -%}]);
        {% endmacro %}""")

    def __init__(
        self, view: dict[str, Any], overlays: Sequence[Layer], markers: dict[str, folium.CircleMarker]
    ) -> None:
        super().__init__()
        self.view_json = script_json(view)
        self.overlays = [(script_json(group.layer_name), group) for group in overlays]
        self.markers = [(script_json(place_id), marker) for place_id, marker in markers.items()]


# -- the map ----------------------------------------------------------------------------------


def build_map(
    story: Story, *, height: str = "100%", highlight: Collection[str] = (), panels: bool = True
) -> folium.Map:
    """The interactive map of a Story (see the module docstring for what it shows): :func:`base_map`
    with :func:`story_layers` on it."""
    fmap = base_map(height=height, panels=panels)
    for layer in story_layers(story, highlight=highlight, panels=panels):
        layer.add_to(fmap)
    return fmap


def base_map(*, height: str = "100%", panels: bool = True) -> folium.Map:
    """The map before any Story: Leaflet, the offline outlines, online tiles on request, the layer
    control, the measure tool, a scale bar and the legend's box. It is the same for every Story, so
    the dashboard keeps it mounted and sends only :func:`story_layers` after a correction. Without
    ``panels`` the legend starts folded (the dashboard shows the timeline beside the map)."""
    fmap = DatelineMap(
        location=WORLD_VIEW[0],
        zoom_start=WORLD_VIEW[1],
        tiles=None,
        control_scale=True,
        height=height,
        prefer_canvas=False,
        world_copy_jump=False,
    )
    ShippedMeasureControl(
        position="topleft",
        primary_length_unit="kilometers",
        secondary_length_unit="miles",
        primary_area_unit="hectares",
        secondary_area_unit="sqmiles",
    ).add_to(fmap)
    DatelineBase(
        {
            "tiles": TILES,
            "icons": _default_icons(),
            "legendFolded": not panels,
            "credits": [GEONAMES_CREDIT, BASEMAP_CREDIT],
            "legend": "<p>No article on this map yet.</p>",
        }
    ).add_to(fmap)
    return fmap


def story_layers(story: Story, *, highlight: Collection[str] = (), panels: bool = True) -> list[folium.FeatureGroup]:
    """A Story as feature groups for :func:`base_map`: places, journeys, checked distances, and a
    last group (not in the layer control) whose :class:`StoryView` shows the Story's legend,
    credits and timeline and fits the view. The places whose ids are in ``highlight`` stand out and
    the others fade (the dashboard's chosen event), and the map flies to them (``focus``). Without
    ``panels`` there is no timeline slider."""
    view = MapView(story)
    places = folium.FeatureGroup(name="Places", show=True)
    passing = folium.FeatureGroup(name="Named in passing", show=False)  # Place.role: associative
    legs = folium.FeatureGroup(name="Journeys", show=True)
    claims = folium.FeatureGroup(name="Checked distances", show=True)
    styles = {place.id: _marker_styles(place) for place in story.places}
    state = {
        place.id: "touched" if place.id in highlight else "faded" if highlight else "normal" for place in story.places
    }
    markers = {
        place.id: _add_place(
            places if place.role == LITERAL else passing, place, styles[place.id][state[place.id]], story, view
        )
        for place in sorted(story.places, key=lambda place: place.kind in POINT_KINDS)  # towns drawn last, on top:
    }  # a click on Pjöngjang opens Pjöngjang, not the North Korea ring around it
    overlays = [places, passing, legs, claims] if len(passing._children) else [places, legs, claims]
    for leg in story.legs:
        _add_leg(legs, leg, story, view)
    for claim in story.claims:
        _add_claim(claims, claim, story, view)
    shown = {
        "credits": credits(story),
        "legend": legend_html(story),
        "events": [_event_data(event, story, view, panels) for event in timeline_order(story.events)] if panels else [],
        "styles": [[place_id, style] for place_id, style in styles.items()],
        "fit": view.fit(panels=panels),
        "focus": _focus(story, view, highlight, panels=panels),
    }
    story_view = folium.FeatureGroup(name="Dateline story", control=False, show=True)
    StoryView(shown, overlays, markers).add_to(story_view)
    return [*overlays, story_view]


def with_served_assets(fmap: folium.Map, base: str) -> folium.Map:
    """The map with its assets linked at ``base`` (a web server's folder of
    :func:`geo.render.assets.publish`) instead of by placeholder: streamlit-folium loads each
    element's ``default_js``/``default_css``."""
    pending = [fmap]
    while pending:
        element = pending.pop()
        for attribute in ("default_js", "default_css"):
            links = getattr(element, attribute, None)
            if links:
                setattr(element, attribute, [(name, served_url(url, base)) for name, url in links])
        pending.extend(getattr(element, "_children", {}).values())
    return fmap


def standalone_html(story: Story) -> str:
    """The map as one HTML file that opens and draws offline: every asset inlined, none linked."""
    return page_html(build_map(story), f"{story.document.title or story.id} \u2013 Dateline map")


def page_html(fmap: folium.Map, title: str) -> str:
    """A map as one HTML file titled ``title`` (plain text), with every asset inlined, none linked."""
    root = fmap.get_root()
    root.title = html.escape(title)  # branca writes it as is
    return inline_assets(root.render())


def _default_icons() -> dict[str, str]:
    """Leaflet's default marker images as data URIs: Dateline's markers need none, but the measure
    tool places default markers, and Leaflet would look for the images beside the saved file."""
    return {
        "iconUrl": data_uri("leaflet/images/marker-icon.png"),
        "iconRetinaUrl": data_uri("leaflet/images/marker-icon-2x.png"),
        "shadowUrl": data_uri("leaflet/images/marker-shadow.png"),
    }


class MapView:
    """Where the map looks: a central longitude chosen opposite the widest gap between the places,
    so that places on both sides of the antimeridian sit side by side, and the bounds of it all."""

    def __init__(self, story: Story) -> None:
        literal = [place for place in story.places if place.role == LITERAL]  # not "U.S.-backed", "Moscow warned"
        self._look_at(
            [(place.lat, place.lon) for place in literal or story.places],
            [path for leg in story.legs for path in (leg.path, leg.route.path if leg.route else [])],
        )

    @classmethod
    def around(cls, places: Sequence[LatLon]) -> MapView:
        """The view of bare places, with no Story (the corpus map's)."""
        view = cls.__new__(cls)
        view._look_at(places, [])
        return view

    def _look_at(self, places: Sequence[LatLon], paths: Iterable[Sequence[LatLon]]) -> None:
        self.centre = _central_longitude([lon for _, lon in places])
        points = [(lat, self.lon(lon)) for lat, lon in places]
        for path in paths:
            points += self.path(path)
        self.bounds = (
            [
                [max(min(p[0] for p in points), -85.0), min(p[1] for p in points)],
                [min(max(p[0] for p in points), 85.0), max(p[1] for p in points)],
            ]
            if points
            else None
        )

    def fit(self, *, panels: bool = True) -> dict[str, Any] | None:
        """How geo/render/web/map.js fits the map to the bounds (None: the world)."""
        return _framing(self.bounds, FIT_MAX_ZOOM, panels=panels) if self.bounds else None

    def lon(self, lon: float) -> float:
        return lon + 360 * round((self.centre - lon) / 360)

    def point(self, place: Place) -> LatLon:
        return (place.lat, self.lon(place.lon))

    def path(self, path: Sequence[LatLon]) -> list[LatLon]:
        """A path with unrolled longitudes, moved by whole turns so that it starts next to the centre."""
        if not path:
            return []
        turn = self.lon(path[0][1]) - path[0][1]
        return [(lat, lon + turn) for lat, lon in path]

    def lines(self, path: Sequence[LatLon], end: Place | None) -> list[list[LatLon]]:
        """The path to draw, and a copy a world over when it ends that far from its end's marker
        (places spread over more than half the world: London, Sydney, Los Angeles)."""
        drawn = self.path(path)
        if len(drawn) < 2:
            return []
        turns = round((self.lon(end.lon) - drawn[-1][1]) / 360) if end else 0
        return [drawn] + ([[(lat, lon + 360 * turns) for lat, lon in drawn]] if turns else [])


def _framing(bounds: Sequence[Sequence[float]], max_zoom: int, *, panels: bool) -> dict[str, Any]:
    """``bounds`` ([[south, west], [north, east]]) as geo/render/web/map.js fits or flies to them: room
    top left for the zoom and measure buttons, and on the right for an open legend."""
    return {
        "bounds": [list(corner) for corner in bounds],
        "options": {
            "paddingTopLeft": [50, 56],  # below the layer button at the top right as well
            "paddingBottomRight": [(LEGEND_WIDTH if panels else 0) + 20, 30],
            "maxZoom": max_zoom,
        },
    }


def _central_longitude(lons: Sequence[float]) -> float:
    """The middle of the shortest arc of longitude that holds every place (0 for none)."""
    if not lons:
        return 0.0
    if max(lons) == min(lons):
        return lons[0]
    ordered = sorted(lon % 360 for lon in lons)
    gaps = [
        (ordered[(i + 1) % len(ordered)] - ordered[i]) % 360 or (360.0 if len(ordered) == 1 else 0.0)
        for i in range(len(ordered))
    ]
    widest = max(range(len(gaps)), key=gaps.__getitem__)
    start = ordered[(widest + 1) % len(ordered)]  # the places run from here ...
    span = 360 - gaps[widest]  # ... this far eastwards
    centre = (start + span / 2) % 360
    return centre - 360 if centre > 180 else centre


# -- places -----------------------------------------------------------------------------------


def _add_place(
    layer: folium.FeatureGroup, place: Place, style: dict[str, Any], story: Story, view: MapView
) -> folium.CircleMarker:
    marker = folium.CircleMarker(
        view.point(place),
        radius=style["radius"],
        color=style["color"],
        weight=style["weight"],
        opacity=style["opacity"],
        fill=True,
        fill_color=style["color"],
        fill_opacity=style["fillOpacity"],
        dash_array=style["dashArray"],
        class_name="dateline-place",
    )
    marker.options["pane"] = PLACES_PANE  # folium passes no pane; markers above the lines, to be clicked
    marker.add_child(tooltip(escape_html(place.label), direction="top", offset=(0, -8)))
    marker.add_child(popup(place_popup(place, story)))
    return marker.add_to(layer)


def _marker_styles(place: Place) -> dict[str, dict[str, Any]]:
    """The marker's Leaflet style normally, when the timeline's event touches it, and when it does not."""
    normal = marker_style(place.kind, place.confidence)
    radius = normal["radius"]
    return {
        "normal": normal,
        "touched": {**normal, "radius": radius + 4, "color": "#D62728", "weight": 4, "fillOpacity": 0.95},
        "faded": {**normal, "opacity": 0.3, "fillOpacity": 0.08},
    }


def marker_style(kind: str, confidence: float) -> dict[str, Any]:
    """A place marker's Leaflet style: coloured by kind, filled by confidence (faint: unsure), a
    dashed ring for the centre of an area."""
    return {
        "radius": 7 if kind in POINT_KINDS else 9,
        "color": KIND_COLOURS[kind_of(kind)],
        "weight": 2,
        "opacity": 1.0,
        "fillOpacity": round(0.2 + 0.7 * max(0.0, min(1.0, confidence)), 2),
        "dashArray": None if kind in POINT_KINDS else "3 3",
    }


# -- legs and claims --------------------------------------------------------------------------


def _add_leg(layer: folium.FeatureGroup, leg: Leg, story: Story, view: MapView) -> None:
    style = MODE_STYLES[mode_of(leg.mode)]
    end = story.place(leg.to_id)
    for path in view.lines(leg.path or pair_path(story, leg.from_id, leg.to_id), end):
        _line(
            layer,
            path,
            leg_popup(leg, story),
            tooltip(f"{leg.km:,.0f} km", permanent=True, direction="center", className=LEG_LABEL),
            weight=3,
            opacity=0.9,
            class_name="dateline-leg",
            **style,
        )
    if leg.route and leg.route.path:
        label = f"{escape_html(mode_of(leg.mode))} route {leg.route.km:,.0f} km ({escape_html(leg.route.source)})"
        for path in view.lines(leg.route.path, end):
            _line(
                layer,
                path,
                leg_popup(leg, story),
                tooltip(label, sticky=True),
                color=style["color"],
                weight=2,
                opacity=0.55,
                dash_array="1 5",
                class_name="dateline-route",
            )


def _line(layer: folium.FeatureGroup, path: list[LatLon], popup_html: str, label: BoundText, **options: Any) -> None:
    line = folium.PolyLine(path, **options)
    line.add_child(label)
    line.add_child(popup(popup_html))
    line.add_to(layer)


def _add_claim(layer: folium.FeatureGroup, claim: Claim, story: Story, view: MapView) -> None:
    if not (claim.from_id and claim.to_id):
        return
    leg = next((leg for leg in story.legs if same_pair(claim, leg) and leg.path), None)
    path, end = (leg.path, leg.to_id) if leg else (pair_path(story, claim.from_id, claim.to_id), claim.to_id)
    verdict = verdict_of(claim.verdict)
    label = f"{VERDICT_SIGNS[verdict]} {escape_html(claim.text)}"
    if claim.computed_km is not None:
        label += f" \u00b7 map {claim.computed_km:,.0f} km"
    summary = (
        f'<div class="dateline-popup"><h3>{pair_title(story, claim.from_id, claim.to_id)}</h3>'
        f"{claim_summary(claim)}</div>"
    )
    for copy in view.lines(path, story.place(end)):
        _line(
            layer,
            copy,
            summary,
            tooltip(label, permanent=True, direction="top", className=CLAIM_LABEL),
            color=VERDICT_COLOURS[verdict],
            weight=2 if leg else 3,
            opacity=0.95,
            dash_array=None if leg else "1 6",
            class_name=f"dateline-claim dateline-{verdict}",
        )


# -- timeline ---------------------------------------------------------------------------------


def _event_data(event: Event, story: Story, view: MapView, panels: bool) -> dict[str, Any]:
    """An event as data for the timeline slider (geo/render/web/map.js writes it as text), with
    where story mode flies at its step. The slider takes the events in
    :func:`geo.timeline.events.timeline_order` (by start; events off the calendar, such as "einst",
    after them in article order): a Story read from JSON may list them otherwise."""
    mark = event.in_sentence()
    return {
        "when": _when(event, story),
        "sentence": event.sentence or event.text,
        "mark": list(mark) if mark else None,
        "places": list(event.places),
        "labels": [place_label(story, place_id) for place_id in event.places],
        "focus": _focus(story, view, event.places, panels=panels),
    }


def _focus(story: Story, view: MapView, place_ids: Collection[str], *, panels: bool) -> dict[str, Any] | None:
    """Where the map flies for an event (story mode's step, the dashboard's chosen event): the bounds
    of its places on the map (those named in passing only when it has no other), a country by its
    outline. None when it names no place: the view stays."""
    ids = set(place_ids)
    wanted = [place for place in story.places if place.id in ids]
    shown = [place for place in wanted if place.role == LITERAL] or wanted  # not the US of "US-Präsident"
    if not shown:
        return None
    boxes = [_place_box(place, view) for place in shown]
    south, west = min(box[0][0] for box in boxes), min(box[0][1] for box in boxes)
    north, east = max(box[1][0] for box in boxes), max(box[1][1] for box in boxes)
    zoom = min(FOCUS_ZOOM_BY_KIND.get(place.kind, FOCUS_MAX_ZOOM) for place in shown)
    return _framing([[max(south, -85.0), west], [min(north, 85.0), east]], zoom, panels=panels)


def _place_box(place: Place, view: MapView) -> tuple[LatLon, LatLon]:
    """A place's south-west and north-east corners as the map draws it: for a country, the outline
    that holds its point (Russia is not the town at its centre; the mainland, not Kaliningrad or
    Sakhalin), else the point itself."""
    lat, lon = view.point(place)
    box = _outline_box(place.lat, place.lon) if place.kind == "country" else None
    if box is None:
        return (lat, lon), (lat, lon)
    turn = lon - place.lon
    return (box[0][0], box[0][1] + turn), (box[1][0], box[1][1] + turn)


def _outline_box(lat: float, lon: float) -> tuple[LatLon, LatLon] | None:
    """The bounds of the outline polygon (geo/render/basemap.py) that holds the point, moved by whole
    turns so that they hold its longitude; None when none does (an island too small for 1:110m)."""
    for (south, west), (north, east), rings in _outline_polygons():
        for shift in (0.0, 360.0, -360.0):
            x = lon + shift
            if south <= lat <= north and west <= x <= east and in_polygon(x, lat, rings):
                return (south, west - shift), (north, east - shift)
    return None


@functools.cache
def _outline_polygons() -> list[tuple[LatLon, LatLon, list[list[list[float]]]]]:
    """Each polygon of the country outlines (its rings continuous across the antimeridian) with its
    bounds, worked out once."""
    polygons = []
    for feature in country_outlines()["features"]:
        for rings in feature["geometry"]["coordinates"]:
            points = [point for ring in rings for point in ring]
            if points:
                lons, lats = [p[0] for p in points], [p[1] for p in points]
                polygons.append(((min(lats), min(lons)), (max(lats), max(lons)), rings))
    return polygons


def _when(event: Event, story: Story) -> str:
    """The event's date as the reader sees it: in words, at its own precision ("April 2019")."""
    return event_label(event, story.document.language)
