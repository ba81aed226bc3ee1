"""analyse(): the stages and the Story they build."""

from __future__ import annotations

import pytest

from geo.read.document import DocumentError
from geo.pipeline import INPUTS, STAGES, Options, analyse, analyse_html


def test_no_stage_reads_what_no_earlier_stage_set():
    available = set(INPUTS)
    for stage in STAGES:
        missing = set(stage.reads) - available
        assert not missing, f"stage {stage.name} reads {missing} before any stage sets it"
        available |= set(stage.adds)


def test_stages_add_exactly_what_they_declare(small_gazetteer):
    from geo.read.document import document_from_text

    analysis = {"document": document_from_text("Die Gäste reisten nach Moskau.", language="de"),
                "gazetteer": small_gazetteer, "router": None, "geocoder": None}
    assert set(analysis) == set(INPUTS)
    for stage in STAGES:
        added = stage.run(analysis)
        assert set(added) == set(stage.adds)
        analysis.update(added)


def test_analyse_builds_a_story(small_gazetteer):
    story = analyse("Der Sonderzug fuhr von Pjöngjang nach Wladiwostok.",
                    Options(language="auto", published="2023-09-12"), story_id="t", gazetteer=small_gazetteer)
    assert story.id == "t" and story.document.language == "de"
    assert story.document.published == "2023-09-12" and story.document.published_source == "option"
    assert [p.name for p in story.places] == ["Pyongyang", "Vladivostok"]
    assert story.places[0].sentences == ("Der Sonderzug fuhr von Pjöngjang nach Wladiwostok.",)
    assert story.events == () and story.claims == ()
    assert [(leg.mode, round(leg.km, 1)) for leg in story.legs] == [("rail", 684.5)]


def test_analyse_reports_a_missing_publication_date(small_gazetteer):
    story = analyse("They met in Paris and talked for hours.", gazetteer=small_gazetteer)
    assert story.document.published is None and story.document.published_source == "none"


def test_analyse_html_reads_the_body_and_escapes_nothing_into_places(small_gazetteer):
    html = ("<html><head><title>Visit</title><script>var x = 'Moskau';</script></head>"
            "<body><article><p>Die Delegation reiste nach Berlin und dann weiter nach Essen, "
            "wo sie am Abend ankam.</p></article></body></html>")
    story = analyse_html(html, Options(language="de"), gazetteer=small_gazetteer)
    assert [p.name for p in story.places] == ["Berlin", "Essen"]


def test_empty_text_is_a_clear_error(small_gazetteer):
    with pytest.raises(DocumentError, match="empty"):
        analyse("   \n ", gazetteer=small_gazetteer)


def test_unresolvable_names_do_not_empty_the_result(small_gazetteer):
    story = analyse("Aus Hamletta kamen Bauern nach Berlin.", Options(language="de"), gazetteer=small_gazetteer)
    assert [p.name for p in story.places] == ["Berlin"]


def test_legs_and_claims_follow_a_corrected_place(small_gazetteer):
    from dataclasses import replace

    from geo.read.document import document_from_text
    from geo.pipeline import with_places

    text = "Der Sonderzug fuhr von Pjöngjang nach Wladiwostok. Bis Moskau sind es von dort rund 6400 Kilometer."
    document = document_from_text(text, language="de", published="2023-09-12")
    story = analyse(document, gazetteer=small_gazetteer)
    assert [c.verdict for c in story.claims] == ["consistent"]
    # The user moves Moscow to Vladimir (200 km east): legs and claims follow, nothing is re-read.
    moved = tuple(replace(p, lat=56.13655, lon=40.39658) if p.name == "Moscow" else p for p in story.places)
    again = with_places(story, document, moved)
    assert again.places == moved and again.legs == story.legs
    assert again.claims[0].computed_km < story.claims[0].computed_km
    assert with_places(story, document, story.places) == story


def test_a_router_that_fails_falls_back_with_a_warning(small_gazetteer):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    story = analyse("Die Delegation fuhr mit dem Auto von Pjöngjang nach Wladiwostok.",
                    Options(language="de", router=f"http://127.0.0.1:{port}"), gazetteer=small_gazetteer)
    assert [leg.mode for leg in story.legs] == ["road"] and story.legs[0].route is None
    assert story.legs[0].path and any("router" in warning for warning in story.warnings)


def test_warm_up_reads_every_rule_language_and_loads_every_network_and_model(small_gazetteer):
    from geo.read.document import _identifier
    from geo.lang.rulefiles import DATA_DIR
    from geo.pipeline import WARM_UP_TEXTS, warm_up
    from geo.journeys.networks import load_offline_networks

    assert set(WARM_UP_TEXTS) == {folder.name for folder in DATA_DIR.iterdir() if (folder / "timex.txt").is_file()}
    assert warm_up(small_gazetteer) > 0
    assert load_offline_networks() == {"sea": True, "rail": True}
    assert _identifier.cache_info().currsize == 1  # the language identifier's model is loaded too
