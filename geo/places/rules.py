"""One language's rules for finding place names, read from ``data/<lang>/toponyms.txt`` and ``demonyms.tsv``.

Why data: the words that tell a place from a person or an organisation ("nach", "Präsident",
"Universität", "russische") are language knowledge, so they live in each language's folder, each
file opening with its FORMAT; this module only reads and checks them. A language without files of
its own reads the fallback languages' (:func:`geo.lang.registry.language_files`), merged. The
examples at the end of ``toponyms.txt`` run as tests (tests/lang/test_toponym_examples.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from geo.errors import RulesError
from geo.lang.registry import cached_per_language, language, language_files
from geo.lang.rulefiles import Example, load_abbreviations, read_example, read_sections

TOPONYMS_FILE = "toponyms.txt"
DEMONYMS_FILE = "demonyms.tsv"
QUALIFIERS_FILE = "qualifiers.tsv"
SECTIONS = (
    "genitive_suffixes",
    "adjective_endings",
    "region_prefixes",
    "place_nouns",
    "place_noun_heads",
    "facility_nouns",
    "place_prepositions",
    "preposition_idioms",
    "noun_articles",
    "plural_names",
    "historic_spellings",
    "place_adjectives",
    "position_words",
    "adjective_prepositions",
    "apposition_openers",
    "connectors",
    "list_connectors",
    "person_titles",
    "authorship_prepositions",
    "work_participles",
    "naming_words",
    "named_places",
    "place_compound_heads",
    "party_letters",
    "resident_nouns",
    "speech_verbs",
    "person_relatives",
    "origin_prepositions",
    "byline_words",
    "pair_prepositions",
    "name_particles",
    "qualifier_links",
    "org_prefixes",
    "org_heads",
    "org_suffixes",
    "place_bodies",
    "name_suffixes",
    "division_words",
    "region_nouns",
    "region_titles",
    "division_plurals",
    "town_features",
    "street_words",
    "street_endings",
    "street_nouns",
    "street_openers",
    "street_particles",
    "organisations",
    "sports_words",
    "common_words",
    "not_places",
)
SPELLING_PAIR = re.compile(r"(\S+) -> (\S+)")  # a [historic_spellings] entry: "Oe -> Ö"
EXAMPLES = "examples"  # the last section: examples that run as tests, not rules


@dataclass(frozen=True)
class Rules:
    """One language's recognition rules (see the FORMAT comment of data/<lang>/toponyms.txt)."""

    language: str
    genitive_suffixes: tuple[str, ...]
    adjective_endings: tuple[str, ...]
    region_prefixes: tuple[str, ...]  # "süd", "ost": "Süditalien" is a part of Italy, written as one word
    place_nouns: tuple[str, ...]
    place_noun_heads: tuple[str, ...]  # "stadt", "gemeinde": a compound so ending is a place noun ("Kreisstadt")
    facility_nouns: tuple[str, ...]  # "Atomkraftwerk", "Niederlassung": before a name, a facility named after its town
    place_prepositions: tuple[str, ...]
    preposition_idioms: tuple[str, ...]  # "je nach": they end in a place preposition and are no cue ("je nach Lage")
    noun_articles: tuple[str, ...]  # "das", "die": right before a town's one-word name, it is a noun ("das Plateau")
    plural_datives: dict[str, str]  # "niederlanden" -> "Niederlande": plural names in the dative (German -n)
    historic_spellings: tuple[tuple[str, str], ...]  # ("Oe", "Ö"), ("Jt", "It"): "Oesterreich" is Österreich
    place_adjectives: tuple[str, ...]  # "nahen", "-ischen", "nearby": "im westfälischen Hagen" keeps its cue
    position_words: frozenset[str]  # "East", "Central": before a name, the part of it ("East Texas"), no given name
    adjective_prepositions: tuple[str, ...]  # "im", "ins": a cue only before a place adjective ("im nahen Lörrach")
    apposition_openers: frozenset[str]  # "a", "the", "eine": they open an apposition ("Bachmut, eine Kleinstadt")
    connectors: frozenset[str]
    list_connectors: tuple[str, ...]  # "und", "and": they join the names of a list (commas too)
    person_titles: tuple[str, ...]
    authorship_prepositions: tuple[str, ...]  # "von": after a noun, before a public figure's name, whose work it is
    work_participles: frozenset[str]  # "komponiert": "von Corea komponiert", the name is its author's
    speech_verbs: tuple[str, ...]  # "sagte", "so", "said": the name that says something is a person's
    person_relatives: tuple[str, ...]  # ", who": after a town's name, it is a person's ("Bristol, who runs ...")
    origin_prepositions: tuple[str, ...]  # "of": "Dan Hale of Roswell, who ...": the relative is about Dan Hale
    byline_words: tuple[str, ...]  # "By", "Von": a short line that opens with one names the writer ("By Chad Weller")
    pair_prepositions: tuple[str, ...]  # "between", "zwischen": the second of "between A and B" is a place as A is
    qualifier_links: frozenset[str]  # "in": "the Falmouth in England" is qualified as "Falmouth, England"
    name_particles: tuple[str, ...]  # "von der", "van", "da": inside a person's name ("Ludwig van Beethoven")
    org_prefixes: tuple[str, ...]
    org_heads: tuple[str, ...]  # "schule", "sparkasse": a compound so ending opens an organisation's name
    naming_words: tuple[str, ...]  # "called", "known as": the name after them is given to something
    named_places: frozenset[str]  # "town", "Dorf": before a naming word, what is named is a place
    place_compound_heads: frozenset[str]  # "based", "born": "Rock Hill-based" names a place
    party_letters: frozenset[str]  # "R", "D": "Sen. Ted Cruz (R-Texas)" names the place he represents
    resident_nouns: frozenset[str]  # "man", "native": "a Meadow Grove man" is a man of that place
    org_suffixes: tuple[str, ...]
    place_bodies: tuple[str, ...]  # "Police Department", "City Council": a body named after the town before it
    name_suffixes: tuple[str, ...]  # "County", "Street": after a town's name, the name of another thing
    division_words: tuple[str, ...]  # "region", "province": after a name, its division ("the Kursk region")
    region_nouns: tuple[str, ...]  # "state of", "Provinz": before a name, it names a region ("the state of Victoria")
    region_titles: tuple[
        str, ...
    ]  # "Governor", "Gov.": after a name, as written, a region's office ("New York Governor")
    division_plurals: dict[str, str]  # "counties" -> "County": after a list of names, each one's division
    street_words: tuple[str, ...]  # "Street", "Platz": after a name, as written, a street's (geo.places.streets)
    street_endings: tuple[str, ...]  # "straße": a one-word street name's ending ("Schwanitzstraße")
    street_nouns: frozenset[str]  # "landstraße": so built, a common noun, no street's name
    town_features: frozenset[str]  # "Flughafen(s)": after a town's adjective, a place at it ("Frankfurter Flughafen")
    street_openers: tuple[str, ...]  # "Via", "Rue": before a name, as written, a street's ("Via Roma": not Rome)
    street_particles: tuple[str, ...]  # "de", "della", "d’": inside a street's name after its opener
    organisations: tuple[str, ...]
    sports_words: frozenset[str]  # "Bundesliga", "Trainer": a sentence with one reports sport, its towns' clubs play
    common_words: frozenset[str]
    not_places: frozenset[str]
    demonyms: dict[str, str]
    qualifier_forms: dict[str, str]  # "Mo." -> "Missouri": a region's form that only a comma qualifier can be
    calendar_words: frozenset[str]
    function_words: frozenset[str]  # titles, place nouns, organisation words: never a place alone
    abbreviations: frozenset[str]  # abbreviations.txt, case-folded, with their period ("mio.", "ky.")


def read_rule_file(path: Path) -> dict[str, list[str]]:
    """Sections of a rule file (its examples apart: :func:`toponym_examples`); an entry outside a
    section, an unknown section or a spelling pair without its arrow is an error."""
    sections = {name: lines for name, lines in _sections(path).items() if name != EXAMPLES}
    for number, line in sections.get("historic_spellings", ()):
        if not SPELLING_PAIR.fullmatch(line.strip()):
            raise RulesError(f"{path.name}:{number}: expected 'written -> today' in [historic_spellings], got {line!r}")
    for number, line in sections.get("division_plurals", ()):
        if len(line.split()) != 2:
            raise RulesError(f"{path.name}:{number}: expected 'plural Singular' in [division_plurals], got {line!r}")
    for number, line in sections.get("sports_words", ()):
        if len(line.split()) != 1 or "-" in line:
            raise RulesError(
                f"{path.name}:{number}: expected one word without a hyphen in [sports_words], got {line!r}"
            )
    return {name: [line.strip() for _, line in lines] for name, lines in sections.items()}


def _sections(path: Path) -> dict[str, list[tuple[int, str]]]:
    return read_sections(path, SECTIONS + (EXAMPLES,), RulesError)


NO_COUNTRY = "-"
"""A demonym's code in demonyms.tsv for a region of several countries ("Central American"): the form
is read as one word, so that its last word is no country's ("American"), and names none."""


def read_demonyms(path: Path) -> dict[str, str]:
    """Demonym forms -> ISO country code (``form<TAB>CC`` lines; NO_COUNTRY for a region's)."""
    return {form.casefold(): country.upper() for form, country in _read_pairs(path, "country").items()}


def read_qualifier_forms(path: Path) -> dict[str, str]:
    """Qualifier-only forms -> the region's gazetteer name (``form<TAB>name`` lines, form as written)."""
    return _read_pairs(path, "region name")


def _read_pairs(path: Path, second: str) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if len(cells) != 2:
            raise RulesError(f"{path.name}:{number}: expected form<TAB>{second}")
        pairs[cells[0].strip()] = cells[1].strip()
    return pairs


def _longest_first(entries: list[str]) -> tuple[str, ...]:
    return tuple(sorted({e.casefold() for e in entries}, key=lambda e: (-len(e), e)))


def _longest_first_as_written(entries: list[str]) -> tuple[str, ...]:
    """Entries matched as written (a street word is capitalised: "Street", not "street")."""
    return tuple(sorted(set(entries), key=lambda e: (-len(e), e)))


@cached_per_language
def rules_for(code: str) -> Rules:
    """The rules of a language; a language without its own files reads the fallback languages', merged."""
    merged: dict[str, list[str]] = {name: [] for name in SECTIONS}
    for path in language_files(code, TOPONYMS_FILE):
        for name, entries in read_rule_file(path).items():
            merged[name] += entries
    demonyms: dict[str, str] = {}
    for path in language_files(code, DEMONYMS_FILE):
        demonyms.update(read_demonyms(path))
    qualifier_forms: dict[str, str] = {}
    for path in language_files(code, QUALIFIERS_FILE):
        qualifier_forms.update(read_qualifier_forms(path))
    connectors = frozenset(word for phrase in merged["connectors"] for word in phrase.casefold().split())
    return Rules(
        language=code,
        genitive_suffixes=_longest_first(merged["genitive_suffixes"]),
        adjective_endings=_longest_first(merged["adjective_endings"]),
        region_prefixes=_longest_first(merged["region_prefixes"]),
        place_nouns=_longest_first(merged["place_nouns"]),
        place_noun_heads=_longest_first([head.casefold() for head in merged["place_noun_heads"]]),
        facility_nouns=_longest_first(merged["facility_nouns"]),
        place_prepositions=_longest_first(merged["place_prepositions"]),
        preposition_idioms=_longest_first(merged["preposition_idioms"]),
        noun_articles=_longest_first(merged["noun_articles"]),
        plural_datives={_dative_plural(name).casefold(): name for name in merged["plural_names"]},
        historic_spellings=tuple(_spelling_pair(entry) for entry in merged["historic_spellings"]),
        place_adjectives=_longest_first(merged["place_adjectives"]),
        position_words=frozenset(w.casefold() for w in merged["position_words"]),
        adjective_prepositions=_longest_first(merged["adjective_prepositions"]),
        apposition_openers=frozenset(w.casefold() for w in merged["apposition_openers"]),
        connectors=connectors,
        list_connectors=_longest_first(merged["list_connectors"]),
        person_titles=_longest_first(merged["person_titles"]),
        authorship_prepositions=_longest_first(merged["authorship_prepositions"]),
        work_participles=frozenset(w.casefold() for w in merged["work_participles"]),
        speech_verbs=_longest_first(merged["speech_verbs"]),
        person_relatives=_longest_first(merged["person_relatives"]),
        origin_prepositions=_longest_first(merged["origin_prepositions"]),
        byline_words=_longest_first_as_written(merged["byline_words"]),
        pair_prepositions=_longest_first(merged["pair_prepositions"]),
        name_particles=_longest_first(merged["name_particles"]),
        qualifier_links=frozenset(w.casefold() for w in merged["qualifier_links"]),
        org_prefixes=_longest_first(merged["org_prefixes"]),
        org_heads=_longest_first(merged["org_heads"]),
        naming_words=_longest_first(merged["naming_words"]),
        named_places=frozenset(w.casefold() for w in merged["named_places"]),
        place_compound_heads=frozenset(w.casefold() for w in merged["place_compound_heads"]),
        party_letters=frozenset(merged["party_letters"]),
        resident_nouns=frozenset(merged["resident_nouns"]),
        org_suffixes=_longest_first(merged["org_suffixes"]),
        place_bodies=_longest_first(merged["place_bodies"]),
        name_suffixes=_longest_first(merged["name_suffixes"]),
        division_words=_longest_first(merged["division_words"]),
        region_nouns=_longest_first(merged["region_nouns"]),
        region_titles=_longest_first_as_written(merged["region_titles"]),
        division_plurals=dict(_plural_pair(entry) for entry in merged["division_plurals"]),
        street_words=_longest_first_as_written(merged["street_words"]),
        street_endings=_longest_first_as_written([e.lower() for e in merged["street_endings"]]),
        street_nouns=frozenset(w.casefold() for w in merged["street_nouns"]),
        town_features=frozenset(
            word + suffix for word in merged["town_features"] for suffix in ("", *merged["genitive_suffixes"])
        ),
        street_openers=_longest_first_as_written(merged["street_openers"]),
        street_particles=_longest_first_as_written(merged["street_particles"]),
        organisations=_longest_first(merged["organisations"]),
        sports_words=frozenset(w.casefold() for w in merged["sports_words"]),
        common_words=frozenset(w.casefold() for w in merged["common_words"]),
        not_places=frozenset(w.casefold() for w in merged["not_places"]),
        demonyms=demonyms,
        qualifier_forms=qualifier_forms,
        calendar_words=calendar_words(code),
        function_words=frozenset(
            w.casefold()
            for name in (
                "person_titles",
                "place_nouns",
                "facility_nouns",
                "org_prefixes",
                "org_suffixes",
                "place_bodies",
                "name_suffixes",
            )
            for w in merged[name]
        ),
        abbreviations=_abbreviations(code),
    )


def _plural_pair(entry: str) -> tuple[str, str]:
    """ "counties County": a division's plural as written after a list, and the word its names take
    in the gazetteer (checked by :func:`read_rule_file`)."""
    plural, singular = entry.split()
    return plural.casefold(), singular


def _spelling_pair(entry: str) -> tuple[str, str]:
    """ "Oe -> Ö": a word's written beginning and today's (checked by :func:`read_rule_file`)."""
    written, today = SPELLING_PAIR.fullmatch(entry).groups()
    return written, today


def _dative_plural(name: str) -> str:
    """A plural name in the dative, as German declines it: every word that ends in -e takes an -n
    ("Vereinigte Arabische Emirate" -> "Vereinigten Arabischen Emiraten")."""
    return " ".join(word + "n" if word.endswith("e") else word for word in name.split())


def _abbreviations(code: str) -> frozenset[str]:
    """The language's abbreviations (``abbreviations.txt``), case-folded: a word written with one of
    them ("5 Mio. Euro", "Nr. 7") is that abbreviation, not the town the gazetteer spells alike
    ("Mio", Michigan). A place abbreviated so ("Ky.") is a form of the gazetteer, found with its period."""
    listed = load_abbreviations(code)
    return frozenset(a.casefold() for a in listed.never_end | listed.may_end)


@cached_per_language
def home_countries(code: str) -> frozenset[str]:
    """Countries whose news is written in this language (data/<lang>/home_countries.txt)."""
    path = language(code).file("home_countries.txt")
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cached_per_language
def calendar_words(code: str) -> frozenset[str]:
    """Month and weekday names (CLDR, via babel): never places alone. Those of the language and of
    its ``calendar_languages`` (language.toml), and of the calendar languages of the languages whose
    rules it reads (a language without rules of its own reads the fallback languages')."""
    from babel import Locale, UnknownLocaleError

    codes = {code, *language(code).calendar_languages}
    for path in language_files(code, TOPONYMS_FILE):
        codes.update(language(path.parent.name).calendar_languages)
    words = set()
    for each in codes:
        try:
            locale = Locale.parse(language(each).cldr_locale)
        except (UnknownLocaleError, ValueError):
            continue
        for width in ("wide", "abbreviated"):
            words.update(locale.months["format"][width].values())
            words.update(locale.days["format"][width].values())
    return frozenset(w.casefold().rstrip(".") for w in words)


@cached_per_language
def toponym_examples(code: str) -> tuple[Example, ...]:
    """The ``[examples]`` of a language's own toponyms.txt. A "+" line marks every place name the
    rules must find in it, and they must find no other; a "-" line, none of its marked names (none
    at all where it marks none). Nothing follows "=>": the marks are the expectation."""
    path = language(code).file(TOPONYMS_FILE)
    if not path.is_file():
        return ()
    examples = []
    for number, line in _sections(path).get(EXAMPLES, []):
        example = read_example(path, number, line, RulesError)
        if example.expected:
            raise RulesError(f"{path}:{number}: a toponym example has no '=> ...': its [marks] are the names")
        if example.positive and not example.spans:
            raise RulesError(f"{path}:{number}: a '+' example marks the [names] to find ('-' finds none)")
        examples.append(example)
    return tuple(examples)
