"""Fault injection for the ``recsys`` command line: run one command in a child process that
records the stage it is in, and SIGKILL it at a seeded moment.

The child is ``python -m tests.support.faults <recsys args...>``: it registers the tiny encoders,
wraps the library's stage functions (only here, by monkeypatching: no library code knows about
it) so that every entry and exit appends one line ``<monotonic time>\\t<stage path>`` to the
trace file named by ``RECSYS_FAULT_TRACE``, then runs ``cli.main.main``. Rich progress bars are
not drawn on a pipe, so the trace, not stderr, says where a run was when it died; the kernel
keeps what a killed process wrote, so the trace survives the SIGKILL.

Three ways to kill (``draw_kills`` draws them, seeded, from a clean run's ``Profile``):

* by time: ``run_cli(..., kill_after=s)`` sends SIGKILL ``s`` seconds after the child said
  "ready" (imports done, hooks installed); draw ``s`` uniformly over a clean run's duration
  (``Profile.duration``), seeded;
* at a stage: ``run_cli(..., fault_at="upsert:3")`` makes the child SIGKILL itself on entering
  the 3rd "upsert" span (``:exit`` after the label: on leaving it); short stages (a spec file
  write, a vector switch) are rarely hit by time alone;
* inside a stage: ``run_cli(..., kill_in="shard update:3@0.02")``: the parent sends SIGKILL
  0.02 s after the child entered its 3rd "shard update" span (a moment inside a native call,
  e.g. between Edge's own writes of a vector change, which no Python hook can reach).

``Launcher`` forks the children from one warm process, so a trial does not pay the imports.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TRACE_ENV = "RECSYS_FAULT_TRACE"
FAULT_ENV = "RECSYS_FAULT_AT"
DELAY_ENV = "RECSYS_FAULT_AUDIO_DELAY"
READY = "<ready>"
EXIT = "<exit>"


# --------------------------------------------------------------------------- the child side


class _Tracer:
    def __init__(self, path: str, fault_at: str | None) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.stack: list[list] = []  # [label, sub-label]
        self.counts: dict[str, int] = {}
        self.fault = None
        if fault_at:
            parts = fault_at.split(":")
            self.fault = (parts[0], int(parts[1]) if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else "enter")

    def path(self) -> str:
        return "/".join(f"{lab}[{sub}]" if sub else lab for lab, sub in self.stack)

    def write(self, state: str) -> None:
        os.write(self.fd, f"{time.monotonic():.6f}\t{state}\n".encode())

    def _maybe_die(self, label: str, when: str) -> None:
        if self.fault and self.fault[0] == label and self.fault[2] == when and self.counts[label] == self.fault[1]:
            self.write(f"<fault {label}:{self.fault[1]}:{when}>")
            os.kill(os.getpid(), signal.SIGKILL)

    def enter(self, label: str) -> None:
        self.counts[label] = self.counts.get(label, 0) + 1
        self.stack.append([label, None])
        self.write(self.path())
        self._maybe_die(label, "enter")

    def leave(self, label: str) -> None:
        self._maybe_die(label, "exit")
        while self.stack:
            if self.stack.pop()[0] == label:
                break
        self.write(self.path() or f"after {label}")

    def mark(self, sub: str) -> None:
        if self.stack:
            self.stack[-1][1] = sub
            self.write(self.path())


def _wrap(tracer: _Tracer, owner, attr: str, label: str) -> None:
    import functools

    fn = getattr(owner, attr, None)
    if fn is None or getattr(fn, "_fault_wrapped", False):
        return

    @functools.wraps(fn)
    def wrapper(*a, **kw):
        lab = label(*a, **kw) if callable(label) else label
        tracer.enter(lab)
        try:
            return fn(*a, **kw)
        finally:
            tracer.leave(lab)

    wrapper._fault_wrapped = True
    setattr(owner, attr, wrapper)


def _install_hooks(tracer: _Tracer, command: str = "") -> None:
    import importlib

    heavy = ("recsys.fusion.model", "training.job", "training.train")  # import torch: for train only

    def mod(name):
        if name in heavy and command != "train":
            return None
        try:
            return importlib.import_module(name)
        except ImportError:
            return None

    catalog = mod("recsys.catalog")
    pipeline = mod("ingest.pipeline")
    shared = mod("recsys.store.shared")
    edge = mod("recsys.store.edge")
    cache = mod("recsys.encoders.cache")
    media = mod("recsys.encoders.media")
    fuser = mod("recsys.fusion.fuser")
    fmodel = mod("recsys.fusion.model")
    job = mod("training.job")
    train = mod("training.train")

    _wrap(tracer, catalog, "read_catalog", "read catalog")
    # ingest
    _wrap(tracer, pipeline, "ingest_catalog", "ingest")
    _wrap(tracer, pipeline, "plan_sync", "scan")
    _wrap(tracer, pipeline, "build_graph", "graph")
    _wrap(tracer, pipeline, "_encode_and_upsert", "chunks")
    _wrap(tracer, pipeline, "_encode_modality", lambda modality, *a, **k: f"{modality}")
    _wrap(tracer, media, "decode_many", "decode")
    if pipeline is not None and hasattr(pipeline, "_load_encoders"):
        load = pipeline._load_encoders

        def load_encoders(infos, options):
            tracer.enter("load encoders")
            try:
                runners = load(infos, options)
            finally:
                tracer.leave("load encoders")
            for modality, enc in runners.items():
                _wrap(tracer, enc, "encode", f"encode {modality}")
            return runners

        pipeline._load_encoders = load_encoders
    if cache is not None:
        _wrap(tracer, cache.EmbeddingCache, "get_many", "cache read")
        _wrap(tracer, cache.EmbeddingCache, "put_many", "cache write")
    if fuser is not None:
        _wrap(tracer, fuser.Fuser, "fuse", "fuse")
    # the store: the contract calls, and inside the embedded backend its two kinds of write
    if shared is not None:
        for attr, label in [
            ("create_collection", "create collection"), ("upsert", "upsert"), ("delete_points", "remove"),
            ("set_vectors", "set vectors"), ("add_vector", "add vector"), ("drop_vector", "drop vector"),
        ]:
            _wrap(tracer, shared.BaseBackend, attr, label)
    if edge is not None:
        _wrap(tracer, edge.EdgeBackend, "set_metadata", "metadata write")
        _wrap(tracer, edge.EdgeBackend, "_update", "shard update")
        _wrap(tracer, edge.EdgeBackend, "close", "close store")
        _wrap(tracer, edge, "_write_atomic", "file write")
        _wrap(tracer, edge.EdgeBackend, "_load", "open shard")  # where an interrupted change is repaired
    # training
    _wrap(tracer, job, "data_from_store", "read vectors")
    if train is not None and hasattr(train, "mine_pairs"):
        mine = train.mine_pairs

        def mine_pairs(*a, **kw):
            tracer.enter("mining")
            try:
                return mine(*a, **kw)
            finally:
                tracer.leave("mining")
                tracer.mark("after mining")

        train.mine_pairs = mine_pairs
    if fmodel is not None:
        _wrap(tracer, fmodel.FusionModel, "save", "checkpoint write")
        _wrap(tracer, fmodel.FusionModel, "embed", "embed")
    if job is not None and hasattr(job, "train_collection"):
        inner_train = job.train_fusion

        def train_fusion(data, config, device=None, on_epoch=None, *a, **kw):
            def epoch(e):
                tracer.mark(f"after epoch {e.epoch}")
                if on_epoch is not None:
                    on_epoch(e)

            tracer.enter("training")
            try:
                return inner_train(data, config, device, epoch, *a, **kw)
            finally:
                tracer.leave("training")

        job.train_fusion = train_fusion


def child_main(argv: list[str]) -> int:
    from tests.support.tiny_encoders import register_tiny_encoders

    register_tiny_encoders(audio_delay=float(os.environ.get(DELAY_ENV) or 0))
    tracer = _Tracer(os.environ[TRACE_ENV], os.environ.get(FAULT_ENV))
    _install_hooks(tracer, argv[0] if argv else "")
    from cli.main import main

    tracer.write(READY)
    code = main(argv)
    tracer.write(f"{EXIT} {code}")
    return code


def serve(preload: list[str]) -> None:
    """The warm parent of ``Launcher``: import once (torch included, for train), then fork one
    child per request line (JSON: argv, env, trace, out, err); answer its pid, then its exit code."""
    import importlib
    import json

    import cli.main  # noqa: F401 - the imports every command pays
    from tests.support.tiny_encoders import register_tiny_encoders

    register_tiny_encoders()
    for name in preload:
        importlib.import_module(name)
    print(json.dumps({"ready": os.getpid()}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        pid = os.fork()
        if pid == 0:  # the child: one recsys command, as a process of its own
            code = 70
            try:
                for k in req.get("unset", []):
                    os.environ.pop(k, None)
                os.environ.update(req["env"])
                for fd, path in ((1, req["out"]), (2, req["err"])):
                    f = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                    os.dup2(f, fd)
                    os.close(f)
                code = child_main(req["argv"])
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else 1
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"pid": pid, "rc": os.waitstatus_to_exitcode(status)}), flush=True)


# --------------------------------------------------------------------------- the parent side


class Launcher:
    """Runs traced commands as forks of one warm process, so a trial does not pay the imports
    (torch and its compiler stack cost a train ~4 s) before it can be killed. Each command is
    still a process of its own: a SIGKILL ends it as it would end ``recsys`` started by a user."""

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        import json

        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
        env["COLUMNS"] = "160"
        for k in (TRACE_ENV, FAULT_ENV, DELAY_ENV):
            env.pop(k, None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.faults", "--serve", *preload],
            cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the fault-injection launcher did not start")
        self._json = json

    def start(self, argv: list[str], env: dict[str, str], unset: list[str], out: Path, err: Path) -> int:
        req = {"argv": argv, "env": env, "unset": unset, "out": str(out), "err": str(err)}
        self.proc.stdin.write(self._json.dumps(req) + "\n")
        self.proc.stdin.flush()
        return self._json.loads(self.proc.stdout.readline())["pid"]

    def wait(self, pid: int) -> int:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the fault-injection launcher died")
        got = self._json.loads(line)
        assert got["pid"] == pid
        return got["rc"]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Run:
    argv: list[str]
    returncode: int
    killed: bool  # True: it died of our SIGKILL (by time or at its fault point)
    stage: str  # the stage path it was in when it died ("" if it was not killed)
    trace: list[tuple[float, str]]
    stdout: str
    stderr: str
    kill_after: float | None = None
    fault_at: str | None = None
    kill_in: str | None = None

    @property
    def ready_at(self) -> float | None:
        return next((t for t, s in self.trace if s == READY), None)

    @property
    def seconds(self) -> float:
        """From "ready" to the last line of the trace."""
        return self.trace[-1][0] - (self.ready_at or self.trace[0][0]) if self.trace else 0.0

    def describe(self) -> str:
        how = (
            f"at {self.fault_at}" if self.fault_at else f"in {self.kill_in}" if self.kill_in
            else f"{self.kill_after:.3f} s after ready" if self.kill_after is not None else "not killed"
        )
        return f"kill {how}: died in '{self.stage}'" if self.killed else f"kill {how}: ended first (rc {self.returncode})"


def _read_trace(path: Path) -> list[tuple[float, str]]:
    out = []
    if not path.exists():
        return out
    for line in path.read_text().splitlines():
        t, _, state = line.partition("\t")
        try:
            out.append((float(t), state))
        except ValueError:
            pass
    return out


def child_env(home: Path, trace: Path, fault_at: str | None = None, audio_delay: float = 0.0) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"RECSYS_HOME": str(home), TRACE_ENV: str(trace), DELAY_ENV: str(audio_delay), "COLUMNS": "160"})
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.pop(FAULT_ENV, None)
    if fault_at:
        env[FAULT_ENV] = fault_at
    return env


def run_cli(
    argv: list[str],
    home: Path,
    trace: Path,
    *,
    kill_after: float | None = None,
    fault_at: str | None = None,
    kill_in: str | None = None,
    audio_delay: float = 0.0,
    timeout: float = 180.0,
    launcher: Launcher | None = None,
) -> Run:
    """Run ``recsys <argv>`` in a traced child (forked from ``launcher``, else a fresh
    interpreter) with RECSYS_HOME=``home``; SIGKILL it ``kill_after`` s after it is ready, or
    ``kill_in`` (``label:n@seconds``) after it entered a span, or let it kill itself at
    ``fault_at`` (``label:n[:exit]``); wait for it and say which stage it died in."""
    trace.unlink(missing_ok=True)
    env = child_env(home, trace, fault_at, audio_delay)
    out_path, err_path = trace.with_suffix(".out"), trace.with_suffix(".err")
    deadline = time.monotonic() + timeout
    if launcher is not None:
        own = {k: env[k] for k in ("RECSYS_HOME", TRACE_ENV, DELAY_ENV, "COLUMNS")}
        if fault_at:
            own[FAULT_ENV] = fault_at
        pid = launcher.start(argv, own, [] if fault_at else [FAULT_ENV], out_path, err_path)

        def alive() -> bool:
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
            except OSError:
                return False
    else:
        with open(out_path, "w") as out_fh, open(err_path, "w") as err_fh:
            proc = subprocess.Popen(
                [sys.executable, "-m", "tests.support.faults", *argv], cwd=REPO, env=env, stdout=out_fh, stderr=err_fh
            )
        pid = proc.pid

        def alive() -> bool:
            return proc.poll() is None

    if kill_after is not None or kill_in is not None:
        if kill_in is not None:  # "<label>:<n>@<seconds>": that long after entering the n-th <label>
            where, _, after = kill_in.rpartition("@")
            label, _, nth = where.rpartition(":")
            delay = float(after)

            def start_of(tr):
                starts = [t for lab, t, _, _ in entries(tr) if lab == label]
                return starts[int(nth) - 1] if len(starts) >= int(nth) else None
        else:
            delay = kill_after

            def start_of(tr):
                return next((t for t, s in tr if s == READY), None)

        ready = None
        while ready is None and alive() and time.monotonic() < deadline:
            ready = start_of(_read_trace(trace))
            if ready is None:
                time.sleep(0.001 if kill_in else 0.005)
        if ready is not None:
            while alive() and time.monotonic() < ready + delay:
                time.sleep(min(0.002, max(0.0, ready + delay - time.monotonic())))
            if alive():
                os.kill(pid, signal.SIGKILL)
    if launcher is not None:
        while alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        if alive():
            os.kill(pid, signal.SIGKILL)
            launcher.wait(pid)
            raise AssertionError(f"recsys {' '.join(argv)} did not end in {timeout} s; stderr: {err_path.read_text()[-2000:]}")
        returncode = launcher.wait(pid)
    else:
        try:
            returncode = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise AssertionError(f"recsys {' '.join(argv)} did not end in {timeout} s; stderr: {err_path.read_text()[-2000:]}")
    out, err = out_path.read_text(), err_path.read_text()
    tr = _read_trace(trace)
    killed = returncode == -signal.SIGKILL
    # the stage it died in: the last state it wrote before the kill
    states = [s for _, s in tr if not s.startswith("<fault")]
    stage = (states[-1] if states else "before ready") if killed else ""
    if stage == READY:
        stage = "startup (imports, options, opening the store)"
    return Run(list(argv), returncode, killed, stage, tr, out, err, kill_after, fault_at, kill_in)


def _depth(state: str) -> int:
    return 0 if state.startswith(("after ", "<")) else len(state.split("/"))


def _label(state: str) -> str:
    return state.split("/")[-1].split("[")[0]


def entries(trace: list[tuple[float, str]]) -> list[tuple[str, float, float | None]]:
    """Every span entered, in order: (label, start, end or None if it never ended, the label of
    the span it is inside or "")."""
    rows = [(t, s) for t, s in trace if not s.startswith("<")]
    out, prev = [], 0
    for i, (t, s) in enumerate(rows):
        d = _depth(s)
        if d > prev:
            end = next((u for u, z in rows[i + 1 :] if _depth(z) < d), None)
            parent = s.split("/")[-2].split("[")[0] if d > 1 else ""
            out.append((_label(s), t, end, parent))
        prev = d
    return out


@dataclass
class Profile:
    """A clean run's trace: how long it took from "ready" and which spans it entered how often."""

    duration: float
    counts: dict[str, int] = field(default_factory=dict)
    #: label -> the seconds each of its spans took, in order
    spans: dict[str, list[float]] = field(default_factory=dict)
    #: label -> the label each of its spans was inside ("" at the top), in order
    parents: dict[str, list[str]] = field(default_factory=dict)

    def occurrences(self, label: str, parent: str) -> list[int]:
        """The 1-based occurrences of ``label`` inside a ``parent`` span."""
        return [i + 1 for i, p in enumerate(self.parents.get(label, [])) if p == parent]

    @classmethod
    def of(cls, run: Run) -> "Profile":
        counts: dict[str, int] = {}
        spans: dict[str, list[float]] = {}
        parents: dict[str, list[str]] = {}
        last = run.trace[-1][0] if run.trace else 0.0
        for label, start, end, parent in entries(run.trace):
            counts[label] = counts.get(label, 0) + 1
            spans.setdefault(label, []).append((end if end is not None else last) - start)
            parents.setdefault(label, []).append(parent)
        return cls(run.seconds, counts, spans, parents)


def stage_of(path: str) -> str:
    """The coarse stage of a trace path: its innermost two labels ("drop vector/shard update")."""
    if not path or path.startswith(("startup", "after", "before")):
        return path
    parts = [p.split("[")[0] if not p.startswith("training[") else p for p in path.split("/")]
    parts = [p for p in parts if p not in ("ingest", "chunks")] or parts
    return "/".join(parts[-2:])


KINDS = ("time", "at", "in")


def draw_kills(
    seed: int, n: int, profile: Profile, targets: list[str] | None = None, kinds: tuple[str, ...] = KINDS
) -> list[dict]:
    """``n`` seeded kills, cycling through ``kinds``: "time", uniform over the clean run; "at",
    on entering (``label:exit``: on leaving) a seeded occurrence of a stage; "in", a uniform
    moment inside a seeded occurrence of a stage (over its clean duration). The stages cycle
    through ``targets`` (else every span of the profile), shuffled by the seed."""
    rng = random.Random(seed)
    labels = [t for t in (targets if targets is not None else sorted(profile.counts)) if t.split(":")[0] in profile.counts]
    rng.shuffle(labels)
    inside = [t for t in labels if ":" not in t]
    kills, used = [], {"at": 0, "in": len(inside) // 2}  # "in" starts half way: not the same stages as "at"
    for i in range(n):
        kind = kinds[i % len(kinds)]
        pool = labels if kind == "at" else inside
        if kind == "time" or not pool:
            kills.append({"kill_after": round(rng.uniform(0.0, profile.duration), 4)})
            continue
        label = pool[used[kind] % len(pool)]
        used[kind] += 1
        how = ""
        if ":" in label:
            label, how = label.split(":", 1)
        k = rng.randint(1, max(1, profile.counts.get(label, 1)))
        if kind == "at":
            kills.append({"fault_at": f"{label}:{k}" + (f":{how}" if how else "")})
        else:
            span = profile.spans.get(label, [0.0])[k - 1]
            kills.append({"kill_in": f"{label}:{k}@{round(rng.uniform(0.0, span), 4)}"})
    return kills


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2:])
    else:
        sys.exit(child_main(sys.argv[1:]))


def summarise(records: list[dict], header: str = "") -> str:
    """Trials per stage where the kill landed, the failing ones, and each failure's first lines."""
    from collections import Counter

    lines = [f"{len(records)} trials; killed {sum(r['killed'] for r in records)}{header}"]
    by_stage = Counter(r["stage"] or "(ended before the kill)" for r in records)
    failing = Counter(r["stage"] or "(ended before the kill)" for r in records if r["failures"])
    for stage, n in sorted(by_stage.items()):
        lines.append(f"  {stage}: {n} trial(s), {failing.get(stage, 0)} failing")
    for r in records:
        if r["failures"]:
            how = r.get("fault_at") or r.get("kill_in") or f"{r.get('kill_after')} s"
            lines.append(f"  trial {r['trial']} (kill {how}, in '{r['path']}'): " + "; ".join(r["failures"][:4]))
    return "\n".join(lines)

