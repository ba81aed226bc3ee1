"""What every reader of a format gives back: the readable text, a title, a date from the metadata.

Why a shape of its own: HTML, Markdown, Word and PDF readers each return it, and
:mod:`geo.read.document` turns any of them into a :class:`~geo.read.document.Document` the same way.
"""

from __future__ import annotations

import datetime

__all__ = ["Extracted", "clean_title"]

Extracted = tuple[str, str | None, datetime.date | None]  # (readable text, title, metadata date)


def clean_title(title: str | None) -> str | None:
    """A title on one line with single spaces; None if there is none."""
    return " ".join(title.split()) or None if title else None
