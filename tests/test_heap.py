"""An ingest asked to (``RECSYS_MALLOC_FIXED=1``) fixes glibc's mmap threshold (ingest/heap.py),
so that its large transient buffers keep mappings of their own, handed back when freed,
instead of fragmenting the heaps; by default it leaves glibc's dynamic threshold.

Each check runs in a fresh interpreter (the setting is process-wide and only ever set once)
and asks glibc itself: ``mallinfo2().hblks`` counts the blocks that have a mapping of their own,
so a 1 MiB block either adds one (mapped) or none (carved from a heap)."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _glibc_with_mallinfo2() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        return hasattr(libc, "gnu_get_libc_version") and hasattr(libc, "mallinfo2")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _glibc_with_mallinfo2(), reason="glibc 2.33+ only (mallopt, mallinfo2)")

PROBE = r"""
import ctypes, sys
sys.path.insert(0, sys.argv[1])
libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]

class Mallinfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc.mallinfo2.restype = Mallinfo2

def mapped(size):
    # the first block's free trims the heap's top where trimming is on, so that the second
    # finds no room there: it is then mapped if it is past the mmap threshold
    libc.free(libc.malloc(size))
    before = libc.mallinfo2().hblks
    block = libc.malloc(size)
    own = libc.mallinfo2().hblks - before
    libc.free(block)
    return own == 1

def kept(size):
    # whether a block, once freed, stays in the heap (its free top) rather than going back
    libc.free(libc.malloc(size))
    return libc.mallinfo2().keepcost >= size

def raise_threshold():
    # a freed mapped block of 32 MiB: glibc's dynamic threshold rises to it (its most)
    libc.free(libc.malloc(32 << 20))

MiB = 1 << 20
"""


def _run(body: str, tmp_path: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES", "RECSYS_MALLOC_FIXED")}
    out = subprocess.run(
        [sys.executable, "-c", PROBE + body, str(ROOT), str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.split()


def test_fixed_threshold_keeps_large_blocks_mapped(tmp_path):
    # without it, once a 32 MiB block is freed, an 8 MiB block comes from the heap and stays there
    body = r"""
raise_threshold()
print(mapped(8 * MiB), kept(8 * MiB))
import os
os.environ["RECSYS_MALLOC_FIXED"] = "1"
from ingest.heap import fix_mmap_threshold
print(fix_mmap_threshold())
raise_threshold()
print(mapped(8 * MiB), kept(8 * MiB), mapped(256 << 10), mapped(64 << 10))
"""
    assert _run(body, tmp_path) == ["False", "True", "True", "True", "False", "True", "False"]


INGEST = r"""
from pathlib import Path
from ingest.pipeline import IngestOptions, ingest_catalog
from recsys.catalog import read_catalog
from recsys.store import open_backend
from tests.support.tiny_encoders import TINY, register_tiny_encoders
tmp = Path(sys.argv[2])
register_tiny_encoders()
raise_threshold()
print(mapped(8 * MiB))
catalog = read_catalog(tmp / "catalog", cover_cache=tmp / "covers")
backend = open_backend(tmp / "store")
try:
    report = ingest_catalog(catalog, backend, IngestOptions(**({"collection": "c", "batch_size": 8} | TINY)))
finally:
    backend.close()
print(report.ingested > 0)
raise_threshold()
print(mapped(8 * MiB))
"""


def test_ingest_fixes_the_threshold_when_asked(tmp_path, sample_catalog):
    body = 'import os\nos.environ["RECSYS_MALLOC_FIXED"] = "1"\n' + INGEST
    assert _run(body, tmp_path) == ["False", "True", "True"]


def test_ingest_leaves_the_dynamic_threshold_by_default(tmp_path, sample_catalog):
    # the fixed one costs a third of a first ingest's speed on 2 cores (ingest/heap.py)
    assert _run(INGEST, tmp_path) == ["False", "True", "False"]


@pytest.mark.parametrize("environ", [
    {"MALLOC_MMAP_THRESHOLD_": "4194304", "RECSYS_MALLOC_FIXED": "1"},  # a threshold the user chose is kept
    {"RECSYS_MALLOC_FIXED": "off"},  # turned off: the dynamic threshold stays
], ids=["the-users-threshold", "turned-off"])
def test_the_threshold_is_left_as_it_is(tmp_path, environ):
    body = "import os\n" + "".join(f"os.environ[{k!r}] = {v!r}\n" for k, v in environ.items()) + r"""
from ingest.heap import fix_mmap_threshold
raise_threshold()
print(fix_mmap_threshold(), mapped(8 * MiB))
"""
    assert _run(body, tmp_path) == ["False", "False"]


def test_a_trim_threshold_the_user_chose_is_kept(tmp_path):
    # a 4 MiB trim threshold of theirs: 2 MiB of small blocks, freed, stay at the heap's top,
    # where 128 KiB (this module's) would have trimmed them; the mmap threshold is fixed all the same
    body = r"""
import os
os.environ["MALLOC_TRIM_THRESHOLD_"] = "4194304"
os.environ["RECSYS_MALLOC_FIXED"] = "1"
libc.mallopt(-1, 4194304)  # what glibc would have read from that variable at its start
from ingest.heap import fix_mmap_threshold
raise_threshold()
print(fix_mmap_threshold(), mapped(8 * MiB))
blocks = [libc.malloc(64 << 10) for _ in range(32)]
for block in reversed(blocks):
    libc.free(block)
print(libc.mallinfo2().keepcost >= MiB)
"""
    assert _run(body, tmp_path) == ["True", "True", "True"]
