"""Country outlines that a flat map draws without streaks across the antimeridian."""

from __future__ import annotations

from geo.render.assets import asset_path
from geo.render.basemap import OUTLINES_ASSET, country_outlines, outlines_script


def rings():
    for feature in country_outlines()["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                yield feature["properties"]["name"], ring


def test_every_country_of_natural_earth_is_there():
    names = {feature["properties"]["name"] for feature in country_outlines()["features"]}
    assert len(names) >= 170 and {"Russia", "Fiji", "Antarctica", "Germany", "North Korea"} <= names


def test_no_ring_jumps_across_the_map():
    """A segment longer than half the world would be drawn as a streak; only a pole's edge may be."""
    for name, ring in rings():
        assert ring[0] == ring[-1], name
        for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:]):
            along_a_pole = lat1 == lat2 and abs(lat1) == 90
            assert abs(lon2 - lon1) <= 180 or along_a_pole, (name, lon1, lon2)


def test_rings_across_the_antimeridian_are_unrolled_not_cut_off():
    """Chukotka continues east of 180 degrees; the map's copy of the world 360 degrees west shows it
    next to Alaska."""
    russia = [ring for name, ring in rings() if name == "Russia"]
    assert any(max(lon for lon, _ in ring) > 185 for ring in russia)
    fiji = [ring for name, ring in rings() if name == "Fiji"]
    assert all(max(lon for lon, _ in ring) - min(lon for lon, _ in ring) < 5 for ring in fiji)


def test_antarctica_is_closed_along_the_south_pole():
    antarctica = [ring for name, ring in rings() if name == "Antarctica"]
    assert any(sum(1 for _, lat in ring if lat == -90) == 2 for ring in antarctica)


def test_the_shipped_outlines_script_is_current():
    """geo/render/web/outlines.js is made from country_outlines(); `python -m geo.render.basemap` makes it again."""
    assert asset_path(OUTLINES_ASSET).read_text(encoding="utf-8") == outlines_script()
