"""What the timeline tests share: a pinned publication date and the (text, value) pairs of a tagging."""

from __future__ import annotations

import datetime

from geo.timeline.events import tag_text

TUESDAY = datetime.date(2023, 9, 12)


def values(text: str, language: str = "de", published=TUESDAY, **options) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in tag_text(text, language, published, **options)]
