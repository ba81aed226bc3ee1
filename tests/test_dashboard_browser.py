"""The dashboard in headless Chromium against `streamlit run` on 127.0.0.1, every other request
refused: paste, see, correct, reload, download. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from geo.read.document import read_document
from tests.browser import (
    MAP_FRAME,
    offline_page,
    require_chromium,
    screenshot,
    streamlit_server,
    wait_for_idle,
    wait_for_map_markers,
)
from tests.conftest import REFERENCE_ARTICLE

pytestmark = pytest.mark.browser
TOUCHED = "#D62728"  # the stroke of a place that the picked event touches (geo/render/storymap.py)


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    """The dashboard on 127.0.0.1 with its own correction store."""
    require_chromium()
    with streamlit_server(tmp_path_factory.mktemp("data"), tmp_path_factory.mktemp("log") / "streamlit.log") as address:
        yield address


def markers(page):
    frame = page.frame_locator(MAP_FRAME)
    return frame.locator("path.dateline-place")


def marker_positions(page) -> set[str]:
    return {markers(page).nth(i).get_attribute("d") for i in range(markers(page).count())}


def map_window(page):
    """The map's iframe as a frame one can run script in."""
    return next(frame for frame in page.frames if "streamlit_folium" in frame.url)


def click_a_marker(page, index: int | None = None) -> int:
    """Click, as a reader would, the middle of a place marker: the one at ``index``, else the first
    that nothing covers; returns its index. (Playwright's own click scrolls the element into view,
    which can scroll Leaflet's container under the pointer.)"""
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    found = map_window(page).evaluate(
        """(wanted) => {
        const paths = Array.from(document.querySelectorAll("path.dateline-place"));
        for (const [index, path] of paths.entries()) {
            const box = path.getBoundingClientRect(), x = box.left + box.width / 2, y = box.top + box.height / 2;
            if ((wanted === null || wanted === index) && document.elementFromPoint(x, y) === path) return [index, x, y];
        }
        return null; }""",
        index,
    )
    assert found, "the marker is covered"
    frame = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(frame["x"] + found[1], frame["y"] + found[2])
    return found[0]


def choose(page, label: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first.click()
    page.get_by_role("option", name=option).click()


def caption(page, starting: str) -> str:
    page.locator('[data-testid="stCaptionContainer"]', has_text=starting).first.wait_for()
    return page.locator('[data-testid="stCaptionContainer"]', has_text=starting).first.inner_text()


def test_paste_correct_reload_and_download_offline(dashboard, tmp_path):
    text = read_document(REFERENCE_ARTICLE).text
    with offline_page(tmp_path / "profile", local_hosts=(dashboard,), viewport=(1400, 1100)) as session:
        page = session.page
        page.goto(dashboard)
        page.get_by_role("textbox", name="Article text").fill(text)
        page.get_by_role("button", name="Analyse the text").click()
        wait_for_map_markers(page, 9)
        events = page.locator('[data-testid="stDataFrame"] [role="grid"]').first
        assert int(events.get_attribute("aria-rowcount")) - 1 == 11  # the timeline's events, one row each
        # a click on a point of the timeline's chart picks out the places of its event on the map
        page.locator('[data-testid="stVegaLiteChart"] [aria-label*="text: 12.9.2023;"]').click()
        expect(page.get_by_text("Picked: 12.9.2023")).to_contain_text("on the map: Moskau")
        expect(page.frame_locator(MAP_FRAME).locator(f'path.dateline-place[stroke="{TOUCHED}"]')).to_have_count(1)
        page.wait_for_timeout(1000)
        screenshot(session, "dashboard-reference.png")

        # swap "USA" (the United States) for its first other candidate, Yokkaichi in Japan
        choose(page, "Place", "USA (United States, US)")
        page.get_by_text("geonames:6252001").first.wait_for()
        before, distances = marker_positions(page), caption(page, "From here")
        map_window(page).evaluate("window.__mountedBeforeCorrection = true")
        page.get_by_role("button", name="Use this candidate").click()
        page.get_by_text("geonames:1848375").first.wait_for()  # the panel shows Yokkaichi, Japan
        assert caption(page, "From here") != distances  # the distances follow the new place
        deadline = time.monotonic() + 30
        while marker_positions(page) == before and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert marker_positions(page) != before  # the marker moved
        # ... in the same map: only the Story's layers were swapped, the map was not loaded again
        assert map_window(page).evaluate("window.__mountedBeforeCorrection === true")
        screenshot(session, "dashboard-corrected.png")

        # a click on a marker of the swapped layers picks its place in the panel
        clicked = click_a_marker(page)
        label = map_window(page).locator(".leaflet-popup-content h3").inner_text()
        place_box = page.get_by_role("combobox", name="Place")
        expect(place_box).to_have_value(re.compile(rf"^{re.escape(label)} \("))
        # ... and so does a second click on the same marker, after another place was chosen
        other = "Japan (Japan, JP)" if not label.startswith("Japan") else "Ukraine (Ukraine, UA)"
        choose(page, "Place", other)
        expect(place_box).to_have_value(other)
        map_window(page).evaluate("window.map.closePopup(); 1")
        click_a_marker(page, clicked)
        expect(place_box).to_have_value(re.compile(rf"^{re.escape(label)} \("))

        # remove Moskau
        choose(page, "Place", "Moskau (Moscow, RU)")
        page.get_by_text("geonames:524901").first.wait_for()
        page.get_by_role("button", name="Remove this place").click()
        wait_for_map_markers(page, 8)

        # a reload finds the corrections kept
        page.reload()
        wait_for_map_markers(page, 8)
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Place").first.click()
        assert page.get_by_role("option", name="USA (Yokkaichi, JP)").is_visible()
        assert page.get_by_role("option", name="Moskau (Moscow, RU)").count() == 0
        page.keyboard.press("Escape")

        # the downloaded map opens offline with the corrections
        wait_for_idle(page)  # a click made while a run is still drawing can be lost
        page.get_by_role("tab", name="Export").click()
        with page.expect_download() as download:
            page.get_by_role("button", name="Map (standalone HTML)").click()
        saved = tmp_path / "downloaded-map.html"
        download.value.save_as(saved)
        page.goto(saved.as_uri())
        page.wait_for_selector("path.dateline-place")
        assert page.locator("path.dateline-place").count() == 8
        assert "Moskau" not in page.locator(".leaflet-tooltip-pane").inner_text()
        assert session.refused == [], session.refused
        assert session.errors == [], session.errors
