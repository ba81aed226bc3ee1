"""Shared fixtures. Test gazetteers are code: small, deterministic, built from explicit entries."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

from geo.places.gazetteer import ALTERNATE, CLDR, CURATED, PRIMARY, Entry, Gazetteer, build_index

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SAMPLES = REPO / "data" / "samples"


def city(
    gid: int,
    name: str,
    lat: float,
    lon: float,
    country: str,
    population: int,
    *alternates: str,
    admin1: str | None = None,
) -> Entry:
    """A GeoNames-like city with its alternate names."""
    names = ((name, PRIMARY), *((alt, ALTERNATE) for alt in alternates))
    return Entry(f"geonames:{gid}", "city", name, lat, lon, country, admin1, population, names, "test")


def feature(
    gid: int,
    kind: str,
    name: str,
    lat: float,
    lon: float,
    country: str | None,
    *names: str,
    admin1: str | None = None,
    population: int = 0,
) -> Entry:
    """A curated feature (country, region, water ...) with its names."""
    flag = CLDR if kind == "country" else CURATED
    forms = ((name, PRIMARY | flag), *((n, flag) for n in names))
    return Entry(f"geonames:{gid}", kind, name, lat, lon, country, admin1, population, forms, "test")


# Facts carry over from GeoNames; the set is small and full of traps on purpose.
AMBIGUOUS_NAMES = [
    city(2988507, "Paris", 48.85341, 2.3488, "FR", 2138551, "Parigi"),
    city(4717560, "Paris", 33.66094, -95.55551, "US", 24782, admin1="TX"),
    city(4647963, "Paris", 36.302, -88.32671, "US", 10156, admin1="TN"),
    feature(4736286, "region", "Texas", 31.25044, -99.25061, "US", "Tex.", admin1="TX", population=22875689),
    feature(3017382, "country", "France", 46.0, 2.0, "FR", "Frankreich", population=64768389),
    feature(
        6252001,
        "country",
        "United States",
        39.76,
        -98.5,
        "US",
        "USA",
        "US",
        "U.S.",
        "Vereinigte Staaten",
        population=310232863,
    ),
    city(2925533, "Frankfurt am Main", 50.11552, 8.68417, "DE", 650000, "Frankfurt"),
    city(2925550, "Frankfurt (Oder)", 52.34714, 14.55062, "DE", 57015, "Frankfurt an der Oder", "Frankfurt"),
    feature(2929567, "water", "Oder", 53.53, 14.62, None, "Odra"),
    city(2911522, "Halle (Saale)", 51.48158, 11.97947, "DE", 229144, "Halle an der Saale", "Halle"),
    city(2657908, "Zug", 47.17242, 8.51745, "CH", 30542),
    city(2928810, "Essen", 51.45657, 7.01228, "DE", 593085),
    city(2950159, "Berlin", 52.52437, 13.41053, "DE", 3426354, "Berlin"),
    feature(2921044, "country", "Germany", 51.5, 10.5, "DE", "Deutschland", population=82927922),
    feature(2658434, "country", "Switzerland", 47.00016, 8.01427, "CH", "Schweiz", population=8516543),
    city(1871859, "Pyongyang", 39.03385, 125.75432, "KP", 3222000, "Pjöngjang"),
    city(2013348, "Vladivostok", 43.10562, 131.87353, "RU", 604901, "Wladiwostok"),
    city(524901, "Moscow", 55.75222, 37.61556, "RU", 10381222, "Moskau"),
    city(473247, "Vladimir", 56.13655, 40.39658, "RU", 357024, "Wladimir"),
    feature(2017370, "country", "Russia", 60.0, 100.0, "RU", "Russland", population=144478050),
    feature(1873107, "country", "North Korea", 40.0, 127.0, "KP", "Nordkorea", population=25549819),
    city(1275004, "Kim", 23.0, 88.0, "IN", 18638),
    city(5420241, "Donald", 45.22, -122.84, "US", 1001, admin1="OR"),
    feature(2643743, "city", "London", 51.50853, -0.12574, "GB", "Londres", population=8961989),
    city(4517009, "London", 39.88645, -83.44825, "US", 10060, admin1="OH"),
    feature(614540, "country", "Georgia", 42.0, 43.5, "GE", "Georgien", population=4630000),
    feature(4197000, "region", "Georgia", 32.75042, -83.50018, "US", "Ga.", admin1="GA", population=10711908),
    city(4180439, "Atlanta", 33.749, -84.38798, "US", 463878, admin1="GA"),
    city(611717, "Tbilisi", 41.69411, 44.83368, "GE", 1049498, "Tiflis"),
    city(3333333, "Smallhamlet", 10.0, 10.0, "XX", 600, "Hamletta"),
    city(3333334, "Glenwick", 44.0, -100.0, "US", 2400, admin1="SD"),  # a small town, no other of its name
    city(3333335, "Fenwick", 44.3, -100.4, "US", 1100, admin1="SD"),  # 45 km from Glenwick
]
CAPITALS = {
    "geonames:2988507",
    "geonames:2950159",
    "geonames:1871859",
    "geonames:524901",
    "geonames:611717",
    "geonames:2643743",
}


@pytest.fixture(scope="session")
def small_gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    """A gazetteer of the names above (built in a second, for unit tests)."""
    path = tmp_path_factory.mktemp("gazetteer") / "small.sqlite"
    return Gazetteer(build_index(path, AMBIGUOUS_NAMES, CAPITALS))


@pytest.fixture(scope="session")
def full_gazetteer() -> Gazetteer:
    """The real offline gazetteer (built once into the user cache if missing)."""
    from geo.places.gazetteer import default_gazetteer

    return default_gazetteer()


REFERENCE_ARTICLE = SHARED / "reference" / "seed-article-de.txt"
HOSTILE_ARTICLE = Path(__file__).resolve().parent / "data" / "hostile-article-en.txt"


@pytest.fixture(scope="session")
def reference_story(full_gazetteer):
    """The Story of the article Dateline was made for (shared/reference), analysed once."""
    from geo.pipeline import run_stages
    from geo.read.document import read_document

    return run_stages(read_document(REFERENCE_ARTICLE), REFERENCE_ARTICLE.name, full_gazetteer)


@pytest.fixture(scope="session")
def hostile_story(full_gazetteer):
    """The Story of an article full of markup, script and quotes, analysed once."""
    from geo.pipeline import run_stages
    from geo.read.document import read_document

    return run_stages(read_document(HOSTILE_ARTICLE), HOSTILE_ARTICLE.name, full_gazetteer)


# -- no request leaves 127.0.0.1 -------------------------------------------------------------------
# Every test talks to servers it starts on loopback. A connection anywhere else (or a name to resolve
# other than localhost, by any of socket's look-ups) fails at once with NetworkBlocked, so a test that
# would reach a real service fails on every machine, not only on one without network. UDP "connects"
# send nothing and pass. Subprocesses (the browser, `streamlit run`, `dask worker`) are not covered
# here: each is started on 127.0.0.1, and the browser refuses every other request itself.


class NetworkBlocked(OSError):
    """A test tried to reach beyond 127.0.0.1."""


def _loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host in ("localhost", "localhost.localdomain", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


_real_connect, _real_connect_ex, _real_getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo
_LOOKUPS = ("gethostbyname", "gethostbyname_ex", "gethostbyaddr")
_real_lookups = {name: getattr(socket, name) for name in _LOOKUPS}


def _checked(sock: socket.socket, address: object) -> None:
    if (
        sock.family in (socket.AF_INET, socket.AF_INET6)
        and sock.type == socket.SOCK_STREAM
        and isinstance(address, tuple)
        and not _loopback(address[0])
    ):
        raise NetworkBlocked(f"tests may not connect to {address[0]!r}: only 127.0.0.1")


def _guarded_connect(sock, address):
    _checked(sock, address)
    return _real_connect(sock, address)


def _guarded_connect_ex(sock, address):
    _checked(sock, address)
    return _real_connect_ex(sock, address)


def _check_name(host) -> None:
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and not _loopback(name):
        raise NetworkBlocked(f"tests may not resolve {name.rsplit('@', 1)[-1]!r}: only localhost")


def _guarded_getaddrinfo(host, *args, **kwargs):
    _check_name(host)
    return _real_getaddrinfo(host, *args, **kwargs)


def _guarded(name: str):
    def lookup(host, *args, **kwargs):
        _check_name(host)
        return _real_lookups[name](host, *args, **kwargs)

    return lookup


@pytest.fixture(autouse=True, scope="session")
def no_network_beyond_loopback():
    """Block connections and name look-ups beyond loopback for the whole session."""
    socket.socket.connect, socket.socket.connect_ex = _guarded_connect, _guarded_connect_ex
    socket.getaddrinfo = _guarded_getaddrinfo
    for name in _LOOKUPS:
        setattr(socket, name, _guarded(name))
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex = _real_connect, _real_connect_ex
        socket.getaddrinfo = _real_getaddrinfo
        for name, lookup in _real_lookups.items():
            setattr(socket, name, lookup)


@pytest.fixture(autouse=True)
def isolated_online_cache(tmp_path_factory, monkeypatch):
    """Each test's online answers (geocoders, OSRM) in a cache file of its own: a fake server's
    answer never leaks into another test, nor into the user's cache."""
    monkeypatch.setenv("DATELINE_ONLINE_CACHE", str(tmp_path_factory.mktemp("online") / "online-cache.sqlite"))
