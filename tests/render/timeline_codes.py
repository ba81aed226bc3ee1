"""A Story whose events carry every kind of TIMEX3 value a reader must never see as a code, and the
check that a text shows none of them: no PAST_REF, no XXXX, no week or part-of-day code, and no
first day of a period the text gave only as a year or a month ("2019-01-01" for 2019)."""

from __future__ import annotations

import re

from geo.model import Event, Story
from tests.stories import ANADYR, NOME, story_of

RAW_CODE = re.compile(r"PAST_REF|PRESENT_REF|FUTURE_REF|XXXX|-W(?:\d\d|XX)|T(?:MO|MI|AF|EV|NI|DT)\b")
PLACES = (ANADYR.id, NOME.id)


def _event(text: str, value: str, start: str | None, end: str | None, mod: str | None = None) -> Event:
    return Event(text, 0, len(text), value, start, end, f"They met {text}.", PLACES, mod=mod)


def coded_story() -> Story:
    """Events without labels (a Story from before labels): the writers must word them themselves."""
    events = [
        _event("in 2019", "2019", "2019-01-01", "2019-12-31"),
        _event("in April 2019", "2019-04", "2019-04-01", "2019-04-30"),
        _event("early 2020", "2020", "2020-01-01", "2020-04-30", mod="START"),
        _event("years ago", "PAST_REF", None, None),
        _event("in the coming days", "FUTURE_REF", None, None),
        _event("on Monday", "XXXX-WXX-1", None, None),
        _event("last week", "2024-W17", "2024-04-22", "2024-04-28"),
        _event("on Friday morning", "2024-05-03TMO", "2024-05-03", "2024-05-03"),
        _event("in the 1990s", "199", "1990-01-01", "1999-12-31"),
    ]
    return story_of(ANADYR, NOME, events=events)


INVENTED_DAYS = ("2019-01-01", "2019-04-01", "2019-12-31", "2020-01-01", "2024-04-22", "1990-01-01")


def codes_shown(text: str) -> list[str]:
    """The raw codes and invented days in ``text`` (empty: a reader sees only words)."""
    return RAW_CODE.findall(text) + [day for day in INVENTED_DAYS if day in text]
