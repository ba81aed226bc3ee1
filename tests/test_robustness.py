"""Nothing a user sends crashes a command or loses another document (issue 23), across the CLI.

Each command gets one good article beside hostile input, drawn by Hypothesis (random bytes, random
Unicode, random JSON) or written out (the classes of input the robustness review found): the good
article's Story is always there, and each bad input gets exactly one ``dateline:`` line that names
it, never a traceback. The readers, the Story reader, batch's pool and the stores have their own
fuzz tests beside their modules; this module checks the commands end to end.
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import batch
from geo.__main__ import main

GOOD = "Der Sonderzug fuhr am 12. September 2023 von Pjöngjang nach Wladiwostok, rund 1000 Kilometer."

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
RECORDS = JSON | st.fixed_dictionaries({"text": JSON}) | st.fixed_dictionaries({"text": st.text(max_size=300)})

HOSTILE_LINES = [
    "[" * 100_000 + "]" * 100_000,  # nested too deeply for any reader
    '{"id": ' + "9" * 5_000 + ', "text": "Berlin"}',  # more digits than Python reads
    '{"id": "lone", "text": "Berlin \\ud800 und Wien"}',  # a lone surrogate in the text
    '{"id": "deep-html", "html": "' + "<div>" * 100_000 + 'Berlin"}',
    '{"id": "ad1", "text": "Im Jahr 1 n. Chr. geschah es. Zwei Jahre zuvor war Ruhe.", "published": "0001-01-01"}',
    '{"id": "ad9999", "text": "In 9999 AD it was quiet. Two years later it rained.", "lang": "en"}',
    '{"id": "text-as-number", "text": 12}',
    "\x00\x01\x02 not json at all",
]
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def assert_one_line_each(err: str, names: list[str]) -> None:
    """One ``dateline:`` line per bad input, naming it; no traceback."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if not line.startswith("dateline: wrote")]
    assert all(line.startswith("dateline: ") for line in lines), lines
    for name in names:
        assert sum(name in line for line in lines) == 1, (name, lines)


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    path = tmp_path_factory.mktemp("good") / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


@SETTINGS
@given(content=st.binary(max_size=3_000) | st.text(max_size=3_000).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_extract_keeps_the_good_article_beside_any_file(tmp_path, good, full_gazetteer, content):
    bad = tmp_path / "hostile.txt"
    bad.write_bytes(content)
    code, out, err = run(["extract", str(good), str(bad)])
    stories = json.loads(out)
    assert stories[0]["id"] == "good.txt" and {p["name"] for p in stories[0]["places"]} >= {"Pyongyang"}
    if code == 1:  # refused (binary, empty, undecodable ...): one line that names the file
        assert len(stories) == 1
        assert_one_line_each(err, ["hostile.txt"])
    else:
        assert code == 0 and len(stories) == 2 and "Traceback" not in err


@SETTINGS
@given(records=st.lists(RECORDS, min_size=1, max_size=5))
def test_extract_jsonl_keeps_every_good_record_beside_any_json(tmp_path, full_gazetteer, records):
    lines = [json.dumps({"id": "good-1", "text": GOOD})]
    lines += [json.dumps(record) for record in records]
    lines.append(json.dumps({"id": "good-2", "text": GOOD}))
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(["extract", "--jsonl", str(source)])
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert ids[0] == "good-1" and ids[-1] == "good-2"
    refused = [n for n in range(2, len(lines)) if f"in.jsonl:{n}:" in err]
    assert len(ids) + len(refused) == len(lines) and (code == 1) == bool(refused)
    assert_one_line_each(err, [f"in.jsonl:{n}:" for n in refused])


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory):
    """The review's classes of hostile records between good ones, and a Story for each of them."""
    lines = [json.dumps({"id": "good-1", "text": GOOD}), *HOSTILE_LINES, json.dumps({"id": "good-2", "text": GOOD})]
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n")
    return path, len(lines)


def test_extract_jsonl_reads_past_every_hostile_line(hostile_corpus, full_gazetteer):
    path, count = hostile_corpus
    code, out, err = run(["extract", "--jsonl", str(path)])
    stories = [json.loads(line) for line in out.splitlines()]
    ids = [story["id"] for story in stories]
    assert ids[0] == "good-1" and ids[-1] == "good-2" and code == 1
    refused = [n for n in range(1, count + 1) if f"corpus.jsonl:{n}:" in err]
    assert len(ids) + len(refused) == count
    assert_one_line_each(err, [f"corpus.jsonl:{n}:" for n in refused])
    json.dumps(stories, ensure_ascii=False).encode("utf-8")  # every Story can be written out


def test_batch_reads_past_every_hostile_line(hostile_corpus, tmp_path, full_gazetteer):
    path, count = hostile_corpus
    output = tmp_path / "out.parquet"
    code, _out, err = run(["batch", str(path), "-o", str(output), "--workers", "1", "--no-progress"])
    assert code == 0 and "Traceback" not in err
    documents = batch.read(output)["documents"]
    assert len(documents) == count  # every line is a row: analysed or an error with its reason
    ok = documents[documents["status"] == "ok"]
    assert {"good-1", "good-2"} <= set(ok["doc_id"])
    errors = documents[documents["status"] == "error"]
    assert all(isinstance(e, str) and e and "\n" not in e for e in errors["error"])


@SETTINGS
@given(content=st.binary(max_size=2_000) | JSON.map(lambda value: json.dumps(value).encode()))
def test_map_and_export_refuse_any_story_file_in_one_line(tmp_path, content):
    story = tmp_path / "story.json"
    story.write_bytes(content)
    for argv in (
        ["map", str(story), "-o", str(tmp_path / "map.html")],
        *(
            ["export", str(story), "--format", fmt, "-o", str(tmp_path / f"out.{fmt}")]
            for fmt in ("geojson", "kml", "json")
        ),
        ["export", str(story), "--format", "csv", "--table", "places", "-o", str(tmp_path / "out.csv")],
    ):
        code, _out, err = run(argv)
        assert code == 1, argv
        assert_one_line_each(err, ["story.json"])
