"""The fact check: each claim's places, figures, reading and verdict, escaped in HTML, guarded in CSV."""

from __future__ import annotations

from dataclasses import replace

from geo.render.factcheck import fact_check_csv, fact_check_page, fact_check_rows
from tests.stories import PAYLOAD, hostile_story


def test_a_row_names_the_places_the_figures_the_reading_and_the_verdict():
    story = hostile_story()
    story = replace(story, claims=(replace(story.claims[0], reading="straight", linked_by="named"),))
    row = fact_check_rows(story).iloc[0]
    assert (row["from"], row["to"], row["stated km"], row["on the map km"]) == ("Berlin", "Munich", 500.0, 504.2)
    assert row["verdict"] == "\u2713 consistent" and row["reading"].startswith("as the straight line")


def test_the_page_escapes_the_article_and_loads_nothing():
    page = fact_check_page(PAYLOAD, fact_check_rows(hostile_story()))
    assert PAYLOAD not in page and "<script" not in page and "<img" not in page and "<link" not in page


def test_the_csv_defuses_formulas():
    story = hostile_story()
    story = replace(story, claims=(replace(story.claims[0], text="=HYPERLINK(1)"),))
    assert b"'=HYPERLINK(1)" in fact_check_csv(fact_check_rows(story))
