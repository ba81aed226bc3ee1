"""The timeline: extraction, the pure anchoring step, intervals, events and their places.

The language rules have their own examples (tests/lang/test_timex_examples.py); these tests pin the
mechanisms that every language shares. Every test pins its reference date.
"""

from __future__ import annotations

import datetime
import doctest
import inspect
from pathlib import Path

import pytest

import geo.timeline.extraction as timeline
import geo.timeline.grammar as timex_rules
from geo.model import Mention, Place
from geo.timeline.extraction import anchor_timexes, events_of, find_timexes, interval, tag_text, timeline_order
from geo.timeline.grammar import TimexRulesError, read_grammar
from tests.conftest import SAMPLES

TUESDAY = datetime.date(2023, 9, 12)


def values(text: str, language: str = "de", published=TUESDAY, **options) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in tag_text(text, language, published, **options)]


def test_doctests():
    assert doctest.testmod(timeline).failed == 0


@pytest.mark.parametrize("module", [timeline, timex_rules])
def test_nothing_reads_the_clock(module):
    source = inspect.getsource(module)
    assert "now(" not in source and "today(" not in source and "time.time(" not in source


def test_extraction_leaves_relative_expressions_pending_and_anchoring_resolves_them():
    text = "Gestern kam er an, vor vier Jahren war er schon einmal da."
    found = find_timexes(text, "de")
    assert [t.anchored for t in found] == [False, False]
    assert [t.value for t in anchor_timexes(found, TUESDAY)] == ["2023-09-11", "2019"]
    assert [t.value for t in anchor_timexes(found, datetime.date(2020, 1, 1))] == ["2019-12-31", "2016"]
    assert [t.anchored for t in found] == [False, False]  # anchoring made new objects


def test_without_a_publication_date_relative_expressions_stay_unanchored():
    found = tag_text("Am Dienstag kam er an, im August reiste er ab, vor vier Jahren war er hier.", "de", None)
    assert [(t.value, t.anchored) for t in found] == [("XXXX-WXX-2", False), ("XXXX-08", False), ("XXXX", False)]
    assert timeline.unanchored_warning(found, None).startswith("3 relative date(s)")


def test_absolute_dates_need_no_anchor():
    assert values("Der Vertrag wurde am 12. September 2023 unterzeichnet.", published=None) == [
        ("12. September 2023", "2023-09-12")]


def test_a_later_expression_counts_from_the_date_the_text_gave_even_in_news():
    text = "Am 3. März 2021 brach das Feuer aus. Zwei Tage später war es gelöscht."
    assert values(text)[1] == ("Zwei Tage später", "2021-03-05")


def test_a_yearless_date_after_an_explicit_month_takes_that_year():
    text = "Im Juli 1997 kam die Flut. Am 17. Juli brachen die Deiche."
    assert values(text) == [("Juli 1997", "1997-07"), ("17. Juli", "1997-07-17")]


def test_narrative_mode_counts_from_the_last_date_not_from_the_publication_date():
    text = "Im April 1861 begann der Krieg. Am 22. Juli folgte die Schlacht. Tags darauf zogen sie ab."
    assert [v for _, v in values(text, narrative=True)] == ["1861-04", "1861-07-22", "1861-07-23"]
    assert [v for _, v in values(text)][1] == "1861-07-22"  # the month given just before wins in news too


def test_digressions_do_not_move_the_story_date():
    text = ("Am 28. Juli 1914 begann der Krieg. Der Plan stammte vom 8. Dezember 1912 (und galt bis 1915). "
            "Am 1. August erklärte das Reich Russland den Krieg.")
    assert values(text, narrative=True)[-1] == ("1. August", "1914-08-01")


@pytest.mark.parametrize("sentence, value", [
    ("Am Dienstag hatte die Regierung gewarnt.", "2023-09-12"),   # the publication day itself
    ("Er war am Sonntag angekommen.", "2023-09-10"),
    ("Am Donnerstag wird der Präsident erwartet.", "2023-09-14"),
    ("Die Bahn streikt ab Mittwoch.", "2023-09-13"),
    ("Am Freitag ist Markttag.", "2023-09-15"),                   # no tense: the nearer Friday
])
def test_weekdays_follow_the_tense(sentence, value):
    assert values(sentence)[0][1] == value


@pytest.mark.parametrize("value, mod, first, last", [
    ("2019", None, "2019-01-01", "2019-12-31"),
    ("2019-04", None, "2019-04-01", "2019-04-30"),
    ("2024-02", None, "2024-02-01", "2024-02-29"),
    ("2022-SP", None, "2022-03-01", "2022-05-31"),
    ("2022-WI", None, "2022-12-01", "2023-02-28"),
    ("2024-Q1", None, "2024-01-01", "2024-03-31"),
    ("2023-W37", None, "2023-09-11", "2023-09-17"),
    ("2023-W37-WE", None, "2023-09-16", "2023-09-17"),
    ("199", None, "1990-01-01", "1999-12-31"),
    ("19", None, "1900-01-01", "1999-12-31"),
    ("2023-09-12T14:30", None, "2023-09-12", "2023-09-12"),
    ("2024-05", "START", "2024-05-01", "2024-05-11"),
    ("2025", "END", "2025-09-01", "2025-12-31"),
])
def test_intervals(value, mod, first, last):
    span = interval(value, mod)
    assert (span[0].isoformat(), span[1].isoformat()) == (first, last)


@pytest.mark.parametrize("value", ["PAST_REF", "FUTURE_REF", "P3D", "XXXX-08", "BC0218", "XXXX-WXX-2"])
def test_values_off_the_calendar_have_no_interval(value):
    assert interval(value) is None


def test_bc_years_count_forward():
    text = "Im Jahr 218 v. Chr. zog Hannibal über die Alpen. Ein Jahr später siegte er am Trasimenischen See."
    assert [v for _, v in values(text, narrative=True)] == ["BC0218", "BC0217"]


def place(place_id: str, *spans: tuple[int, int]) -> Place:
    return Place(id=place_id, name=place_id, label=place_id, lat=0.0, lon=0.0, country=None, kind="city",
                 confidence=1.0, mentions=tuple(Mention(s, e, "x") for s, e in spans))


def test_events_carry_the_phrase_interval_sentence_and_places_of_their_clause():
    text = "Im April 2019 war er in Wladiwostok, im August 2023 in Pjöngjang. Seit zwei Wochen regnet es in Berlin."
    sentences = ((0, 65), (66, len(text)))
    places = [place("wl", (23, 34)), place("pj", (54, 63)), place("be", (96, 102))]
    events = events_of(text, tag_text(text, "de", TUESDAY, sentences=sentences), sentences, places)
    assert [(e.text, e.value, e.start, e.end, e.places) for e in events] == [
        ("Im April 2019", "2019-04", "2019-04-01", "2019-04-30", ("wl",)),
        ("im August 2023", "2023-08", "2023-08-01", "2023-08-31", ("pj",)),
    ]  # "zwei Wochen" is a duration: not on the timeline
    for event in events:
        assert text[event.start_char:event.end_char] == event.text
        assert event.sentence == text[0:65]


def test_timeline_order_puts_dated_events_first_in_calendar_order():
    text = "Damals war alles anders. Im August kam er, im April 2019 war er schon einmal da."
    events = events_of(text, tag_text(text, "de", TUESDAY), ((0, 24), (25, len(text))), [])
    assert [e.value for e in events] == ["2019-04", "2023-08", "PAST_REF"]
    assert timeline_order(reversed(events)) == events


def test_a_bad_rule_file_names_its_line(tmp_path: Path):
    bad = tmp_path / "timex.txt"
    bad.write_text("[patterns]\nyear\t{year}\tDATE\tdate\nbroken\t{nonsense}\tDATE\tdate\n", encoding="utf-8")
    with pytest.raises(TimexRulesError, match=r"timex.txt:3: unknown macro"):
        read_grammar(bad, "de")
    bad.write_text("[patterns]\nyear\t{year}\tDATUM\tdate\n", encoding="utf-8")
    with pytest.raises(TimexRulesError, match=r"timex.txt:2: unknown type"):
        read_grammar(bad, "de")


def test_an_unknown_language_uses_the_english_rules_for_digits():
    assert values("Le traité du 2023-09-12.", "fr", None) == [("2023-09-12", "2023-09-12")]


def test_a_huge_text_is_tagged_in_one_pass():
    text = "Am 4. Juli 1861 stimmte der Kongress zu. " * 5000
    found = tag_text(text, "de", TUESDAY)
    assert len(found) == 5000 and all(t.value == "1861-07-04" for t in found)


def test_after_a_heading_the_story_returns_to_the_date_of_its_section():
    text = ("1862\n\nWesten\n\nIm März siegte die Union. Am 2. Januar 1863 zog Bragg ab.\n\n"
            "Osten\n\nIm Februar begann der Feldzug.")
    assert [v for _, v in values(text, narrative=True)] == ["1862", "1862-03", "1863-01-02", "1862-02"]


def test_a_lone_year_far_from_its_neighbours_is_an_excursion_the_story_does_not_stay_in():
    text = ("Am 6. Juni 1944 landeten die Alliierten mit 1370 Landungsbooten und 5000 Flugzeugen. "
            "Sie erinnerten an die Schlacht von 1066.\n\n"
            "Am 25. Juli begann der Ausbruch. Im April 1945 war der Krieg fast vorbei.")
    assert values(text, narrative=True)[-2] == ("25. Juli", "1944-07-25")


def test_an_excursion_still_anchors_what_follows_it_in_its_paragraph():
    text = ("Im Februar 2022 schloss die Grenze. Im Jahr 1987 schwamm eine Amerikanerin hinüber. "
            "Zwei Jahre später trafen sich die Familien. Im März 2024 blieb die Grenze zu.")
    assert ("Zwei Jahre später", "1989") in values(text)


def test_a_clock_time_after_a_date_is_a_timex_of_its_own_on_that_day():
    text = "Der Angriff begann am 1. September 1939 um 4.45 Uhr an der Grenze."
    assert values(text) == [("1. September 1939", "1939-09-01"), ("4.45 Uhr", "1939-09-01T04:45")]
    assert values("The vote will end on Thursday at 3 p.m. in the capital.", "en") == [
        ("Thursday", "2023-09-14"), ("3 p.m.", "2023-09-14T15:00")]


@pytest.mark.parametrize("text, language, value", [
    ("In der Nacht vom 8. Februar auf den 9. Februar 1904 griff die Flotte an.", "de", "1904-02-08TNI"),
    ("Der Frost hielt von Dezember bis Februar 1941 an.", "de", "1940-12"),
    ("The frost lasted from December to February 1941.", "en", "1940-12"),
    ("Fighting went on in late summer and autumn 1940.", "en", "1940-SU"),
])
def test_the_first_date_of_a_range_borrows_the_year_of_the_second(text, language, value):
    assert values(text, language, narrative=True)[0][1] == value


def test_a_step_back_to_the_previous_year_does_not_move_the_story():
    text = "Im Frühjahr 1988 eroberte die Armee die im vorigen Jahr verlorenen Gebiete zurück. Im Juni fiel die Insel."
    assert [v for _, v in values(text, narrative=True)] == ["1988-SP", "1987", "1988-06"]


def test_the_start_index_finds_what_a_full_scan_of_every_pattern_finds(monkeypatch):
    """Patterns are tried only where their first macro or word starts (a speed-up): on every sample
    article that must give exactly what scanning the whole text with every pattern gives."""
    articles = []
    for path in sorted(SAMPLES.glob("*.txt")):
        articles.append((path.read_text(encoding="utf-8"), path.name[:2]))
    fast = [find_timexes(text, language) for text, language in articles]
    monkeypatch.setattr(timeline, "_rule_matches", lambda rule, text, starts: rule.pattern.finditer(text))
    monkeypatch.setattr(timex_rules.Rule, "required", ())
    assert [find_timexes(text, language) for text, language in articles] == fast
