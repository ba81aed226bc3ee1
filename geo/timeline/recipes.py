"""Recipes: what a matched pattern of ``data/<lang>/timex.txt`` makes of its captured parts.

Each pattern names a recipe (its fourth column, with arguments: "shift -1", "= PRESENT_REF"). A
recipe turns the captured parts of a match, already read as numbers or table codes, into a finished
TIMEX3 value, or a :class:`Pending` expression that anchoring resolves later ("vor vier Jahren":
four years before the reference); None when the parts make no date ("31. Februar"). The grammar
accepts exactly the recipe names of :data:`RECIPES`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from geo.timeline.values import BC_OFFSET, LAST_AD_YEAR, duration_value, format_fields, half_more_duration

__all__ = ["RECIPES", "Made", "Pending", "Recipe"]


@dataclass(frozen=True)
class Pending:
    """A relative expression before anchoring: what to count from, by how much, at which granularity.

    ``kind``: partial (a month or day without its year), shift (from the reference date: "vor vier
    Jahren"), later (from the last date the text gave: "zwei Tage später"), this ("vergangene
    Woche"), same ("im selben Monat"), day ("gestern"), weekday ("am Dienstag"), vague ("in den
    kommenden Tagen": FUTURE_REF in news, some days after the story's date in a narrative), latest
    ("the latest quarter": the last one the text named, else the last whole one before the date),
    weekend ("over the weekend": the last or the coming one, as the tense says).
    """

    kind: str
    unit: str = "D"
    amount: int | None = 0
    fields: tuple[tuple[str, int | str], ...] = ()
    tense: str | None = None  # past or future (the clause's), last, this or next (the text's word)
    sign: int = 1  # the direction of a shift whose amount is unknown ("wenige Tage später")
    period: bool = False  # names a whole period ("im Vorjahr"), not a point some time later

    def field(self, name: str) -> int | str | None:
        return dict(self.fields).get(name)


# (finished value, None) or (None, Pending); None when the captured parts make no date.
Made = tuple[str | None, Pending | None] | None
_DATE_FIELDS = ("year", "month", "day", "season", "quarter", "week", "part", "hour", "minute", "holiday")


def _fields(groups: dict[str, int | str]) -> tuple[tuple[str, int | str], ...]:
    fields = {name: groups[name] for name in _DATE_FIELDS if name in groups}
    if "ordinal" in groups and "quarter" not in fields:
        fields["quarter"] = groups["ordinal"]
    return tuple(fields.items())


def _date_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    if "decade" in groups:
        digits = str(groups["decade"])
        return (digits[:3] if len(digits) == 4 else "19" + digits[0]), None
    if "decade_word" in groups:
        return f"19{groups['decade_word']}", None
    if "year_hundreds" in groups:  # "nineteen ninety-six", read out as a broadcast says it
        groups = {**groups, "year": int(groups["year_hundreds"]) * 100 + int(groups.get("year_tail", 0))}
    if "bc_year" in groups or "year" in groups:
        year = _calendar_year(groups)
        if year is None:
            return None
        groups = {**groups, "year": year}
    if "ordinal" in groups and "century" in args:
        return ("BC" if "bc" in args else "") + f"{int(groups['ordinal']) - 1:02d}", None
    fields = dict(_fields(groups))
    if not _valid_fields(fields):
        return None
    if "year" in fields:
        return format_fields(fields), None
    tense = {-1: "last", 0: "this", 1: "next"}.get(int(groups["direction"])) if "direction" in groups else None
    return None, Pending("partial", fields=tuple(fields.items()), tense=tense)


def _calendar_year(groups: dict[str, int | str]) -> int | None:
    """The year as the calendar keeps it (a year before Christ as ``BC_OFFSET - n``, see
    :func:`~geo.timeline.values.year_text`); None for one it does not hold (AD 0, AD 7000 and
    later, BC 3001 and earlier), which would otherwise read as a year of the other era."""
    if "bc_year" in groups:
        before_christ = int(groups["bc_year"])
        return BC_OFFSET - before_christ if 1 <= before_christ < BC_OFFSET - LAST_AD_YEAR else None
    year = int(groups["year"])
    return year if 1 <= year <= LAST_AD_YEAR else None


def _valid_fields(fields: dict[str, int | str]) -> bool:
    if "day" in fields and "month" not in fields:
        return False
    if "quarter" in fields and not 1 <= int(fields["quarter"]) <= 4:
        return False
    if "day" in fields and "month" in fields:
        try:
            datetime.date(int(fields.get("year", 2000)), int(fields["month"]), int(fields["day"]))
        except ValueError:
            return False
    return True


def _signed(args: tuple[str, ...], default: int) -> int:
    return int(args[0]) if args and args[0].lstrip("+-").isdigit() else default


def _amount_unit(groups: dict[str, int | str], default_unit: str = "D") -> tuple[int | None, str]:
    """Number and unit, a unit like "6M" (half a year) multiplying the number; None for "mehrere"."""
    unit = str(groups.get("unit", default_unit))
    number = groups.get("number", 1)
    multiple = 1
    if unit[:1].isdigit():
        digits = len(unit) - len(unit.lstrip("0123456789"))
        multiple, unit = int(unit[:digits]), unit[digits:]
    return (None if number == "X" else int(number) * multiple), unit


def _shift_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    return _shifted("shift", groups, args)


def _later_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    return _shifted("later", groups, args)


def _shifted(kind: str, groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    amount, unit = _amount_unit(groups, args[1] if len(args) > 1 else "D")
    sign = _signed(args, 1)
    return None, Pending(
        kind, unit, None if amount is None else amount * sign, _fields(groups), sign=sign, period=len(args) > 1
    )


def _this_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    unit = str(groups.get("unit", args[0] if args else "Y"))
    return None, Pending("this", unit, int(groups.get("direction", 0)), _fields(groups))


def _same_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    unit = str(groups.get("unit", args[0] if args else "D"))
    return None, Pending("same", unit, 0, _fields(groups))


def _weekend_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    return None, Pending("weekend", "WE", int(groups.get("direction", 0)))


def _latest_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    return None, Pending("latest", str(groups.get("unit", args[0] if args else "Q")), -1, _fields(groups))


def _day_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    offset = int(groups.get("day_word", _signed(args, 0)))
    return None, Pending("day", "D", offset, _fields(groups))


def _weekday_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    fields = _fields(groups) + (("weekday", int(groups["weekday"])), ("shift", _signed(args, 0)))
    tense = "past" if "past" in args else None  # "Thursday's close": known only once it happened
    return None, Pending("weekday", "D", int(groups.get("direction", 0)), fields, tense=tense)


def _ref_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    return str(groups["reference"]), None


def _vague_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    _, unit = _amount_unit(groups)
    return None, Pending("vague", unit, int(groups.get("direction", 0)))


def _duration_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    if "vague_duration" in groups:
        return str(groups["vague_duration"]), None
    if args == ("X",):
        groups = {**groups, "number": "X"}
    amount, unit = _amount_unit(groups)
    if args == ("half",):  # "two and a half years"; a unit without a whole half makes no value
        value = None if amount is None else half_more_duration(amount, unit)
        return None if value is None else (value, None)
    return duration_value(amount, unit), None


def _set_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    if "set_word" in groups:
        return str(groups["set_word"]), None
    if "weekday" in groups:  # "every Monday", "Tuesday nights"
        return f"XXXX-WXX-{groups['weekday']}" + (f"T{groups['part']}" if "part" in groups else ""), None
    if "month" in groups:  # "each July"
        return f"XXXX-{int(groups['month']):02d}", None
    if "part" in groups:
        return f"XXXX-XX-XXT{groups['part']}", None
    amount, unit = _amount_unit(groups)
    return duration_value(amount, unit), None


def _constant_recipe(groups: dict[str, int | str], args: tuple[str, ...]) -> Made:
    return args[0], None


Recipe = Callable[[dict[str, int | str], tuple[str, ...]], Made]
RECIPES: dict[str, Recipe] = {
    "date": _date_recipe,
    "shift": _shift_recipe,
    "later": _later_recipe,
    "this": _this_recipe,
    "same": _same_recipe,
    "latest": _latest_recipe,
    "weekend": _weekend_recipe,
    "day": _day_recipe,
    "weekday": _weekday_recipe,
    "ref": _ref_recipe,
    "vague": _vague_recipe,
    "duration": _duration_recipe,
    "set": _set_recipe,
    "=": _constant_recipe,
}
