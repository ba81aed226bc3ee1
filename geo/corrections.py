"""A reader's corrections to a Story's places, kept per document and applied again on every analysis.

Dateline gets most places right; the reader fixes the few it does not. A correction is one of

- **choose**: the place is another entry: one of its candidates, or one found by name in the
  gazetteer ("Vancouver" is Vancouver, B.C., not Vancouver, Washington);
- **remove**: the words are no place at all (a surname, a ship);
- **add**: words Dateline missed are a place; every whole-word occurrence of them in the text
  becomes a mention.

Corrections are data, not edits of a Story: they are stored as a list per document (keyed by
the SHA-256 of its text) and replayed, in order, on the Story that analysis gives, so they
survive a reload, a restart and a change of options. :func:`apply_corrections` returns the new
places; ``pipeline.with_places`` then recomputes the timeline's links, the legs and the claims.
A correction whose place is gone (the analysis changed) is skipped and reported.

:class:`CorrectionStore` keeps them in a small SQLite file in the user's data directory
(``$DATELINE_DATA_DIR``, else ``$XDG_DATA_HOME/dateline``, else ``~/.local/share/dateline``),
with the text itself, so that a reloaded page finds its document again. They travel with the
Story JSON as a ``corrections`` member (:func:`with_corrections`, :func:`corrections_of`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.errors import CorrectionError
from geo.model import Candidate, Mention, Place

__all__ = [
    "Correction",
    "CorrectionError",
    "CorrectionStore",
    "apply_corrections",
    "text_key",
    "data_dir",
    "with_corrections",
    "corrections_of",
    "ACTIONS",
]

ACTIONS = ("choose", "remove", "add")
USER_CONFIDENCE = 1.0  # a reader's choice is certain


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
            raise CorrectionError(f"an incomplete {self.action!r} correction")

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "place": self.place,
            "words": self.words,
            "entry": dataclasses.asdict(self.entry) if self.entry else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Correction:
        try:
            entry = data.get("entry")
            return cls(data["action"], data.get("place"), Candidate(**entry) if entry else None, data.get("words"))
        except (KeyError, TypeError, AttributeError) as exc:
            raise CorrectionError(f"a correction record is malformed ({exc})") from exc


def text_key(text: str) -> str:
    """The key a document's corrections are kept under: the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    """Corrections and the text they belong to, per document, in one SQLite file."""

    SCHEMA = (
        "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, text TEXT NOT NULL, "
        "corrections TEXT NOT NULL, updated TEXT NOT NULL)"
    )

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path else data_dir() / "corrections.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.execute(self.SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=5)

    def load(self, key: str) -> list[Correction]:
        """The corrections of the document with this key (none yet: [])."""
        with self._connect() as connection:
            row = connection.execute("SELECT corrections FROM documents WHERE key = ?", (key,)).fetchone()
        return _decoded(row[0]) if row else []

    def text(self, key: str) -> str | None:
        """The text of the document with this key, if it was kept."""
        with self._connect() as connection:
            row = connection.execute("SELECT text FROM documents WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def save(self, text: str, corrections: Sequence[Correction]) -> str:
        """Keep a document's text and its corrections (replacing what was kept); returns its key."""
        key = text_key(text)
        record = json.dumps([c.to_dict() for c in corrections], ensure_ascii=False)
        with self._connect() as connection:
            connection.execute(
                "INSERT INTO documents VALUES (?, ?, ?, CURRENT_TIMESTAMP) ON CONFLICT(key) DO UPDATE "
                "SET corrections = excluded.corrections, updated = excluded.updated",
                (key, text, record),
            )
        return key


def _decoded(record: str) -> list[Correction]:
    try:
        items = json.loads(record)
    except json.JSONDecodeError as exc:
        raise CorrectionError(f"stored corrections are not JSON ({exc.msg})") from exc
    if not isinstance(items, list):
        raise CorrectionError("stored corrections are not a list")
    return [Correction.from_dict(item) for item in items]


# -- travelling with the Story JSON -----------------------------------------------------------


def with_corrections(story_json: dict[str, Any], text: str, corrections: Sequence[Correction]) -> dict[str, Any]:
    """The Story JSON with a ``corrections`` member: the text's key and the corrections in order."""
    return {**story_json, "corrections": {"text_sha256": text_key(text), "edits": [c.to_dict() for c in corrections]}}


def corrections_of(story_json: dict[str, Any]) -> tuple[str | None, list[Correction]]:
    """The text key and corrections a Story JSON carries ((None, []) when it carries none)."""
    member = story_json.get("corrections")
    if member is None:
        return None, []
    if not isinstance(member, dict) or not isinstance(member.get("edits"), list):
        raise CorrectionError("the Story JSON's corrections are malformed")
    return member.get("text_sha256"), [Correction.from_dict(item) for item in member["edits"]]
