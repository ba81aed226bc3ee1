"""Word classes: common words, names, closed-class words, as HanTa's lexicon and wordfreq tell them."""

from __future__ import annotations

import pytest

from geo.lang.registry import language as settings
from geo.lang.registry import languages
from geo.places.wordclasses import is_common_word

TAGGED = [code for code in languages() if settings(code).tagger_model]  # every language with a HanTa model


def test_common_words_come_from_the_lexicon_and_the_rule_file():
    assert is_common_word("Zug", "de") and is_common_word("Lage", "de")
    assert not is_common_word("Berlin", "de")
    assert is_common_word("Essen", "de")  # listed in data/de/toponyms.txt [common_words]
    assert is_common_word("Nice", "en") and not is_common_word("Texas", "en")


@pytest.mark.parametrize("language", TAGGED)
def test_closed_class_words_are_ruled_out_only_where_hantas_analysis_rules_them_out(language):
    """is_closed_class skips HanTa's analysis for words its model cannot tag closed-class; on the
    samples' words, on words of HanTa's lexicon (lower-case and capitalised) and on its morphemes
    the answer must be the analysis's own."""
    import random

    from geo.lang.registry import DATA_DIR
    from geo.places.candidates import TOKEN
    from geo.places.wordclasses import _analysis, _closed_class_paths, _tagger, is_closed_class

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
        assert is_closed_class(word, language) == tag.startswith(settings(language).closed_class_tags), word


@pytest.mark.parametrize("language", TAGGED)
def test_a_lexicon_word_listed_without_the_proper_noun_tag_is_tagged_as_a_word(language):
    """_tagged_as_word skips HanTa's analysis for such words (_listed_as_word): on a sample of them,
    lower-case and capitalised, the analysis must agree (a tag, and not the proper-noun tag)."""
    import random

    from geo.places.wordclasses import _analysis, _listed_as_word, _tagger

    tagger = _tagger(language)
    proper_tag = settings(language).proper_noun_tag
    proper = tagger.tag2int[proper_tag]
    listed = sorted(key for key, tags in tagger.cache.items() if key and all(tag != proper for tag, _lp in tags))
    for key in random.Random(8).sample(listed, 2000):
        for word in {key, key[:1].upper() + key[1:]}:
            if _listed_as_word(word, language):
                assert _analysis(word, language)[1] not in (None, proper_tag), word


def test_the_taggers_reachable_states_are_hantas_own():
    """The faster set-up step gives HanTa's own sets, for every model a language names."""
    from HanTa import HanoverTagger

    from geo.places.wordclasses import _tagger_class

    models = {settings(code).tagger_model for code in languages()} - {None, ""}
    assert models
    for model in models:
        assert _tagger_class()(model).reachability == HanoverTagger.HanoverTagger(model).reachability
