"""Resolution: candidates, evidence, confidence, merging."""

from __future__ import annotations

from collections import Counter

import pytest

from geo.places.recognition import demonym_countries, find_toponyms
from geo.places.resolution import resolve_places, written_before
from geo.read.sentences import split_sentences


def resolve(text: str, gazetteer, language: str = "en"):
    toponyms = find_toponyms(text, split_sentences(text, language), language, gazetteer)
    return resolve_places(toponyms, demonym_countries(text, language), language, text=text)


def ids(places) -> dict[str, str]:
    return {p.mentions[0].text: p.id for p in places}


def test_population_and_prominence_decide_without_other_evidence(small_gazetteer):
    assert ids(resolve("Talks resumed in Paris on Monday.", small_gazetteer)) == {"Paris": "geonames:2988507"}


def test_a_qualifier_wins_and_holds_for_the_whole_article(small_gazetteer):
    text = "PARIS, Texas — The storm hit hard. Later, Paris counted the damage."
    places = resolve(text, small_gazetteer)
    paris = next(p for p in places if p.name == "Paris")
    assert paris.id == "geonames:4717560" and len(paris.mentions) == 2
    assert paris.confidence > 0.9


def test_the_articles_country_picks_the_state_or_the_country(small_gazetteer):
    us = resolve("The storm moved from Atlanta across Georgia. Ga. officials said Atlanta was hit.", small_gazetteer)
    assert ids(us)["Georgia"] == "geonames:4197000"
    caucasus = resolve("Georgia, the country, borders Russia; Tbilisi is its capital.", small_gazetteer)
    assert ids(caucasus)["Georgia"] == "geonames:614540"


def test_nearby_places_pull_an_ambiguous_name(small_gazetteer):
    text = "Das Hochwasser der Oder erreichte Frankfurt an der Oder. In Frankfurt stieg der Pegel."
    places = resolve(text, small_gazetteer, "de")
    frankfurt = [p for p in places if p.name.startswith("Frankfurt")]
    assert {p.id for p in frankfurt} == {"geonames:2925550"}


def test_candidates_are_listed_with_probabilities(small_gazetteer):
    (paris,) = resolve("They met in Paris.", small_gazetteer)
    scores = [c.score for c in paris.candidates]
    assert 1 < len(scores) <= 5 and scores == sorted(scores, reverse=True)
    assert abs(sum(scores) - 1) < 1e-6 and paris.confidence == scores[0]


def test_two_names_of_one_place_merge(small_gazetteer):
    places = resolve("Die USA und die Vereinigten ... Die U.S. Navy. Die USA.", small_gazetteer, "de")
    (usa,) = [p for p in places if p.country == "US"]
    assert [m.text for m in usa.mentions] == ["USA", "U.S.", "USA"]


def test_a_hamlet_known_only_by_an_alternate_name_is_dropped(small_gazetteer):
    places = resolve("Die Bauern aus Hamletta protestierten in Berlin.", small_gazetteer, "de")
    assert [p.id for p in places] == ["geonames:2950159"]


def test_a_small_town_abroad_that_nothing_backs_is_left_off(small_gazetteer):
    # the article is about Germany; the only Glenwick is a small town in South Dakota
    german = "Glenwick reopened its trails on Monday, the German environment ministry said."
    assert "Glenwick" not in ids(resolve(german, small_gazetteer))
    assert "Glenwick" not in ids(resolve("Hikers returned to Glenwick, the German ministry said.", small_gazetteer))
    # an article that names its country, or no country at all, keeps it
    assert "Glenwick" in ids(resolve("Glenwick reopened its trails, the American park service said.", small_gazetteer))
    assert "Glenwick" in ids(resolve("Glenwick reopened its trails on Monday.", small_gazetteer))
    # another place the article names beside it backs it (two small namesakes abroad, side by side; a
    # neighbour whose readings split, as a region and its town do, see test_dashboard: Rason and Chassan)
    pair = "Glenwick and Fenwick reopened their trails, the German environment ministry said."
    assert {"Glenwick", "Fenwick"} <= set(ids(resolve(pair, small_gazetteer)))


def test_demonyms_point_to_a_country(small_gazetteer):
    assert resolve("Die russische Regierung.", small_gazetteer, "de") == ()
    assert demonym_countries("Die russische Regierung.", "de") == Counter({"RU": 1})


def resolve_in_context(text: str, gazetteer, language: str = "en"):
    """As :func:`resolve`, with the text itself (for the feature words before a name)."""
    toponyms = find_toponyms(text, split_sentences(text, language), language, gazetteer)
    return resolve_places(toponyms, demonym_countries(text, language), language, text=text)


def by_text(places) -> dict[str, object]:
    return {m.text: p for p in places for m in p.mentions}


def test_a_state_named_anywhere_in_the_article_pulls_its_towns(full_gazetteer):
    places = by_text(resolve("Officials in Texas said Austin was flooded.", full_gazetteer))
    assert places["Austin"].candidates[0].admin1 == "TX"
    assert places["Austin"].confidence > 0.9


def test_a_county_is_found_and_placed_in_the_state_the_article_is_about(full_gazetteer):
    georgia = by_text(resolve("Deputies in Henry County closed the road south of Atlanta.", full_gazetteer))
    tennessee = by_text(resolve("Residents of Paris, Tenn., and Henry County got a letter.", full_gazetteer))
    assert georgia["Henry County"].id == "dateline:us-county-13151"  # Georgia's, beside Atlanta
    assert tennessee["Henry County"].id == "dateline:us-county-47079"  # Tennessee's, around Paris
    alone = by_text(resolve("Madison County opened a shelter.", full_gazetteer))
    assert alone["Madison County"].candidates[0].admin1 == "AL"  # the most populous of twenty namesakes
    assert alone["Madison County"].confidence < 0.6


def test_a_state_is_no_evidence_for_its_own_namesake_town(full_gazetteer):
    places = by_text(resolve("The storm hit Paris, Texas, and moved toward Oklahoma.", full_gazetteer))
    assert places["Oklahoma"].kind == "region"


def test_a_state_qualifier_is_decisive(full_gazetteer):
    text = "The firm moved from Austin, Texas, to Lexington, Ky., and later to Alliance, Nebraska."
    places = by_text(resolve(text, full_gazetteer))
    states = {name: places[name].candidates[0].admin1 for name in ("Austin", "Lexington", "Alliance")}
    assert states == {"Austin": "TX", "Lexington": "KY", "Alliance": "NE"}
    assert all(places[name].confidence > 0.95 for name in states)


def test_a_named_country_does_not_pull_a_name_away_from_where_the_other_places_are(full_gazetteer):
    text = "Der Zug fährt von Wien über Salzburg nach München. In Deutschland wird gestreikt."
    places = by_text(resolve(text, full_gazetteer, "de"))
    assert places["Salzburg"].country == "AT" and places["München"].country == "DE"


def test_a_named_country_still_picks_its_own_town_far_from_the_others(full_gazetteer):
    text = "Die Regierung in Berlin beriet. In Deutschland wird gestreikt, auch in Frankfurt."
    assert by_text(resolve(text, full_gazetteer, "de"))["Frankfurt"].country == "DE"


def test_a_feature_word_before_a_name_is_no_town_of_that_name(full_gazetteer):
    (trafalgar,) = [
        p
        for p in resolve_in_context("The ship rounded the Cape of Trafalgar.", full_gazetteer)
        if p.name == "Trafalgar"
    ]
    assert trafalgar.confidence < 0.2  # only towns are listed: kept, but not believed
    plain = by_text(resolve_in_context("She grew up in Trafalgar.", full_gazetteer))["Trafalgar"]
    assert plain.confidence > trafalgar.confidence


def test_a_cape_of_the_curated_gazetteer_is_the_cape(full_gazetteer):
    places = by_text(resolve_in_context("The ship rounded the Cape of Good Hope and then Kap Hoorn.", full_gazetteer))
    assert places["Cape of Good Hope"].kind == "landmark" and places["Cape of Good Hope"].country == "ZA"
    assert places["Kap Hoorn"].id == "dateline:cape-horn"


def test_a_river_abbreviated_after_a_town_says_which_town(full_gazetteer):
    places = by_text(resolve("Er zog von Frankfurt a. M. nach Frankfurt a. d. O. um.", full_gazetteer, "de"))
    assert places["Frankfurt a. M."].name == "Frankfurt am Main"
    assert places["Frankfurt a. d. O."].name == "Frankfurt (Oder)"


def test_a_word_of_position_shares_the_rest_of_the_name_it_is_joined_to(full_gazetteer):
    places = by_text(resolve("Frogs in Central and South America and in North and South Carolina.", full_gazetteer))
    assert places["Central"].name == "Central America" and places["North"].name == "North Carolina"
    assert places["South America"].kind == "continent"


def test_a_region_word_beside_a_name_makes_a_town_unlikely(full_gazetteer):
    """A region noun before a name ("the state of", "Bundesstaat") or a division word after it
    ("region") says it is a region: the state, not the capital of the same name."""
    assert ids(resolve_in_context("The first case was found in the state of Washington.", full_gazetteer)) == {
        "Washington": "geonames:5815135"
    }
    assert ids(resolve_in_context("The first case was found in Washington.", full_gazetteer)) == {
        "Washington": "geonames:4140963"
    }
    victoria = ids(resolve_in_context("Most cases were in the state of Victoria, officials said.", full_gazetteer))
    assert victoria == {"Victoria": "geonames:2145234"}  # not the city of Hong Kong
    german = ids(resolve_in_context("Im US-Bundesstaat Washington brannte es.", full_gazetteer, "de"))
    assert german["Washington"] == "geonames:5815135"


def test_a_feature_word_leaves_other_kinds_and_names_that_contain_it(full_gazetteer):
    places = by_text(resolve_in_context("Climbers left Mount Kenya; others stayed at Lake Placid.", full_gazetteer))
    assert places["Kenya"].kind == "country" and places["Kenya"].confidence > 0.9
    assert places["Lake Placid"].kind == "city"


def test_twins_of_one_place_share_its_confidence(full_gazetteer):
    places = by_text(resolve("Lexington, Ky., voted on Tuesday.", full_gazetteer))
    assert places["Lexington"].confidence > 0.95
    assert sum(c.score for c in places["Lexington"].candidates) <= 1 + 1e-6


def test_a_feature_word_counts_only_as_a_whole_word(full_gazetteer):
    text = "Cape of Palmas, they said.\nThe Escape of Palmas was a film."
    toponyms = find_toponyms(text, split_sentences(text, "en"), "en", full_gazetteer)
    starts = [t.start for t in toponyms if t.text == "Palmas"]
    assert [written_before(text, start, "Cape of") for start in starts] == [True, False]


def test_a_region_or_country_that_holds_a_named_place_is_that_one(full_gazetteer):
    """Georgia the state beside Atlanta, the country beside Tbilisi, though the state's point lies
    far from Atlanta and no country is named; a place that holds nothing keeps its prominence."""
    state = by_text(resolve("Rain pushed toward metro Atlanta. The drought in north Georgia is over.", full_gazetteer))
    country = by_text(resolve("Buyers in Tbilisi asked about Georgia and its wine.", full_gazetteer))
    alone = by_text(resolve("Winemakers in Georgia asked about prices.", full_gazetteer))
    assert state["Georgia"].id == "geonames:4197000"
    assert country["Georgia"].id == alone["Georgia"].id == "geonames:614540"


def test_a_place_that_holds_the_city_does_not_take_the_name_from_the_city(full_gazetteer):
    """Brooklyn lies in New York City and in New York State alike: it tells neither apart."""
    places = by_text(resolve("Police in Brooklyn said New York would pay for the repairs.", full_gazetteer))
    assert places["New York"].id == "geonames:5128581"


def test_the_names_of_a_list_before_a_divisions_plural_are_those_divisions(full_gazetteer):
    text = "Omaha grew, and Douglas, Sarpy and Lancaster counties gained 14,000 people. Lancaster is quiet."
    places = resolve(text, full_gazetteer)
    counties = {p.mentions[0].text: p.id for p in places if p.kind == "region"}
    assert counties == {
        "Douglas": "dateline:us-county-31055",
        "Sarpy": "dateline:us-county-31153",
        "Lancaster": "dateline:us-county-31109",  # Nebraska's, beside Omaha
    }
    town = next(p for p in places if p.kind == "city" and p.name == "Lancaster")
    assert [m.start for m in town.mentions] == [text.rindex("Lancaster")]


def test_a_qualifier_and_its_name_are_read_together(full_gazetteer):
    """The reading of the qualifier that holds the name wins, before either is resolved."""
    pair = by_text(resolve("Tourists from Washington, Georgia, visited the farm.", full_gazetteer))
    assert pair["Georgia"].id == "geonames:4197000" and pair["Washington"].candidates[0].admin1 == "GA"
    country = by_text(resolve("Tourists from Batumi, Georgia, visited the farm.", full_gazetteer))
    assert country["Georgia"].id == "geonames:614540"
    state = by_text(resolve("The girl from Buffalo, New York, died on Sunday.", full_gazetteer))
    assert state["New York"].id == "geonames:5128638"
    cities = by_text(resolve("After stops in Washington, New York and Boston, he flew home.", full_gazetteer))
    assert cities["New York"].id == "geonames:5128581" and cities["Washington"].id == "geonames:4140963"


def test_a_datelines_country_is_evidence_for_every_name(full_gazetteer):
    alone = by_text(resolve("Skiers flew into Queenstown on Monday.", full_gazetteer))
    filed = by_text(resolve("AUCKLAND, March 3 (Reuters) - Skiers flew into Queenstown on Monday.", full_gazetteer))
    assert alone["Queenstown"].country != "NZ" and filed["Queenstown"].country == "NZ"


def test_a_state_named_in_a_story_of_two_countries_does_not_decide_every_name(full_gazetteer):
    """Named alone, a state pulls its towns; beside another country's places it is shared with them."""
    state = "Officials of the State of Victoria met in Melbourne. Travellers drive to Hamilton for concerts."
    two = (
        "Flights between New Zealand and Australia are full, and the State of Victoria wants more of them"
        " into Melbourne. Travellers from Auckland drive to Hamilton for concerts, New Zealand's office said."
    )
    assert by_text(resolve(state, full_gazetteer))["Hamilton"].confidence > 0.9
    assert by_text(resolve(two, full_gazetteer))["Hamilton"].confidence < 0.6


def test_victoria_is_also_the_australian_state(full_gazetteer):
    text = "Cases rose in Victoria, New South Wales and Queensland."
    assert by_text(resolve(text, full_gazetteer))["Victoria"].id == "geonames:2145234"


def test_the_names_of_a_list_are_the_same_sort_of_place(full_gazetteer):
    """A list's sure members vote for the sort of place the others are: US states, Canadian
    provinces, countries; a list needs a connector ("and"), so an apposition is none."""
    states = by_text(
        resolve("Cases were found in Arizona, Colorado, Georgia, Ohio, Utah, Washington and Wyoming.", full_gazetteer)
    )
    assert {name: (states[name].kind, states[name].country) for name in ("Georgia", "Washington", "Wyoming")} == {
        name: ("region", "US") for name in ("Georgia", "Washington", "Wyoming")
    }
    provinces = by_text(resolve("Illnesses occurred in Alberta, Manitoba, Ontario and New Brunswick.", full_gazetteer))
    assert provinces["Ontario"].country == provinces["New Brunswick"].country == "CA"
    countries = by_text(resolve("Envoys from Armenia, Georgia and Azerbaijan met.", full_gazetteer))
    assert countries["Georgia"].id == "geonames:614540"
    qualified = by_text(resolve("Fans came from as far as Texas and Washington, D.C.? Yes.", full_gazetteer))
    assert qualified["Washington"].id == "geonames:4140963"  # the qualifier says which


def test_a_list_member_after_a_state_is_no_qualifier_and_towns_do_not_vote(full_gazetteer):
    listed = by_text(resolve("Bees died in Georgia, Oklahoma, Pennsylvania, Wisconsin and California.", full_gazetteer))
    assert listed["Oklahoma"].id == "geonames:4544379"  # the state, no Oklahoma in Pennsylvania
    capitals = by_text(resolve("Washington und London bombardierten Stellungen im Jemen.", full_gazetteer, "de"))
    assert capitals["Washington"].id == "geonames:4140963"  # London is no vote for a Washington in England


def test_towns_listed_together_make_a_name_the_big_city_not_the_state(full_gazetteer):
    """Two or more sure towns vote for the city of 500,000 a name bears ("New York" among offices in
    cities), and a state's name after a town that does not lie in it is a member of the list, not
    that town's qualifier (there is no West Palm Beach in New York); one town is no vote for a
    state, and a qualifier that fits stays part of its item."""
    offices = "The firm has offices in Los Angeles, Miami, West Palm Beach, New York, and Detroit."
    assert by_text(resolve(offices, full_gazetteer))["New York"].id == "geonames:5128581"
    beside = "Storms hit Miami and Florida, then moved north."
    assert by_text(resolve(beside, full_gazetteer))["Florida"].id == "geonames:4155751"  # the state
    assert list_keys("Offices in Miami, New York, and Detroit.", full_gazetteer) == [("miami", "new york", "detroit")]
    assert list_keys("Columbus, Ohio, and Atlanta, Georgia, sent teams.", full_gazetteer) == [("columbus", "atlanta")]


def list_keys(text: str, gazetteer) -> list[tuple[str, ...]]:
    """The keys of the names of each list :func:`coordinated_lists` finds in an English text."""
    from geo.places.recognition import find_toponyms
    from geo.places.resolution import coordinated_lists

    toponyms = find_toponyms(text, split_sentences(text, "en"), "en", gazetteer)
    return [tuple(name.key for name in names) for names in coordinated_lists(toponyms, text, "en")]


def test_a_country_listed_before_a_country_is_no_town_in_it(full_gazetteer):
    """ "China, Japan, and the United Kingdom": a list of countries, not the China of Okinawa; a
    name before a state stays qualified ("China, Maine" is Maine's)."""
    listed = by_text(
        resolve("Many countries, among them China, Japan, and the United Kingdom, warned.", full_gazetteer)
    )
    assert listed["China"].id == "geonames:1814991"
    qualified = by_text(
        resolve("Teachers in Lebanon, Pennsylvania, struck; so did those in China, Maine.", full_gazetteer)
    )
    assert (qualified["Lebanon"].country, qualified["China"].country) == ("US", "US")


def test_a_region_s_office_after_a_name_makes_it_the_region(full_gazetteer):
    """A state has a governor, a town of its name a mayor."""
    governor = by_text(resolve("New York Governor Andrew Cuomo declared an emergency.", full_gazetteer))
    assert governor["New York"].id == "geonames:5128638"  # the state
    mayor = by_text(resolve("New York Mayor Bill de Blasio declared an emergency.", full_gazetteer))
    assert mayor["New York"].id == "geonames:5128581"  # the city


def test_namesakes_that_no_anchor_settles_are_read_together(full_gazetteer):
    """Webster County is in several states, Rogersville too: the two that lie together (Missouri)
    win; alone, Rogersville is the likeliest by size."""
    pair = by_text(resolve("Deputies from Webster County searched a farm near Rogersville on Sunday.", full_gazetteer))
    assert (pair["Webster County"].id, pair["Rogersville"].id) == ("dateline:us-county-29225", "geonames:4406271")
    alone = by_text(resolve("Deputies searched a farm near Rogersville on Sunday.", full_gazetteer))
    assert alone["Rogersville"].id != "geonames:4406271"


def test_a_region_is_the_sort_of_place_the_article_names_most(full_gazetteer):
    """Outside any list, the article's other sure places vote too, more weakly: among states, a
    state's name is the state; a capital's or a big city's name stays the city's."""
    text = (
        "Eight students in Queens, New York, fell ill. Health officials in Ohio confirmed a case on "
        "Monday. Kansas reported two more, and Texas closed schools. Thus far, California has reported "
        "seven confirmed cases."
    )
    # Queens makes the towns named California near New York likelier; the states say which sort it is.
    assert by_text(resolve(text, full_gazetteer))["California"].id == "geonames:5332921"  # not the town in Maryland
    # A capital's name gains nothing from the article's states: with the list's vote alone ("Oregon and
    # Washington state"), the president's Washington stays the capital (one name, one place).
    famous = text + " Crews from Oregon and Washington state drove south. In Washington, the president approved aid."
    assert by_text(resolve(famous, full_gazetteer))["Washington"].id == "geonames:4140963"


def test_a_list_needs_a_connector(full_gazetteer):
    def lists(text: str) -> list[tuple[str, ...]]:
        return list_keys(text, full_gazetteer)

    assert lists("Ohio, Utah, and Texas voted; Paris was calm.") == [("ohio", "utah", "texas")]
    assert lists("In Kharkiv, Ukraine, the lights went out.") == []
    assert lists("From Ohio to Utah and Texas.") == [("utah", "texas")]
    # items of one shape: the same word before each name, a few lower-case words or numbers between
    shaped = "Cases: fifteen in Alberta, twelve in Ontario, and one in Quebec. Flights left Paris in May."
    assert lists(shaped) == [("alberta", "ontario", "quebec")]
    assert lists("He was born in Ohio, lived 20 years in Utah; died in Texas.") == []


def test_the_regions_of_the_united_states_that_news_names(full_gazetteer):
    places = by_text(resolve("Storms battered the West Coast; the Midwest and New England braced.", full_gazetteer))
    assert {name: places[name].id for name in ("West Coast", "Midwest", "New England")} == {
        "West Coast": "dateline:us-west-coast",  # not West Coast, Singapore
        "Midwest": "dateline:us-midwest",
        "New England": "dateline:new-england",  # not New England, North Dakota
    }


def test_a_county_the_article_names_places_a_town_that_lies_in_it(full_gazetteer):
    """Local news names its county rather than its state: "Walker County" beside "Huntsville" is
    Huntsville, Texas (in Walker County), though Huntsville, Alabama is the bigger; "Greene County"
    beside "Springfield" is Missouri's, both of them. Alone, each name keeps its likeliest reading."""
    pair = by_text(
        resolve("The Walker County judge lifted the burn ban, and Huntsville residents may burn.", full_gazetteer)
    )
    assert pair["Huntsville"].candidates[0].admin1 == "TX" and pair["Walker County"].candidates[0].admin1 == "TX"
    alone = by_text(resolve("Huntsville residents may burn again.", full_gazetteer))
    assert alone["Huntsville"].candidates[0].admin1 == "AL"
    both = by_text(resolve("Greene County deputies drove to Springfield on Friday.", full_gazetteer))
    assert both["Springfield"].candidates[0].admin1 == both["Greene County"].candidates[0].admin1 == "MO"


def test_a_county_that_lies_by_several_readings_of_a_town_tells_none_apart():
    """Where more than one reading of a name lies in a reading of a county, the pair tells nothing
    (coincidences of names common in many states): no reading gains. A town lies in a county only
    in the county's state: one across a state line, however near, is no pair."""
    from geo.model import Candidate
    from geo.places.gazetteer import PRIMARY, Match
    from geo.places.resolution import NameGroup, Readings, county_town_bonuses

    def group(key, *places):
        matches = tuple(
            Match(Candidate(id_, key, lat, lon, "US", kind, admin1=state), key, PRIMARY)
            for id_, kind, lat, lon, state in places
        )
        return NameGroup(key, (), matches, ()), Readings(matches, (0.0,) * len(matches), (0.0,) * len(matches))

    county = group("lake county", ("c1", "region", 40.0, -90.0, "IL"), ("c2", "region", 35.0, -80.0, "NC"))
    one = group("elm", ("t1", "city", 40.1, -90.0, "IL"), ("t2", "city", 30.0, -100.0, "TX"))
    two = group("oak", ("o1", "city", 40.1, -90.0, "IL"), ("o2", "city", 35.1, -80.0, "NC"))
    across = group("ash", ("a1", "city", 40.1, -90.0, "MO"), ("a2", "city", 30.0, -100.0, "TX"))
    groups, readings = zip(county, one, two, across)
    bonuses = county_town_bonuses(list(groups), list(readings), "en")
    assert bonuses[1] == {"t1": pytest.approx(2.0)} and not bonuses[2]  # Oak lies in both readings of the county
    assert bonuses[0] == {"c1": pytest.approx(2.0)} and not bonuses[3]  # Ash's near reading is in another state


def test_provinces_and_british_counties_are_places(full_gazetteer):
    """data/gazetteer/admin_regions.tsv: "Thruxton, Hampshire" is the county, not Hampshire,
    Illinois; a province the curated files lacked is found."""
    places = by_text(
        resolve("The season opens at Thruxton, Hampshire; he grew up in the Eastern Cape.", full_gazetteer)
    )
    assert places["Hampshire"].id == "dateline:admin-gb-hampshire"
    assert places["Eastern Cape"].country == "ZA" and places["Eastern Cape"].kind == "region"


def test_a_division_named_with_its_word_is_the_division_and_its_town_stays_a_town(full_gazetteer):
    """data/gazetteer/admin_regions.tsv names first-level divisions with their country's word too
    ("Benue State"), and one named like a town with it only ("Enugu State"): the word makes the
    division, the bare name stays the town."""
    text = "Gunmen from Enugu State were held in Enugu; Oaxaca State and Akita Prefecture sent aid."
    places = by_text(resolve(text, full_gazetteer))
    assert places["Enugu State"].id == "dateline:admin-ng-enugu" and places["Enugu State"].kind == "region"
    assert places["Enugu"].kind == "city" and places["Enugu"].country == "NG"
    assert (places["Oaxaca State"].country, places["Oaxaca State"].kind) == ("MX", "region")
    assert (places["Akita Prefecture"].country, places["Akita Prefecture"].kind) == ("JP", "region")
    us = by_text(resolve("Fans of Mississippi State cheered in Starkville, Mississippi.", full_gazetteer))
    assert "Mississippi State" not in us  # a university: the word is no part of a US state's name


def test_a_name_alone_after_a_definite_article_is_no_town(full_gazetteer):
    """Towns take no article: "across the Atlantic to Savannah" is the ocean, though the article is
    about the US, where towns are called Atlantic; a name that modifies a noun may be a town."""
    places = by_text(resolve("Containers ship across the Atlantic to Savannah, Ga., each week.", full_gazetteer))
    assert places["Atlantic"].id == "dateline:atlantic-ocean"
    office = by_text(resolve("The bank opened the Paris office in May.", full_gazetteer))
    assert office["Paris"].id == "geonames:2988507"
    # A sea's name after an article is the sea, a noun after it or not (towns take no article).
    side = "Eight students in Queens, New York, fell ill. Birds on the Pacific side of the Americas carry it."
    assert by_text(resolve(side, full_gazetteer))["Pacific"].kind == "water"


def test_nearness_asks_the_first_anchors_only():
    """An article of thousands of unambiguous places (a list, a gazetteer) asks the first
    MAX_NEAR_ANCHORS of them, so the distance matrix grows with the text, not with its square."""
    import numpy as np

    from geo.model import Candidate
    from geo.places.resolution import MAX_NEAR_ANCHORS, ArticleEvidence, _first_anchors

    def place(country):
        return Candidate(f"geonames:{country}", country, 0.0, 0.0, country, "city")

    count = MAX_NEAR_ANCHORS + 100
    evidence = ArticleEvidence(
        "en", {}, np.zeros((count, 2)), tuple(f"k{i}" for i in range(count)), tuple(place("DE") for _ in range(count))
    )
    capped = _first_anchors(evidence)
    assert capped.anchor_keys == evidence.anchor_keys[:MAX_NEAR_ANCHORS] and len(capped.anchors) == MAX_NEAR_ANCHORS
    assert len(capped.anchor_countries) == MAX_NEAR_ANCHORS
    few = ArticleEvidence("en", {}, np.zeros((3, 2)), ("a", "b", "c"), tuple(place(c) for c in ("DE", "AT", "CH")))
    assert _first_anchors(few) is few


def test_a_division_word_after_a_name_makes_it_the_region(full_gazetteer):
    text = "Fighting went on in Russia's Kursk region and in the Donetsk region. Kursk itself was quiet."
    places = resolve_in_context(text, full_gazetteer)
    by_mention = {(m.start, m.text): p for p in places for m in p.mentions}
    region = by_mention[(text.index("Kursk"), "Kursk")]
    city = by_mention[(text.rindex("Kursk"), "Kursk")]
    assert (region.id, region.kind) == ("geonames:538555", "region")  # Kursk Oblast, not the city
    assert by_mention[(text.index("Donetsk"), "Donetsk")].id == "geonames:709716"
    assert (city.id, city.kind) == ("geonames:538560", "city")  # a bare Kursk elsewhere keeps its own reading
    plain = by_text(resolve_in_context("The Paris region was hot; Regional trains ran.", full_gazetteer))
    assert plain["Paris"].id == "geonames:2988507"  # no region of that name: the city stays


def test_a_demonym_mentions_its_country_in_passing(full_gazetteer):
    from geo.model import ASSOCIATIVE, DEMONYM, LITERAL
    from geo.places.recognition import demonym_mentions, find_demonyms
    from geo.places.resolution import with_demonyms

    text = "Russian troops left Ukraine; Ukrainian officials met envoys of the Dominican Republic."
    places = resolve_in_context(text, full_gazetteer)
    demonyms = demonym_mentions(text, "en", find_demonyms(text, "en"))
    places = {p.id: p for p in with_demonyms(places, demonyms, full_gazetteer, "en")}
    russia, ukraine = places["geonames:2017370"], places["geonames:690791"]
    assert [(m.text, m.role) for m in russia.mentions] == [("Russian", DEMONYM)]
    assert russia.role == ASSOCIATIVE and russia.kind == "country" and russia.confidence == 1.0
    assert [(m.text, m.role) for m in ukraine.mentions] == [("Ukraine", LITERAL), ("Ukrainian", DEMONYM)]
    assert ukraine.role == LITERAL
    dominican = next(p for p in places.values() if p.country == "DO")
    assert [m.text for m in dominican.mentions] == ["Dominican Republic"]  # the name's own word, no demonym
    german = "Die russische Armee zog ab."
    (russland,) = with_demonyms((), find_demonyms(german, "de"), full_gazetteer, "de")
    assert russland.label == "Russland" and russland.mentions[0].text == "russische"


def test_twins_share_the_confidence_whether_or_not_the_readings_are_cached():
    """A name's nearness to its best reading is cached up to MAX_CACHED_READINGS readings and worked
    out afresh past that: the confidence is the same."""
    import numpy as np

    from geo.model import Candidate
    from geo.places.resolution import MAX_CACHED_READINGS, placed_probability

    def readings(count: int) -> list[Candidate]:
        twins = [Candidate("a", "A", 10.0, 10.0, "XX", "city"), Candidate("b", "B", 10.5, 10.0, "XX", "city")]
        far = [Candidate(f"f{i}", "F", -40.0, float(i), "YY", "city") for i in range(count - 2)]
        return twins + far

    for count in (3, MAX_CACHED_READINGS + 5):
        probabilities = np.array([0.5, 0.3] + [0.2 / (count - 2)] * (count - 2))
        assert placed_probability(readings(count), probabilities, 0) == placed_probability(
            readings(count), probabilities, 0
        )
        assert abs(placed_probability(readings(count), probabilities, 0) - 0.8) < 1e-9


def test_a_german_municipality_that_geonames_lists_only_by_its_villages_is_found(full_gazetteer):
    """data/gazetteer/de_municipalities.tsv: named with a cue it is a place; with no head count, the
    bare name opening a sentence is not (as of any hamlet); its map credits OpenStreetMap."""
    from geo.pipeline import Options, analyse
    from geo.render.style import OSM_MUNICIPALITIES_CREDIT, credits

    text = "Der Bus fährt von Kisdorf nach Henstedt-Ulzburg. In Swisttal fiel der Strom aus."
    places = by_text(resolve(text, full_gazetteer, "de"))
    assert places["Henstedt-Ulzburg"].id == "dateline:de-gemeinde-24558-henstedt-ulzburg"
    assert places["Swisttal"].id.startswith("dateline:de-gemeinde-")
    assert "Henstedt-Ulzburg" not in by_text(resolve("Henstedt-Ulzburg gewann das Spiel.", full_gazetteer, "de"))
    german = Options(language="de")
    assert OSM_MUNICIPALITIES_CREDIT in credits(analyse(text, german, gazetteer=full_gazetteer))
    assert OSM_MUNICIPALITIES_CREDIT not in credits(analyse("Er fährt nach Kisdorf.", german, gazetteer=full_gazetteer))


def test_a_german_district_is_the_district_and_its_town_stays_the_town(full_gazetteer):
    """data/gazetteer/de_districts.tsv: "Landkreis Göttingen" is the district, "in Göttingen" the town
    in the same article; a district named by no town is found bare; its map credits Destatis."""
    from geo.pipeline import Options, analyse
    from geo.render.style import DESTATIS_DISTRICTS_CREDIT, credits

    story = analyse(
        "Im Landkreis Göttingen und in Göttingen wurde gewählt, im Rhein-Sieg-Kreis und im Landkreis Harburg nicht.",
        Options(language="de"),
        gazetteer=full_gazetteer,
    )
    ids = {place.name: place.id for place in story.places}
    assert ids == {
        "Landkreis Göttingen": "dateline:de-kreis-03159",
        "Göttingen": "geonames:2918632",
        "Rhein-Sieg-Kreis": "dateline:de-kreis-05382",
        "Landkreis Harburg": "dateline:de-kreis-03353",  # in Lower Saxony, not Hamburg's Harburg
    }
    assert DESTATIS_DISTRICTS_CREDIT in credits(story)


def test_an_airport_is_the_airport_and_a_town_of_its_name_stays_a_town(full_gazetteer):
    """data/gazetteer/airports.tsv: "Heathrow airport" in a British story is London's airport, not
    Heathrow in Florida, which a qualifier still names; "Flughafen Schiphol" and "O'Hare" are found
    at all; the map credits OurAirports."""
    from geo.pipeline import Options, analyse
    from geo.render.style import AIRPORTS_CREDIT, credits

    british = "British officers searched an Aeroflot plane at Heathrow airport on Friday."
    assert ids(resolve(british, full_gazetteer))["Heathrow"] == "dateline:airport-lhr"
    florida = "The storm hit Heathrow, Florida, on Monday."
    assert ids(resolve(florida, full_gazetteer))["Heathrow"] == "geonames:4158296"
    assert ids(resolve("Am Flughafen Schiphol fielen Flüge aus.", full_gazetteer, "de")) == {
        "Schiphol": "dateline:airport-ams"
    }
    story = analyse("The jet left O'Hare for Denver.", Options(language="en"), gazetteer=full_gazetteer)
    assert story.places[0].id == "dateline:airport-ord" and AIRPORTS_CREDIT in credits(story)


def test_big_cities_are_found_by_the_short_names_news_gives_them(full_gazetteer):
    """data/gazetteer/city_names.tsv: "L.A." and "NYC" are no codes to leave out, as "FNJ" is."""
    found = ids(resolve("He moved from NYC to L.A. in 2001.", full_gazetteer))
    assert found == {"NYC": "geonames:5128581", "L.A.": "geonames:5368361"}


def test_islands_that_geonames_towns_lack_are_places_and_towns_keep_their_names(full_gazetteer):
    """data/gazetteer/features.tsv: Hawaii's islands, Trinidad and Tobago's, Long Island; a town
    of an island's name stays the town where a qualifier says so ("Trinidad, Bolivia")."""
    hawaii = ids(resolve("On Oahu, home to Honolulu, the population declined.", full_gazetteer))
    assert hawaii == {"Oahu": "dateline:oahu", "Honolulu": "geonames:5856195"}
    assert ids(resolve("Floods hit Trinidad, Bolivia, on Monday.", full_gazetteer))["Trinidad"] == "geonames:3902377"
    assert ids(resolve("He lives on Long Island.", full_gazetteer)) == {"Long Island": "dateline:long-island"}


def test_a_sankt_town_is_found_as_news_writes_it(full_gazetteer):
    """GeoNames writes "Sankt Ingbert"; news "St. Ingbert" (geo.places.gazetteer adds the form)."""
    assert ids(resolve("Er kam aus St. Ingbert zurück.", full_gazetteer, "de")) == {"St. Ingbert": "geonames:2841590"}


def test_a_city_of_half_a_million_is_known_by_its_name_alone(full_gazetteer):
    """In an article about Virginia, "Boston" is Massachusetts' city, not a hamlet of Virginia that
    the state's evidence and the article's towns nearby would favour; a capital's prominence is
    counted once (a list of states keeps "Washington" the state)."""
    text = (
        "Storms knocked out power across Virginia, Maryland and Delaware on Monday. In Richmond, Norfolk and "
        "Virginia Beach, crews worked through the night. The governor flew to Roanoke and on to Lynchburg. "
        "Schools in Fairfax County, Arlington and Alexandria were closed. Forecasters said the system would "
        "move toward New York and Boston by Wednesday."
    )
    places = by_text(resolve(text, full_gazetteer))
    assert places["Boston"].candidates[0].admin1 == "MA"
    states = by_text(
        resolve("Cases were found in Arizona, Colorado, Ohio, Utah, Washington and Wyoming.", full_gazetteer)
    )
    assert states["Washington"].kind == "region"


def test_a_town_does_not_take_a_well_known_place_s_name_that_it_bears_only_as_an_alias(full_gazetteer):
    """GeoNames lists "Quebec" among New Britain's (Connecticut) alternate names: in a story of New
    England it is still the province, whose own name it is. Own names in other spellings or cut short
    are no aliases: "Quebec" is Québec's, "New York" the city's."""
    from geo.places.resolution import _borrowed_names, _unique_candidates

    text = "Linemen from Vermont, New Hampshire and Quebec worked through the night in Maine."
    assert by_text(resolve(text, full_gazetteer))["Quebec"].country == "CA"
    for name, alias, own in [("Quebec", "New Britain", "Québec"), ("New York", "Niu-York", "New York City")]:
        matches = tuple(_unique_candidates(full_gazetteer.lookup(name)))
        borrowed = {m.candidate.name: b for m, b in zip(matches, _borrowed_names(matches, name.casefold()))}
        assert borrowed[alias] and not borrowed[own]


def test_a_well_known_place_s_name_cut_short_is_its_own_too(full_gazetteer):
    """ "Frankfurt" is only an alternate name of Frankfurt am Main, as of several towns in the
    United States called Frankfort; the city's own name starts with it, so in a story of American
    steel towns it is still the German city."""
    text = (
        "Steel towns in Michigan, Ohio and Indiana braced for the tariffs on Monday. Shares of the "
        "steelmaker fell 3% in New York and in Frankfurt trading."
    )
    assert by_text(resolve(text, full_gazetteer))["Frankfurt"].country == "DE"


def test_an_agency_s_dateline_names_the_town_the_world_knows_by_that_name(full_gazetteer):
    """A story of American tariffs filed in Geneva: the article's countries and the language's home
    countries favour Geneva, Illinois, but an agency writes a town alone only where the world knows
    it so; a smaller namesake takes its state ("GENEVA, N.Y. (AP)")."""
    story = (
        " — Negotiators from the United States and the European Union met again on Tuesday. Steel towns in "
        "Michigan, Ohio and Indiana have lost jobs since March, and Washington wants a deal before Christmas."
    )
    assert by_text(resolve("GENEVA (Reuters)" + story, full_gazetteer))["GENEVA"].country == "CH"
    assert by_text(resolve("GENEVA, N.Y. (AP)" + story, full_gazetteer))["GENEVA"].candidates[0].admin1 == "NY"
    parks = " — Rangers closed Mount Rainier National Park and Olympic National Park on Wednesday."
    assert by_text(resolve("WASHINGTON (AP)" + parks, full_gazetteer))["WASHINGTON"].kind == "city"  # no state


@pytest.mark.parametrize(
    ("text", "language", "name", "admin1"),
    [
        (
            "Lincoln Park, a steel town in Michigan, lost 400 jobs. Illinois and New Jersey fear the same.",
            "en",
            "Lincoln Park",
            "MI",
        ),
        (
            "Die Fabrik in Frankenberg, einer Kleinstadt in Sachsen, schließt. Auch Bayern und Hessen bangen.",
            "de",
            "Frankenberg",
            "13",
        ),
        (
            "Die Fabrik in Frankenberg, einer Kleinstadt in Hessen, schließt. Auch Bayern und Sachsen bangen.",
            "de",
            "Frankenberg",
            "05",
        ),
    ],
)
def test_an_apposition_that_puts_a_town_in_a_region_qualifies_it(full_gazetteer, text, language, name, admin1):
    """ "Lincoln Park, a steel town in Michigan": the apposition says which Lincoln Park, as
    "Lincoln Park, Michigan" would, whatever other states the article names."""
    assert by_text(resolve(text, full_gazetteer, language))[name].candidates[0].admin1 == admin1


def test_british_counties_and_regions_that_news_names(full_gazetteer):
    """Sussex, the West Midlands and Greater Manchester are named in British news as often as the
    counties GeoNames lists; Zimbabwe's Midlands province stays Zimbabwe's in a story of Zimbabwe."""
    british = by_text(
        resolve(
            "Floods hit Kent and Sussex; police in the West Midlands and Greater Manchester were on alert.",
            full_gazetteer,
        )
    )
    assert {british[name].country for name in ("Sussex", "West Midlands", "Greater Manchester")} == {"GB"}
    zimbabwe = by_text(resolve("Drought hit Zimbabwe's Midlands and Masvingo provinces near Gweru.", full_gazetteer))
    assert zimbabwe["Midlands"].country == "ZW"


def test_regions_that_news_names_in_australia_and_north_america(full_gazetteer):
    """Gippsland, the Illawarra, the Bay Area and the Prairies: regions of news that no
    administrative list holds."""
    places = by_text(
        resolve(
            "Bushfires burnt in Gippsland and the Illawarra in Australia; in the Bay Area and on the "
            "Prairies of Canada, smoke hung over the cities.",
            full_gazetteer,
        )
    )
    countries = {name: places[name].country for name in ("Gippsland", "Illawarra", "Bay Area", "Prairies")}
    assert countries == {"Gippsland": "AU", "Illawarra": "AU", "Bay Area": "US", "Prairies": "CA"}


def test_an_ocean_s_half_after_the_article(full_gazetteer):
    """ "the cold waters of the North Atlantic" is the ocean's northern half, not Atlantic, Iowa; the
    Outer Banks are North Carolina's islands."""
    places = by_text(
        resolve(
            "The storm passed the Outer Banks of North Carolina and weakened over the North Atlantic.", full_gazetteer
        )
    )
    assert places["North Atlantic"].kind == "water" and places["Outer Banks"].country == "US"


def test_a_town_of_no_known_size_in_a_state_the_article_never_names_is_left_off(full_gazetteer):
    """The postal sources add hamlets without head counts; one in Virginia, where an article about
    Louisiana names a place the gazetteer lacks, is a chance namesake, not a stop on the map."""
    louisiana = by_text(
        resolve("Flooding closed roads across Louisiana, and crews in Lanexa cleared trees.", full_gazetteer)
    )
    virginia = by_text(
        resolve("Flooding closed roads across Virginia, and crews in Lanexa cleared trees.", full_gazetteer)
    )
    assert "Lanexa" not in louisiana and virginia["Lanexa"].candidates[0].admin1 == "VA"


def test_national_parks_that_news_names(full_gazetteer):
    places = by_text(
        resolve(
            "Visitors were turned away at Yellowstone, in the Everglades and in the Great Smoky Mountains.",
            full_gazetteer,
        )
    )
    assert {
        name: places[name].candidates[0].admin1 for name in ("Yellowstone", "Everglades", "Great Smoky Mountains")
    } == {
        "Yellowstone": "WY",
        "Everglades": "FL",
        "Great Smoky Mountains": "TN",
    }


def test_a_qualifier_counts_before_the_name_anchors_the_others(full_gazetteer):
    """Read alone, Rotterdam would be the town in New York state and make "New York" the state;
    "in the Netherlands" says which Rotterdam it is in the first reading already."""
    text = (
        "A strike at U.S. ports from Maine to Texas looms. Negotiators met in New York on Monday. In Rotterdam,"
        " in the Netherlands, port officials said ships bound for Houston and Savannah, Ga., could wait for weeks."
    )
    places = by_text(resolve(text, full_gazetteer))
    assert places["Rotterdam"].country == "NL"
    assert places["New York"].id == "geonames:5128581"


def test_a_small_island_is_one_point_where_journeys_and_distances_can_end(full_gazetteer):
    """Lampedusa or Heligoland is a few kilometres across: a point on the map, not a region."""
    from geo.model import POINT_KINDS

    places = by_text(
        resolve("Boats left Sfax for Lampedusa; the ferry from Cuxhaven to Heligoland was cancelled.", full_gazetteer)
    )
    assert places["Lampedusa"].kind in POINT_KINDS and places["Heligoland"].kind in POINT_KINDS
    assert places["Lampedusa"].country == "IT" and places["Heligoland"].country == "DE"
