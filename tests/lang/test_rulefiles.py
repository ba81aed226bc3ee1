"""Tests for geo.lang.rulefiles: reading and checking the rule files of data/<lang>/."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.lang import DATA_DIR, add_data_dir, remove_data_dir
from geo.lang import rulefiles as langdata


def test_weekdays_content() -> None:
    assert langdata.weekday_names("de")["Dienstag"] == 2 and langdata.weekday_names("en")["Sunday"] == 7
    assert langdata.month_names("en")["Sept."] == 9


def test_months_content() -> None:
    german, english = langdata.load_months("de"), langdata.load_months("en")
    assert german["märz"] == german["maerz"] == 3 and german["sept."] == german["sep"] == 9
    assert english["sept."] == english["september"] == 9 and english["jan."] == 1
    assert langdata.load_months("xx")["januar"] == langdata.load_months("xx")["january"] == 1


def test_rule_files_open_with_purpose_and_format() -> None:
    for path in sorted(DATA_DIR.glob("*/abbreviations.txt")) + sorted(DATA_DIR.glob("*/months.tsv")):
        head = path.read_text(encoding="utf-8").splitlines()[:5]
        assert head[0].startswith("# ") and any("FORMAT" in line for line in head), path


def test_bad_rule_line_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "zz").mkdir()
    (tmp_path / "zz" / "language.toml").write_text('name = "Testish"\n', encoding="utf-8")
    (tmp_path / "zz" / "abbreviations.txt").write_text("# comment\nDr.\nno period here\n", encoding="utf-8")
    (tmp_path / "zz" / "months.tsv").write_text("# comment\n13\tSmarch\n", encoding="utf-8")
    add_data_dir(tmp_path)
    try:
        with pytest.raises(langdata.LanguageDataError, match=r"abbreviations\.txt:3: bad line 'no period here'"):
            langdata.load_abbreviations("zz")
        with pytest.raises(langdata.LanguageDataError, match=r"months\.tsv:2: bad line"):
            langdata.load_months("zz")
    finally:
        remove_data_dir(tmp_path)


def test_abbreviation_file_flags() -> None:
    german = langdata.load_abbreviations("de")
    assert german.ordinals and "z. B." in german.never_end and "usw." in german.may_end
    english = langdata.load_abbreviations("en")
    assert not english.ordinals and "U.S." in english.never_end and "etc." in english.may_end


def test_no_clock_in_module() -> None:
    source = Path(langdata.__file__).read_text(encoding="utf-8")
    assert "now(" not in source and "today(" not in source
