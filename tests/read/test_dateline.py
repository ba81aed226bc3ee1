"""Tests for geo.read.dateline: the article's own date from a dateline or author line."""

from __future__ import annotations

import datetime

import pytest

from geo.read.dateline import find_dateline_date

D = datetime.date


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Er reiste ab. Sie blieb. (Jo Beispiel aus Moskau, 12.9.2023)", "de", D(2023, 9, 12)),
        ("Der Zug kam an. (dpa, 03.10.2024)", "de", D(2024, 10, 3)),
        ("Kyiv, 11 January 2025\n\nThe mayor said the city was calm.", "en", D(2025, 1, 11)),
        ("BERLIN, 5. März 2024 – Der Kanzler sprach im Bundestag.", "de", D(2024, 3, 5)),
        ("BERLIN, 5. Maerz 2024 – Der Kanzler sprach.", "de", D(2024, 3, 5)),
        ("Published June 9, 2025\n\nThe train left Pyongyang.", "en", D(2025, 6, 9)),
        ("By Jo Smith\nSept. 9, 2024, 10:32 AM EDT\nThe train left.", "en", D(2024, 9, 9)),
        ("Stand: 14.02.2024 10:15 Uhr\n\nDer Zug fuhr ab.", "de", D(2024, 2, 14)),
        ("Updated: 2025-06-09\nThe train left.", "en", D(2025, 6, 9)),
        ("2025-06-09T10:00:00Z\nThe train left.", "en", D(2025, 6, 9)),
        ("Der Zug fuhr ab. (ae, 12.9.23)", "de", D(2023, 9, 12)),
        ("WASHINGTON (AP) — The president spoke on Monday.", "en", None),
        ("Am 12. September 2023 traf Kim in Wladiwostok ein.", "de", None),
        ("On June 5, 2025, the president flew to Kyiv.", "en", None),
        ("Stand: 31.02.2024\nDer Zug fuhr ab.", "de", None),
        ("Der Zug fuhr ab. (dpa, 31.2.2024)", "de", None),
        ("Ein Text ganz ohne Datum.", "de", None),
        ("Kyiv, 11 January 2025\n\nThe mayor spoke.", "fr", D(2025, 1, 11)),  # unknown language: de+en months
    ],
)
def test_find_dateline_date(text: str, lang: str, expected: D | None) -> None:
    assert find_dateline_date(text, lang) == expected


def test_dateline_only_near_start_or_end() -> None:
    middle = "Ein Satz. " * 60 + "\nStand: 14.02.2024\n" + "Noch ein Satz. " * 60
    assert find_dateline_date(middle, "de") is None
    assert find_dateline_date(middle + "(dpa, 03.10.2024)", "de") == D(2024, 10, 3)


def test_dateline_end_parenthesis_preferred_to_start() -> None:
    text = "Stand: 14.02.2024\n\nDer Zug fuhr ab. (Jo Beispiel aus Moskau, 12.9.2023)"
    assert find_dateline_date(text, "de") == D(2023, 9, 12)
