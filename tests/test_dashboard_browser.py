"""The dashboard in headless Chromium against `streamlit run` on 127.0.0.1, every other request
refused: paste, see, correct, reload, download. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import html
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from geo.corrections import text_key
from geo.read.document import read_document
from tests.browser import (
    MAP_FRAME,
    REPO,
    offline_page,
    offline_pages,
    open_dashboard,
    require_chromium,
    screenshot,
    streamlit_server,
    wait_for_idle,
    wait_for_map_markers,
)
from tests.conftest import REFERENCE_ARTICLE, SAMPLES
from tests.localserver import served

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


def marker_positions(page) -> set[tuple[float, float]]:
    """Where the map's place markers stand on Earth (their drawn paths say only where they are on the
    screen, and the map may keep a picked event in view, with the marker that moved outside it)."""
    found = map_window(page).evaluate(
        """() => {
        const map = Object.values(window).find(value => value instanceof L.Map), points = [];
        map.eachLayer(layer => {
            if (layer instanceof L.CircleMarker && (layer.options.className || "").includes("dateline-place"))
                points.push([layer.getLatLng().lat, layer.getLatLng().lng]);
        });
        return points; }"""
    )
    return {(round(lat, 5), round(lon, 5)) for lat, lon in found}


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
    """Pick ``option`` in the select box labelled ``label``, typed to filter the list (a long list
    draws only the options in view) and chosen with Enter."""
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first.click()
    page.keyboard.type(option)
    expect(page.get_by_role("option", name=option)).to_be_visible()
    page.keyboard.press("Enter")  # a click may land on the page under the list, which moves as a run draws


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
        events = page.locator(".dateline-events").first  # every event (a place's own are in its tab)
        expect(events.locator("tbody tr")).to_have_count(11)  # the timeline's events, one row each
        # a click on a point of the timeline's chart picks out the places of its event on the map
        page.locator('[data-testid="stVegaLiteChart"] [aria-label="12. Sept. 2023: 12.9.2023 (Moskau)"]').click()
        expect(page.locator(".dateline-picked")).to_contain_text("On the map: Moskau")
        expect(page.locator(".dateline-picked mark")).to_have_text("12.9.2023")
        expect(page.frame_locator(MAP_FRAME).locator(f'path.dateline-place[stroke="{TOUCHED}"]')).to_have_count(1)
        page.wait_for_timeout(1000)
        screenshot(session, "dashboard-reference.png")

        # swap "USA" (the United States) for its first other candidate, Usa River in Tanzania
        choose(page, "Place", "USA (United States, US)")
        page.get_by_text("geonames:6252001").first.wait_for()
        before, distances = marker_positions(page), caption(page, "From here")
        map_window(page).evaluate("window.__mountedBeforeCorrection = true")
        page.get_by_role("button", name="Use this candidate").click()
        page.get_by_text("geonames:149155").first.wait_for()  # the panel shows Usa River, Tanzania
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
        wait_for_idle(page)  # a click while a run is drawing can be lost
        page.get_by_role("button", name="Remove this place").click()
        wait_for_map_markers(page, 8)

        # a reload finds the corrections kept, once the reader chose to keep them on the server
        wait_for_idle(page)
        page.get_by_role("button", name="Keep them on this server").click()
        page.wait_for_url(re.compile(r"kept=private-"))
        page.reload()
        wait_for_map_markers(page, 8)
        wait_for_idle(page)  # the map is drawn before the panels below it
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Place").first.click()
        page.keyboard.type("USA")  # the list draws only the options in view: filter it
        expect(page.get_by_role("option", name="USA (Usa River, TZ)")).to_be_visible()
        for _ in "USA":
            page.keyboard.press("Backspace")
        expect(page.get_by_role("option").nth(1)).to_be_visible()  # the filter is empty again
        page.keyboard.type("Mosk")
        expect(page.get_by_role("option", name="Moskau (Moscow, RU)")).to_have_count(0)
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


def test_headings_tab_title_and_map_are_named_at_1280_px(dashboard, tmp_path):
    """A screen reader's outline: h1 the page, h2 the article, h3 its sections, no level skipped;
    the browser tab named after the article; the map announced by a heading and a description just
    before its frame, and the frame named (streamlit-folium's own name is "streamlit_folium.st_folium");
    the time axis named as a chart whose events are listed as text."""
    document = read_document(REFERENCE_ARTICLE)
    with offline_page(tmp_path / "profile", local_hosts=(dashboard,), viewport=(1280, 800)) as session:
        page = session.page
        open_dashboard(page, dashboard)
        expect(page).to_have_title("Dateline")
        page.get_by_role("textbox", name="Article text").fill(document.text)
        page.get_by_role("button", name="Analyse the text").click()
        wait_for_map_markers(page, 9)
        wait_for_idle(page)  # the panels under the map are drawn after it
        title = page.locator('[data-testid="stMain"] h2').first.inner_text().replace("\u2060", "").strip()
        assert title and title != "No article yet"
        expect(page).to_have_title(f"{title} · Dateline")
        headings = page.evaluate(
            """() => Array.from(document.querySelectorAll('[data-testid="stMain"] :is(h1, h2, h3, h4, h5, h6)'))
                       .filter(h => h.offsetParent !== null)
                       .map(h => [Number(h.tagName[1]), h.innerText.replaceAll("\u2060", "").trim()])"""
        )
        assert headings[:2] == [[1, "Dateline"], [2, title]], headings
        assert [1, "Map"] not in headings and {text for level, text in headings if level == 3} >= {
            "Timeline",
            "Map",
            "Dated events",
        }
        levels = [level for level, _ in headings]
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), headings  # no level skipped
        assert levels.count(1) == 1
        described = page.evaluate(
            """(frame) => {
                const iframe = document.querySelector(frame);
                const column = iframe.closest('[data-testid="stColumn"]');
                const heading = column.querySelector("h3");
                const caption = column.querySelector('[data-testid="stCaptionContainer"]');
                const before = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
                return {heading: heading.innerText.trim(), caption: caption.innerText,
                        order: before(heading, caption) && before(caption, iframe)};
            }""",
            MAP_FRAME,
        )
        assert described["heading"] == "Map" and described["order"], described
        assert described["caption"].startswith("The article's places on a map")
        expect(page.locator(MAP_FRAME)).to_have_attribute("title", "Map of the article's places")
        chart = page.locator('[data-testid="stVegaLiteChart"]')
        expect(chart.locator('[aria-label^="12. Sept. 2023: "]').first).to_be_attached()  # each mark in words
        alternative = page.locator('[data-testid="stCaptionContainer"]', has_text="The dated events on a time axis")
        assert alternative.evaluate(
            "(caption, chart) => !!(caption.compareDocumentPosition(chart) & Node.DOCUMENT_POSITION_FOLLOWING)",
            chart.element_handle(),
        )
        assert session.refused == [], session.refused


def test_the_event_list_is_readable_at_1280_px(dashboard, tmp_path):
    """Each event's full label, its words and its places, wrapped to the page: no sideways scrolling
    and no cell cut off, at a laptop's 1280 x 800."""
    document = read_document(REFERENCE_ARTICLE)
    with offline_page(tmp_path / "profile", local_hosts=(dashboard,), viewport=(1280, 800)) as session:
        page = session.page
        open_dashboard(page, dashboard)
        page.get_by_role("textbox", name="Article text").fill(document.text)
        page.get_by_role("button", name="Analyse the text").click()
        wait_for_map_markers(page, 9)
        table = page.locator(".dateline-events").first  # every event (a place's own events are in its tab)
        expect(table.locator("tbody tr")).to_have_count(11)
        table.scroll_into_view_if_needed()
        rows = table.evaluate(
            """(table) => Array.from(table.querySelectorAll("tbody tr")).map(row => Array.from(row.cells).map(
                cell => ({text: cell.innerText, cut: cell.scrollWidth > cell.clientWidth + 1,
                          right: cell.getBoundingClientRect().right})))"""
        )
        wanted = [(label, places) for label, places in expected_events(document)]
        assert [(row[0]["text"].splitlines()[0], row[2]["text"]) for row in rows] == wanted
        assert not any(cell["cut"] for row in rows for cell in row)  # nothing cut off
        assert max(cell["right"] for row in rows for cell in row) <= 1280  # all of it inside the window
        assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1")
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(session, "dashboard-events-1280.png")
        assert session.refused == [], session.refused


def expected_events(document) -> list[tuple[str, str]]:
    """Each event's label and places as the dashboard's list should show them."""
    from geo import Options, analyse
    from geo.timeline.labels import event_label

    story = analyse(document, Options(language=document.language, published=document.published))
    labels = {place.id: place.label for place in story.places}
    return [
        (event_label(event, story.document.language), ", ".join(labels[i] for i in event.places) or "–")
        for event in story.events
    ]


# -- every way in, private corrections, untrusted text ------------------------------------------

ARTICLE_SITE = "http://news.example"  # answered by a site on 127.0.0.1 in the test server only
LAUNCHER = """# The dashboard, with news.example answered by a local site (a test's stand-in for the web).
import functools, runpy, socket
import geo.read.url as url

def resolver(host, port, *rest):
    if host != "news.example":
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return socket.getaddrinfo("127.0.0.1", {port}, *rest)

if not isinstance(url.fetch_article, functools.partial):
    url.fetch_article = functools.partial(url.fetch_article, resolver=resolver, address_allowed=lambda ip: True)
runpy.run_path({dashboard!r}, run_name="__main__")
"""
PAYLOADS = ("![x](http://127.0.0.1:9/x.png)", "[click](http://evil.example)", "<img src=x onerror=alert(1)>")
HOSTILE = f"""<html><head><title>{html.escape(" ".join(PAYLOADS))}</title></head><body><article>
<p>Am Montag fuhr der Sonderzug von Berlin nach Hamburg, und am Dienstag weiter nach Kiel.</p>
<p>{html.escape(PAYLOADS[1])} und {html.escape(PAYLOADS[0])} sind kein Ort, {html.escape(PAYLOADS[2])} auch nicht.</p>
</article></body></html>"""
REPORT = """<html><head><title>Fähre nach Rostock</title></head><body><article>
<p>Am Mittwoch legte die Fähre in Rostock ab und erreichte am Abend Trelleborg in Schweden.</p>
<p>Die Reederei plant weitere Fahrten von Rostock nach Gedser.</p></article></body></html>"""


class ArticleSite:
    """Pages of news.example, served on 127.0.0.1: path -> HTML."""

    def __init__(self, pages: dict[str, str]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path, "").encode("utf-8")
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.release = threading.Event()


@pytest.fixture(scope="module")
def site():
    with served(ArticleSite({"/report": REPORT, "/hostile": HOSTILE})) as site:
        yield site


def dashboard_with_site(tmp: Path, site: ArticleSite, **env: str):
    """A dashboard server whose URL tab reaches news.example on ``site``; its static folder is the
    repository's (Streamlit serves the one beside the script it runs)."""
    launcher = tmp / "dashboard_with_site.py"
    launcher.write_text(LAUNCHER.format(port=site.server.server_port, dashboard=str(REPO / "dashboard.py")))
    (tmp / "static").symlink_to(REPO / "static", target_is_directory=True)
    return streamlit_server(tmp / "data", tmp / "streamlit.log", env=env, script=launcher)


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def analyse_pasted(page, text: str) -> None:
    wait_for_idle(page)  # a click while a run is drawing can be lost
    sidebar(page).get_by_role("tab", name="Paste").click()
    page.get_by_role("textbox", name="Article text").fill(text)
    page.get_by_role("button", name="Analyse the text").click()


def heading(page, text: str) -> None:
    """Wait until the article's heading reads ``text`` (the dashboard's word joiners, which stop
    addresses in untrusted text from being linked, aside)."""
    page.wait_for_function(
        """(text) => Array.from(document.querySelectorAll('[data-testid="stMain"] h2'))
                       .some(h => h.innerText.replaceAll("\\u2060", "").trim() === text)""",
        arg=" ".join(text.split()),
        timeout=60_000,
    )


def test_every_way_in_stays_after_an_analysis(tmp_path, site):
    samples = sorted(SAMPLES.glob("*.txt"))
    with (
        dashboard_with_site(tmp_path, site) as address,
        offline_page(tmp_path / "profile", local_hosts=(address,), viewport=(1280, 800)) as session,
    ):
        page = session.page
        open_dashboard(page, address)
        analyse_pasted(page, "Am Montag fuhr der Zug von Berlin nach Hamburg.")
        wait_for_map_markers(page, 2)
        heading(page, "Am Montag fuhr der Zug von Berlin nach Hamburg.")  # a pasted text's first line

        wait_for_idle(page)
        sidebar(page).get_by_role("tab", name="Upload").click()
        picker = sidebar(page).locator('[data-testid="stFileUploaderDropzone"]')
        expect(picker).to_be_visible()
        article = "Die Radtour führte von Köln über Bonn nach Koblenz und weiter nach Mainz."
        sidebar(page).locator("input[type=file]").first.set_input_files(
            {"name": "radtour.txt", "mimeType": "text/plain", "buffer": article.encode()}
        )
        wait_for_idle(page)
        page.get_by_role("button", name="Analyse the file").click()
        heading(page, "radtour.txt")
        wait_for_map_markers(page, 4)

        wait_for_idle(page)
        sidebar(page).get_by_role("tab", name="URL").click()
        address_field = page.get_by_role("textbox", name="Article address")
        expect(address_field).to_be_visible()
        address_field.fill(f"{ARTICLE_SITE}/report")
        page.get_by_role("button", name="Fetch and analyse").click()
        heading(page, "Fähre nach Rostock")

        wait_for_idle(page)
        sidebar(page).get_by_role("tab", name="Samples").click()
        for path in samples:
            expect(sidebar(page).get_by_role("button", name=path.stem, exact=True)).to_be_visible()
        sidebar(page).get_by_role("button", name=samples[0].stem, exact=True).click()
        heading(page, samples[0].name)
        wait_for_idle(page)
        for path in samples:  # the list does not shrink to the one clicked
            expect(sidebar(page).get_by_role("button", name=path.stem, exact=True)).to_be_visible()
        analyse_pasted(page, "Die Delegation reiste von Wien nach Prag.")  # and the first way in, again
        heading(page, "Die Delegation reiste von Wien nach Prag.")
        wait_for_map_markers(page, 2)
        screenshot(session, "dashboard-every-way-in.png")
        assert session.refused == [], session.refused


def remove_place(page, option: str) -> None:
    wait_for_idle(page)
    choose(page, "Place", option)
    wait_for_idle(page)
    page.get_by_role("button", name="Remove this place").click()


def test_two_readers_keep_their_corrections_apart_unless_the_workspace_is_shared(tmp_path, site):
    text = read_document(REFERENCE_ARTICLE).text
    secret = "Pjöngjang".encode()
    for shared in (False, True):
        tmp = tmp_path / ("shared" if shared else "private")
        tmp.mkdir()
        env = {"DATELINE_SHARED_WORKSPACE": "1"} if shared else {}
        with (
            dashboard_with_site(tmp, site, **env) as address,
            offline_pages([tmp / "first", tmp / "second"], local_hosts=(address,), viewport=(1280, 900)) as readers,
        ):
            first, second = (reader.page for reader in readers)
            for page in (first, second):
                open_dashboard(page, address)
            analyse_pasted(first, text)
            wait_for_map_markers(first, 9)
            remove_place(first, "Moskau (Moscow, RU)")
            wait_for_map_markers(first, 8)
            stored = b"".join(path.read_bytes() for path in (tmp / "data").glob("corrections.sqlite*"))
            analyse_pasted(second, text)
            if not shared:
                assert secret not in stored  # nothing of the article on the server's disk
                wait_for_map_markers(second, 9)  # the first reader's correction is not the second's
                wait_for_idle(second)
                expect(second.get_by_text("in this browser session only")).to_be_visible()
                assert second.get_by_role("button", name="Undo the last correction").count() == 0
                open_dashboard(second, f"{address}/?doc={text_key(text)}")  # the text's key finds nothing
                assert second.locator(MAP_FRAME).count() == 1 and second.get_by_text("Moskau").count() == 0
                first.reload()  # private: a reload forgets the article, unless the reader keeps it
                wait_for_idle(first)
                expect(first.get_by_text("Paste an article")).to_be_visible()
            else:
                wait_for_map_markers(second, 8)  # shared: the second reader sees the correction ...
                expect(second.get_by_text("Corrections on this server are shared")).to_be_visible()
                wait_for_idle(second)
                second.get_by_role("button", name="Undo the last correction").click()  # ... and can undo it
                wait_for_map_markers(second, 9)
                first.reload()
                wait_for_idle(first)
                analyse_pasted(first, text)
                wait_for_map_markers(first, 9)
            assert readers[0].refused == [] and readers[1].refused == []


def test_a_reader_keeps_corrections_on_the_server_and_deletes_them(tmp_path, site):
    text = read_document(REFERENCE_ARTICLE).text
    with (
        dashboard_with_site(tmp_path, site) as address,
        offline_page(tmp_path / "profile", local_hosts=(address,), viewport=(1280, 900)) as session,
    ):
        page = session.page
        open_dashboard(page, address)
        analyse_pasted(page, text)
        remove_place(page, "Moskau (Moscow, RU)")
        wait_for_map_markers(page, 8)
        wait_for_idle(page)
        page.get_by_role("button", name="Keep them on this server").click()
        expect(page.get_by_text("kept on this server with the article's text")).to_be_visible()
        page.wait_for_url(re.compile(r"kept=private-"))
        page.reload()
        wait_for_map_markers(page, 8)
        wait_for_idle(page)
        page.get_by_role("button", name="Delete them from the server").click()
        expect(page.get_by_text("in this browser session only")).to_be_visible()
        stored = b"".join(path.read_bytes() for path in (tmp_path / "data").glob("corrections.sqlite*"))
        assert "Pjöngjang".encode() not in stored


def test_untrusted_strings_from_a_page_and_an_address_are_text(tmp_path, site):
    title = " ".join(PAYLOADS)
    with (
        dashboard_with_site(tmp_path, site) as address,
        offline_page(tmp_path / "profile", local_hosts=(address,), viewport=(1280, 1000)) as session,
    ):
        page = session.page
        requests, dialogs = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        open_dashboard(page, address)
        wait_for_idle(page)
        sidebar(page).get_by_role("tab", name="URL").click()
        page.get_by_role("textbox", name="Article address").fill(f"{ARTICLE_SITE}/hostile")
        page.get_by_role("button", name="Fetch and analyse").click()
        wait_for_map_markers(page, 3)
        heading(page, title)  # the page's <title> as text
        wait_for_idle(page)
        page.get_by_text("Add a place Dateline missed").click()
        page.get_by_role("textbox", name="Words in the article").fill(PAYLOADS[1])
        page.get_by_role("textbox", name="Words in the article").press("Enter")
        page.get_by_role("textbox", name="Gazetteer name").fill("Kiel")
        page.get_by_role("textbox", name="Gazetteer name").press("Enter")
        wait_for_idle(page)
        page.get_by_role("button", name="Add this place").click()
        wait_for_idle(page)
        # the added words name the place (the one shown after the correction), as text
        expect(page.get_by_role("combobox", name="Place")).to_have_value(f"{PAYLOADS[1]} (Kiel, DE)")
        wait_for_idle(page)
        page.get_by_role("button", name="Keep them on this server").click()
        page.wait_for_url(re.compile(r"kept=private-"))
        kept = re.search(r"kept=([^&]+)", page.url).group(1)
        named = f"{address}/?kept={kept}&name={urllib.parse.quote(title)}"
        open_dashboard(page, named)  # a name in the address
        heading(page, title)
        wait_for_map_markers(page, 3)
        wait_for_idle(page)
        screenshot(session, "dashboard-untrusted-text.png")
        app = page.locator('[data-testid="stApp"]')
        rendered = app.locator("img[src*='x.png'], img[src='x'], a[href*='evil.example']")
        assert rendered.count() == 0, [rendered.nth(i).evaluate("e => e.outerHTML") for i in range(rendered.count())]
        assert not dialogs
        hostile = [url for url in requests if url != named and ("x.png" in url or "evil" in url or url.endswith("/x"))]
        assert not hostile, hostile
        assert session.refused == [], session.refused


def test_a_long_analysis_can_be_cancelled_and_the_text_stays(dashboard, tmp_path):
    """Cancel stops the analysis at its next stage, says so, and keeps the pasted text; nothing of the
    article is analysed again until the reader asks."""
    text = (read_document(REFERENCE_ARTICLE).text + "\n\n") * 120  # about 490,000 characters: seconds of work
    with offline_page(tmp_path / "profile", local_hosts=(dashboard,), viewport=(1280, 800)) as session:
        page = session.page
        open_dashboard(page, dashboard)
        page.get_by_role("textbox", name="Article text").fill(text)
        page.get_by_role("button", name="Analyse the text").click()
        page.get_by_role("button", name="Cancel the analysis").click(timeout=30_000)
        expect(page.get_by_text("The analysis was cancelled")).to_be_visible(timeout=30_000)
        wait_for_idle(page)
        assert page.get_by_role("textbox", name="Article text").input_value() == text
        assert page.frame_locator(MAP_FRAME).locator("path.dateline-place").count() == 0  # no Story drawn
        expect(page.get_by_role("button", name="Cancel the analysis")).to_have_count(0)
        assert session.errors == [] and session.refused == [], (session.errors, session.refused)


def test_on_a_phone_the_side_panel_folds_once_an_article_is_analysed(dashboard, tmp_path):
    """At 390 x 844 the inputs are behind "»"; after Analyse the panel folds, so the map is in view."""
    panel_in_view = (
        """() => document.querySelector('[data-testid="stSidebarContent"]').getBoundingClientRect().left >= 0"""
    )
    with offline_page(tmp_path / "profile", local_hosts=(dashboard,), viewport=(390, 844)) as session:
        page = session.page
        open_dashboard(page, dashboard)
        assert not page.evaluate(panel_in_view)  # a phone starts with the panel folded
        page.get_by_role("button", name="Expand sidebar").click()
        page.wait_for_function(panel_in_view, timeout=10_000)
        page.wait_for_timeout(500)  # the panel slides in
        box = page.get_by_role("textbox", name="Article text")
        box.fill(read_document(REFERENCE_ARTICLE).text)
        page.get_by_role("button", name="Analyse the text").click()
        wait_for_map_markers(page, 9)
        page.wait_for_function(f"() => !({panel_in_view})()", timeout=10_000)
        assert page.locator(MAP_FRAME).bounding_box()["width"] > 300
        screenshot(session, "dashboard-after-analyse-390.png")
        assert session.refused == [], session.refused
