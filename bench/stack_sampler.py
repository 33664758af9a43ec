"""Where each thread of this process spends its time, by sampling Python stacks: a thread
that takes ``sys._current_frames()`` every few milliseconds and counts, per thread (worker
threads of one pool counted together), the innermost frame in our code (``recsys/``,
``ingest/``) and the innermost frame of all (a model's forward, a lock's wait).

For the benchmarks of a machine where no profiler can be installed (the GPU machine takes no
py-spy within its carry limit): one run then says which step each thread was in, not only
how long the whole took. A frame is attributed its whole time, C calls included (a CUDA
sync shows as the Python line that asked for the result). The sampler itself needs the GIL,
so a thread that holds it for long is sampled late and appears somewhat less than it is.

    with StackSampler() as sampler:
        run()
    print(sampler.report())
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
OURS = tuple(str(ROOT / d) + "/" for d in ("recsys", "ingest"))


def thread_group(name: str) -> str:
    """A pool's threads under one name: ``recsys-preprocess_3`` -> ``recsys-preprocess``."""
    return re.sub(r"(_\d+|-\d+)$", "", name)


def _where(frame: FrameType) -> str:
    code = frame.f_code
    path = code.co_filename
    for root in OURS:
        if path.startswith(root):
            path = path[len(str(ROOT)) + 1 :]
            break
    else:
        path = Path(path).name
    return f"{path}:{frame.f_lineno} {code.co_name}"


class StackSampler:
    """Samples every other thread's stack each ``interval`` seconds while running (a context
    manager); ``report()`` gives the shares."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.samples: Counter[str] = Counter()  # thread group -> samples
        self.ours: dict[str, Counter[str]] = {}
        self.leaf: dict[str, Counter[str]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.seconds = 0.0

    def __enter__(self) -> "StackSampler":
        self._t0 = time.perf_counter()
        self._thread = threading.Thread(target=self._run, name="stack-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.seconds = time.perf_counter() - self._t0

    def _run(self) -> None:
        me = threading.get_ident()
        while not self._stop.wait(self.interval):
            self.sample(skip=me)

    def sample(self, skip: int | None = None) -> None:
        names = {t.ident: t.name for t in threading.enumerate()}
        for ident, frame in sys._current_frames().items():
            if ident == skip:
                continue
            group = thread_group(names.get(ident, f"thread-{ident}"))
            self.samples[group] += 1
            self.leaf.setdefault(group, Counter())[_where(frame)] += 1
            f: FrameType | None = frame
            while f is not None and not f.f_code.co_filename.startswith(OURS):
                f = f.f_back
            self.ours.setdefault(group, Counter())[_where(f) if f is not None else "(outside recsys)"] += 1

    def report(self, top: int = 6, min_share: float = 0.02) -> str:
        """Per thread group (most sampled first): its samples, then its innermost frames in our
        code and of all, each with its share of that group's samples."""
        lines = [f"stack samples every {self.interval * 1e3:.0f} ms over {self.seconds:.1f} s:"]
        for group, n in self.samples.most_common():
            lines.append(f"  {group}: {n} samples")
            for label, counts in (("ours", self.ours[group]), ("leaf", self.leaf[group])):
                for where, k in counts.most_common(top):
                    if k / n >= min_share:
                        lines.append(f"    {label} {100 * k / n:5.1f} %  {where}")
        return "\n".join(lines)
