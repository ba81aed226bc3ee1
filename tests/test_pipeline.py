"""analyse(): the stages and the Story they build."""

from __future__ import annotations

import pytest

from geo.document import DocumentError
from geo.pipeline import INPUTS, STAGES, Options, analyse, analyse_html


def test_no_stage_reads_what_no_earlier_stage_set():
    available = set(INPUTS)
    for stage in STAGES:
        missing = set(stage.reads) - available
        assert not missing, f"stage {stage.name} reads {missing} before any stage sets it"
        available |= set(stage.adds)


def test_stages_add_exactly_what_they_declare(small_gazetteer):
    from geo.document import document_from_text

    analysis = {"document": document_from_text("Die Gäste reisten nach Moskau.", language="de"),
                "gazetteer": small_gazetteer, "router": None}
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
