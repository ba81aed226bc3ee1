"""The tables and the output folder: rows are the Story that ``extract`` gives, pieces of an
unfinished part are swept away, an output that is not a batch (or was made with other options) is
refused (tests/test_readme.py checks that docs/batch.md documents every column)."""

from __future__ import annotations

import json

import pytest

from geo import batch
from geo.batch.tables import META_FILE, Output
from geo.pipeline import Options, analyse

# --------------------------------------------------------------------------- what a run writes


def test_rows_are_the_story_that_extract_gives(corpus, one_worker):
    root, _ = corpus
    output, _ = one_worker
    tables = batch.read(output)
    record = json.loads((root / "records.jsonl").read_text(encoding="utf-8").splitlines()[4])
    story = analyse(
        record["text"],
        Options(language=record.get("lang", "auto"), published=record.get("published")),
        story_id=record["id"],
    ).to_dict()
    doc_id = record["id"]

    def rows(name: str) -> list[dict]:
        frame = tables[name][tables[name]["doc_id"] == doc_id]
        return json.loads(frame.to_json(orient="records"))

    document = rows("documents")[0]
    assert {key: document[key] for key in story["document"]} == story["document"]
    assert document["url"] == record["url"] and document["warnings"] == story["warnings"]
    assert [(p["id"], p["label"], p["lat"], p["lon"], p["confidence"], p["mentions"]) for p in rows("places")] == [
        (p["id"], p["label"], p["lat"], p["lon"], p["confidence"], len(p["mentions"])) for p in story["places"]
    ]
    assert [p["candidates"] for p in rows("places")] == [p["candidates"] for p in story["places"]]
    assert [(m["place_id"], m["start"], m["end"], m["text"]) for m in rows("mentions")] == [
        (p["id"], m["start"], m["end"], m["text"]) for p in story["places"] for m in p["mentions"]
    ]
    assert story["events"] and [{key: e[key] for key in story["events"][0]} for e in rows("events")] == story["events"]
    assert [(c["text"], c["from"], c["to"], c["computed_km"], c["verdict"]) for c in rows("claims")] == [
        (c["text"], c["from"], c["to"], c["computed_km"], c["verdict"]) for c in story["claims"]
    ]
    assert [(g["from"], g["to"], g["km"], g["mode"], g["path"]) for g in rows("legs")] == [
        (g["from"], g["to"], g["km"], g["mode"], g["path"]) for g in story["legs"]
    ]


def test_tables_hold_legs_routes_and_claims(one_worker):
    tables = batch.read(one_worker[0])
    assert len(tables["legs"]) and tables["legs"]["route_source"].notna().any()
    assert set(tables["claims"]["verdict"]) <= {"consistent", "inconsistent", "unverifiable"}
    assert len(tables["claims"]) and len(tables["events"]) and len(tables["mentions"]) > len(tables["places"])
    assert set(tables["mentions"]["doc_id"]) <= set(tables["documents"]["doc_id"])


# --------------------------------------------------------------------------- the output folder


def test_pieces_of_an_unfinished_part_are_swept_away(one_worker, tmp_path):
    output = tmp_path / "copy.parquet"
    for path in one_worker[0].rglob("*"):
        if path.is_file():
            (output / path.relative_to(one_worker[0])).parent.mkdir(parents=True, exist_ok=True)
            (output / path.relative_to(one_worker[0])).write_bytes(path.read_bytes())
    last = sorted((output / "documents").glob("part-*.parquet"))[-1]
    last.unlink()  # killed after writing the other tables of its part
    (output / "places" / "part-99999.tmp").write_bytes(b"half")
    assert batch.read(output)["places"]["doc_id"].isin(batch.read(output)["documents"]["doc_id"]).all()
    settings = json.loads((output / META_FILE).read_text())["settings"]
    Output.open(output, settings)
    assert not (output / "places" / last.name).exists() and not (output / "places" / "part-99999.tmp").exists()


def test_an_output_that_is_not_a_batch_is_refused(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Wien", encoding="utf-8")
    with pytest.raises(batch.BatchError, match="not a Dateline batch output"):
        batch.run([str(tmp_path / "a.txt")], tmp_path / "mine")
    with pytest.raises(batch.BatchError, match="is not a folder"):
        batch.run([str(tmp_path / "a.txt")], tmp_path / "a.txt")
    with pytest.raises(batch.BatchError, match="not a Dateline batch output"):
        batch.read(tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_resuming_with_other_options_is_refused(tmp_path, one_worker):
    (tmp_path / "a.txt").write_text("Wien", encoding="utf-8")
    with pytest.raises(batch.BatchError, match="made with other options"):
        batch.run([str(tmp_path / "a.txt")], one_worker[0], options=Options(language="de"))


def test_an_empty_output_reads_as_empty_tables(tmp_path):
    (tmp_path / "in").mkdir()
    summary = batch.run([str(tmp_path / "in")], tmp_path / "out.parquet", workers=1)
    tables = batch.read(tmp_path / "out.parquet")
    assert summary.documents == 0 and all(frame.empty for frame in tables.values())
    assert list(tables["places"].columns) == batch.SCHEMAS["places"].names
