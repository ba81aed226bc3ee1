"""Every error Dateline raises on purpose, in one tree under :class:`DatelineError`.

Why: the CLI, batch and the dashboard catch one root and show its message, one line that says
what went wrong and what to do; anything else that escapes is a bug. As in geopy's ``exc.py``,
each error also derives from the built-in error it is a kind of (a bad document is a
``ValueError``), so callers that catch those keep working.
"""

from __future__ import annotations

import math

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
"""HTTP statuses worth asking again, after a pause: rate limited, or the server is busy."""


class DatelineError(Exception):
    """The root: a problem Dateline found and can explain in one line."""


# --------------------------------------------------------------------------- input


class DocumentError(DatelineError, ValueError):
    """A clear, one-line, user-facing message (no traceback needed)."""


class FetchError(DocumentError):
    """A URL cannot be fetched as an article; ``str(error)`` is one line for the user."""


class StoryError(DatelineError, ValueError):
    """A Story JSON file does not hold a valid Story."""


class CorrectionError(DatelineError, ValueError):
    """A correction that cannot be read (a malformed record in a store or a Story JSON)."""


class BatchError(DatelineError, ValueError):
    """A one-line message about the batch as a whole (bad input path, an output that is not ours)."""


# --------------------------------------------------------------------------- data


class LanguageDataError(DatelineError, ValueError):
    """A rule file under data/ is malformed; the message names the file and line."""


class RulesError(LanguageDataError):
    """A language rule file is malformed (the message names file and line)."""


class TimexRulesError(LanguageDataError):
    """``data/<lang>/timex.txt`` is malformed; the message names the file and line."""


class TravelRulesError(LanguageDataError):
    """A travel rule file is malformed; the message names the file and line."""


class DistanceRulesError(LanguageDataError):
    """A distance rule file is malformed; the message names the file and line."""


class GazetteerError(DatelineError, RuntimeError):
    """The gazetteer's data is broken or its index cannot be built."""


class AssetError(DatelineError, ValueError):
    """A page links an asset that is not shipped, or something remote."""


# --------------------------------------------------------------------------- online services


class AddressError(DatelineError, ValueError):
    """An address no service is asked at; ``kind`` is "scheme" (not http or https) or "url" (no host,
    a port that is no number, a query, a fragment, or credentials where none are taken)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class GeocoderError(DatelineError, ValueError):
    """An online geocoder cannot be set up as asked; ``str(error)`` is one line for the user."""


class ServiceUnavailable(DatelineError):
    """A service gave no usable answer; ``str(error)`` is one line for the user. ``status`` is the
    HTTP status when there was one, ``retry_after`` the seconds a 429 asked to wait."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after if retry_after is not None and math.isfinite(retry_after) and retry_after >= 0 \
            else None  # "nan", "-1" or "inf" from a server: no wait it asked for

    @property
    def retryable(self) -> bool:
        return self.status in RETRY_STATUSES


class RouterError(DatelineError):
    """A router cannot be used as asked; ``str(error)`` is a one-line message for the user."""


class RouterUnavailable(RouterError, ServiceUnavailable):
    """The router did not give a usable answer (timeout, refused, HTTP error, no route, bad JSON);
    ``status`` is the HTTP status when there was one (429 and 5xx are tried again, with backoff)."""


class NoRoute(RouterUnavailable):
    """The router answered, and its answer is that there is no route (kept in the cache like a route)."""


# --------------------------------------------------------------------------- output


class ExportError(DatelineError, ValueError):
    """An export that cannot be made (an unknown format or table)."""
