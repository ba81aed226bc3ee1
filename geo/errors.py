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


class DocumentTimeout(BaseException):
    """Raised into a batch document's analysis by its timer when the document runs out of time; the
    worker makes it an error row (``BATCH_MESSAGES["time_limit"]``). A BaseException, as
    KeyboardInterrupt is, so that no ``except Exception`` on the way (a fallback around a parser)
    takes it for a failure of its own and goes on."""


class CalendarError(DatelineError, ValueError):
    """Counting carries a date off the calendar (before AD 1, after 9999, or from one era into the
    other); the timeline leaves that expression unanchored and says why in the Story's warnings."""


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
        self.retry_after = (
            retry_after if retry_after is not None and math.isfinite(retry_after) and retry_after >= 0 else None
        )  # "nan", "-1" or "inf" from a server: no wait it asked for

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


# --------------------------------------------------------------------------- messages
# What the CLI and the dashboard say to the user, in one place. Each table's templates are filled
# (``str.format``) where the problem is found; the CLI prints its lines after "dateline: ".

GEOCODER_MESSAGES = {
    "service": "Unknown geocoder {service!r}: choose one of offline, nominatim, photon, geonames.",
    "url": "The geocoder URL must be http:// or https:// with a host (got {url!r}).",
    "user_agent": "Nominatim's usage policy asks every application to identify itself: pass --user-agent "
    "'yourapp/1.0 (you@example.org)' or set $DATELINE_USER_AGENT.",
    "username": "GeoNames' web service needs an account: set $GEONAMES_USERNAME to your GeoNames user name.",
    "timeout": "{service} did not answer within {timeout:g} s",
    "unreachable": "{service} cannot be reached ({reason})",
    "refused": "{service} refused the request: HTTP {status}{detail}",
    "said_no": "{service} refused the request ({reason})",
    "http": "{service} answered HTTP {status}{detail}",
    "malformed": "{service} sent an answer that is not a geocoding result ({reason})",
    "fallback": "{problem}; the names not yet looked up were resolved with the offline index only.",
    "capped": "{service} was asked about the first {limit} names only; the other {more} were resolved offline.",
}
"""An online geocoder's set-up errors and the notes its failures leave in a Story."""

ROUTER_MESSAGES = {
    "scheme": "The router URL must start with http:// or https:// (got {url!r}).",
    "url": "The router URL {url!r} is not a usable address.",
    "profile": "The router profile must be letters, digits, '_', '.' or '-' (got {profile!r}).",
    "timeout": "The router at {host} did not answer within {timeout:g} s.",
    "unreachable": "The router at {host} cannot be reached ({reason}).",
    "http": "The router at {host} answered HTTP {status}{detail}.",
    "too_big": "The router at {host} sent more than {limit} MB.",
    "no_route": "The router at {host} found no route ({code}{detail}).",
    "malformed": "The router at {host} sent an answer that is not an OSRM route ({reason}).",
}
"""An OSRM router's set-up errors and failures (its legs then fall back to the offline networks)."""

FETCH_MESSAGES = {
    "scheme": "only http and https addresses can be fetched",
    "url": "not a usable web address: {url}",
    "credentials": "addresses with a user name or password cannot be fetched",
    "unknown_host": "cannot find the server {host}",
    "refused_host": "refused: {host} resolves to {ip}, which is not a public address",
    "refused_ip": "refused: {ip} is not a public address",
    "unreachable": "cannot reach {host} ({reason})",
    "tls": "no secure connection to {host} ({reason})",
    "broken": "{host} sent a broken answer ({reason})",
    "timeout": "no answer within {timeout:g} s",
    "status": "the server answered {status} {reason}",
    "no_location": "the server answered {status} {reason} without saying where to go",
    "redirects": "too many redirects (more than {limit})",
    "too_big": "the page is larger than {limit}",
    "not_article": "not an article: the server sent {content_type}",
    "encoded": "the server sent compressed data ({encoding}) although none was asked for",
}
"""Why an address could not be fetched as an article."""

STORY_MESSAGES = {
    "unreadable": "{path}: {reason}",
    "not_json": "{path}: not a Story JSON file ({reason})",
    "not_story": "{path}: not a Story JSON file (expected an object with id, document and places, as "
    "`python -m geo extract` prints)",
    "invalid": "{path}: {field} {problem}",
    "too_big": "{path}: larger than the {limit:g} MB a Story JSON file read by map and export may have",
}
"""A Story JSON file that cannot be read back (``map`` and ``export`` take one)."""

GAZETTEER_MESSAGES = {
    "unusable": "the index {path} cannot be used ({reason}): run `python -m geo index --rebuild`",
    "missing": "there is no such file",
    "not_an_index": "its tables are not those of a Dateline gazetteer index",
    "format": "it is in format {found}, not {expected}",
    "key_filter": "its key filter is malformed",
    "rebuilding": "the gazetteer index {path} is damaged ({reason}); building it again (about half a minute)",
    "cannot_build": "cannot build the index in {folder} ({reason}); set $DATELINE_CACHE_DIR to a folder you can write to",
}
"""Why the gazetteer's index cannot be opened or built (the CLI prints them after "gazetteer: ")."""

BATCH_MESSAGES = {
    "time_limit": "took longer than {seconds:g} s (batch --time-limit); left out, and its worker replaced",
}
"""Why a batch left a document out (its ``documents`` row's ``error``), where the reason is the batch's own."""

CLI_MESSAGES = {
    "error": "{error}",
    "gazetteer": "gazetteer: {error}",
    "warning": "{warning}",
    "summary": "{summary}",
    "record": "{where}: {error}",
    "note": "{story}: {note}",
    "counts": "{service}: {counts}",
    "router_counts": "router: {counts}",
    "extract_input": "extract needs FILE... or --jsonl INPUT.jsonl",
    "geocoder_url": "--geocoder-url needs --geocoder nominatim, photon or geonames",
    "no_place": "{file}: no place found; the map shows the world and says so",
    "no_corpus_place": "{file}: no place in any document; the map shows the world and says so",
    "at_least_one": "--workers and --part-size must be at least 1",
    "time_limit": "--time-limit must be a number of seconds above 0 (or inf: no limit)",
    "public_router": "{host} allows one request a second, and a batch's workers would each ask it: give --router "
    "the address of your own OSRM server",
    "table_format": "--table is for --format csv, not {format}",
    "csv_output": "csv makes a ZIP of four tables: give -o FILE.zip, or --table NAME for one table",
    "cannot_write": "{path}: {reason}",
    "wrote": "wrote {path} ({kilobytes:,.0f} KB)",
}
"""The command line's own lines (each printed after "dateline: ")."""

CORRECTION_MESSAGES = {
    "incomplete": "an incomplete {action!r} correction",
    "not_object": "{what} must be a JSON object, not {kind}",
    "unknown": "{what} has no field {field}",
    "action": "action must be one of {actions} (got {value})",
    "kind": "entry.kind must be one of {kinds} (got {value})",
    "text": "{field} must be text of 1 to {limit} characters (got {value})",
    "number": "{field} must be a number from {low:g} to {high:g} (got {value})",
    "count": "{field} must be a whole number from 0 to {high:,} (got {value})",
    "numbered": "correction {number}: {reason}",
    "not_json": "the corrections are not JSON ({reason})",
    "not_list": "the stored corrections are not a list",
    "too_many": "more than {limit:,} corrections for one document",
    "member": "the Story JSON's corrections are malformed (expected an object with a list of edits)",
    "sha256": "text_sha256 must be the SHA-256 of a text, 64 hexadecimal digits (got {value})",
    "other_tables": "it holds other tables than a corrections store",
    "surrogate": "the text holds a lone surrogate, which cannot be stored",
    "set_aside": "The corrections file {path} could not be read ({reason}); it is kept as {aside}, and a new "
    "one was started: earlier corrections are not applied.",
    "unusable": "The corrections file {path} cannot be used now ({reason}): corrections are neither applied nor "
    "kept until it can be.",
}
"""A reader's corrections that cannot be read back (a store, a Story JSON), and a store that cannot be used."""

DASHBOARD_MESSAGES = {
    "unreadable": "Could not read the article: {error}",
    "no_rules": "The article looks like {language!r}: Dateline has rules for {languages} and reads it with both, "
    "so expect misses. Choose the language in the options if it is wrong.",
    "geocoder_unused": "The online geocoder is not used: {error}",
    "skipped": "{count} earlier correction(s) no longer apply to this analysis and were skipped.",
    "no_place": "No place found in this article. The map shows the world; add a place below if one was missed.",
    "not_in_text": "The article does not contain {words!r}.",
    "import_failed": "Could not import: {error}",
    "other_text": "Those corrections belong to another text (its SHA-256 differs); nothing was imported.",
}
"""The dashboard's errors and warnings."""


def user_message(error: DatelineError) -> str:
    """The one line the CLI prints (after "dateline: ") for an error that reached it: the error's
    text, led by what it is about where the text does not say (the gazetteer's data)."""
    table = "gazetteer" if isinstance(error, GazetteerError) else "error"
    return CLI_MESSAGES[table].format(error=error)
