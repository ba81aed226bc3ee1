"""Tests for geo.lang.cldr: the files generated from CLDR are committed as generated."""

from __future__ import annotations

import pytest

from geo.lang import DATA_DIR, cldr


@pytest.mark.parametrize("lang", cldr.languages())
@pytest.mark.parametrize("name", sorted(cldr.GENERATED_FILES))
def test_generated_files_are_regenerated_identically(lang: str, name: str) -> None:
    committed = (DATA_DIR / lang / name).read_text(encoding="utf-8")
    assert committed == cldr.GENERATED_FILES[name](lang), "run: python -m geo.lang.cldr"
