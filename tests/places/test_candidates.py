"""Tokens and candidate n-grams."""

from __future__ import annotations

from geo.places.candidates import tokenize


def test_tokens_keep_abbreviation_dots_and_offsets():
    text = "Die U.S. Army in Frankfurt (Oder) und Ky. heute."
    tokens = tokenize(text)
    assert [t.text for t in tokens][:3] == ["Die", "U.S.", "Army"]
    assert "(Oder)" in [t.text for t in tokens] and "Ky." in [t.text for t in tokens]
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_an_abbreviation_keeps_its_dot_before_a_question_or_exclamation_mark():
    texts = [t.text for t in tokenize("Who came from Washington, D.C.? Or from St. Paul, Minn.!")]
    assert "D.C." in texts and "Minn." in texts
