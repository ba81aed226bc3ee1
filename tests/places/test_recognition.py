"""Toponym recognition: look-ups and context filters."""

from __future__ import annotations

from geo.model import LITERAL, MODIFIER
from geo.places.recognition import demonym_countries, demonym_mentions, find_demonyms, find_toponyms
from geo.places.rules import rules_for
from geo.read.sentences import split_sentences


def names(text: str, gazetteer, language: str = "de") -> list[str]:
    found = find_toponyms(text, split_sentences(text, language), language, gazetteer)
    for t in found:
        assert text[t.start : t.end] == t.text
    return [t.text for t in found]


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
    found = find_toponyms("Russlands Präsident sprach mit Nordkoreas Führung.", ((0, 51),), "de", small_gazetteer)
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

    from geo.lang.registry import languages_with
    from geo.places.recognition import case_folded

    characters = {
        ch for code in languages_with("toponyms.txt") for phrase in rules_for(code).organisations for ch in phrase
    }
    every = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    for ch in characters:
        variants = {m.group() for m in regex.finditer(regex.escape(ch), every, regex.IGNORECASE)}
        assert {case_folded(v) for v in variants} == {case_folded(ch)}, ch


def test_demonyms_are_evidence_not_toponyms(small_gazetteer):
    text = "Der russische Minister und die nordkoreanischen Gäste."
    assert names(text, small_gazetteer) == []
    assert demonym_countries(text, "de") == {"RU": 1, "KP": 1}


def test_two_word_demonyms_come_first_and_organisations_keep_theirs():
    text = "North Korean troops and South Korean officials met Russian envoys."
    found = [(d.text, d.country) for d in find_demonyms(text, "en")]
    assert found == [("North Korean", "KP"), ("South Korean", "KR"), ("Russian", "RU")]
    regions = "Central American migrants and Latin American leaders met American officials."
    assert [(d.text, d.country) for d in find_demonyms(regions, "en")] == [("American", "US")]
    english = "Air India said Indian officials had met."
    assert [d.text for d in demonym_mentions(english, "en", find_demonyms(english, "en"))] == ["Indian"]
    german = "Die russische Regierung."  # German counts demonyms as evidence only (language.toml)
    assert demonym_mentions(german, "de", find_demonyms(german, "de")) == []


def test_hyphen_compounds_name_prominent_places_only_unless_the_compound_says_place(small_gazetteer):
    """A small place's name inside a hyphenated word is no mention, unless a word after it ("based",
    "born") or a party's letter before it ("R-Texas") says it is a place."""
    assert names("The US-Russia talks and the Zug-Express.", small_gazetteer, "en") == ["US", "Russia"]
    assert names("The Zug-based firm grew.", small_gazetteer, "en") == ["Zug"]
    # a dash with only spaces before it is no party's letter (and once raised an IndexError)
    assert names(" -Zug and  -Basel", small_gazetteer, "en") == names("Zug and Basel", small_gazetteer, "en")


def test_a_place_that_opens_a_german_compound_only_modifies_it(small_gazetteer):
    """German (compound_place_is_modifier): "US-Präsident" names a president; a last part that is a
    place keeps both ("Berlin-Moskau"), and English keeps its modifiers ("US-led")."""
    assert names("Der US-Präsident und der Berlin-Besuch.", small_gazetteer) == []
    assert names("Die Strecke Berlin-Moskau ist gesperrt.", small_gazetteer) == ["Berlin", "Moskau"]
    assert names("Der Russland-Nordkorea-Gipfel endete.", small_gazetteer) == []
    assert names("The US-led talks ended.", small_gazetteer, "en") == ["US"]


def test_a_closed_class_word_opening_a_sentence_is_no_place(small_gazetteer):
    assert names("Oder die Delegation fährt weiter nach Zug.", small_gazetteer) == ["Zug"]
    assert names("Oder, so hieß es, bleibt der Zug stehen.", small_gazetteer) == []  # no dateline
    assert names("Die Oder steigt.", small_gazetteer) == ["Oder"]
    assert names("ODER, 3. Mai – Das Wasser steigt.", small_gazetteer) == ["ODER"]


def test_an_abbreviation_is_no_place(tmp_path):
    """ "Mio." is the German abbreviation, not Mio (Michigan), also without its period after a number;
    a place's own abbreviation is a gazetteer form and stays ("Ga.")."""
    from geo.places.gazetteer import Gazetteer, build_index
    from tests.conftest import AMBIGUOUS_NAMES, city

    mio = city(5002197, "Mio", 44.65224, -84.12973, "US", 1826, admin1="MI")
    gazetteer = Gazetteer(build_index(tmp_path / "mio.sqlite", [*AMBIGUOUS_NAMES, mio], set()))
    assert names("Der Gewinn stieg um 5 Mio. Euro auf 654 Mio EUR.", gazetteer) == []
    assert names("Die Gäste reisten nach Mio und weiter.", gazetteer) == ["Mio"]
    assert names("They flew to Atlanta, Ga., on Monday.", gazetteer, "en") == ["Atlanta", "Ga."]


def test_abbreviations_match_only_in_capitals(small_gazetteer):
    assert names("Die USA und die U.S. Navy.", small_gazetteer) == ["USA", "U.S."]
    assert names("Let us go.", small_gazetteer, "en") == []


def test_all_caps_names_count_in_datelines_only(small_gazetteer):
    text = "PARIS, Texas — A storm hit the town.\nTHE PARIS SHOW was loud."
    found = find_toponyms(text, split_sentences(text, "en"), "en", small_gazetteer)
    assert [(t.text, t.cue, t.qualifier) for t in found] == [("PARIS", "dateline", "texas"), ("Texas", None, None)]


def cues(text: str, gazetteer, language: str = "en") -> list[tuple[str, str | None]]:
    return [(t.text, t.cue) for t in find_toponyms(text, split_sentences(text, language), language, gazetteer)]


def test_a_dateline_has_its_punctuation_and_may_open_a_sentence_in_capitals(small_gazetteer):
    """ "WASHINGTON:", "BERLIN (dpa) –", "PARIS, Texas —"; in capitals also after a headline whose line
    break was lost. A word in capitals without a dateline's punctuation is no name."""
    assert cues("LONDON: Markets fell.", small_gazetteer) == [("LONDON", "dateline")]
    assert cues("Markets fell. LONDON -- Traders left early.", small_gazetteer) == [("LONDON", "dateline")]
    assert cues("Ein Titel. BERLIN (dpa) – Die Börse schloss.", small_gazetteer, "de") == [("BERLIN", "dateline")]
    assert cues("BERLIN/MOSKAU (dpa) – Gespräche.", small_gazetteer, "de") == [
        ("BERLIN", "dateline"),
        ("MOSKAU", "dateline"),
    ]
    assert cues("ESSEN Der Intendant blieb.", small_gazetteer, "de") == [("ESSEN", "dateline")]
    assert cues("LONDON calling was a hit.", small_gazetteer) == []
    # Windows-1252's dashes in text read as Latin-1 (U+0097, U+0096) are a dateline's dashes too
    assert cues("Markets fell. LONDON \x97 Traders left early.", small_gazetteer) == [("LONDON", "dateline")]
    assert cues("Markets fell. Essen, sagte er, sei gut.", small_gazetteer, "de") == []  # usual case: lines only


def test_a_name_ends_with_its_sentence_and_before_a_weekday(small_gazetteer):
    """The last word of the sentence before ("... Anna Holt.") and a weekday after the name are no
    parts of a person's name with it."""
    assert names("Fans descend on London Saturday night.", small_gazetteer, "en") == ["London"]
    assert names("Sie sprach mit Anna Holt. Essen, die größte Stadt, feierte.", small_gazetteer) == ["Essen"]


def test_an_apposition_with_a_place_noun_as_its_head_is_a_cue(small_gazetteer):
    assert cues("Es regnete. Zug, eine Kleinstadt am See, feierte.", small_gazetteer, "de") == [("Zug", "apposition")]
    assert cues("Es regnete. Zug, der Stadtrat der Gemeinde, schwieg.", small_gazetteer, "de") == []
    assert cues("It rained. Paris, a town in the east, voted.", small_gazetteer)[0] == ("Paris", "apposition")
    assert cues("It rained. Paris, the city manager, voted.", small_gazetteer)[0] == ("Paris", None)


def test_decomposed_unicode_matches_and_keeps_its_offsets(small_gazetteer):
    text = "Die Gäste reisten nach Pjo\u0308ngjang."
    found = find_toponyms(text, ((0, len(text)),), "de", small_gazetteer)
    assert [t.text for t in found] == ["Pjo\u0308ngjang"]


def test_a_capitalised_preposition_at_sentence_start_is_no_first_name(full_gazetteer):
    # "Von"/"From" head a journey, not a person's name: the place after them stays a place.
    assert names("Von Odessa bis Istanbul sind es rund 630 Kilometer.", full_gazetteer) == ["Odessa", "Istanbul"]
    assert names("From Nome to Anchorage the plane took four hours.", full_gazetteer, "en") == ["Nome", "Anchorage"]


def test_the_longest_names_win_and_none_overlap_in_n_log_n() -> None:
    """The bisection keeps exactly what checking every kept span kept (random spans)."""
    import random
    from types import SimpleNamespace

    from geo.places.recognition import _longest_non_overlapping, _preference

    def every_kept(found):
        chosen, taken = [], []
        for t in sorted(found, key=_preference):
            if all(t.end <= s or t.start >= e for s, e in taken):
                chosen.append(t)
                taken.append((t.start, t.end))
        return sorted(chosen, key=lambda t: t.start)

    rng = random.Random(7)
    for _ in range(300):
        found = []
        for _ in range(rng.randint(0, 40)):
            start, words = rng.randint(0, 200), rng.randint(1, 4)
            found.append(SimpleNamespace(start=start, end=start + rng.randint(1, 25), text=" ".join("w" * words)))
        assert _longest_non_overlapping(found) == every_kept(found)


def test_of_two_overlapping_names_of_as_many_words_the_leftmost_wins(full_gazetteer):
    """ "New York Harbor": New York and York Harbor (a town in Maine) overlap, two words each; the
    harbour is New York's."""
    assert names("The ferry crossed New York Harbor at dawn.", full_gazetteer, "en") == ["New York"]


def test_each_mention_has_its_role(full_gazetteer):
    """Literal where the story happens; a modifier inside an English compound ("Russia-backed"); a
    metonym where a capital speaks ("Moscow warned", "Washington said"); a small place never speaks,
    nor one that says where the person before it is from ("John Thune of South Dakota said")."""
    text = (
        "Moscow warned that Russia-backed fighters had entered Avdiivka. Talks in Geneva stalled, Washington said."
        " Senate Majority Leader John Thune of South Dakota said talks would resume."
    )
    roles = {t.text: t.role for t in find_toponyms(text, split_sentences(text, "en"), "en", full_gazetteer)}
    assert roles == {
        "Moscow": "metonym",
        "Russia": "modifier",
        "Avdiivka": "literal",
        "Geneva": "literal",
        "Washington": "metonym",
        "South Dakota": "literal",
    }


def test_a_place_in_the_genitive_before_a_title_is_a_modifier(full_gazetteer):
    """ "Russlands Präsident", "Russia's foreign minister": whose office, not where the story is (as
    "US-Präsident"); a genitive after a noun or before a thing stays literal ("die Wirtschaft
    Russlands", "Hamburg's port")."""
    cases = [
        ("Russlands Präsident empfing den Gast in Moskau. Die Wirtschaft Russlands wächst.", "de"),
        ("Frankreichs Außenminister reiste nach Kiew.", "de"),
        ("Russia's foreign minister met the guest in Moscow. The ship left Hamburg's port.", "en"),
    ]
    roles = [
        [(t.text, t.role) for t in find_toponyms(text, split_sentences(text, language), language, full_gazetteer)]
        for text, language in cases
    ]
    assert roles == [
        [("Russlands", MODIFIER), ("Moskau", LITERAL), ("Russlands", LITERAL)],
        [("Frankreichs", MODIFIER), ("Kiew", LITERAL)],
        [("Russia", MODIFIER), ("Moscow", LITERAL), ("Hamburg", LITERAL)],
    ]


def test_every_brand_is_named_like_a_place(full_gazetteer):
    """data/brands.txt lists only companies that a gazetteer name collides with (its reason to be)."""
    from geo.places.recognition import brand_keys

    assert brand_keys() and set(full_gazetteer.lookup_keys(set(brand_keys()))) == set(brand_keys())


def test_a_place_in_an_organisation_s_name_is_a_modifier_in_english_and_none_in_german(full_gazetteer):
    """English news corpora count "Dallas" in "the Dallas Police Department" (as a modifier, named in
    passing); German ones (GermEval) tag the organisation only (language.toml: places_in_names)."""
    english = "The Dallas Police Department and the University of Texas met in Austin."
    roles = {t.text: t.role for t in find_toponyms(english, split_sentences(english, "en"), "en", full_gazetteer)}
    assert roles == {"Dallas": MODIFIER, "Texas": MODIFIER, "Austin": LITERAL}
    german = "Die Universität Hamburg und die Stadtwerke Norderstedt tagten in Kiel."
    found = [t.text for t in find_toponyms(german, split_sentences(german, "de"), "de", full_gazetteer)]
    assert found == ["Kiel"]


def test_a_club_s_founding_year_makes_its_town_part_of_the_club_s_name(full_gazetteer):
    """ "Hannover 96", "TSV 1860 München": a club (a modifier in English, none in German); a count
    after a town ("in Houston 90 people", "in Hamburg 96 Prozent") is no club's year."""
    english = "The club from Gelsenkirchen beat Hannover 96. In Houston 90 people were hurt."
    roles = {t.text: t.role for t in find_toponyms(english, split_sentences(english, "en"), "en", full_gazetteer)}
    assert roles == {"Hannover": MODIFIER, "Gelsenkirchen": LITERAL, "Houston": LITERAL}
    german = "Der TSV 1860 München spielte in Kiel gegen Mainz 05; in Hamburg 96 Prozent dafür."
    found = [t.text for t in find_toponyms(german, split_sentences(german, "de"), "de", full_gazetteer)]
    assert found == ["Kiel", "Hamburg"]


def test_a_town_before_a_title_or_a_public_body_is_named_in_passing(full_gazetteer):
    """ "Monroe Mayor Robert Routson", "the Oakdale Fire Department": a modifier, no part of a person's
    name; not where a closed-class word stands between ("Monroe and Mayor Jane Smith")."""
    roles = {
        t.text: t.role
        for text in (
            '"It must stay," said Monroe Mayor Robert Routson.',
            "The Oakdale Fire Department came.",
            "Officials in Trenton and Mayor Jane Smith disagreed.",
        )
        for t in find_toponyms(text, split_sentences(text, "en"), "en", full_gazetteer)
    }
    assert roles == {"Monroe": MODIFIER, "Oakdale": MODIFIER, "Trenton": LITERAL}


def test_a_name_inside_a_date_given_by_the_caller_is_no_place(full_gazetteer):
    """The pipeline hands find_toponyms the dates it tagged; a name inside one is a word of the date."""
    text = "Die Fähre fährt bis Ende 2027 nach Ende."
    sentences = split_sentences(text, "de")
    date = (text.index("Ende 2027"), text.index("Ende 2027") + len("Ende 2027"))
    assert [t.start for t in find_toponyms(text, sentences, "de", full_gazetteer, dates=[date])] == [
        text.rindex("Ende")
    ]
    found = find_toponyms(text, sentences, "de", full_gazetteer, dates=[])
    assert [t.text for t in found] == ["Ende", "Ende"]  # told no date, both are the town


def test_a_brand_after_its_nationality_is_the_company(full_gazetteer):
    for text, language in (
        ("Beim japanischen Toyota liefen die Bänder, die finnische Nokia stand still.", "de"),
        ("Rival Japanese Toyota said sales fell.", "en"),
    ):
        assert find_toponyms(text, split_sentences(text, language), language, full_gazetteer) == []


def test_a_town_adjective_gives_the_names_its_town_may_bear():
    """German drops an e before the -er of a town's adjective and an -en of the town's name: the
    look-up tries each form ("Münchner" München, "Bremer" Bremen, "Basler" Basel, "Lehrter" Lehrte)."""
    from geo.places.recognition import _adjective_towns

    for adjective, town in [
        ("Frankfurter", "Frankfurt"),
        ("Münchner", "München"),
        ("Dresdner", "Dresden"),
        ("Bremer", "Bremen"),
        ("Basler", "Basel"),
        ("Lehrter", "Lehrte"),
    ]:
        assert town in _adjective_towns(adjective), adjective
    assert _adjective_towns("Oder") == [] and _adjective_towns("großer") == [] and _adjective_towns("Ex-Ber") == []


def test_a_place_named_by_its_towns_adjective_is_a_mention_of_the_town(full_gazetteer):
    text = "Am Frankfurter Flughafen fielen Flüge aus. Der Starnberger See ist kalt."
    found = {t.text: t for t in find_toponyms(text, split_sentences(text, "de"), "de", full_gazetteer)}
    assert found["Frankfurter Flughafen"].key == "frankfurt"
    assert found["Starnberger See"].key == "starnberger see"  # the gazetteer knows the lake by its whole name


def test_a_districts_part_may_be_a_word_after_a_bare_place_preposition(full_gazetteer):
    """ "in Köln-Wahn" names Köln's district, though "Wahn" is a word: a compound noun takes an
    article ("beim Köln-Marathon"). Not where the district's name goes on after a space: "in
    Stuttgart-Bad Cannstatt" must not become the mention "Stuttgart-Bad"."""
    assert names("Die Maschine landete in Köln-Wahn.", full_gazetteer) == ["Köln-Wahn"]
    assert names("Beim Köln-Marathon liefen Tausende.", full_gazetteer) == []
    assert "Stuttgart-Bad" not in names("Der Brand in Stuttgart-Bad Cannstatt war gelöscht.", full_gazetteer)


def test_a_sports_word_that_opens_a_place_name_reports_no_sport(full_gazetteer, monkeypatch):
    """A sentence with a sports word reports sport, and its towns named without a cue are clubs;
    not where the word is the first of a place's name ("League City", were "League" a sports word)."""
    from dataclasses import replace

    from geo.places import recognition

    german = rules_for("de")
    monkeypatch.setattr(
        recognition, "rules_for", lambda code: replace(german, sports_words=german.sports_words | {"league"})
    )

    def found(text: str) -> list[str]:
        return [t.text for t in find_toponyms(text, split_sentences(text, "de"), "de", full_gazetteer)]

    assert found("League City und Bochum liegen weit auseinander.") == ["League City", "Bochum"]
    assert found("Die League tagte lange, und Bochum verlor.") == []
    assert found("Der Trainer lobte Bochum.") == []  # a town named Trainer is no name of several words
