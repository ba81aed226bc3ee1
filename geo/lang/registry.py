"""The language registry: what each language is to Dateline, read from ``data/<lang>/``.

Why: a language is data. Its words live in rule files under ``data/<lang>/``; what the code must
know besides (its part-of-speech model and tags, whether it capitalises nouns, its CLDR locale, the
warm-up sentence, the month names CLDR lacks) lives in the same folder, in ``language.toml``. No
other module asks "is this German?"; each asks the registry for a setting or a file.

The one fallback rule: a language without its own file of a kind (an article in French, say)
reads that kind from the fallback languages, English then German (:data:`FALLBACK_LANGUAGES`);
kinds that are lists of words or names merge all of them (:func:`language_files`), kinds that are
one grammar take the first (:func:`language_file`).

More languages: a folder with a ``language.toml`` in ``data/`` is one; :func:`add_data_dir` adds
another root (a test's fixture language, a plug-in's folder).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from geo.errors import LanguageDataError

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
SETTINGS_FILE = "language.toml"
FALLBACK_LANGUAGES: tuple[str, ...] = ("en", "de")
"""Read where a language lacks a file of its own: most articles Dateline meets are English or German."""

_ROOTS: list[Path] = [DATA_DIR]


@dataclass(frozen=True)
class Language:
    """One language's settings (``data/<code>/language.toml``); every field is documented there."""

    code: str
    name: str
    folder: Path
    cldr_locale: str
    capitalises_nouns: bool = False
    all_caps_names: bool = True
    compound_place_is_modifier: bool = False
    district_compounds: bool = False  # "Düsseldorf-Gerresheim": a town, a hyphen and a name are a part of the town
    places_in_names: bool = False  # "the Dallas Police Department": a mention of Dallas, as a modifier
    demonym_mentions: bool = False  # "Russian troops": a mention of Russia, with the role demonym
    tagger_model: str | None = None
    proper_noun_tag: str | None = None
    closed_class_tags: tuple[str, ...] = ()
    compound_tags: tuple[str, ...] = ()
    unknown_tags: tuple[str, ...] = ()  # the tagger's tags for a word it does not know ("UNC"): no word
    frequency_language: str | None = None
    calendar_languages: tuple[str, ...] = ()
    loanword_languages: tuple[str, ...] = ()  # whose common words, quoted in this language, need a place cue
    old_spellings: tuple[tuple[str, str], ...] = ()  # (new, old) spellings: "ss" was "ß" in the tagger's lexicon
    warm_up: str = ""
    month_additions: tuple[tuple[int, tuple[str, ...]], ...] = ()

    def file(self, kind: str) -> Path:
        """This language's own file of a kind (it may not exist)."""
        return self.folder / kind

    def has(self, kind: str) -> bool:
        return self.file(kind).is_file()


_KEYS = {
    "name": str,
    "cldr_locale": str,
    "capitalises_nouns": bool,
    "all_caps_names": bool,
    "compound_place_is_modifier": bool,
    "district_compounds": bool,
    "places_in_names": bool,
    "demonym_mentions": bool,
    "tagger_model": str,
    "proper_noun_tag": str,
    "closed_class_tags": list,
    "compound_tags": list,
    "unknown_tags": list,
    "frequency_language": str,
    "calendar_languages": list,
    "loanword_languages": list,
    "old_spellings": list,
    "warm_up": str,
    "month_additions": dict,
}


def read_settings(folder: Path) -> Language:
    """Parse and check ``folder/language.toml``: an unknown key or a wrong type names the file."""
    path = folder / SETTINGS_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LanguageDataError(f"{path}: cannot read language settings ({error})") from None
    for key, value in raw.items():
        if key not in _KEYS:
            raise LanguageDataError(f"{path}: unknown setting {key!r}")
        if not isinstance(value, _KEYS[key]):
            raise LanguageDataError(f"{path}: {key} must be a {_KEYS[key].__name__}")
    settings = {key: tuple(value) if isinstance(value, list) else value for key, value in raw.items()}
    pairs = settings.get("old_spellings", ())
    if not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) and p for p in pair) for pair in pairs
    ):
        raise LanguageDataError(f"{path}: old_spellings is a list of [new, old] pairs of letters")
    settings["old_spellings"] = tuple(tuple(pair) for pair in pairs)
    months = settings.pop("month_additions", {})
    try:
        additions = tuple(sorted((int(month), tuple(names)) for month, names in months.items()))
    except (TypeError, ValueError):
        raise LanguageDataError(f"{path}: month_additions maps a month number to a list of names") from None
    settings.setdefault("name", folder.name)
    settings.setdefault("cldr_locale", folder.name)
    return Language(code=folder.name, folder=folder, month_additions=additions, **settings)


def add_data_dir(root: Path) -> None:
    """Add a folder whose sub-folders with a ``language.toml`` are languages (after ``data/``)."""
    root = Path(root).resolve()
    if root not in _ROOTS:
        _ROOTS.append(root)
        _forget()


def remove_data_dir(root: Path) -> None:
    """Undo :func:`add_data_dir` (tests)."""
    root = Path(root).resolve()
    if root in _ROOTS and root != DATA_DIR:
        _ROOTS.remove(root)
        _forget()


def _forget() -> None:
    """Loaders cache per language code; a changed set of roots starts them afresh."""
    for cached in list(_CACHED):
        cached.cache_clear()


_CACHED: list = []


def cached_per_language(function=None, *, maxsize: int | None = None):
    """``functools.cache`` (or an ``lru_cache`` of ``maxsize``) for a function keyed by a language
    code, cleared when the roots change: a language added later is read afresh, never from an
    older answer. Use it bare (``@cached_per_language``) or with a size (per-word caches)."""

    def decorate(inner):
        wrapped = functools.lru_cache(maxsize=maxsize)(inner)
        _CACHED.append(wrapped)
        return wrapped

    return decorate(function) if function is not None else decorate


@cached_per_language
def _languages() -> dict[str, Language]:
    found: dict[str, Language] = {}
    for root in _ROOTS:
        for settings in sorted(root.glob(f"*/{SETTINGS_FILE}")):
            found.setdefault(settings.parent.name, read_settings(settings.parent))
    return found


def languages() -> tuple[str, ...]:
    """The codes of every language with its own folder, sorted."""
    return tuple(sorted(_languages()))


def is_known(code: str) -> bool:
    return code in _languages()


def language(code: str) -> Language:
    """A language's settings; a code without a folder gets plain settings (no tagger, no files)."""
    known = _languages().get(code)
    return known if known is not None else Language(code=code, name=code, folder=DATA_DIR / code, cldr_locale=code)


def language_files(code: str, kind: str) -> tuple[Path, ...]:
    """The files of a kind to read for a language: its own, else each fallback language's (merged)."""
    own = language(code)
    if own.has(kind):
        return (own.file(kind),)
    return tuple(language(other).file(kind) for other in FALLBACK_LANGUAGES if language(other).has(kind))


def language_file(code: str, kind: str) -> tuple[str, Path]:
    """The one file of a kind that cannot merge (a grammar), and whose language it is."""
    for path in language_files(code, kind):
        return path.parent.name, path
    raise LanguageDataError(f"no language has a {kind} file (looked for {code} and {', '.join(FALLBACK_LANGUAGES)})")


def tagger_languages(code: str) -> tuple[str, ...]:
    """Whose part-of-speech model reads a word of this language: its own, else the fallbacks'."""
    if language(code).tagger_model:
        return (code,)
    return tuple(other for other in FALLBACK_LANGUAGES if language(other).tagger_model)


def languages_with(kind: str) -> tuple[str, ...]:
    """The languages that have their own file of a kind (their examples run as tests)."""
    return tuple(code for code in languages() if language(code).has(kind))


def index_languages() -> tuple[str, ...]:
    """The languages whose CLDR country names and GeoNames continent names go into the offline index:
    the fallback languages first, then every other language shipped in ``data/`` (a folder added
    with :func:`add_data_dir` does not change the index, which is built once and shared)."""
    shipped = sorted(path.parent.name for path in DATA_DIR.glob(f"*/{SETTINGS_FILE}"))
    return tuple(dict.fromkeys([code for code in FALLBACK_LANGUAGES if code in shipped] + shipped))
