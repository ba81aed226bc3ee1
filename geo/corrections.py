"""A reader's corrections to a Story's places, kept per document and applied again on every analysis.

Dateline gets most places right; the reader fixes the few it does not. A correction is one of

- **choose**: the place is another entry: one of its candidates, or one found by name in the
  gazetteer ("Vancouver" is Vancouver, B.C., not Vancouver, Washington);
- **remove**: the words are no place at all (a surname, a ship);
- **add**: words Dateline missed are a place; every whole-word occurrence of them in the text
  becomes a mention.

Corrections are data, not edits of a Story: they are a list per document, replayed in order on
the Story that analysis gives, so they survive a change of options (and, once kept, a reload and a
restart). :func:`apply_corrections` returns the new places; ``pipeline.with_places`` then
recomputes the timeline's links, the legs and the claims.
A correction whose place is gone (the analysis changed) is skipped and reported.

They are private by default: the dashboard holds them in the reader's session, and writes nothing.
:class:`CorrectionStore` keeps those a reader chose to keep, in a small SQLite file in the user's
data directory (``$DATELINE_DATA_DIR``, else ``$XDG_DATA_HOME/dateline``, else
``~/.local/share/dateline``), with the text itself (so that a reloaded page finds its document
again), and only while there are corrections: a list made empty deletes the row, text and all. A
reader's row is kept under a random key (:func:`private_key`) that only their page's address
carries; a shared newsroom workspace (an operator's setting) keys rows by the text's SHA-256
(:func:`text_key`), so everyone who pastes the same text finds them. They travel with the
Story JSON as a ``corrections`` member (:func:`with_corrections`, :func:`corrections_of`).

Both are untrusted input: a file anyone could have written, a JSON file anyone could have edited.
Every correction read back is checked field by field (:meth:`Correction.from_dict`: text of at most
:data:`MAX_TEXT` characters, coordinates in range, a known kind; at most :data:`MAX_CORRECTIONS` per
document). A store file that is no store (random bytes, another database, a damaged one) is set
aside and a new one started; a kept correction that cannot be read is left out and reported; an
imported one is refused, naming it. No analysis fails because of either.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import re
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from geo.errors import CORRECTION_MESSAGES, CorrectionError
from geo.model import PLACE_KINDS, Candidate, Mention, Place

__all__ = [
    "Correction",
    "CorrectionError",
    "CorrectionStore",
    "apply_corrections",
    "text_key",
    "private_key",
    "is_private_key",
    "data_dir",
    "with_corrections",
    "corrections_of",
    "read_corrections",
    "ACTIONS",
    "MAX_TEXT",
    "MAX_CORRECTIONS",
]

ACTIONS = ("choose", "remove", "add")
USER_CONFIDENCE = 1.0  # a reader's choice is certain
MAX_TEXT = 200
"""Characters in a correction's words, ids and names: a place's name is far shorter, and the words
are searched for in the whole text."""
MAX_CORRECTIONS = 1000
"""Corrections per document: each is replayed on every analysis of it."""
MAX_POPULATION = 10**10

T = TypeVar("T")
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Correction:
    """One correction: ``place`` is the id of the place it acts on (choose, remove); ``entry`` the
    gazetteer entry chosen (choose, add); ``words`` the text to mark (add)."""

    action: str
    place: str | None = None
    entry: Candidate | None = None
    words: str | None = None

    def __post_init__(self) -> None:
        needs = {"choose": self.place and self.entry, "remove": self.place, "add": self.words and self.entry}
        if self.action not in ACTIONS or not needs[self.action]:
            raise CorrectionError(CORRECTION_MESSAGES["incomplete"].format(action=self.action))

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "place": self.place,
            "words": self.words,
            "entry": dataclasses.asdict(self.entry) if self.entry else None,
        }

    @classmethod
    def from_dict(cls, data: object) -> Correction:
        """A correction read back (from a store or a Story JSON), checked field by field: a
        CorrectionError names the first field that is wrong."""
        fields = _object(data, "a correction", ("action", "place", "words", "entry"))
        action = fields.get("action")
        if action not in ACTIONS:
            raise CorrectionError(
                CORRECTION_MESSAGES["action"].format(actions=", ".join(ACTIONS), value=_shown(action))
            )
        entry = fields.get("entry")
        return cls(
            action,
            _text(fields.get("place"), "place", optional=True),
            None if entry is None else _candidate(entry),
            _text(fields.get("words"), "words", optional=True),
        )


def _object(data: object, what: str, known: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise CorrectionError(CORRECTION_MESSAGES["not_object"].format(what=what, kind=type(data).__name__))
    unknown = next((str(name) for name in data if name not in known), None)
    if unknown is not None:
        raise CorrectionError(CORRECTION_MESSAGES["unknown"].format(what=what, field=_shown(unknown)))
    return data


def _candidate(data: object) -> Candidate:
    """The gazetteer entry a correction chose: Candidate's fields, each checked."""
    fields = _object(data, "entry", tuple(field.name for field in dataclasses.fields(Candidate)))
    kind = fields.get("kind")
    if kind not in PLACE_KINDS:
        raise CorrectionError(CORRECTION_MESSAGES["kind"].format(kinds=", ".join(PLACE_KINDS), value=_shown(kind)))
    return Candidate(
        _text(fields.get("id"), "entry.id"),
        _text(fields.get("name"), "entry.name"),
        _number(fields.get("lat"), "entry.lat", -90, 90),
        _number(fields.get("lon"), "entry.lon", -180, 180),
        _text(fields.get("country"), "entry.country", optional=True),
        kind,
        _count(fields.get("population", 0), "entry.population"),
        _text(fields.get("admin1"), "entry.admin1", optional=True),
        _number(fields.get("score", 0.0), "entry.score", 0, 1),
    )


def _text(value: object, field: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not (isinstance(value, str) and value.strip() and len(value) <= MAX_TEXT and _encodable(value)):
        raise CorrectionError(CORRECTION_MESSAGES["text"].format(field=field, limit=MAX_TEXT, value=_shown(value)))
    return value


def _number(value: object, field: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:  # NaN is not
        raise CorrectionError(
            CORRECTION_MESSAGES["number"].format(field=field, low=low, high=high, value=_shown(value))
        )
    return float(value)


def _count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_POPULATION:
        raise CorrectionError(
            CORRECTION_MESSAGES["count"].format(field=field, high=MAX_POPULATION, value=_shown(value))
        )
    return value


def _encodable(text: str) -> bool:
    """No lone surrogate, which no file, page or database could take."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(value: object) -> str:
    """A value for a message: its repr, cut short."""
    shown = repr(value) if not isinstance(value, int) or value.bit_length() < 1000 else "a number of 300 digits or more"
    return shown if len(shown) <= 40 else shown[:37] + "..."


def text_key(text: str) -> str:
    """A document's key: the SHA-256 of its text (UTF-8; a lone surrogate as its own three bytes, so
    that any text has a key). A shared workspace keeps corrections under it."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


PRIVATE_KEY = re.compile(r"private-[A-Za-z0-9_-]{43}")


def private_key() -> str:
    """A new key for one reader's kept corrections: random, so that neither the text nor its
    SHA-256 finds them; whoever holds the key (the reader's page address) does."""
    return f"private-{secrets.token_urlsafe(32)}"


def is_private_key(key: str) -> bool:
    """Whether ``key`` is one that :func:`private_key` makes (not a text's SHA-256)."""
    return bool(PRIVATE_KEY.fullmatch(key))


# -- applying ---------------------------------------------------------------------------------


def apply_corrections(
    places: Sequence[Place], corrections: Iterable[Correction], text: str, sentence_of=None
) -> tuple[tuple[Place, ...], list[Correction]]:
    """The places after each correction in turn, and the corrections that no longer apply.

    ``sentence_of(offset)`` gives the sentence of an added mention (for its popup); without it an
    added place has no sentences."""
    current = list(places)
    skipped = []
    for correction in corrections:
        result = _apply(current, correction, text, sentence_of)
        if result is None:
            skipped.append(correction)
        else:
            current = result
    return tuple(current), skipped


def _apply(places: list[Place], correction: Correction, text: str, sentence_of) -> list[Place] | None:
    if correction.action == "add":
        return _add(places, correction, text, sentence_of)
    index = next((i for i, place in enumerate(places) if place.id == correction.place), None)
    if index is None:
        return None
    if correction.action == "remove":
        return places[:index] + places[index + 1 :]
    chosen = _chosen(places[index], correction.entry)
    rest = places[:index] + places[index + 1 :]
    twin = next((i for i, place in enumerate(rest) if place.id == chosen.id), None)
    if twin is not None:  # the entry was already a place of its own: one place with both mentions
        chosen = _merged(rest.pop(twin), chosen)
    return _in_text_order(rest + [chosen])


def _in_text_order(places: list[Place]) -> list[Place]:
    return sorted(places, key=lambda place: min((m.start for m in place.mentions), default=-1))


def _chosen(place: Place, entry: Candidate) -> Place:
    candidates = place.candidates if any(c.id == entry.id for c in place.candidates) else (entry, *place.candidates)
    return dataclasses.replace(
        place,
        id=entry.id,
        name=entry.name,
        lat=entry.lat,
        lon=entry.lon,
        country=entry.country,
        kind=entry.kind,
        population=entry.population,
        confidence=USER_CONFIDENCE,
        candidates=candidates,
    )


def _merged(first: Place, second: Place) -> Place:
    mentions = tuple(sorted(set(first.mentions) | set(second.mentions), key=lambda m: m.start))
    sentences = tuple(dict.fromkeys(first.sentences + second.sentences))
    return dataclasses.replace(second, mentions=mentions, sentences=sentences)


def _add(places: list[Place], correction: Correction, text: str, sentence_of) -> list[Place] | None:
    words = correction.words or ""
    mentions = tuple(
        Mention(m.start(), m.end(), m.group(0)) for m in re.finditer(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text)
    )
    if not mentions:
        return None
    taken = {(m.start, m.end) for m in mentions}
    kept = []
    for place in places:  # words now marked as the new place are no longer another place's
        left = tuple(m for m in place.mentions if not any(_overlap(m, span) for span in taken))
        if left:
            kept.append(place if len(left) == len(place.mentions) else dataclasses.replace(place, mentions=left))
    entry = correction.entry
    sentences = tuple(dict.fromkeys(sentence_of(m.start) for m in mentions)) if sentence_of else ()
    added = Place(
        entry.id,
        entry.name,
        words,
        entry.lat,
        entry.lon,
        entry.country,
        entry.kind,
        USER_CONFIDENCE,
        mentions,
        (entry,),
        entry.population,
        sentences,
    )
    twin = next((i for i, place in enumerate(kept) if place.id == entry.id), None)
    if twin is not None:
        kept[twin] = _merged(kept[twin], added)
        return kept
    return _in_text_order(kept + [added])


def _overlap(mention: Mention, span: tuple[int, int]) -> bool:
    return mention.start < span[1] and span[0] < mention.end


# -- keeping ----------------------------------------------------------------------------------


def data_dir() -> Path:
    """Where Dateline keeps what the user made (not a cache: nothing here is rebuilt)."""
    if os.environ.get("DATELINE_DATA_DIR"):
        return Path(os.environ["DATELINE_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "dateline"


class CorrectionStore:
    """Corrections and the text they belong to, per key, in one SQLite file; a row lives only while
    it holds corrections, and a deleted row's text is overwritten on disk (SQLite's secure_delete).

    The file is untrusted: one that is no store (random bytes, another database, a damaged one) is
    renamed ``corrections.sqlite.damaged`` and a new one started; ``problem`` then says so, for the
    dashboard to show. Any other failure (a locked or read-only file) costs only the call it hits:
    nothing is loaded or kept, and ``problem`` says why. No method raises.
    """

    SCHEMA = (
        "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, text TEXT NOT NULL, "
        "corrections TEXT NOT NULL, updated TEXT NOT NULL)"
    )
    COLUMNS = ("key", "text", "corrections", "updated")

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path else data_dir() / "corrections.sqlite"
        self.problem: str | None = None
        self._setting_aside = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._failed(exc)
            return
        reason = self._file_problem()
        if reason is not None:
            self._set_aside(reason)

    def load(self, key: str) -> list[Correction]:
        """The corrections kept under this key (none yet: []); those that cannot be read
        are left out (:meth:`load_report` says which)."""
        corrections, problems = self.load_report(key)
        for problem in problems:
            _log.warning("%s: %s", self.path, problem)
        return corrections

    def load_report(self, key: str) -> tuple[list[Correction], list[str]]:
        """The corrections kept under this key, and why any kept were left out."""
        row = self._run(lambda db: db.execute("SELECT corrections FROM documents WHERE key = ?", (key,)).fetchone())
        return _decoded(row[0]) if row else ([], [])

    def text(self, key: str) -> str | None:
        """The text kept under this key, if any."""
        row = self._run(lambda db: db.execute("SELECT text FROM documents WHERE key = ?", (key,)).fetchone())
        return row[0] if row and isinstance(row[0], str) else None

    def save(self, key: str, text: str, corrections: Sequence[Correction]) -> None:
        """Keep a document's text and its corrections under ``key``, replacing what was kept there;
        no corrections: nothing is kept (the row, text and all, is deleted)."""
        if not corrections:
            self._run(lambda db: db.execute("DELETE FROM documents WHERE key = ?", (key,)))
            return
        if not _encodable(text):
            self._failed(CORRECTION_MESSAGES["surrogate"])
            return
        record = json.dumps([c.to_dict() for c in corrections], ensure_ascii=False)
        self._run(
            lambda db: db.execute(
                "INSERT INTO documents VALUES (?, ?, ?, CURRENT_TIMESTAMP) ON CONFLICT(key) DO UPDATE "
                "SET text = excluded.text, corrections = excluded.corrections, updated = excluded.updated",
                (key, text, record),
            )
        )

    @contextlib.contextmanager
    def _connected(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=5)
        try:
            connection.execute("PRAGMA secure_delete = ON")  # a forgotten text leaves no trace in free pages
            with connection:  # committed, or rolled back on an error
                yield connection
        finally:
            connection.close()

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T | None:
        """``work`` done on the store; a store found to be no store is set aside, and ``work`` done
        on the new one. Any other failure: None, and ``problem`` says why."""
        for attempt in range(2):
            try:
                with self._connected() as connection:
                    return work(connection)
            except sqlite3.Error as exc:
                reason = self._file_problem() if attempt == 0 else None
                if reason is None:
                    self._failed(exc)
                    return None
                self._set_aside(reason)
        return None

    def _file_problem(self) -> str | None:
        """Why the file is no corrections store (None: it is one, or a new one, or it cannot be
        told now: a locked file is not a damaged one)."""
        try:
            with self._connected() as connection:
                connection.execute(self.SCHEMA)
                columns = tuple(row[1] for row in connection.execute("PRAGMA table_info(documents)"))
        except sqlite3.Error as exc:
            return str(exc) if _damaged(exc) else None
        return None if columns == self.COLUMNS else CORRECTION_MESSAGES["other_tables"]

    def _set_aside(self, reason: str) -> None:
        """Rename the file (and SQLite's files beside it) to ``*.damaged``, and start a new store."""
        with self._setting_aside:
            if self._file_problem() is None:
                return  # another thread did it meanwhile
            aside = _free_name(self.path)
            try:
                for suffix in ("", "-journal", "-wal", "-shm"):
                    if Path(f"{self.path}{suffix}").exists():
                        os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
            except OSError as exc:
                self._failed(exc)
                return
            self.problem = CORRECTION_MESSAGES["set_aside"].format(path=self.path, reason=reason, aside=aside.name)
            _log.warning("%s", self.problem)
            self._file_problem()  # makes the new store's table

    def _failed(self, reason: object) -> None:
        self.problem = CORRECTION_MESSAGES["unusable"].format(path=self.path, reason=" ".join(str(reason).split()))
        _log.warning("%s", self.problem)


def _damaged(error: sqlite3.Error) -> bool:
    """Whether SQLite found the file damaged or no database at all (not busy, read-only, ...)."""
    return getattr(error, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def _free_name(path: Path) -> Path:
    """``path`` with ``.damaged`` added, numbered when an earlier one is there."""
    aside, number = path.with_name(f"{path.name}.damaged"), 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.{number}.damaged")
    return aside


def _decoded(record: object) -> tuple[list[Correction], list[str]]:
    """A document's kept corrections, and why those left out were (each checked on its own)."""
    try:
        items = json.loads(record) if isinstance(record, str) else None
    except (ValueError, RecursionError) as exc:  # not JSON, nested too deep, an integer too long
        return [], [CORRECTION_MESSAGES["not_json"].format(reason=" ".join(str(exc).split())[:120])]
    if not isinstance(items, list):
        return [], [CORRECTION_MESSAGES["not_list"]]
    corrections, problems = [], []
    for number, item in enumerate(items[:MAX_CORRECTIONS], 1):
        try:
            corrections.append(Correction.from_dict(item))
        except CorrectionError as exc:
            problems.append(CORRECTION_MESSAGES["numbered"].format(number=number, reason=exc))
    if len(items) > MAX_CORRECTIONS:
        problems.append(CORRECTION_MESSAGES["too_many"].format(limit=MAX_CORRECTIONS))
    return corrections, problems


# -- travelling with the Story JSON -----------------------------------------------------------


def with_corrections(story_json: dict[str, Any], text: str, corrections: Sequence[Correction]) -> dict[str, Any]:
    """The Story JSON with a ``corrections`` member: the text's key and the corrections in order."""
    return {**story_json, "corrections": {"text_sha256": text_key(text), "edits": [c.to_dict() for c in corrections]}}


def corrections_of(story_json: dict[str, Any]) -> tuple[str | None, list[Correction]]:
    """The text key and corrections a Story JSON carries ((None, []) when it carries none); a
    CorrectionError names the first that cannot be read (an import is all or nothing)."""
    if not isinstance(story_json, dict):
        raise CorrectionError(
            CORRECTION_MESSAGES["not_object"].format(what="a Story JSON", kind=type(story_json).__name__)
        )
    member = story_json.get("corrections")
    if member is None:
        return None, []
    if not isinstance(member, dict) or not isinstance(member.get("edits"), list):
        raise CorrectionError(CORRECTION_MESSAGES["member"])
    key, edits = member.get("text_sha256"), member["edits"]
    if key is not None and not (isinstance(key, str) and re.fullmatch(r"[0-9a-f]{64}", key)):
        raise CorrectionError(CORRECTION_MESSAGES["sha256"].format(value=_shown(key)))
    if len(edits) > MAX_CORRECTIONS:
        raise CorrectionError(CORRECTION_MESSAGES["too_many"].format(limit=MAX_CORRECTIONS))
    corrections = []
    for number, item in enumerate(edits, 1):
        try:
            corrections.append(Correction.from_dict(item))
        except CorrectionError as exc:
            raise CorrectionError(CORRECTION_MESSAGES["numbered"].format(number=number, reason=exc)) from None
    return key, corrections


def read_corrections(data: bytes | str) -> tuple[str | None, list[Correction]]:
    """:func:`corrections_of` a Story JSON file's content (an upload): CorrectionError when it is
    not JSON, or not one of Dateline's."""
    try:
        story_json = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise CorrectionError(CORRECTION_MESSAGES["not_json"].format(reason=" ".join(str(exc).split())[:120])) from None
    return corrections_of(story_json)
