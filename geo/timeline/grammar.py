"""Read ``data/<lang>/timex.txt``: the word tables, patterns and examples of the temporal tagger.

Why a module of its own: the language knowledge of the timeline is data (STYLE.md), and this is the
one place that knows the file's *format*. It never knows a word. Each file is validated line by
line (a bad line raises :class:`TimexRulesError` naming the file and line) and read once per
language, each pattern compiled on first use (the templates by :mod:`geo.timeline.templates`,
where they can start by :mod:`geo.timeline.starts`). Month and weekday names come from the CLDR-generated ``months.tsv``
and ``weekdays.tsv``. Example lines use the one syntax of every rule file
(:func:`geo.lang.rulefiles.read_example`), with the expectation ``value [TYPE] [mod=M] [@YYYY-MM-DD]
[narrative]``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from pathlib import Path

import regex

from geo.errors import TimexRulesError
from geo.lang.registry import cached_per_language, language_file
from geo.lang.rulefiles import month_names, read_example, read_sections, read_table, split_entry, weekday_names
from geo.timeline.recipes import RECIPES
from geo.timeline.starts import StartIndex
from geo.timeline.templates import (
    TABLE_MACROS,
    Pattern,
    alternation,
    compile_template,
    first_macros,
    gate,
    head_and_tails,
    required_words,
    squeeze,
    words_before_end,
)

__all__ = ["Example", "Grammar", "Rule", "TIMEX_FILE", "TIMEX_TYPES", "grammar_for", "read_grammar"]

TIMEX_FILE = "timex.txt"
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
MODS = (
    "START",
    "MID",
    "END",
    "APPROX",
    "MORE_THAN",
    "LESS_THAN",
    "EQUAL_OR_MORE",
    "EQUAL_OR_LESS",
    "BEFORE",
    "AFTER",
    "ON_OR_BEFORE",
    "ON_OR_AFTER",
)
TABLES = tuple(
    sorted(
        {section for section, _, _ in TABLE_MACROS.values()} - {"months", "weekdays"}
        | {
            "prepositions",
            "digression_prepositions",
            "future_prepositions",
            "range_links",
            "past_cues",
            "future_cues",
            "state_verbs",
            "clause_openers",
            "labels",
        }
    )
)
SECTIONS = TABLES + ("settings", "patterns", "not_timex")


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
    pattern: Pattern  # compiled on first use
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
    gate: Pattern | None = None


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
    # Verbs of a state ("stay", "bleiben"): a participle the cue pattern finds beside one is an
    # adjective ("will stay closed", "geschlossen bleiben"), no past tense.
    state_verbs: frozenset[str]
    # A word that opens a clause of its own ("said Thursday that it would"): the tense of a date
    # before it is not read after it. None: the language's clauses open after punctuation only.
    clause_openers: regex.Pattern | None
    reference: datetime.date
    examples: tuple[Example, ...]
    starts: StartIndex  # where each pattern can start (see StartIndex)

    def compile(self) -> None:
        """Compile every pattern now rather than on first use (a server's warm-up; a bad one raises
        :class:`TimexRulesError` naming its line)."""
        for rule in self.rules:
            rule.pattern.compile()
            if rule.gate is not None:
                rule.gate.compile()

    def table_value(self, group: str, text: str) -> tuple[str | None, bool]:
        """The table value of a captured form, e.g. ("month", "Sept.") -> ("9", True); the flag is
        False when only the lower-case form is in the table (then valid only at a sentence start)."""
        section = GROUP_SECTIONS.get(group)
        if section is None:
            return None, True
        table = self.tables.get(section, {})
        exact = table.get(text) or table.get(squeeze(text))
        if exact is not None:
            return exact, True
        return table.get(text[:1].lower() + text[1:]) or table.get(squeeze(text[:1].lower() + text[1:])), False


# The section a group's captured text is looked up in (groups shared by macros share a table).
GROUP_SECTIONS: dict[str, str] = {}
for _section, _group, _ in TABLE_MACROS.values():
    if _group and _group not in GROUP_SECTIONS:
        GROUP_SECTIONS[_group] = _section
GROUP_SECTIONS["unit"] = "all_units"
GROUP_SECTIONS["part"] = "all_parts"
GROUP_SECTIONS["season"] = "all_seasons"
GROUP_SECTIONS["mod"] = "all_mods"


@cached_per_language
def grammar_for(language: str) -> Grammar:
    """The compiled rules of a language; one without its own file shares the compiled rules of the
    registry's fallback (dates in digits still work)."""
    code, path = language_file(language, TIMEX_FILE)
    return grammar_for(code) if code != language else read_grammar(path, code)


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
    rules, examples = _patterns(path, sections.get("patterns", []) + sections.get("not_timex", []), tables, reference)
    rules = _gated(path, rules, tables)
    starts = StartIndex.build({macro for rule in rules for macro in rule.first_macros}, tables, path)
    return Grammar(
        starts=starts,
        language=language,
        rules=rules,
        tables=tables,
        prepositions=words_before_end(tables["prepositions"]),
        digressions=frozenset(squeeze(form) for form in tables["digression_prepositions"]),
        future_prepositions=frozenset(squeeze(form) for form in tables["future_prepositions"]),
        range_links=frozenset(squeeze(form) for form in tables["range_links"]),
        past_cues=_cues(tables["past_cues"]),
        future_cues=_cues(tables["future_cues"]),
        state_verbs=frozenset(form.casefold() for form in tables["state_verbs"]),
        clause_openers=_openers(tables["clause_openers"]),
        reference=reference,
        examples=examples,
    )


def _openers(table: dict[str, str]) -> regex.Pattern | None:
    """One of the words of the table as a whole word; None for an empty table."""
    return regex.compile(r"\b" + alternation(table, bounded=True)) if table else None


def _date(path: Path, number: int, text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise TimexRulesError(f"{path}:{number}: bad date {text!r} (expected YYYY-MM-DD)") from None


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
        if len(members) > 1:  # one gate for the group
            tails = tuple(tail for rule in members for tail in rule.tails)
            shared = gate(path, members[0].line, head, tails, tables)
            gates.update({rule.name: shared for rule in members})
    return tuple(replace(rule, gate=gates.get(rule.name)) for rule in rules)


def _patterns(
    path: Path, lines: list[tuple[int, str]], tables: dict[str, dict[str, str]], reference: datetime.date
) -> tuple[tuple[Rule, ...], tuple[Example, ...]]:
    rules: list[Rule] = []
    examples: list[Example] = []
    names: set[str] = set()
    for number, line in lines:
        if line[:1].isspace():  # an indented line is an example of the patterns above it
            examples.append(_example(path, number, line, reference))
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
        raise TimexRulesError(
            f"{path}:{number}: bad pattern line {line!r} "
            "(expected <name><TAB><template><TAB><TYPE><TAB><recipe>[<TAB><mod>])"
        )
    name, template, timex_type, recipe_text = parts[:4]
    mod = parts[4] if len(parts) == 5 else None
    recipe, *args = recipe_text.split()
    if timex_type not in TIMEX_TYPES:
        raise TimexRulesError(f"{path}:{number}: unknown type {timex_type!r} (one of {', '.join(TIMEX_TYPES)})")
    if recipe not in RECIPES:
        raise TimexRulesError(f"{path}:{number}: unknown recipe {recipe!r} (one of {', '.join(RECIPES)})")
    if mod is not None and mod not in MODS and mod not in ("{mod}", "{approx}"):
        raise TimexRulesError(f"{path}:{number}: unknown mod {mod!r}")
    starts, lead_words = first_macros(template)
    return Rule(
        name,
        number,
        compile_template(path, number, template, tables),
        timex_type,
        recipe,
        tuple(args),
        mod,
        starts,
        lead_words,
        required_words(template),
        *head_and_tails(template),
    )


def _example(path: Path, number: int, line: str, reference: datetime.date) -> Example:
    """One example line: the shared syntax (:func:`read_example`) with exactly one marked span, and
    the expectation of a positive one: ``value [TYPE] [mod=M] [@YYYY-MM-DD] [narrative]``."""
    example = read_example(path, number, line, TimexRulesError)
    if len(example.spans) != 1:
        raise TimexRulesError(f"{path}:{number}: an example marks exactly one [span]")
    ((start, end),) = example.spans
    tokens = example.expected.split()
    if example.positive and not tokens:
        raise TimexRulesError(f"{path}:{number}: a positive example needs '=> <value>'")
    if not example.positive and tokens:
        raise TimexRulesError(f"{path}:{number}: a negative example expects nothing (no '=> ...')")
    fields: dict = {"reference": reference}
    for token in tokens[1:]:
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
    return Example(number, example.text, start, end, example.positive, value=tokens[0] if tokens else None, **fields)


def _cues(table: dict[str, str]) -> tuple[frozenset[str], regex.Pattern | None]:
    """Cue words (case-folded) and one pattern for the "~regex" entries."""
    words = frozenset(form.casefold() for form in table if not form.startswith("~"))
    patterns = [form[1:] for form in table if form.startswith("~")]
    return words, (regex.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None)
