"""The corpus map: every place that a batch run found in its documents, on one map, and its
standalone HTML file.

A batch run writes a ``places`` table with one row per document and place, and a ``documents``
table. :func:`corpus_places` folds the rows into one row per place: in how many documents it is
named and how often, as which words (the most common first), with what mean confidence, and the
documents that name it most. :func:`corpus_map` draws them on :func:`geo.render.storymap.base_map`
(the offline outlines, tiles on request, the layer control, the credits):

- a circle per place, coloured by kind, sized by its number of documents and filled by its mean
  confidence, in a marker cluster group (leaflet.markercluster): a cluster's number counts places;
  a popup gives the place's GeoNames entry, its counts, the words the documents use for it, an
  example sentence and the documents that name it most;
- a heat layer (leaflet.heat) weighted by the logarithm of each place's mentions;
- a legend with the corpus' counts (documents, documents with errors, places, mentions, kinds).

Text from the documents (labels, sentences, titles, URLs, errors) is untrusted. It is escaped into
HTML here; the places reach the page as one JSON array through
:func:`geo.render.markup.script_json` (which also keeps branca from running an article's
``{{ ... }}`` as a template), and geo/render/web/corpus.js makes the markers and joins a popup's
escaped parts when it opens. One array rather than a folium
element per marker: for 10,000 documents naming 4,900 places (tests.corpora.synthetic_corpus),
folium's elements (a circle, a popup and a tooltip each) took 5.7 s and made a 13 MB page; the
array takes 1.7 s and 7 MB (0.45 MB of it Leaflet, the plugins and the outlines; the rest mostly
the popups' text), and the page draws in about a second.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import HeatMap, MarkerCluster
from folium.template import Template

from geo.model import PLACE_KINDS
from geo.render.assets import asset_url
from geo.render.basemap import BASEMAP_CREDIT
from geo.render.markup import (
    DOT,
    escape_html,
    kinds_legend,
    legend_list,
    marked_sentence,
    popup_head,
    script_json,
)
from geo.render.storymap import PLACES_PANE, TILES, MapView, StoryView, base_map, marker_style, page_html
from geo.render.style import GEONAMES_CREDIT, kind_of, source_credits

__all__ = ["corpus_map", "corpus_html", "corpus_places", "TITLE"]

TITLE = "Dateline corpus map"
PLACE_COLUMNS = (
    "doc_id",
    "id",
    "name",
    "label",
    "lat",
    "lon",
    "country",
    "kind",
    "confidence",
    "population",
    "mentions",
    "sentences",
)
MAX_DOCUMENTS = 5  # in a place's popup, most mentions first; the rest are counted
MAX_LABELS = 5  # words for a place in its popup, most documents first
MAX_ERRORS = 5  # documents with errors named in the legend
MAX_SENTENCE = 300  # characters of a popup's example sentence
RADIUS = (4.0, 2.0, 16.0)  # a circle's radius in px: first + second * sqrt(documents), at most the third
# leaflet.heat 0.2.0 sums the weights in square cells (radius / 2 px a side), shows a sum of ``max``
# or more at full heat, and halves the weights for each zoom below max_zoom: at 0, never. Its max is
# set at each zoom to that zoom's densest cell (HeatScale).
HEAT = {"radius": 16, "blur": 12, "min_opacity": 0.1, "max_zoom": 0}


class ShippedMarkerCluster(MarkerCluster):
    """folium's marker cluster group, loading leaflet.markercluster from the shipped copy."""

    default_js = [("markerclusterjs", asset_url("leaflet.markercluster/leaflet.markercluster.js"))]
    default_css = [
        ("markerclustercss", asset_url("leaflet.markercluster/MarkerCluster.css")),
        ("markerclusterdefaultcss", asset_url("leaflet.markercluster/MarkerCluster.Default.css")),
    ]


class ShippedHeatMap(HeatMap):
    """folium's heat layer, loading leaflet.heat from the shipped copy (npm's, where a cell's
    intensity is capped at the ``max`` option rather than scaled to the largest)."""

    default_js = [("leaflet-heat.js", asset_url("leaflet.heat/leaflet-heat.js"))]


class HeatScale(JSCSSMixin, MacroElement):
    """Sets its parent heat layer's full heat at each zoom to the sum in the densest cell there
    (``maxima``, by zoom from 0), so that the map shows where the corpus is densest at every zoom."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        DatelineCorpus.scaleHeat({{ this._parent._parent.get_name() }}, {{ this._parent.get_name() }},
                                 {{ this.maxima_json }});
        {% endmacro %}""")
    default_js = [("dateline_corpus_js", asset_url("dateline/corpus.js"))]

    def __init__(self, maxima: list[float]) -> None:
        super().__init__()
        self.maxima_json = script_json(maxima)


class CorpusPlaces(JSCSSMixin, MacroElement):
    """The places as one JSON array, made into circle markers on the parent cluster group by
    geo/render/web/corpus.js (see there for the array's shape)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        DatelineCorpus.addPlaces({{ this._parent.get_name() }}, {{ this.corpus_json }});
        {% endmacro %}""")
    default_js = [("dateline_corpus_js", asset_url("dateline/corpus.js"))]

    def __init__(self, corpus: dict[str, Any]) -> None:
        super().__init__()
        self.corpus_json = script_json(corpus)


# -- the map ----------------------------------------------------------------------------------


def corpus_map(places: pd.DataFrame, documents: pd.DataFrame | None = None, *, title: str = TITLE) -> folium.Map:
    """The corpus map of a batch run's ``places`` table (and its ``documents`` table, for titles,
    links and errors): see the module docstring. With no place, the world and a legend that says so."""
    table = corpus_places(places, documents)
    documents = _document_table(places, documents)
    view = MapView.around(list(zip(table["lat"], table["lon"])))
    lons = [view.lon(lon) for lon in table["lon"]]
    fmap = base_map()
    fmap.options["max_zoom"] = TILES["maxZoom"]  # marker clusters need the map's (tiles give one only when on)
    cluster = ShippedMarkerCluster(name=f"Places ({len(table):,}, clustered)", max_cluster_radius=60)
    CorpusPlaces(_corpus_data(table, lons, documents)).add_to(cluster)
    cluster.add_to(fmap)
    most = max(table["mentions"], default=0)
    points = [
        [lat, lon, _heat_weight(mentions, most)] for lat, lon, mentions in zip(table["lat"], lons, table["mentions"])
    ]
    heat = ShippedHeatMap(points, name="Heat (mentions)", **HEAT)
    HeatScale(_heat_maxima(points)).add_to(heat)
    heat.add_to(fmap)
    shown = {
        "credits": [GEONAMES_CREDIT, *source_credits(table["id"]), BASEMAP_CREDIT],
        "legend": _legend_html(table, documents, title),
        "events": [],
        "styles": [],
        "fit": view.fit(),
    }
    corpus_view = folium.FeatureGroup(name="Dateline corpus", control=False, show=True)
    StoryView(shown, [cluster, heat], {}).add_to(corpus_view)
    corpus_view.add_to(fmap)
    return fmap


def corpus_html(places: pd.DataFrame, documents: pd.DataFrame | None = None, *, title: str = TITLE) -> str:
    """The corpus map as one HTML file that opens and draws offline: every asset inlined, none linked."""
    return page_html(corpus_map(places, documents, title=title), title)


def _heat_weight(mentions: int, most: int) -> float:
    """A place's weight in the heat layer: 1 for the most mentioned, on a log scale (a country named
    10,000 times leaves a town named once visible)."""
    return round(math.log1p(mentions) / math.log1p(most), 3) if most > 0 else 0.0


def _heat_maxima(points: list[list[float]]) -> list[float]:
    """The largest sum of weights in one of leaflet.heat's cells, at each zoom from 0 to the map's
    largest (cells placed as at zoom 0; the page's are shifted by its panning: near enough)."""
    if not points:
        return []
    lat, lon, weight = np.array(points, dtype=float).T
    # Web Mercator, in pixels of the world at zoom 0 (256 a side)
    x = (lon + 180.0) / 360.0 * 256.0
    y = (1.0 - np.arcsinh(np.tan(np.radians(np.clip(lat, -85.05, 85.05)))) / np.pi) / 2.0 * 256.0
    maxima = []
    for zoom in range(TILES["maxZoom"] + 1):
        cell = HEAT["radius"] / 2 / 2**zoom
        _, cells = np.unique(np.stack([np.floor(x / cell), np.floor(y / cell)]), axis=1, return_inverse=True)
        maxima.append(round(float(np.bincount(cells.ravel(), weights=weight).max()), 3) or 1.0)
    return maxima


# -- one row per place ------------------------------------------------------------------------


def corpus_places(places: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per place id, the most named first: ``id``, ``name``, ``label`` (the most common
    word for it) and ``labels`` (all, most documents first), ``lat``, ``lon``, ``country``, ``kind``
    (one of the contract's), ``population``, ``confidence`` (the mean), ``documents`` and
    ``mentions`` (counts), ``top_documents`` (up to MAX_DOCUMENTS ``(doc_id, mentions)``, most
    mentions first, then the corpus' order) and ``sentence`` with ``sentence_label`` (the first
    sentence of the first of them, and the word it uses). Rows without coordinates (or with
    impossible ones) are left out."""
    rows = _place_rows(places, documents)
    if rows.empty:
        return pd.DataFrame(
            columns=[
                "id",
                "name",
                "label",
                "labels",
                "lat",
                "lon",
                "country",
                "kind",
                "population",
                "confidence",
                "documents",
                "mentions",
                "top_documents",
                "sentence",
                "sentence_label",
            ]
        )
    table = rows.groupby("id", sort=False).agg(
        name=("name", "first"),
        lat=("lat", "first"),
        lon=("lon", "first"),
        country=("country", "first"),
        kind=("kind", "first"),
        population=("population", "max"),
        confidence=("confidence", "mean"),
        documents=("doc_id", "nunique"),
        mentions=("mentions", "sum"),
    )
    forms = rows.groupby(["id", "label"], sort=False).agg(documents=("doc_id", "nunique"), mentions=("mentions", "sum"))
    forms = forms.reset_index().sort_values(["documents", "mentions", "label"], ascending=[False, False, True])
    table["labels"] = forms.groupby("id", sort=False)["label"].agg(list)
    table["label"] = table["labels"].map(lambda labels: labels[0])
    ranked = (
        rows.sort_values(["mentions", "position"], ascending=[False, True], kind="stable")
        .drop_duplicates(["id", "doc_id"])
        .groupby("id", sort=False)
        .head(MAX_DOCUMENTS)
    )
    tops = ranked.groupby("id", sort=False)
    table["top_documents"] = tops["doc_id"].agg(list).combine(tops["mentions"].agg(list), lambda d, m: list(zip(d, m)))
    first = tops.head(1).set_index("id")
    table["sentence"] = first["sentences"].map(_first_sentence)
    table["sentence_label"] = first["label"]
    table["kind"] = table["kind"].map(kind_of)
    table = table.reset_index().sort_values(["documents", "mentions", "id"], ascending=[False, False, True])
    return table.reset_index(drop=True)


def _place_rows(places: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """The rows that can go on a map, with every cell of a usable type, and each document's
    position in the corpus (from ``documents``, else the order of the rows)."""
    if places.empty:
        return pd.DataFrame(columns=[*PLACE_COLUMNS, "position"])
    missing = [column for column in PLACE_COLUMNS if column not in places.columns]
    if missing:
        raise ValueError(f"the places table has no column {', '.join(missing)}")
    rows = places.loc[:, list(PLACE_COLUMNS)]
    rows = rows[
        rows["lat"].between(-90, 90) & rows["lon"].between(-540, 540) & rows["id"].notna() & rows["doc_id"].notna()
    ].copy()
    rows["id"] = rows["id"].astype(str)
    rows["doc_id"] = rows["doc_id"].astype(str)
    rows["name"], rows["country"] = rows["name"].map(_text), rows["country"].map(_text)
    rows["label"] = [
        _text(label) or name or place_id for label, name, place_id in zip(rows["label"], rows["name"], rows["id"])
    ]
    rows["lat"], rows["lon"] = rows["lat"].astype(float), rows["lon"].astype(float)
    rows["mentions"] = pd.to_numeric(rows["mentions"], errors="coerce").fillna(1).clip(lower=0).astype(int)
    rows["confidence"] = pd.to_numeric(rows["confidence"], errors="coerce").clip(0.0, 1.0)
    rows["population"] = pd.to_numeric(rows["population"], errors="coerce").fillna(0).astype(int)
    order = _document_table(places, documents)["position"]
    rows["position"] = rows["doc_id"].map(order).fillna(len(order)).astype(int)
    return rows


def _document_table(places: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """The documents by ``doc_id``: ``title``, ``url``, ``published``, ``status``, ``error`` (text,
    "" when missing) and ``position`` (their order). Without a ``documents`` table, those that
    ``places`` names, in its order."""
    if documents is None:
        ids = pd.unique(places["doc_id"].dropna().astype(str)) if "doc_id" in places.columns else []
        documents = pd.DataFrame({"doc_id": ids, "position": range(len(ids)), "status": "ok"})
    table = pd.DataFrame({"doc_id": documents["doc_id"].astype(str)})
    for column in ("title", "url", "published", "status", "error"):
        table[column] = documents[column].map(_text) if column in documents.columns else ""
    table["status"] = table["status"].replace("", "ok")
    position = documents["position"] if "position" in documents.columns else pd.Series(range(len(documents)))
    table["position"] = pd.to_numeric(position, errors="coerce").fillna(len(documents)).astype(int).to_numpy()
    return table.drop_duplicates("doc_id").set_index("doc_id")


def _first_sentence(sentences: Any) -> str:
    """The first sentence of a cell that holds a list of them (a list, or an array read from Parquet)."""
    if sentences is None or isinstance(sentences, (str, float)) or not len(sentences):
        return ""
    return _text(sentences[0])


def _text(value: Any) -> str:
    """A table cell as text: "" for a missing one (None, NaN, pandas' NA)."""
    return "" if value is None or pd.isna(value) else str(value)


# -- what the page gets -----------------------------------------------------------------------


def _corpus_data(table: pd.DataFrame, lons: list[float], documents: pd.DataFrame) -> dict[str, Any]:
    """The places as geo/render/web/corpus.js reads them: a style per kind, the listed documents as HTML,
    and a row per place (see corpus.js)."""
    styles = [
        {**marker_style(kind, 1.0), "pane": PLACES_PANE, "className": "dateline-corpus-place"} for kind in PLACE_KINDS
    ]
    known = documents.to_dict("index")
    listed: dict[str, int] = {}
    rows = []
    for place, lon in zip(table.itertuples(index=False), lons):
        shown = [[listed.setdefault(doc_id, len(listed)), int(mentions)] for doc_id, mentions in place.top_documents]
        rows.append(
            [
                round(place.lat, 5),
                round(lon, 5),
                PLACE_KINDS.index(place.kind),
                _radius(place.documents),
                marker_style(place.kind, _or(place.confidence, 0.5))["fillOpacity"],
                f"{escape_html(place.label)}{DOT}{_count(place.documents, 'document')}",
                _popup_head(place),
                shown,
                _popup_tail(place),
            ]
        )
    return {
        "styles": styles,
        "places": rows,
        "documents": [_document_html(doc_id, known.get(doc_id, {})) for doc_id in listed],
    }


def _radius(documents: int) -> float:
    first, step, most = RADIUS
    return round(min(most, first + step * math.sqrt(documents)), 1)


def _popup_head(place: Any) -> str:
    """A place's popup up to its list of documents, as escaped HTML (geo/render/web/corpus.js adds the list)."""
    facts = [escape_html(place.name), escape_html(place.country or ""), place.kind]
    if not math.isnan(place.confidence):
        facts.append(f"mean confidence {place.confidence:.0%}")
    if place.population:
        facts.append(f"population {place.population:,}")
    parts = popup_head(place.label, facts, place.id, place.lat, place.lon)
    parts.append(f"<h4>In {_count(place.documents, 'document')}, named {_count(place.mentions, 'time')}</h4>")
    if len(place.labels) > 1:
        forms = ", ".join(escape_html(label) for label in place.labels[:MAX_LABELS])
        more = f" and {len(place.labels) - MAX_LABELS:,} more" if len(place.labels) > MAX_LABELS else ""
        parts.append(f'<p class="dateline-meta">Written as {forms}{more}</p>')
    if place.sentence:
        sentence = place.sentence if len(place.sentence) <= MAX_SENTENCE else place.sentence[:MAX_SENTENCE] + "\u2026"
        parts.append(f'<p class="dateline-sentence">{marked_sentence(sentence, [place.sentence_label])}</p>')
    return "".join(parts)


def _popup_tail(place: Any) -> str:
    more = place.documents - len(place.top_documents)
    return (f"<p>\u2026 and {_count(more, 'more document')}</p>" if more > 0 else "") + "</div>"


def _document_html(doc_id: str, info: dict[str, Any]) -> str:
    """A document in a popup's list, as escaped HTML: its title (or id), linked if its URL is http(s),
    and its date. ``info`` is its row of :func:`_document_table` ({} for a document it lacks)."""
    title = escape_html(info.get("title") or doc_id)
    url = info.get("url", "")
    if url.lower().startswith(("https://", "http://")):
        title = f'<a href="{escape_html(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
    published = info.get("published", "")[:10]
    return title + (f' <span class="dateline-meta">{escape_html(published)}</span>' if published else "")


def _legend_html(table: pd.DataFrame, documents: pd.DataFrame, title: str) -> str:
    """The legend as escaped HTML: the corpus' counts, the kinds of place, how to read the markers,
    and the documents that failed. ``table`` is :func:`corpus_places`'s, ``documents``
    :func:`_document_table`'s."""
    failed = documents[documents["status"] != "ok"]
    counts = [
        _count(len(documents), "document"),
        f"{len(failed):,} with errors",
        _count(len(table), "distinct place"),
        _count(int(table["mentions"].sum()), "mention"),
    ]
    parts = [f"<h4>{escape_html(title)}</h4>", f"<p>{DOT.join(counts)}</p>"]
    if table.empty:
        parts.append("<p><strong>Dateline found no place in these documents.</strong></p>")
    else:
        parts.append(kinds_legend(f"Places ({len(table):,})", Counter(table["kind"])))
        parts.append(
            '<p class="dateline-meta">A circle\'s size: the documents that name the place; its fill: their '
            "mean confidence (solid: sure, faint: unsure); a dashed ring: the centre of an area. A cluster's "
            "number counts its places: click it to zoom in. Heat: mentions, on a log scale.</p>"
        )
    if len(failed):
        parts.append(
            legend_list(
                f"Documents with errors ({len(failed):,})",
                (
                    ("", f"{escape_html(row.title or doc_id)}: {escape_html(row.error or row.status)}")
                    for doc_id, row in failed.head(MAX_ERRORS).iterrows()
                ),
            )
        )
        if len(failed) > MAX_ERRORS:
            parts.append(f'<p class="dateline-meta">\u2026 and {len(failed) - MAX_ERRORS:,} more</p>')
    return "".join(parts)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _or(value: float, default: float) -> float:
    return default if math.isnan(value) else value
