"""Online geocoders, opt-in: more candidates when the offline index is not enough.

Dateline resolves places offline by default. A user who needs a village, a street or a building that
the GeoNames index lacks can add an online service (``--geocoder nominatim|photon|geonames``, the same
choice in the dashboard). Its answers become extra candidates, ranked with the offline ones by the
same resolver (:mod:`geo.places.resolution`); the offline index stays the fallback.

What is asked, per article (at most ``max_queries`` questions, in order of first mention):

1. every name the offline finder found (the online service may know a better or another sense), and
2. names the offline index lacks, where the text itself says "place": a capitalised name right after a
   place preposition or noun ("nach Chassan", "in Tumangang", see :func:`geo.places.recognition.unknown_names`).

An answer counts only where one of its names is the name asked (the services also answer with streets
or shops that merely contain it), and an online place that is an offline candidate already (same
kind, same country, nearby) is left out, so one place does not split its probability in two.

Everything goes through geopy's geocoders (no hand-made HTTP) with :mod:`geo.places.online`'s cache, pace and
retries. When a service fails (refused, timeout, HTTP error, rate limit, malformed answer), the rest
of the article is resolved offline and the Story says so in a note.

Usage policies kept: Nominatim's public instance allows at most one request a second, an identifying
User-Agent set by the user (``--user-agent`` or ``$DATELINE_USER_AGENT``), and caching of results;
Photon's public instance asks for fair use (Dateline keeps to one request a second there too).
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from geo.errors import GEOCODER_MESSAGES as MESSAGES
from geo.errors import GeocoderError
from geo.journeys.geodesy import distance_km
from geo.model import PLACE_KINDS as KINDS
from geo.model import Candidate, LatLon
from geo.places.gazetteer import ALTERNATE, ONLINE, PRIMARY, Gazetteer, Match, normalise
from geo.places.online import (
    USER_AGENT,
    AddressError,
    Counts,
    Limits,
    ResponseCache,
    ServiceUnavailable,
    default_cache,
    default_cache_path,
    gate,
    host_of,
    normal_address,
    one_line,
    service_address,
    user_agent,
)
from geo.places.recognition import Toponym, unknown_names

if TYPE_CHECKING:  # geopy itself loads only once a service is asked (it brings requests and asyncio)
    from geopy import exc as geopy_errors

MAX_RESULTS = 5  # results asked for per name
MAX_QUERIES = 40  # names asked per article (the rest stay offline, with a note)
ANSWER_FORMAT = 1  # part of every cache key: bump when the stored candidate changes
SERVICE_NAMES = ("offline", "nominatim", "photon", "geonames")
GEONAMES_USERNAME_VARIABLE = "GEONAMES_USERNAME"  # read by the CLI and the dashboard, never here
# Beyond these distances an online place is another place than an offline candidate of its kind
SAME_PLACE_KM = {
    "city": 25.0,
    "landmark": 2.0,
    "street": 2.0,
    "region": 250.0,
    "water": 400.0,
    "country": math.inf,
    "continent": math.inf,
}


@dataclass(frozen=True)
class Service:
    """An online geocoder: geopy's class for it, its public address and usage-policy pace, and how its
    raw answers become candidates."""

    title: str
    geopy_class: str
    domain: str  # the public instance (geopy's default)
    min_delay: float  # the public instance's policy
    parse: Callable[[dict], list[dict]]
    request: Callable[[Any, str, str], list[Any] | None]
    also_public: tuple[str, ...] = ()  # other host names of the public instance

    def is_public(self, host: str | None) -> bool:
        return host in (self.domain, *self.also_public)


@dataclass(frozen=True)
class GeocoderSettings:
    """The user's choice: a service, optionally its address (a self-hosted instance), User-Agent and
    account (GeoNames' web service needs a user name). ``min_delay`` None keeps the service's policy
    (one request a second on public instances; a tenth of that on one's own). ``cache`` None is the
    default cache file. Nothing here is read from the environment: the CLI and the dashboard fill
    ``user_agent`` and ``username`` from $DATELINE_USER_AGENT and $GEONAMES_USERNAME."""

    service: str = "offline"
    url: str | None = None
    user_agent: str | None = None
    username: str | None = None
    timeout: float = 5.0
    min_delay: float | None = None
    max_queries: int = MAX_QUERIES
    cache: str | None = None

    @property
    def online(self) -> bool:
        return self.service != "offline"


# -- answers into candidates -------------------------------------------------------------------

CITY_TYPES = frozenset(
    {
        "city",
        "town",
        "village",
        "hamlet",
        "suburb",
        "quarter",
        "neighbourhood",
        "borough",
        "locality",
        "isolated_dwelling",
        "municipality",
        "city_district",
        "district",
        "allotments",
    }
)
REGION_TYPES = frozenset({"state", "region", "province", "county", "state_district", "archipelago", "island"})
WATER_TYPES = frozenset({"sea", "ocean", "bay", "strait", "river", "lake", "water", "reservoir", "canal"})


def osm_kind(key: str, value: str, address_type: str = "") -> str:
    """Dateline's kind for an OpenStreetMap feature (its key=value tag, and Nominatim's address type)."""
    for kind_of in (address_type, value):
        if kind_of == "country":
            return "country"
        if kind_of == "continent":
            return "continent"
    if key in ("waterway", "water") or value in WATER_TYPES:
        return "water"
    if address_type in CITY_TYPES or key == "place" and value in CITY_TYPES:
        return "city"
    if address_type in REGION_TYPES or value in REGION_TYPES:
        return "region"
    return "landmark"


def _population(value: Any) -> int:
    try:
        return max(0, int(float(str(value).replace(",", "").replace(" ", ""))))
    except (ValueError, OverflowError, TypeError):  # "", "ca. 700", "inf", a list
        return 0


def _point(lat: Any, lon: Any) -> LatLon:
    lat, lon = float(lat), float(lon)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"coordinates out of range: {lat}, {lon}")
    return lat, lon


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _country_code(value: Any) -> str | None:
    """An ISO 3166 alpha-2 code in capitals, or None for anything else a service sends."""
    return value.upper() if isinstance(value, str) and len(value) == 2 and value.isalpha() and value.isascii() else None


def _answer(place_id: str, names: list[Any], lat: Any, lon: Any, country: Any, kind: str, population: Any) -> dict:
    """One place of a service's answer as Dateline stores it: every field of its own type, whatever
    the service sent (a name that is no text is left out; the first text name is the place's)."""
    texts = [text for text in map(_text, names) if text]
    if not texts:
        raise ValueError("a place without a name")
    lat, lon = _point(lat, lon)
    return {
        "id": place_id,
        "name": texts[0],
        "names": texts,
        "lat": lat,
        "lon": lon,
        "country": _country_code(country),
        "kind": kind,
        "population": _population(population),
    }


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def parse_nominatim(raw: dict) -> list[dict]:
    """A Nominatim /search result (format=json, addressdetails, extratags, namedetails) as a candidate."""
    osm_type, osm_id = _text(raw["osm_type"]), int(raw["osm_id"])
    display = _text(raw.get("display_name")).split(",")[0]
    kind = osm_kind(
        _text(raw.get("class") or raw.get("category")), _text(raw.get("type")), _text(raw.get("addresstype"))
    )
    return [
        _answer(
            f"osm:{osm_type[:1].upper()}{osm_id}",
            [_text(raw.get("name")) or display, *_mapping(raw.get("namedetails")).values()],
            raw["lat"],
            raw["lon"],
            _mapping(raw.get("address")).get("country_code"),
            kind,
            _mapping(raw.get("extratags")).get("population", 0),
        )
    ]


def parse_photon(raw: dict) -> list[dict]:
    """A Photon GeoJSON feature as a candidate."""
    properties = _mapping(raw["properties"])
    lon, lat = raw["geometry"]["coordinates"][:2]
    place_type = _text(properties.get("type"))
    kind = osm_kind(
        _text(properties.get("osm_key")),
        _text(properties.get("osm_value")),
        {"district": "suburb"}.get(place_type, place_type),
    )
    return [
        _answer(
            f"osm:{_text(properties['osm_type'])[:1].upper()}{int(properties['osm_id'])}",
            [properties.get("name")],
            lat,
            lon,
            properties.get("countrycode"),
            kind,
            0,
        )
    ]


GEONAMES_KINDS = {
    "A": "region",
    "P": "city",
    "H": "water",
    "L": "region",
    "T": "landmark",
    "S": "landmark",
    "U": "water",
    "V": "landmark",
    "R": "landmark",
}


def parse_geonames(raw: dict) -> list[dict]:
    """A GeoNames web service search result; its id is the offline index's own (``geonames:<id>``)."""
    code = _text(raw.get("fcode"))
    kind = (
        "country"
        if code.startswith("PCL")
        else "continent"
        if code == "CONT"
        else GEONAMES_KINDS.get(_text(raw.get("fcl")), "landmark")
    )
    return [
        _answer(
            f"geonames:{int(raw['geonameId'])}",
            [raw.get("name"), raw.get("toponymName")],
            raw["lat"],
            raw["lng"],
            raw.get("countryCode"),
            kind,
            raw.get("population", 0),
        )
    ]


def _ask_nominatim(geocoder, query: str, language: str) -> list[Any] | None:
    return geocoder.geocode(
        query,
        exactly_one=False,
        limit=MAX_RESULTS,
        language=language,
        addressdetails=True,
        extratags=True,
        namedetails=True,
    )


PHOTON_LANGUAGES = frozenset({"de", "en", "fr", "it"})


def _ask_photon(geocoder, query: str, language: str) -> list[Any] | None:
    return geocoder.geocode(
        query, exactly_one=False, limit=MAX_RESULTS, language=language if language in PHOTON_LANGUAGES else False
    )


def _ask_geonames(geocoder, query: str, language: str) -> list[Any] | None:
    return geocoder.geocode(query, exactly_one=False)


SERVICES = {
    "nominatim": Service("Nominatim", "Nominatim", "nominatim.openstreetmap.org", 1.0, parse_nominatim, _ask_nominatim),
    "photon": Service("Photon", "Photon", "photon.komoot.io", 1.0, parse_photon, _ask_photon, ("photon.komoot.de",)),
    "geonames": Service(
        "GeoNames", "GeoNames", "secure.geonames.org", 1.0, parse_geonames, _ask_geonames, ("api.geonames.org",)
    ),
}
OWN_INSTANCE_DELAY = 0.1  # a self-hosted instance: no published policy; still no flood


# -- the client ----------------------------------------------------------------------------------


class OnlineGeocoder:
    """One online service, asked through geopy with a disk cache, a pace and retries.

    :meth:`search` returns candidate dicts (id, name, names, lat, lon, country, kind, population) or
    raises ServiceUnavailable with a one-line message.
    """

    def __init__(
        self, settings: GeocoderSettings, *, limits: Limits | None = None, cache: ResponseCache | None = None
    ) -> None:
        if settings.service not in SERVICES:
            raise GeocoderError(MESSAGES["service"].format(service=settings.service))
        self.settings = settings
        self.service = SERVICES[settings.service]
        scheme, domain = _address(settings.url, self.service.domain)
        self.address = normal_address(f"{scheme}://{domain}")
        own_instance = not self.service.is_public(urllib.parse.urlsplit(self.address).hostname)  # however spelt
        if settings.service == "nominatim" and not own_instance and user_agent(settings.user_agent) == USER_AGENT:
            raise GeocoderError(MESSAGES["user_agent"])
        delay = (
            settings.min_delay
            if settings.min_delay is not None
            else (OWN_INSTANCE_DELAY if own_instance else self.service.min_delay)
        )
        self.limits = limits or Limits(min_delay=delay, timeout=settings.timeout)
        self.cache = (
            cache if cache is not None else ResponseCache(settings.cache) if settings.cache else default_cache()
        )
        self.counts = Counts()
        self.title = f"{self.service.title} at {host_of(self.address)}"
        self._geocoder = self._geopy(scheme, domain, user_agent(settings.user_agent))
        self._gate = gate(settings.service, self.address, self.limits)

    def _geopy(self, scheme: str, domain: str, user_agent: str):
        from geopy import geocoders

        cls = getattr(geocoders, self.service.geopy_class)
        common = {
            "timeout": self.limits.timeout,
            "user_agent": user_agent,
            "scheme": scheme,
            "adapter_factory": _adapter_without_retries,
        }
        if self.settings.service == "geonames":
            if not self.settings.username:
                raise GeocoderError(MESSAGES["username"])
            return cls(username=self.settings.username, domain=domain, **common)
        return cls(domain=domain, **common)

    def _key(self, name: str, language: str) -> str:
        return ResponseCache.key(self.settings.service, self.address, name, language, MAX_RESULTS, ANSWER_FORMAT)

    def search(self, name: str, language: str) -> list[dict]:
        """The service's places named ``name`` (from the cache when it was asked before)."""
        return self.cache.cached(
            self._key(name, language),
            self.settings.service,
            name,
            lambda: self._gate.ask(self.title, self._ask, name, language, limits=self.limits),
            self.counts,
        )

    def cached(self, name: str, language: str) -> list[dict] | None:
        """The stored answer for ``name``, without asking the service (None: never answered; counted
        only when there is one, since nothing was asked)."""
        answer = self.cache.peek(self._key(name, language))
        if answer is not None:
            self.counts.count(True)
        return answer

    def _ask(self, name: str, language: str) -> list[dict]:
        from geopy import exc as geopy_errors

        try:
            locations = self.service.request(self._geocoder, name, language) or []
            return [candidate for location in locations[:MAX_RESULTS] for candidate in self.service.parse(location.raw)]
        except geopy_errors.GeopyError as error:
            raise self._unavailable(error) from None
        except Exception as error:  # noqa: BLE001 - any other failure is an answer geopy or the parser could not read
            raise ServiceUnavailable(
                MESSAGES["malformed"].format(
                    service=self.title, reason=f"{type(error).__name__}: {one_line(error, 80)}"
                )
            ) from None

    def _unavailable(self, error: geopy_errors.GeopyError) -> ServiceUnavailable:
        from geopy import exc as geopy_errors

        status = _status(error)
        if isinstance(error, geopy_errors.GeocoderParseError):
            return ServiceUnavailable(MESSAGES["malformed"].format(service=self.title, reason="not JSON"))
        if status is None and isinstance(error, geopy_errors.GeocoderTimedOut):
            return ServiceUnavailable(MESSAGES["timeout"].format(service=self.title, timeout=self.limits.timeout))
        if status is None and isinstance(error, geopy_errors.GeocoderUnavailable):
            return ServiceUnavailable(MESSAGES["unreachable"].format(service=self.title, reason=_root_reason(error)))
        if status is None:  # an error in the body of an answer: GeoNames' {"status": ...}, Nominatim's {"error": ...}
            return ServiceUnavailable(MESSAGES["said_no"].format(service=self.title, reason=one_line(error, 160)))
        retry_after = getattr(error, "retry_after", None)
        detail = " (too many requests)" if status == 429 else ""
        if isinstance(error, (geopy_errors.GeocoderAuthenticationFailure, geopy_errors.GeocoderInsufficientPrivileges)):
            detail = " (check the User-Agent or the account)"
        message = MESSAGES["refused" if 400 <= status < 500 else "http"]
        return ServiceUnavailable(
            message.format(service=self.title, status=status, detail=detail), status=status, retry_after=retry_after
        )


def _adapter_without_retries(proxies, ssl_context):
    """geopy's requests adapter, minus its own silent retries (urllib3 would re-send a timed-out GET
    twice): :func:`geo.places.online.with_retries` alone decides, on 429 and 5xx, with backoff."""
    from geopy.adapters import RequestsAdapter

    return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)


def _root_reason(error: BaseException) -> str:
    """What went wrong at the bottom of a chain of wrapped errors ("Connection refused", "Name or
    service not known"), not the wrappers' long messages."""
    seen, deepest = set(), error
    while (inner := deepest.__cause__ or deepest.__context__) is not None and id(inner) not in seen:
        seen.add(id(inner))
        deepest = inner
    if isinstance(deepest, OSError) and deepest.strerror:
        return deepest.strerror
    return one_line(deepest, 120)


def _status(error: BaseException) -> int | None:
    """The HTTP status behind a geopy error (geopy chains the adapter's error as the cause)."""
    from geopy.adapters import AdapterHTTPError

    seen = error
    while seen is not None:
        if isinstance(seen, AdapterHTTPError):
            return seen.status_code
        seen = seen.__cause__
    return None


def _address(url: str | None, default_domain: str) -> tuple[str, str]:
    """(scheme, domain with optional port and path) of a service's address, as geopy takes them."""
    if url is None:
        return "https", default_domain
    try:
        address = service_address(url, credentials=False)
    except AddressError:
        raise GeocoderError(MESSAGES["url"].format(url=url)) from None
    scheme, _, domain = address.partition("://")
    return scheme, domain


def geocoder_for(settings: GeocoderSettings | None) -> OnlineGeocoder | None:
    """The process's client for these settings (None for offline): one per choice, whoever asks (the
    CLI's articles, the dashboard's sessions); every client of a service shares its gate and pace."""
    if settings is None or not settings.online:
        return None
    return _client(settings, str(default_cache_path()))


@lru_cache(maxsize=16)
def _client(settings: GeocoderSettings, _cache: str) -> OnlineGeocoder:
    """A client per choice and per cache file (the last 16 kept)."""
    return OnlineGeocoder(settings)


# -- into the analysis ----------------------------------------------------------------------------


@dataclass
class OnlineResult:
    """What the online service added to an article's names, and the notes for the Story."""

    toponyms: list[Toponym]
    notes: list[str] = field(default_factory=list)


def with_online_candidates(
    toponyms: list[Toponym],
    text: str,
    sentences: tuple[tuple[int, int], ...],
    language: str,
    gazetteer: Gazetteer,
    geocoder: OnlineGeocoder,
) -> OnlineResult:
    """The article's toponyms with the service's candidates added, and new toponyms for the names the
    offline index lacked that the service knows; on the service's first failure, the rest stays
    offline and a note says why."""
    unknown = unknown_names(text, sentences, language, toponyms, gazetteer)
    questions = list(dict.fromkeys([_query_of(t) for t in toponyms] + [surface for _s, _e, surface in unknown]))
    limit = max(0, geocoder.settings.max_queries)
    answers: dict[str, list[dict]] = {}
    result = OnlineResult(list(toponyms))
    failed = False
    for question in questions[:limit]:
        if failed:  # the service is not asked again for this article; what it answered before still counts
            stored = geocoder.cached(question, language)
            if stored is not None:
                answers[question] = stored
            continue
        try:
            answers[question] = geocoder.search(question, language)
        except ServiceUnavailable as error:
            result.notes.append(MESSAGES["fallback"].format(problem=str(error)))
            failed = True
    if len(questions) > limit:
        result.notes.append(MESSAGES["capped"].format(service=geocoder.title, limit=limit, more=len(questions) - limit))
    if geocoder.cache.problem:
        result.notes.append(geocoder.cache.problem + ".")
    result.toponyms = _merged(toponyms, unknown, answers)
    return result


def _query_of(toponym: Toponym) -> str:
    """What to ask for a found name: its base form as the gazetteer spells it ("Russland" for
    "Russlands"), else the text."""
    return next((m.form for m in toponym.matches if normalise(m.form) == toponym.key), toponym.text)


def _merged(
    toponyms: list[Toponym], unknown: list[tuple[int, int, str]], answers: dict[str, list[dict]]
) -> list[Toponym]:
    merged = []
    for toponym in toponyms:
        extra = online_matches(
            _query_of(toponym), answers.get(_query_of(toponym), []), [m.candidate for m in toponym.matches]
        )
        merged.append(_with_matches(toponym, toponym.matches + extra) if extra else toponym)
    for start, end, surface in unknown:
        found = online_matches(surface, answers.get(surface, []), [])
        if found:
            merged.append(Toponym(start, end, surface, normalise(surface), found, "preposition"))
    return sorted(merged, key=lambda t: t.start)


def _with_matches(toponym: Toponym, matches: tuple[Match, ...]) -> Toponym:
    return replace(toponym, matches=matches)


def online_matches(name: str, found: Iterable[dict], offline: list[Candidate]) -> tuple[Match, ...]:
    """The service's places that bear ``name`` and are not already among the ``offline`` candidates,
    as gazetteer matches (flag ONLINE; PRIMARY when ``name`` is the place's main name)."""
    key = normalise(name)
    matches: dict[str, Match] = {}
    for item in found:
        candidate = _stored_candidate(item)
        if candidate is None or candidate.id in matches or key not in {normalise(n) for n in item["names"]}:
            continue
        if any(_same_place(candidate, other) for other in offline):
            continue
        flags = ONLINE | (PRIMARY if normalise(candidate.name) == key else ALTERNATE)
        matches[candidate.id] = Match(candidate, name, flags)
    return tuple(matches.values())


def _stored_candidate(item: Any) -> Candidate | None:
    """A stored answer's place as a Candidate; None for one that is not what :func:`_answer` stores
    (a cache written by another version, or damaged)."""
    try:
        names = item["names"]
        if not (
            isinstance(item["id"], str)
            and isinstance(item["name"], str)
            and isinstance(names, list)
            and all(isinstance(n, str) for n in names)
            and item["kind"] in KINDS
            and (item["country"] is None or _country_code(item["country"]))
        ):
            return None
        lat, lon = _point(item["lat"], item["lon"])
        return Candidate(
            item["id"], item["name"], lat, lon, item["country"], item["kind"], _population(item.get("population", 0))
        )
    except (KeyError, TypeError, ValueError):
        return None


def _same_place(online: Candidate, offline: Candidate) -> bool:
    """An online answer for a place the offline index holds already (GeoNames' own ids, or the same
    kind in the same country within :data:`SAME_PLACE_KM`)."""
    if online.id == offline.id:
        return True
    if online.kind != offline.kind or (online.country and offline.country and online.country != offline.country):
        return False
    return distance_km((online.lat, online.lon), (offline.lat, offline.lon)) <= SAME_PLACE_KM.get(online.kind, 25.0)
