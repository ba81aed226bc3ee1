"""analyse(): the stages and the Story they build."""

from __future__ import annotations

import pytest

from geo.errors import DocumentError
from geo.pipeline import INPUTS, STAGES, Options, analyse, analyse_html
from geo.read.sentences import QUOTE_STEP, QUOTE_WHOLE_CHARS


def test_no_stage_reads_what_no_earlier_stage_set():
    available = set(INPUTS)
    for stage in STAGES:
        missing = set(stage.reads) - available
        assert not missing, f"stage {stage.name} reads {missing} before any stage sets it"
        available |= set(stage.adds)


def test_stages_add_exactly_what_they_declare(small_gazetteer):
    from geo.read.document import document_from_text

    analysis = {
        "document": document_from_text("Die Gäste reisten nach Moskau.", language="de"),
        "gazetteer": small_gazetteer,
        "router": None,
        "user_agent": None,
        "geocoder": None,
    }
    assert set(analysis) == set(INPUTS)
    for stage in STAGES:
        added = stage.run(analysis)
        assert set(added) == set(stage.adds)
        analysis.update(added)


def test_analyse_builds_a_story(small_gazetteer):
    story = analyse(
        "Der Sonderzug fuhr von Pjöngjang nach Wladiwostok.",
        Options(language="auto", published="2023-09-12"),
        story_id="t",
        gazetteer=small_gazetteer,
    )
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
    html = (
        "<html><head><title>Visit</title><script>var x = 'Moskau';</script></head>"
        "<body><article><p>Die Delegation reiste nach Berlin und dann weiter nach Essen, "
        "wo sie am Abend ankam.</p></article></body></html>"
    )
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

    from geo.pipeline import with_places
    from geo.read.document import document_from_text

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
    story = analyse(
        "Die Delegation fuhr mit dem Auto von Pjöngjang nach Wladiwostok.",
        Options(language="de", router=f"http://127.0.0.1:{port}"),
        gazetteer=small_gazetteer,
    )
    assert [leg.mode for leg in story.legs] == ["road"] and story.legs[0].route is None
    assert story.legs[0].path and any("router" in warning for warning in story.warnings)


def test_warm_up_reads_every_rule_language_and_loads_every_network_and_model(small_gazetteer):
    from geo.journeys.networks import load_offline_networks
    from geo.lang import language, languages_with
    from geo.lang.frequencies import _bands, _list_file
    from geo.pipeline import warm_up
    from geo.read.language import _identifier

    assert all(language(code).warm_up for code in languages_with("timex.txt"))  # every rule language is warmed
    _bands.cache_clear()  # as in a new process
    assert warm_up(small_gazetteer) > 0
    assert load_offline_networks() == {"sea": True, "rail": True}
    assert _identifier.cache_info().currsize == 1  # the language identifier's model is loaded too
    loaded = _bands.cache_info().currsize
    for frequency_code, wordlist in (("de", "small"), ("en", "small"), ("en", "best")):
        _bands(_list_file(frequency_code, wordlist))  # each list the word checks ask was read already
    assert _bands.cache_info().currsize == loaded


# -- the public entry point -------------------------------------------------------------------------


def test_geo_exports_the_public_api():
    import geo
    from geo.errors import DatelineError
    from geo.model import Story

    assert geo.analyse is analyse and geo.Options is Options and geo.Story is Story
    assert geo.DatelineError is DatelineError and geo.__version__
    assert {"analyse", "Options", "Story", "DatelineError"} <= set(dir(geo))


def test_importing_geo_stays_cheap():
    """``import geo`` runs before every ``geo.*`` import, the CLI's too: it must not load the pipeline."""
    import subprocess
    import sys

    code = (
        "import sys, geo; print(sorted(m for m in ('geo.pipeline', 'geo.model', 'geopy', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_offline_pipeline_does_not_load_the_online_clients():
    """geopy brings requests, urllib3 and asyncio (0.15 s of every cold CLI call): only a service asked loads it."""
    import subprocess
    import sys

    code = "import sys, geo.pipeline; print(sorted(m for m in ('geopy', 'requests', 'asyncio') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_analyse_takes_a_string_with_options(small_gazetteer):
    import geo

    story = geo.analyse(
        "Der Sonderzug fuhr am Montag von Pjöngjang nach Wladiwostok.",
        geo.Options(language="de", published="2023-09-12"),
        story_id="s",
        gazetteer=small_gazetteer,
    )
    assert isinstance(story, geo.Story) and story.id == "s" and story.document.language == "de"
    assert [p.name for p in story.places] == ["Pyongyang", "Vladivostok"]
    assert [e.value for e in story.events] == ["2023-09-11"]


def test_analyse_takes_a_read_document_whose_language_and_date_stand(small_gazetteer):
    import geo
    from geo.read.document import document_from_html

    html = (
        "<html><head><title>Visit</title></head><body><article><p>Am Montag reiste die Delegation von Berlin "
        "nach Essen.</p></article></body></html>"
    )
    document = document_from_html(html, language="de", published="2024-01-10", source="page.html")
    story = geo.analyse(
        document, geo.Options(language="en", published="1999-01-01"), story_id="page", gazetteer=small_gazetteer
    )
    assert story.document.language == "de" and story.document.published == "2024-01-10"
    assert story.document.title == "Visit" and [p.name for p in story.places] == ["Berlin", "Essen"]
    assert story == analyse_html(
        html, Options(language="de", published="2024-01-10"), story_id="page", gazetteer=small_gazetteer
    )


def test_progress_is_told_every_stage_in_order(small_gazetteer):
    told: list[str] = []
    analyse("Die Gäste reisten nach Moskau.", Options(language="de", progress=told.append), gazetteer=small_gazetteer)
    assert told == [stage.name for stage in STAGES] == ["toponyms", "places", "timeline", "legs", "claims"]


def test_options_with_another_progress_are_equal_and_hash_alike():
    one, other = Options(language="de", progress=print), Options(language="de", progress=lambda name: None)
    assert one == other and hash(one) == hash(other) and len({one, other, Options(language="de")}) == 1
    assert Options(language="de") != Options(language="en")


def test_the_options_user_agent_reaches_the_geocoder_unless_its_settings_name_one():
    from geo.places.geocoders import GeocoderSettings

    assert Options(user_agent="desk/1.0").geocoder_settings() is None
    settings = Options(geocoder=GeocoderSettings("photon"), user_agent="desk/1.0").geocoder_settings()
    assert settings == GeocoderSettings("photon", user_agent="desk/1.0")
    own = GeocoderSettings("photon", user_agent="own/2.0")
    assert Options(geocoder=own, user_agent="desk/1.0").geocoder_settings() is own


def test_no_function_in_geo_sets_the_environment():
    """Arguments travel in Options, never through os.environ (the CLI and the dashboard only read it)."""
    import re

    from tests.conftest import REPO

    writes = re.compile(
        r"os\.environ\s*\[[^\]]*\]\s*=|os\.environ\.(setdefault|update|pop|clear)\(|os\.putenv|"
        r"os\.unsetenv|del\s+os\.environ"
    )
    sources = [*sorted((REPO / "geo").rglob("*.py")), REPO / "dashboard.py"]
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if writes.search(line)
    ]
    assert found == []


def test_a_story_of_one_endless_sentence_quotes_the_words_around_each_mention():
    """Every event, place, leg and claim quotes its sentence; of a sentence longer than
    QUOTE_WHOLE_CHARS only the stretch around the mention, or the Story would grow with the number
    of mentions times the length of the sentence (a transcript without punctuation)."""
    text = "am 3. Mai 2020 fuhr sie mit dem Zug von Berlin nach Hamburg, rund 250 Kilometer, " * 300
    story = analyse(text, Options(language="de"))
    assert story.events and story.places and story.claims and story.legs
    quotes = [event.sentence for event in story.events] + [claim.sentence for claim in story.claims]
    quotes += [leg.sentence for leg in story.legs] + [
        sentence for place in story.places for sentence in place.sentences
    ]
    assert max(len(quote) for quote in quotes) <= 3 * QUOTE_STEP + 4 < QUOTE_WHOLE_CHARS < len(text)
    assert all(event.text in event.sentence for event in story.events)
    assert all(claim.text in claim.sentence for claim in story.claims)
