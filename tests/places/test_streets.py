"""Streets and squares: found by their word, placed at the town the article names."""

from __future__ import annotations

from geo import Options, analyse
from geo.places.streets import find_streets


def names(text: str, language: str) -> list[str]:
    return [s.text for s in find_streets(text, language)]


def test_english_streets_are_named_before_their_word():
    text = (
        "The Main Street shop on Collins Avenue closed; take S.W. 75th St. to Martin Luther King Jr. "
        "Boulevard, then W. Main St. past the square."
    )
    assert names(text, "en") == [
        "Main Street",
        "Collins Avenue",
        "S.W. 75th St.",
        "Martin Luther King Jr. Boulevard",
        "W. Main St.",
    ]
    assert names("Freeman Drive is closed between Sunny Hills Drive and Freeman Circle.", "en") == [
        "Freeman Drive",
        "Sunny Hills Drive",
        "Freeman Circle",
    ]


def test_routes_organisations_people_and_sentence_ends_are_no_streets():
    text = (
        "Take Highway 19, then County Road 35, as the Florida Highway Patrol said. Driver Virginia L. Lane "
        "was hurt near St. Louis Park. The band played the Preachers. Main Street was closed."
    )
    assert names(text, "en") == ["Main Street"]


def test_a_street_that_stands_for_an_industry_is_no_place():
    story = analyse(
        "In London, shares fell as Wall Street opened; police closed Oxford Street.", Options(language="en")
    )
    assert [p.name for p in story.places if p.kind == "street"] == ["Oxford Street"]


def test_german_streets_one_word_or_after_a_place_adjective():
    text = (
        "Die Schwanitzstraße hieß bis 1898 Schulstraße, danach Friedrich-Engels-Straße. In der Gubener "
        "Straße Richtung Norden und am Potsdamer Platz staute es sich, auf der Landstraße nicht. Unter Straße liegt nichts."
        " Die Kantonsstrasse und die Landstrasse im Wallis sind gesperrt."  # Swiss spelling: common nouns too
    )
    assert names(text, "de") == [
        "Schwanitzstraße",
        "Schulstraße",
        "Friedrich-Engels-Straße",
        "Gubener Straße",
        "Potsdamer Platz",
    ]


def test_a_street_is_placed_at_the_town_of_its_sentence_else_the_articles_town():
    text = (
        "The shop on Collins Avenue in Miami Beach closed. In Orlando, police closed Main Street. Main Street reopened."
    )
    story = analyse(text, Options(language="en"))
    streets = {p.name: p for p in story.places if p.kind == "street"}
    towns = {p.name: p for p in story.places if p.kind == "city"}
    assert set(streets) == {"Collins Avenue", "Main Street"}
    assert (streets["Collins Avenue"].lat, streets["Collins Avenue"].lon) == (
        towns["Miami Beach"].lat,
        towns["Miami Beach"].lon,
    )
    assert streets["Main Street"].label == "Main Street, Orlando" and len(streets["Main Street"].mentions) == 2
    assert streets["Collins Avenue"].confidence < towns["Miami Beach"].confidence


def test_a_street_without_a_town_in_its_sentence_goes_to_the_bigger_of_towns_named_as_often():
    """Two towns named once each: the street goes to the bigger (New Orleans), not to the one named
    first (Lafayette)."""
    text = "Officials met in Lafayette, Louisiana. Later they flew to New Orleans. Royal Street was busy."
    story = analyse(text, Options(language="en"))
    towns = {p.name: p for p in story.places if p.kind == "city"}
    (street,) = [p for p in story.places if p.kind == "street"]
    assert towns["Lafayette"].population < towns["New Orleans"].population
    assert street.label == "Royal Street, New Orleans"


def test_streets_without_a_town_are_left_out_and_join_no_legs():
    assert not [p for p in analyse("Police closed Main Street.", Options(language="en")).places if p.kind == "street"]
    story = analyse("Sie fuhr von Berlin nach Hamburg, in die Schwanitzstraße in Hamburg.", Options(language="de"))
    assert any(p.kind == "street" for p in story.places) and story.legs
    assert not any(place.startswith("street:") for leg in story.legs for place in (leg.from_id, leg.to_id))


def test_streets_that_a_word_opens_are_streets_and_the_town_in_their_name_no_mention():
    """ "Via Roma", "Rue de la Paix": the word first, then the name, with its particles; a house
    number is no part of it, and an opener that opens a sentence is a word of it ("Via Rome, ...")."""
    text = "Via Rome, he went on to Naples, to the Piazza del Plebiscito, then to Rue de la Paix 3 and Rue d’Enghien."
    assert names(text, "en") == ["Piazza del Plebiscito", "Rue de la Paix", "Rue d’Enghien"]
    story = analyse(
        "Der Radler hielt auf der Via Roma in Sanremo, dann fuhr er weiter nach Genua.", Options(language="de")
    )
    assert [(p.name, p.kind) for p in story.places] == [("Sanremo", "city"), ("Genoa", "city"), ("Via Roma", "street")]
    street = story.places[-1]
    assert (street.lat, street.lon) == (story.places[0].lat, story.places[0].lon)  # at the town of its sentence


def test_a_town_s_street_is_named_after_the_possessive_and_the_town_stays_a_place():
    """ "Rock Hill's Main Street": the street is Main Street, Rock Hill a place of its own; a name
    with its possessive before the street word keeps it ("St. Peter's Square", "King's Road")."""
    text = "Crowds filled Rock Hill's Main Street, St. Peter's Square and King's Road on Friday."
    assert names(text, "en") == ["Main Street", "St. Peter's Square", "King's Road"]
    story = analyse("Crowds filled Rock Hill's Main Street on Friday.", Options(language="en"))
    assert [(p.name, p.kind) for p in story.places] == [("Rock Hill", "city"), ("Main Street", "street")]
