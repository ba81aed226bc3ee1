"""The exported map in a real browser with the network blocked: it draws, credits, runs nothing
that an article smuggles in, flies through the Story's events in calendar order (story mode) and
keeps its labels apart. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from geo.__main__ import main
from geo.pipeline import run_stages
from geo.read.document import read_document
from geo.render.storymap import build_map, page_html, standalone_html
from geo.timeline.events import timeline_order
from tests.browser import offline_page, screenshot
from tests.conftest import HOSTILE_ARTICLE, REFERENCE_ARTICLE, SAMPLES

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


STORY_SAMPLE = SAMPLES / "en-air-new-zealand.txt"  # from Hong Kong to Honolulu; four distance labels, five legs

THE_MAP = 'Object.keys(window).filter(k => k.startsWith("map_")).map(k => window[k]).find(v => v instanceof L.Map)'
VIEW = """() => {
    const map = THE_MAP;
    const box = map.getContainer().getBoundingClientRect();
    const touched = Array.from(document.querySelectorAll('path.dateline-place[stroke="#D62728"]')).map(marker => {
        const r = marker.getBoundingClientRect();
        return [r.left + r.width / 2 - box.left, r.top + r.height / 2 - box.top];
    });
    const centre = map.getCenter();
    return {lat: centre.lat, lng: centre.lng, zoom: map.getZoom(), width: box.width, height: box.height, touched};
}""".replace("THE_MAP", THE_MAP)

LABELS_APART = """() => {
    const shown = Array.from(document.querySelectorAll(".leaflet-tooltip.dateline-label"))
        .filter(label => getComputedStyle(label).visibility === "visible")
        .map(label => label.getBoundingClientRect());
    const apart = (a, b) => a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
    return shown.length > 0 && shown.every((a, i) => shown.slice(i + 1).every(b => apart(a, b)));
}"""

PEEK_A_HIDDEN_LABEL = """() => {
    const map = THE_MAP;
    let line = null;
    map.eachLayer(layer => {
        const tip = layer instanceof L.Polyline && layer.getTooltip();
        if (tip && tip.getElement() && tip.getElement().classList.contains("dateline-label-hidden")) line = layer;
    });
    if (!line) return null;
    const label = line.getTooltip().getElement();
    line.fire("mouseover", {}, true);
    const over = getComputedStyle(label).visibility;
    line.fire("mouseout", {}, true);
    return [over, getComputedStyle(label).visibility];
}""".replace("THE_MAP", THE_MAP)
PAN = f"() => {{ {THE_MAP}.panBy([120, 40], {{animate: false}}); }}"


@pytest.fixture(scope="module")
def sample_story(full_gazetteer):
    return run_stages(read_document(STORY_SAMPLE), STORY_SAMPLE.name, full_gazetteer)


def test_story_mode_flies_through_the_events_in_calendar_order(sample_story, tmp_path):
    story = sample_story
    first = timeline_order(story.events)[0]
    assert first.places and first != min(story.events, key=lambda event: event.start_char)
    page_file = tmp_path / "story-map.html"
    page_file.write_text(standalone_html(story), encoding="utf-8")
    with offline_page(tmp_path / "profile") as session:
        page = session.page
        page.emulate_media(reduced_motion="reduce")  # the map jumps instead of flying: nothing to wait for
        page.goto(page_file.as_uri())
        page.wait_for_selector("path.dateline-place")
        page.wait_for_function(LABELS_APART, timeout=5_000)
        assert page.locator(".dateline-label-hidden").count() >= 1  # this Story's labels do overlap
        assert page.evaluate(PEEK_A_HIDDEN_LABEL) == ["visible", "hidden"]  # shown while the pointer is on its line
        fitted = page.evaluate(VIEW)
        assert page.locator(".dateline-timeline .dateline-title").inner_text() == f"Story: all {len(story.events)}"

        page.get_by_role("button", name="later event").click()
        assert page.locator(".dateline-timeline .dateline-title").inner_text() == f"Story: 1 / {len(story.events)}"
        shown = page.locator(".dateline-event").inner_text()
        assert shown.startswith(first.label) and first.text in shown
        moved = page.evaluate(VIEW)
        assert moved["zoom"] > fitted["zoom"]  # closer to Australia and New Zealand than to all the Pacific
        assert len(moved["touched"]) == len(first.places)
        assert all(0 <= x <= moved["width"] and 0 <= y <= moved["height"] for x, y in moved["touched"])
        screenshot(session, "map-story-mode.png")

        page.get_by_role("button", name="earlier event").click()
        back = page.evaluate(VIEW)
        assert (back["lat"], back["lng"], back["zoom"]) == pytest.approx((fitted["lat"], fitted["lng"], fitted["zoom"]))

        page.emulate_media(reduced_motion="no-preference")  # now it flies, and lands on the event
        page.locator(".dateline-slider").focus()
        page.keyboard.press("ArrowRight")
        landed = f"(v => v.zoom === {moved['zoom']} && Math.abs(v.lat - {moved['lat']}) + Math.abs(v.lng - {moved['lng']}) < 1e-6)"
        page.wait_for_function(f"{landed}(({VIEW})())", timeout=5_000)
        assert page.locator(".dateline-timeline .dateline-title").inner_text().startswith("Story: 1 /")
        page.wait_for_function(LABELS_APART, timeout=5_000)
        assert session.refused == [] and session.errors == []


# Dateline.show's first arguments, kept as the page calls it, so that a test can call it again as the
# dashboard does after a rerun (streamlit-folium swaps the Story's layers in a mounted map)
KEEP_SHOWN = """Object.defineProperty(window, "Dateline", {configurable: true, set(dateline) {
    const show = dateline.show;
    dateline.show = function (...args) { window.__shown ??= args; return show.apply(this, args); };
    Object.defineProperty(window, "Dateline", {value: dateline, writable: true, configurable: true});
}});"""
SHOW_AGAIN = """(focus) => {
    const [map, view, overlays, markers] = window.__shown;
    Dateline.show(map, {...view, focus: focus === "same" ? view.focus : null}, overlays, markers);
}"""


def test_the_dashboards_chosen_event_flies_there_once_and_back(sample_story, tmp_path):
    """As in the dashboard (no panels): the map opens on the chosen event's places; a rerun with the
    same choice keeps wherever the reader moved; no choice flies back to the whole Story."""
    chosen = next(event for event in sample_story.events if event.places)
    page_file = tmp_path / "focus-map.html"
    fmap = build_map(sample_story, highlight=chosen.places, panels=False)
    page_file.write_text(page_html(fmap, "focus"), encoding="utf-8")
    with offline_page(tmp_path / "profile") as session:
        page = session.page
        page.emulate_media(reduced_motion="reduce")
        page.add_init_script(KEEP_SHOWN)
        page.goto(page_file.as_uri())
        page.wait_for_selector("path.dateline-place")
        focused = page.evaluate(VIEW)
        assert len(focused["touched"]) == len(chosen.places)
        page.evaluate(SHOW_AGAIN, "none")
        fitted = page.evaluate(VIEW)
        assert fitted["zoom"] < focused["zoom"]
        page.evaluate(PAN)
        panned = page.evaluate(VIEW)
        page.evaluate(SHOW_AGAIN, "none")  # a rerun with nothing changed: the reader's view stays
        assert page.evaluate(VIEW) == panned != fitted
        page.evaluate(SHOW_AGAIN, "same")
        assert page.evaluate(VIEW)["zoom"] == focused["zoom"]
        assert session.refused == [] and session.errors == []
