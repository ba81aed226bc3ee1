"""Every example in data/<lang>/toponym_examples.tsv runs against the real gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.read.document import split_sentences
from geo.places.recognition import find_toponyms

DATA = Path(__file__).resolve().parents[2] / "data"


def examples() -> list:
    cases = []
    for path in sorted(DATA.glob("*/toponym_examples.tsv")):
        language = path.parent.name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            sentence, expected = line.split("\t")
            want = [] if expected == "-" else expected.split("|")
            cases.append(pytest.param(language, sentence, want, id=f"{language}:{number}"))
    return cases


@pytest.mark.parametrize("language, sentence, expected", examples())
def test_example(full_gazetteer, language, sentence, expected):
    found = find_toponyms(sentence, split_sentences(sentence, language), language, full_gazetteer)
    assert [t.text for t in found] == expected
