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
