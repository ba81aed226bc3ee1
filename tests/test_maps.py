"""The map as text: what it shows, its credits, its escaping, and that it links nothing remote."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from geo.maps import _central_longitude, build_map, credits, legend_html, place_popup, standalone_html
from tests.stories import ANADYR, NOME, hostile_story, leg, place, story_of

def test_places_across_the_antimeridian_sit_side_by_side():
    assert _central_longitude([177.5, -165.4]) == pytest.approx(-174.0, abs=0.1)
    assert _central_longitude([10.0, 20.0]) == pytest.approx(15.0)
    assert _central_longitude([13.4]) == pytest.approx(13.4)
    assert _central_longitude([]) == 0.0
    page = build_map(story_of(ANADYR, NOME, legs=[leg(ANADYR, NOME)])).get_root().render()
    bounds = json.loads(re.search(r"fitBounds\(\s*(\[\[.*?\]\])", page, re.S).group(1))
    assert bounds[1][1] - bounds[0][1] < 40  # Chukotka to Alaska, not round the world


def test_standalone_page_links_nothing_remote_and_credits_its_sources(reference_story):
    page = standalone_html(reference_story)
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=", page)
    for host in ("jsdelivr", "cdnjs", "unpkg", "bootstrapcdn", "code.jquery", "fontawesome"):
        assert host not in page  # folium's CDN hosts are gone from tags and scripts alike
    assert "GeoNames" in page and "creativecommons.org/licenses/by/4.0" in page and "Natural Earth" in page
    assert "OpenStreetMap" in page  # the railway credit of the reference's rail route
    assert len(page.encode("utf-8")) < 2_000_000


def test_every_place_leg_and_claim_is_drawn(reference_story):
    page = build_map(reference_story).get_root().render()
    assert page.count('"className": "dateline-place"') == len(reference_story.places)
    assert page.count('"className": "dateline-leg"') == len(reference_story.legs)
    drawable = [c for c in reference_story.claims if c.from_id and c.to_id]
    assert page.count('"className": "dateline-claim') == len(drawable) >= 1
    assert page.count(".bindPopup(") >= len(reference_story.places) + len(reference_story.legs)


def test_hostile_text_reaches_the_page_only_escaped():
    page = standalone_html(hostile_story())
    assert "window.__xss" in page  # the text is there (to be shown literally) ...
    for raw in ("<script>window.__xss", "<img src=x", "onerror=\"window"):
        assert raw not in page, raw  # ... but never as markup
    assert "<title>&lt;/script&gt;&lt;script&gt;" in page
    for script in re.findall(r"<script>(.*?)</script>", page, re.S):
        code = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', script)  # drop JSON string literals
        assert "__xss" not in code  # in scripts, the text is only ever inside a JSON string


def test_popups_escape_the_sentence_and_mark_the_mention():
    story = hostile_story()
    popup = place_popup(story.places[0], story)
    assert "<mark>Berlin</mark>" in popup
    assert "&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;" in popup
    assert "<img" not in popup and "<script" not in popup
    assert "Berlin (other)" in popup  # the other candidate


def test_legend_and_credits_escape_what_the_story_holds():
    story = hostile_story()
    legend = legend_html(story)
    assert "<script" not in legend and "&lt;script&gt;" in legend
    assert all("<script" not in credit for credit in credits(story))
    assert credits(story)[0].startswith("Places: <a href=\"https://www.geonames.org/\">GeoNames</a>")


def test_a_story_without_places_says_so_on_its_map():
    page = standalone_html(story_of())
    assert "Dateline found no place in this article" in page and "GeoNames" in page


def test_a_place_that_is_not_from_geonames_gets_no_link():
    odd = replace(place("user:javascript:alert(1)", "Somewhere", 1.0, 2.0), id="user:javascript:alert(1)")
    popup = place_popup(odd, story_of(odd))
    assert "href" not in popup and "user:javascript:alert(1)" in popup


def test_the_timeline_slider_gets_every_event_in_order(reference_story):
    page = build_map(reference_story).get_root().render()
    config = json.loads(re.search(r"Dateline\.init\([^,]+,[^,]+,\s*(\{.*?\}),\s*\n", page, re.S).group(1))
    assert [event["places"] for event in config["events"]] == [list(e.places) for e in reference_story.events]
    assert all(event["mark"] is None or event["sentence"][slice(*event["mark"])] for event in config["events"])
    assert set(config["styles"]) == {p.id for p in reference_story.places}
