"""The exported map in a real browser with the network blocked: it draws, credits, and runs nothing
that an article smuggles in. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from geo.__main__ import main
from tests.browser import offline_page, screenshot
from tests.conftest import HOSTILE_ARTICLE, REFERENCE_ARTICLE

pytestmark = pytest.mark.browser


def export_map(article: Path, out: Path) -> Path:
    err = io.StringIO()
    assert main(["map", str(article), "-o", str(out)], io.StringIO(), err) == 0, err.getvalue()
    return out


def open_every_popup(page) -> list[str]:
    """Click each marker and line in turn and return the text of each popup that opens."""
    texts = []
    for selector in ("path.dateline-place", "path.dateline-leg", "path.dateline-claim"):
        for index in range(page.locator(selector).count()):
            page.locator(selector).nth(index).dispatch_event("click")
            # the popup before fades out for a moment: wait until only the new one is left
            page.wait_for_function("document.querySelectorAll('.leaflet-popup-content').length === 1")
            texts.append(page.locator(".leaflet-popup-content").inner_text())
    return texts


def walk_the_timeline(page) -> list[str]:
    texts = []
    steps = int(page.locator(".dateline-slider").get_attribute("max"))
    for _ in range(steps):
        page.locator(".dateline-timeline button").nth(1).click()
        texts.append(page.locator(".dateline-event").inner_text())
    return texts


def measure_a_line(page) -> str:
    """Measure between two points with the measure tool, finish, and return what it reported."""
    page.locator(".leaflet-control-measure").hover()
    page.locator(".leaflet-control-measure a.start").click()
    page.mouse.click(400, 300)
    page.mouse.click(600, 350)
    reported = page.locator(".leaflet-control-measure .results").inner_text()
    page.locator(".leaflet-control-measure a.finish").click()
    page.wait_for_selector(".leaflet-popup-content")  # the measurement's own popup, with its default marker
    return reported


def test_the_reference_map_draws_offline(reference_story, tmp_path):
    page_file = export_map(REFERENCE_ARTICLE, tmp_path / "reference-map.html")
    with offline_page(tmp_path / "profile") as session:
        page = session.page
        page.goto(page_file.as_uri())
        page.wait_for_selector("path.dateline-place")
        assert page.locator("path.dateline-place").count() == len(reference_story.places) == 9
        assert page.locator("path.dateline-leg").count() == len(reference_story.legs) >= 1
        assert page.locator(".leaflet-dateline-basemap-pane canvas").count() == 1  # the outlines, drawn on a canvas
        credit = page.locator(".leaflet-control-attribution")
        assert credit.is_visible() and "GeoNames" in credit.inner_text() and "CC BY 4.0" in credit.inner_text()
        assert "Natural Earth" in credit.inner_text()
        screenshot(session, "map-reference.png")
        popups = open_every_popup(page)
        assert any("Pjöngjang" in text and "Pyongyang" in text for text in popups)
        timeline = walk_the_timeline(page)
        assert len(timeline) == len(reference_story.events)
        screenshot(session, "map-reference-timeline.png")
        assert "Path distance" in measure_a_line(page)
        assert session.refused == [] and session.errors == []


def test_a_hostile_article_runs_no_script_and_shows_its_text(hostile_story, tmp_path):
    page_file = export_map(HOSTILE_ARTICLE, tmp_path / "hostile-map.html")
    assert len(hostile_story.places) >= 3 and hostile_story.events and hostile_story.claims
    with offline_page(tmp_path / "profile") as session:
        page = session.page
        page.goto(page_file.as_uri())
        page.wait_for_selector("path.dateline-place")
        shown = open_every_popup(page) + walk_the_timeline(page)
        page.locator(".leaflet-control-layers").hover()  # every control opened
        shown.append(page.locator(".dateline-legend").inner_text())
        screenshot(session, "map-hostile.png")
        assert page.evaluate("window.__xss") is None
        assert (
            page.locator(".leaflet-popup-content img, .dateline-panel img, .leaflet-popup-content script").count() == 0
        )
        everything = "\n".join(shown)
        for literal in (
            "<img src=x onerror=\"window.__xss='img onerror'\">",
            "${window.__xss='template literal'}",
            "<a href=\"javascript:window.__xss='javascript link'\">",
            "<svg onload=",
            "</script>",
            "\"quote\" 'this' & that",
            "{{ 7*7 }} Two days later",
        ):
            assert literal in everything, literal
        assert session.refused == [] and session.errors == []
