"""Road routes (or whatever its profile routes) from an OSRM-compatible server that the user names
(``--router URL``, opt-in): the question, the answer's parsing, the cache and pace, and the messages.

OSRM networks are built from OpenStreetMap data. A route's ``km`` is the server's ``distance``; its
path runs from the first point through the server's geometry to the second, with longitudes unrolled
and long segments densified along their geodesic like every drawn path
(:func:`geo.journeys.geodesy.polyline_path`). Only the standard library speaks HTTP here; the disk
cache, the pace and the retries are :mod:`geo.places.online`'s, shared with the geocoders. Failures
are :class:`geo.errors.RouterError` (the user's setting) and :class:`geo.errors.RouterUnavailable` (the
server; :class:`geo.errors.NoRoute` when it knows no way, an answer kept like a route).
"""

from __future__ import annotations

import json
import math
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException

from geo.errors import ROUTER_MESSAGES as MESSAGES
from geo.errors import NoRoute, RouterError, RouterUnavailable
from geo.journeys.geodesy import polyline_path, rounded_point, wrap_longitude
from geo.journeys.networks import OSM_CREDIT
from geo.model import LatLon, Route
from geo.places.online import (
    AddressError,
    Counts,
    Limits,
    ResponseCache,
    default_cache,
    gate,
    host_of,
    one_line,
    service_address,
    user_agent,
)

__all__ = [
    "osrm_route",
    "router_address",
    "default_limits",
    "MESSAGES",
    "ROUTER_COUNTS",
    "PUBLIC_OSRM_HOSTS",
    "CREDIT",
    "NO_ROUTE_CODES",
]

CREDIT = f"Route: OSRM, {OSM_CREDIT}"
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
_PROFILE = re.compile(r"[A-Za-z0-9_.-]+")


PUBLIC_OSRM_HOSTS = frozenset({"router.project-osrm.org", "routing.openstreetmap.de"})
PUBLIC_DELAY, OWN_SERVER_DELAY = 1.0, 0.1  # the demo servers' policy: one request a second at most
ROUTE_FORMAT = 1  # part of every cache key: bump when the stored answer changes


ROUTER_COUNTS = Counts()  # this process's OSRM questions: answered from the cache, or asked


def osrm_route(
    a: LatLon,
    b: LatLon,
    url: str,
    *,
    profile: str = "driving",
    timeout: float = 5.0,
    cache: ResponseCache | None = None,
    limits: Limits | None = None,
    agent: str | None = None,
) -> Route:
    """The road route (or whatever the server's ``profile`` routes) from ``a`` to ``b`` as an
    OSRM-compatible server at ``url`` gives it, for users who run or trust such a server.

    ``km`` is the server's ``distance``; the path runs from ``a`` through the server's geometry to
    ``b``. Answers are kept in the disk cache (:mod:`geo.places.online`; ``cache`` None: the default file),
    so the same leg never asks twice; requests keep the server's pace (one a second on the public
    demo servers) and are tried again with backoff on 429 and 5xx. Each is abandoned after about
    ``timeout`` seconds (connecting and each read within it). ``agent`` is the User-Agent (the user's,
    from the settings; else Dateline's own). Raises RouterError for a URL that is not http(s) or a bad
    profile, RouterUnavailable when the server gives no usable route (NoRoute: none exists).
    """
    base = router_address(url)
    if not _PROFILE.fullmatch(profile):
        raise RouterError(MESSAGES["profile"].format(profile=profile))
    if not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    limits = limits or default_limits(base, float(timeout))
    return _cached_osrm_route(
        rounded_point(a),
        rounded_point(b),
        base,
        profile,
        limits,
        cache if cache is not None else default_cache(),
        user_agent(agent),
    )


def default_limits(base: str, timeout: float) -> Limits:
    """The pace a router is asked at: the public demo servers' policy, else a self-hosted server's."""
    public = urllib.parse.urlsplit(base).hostname in PUBLIC_OSRM_HOSTS
    return Limits(min_delay=PUBLIC_DELAY if public else OWN_SERVER_DELAY, timeout=timeout)


def router_address(url: str) -> str:
    """A router URL as Dateline asks it (:func:`geo.places.online.service_address`); RouterError when it is
    not http(s) with a host, or carries a query or fragment."""
    try:
        return service_address(url)
    except AddressError as error:
        raise RouterError(MESSAGES[error.kind].format(url=url)) from None


def _cached_osrm_route(
    a: LatLon, b: LatLon, base: str, profile: str, limits: Limits, cache: ResponseCache, agent: str
) -> Route:
    ends = ";".join(f"{wrap_longitude(lon):.6f},{lat:.6f}" for lat, lon in (a, b))
    query = f"{base}/route/v1/{profile}/{ends}?overview=full&geometries=geojson"
    host = host_of(base)

    def ask() -> dict:
        try:
            body = gate("osrm", base, limits).ask(
                f"The router at {host}",
                _fetch,
                query,
                host,
                limits.timeout,
                agent,
                limits=limits,
                refused=RouterUnavailable,
            )
            km, geometry = _parse_osrm(body, host)
        except NoRoute as error:  # an answer too: asked once
            return {"no_route": str(error)}
        return {"km": km, "points": geometry}

    shown = query.replace(base, f"{urllib.parse.urlsplit(base).scheme}://{host}{urllib.parse.urlsplit(base).path}", 1)
    answer = cache.cached(
        ResponseCache.key("osrm", base, profile, a, b, ROUTE_FORMAT), "osrm", shown, ask, ROUTER_COUNTS
    )  # the question as stored: never a password the address may carry
    if "no_route" in answer:
        raise NoRoute(answer["no_route"])
    _, path = polyline_path([a, *(tuple(point) for point in answer["points"]), b])
    return Route(answer["km"], path, "osrm", CREDIT)


def _parse_osrm(body: bytes, host: str) -> tuple[float, list[LatLon]]:
    """The first route's length in km and its (lat, lon) points from an OSRM /route answer."""

    def malformed(reason: str) -> RouterUnavailable:
        return RouterUnavailable(MESSAGES["malformed"].format(host=host, reason=reason))

    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise malformed("not JSON") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("code"), str):
        raise malformed("no OSRM code")
    if answer["code"] != "Ok":
        raise _no_route(answer, host)
    try:
        route = answer["routes"][0]
        km = float(route["distance"]) / 1000
        points = [(float(lat), float(lon)) for lon, lat, *_ in route["geometry"]["coordinates"]]
    except (KeyError, IndexError, TypeError, ValueError):
        raise malformed("no routes[0] with distance and GeoJSON coordinates") from None
    if (
        not points
        or not math.isfinite(km)
        or km < 0
        or not all(math.isfinite(lon) and -90 <= lat <= 90 for lat, lon in points)
    ):
        raise malformed("a distance or coordinate out of range")
    return km, points


NO_ROUTE_CODES = frozenset({"NoRoute", "NoSegment"})  # OSRM's "there is none"; other codes are errors


def _no_route(answer: dict, host: str) -> RouterUnavailable:
    """The error for an OSRM answer whose code is not Ok: NoRoute (kept in the cache) when it says
    there is no route, a plain RouterUnavailable (asked again next time) for any other code."""
    message = answer.get("message")
    detail = f": {one_line(message)}" if isinstance(message, str) and message.strip() else ""
    kind = NoRoute if answer["code"] in NO_ROUTE_CODES else RouterUnavailable
    return kind(MESSAGES["no_route"].format(host=host, code=one_line(answer["code"])[:40], detail=detail))


class _HttpRedirectsOnly(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another http(s) URL (urllib alone would follow one to ftp too)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpRedirectsOnly)


def _fetch(query: str, host: str, timeout: float, agent: str) -> bytes:
    """The body of a GET, read within the deadline; every failure as RouterUnavailable."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(query, headers={"User-Agent": agent, "Accept": "application/json"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return _read(response, deadline, host, timeout)
    except urllib.error.HTTPError as error:
        raise _http_error(error, host, deadline, timeout) from None
    except (OSError, HTTPException, ValueError) as error:  # URLError and TimeoutError are OSErrors
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError) or isinstance(error, TimeoutError):
            raise RouterUnavailable(MESSAGES["timeout"].format(host=host, timeout=timeout)) from None
        raise RouterUnavailable(MESSAGES["unreachable"].format(host=host, reason=one_line(reason))) from None


def _read(response, deadline: float, host: str, timeout: float) -> bytes:
    chunks, size = [], 0
    while chunk := response.read(65536):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise RouterUnavailable(MESSAGES["too_big"].format(host=host, limit=MAX_RESPONSE_BYTES // 2**20))
        if time.monotonic() > deadline:
            raise TimeoutError
    return b"".join(chunks)


def _http_error(error: urllib.error.HTTPError, host: str, deadline: float, timeout: float) -> RouterUnavailable:
    """OSRM answers a query it cannot route with HTTP 400 and a JSON code; other errors by status."""
    try:
        answer = json.loads(_read(error, deadline, host, timeout))
    except (ValueError, UnicodeDecodeError, OSError, HTTPException, RouterUnavailable):
        answer = None
    finally:
        error.close()
    if (
        error.code == 400
        and isinstance(answer, dict)
        and isinstance(answer.get("code"), str)
        and answer["code"] != "Ok"
    ):
        return _no_route(answer, host)
    detail = f" {error.reason}" if isinstance(error.reason, str) and error.reason else ""
    return RouterUnavailable(
        MESSAGES["http"].format(host=host, status=error.code, detail=detail[:100]),
        status=error.code,
        retry_after=_retry_after(error.headers),
    )


def _retry_after(headers) -> float | None:
    """A Retry-After given in seconds (the HTTP-date form is left to the backoff)."""
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
