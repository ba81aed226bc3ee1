"""The timeline for readers: every date in words, never a TIMEX3 code or an invented first day."""

from __future__ import annotations

from geo.render.eventlist import event_chart_rows, event_list_html, event_list_rows
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
