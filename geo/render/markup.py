"""The HTML that a map shows as text: a place's and a leg's popup, the legend, the article with its
mentions marked, and the escaping that keeps an article's text inert in a page.

Article text is untrusted. Every string from a Story is escaped here (:func:`escape_html`) before it
becomes HTML, and data for a page's script is written by :func:`script_json`, which also keeps
branca from running an article's ``{{ ... }}`` as a template. The map of a Story
(:mod:`geo.render.storymap`), the corpus map (:mod:`geo.render.corpusmap`) and the dashboard use it.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from geo.model import Claim, Leg, Place, Story
from geo.render.style import (
    KIND_COLOURS,
    MODE_STYLES,
    VERDICT_COLOURS,
    VERDICT_SIGNS,
    kind_of,
    mode_of,
    place_label,
    verdict_of,
)

__all__ = [
    "popup_head",
    "place_popup",
    "source_line",
    "leg_popup",
    "claim_summary",
    "claim_judged_as",
    "CLAIM_READINGS",
    "CLAIM_LINKS",
    "legend_html",
    "kinds_legend",
    "legend_list",
    "marked_text_html",
    "marked_sentence",
    "escape_html",
    "script_json",
    "DOT",
]

MAX_SENTENCES = 6  # in a place's popup; the rest are counted
MAX_CANDIDATES = 5
DOT = " \u00b7 "


# -- popups -----------------------------------------------------------------------------------


def popup_head(label: str, facts: list[str], place_id: str, lat: float, lon: float) -> list[str]:
    """The opening of a place's popup, on a story's map and on the corpus map: its label, its facts
    on one line (``facts`` already escaped; empty ones left out), and where it comes from."""
    return [
        f'<div class="dateline-popup"><h3>{escape_html(label)}</h3>',
        f'<div class="dateline-meta">{DOT.join(fact for fact in facts if fact)}</div>',
        source_line(place_id, lat, lon),
    ]


def place_popup(place: Place, story: Story) -> str:
    """The popup of a place, as escaped HTML."""
    facts = [
        escape_html(place.name),
        escape_html(place.country or ""),
        escape_html(place.kind),
        f"confidence {place.confidence:.0%}",
    ]
    if place.population:
        facts.append(f"population {place.population:,}")
    parts = popup_head(place.label, facts, place.id, place.lat, place.lon)
    forms = sorted({mention.text for mention in place.mentions}, key=len, reverse=True)
    mentions = len(place.mentions)
    parts.append(f"<h4>Named {mentions} time{'s' if mentions != 1 else ''}</h4>")
    parts += [
        f'<p class="dateline-sentence">{marked_sentence(sentence, forms)}</p>'
        for sentence in place.sentences[:MAX_SENTENCES]
    ]
    if len(place.sentences) > MAX_SENTENCES:
        parts.append(f"<p>\u2026 and {len(place.sentences) - MAX_SENTENCES} more sentences</p>")
    others = [c for c in place.candidates if c.id != place.id][:MAX_CANDIDATES]
    if others:
        rows = "".join(
            f"<tr><td>{escape_html(c.name)}</td><td>{escape_html(c.country or '')}</td>"
            f"<td>{escape_html(c.kind)}</td><td>{c.score:.2f}</td></tr>"
            for c in others
        )
        parts.append(
            f"<h4>Other candidates</h4><table><tr><th>name</th><th>country</th><th>kind</th>"
            f"<th>score</th></tr>{rows}</table>"
        )
    return "".join(parts) + "</div>"


OSM_TYPES = {"N": "node", "W": "way", "R": "relation"}  # an online geocoder's ids: osm:N123, osm:W45, osm:R6


def source_line(place_id: str, lat: float, lon: float) -> str:
    """A popup's line with the entry's id (linked to GeoNames for a GeoNames id, to OpenStreetMap for
    an OSM one) and its point."""
    prefix, _, number = place_id.partition(":")
    where = f"{lat:.4f}, {lon:.4f}"
    if prefix == "geonames" and number.isdecimal() and number.isascii():
        return (
            f'<div class="dateline-meta">GeoNames <a href="https://www.geonames.org/{number}" target="_blank" '
            f'rel="noopener noreferrer">{number}</a> \u00b7 {where}</div>'
        )
    osm_type = OSM_TYPES.get(number[:1]) if prefix == "osm" else None
    if osm_type and number[1:].isdecimal() and number[1:].isascii():
        return (
            f'<div class="dateline-meta">OpenStreetMap <a href="https://www.openstreetmap.org/{osm_type}/'
            f'{number[1:]}" target="_blank" rel="noopener noreferrer">{osm_type} {number[1:]}</a> '
            f"\u00b7 {where}</div>"
        )
    return f'<div class="dateline-meta">{escape_html(place_id)} \u00b7 {where}</div>'


def leg_popup(leg: Leg, story: Story) -> str:
    """The popup of a leg, as escaped HTML: its ends, mode, lengths, sentence and checked distances."""
    rows = [("by", escape_html(leg.mode)), ("straight line", f"{leg.km:,.1f} km (geodesic, WGS84)")]
    if leg.route:
        network = escape_html(leg.route.credit or leg.route.source)
        rows.append((f"{escape_html(leg.mode)} route", f"{leg.route.km:,.1f} km{DOT}{network}"))
    claims = [claim for claim in story.claims if same_pair(claim, leg)]
    body = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows)
    parts = [
        f'<div class="dateline-popup"><h3>{pair_title(story, leg.from_id, leg.to_id)}</h3>',
        f"<table>{body}</table>",
    ]
    if leg.sentence:
        parts.append(f'<p class="dateline-sentence">{escape_html(leg.sentence)}</p>')
    parts += [claim_summary(claim) for claim in claims]
    return "".join(parts) + "</div>"


CLAIM_READINGS = {
    "straight": "as the straight line",
    "route": "along the network's route",
    "detour": "as a way by road or rail (up to 1.5\u00d7 the straight line)",
}
"""What a judged number was read as, in words (``Claim.reading``)."""
CLAIM_LINKS = {
    "named": "both places named with the number",
    "referent": "one place named before",
    "here": "one place is where the article is written",
    "journey": "the journey told before",
}
"""How a claim's two places were found, in words (``Claim.linked_by``)."""


def claim_judged_as(claim: Claim) -> str:
    """The reading and the linking of a judged claim in one phrase ("" for an unjudged one)."""
    parts = [CLAIM_READINGS.get(claim.reading or "", ""), CLAIM_LINKS.get(claim.linked_by or "", "")]
    return "; ".join(part for part in parts if part)


def claim_summary(claim: Claim) -> str:
    """A checked distance as escaped HTML: the text's number, the map's number, verdict and reason."""
    bounds = " \u2013 ".join(f"{km:,.0f}" if km is not None else "\u221e" for km in (claim.low_km, claim.high_km))
    stated = (
        f"{escape_html(claim.text)} ({claim.value_km:,.0f} km; allows {bounds} km)"
        if claim.low_km is not None
        else f"{escape_html(claim.text)} ({claim.value_km:,.0f} km)"
    )
    on_map = (
        f"{claim.computed_km:,.1f} km ({escape_html(claim.computed_by or 'geodesic')})"
        if claim.computed_km is not None
        else "\u2013"
    )
    rows = [
        ("in the text", stated),
        ("on the map", on_map),
        ("verdict", f'<span class="dateline-verdict-{verdict_of(claim.verdict)}">{escape_html(claim.verdict)}</span>'),
    ]
    if claim_judged_as(claim):
        rows.append(("judged", escape_html(claim_judged_as(claim))))
    body = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows)
    reason = f'<p class="dateline-meta">{escape_html(claim.reason)}</p>' if claim.reason else ""
    sentence = (
        f'<p class="dateline-sentence">{marked_sentence(claim.sentence, [claim.text])}</p>' if claim.sentence else ""
    )
    return f"<table>{body}</table>{reason}{sentence}"


def same_pair(claim: Claim, leg: Leg) -> bool:
    return {claim.from_id, claim.to_id} == {leg.from_id, leg.to_id}


def pair_title(story: Story, first_id: str | None, second_id: str | None) -> str:
    return " \u2192 ".join(escape_html(place_label(story, place_id) or "?") for place_id in (first_id, second_id))


# -- legend -----------------------------------------------------------------------------------


def legend_html(story: Story) -> str:
    """The legend as escaped HTML: what each colour and line means, with counts from this Story."""
    title = escape_html(story.document.title or story.id)
    published = f" \u00b7 {escape_html(story.document.published)}" if story.document.published else ""
    parts = [f"<h4>{title}{published}</h4>"]
    if not story.places:
        parts.append("<p><strong>Dateline found no place in this article.</strong></p>")
    kinds = Counter(kind_of(place.kind) for place in story.places)
    parts.append(kinds_legend(f"Places ({len(story.places)})", kinds))
    if story.places:
        parts.append(
            '<p class="dateline-meta">Solid fill: sure; faint: unsure. A dashed ring is the centre of an area.</p>'
        )
    modes = Counter(mode_of(leg.mode) for leg in story.legs)
    parts.append(
        legend_list(
            f"Journeys ({len(story.legs)})",
            ((_line_swatch(MODE_STYLES[mode]), f"{mode} ({count})") for mode, count in sorted(modes.items())),
        )
    )
    verdicts = Counter(verdict_of(claim.verdict) for claim in story.claims)
    off_map = sum(1 for claim in story.claims if not (claim.from_id and claim.to_id))
    parts.append(
        legend_list(
            f"Checked distances ({len(story.claims)})",
            (
                (
                    _line_swatch({"color": VERDICT_COLOURS[verdict], "dash_array": None}),
                    f"{VERDICT_SIGNS[verdict]} {verdict} ({verdicts[verdict]})",
                )
                for verdict in VERDICT_COLOURS
                if verdicts[verdict]
            ),
        )
    )
    if off_map:
        parts.append(f'<p class="dateline-meta">{off_map} not on the map: the text ties them to no two places.</p>')
    if story.warnings or story.notes:
        parts.append(legend_list("Notes", (("", escape_html(line)) for line in (*story.warnings, *story.notes))))
    return "".join(parts)


def kinds_legend(heading: str, kinds: Counter[str]) -> str:
    """The legend's list of place kinds (already mapped with ``kind_of``), each with its colour and count."""
    return legend_list(
        heading,
        (
            (
                f'<span class="dateline-swatch" style="border-color:{KIND_COLOURS[kind]};background:{KIND_COLOURS[kind]}">'
                "</span>",
                f"{kind} ({count:,})",
            )
            for kind, count in sorted(kinds.items())
        ),
    )


def legend_list(heading: str, rows: Iterable[tuple[str, str]]) -> str:
    """A legend's heading and its list of (swatch, text) rows, both already HTML."""
    items = "".join(f"<li>{swatch}<span>{text}</span></li>" for swatch, text in rows)
    return f"<h4>{heading}</h4><ul>{items}</ul>" if items else f"<h4>{heading}</h4>"


def _line_swatch(style: dict[str, Any]) -> str:
    border = "dashed" if style.get("dash_array") else "solid"
    return f'<span class="dateline-line" style="border-top-color:{style["color"]};border-top-style:{border}"></span>'


# -- the article with its mentions marked -----------------------------------------------------


def marked_text_html(text: str, story: Story) -> str:
    """The article as escaped HTML paragraphs, each place mention and dated expression in a <mark>
    (places coloured by kind, dates in grey), with the place or date as its title."""
    marks = [
        (
            m.start,
            m.end,
            f'<mark class="dateline-place-{kind_of(p.kind)}" title="{escape_html(p.name)}" '
            f'style="background:{KIND_COLOURS[kind_of(p.kind)]}33">',
        )
        for p in story.places
        for m in p.mentions
    ]
    marks += [
        (
            e.start_char,
            e.end_char,
            f'<mark class="dateline-date" title="{escape_html(e.label or e.value)}" style="background:#e6e6e6">',
        )
        for e in story.events
    ]
    parts, last = [], 0
    for start, end, opening in sorted(marks):
        if start < last:  # overlapping marks: the earlier one wins
            continue
        parts += [escape_html(text[last:start]), opening, escape_html(text[start:end]), "</mark>"]
        last = end
    parts.append(escape_html(text[last:]))
    paragraphs = "".join(parts).split("\n\n")
    return "".join(f"<p>{paragraph.replace(chr(10), '<br>')}</p>" for paragraph in paragraphs)


# -- escaping ---------------------------------------------------------------------------------


def script_json(value: Any) -> str:
    """JSON to write inside a <script>: compact, and with <, >, & and ' as escapes, so that no
    string in it can end the script or start markup (what Jinja's ``tojson`` does, without spaces).

    A ``{`` before ``{``, ``%`` or ``#`` is an escape too. branca compiles each element's rendered
    script as a Jinja template once more before it writes the page, so an article's ``{{ ... }}``
    would be run as Python there. Such a ``{`` is always inside a string (in JSON's own syntax a
    ``{`` is followed by ``"`` or ``}``), where ``\\u007b`` means the same."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("'", "\\u0027"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return _TEMPLATE_OPENING.sub(r"\\u007b", text)


_TEMPLATE_OPENING = re.compile(r"\{(?=[{%#])")  # what starts a Jinja tag: {{ {% {#


def escape_html(text: Any) -> str:
    """Text as HTML, quotes too (it may land in an attribute)."""
    return html.escape(str(text), quote=True)


def marked_sentence(sentence: str, forms: Sequence[str]) -> str:
    """The sentence, escaped, with each whole-word occurrence of one of ``forms`` in <mark>. Only the
    forms the sentence holds make the pattern: a place may have thousands of forms, a sentence few."""
    forms = [form for form in forms if form and form in sentence]
    if not forms:
        return escape_html(sentence)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(form) for form in forms) + r")(?!\w)")
    parts, last = [], 0
    for match in pattern.finditer(sentence):
        parts += [escape_html(sentence[last : match.start()]), f"<mark>{escape_html(match.group(0))}</mark>"]
        last = match.end()
    return "".join(parts) + escape_html(sentence[last:])
