"""The pace of an online service: geopy's RateLimiter on an injectable clock.

Why a module of its own: geopy loads requests, urllib3 and asyncio (0.15 s), which an offline
analysis never needs; :class:`geo.places.online.Gate` imports this only once a service is asked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from geopy.extra.rate_limiter import RateLimiter

__all__ = ["Pacer"]


class Pacer(RateLimiter):
    """geopy's RateLimiter around a service's request function, on an injectable clock: at most one
    request per ``min_delay`` seconds, whoever asks. Retries are :func:`with_retries`' job, so the
    limiter's own are off and every error reaches the caller."""

    def __init__(
        self,
        func: Callable[..., Any],
        min_delay: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(
            func,
            min_delay_seconds=min_delay,
            max_retries=0,
            swallow_exceptions=False,
            error_wait_seconds=max(5.0, min_delay),
        )  # geopy asks for a wait no shorter than the pace
        self._clock_function, self._sleep_function = clock, sleep

    def _clock(self) -> float:
        return self._clock_function()

    def _sleep(self, seconds: float) -> None:
        self._sleep_function(seconds)
