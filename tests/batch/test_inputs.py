"""The inputs: files, folders, globs and JSON Lines in a stable order with paths as ids, documents
already done and repeated ids passed over, and a large input streamed rather than loaded whole."""

from __future__ import annotations

import json
import tracemalloc

from geo.batch.inputs import Inputs


def test_inputs_are_found_in_a_stable_order_with_paths_as_ids(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Wien", encoding="utf-8")
    (tmp_path / "b" / "1.md").write_text("Wien", encoding="utf-8")
    (tmp_path / "b" / ".hidden.txt").write_text("Wien", encoding="utf-8")
    (tmp_path / "b" / "data.csv").write_text("Wien", encoding="utf-8")
    (tmp_path / "a.html").write_text("<p>Wien</p>", encoding="utf-8")
    (tmp_path / "list.jsonl").write_text('{"id": "r1", "text": "Wien"}\n{"text": "Graz"}\n', encoding="utf-8")
    found = list(Inputs([str(tmp_path / "b"), str(tmp_path / "*.html"), str(tmp_path / "list.jsonl")]))
    assert [item.id for item in found] == [
        (tmp_path / "b" / "1.md").as_posix(),
        (tmp_path / "b" / "2.txt").as_posix(),
        (tmp_path / "a.html").as_posix(),
        "r1",
        f"{tmp_path / 'list.jsonl'}:2",
    ]
    assert [item.position for item in found] == [0, 1, 2, 3, 4]
    assert found[0].data == b"Wien" and found[3].text == "Wien"


def test_done_and_repeated_ids_are_passed_over(tmp_path):
    (tmp_path / "list.jsonl").write_text(
        '{"id": "a", "text": "Wien"}\n{"id": "b", "text": "Graz"}\n{"id": "a", "text": "Linz"}\n', encoding="utf-8"
    )
    warnings = []
    inputs = Inputs([str(tmp_path / "list.jsonl")], done={"b"}, warn=warnings.append)
    assert [(item.id, item.text, item.position) for item in inputs] == [("a", "Wien", 0)]
    assert inputs.skipped == 1 and inputs.count() == 3
    assert len(warnings) == 1 and "'a' was used before" in warnings[0]


def test_inputs_are_streamed_not_loaded_whole(tmp_path):
    line = json.dumps({"text": "Der Zug fuhr von Berlin nach Wien. " * 110}) + "\n"  # about 4 KB
    with (tmp_path / "many.jsonl").open("w", encoding="utf-8") as handle:
        for _ in range(5000):
            handle.write(line)
    tracemalloc.start()
    try:
        count = sum(1 for _ in Inputs([str(tmp_path / "many.jsonl")]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 5000
    assert peak < 3_000_000, f"{peak:,} bytes held for a {5000 * len(line):,}-byte input"
