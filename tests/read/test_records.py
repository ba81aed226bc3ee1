"""JSON Lines records (geo/read/records.py): each line read on its own, each problem said in one line."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import DatelineError
from geo.pipeline import Options
from geo.read import records
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


def write_lines(tmp_path: Path, *lines: bytes) -> str:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    return str(source)


def test_a_line_json_cannot_read_is_its_own_problem_and_the_lines_after_it_are_read(tmp_path: Path) -> None:
    good = b'{"id": "ok", "text": "Berlin"}'
    path = write_lines(
        tmp_path,
        b"[" * 100_000 + b"]" * 100_000,  # RecursionError in json.loads
        good,
        b'{"id": "x", "text": ' + b'{"a": ' * 100_000,
        good,
        b'{"id": 1' + b"7" * 5_000 + b', "text": "Wien"}',  # ValueError: over the int-str digit limit
        good,
    )
    rows = list(jsonl_records(path))
    assert [number for number, _record, _problem in rows] == [1, 2, 3, 4, 5, 6]
    problems = {number: problem for number, _record, problem in rows if problem}
    assert set(problems) == {1, 3, 5}
    assert problems[1] == "not readable JSON (nested too deeply)" and "nested too deeply" in problems[3]
    assert problems[5] == f"not readable JSON (a number of more than {sys.get_int_max_str_digits():,} digits)"
    assert [record["id"] for number, record, _problem in rows if number % 2 == 0] == ["ok"] * 3


def test_lone_surrogates_in_a_record_become_replacement_characters(tmp_path: Path) -> None:
    path = write_lines(tmp_path, rb'{"id": "a\udc00", "text": "Kim fuhr nach Berlin \ud800.", "lang": "de"}')
    [(_number, record, problem)] = list(jsonl_records(path))
    assert problem is None and record["id"] == "a\ufffd" and record["text"] == "Kim fuhr nach Berlin \ufffd."
    document = record_document(record, Options(), "in.jsonl:1")
    assert document.text.encode("utf-8") == "Kim fuhr nach Berlin \ufffd.".encode()


def test_extract_jsonl_keeps_every_readable_record_and_writes_utf8(tmp_path: Path, full_gazetteer) -> None:
    from geo.__main__ import main

    path = write_lines(
        tmp_path,
        b"[" * 100_000,
        rb'{"id": "s\ud800", "text": "Kim fuhr von Berlin nach Wien \udfff."}',
        b'{"id": "n", "text": "' + b"1" * 5_000 + b'", "x": ' + b"9" * 5_000 + b"}",
        b'{"id": "last", "text": "Am Montag fuhr Kim nach Prag."}',
    )
    out, err = io.StringIO(), io.StringIO()
    assert main(["extract", "--jsonl", path], out, err) == 1
    stories = [json.loads(line) for line in out.getvalue().encode("utf-8").decode("utf-8").splitlines()]
    assert [story["id"] for story in stories] == ["s\ufffd", "last"]
    assert err.getvalue().count("\n") == 2 and "in.jsonl:1: not readable JSON" in err.getvalue()


def test_a_line_over_the_limit_is_refused_without_reading_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", 100)
    long_text = b'{"id": "long", "text": "' + b"Berlin " * 10_000 + b'"}'
    path = write_lines(
        tmp_path, long_text, b'{"id": "b", "text": "Wien"}', b'{"text": "' + b"x" * 88 + b'"}', long_text
    )
    rows = list(jsonl_records(path))
    assert [(number, problem) for number, _record, problem in rows] == [
        (1, "a line of more than 100 bytes is over the limit"),
        (2, None),
        (3, None),  # exactly at the limit: 100 bytes and its newline
        (4, "a line of more than 100 bytes is over the limit"),
    ]


# ------------------------------------------------------------------ fuzzing: no exception but ours

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=200)  # lone surrogates too
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT, children, max_size=4),
    max_leaves=12,
)
RECORDS = (
    st.fixed_dictionaries(
        {},
        optional={
            "id": ANY_TEXT | st.integers(),
            "text": ANY_TEXT,
            "html": ANY_TEXT.map(lambda text: f"<html><body><p>{text}</p></body></html>") | ANY_TEXT,
            "lang": st.sampled_from(["de", "en", "auto", "xx", "", "deu"]) | ANY_TEXT,
            "published": st.sampled_from(["2023-09-12", "0001-01-01", "9999-12-31", "2023-02-30"]) | ANY_TEXT,
            "url": ANY_TEXT,
        },
    )
    | JSON_VALUES
)


@given(lines=st.lists(st.binary(max_size=60) | RECORDS.map(lambda value: json.dumps(value).encode()), max_size=6))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_line_is_a_record_or_a_one_line_problem_and_a_record_a_document_or_our_error(
    tmp_path: Path, lines: list[bytes]
) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(b"\n".join(line.replace(b"\n", b" ") for line in lines))
    for _number, record, problem in jsonl_records(str(path)):
        assert (problem is None) <= isinstance(record, dict)
        strings = [value for value in (record or {}).values() if isinstance(value, str)]
        assert "".join(strings).encode("utf-8") is not None  # what a record gives (id, text ...) can be written
        if problem is not None:
            assert isinstance(problem, str) and "\n" not in problem
            continue
        try:
            document = record_document(record, Options(), "fuzz.jsonl:1")
        except DatelineError as error:
            assert "\n" not in str(error)
            continue
        assert f"{document.text}{document.title}{document.source}".encode()
