"""The OSRM client against a local fake server that answers in OSRM's real response shape: parsing,
the cache, the pace and retries, and the messages (no test needs the network)."""

from __future__ import annotations

import json
import socket
import time
import urllib.parse
from contextlib import AbstractContextManager

import pytest

from geo.errors import NoRoute, RouterError, RouterUnavailable
from geo.journeys.osrm import default_limits, osrm_route, router_address
from geo.places.online import Limits, ResponseCache
from tests.localserver import FakeClock, FakeService, served

PYONGYANG, VLADIVOSTOK = (39.0339, 125.7543), (43.1056, 131.8735)
BERLIN, MUNICH = (52.5200, 13.4050), (48.1372, 11.5756)
ANADYR = (64.73, 177.51)

OSRM_OK = {  # the shape of a real OSRM /route/v1 answer (overview=full, geometries=geojson)
    "code": "Ok",
    "routes": [
        {
            "geometry": {
                "type": "LineString",
                "coordinates": [[125.7601, 39.0402], [129.7758, 41.7956], [130.6436, 42.4297], [131.8801, 43.1101]],
            },
            "legs": [{"steps": [], "summary": "", "weight": 61234.5, "duration": 61234.5, "distance": 1187654.3}],
            "weight_name": "routability",
            "weight": 61234.5,
            "duration": 61234.5,
            "distance": 1187654.3,
        }
    ],
    "waypoints": [
        {"hint": "abc", "distance": 712.4, "name": "", "location": [125.7601, 39.0402]},
        {"hint": "def", "distance": 801.9, "name": "", "location": [131.8801, 43.1101]},
    ],
}
NO_ROUTE = {"code": "NoRoute", "message": "Impossible route between points"}


class FakeOsrm(FakeService):
    """An OSRM stand-in on 127.0.0.1: answers every request with the status, body, headers and delay
    that the test set; ``requests`` are the request targets (path and query)."""

    def __init__(self) -> None:
        self.status, self.body, self.headers = 200, json.dumps(OSRM_OK).encode(), {}
        super().__init__(lambda path, query: (self.status, self.body, self.headers))

    @property
    def requests(self) -> list[str]:
        return [call["target"] for call in self.calls]

    def answer(self, status: int = 200, body: bytes | dict = b"", *, delay: float = 0.0, **headers: str) -> None:
        self.status, self.delay, self.headers = status, delay, headers
        self.body = json.dumps(body).encode() if isinstance(body, dict) else body


def running_fake_osrm() -> AbstractContextManager[FakeOsrm]:
    return served(FakeOsrm())


@pytest.fixture
def osrm(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")  # a proxy set for the machine must not see these
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with running_fake_osrm() as fake:
        yield fake


def test_an_osrm_route_is_read_from_its_real_response_shape(osrm):
    route = osrm_route(PYONGYANG, VLADIVOSTOK, osrm.url)
    assert route.km == pytest.approx(1187.6543)
    assert route.source == "osrm" and "OpenStreetMap" in route.credit
    assert route.path[0] == PYONGYANG and route.path[-1] == pytest.approx(VLADIVOSTOK)
    assert route.path[1] == pytest.approx((39.0402, 125.7601))  # [lon, lat] in GeoJSON, (lat, lon) here
    assert (41.7956, 129.7758) in route.path and (42.4297, 130.6436) in route.path
    [request] = osrm.requests
    parts = urllib.parse.urlsplit(request)
    assert parts.path == "/route/v1/driving/125.754300,39.033900;131.873500,43.105600"  # lon,lat;lon,lat
    assert urllib.parse.parse_qs(parts.query) == {"overview": ["full"], "geometries": ["geojson"]}


def test_an_osrm_route_is_cached_and_asks_for_the_given_profile(osrm):
    first = osrm_route(BERLIN, MUNICH, osrm.url + "/", profile="train", timeout=2)
    assert osrm_route(BERLIN, MUNICH, osrm.url.replace("http://", "HTTP://"), profile="train", timeout=2) == first
    [request] = osrm.requests
    assert request.startswith("/route/v1/train/13.405000,52.520000;11.575600,48.137200?")


def test_an_osrm_route_across_the_antimeridian_is_unrolled(osrm):
    osrm.answer(
        body={
            **OSRM_OK,
            "routes": [
                {
                    "distance": 830000.0,
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[177.52, 64.72], [-179.9, 64.6], [-170.0, 64.55], [-165.42, 64.5]],
                    },
                }
            ],
        }
    )
    route = osrm_route(ANADYR, (64.50, 194.59), osrm.url)  # the end given unrolled already
    assert "/route/v1/driving/177.510000,64.730000;-165.410000,64.500000?" in osrm.requests[0]
    assert route.path[0] == ANADYR and route.path[-1] == (64.50, 194.59)
    for lat, lon in [(64.72, 177.52), (64.6, 180.1), (64.55, 190.0), (64.5, 194.58)]:
        assert any(point == pytest.approx((lat, lon)) for point in route.path)
    longitudes = [lon for _, lon in route.path]
    assert longitudes == sorted(longitudes)  # eastwards all the way, no jump back by 360
    assert route.km == 830.0


@pytest.mark.parametrize(
    "status, body",
    [
        (400, NO_ROUTE),  # how OSRM answers a route it cannot find
        (200, NO_ROUTE),
        (500, b"<html>Internal Server Error</html>"),
        (502, b""),
        (200, b"{not json"),
        (200, b"\xff\xfe"),
        (200, {"code": "Ok", "routes": []}),
        (200, {"code": "Ok", "routes": [{"distance": 10.0}]}),
        (200, {"code": "Ok", "routes": [{"distance": "far", "geometry": {"coordinates": [[1, 2]]}}]}),
        (200, {"code": "Ok", "routes": [{"distance": 10.0, "geometry": {"coordinates": [[1, 95], [2, 3]]}}]}),
        (400, {"code": "InvalidQuery\nInjected: line", "message": "Query string malformed\r\nnear 'x'"}),
        (200, {"routes": []}),
        (200, [1, 2, 3]),
    ],
    ids=[
        "NoRoute-400",
        "NoRoute-200",
        "http-500",
        "http-502-empty",
        "malformed-json",
        "not-utf8",
        "no-routes",
        "no-geometry",
        "distance-not-a-number",
        "latitude-out-of-range",
        "newlines-in-code",
        "no-code",
        "json-list",
    ],
)
def test_a_bad_osrm_answer_is_router_unavailable(osrm, status, body):
    osrm.answer(status, json.dumps(body).encode() if isinstance(body, list) else body)
    clock = FakeClock()
    with pytest.raises(RouterUnavailable) as caught:
        osrm_route(PYONGYANG, VLADIVOSTOK, osrm.url, limits=Limits(min_delay=0.0, clock=clock, sleep=clock.sleep))
    assert len(osrm.requests) == (3 if status >= 500 else 1)  # 5xx tried again, with backoff
    assert clock.slept == ([1.0, 2.0] if status >= 500 else [])
    message = str(caught.value)
    assert "\n" not in message and osrm.url.removeprefix("http://") in message
    if body == NO_ROUTE:
        assert "NoRoute" in message and "Impossible route" in message
    if status >= 500:
        assert f"HTTP {status}" in message


def test_a_timeout_must_be_positive(osrm):
    with pytest.raises(ValueError, match="timeout"):
        osrm_route(PYONGYANG, VLADIVOSTOK, osrm.url, timeout=0)


def test_a_slow_osrm_server_times_out_quickly(osrm):
    osrm.answer(200, json.dumps(OSRM_OK).encode(), delay=10)
    started = time.monotonic()
    with pytest.raises(RouterUnavailable, match=r"did not answer within 0\.2 s"):
        osrm_route(PYONGYANG, VLADIVOSTOK, osrm.url, timeout=0.2)
    assert time.monotonic() - started < 2


def test_a_closed_port_is_router_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free, and nothing listens once the probe is closed
    with pytest.raises(RouterUnavailable, match="cannot be reached"):
        osrm_route(PYONGYANG, VLADIVOSTOK, f"http://127.0.0.1:{port}", timeout=1)


def test_a_redirect_away_from_http_is_not_followed(osrm):
    osrm.answer(302, b"", Location="ftp://127.0.0.1/route")
    with pytest.raises(RouterUnavailable, match="HTTP 302"):
        osrm_route(PYONGYANG, VLADIVOSTOK, osrm.url)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/osrm",
        "file:///etc/passwd",
        "localhost:5000",
        "127.0.0.1:5000",
        "http://",
        "http://127.0.0.1:port",
        "http://127.0.0.1:5000/?x=1",
        "",
        "javascript:x",
    ],
)
def test_a_router_url_that_is_not_http_is_refused(url):
    with pytest.raises(RouterError) as caught:
        osrm_route(PYONGYANG, VLADIVOSTOK, url)
    assert not isinstance(caught.value, RouterUnavailable)  # the user's setting, not the server
    assert "router URL" in str(caught.value)


@pytest.mark.parametrize("profile", ["", "driving/../x", "car?x=1", "a b"])
def test_a_profile_that_would_change_the_path_is_refused(osrm, profile):
    with pytest.raises(RouterError, match="profile"):
        osrm_route(PYONGYANG, VLADIVOSTOK, osrm.url, profile=profile)
    assert osrm.requests == []


def test_messages_never_show_the_password_of_a_router_url(osrm):
    osrm.answer(400, b"")
    url = osrm.url.replace("http://", "http://user:secret@")
    with pytest.raises(RouterUnavailable) as caught:
        osrm_route(PYONGYANG, VLADIVOSTOK, url)
    assert "secret" not in str(caught.value) and "127.0.0.1" in str(caught.value)


# -- the router's cache, pace and retries (geo.places.online) ------------------------------------------


def osrm_answer(path, query):
    return (200, OSRM_OK, {}) if path.startswith("/route/v1/") else (404, {"code": "NotFound"}, {})


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def paced_osrm(clock):
    with served(FakeService(osrm_answer, clock)) as fake:
        yield fake


def test_a_route_is_asked_once_and_kept_on_disk(paced_osrm, tmp_path, clock):
    limits = Limits(min_delay=1.0, clock=clock, sleep=clock.sleep)
    cache = ResponseCache(tmp_path / "routes.sqlite")
    first = osrm_route(PYONGYANG, VLADIVOSTOK, paced_osrm.url, cache=cache, limits=limits)
    reopened = ResponseCache(tmp_path / "routes.sqlite")
    try:
        again = osrm_route(PYONGYANG, VLADIVOSTOK, paced_osrm.url, cache=reopened, limits=limits)
    finally:
        cache.close()
        reopened.close()
    assert again == first and len(paced_osrm.requests) == 1
    assert (reopened.counts.hits, reopened.counts.misses) == (1, 0)


def test_routes_keep_the_servers_pace_on_a_fake_clock(paced_osrm, clock):
    limits = Limits(min_delay=1.0, clock=clock, sleep=clock.sleep)
    for end in (VLADIVOSTOK, BERLIN, MUNICH):
        osrm_route(PYONGYANG, end, paced_osrm.url, limits=limits)
    times = [request["time"] for request in paced_osrm.requests]
    assert len(times) == 3 and all(later - earlier >= 1.0 for earlier, later in zip(times, times[1:]))
    assert clock.now == pytest.approx(2.0)


def test_a_429_is_tried_again_after_its_retry_after(paced_osrm, clock):
    paced_osrm.then(429, {"message": "Too Many Requests"}, **{"Retry-After": "2"})
    route = osrm_route(
        PYONGYANG, VLADIVOSTOK, paced_osrm.url, limits=Limits(min_delay=0.0, clock=clock, sleep=clock.sleep)
    )
    assert route.km == pytest.approx(1187.6543) and len(paced_osrm.requests) == 2 and clock.slept == [2.0]


@pytest.mark.parametrize(
    "url, delay",
    [
        ("https://router.project-osrm.org", 1.0),
        ("HTTPS://Router.Project-OSRM.org:443/", 1.0),
        ("https://routing.openstreetmap.de/routed-car", 1.0),
        ("http://localhost:5000", 0.1),
    ],
)
def test_the_public_demo_servers_are_asked_once_a_second_at_most(url, delay):
    base = router_address(url)
    assert default_limits(base, 5.0).min_delay == delay


def test_no_route_is_an_answer_kept_like_a_route(osrm):
    osrm.answer(400, NO_ROUTE)
    for _ in range(2):
        with pytest.raises(NoRoute, match="Impossible route"):
            osrm_route(PYONGYANG, VLADIVOSTOK, osrm.url)
    assert len(osrm.requests) == 1


def test_a_503_with_an_osrm_code_is_tried_again(osrm, clock):
    osrm.answer(503, {"code": "Busy", "message": "try later"})
    with pytest.raises(RouterUnavailable, match="HTTP 503"):
        osrm_route(PYONGYANG, VLADIVOSTOK, osrm.url, limits=Limits(min_delay=0.0, clock=clock, sleep=clock.sleep))
    assert len(osrm.requests) == 3


def test_the_router_sends_the_users_user_agent(paced_osrm, monkeypatch):
    from geo.places.online import USER_AGENT

    monkeypatch.setenv("DATELINE_USER_AGENT", "env/1.0")  # the CLI's and the dashboard's default, not read here
    osrm_route(PYONGYANG, VLADIVOSTOK, paced_osrm.url, agent="newsroom-maps/1.0 (maps@example.org)")
    osrm_route(PYONGYANG, MUNICH, paced_osrm.url)
    assert [r["headers"]["User-Agent"] for r in paced_osrm.requests] == [
        "newsroom-maps/1.0 (maps@example.org)",
        USER_AGENT,
    ]


def test_a_long_retry_after_is_kept_and_the_router_rests(paced_osrm, clock):
    paced_osrm.then(429, {"message": "slow down"}, **{"Retry-After": "120"})
    limits = Limits(min_delay=0.0, clock=clock, sleep=clock.sleep)
    with pytest.raises(RouterUnavailable, match="HTTP 429"):
        osrm_route(PYONGYANG, VLADIVOSTOK, paced_osrm.url, limits=limits)
    assert len(paced_osrm.requests) == 1 and clock.slept == []  # not asked again within its 120 s
    with pytest.raises(RouterUnavailable, match="not asked again for 120 s"):
        osrm_route(PYONGYANG, MUNICH, paced_osrm.url, limits=limits)
    assert len(paced_osrm.requests) == 1
    clock.sleep(121)
    assert osrm_route(PYONGYANG, MUNICH, paced_osrm.url, limits=limits).km > 0


def test_a_cache_that_cannot_be_written_costs_the_caching_not_the_route(paced_osrm, tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_ONLINE_CACHE", str(tmp_path))  # a directory where the file should be
    route = osrm_route(PYONGYANG, VLADIVOSTOK, paced_osrm.url)
    assert route.km == pytest.approx(1187.6543)


def test_only_no_route_codes_are_kept_as_no_route(osrm):
    osrm.answer(400, {"code": "InvalidService", "message": "Service name invalid"})
    for _ in range(2):
        with pytest.raises(RouterUnavailable) as caught:
            osrm_route(PYONGYANG, VLADIVOSTOK, osrm.url)
        assert not isinstance(caught.value, NoRoute)
    assert len(osrm.requests) == 2  # an error, not an answer: asked again


def test_a_retry_after_that_is_no_number_asks_for_no_wait():
    from geo.places.online import ServiceUnavailable

    for value in (float("nan"), float("inf"), -1.0):
        assert ServiceUnavailable("x", status=429, retry_after=value).retry_after is None


def test_a_batch_may_not_send_its_workers_to_a_public_demo_server(tmp_path):
    import io

    from geo.__main__ import main

    err = io.StringIO()
    assert (
        main(
            [
                "batch",
                str(tmp_path),
                "-o",
                str(tmp_path / "out.parquet"),
                "--router",
                "https://router.project-osrm.org",
            ],
            io.StringIO(),
            err,
        )
        == 2
    )
    assert "your own OSRM server" in err.getvalue()


def test_the_cli_sends_the_user_agent_to_the_router_and_restores_the_environment(paced_osrm, tmp_path, monkeypatch):
    import io
    import os

    from geo.__main__ import main

    monkeypatch.delenv("DATELINE_USER_AGENT", raising=False)
    article = tmp_path / "trip.txt"
    article.write_text("Am Montag fuhr die Delegation mit dem Auto von Berlin nach München.", encoding="utf-8")
    err = io.StringIO()
    assert (
        main(
            ["extract", str(article), "--lang", "de", "--router", paced_osrm.url, "--user-agent", "desk/1.0"],
            io.StringIO(),
            err,
        )
        == 0
    )
    assert [r["headers"]["User-Agent"] for r in paced_osrm.requests] == ["desk/1.0"]
    assert "DATELINE_USER_AGENT" not in os.environ
    assert "dateline: router:" in err.getvalue() and "asked" in err.getvalue()
