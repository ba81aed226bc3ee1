"""Templates: the patterns of ``data/<lang>/timex.txt`` compiled into regular expressions, and read for
what lets the tagger skip most of a text (where a match can start, which words it needs).

Why a module of its own: a template is a small language ({macro}s for tables and number formats, a
space for white space, "~" for optional white space) and this is the one place that knows it. A
table becomes one trie-shaped alternation; the template is then read for the macros or words a
match starts with (see :mod:`geo.timeline.starts`), the words a match must contain, and the head
that several patterns share (one gate tried before all of them). A template is expanded (and its
macros checked) when the file is read, but compiled on first use (:class:`Pattern`): compiling is
most of the cost of reading the rules, and a text needs about half of them.
"""

from __future__ import annotations

import re as stdlib_re
from collections.abc import Iterator
from pathlib import Path

import regex

from geo.errors import TimexRulesError

__all__ = [
    "DIGITS_START",
    "NUMBER_MACROS",
    "Pattern",
    "SENTENCE_START",
    "TABLE_MACROS",
    "WHOLE",
    "alternation",
    "compile_template",
    "first_macros",
    "gate",
    "head_and_tails",
    "required_words",
    "squeeze",
    "words_before_end",
]

# Number formats: macro -> (group, regular expression).
NUMBER_MACROS: dict[str, tuple[str, str]] = {
    "day": ("day", r"0?[1-9]|[12]\d|3[01]"),
    "dd2": ("day", r"0[1-9]|[12]\d|3[01]"),
    "mm": ("month", r"0?[1-9]|1[0-2]"),
    "mm2": ("month", r"0[1-9]|1[0-2]"),
    "year": ("year", r"1\d{3}|20\d{2}"),
    "hour": ("hour", r"[01]?\d|2[0-3]"),
    "am_hour": ("am_hour", r"1[0-2]|0?[1-9]"),  # "12 a.m." is midnight
    "pm_hour": ("pm_hour", r"1[01]|0?[1-9]"),  # "12 p.m." (noon) is a plain {hour}
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
    "year_hundreds": ("year_hundreds", "year_hundreds", None),
    "year_tail": ("year_tails", "year_tail", None),
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

# Template syntax: a space is horizontal white space, "~" optional horizontal white space.
_SPACE, _OPTIONAL_SPACE = r"[^\S\n]+", r"[^\S\n]*"
# A capitalised form of a lower-case word counts only where a sentence may start: the pattern
# matches either case, the tagger checks the text before (cheaper than a look-behind per form).
# After a sentence end and any closing quotes ('.'' A day earlier', '.” Today'), a capital may open a sentence.
SENTENCE_START = regex.compile(r"(?:\A|[.!?:;\n(\"„“»«–—])[\"'”’]*[^\S\n\"„“»«(]*\Z")
_MACRO = stdlib_re.compile(r"\{(\w+)\}")
# An expression never starts right after a word character or inside a number ("1.500"). Most
# start with a word character: "\b" first is a cheap test that spares the look-behind elsewhere.
_LEFT, _WORD_LEFT, _RIGHT = r"(?<![\w]|\d[.,])", r"\b(?<!\d[.,])", r"(?!\w|[.,]\d)"
DIGITS_START = regex.compile(_LEFT + r"\d")  # one scan serves every number macro


def squeeze(text: str) -> str:
    """Internal white space as one space, so "ein  paar" finds the table entry "ein paar"."""
    return " ".join(text.split())


def words_before_end(table: dict[str, str]) -> regex.Pattern:
    """One of the table's words, then white space, at the end of a window ("seit " before "2019")."""
    return regex.compile(r"(?:" + alternation(table, bounded=True) + r")" + _SPACE + r"\Z")


def alternation(table: dict[str, str], *, bounded: bool = False) -> str:
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
        pattern = alternation(tables[section], bounded=group is None)
        if digits:
            pattern = f"{digits}|{pattern}"
    else:
        raise TimexRulesError(f"{path}:{number}: unknown macro {{{name}}}")
    if group is None:
        return f"(?:{pattern})"
    # a group may recur in alternative branches ("{part_of_day} darauf|nächsten {part_of_day}")
    return f"(?P<{group}>{pattern})"


class Pattern:
    """A template's regular expression, compiled on first use: a bad one raises
    :class:`TimexRulesError` naming its file and line then (:meth:`compile` asks at once, as
    ``warm_up`` does). Threads that race to compile it get equal patterns."""

    __slots__ = ("path", "line", "template", "expression", "_compiled")

    def __init__(self, path: Path, line: int, template: str, expression: str) -> None:
        self.path, self.line, self.template, self.expression = path, line, template, expression
        self._compiled: regex.Pattern | None = None

    def compile(self) -> regex.Pattern:
        if self._compiled is None:
            self._compiled = _compiled(self.path, self.line, self.template, self.expression)
        return self._compiled

    @property
    def groupindex(self) -> dict[str, int]:
        return self.compile().groupindex

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> regex.Match | None:
        return self.compile().match(text, pos, len(text) if endpos is None else endpos)

    def finditer(self, text: str) -> Iterator[regex.Match]:
        return self.compile().finditer(text)

    def __eq__(self, other: object) -> bool:  # compiled or not, the same expression is the same pattern
        return isinstance(other, Pattern) and other.expression == self.expression

    def __hash__(self) -> int:
        return hash(self.expression)

    def __repr__(self) -> str:
        return f"Pattern({self.expression!r})"


def compile_template(path: Path, number: int, template: str, tables: dict[str, dict[str, str]]) -> Pattern:
    """The template's pattern: its macros expanded (an unknown one raises here), compiled on first use."""
    return Pattern(path, number, template, _expanded(path, number, template, tables))


def _expanded(path: Path, number: int, template: str, tables: dict[str, dict[str, str]]) -> str:
    """The regular expression a template stands for, its macros expanded (not compiled yet:
    compiling is most of the cost of reading the rules)."""
    pieces = []
    position = 0
    for match in _MACRO.finditer(template):
        pieces.append(_literal(template[position : match.start()], first=position == 0))
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


_NAMED_GROUP = stdlib_re.compile(r"\(\?P<\w+>")


def gate(path: Path, number: int, head: str, tails: tuple[str, ...], tables: dict[str, dict[str, str]]) -> Pattern:
    """One pattern, without groups, of the branches of every pattern that starts with ``head``
    (see :func:`head_and_tails`): it matches wherever one of them does."""
    template = head + "(?:" + "|".join(f"(?:{tail})" for tail in tails) + ")"
    return Pattern(path, number, template, _NAMED_GROUP.sub("(?:", _expanded(path, number, template, tables)))


# A head: a macro, alone or in a group, or a word whose first letter is a class ("[Tt]he")
_HEAD = stdlib_re.compile(r"\(\?:(\{\w+\})\)|\{\w+\}|\[\w\w\]\w+")


def head_and_tails(template: str) -> tuple[str, tuple[str, ...]]:
    """The head every top-level branch of ``template`` starts with, and what follows it in each;
    ("", ()) if they differ or one has none.

    >>> head_and_tails("{number}-{adjective_unit}(?:-long)?|{number} {adjective_unit}(?:-| )long")
    ('{number}', ('-{adjective_unit}(?:-long)?', ' {adjective_unit}(?:-| )long'))
    >>> head_and_tails("(?:{number}) {unit} ago")
    ('{number}', (' {unit} ago',))
    >>> head_and_tails("[Tt]he (?:next|following) {season}|the {season}")
    ('', ())
    """
    heads, tails = set(), []
    for branch in _top_level_branches(template):
        match = _HEAD.match(branch)
        if not match or _quantified(branch, match.end()) or branch[match.end() : match.end() + 1] == "+":
            return "", ()
        heads.add(match[1] or match[0])
        tails.append(branch[match.end() :])
    return (heads.pop(), tuple(tails)) if len(heads) == 1 else ("", ())


def _literal(piece: str, *, first: bool = False) -> str:
    """Template text as a regular expression; a pattern's lower-case first letter may be a capital."""
    if first and piece[:1].isalpha() and piece[:1].islower():
        piece = f"[{piece[0]}{piece[0].upper()}]" + piece[1:]
    return piece.replace(" ", _SPACE).replace("~", _OPTIONAL_SPACE)


def first_macros(template: str) -> tuple[tuple[str, ...], int]:
    r"""What a match of ``template`` can start with, and how many optional words may precede it: macro
    names, and "=word" for a literal word (see :class:`~geo.timeline.starts.StartIndex`); empty if unknown.
    A start that no word character can follow in a match ends with WHOLE: only a form that ends a word
    can start the match there ("a" starts "and", but "a year" is no "and year"). Literal words that
    follow one another make one start ("=the same$"): "the" stands in every sentence, "the same" seldom.

    >>> first_macros("(?<={month_cue} ){month}(?! \\d)")
    (('month$',), 0)
    >>> first_macros("(?:de[nr] )?(?:frühen )?{part_of_day} des {day}")
    (('part_of_day$',), 2)
    >>> first_macros("(?:{month}|{season}) des Jahres|{day}. Tag")
    (('month$', 'season$', 'day'), 0)
    >>> first_macros("[Tt]he {direction} {unit}|(?:[Ee]arlier|later)(?:st)? that {unit}")
    (('=the$', '=earlier', '=later'), 0)
    >>> first_macros("(?:[Tt]he|[Tt]hat) (?:very )?same {unit}|(?<=\\b[Ff]or )the (?P<unit>year|week)")
    (('=the very same$', '=the same$', '=that very same$', '=that same$', '=the year$', '=the week$'), 0)
    >>> first_macros("{part_of_day}s|[Jj]ahre?s? {number}")
    (('part_of_day', '=jahr'), 0)
    >>> first_macros("(?:an|a) (?P<unit>hour|week)")  # a word of one letter: only with the words after it
    (('=an hour$', '=an week$', '=a hour$', '=a week$'), 0)
    >>> first_macros("\\d+ times")
    ((), 0)
    """
    starts: list[str] = []
    lead = 0
    for branch in _top_level_branches(template):
        branch, words = _without_leading_lookbehinds(branch), 0
        while branch.startswith("(?:"):
            end = _group_end(branch)
            if branch[end + 1 : end + 2] != "?":
                break
            words += branch[3:end].count(" ")  # each optional word ends with its space
            branch = branch[end + 2 :]
        found = _starts_of(branch)
        if not found:
            return (), 0
        starts.extend(found)
        lead = max(lead, words)
    return tuple(dict.fromkeys(starts)), lead


WHOLE = "$"  # marks a start that must end its word (see first_macros)
_LEADING_WORD = regex.compile(r"(?:\[(\p{L})(\p{L})\])?(\p{L}+)")


def _starts_of(piece: str, after: str = "") -> list[str]:
    """The macros or "=word"s a (mandatory) piece of a template starts with; empty if unknown.
    ``after``: what follows the piece in its branch (the rest of the branch after a group)."""
    group = _GROUP.match(piece)  # "(?:", or a group that captures: "(?P<unit>year|week)"
    if group:
        end = _group_end(piece)
        if _quantified(piece, end + 1) or piece[end + 1 : end + 2] == "+":
            return []
        rest = piece[end + 1 :] + after
        options = [_starts_of(option, rest) for option in _top_level_branches(piece[group.end() : end])]
        return [start for option in options for start in option] if all(options) else []
    macro = _MACRO.match(piece)
    if macro:
        if _quantified(piece, macro.end()):
            return []
        whole = macro[1] not in NUMBER_MACROS and _no_word_at(piece[macro.end() :] + after)
        return [macro[1] + WHOLE if whole else macro[1]]
    word = _LEADING_WORD.match(piece)
    if not word or (word[1] and word[1].lower() != word[2].lower()):
        return []
    letters = (word[1] or "").lower() + word[3]  # "[Tt]he": "the", which also matches "The"
    if _quantified(piece, word.end()):
        letters = letters[:-1]  # "Jahre?s?": the word starts "Jahr"
    elif _no_word_at(piece[word.end() :] + after):
        following = _following_words(piece[word.end() :] + after)
        if following:  # "a week" is rare where "a" is not
            return [f"={letters} {words[1:]}" for words in following]
        return ["=" + letters + WHOLE] if len(letters) >= 2 else []
    return ["=" + letters] if len(letters) >= 2 else []


def _following_words(rest: str) -> list[str]:
    """The "=word"s that follow a literal word across one space in every match ("[Tt]he latest
    {unit}": "latest"), so that the pattern is tried only where both words stand (a dozen patterns
    start with "the", a word of every sentence); empty if a macro, a class or anything else may come.

    >>> _following_words(" (?:very )?same {unit}")
    ['=very same$', '=same$']
    >>> _following_words(" (?:{mod} )?{part_of_day}"), _following_words("~latest"), _following_words(" [a-z]+")
    ([], [], [])
    """
    if rest[:1] != " " or _quantified(rest, 1) or rest[1:2] == "+":
        return []
    rest = rest[1:]
    if rest.startswith("(?:") and rest[_group_end(rest) + 1 : _group_end(rest) + 2] == "?":
        end = _group_end(rest)  # "(?:very )?same": "very same" or "same"
        options = [_starts_of(option + rest[end + 2 :]) for option in _top_level_branches(rest[3:end])]
        options.append(_starts_of(rest[end + 2 :]))
    else:
        options = [_starts_of(rest)]
    found = [start for option in options for start in option]
    return found if all(options) and all(start.startswith("=") for start in found) else []


_SPECIAL = "\\.^$*+?{}[]|()~"  # the characters of a template that stand for more than themselves
_WORD_CHAR = regex.compile(r"\w")
_GROUP = regex.compile(r"\((?:\?:|\?P<\w+>|(?!\?))")
_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")


def _no_word_at(rest: str) -> bool:
    r"""Whether a match of ``rest`` (the end of a branch) surely starts with no word character; at
    the end of a branch, the right edge of every pattern allows none.

    >>> [_no_word_at(rest) for rest in ("", " {unit}", ",? {year}", "(?:-| )long", "(?! \\d)~-", "\\.")]
    [True, True, True, True, True, True]
    >>> [_no_word_at(rest) for rest in ("s", "~{unit}", "(?:st)?", "(?:-|er)", "[ -]", "\\d", "{unit}")]
    [False, False, False, False, False, False, False]
    """
    if not rest:
        return True
    escaped = rest[0] == "\\" and rest[1:2] in _SPECIAL  # "\\." is a dot
    width = 2 if escaped else 1
    if escaped or (rest[0] not in _SPECIAL and not _WORD_CHAR.match(rest[0])):  # a space, "-", "/", "½"...
        if _quantified(rest, width):  # "?" or "*": the character may be left out
            return rest[width] in "?*" and _no_word_at(rest[width + 1 :])
        return True
    if rest[0] == "~":  # optional white space
        return _no_word_at(rest[1:])
    if rest.startswith(_LOOKAROUND):  # it takes no character
        end = _group_end(rest)
        return not _quantified(rest, end + 1) and _no_word_at(rest[end + 1 :])
    group = _GROUP.match(rest)
    if group is None:
        return False
    end = _group_end(rest)
    options, after = _top_level_branches(rest[group.end() : end]), rest[end + 1 :]
    if _quantified(rest, end + 1):
        return (
            rest[end + 1] in "?*"
            and _no_word_at(rest[end + 2 :])
            and all(_no_word_at(o + rest[end + 2 :]) for o in options)
        )
    return rest[end + 1 : end + 2] != "+" and all(_no_word_at(option + after) for option in options)


def _quantified(template: str, index: int) -> bool:
    """Whether a quantifier that allows zero ("?", "*", "{0,2}") follows at ``index``."""
    return template[index : index + 1] in ("?", "*") or (
        template[index : index + 1] == "{" and template[index + 1 : index + 2].isdigit()
    )


def _group_end(template: str) -> int:
    """The index of the ")" that closes the group opened at index 0."""
    for index, char, depth in _outside_classes(template):
        if char == ")" and depth == 1:
            return index
    return len(template)


def required_words(template: str) -> tuple[str, ...]:
    """The longest literal word each top-level branch of ``template`` must match, lower-cased; empty
    when a branch has none (only macros, classes or optional parts).

    >>> required_words("{ordinal} Quartals?(?: {year})?")
    ('quartal',)
    >>> required_words("(?:tags|Tags) zuvor|(?:de[nm] )?Vortag")
    ('zuvor', 'vortag')
    >>> required_words("{number} {unit}")
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


def _outside_classes(template: str) -> Iterator[tuple[int, str, int]]:
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
    if template[index : index + 1] == "^":
        index += 1
    if template[index : index + 1] == "]":
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
                template = template[index + 1 :]
                break
        else:
            return template
    return template
