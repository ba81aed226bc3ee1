"""Word frequencies read from wordfreq's lists without wordfreq: the same answers as wordfreq's."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
from wordfreq import zipf_frequency

from geo.lang.frequencies import FLOOR_ZIPF, _zipf, has_list, zipf_at_least
from geo.lang.registry import DATA_DIR
from geo.places.candidates import TOKEN

LISTS = [("de", "small"), ("en", "small"), ("en", "best")]  # the lists recognition asks


def _project_words() -> list[str]:
    """A sample of the words Dateline meets: its name lists, rule files and samples, as its
    tokenizer cuts them (with dots, apostrophes, hyphens and digits), in both cases."""
    paths = [DATA_DIR / "given_names.txt", DATA_DIR / "surnames.txt", *DATA_DIR.glob("*/*.txt")]
    paths += (DATA_DIR / "samples").glob("*.txt")
    words = sorted({word for path in paths for word in TOKEN.findall(path.read_text(encoding="utf-8"))})
    picked = random.Random(19).sample(words, 2500)
    return picked + [word.lower() for word in picked]


TRICKY = [
    "Groß",  # folded as wordfreq folds it: "gross"
    "STRASSE",
    "US-Präsident",  # tokens combined
    "Baden-Württemberg",
    "Fort Worth",  # spaces split tokens as hyphens do
    "New  York",
    "Abbey.",  # a full stop at the end is dropped
    "St.",
    "Kuala Lumpur.",
    "Rock-'n'-Roll",
    "O'Brien",  # an apostrophe inside a token
    "Moscow’s",
    "d'heure",  # cut after the apostrophe: wordfreq's own tokenizer
    "L'Aquila",
    "U.S.",  # dots inside a token
    "St. Paul",
    "Ph.D.",
    "A7",  # letters and digits: one token, runs of two or more digits counted apart
    "G20",
    "COVID-19",
    "19th",
    "2024",
    "1999er",
    "00",  # only zeros: looked up as written
    "3.5",  # a point inside a number: wordfreq's own tokenizer
    "natu\u0308rlich",  # decomposed: normalised first
    "Москва",
    "東京",
    "-",
    "Haus-",
    "",
]


@pytest.mark.parametrize(("language", "wordlist"), LISTS)
def test_answers_are_wordfreqs_own(language, wordlist):
    for word in [*_project_words(), *TRICKY]:
        expected = zipf_frequency(word, language, wordlist)
        for threshold in (FLOOR_ZIPF, 3.5, 4.0, 5.0):
            assert zipf_at_least(word, language, threshold, wordlist) == (expected >= threshold), (word, threshold)
        if expected >= FLOOR_ZIPF:
            assert _zipf(word, language, wordlist) == expected, word


def test_frequent_and_rare_words():
    assert zipf_at_least("Haus", "de", 4.0, "small") and zipf_at_least("house", "en", 4.0)
    assert not zipf_at_least("Hemelingen", "de", 3.0, "small")
    assert zipf_at_least("US-Präsident", "de", 3.0, "small") == (zipf_frequency("US-Präsident", "de", "small") >= 3.0)


def test_a_language_without_a_list_has_no_frequent_words():
    assert not has_list("xx") and has_list("de", "small") and has_list("en", "large")
    assert not zipf_at_least("the", "xx", 3.0)


def test_thresholds_below_the_floor_are_refused():
    """Only the bands down to the floor are read: a lower threshold would get wrong answers."""
    with pytest.raises(ValueError, match="Zipf"):
        zipf_at_least("Haus", "de", FLOOR_ZIPF - 0.5)


def test_words_with_digits_need_no_wordfreq_import():
    """A capitalised word with digits ("G7", "COVID-19") is common in news; importing wordfreq for
    it had cost a cold extract a third of a second."""
    code = (
        "import sys; from geo.lang.frequencies import zipf_at_least;"
        "answers = [zipf_at_least(w, l, 3.0) for w in ('G7', 'COVID-19', 'EF3', '2024') for l in ('de', 'en')];"
        "print('wordfreq' in sys.modules, answers)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split(" ", 1)
    assert out[0] == "False"
    expected = [
        zipf_frequency(w, lang, "best") >= 3.0 for w in ("G7", "COVID-19", "EF3", "2024") for lang in ("de", "en")
    ]
    assert out[1].strip() == str(expected)
