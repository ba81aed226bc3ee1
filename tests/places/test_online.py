"""What every online service shares (geo.places.online): one question sent once, retries with backoff."""

from __future__ import annotations

import pytest

from geo.places.online import Limits, ResponseCache, ServiceUnavailable, with_retries
from tests.localserver import FakeClock


@pytest.fixture
def clock():
    return FakeClock()


def test_one_question_asked_by_many_threads_at_once_is_sent_once(tmp_path):
    import threading

    store = ResponseCache(tmp_path / "once.sqlite")
    asked, gate_open = [], threading.Event()

    def ask():
        asked.append(1)
        gate_open.wait(2)
        return ["answer"]

    threads = [threading.Thread(target=store.cached, args=("k" * 64, "test", "q", ask)) for _ in range(8)]
    for thread in threads:
        thread.start()
    gate_open.set()
    for thread in threads:
        thread.join(5)
    store.close()
    assert len(asked) == 1


def test_retries_back_off_and_stop(clock):
    failures = iter([ServiceUnavailable("x", status=500), ServiceUnavailable("x", status=502), "ok"])

    def call():
        item = next(failures)
        if isinstance(item, Exception):
            raise item
        return item

    assert with_retries(call, Limits(clock=clock, sleep=clock.sleep)) == "ok"
    assert clock.slept == [1.0, 2.0]
    with pytest.raises(ServiceUnavailable):
        with_retries(lambda: (_ for _ in ()).throw(ServiceUnavailable("no", status=404)), Limits(sleep=clock.sleep))
    assert clock.slept == [1.0, 2.0]  # a 404 is not retried


def test_a_cache_file_overwritten_while_in_use_costs_the_caching_not_a_traceback(tmp_path):
    import random

    store = ResponseCache(tmp_path / "online.sqlite")
    for number in range(50):
        store.put(f"{number:064d}", "test", "q", ["answer" * 100])
    for path in tmp_path.iterdir():  # the database, its write-ahead log and shared memory
        path.write_bytes(random.Random(5).randbytes(path.stat().st_size))
    assert len(store) == 0 and store.get("0" * 64) is None
    assert store.cached("j" * 64, "test", "q", lambda: ["asked"]) == ["asked"]
    assert "cannot be used (file is not a database)" in store.problem
