"""Read ``data/<lang>/timex.txt``: the word tables, patterns and examples of the temporal tagger.

Why a module of its own: the language knowledge of the timeline is data (STYLE.md), and this is the
one place that knows the file's *format*. It never knows a word. Each file is validated line by
line (a bad line raises :class:`TimexRulesError` naming the file and line) and compiled once per
language. Month and weekday names come from the CLDR-generated ``months.tsv`` and ``weekdays.tsv``.
"""

from __future__ import annotations

import datetime
import functools
import re as stdlib_re
from dataclasses import dataclass, field, replace
from pathlib import Path

import regex

from geo.errors import TimexRulesError
from geo.lang.rulefiles import (DATA_DIR, LanguageDataError, month_names, read_sections, read_table, split_entry,
                       unmark_span, weekday_names)

TIMEX_FILE = "timex.txt"
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
RECIPES = ("date", "shift", "later", "this", "same", "day", "weekday", "ref", "vague", "duration", "set", "=")
MODS = ("START", "MID", "END", "APPROX", "MORE_THAN", "LESS_THAN", "EQUAL_OR_MORE", "EQUAL_OR_LESS",
        "BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER")

# Number formats: macro -> (group, regular expression).
NUMBER_MACROS: dict[str, tuple[str, str]] = {
    "day": ("day", r"0?[1-9]|[12]\d|3[01]"),
    "dd2": ("day", r"0[1-9]|[12]\d|3[01]"),
    "mm": ("month", r"0?[1-9]|1[0-2]"),
    "mm2": ("month", r"0[1-9]|1[0-2]"),
    "year": ("year", r"1\d{3}|20\d{2}"),
    "hour": ("hour", r"[01]?\d|2[0-3]"),
    "am_hour": ("am_hour", r"1[0-2]|0?[1-9]"),  # "12 a.m." is midnight
    "pm_hour": ("pm_hour", r"1[01]|0?[1-9]"),   # "12 p.m." (noon) is a plain {hour}
    "minute": ("minute", r"[0-5]\d"),
    "week": ("week", r"0?[1-9]|[1-4]\d|5[0-3]"),
    "decade": ("decade", r"(?:1\d|20)\d0|[1-9]0"),
    "bc_year": ("bc_year", r"\d{1,4}"),
}
# Table macros: macro -> (table section, group, digits also allowed). A table whose values are
# all "-" is a cue list: its macro is a plain alternation without a group.
TABLE_MACROS: dict[str, tuple[str, str | None, str | None]] = {
    "number": ("numbers", "number", r"\d{1,3}"),
    "ordinal": ("ordinals", "ordinal", r"\d{1,2}\."),
    "unit": ("units", "unit", None),
    "plural_unit": ("plural_units", "unit", None),
    "adjective_unit": ("adjective_units", "unit", None),
    "season": ("seasons", "season", None),
    "season_suffix": ("season_suffixes", "season", None),
    "decade_word": ("decade_words", "decade_word", None),
    "period_compound": ("period_compounds", "mod", None),
    "holiday": ("holidays", "holiday", None),
    "part_adverb": ("part_adverbs", "part", None),
    "hour_word": ("hour_words", "hour", None),
    "part_of_day": ("parts_of_day", "part", None),
    "part_suffix": ("part_suffixes", "part", None),
    "day_word": ("day_words", "day_word", None),
    "direction": ("directions", "direction", None),
    "anaphoric": ("anaphoric_directions", None, None),
    "mod": ("modifiers", "mod", None),
    "approx": ("approximately", "approx", None),
    "reference": ("references", "reference", None),
    "set_word": ("set_words", "set_word", None),
    "vague_duration": ("vague_durations", "vague_duration", None),
    "month": ("months", "month", None),
    "weekday": ("weekdays", "weekday", None),
    "month_cue": ("month_cues", None, None),
    "not_after_year": ("not_after_year", None, None),
    "not_before_year": ("not_before_year", None, None),
    "not_before_set": ("not_before_set", None, None),
}
TABLES = tuple(sorted({section for section, _, _ in TABLE_MACROS.values()} - {"months", "weekdays"}
                      | {"prepositions", "digression_prepositions", "future_prepositions", "range_links",
                         "past_cues", "future_cues"}))
SECTIONS = TABLES + ("settings", "patterns", "not_timex")

# Template syntax: a space is horizontal white space, "~" optional horizontal white space.
_SPACE, _OPTIONAL_SPACE = r"[^\S\n]+", r"[^\S\n]*"
# A capitalised form of a lower-case word counts only where a sentence may start: the pattern
# matches either case, the tagger checks the text before (cheaper than a look-behind per form).
SENTENCE_START = regex.compile(r"(?:\A|[.!?:;\n(\"„“»«–—])[^\S\n\"„“»«(]*\Z")
_MACRO = stdlib_re.compile(r"\{(\w+)\}")
_EXAMPLE = stdlib_re.compile(r"\s+([+-])\s+(.*)")
_EXPECTATION = stdlib_re.compile(r"(.*\S)\s+=>\s+(\S+)((?:\s+\S+)*)")
# An expression never starts right after a word character or inside a number ("1.500"). Most
# start with a word character: "\b" first is a cheap test that spares the look-behind elsewhere.
_LEFT, _WORD_LEFT, _RIGHT = r"(?<![\w]|\d[.,])", r"\b(?<!\d[.,])", r"(?!\w|[.,]\d)"


@dataclass(frozen=True)
class Example:
    """A sentence a rule must (``positive``) or must not tag, with the expected extent and value."""

    line: int
    sentence: str
    start: int
    end: int
    positive: bool
    value: str | None = None
    type: str | None = None
    mod: str | None = None
    reference: datetime.date | None = None
    narrative: bool = False


@dataclass(frozen=True)
class Rule:
    """One pattern: where it is written, what it matches, and how its match becomes a value."""

    name: str
    line: int
    pattern: regex.Pattern
    type: str
    recipe: str
    args: tuple[str, ...]
    mod: str | None
    # The macros a match starts with (see Grammar.starts), after up to ``lead_words`` optional words
    # ("(?:de[nr] )?{direction}"); empty: the pattern is scanned across the whole text.
    first_macros: tuple[str, ...] = ()
    lead_words: int = 0
    # Lower-case words of which a match must contain one (one per top-level branch); empty: no
    # such word. A text without any of them is not scanned for this pattern at all.
    required: tuple[str, ...] = ()
    # What every branch starts with ("{number}", "[Tt]he") and the branches after it; rules that
    # start alike share a gate, one pattern of all their branches without groups, tried first
    head: str = ""
    tails: tuple[str, ...] = ()
    gate: regex.Pattern | None = None


@dataclass(frozen=True)
class Grammar:
    """Everything the tagger knows about one language."""

    language: str
    rules: tuple[Rule, ...]
    tables: dict[str, dict[str, str]]
    prepositions: regex.Pattern
    digressions: frozenset[str]
    future_prepositions: frozenset[str]
    range_links: frozenset[str]
    past_cues: tuple[frozenset[str], regex.Pattern | None]
    future_cues: tuple[frozenset[str], regex.Pattern | None]
    reference: datetime.date
    examples: tuple[Example, ...]
    starts: StartIndex  # where each pattern can start (see StartIndex)
    # word -> "future", "past" or None, as the tagger found it among the cues (bounded: CUES_KEPT)
    cue_tenses: dict = field(default_factory=dict, compare=False, repr=False)

    def table_value(self, group: str, text: str) -> tuple[str | None, bool]:
        """The table value of a captured form, e.g. ("month", "Sept.") -> ("9", True); the flag is
        False when only the lower-case form is in the table (then valid only at a sentence start)."""
        section = GROUP_SECTIONS.get(group)
        if section is None:
            return None, True
        table = self.tables.get(section, {})
        exact = table.get(text) or table.get(_squeeze(text))
        if exact is not None:
            return exact, True
        return table.get(text[:1].lower() + text[1:]) or table.get(_squeeze(text[:1].lower() + text[1:])), False


# The section a group's captured text is looked up in (groups shared by macros share a table).
GROUP_SECTIONS: dict[str, str] = {}
for _section, _group, _ in TABLE_MACROS.values():
    if _group and _group not in GROUP_SECTIONS:
        GROUP_SECTIONS[_group] = _section
GROUP_SECTIONS["unit"] = "all_units"
GROUP_SECTIONS["part"] = "all_parts"
GROUP_SECTIONS["season"] = "all_seasons"
GROUP_SECTIONS["mod"] = "all_mods"


def timex_languages() -> tuple[str, ...]:
    """Languages with their own temporal rules."""
    return tuple(sorted(path.parent.name for path in DATA_DIR.glob(f"*/{TIMEX_FILE}")))


@functools.cache
def grammar_for(language: str) -> Grammar:
    """The compiled rules of a language; one without its own file uses English (then German)."""
    available = timex_languages()
    if language not in available:  # another language: English rules (dates in digits still work)
        language = "en" if "en" in available else available[0]
    return read_grammar(DATA_DIR / language / TIMEX_FILE, language)


def read_grammar(path: Path, language: str) -> Grammar:
    """Parse, validate and compile one rule file."""
    sections = read_sections(path, SECTIONS, TimexRulesError)
    tables = {name: read_table(path, sections.get(name, []), TimexRulesError) for name in TABLES}
    tables["months"] = {name: str(number) for name, number in month_names(language).items()}
    tables["weekdays"] = {name: str(number) for name, number in weekday_names(language).items()}
    tables["all_units"] = {**tables["units"], **tables["plural_units"], **tables["adjective_units"]}
    tables["all_parts"] = {**tables["parts_of_day"], **tables["part_suffixes"], **tables["part_adverbs"]}
    tables["all_seasons"] = {**tables["seasons"], **tables["season_suffixes"]}
    tables["all_mods"] = {**tables["modifiers"], **tables["period_compounds"]}
    settings = dict(split_entry(path, number, line, TimexRulesError) for number, line in sections.get("settings", []))
    reference = _date(path, 0, settings.get("reference", "2000-01-01"))
    rules, examples = _patterns(path, sections.get("patterns", []) + sections.get("not_timex", []), tables,
                                reference)
    rules = _gated(path, rules, tables)
    starts = StartIndex.build({macro for rule in rules for macro in rule.first_macros}, tables, path)
    return Grammar(
        starts=starts,
        language=language,
        rules=rules,
        tables=tables,
        prepositions=regex.compile(r"(?:" + _alternation(tables["prepositions"], bounded=True) + r")" + _SPACE
                                   + r"\Z"),
        digressions=frozenset(_squeeze(form) for form in tables["digression_prepositions"]),
        future_prepositions=frozenset(_squeeze(form) for form in tables["future_prepositions"]),
        range_links=frozenset(_squeeze(form) for form in tables["range_links"]),
        past_cues=_cues(tables["past_cues"]),
        future_cues=_cues(tables["future_cues"]),
        reference=reference,
        examples=examples,
    )


def _date(path: Path, number: int, text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise TimexRulesError(f"{path}:{number}: bad date {text!r} (expected YYYY-MM-DD)") from None


def _squeeze(text: str) -> str:
    """Internal white space as one space, so "ein  paar" finds the table entry "ein paar"."""
    return " ".join(text.split())


def _form_pattern(form: str) -> str:
    return _SPACE.join(regex.escape(word) for word in form.split())


def _alternation(table: dict[str, str], *, bounded: bool = False) -> str:
    """Every form of a table as one trie-shaped expression (fast: one branch per first letter); a
    lower-case form also matches capitalised, longer forms are preferred.

    ``bounded``: each form a whole word (cue lists, used in look-arounds). Forms that capture are
    bounded by their pattern instead, so that compounds such as "Freitag|abend" can be written.
    """
    trie: dict = {}
    for form in table:
        node = trie
        for position, char in enumerate(form):
            key = f"[{char}{char.upper()}]" if position == 0 and char.isalpha() and char.islower() else char
            node = node.setdefault(key, {})
        node[""] = {}
    if not trie:
        return r"(?!x)x"
    pattern = _trie_pattern(trie)
    return rf"(?<!\w)(?:{pattern})(?!\w)" if bounded else pattern


def _trie_pattern(node: dict) -> str:
    branches = []
    for key in sorted(k for k in node if k):
        atom = _SPACE if key == " " else key if key.startswith("[") else regex.escape(key)
        branches.append(atom + _trie_pattern(node[key]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _macro(path: Path, number: int, name: str, tables: dict[str, dict[str, str]]) -> str:
    if name in NUMBER_MACROS:
        group, pattern = NUMBER_MACROS[name]
    elif name in TABLE_MACROS:
        section, group, digits = TABLE_MACROS[name]
        pattern = _alternation(tables[section], bounded=group is None)
        if digits:
            pattern = f"{digits}|{pattern}"
    else:
        raise TimexRulesError(f"{path}:{number}: unknown macro {{{name}}}")
    if group is None:
        return f"(?:{pattern})"
    # a group may recur in alternative branches ("{part_of_day} darauf|nächsten {part_of_day}")
    return f"(?P<{group}>{pattern})"


def _compile(path: Path, number: int, template: str, tables: dict[str, dict[str, str]]) -> regex.Pattern:
    return _compiled(path, number, template, _expanded(path, number, template, tables))


def _expanded(path: Path, number: int, template: str, tables: dict[str, dict[str, str]]) -> str:
    """The regular expression a template stands for, its macros expanded (not compiled yet:
    compiling is most of the cost of reading the rules)."""
    pieces = []
    position = 0
    for match in _MACRO.finditer(template):
        pieces.append(_literal(template[position:match.start()], first=position == 0))
        pieces.append(_macro(path, number, match[1], tables))
        position = match.end()
    pieces.append(_literal(template[position:], first=position == 0))
    return _left(template) + "(?:" + "".join(pieces) + ")" + _RIGHT


def _compiled(path: Path, number: int, template: str, pattern: str) -> regex.Pattern:
    try:
        return regex.compile(pattern)
    except regex.error as error:
        raise TimexRulesError(f"{path}:{number}: bad pattern {template!r} ({error})") from None


def _left(template: str) -> str:
    return _WORD_LEFT if regex.match(r"[\w{(\[]", template) else _LEFT


def _gated(path: Path, rules: tuple[Rule, ...], tables: dict[str, dict[str, str]]) -> tuple[Rule, ...]:
    """The rules, each with the gate of the rules tried at the same places with the same head: a
    dozen patterns start with a number, as many with "the", and most numbers and most "the"s start
    none of them, which one call of the gate tells (a gate matches wherever one of its rules does).
    """
    groups: dict[tuple, list[Rule]] = {}
    for rule in rules:
        if rule.first_macros and rule.head:
            groups.setdefault((rule.first_macros, rule.lead_words, rule.head), []).append(rule)
    gates = {}
    for (_, _, head), members in groups.items():
        if len(members) > 1:
            template = head + "(?:" + "|".join(f"(?:{tail})" for rule in members for tail in rule.tails) + ")"
            pattern = _NAMED_GROUP.sub("(?:", _expanded(path, members[0].line, template, tables))
            gate = _compiled(path, members[0].line, template, pattern)  # once for the group
            gates.update({rule.name: gate for rule in members})
    return tuple(replace(rule, gate=gates.get(rule.name)) for rule in rules)


_NAMED_GROUP = stdlib_re.compile(r"\(\?P<\w+>")
# A head: a macro, alone or in a group, or a word whose first letter is a class ("[Tt]he")
_HEAD = stdlib_re.compile(r"\(\?:(\{\w+\})\)|\{\w+\}|\[\w\w\]\w+")


def _head(template: str) -> tuple[str, tuple[str, ...]]:
    """The head every top-level branch of ``template`` starts with, and what follows it in each;
    ("", ()) if they differ or one has none.

    >>> _head("{number}-{adjective_unit}(?:-long)?|{number} {adjective_unit}(?:-| )long")
    ('{number}', ('-{adjective_unit}(?:-long)?', ' {adjective_unit}(?:-| )long'))
    >>> _head("(?:{number}) {unit} ago")
    ('{number}', (' {unit} ago',))
    >>> _head("[Tt]he (?:next|following) {season}|the {season}")
    ('', ())
    """
    heads, tails = set(), []
    for branch in _top_level_branches(template):
        match = _HEAD.match(branch)
        if not match or _quantified(branch, match.end()) or branch[match.end():match.end() + 1] == "+":
            return "", ()
        heads.add(match[1] or match[0])
        tails.append(branch[match.end():])
    return (heads.pop(), tuple(tails)) if len(heads) == 1 else ("", ())


def _literal(piece: str, *, first: bool = False) -> str:
    """Template text as a regular expression; a pattern's lower-case first letter may be a capital."""
    if first and piece[:1].isalpha() and piece[:1].islower():
        piece = f"[{piece[0]}{piece[0].upper()}]" + piece[1:]
    return piece.replace(" ", _SPACE).replace("~", _OPTIONAL_SPACE)


def _patterns(path: Path, lines: list[tuple[int, str]], tables: dict[str, dict[str, str]],
              reference: datetime.date) -> tuple[tuple[Rule, ...], tuple[Example, ...]]:
    rules: list[Rule] = []
    examples: list[Example] = []
    names: set[str] = set()
    for number, line in lines:
        example = _EXAMPLE.fullmatch(line)
        if example:
            examples.append(_example(path, number, example[1] == "+", example[2], reference))
            continue
        rule = _rule(path, number, line, tables)
        if rule.name in names:
            raise TimexRulesError(f"{path}:{number}: pattern {rule.name!r} defined twice")
        names.add(rule.name)
        rules.append(rule)
    return tuple(rules), tuple(examples)


def _rule(path: Path, number: int, line: str, tables: dict[str, dict[str, str]]) -> Rule:
    parts = line.split("\t")
    if len(parts) not in (4, 5):
        raise TimexRulesError(f"{path}:{number}: bad pattern line {line!r} "
                              "(expected <name><TAB><template><TAB><TYPE><TAB><recipe>[<TAB><mod>])")
    name, template, timex_type, recipe_text = parts[:4]
    mod = parts[4] if len(parts) == 5 else None
    recipe, *args = recipe_text.split()
    if timex_type not in TIMEX_TYPES:
        raise TimexRulesError(f"{path}:{number}: unknown type {timex_type!r} (one of {', '.join(TIMEX_TYPES)})")
    if recipe not in RECIPES:
        raise TimexRulesError(f"{path}:{number}: unknown recipe {recipe!r} (one of {', '.join(RECIPES)})")
    if mod is not None and mod not in MODS and mod not in ("{mod}", "{approx}"):
        raise TimexRulesError(f"{path}:{number}: unknown mod {mod!r}")
    first_macros, lead_words = _first_macros(template)
    return Rule(name, number, _compile(path, number, template, tables), timex_type, recipe, tuple(args), mod,
                first_macros, lead_words, _required_words(template), *_head(template))


def _first_macros(template: str) -> tuple[tuple[str, ...], int]:
    """What a match of ``template`` can start with, and how many optional words may precede it: macro
    names, and "=word" for a literal word (see :class:`StartIndex`); empty if unknown.

    >>> _first_macros("(?<={month_cue} ){month}(?! \\d)")
    (('month',), 0)
    >>> _first_macros("(?:de[nr] )?(?:frühen )?{part_of_day} des {day}")
    (('part_of_day',), 2)
    >>> _first_macros("(?:{month}|{season}) des Jahres|{day}. Tag")
    (('month', 'season', 'day'), 0)
    >>> _first_macros("[Tt]he {direction} {unit}|(?:[Ee]arlier|later) that {unit}")
    (('=the', '=earlier', '=later'), 0)
    >>> _first_macros("\\d+ times")
    ((), 0)
    """
    starts: list[str] = []
    lead = 0
    for branch in _top_level_branches(template):
        branch, words = _without_leading_lookbehinds(branch), 0
        while branch.startswith("(?:"):
            end = _group_end(branch)
            if branch[end + 1:end + 2] != "?":
                break
            words += branch[3:end].count(" ")  # each optional word ends with its space
            branch = branch[end + 2:]
        found = _starts_of(branch)
        if not found:
            return (), 0
        starts.extend(found)
        lead = max(lead, words)
    return tuple(dict.fromkeys(starts)), lead


_LEADING_WORD = regex.compile(r"(?:\[(\p{L})(\p{L})\])?(\p{L}+)")


def _starts_of(piece: str) -> list[str]:
    """The macros or "=word"s a (mandatory) piece of a template starts with; empty if unknown."""
    if piece.startswith("(?:"):
        end = _group_end(piece)
        if _quantified(piece, end + 1) or piece[end + 1:end + 2] == "+":
            return []
        options = [_starts_of(option) for option in _top_level_branches(piece[3:end])]
        return [start for option in options for start in option] if all(options) else []
    macro = _MACRO.match(piece)
    if macro:
        return [] if _quantified(piece, macro.end()) else [macro[1]]
    word = _LEADING_WORD.match(piece)
    if not word or (word[1] and word[1].lower() != word[2].lower()):
        return []
    letters = (word[1] or "").lower() + word[3]  # "[Tt]he": "the", which also matches "The"
    if _quantified(piece, word.end()):
        letters = letters[:-1]  # "Jahre?s?": the word starts "Jahr"
    return ["=" + letters] if len(letters) >= 2 else []


def _quantified(template: str, index: int) -> bool:
    """Whether a quantifier that allows zero ("?", "*", "{0,2}") follows at ``index``."""
    return template[index:index + 1] in ("?", "*") or \
        (template[index:index + 1] == "{" and template[index + 1:index + 2].isdigit())


def _group_end(template: str) -> int:
    """The index of the ")" that closes the group opened at index 0."""
    for index, char, depth in _outside_classes(template):
        if char == ")" and depth == 1:
            return index
    return len(template)


def _required_words(template: str) -> tuple[str, ...]:
    """The longest literal word each top-level branch of ``template`` must match, lower-cased; empty
    when a branch has none (only macros, classes or optional parts).

    >>> _required_words("{ordinal} Quartals?(?: {year})?")
    ('quartal',)
    >>> _required_words("(?:tags|Tags) zuvor|(?:de[nm] )?Vortag")
    ('zuvor', 'vortag')
    >>> _required_words("{number} {unit}")
    ()
    """
    words = []
    for branch in _top_level_branches(template):
        runs = _mandatory_runs(branch)
        if not runs:
            return ()
        words.append(max(runs, key=len).lower())
    return tuple(dict.fromkeys(words))


def _top_level_branches(template: str) -> list[str]:
    branches, start = [], 0
    for index, char, depth in _outside_classes(template):
        if char == "|" and depth == 0:
            branches.append(template[start:index])
            start = index + 1
    return branches + [template[start:]]


def _mandatory_runs(branch: str) -> list[str]:
    """Runs of letters outside every group, class, macro and escape, without a quantified last letter."""
    runs, run, previous = [], "", -1
    for index, char, depth in [*_outside_classes(branch), (len(branch), "", 0)]:
        if depth == 0 and char.isalpha() and index == previous + 1 and run:
            run += char
        else:
            if run and index == previous + 1 and _quantified(branch, index):
                run = run[:-1]
            if len(run) >= 3:
                runs.append(run)
            run = char if depth == 0 and char.isalpha() else ""
        previous = index
    return runs


def _outside_classes(template: str):  # -> Iterator[tuple[int, str, int]]
    """(index, character, group depth) of each character outside escapes and [...] classes; a macro
    "{name}" counts as a group."""
    depth, index = 0, 0
    while index < len(template):
        char = template[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = _class_end(template, index) + 1
            continue
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
            yield index, char, depth + 1
            index += 1
            continue
        yield index, char, depth
        index += 1


def _class_end(template: str, start: int) -> int:
    """The index of the "]" that closes the class opened at ``start``."""
    index = start + 1
    if template[index:index + 1] == "^":
        index += 1
    if template[index:index + 1] == "]":
        index += 1
    while index < len(template) and template[index] != "]":
        index += 2 if template[index] == "\\" else 1
    return index


def _without_leading_lookbehinds(template: str) -> str:
    """The template after any look-behinds it opens with: "(?<={month_cue} ){month}" -> "{month}"."""
    while template.startswith("(?<"):
        depth = 0
        for index, char in enumerate(template):
            depth += (char == "(") - (char == ")")
            if depth == 0:
                template = template[index + 1:]
                break
        else:
            return template
    return template


DIGITS_START = regex.compile(_LEFT + r"\d")  # one scan serves every number macro


@dataclass(frozen=True)
class StartIndex:
    """Where each macro that starts a pattern can begin in a text (the tagger then tries each pattern
    only there, which keeps it fast): digits from one scan, table forms by walking a trie of every
    form of every such macro from each word start. A pattern that starts with a literal word
    ("[Tt]he ...") has the pseudo-macro "=the", with that one form."""

    macros: frozenset[str]
    digit_macros: frozenset[str]  # number macros and tables that also take digits
    trie: dict                    # lower-case, single-spaced forms by character; "" -> their macros
    # word -> (macros whose forms it starts with, the trie node after the whole word or None): news
    # repeats its words, so most walks are one look-up (bounded: cleared at WALKS_KEPT words)
    walks: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, macros: set[str], tables: dict[str, dict[str, str]], path: Path) -> StartIndex:
        digit_macros = {macro for macro in macros if macro in NUMBER_MACROS or
                        (macro in TABLE_MACROS and TABLE_MACROS[macro][2])}
        trie: dict = {}
        for macro in macros - set(NUMBER_MACROS):
            for form in [macro[1:]] if macro.startswith("=") else tables[TABLE_MACROS[macro][0]]:
                if not form[:1].isalnum():
                    raise TimexRulesError(f"{path}: {form!r} ({macro}) starts patterns, so it must begin a word")
                node = trie
                for char in _squeeze(form).lower():
                    node = node.setdefault(char, {})
                node.setdefault("", set()).add(macro)
        return cls(frozenset(macros), frozenset(digit_macros), trie)

    def positions(self, text: str) -> dict[str, list[int]]:
        """Every start position of each macro in ``text``: a superset (the patterns check)."""
        found: dict[str, list[int]] = {macro: [] for macro in self.macros}
        if self.digit_macros:
            digits = [m.start() for m in DIGITS_START.finditer(text)]
            for macro in self.digit_macros:
                found[macro] = list(digits)
        walks = self.walks
        if len(walks) > WALKS_KEPT:
            walks.clear()
        for word in _WORD.finditer(text):
            start = word.start()
            walk = walks.get(word[0])
            if walk is None:
                walk = walks[word[0]] = self._walk(word[0])
            macros, node = walk
            for macro in macros:
                if not found[macro] or found[macro][-1] != start:
                    found[macro].append(start)
            if node is not None:  # a form goes on past the word ("the day before"): walk the text
                self._walk_on(text, start, word.end(), node, found)
        for macro in self.digit_macros - set(NUMBER_MACROS):  # digits and forms: one sorted list
            found[macro] = sorted(set(found[macro]))
        return found

    def _walk(self, word: str) -> tuple[tuple[str, ...], dict | None]:
        """The macros of the forms that ``word`` starts with, and the trie node after all of it."""
        node, macros = self.trie, []
        for char in word:
            node = node.get(char.lower())
            if node is None:
                break
            macros.extend(node.get("", ()))
        if node is not None and all(_WORD.match(char) for char in node if char):
            node = None  # what follows a word is no word character: no form goes on
        return tuple(dict.fromkeys(macros)), node

    @staticmethod
    def _walk_on(text: str, start: int, index: int, node: dict, found: dict[str, list[int]]) -> None:
        """Go on down the trie from ``node`` at ``index``, for the forms of several words."""
        length = len(text)
        while index < length:
            char = text[index]
            if char.isspace():  # a run of white space is one space, as in the forms
                while index + 1 < length and text[index + 1].isspace():
                    index += 1
                char = " "
            node = node.get(char.lower())
            if node is None:
                break
            for macro in node.get("", ()):
                if not found[macro] or found[macro][-1] != start:
                    found[macro].append(start)
            index += 1


_WORD = regex.compile(r"\w+")  # its starts are those of "\b\w"
WALKS_KEPT = CUES_KEPT = 65536


def _example(path: Path, number: int, positive: bool, body: str, reference: datetime.date) -> Example:
    expectation = _EXPECTATION.fullmatch(body) if positive else None
    if positive and not expectation:
        raise TimexRulesError(f"{path}:{number}: a positive example needs '=> <value>'")
    marked = expectation[1] if expectation else body
    sentence, start, end = unmark_span(path, number, marked, TimexRulesError)
    fields: dict = {"reference": reference}
    for token in (expectation[3].split() if expectation else ()):
        if token in TIMEX_TYPES:
            fields["type"] = token
        elif token.startswith("mod="):
            fields["mod"] = token[4:]
        elif token.startswith("@"):
            fields["reference"] = _date(path, number, token[1:])
        elif token == "narrative":
            fields["narrative"] = True
        else:
            raise TimexRulesError(f"{path}:{number}: unknown example option {token!r}")
    return Example(number, sentence, start, end, positive,
                   value=expectation[2] if expectation else None, **fields)


def _cues(table: dict[str, str]) -> tuple[frozenset[str], regex.Pattern | None]:
    """Cue words (case-folded) and one pattern for the "~regex" entries."""
    words = frozenset(form.casefold() for form in table if not form.startswith("~"))
    patterns = [form[1:] for form in table if form.startswith("~")]
    return words, (regex.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None)
