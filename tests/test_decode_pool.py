"""Audio decoding in worker processes (``recsys.encoders.decode_pool``): the same samples and
the same per-file errors as decoding on threads, in order; a worker that crashes costs only its
own file; errors of the called function reach the caller; workers never outlive their parent;
a script without a main guard is not run again; where no worker can start, threads take over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

from recsys import device
from recsys.encoders import decode_pool, media
from recsys.errors import MediaError
from tests.support import decode_jobs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh_pool(monkeypatch):
    """A pool of this test's own, and the module's state as it was afterwards."""
    decode_pool.shutdown()
    monkeypatch.setattr(decode_pool, "_unavailable", None)
    yield
    decode_pool.shutdown()


def _tone_files(tmp_path: Path, n: int) -> list[Path]:
    import soundfile as sf

    paths = []
    for i in range(n):
        t = np.arange(8000 * 3) / 8000
        path = tmp_path / f"tone{i}.{'flac' if i % 2 else 'wav'}"
        sf.write(path, (0.3 * np.sin(2 * np.pi * (220 + 50 * i) * t)).astype(np.float32), 8000)
        paths.append(path)
    return paths


class _Audio:
    input_kind, sample_rate, duration = "audio", 16000, 2.0


def test_processes_give_the_samples_and_errors_threads_give(tmp_path, monkeypatch, fresh_pool):
    good = _tone_files(tmp_path, 5)
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"ID3" + os.urandom(2000))
    sources = [good[0], broken, good[1], tmp_path / "gone.ogg", *good[2:]]
    monkeypatch.setenv("RECSYS_DECODE_PROCESSES", "0")
    on_threads = media.decode_many(_Audio, sources)
    monkeypatch.setenv("RECSYS_DECODE_PROCESSES", "2")
    in_processes = media.decode_many(_Audio, sources)
    assert decode_pool._pool is not None and decode_pool._pool.size == 2  # the workers did it
    assert len(in_processes) == len(sources)
    for a, b in zip(on_threads, in_processes):
        if isinstance(a, MediaError):
            assert isinstance(b, MediaError) and str(a) == str(b)
        else:
            assert b.dtype == np.float32 and b.shape == (32000,)
            np.testing.assert_array_equal(a, b)
    assert [isinstance(x, MediaError) for x in in_processes] == [False, True, False, True, False, False, False]


def test_the_mir_descriptor_is_made_in_the_workers_and_equals_the_threads(tmp_path, monkeypatch, fresh_pool):
    """The default audio encoder's per-clip numpy work (Encoder.worker_step) runs in the
    decode workers: they hand back a 168-value descriptor, not the clip, and the vectors are
    those of a waveform described in the encoding thread. A bad file is its MediaError still."""
    from recsys.encoders.audio import Described, MirDescriptorEncoder

    encoder = MirDescriptorEncoder()
    good = _tone_files(tmp_path, 3)
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"ID3" + os.urandom(2000))
    sources = [good[0], broken, *good[1:]]
    monkeypatch.setenv("RECSYS_DECODE_PROCESSES", "0")
    waves = media.decode_many(encoder, sources)
    monkeypatch.setenv("RECSYS_DECODE_PROCESSES", "2")
    described = media.decode_many(encoder, sources)
    assert [type(x).__name__ for x in described] == ["Described", "MediaError", "Described", "Described"]
    assert str(described[1]) == str(waves[1])
    good_waves = [w for w in waves if not isinstance(w, MediaError)]
    good_described = [d for d in described if isinstance(d, Described)]
    np.testing.assert_allclose(encoder.encode(good_described), encoder.encode(good_waves), atol=1e-6)
    mixed = [good_described[0], good_waves[1]]  # a batch of both kinds (a late decode on threads)
    np.testing.assert_allclose(encoder.encode(mixed), encoder.encode(good_waves[:2]), atol=1e-6)
    monkeypatch.setenv("RECSYS_WORKER_STEPS", "0")  # a machine short of memory: waveforms back
    assert [type(x).__name__ for x in media.decode_many(encoder, sources)] == ["ndarray", "MediaError", "ndarray", "ndarray"]


def test_the_excerpt_windows_are_described_in_the_workers_too(tmp_path, monkeypatch, fresh_pool):
    import soundfile as sf

    from recsys.encoders.audio import Described, MirDescriptorEncoder

    encoder = MirDescriptorEncoder()
    sources = []
    for i in range(2):  # 45 s: long enough for windows (media.WINDOWS_MIN_SECONDS)
        t = np.arange(8000 * 45) / 8000
        path = tmp_path / f"long{i}.flac"
        sf.write(path, (0.3 * np.sin(2 * np.pi * (200 + 90 * i) * t * (1 + t / 90))).astype(np.float32), 8000)
        sources.append(str(path))
    monkeypatch.setenv("RECSYS_DECODE_PROCESSES", "0")
    waves = media.decode_windows_many(encoder, sources)
    monkeypatch.setenv("RECSYS_DECODE_PROCESSES", "2")
    described = media.decode_windows_many(encoder, sources)
    assert [len(w) for w in described] == [len(w) for w in waves] == [3, 3]
    assert all(isinstance(d, Described) for file in described for d in file)
    np.testing.assert_allclose(encoder.encode([d for file in described for d in file]),
                               encoder.encode([w for file in waves for w in file]), atol=1e-6)


def test_a_crashing_worker_costs_only_its_item(tmp_path, fresh_pool):
    log = tmp_path / "calls.log"
    crashed = []

    def on_crash(item):
        crashed.append(item)
        return f"crashed {item}"

    items = list(range(8))
    out = decode_pool.map_in_processes(decode_jobs.double_or_die, items, 2, on_crash, args=(3, str(log)))
    assert out == [0, 2, 4, "crashed 3", 8, 10, 12, 14]
    assert crashed == [3]
    calls = decode_jobs.attempts(log)
    assert calls.count("3") == 2  # tried once more in a fresh worker, then given up
    assert sorted(set(calls)) == [str(i) for i in items]
    # the pool goes on with fresh workers
    assert decode_pool.map_in_processes(decode_jobs.double_or_die, [5, 6], 2, on_crash, args=(-1,)) == [10, 12]


def test_an_error_of_the_function_reaches_the_caller(fresh_pool):
    with pytest.raises(ValueError, match="item 2 is not wanted"):
        decode_pool.map_in_processes(decode_jobs.double_or_raise, [1, 2, 3], 2, str, args=(2,))
    assert decode_pool.map_in_processes(decode_jobs.double_or_raise, [1, 3], 2, str, args=(2,)) == [2, 6]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead; only its parent (init here) has yet to reap it
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _all_gone(pids, within: float = 10.0) -> bool:
    """Whether every process in ``pids`` has ended, waiting up to ``within`` seconds."""
    deadline = time.monotonic() + within
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(_alive(p) for p in pids)


def _python_path() -> str:
    """The checkout first, then the caller's own PYTHONPATH: a machine whose packages come by
    PYTHONPATH (the GPU machine's wheels in /tmp/site) must still find them in the script and
    in the decode workers it starts."""
    return os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)


def _run_script(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Run ``code``; its output goes to files, not pipes: a worker holding a pipe open would make
    the run wait for the worker's end, which is what a test may want to check."""
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(code))
    with open(tmp_path / "out.txt", "w+") as out, open(tmp_path / "err.txt", "w+") as err:
        done = subprocess.run([sys.executable, str(script)], stdout=out, stderr=err, timeout=120, cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": _python_path(), **env})
    return subprocess.CompletedProcess(done.args, done.returncode, (tmp_path / "out.txt").read_text(),
                                       (tmp_path / "err.txt").read_text())


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_workers_end_with_a_parent_killed_by_sigkill(tmp_path):
    done = _run_script("""
        import os, signal
        from recsys.encoders import decode_pool
        from tests.support import decode_jobs
        pids = decode_pool.map_in_processes(decode_jobs.worker_pid, list(range(8)), 2, str)
        print(" ".join(map(str, sorted(set(pids)))), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """, tmp_path)
    assert done.returncode == -signal.SIGKILL, done.stderr
    pids = [int(p) for p in done.stdout.split()]
    assert len(pids) == 2 and os.getpid() not in pids
    assert _all_gone(pids), "a decode worker outlived its parent"


def test_a_script_without_a_main_guard_runs_once(tmp_path):
    files = _tone_files(tmp_path, 3)
    done = _run_script(f"""
        from pathlib import Path
        from recsys.encoders import media
        with open("runs.log", "a") as f:
            f.write("run\\n")
        class Audio:
            input_kind, sample_rate, duration = "audio", 16000, 2.0
        out = media.decode_many(Audio, {[str(f) for f in files]!r})
        print([getattr(x, "shape", x) for x in out])
    """, tmp_path, RECSYS_DECODE_PROCESSES="2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[(32000,), (32000,), (32000,)]"
    assert (tmp_path / "runs.log").read_text() == "run\n"


def test_threads_take_over_where_no_worker_can_start(tmp_path, monkeypatch, fresh_pool):
    files = _tone_files(tmp_path, 3)
    monkeypatch.setenv("RECSYS_DECODE_PROCESSES", "0")
    expected = media.decode_many(_Audio, files)
    monkeypatch.setenv("RECSYS_DECODE_PROCESSES", "2")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python-here"))
    starts = []

    class CountedWorker(decode_pool.Worker):
        def __init__(self) -> None:
            starts.append(1)
            super().__init__()

    monkeypatch.setattr(decode_pool, "Worker", CountedWorker)
    with pytest.warns(RuntimeWarning, match="decoded on threads"):
        got = media.decode_many(_Audio, files)
    for a, b in zip(expected, got):
        np.testing.assert_array_equal(a, b)
    assert decode_pool.unavailable() and starts
    tried = len(starts)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once: no second warning, no second try
        media.decode_many(_Audio, files)
    assert len(starts) == tried


def test_how_many_workers(monkeypatch):
    monkeypatch.setenv("RECSYS_DECODE_PROCESSES", "3")
    assert decode_pool.decode_processes() == 3
    monkeypatch.setenv("RECSYS_DECODE_PROCESSES", "0")
    assert decode_pool.decode_processes() == 0
    monkeypatch.delenv("RECSYS_DECODE_PROCESSES")
    assert 1 <= decode_pool.decode_processes() <= decode_pool.MAX_DEFAULT_PROCESSES
    assert decode_pool.decode_processes() == min(device.available_cpus(), decode_pool.MAX_DEFAULT_PROCESSES)


def test_idle_workers_leave_and_come_back(monkeypatch, fresh_pool, tmp_path):
    monkeypatch.setattr(decode_pool, "WORKER_IDLE_S", 0.5)
    crashed = []
    first = set(decode_pool.map_in_processes(decode_jobs.worker_pid, list(range(6)), 2, crashed.append))
    assert _all_gone(first), "idle workers stayed"
    # a worker that left is replaced before it is used: the bad item still gets its two tries
    log = tmp_path / "calls.log"
    out = decode_pool.map_in_processes(decode_jobs.double_or_die, [3], 2, lambda item: "crashed", args=(3, str(log)))
    assert out == ["crashed"] and decode_jobs.attempts(log) == ["3", "3"]
    again = set(decode_pool.map_in_processes(decode_jobs.worker_pid, list(range(6)), 2, crashed.append))
    assert again and not again & first and not crashed  # fresh workers, and no item blamed


@pytest.mark.parametrize(
    ("v2", "v1", "limit"),
    [
        ("max 100000\n", None, None),  # cgroup v2, no quota
        ("150000 100000\n", None, 1.5),  # docker run --cpus 1.5
        (None, ("-1", "100000"), None),  # cgroup v1, no quota
        (None, ("200000", "100000"), 2.0),
        (None, None, None),  # no cgroup files at all (macOS, or not mounted)
    ],
)
def test_a_container_cpu_quota_bounds_the_workers(tmp_path, monkeypatch, v2, v1, limit):
    if v2 is not None:
        (tmp_path / "cpu.max").write_text(v2)
    if v1 is not None:
        (tmp_path / "quota").write_text(v1[0] + "\n")
        (tmp_path / "period").write_text(v1[1] + "\n")
    files = [(tmp_path / "cpu.max", None), (tmp_path / "quota", tmp_path / "period")]
    monkeypatch.setattr(device, "CGROUP_CPU_FILES", tuple(files))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert device._cgroup_cpu_limit() == limit
    expected = 64 if limit is None else int(-(-limit // 1))
    assert device.available_cpus() == expected
    monkeypatch.delenv("RECSYS_DECODE_PROCESSES", raising=False)
    assert decode_pool.decode_processes() == min(expected, decode_pool.MAX_DEFAULT_PROCESSES)
