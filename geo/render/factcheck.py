"""The fact check: every distance the article states beside the map's, printable and exportable.

One row per claim: its two places by the article's words, the text's number and the map's, what it
was judged as and the verdict with its sign. As an HTML table (printed, saved as a page with no
script and nothing loaded from elsewhere), and as CSV with the Story's own formula guard.
"""

from __future__ import annotations

import pandas as pd

from geo.model import Story
from geo.render.export import spreadsheet_safe
from geo.render.markup import claim_judged_as, escape_html
from geo.render.style import VERDICT_SIGNS

__all__ = ["FACT_CHECK_STYLE", "fact_check_rows", "fact_check_csv", "fact_check_table", "fact_check_page"]

FACT_CHECK_STYLE = """<style>
.dateline-fact-check { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
.dateline-fact-check th, .dateline-fact-check td { text-align: left; vertical-align: top; padding: 0.3rem 0.5rem;
  border-bottom: 1px solid rgba(128, 128, 128, 0.35); overflow-wrap: anywhere; }
@media print { .dateline-fact-check { font-size: 10pt; } .dateline-fact-check tr { break-inside: avoid; } }
</style>"""


def fact_check_rows(story: Story) -> pd.DataFrame:
    """One row per distance the article states: its two places by the article's words (and the
    gazetteer's name where it differs), the text's number and the map's, the reading and the
    verdict with its sign."""
    places = {p.id: p for p in story.places}

    def named(place_id: str | None) -> str:
        place = places.get(place_id or "")
        if place is None:
            return place_id or ""
        return place.label if place.name == place.label else f"{place.label} ({place.name})"

    claims = story.claims
    return pd.DataFrame(
        {
            "from": [named(c.from_id) for c in claims],
            "to": [named(c.to_id) for c in claims],
            "in the text": [c.text for c in claims],
            "stated km": [round(c.value_km, 1) for c in claims],
            "on the map km": [None if c.computed_km is None else round(c.computed_km, 1) for c in claims],
            "reading": [claim_judged_as(c) for c in claims],
            "verdict": [f"{VERDICT_SIGNS.get(c.verdict, '?')} {c.verdict}" for c in claims],
            "why": [c.reason for c in claims],
        }
    )


def fact_check_csv(rows: pd.DataFrame) -> bytes:
    """The fact-check rows as CSV for a spreadsheet, as the Story's own CSV tables are written: a text
    that a spreadsheet would run as a formula gets a leading apostrophe, and a BOM says UTF-8."""
    safe = rows.map(spreadsheet_safe)
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def fact_check_table(rows: pd.DataFrame) -> str:
    """The fact-check rows as a plain HTML table, every string escaped (it is printed and saved as is)."""
    head = "".join(f"<th>{escape_html(column)}</th>" for column in rows.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{'–' if pd.isna(value) else escape_html(value)}</td>" for value in row) + "</tr>"
        for row in rows.itertuples(index=False)
    )
    return f'<table class="dateline-fact-check"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def fact_check_page(title: str, rows: pd.DataFrame) -> str:
    """The fact check as a standalone HTML page: no script, nothing loaded from elsewhere."""
    heading = escape_html(f"Fact check: {title}")
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f"<title>{heading}</title>{FACT_CHECK_STYLE}</head>"
        f"<body><h1>{heading}</h1>"
        "<p>Each distance the article states, beside the distance on Dateline's map "
        "(✓ consistent, ✗ inconsistent, ? unverifiable).</p>"
        f"{fact_check_table(rows)}</body></html>\n"
    )
