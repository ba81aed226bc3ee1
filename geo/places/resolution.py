"""Choosing the right place for each name: candidates scored on the evidence a reader would use.

Evidence, from weakest to strongest: how big and how prominent a candidate is (population, kind,
capital), whether the text used its main name, the language's home countries, the countries and
first-level divisions the article is about (named, "Texas", "Ky.", or implied by demonyms such as
"russische"), nearness to the places the article names unambiguously (spatial coherence; a place
beside one of them shares that place's country evidence, so "Deutschland" does not pull Salzburg
away from Austria on a Wien-Salzburg-München route), holding one of those places (a state or
country that holds a town the article names: "Georgia" beside "Atlanta"), the sort of place the
names listed with it are ("Georgia" among "Arizona, Ohio and Utah" is a state), a feature word before the name ("Cape of Good
Hope" is no town called Good Hope: data/<lang>/feature_words.txt), and a qualifier written beside
the name ("Paris, Texas", "Halle (Saale)"), which rules out every reading outside it (the pair is
read together: "Washington, Georgia" is the state, which holds a Washington). A dateline's country
counts as a country named; a division counts as far as the article is about its country. One name
means one place throughout an article (one sense per discourse), so evidence from every mention
counts for all of them.

Scores become probabilities with a softmax; a place's ``confidence`` is the probability that its
point is right: that of its best reading and of the readings within SAME_PLACE_KM of it (GeoNames'
twins of one place). A name whose best candidate is a hamlet with no supporting evidence is
dropped rather than forced.
Distances used for scoring are great-circle on a sphere (numpy, vectorised): coarse thresholds of
tens of kilometres do not need the ellipsoid; every distance Dateline reports is geodesic.
"""

from __future__ import annotations

import bisect
import math
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TypeVar

import numpy as np
import regex

from geo.journeys.geodesy import great_circle_km, unit_vectors
from geo.lang.registry import cached_per_language, language, language_files
from geo.model import DEMONYM, MODIFIER, Candidate, Mention, Place
from geo.places.gazetteer import ALTERNATE, ONLINE, OWN_NAME, PRIMARY, Gazetteer, Match, normalise
from geo.places.recognition import DATELINE, STRONG_POPULATION, Demonym, Toponym, division_word_after, word_after
from geo.places.rules import Rules, home_countries, rules_for
from geo.places.wordclasses import is_closed_class

Key = TypeVar("Key")

MAX_LISTED_CANDIDATES = 5
TEMPERATURE = 0.8

# Weights of the evidence (log-odds scale), set by reasoning and checked on the project's own
# samples (benchmarks/samples.py); never fitted to the evaluation sets.
W_POPULATION = 0.45  # per factor of ten inhabitants (cities and countries only)
POPULATION_KINDS = ("city", "country", "continent")  # a region's head count is not a city's
W_KIND = {"country": 2.5, "continent": 2.0, "water": 2.4, "region": 1.6, "landmark": 1.2, "city": 0.0}
W_CAPITAL = 1.2  # a capital also stands for its government ("Washington said")
W_MAJOR_CITY = 0.6  # a city of MAJOR_CITY people is known by its own name alone ("toward Atlanta and Boston")
MAJOR_CITY = 500_000
W_MAIN_NAME = 0.4
W_HOME_COUNTRY = 0.4
W_ARTICLE_COUNTRY = 2.5  # times the country's share of the article's country evidence
W_ARTICLE_ADMIN1 = 2.0  # times the first-level division's share of the article's division evidence
W_QUALIFIER = 5.0
BORDER_KM = 150  # a place this near an anchor shares the anchor's country evidence (Salzburg by München)
W_NEAR = {"city": ((50, 1.2), (200, 0.8), (600, 0.4)), "region": ((300, 1.5), (800, 0.7))}
HOLDING_KINDS = ("country", "region", "city")
W_CONTAINS_ANCHOR = 2.0  # a region that holds another place the article names surely ("Atlanta" ... "Georgia")
ANCHOR_CONFIDENCE = 0.8
MAX_MUTUAL_READINGS = 40  # readings of a name that no anchor settles, read beside the others like it
MAX_MUTUAL_ROWS = 400  # readings of all such names in an article: one 400 x 400 matrix at most
W_SAME_COUNTY = 2.0  # a town and a county the article names that lie together ("Walker County" ... "Huntsville")
SAME_COUNTY_KM = 40  # a town this near a county's centre lies in it or beside it
MAX_COUNTY_PAIRS = 250_000  # county readings times town readings asked in an article (one matrix)
W_FEATURE_WORD = 4.0  # against a town for a name after a feature word ("Cape of Good Hope" is no Good Hope)
W_ARTICLE_TOWN = 2.0  # against a town for a name that stands alone after a definite article ("the Atlantic")
W_REGION_WORD = 4.0  # against a town for a name a region word stands beside ("the state of Washington")
W_BORROWED_NAME = 4.0  # against a town known by a name only as an alias, where a well-known place bears it as its own
W_WIRE_NAMESAKE = 2.0  # against a smaller town an agency's dateline names alone (a state wire omits its state)
W_WIRE_NOT_TOWN = 4.0  # against a region or country an agency's dateline names: it names a town
WELL_KNOWN_KINDS = frozenset({"country", "continent", "region"})  # and cities of MAJOR_CITY people
NAME_END = frozenset(".,;:!?)\"'’”")  # what may follow a name that stands alone
MAX_NEAR_ANCHORS = 500  # anchors asked for nearness (the first named): see _first_anchors
NEAR_ROW_BLOCK = 2048  # candidate rows per distance matrix (2,048 x 500 x 3 floats: 25 MB at most)
SAME_PLACE_KM = 161  # readings this near the chosen one put the point in the same place (acc@161's 100 miles)
MAX_CACHED_READINGS = 64  # a name with more readings has its nearness to the best worked out each time
W_DATELINE_COUNTRY = 2  # the country of a dateline's town counts as a country named once
W_SIBLINGS = 3.0  # times the share of a list's other names read as the same sort of place ("Georgia, Ohio and Utah")
MIN_TOWN_VOTERS = 2  # towns that must list a name with them before it is the big city they make it
VOTER_CONFIDENCE = 0.5  # a list member votes for its sort when its best reading is likelier than the rest
W_ARTICLE_SORT = 2.0  # times the share of the article's other names read as the same sort of region ("California")
MAX_ITEM_WORDS = 3  # words before each name of a list of one shape ("fourteen in Nova Scotia")
MIN_ARTICLE_VOTERS = 2  # other names that must vote before the article's sort counts
STRAY_TOWN_POPULATION = 10_000  # a town smaller than this, abroad and unbacked, is left off (stray_towns)
FAMOUS_CITY_POPULATION = 1_000_000  # a name such a city bears is the city's unless a list or qualifier says not


@dataclass(frozen=True)
class NameGroup:
    """Every mention of one name in an article, and what the text says around them."""

    key: str
    toponyms: tuple[Toponym, ...]
    matches: tuple[Match, ...]
    qualifiers: tuple[str, ...]
    feature_word: str | None = None  # a word before a mention that makes it a natural feature ("Cape")
    after_article: bool = False  # a mention stands alone after a definite article ("across the Atlantic to")
    region_word: bool = False  # a word beside a mention makes it a region ("the state of Victoria", "Somme region")
    wire_dateline: bool = False  # an agency's dateline names it alone ("GENEVA (Reuters) —"): see with_wire_datelines


@dataclass(frozen=True)
class Resolution:
    """The scored candidates of one name."""

    group: NameGroup
    candidates: tuple[Candidate, ...]  # the MAX_LISTED_CANDIDATES best, best first, score = probability
    supported: bool  # some evidence beyond size alone backs the best candidate
    confidence: float = 0.0  # probability that the best candidate's point is right: see placed_probability


@dataclass(frozen=True)
class Readings:
    """A name's candidates (one match per place) with the parts of their scores that the second
    pass (anchors, qualifiers) leaves as they are: the prior and the article's countries."""

    matches: tuple[Match, ...]
    priors: tuple[float, ...]
    country_bonuses: tuple[float, ...]


@dataclass(frozen=True)
class ArticleEvidence:
    """What the whole article says about where it is."""

    language: str
    countries: dict[str, float]  # country code -> share of the article's country evidence
    anchors: np.ndarray  # (n, 2) lat/lon of places the article names unambiguously
    anchor_keys: tuple[str, ...]
    anchor_places: tuple[Candidate, ...] = ()  # the anchors' readings: their countries and divisions
    divisions: dict[tuple[str, str], float] | None = None  # (country, admin1) -> share, as countries
    division_names: dict[str, tuple[tuple[str, str], float]] | None = None  # name key -> its division, its share

    @property
    def anchor_countries(self) -> tuple[str | None, ...]:
        return tuple(place.country for place in self.anchor_places)


@cached_per_language
def feature_words(code: str) -> tuple[str, ...]:
    """Words that make the name after them a natural feature (data/<lang>/feature_words.txt, or the
    fallback languages' merged, as for every word list), longest first."""
    words = {
        line.strip()
        for path in language_files(code, "feature_words.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    return tuple(sorted(words, key=lambda word: (-len(word), word)))


def with_feature_words(groups: list[NameGroup], text: str, language: str) -> list[NameGroup]:
    """Note the feature word written right before any mention of a group's name ("Cape of Good Hope")."""
    words = feature_words(language)
    if not words:
        return groups
    noted = []
    for group in groups:
        found = next((w for t in group.toponyms for w in words if written_before(text, t.start, w)), None)
        noted.append(replace(group, feature_word=found) if found else group)
    return noted


def with_articles(groups: list[NameGroup], text: str, language: str) -> list[NameGroup]:
    """Note where a mention of a group's name stands alone after a definite article: towns take
    none ("across the Atlantic to Savannah", "im Atlantik"); oceans, rivers, regions and some
    countries do. Alone: no noun follows that the name would modify ("the Paris office"), and no
    qualifier ("the Washington, D.C., area"); a name that can be a sea needs only the article
    ("the Pacific side")."""
    rules = rules_for(language)
    if not rules.noun_articles:
        return groups
    return [replace(group, after_article=True) if _after_article_in(group, text, rules) else group for group in groups]


def _after_article_in(group: NameGroup, text: str, rules: Rules) -> bool:
    """Does some mention stand alone after an article, or, for a name that can be a sea, after one?"""
    if _water(group):
        return any(_after_article(text, t, rules) for t in group.toponyms)
    return any(_alone_after_article(text, t, rules) for t in group.toponyms)


def _water(group: NameGroup) -> bool:
    """Can the name be a sea or an ocean? Then an article before it says so even where a noun
    follows ("the Atlantic flyway", "the Pacific side"): towns take none."""
    return any(m.candidate.kind == "water" for m in group.matches)


def _alone_after_article(text: str, toponym: Toponym, rules: Rules) -> bool:
    """ "the Atlantic.", "the north Atlantic, are", "the Atlantic to": an article, at most one word of
    position or place adjective ("north", "nearby"), the name, then punctuation, the end or a
    closed-class word."""
    if not _after_article(text, toponym, rules):
        return False
    after = text[toponym.end : toponym.end + 30]
    if not after or after[0] in NAME_END:
        return True
    following = after.split(maxsplit=1)[0] if after[0] == " " and after.strip() else ""
    return bool(following) and following.islower() and is_closed_class(following, rules.language)


def with_region_words(groups: list[NameGroup], text: str, language: str) -> list[NameGroup]:
    """Note where a word beside a mention of a group's name makes it a region: a region noun before
    it ("the state of Victoria", "im Bundesstaat Washington": [region_nouns]), a division word
    after it ("the Somme region": [division_words]) or a region's office ("New York Governor":
    [region_titles]); a town of that name is then unlikely."""
    rules = rules_for(language)
    if not (rules.region_nouns or rules.division_words or rules.region_titles):
        return groups
    return [
        replace(group, region_word=True)
        if _towns_and_others(group)
        and any(
            _region_noun_before(text, t.start, rules.region_nouns)
            or division_word_after(text, t.end, rules)
            or word_after(text, t.end, rules.region_titles) is not None  # "New York Governor"
            for t in group.toponyms
        )
        else group
        for group in groups
    ]


# After a dateline's place: other places after a slash ("KIEW/BERLIN"), then an agency's short name
# in brackets ("(AP)", "(Reuters)", "(dpa)", "(dpa/lsw)", "(ots)").
_AGENCY_AFTER = regex.compile(
    r"(?:\s*/\s*\p{Lu}[\p{L}\p{M}.'\-]*(?: \p{Lu}[\p{L}\p{M}.'\-]*)*)*\s*\(\p{L}[\p{L}/\-]{1,15}\)"
)


def with_wire_datelines(groups: list[NameGroup], text: str) -> list[NameGroup]:
    """Note where a news agency's dateline names a place without a qualifier. Agencies write a
    town alone only where the world knows it by that name ("GENEVA (Reuters)", "PARIS (AP)"; a
    smaller namesake gets its state or country: "GENEVA, N.Y. (AP)"), so its smaller namesakes
    lose W_WIRE_NAMESAKE (a story of American tariffs filed in Geneva is not filed in Geneva,
    Illinois, which the article's countries and the language's home countries would favour; an
    American state wire omits its own state, so the article's evidence may still choose one), and
    its readings as a region or country lose W_WIRE_NOT_TOWN ("WASHINGTON (AP)" in a story that
    names Mount Rainier)."""
    return [
        replace(group, wire_dateline=True)
        if not group.qualifiers and any(t.cue == DATELINE and _AGENCY_AFTER.match(text, t.end) for t in group.toponyms)
        else group
        for group in groups
    ]


def _towns_and_others(group: NameGroup) -> bool:
    """Has the name readings as a town and as some other kind? Only then can a word beside it that
    speaks for one kind change which reading wins."""
    kinds = {m.candidate.kind == "city" for m in group.matches}
    return len(kinds) == 2


def _region_noun_before(text: str, start: int, nouns: tuple[str, ...]) -> bool:
    """Does one of ``nouns`` (case-folded) stand right before ``start``, after a space, a hyphen or
    the start of the text ("state of ", "US-Bundesstaat ")?"""
    pattern = _region_noun_pattern(nouns)
    return pattern is not None and pattern.search(text, max(0, start - 40), start) is not None


@lru_cache(maxsize=8)
def _region_noun_pattern(nouns: tuple[str, ...]) -> regex.Pattern | None:
    """One case-insensitive pattern for the region nouns that end right before a name."""
    if not nouns:
        return None
    return regex.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(map(regex.escape, nouns)) + r") $", regex.IGNORECASE)


def _after_article(text: str, toponym: Toponym, rules: Rules) -> bool:
    """An article right before the name, or before one word of position or place adjective ("the
    north Atlantic", "the nearby Pacific"); not a qualified name ("the Washington, D.C., area")."""
    if toponym.qualifier or not text[toponym.start - 1 : toponym.start] == " ":
        return False
    words = text[max(0, toponym.start - 40) : toponym.start].split()
    if (
        len(words) >= 2
        and words[-1].islower()
        and (words[-1] in rules.position_words or words[-1] in rules.place_adjectives)
    ):
        words = words[:-1]
    return bool(words) and words[-1].casefold() in rules.noun_articles


def written_before(text: str, start: int, word: str) -> bool:
    """Whether ``word`` and one space stand right before ``start``, as a whole word ("Cape of Good
    Hope", not "Escape of Good Hope")."""
    begin = start - len(word) - 1
    return begin >= 0 and text[begin:start] == f"{word} " and (begin == 0 or not text[begin - 1].isalnum())


def group_toponyms(toponyms: list[Toponym]) -> list[NameGroup]:
    """One group per name and qualifier, in order of first mention.

    One name is one place in an article, unless the article itself tells its namesakes apart
    ("Paris, Ky." and "Paris, Tenn."): bare mentions join the name's first qualified sense. A name
    that qualifies another anywhere ("Portland, Maine") is a region, country or feature throughout,
    never a town that has it as an alternate name (Des Plaines).
    """
    by_sense: dict[tuple[str, str | None], list[Toponym]] = defaultdict(list)
    first_qualifier: dict[str, str] = {}
    for toponym in toponyms:
        if toponym.qualifier:
            first_qualifier.setdefault(toponym.key, toponym.qualifier)
    for toponym in toponyms:
        by_sense[(toponym.key, toponym.qualifier or first_qualifier.get(toponym.key))].append(toponym)
    qualifying = set(first_qualifier.values()) | {t.qualifier for t in toponyms if t.qualifier}
    return [
        NameGroup(
            key,
            tuple(items),
            _as_qualifier(items[0].matches) if key in qualifying else items[0].matches,
            (qualifier,) if qualifier else (),
        )
        for (key, qualifier), items in by_sense.items()
    ]


def _as_qualifier(matches: tuple[Match, ...]) -> tuple[Match, ...]:
    """The readings a qualifier can have: every one but the towns (if any is left). Not where a big
    city bears the name: "Washington, New York and Boston" is a list, "Rochester, New York" is not,
    and only the rest of the article tells which."""
    if _names_a_big_city(matches):
        return matches
    return tuple(m for m in matches if m.candidate.kind != "city") or matches


def _names_a_big_city(matches: tuple[Match, ...]) -> bool:
    """Is one of the readings a city of at least STRONG_POPULATION?"""
    return any(m.candidate.kind == "city" and m.candidate.population >= STRONG_POPULATION for m in matches)


def resolve_places(
    toponyms: list[Toponym], demonyms: Counter[str], language: str, sentence_of=None, text: str | None = None
) -> tuple[Place, ...]:
    """Resolve every name of an article and merge its mentions into places, in order of mention.
    With the ``text``, a feature word before a name ("Cape", "Kap") counts against towns, and the
    names it lists together are read as one sort of place (:func:`coordinated_lists`)."""
    lists = coordinated_lists(toponyms, text, language) if text is not None else []
    toponyms = without_listed_qualifiers(toponyms, lists)
    groups = group_toponyms(toponyms)
    if text is not None:
        groups = with_region_words(
            with_articles(with_feature_words(groups, text, language), text, language), text, language
        )
        groups = with_wire_datelines(groups, text)
    evidence = article_evidence(groups, demonyms, language, np.empty((0, 2)), ())
    readings = [readings_of(g, evidence) for g in groups]
    holding = holding_bonuses(groups, readings, text, language)
    first = {
        g.key: score_group(g, evidence, {}, r, nearness=hold, placed=False)
        for g, r, hold in zip(groups, readings, holding)
    }
    # A qualified name is read with its qualifier as the first pass reads that ("Rotterdam, in the
    # Netherlands"), so that it anchors the others where the text places it, not where size would.
    read_alone = dict(first)
    first.update(
        (g.key, score_group(g, evidence, read_alone, r, nearness=hold, placed=False))
        for g, r, hold in zip(groups, readings, holding)
        if g.qualifiers
    )
    anchors = [(key, r.candidates[0]) for key, r in first.items() if _anchored(r)]
    evidence = article_evidence(
        groups,
        demonyms,
        language,
        np.array([(c.lat, c.lon) for _k, c in anchors]).reshape(-1, 2),
        tuple(k for k, _c in anchors),
        tuple(c for _k, c in anchors),
    )
    nearness = nearness_bonuses([(g.key, r) for g, r in zip(groups, readings)], evidence)
    nearness = [_summed(near, hold) for near, hold in zip(nearness, holding)]
    if lists:
        siblings = sibling_bonuses(groups, readings, lists, first)
        nearness = [_summed(near, extra) for near, extra in zip(nearness, siblings)]
    peers = article_sort_bonuses(groups, readings, first)
    nearness = [_summed(near, extra) for near, extra in zip(nearness, peers)]
    mutual = mutual_nearness_bonuses(groups, readings, first)
    nearness = [_summed(near, extra) for near, extra in zip(nearness, mutual)]
    counties = county_town_bonuses(groups, readings, language)
    nearness = [_summed(near, extra) for near, extra in zip(nearness, counties)]
    resolutions = [score_group(g, evidence, first, r, near) for g, r, near in zip(groups, readings, nearness)]
    kept = [r for r in resolutions if keep(r)]
    strays = stray_towns(kept, evidence)
    return merge_places([r for r in kept if r.group.key not in strays], sentence_of)


def article_evidence(
    groups: list[NameGroup],
    demonyms: Counter[str],
    language: str,
    anchors: np.ndarray,
    anchor_keys: tuple[str, ...],
    anchor_places: tuple[Candidate, ...] = (),
) -> ArticleEvidence:
    """Countries and first-level divisions the article is about: names that can only be a country
    or region, and demonyms. A division counts as a country does: an article that names Texas
    anywhere is about Texas for every name in it ("Austin" there is not Austin, Minnesota). A name
    as a modifier ("US-Präsident", "Washington State Ferries") says nothing of where the story is;
    a dateline says where it was filed, so its town's country counts as a country named once."""
    counts: Counter[str] = Counter(demonyms)
    divisions: Counter[tuple[str, str]] = Counter()
    named: dict[str, tuple[tuple[str, str], int]] = {}
    abroad: list[tuple[str, frozenset[str], int]] = [(code, frozenset(), n) for code, n in demonyms.items() if code]
    for group in groups:
        said = sum(t.role != MODIFIER for t in group.toponyms)
        countries = {m.candidate.country for m in group.matches if m.candidate.kind != "city"}
        if len(countries) == 1 and all(m.candidate.kind != "city" for m in group.matches[:1]):
            code = countries.pop()
            counts[code] += 2 * said
            if group.matches[0].candidate.kind == "country":
                towns = frozenset(m.candidate.country for m in group.matches if m.candidate.kind == "city")
                abroad.append((code, towns, said))
        elif group.matches and not group.qualifiers and any(t.cue == DATELINE for t in group.toponyms):
            code = group.matches[0].candidate.country
            counts[code] += W_DATELINE_COUNTRY  # "AUCKLAND, March 3 —"
            abroad.append((code, frozenset(), 1))
        division = _division_of(group)
        if division and said:
            divisions[division] += said
            named[group.key] = (division, named.get(group.key, (division, 0))[1] + said)
    weights = _division_weights(divisions, abroad)
    own = {key: (division, n / weights[division]) for key, (division, n) in named.items()}
    shares = {division: n / weights[division] for division, n in divisions.items()}
    return ArticleEvidence(language, _shares(counts), anchors, anchor_keys, anchor_places, shares, own)


def _division_weights(
    divisions: Counter[tuple[str, str]], abroad: list[tuple[str, frozenset[str], int]]
) -> dict[tuple[str, str], float]:
    """What a division's mentions are shared against: every division's mentions, and the mentions
    of other countries (named, by demonym or dateline; ``abroad``: country, the countries where
    the name is a town too, mentions). A story of two countries that names one's state once ("the
    government of Victoria" beside New Zealand's towns) is not about that state for every name in
    it. A country's name that is a town of the division's country is no other country there
    ("Palestine police" in Texas)."""
    total = sum(divisions.values())
    everywhere = sum(n for _code, _towns, n in abroad)
    own_country: Counter[str] = Counter()  # mentions of the country itself
    town_there: Counter[str] = Counter()  # mentions of another country whose name is a town there
    for code, towns, n in abroad:
        own_country[code] += n
        for town_country in towns - {code}:
            town_there[town_country] += n
    return {division: total + everywhere - own_country[division[0]] - town_there[division[0]] for division in divisions}


def _division_of(group: NameGroup) -> tuple[str, str] | None:
    """The first-level division a name can only mean ("Texas", "Ky.", "Bayern"), else None: its
    most prominent reading is a region with an admin-1 code and no other region disagrees."""
    regions = {
        (m.candidate.country, m.candidate.admin1)
        for m in group.matches
        if m.candidate.kind == "region" and m.candidate.country and m.candidate.admin1
    }
    if len(regions) != 1 or not group.matches or group.matches[0].candidate.kind != "region":
        return None
    return regions.pop()


def _shares(counts: Counter[Key]) -> dict[Key, float]:
    """Each key's share of the counts (keys that are empty strings or None left out)."""
    total = sum(counts.values())
    return {key: n / total for key, n in counts.items() if key} if total else {}


def readings_of(group: NameGroup, evidence: ArticleEvidence) -> Readings:
    """The candidates of a name with their priors and the bonus of the article's countries."""
    home = home_countries(evidence.language)
    matches = tuple(_unique_candidates(group.matches))
    borrowed = _borrowed_names(matches, group.key)
    lesser = _lesser_namesakes(matches) if group.wire_dateline else [0.0] * len(matches)
    return Readings(
        matches,
        tuple(
            prior(m, home) - (W_BORROWED_NAME if is_borrowed else 0.0) - weight
            for m, is_borrowed, weight in zip(matches, borrowed, lesser)
        ),
        tuple(_article_country_bonus(m.candidate, evidence, group.key) for m in matches),
    )


def _lesser_namesakes(matches: tuple[Match, ...]) -> list[float]:
    """What each reading of a name loses where an agency's dateline names it (see
    :func:`with_wire_datelines`): a smaller town W_WIRE_NAMESAKE, a region or country, where a
    town bears the name, W_WIRE_NOT_TOWN ("WASHINGTON (AP)" names no state, "LEBANON (AP)" in an
    Ohio story no country); the most populous town nothing."""
    towns = [m.candidate.population for m in matches if m.candidate.kind == "city"]
    if not towns:
        return [0.0] * len(matches)
    biggest = max(towns)
    return [
        W_WIRE_NOT_TOWN if m.candidate.kind != "city" else W_WIRE_NAMESAKE if m.candidate.population < biggest else 0.0
        for m in matches
    ]


def _borrowed_names(matches: tuple[Match, ...], key: str) -> list[bool]:
    """Which towns bear the name only as an alias (one of GeoNames' alternate names that is neither
    their own name in another spelling nor a part of it), where a country, a region or a city of
    MAJOR_CITY people bears it as its own or as the start of its own ("Frankfurt am Main"): "Quebec"
    names the province and its capital, not New Britain, Connecticut, one of whose alternate names
    it is; "Frankfurt" is no Frankfort, Kentucky. Not "Mexico" for Mexico City, nor
    "Quebec" for Québec: the alias is the own name, shortened or in plain letters."""
    name = _plain_letters(key)
    if not any(_well_known(match.candidate) and _bears_as_own(match, name) for match in matches):
        return [False] * len(matches)
    return [
        match.candidate.kind == "city"
        and not match.flags & OWN_NAME
        and name not in _plain_letters(normalise(match.candidate.name))
        for match in matches
    ]


def _bears_as_own(match: Match, name: str) -> bool:
    """Is ``name`` (plain letters) the place's own name, or the words its own name starts with
    ("Frankfurt" of Frankfurt am Main, "Mexico" of Mexico City)?"""
    if match.flags & OWN_NAME:
        return True
    own = _plain_letters(normalise(match.candidate.name))
    return own.startswith(name) and own[len(name) : len(name) + 1] in (" ", ",")


def _well_known(candidate: Candidate) -> bool:
    return candidate.kind in WELL_KNOWN_KINDS or candidate.kind == "city" and candidate.population >= MAJOR_CITY


@lru_cache(maxsize=4096)
def _plain_letters(key: str) -> str:
    """A look-up key without its accents ("québec" -> "quebec")."""
    return "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))


def score_group(
    group: NameGroup,
    evidence: ArticleEvidence,
    resolved: dict[str, Resolution],
    readings: Readings | None = None,
    nearness: dict[str, float] | None = None,
    *,
    placed: bool = True,
) -> Resolution:
    """Score each candidate of a name; probabilities by softmax over the scores. ``readings`` and
    ``nearness`` (of this group, on this evidence) save working them out again; ``placed=False``
    leaves the confidence out (the first pass, which only finds the anchors, needs none)."""
    readings = readings or readings_of(group, evidence)
    if nearness is None:
        nearness = nearness_bonuses([(group.key, readings)], evidence)[0]
    qualifiers = [resolved[q].candidates[0] for q in group.qualifiers if q in resolved and resolved[q].candidates]
    matches = readings.matches
    qualified = [_qualifier_bonus(m.candidate, qualifiers) for m in matches]
    decisive = any(qualified)  # "Austin, Texas": the qualifier rules out every other reading
    scored, support = [], []
    for match, score, country_bonus, qualifier in zip(matches, readings.priors, readings.country_bonuses, qualified):
        c = match.candidate
        if group.after_article and c.kind == "city":
            score -= W_ARTICLE_TOWN
        if group.region_word and c.kind == "city":
            score -= W_REGION_WORD
        backing = country_bonus + qualifier + nearness.get(c.id, 0.0)
        scored.append(score + backing if qualifier or not decisive else -math.inf)
        support.append(backing > 0.3)
    unlisted = _unlisted_score(group, matches, scored)
    probabilities = _softmax(np.array([*scored, unlisted]))[: len(scored)]
    shares = probabilities.tolist()  # Python floats: a name has a few candidates, numpy's calls cost more
    order = sorted(range(len(shares)), key=lambda i: -shares[i])  # stable, as argsort(kind="stable")
    candidates = tuple(matches[i].candidate.scored(shares[i]) for i in order[:MAX_LISTED_CANDIDATES])
    if not order:
        return Resolution(group, candidates, False)
    confidence = placed_probability([m.candidate for m in matches], probabilities, order[0]) if placed else 0.0
    return Resolution(group, candidates, bool(support[order[0]]), confidence)


def _unlisted_score(group: NameGroup, matches: tuple[Match, ...], scored: list[float]) -> float:
    """After a feature word, towns whose name lacks the word lose W_FEATURE_WORD (``scored`` is
    changed in place), and the feature the gazetteer does not list takes the best score they had:
    a name left with towns only keeps its best town, with the low confidence it deserves."""
    word = group.feature_word
    towns = [
        i
        for i, match in enumerate(matches)
        if word and match.candidate.kind == "city" and word.casefold() not in match.form.casefold()
    ]
    if not towns:
        return -math.inf
    best = max(scored[i] for i in towns)
    for i in towns:
        scored[i] -= W_FEATURE_WORD
    return best


def placed_probability(candidates: list[Candidate], probabilities: np.ndarray, best: int) -> float:
    """How likely the chosen point is right: the probability of every reading within SAME_PLACE_KM
    of it. GeoNames lists one place more than once ("Lexington" and "Lexington-Fayette", a city and
    its district), and such twins split the probability that a reader gives to the place."""
    shares = probabilities.tolist()
    if not any(p > 0.0 for i, p in enumerate(shares) if i != best):
        return min(1.0, shares[best])  # no other reading to share the point with
    points = tuple((c.lat, c.lon) for c in candidates)
    near = _same_place(points, best) if len(points) <= MAX_CACHED_READINGS else _near_best(points, best)
    return min(1.0, float(probabilities[near].sum()))


def _near_best(points: tuple[tuple[float, float], ...], best: int) -> np.ndarray:
    """Which points lie within SAME_PLACE_KM of the best one."""
    vectors = unit_vectors(points)
    near = great_circle_km(vectors, vectors[best]) <= SAME_PLACE_KM
    near.flags.writeable = False  # shared by every caller of the cache
    return near


_same_place = lru_cache(maxsize=2048)(_near_best)
"""_near_best, cached: a name's candidates are the same in every article that names it, and their
unit vectors cost more than the rest of its score. A name of more than MAX_CACHED_READINGS readings
is worked out each time, so the cache stays a few MB."""


def prior(match: Match, home: frozenset[str]) -> float:
    """What a reader assumes before reading further: big, prominent places, named by main name."""
    c = match.candidate
    population = c.population if c.kind in POPULATION_KINDS else 0
    score = W_POPULATION * math.log10(population + 10) + W_KIND.get(c.kind, 0.0)
    if match.capital:
        score += W_CAPITAL
    elif c.kind == "city" and population >= MAJOR_CITY and match.flags & PRIMARY:
        score += W_MAJOR_CITY  # by its own name; a capital's prominence is counted already
    score += W_MAIN_NAME if match.flags & ~(ALTERNATE | ONLINE) else 0.0
    score += W_HOME_COUNTRY if c.country in home else 0.0
    return score


def _unique_candidates(matches: tuple[Match, ...]) -> list[Match]:
    """One match per place (a place can match a name twice, as main and alternate name)."""
    best: dict[str, Match] = {}
    for match in matches:
        old = best.get(match.candidate.id)
        if old is None or match.flags > old.flags:
            best[match.candidate.id] = match
    return list(best.values())


def _article_country_bonus(candidate: Candidate, evidence: ArticleEvidence, key: str) -> float:
    """The article's countries, and its first-level divisions for what lies in one. A name is no
    evidence for itself: "Oklahoma" does not make its own town Oklahoma City more likely."""
    if candidate.kind == "country":
        return 0.0  # a country is not evidence for itself
    bonus = W_ARTICLE_COUNTRY * evidence.countries.get(candidate.country or "", 0.0)
    if not (candidate.country and candidate.admin1 and evidence.divisions):
        return bonus  # a region too: a county in the article's state ("Henry County" beside "Atlanta")
    division = (candidate.country, candidate.admin1)
    share = evidence.divisions.get(division, 0.0)
    own_division, own_share = (evidence.division_names or {}).get(key, (None, 0.0))
    return bonus + W_ARTICLE_ADMIN1 * (share - own_share if own_division == division else share)


def _qualifier_bonus(candidate: Candidate, qualifiers: list[Candidate]) -> float:
    for qualifier in qualifiers:
        if qualifier.kind == "country" and candidate.country == qualifier.country:
            return W_QUALIFIER
        if (
            qualifier.kind != "city"
            and candidate.country == qualifier.country
            and (qualifier.admin1 is None or candidate.admin1 == qualifier.admin1)
        ):
            return W_QUALIFIER
    return 0.0


def nearness_bonuses(names: list[tuple[str, Readings]], evidence: ArticleEvidence) -> list[dict[str, float]]:
    """For each (name, readings): candidate id -> bonus for being near the article's anchors other
    than that name itself, for the kinds of place that can have one. One distance matrix for the
    candidates of every name (the name's own anchor masked out), not one per name.

    A place next to an anchor also shares the anchor's country evidence: an article that names
    Deutschland and München is about the region around München too, so Salzburg (Austria) beside
    it keeps its prominence against a German village of that name far from the other places.

    A region or country that holds another anchor (in its first-level division, or its country)
    gains W_CONTAINS_ANCHOR: its point may lie far from the anchor ("Georgia" beside "Atlanta" is
    the state, beside "Tbilisi" the country), yet it holds it. So do the name's towns there, which
    the anchor does not tell from the region ("New York" beside "Brooklyn": city or state alike)."""
    found: list[dict[str, float]] = [{} for _ in names]
    holders = _anchors_by_division(_first_anchors(evidence))
    for index, (key, readings) in enumerate(names):
        for c in _held_readings(key, readings, holders):
            found[index][c.id] = W_CONTAINS_ANCHOR
    rows = [
        (index, match.candidate)
        for index, (_key, readings) in enumerate(names)
        for match in readings.matches
        if match.candidate.kind in W_NEAR
    ]
    if not rows or not evidence.anchor_keys:
        return found
    near_evidence = _first_anchors(evidence)
    anchors = unit_vectors(near_evidence.anchors)
    anchor_keys = np.array(near_evidence.anchor_keys)
    for block in range(0, len(rows), NEAR_ROW_BLOCK):  # a block's matrix stays a few MB, whatever the article
        part = rows[block : block + NEAR_ROW_BLOCK]
        distances = great_circle_km(unit_vectors([(c.lat, c.lon) for _i, c in part])[:, None], anchors)
        own = np.array([names[index][0] for index, _c in part])[:, None] == anchor_keys[None, :]
        distances[own] = np.inf
        borrowed = _border_shares(distances, near_evidence)
        for (index, c), km, others, share in zip(
            part, distances.min(axis=1).tolist(), (~own).any(axis=1).tolist(), borrowed
        ):
            if others:
                near = next((bonus for limit, bonus in W_NEAR[c.kind] if km <= limit), 0.0)
                own_share = evidence.countries.get(c.country or "", 0.0)
                found[index][c.id] = (
                    found[index].get(c.id, 0.0) + near + W_ARTICLE_COUNTRY * max(0.0, share - own_share)
                )
    return found


def _held_readings(
    key: str, readings: Readings, holders: dict[tuple[str | None, str | None], set[tuple[str, str]]]
) -> list[Candidate]:
    """The readings of a name that hold another anchor than the name or the reading itself: a region
    (its first-level division) or a country so held, and the name's towns there."""
    held = [
        m.candidate
        for m in readings.matches
        if m.candidate.kind in HOLDING_KINDS
        and _held_by_another(holders.get(_division(m.candidate), set()), key, m.candidate.id)
    ]
    divisions = {_division(c) for c in held if c.kind != "city"}
    return [c for c in held if c.kind != "city" or {(c.country, None), (c.country, c.admin1)} & divisions]


def _division(place: Candidate) -> tuple[str | None, str | None] | None:
    """Where a reading holds others: a country its whole country, anything else its first-level
    division; None for a reading whose division the gazetteer does not know (it holds nothing)."""
    if place.kind == "country":
        return (place.country, None)
    return (place.country, place.admin1) if place.admin1 else None


def _held_by_another(anchors: set[tuple[str, str]], key: str, place_id: str) -> bool:
    """Is one of a division's anchors (key, id) neither the name nor the reading? Past two anchors,
    one surely is (each anchor is one name with one reading)."""
    return len(anchors) > 2 or any(k != key and i != place_id for k, i in anchors)


def _anchors_by_division(evidence: ArticleEvidence) -> dict[tuple[str | None, str | None], set[tuple[str, str]]]:
    """(country, admin1) -> (key, id) of the anchors in that first-level division; (country, None)
    -> those in that country."""
    holders: dict[tuple[str | None, str | None], set[tuple[str, str]]] = defaultdict(set)
    for key, place in zip(evidence.anchor_keys, evidence.anchor_places):
        if place.country:
            holders[place.country, None].add((key, place.id))
            if place.admin1:
                holders[place.country, place.admin1].add((key, place.id))
    return holders


def _first_anchors(evidence: ArticleEvidence) -> ArticleEvidence:
    """The evidence with at most MAX_NEAR_ANCHORS anchors, the first named: an article that names
    more unambiguous places is a list or a gazetteer, and its first places say where it is as well
    as all of them would; the cap keeps the distance matrix linear in the article's length."""
    if len(evidence.anchor_keys) <= MAX_NEAR_ANCHORS:
        return evidence
    return replace(
        evidence,
        anchors=evidence.anchors[:MAX_NEAR_ANCHORS],
        anchor_keys=evidence.anchor_keys[:MAX_NEAR_ANCHORS],
        anchor_places=evidence.anchor_places[:MAX_NEAR_ANCHORS],
    )


def _border_shares(distances: np.ndarray, evidence: ArticleEvidence) -> list[float]:
    """Per candidate row: the largest country-evidence share among the countries of the other
    anchors within BORDER_KM (0 where none is that near)."""
    if len(evidence.anchor_countries) != distances.shape[1]:
        return [0.0] * distances.shape[0]
    shares = np.array([evidence.countries.get(code or "", 0.0) for code in evidence.anchor_countries])
    near = np.where(distances <= BORDER_KM, shares[None, :], 0.0)
    return near.max(axis=1).tolist()


def holding_bonuses(
    groups: list[NameGroup], readings: list[Readings], text: str | None = None, language: str = ""
) -> list[dict[str, float]]:
    """For each group: candidate id -> W_QUALIFIER for a reading of a qualifier that holds a reading
    of the name it qualifies. "Atlanta, Georgia" is the state, which holds an Atlanta; the country
    holds none; "Buffalo, New York." the state, not the city. The pair is read together, before
    either is resolved. Not a qualifier that is a big city too and goes on as a list: "Washington,
    New York and Boston" names three cities (see _as_qualifier)."""
    qualified: dict[str, list[Readings]] = defaultdict(list)
    for group, reading in zip(groups, readings):
        for key in group.qualifiers:
            qualified[key].append(reading)
    found: list[dict[str, float]] = [{} for _ in groups]
    for index, (group, reading) in enumerate(zip(groups, readings)):
        names = qualified.get(group.key)
        if not names or _names_a_big_city(group.matches) and _goes_on_as_a_list(group, text, language):
            continue
        for match in reading.matches:
            holder = match.candidate
            if holder.kind != "city" and any(
                _qualifier_bonus(m.candidate, [holder]) for name in names for m in name.matches
            ):
                found[index][holder.id] = W_QUALIFIER
    return found


@cached_per_language
def list_connector_words(code: str) -> frozenset[str]:
    """The words that join the names of a list ("and", "und"), case-folded."""
    return frozenset(c.casefold() for c in rules_for(code).list_connectors)


def _goes_on_as_a_list(group: NameGroup, text: str | None, language: str) -> bool:
    """Does a list connector follow any mention of the name (", and", " and ")? Without the text,
    assume so."""
    if text is None:
        return True
    connectors = list_connector_words(language)
    for toponym in group.toponyms:
        words = text[toponym.end : toponym.end + 12].replace(",", " , ").split()
        if words[:1] == [","]:
            words = words[1:]
        if words and words[0].casefold() in connectors:
            return True
    return False


def coordinated_lists(toponyms: list[Toponym], text: str, language: str) -> list[tuple[Toponym, ...]]:
    """The names an article lists together, one tuple per list in text order: names joined by commas
    and a list connector ("Arizona, Georgia and Ohio", "Bedra und Braunsdorf"), at least one
    connector in each list (a comma alone also sets off an apposition: "Kharkiv, Ukraine's second
    city"), or items of one shape ("twelve in Ontario, eight in Alberta and one in Quebec": see
    :func:`_list_joint`). A town's qualifier is part of its item ("Baltimore and Savannah, Ga."); a
    region's is a member ("Arizona, California and Ohio" lists states, whatever the comma suggested),
    and so is one in which no town of the name lies ("Miami, New York, and Detroit")."""
    connectors = list_connector_words(language)
    lists: list[tuple[Toponym, ...]] = []
    run: list[Toponym] = []
    connected = False
    end = 0
    lead = ""  # the word right before the run's first name ("in" of "fifteen in British Columbia")
    for toponym in sorted(toponyms, key=lambda t: t.start):
        if run and run[-1].qualifier == toponym.key and _reads_as_town(run[-1]) and _qualifies(toponym, run[-1]):
            end = toponym.end  # "Savannah, Ga.": one item
            continue
        joint = _list_joint(text[end : toponym.start], connectors, lead) if run else None
        if joint is None:
            if connected and len(run) > 1:
                lists.append(tuple(run))
            run, connected = [], False
            lead = _lower_word_before(text, toponym.start)
        connected = connected or joint == "connector"
        run.append(toponym)
        end = toponym.end
    if connected and len(run) > 1:
        lists.append(tuple(run))
    return lists


def without_listed_qualifiers(toponyms: list[Toponym], lists: list[tuple[Toponym, ...]]) -> list[Toponym]:
    """A name's "qualifier" that is the next member of a list of three or more is that member:
    "Georgia, Oklahoma, Pennsylvania and Ohio" names no Oklahoma in Pennsylvania. (A town's
    qualifier is part of its item, never a member: "Columbus, Ohio, and Atlanta, Georgia".)"""
    listed = {
        name.start
        for names in lists
        if len(names) >= 3
        for name, following in zip(names, names[1:])
        if name.qualifier == following.key
    }
    return [replace(t, qualifier=None) if t.start in listed else t for t in toponyms] if listed else toponyms


def _qualifies(qualifier: Toponym, town: Toponym) -> bool:
    """Does a town of the name lie in a region or country the qualifier can be?"""
    regions = [m.candidate for m in qualifier.matches if m.candidate.kind != "city"]
    return any(_qualifier_bonus(m.candidate, regions) for m in town.matches if m.candidate.kind == "city")


def _reads_as_town(toponym: Toponym) -> bool:
    """Is a name's most prominent reading a town?"""
    return bool(toponym.matches) and toponym.matches[0].candidate.kind == "city"


def _lower_word_before(text: str, start: int) -> str:
    """The lower-case word right before ``start`` ("in" of "fifteen in British Columbia"), or ""."""
    words = text[max(0, start - 20) : start].split()
    return words[-1] if words and words[-1].islower() and words[-1].isalpha() else ""


def _list_joint(between: str, connectors: frozenset[str], lead: str = "") -> str | None:
    """How two neighbouring names are joined: "comma", "connector" (", and" too), or None. Items
    of one shape count too: where the first name of the run follows a lower-case word (``lead``),
    a comma, a connector or both, at most MAX_ITEM_WORDS lower-case words or numbers and that word
    again join the next ("fifteen in British Columbia, fourteen in Nova Scotia and one in Quebec")."""
    words = between.replace(",", " , ").split()
    if words == [","]:
        return "comma"
    if words and words[-1].casefold() in connectors and words[:-1] in ([], [","]):
        return "connector"
    if not lead or len(words) < 3 or words[-1] != lead:
        return None
    joint = [w for w in words[:-1] if w == "," or w.casefold() in connectors]
    item = words[len(joint) : -1]
    if words[: len(joint)] != joint or not joint or len(item) > MAX_ITEM_WORDS:
        return None
    if not all(w.islower() or w.isdigit() for w in item):
        return None
    return "connector" if any(w != "," for w in joint) else "comma"


def sibling_bonuses(
    groups: list[NameGroup], readings: list[Readings], lists: list[tuple[Toponym, ...]], first: dict[str, Resolution]
) -> list[dict[str, float]]:
    """For each group: candidate id -> bonus for being the same sort of place as the names listed
    with it. The members of a list are alike: "Georgia" among "Arizona, Ohio and Utah" is a US
    state, not the country; "Ontario" among Canadian provinces is no town in California. Each other
    member votes with its best reading of the first pass when that is likelier than the rest
    together (VOTER_CONFIDENCE) and no town: towns of many countries share lists ("Washington and
    London"), and a town beside a state says nothing of the state ("New York City and Florida").
    The votes of a list are counted once, so a long list costs its length, not its square.
    Towns do vote for a big city, though: a name that MIN_TOWN_VOTERS towns or more list with it is
    the city of MAJOR_CITY people it names, not the state ("offices in Los Angeles, Miami, New York,
    and Detroit"; "Toronto, Montreal, Quebec and Vancouver")."""
    found: list[dict[str, float]] = [{} for _ in groups]
    votes, town_votes = _sort_votes(first), _sort_votes(first, towns=True)
    for names in lists:
        keys = Counter(name.key for name in names)
        _add_sort_bonuses(found, groups, readings, keys, votes, W_SIBLINGS)
        _add_sort_bonuses(
            found, groups, readings, keys, town_votes, W_SIBLINGS, min_voters=MIN_TOWN_VOTERS, big_cities_only=True
        )
    return found


def article_sort_bonuses(
    groups: list[NameGroup], readings: list[Readings], first: dict[str, Resolution]
) -> list[dict[str, float]]:
    """For each group: candidate id -> bonus for a region reading of the sort most of the article's
    other places are ("California" in an article that names Ohio, Kansas and Texas is the state, not
    a town in Maryland; "the Middle East" among regions is no neighbourhood of Baltimore). Each name
    votes once, as in a list (:func:`sibling_bonuses`), but weighs less (W_ARTICLE_SORT): an article
    mixes sorts more than a list does. Only regions gain, where a state's point far from the article's
    towns gets no nearness; at least MIN_ARTICLE_VOTERS other names must vote. Not a name that a
    capital or a city of a million bears ("New York", "Washington"): news means the city unless a
    list or a qualifier says otherwise."""
    found: list[dict[str, float]] = [{} for _ in groups]
    famous = {group.key for group, r in zip(groups, readings) if any(map(_famous_city, r.matches))}
    _add_sort_bonuses(
        found,
        groups,
        readings,
        Counter(group.key for group in groups),
        _sort_votes(first),
        W_ARTICLE_SORT,
        kinds=("region",),
        min_voters=MIN_ARTICLE_VOTERS,
        unmoved=famous,
    )
    return found


def _famous_city(match: Match) -> bool:
    """A capital, or a city of FAMOUS_CITY_POPULATION or more."""
    return match.candidate.kind == "city" and (match.capital or match.candidate.population >= FAMOUS_CITY_POPULATION)


def _sort_votes(first: dict[str, Resolution], *, towns: bool = False) -> dict[str, tuple[str, str | None]]:
    """Name -> the sort its best reading of the first pass votes for, where that reading is likelier
    than the rest together (VOTER_CONFIDENCE) and, unless ``towns``, no town."""
    return {
        key: _sort(best)
        for key, r in first.items()
        if r.candidates and (best := r.candidates[0]).score >= VOTER_CONFIDENCE and (towns or best.kind != "city")
    }


def _add_sort_bonuses(
    found: list[dict[str, float]],
    groups: list[NameGroup],
    readings: list[Readings],
    keys: Counter[str],
    votes: dict[str, tuple[str, str | None]],
    weight: float,
    *,
    kinds: tuple[str, ...] | None = None,
    min_voters: int = 1,
    unmoved: frozenset[str] | set[str] = frozenset(),
    big_cities_only: bool = False,
) -> None:
    """Give each name of ``keys`` (with its number of mentions) ``weight`` times the share of the
    other names' votes that its reading's sort has (readings of ``kinds`` only, when given, and
    cities of MAJOR_CITY people only with ``big_cities_only``; names ``unmoved`` vote but gain
    nothing); a reading keeps the largest bonus any set of names gives it."""
    index_of = {group.key: i for i, group in enumerate(groups)}
    tally = Counter(votes[key] for key in keys.elements() if key in votes)
    for key, times in keys.items():
        own = votes.get(key)
        voters = tally.total() - (times if own else 0)
        if key not in index_of or key in unmoved or voters < min_voters:
            continue
        bonuses = found[index_of[key]]
        for match in readings[index_of[key]].matches:
            c = match.candidate
            if kinds and c.kind not in kinds or big_cities_only and not _big_city(c):
                continue
            sort = _sort(c)
            share = (tally[sort] - (times if own == sort else 0)) / voters
            bonuses[c.id] = max(bonuses.get(c.id, 0.0), weight * share)


def _big_city(place: Candidate) -> bool:
    return place.kind == "city" and place.population >= MAJOR_CITY


def _sort(place: Candidate) -> tuple[str, str | None]:
    """The sort of place a list's members share: their kind, and for states their country too."""
    return (place.kind, place.country if place.kind == "region" else None)


def mutual_nearness_bonuses(
    groups: list[NameGroup], readings: list[Readings], first: dict[str, Resolution]
) -> list[dict[str, float]]:
    """Names that no anchor settles, read together: a reading near a reading of another such name
    gains as near an anchor would ("Rogersville" and "Webster County", both in several states, are
    the two that lie together, in Missouri). Only names whose readings are small namesakes
    (:func:`_namesakes_alike`), and at most MAX_MUTUAL_ROWS readings in all: one small distance
    matrix an article."""
    found: list[dict[str, float]] = [{} for _ in groups]
    rows = [
        (index, match.candidate)
        for index, (group, reading) in enumerate(zip(groups, readings))
        if not _anchored(first.get(group.key)) and _namesakes_alike(reading)
        for match in reading.matches
    ]
    if len({index for index, _c in rows}) < 2 or len(rows) > MAX_MUTUAL_ROWS:
        return found
    vectors = unit_vectors([(c.lat, c.lon) for _i, c in rows])
    distances = great_circle_km(vectors[:, None], vectors)
    owners = np.array([index for index, _c in rows])
    distances[owners[:, None] == owners[None, :]] = np.inf  # a name's own readings are no evidence
    for (index, c), km in zip(rows, distances.min(axis=1).tolist()):
        bonus = next((bonus for limit, bonus in W_NEAR[c.kind] if km <= limit), 0.0)
        if bonus:
            found[index][c.id] = bonus
    return found


def county_town_bonuses(groups: list[NameGroup], readings: list[Readings], language: str) -> list[dict[str, float]]:
    """A county and a town that the article names, read as the town in that county: a town's
    reading that lies in a reading of a county the article names gains W_SAME_COUNTY, and so does
    that county's reading, where that pair is the only one between the two names ("Walker County
    Judge ... Huntsville Fire Chief" is Huntsville, Texas, in Walker County, not Huntsville,
    Alabama; "Greene County" beside "Springfield" is Missouri's). Local news names its county more
    often than its state. A town lies in a county when it lies in the county's state (first-level
    division) within SAME_COUNTY_KM of the county's centre. A county is a name that ends with its
    language's division word ([division_plurals]: "County", "Parish"). At most MAX_COUNTY_PAIRS
    pairs of readings: one matrix an article."""
    found: list[dict[str, float]] = [{} for _ in groups]
    words = {word.casefold() for word in rules_for(language).division_plurals.values()}
    if not words:
        return found
    county_rows, town_rows = [], []
    for index, (group, reading) in enumerate(zip(groups, readings)):
        county = group.key.rsplit(" ", 1)[-1].casefold() in words
        for match in reading.matches:
            if county and match.candidate.kind == "region":
                county_rows.append((index, match.candidate))
            elif not county and match.candidate.kind == "city":
                town_rows.append((index, match.candidate))
    if not county_rows or not town_rows or len(county_rows) * len(town_rows) > MAX_COUNTY_PAIRS:
        return found
    towns = unit_vectors([(c.lat, c.lon) for _i, c in town_rows])
    counties = unit_vectors([(c.lat, c.lon) for _i, c in county_rows])
    town_states = np.array([c.admin1 or "" for _i, c in town_rows], dtype=object)
    county_states = np.array([c.admin1 or "" for _i, c in county_rows], dtype=object)
    # a county's towns lie in its state (known on both sides), whatever else lies near its centre
    same_state = (town_states[:, None] == county_states[None, :]) & (town_states != "")[:, None]
    close = (great_circle_km(towns[:, None], counties) <= SAME_COUNTY_KM) & same_state
    pairs_of: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for town_row, county_row in np.argwhere(close).tolist():  # the close pairs only: linear in them
        pairs_of[town_rows[town_row][0], county_rows[county_row][0]].append((town_row, county_row))
    for (town_index, county_index), pairs in pairs_of.items():
        # Only a pair that tells the readings apart: where several of a name's readings lie by
        # several of a county's ("Atlanta" and "Madison County", each in many states), none counts.
        if len(pairs) == 1:
            ((town_row, county_row),) = pairs
            found[town_index][town_rows[town_row][1].id] = W_SAME_COUNTY
            found[county_index][county_rows[county_row][1].id] = W_SAME_COUNTY
    return found


def _namesakes_alike(readings: Readings) -> bool:
    """Are a name's readings small namesakes, towns or regions of which none is a capital or a
    place of STRONG_POPULATION (Springfield, Hall County), that only the other names can tell
    apart? A name that a big city, a state or a populous county bears too (New York, California,
    Forsyth County) stays with the evidence that settles those: letting them in broke as many
    names as it fixed."""
    matches = readings.matches
    return (
        1 < len(matches) <= MAX_MUTUAL_READINGS
        and all(m.candidate.kind in W_NEAR for m in matches)
        and not any(m.capital or m.candidate.population >= STRONG_POPULATION for m in matches)
    )


def _anchored(resolution: Resolution | None) -> bool:
    """Is the name's first-pass best reading sure enough to be an anchor for the others?"""
    return (
        resolution is not None and bool(resolution.candidates) and resolution.candidates[0].score >= ANCHOR_CONFIDENCE
    )


def _summed(first: dict[str, float], second: dict[str, float]) -> dict[str, float]:
    """Two bonus maps (candidate id -> bonus) added up."""
    if not second:
        return first
    total = dict(first)
    for key, value in second.items():
        total[key] = total.get(key, 0.0) + value
    return total


def _softmax(scores: np.ndarray) -> np.ndarray:
    if scores.size == 0:
        return scores
    exp = np.exp((scores - scores.max()) / TEMPERATURE)
    return exp / exp.sum()


def keep(resolution: Resolution) -> bool:
    """Drop a name whose best reading is a hamlet known only by an alternate name, with no support
    (or, from the offline index, with no head count)."""
    if not resolution.candidates:
        return False
    best = resolution.candidates[0]
    if best.kind != "city" or best.population >= 1000 or resolution.supported:
        return True
    best_matches = [m for m in resolution.group.matches if m.candidate.id == best.id]
    main_name = any(m.flags & ~ALTERNATE & ~ONLINE for m in best_matches)
    # an online service's village often has no head count; its name matched exactly and a place cue found it
    return main_name and (best.population > 0 or any(m.flags & ONLINE for m in best_matches))


def stray_towns(resolutions: list[Resolution], evidence: ArticleEvidence) -> set[str]:
    """The names (group keys) whose best reading is a small town abroad that nothing in the article
    backs: no qualifier, no nearness to the article's anchors or within BORDER_KM of any other place
    it names, in a country the article never names while it names others. Most likely the article
    names a place the gazetteer lacks ("a sushi bar in Piccadilly" in a London story is no village
    in Western Australia), or no place at all: better left off the map than put there. A place cue
    before a one-word name does not save it (it says a place is named, not this one); before a name
    of several words it does ("stayed at Lake Placid": no chance namesake)."""
    unbacked = [r for r in resolutions if _unbacked_town_abroad(r, evidence)]
    if not unbacked:
        return set()
    keys = [r.group.key for r in resolutions]
    points = unit_vectors([(r.candidates[0].lat, r.candidates[0].lon) for r in resolutions])
    strays = set()
    for resolution in unbacked:
        best = resolution.candidates[0]
        km = great_circle_km(points, unit_vectors((best.lat, best.lon))).tolist()
        if not any(d <= BORDER_KM for key, d in zip(keys, km) if key != resolution.group.key):
            strays.add(resolution.group.key)  # "nach Rason und dann nach Chassan": Khasan lies beside Rason
    return strays


def _unbacked_town_abroad(resolution: Resolution, evidence: ArticleEvidence) -> bool:
    """A town under STRAY_TOWN_POPULATION without support, in a country the article never names
    while it names others (a town of no known head count, as the postal sources give them, also in
    a first-level division the article never names while it names others: "Elysian Fields" in a
    New Orleans story is no hamlet in Texas), and no name of several words after a place cue (see
    :func:`stray_towns`)."""
    best = resolution.candidates[0]
    return (
        best.kind == "city"
        and best.population < STRAY_TOWN_POPULATION
        and (_abroad(resolution, best, evidence) or _astray(resolution, best, evidence))
        and not any(t.cue is not None and " " in t.text for t in resolution.group.toponyms)
    )


def _abroad(resolution: Resolution, town: Candidate, evidence: ArticleEvidence) -> bool:
    """Unsupported, in a country the article never names while it names others."""
    return not resolution.supported and bool(evidence.countries) and town.country not in evidence.countries


def _astray(resolution: Resolution, town: Candidate, evidence: ArticleEvidence) -> bool:
    """Of no known head count, unqualified, in a first-level division the article never names while
    it names others (the country's evidence supports it, and says nothing of which division)."""
    divisions = evidence.divisions or {}
    return (
        town.population == 0
        and not resolution.group.qualifiers
        and bool(divisions)
        and (town.country, town.admin1) not in divisions
    )


def merge_places(resolutions: list[Resolution], sentence_of=None) -> tuple[Place, ...]:
    """Mentions of one place under one id (two names can resolve to one place: "USA", "US")."""
    by_id: dict[str, list[Resolution]] = defaultdict(list)
    for resolution in resolutions:
        by_id[resolution.candidates[0].id].append(resolution)
    places = [_place(items, sentence_of) for items in by_id.values()]
    return tuple(sorted(places, key=lambda p: p.mentions[0].start))


def _place(resolutions: list[Resolution], sentence_of) -> Place:
    best = max(resolutions, key=lambda r: r.candidates[0].score)
    chosen = best.candidates[0]
    mentions = tuple(
        sorted(
            (Mention(t.start, t.end, t.text, t.role) for r in resolutions for t in r.group.toponyms),
            key=lambda m: m.start,
        )
    )
    sentences = _sentences(mentions, sentence_of)
    return Place(
        id=chosen.id,
        name=chosen.name,
        label=_label(best, chosen),
        lat=chosen.lat,
        lon=chosen.lon,
        country=chosen.country,
        kind=chosen.kind,
        confidence=best.confidence or chosen.score,
        mentions=tuple(mentions),
        candidates=best.candidates[:MAX_LISTED_CANDIDATES],
        population=chosen.population,
        sentences=sentences,
    )


def with_demonyms(
    places: tuple[Place, ...], demonyms: list[Demonym], gazetteer: Gazetteer, language: str, sentence_of=None
) -> tuple[Place, ...]:
    """Each demonym as a mention of its country, with the role ``demonym``: "Russian" names Russia
    in passing (LGL and GeoWebNews count it as a toponym), never a stop on the map or a place of the
    timeline. It joins the country where the article names it too, or adds the country, named only
    so. A demonym inside a place's own mention ("Dominican Republic") is the name's."""
    taken = sorted((m.start, m.end) for place in places for m in place.mentions)  # never overlapping
    starts = [start for start, _end in taken]
    by_country: dict[str, list[Mention]] = defaultdict(list)
    for demonym in demonyms:
        before = bisect.bisect_left(starts, demonym.end) - 1  # the last mention that starts before its end
        if before < 0 or taken[before][1] <= demonym.start:
            by_country[demonym.country].append(Mention(demonym.start, demonym.end, demonym.text, DEMONYM))
    if not by_country:
        return places
    result = list(places)
    for code, mentions in by_country.items():
        at = next((i for i, p in enumerate(result) if p.kind == "country" and p.country == code), None)
        if at is not None:
            place = result[at]
            joined = tuple(sorted(place.mentions + tuple(mentions), key=lambda m: m.start))
            result[at] = replace(place, mentions=joined, sentences=_sentences(joined, sentence_of) or place.sentences)
            continue
        country = gazetteer.country(code)
        if country is not None:
            result.append(_country_named_by_demonyms(country, tuple(mentions), language, sentence_of))
    return tuple(sorted(result, key=lambda p: p.mentions[0].start))


def _country_named_by_demonyms(country: Candidate, mentions: tuple[Mention, ...], language: str, sentence_of) -> Place:
    """A country the article names only by its demonyms: certain, as the word names one country."""
    return Place(
        id=country.id,
        name=country.name,
        label=country_label(country.country, language) or country.name,
        lat=country.lat,
        lon=country.lon,
        country=country.country,
        kind=country.kind,
        confidence=1.0,
        mentions=mentions,
        candidates=(country.scored(1.0),),
        population=country.population,
        sentences=_sentences(mentions, sentence_of),
    )


def _sentences(mentions: tuple[Mention, ...], sentence_of) -> tuple[str, ...]:
    return tuple(dict.fromkeys(sentence_of(m.start) for m in mentions)) if sentence_of else ()


@cached_per_language
def _territory_names(code: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(language(code).cldr_locale).territories)


def country_label(country: str | None, code: str) -> str | None:
    """A country's name in the article's language (CLDR, via babel): "Russland" in German."""
    return _territory_names(code).get(country or "")


def _label(resolution: Resolution, chosen: Candidate) -> str:
    """The name as the article writes it, in its base form ("Russland" for "Russlands")."""
    for match in resolution.group.matches:
        if match.candidate.id == chosen.id:
            return match.form
    return resolution.group.toponyms[0].text
