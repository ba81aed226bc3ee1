"""The map as text: what it shows, its credits, its escaping, and that it links nothing remote."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from geo.model import Claim, Event
from geo.render.storymap import FOCUS_MAX_ZOOM, _central_longitude, build_map, standalone_html
from tests.render.timeline_codes import coded_story, codes_shown
from tests.stories import ANADYR, NOME, hostile_story, leg, place, story_of


def shown(fmap) -> dict:
    """What the map's script hands to Dateline.show: the Story's legend, credits, timeline and view."""
    page = fmap.get_root().render()
    return json.loads(re.search(r"Dateline\.show\([^,]+,\s*(\{.*?\}),\s*\n", page, re.S).group(1))


def test_places_across_the_antimeridian_sit_side_by_side():
    assert _central_longitude([177.5, -165.4]) == pytest.approx(-174.0, abs=0.1)
    assert _central_longitude([10.0, 20.0]) == pytest.approx(15.0)
    assert _central_longitude([13.4]) == pytest.approx(13.4)
    assert _central_longitude([]) == 0.0
    bounds = shown(build_map(story_of(ANADYR, NOME, legs=[leg(ANADYR, NOME)])))["fit"]["bounds"]
    assert bounds[1][1] - bounds[0][1] < 40  # Chukotka to Alaska, not round the world


def assert_links_nothing_remote(page: str) -> None:
    """The page loads no script or stylesheet (all inlined), and names none of folium's CDN hosts."""
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=", page)
    for host in ("jsdelivr", "cdnjs", "unpkg", "bootstrapcdn", "code.jquery", "fontawesome"):
        assert host not in page  # folium's CDN hosts are gone from tags and scripts alike


def test_standalone_page_links_nothing_remote_and_credits_its_sources(reference_story):
    page = standalone_html(reference_story)
    assert_links_nothing_remote(page)
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


def assert_only_escaped(page: str) -> None:
    """tests.stories.PAYLOAD is on the page (to be shown literally), but never as markup, and in
    scripts only inside JSON strings."""
    assert "window.__xss" in page
    for raw in ("<script>window.__xss", "<img src=x", 'onerror="window'):
        assert raw not in page, raw
    assert "<title>&lt;/script&gt;&lt;script&gt;" in page
    for script in re.findall(r"<script>(.*?)</script>", page, re.S):
        code = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', script)  # drop JSON string literals
        assert "__xss" not in code


def test_hostile_text_reaches_the_page_only_escaped():
    assert_only_escaped(standalone_html(hostile_story()))


# Jinja syntax: branca compiles each rendered script as a template once more before writing the page
JINJA = "{{ 'jinja' ~ 'ran' }} {% if false %}KEPT-UNLESS-RUN{% endif %} {# COMMENT-KEPT #} {% bad tag %}"


def test_article_text_is_never_run_as_a_template():
    berlin = replace(
        place("geonames:2950159", "Berlin", 52.52, 13.40, sentence=f"Von Berlin {JINJA} nach Wien."),
        label=f"Berlin {JINJA}",
        id=f"user:{JINJA}",
    )
    vienna = place("geonames:2761369", "Wien", 48.21, 16.37, sentence=f"Von Berlin {JINJA} nach Wien.")
    claim = Claim(f"500 km {JINJA}", 500.0, berlin.id, vienna.id, 523.0, "consistent", sentence=JINJA, reason=JINJA)
    story = story_of(berlin, vienna, legs=[leg(berlin, vienna)], claims=[claim], title=JINJA, warnings=[JINJA])
    page = standalone_html(story)
    assert "jinjaran" not in page
    assert page.count("KEPT-UNLESS-RUN") >= 4 and page.count("COMMENT-KEPT") >= 4  # label, sentence, title, ...


def test_a_story_without_places_says_so_on_its_map():
    page = standalone_html(story_of())
    assert "Dateline found no place in this article" in page and "GeoNames" in page


def test_the_timeline_slider_gets_every_event_in_order(reference_story):
    config = shown(build_map(reference_story))
    assert [event["places"] for event in config["events"]] == [list(e.places) for e in reference_story.events]
    assert all(event["mark"] is None or event["sentence"][slice(*event["mark"])] for event in config["events"])
    assert {place_id for place_id, _ in config["styles"]} == {p.id for p in reference_story.places}


def test_the_timeline_slider_shows_dates_in_words_never_a_timex_code_or_an_invented_day():
    story = coded_story()
    whens = [event["when"] for event in shown(build_map(story))["events"]]
    assert {"2019", "April 2019", "early 2020", "in the past", "the 1990s"} <= set(whens)
    assert codes_shown(" ".join(whens)) == []
    page = standalone_html(story)
    assert codes_shown(page) == []


def test_a_leg_that_ends_a_world_away_from_its_marker_is_drawn_again_beside_it():
    """London, Sydney and Los Angeles span more than half the world: whichever way the map is
    centred, one leg ends 360 degrees from a marker, and a copy is drawn where the marker is."""
    from geo.render.storymap import MapView

    london = place("geonames:2643743", "London", 51.50853, -0.12574)
    sydney = place("geonames:2147714", "Sydney", -33.86785, 151.20732)
    los_angeles = place("geonames:5368361", "Los Angeles", 34.05223, -118.24368)
    story = story_of(london, sydney, los_angeles, legs=[leg(london, sydney), leg(sydney, los_angeles)])
    view = MapView(story)
    for journey in story.legs:
        end = story.place(journey.to_id)
        copies = view.lines(journey.path, end)
        assert any(abs(copy[-1][1] - view.lon(end.lon)) < 1e-6 for copy in copies)
        assert any(abs(copy[0][1] - view.lon(story.place(journey.from_id).lon)) < 1e-6 for copy in copies)


def test_places_on_one_meridian_centre_the_map_on_it():
    assert _central_longitude([10.0, 10.0]) == 10.0


def test_values_outside_the_contract_become_no_class_or_style():
    odd = replace(place("geonames:1", "A", 1.0, 2.0), kind="leaflet-zoom-hide")
    other = place("geonames:2", "B", 3.0, 4.0)
    claim = Claim("x km", 1.0, odd.id, other.id, 1.0, "leaflet-zoom-hide")
    page = build_map(story_of(odd, other, claims=[claim])).get_root().render()
    assert not re.search(r"dateline-(?:verdict-|place-)?leaflet-zoom-hide", page)  # as text in popups only
    assert "dateline-claim dateline-unverifiable" in page and "dateline-verdict-unverifiable" in page


def test_place_ids_reach_the_script_as_data_not_as_keys():
    proto = replace(place("geonames:1", "A", 1.0, 2.0), id="__proto__")
    page = build_map(story_of(proto)).get_root().render()
    assert '[["__proto__",' in page and '"__proto__":' not in page


def test_the_map_fits_the_story_not_the_places_named_in_passing():
    """A place named only as a modifier or metonym ("U.S.-backed", "Washington said") is one click
    away in its own layer, hidden at first, and the view fits the places the story happens in."""
    washington = place("geonames:4140963", "Washington", 38.9, -77.0)
    metonym = replace(washington, mentions=tuple(replace(m, role="metonym") for m in washington.mentions))
    fmap = build_map(story_of(ANADYR, NOME, metonym))
    bounds = shown(fmap)["fit"]["bounds"]
    assert bounds[0][0] > 60  # Chukotka and Alaska only, not down to Washington
    page = fmap.get_root().render()
    assert '"Named in passing"' in page and '"Places"' in page
    assert metonym.role == "associative" and ANADYR.role == "literal"


def test_a_town_is_drawn_over_the_country_around_it_and_long_popups_scroll():
    town = place("geonames:1871859", "Pjöngjang", 39.03, 125.75)
    country = place("geonames:1873107", "Nordkorea", 40.0, 127.0, "country")
    page = build_map(story_of(town, country)).get_root().render()  # the town first in the Story
    assert page.index("Nordkorea") < page.index("Pjöngjang")  # drawn first: the town's marker lies on top
    assert '"maxHeight":320' in page.replace(" ", "")


def test_story_mode_steps_through_the_events_in_calendar_order_then_the_undated_in_article_order():
    """The article tells 2019 before the 1990s; story mode starts in the 1990s. Events off the
    calendar ("in the past", "on Monday" without a week) follow, as the article gives them."""
    story = coded_story()
    whens = [event["when"] for event in shown(build_map(replace(story, events=story.events[::-1])))["events"]]
    dated = ["the 1990s", "2019", "April 2019", "early 2020", "the week of Apr 22, 2024", "May 3, 2024, morning"]
    assert whens == [*dated, "Monday", "in the future", "in the past"]  # the undated, reversed with the article
    assert [event["when"] for event in shown(build_map(story))["events"]] == [
        *dated,
        "in the past",
        "in the future",
        "Monday",
    ]


def _event(text: str, start: str | None, *places: str) -> Event:
    return Event(text, 0, len(text), start[:4] if start else "PAST_REF", start, start, f"They met {text}.", places)


def test_each_step_of_story_mode_flies_to_its_places_and_a_placeless_step_stays():
    korea = place("geonames:1873107", "Nordkorea", 40.0, 127.0, "country")
    events = [
        _event("in 2020", "2020-01-01", NOME.id),
        _event("in 2019", "2019-01-01"),
        _event("in 2021", "2021-01-01", korea.id, "gone"),
    ]
    steps = shown(build_map(story_of(ANADYR, NOME, korea, events=events)))["events"]
    assert [step["when"] for step in steps] == ["2019", "2020", "2021"]
    assert steps[0]["focus"] is None  # no place: the view stays where it is
    nome = steps[1]["focus"]
    assert nome["options"]["maxZoom"] == FOCUS_MAX_ZOOM and nome["options"]["paddingTopLeft"] == [50, 56]
    ((south, west), (north, east)) = nome["bounds"]
    assert south == north == pytest.approx(NOME.lat) and west == east and west % 360 == pytest.approx(NOME.lon % 360)
    ((south, west), (north, east)) = steps[2]["focus"]["bounds"]  # a country by its outline, not its centre
    assert south < 38 < 42.5 < north and west < 125 < 130.5 < east and east - west < 10


def test_a_sea_a_continent_or_a_region_is_seen_from_further_away_than_a_town():
    """One point for a place that is no town: the map flies out to see it, not into a square of sea."""
    sea = place("dateline:mediterranean", "Mittelmeer", 35.0, 20.0, "water")
    continent = place("geonames:6255148", "Europa", 48.7, 9.1, "continent")
    region = place("geonames:2951839", "Bayern", 49.0, 11.5, "region")
    events = [
        _event(f"in {year}", f"{year}-01-01", p.id) for year, p in zip((2001, 2002, 2003), (sea, continent, region))
    ]
    events.append(_event("in 2004", "2004-01-01", NOME.id, sea.id))  # a town and a sea: the sea's distance
    steps = shown(build_map(story_of(NOME, sea, continent, region, events=events)))["events"]
    assert [step["focus"]["options"]["maxZoom"] for step in steps] == [4, 3, 6, 4]
    assert FOCUS_MAX_ZOOM == 9  # a town's


def test_the_dashboards_chosen_event_becomes_the_views_focus():
    """The dashboard (no panels) highlights an event's places; the map flies there (geo/render/web/map.js
    keys it like the fit, so a rerun with the same choice keeps the reader's view)."""
    story = story_of(ANADYR, NOME, legs=[leg(ANADYR, NOME)])
    chosen = shown(build_map(story, highlight=[ANADYR.id, NOME.id], panels=False))
    assert chosen["events"] == [] and chosen["focus"]["options"]["paddingBottomRight"] == [20, 30]
    ((_, west), (_, east)) = chosen["focus"]["bounds"]
    assert east - west < 40  # across the date line, the short way, as the fit
    assert shown(build_map(story, panels=False))["focus"] is None


def test_long_labels_are_told_apart_for_decluttering(reference_story):
    """geo/render/web/map.js hides labels that overlap one kept before: checked distances first."""
    page = build_map(reference_story).get_root().render()
    drawable = [c for c in reference_story.claims if c.from_id and c.to_id]
    assert page.count('dateline-label dateline-claim-label"') >= len(drawable) >= 1
    assert page.count('dateline-label dateline-leg-label"') >= len(reference_story.legs) >= 1
