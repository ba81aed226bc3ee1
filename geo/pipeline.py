"""``analyse()``: the one flow from an article to a Story. The CLI, the dashboard and batch call it.

The flow is a short list of stages. Each stage is a function of the analysis so far: it declares
what it reads and what it adds, and a test checks that no stage reads what no earlier stage set.
A new capability (the timeline, legs, claims) is a new stage, not a change to the others.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .document import Document, document_from_html, document_from_text
from .gazetteer import Gazetteer, default_gazetteer
from .model import DocumentInfo, Story
from .resolve import resolve_places
from .timeline import events_of, tag_text, unanchored_warning
from .toponyms import demonym_countries, find_toponyms


@dataclass(frozen=True)
class Options:
    """How to analyse: the language ("auto" to detect) and the publication date, if known."""

    language: str = "auto"
    published: datetime.date | str | None = None


@dataclass(frozen=True)
class Stage:
    """One step of the flow: ``run(analysis)`` returns the fields it adds."""

    name: str
    run: Callable[[dict[str, Any]], dict[str, Any]]
    reads: tuple[str, ...]
    adds: tuple[str, ...]


def _toponyms(analysis: dict[str, Any]) -> dict[str, Any]:
    """Find place names, and the demonyms that tell which countries the article is about."""
    doc: Document = analysis["document"]
    toponyms = find_toponyms(doc.text, doc.sentences, doc.language, analysis["gazetteer"])
    return {"toponyms": toponyms, "demonyms": demonym_countries(doc.text, doc.language)}


def _places(analysis: dict[str, Any]) -> dict[str, Any]:
    """Resolve each name to one place, with candidates and a confidence; merge mentions."""
    doc: Document = analysis["document"]

    def sentence_of(offset: int) -> str:
        start, end = doc.sentence_at(offset)
        return doc.text[start:end]

    places = resolve_places(analysis["toponyms"], analysis["demonyms"], doc.language, sentence_of)
    return {"places": places}


def _timeline(analysis: dict[str, Any]) -> dict[str, Any]:
    """Date every temporal expression on the publication date and tie it to the places of its clause."""
    doc: Document = analysis["document"]
    timexes = tag_text(doc.text, doc.language, doc.published, sentences=doc.sentences)
    warning = unanchored_warning(timexes, doc.published)
    return {"timexes": timexes, "events": events_of(doc.text, timexes, doc.sentences, analysis["places"]),
            "warnings": (warning,) if warning else ()}


STAGES: tuple[Stage, ...] = (
    Stage("toponyms", _toponyms, reads=("document", "gazetteer"), adds=("toponyms", "demonyms")),
    Stage("places", _places, reads=("document", "toponyms", "demonyms"), adds=("places",)),
    Stage("timeline", _timeline, reads=("document", "places"), adds=("timexes", "events", "warnings")),
)
INPUTS = ("document", "gazetteer")


def analyse(text: str | Document, options: Options | None = None, *, story_id: str = "article",
            gazetteer: Gazetteer | None = None) -> Story:
    """Analyse an article (plain text or a read :class:`Document`) into a :class:`Story`."""
    options = options or Options()
    document = text if isinstance(text, Document) else document_from_text(
        text, language=options.language, published=options.published, source=story_id)
    return run_stages(document, story_id, gazetteer or default_gazetteer())


def analyse_html(html: str, options: Options | None = None, *, story_id: str = "article",
                 gazetteer: Gazetteer | None = None) -> Story:
    """Analyse an HTML page: its article body, title and publication date."""
    options = options or Options()
    document = document_from_html(html, language=options.language, published=options.published,
                                  source=story_id)
    return run_stages(document, story_id, gazetteer or default_gazetteer())


def run_stages(document: Document, story_id: str, gazetteer: Gazetteer) -> Story:
    """Run every stage in order and assemble the Story."""
    analysis: dict[str, Any] = {"document": document, "gazetteer": gazetteer}
    for stage in STAGES:
        analysis.update(stage.run(analysis))
    return Story(id=story_id, document=document_info(document), places=analysis["places"],
                 events=analysis["events"], warnings=analysis["warnings"])


def document_info(document: Document) -> DocumentInfo:
    """The Story's summary of its document (the publication date as ISO text, or None)."""
    published = document.published.isoformat() if document.published else None
    return DocumentInfo(document.language, published, len(document.text), document.published_source,
                        document.title)
