"""Anchoring: the pure step that resolves relative expressions on the publication date or on the
date the text gave, and how the layout (headings, paragraphs, asides, ranges) moves the story.

The language rules have their own examples (tests/lang/test_timex_examples.py); these tests pin the
mechanisms that every language shares. Every test pins its reference date.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import geo.timeline
from geo.timeline.anchoring import anchor_timexes
from geo.timeline.events import tag_text, unanchored_warning
from geo.timeline.extraction import Timex, find_timexes
from geo.timeline.recipes import Pending
from geo.timeline.values import interval
from tests.timeline.tagging import TUESDAY, values

TIMELINE_MODULES = [
    importlib.import_module(f"geo.timeline.{info.name}") for info in pkgutil.iter_modules(geo.timeline.__path__)
]


@pytest.mark.parametrize("module", TIMELINE_MODULES, ids=lambda module: module.__name__)
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


def test_absolute_dates_need_no_anchor():
    assert values("Der Vertrag wurde am 12. September 2023 unterzeichnet.", published=None) == [
        ("12. September 2023", "2023-09-12")
    ]


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
    text = (
        "Am 28. Juli 1914 begann der Krieg. Der Plan stammte vom 8. Dezember 1912 (und galt bis 1915). "
        "Am 1. August erklärte das Reich Russland den Krieg."
    )
    assert values(text, narrative=True)[-1] == ("1. August", "1914-08-01")


def test_after_a_heading_the_story_returns_to_the_date_of_its_section():
    text = (
        "1862\n\nWesten\n\nIm März siegte die Union. Am 2. Januar 1863 zog Bragg ab.\n\n"
        "Osten\n\nIm Februar begann der Feldzug."
    )
    assert [v for _, v in values(text, narrative=True)] == ["1862", "1862-03", "1863-01-02", "1862-02"]


def test_a_lone_year_far_from_its_neighbours_is_an_excursion_the_story_does_not_stay_in():
    text = (
        "Am 6. Juni 1944 landeten die Alliierten mit 1370 Landungsbooten und 5000 Flugzeugen. "
        "Sie erinnerten an die Schlacht von 1066.\n\n"
        "Am 25. Juli begann der Ausbruch. Im April 1945 war der Krieg fast vorbei."
    )
    assert values(text, narrative=True)[-2] == ("25. Juli", "1944-07-25")


def test_an_excursion_still_anchors_what_follows_it_in_its_paragraph():
    text = (
        "Im Februar 2022 schloss die Grenze. Im Jahr 1987 schwamm eine Amerikanerin hinüber. "
        "Zwei Jahre später trafen sich die Familien. Im März 2024 blieb die Grenze zu."
    )
    assert ("Zwei Jahre später", "1989") in values(text)


def test_a_clock_time_after_a_date_is_a_timex_of_its_own_on_that_day():
    text = "Der Angriff begann am 1. September 1939 um 4.45 Uhr an der Grenze."
    assert values(text) == [("1. September 1939", "1939-09-01"), ("4.45 Uhr", "1939-09-01T04:45")]
    assert values("The vote will end on Thursday at 3 p.m. in the capital.", "en") == [
        ("Thursday", "2023-09-14"),
        ("3 p.m.", "2023-09-14T15:00"),
    ]


@pytest.mark.parametrize(
    "text, language, value",
    [
        ("In der Nacht vom 8. Februar auf den 9. Februar 1904 griff die Flotte an.", "de", "1904-02-08TNI"),
        ("Der Frost hielt von Dezember bis Februar 1941 an.", "de", "1940-12"),
        ("The frost lasted from December to February 1941.", "en", "1940-12"),
        ("Fighting went on in late summer and autumn 1940.", "en", "1940-SU"),
    ],
)
def test_the_first_date_of_a_range_borrows_the_year_of_the_second(text, language, value):
    assert values(text, language, narrative=True)[0][1] == value


def test_a_step_back_to_the_previous_year_does_not_move_the_story():
    text = "Im Frühjahr 1988 eroberte die Armee die im vorigen Jahr verlorenen Gebiete zurück. Im Juni fiel die Insel."
    assert [v for _, v in values(text, narrative=True)] == ["1988-SP", "1987", "1988-06"]


# -- the edges of the calendar (issue 23) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, language, published",
    [
        ("In 1 AD the emperor travelled to Rome. Two years earlier he had been in Athens.", "en", None),
        ("In 2 BC the army crossed the Alps. Three years later nobody remembered.", "en", None),
        ("Vor vier Jahren reiste der Kaiser nach Rom, gestern kam er zurück.", "de", datetime.date(1, 1, 1)),
        ("In four years, tomorrow and next week he travels on.", "en", datetime.date(9999, 12, 31)),
        ("Vor 999 Jahrhunderten war es kalt.", "de", TUESDAY),
    ],
)
def test_counting_off_the_calendar_leaves_the_expression_unanchored_and_says_why(text, language, published):
    found = tag_text(text, language, published)
    off = [t for t in found if t.off_calendar]
    assert off and all(not t.anchored and t.value.startswith(("XXXX", "PAST_REF", "FUTURE_REF")) for t in off)
    assert "leaves the calendar (3000 BC to AD 6999)" in unanchored_warning(found, published)


UNITS = st.sampled_from(["CE", "DE", "Y", "Q", "M", "W", "WE", "D", "H", "MIN", "S"])
AMOUNTS = st.none() | st.integers(-3, 3) | st.integers(-100_000, 100_000)
TENSES = st.sampled_from([None, "past", "this", "future", "last", "next"])
PARTIAL_FIELDS = st.sampled_from(
    [
        (("month", 12),),
        (("month", 1), ("day", 1)),
        (("season", "WI"),),
        (("quarter", 4),),
        (("week", 53),),
        (("week", 1),),
        (("holiday", "E+1"),),
        (("holiday", "12-25"),),
        (("month", 2), ("day", 29), ("hour", 23)),
    ]
)
WEEKDAY_FIELDS = st.tuples(st.integers(1, 7), st.integers(-1, 1)).map(lambda w: (("weekday", w[0]), ("shift", w[1])))
PENDING = st.one_of(
    st.builds(
        Pending,
        st.sampled_from(["shift", "later", "this", "same", "day"]),
        UNITS,
        AMOUNTS,
        PARTIAL_FIELDS | st.just(()),
    ),
    st.builds(Pending, st.just("weekday"), st.just("D"), AMOUNTS, WEEKDAY_FIELDS, TENSES),
    st.builds(Pending, st.just("partial"), st.just("D"), st.just(0), PARTIAL_FIELDS, TENSES),
)
EDGE_DAYS = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)) | st.sampled_from(
    [datetime.date(1, 1, 1), datetime.date(9999, 12, 31), datetime.date(6999, 12, 31), datetime.date(7000, 1, 1)]
)


@given(published=EDGE_DAYS, stated=EDGE_DAYS, pending=PENDING, narrative=st.booleans())
@example(  # "last December" on the calendar's first day: no month a month before it (was OverflowError)
    published=datetime.date(1, 1, 1),
    stated=datetime.date(1, 1, 1),
    pending=Pending("partial", "D", 0, (("month", 12),), "last"),
    narrative=False,
)
@settings(max_examples=500, deadline=None)
def test_any_expression_anchors_on_any_date_of_the_calendar_without_an_error(published, stated, pending, narrative):
    """A date the text states (any year 1 to 9999) and a relative expression after it, on a
    publication date anywhere on the calendar: a value on the calendar, or none and the flag."""
    given_date = Timex(0, 4, "then", "DATE", stated.isoformat())
    relative = Timex(10, 14, "soon", "DATE", "", anchored=False, pending=pending)
    _, done = anchor_timexes([given_date, relative], published, narrative=narrative)
    assert done.pending is None or not done.anchored
    if done.off_calendar:
        assert not done.anchored
    elif done.anchored and done.type == "DATE":
        interval(done.value)  # whatever the value says, reading it back does not fail either


@pytest.mark.parametrize(
    "published, value",
    [
        (datetime.date(2023, 3, 1), "2022-02"),  # February was last month: "last February" is a year back
        (datetime.date(2023, 2, 15), "2022-02"),  # never this month
        (datetime.date(2023, 9, 12), "2023-02"),
    ],
)
def test_last_month_by_name_is_neither_this_month_nor_the_one_before(published, value):
    assert values("Two helicopters crashed last February.", "en", published)[0][1] == value


@pytest.mark.parametrize(
    "text, language, published, value",
    [
        ("The debate began last spring.", "en", datetime.date(2026, 3, 14), "2025-SP"),  # spring began March 1
        ("The debate began last spring.", "en", datetime.date(2026, 6, 2), "2026-SP"),  # the spring just ended
        ("Snow closed the pass last winter.", "en", datetime.date(2026, 1, 20), "2024-WI"),  # this one: 2025-WI
        ("Die Debatte begann im letzten Sommer.", "de", datetime.date(2026, 7, 1), "2025-SU"),
    ],
)
def test_last_season_is_never_the_season_of_the_day(text, language, published, value):
    assert values(text, language, published)[0][1] == value


def test_a_digression_is_no_anchor_in_news_without_a_date_but_may_open_a_narrative():
    """ "since 2021" tells where something started; news with no date of its own cannot count "earlier
    in the day" from it. A narrative's first date counts even after "since": it sets the story's time."""
    text = "Everton had not won there since 2021. Arsenal drew earlier in the day."
    assert values(text, "en", None) == [("2021", "2021"), ("earlier in the day", "XXXX-XX-XX")]
    assert values(text, "en", None, narrative=True)[1] == ("earlier in the day", "2021")
