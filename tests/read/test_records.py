"""JSON Lines records (geo/read/records.py): each line read on its own, each problem said in one line."""

from __future__ import annotations

from pathlib import Path

from geo.pipeline import Options
from geo.read.records import jsonl_records, record_document


def test_each_line_is_a_record_or_a_one_line_problem(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        b'{"id": "a", "text": "Berlin"}\n'
        b"\n"
        b"not json\n"
        b'["a list"]\n'
        b'{"id": "b", "html": "<p>Wien</p>", "lang": "de"}\n'
        b'{"id": "c", "text": "x", "published": 2023}\n'
        b'{"id": "d", "text": "\xff"}\n'
    )
    rows = list(jsonl_records(str(source)))
    assert [(number, problem is None) for number, _record, problem in rows] == [
        (1, True),
        (3, False),
        (4, False),
        (5, True),
        (6, False),
        (7, False),
    ]
    problems = {number: problem for number, _record, problem in rows}
    assert problems[3].startswith("not JSON") and "JSON object" in problems[4]
    assert problems[6] == '"published" must be a string, not int' and problems[7].startswith("not UTF-8")


def test_a_missing_file_is_line_zero(tmp_path: Path) -> None:
    [(number, record, problem)] = list(jsonl_records(str(tmp_path / "missing.jsonl")))
    assert (number, record) == (0, None) and problem.startswith("cannot read file")


def test_a_records_own_language_and_date_win_over_the_options() -> None:
    options = Options(language="en", published="2020-01-01")
    document = record_document(
        {"text": "Am 3. Mai fuhr sie nach Wien.", "lang": "de", "published": "2023-09-12"}, options, "in.jsonl:1"
    )
    assert (document.language, str(document.published)) == ("de", "2023-09-12")
    html = record_document({"html": "<html><body><p>She flew to Vienna.</p></body></html>"}, options, "in.jsonl:2")
    assert html.language == "en" and "Vienna" in html.text and str(html.published) == "2020-01-01"
