"""The language registry: a language is a folder of data (``data/<lang>/`` and its ``language.toml``).

The proof is a third language added from data alone: ``tests/data/languages/nl/`` holds Dutch
settings and a few rules, no Python; the registry picks it up, and a Dutch sentence is analysed
from end to end (language detected, places, a dated event, a leg, a checked distance).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import geo
from geo.errors import LanguageDataError
from geo.journeys.claims import distance_rules
from geo.journeys.legs import travel_rules
from geo.lang import registry
from geo.lang.cldr import GENERATED_FILES
from geo.lang.registry import (
    FALLBACK_LANGUAGES,
    add_data_dir,
    index_languages,
    language,
    language_file,
    language_files,
    languages,
    remove_data_dir,
    tagger_languages,
)
from geo.places.rules import toponym_examples
from geo.timeline.grammar import grammar_for
from tests.lang.test_distance_examples import test_example as check_distance_example
from tests.lang.test_timex_examples import test_example as check_timex_example
from tests.lang.test_toponym_examples import test_example as check_toponym_example
from tests.lang.test_travel_examples import test_example as check_travel_example

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "languages"
DUTCH_NEWS = (
    "Op 3 mei 2024 reisde de delegatie met de trein van Amsterdam naar Keulen, ongeveer 230 kilometer. "
    "De minister van Financiën sprak daar met de pers."
)


@pytest.fixture
def dutch() -> Iterator[str]:
    """The fixture folder as one more root of languages, for this test only."""
    add_data_dir(FIXTURES)
    try:
        yield "nl"
    finally:
        remove_data_dir(FIXTURES)


def test_the_shipped_languages_are_folders_with_settings() -> None:
    assert languages() == ("de", "en")
    assert language("de").capitalises_nouns and not language("en").capitalises_nouns
    assert language("de").tagger_model and language("en").proper_noun_tag == "NP0"
    assert dict(language("en").month_additions) == {9: ("Sept.",)}
    assert all(language(code).warm_up for code in languages())


def test_a_third_language_from_data_alone_analyses_a_sentence(dutch: str) -> None:
    assert dutch in languages() and language(dutch).name == "Dutch"
    story = geo.analyse(DUTCH_NEWS, geo.Options(published="2024-05-10"))
    assert story.document.language == dutch  # detected from its function words
    assert [(p.name, p.label, p.country) for p in story.places] == [
        ("Amsterdam", "Amsterdam", "NL"),
        ("Köln", "Keulen", "DE"),
    ]
    assert [(e.text, e.value) for e in story.events] == [("3 mei 2024", "2024-05-03")]
    names = {place.id: place.name for place in story.places}
    assert [(names[leg.from_id], names[leg.to_id], leg.mode) for leg in story.legs] == [("Amsterdam", "Köln", "rail")]
    [claim] = story.claims
    assert (claim.text, claim.value_km, claim.verdict) == ("ongeveer 230 kilometer", 230.0, "consistent")
    assert {claim.from_id, claim.to_id} == set(names)


def test_the_third_languages_examples_pass(dutch: str, full_gazetteer) -> None:
    for example in toponym_examples(dutch):
        check_toponym_example(full_gazetteer, (dutch, example))
    for example in grammar_for(dutch).examples:
        check_timex_example((dutch, example))
    for example in travel_rules(dutch).examples:
        check_travel_example((dutch, example))
    for example in distance_rules(dutch).examples:
        check_distance_example((dutch, example))


def test_the_third_languages_generated_files_are_current(dutch: str) -> None:
    for name, generate in GENERATED_FILES.items():
        assert (FIXTURES / dutch / name).read_text(encoding="utf-8") == generate(dutch), name


def test_removing_the_folder_forgets_the_language(dutch: str) -> None:
    assert grammar_for(dutch).language == dutch
    remove_data_dir(FIXTURES)
    assert dutch not in languages()
    assert grammar_for(dutch).language == FALLBACK_LANGUAGES[0]  # the fallback's grammar again
    add_data_dir(FIXTURES)


def test_the_one_fallback_rule() -> None:
    """A language without its own file of a kind reads the fallback languages' files: all of them
    where a kind merges, the first where it is one grammar; a part-of-speech model likewise."""
    first, second = FALLBACK_LANGUAGES
    assert language_files("fr", "toponyms.txt") == (
        language(first).file("toponyms.txt"),
        language(second).file("toponyms.txt"),
    )
    assert language_files("de", "toponyms.txt") == (language("de").file("toponyms.txt"),)
    assert language_file("fr", "timex.txt") == (first, language(first).file("timex.txt"))
    assert tagger_languages("fr") == FALLBACK_LANGUAGES and tagger_languages("de") == ("de",)
    assert language("fr").tagger_model is None and language("fr").cldr_locale == "fr"


def test_an_added_folder_does_not_change_the_shared_index(dutch: str) -> None:
    assert index_languages() == FALLBACK_LANGUAGES


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('colour = "blue"\n', "unknown setting 'colour'"),
        ("capitalises_nouns = 1\n", "capitalises_nouns must be a bool"),
        ('name = "x\n', "cannot read language settings"),
        ('[month_additions]\nnine = ["Sept."]\n', "month_additions maps a month number"),
    ],
)
def test_bad_settings_name_the_file(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "zz").mkdir()
    (tmp_path / "zz" / "language.toml").write_text(content, encoding="utf-8")
    with pytest.raises(LanguageDataError, match=re.escape(message)) as caught:
        registry.read_settings(tmp_path / "zz")
    assert "language.toml" in str(caught.value)


def test_no_language_is_named_in_python_outside_the_registry() -> None:
    """Language knowledge is data: no module under geo/ but the registry compares a language with
    German or English or lists the two. (A service's own list of languages, such as Photon's, is a
    fact about the service.)"""
    pattern = re.compile(r"""(?:==|!=)\s*["'](?:de|en)["']|[(\[]\s*["'](?:de|en)["']\s*,\s*["'](?:de|en)["']\s*[)\]]""")
    offenders = [
        f"{path}:{number}"
        for path in sorted(Path(geo.__file__).parent.rglob("*.py"))
        if path.name != "registry.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
