"""bench/stack_sampler.py, which says where each thread of a benchmark spends its time: a pool's
threads are counted together, and a thread busy in a known function of ours shows it as its
main frame, against one waiting on an event."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
import pytest

from tests.support.bench_modules import load_bench


@pytest.fixture(scope="module")
def sampler_module():
    return load_bench("stack_sampler")


@pytest.mark.parametrize(
    "name, group",
    [("recsys-preprocess_3", "recsys-preprocess"), ("recsys-encode-audio_0", "recsys-encode-audio"),
     ("MainThread", "MainThread"), ("Thread-12", "Thread")],
)
def test_pool_threads_count_together(sampler_module, name, group):
    assert sampler_module.thread_group(name) == group


def test_a_busy_thread_shows_the_function_of_ours_it_is_in(sampler_module):
    from recsys.encoders.base import l2_normalise
    import numpy as np

    stop = threading.Event()
    x = np.ones((64, 8), dtype=np.float32)

    def busy():
        while not stop.is_set():
            l2_normalise(x)  # recsys/encoders/base.py

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="busy") as pool, ThreadPoolExecutor(
        max_workers=1, thread_name_prefix="idle"
    ) as idle:
        idle.submit(stop.wait)
        futures = [pool.submit(busy) for _ in range(2)]
        with sampler_module.StackSampler(interval=0.002) as sampler:
            time.sleep(0.4)
        stop.set()
        for f in futures:
            f.result()
    assert sampler.samples["busy"] > 0 and sampler.samples["idle"] > 0
    ours, _ = sampler.ours["busy"].most_common(1)[0]
    assert ours.startswith("recsys/encoders/base.py:") and ours.endswith(" l2_normalise")
    assert sampler.ours["idle"].most_common(1)[0][0] == "(outside recsys)"
    assert "wait" in sampler.leaf["idle"].most_common(1)[0][0]
    report = sampler.report()
    assert "busy: " in report and "l2_normalise" in report and "stack samples every 2 ms" in report
