"""A map's text as HTML: popups, legend and credits escape what the Story holds and mark the mention."""

from __future__ import annotations

from dataclasses import replace

from geo.render.markup import legend_html, marked_sentence, place_popup
from geo.render.style import credits
from tests.stories import hostile_story, place, story_of


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
    assert credits(story)[0].startswith('Places: <a href="https://www.geonames.org/">GeoNames</a>')


def test_a_place_that_is_not_from_geonames_gets_no_link():
    odd = replace(place("user:javascript:alert(1)", "Somewhere", 1.0, 2.0), id="user:javascript:alert(1)")
    popup = place_popup(odd, story_of(odd))
    assert "href" not in popup and "user:javascript:alert(1)" in popup


def test_a_sentence_is_marked_with_the_forms_it_holds_however_many_a_place_has():
    forms = [f"Ort{number:06d}" for number in range(100_000)] + ["Berlin"]  # a pattern of all of them took seconds
    assert marked_sentence("In Berlin & Ort000007.", forms) == "In <mark>Berlin</mark> &amp; <mark>Ort000007</mark>."
