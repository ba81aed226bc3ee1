"""The timeline for readers: every date in words, never a TIMEX3 code or an invented first day."""

from __future__ import annotations

from geo.render.eventlist import event_chart_rows, event_list_html, event_list_rows, story_order
from tests.render.timeline_codes import coded_story, codes_shown
from tests.stories import PAYLOAD, hostile_story


def test_the_list_and_the_axis_show_words_not_codes_or_first_days():
    story = coded_story()
    rows = event_list_rows(story)
    assert list(rows["when"][:3]) == ["2019", "April 2019", "early 2020"]
    assert codes_shown(event_list_html(rows)) == []
    chart = event_chart_rows(story)
    shown = chart[["text", "when", "places", "said"]].to_csv()
    assert codes_shown(shown) == []
    year = chart[chart["when"] == "2019"].iloc[0]
    assert (year["start"], year["until"], year["span"]) == ("2019-01-01", "2020-01-01", True)  # a year-long bar


def test_the_list_escapes_the_article():
    html = event_list_html(event_list_rows(hostile_story()))
    assert PAYLOAD not in html and "<script" not in html


def test_story_mode_tells_the_events_by_date_and_the_undated_last_in_the_article_s_order():
    story = coded_story()
    order = story_order(story)
    assert order == [8, 0, 1, 2, 6, 7, 3, 4, 5]  # the 1990s, 2019, April 2019, early 2020, April and May 2024
    texts = [story.events[row].text for row in order]
    assert texts[-3:] == ["years ago", "in the coming days", "on Monday"]  # no calendar date: as the article has them


def test_the_list_marks_the_picked_event_and_keeps_the_story_s_rows_in_a_selection():
    rows = event_list_rows(coded_story())
    html = event_list_html(rows.loc[[1, 6]], picked=6)
    assert html.count("<tr data-row=") == 2
    assert '<tr data-row="1"><td' in html and '<tr data-row="6" class="picked">' in html
