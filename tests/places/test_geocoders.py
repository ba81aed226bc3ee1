"""Online geocoders against local servers that answer like Nominatim, Photon and GeoNames (their real
response shapes): candidates, pace, cache and fallback. No request leaves 127.0.0.1 (conftest)."""

from __future__ import annotations

import io
import json
import socket

import pytest

from geo.__main__ import main
from geo.pipeline import run_stages
from geo.places.gazetteer import ONLINE
from geo.places.geocoders import (
    MESSAGES,
    GeocoderError,
    GeocoderSettings,
    OnlineGeocoder,
    online_matches,
    osm_kind,
    parse_nominatim,
    unknown_names,
)
from geo.places.online import Limits, ResponseCache
from geo.places.recognition import find_toponyms
from geo.read.document import document_from_text
from tests.conftest import NetworkBlocked
from tests.localserver import FakeClock, FakeService, served

# The project's own article (facts carry over: the train's route to the Russian border).
ARTICLE = (
    "Der Sonderzug verließ Pjöngjang am Sonntagabend. Nach einem Halt in Tumangang fuhr er über die "
    "Grenze nach Chassan und erreichte am Dienstag Wladiwostok."
)

# Nominatim /search?format=json&addressdetails=1&extratags=1&namedetails=1&accept-language=de
KHASAN = {
    "place_id": 229826437,
    "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
    "osm_type": "node",
    "osm_id": 1617093990,
    "lat": "42.4302557",
    "lon": "130.6416574",
    "class": "place",
    "type": "village",
    "place_rank": 19,
    "importance": 0.3090,
    "addresstype": "village",
    "name": "Chassan",
    "display_name": "Chassan, Chassanski rajon, Region Primorje, Föderationskreis Ferner Osten, 692725, Russland",
    "address": {
        "village": "Chassan",
        "county": "Chassanski rajon",
        "state": "Region Primorje",
        "ISO3166-2-lvl4": "RU-PRI",
        "postcode": "692725",
        "country": "Russland",
        "country_code": "ru",
    },
    "extratags": {"population": "742", "wikidata": "Q2614370"},
    "namedetails": {"name": "Хасан", "name:de": "Chassan", "name:en": "Khasan", "name:ko": "하산"},
    "boundingbox": ["42.4102557", "42.4502557", "130.6216574", "130.6616574"],
}
TUMANGANG = {
    "place_id": 17291033,
    "licence": KHASAN["licence"],
    "osm_type": "node",
    "osm_id": 4466301398,
    "lat": "42.4197133",
    "lon": "130.6231460",
    "class": "railway",
    "type": "station",
    "place_rank": 30,
    "importance": 0.2001,
    "addresstype": "railway",
    "name": "Tumangang",
    "display_name": "Tumangang, Rason, Nordkorea",
    "address": {"railway": "Tumangang", "city": "Rason", "country": "Nordkorea", "country_code": "kp"},
    "extratags": {},
    "namedetails": {"name": "두만강", "name:de": "Tumangang", "name:en": "Tumangang"},
    "boundingbox": ["42.4196633", "42.4197633", "130.6230960", "130.6231960"],
}
VLADIVOSTOK_CITY = {  # the city the offline index holds already: left out, not doubled
    "place_id": 258624412,
    "licence": KHASAN["licence"],
    "osm_type": "relation",
    "osm_id": 2227140,
    "lat": "43.1150678",
    "lon": "131.8855768",
    "class": "boundary",
    "type": "administrative",
    "place_rank": 16,
    "importance": 0.6755,
    "addresstype": "city",
    "name": "Wladiwostok",
    "display_name": "Wladiwostok, Stadtkreis Wladiwostok, Region Primorje, Russland",
    "address": {"city": "Wladiwostok", "country": "Russland", "country_code": "ru"},
    "extratags": {"population": "603519"},
    "namedetails": {"name": "Владивосток", "name:de": "Wladiwostok"},
    "boundingbox": ["42.8", "43.4", "131.7", "132.3"],
}
VLADIVOSTOK_STATION = {  # another place of the same name: a new candidate, ranked below the city
    "place_id": 3039421,
    "licence": KHASAN["licence"],
    "osm_type": "node",
    "osm_id": 1599960183,
    "lat": "43.1117390",
    "lon": "131.8817140",
    "class": "railway",
    "type": "station",
    "place_rank": 30,
    "importance": 0.3,
    "addresstype": "railway",
    "name": "Wladiwostok",
    "display_name": "Wladiwostok, Aleutskaja uliza, Wladiwostok, Region Primorje, Russland",
    "address": {"railway": "Wladiwostok", "city": "Wladiwostok", "country": "Russland", "country_code": "ru"},
    "extratags": {"railway:ref": "980003"},
    "namedetails": {"name": "Владивосток", "name:de": "Wladiwostok"},
    "boundingbox": ["43.111689", "43.111789", "131.881664", "131.881764"],
}
KHASAN_LAKE_STREET = {  # the service's fuzzy match: a street that merely contains the name
    **KHASAN,
    "osm_type": "way",
    "osm_id": 97781234,
    "class": "highway",
    "type": "residential",
    "addresstype": "road",
    "name": "Chassanskaja uliza",
    "namedetails": {"name": "Хасанская улица"},
}
NOMINATIM = {
    "Chassan": [KHASAN, KHASAN_LAKE_STREET],
    "Tumangang": [TUMANGANG],
    "Wladiwostok": [VLADIVOSTOK_CITY, VLADIVOSTOK_STATION],
}

# Photon /api?q=...&limit=5&lang=de (GeoJSON)
PHOTON_KHASAN = {
    "type": "FeatureCollection",
    "features": [
        {
            "geometry": {"coordinates": [130.6416574, 42.4302557], "type": "Point"},
            "type": "Feature",
            "properties": {
                "osm_type": "N",
                "osm_id": 1617093990,
                "country": "Russland",
                "osm_key": "place",
                "countrycode": "RU",
                "osm_value": "village",
                "postcode": "692725",
                "name": "Chassan",
                "county": "Chassanski rajon",
                "state": "Region Primorje",
                "type": "city",
            },
        }
    ],
}
# GeoNames searchJSON
GEONAMES_KHASAN = {
    "totalResultsCount": 1,
    "geonames": [
        {
            "adminCode1": "59",
            "lng": "130.64366",
            "geonameId": 2022143,
            "toponymName": "Khasan",
            "countryId": "2017370",
            "fcl": "P",
            "population": 742,
            "countryCode": "RU",
            "name": "Chassan",
            "fclName": "city, village,...",
            "countryName": "Russland",
            "fcodeName": "populated place",
            "adminName1": "Primorje",
            "lat": "42.43085",
            "fcode": "PPL",
        }
    ],
}


def nominatim_answer(path, query):
    if path != "/search":
        return 404, {"error": "not found"}, {}
    return 200, NOMINATIM.get(query.get("q"), []), {}


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def cache(tmp_path):
    store = ResponseCache(tmp_path / "online.sqlite")
    yield store
    store.close()


@pytest.fixture
def nominatim(clock):
    with served(FakeService(nominatim_answer, clock)) as fake:
        yield fake


def client(fake_or_url, cache, clock, service="nominatim", timeout=2.0, **settings) -> OnlineGeocoder:
    url = getattr(fake_or_url, "url", fake_or_url)
    return OnlineGeocoder(
        GeocoderSettings(service, url=url, user_agent="dateline-tests/1.0 (tests@example.org)", **settings),
        limits=Limits(min_delay=1.0, timeout=timeout, clock=clock, sleep=clock.sleep),
        cache=cache,
    )


def analysed(geocoder, small_gazetteer, text=ARTICLE):
    document = document_from_text(text, language="de")
    return run_stages(document, "train", small_gazetteer, geocoder=geocoder)


# -- answers into candidates ----------------------------------------------------------------------


def test_a_nominatim_answer_becomes_candidates_in_the_real_shape(nominatim, cache, clock):
    found = client(nominatim, cache, clock).search("Chassan", "de")
    assert found[0] == {
        "id": "osm:N1617093990",
        "name": "Chassan",
        "names": ["Chassan", "Хасан", "Chassan", "Khasan", "하산"],
        "lat": 42.4302557,
        "lon": 130.6416574,
        "country": "RU",
        "kind": "city",
        "population": 742,
    }
    [request] = nominatim.requests
    assert request["query"] == {
        "q": "Chassan",
        "format": "json",
        "limit": "5",
        "addressdetails": "1",
        "extratags": "True",
        "namedetails": "1",
        "accept-language": "de",
    }  # as geopy sends it
    assert request["headers"]["User-Agent"] == "dateline-tests/1.0 (tests@example.org)"


def test_a_photon_answer_becomes_candidates(clock, cache):
    with served(FakeService(lambda path, query: (200, PHOTON_KHASAN if path == "/api" else {}, {}), clock)) as photon:
        found = client(photon, cache, clock, service="photon").search("Chassan", "de")
        assert photon.requests[0]["query"] == {"q": "Chassan", "limit": "5", "lang": "de"}
    assert [(c["id"], c["kind"], c["country"], c["lat"]) for c in found] == [
        ("osm:N1617093990", "city", "RU", 42.4302557)
    ]


def test_a_geonames_answer_keeps_the_offline_index_ids(clock, cache):
    with served(FakeService(lambda path, query: (200, GEONAMES_KHASAN, {}), clock)) as geonames:
        found = client(geonames, cache, clock, service="geonames", username="dateline_tests").search("Chassan", "de")
        assert geonames.requests[0]["path"] == "/searchJSON"
        assert geonames.requests[0]["query"]["username"] == "dateline_tests"
    assert [(c["id"], c["kind"], c["population"]) for c in found] == [("geonames:2022143", "city", 742)]


@pytest.mark.parametrize(
    "key, value, address_type, kind",
    [
        ("place", "village", "village", "city"),
        ("boundary", "administrative", "country", "country"),
        ("boundary", "administrative", "state", "region"),
        ("natural", "water", "", "water"),
        ("waterway", "river", "", "water"),
        ("railway", "station", "railway", "landmark"),
        ("highway", "residential", "road", "landmark"),
        ("place", "continent", "continent", "continent"),
    ],
)
def test_osm_features_get_dateline_kinds(key, value, address_type, kind):
    assert osm_kind(key, value, address_type) == kind


def test_only_answers_that_bear_the_name_count_and_known_places_are_not_doubled():
    answers = parse_nominatim(KHASAN) + parse_nominatim(KHASAN_LAKE_STREET)
    assert [m.candidate.id for m in online_matches("Chassan", answers, [])] == ["osm:N1617093990"]
    from geo.model import Candidate

    offline_khasan = Candidate("geonames:2022143", "Khasan", 42.43085, 130.64366, "RU", "city", 742)
    assert online_matches("Chassan", answers, [offline_khasan]) == ()
    [match] = online_matches("Khasan", parse_nominatim(KHASAN), [])
    assert match.flags & ONLINE and match.form == "Khasan"


# -- in the analysis ------------------------------------------------------------------------------


def test_online_places_join_the_offline_ones_and_are_ranked_by_the_same_resolver(
    nominatim, cache, clock, small_gazetteer
):
    story = analysed(client(nominatim, cache, clock), small_gazetteer)
    places = {p.label: p for p in story.places}
    assert places["Chassan"].id == "osm:N1617093990" and places["Chassan"].country == "RU"
    assert places["Tumangang"].id == "osm:N4466301398" and places["Tumangang"].kind == "landmark"
    assert story.document.chars == len(ARTICLE)
    for label in ("Chassan", "Tumangang"):
        [mention] = places[label].mentions
        assert ARTICLE[mention.start : mention.end] == label
    vladivostok = places["Wladiwostok"]
    assert vladivostok.id == "geonames:2013348"  # the city, not the station of the same name
    assert [c.id for c in vladivostok.candidates] == ["geonames:2013348", "osm:N1599960183"]
    assert places["Pjöngjang"].id == "geonames:1871859"
    assert story.notes == ()
    asked = [r["query"]["q"] for r in nominatim.requests]
    assert asked == ["Pjöngjang", "Wladiwostok", "Tumangang", "Chassan"]  # known names first, then the new


def test_without_a_geocoder_the_names_the_index_lacks_stay_unplaced(small_gazetteer):
    story = analysed(None, small_gazetteer)
    assert {p.label for p in story.places} == {"Pjöngjang", "Wladiwostok"}


def test_names_the_index_lacks_are_asked_only_where_the_text_says_place(small_gazetteer):
    text = (
        "Nach Angaben der Bahn fuhr Präsident Kim Jong Un nach Chassan. Außenminister Sergej Lawrow "
        "wartete dort; Lawrow reiste dann in Richtung Norden."
    )
    document = document_from_text(text, language="de")
    toponyms = find_toponyms(document.text, document.sentences, "de", small_gazetteer)
    assert [name for _s, _e, name in unknown_names(text, document.sentences, "de", toponyms, small_gazetteer)] == [
        "Chassan"
    ]


def test_a_persons_town_after_of_is_asked_too(small_gazetteer):
    """ "Nora Whitfield of Tumangang": the cue `origin` says place as "from" does."""
    text = "The driver, Nora Whitfield of Tumangang, was treated at the scene."
    document = document_from_text(text, language="en")
    toponyms = find_toponyms(document.text, document.sentences, "en", small_gazetteer)
    assert [name for _s, _e, name in unknown_names(text, document.sentences, "en", toponyms, small_gazetteer)] == [
        "Tumangang"
    ]


def test_the_same_article_never_asks_twice_and_the_cache_outlives_the_client(
    nominatim, cache, clock, small_gazetteer, tmp_path
):
    first = analysed(client(nominatim, cache, clock), small_gazetteer)
    asked = len(nominatim.requests)
    assert cache.counts.misses == asked and cache.counts.hits == 0
    second = analysed(client(nominatim, cache, clock), small_gazetteer)
    assert len(nominatim.requests) == asked and cache.counts.hits == asked
    assert second == first
    reopened = ResponseCache(cache.path)  # another process, another day: the same file
    try:
        assert analysed(client(nominatim, reopened, clock), small_gazetteer) == first
        assert len(nominatim.requests) == asked and reopened.counts.hits == asked and reopened.counts.misses == 0
    finally:
        reopened.close()


def test_the_cache_keys_on_service_address_question_and_language(nominatim, cache, clock):
    geocoder = client(nominatim, cache, clock)
    geocoder.search("Chassan", "de")
    geocoder.search("Chassan", "de")
    geocoder.search("Chassan", "en")
    assert (cache.counts.hits, cache.counts.misses, len(nominatim.requests)) == (1, 2, 2)
    same_address = client(nominatim.url.upper().replace("HTTP://", "http://") + "/", cache, clock)
    same_address.search("Chassan", "de")  # another spelling of the same address: answered from the cache
    assert len(nominatim.requests) == 2
    with served(FakeService(nominatim_answer, clock)) as elsewhere:
        client(elsewhere, cache, clock).search("Chassan", "de")
        with served(FakeService(lambda path, query: (200, PHOTON_KHASAN, {}), clock)) as photon:
            client(photon, cache, clock, service="photon").search("Chassan", "de")
            assert len(photon.requests) == 1
        assert len(elsewhere.requests) == 1  # another address: asked


def test_the_pace_keeps_one_request_a_second_measured_on_a_fake_clock(nominatim, cache, clock):
    geocoder = client(nominatim, cache, clock)
    for name in ("Chassan", "Tumangang", "Wladiwostok", "Pjöngjang"):
        geocoder.search(name, "de")
    times = [request["time"] for request in nominatim.requests]
    assert len(times) == 4
    assert all(later - earlier >= 1.0 for earlier, later in zip(times, times[1:]))
    assert clock.now == pytest.approx(3.0)  # waited exactly as long as the policy asks, no longer
    geocoder.search("Chassan", "de")  # a cached answer waits for nothing
    assert clock.now == pytest.approx(3.0)


def test_two_clients_of_one_service_share_its_pace(nominatim, tmp_path, clock):
    first, second = (ResponseCache(tmp_path / f"{n}.sqlite") for n in (1, 2))
    try:
        client(nominatim, first, clock).search("Chassan", "de")
        client(nominatim, second, clock).search("Tumangang", "de")
    finally:
        first.close()
        second.close()
    earlier, later = (request["time"] for request in nominatim.requests)
    assert later - earlier >= 1.0


# -- failures: the analysis completes offline, with a note ----------------------------------------


def closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.mark.filterwarnings("ignore:Latitude normalization:UserWarning")  # geopy's, on the out-of-range answer
@pytest.mark.parametrize(
    "failure, status, body, headers, expected, tries",
    [
        ("http-500", 500, b"<html>Internal Server Error</html>", {}, "answered HTTP 500", 3),
        (
            "http-429",
            429,
            b"Too Many Requests",
            {"Retry-After": "3"},
            "refused the request: HTTP 429 (too many requests)",
            3,
        ),
        ("http-503", 503, b"", {}, "answered HTTP 503", 3),
        ("http-403", 403, b"Access blocked", {}, "refused the request: HTTP 403 (check the User-Agent", 1),
        ("not-json", 200, b"<html>maintenance</html>", {}, "not a geocoding result (not JSON)", 1),
        ("wrong-json", 200, b'{"results": "none"}', {}, "not a geocoding result", 1),
        ("bad-coordinates", 200, json.dumps([{**KHASAN, "lat": "142.0"}]).encode(), {}, "not a geocoding result", 1),
        (
            "huge-id",
            200,
            json.dumps([{**KHASAN, "osm_id": 1e400}]).encode().replace(b"Infinity", b"1e400"),
            {},
            "not a geocoding result",
            1,
        ),
        ("retry-after-too-long", 429, b"", {"Retry-After": "600"}, "HTTP 429", 1),
    ],
)
def test_a_failing_service_leaves_the_analysis_offline_with_a_note(
    nominatim, cache, clock, small_gazetteer, failure, status, body, headers, expected, tries
):
    for _ in range(3):
        nominatim.then(status, body, **headers)
    story = analysed(client(nominatim, cache, clock), small_gazetteer)
    assert {p.label for p in story.places} == {"Pjöngjang", "Wladiwostok"}  # the offline answer, complete
    [note] = story.notes
    assert expected in note and note.startswith(f"Nominatim at 127.0.0.1:{nominatim.server.server_port}")
    assert note.endswith("resolved with the offline index only.")
    assert len(nominatim.requests) == tries  # retried on 429 and 5xx only; then nothing more was asked
    if tries == 3:
        assert clock.slept[-2:] == ([3.0, 3.0] if status == 429 else [1.0, 2.0])  # backoff (Retry-After wins)
    assert len(cache) == 0  # failures are never cached: next time the service is asked again


def test_fields_of_the_wrong_type_are_read_safely_and_a_bad_stored_answer_is_skipped(nominatim, cache, clock):
    nominatim.then(
        200,
        [
            {
                **KHASAN,
                "name": 123,
                "namedetails": {"name": ["Хасан"], "name:en": "Khasan"},
                "address": {"country_code": ["ru"]},
            }
        ],
    )
    [found] = client(nominatim, cache, clock).search("Chassan", "de")
    assert found["name"] == "Chassan" and found["names"] == ["Chassan", "Khasan"] and found["country"] is None
    from geo.places.geocoders import parse_geonames

    assert parse_geonames({**GEONAMES_KHASAN["geonames"][0], "countryCode": ["RU"]})[0]["country"] is None
    stored = [
        {"id": "osm:N1", "name": 5, "names": ["Chassan"], "lat": 1, "lon": 2, "country": "RU", "kind": "city"},
        {
            "id": "osm:N2",
            "name": "Chassan",
            "names": ["Chassan"],
            "lat": 1,
            "lon": 2,
            "country": ["RU"],
            "kind": "city",
        },
        {
            "id": "osm:N3",
            "name": "Chassan",
            "names": ["Chassan"],
            "lat": 1,
            "lon": 2,
            "country": "RU",
            "kind": "planet",
        },
        "not a place",
        {
            "id": "osm:N4",
            "name": "Chassan",
            "names": ["Chassan"],
            "lat": 1,
            "lon": 2,
            "country": "RU",
            "kind": "city",
            "population": 5,
        },
    ]
    assert [m.candidate.id for m in online_matches("Chassan", stored, [])] == ["osm:N4"]


def test_the_public_nominatim_with_a_trailing_dot_is_the_public_nominatim(monkeypatch, cache):
    monkeypatch.delenv("DATELINE_USER_AGENT", raising=False)
    with pytest.raises(GeocoderError, match="usage policy"):
        OnlineGeocoder(GeocoderSettings("nominatim", url="https://nominatim.openstreetmap.org./"), cache=cache)


def test_counts_say_what_was_asked_after_a_failure(nominatim, cache, clock, small_gazetteer):
    nominatim.then(403, b"blocked")
    geocoder = client(nominatim, cache, clock)
    analysed(geocoder, small_gazetteer)
    assert (geocoder.counts.hits, geocoder.counts.misses) == (0, 1)  # one question sent; the rest never asked


def test_an_odd_population_is_no_population(nominatim, cache, clock):
    nominatim.then(200, [{**KHASAN, "extratags": {"population": "inf"}}])
    assert client(nominatim, cache, clock).search("Chassan", "de")[0]["population"] == 0


def test_a_photon_feature_without_coordinates_is_a_note(clock, cache, small_gazetteer):
    broken = {
        "type": "FeatureCollection",
        "features": [{**PHOTON_KHASAN["features"][0], "geometry": {"type": "Point", "coordinates": []}}],
    }
    with served(FakeService(lambda path, query: (200, broken, {}), clock)) as photon:
        story = analysed(client(photon, cache, clock, service="photon"), small_gazetteer)
    [note] = story.notes
    assert "not a geocoding result" in note and {p.label for p in story.places} == {"Pjöngjang", "Wladiwostok"}


def test_after_a_429_the_service_rests_and_cached_answers_still_count(nominatim, cache, clock, small_gazetteer):
    geocoder = client(nominatim, cache, clock)
    geocoder.search("Chassan", "de")  # answered earlier, kept
    nominatim.then(429, b"", **{"Retry-After": "600"})
    story = analysed(geocoder, small_gazetteer)
    assert "HTTP 429" in story.notes[0]
    assert "Chassan" in {p.label for p in story.places}  # from the cache, though the service refused
    asked = len(nominatim.requests)
    again = analysed(geocoder, small_gazetteer)
    assert len(nominatim.requests) == asked  # resting: not asked at all
    assert "not asked again for 600 s" in again.notes[0]
    clock.sleep(601)
    assert analysed(geocoder, small_gazetteer).notes == ()


def test_a_cache_file_that_cannot_be_used_is_a_note_not_a_crash(nominatim, clock, small_gazetteer, tmp_path):
    broken = ResponseCache(tmp_path)  # a directory where the file should be
    story = analysed(client(nominatim, broken, clock), small_gazetteer)
    assert "Chassan" in {p.label for p in story.places}
    assert any("cannot be used" in note and "answers are not kept" in note for note in story.notes)


def test_the_public_nominatim_named_by_its_address_keeps_its_policy(monkeypatch, cache):
    monkeypatch.delenv("DATELINE_USER_AGENT", raising=False)
    for url in ("https://nominatim.openstreetmap.org", "HTTPS://Nominatim.OpenStreetMap.org:443/"):
        with pytest.raises(GeocoderError, match="usage policy"):
            OnlineGeocoder(GeocoderSettings("nominatim", url=url), cache=cache)
    named = OnlineGeocoder(
        GeocoderSettings("nominatim", url="https://nominatim.openstreetmap.org/", user_agent="newsroom-maps/2.0"),
        cache=cache,
    )
    assert named.limits.min_delay == 1.0 and named.address == "https://nominatim.openstreetmap.org"


def test_a_service_that_recovers_within_the_retries_is_used(nominatim, cache, clock, small_gazetteer):
    nominatim.then(503).then(502, b"Bad Gateway")
    story = analysed(client(nominatim, cache, clock), small_gazetteer)
    assert story.notes == () and "Chassan" in {p.label for p in story.places}


def test_an_error_in_the_body_of_an_answer_is_a_note(clock, cache, small_gazetteer):
    over = {
        "status": {
            "message": "the daily limit of 20000 credits for demo has been exceeded. Please use an "
            "application specific account.",
            "value": 18,
        }
    }
    with served(FakeService(lambda path, query: (200, over, {}), clock)) as geonames:
        story = analysed(client(geonames, cache, clock, service="geonames", username="demo"), small_gazetteer)
    [note] = story.notes
    assert "GeoNames at" in note and "refused the request (the daily limit of 20000 credits" in note


def test_the_map_legend_shows_the_notes_escaped(nominatim, cache, clock, small_gazetteer):
    from geo.render.markup import legend_html

    nominatim.then(500, b"").then(500, b"").then(500, b"")
    story = analysed(client(nominatim, cache, clock), small_gazetteer)
    hostile = type(story)(**{**story.__dict__, "notes": ("<script>alert(1)</script> service failed",)})
    legend = legend_html(hostile)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; service failed" in legend and "<script>" not in legend
    assert "offline index only" in legend_html(story)


def test_a_slow_service_times_out_into_a_note(nominatim, cache, clock, small_gazetteer):
    nominatim.then(200, [KHASAN], delay=5.0)
    story = analysed(client(nominatim, cache, clock, timeout=0.3), small_gazetteer)
    [note] = story.notes
    assert "did not answer within 0.3 s" in note
    assert {p.label for p in story.places} == {"Pjöngjang", "Wladiwostok"}


def test_a_refused_connection_is_a_note(cache, clock, small_gazetteer):
    url = closed_port()
    story = analysed(client(url, cache, clock), small_gazetteer)
    [note] = story.notes
    assert f"Nominatim at {url.removeprefix('http://')} cannot be reached (Connection refused)" in note


def test_too_many_names_are_capped_with_a_note(nominatim, cache, clock, small_gazetteer):
    story = analysed(client(nominatim, cache, clock, max_queries=2), small_gazetteer)
    assert len(nominatim.requests) == 2
    [note] = story.notes
    assert note == MESSAGES["capped"].format(
        service=f"Nominatim at 127.0.0.1:{nominatim.server.server_port}", limit=2, more=2
    )


# -- set-up ---------------------------------------------------------------------------------------


def test_public_nominatim_needs_a_user_agent_that_the_user_sets(monkeypatch, cache):
    monkeypatch.setenv("DATELINE_USER_AGENT", "newsroom-maps/2.0 (maps@example.org)")  # the CLI's default only
    with pytest.raises(GeocoderError, match="usage policy"):
        OnlineGeocoder(GeocoderSettings("nominatim"), cache=cache)
    geocoder = OnlineGeocoder(
        GeocoderSettings("nominatim", user_agent="newsroom-maps/2.0 (maps@example.org)"), cache=cache
    )
    assert geocoder.address == "https://nominatim.openstreetmap.org" and geocoder.limits.min_delay == 1.0
    assert geocoder._geocoder.headers["User-Agent"] == "newsroom-maps/2.0 (maps@example.org)"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/",
        "127.0.0.1:8080",
        "http://",
        "http://user:pw@127.0.0.1/",
        "http://127.0.0.1:port/",
        "http://127.0.0.1/?q=1",
    ],
)
def test_a_geocoder_url_that_is_not_http_is_refused(url, cache):
    with pytest.raises(GeocoderError, match="must be http"):
        OnlineGeocoder(GeocoderSettings("photon", url=url), cache=cache)


def test_geonames_needs_an_account(monkeypatch, cache):
    monkeypatch.setenv("GEONAMES_USERNAME", "newsroom")  # read by the CLI and the dashboard, not by the client
    with pytest.raises(GeocoderError, match="GEONAMES_USERNAME"):
        OnlineGeocoder(GeocoderSettings("geonames"), cache=cache)


def test_the_cli_takes_the_geocoder_and_reports_notes_and_the_cache(nominatim, tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_ONLINE_CACHE", str(tmp_path / "online.sqlite"))
    article = tmp_path / "train.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    argv = [
        "extract",
        str(article),
        "--lang",
        "de",
        "--geocoder",
        "nominatim",
        "--geocoder-url",
        nominatim.url,
        "--user-agent",
        "dateline-tests/1.0",
    ]
    assert main(argv, out, err) == 0
    story = json.loads(out.getvalue())
    assert "osm:N1617093990" in {p["id"] for p in story["places"]} and story["notes"] == []
    assert (tmp_path / "online.sqlite").exists()
    assert "cached" in err.getvalue() and "asked" in err.getvalue()
    nominatim.then(403, b"Access blocked")  # not retried: no real sleeping in this test
    monkeypatch.setenv("DATELINE_ONLINE_CACHE", str(tmp_path / "empty.sqlite"))
    out, err = io.StringIO(), io.StringIO()
    assert main([*argv[:-1], "dateline-tests/1.1"], out, err) == 0  # another client: its own first question fails
    story = json.loads(out.getvalue())
    assert story["notes"] and "offline index only" in err.getvalue()


def test_the_cli_refuses_a_geocoder_url_without_a_service(tmp_path):
    err = io.StringIO()
    assert main(["extract", "x.txt", "--geocoder-url", "http://127.0.0.1:1"], io.StringIO(), err) == 2
    assert "--geocoder-url needs --geocoder" in err.getvalue()


def test_no_test_reaches_beyond_loopback():
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("nominatim.openstreetmap.org", 443)
    with pytest.raises(NetworkBlocked):
        socket.gethostbyname("photon.komoot.io")


def test_a_map_with_online_places_credits_openstreetmap_and_links_the_feature(
    nominatim, cache, clock, small_gazetteer, tmp_path
):
    from geo.render.markup import source_line
    from geo.render.storymap import standalone_html
    from geo.render.style import GEONAMES_CREDIT, OSM_PLACES_CREDIT, credits

    story = analysed(client(nominatim, cache, clock), small_gazetteer)
    assert credits(story)[:2] == [GEONAMES_CREDIT, OSM_PLACES_CREDIT]
    assert "via the online geocoder" in standalone_html(story)
    assert OSM_PLACES_CREDIT not in credits(analysed(None, small_gazetteer))
    assert 'href="https://www.openstreetmap.org/node/1617093990"' in source_line("osm:N1617093990", 42.43, 130.64)
    assert "openstreetmap.org" not in source_line("osm:N12<script>", 0, 0)
    article = tmp_path / "train.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "story.json"
    out.write_text(json.dumps(story.to_dict(), ensure_ascii=False), encoding="utf-8")
    import subprocess
    import sys

    from tests.conftest import SHARED

    checked = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "check_story.py"), str(out), str(article)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0 and "0 problems" in checked.stdout, checked.stdout + checked.stderr
