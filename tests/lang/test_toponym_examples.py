"""Every [examples] line of data/<lang>/toponyms.txt runs against the real gazetteer: the mentions found
are exactly the marked spans ("+"), or none of them ("-")."""

from __future__ import annotations

import pytest

from geo.lang.registry import languages_with
from geo.places.recognition import find_toponyms
from geo.places.rules import TOPONYMS_FILE, toponym_examples
from geo.read.sentences import split_sentences

CASES = [(code, example) for code in languages_with(TOPONYMS_FILE) for example in toponym_examples(code)]


@pytest.mark.parametrize("case", CASES, ids=[f"{code}:{example.line}" for code, example in CASES])
def test_example(full_gazetteer, case):
    code, example = case
    text = example.text
    found = [(t.start, t.end) for t in find_toponyms(text, split_sentences(text, code), code, full_gazetteer)]
    why = f"data/{code}/{TOPONYMS_FILE}:{example.line}: found {[text[s:e] for s, e in found]}"
    if example.positive:
        assert found == list(example.spans), why
    elif example.spans:  # nothing found on or across a marked span
        assert not any(s < mark_end and mark_start < e for s, e in found for mark_start, mark_end in example.spans), why
    else:
        assert found == [], why


def test_every_language_has_positive_and_negative_examples():
    for code in languages_with(TOPONYMS_FILE):
        examples = toponym_examples(code)
        assert any(e.positive for e in examples) and any(not e.positive for e in examples), code
