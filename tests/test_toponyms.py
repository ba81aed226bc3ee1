"""Toponym recognition: candidates, context filters, rule files."""

from __future__ import annotations

import pytest

from geo.read.document import split_sentences
from geo.places.recognition import (RulesError, calendar_words, demonym_countries, find_toponyms, is_common_word,
                          read_rule_file, rules_for, tokenize)


def names(text: str, gazetteer, language: str = "de") -> list[str]:
    found = find_toponyms(text, split_sentences(text, language), language, gazetteer)
    for t in found:
        assert text[t.start:t.end] == t.text
    return [t.text for t in found]


def test_tokens_keep_abbreviation_dots_and_offsets():
    text = "Die U.S. Army in Frankfurt (Oder) und Ky. heute."
    tokens = tokenize(text)
    assert [t.text for t in tokens][:3] == ["Die", "U.S.", "Army"]
    assert "(Oder)" in [t.text for t in tokens] and "Ky." in [t.text for t in tokens]
    assert all(text[t.start:t.end] == t.text for t in tokens)


def test_zug_the_train_is_not_the_town_but_nach_zug_is(small_gazetteer):
    assert names("Der Zug fuhr langsam durch die Nacht.", small_gazetteer) == []
    assert names("Kims Zug erregte Aufmerksamkeit.", small_gazetteer) == []
    assert names("Die Delegation reiste mit dem Zug nach Zug weiter.", small_gazetteer) == ["Zug"]


def test_essen_the_food_and_essen_the_city(small_gazetteer):
    assert names("Das Essen war kalt.", small_gazetteer) == []
    assert names("Die Messe in Essen öffnet morgen.", small_gazetteer) == ["Essen"]


def test_multiword_names_win_over_their_parts(small_gazetteer):
    text = "Das Hochwasser erreichte Frankfurt (Oder) und Halle an der Saale."
    assert names(text, small_gazetteer) == ["Frankfurt (Oder)", "Halle an der Saale"]


def test_inflected_forms_keep_the_whole_word_as_span(small_gazetteer):
    found = find_toponyms("Russlands Präsident sprach mit Nordkoreas Führung.",
                          ((0, 51),), "de", small_gazetteer)
    assert [(t.text, t.key) for t in found] == [("Russlands", "russland"), ("Nordkoreas", "nordkorea")]
    assert names("Ukraine's neighbour Russia's army.", small_gazetteer, "en") == ["Russia"]


def test_person_names_are_not_places(small_gazetteer):
    assert names("Präsident Wladimir Putin empfing Gäste.", small_gazetteer) == []
    assert names("Wladimir Putin empfing Gäste in Moskau.", small_gazetteer) == ["Moskau"]
    assert names("Kim Jong-un traf Kim später wieder.", small_gazetteer) == []
    assert names("Donald Trump spoke in Paris on Monday.", small_gazetteer, "en") == ["Paris"]


def test_organisation_names_are_not_places(small_gazetteer):
    assert names("She flew Air New Zealand and read the Paris Times.", small_gazetteer, "en") == []
    assert names("Bayern München gewann in Berlin.", small_gazetteer) == ["Berlin"]


def test_organisations_match_in_any_case_and_only_as_whole_words():
    from geo.places.recognition import _organisation_spans

    text = "Im KREML, im Kremlİn und bei der Hamas; der Kremlchef nicht."
    assert [text[s:e] for s, e in _organisation_spans(text, rules_for("de"))] == ["KREML", "Kremlİn", "Hamas"]
    assert _organisation_spans("Der Kremlchef sprach.", rules_for("de")) == []


def test_case_folding_keeps_every_case_insensitive_match_of_an_organisation():
    """_organisation_spans runs its pattern only where the folded text holds a folded phrase: so
    every character the regex module takes for a phrase's character must fold as it does."""
    import regex

    from geo.lang.rulefiles import DATA_DIR
    from geo.places.recognition import case_folded

    characters = {ch for folder in DATA_DIR.iterdir() if (folder / "toponyms.txt").is_file()
                  for phrase in rules_for(folder.name).organisations for ch in phrase}
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    for ch in characters:
        variants = {m.group() for m in regex.finditer(regex.escape(ch), every, regex.IGNORECASE)}
        assert {case_folded(v) for v in variants} == {case_folded(ch)}, ch


def test_demonyms_are_evidence_not_mentions(small_gazetteer):
    text = "Der russische Minister und die nordkoreanischen Gäste."
    assert names(text, small_gazetteer) == []
    assert demonym_countries(text, "de") == {"RU": 1, "KP": 1}


def test_hyphen_compounds_name_prominent_places_only(small_gazetteer):
    assert names("Der US-Präsident und der Zug-Fahrplan.", small_gazetteer) == ["US"]


def test_abbreviations_match_only_in_capitals(small_gazetteer):
    assert names("Die USA und die U.S. Navy.", small_gazetteer) == ["USA", "U.S."]
    assert names("Let us go.", small_gazetteer, "en") == []


def test_all_caps_names_count_in_datelines_only(small_gazetteer):
    text = "PARIS, Texas — A storm hit the town.\nTHE PARIS SHOW was loud."
    found = find_toponyms(text, split_sentences(text, "en"), "en", small_gazetteer)
    assert [(t.text, t.cue, t.qualifier) for t in found] == [("PARIS", "dateline", "texas"),
                                                             ("Texas", None, None)]


def test_months_are_not_places(small_gazetteer):
    assert "march" in calendar_words("en") and "juni" in calendar_words("de")


def test_common_words_come_from_the_lexicon_and_the_rule_file():
    assert is_common_word("Zug", "de") and is_common_word("Lage", "de")
    assert not is_common_word("Berlin", "de")
    assert is_common_word("Essen", "de")  # listed in data/de/toponyms.txt [common_words]
    assert is_common_word("Nice", "en") and not is_common_word("Texas", "en")


def test_rule_files_load_and_validate(tmp_path):
    for language in ("de", "en"):
        rules = rules_for(language)
        assert rules.place_prepositions and rules.genitive_suffixes
        assert list(rules.genitive_suffixes) == sorted(rules.genitive_suffixes, key=lambda s: (-len(s), s))
    bad = tmp_path / "toponyms.txt"
    bad.write_text("[connectors]\nan der\n[nonsense]\nx\n", encoding="utf-8")
    with pytest.raises(RulesError, match="toponyms.txt:3: unknown section"):
        read_rule_file(bad)
    bad.write_text("orphan\n", encoding="utf-8")
    with pytest.raises(RulesError, match="toponyms.txt:1: entry 'orphan' before any"):
        read_rule_file(bad)


def test_unknown_language_uses_both_rule_sets():
    rules = rules_for("fr")
    assert "nach" in rules.place_prepositions and "from" in rules.place_prepositions


def test_decomposed_unicode_matches_and_keeps_its_offsets(small_gazetteer):
    text = "Die Gäste reisten nach Pjo\u0308ngjang."
    found = find_toponyms(text, ((0, len(text)),), "de", small_gazetteer)
    assert [t.text for t in found] == ["Pjo\u0308ngjang"]


def test_a_capitalised_preposition_at_sentence_start_is_no_first_name(full_gazetteer):
    # "Von"/"From" head a journey, not a person's name: the place after them stays a place.
    assert names("Von Odessa bis Istanbul sind es rund 630 Kilometer.", full_gazetteer) == ["Odessa", "Istanbul"]
    assert names("From Nome to Anchorage the plane took four hours.", full_gazetteer, "en") == ["Nome", "Anchorage"]


@pytest.mark.parametrize("language", ["de", "en"])
def test_closed_class_words_are_ruled_out_only_where_hantas_analysis_rules_them_out(language):
    """_closed_class skips HanTa's analysis for words its model cannot tag closed-class; on the
    samples' words, on words of HanTa's lexicon (lower-case and capitalised) and on its morphemes
    the answer must be the analysis's own."""
    import random

    from geo.lang.rulefiles import DATA_DIR
    from geo.places.recognition import CLOSED_CLASS_TAGS, TOKEN, _analysis, _closed_class, _closed_class_paths, _tagger

    tagger = _tagger(language)
    assert _closed_class_paths(language) is not None
    pick = random.Random(8).sample
    words = {word for path in (DATA_DIR.parent / "samples").glob("*.txt") for word in TOKEN.findall(path.read_text())}
    lexicon = sorted(tagger.cache)
    words |= set(pick(lexicon, 1500)) | {word.capitalize() for word in pick(lexicon, 1500)}
    words |= {morpheme for table in tagger.LP_m_t.values() for morpheme in pick(sorted(table), min(len(table), 20))}
    words |= {"Von", "Between", "Dass", "İstanbul", "''", "12", ""}
    for word in words:
        tag = _analysis(word.lower(), language)[1] or ""
        assert _closed_class(word, language) == tag.startswith(CLOSED_CLASS_TAGS[language]), word


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_lexicon_word_listed_without_the_proper_noun_tag_is_tagged_as_a_word(language):
    """_tagged_as_word skips HanTa's analysis for such words (_listed_as_word): on a sample of them,
    lower-case and capitalised, the analysis must agree (a tag, and not the proper-noun tag)."""
    import random

    from geo.places.recognition import PROPER_TAGS, _analysis, _listed_as_word, _tagger

    tagger = _tagger(language)
    proper = tagger.tag2int[PROPER_TAGS[language]]
    listed = sorted(key for key, tags in tagger.cache.items() if key and all(tag != proper for tag, _lp in tags))
    for key in random.Random(8).sample(listed, 2000):
        for word in {key, key[:1].upper() + key[1:]}:
            if _listed_as_word(word, language):
                assert _analysis(word, language)[1] not in (None, PROPER_TAGS[language]), word
