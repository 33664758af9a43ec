"""bench/rss_timeline.py, which splits a benchmark's memory into the process's own (RssAnon)
and mapped files' pages (RssFile): a block held for a while shows in RssAnon's peak and in the
span it was held, and not in RssFile."""

from __future__ import annotations

import sys
import time

import numpy as np
import pytest

from tests.support.bench_modules import load_bench

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")


def test_a_held_block_shows_in_rss_anon():
    rss_timeline = load_bench("rss_timeline")
    before = rss_timeline.read_status()
    with rss_timeline.RssTimeline(interval=0.02) as rss:
        time.sleep(0.1)
        block = np.ones(200 << 20, dtype=np.uint8)  # 200 MB, every page touched
        time.sleep(0.3)
        del block
        time.sleep(0.3)
    assert rss.peak("RssAnon") - before["RssAnon"] > 150e6
    assert rss.peak("RssFile") - before["RssFile"] < 50e6
    head, span = rss.report(rows=1).splitlines()
    low, high = (float(x) for x in span.split("anon")[1].split("file")[0].split("-"))
    assert high - low > 150  # the span saw the block come and go (MB)
    assert head.startswith("rss timeline (MB): peak RssAnon")


def test_mapped_files_name_the_files_a_process_maps(tmp_path):
    rss_timeline = load_bench("rss_timeline")
    path = tmp_path / "data.bin"
    path.write_bytes(b"\1" * (8 << 20))
    mapped = np.memmap(path, dtype=np.uint8, mode="r")
    assert int(mapped.sum()) == 8 << 20  # every page read, so resident
    files = dict(rss_timeline.mapped_files(top=50))
    assert files[str(path)] >= 7 << 20
    del mapped
