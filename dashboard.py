"""Dateline's dashboard: paste an article, check every place, fix the few that are wrong, publish the map.

    streamlit run dashboard.py

UI only: reading a document, the analysis, corrections, the map and the exports are geo/ functions;
this file draws widgets and passes plain values between them. It works offline: the map's
scripts, styles and outlines are served from the app's own static folder (filled from
data/vendor and geo/web at start), never from a CDN.

The analysis is :func:`geo.analyse`, given everything in its :class:`geo.Options`. The environment is
read here only, for the operator's defaults: $DATELINE_USER_AGENT (the User-Agent field's default),
$GEONAMES_USERNAME (the account for GeoNames' web service), $DATELINE_GEOCODER_URLS (the
self-hosted services readers may choose) and $DATELINE_SHARED_WORKSPACE (corrections shared by every
reader, for a newsroom; off by default: a reader's text and corrections stay in their session unless
they choose to keep them on the server).
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
import functools
import json
import os
import re
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import DatelineError, Options, analyse, lang
from geo.corrections import (
    Correction,
    CorrectionStore,
    apply_corrections,
    is_private_key,
    private_key,
    read_corrections,
    text_key,
    with_corrections,
)
from geo.errors import DASHBOARD_MESSAGES
from geo.journeys.geodesy import distance_km
from geo.model import LITERAL, POINT_KINDS, Candidate, Event, Story
from geo.pipeline import sentence_quotes, stage_named, warm_up, with_places
from geo.places.gazetteer import Gazetteer, curated_files, default_gazetteer, read_curated
from geo.places.geocoders import GEONAMES_USERNAME_VARIABLE, GeocoderSettings, OnlineGeocoder, geocoder_for
from geo.places.online import USER_AGENT_VARIABLE
from geo.read.document import Document, document_from_text, document_from_upload, read_document
from geo.read.files import MAX_CHARS
from geo.read.url import fetch_article
from geo.render import assets as webassets
from geo.render.eventlist import TIMELINE_CHART, event_chart_rows, event_list_html, event_list_rows, story_order
from geo.render.export import FORMATS, export
from geo.render.factcheck import FACT_CHECK_STYLE, fact_check_csv, fact_check_page, fact_check_rows, fact_check_table
from geo.render.markup import escape_html, marked_text_html
from geo.render.storymap import base_map, standalone_html, story_layers, with_served_assets
from geo.timeline.labels import event_label

APP_DIR = Path(__file__).resolve().parent
STATIC_BASE = "/app/static/"  # where Streamlit serves APP_DIR/static (server.enableStaticServing)
SAMPLES = APP_DIR / "data" / "samples"
LANGUAGES = {"auto": "detect", **{code: lang.language(code).name for code in lang.languages()}}
GEOCODERS = {
    "offline": "Offline: GeoNames (built in)",
    "nominatim": "Online: Nominatim (OpenStreetMap)",
    "photon": "Online: Photon (OpenStreetMap)",
    "geonames": "Online: GeoNames web service",
}
CACHED_ANALYSES = 32
RETRY_ONLINE_SECONDS = 60
SERVICE_ADDRESSES_VARIABLE = "DATELINE_GEOCODER_URLS"  # self-hosted services the operator lets readers choose
SHARED_WORKSPACE_VARIABLE = "DATELINE_SHARED_WORKSPACE"  # "1": corrections shared by every reader (a newsroom)
UPLOAD_TYPES = ["txt", "md", "html", "htm", "docx", "pdf"]
TITLE_CHARS = 100
WORD_JOINER = "\u2060"
# Where GitHub's Markdown would see an address in plain text and link it (see _markdown_safe): "://",
# "mailto:" and "xmpp:", "www.", and the "@" of an e-mail address.
NOT_LINKED = re.compile(r":(?=//)|(?i:mailto|xmpp):|(?i:www)(?=\.)|(?<=[\w.+-])@(?=[\w-])")
# Where the inputs are, in words true at both widths: on a phone the side panel folds behind a "»".
IN_THE_PANEL = "in the panel on the left (» at the top left on a phone)"
NO_DATE = (
    'The article gives no publication date, so relative dates ("on Monday", "last year") have nothing to '
    f"count from: enter it in the Publication date field {IN_THE_PANEL}."
)
# How many places the distance table and a place's "From here" line show: past a few dozen they are
# unreadable, and an article of a million characters has a thousand points (a million geodesics).
# (A comment, not a docstring: Streamlit's magic would print a bare string on the page.)
SHOWN_DISTANCES = 30
# The opening of a mark in the Text tab (geo/render/markup.py marked_text_html): a place's kind or a
# date, and the colour, which the key copies; the mention's own title is left out.
MARK_OPENING = re.compile(
    r'<mark (?P<class>class="dateline-(?:place-)?(?P<kind>[a-z]+)")(?: title="[^"]*")? (?P<style>style="[^"]*")>'
)
MAP_DESCRIPTION = (
    "The article's places on a map: a marker or an area for each place, lines for the journeys and the "
    "checked distances; a click on a place shows it under Places and corrections, which lists them as text."
)


TIMELINE_DESCRIPTION = (
    "The dated events on a time axis: a bar for a year or a month, a point for a day; a click on one shows "
    "its places on the map. Dated events, below, lists them as text."
)
MAP_FRAME_TITLE = "Map of the article's places"
# The page's own script (no text from an article in it): it names the map's frame for a screen reader
# (streamlit-folium titles it "streamlit_folium.st_folium" and has no option for it), and on a phone
# it folds the side panel once a new article is asked for, so the progress (and Cancel), the map and
# the timeline are in view.
# Streamlit runs it again only when its text changes: when the count of articles read changes.
PAGE_SCRIPT = """<script>
(() => {
  const named = () => document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]').forEach(frame => {
    frame.title = TITLE;
  });
  if (!window.datelineFrameNames) {
    window.datelineFrameNames = new MutationObserver(named);
    window.datelineFrameNames.observe(document.body, {childList: true, subtree: true});
  }
  named();
  if (READ > 0 && window.matchMedia("(max-width: 640px)").matches) {
    const fold = document.querySelector('button[aria-label="Collapse sidebar"][aria-expanded="true"]');
    if (fold) fold.click();
  }
})();
</script>"""


@dataclass(frozen=True)
class Choices:
    """What the reader chose in the sidebar."""

    language: str
    published: datetime.date | None
    min_confidence: float
    geocoder: GeocoderSettings


# -- resources --------------------------------------------------------------------------------


@st.cache_resource
def gazetteer() -> Gazetteer:
    return default_gazetteer()


@st.cache_resource
def warming_up() -> threading.Thread:
    """Load the language rules, lexicons and route networks in the background, once per server,
    while the first reader is still pasting: their first analysis then takes a fraction of a second."""
    thread = threading.Thread(target=warm_up, args=(gazetteer(),), name="dateline-warm-up", daemon=True)
    thread.start()
    return thread


@st.cache_resource
def static_assets() -> Path:
    """The map's assets copied into the app's static folder, once per server."""
    return webassets.publish(APP_DIR / "static")


@st.cache_resource
def store() -> CorrectionStore:
    return CorrectionStore()


@st.cache_resource
def analyses() -> collections.OrderedDict:
    """Analysed Stories by text and options, shared by sessions (most recent last): (story, expiry),
    the expiry None but for a Story whose online service failed."""
    return collections.OrderedDict()


@st.cache_resource
def analyses_lock() -> threading.Lock:
    return threading.Lock()


# -- input ------------------------------------------------------------------------------------


Reader = Callable[[], Document]


def input_ui() -> Document | None:
    """The article: pasted, uploaded, fetched or a sample. Every tab is drawn on every run, so the
    next article can come in any way; returns a newly read Document when the reader asks for one
    (None otherwise). Errors are shown in the tab it was asked from, and what was typed stays."""
    tabs = st.tabs(["Paste", "Upload", "URL", "Samples"])
    asked: tuple | None = None
    for tab, draw in zip(tabs, (paste_ui, upload_ui, url_ui, samples_ui)):
        with tab:
            reader = draw()
        if reader is not None:  # one button per run: at most one tab asks
            asked = (tab, reader)
    if asked is None:
        return None
    tab, reader = asked
    with tab:
        return _read(reader)


def paste_ui() -> Reader | None:
    text = st.text_area(
        "Article text",
        key="pasted",
        height=220,
        help=f"German or English news text, up to {MAX_CHARS:,} characters",
    )
    if st.button("Analyse the text", type="primary", key="analyse_text"):
        return lambda: document_from_text(text, source="pasted text", title=first_line(text))
    return None


def first_line(text: str) -> str | None:
    """A pasted text's title until the reader gives one: its first line (a headline, usually), cut
    at a word near TITLE_CHARS."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(line) <= TITLE_CHARS:
        return line or None
    return line[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:-") + " …"


def upload_ui() -> Reader | None:
    files = st.file_uploader("Article files", type=UPLOAD_TYPES, accept_multiple_files=True, key="uploaded")
    names = [file.name for file in files or []]
    chosen = st.selectbox("Analyse", names, key="upload_choice") if len(names) > 1 else (names or [None])[0]
    if files and st.button("Analyse the file", type="primary", key="analyse_file"):
        file = next(f for f in files if f.name == chosen)
        return lambda: document_from_upload(file.name, file.getvalue())
    return None


def url_ui() -> Reader | None:
    address = st.text_input("Article address", key="url", placeholder="https://...")
    if st.button("Fetch and analyse", type="primary", key="analyse_url"):
        if not address.strip():
            st.error("Enter an address first: the page of the article, starting with https://.")
            return None
        return lambda: fetch_article(address.strip())
    return None


def samples_ui() -> Reader | None:
    """One button per sample article; returns the reader of the one clicked."""
    asked = None
    for path in sorted(SAMPLES.glob("*.txt")):
        if st.button(_markdown_safe(path.stem), key=f"sample_{path.stem}"):
            asked = functools.partial(read_document, path)  # and the rest drawn: every sample stays
    return asked


def _read(reader: Reader) -> Document | None:
    try:
        return reader()
    except DatelineError as exc:  # its text names a file or an address: untrusted
        st.error(_markdown_safe(DASHBOARD_MESSAGES["unreadable"].format(error=exc)))
        return None


def title_ui(document: Document) -> Document:
    """The article's title, which the reader may change (a pasted text's is its first line): the
    heading, the map's and the files' names follow."""
    title = st.text_input(
        "Title",
        value=document.title or "",
        key=f"title_{text_key(document.text)}",
        help="Shown above the map, in the exported map and in the downloaded files' names.",
    ).strip()
    return document if title == (document.title or "") else dataclasses.replace(document, title=title or None)


def titled(story: Story, title: str | None) -> Story:
    """The Story under the reader's title (an analysis is cached by text and options, not by title)."""
    if story.document.title == title:
        return story
    return dataclasses.replace(story, document=dataclasses.replace(story.document, title=title))


def options_ui(document: Document | None) -> Choices:
    st.header("Options")
    language = st.selectbox("Language", list(LANGUAGES), format_func=lambda code: LANGUAGES[code], key="language")
    own_date = document.published if document else None
    published = st.date_input(
        "Publication date",
        value=own_date,
        key=f"published_{own_date}",
        help='Relative dates ("last Friday") count from it. Prefilled from the article; '
        "empty when the article gives none.",
    )
    if document is not None and published is None:
        st.caption(NO_DATE)
    min_confidence = st.slider(
        "Minimum confidence",
        0.0,
        1.0,
        0.0,
        0.05,
        key="min_confidence",
        help="Places below it are left off the map and the exports.",
    )
    service = st.selectbox(
        "Geocoder",
        list(GEOCODERS),
        format_func=GEOCODERS.get,
        key="geocoder",
        help="Online services add candidates for places the built-in index lacks (villages, "
        "streets, buildings). Answers are cached on disk; if the service fails, the "
        "article is resolved offline and a note says so.",
    )
    url = user_agent = None
    username = os.environ.get(GEONAMES_USERNAME_VARIABLE) if service == "geonames" else None
    if service != "offline":
        # Only addresses the operator lists: a reader must not make the server ask its own network.
        allowed = service_addresses().get(service, [])
        if allowed:
            url = st.selectbox(
                "Service address",
                [None, *allowed],
                key="geocoder_url",
                format_func=lambda u: u or "the public instance",
                help=f"Self-hosted instances this server offers (${SERVICE_ADDRESSES_VARIABLE})",
            )
        user_agent = (
            st.text_input(
                "Your User-Agent",
                key="user_agent",
                value=os.environ.get(USER_AGENT_VARIABLE, ""),
                placeholder="newsroom-maps/1.0 (you@example.org)",
                help="How the service knows you: Nominatim's usage policy requires it.",
            ).strip()
            or None
        )
    return Choices(
        language,
        published,
        min_confidence,
        GeocoderSettings(service, url=url, user_agent=user_agent, username=username),
    )


def service_addresses() -> dict[str, list[str]]:
    """The self-hosted services the operator offers: $DATELINE_GEOCODER_URLS, comma-separated
    ``service=URL`` pairs (``photon=http://localhost:2322,nominatim=http://localhost:8080``). An
    address is offered for its own service only: a GeoNames account is never sent to a Photon host."""
    offered: dict[str, list[str]] = {}
    for pair in os.environ.get(SERVICE_ADDRESSES_VARIABLE, "").split(","):
        service, _, url = pair.strip().partition("=")
        if service.strip() in GEOCODERS and url.strip():
            offered.setdefault(service.strip(), []).append(url.strip())
    return offered


# -- analysis ---------------------------------------------------------------------------------


def analysed(document: Document, choices: Choices) -> tuple[Document, Story] | None:
    """The document read with these choices, and its Story (from the cache, or analysed now with
    progress and a Cancel button); None once the reader cancelled this analysis."""
    if choices.language != "auto" and choices.language != document.language or choices.published != document.published:
        document = document_from_text(
            document.text,
            language=choices.language,
            published=choices.published,
            source=document.source,
            title=document.title,
        )
    options = Options(language=document.language, published=document.published, geocoder=choices.geocoder)
    key = (text_key(document.text), options)
    cache, lock = analyses(), analyses_lock()
    with lock:  # the cache is the server's, shared by every session's thread
        story, expires = cache.get(key, (None, None))
        if story is not None and (expires is None or time.monotonic() < expires):
            cache.move_to_end(key)
            return document, story
    if st.session_state.get("cancelled") == key:
        return None
    geocoder, problem = online_geocoder(choices.geocoder)
    # A click on Cancel asks Streamlit for a new run, which stops this one at its next call to
    # Streamlit: the next stage's progress line (at most a stage's time, 3.0 s at 950,000 characters).
    cancel = st.empty()
    cancel.button("Cancel the analysis", key="cancel_analysis", on_click=_cancel, args=(key,))
    with st.status("Analysing the article", expanded=False) as status:

        def told(name: str) -> None:
            summary = stage_named(name).run.__doc__.splitlines()[0]
            status.update(label=f"Analysing: {summary.rstrip('.')}")
            status.write(f"{name}: {summary}")

        options = dataclasses.replace(options, geocoder=choices.geocoder if geocoder else None, progress=told)
        story = analyse(document, options, story_id=document.source or "article", gazetteer=gazetteer())
        status.update(
            label=f"Analysed: {counted(len(story.places), 'place')}, {counted(len(story.events), 'dated event')}, "
            f"{counted(len(story.legs), 'leg')}, {counted(len(story.claims), 'checked distance')}",
            state="complete",
        )
    cancel.empty()
    if problem:
        story = dataclasses.replace(story, notes=(problem, *story.notes))
    if geocoder is not None:
        st.sidebar.caption(_markdown_safe(f"{geocoder.title}: {geocoder.counts} (this server, so far)"))
    # A Story with notes (an online service that failed) is kept a minute, then the service is asked again.
    with lock:
        cache[key] = (story, time.monotonic() + RETRY_ONLINE_SECONDS if story.notes else None)
        cache.move_to_end(key)
        while len(cache) > CACHED_ANALYSES:
            cache.popitem(last=False)
    return document, story


def _cancel(key: tuple) -> None:
    """The reader stopped the analysis of this text with these options: it starts again only when
    they ask for it (the article's text stays where they entered it)."""
    st.session_state["cancelled"] = key


def online_geocoder(settings: GeocoderSettings) -> tuple[OnlineGeocoder | None, str | None]:
    """The chosen online service (None: offline), and why it is not used when it cannot be (the
    article is then analysed offline, and the Story's notes say why)."""
    try:
        return geocoder_for(settings), None
    except DatelineError as exc:
        return None, DASHBOARD_MESSAGES["geocoder_unused"].format(error=exc)


def corrected(story: Story, document: Document, corrections: list[Correction], min_confidence: float) -> Story:
    """The Story after the reader's corrections and the confidence filter."""
    places, skipped = apply_corrections(story.places, corrections, document.text, sentence_quotes(document))
    if skipped:
        st.warning(DASHBOARD_MESSAGES["skipped"].format(count=len(skipped)))
    places = tuple(place for place in places if place.confidence >= min_confidence)
    return story if places == story.places else with_places(story, document, places)


# -- views ------------------------------------------------------------------------------------


def map_ui(story: Story | None, highlight: tuple[str, ...]) -> str | None:
    """The map (the world, before an article); returns the id of the place whose marker was
    clicked just now (else None)."""
    static_assets()
    # The base map is the same for every Story, so streamlit-folium keeps it mounted (its key is a
    # hash of the base's script) and only swaps the Story's layers: no reload after a correction.
    fmap = with_served_assets(base_map(height="560px", panels=False), STATIC_BASE)
    clicked = st_folium(
        fmap,
        height=560,
        use_container_width=True,
        key="map",
        feature_group_to_add=story_layers(story, highlight=highlight, panels=False) if story else None,
        returned_objects=["last_object_clicked_tooltip", "last_object_clicked_count"],
    )
    count = (clicked or {}).get("last_object_clicked_count")
    if story and count and count != st.session_state.get("clicks_seen"):
        st.session_state["clicks_seen"] = count
        label = (clicked or {}).get("last_object_clicked_tooltip")
        return next((place.id for place in story.places if place.label == label), None)
    return None


def timeline_ui(story: Story) -> tuple[str, ...]:
    """The events on a time axis, story mode's steps through them in date order, and a choice of
    one; returns the places of the event the reader picked (a click on the chart, a step or the
    choice, whichever came last), which the map flies to."""
    chart = event_chart_rows(story)
    if len(chart):
        st.caption(TIMELINE_DESCRIPTION)
        st.vega_lite_chart(
            chart,
            TIMELINE_CHART,
            width="stretch",
            key="event_chart",
            on_select=_event_picked_on_chart,
            selection_mode="event",
        )
    order = story_order(story)
    row = st.session_state.get("picked_event")
    row = row if row in order else None
    if order:
        st.caption(
            f"Story mode: event {order.index(row) + 1} of {len(order)} in date order"
            if row is not None
            else f"Story mode: step through the {counted(len(order), 'event')} in date order"
        )
        back, forward = st.columns(2)
        back.button(
            "◀ Earlier",
            key="story_back",
            on_click=_step_story,
            args=(order, -1),
            disabled=row == order[0],
            width="stretch",
        )
        forward.button(
            "Later ▶",
            key="story_forward",
            on_click=_step_story,
            args=(order, 1),
            disabled=row == order[-1],
            width="stretch",
        )
    language = story.document.language
    st.selectbox(
        "Pick out an event on the map",
        [None, *range(len(story.events))],
        format_func=lambda row: (
            "–" if row is None else f"{event_label(story.events[row], language)}: {story.events[row].text}"
        ),
        key="event_choice",
        on_change=_event_chosen,
    )
    if row is None:
        return ()
    event = story.events[row]
    labels = {p.id: p.label for p in story.places}
    st.html(picked_event_html(event, event_label(event, language), [labels.get(i, i) for i in event.places]))
    return event.places


def picked_event_html(event: Event, when: str, places: list[str]) -> str:
    """The picked event as story mode tells it: its date in words, its sentence with the date's words
    marked, and the places the map flies to; every string from the article escaped."""
    sentence, mark = event.sentence or event.text, event.in_sentence()
    told = (
        f"{escape_html(sentence[: mark[0]])}<mark>{escape_html(sentence[mark[0] : mark[1]])}</mark>"
        f"{escape_html(sentence[mark[1] :])}"
        if mark
        else escape_html(sentence)
    )
    where = escape_html(", ".join(places)) if places else "no place named in this sentence"
    return (
        f'<div class="dateline-picked"><strong>{escape_html(when)}</strong><p style="margin:0.2rem 0">{told}</p>'
        f"<small>On the map: {where}</small></div>"
    )


def events_ui(story: Story) -> None:
    """Every dated event at the page's full width, in the article's order, the picked one marked."""
    if story.events:
        st.html(event_list_html(event_list_rows(story), st.session_state.get("picked_event")))
    else:
        st.caption("The article has no dated event.")


def unplaced_dates(story: Story) -> int:
    """How many dates are relative and were left off the calendar ("on Monday" with no publication
    date): TIMEX3 writes the digits it cannot know as X."""
    return sum(1 for event in story.events if event.start is None and "X" in event.value)


def _event_picked_on_chart() -> None:
    points = st.session_state["event_chart"].selection.get("event", [])
    st.session_state["picked_event"] = points[0]["row"] if points else None


def _event_chosen() -> None:
    st.session_state["picked_event"] = st.session_state["event_choice"]


def _step_story(order: list[int], step: int) -> None:
    """Story mode's next or previous event in date order (from none picked: the first or the last)."""
    row = st.session_state.get("picked_event")
    at = order.index(row) + step if row in order else (0 if step > 0 else len(order) - 1)
    st.session_state["picked_event"] = st.session_state["event_choice"] = order[max(0, min(at, len(order) - 1))]


def place_ui(story: Story, clicked: str | None) -> None:
    """One place at a time: its evidence, and the corrections the reader can make to it."""
    titles = _place_titles(story)
    if not titles:
        return
    show = clicked or st.session_state.pop("corrected_place", None)  # a clicked marker, or the place just corrected
    if show in titles.values():
        st.session_state["place_choice"] = next(title for title, pid in titles.items() if pid == show)
    if st.session_state.get("place_choice") not in titles:
        st.session_state["place_choice"] = next(iter(titles))  # its place was corrected away
    chosen = titles[st.selectbox("Place", list(titles), key="place_choice")]
    place = story.place(chosen)
    passing = " · named in passing (not fitted on the map)" if place.role != LITERAL else ""
    st.caption(
        _markdown_safe(
            f"{place.kind} · confidence {place.confidence:.0%} · {place.id} · {place.lat:.4f}, {place.lon:.4f}{passing}"
        )
    )
    elsewhere = [other for other in story.places if other.id != place.id]
    if elsewhere:
        far = [
            f"{o.label} {distance_km((place.lat, place.lon), (o.lat, o.lon)):,.0f} km"
            for o in elsewhere[:SHOWN_DISTANCES]
        ]
        more = f" · … {len(elsewhere) - SHOWN_DISTANCES:,} more" if len(elsewhere) > SHOWN_DISTANCES else ""
        st.caption(_markdown_safe("From here (geodesic): " + " · ".join(far) + more))
    for sentence in place.sentences[:6]:
        st.markdown(f"> {_markdown_safe(sentence)}")
    dated = [row for row, event in enumerate(story.events) if place.id in event.places]
    if dated:  # a click on a place shows its events, as a pick of an event shows its places
        st.caption(f"Dated events here: {len(dated)}")
        st.html(event_list_html(event_list_rows(story).loc[dated], st.session_state.get("picked_event")))
    others = [c for c in place.candidates if c.id != place.id]
    left, right = st.columns(2)
    with left:
        if others:
            names = {c.id: f"{entry_title(c)} ({c.kind}, score {c.score:.2f})" for c in others}
            pick = st.selectbox("Another candidate", list(names), format_func=names.get, key=f"cand_{chosen}")
            st.button(
                "Use this candidate",
                key=f"use_{chosen}",
                on_click=correct,
                args=(Correction("choose", place.id, next(c for c in others if c.id == pick)),),
            )
        search = st.text_input("Search the gazetteer", key=f"search_{chosen}", placeholder="a place name")
        found = [match.candidate for match in gazetteer().lookup(search)] if search.strip() else []
        if search.strip() and not found:
            st.info(_markdown_safe(f"No gazetteer entry is named {search!r}."))
        if found:
            names = found_titles(found)
            pick = st.selectbox("Entries", list(names), format_func=names.get, key=f"found_{chosen}")
            st.button(
                "Replace with this entry",
                key=f"replace_{chosen}",
                on_click=correct,
                args=(Correction("choose", place.id, next(c for c in found if c.id == pick)),),
            )
    with right:
        st.button(
            "Remove this place",
            key=f"remove_{chosen}",
            help="The words are no place (a name, a ship)",
            on_click=correct,
            args=(Correction("remove", place.id),),
        )


@st.cache_resource
def admin1_names() -> dict[tuple[str, str], str]:
    """The names of first-level divisions (states, Länder, oblasts) by (country, admin1 code), from
    the gazetteer's curated regions: where it has none, a code is left unsaid."""
    return {
        (entry.country, entry.admin1): entry.name
        for path in curated_files()
        for entry in read_curated(path)
        if entry.kind == "region" and entry.country and entry.admin1
    }


def entry_title(entry: Candidate) -> str:
    """A gazetteer entry as a reader tells it from its namesakes: "Moscow, Idaho, US"."""
    division = admin1_names().get((entry.country, entry.admin1)) if entry.admin1 else None
    return ", ".join(part for part in (entry.name, division, entry.country or "—") if part)


def found_titles(found: list[Candidate]) -> dict[str, str]:
    """Entries found by name in the gazetteer, by id: title, kind and population."""
    return {c.id: f"{entry_title(c)} ({c.kind}, population {c.population:,})" for c in found}


def counted(count: int, thing: str) -> str:
    """ "1 leg", "2 legs": a count with its noun (English, the page's language)."""
    return f"{count:,} {thing}{'' if count == 1 else 's'}"


def _place_titles(story: Story) -> dict[str, str]:
    """A title for each place (what the reader picks from), mapped to its id; unique."""
    titles: dict[str, str] = {}
    for place in story.places:
        title = f"{place.label} ({place.name}, {place.country or '—'})"
        titles[title if title not in titles else f"{title} {place.id}"] = place.id
    return titles


def add_place_ui(document: Document) -> None:
    st.caption("Dateline missed a place? Type the words as the article has them, and the gazetteer name.")
    words = st.text_input("Words in the article", key="add_words")
    name = st.text_input("Gazetteer name", key="add_name", value="")
    found = [match.candidate for match in gazetteer().lookup(name or words)] if (name or words).strip() else []
    if (name or words).strip() and not found:
        st.info("No gazetteer entry by that name.")
    if found and words.strip():
        names = found_titles(found)
        pick = st.selectbox("Entry", list(names), format_func=names.get, key="add_entry")
        if st.button("Add this place", key="add_place"):
            if words.strip() not in document.text:
                st.error(_markdown_safe(DASHBOARD_MESSAGES["not_in_text"].format(words=words.strip())))
            else:
                correct(Correction("add", words=words.strip(), entry=next(c for c in found if c.id == pick)))
                st.rerun()


# -- corrections: the session's own, kept on the server only when the reader (or the operator) says so --


def shared_workspace() -> bool:
    """Whether every reader of this server shares corrections (the operator's setting
    $DATELINE_SHARED_WORKSPACE; off by default: a reader's corrections and text are their own)."""
    return os.environ.get(SHARED_WORKSPACE_VARIABLE, "").strip().lower() in ("1", "true", "yes", "on")


def server_key(document: Document) -> str | None:
    """Where the server keeps this document's corrections: the text's key in a shared workspace, the
    reader's private key once they chose to keep them, else None (this session holds them alone)."""
    if shared_workspace():
        return text_key(document.text)
    return st.session_state.setdefault("kept_at", {}).get(text_key(document.text))


def kept_corrections(document: Document) -> tuple[list[Correction], list[str]]:
    """The document's corrections, and why any kept on the server were left out."""
    key = server_key(document)
    if key is None:
        return list(st.session_state.setdefault("own_corrections", {}).get(text_key(document.text), [])), []
    return store().load_report(key)


def keep_corrections(corrections: list[Correction]) -> None:
    """Replace the current document's corrections (a correction, undo, forget, import), wherever
    they are kept."""
    document: Document = st.session_state["document"]
    key = server_key(document)
    if key is None:
        st.session_state.setdefault("own_corrections", {})[text_key(document.text)] = list(corrections)
    else:
        store().save(key, document.text, corrections)


def described(corrections: list[Correction], labels: dict[str, str]) -> list[str]:
    """Each correction in words, in order ("USA: now Yokkaichi, JP"), places named as the article
    names them (a place chosen or added earlier, by the words it had)."""
    named, lines = dict(labels), []
    for correction in corrections:
        label = named.get(correction.place or "", correction.place or "")
        entry = entry_title(correction.entry) if correction.entry else ""
        if correction.action == "choose":
            lines.append(f"{label}: now {entry}")
            named[correction.entry.id] = label
        elif correction.action == "remove":
            lines.append(f"{label}: removed, no place")
        else:
            lines.append(f"“{correction.words}”: added as {entry}")
            named[correction.entry.id] = correction.words
    return lines


def correct(correction: Correction) -> None:
    """Add a correction to the current document's (a button's callback: the run that follows draws it)."""
    keep_corrections(kept_corrections(st.session_state["document"])[0] + [correction])
    st.session_state["corrected_place"] = correction.entry.id if correction.entry else None


def keep_on_server(keep: bool) -> None:
    """Write the current document's corrections, and its text, to the server under a new private key
    that the page's address carries (``keep``); or delete them there, the session keeping them."""
    document: Document = st.session_state["document"]
    corrections = kept_corrections(document)[0]
    kept_at = st.session_state.setdefault("kept_at", {})
    if keep:
        kept_at[text_key(document.text)] = key = private_key()
        store().save(key, document.text, corrections)
    else:
        store().save(kept_at.pop(text_key(document.text)), document.text, [])
        st.session_state.setdefault("own_corrections", {})[text_key(document.text)] = corrections
    shown_in_address(document)


def corrections_ui(document: Document, kept: list[Correction], labels: dict[str, str]) -> None:
    """The corrections made, where they are kept (said plainly), undo and forget, keeping and
    importing; ``labels`` names the places that analysis found, by id."""
    count = counted(len(kept), "correction")
    if shared_workspace():
        st.info(
            f"Shared workspace: {count}. Corrections on this server are shared: everyone who opens the same "
            "article sees them and can undo them, and the article's text is kept on the server while it has any."
        )
    elif server_key(document) is None:
        st.caption(
            f"{count}, in this browser session only: nothing of this article is written to the server, and "
            "a reload or another browser does not see them."
        )
        st.button(
            "Keep them on this server",
            key="keep_on_server",
            on_click=keep_on_server,
            args=(True,),
            help="Writes the article's text and its corrections to the server under a private address (this "
            "page's address afterwards): bookmark it to come back. Whoever has the address can open them.",
        )
    else:
        st.caption(
            f"{count}, kept on this server with the article's text (while it has corrections), under this "
            "page's private address: bookmark it to come back. Whoever has the address can open them."
        )
        st.button("Delete them from the server", key="delete_from_server", on_click=keep_on_server, args=(False,))
    if kept:
        st.dataframe(
            pd.DataFrame({"correction": described(kept, labels)}),
            hide_index=False,
            width="stretch",
            key="corrections_made",
        )
    undo, clear = st.columns(2)
    if kept:
        undo.button("Undo the last correction", key="undo", on_click=keep_corrections, args=(kept[:-1],))
        clear.button("Forget all corrections", key="forget", on_click=keep_corrections, args=([],))
    imported = st.file_uploader("Import corrections from a Story JSON", type=["json"], key="import")
    if imported is not None and st.button("Import", key="do_import"):
        try:
            key, edits = read_corrections(imported.getvalue())
        except DatelineError as exc:  # a CorrectionError: no JSON, too deep, not Dateline's, a bad correction
            st.error(_markdown_safe(DASHBOARD_MESSAGES["import_failed"].format(error=exc)))
            return
        if key and key != text_key(document.text):
            st.error(DASHBOARD_MESSAGES["other_text"])
        else:
            keep_corrections(edits)
            st.rerun()


def claims_ui(story: Story) -> None:
    """The fact-check panel: every distance the article states, beside the map's, with the verdict;
    printable as it stands, and downloadable as a table or a page of its own."""
    if not story.claims:
        st.info("The article states no distance.")
        return
    rows = fact_check_rows(story)
    st.html(FACT_CHECK_STYLE + fact_check_table(rows))
    stem = file_stem(story.document.title or Path(story.id).stem)
    csv, page = st.columns(2)
    csv.download_button(
        "Fact check (CSV)",
        lambda: fact_check_csv(rows),
        f"{stem}-fact-check.csv",
        "text/csv",
        key="download_fact_check_csv",
        on_click="ignore",
    )
    page.download_button(
        "Fact check (HTML page, printable)",
        lambda: fact_check_page(story.document.title or story.document.source or "Article", rows).encode("utf-8"),
        f"{stem}-fact-check.html",
        "text/html",
        key="download_fact_check_html",
        on_click="ignore",
    )


def distances_ui(story: Story) -> None:
    points = [p for p in story.places if p.kind in POINT_KINDS]
    if len(points) < 2:
        st.info("Distances need two places that are points (cities, landmarks).")
        return
    shown = points[:SHOWN_DISTANCES]
    labels = [p.label for p in shown]
    table = pd.DataFrame(
        [[round(distance_km((a.lat, a.lon), (b.lat, b.lon))) for b in shown] for a in shown],
        index=labels,
        columns=labels,
    )
    which = f", between the first {len(shown)} of {len(points):,} points" if len(points) > len(shown) else ""
    st.caption(f"Geodesic distances in km (WGS84){which}")
    st.dataframe(table, width="stretch", key="distances")


def export_ui(story: Story, story_json: dict) -> None:
    """Download buttons; each file is made only when its button is pressed."""
    stem = file_stem(story.document.title or Path(story.id).stem)
    st.download_button(
        "Map (standalone HTML)",
        lambda: standalone_html(story),
        f"{stem}-map.html",
        "text/html",
        key="download_html",
        on_click="ignore",
    )
    for name, fmt in FORMATS.items():
        data = (
            (lambda: json.dumps(story_json, ensure_ascii=False, indent=2).encode("utf-8"))
            if name == "json"
            else (lambda name=name: export(story, name))
        )
        st.download_button(
            f"{name.upper()}{' (ZIP of four tables)' if name == 'csv' else ''}",
            data,
            f"{stem}{fmt.extension}",
            fmt.media_type,
            key=f"download_{name}",
            on_click="ignore",
        )


def colour_key_html(marked: str) -> str:
    """The Text tab's key: one sample of each kind of mark the marked text uses (a place's kind, a
    date), in the mark's own colour, so the key cannot drift from the text it explains."""
    samples = {}
    for found in MARK_OPENING.finditer(marked):
        samples.setdefault(found.group("kind"), f"<mark {found.group('class')} {found.group('style')}>")
    if not samples:
        return '<p class="dateline-colour-key">Nothing in the text is marked.</p>'
    ordered = sorted(samples, key=lambda kind: (kind == "date", kind))
    keys = "".join(f"{samples[kind]}{'a date' if kind == 'date' else f'a place: {kind}'}</mark> " for kind in ordered)
    return f'<p class="dateline-colour-key">Marked in the text: {keys}</p>'


def file_stem(title: str) -> str:
    """A file name's stem from a title: words joined by hyphens, at most 60 characters."""
    return "-".join(re.findall(r"\w+", title))[:60].strip("-") or "article"


def _markdown_safe(text: str) -> str:
    """Text that Streamlit's Markdown (messages, captions, headings, labels) shows as itself, on one
    line: every ASCII punctuation character escaped, as CommonMark lets each be, so that no link,
    image, HTML, emoji code or formula forms; and an invisible word joiner where GitHub's Markdown
    would find an address in the plain text and link it (after "http:", inside "www.")."""
    text = NOT_LINKED.sub(lambda found: found.group(0) + WORD_JOINER, " ".join(text.split()))
    return "".join("\\" + ch if ch in string.punctuation else ch for ch in text)


# -- the page ---------------------------------------------------------------------------------


def restored_document() -> Document | None:
    """After a reload: the document whose corrections the address names, from the server's store:
    ``?kept=KEY`` (a reader's private key), or ``?doc=KEY`` (its text's key) in a shared workspace
    only. Nothing else finds a kept text."""
    key = st.query_params.get("kept")
    if key is not None and not is_private_key(key):
        key = None
    if key is None and shared_workspace():
        key = st.query_params.get("doc")
    text = store().text(key) if key else None
    if text is None:
        if key:
            st.info("Nothing is kept on this server under this address (any more).")
        return None
    name = st.query_params.get("name") or "article"
    document = _read(lambda: document_from_text(text, source=name, title=name))
    if document is not None and is_private_key(key):
        st.session_state.setdefault("kept_at", {})[text_key(text)] = key
    return document


def shown_in_address(document: Document) -> None:
    """The address names the document only where the server keeps it (a reload then finds it)."""
    key = server_key(document)
    st.query_params.clear()
    if key is not None:
        st.query_params.update({"doc" if key == text_key(document.text) else "kept": key})
        st.query_params["name"] = document.title or document.source or "article"


def page_script_html(articles_read: int) -> str:
    """The page's script (see PAGE_SCRIPT) for the ``articles_read``-th article of this session."""
    return PAGE_SCRIPT.replace("TITLE", json.dumps(MAP_FRAME_TITLE)).replace("READ", str(articles_read))


def page_title(document: Document | None) -> str:
    """The browser tab's title: the article's, where there is one, then the tool's."""
    title = " ".join((document.title or document.source or "").split())[:TITLE_CHARS] if document else ""
    return f"{title} · Dateline" if title else "Dateline"


def main() -> None:
    st.set_page_config(page_title="Dateline", page_icon="🗺️", layout="wide")
    warming_up()
    st.title("Dateline")
    st.caption("An article's places on a map, its dated events on a timeline, its distances checked.")
    with st.sidebar:
        new = input_ui()
        if new is not None:
            st.session_state["document"] = new
            st.session_state.pop("cancelled", None)  # asked again: a cancelled analysis starts anew
            st.session_state["articles_read"] = st.session_state.get("articles_read", 0) + 1
            st.session_state.pop("picked_event", None)  # an event of the article read before
            st.session_state.pop("event_choice", None)
            shown_in_address(new)
        if "document" not in st.session_state and (restored := restored_document()):
            st.session_state["document"] = restored
        document: Document | None = st.session_state.get("document")
        if document is not None:
            document = title_ui(document)
        choices = options_ui(document)
    st.set_page_config(page_title=page_title(document))  # Streamlit lets a later call change the title
    # Before the analysis, so that on a phone the panel folds as soon as an article is asked for and
    # the Cancel button beside the progress is in view.
    st.html(page_script_html(st.session_state.get("articles_read", 0)), unsafe_allow_javascript=True)
    # Messages and progress share one container, and the map has the same place with or without an
    # article: streamlit-folium then keeps the map mounted from the first page on, and a new article
    # or a correction only swaps the Story's layers.
    story: Story | None = None
    with st.container():
        if document is None:
            st.info(f"Paste an article, upload a file, fetch a page or pick a sample {IN_THE_PANEL}.")
        else:
            if not lang.is_known(document.language) and choices.language == "auto":
                st.warning(
                    DASHBOARD_MESSAGES["no_rules"].format(
                        language=document.language,
                        languages=" and ".join(lang.language(code).name for code in sorted(lang.FALLBACK_LANGUAGES)),
                    )
                )
            kept, skipped = kept_corrections(document)
            for problem in [store().problem, *skipped]:  # a damaged store set aside, a bad correction left out
                if problem:
                    st.warning(_markdown_safe(problem))
            if (result := analysed(document, choices)) is None:
                st.info(
                    "The analysis was cancelled. The article stays where you entered it: analyse it again "
                    f"{IN_THE_PANEL} when you are ready."
                )
            else:
                read, story = result
                story = titled(story, document.title)
                for note in story.notes:
                    st.warning(_markdown_safe(note))
                if choices.published is None and (unplaced := unplaced_dates(story)):
                    st.warning(f"Not on the timeline: {counted(unplaced, 'relative date')}. {NO_DATE}")
                uncorrected, story = story, corrected(story, read, kept, choices.min_confidence)
                if not story.places:
                    st.warning(DASHBOARD_MESSAGES["no_place"])
    # One heading order, without skips: h1 the page, h2 the article, h3 its sections.
    st.header(_markdown_safe(document.title or document.source or "Article") if document else "No article yet")
    left, right = st.columns([3, 2])
    with right:
        st.subheader("Timeline")
        highlight = timeline_ui(story) if story else ()
        if not story:
            st.caption("The article's dated events will be here, on a time axis and as a list.")
    with left:
        st.subheader("Map")
        st.caption(MAP_DESCRIPTION)
        clicked = map_ui(story, highlight)
    if document is None or story is None:
        return
    st.subheader("Dated events")
    events_ui(story)
    story_json = with_corrections(story.to_dict(), document.text, kept)
    places_tab, text_tab, claims_tab, distances_tab, export_tab = st.tabs(
        ["Places and corrections", "Text", "Checked distances", "Distances", "Export"]
    )
    with places_tab:
        place_ui(story, clicked)
        with st.expander("Add a place Dateline missed"):
            add_place_ui(document)
        corrections_ui(document, kept, {p.id: p.label for p in uncorrected.places})
    with text_tab:
        marked = marked_text_html(document.text, story)
        st.html(colour_key_html(marked))
        st.html(f'<div style="line-height:1.6">{marked}</div>')
    with claims_tab:
        claims_ui(story)
    with distances_tab:
        distances_ui(story)
    with export_tab:
        export_ui(story, story_json)


if __name__ == "__main__":
    main()
