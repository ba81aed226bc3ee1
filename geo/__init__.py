"""Dateline: turn a news article into a map and a timeline.

The public API::

    import geo

    story = geo.analyse(text_or_document, geo.Options(language="auto", router=None))

``analyse`` (:func:`geo.pipeline.analyse`) runs the whole flow; ``Options`` says how; ``Story`` (from
:mod:`geo.model`) is what it returns; every error Dateline raises on purpose derives from
``DatelineError`` (:mod:`geo.errors`). ``analyse``, ``Options`` and ``Story`` are imported on first
use (PEP 562): ``import geo``, which every ``geo.*`` import runs first, stays cheap for the CLI's cold start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geo.errors import DatelineError

if TYPE_CHECKING:
    from geo.model import Story
    from geo.pipeline import Options, analyse

__version__ = "0.1.0"
__all__ = ["analyse", "Options", "Story", "DatelineError", "__version__"]

_LAZY = {"analyse": "geo.pipeline", "Options": "geo.pipeline", "Story": "geo.model"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value  # the next lookup does not come here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
