"""Who is a person in an article: the full names it gives, and the surnames they lend to it.

Why: towns are named like people ("Paul", "Herbert", "Bush", "Weber"), and a reader tells them
apart by the article, not by the word: a given name right before a capitalised word is a person
("Herbert Stein", "Robert R. Livingston"), neither word a place there; the same surname later in
the article is the same person ("Stein said") unless a place cue stands right before it ("in
Stein"); and a given name alone that is only a small town is a person ("Laura said") unless the
text places it ("nach Laura"). Given names come from ``data/given_names.txt`` (generated from
Faker: ``scripts/build_names.py``); a given name that the article's language uses as a word
("Will", "Hope") is a word there (:func:`_first_of_all_a_word`).
"""

from __future__ import annotations

import bisect
import sys
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import regex

from geo.lang.registry import DATA_DIR, cached_per_language, language
from geo.places.candidates import Token
from geo.places.gazetteer import normalise
from geo.places.rules import Rules
from geo.places.wordclasses import is_closed_class, is_common_word

GIVEN_NAMES_FILE = DATA_DIR / "given_names.txt"
SURNAMES_FILE = DATA_DIR / "surnames.txt"
PUBLIC_FIGURES_FILE = DATA_DIR / "public_figures.txt"
MAX_GIVEN_NAMES = 3  # "Gerhard Johann David": more in a row is a list, not one person
MAX_TITLE_CHARS = 40  # the longest person title with its space ("Fire Marshal ")


@cache
def given_names() -> frozenset[str]:
    """The names of ``data/given_names.txt``, as written (see its FORMAT)."""
    return name_list(GIVEN_NAMES_FILE)


@cache
def surnames() -> frozenset[str]:
    """The names of ``data/surnames.txt``, as written (see its FORMAT)."""
    return name_list(SURNAMES_FILE)


@cache
def public_figures() -> frozenset[str]:
    """The surnames of ``data/public_figures.txt`` ("Merkel", "Obama"), as written (see its FORMAT)."""
    return name_list(PUBLIC_FIGURES_FILE)


def name_list(path: Path) -> frozenset[str]:
    """The entries of a one-name-per-line data file, as written ("#" lines are comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_given_name(word: str, rules: Rules) -> bool:
    """A given name that is not, in this language, first of all a word ("Will", "Hope")."""
    word = word.rstrip(".") if not _initial(word) else word
    return (
        word in given_names()
        and not _rule_word(word, rules)
        and not _first_of_all_a_word(word, rules)
        and not is_closed_class(word, rules.language)  # "Von Odessa aus"
    )


def is_surname(word: str, rules: Rules) -> bool:
    """A common surname ("Crosby", "Welch"), not a word of position ("West", "North": "the West")."""
    return word in surnames() and word.casefold() not in rules.position_words


def _first_of_all_a_word(word: str, rules: Rules) -> bool:
    """ "Will", "Hope": words first where capitals mark names. Where every noun is capitalised
    (German), the tagger guesses "noun" for names it does not know ("Sebastian", "Barack"), so only
    the rules' common words count there."""
    if word.casefold() in rules.common_words:
        return True
    return not language(rules.language).capitalises_nouns and is_common_word(word, rules.language)


@dataclass(frozen=True)
class People:
    """The people an article names: where each full name stands, the look-up keys of their
    surnames, and where a given name stands alone."""

    full_names: tuple[tuple[int, int], ...] = ()  # (start, end), in text order
    surnames: frozenset[str] = frozenset()
    lone_given_names: frozenset[tuple[int, int]] = frozenset()  # (start, end)

    @cached_property
    def full_name_ends(self) -> frozenset[int]:
        """Where each full name ends."""
        return frozenset(end for _start, end in self.full_names)

    def hides(
        self, start: int, end: int, key: str, *, place_cue: bool, strong: bool, strong_by_name: bool | None = None
    ) -> bool:
        """Is the name at [start, end) (gazetteer key ``key``) a person's there? Part of a full name
        (but not a multiword place that is the whole of it: "Charlotte Amalie"); without a place
        cue right before it, a surname the article gave in full; without a cue, a given name alone
        and a public figure's surname ("Merkel", "Stalin": data/public_figures.txt), unless a place
        ``strong`` (a country, a big city: "Florence") by its own name, ``strong_by_name``, not by an
        alternate one: Stalin was Donetsk's, "Nico" is Nice's in some language, "Nico G." a person."""
        i = bisect.bisect_right(self.full_names, (start, sys.maxsize)) - 1  # sorted, never overlapping
        if i >= 0:
            first, last = self.full_names[i]
            if end <= last and (start, end) != (first, last):
                return True
        if place_cue:
            return False
        if key in self.surnames:
            return True
        strong = strong if strong_by_name is None else strong_by_name
        if (start, end) in self.lone_given_names:
            return not strong
        return key in public_figure_keys() and not strong


@cache
def public_figure_keys() -> frozenset[str]:
    """The gazetteer keys of :func:`public_figures`."""
    return frozenset(normalise(name) for name in public_figures())


def people_in(text: str, tokens: list[Token], rules: Rules, not_surnames: set[int], prominent: set[int]) -> People:
    """The :class:`People` of an article. ``not_surnames``: where names begin that are never a
    surname (a country, region or sea: "Paul Frankreich" is no person); ``prominent``: where names
    of capitals and cities of millions begin, which a full name hides there but not elsewhere
    ("Jack London ... in London")."""
    full_names, surnames, lone = [], set(), set()
    never_after_initial = not_surnames | prominent
    names = given_names()
    title_ends = _title_ends(rules.language)
    resume = 0  # the first word after the last full name found
    for i in [k for k, token in enumerate(tokens) if token.text[:1].isupper()]:  # initials and names only
        word = tokens[i].text
        if i < resume:
            continue
        if _initial(word) and _initials_first(text, tokens, i, rules, never_after_initial):
            last = i + 1  # "H. Dietz": an initial is weaker evidence, and never hides a big place
        elif word.rstrip(".") in names and is_given_name(word, rules):
            last = _last_of_full_name(text, tokens, i, rules, not_surnames)
        elif i and tokens[i - 1].text.casefold() in title_ends and _titled_pair(text, tokens, i, rules, not_surnames):
            last = i + 1  # "Governor Kazuo Ueda ... Ueda said": a name the given names lack
        else:
            continue
        if last is None:
            lone.add((tokens[i].start, tokens[i].start + len(word.rstrip("."))))
            continue
        surname = tokens[last].text.rstrip(".")  # a full stop ends the sentence, not the name
        full_names.append((tokens[i].start, tokens[last].start + len(surname)))
        if tokens[last].start not in prominent and (not is_given_name(surname, rules) or is_surname(surname, rules)):
            surnames.add(normalise(surname))  # "Marcus Austin ... Austin said"; not "Anna Maria": two given names
        resume = last + 1
    return People(tuple(full_names), frozenset(surnames), frozenset(lone))


@cached_per_language
def _title_ends(code: str) -> frozenset[str]:
    """The last words of the language's person titles, case-folded ("minister" of "Prime Minister")."""
    from geo.places.rules import rules_for

    return frozenset(title.split()[-1] for title in rules_for(code).person_titles)


@cached_per_language
def _title_before(code: str) -> regex.Pattern:
    """One of the language's person titles (any case), then one space, at the end of the searched text."""
    from geo.places.rules import rules_for

    titles = "|".join(map(regex.escape, rules_for(code).person_titles))  # longest first
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}.])(?:{titles}) $", regex.IGNORECASE)


def _titled_pair(text: str, tokens: list[Token], i: int, rules: Rules, not_surnames: set[int]) -> bool:
    """Two capitalised words right after a person title ("Governor Kazuo Ueda", "Präsident Wolodymyr
    Selenskyj"): a full name, though the given names lack its first word. Neither word a closed-class
    or rule word, and the second may end a name (:func:`_may_be_surname`)."""
    if i + 1 >= len(tokens) or text[tokens[i].end : tokens[i + 1].start] != " ":
        return False
    first, second = tokens[i], tokens[i + 1]
    if first.text.endswith(".") or not _may_be_surname(first.text, first.start, rules, not_surnames):
        return False
    if not _may_be_surname(second.text.rstrip("."), second.start, rules, not_surnames):
        return False
    window = text[max(0, first.start - MAX_TITLE_CHARS) : first.start]
    return _title_before(rules.language).search(window) is not None


def _initials_first(text: str, tokens: list[Token], i: int, rules: Rules, not_surnames: set[int]) -> bool:
    """An initial right before a surname ("H. Dietz"), not after another abbreviation ("z. B. Rom")."""
    if not _initial(tokens[i].text) or i + 1 >= len(tokens) or text[tokens[i].end : tokens[i + 1].start] != " ":
        return False
    if i > 0 and tokens[i - 1].text.endswith(".") and text[tokens[i - 1].end : tokens[i].start] == " ":
        return False
    return _may_be_surname(tokens[i + 1].text, tokens[i + 1].start, rules, not_surnames)


def _last_of_full_name(text: str, tokens: list[Token], i: int, rules: Rules, not_surnames: set[int]) -> int | None:
    """The index of the surname of a full name that starts with the given name ``tokens[i]``: more
    given names and initials may follow it ("Hans Peter", "George W."), then a capitalised word
    that is not a closed-class or rule word. None where no such word follows."""
    j, given = i + 1, 1
    while j < len(tokens) and text[tokens[j - 1].end : tokens[j].start] == " ":
        if tokens[j - 1].text.endswith(".") and not _initial(tokens[j - 1].text):
            break  # "... traf Paul. Berlin ...": a full stop ends the name
        word = tokens[j].text
        if _initial(word) or is_given_name(word, rules) and given < MAX_GIVEN_NAMES:
            given += not _initial(word)
            j += 1
            continue
        surname = _after_particles(text, tokens, j, rules)
        if surname is not None and _may_be_surname(tokens[surname].text, tokens[surname].start, rules, not_surnames):
            return surname
        break
    return j - 1 if given > 1 and not _initial(tokens[j - 1].text) else None


def _after_particles(text: str, tokens: list[Token], j: int, rules: Rules) -> int | None:
    """The index of the word after the name particle that starts at ``tokens[j]`` ("Patrick von
    Brunn", "Ursula von der Leyen", "Leonardo da Vinci"): the surname, which the particle makes a
    person's even where a town bears it. ``j`` itself where no particle stands there; None where a
    particle leads to no capitalised word."""
    rest = text[tokens[j].start : tokens[j].start + 20]
    particle = next((p for p in rules.name_particles if rest.startswith(p + " ")), None)
    if particle is None:
        return j
    k = j + particle.count(" ") + 1
    return k if k < len(tokens) and tokens[k].text[:1].isupper() else None


def _initial(word: str) -> bool:
    """ "W." in "George W. Bush"."""
    return len(word) == 2 and word[0].isupper() and word[1] == "."


def _may_be_surname(word: str, start: int, rules: Rules, not_surnames: set[int]) -> bool:
    """A capitalised word that can end a person's name; not "Paul In", "Anna Präsidentin"."""
    return (
        word[:1].isupper()
        and start not in not_surnames
        and not _rule_word(word, rules)
        and word.casefold() not in rules.demonyms
        and not is_closed_class(word, rules.language)
    )


def _rule_word(word: str, rules: Rules) -> bool:
    """A word of the rules (titles, place nouns, calendar words: "Paul Kanton", "Laura Montag")."""
    folded = word.casefold()
    return (
        folded in rules.function_words
        or folded in rules.calendar_words
        or folded in rules.not_places
        or folded.rstrip(".") in rules.calendar_words
    )
