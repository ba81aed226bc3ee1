"""The timeline for readers: the rows of the time axis and the event list, each date in words.

Why apart from the dashboard: what a reader sees of an event must never be a TIMEX3 code or an
invented first day ("2019-01-01" for 2019), and that is checked here without a browser. The axis is a
Vega-Lite spec as data (a year or a month is a bar, a day a point); the list is an HTML table that
wraps its text to the page, every string from the article escaped.
"""

from __future__ import annotations

import datetime

import pandas as pd

from geo.model import Story
from geo.render.markup import escape_html
from geo.timeline.events import timeline_key
from geo.timeline.labels import calendar_value, event_label

__all__ = ["TIMELINE_CHART", "event_chart_rows", "event_list_rows", "event_list_html", "story_order"]

# The events on a time axis, one row per date label: an event with a span (a year, a month) is a bar
# from its first day to the end of its last, with a point at its start; a day is a point. A click on a
# point picks the event (Vega-Lite lets one layer of a chart hold the selection). A Vega-Lite spec as
# data: Altair would build and validate the same spec on every run (0.1 s).
TIMELINE_CHART = {
    "height": {"step": 24},
    "encoding": {
        # dates as UTC days ("2019-01-01" must not show as 31 December west of Greenwich), the ticks
        # labelled at the axis's own scale: years, months or days
        "x": {
            "field": "start",
            "type": "temporal",
            "scale": {"type": "utc"},
            "title": None,
            "axis": {"tickCount": 8, "labelOverlap": True, "grid": True},
        },
        "y": {"field": "when", "type": "nominal", "title": None, "sort": None, "axis": {"labelLimit": 160}},
        "opacity": {"condition": {"param": "event", "value": 1.0}, "value": 0.35},
        "tooltip": [{"field": "text"}, {"field": "when"}, {"field": "places"}],
        "description": {"field": "said"},  # what a screen reader says of a mark: words, not a first day
    },
    "layer": [
        {
            "mark": {"type": "bar", "height": 10, "cornerRadius": 3},
            "transform": [{"filter": "datum.span"}],
            "encoding": {"x2": {"field": "until"}},
        },
        {
            "params": [{"name": "event", "select": {"type": "point", "fields": ["row"], "on": "click"}}],
            "mark": {"type": "circle", "size": 110, "cursor": "pointer"},
        },
    ],
}
_PICKED = ' class="picked"'
EVENT_LIST_STYLE = """<style>
.dateline-events { width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 0.9rem; }
.dateline-events th, .dateline-events td { text-align: left; vertical-align: top; padding: 0.3rem 0.5rem;
  border-bottom: 1px solid rgba(128, 128, 128, 0.25); overflow-wrap: break-word; white-space: normal; }
.dateline-events tr.picked td { background: rgba(214, 39, 40, 0.10); }
.dateline-events .iso { color: rgba(128, 128, 128, 0.9); font-size: 0.8rem; }
@media (max-width: 640px) {
  .dateline-events colgroup, .dateline-events thead { display: none; }
  .dateline-events, .dateline-events tbody, .dateline-events tr, .dateline-events td { display: block; width: auto; }
  .dateline-events tr { border-bottom: 1px solid rgba(128, 128, 128, 0.25); padding: 0.4rem 0; }
  .dateline-events td { border: none; padding: 0.1rem 0.25rem; }
  .dateline-events td.when { font-weight: 600; }
  .dateline-events td.text::before { content: "In the text: "; color: rgba(128, 128, 128, 0.9); }
  .dateline-events td.places::before { content: "Places: "; color: rgba(128, 128, 128, 0.9); }
}
</style>"""


def event_chart_rows(story: Story) -> pd.DataFrame:
    """The dated events for the time axis, each from its first day (``start``) to the day after its
    last (``until``): a year is a year-long bar, a day a point (``span`` False). The reader sees the
    axis's ticks and the event's words (``said`` for a screen reader), never an invented day."""
    labels = {p.id: p.label for p in story.places}
    rows = []
    for row, event in enumerate(story.events):
        if not event.start:
            continue
        when = event_label(event, story.document.language)
        places = ", ".join(labels.get(i, i) for i in event.places) or "no place named"
        rows.append(
            {
                "row": row,
                "start": event.start,
                "until": _day_after(event.end or event.start),
                "span": bool(event.end) and event.end != event.start,
                "text": event.text,
                "when": when,
                "places": places,
                "said": f"{when}: {event.text} ({places})",
            }
        )
    return pd.DataFrame(rows, columns=["row", "start", "until", "span", "text", "when", "places", "said"])


def _day_after(day: str) -> str:
    return (datetime.date.fromisoformat(day[:10]) + datetime.timedelta(days=1)).isoformat()


def event_list_rows(story: Story) -> pd.DataFrame:
    """The events as the reader reads them: the date in words, never a TIMEX3 code or the first day
    of a year; the plain ISO date where there is one, to sort by (the Story JSON keeps the code)."""
    labels = {p.id: p.label for p in story.places}
    return pd.DataFrame(
        {
            "when": [event_label(e, story.document.language) for e in story.events],
            "text": [e.text for e in story.events],
            "places": [", ".join(labels.get(i, i) for i in e.places) for e in story.events],
            "sentence": [e.sentence for e in story.events],
            "ISO date": [calendar_value(e.value) for e in story.events],
        }
    )


def event_list_html(rows: pd.DataFrame, picked: int | None = None) -> str:
    """The event list as an HTML table that wraps its text to the page's width (no cell cut off, no
    sideways scrolling), every string from the article escaped; each row is named by its event's row
    in the Story (the rows may be a selection), and the row ``picked`` (the event shown on the map)
    is marked."""
    body = "".join(
        f'<tr data-row="{index}"{_PICKED if index == picked else ""}><td class="when">{escape_html(when)}{_iso_note(iso, when)}</td>'
        f'<td class="text">{escape_html(text)}</td><td class="places">{escape_html(places) or "–"}</td>'
        f'<td class="sentence">{escape_html(sentence)}</td></tr>'
        for index, when, text, places, sentence, iso in zip(
            rows.index, rows["when"], rows["text"], rows["places"], rows["sentence"], rows["ISO date"]
        )
    )
    return (
        f'{EVENT_LIST_STYLE}<table class="dateline-events"><colgroup><col style="width:16%">'
        '<col style="width:16%"><col style="width:18%"><col style="width:50%"></colgroup>'
        "<thead><tr><th>When</th><th>In the text</th><th>Places</th><th>Sentence</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def story_order(story: Story) -> list[int]:
    """The events' rows in the order a story is told: the timeline's (by first day; the events that
    have no calendar date last, in the article's order). A Story read from a file may list its events
    in another order."""
    return sorted(range(len(story.events)), key=lambda row: timeline_key(story.events[row]))


def _iso_note(iso: str, when: str) -> str:
    """The plain ISO date under its words, where it says more than they do."""
    return f'<br><span class="iso">{escape_html(iso)}</span>' if iso and iso != when else ""
