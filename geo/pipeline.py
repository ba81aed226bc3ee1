"""``analyse(text_or_document, options)``: the one flow from an article to a Story. The CLI, the
dashboard and batch call it, and everything it needs travels in its :class:`Options` (nothing is
passed through the environment: the CLI and the dashboard read their defaults from it, at the edge).

The flow is a short list of stages. Each stage is a function of the analysis so far: it declares
what it reads and what it adds, and a test checks that no stage reads what no earlier stage set.
A new capability (the timeline, legs, claims) is a new stage, not a change to the others.
"""

from __future__ import annotations

import datetime
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from geo.journeys.claims import check_claims
from geo.journeys.legs import find_legs
from geo.journeys.networks import load_offline_networks
from geo.journeys.routing import draw_legs, route_lookup
from geo.lang.registry import language, languages
from geo.model import DocumentInfo, Place, Story
from geo.places.gazetteer import Gazetteer, default_gazetteer
from geo.places.geocoders import GeocoderSettings, OnlineGeocoder, geocoder_for, with_online_candidates
from geo.places.recognition import demonym_mentions, find_demonyms, find_toponyms, organisation_spans
from geo.places.resolution import resolve_places, with_demonyms
from geo.places.streets import find_streets, with_streets, without_streets
from geo.places.wordclasses import load_word_lists
from geo.read.document import Document, document_from_html, document_from_text
from geo.read.language import load_language_model
from geo.read.sentences import Quotes
from geo.timeline.events import events_of, tag_text, unanchored_warning
from geo.timeline.grammar import grammar_for


@dataclass(frozen=True)
class Options:
    """How to analyse: the language ("auto" to detect), the publication date if known, an
    OSRM-compatible router (its URL) for road and rail legs and an online geocoder (its settings,
    with the account a service needs) for more candidates (both opt-in; None: offline only), the
    User-Agent those services know the user by (None: Dateline's own; the geocoder's settings may
    name their own), and ``progress``, told each stage's name as it starts. ``progress`` takes no
    part in equality or the hash: equal options give the same Story, so they can key a cache."""

    language: str = "auto"
    published: datetime.date | str | None = None
    router: str | None = None
    geocoder: GeocoderSettings | None = None
    user_agent: str | None = None
    progress: Callable[[str], None] | None = field(default=None, compare=False, hash=False, repr=False)

    def geocoder_settings(self) -> GeocoderSettings | None:
        """The online geocoder's settings, with the options' User-Agent where they name none."""
        if self.geocoder is None or self.geocoder.user_agent or not self.user_agent:
            return self.geocoder
        return replace(self.geocoder, user_agent=self.user_agent)


@dataclass(frozen=True)
class Stage:
    """One step of the flow: ``run(analysis)`` returns the fields it adds."""

    name: str
    run: Callable[[dict[str, Any]], dict[str, Any]]
    reads: tuple[str, ...]
    adds: tuple[str, ...]


def _toponyms(analysis: dict[str, Any]) -> dict[str, Any]:
    """Find place names, and the demonyms that tell which countries the article is about.

    The dates are tagged here too: a name inside one is a word of the date ("bis Ende 2027"), and
    the timeline stage takes them from here."""
    doc: Document = analysis["document"]
    timexes = tag_text(doc.text, doc.language, doc.published, sentences=doc.sentences)
    dates = [(timex.start, timex.end) for timex in timexes]  # "bis Ende 2027": Ende is a word of a date
    toponyms = find_toponyms(doc.text, doc.sentences, doc.language, analysis["gazetteer"], dates=dates)
    notes: tuple[str, ...] = ()
    if analysis["geocoder"] is not None:  # opt-in: the online service's candidates join the offline ones
        online = with_online_candidates(
            toponyms, doc.text, doc.sentences, doc.language, analysis["gazetteer"], analysis["geocoder"]
        )
        toponyms, notes = online.toponyms, tuple(online.notes)
    streets = find_streets(doc.text, doc.language, organisation_spans(doc.text, doc.language))
    return {
        "toponyms": without_streets(toponyms, streets),
        "streets": streets,
        "demonyms": find_demonyms(doc.text, doc.language),
        "notes": notes,
        "timexes": timexes,
    }


def _places(analysis: dict[str, Any]) -> dict[str, Any]:
    """Resolve each name to one place, with candidates and a confidence; merge mentions. Every
    demonym is evidence of its country, and those outside organisations' names mention it in passing;
    streets are placed at their towns."""
    doc: Document = analysis["document"]
    demonyms = analysis["demonyms"]
    sentence_of = sentence_quotes(doc)
    countries = Counter(demonym.country for demonym in demonyms)
    places = resolve_places(analysis["toponyms"], countries, doc.language, sentence_of, doc.text)
    named = demonym_mentions(doc.text, doc.language, demonyms)
    places = with_demonyms(places, named, analysis["gazetteer"], doc.language, sentence_of)
    return {"places": with_streets(places, analysis["streets"], sentence_of)}


def sentence_quotes(document: Document) -> Callable[[int], str]:
    """``sentence_of(offset)``: what a place quotes of the sentence of its mention at ``offset``
    (:class:`~geo.read.sentences.Quotes`: the sentence, or the stretch around the mention of a very
    long one; one string per distinct quote)."""
    quote = Quotes(document.text)
    return lambda offset: quote(document.sentence_at(offset), offset)


def _timeline(analysis: dict[str, Any]) -> dict[str, Any]:
    """Date every temporal expression on the publication date and tie it to the places of its clause."""
    doc: Document = analysis["document"]
    # tagged with the names (a name inside a date is no place); after a correction (with_places) now
    timexes = (
        analysis["timexes"]
        if "timexes" in analysis
        else tag_text(doc.text, doc.language, doc.published, sentences=doc.sentences)
    )
    warning = unanchored_warning(timexes, doc.published)
    return {
        "events": events_of(doc.text, timexes, doc.sentences, analysis["places"]),
        "warnings": (warning,) if warning else (),
    }


def _legs(analysis: dict[str, Any]) -> dict[str, Any]:
    """Turn the text's journeys into legs between places, each drawn as a geodesic and, where its
    mode has a network, as a route."""
    doc: Document = analysis["document"]
    legs = find_legs(doc.text, doc.sentences, analysis["places"], doc.language)
    drawn, warnings = draw_legs(legs, analysis["places"], analysis["router"], agent=analysis["user_agent"])
    return {"legs": drawn, "route_warnings": warnings}


def _claims(analysis: dict[str, Any]) -> dict[str, Any]:
    """Tie every distance the text states to its places and check it against the map."""
    doc: Document = analysis["document"]
    router = None if analysis["route_warnings"] else analysis["router"]  # a router that failed once is not asked again
    lookup = route_lookup(router, agent=analysis["user_agent"])
    claims = check_claims(doc.text, doc.sentences, analysis["places"], doc.language, lookup, analysis["legs"])
    return {"claims": claims}


STAGES: tuple[Stage, ...] = (
    Stage(
        "toponyms",
        _toponyms,
        reads=("document", "gazetteer", "geocoder"),
        adds=("toponyms", "streets", "demonyms", "notes", "timexes"),
    ),
    Stage("places", _places, reads=("document", "gazetteer", "toponyms", "streets", "demonyms"), adds=("places",)),
    Stage("timeline", _timeline, reads=("document", "places"), adds=("events", "warnings")),
    Stage("legs", _legs, reads=("document", "places", "router", "user_agent"), adds=("legs", "route_warnings")),
    Stage(
        "claims",
        _claims,
        reads=("document", "places", "legs", "router", "user_agent", "route_warnings"),
        adds=("claims",),
    ),
)
INPUTS = ("document", "gazetteer", "router", "user_agent", "geocoder")
AFTER_PLACES = tuple(stage for stage in STAGES if "places" in stage.reads)
"""The stages that follow from the places: rerun when a user corrects one."""


def analyse(
    text: str | Document,
    options: Options | None = None,
    *,
    story_id: str = "article",
    gazetteer: Gazetteer | None = None,
) -> Story:
    """Analyse an article into a :class:`Story`: plain text (read with the options' language and
    date), or a :class:`Document` as read from a file, an HTML page, a URL or a record (its
    language and date stand). ``gazetteer`` None: the offline index on disk. Raises
    :class:`~geo.errors.DatelineError`: DocumentError for text that cannot be analysed,
    GeocoderError for an online geocoder that cannot be set up as asked."""
    options = options or Options()
    document = (
        text
        if isinstance(text, Document)
        else document_from_text(text, language=options.language, published=options.published, source=story_id)
    )
    return run_stages(
        document,
        story_id,
        gazetteer or default_gazetteer(),
        options.router,
        options.progress,
        geocoder=geocoder_for(options.geocoder_settings()),
        user_agent=options.user_agent,
    )


def analyse_html(
    html: str, options: Options | None = None, *, story_id: str = "article", gazetteer: Gazetteer | None = None
) -> Story:
    """:func:`analyse` of an HTML page: its article body, title and publication date."""
    options = options or Options()
    document = document_from_html(html, language=options.language, published=options.published, source=story_id)
    return analyse(document, options, story_id=story_id, gazetteer=gazetteer)


def run_stages(
    document: Document,
    story_id: str,
    gazetteer: Gazetteer,
    router: str | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    geocoder: OnlineGeocoder | None = None,
    user_agent: str | None = None,
) -> Story:
    """Run every stage in order and assemble the Story (what :func:`analyse` does, given a built
    gazetteer and geocoder); ``progress(name)`` is told each stage's name before it starts.
    ``geocoder``: an online service asked for more candidates
    (:func:`geo.places.geocoders.geocoder_for`), None to stay offline; ``user_agent``: how the
    router knows the user (None: Dateline's own)."""
    analysis: dict[str, Any] = {
        "document": document,
        "gazetteer": gazetteer,
        "router": router,
        "user_agent": user_agent,
        "geocoder": geocoder,
    }
    for stage in STAGES:
        if progress:
            progress(stage.name)
        analysis.update(stage.run(analysis))
    return _story(story_id, analysis)


def stage_named(name: str) -> Stage:
    """The stage of this name (a progress display shows its docstring's first line)."""
    return next(stage for stage in STAGES if stage.name == name)


def warm_up(gazetteer: Gazetteer | None = None) -> float:
    """Load now what the first analysis in a process would load (each language's rules, lexicons and
    word lists, through its short warm-up text in ``data/<lang>/language.toml``; the language
    identifier's model; the offline rail and sea networks: about 2 s), so that a server's first
    reader does not wait for it. Returns the seconds it took."""
    started = time.perf_counter()
    for code in languages():
        grammar_for(code).compile()  # the patterns its warm-up text does not need, too
        load_word_lists(code)
        if language(code).warm_up:
            run_stages(
                document_from_text(language(code).warm_up, language=code), "warm-up", gazetteer or default_gazetteer()
            )
    load_language_model()
    load_offline_networks()
    return time.perf_counter() - started


def with_places(
    story: Story,
    document: Document,
    places: tuple[Place, ...],
    router: str | None = None,
    user_agent: str | None = None,
) -> Story:
    """The Story again after a user corrected its places: the timeline's links, legs and claims
    follow from the new places and the same text (a pure function of both); nothing is re-read."""
    analysis: dict[str, Any] = {
        "document": document,
        "router": router,
        "user_agent": user_agent,
        "places": places,
        "notes": story.notes,
    }
    for stage in AFTER_PLACES:
        analysis.update(stage.run(analysis))
    return _story(story.id, analysis)


def _story(story_id: str, analysis: dict[str, Any]) -> Story:
    return Story(
        id=story_id,
        document=document_info(analysis["document"]),
        places=analysis["places"],
        events=analysis["events"],
        legs=analysis["legs"],
        claims=analysis["claims"],
        warnings=analysis["warnings"] + analysis["route_warnings"],
        notes=analysis["notes"],
    )


def document_info(document: Document) -> DocumentInfo:
    """The Story's summary of its document (the publication date as ISO text, or None)."""
    published = document.published.isoformat() if document.published else None
    return DocumentInfo(document.language, published, len(document.text), document.published_source, document.title)
