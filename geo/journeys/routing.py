"""Which route a leg gets: the user's OSRM-compatible router for road and rail when one is named, else
the offline sea-lane and rail networks, else none (the map draws the geodesic).

The networks and the router client are imported on the first route, not with this module: the
command line starts without them, and an article without journeys never loads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from geo.errors import NoRoute, RouterError
from geo.journeys.geodesy import geodesic_path
from geo.model import LatLon, Leg, Place, Route

if TYPE_CHECKING:
    from geo.journeys.claims import RouteLookup

__all__ = ["network_route", "route_lookup", "draw_legs", "ROUTER_MODES"]

ROUTER_MODES = ("road", "rail")
"""Modes an OSRM-compatible router (``--router URL``) is asked for; the others use offline networks."""


def network_route(
    a: LatLon, b: LatLon, mode: str, router: str | None = None, *, agent: str | None = None
) -> tuple[Route | None, str | None]:
    """The way along a network for a mode, and the router's failure if it failed: through ``router``
    for road and rail when one is given (asked as ``agent``, the user's User-Agent), else (or when it
    fails, or knows no route) the offline sea-lane and rail networks; no route where none has one
    (the caller draws the geodesic)."""
    from geo.journeys.networks import offline_route  # networks load lazily, on the first route

    if router and mode in ROUTER_MODES:
        from geo.journeys.osrm import osrm_route

        try:
            return osrm_route(a, b, router, profile="driving" if mode == "road" else "train", agent=agent), None
        except NoRoute:  # the router works; it knows no way between these two
            return offline_route(a, b, mode), None
        except RouterError as error:
            return offline_route(a, b, mode), str(error)
    return offline_route(a, b, mode), None


def route_lookup(router: str | None = None, *, agent: str | None = None) -> RouteLookup:
    """(from, to, mode) -> (km, source) along the mode's network, for checking a claim measured along
    a way; None where no network has the route."""

    def lookup(first: Place, second: Place, mode: str) -> tuple[float, str] | None:
        route, _failure = network_route((first.lat, first.lon), (second.lat, second.lon), mode, router, agent=agent)
        return (route.km, route.source) if route else None

    return lookup


def draw_legs(
    legs: Sequence[Leg], places: Sequence[Place], router: str | None = None, *, agent: str | None = None
) -> tuple[tuple[Leg, ...], tuple[str, ...]]:
    """Each leg with its geodesic path and, where its mode has a network, its route; and the
    warning of a router that failed (it is not asked again; its legs use the offline networks)."""
    where = {place.id: (place.lat, place.lon) for place in places}
    drawn, warnings = [], []
    for leg in legs:
        a, b = where[leg.from_id], where[leg.to_id]
        route, failure = network_route(a, b, leg.mode, router, agent=agent)
        if failure:
            warnings.append(f"{failure.rstrip('.')}: legs are drawn without the router.")
            router = None
        drawn.append(replace(leg, path=tuple(geodesic_path(a, b)), route=route))
    return tuple(drawn), tuple(warnings)
