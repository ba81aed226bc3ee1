"""Country outlines for a map that needs no tiles: Natural Earth 1:110m, from the world-atlas package.

world-atlas ships TopoJSON made for d3's spherical projections, where a ring may jump from +180 to
-180 (Russia's Chukotka, Fiji) or run round a pole (Antarctica). A flat Leaflet map would draw
those jumps as streaks across the world. :func:`country_outlines` decodes the topology and makes
each ring continuous: longitudes are unrolled (179 is followed by 181, not -179), and a ring that
goes round a pole is closed along that pole's edge of the map. The map draws the outlines three
times, 360 degrees apart, so that whatever crosses the antimeridian is whole on both sides.

The map loads the outlines as a script, ``geo/render/web/outlines.js``, made from :func:`country_outlines`
by ``python -m geo.render.basemap`` (a test checks that it is current). As a file beside Leaflet they are
inlined into a saved map and served to the dashboard once, not written into every map's script.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from geo.render.assets import ASSET_DIRS, asset_path

__all__ = ["country_outlines", "outlines_script", "BASEMAP_ASSET", "OUTLINES_ASSET", "BASEMAP_CREDIT"]

BASEMAP_ASSET = "world-atlas/countries-110m.json"
OUTLINES_ASSET = "dateline/outlines.js"
BASEMAP_CREDIT = (
    'Basemap: <a href="https://www.naturalearthdata.com/">Natural Earth</a> (public domain) '
    'via <a href="https://github.com/topojson/world-atlas">world-atlas</a>'
)
DECIMALS = 2  # about a kilometre, finer than a 1:110m outline


@functools.lru_cache(maxsize=1)
def country_outlines() -> dict[str, Any]:
    """The countries as a GeoJSON FeatureCollection whose rings never jump across the antimeridian."""
    topology = json.loads(asset_path(BASEMAP_ASSET).read_text(encoding="utf-8"))
    features = []
    for geometry, polygons in topology_polygons(topology, "countries"):
        rings = [[_continuous_ring(ring) for ring in polygon] for polygon in polygons]
        features.append(
            {
                "type": "Feature",
                "properties": {"name": geometry.get("properties", {}).get("name")},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[_align(ring, polygon[0][0][0]) for ring in polygon] for polygon in rings],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def outlines_script() -> str:
    """geo/render/web/outlines.js: the outlines as a script that hands them to geo/render/web/map.js."""
    return (
        "/* Country outlines for Dateline's offline basemap: Natural Earth 1:110m (public domain) via\n"
        " * world-atlas (ISC), each ring unrolled across the antimeridian by geo/render/basemap.py.\n"
        " * Made by `python -m geo.render.basemap`; do not edit. */\n"
        f"window.DatelineOutlines = {json.dumps(country_outlines(), separators=(',', ':'))};\n"
    )


def topology_polygons(
    topology: dict[str, Any], name: str
) -> Iterator[tuple[dict[str, Any], list[list[list[tuple[float, float]]]]]]:
    """Each geometry of the TopoJSON object ``name`` with its polygons, each a list of rings of
    (lon, lat), the outer ring first (world-atlas's countries here; us-atlas's counties for
    scripts/build_us_counties.py)."""
    arcs = _decoded_arcs(topology)
    for geometry in topology["objects"][name]["geometries"]:
        polygons = {"Polygon": [geometry.get("arcs", [])], "MultiPolygon": geometry.get("arcs", [])}
        yield geometry, [[_ring(arcs, ids) for ids in polygon] for polygon in polygons.get(geometry["type"], [])]


def in_polygon(lon: float, lat: float, rings: Sequence[Sequence[Sequence[float]]]) -> bool:
    """Whether a point lies in a polygon with holes: the even-odd rule over its rings of (lon, lat)."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]]):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _decoded_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Each arc as absolute (lon, lat): TopoJSON stores quantized deltas."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        decoded.append(points)
    return decoded


def _ring(arcs: list[list[tuple[float, float]]], ids: list[int]) -> list[tuple[float, float]]:
    """A ring from its arc indices (a negative index ~i is arc i reversed); arcs share end points."""
    points: list[tuple[float, float]] = []
    for index in ids:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _continuous_ring(points: list[tuple[float, float]]) -> list[list[float]]:
    """The ring with unrolled longitudes; a ring that goes round a pole is closed along it."""
    ring = [[points[0][0], points[0][1]]]
    for lon, lat in points[1:]:
        previous = ring[-1][0]
        lon += 360 * round((previous - lon) / 360)
        ring.append([lon, lat])
    if abs(ring[-1][0] - ring[0][0]) > 180:  # round a pole: back along the map's top or bottom edge
        pole = 90.0 if sum(lat for _, lat in ring) > 0 else -90.0
        ring[-1:] = [ring[-1], [ring[-1][0], pole], [ring[0][0], pole], ring[0]]
    return [[round(lon, DECIMALS), round(lat, DECIMALS)] for lon, lat in ring]


def _align(ring: list[list[float]], near_lon: float) -> list[list[float]]:
    """The ring shifted by whole turns so that it starts within 180 degrees of ``near_lon`` (a hole
    stays inside its outer ring)."""
    turn = 360 * round((near_lon - ring[0][0]) / 360)
    return ring if not turn else [[lon + turn, lat] for lon, lat in ring]


if __name__ == "__main__":
    target = ASSET_DIRS["dateline"] / OUTLINES_ASSET.partition("/")[2]
    target.write_text(outlines_script(), encoding="utf-8")
    print(f"wrote {target} ({target.stat().st_size:,} bytes)", file=sys.stderr)
