"""bench/memcap.py, the hard memory limit `bench_scale --memory-limit` runs an ingest under: sizes
parse as documented, and where this machine lets us make a memory cgroup, a process inside it
is charged what it touches and killed when its own memory does not fit."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.bench_modules import load_bench


@pytest.fixture(scope="module")
def memcap():
    return load_bench("memcap")


@pytest.mark.parametrize(
    "text, expected",
    [("6G", 6 * 10**9), ("6GB", 6 * 10**9), ("5500M", 5_500_000_000), ("1.6g", 1_600_000_000),
     ("6e9", 6 * 10**9), ("123", 123), ("64k", 64_000)],
)
def test_sizes(memcap, text, expected):
    assert memcap.parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "six", "6T", "-1G"])
def test_bad_sizes(memcap, text):
    with pytest.raises(ValueError, match="not a size"):
        memcap.parse_size(text)


# touches n MB of its own memory, then exits 0
TOUCH = "import sys; b = bytearray(int(sys.argv[1]) * 2**20); b[::4096] = b'x' * len(b[::4096])"


def _touch_under(memcap, limit: int, mb: int):
    """(exit code, the cap after it) of a process touching ``mb`` MB under ``limit`` bytes."""
    cap = memcap.MemoryCap(limit, name=f"recsys-test-{limit}")
    try:
        cap.__enter__()
    except (SystemExit, RuntimeError, OSError) as exc:
        pytest.skip(f"no memory cgroup can be made here: {exc}")
    try:
        proc = subprocess.run([sys.executable, "-c", TOUCH, str(mb)], preexec_fn=cap.join)
    finally:
        cap.__exit__(None, None, None)
    return proc.returncode, cap


def test_a_process_inside_is_charged_what_it_touches(memcap):
    code, cap = _touch_under(memcap, 400 * 10**6, 100)
    assert code == 0
    assert 100 * 2**20 <= cap.peak <= 400 * 10**6
    assert not cap.path.exists()  # the cgroup is removed afterwards


def test_a_process_over_the_limit_is_killed(memcap):
    code, cap = _touch_under(memcap, 150 * 10**6, 400)
    assert code == -9
    assert cap.limited > 0
