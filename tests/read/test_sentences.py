"""Tests for geo.read.sentences: sentence spans from line breaks, punctuation and abbreviations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.lang import language, languages_with
from geo.read.sentences import QUOTE_STEP, QUOTE_WHOLE_CHARS, Quotes, split_sentences
from tests.read.articles import ENGLISH, FRENCH, GERMAN, sentences_of


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Er kam am 12. September 2023 an. Dann fuhr er weiter.",
            ["Er kam am 12. September 2023 an.", "Dann fuhr er weiter."],
        ),
        (
            "Es war der 70. Jahrestag. Im 19. Jahrhundert war das anders.",
            ["Es war der 70. Jahrestag.", "Im 19. Jahrhundert war das anders."],
        ),
        ("Er kam am 12.9.2023 an. Er blieb bis 14. 9. 2023.", ["Er kam am 12.9.2023 an.", "Er blieb bis 14. 9. 2023."]),
        ("Das gilt z. B. für Nr. 12 und Dr. Meier. Ende.", ["Das gilt z. B. für Nr. 12 und Dr. Meier.", "Ende."]),
        (
            "Das gilt z.B. für bzw. ca. 20 Orte in St. Petersburg.",
            ["Das gilt z.B. für bzw. ca. 20 Orte in St. Petersburg."],
        ),
        ("Z. B. kam er. Er ging.", ["Z. B. kam er.", "Er ging."]),
        ("Er las J. R. R. Tolkien. Sie nicht.", ["Er las J. R. R. Tolkien.", "Sie nicht."]),
        (
            "Der Zug fuhr 6.5 Stunden bzw. 3,5 Tage. Das ist lang.",
            ["Der Zug fuhr 6.5 Stunden bzw. 3,5 Tage.", "Das ist lang."],
        ),
        ("Wer kommt? Niemand! Wirklich?! Ja.", ["Wer kommt?", "Niemand!", "Wirklich?!", "Ja."]),
        ("„Wir kommen wieder.“ Dann ging er.", ["„Wir kommen wieder.“", "Dann ging er."]),
        ("„Kommst du?“, fragte sie. Er nickte.", ["„Kommst du?“, fragte sie.", "Er nickte."]),
        ("Er sagte (leise). Dann schwieg er.", ["Er sagte (leise).", "Dann schwieg er."]),
        ("„Wir werden … sehen“, sagte er. Gut.", ["„Wir werden … sehen“, sagte er.", "Gut."]),
        ("„Das ist … Wahnsinn“, rief er.", ["„Das ist … Wahnsinn“, rief er."]),
        ("„Mal sehen …“ Dann ging er.", ["„Mal sehen …“", "Dann ging er."]),
        ("Er kürzte (…) den Text. Gut.", ["Er kürzte (…) den Text.", "Gut."]),
        ("Er ging. 2019 kam er zurück.", ["Er ging.", "2019 kam er zurück."]),
        ("Die Kosten: 5 Mio. Euro. Mehr nicht.", ["Die Kosten: 5 Mio. Euro.", "Mehr nicht."]),
        ("Er wohnt in Haus Nr. 12. Sie auch.", ["Er wohnt in Haus Nr. 12.", "Sie auch."]),
    ],
)
def test_split_sentences_german(text: str, expected: list[str]) -> None:
    assert sentences_of(text, "de") == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("U.S. officials met George W. Bush. He left.", ["U.S. officials met George W. Bush.", "He left."]),
        ("Gov. Beshear of Ky. spoke. Mr. Smith did not.", ["Gov. Beshear of Ky. spoke.", "Mr. Smith did not."]),
        ("It rose to 12. Officials said so.", ["It rose to 12.", "Officials said so."]),
        ('He said "no." Then he left.', ['He said "no."', "Then he left."]),
        ("They came on Jan. 5 at 9 a.m. and left.", ["They came on Jan. 5 at 9 a.m. and left."]),
        ("Food, tents etc. The rest came later.", ["Food, tents etc.", "The rest came later."]),
    ],
)
def test_split_sentences_english(text: str, expected: list[str]) -> None:
    assert sentences_of(text, "en") == expected


def test_numbered_list_items_are_not_sentences_of_their_own() -> None:
    text = "Two stops:\n1. Tumangang station\n2. Khasan station"
    assert sentences_of(text, "en") == ["Two stops:", "1. Tumangang station", "2. Khasan station"]


def test_headlines_and_paragraphs_split() -> None:
    text = "Kim fährt nach Russland\nDer Zug fuhr los. Er kam an\n\n  Zweiter Absatz ohne Punkt  \n\nDritter."
    assert sentences_of(text) == [
        "Kim fährt nach Russland",
        "Der Zug fuhr los.",
        "Er kam an",
        "Zweiter Absatz ohne Punkt",
        "Dritter.",
    ]


def test_hard_wrapped_paragraph_is_joined() -> None:
    text = (
        "Kim Jong-un traf am Mittwoch auf dem Weltraumbahnhof Wostotschny ein, wo\n"
        "Präsident Wladimir Putin ihn erwartete. Die beiden sprachen mehrere Stunden\n"
        "miteinander über die Zusammenarbeit ihrer Länder und über Waffenlieferungen.\n"
        "Danach reiste Kim weiter."
    )
    assert sentences_of(text) == [
        "Kim Jong-un traf am Mittwoch auf dem Weltraumbahnhof Wostotschny ein, wo\n"
        "Präsident Wladimir Putin ihn erwartete.",
        "Die beiden sprachen mehrere Stunden\nmiteinander über die Zusammenarbeit ihrer Länder und über Waffenlieferungen.",
        "Danach reiste Kim weiter.",
    ]


def test_line_break_after_ordinal_at_line_end_of_short_lines_splits() -> None:
    assert sentences_of("Stand: 14. \nDer Tag", "de") == ["Stand: 14.", "Der Tag"]


def test_unknown_language_uses_union_of_abbreviations() -> None:
    text = "Le Dr. Martin et les U.S. Marines, z. B. à Vladivostok. Fin."
    assert sentences_of(text, "fr") == ["Le Dr. Martin et les U.S. Marines, z. B. à Vladivostok.", "Fin."]


@pytest.mark.parametrize("text", [GERMAN, ENGLISH, FRENCH, "  \n Ein Satz. \n\n  Noch einer!  \n", "a", "...", "„…“"])
def test_sentence_spans_stripped_ordered_and_within_bounds(text: str) -> None:
    spans = split_sentences(text, "de")
    assert spans
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous_end = end
    covered = "".join(text[start:end] for start, end in spans)
    assert "".join(covered.split()) == "".join(text.split())  # nothing but whitespace is left out


@pytest.mark.parametrize("lang", languages_with("abbreviations.txt"))
def test_abbreviation_file_examples(lang: str) -> None:
    """The EXAMPLE lines in data/<lang>/abbreviations.txt: ' | ' marks each expected boundary."""
    path = language(lang).file("abbreviations.txt")
    examples = [
        line.split(":", 1)[1].strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(("# EXAMPLE:", "# EXAMPLE ("))
    ]
    assert len(examples) >= 4
    for example in examples:
        expected = example.split(" | ")
        assert sentences_of(" ".join(expected), lang) == expected


# --------------------------------------------------------------------------- quotes


def test_a_sentence_up_to_the_limit_is_quoted_whole() -> None:
    text = "x" * QUOTE_WHOLE_CHARS
    assert Quotes(text)((0, len(text)), 1500) == text


def test_a_longer_sentence_is_quoted_around_the_mention_and_one_string_per_block() -> None:
    words = [f"w{number}" for number in range(20_000)]
    text = " ".join(words)  # one sentence of 128,889 characters
    starts = [0]
    for word in words[:-1]:
        starts.append(starts[-1] + len(word) + 1)
    quote = Quotes(text)
    for index in (0, 7000, 19_999):
        quoted = quote((0, len(text)), starts[index])
        assert f" {words[index]} " in f" {quoted} " and len(quoted) <= 3 * QUOTE_STEP + 4
        assert quoted.startswith("… ") == (index != 0) and quoted.endswith(" …") == (index != 19_999)
    block = [quote((0, len(text)), offset) for offset in range(40 * QUOTE_STEP, 41 * QUOTE_STEP)]
    assert all(quoted is block[0] for quoted in block)  # one string for the offsets of a block


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="ab .\n", max_size=3000),
    st.integers(min_value=0, max_value=3000),
    st.integers(min_value=1, max_value=30),
)
def test_every_quote_holds_the_mention_and_is_bounded(text: str, offset: int, length: int) -> None:
    sentence = (0, len(text))
    offset = min(offset, len(text))
    mention = text[offset : offset + length].strip()
    quoted = Quotes(text)(sentence, offset)
    assert len(quoted) <= max(QUOTE_WHOLE_CHARS, 3 * QUOTE_STEP + 4)
    assert mention in quoted


def test_an_endless_sentence_of_ordinals_is_one_sentence() -> None:
    text = "am 3. Mai 2020, " * 5000 + "Ende. 12. Mai war es. 1. Kapitel"
    spans = split_sentences(text, "de")
    assert [text[start:end] for start, end in spans[1:]] == ["12. Mai war es.", "1. Kapitel"]
    assert spans[0] == (0, text.index("Ende.") + 5)
