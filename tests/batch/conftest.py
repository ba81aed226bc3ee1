"""The batch tests' corpus: a few hundred documents built from data/samples, some of them broken, and
its run on one local worker, which the other runs are compared with (one run for the session)."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
from pathlib import Path

import pandas as pd
import pytest

from geo import batch
from geo.batch import Summary
from geo.batch import pool as batch_pool
from geo.read.files import MAX_CHARS, MAX_FILE_BYTES_PER_CHAR
from tests.conftest import SAMPLES

SAMPLE_TEXTS = {path.stem: path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt"))}
DOCUMENTS_PER_FORMAT = 60  # four formats (txt, md, html, JSON Lines): 240 good documents


def _paragraphs(text: str) -> list[str]:
    return [block.strip() for block in text.split("\n\n") if block.strip()]


def _article(number: int) -> str:
    """A deterministic article made of two samples' paragraphs (facts from the samples, recombined)."""
    names = list(SAMPLE_TEXTS)
    first = _paragraphs(SAMPLE_TEXTS[names[number % len(names)]])
    second = _paragraphs(SAMPLE_TEXTS[names[(number * 7 + 3) % len(names)]])
    return "\n\n".join(first[: 2 + number % 3] + second[1 : 2 + number % 2])


BROKEN = {  # file or record -> the start of its error message
    "broken/empty.txt": "empty text",
    "broken/binary.txt": "looks like a binary file",
    "broken/huge-file.txt": "bytes is over the file size limit",
    "broken/too-long.txt": "characters is over the limit",
    "broken/records.jsonl:2": "not UTF-8",
    "broken/records.jsonl:3": "not JSON",
    "no-text": 'expected a "text" (or "html") string',
    "date-number": '"published" must be a string',
    "bad-date": "published date must be a real date",
}


def build_corpus(root: Path) -> list[str]:
    """Write the test corpus under ``root``; returns the ids of its good documents."""
    good = []
    for number in range(DOCUMENTS_PER_FORMAT):
        folder = root / "articles" / f"batch-{number // 20}"
        folder.mkdir(parents=True, exist_ok=True)
        text = _article(number)
        (folder / f"story-{number:03d}.txt").write_text(text, encoding="utf-8")
        (folder / f"story-{number:03d}.md").write_text(
            f"# Story {number}\n\n{_article(number + 100)}", encoding="utf-8"
        )
        paragraphs = "".join(f"<p>{block}</p>" for block in _paragraphs(_article(number + 200)))
        (folder / f"story-{number:03d}.html").write_text(
            f"<html><head><title>Story {number}</title></head><body><article>{paragraphs}</article></body></html>",
            encoding="utf-8",
        )
        good += [
            (folder / f"story-{number:03d}.{suffix}").relative_to(root).as_posix() for suffix in ("html", "md", "txt")
        ]
    (root / "articles" / "notes.csv").write_text("not an article,1\n", encoding="utf-8")  # not a suffix batch reads
    records = root / "records.jsonl"
    with records.open("w", encoding="utf-8") as handle:
        for number in range(DOCUMENTS_PER_FORMAT):
            record = {
                "id": f"record-{number:03d}",
                "text": _article(number + 300),
                "url": f"https://example.org/{number}",
            }
            if number % 4 == 0:
                record["published"] = "2023-09-12"
            if number % 5 == 0:
                record["lang"] = "de" if "ä" in record["text"] or "ß" in record["text"] else "en"
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        handle.write(json.dumps({"id": "bad-date", "text": "Flug von Berlin nach Wien.", "published": "12.9."}) + "\n")
    good += [f"record-{number:03d}" for number in range(DOCUMENTS_PER_FORMAT)]
    broken = root / "broken"
    broken.mkdir()
    (broken / "empty.txt").write_bytes(b"")
    (broken / "binary.txt").write_bytes(random.Random(8).randbytes(4000))
    with (broken / "huge-file.txt").open("wb") as handle:  # refused unread
        handle.truncate(MAX_CHARS * MAX_FILE_BYTES_PER_CHAR + 1)
    (broken / "too-long.txt").write_text("Wien. " * (MAX_CHARS // 6 + 10), encoding="utf-8")
    latin = "Der Zug fährt von München über Nürnberg nach Würzburg; in Köln regnet es."
    (broken / "latin1.txt").write_bytes(latin.encode("cp1252"))  # not UTF-8, but readable: no error
    (broken / "records.jsonl").write_bytes(
        json.dumps({"id": "fine", "text": "Die Fähre fuhr von Rostock nach Trelleborg."}).encode()
        + b"\n"
        + b'{"id": "x", "text": "Caf\xe9 in Paris"}\n'
        + b"{this is not json\n"
        + json.dumps({"id": "no-text", "body": "Rostock"}).encode()
        + b"\n\n"
        + json.dumps({"id": "date-number", "text": "Rostock", "published": 20230912}).encode()
        + b"\n"
    )
    good += ["broken/latin1.txt", "fine"]
    return good


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("corpus")
    previous = os.getcwd()
    os.chdir(root)  # ids are paths as found: relative inputs give relative ids
    try:
        return root, build_corpus(root)
    finally:
        os.chdir(previous)


INPUTS = ["articles", "records.jsonl", "broken"]


def start_fork_server_here() -> None:
    """Start the batch's fork server from the project folder, where it can import Dateline (Python's
    fork server imports from its working directory, not from the tests' path), before a batch runs
    from the corpus folder: the workers then fork warm, as they do for `python -m geo batch`."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(batch_pool.FORK_SERVER_PRELOAD)
    batch_pool._start_fork_server()


def run_batch(corpus_root: Path, output: Path, **options) -> Summary:
    start_fork_server_here()
    previous = os.getcwd()
    os.chdir(corpus_root)
    try:
        return batch.run(INPUTS, output, part_docs=50, **options)
    finally:
        os.chdir(previous)


@pytest.fixture(scope="session")
def one_worker(corpus, tmp_path_factory, full_gazetteer) -> tuple[Path, Summary]:
    output = tmp_path_factory.mktemp("one") / "out.parquet"
    return output, run_batch(corpus[0], output, workers=1)


def assert_same_output(first: Path, second: Path) -> None:
    """The same tables, and the same bytes in every Parquet part."""
    left, right = batch.read(first), batch.read(second)
    for name in batch.TABLES:
        pd.testing.assert_frame_equal(left[name], right[name], obj=name)
    files = sorted(path.relative_to(first) for path in first.rglob("*.parquet"))
    assert files == sorted(path.relative_to(second) for path in second.rglob("*.parquet"))
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in files)
