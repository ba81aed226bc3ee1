"""The corpus map as text: its counts per place, its escaping, its credits, that it links nothing
remote, an empty corpus, and its size and speed for a large batch run."""

from __future__ import annotations

import json
import re
import time

import pandas as pd
import pytest

from geo.render.corpusmap import corpus_html, corpus_map, corpus_places
from tests.browser import offline_page, screenshot
from tests.corpora import (
    ANADYR,
    BERLIN,
    HOSTILE,
    NOME,
    document_row,
    place_row,
    small_corpus,
    synthetic_corpus,
    world_corpus,
)
from tests.render.test_storymap import assert_links_nothing_remote, assert_only_escaped, shown


def corpus_data(page: str) -> dict:
    """What the page hands to geo/render/web/corpus.js: styles, documents and a row per place."""
    return json.loads(re.search(r"DatelineCorpus\.addPlaces\([^,]+, (\{.*\})\);\n", page).group(1))


def place_rows(page: str) -> dict[str, list]:
    """The page's rows by the place's tooltip (its most common label and its count of documents)."""
    return {row[5]: row for row in corpus_data(page)["places"]}


def test_rows_are_folded_into_one_per_place():
    table = corpus_places(*small_corpus()).set_index("id")
    berlin = table.loc[BERLIN[0]]
    assert (berlin.documents, berlin.mentions) == (3, 4)
    assert berlin.label == "Berlin" and berlin.labels == ["Berlin", f"Berlin {HOSTILE}"]  # most documents first
    assert berlin.confidence == pytest.approx((0.9 + 0.7 + 0.8) / 3)
    assert berlin.top_documents == [("d1", 2), ("d2", 1), ("d3", 1)]  # most mentions, then the corpus' order
    assert berlin.sentence == "Trains from Berlin to Wien ran late." and berlin.sentence_label == "Berlin"
    assert table.loc["geonames:2761369", "label"] == "Wien"
    assert list(table.index[:2]) == [BERLIN[0], "geonames:2921044"]  # most documents, then most mentions
    assert len(table) == 5 and table["documents"].sum() == 7


def test_the_page_links_nothing_remote_and_credits_its_sources():
    page = corpus_html(*small_corpus())
    assert_links_nothing_remote(page)
    assert "L.MarkerClusterGroup" in page and "L.heatLayer" in page and "DatelineCorpus" in page  # inlined
    assert ".marker-cluster-small" in page  # the cluster styles too
    credits = shown(corpus_map(*small_corpus()))["credits"]
    assert "GeoNames" in credits[0] and "creativecommons.org/licenses/by/4.0" in credits[0]
    assert "Natural Earth" in credits[1]


def test_places_from_sources_of_their_own_are_credited_too():
    """A German district (Destatis) or municipality (OpenStreetMap) on the corpus map is credited
    as on a Story's map."""
    from geo.render.style import DESTATIS_DISTRICTS_CREDIT, OSM_MUNICIPALITIES_CREDIT

    places, documents = small_corpus()
    district = places.iloc[:1].assign(id="dateline:de-kreis-05382", name="Rhein-Sieg-Kreis", label="Rhein-Sieg-Kreis")
    credits = shown(corpus_map(pd.concat([places, district], ignore_index=True), documents))["credits"]
    assert DESTATIS_DISTRICTS_CREDIT in credits and OSM_MUNICIPALITIES_CREDIT not in credits
    assert credits.index(DESTATIS_DISTRICTS_CREDIT) < credits.index(next(c for c in credits if "Natural Earth" in c))


def test_counts_reach_the_popups_tooltips_and_legend():
    places, documents = small_corpus()
    page = corpus_html(places, documents)
    berlin = place_rows(page)["Berlin \u00b7 3 documents"]
    assert "<h3>Berlin</h3>" in berlin[6] and "In 3 documents, named 4 times" in berlin[6]
    assert "mean confidence 80%" in berlin[6] and 'href="https://www.geonames.org/2950159"' in berlin[6]
    assert "<mark>Berlin</mark>" in berlin[6]
    listed = corpus_data(page)["documents"]
    assert [(listed[index], mentions) for index, mentions in berlin[7]][:2] == [
        (
            (
                '<a href="https://news.example.org/rail" target="_blank" rel="noopener noreferrer">Rail strike</a> '
                '<span class="dateline-meta">2024-05-03</span>'
            ),
            2,
        ),
        ('d2 <span class="dateline-meta">2024-05-03</span>', 1),
    ]  # no title: its id
    legend = shown(corpus_map(places, documents))["legend"]
    assert "5 documents \u00b7 1 with errors \u00b7 5 distinct places \u00b7 10 mentions" in legend
    assert "city (3)" in legend and "region (1)" in legend and "Documents with errors (1)" in legend


def test_hostile_text_reaches_the_page_only_escaped():
    page = corpus_html(*small_corpus(), title=HOSTILE)
    assert_only_escaped(page)
    assert "jinjaran" not in page and page.count("KEPT-UNLESS-RUN") >= 5 and page.count("COMMENT-KEPT") >= 5
    assert "javascript:" not in page  # the hostile document's URL is not linked, nor shown
    hostile = next(row for row in corpus_data(page)["places"] if "KEPT-UNLESS-RUN" in row[5])
    assert all("<script" not in part and "&lt;script&gt;" in part for part in (hostile[5], hostile[6]))
    legend = shown(corpus_map(*small_corpus()))["legend"]
    assert "<script" not in legend and "could not fetch &lt;/script&gt;" in legend


def test_the_plugins_can_be_served_instead_of_inlined(tmp_path):
    """As the dashboard serves a map's assets: every placeholder becomes a file publish() copied."""
    from geo.render.assets import publish
    from geo.render.storymap import with_served_assets

    page = with_served_assets(corpus_map(*small_corpus()), "/assets/").get_root().render()
    assert "dateline-asset:" not in page
    linked = re.findall(r'(?:src|href)="/assets/([^"]+)"', page)
    assert {
        "leaflet.markercluster/leaflet.markercluster.js",
        "leaflet.markercluster/MarkerCluster.Default.css",
        "leaflet.heat/leaflet-heat.js",
        "dateline/corpus.js",
    } <= set(linked)
    published = publish(tmp_path)
    assert all((published / name).is_file() for name in linked)


def test_a_corpus_without_places_shows_the_world_and_says_so():
    _, documents = small_corpus()
    for places in (pd.DataFrame(), pd.DataFrame(columns=small_corpus()[0].columns)):
        fmap = corpus_map(places, documents)
        assert shown(fmap)["fit"] is None
        assert "Dateline found no place in these documents" in shown(fmap)["legend"]
        assert "5 documents \u00b7 1 with errors \u00b7 0 distinct places" in shown(fmap)["legend"]
        page = corpus_html(places, documents)
        assert corpus_data(page)["places"] == [] and "GeoNames" in page


def test_without_a_documents_table_documents_are_counted_and_listed_by_id():
    places, _ = small_corpus()
    page = corpus_html(places)
    assert "4 documents \u00b7 0 with errors" in shown(corpus_map(places))["legend"]
    assert corpus_data(page)["documents"][0] == "d1"


def test_a_corpus_read_back_from_parquet_is_folded_alike(tmp_path):
    """pyarrow hands list columns back as arrays and missing text as None or NaN."""
    places, documents = small_corpus()
    places.to_parquet(tmp_path / "places.parquet")
    documents.to_parquet(tmp_path / "documents.parquet")
    read = pd.read_parquet(tmp_path / "places.parquet"), pd.read_parquet(tmp_path / "documents.parquet")
    assert not isinstance(read[0]["sentences"][0], list)
    columns = ["id", "label", "documents", "mentions", "top_documents", "sentence"]
    pd.testing.assert_frame_equal(corpus_places(*read)[columns], corpus_places(places, documents)[columns])
    assert corpus_html(*read) and corpus_data(corpus_html(*read))["documents"][1].startswith("d2 ")


def test_places_across_the_antimeridian_sit_side_by_side():
    places = pd.DataFrame([place_row("a", 0, ANADYR), place_row("a", 1, NOME)])
    bounds = shown(corpus_map(places, pd.DataFrame([document_row("a", 0)])))["fit"]["bounds"]
    assert bounds[1][1] - bounds[0][1] < 40  # Chukotka to Alaska, not round the world


def test_values_outside_the_contract_become_no_class_or_style():
    odd = {**place_row("a", 0, BERLIN), "kind": "leaflet-zoom-hide", "confidence": None, "mentions": None}
    data = corpus_data(corpus_html(pd.DataFrame([odd])))
    assert "leaflet-zoom-hide" not in json.dumps(data)  # a city, in its style and its popup
    assert data["styles"][data["places"][0][2]]["color"] == "#0072B2"
    assert "1 document, named 1 time<" in data["places"][0][6] and "confidence" not in data["places"][0][6]


def test_a_places_table_without_its_columns_is_refused():
    with pytest.raises(ValueError, match="lat"):
        corpus_html(pd.DataFrame([{"doc_id": "a", "id": "geonames:1"}]))


def test_a_large_corpus_is_quick_and_small():
    """10,000 documents naming 5,000 places: about 50,000 rows."""
    places, documents = synthetic_corpus()
    assert places["id"].nunique() > 4_500 and len(places) > 45_000
    start = time.perf_counter()
    page = corpus_html(places, documents)
    took = time.perf_counter() - start
    assert took < 15, took  # about 2 s here
    assert len(page.encode("utf-8")) < 10_000_000  # about 7 MB
    assert len(corpus_data(page)["places"]) == places["id"].nunique()


# -- in a real browser, with the network blocked ------------------------------------------------

MAP = "window[Object.keys(window).find((name) => name.startsWith('map_'))]"  # the Leaflet map, in the page


def open_corpus_map(session, page_file) -> None:
    session.page.goto(page_file.as_uri())
    session.page.wait_for_selector(".marker-cluster")


def cluster_counts(page) -> list[int]:
    return [int(text) for text in page.locator(".marker-cluster span").all_inner_texts()]


def open_popup_of(page, tooltip: str) -> str:
    """Click the clusters that hold the marker whose tooltip has ``tooltip`` (as HTML), as a
    reader would, until they zoom in or spiderfy down to it; click it, and return its popup's text."""
    assert page.evaluate(
        """(tooltip) => {
        window.__places = window[Object.keys(window).find((name) => name.startsWith("marker_cluster_"))];
        window.__target = window.__places.getLayers().find((m) => m.getTooltip().getContent().includes(tooltip));
        return Boolean(window.__target); }""",
        tooltip,
    )
    for _ in range(30):
        shown = page.evaluate("""() => {
            document.querySelectorAll("[data-test]").forEach((node) => { delete node.dataset.test; });
            const marker = window.__target;
            window.__clicked = marker._map ? marker : window.__places.getVisibleParent(marker);
            (marker._map ? marker.getElement() : window.__clicked._icon).dataset.test = "next";
            return Boolean(marker._map); }""")
        if shown:
            break
        # a cluster (perhaps under a neighbour's icon): it zooms in, or spiderfies at the last zoom
        page.locator("[data-test=next]").dispatch_event("click")
        page.wait_for_function("""() => !window.__places._inZoomAnimation && !window.__places._map._animatingZoom &&
            (window.__target._map || window.__places.getVisibleParent(window.__target) !== window.__clicked)""")
    page.locator("path.dateline-corpus-place[data-test=next]").dispatch_event("click")
    page.wait_for_function("document.querySelectorAll('.leaflet-popup-content').length === 1")
    return page.locator(".leaflet-popup-content").inner_text()


@pytest.mark.browser
def test_the_corpus_map_draws_offline(tmp_path):
    places, documents = world_corpus()
    table = corpus_places(places, documents)
    page_file = tmp_path / "corpus.html"
    page_file.write_text(corpus_html(places, documents), encoding="utf-8")
    with offline_page(tmp_path / "profile") as session:
        page = session.page
        open_corpus_map(session, page_file)
        counts = cluster_counts(page)
        single = page.locator("path.dateline-corpus-place").count()
        assert max(counts) >= 5 and sum(counts) + single == len(table)  # every place, clustered or not
        assert page.locator("canvas.leaflet-heatmap-layer").count() == 1
        assert page.locator(".leaflet-dateline-basemap-pane canvas").count() == 1
        credit = page.locator(".leaflet-control-attribution").inner_text()
        assert "GeoNames" in credit and "CC BY 4.0" in credit and "Natural Earth" in credit
        legend = page.locator(".dateline-legend").inner_text()
        assert f"{len(documents)} documents \u00b7 7 with errors \u00b7 {len(table)} distinct places" in legend
        screenshot(session, "corpus-map.png")
        zoom = page.evaluate(f"() => {MAP}.getZoom()")
        page.locator(".marker-cluster").nth(counts.index(max(counts))).click()  # zooms in on its places
        page.wait_for_function(f"() => {MAP}.getZoom() > {zoom}")
        assert len(cluster_counts(page)) + page.locator("path.dateline-corpus-place").count() > 1
        berlin = table.set_index("id").loc[BERLIN[0]]
        popup = open_popup_of(page, "Berlin \u00b7")
        assert f"In {berlin.documents} documents, named {berlin.mentions:,} times" in popup
        assert "News item" in popup and "GeoNames" in popup
        page.locator(".leaflet-control-layers").hover()
        assert "Heat (mentions)" in page.locator(".leaflet-control-layers").inner_text()
        assert session.refused == [] and session.errors == []


@pytest.mark.browser
def test_a_hostile_corpus_runs_no_script_and_shows_its_text(tmp_path):
    page_file = tmp_path / "hostile-corpus.html"
    page_file.write_text(corpus_html(*small_corpus(), title=HOSTILE), encoding="utf-8")
    with offline_page(tmp_path / "profile") as session:
        page = session.page
        open_corpus_map(session, page_file)
        shown_text = [open_popup_of(page, "KEPT-UNLESS-RUN")]  # Land Berlin: spiderfied off Berlin
        assert page.evaluate("() => Boolean(window.__places._spiderfied)")
        shown_text.append(open_popup_of(page, "Berlin \u00b7 3 documents"))
        shown_text.append(page.locator(".dateline-legend").inner_text())
        screenshot(session, "corpus-map-hostile.png")
        assert page.evaluate("window.__xss") is None
        markup = ".leaflet-popup-content img, .dateline-panel img, .leaflet-popup-content script"
        assert page.locator(markup).count() == 0
        everything = "\n".join(shown_text)
        # Land Berlin's label, sentence and document; Berlin's other word and document; the legend's title and error
        assert everything.count(HOSTILE) == 7
        assert "In 3 documents, named 4 times" in everything
        assert session.refused == [] and session.errors == []
