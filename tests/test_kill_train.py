"""Issue 9, fault injection: `recsys train` SIGKILLed at seeded random moments (by time over a
clean run, and at seeded stages: reading vectors, mining, the epochs, the checkpoint write and
each step of the fused-vector switch) never leaves the collection unusable.

Setup: the 48-track sample catalog ingested with the tiny encoders and trained once (the
collection's fused vector is then ``fused_v1``, the "previous model"). Each trial copies that
home, runs ``recsys train`` in a child process (tests/support/faults.py) and SIGKILLs it; then:

* every command opens the collection: ``recsys info``, ``recsys recommend <a known title>``
  and ``recsys query --image <cover> --using fused`` (which loads the checkpoint) exit 0;
* the fused vectors are complete: the points holding the collection's current fused vector
  are all the tracks;
* the previous model still answers: while the metadata names ``fused_v1``, its vectors and
  the recommendation are the ones from before the kill;
* the next ``recsys train`` succeeds with no manual cleanup, and leaves a complete fused vector.

* after it, the collection holds one fused vector: a fused_vN a killed run left behind (added
  but never switched to, or switched from but not yet dropped) is gone ("orphans"). The default suite runs 2 seeded trials; ``-m slow`` runs 24 (RECSYS_KILL_TRIALS,
RECSYS_KILL_SEED override). RECSYS_FAULT_REPORT=<file> appends one JSON line per trial.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from cli.main import main
from recsys.collection import CollectionMeta
from recsys.modalities import FUSED
from recsys.store import open_backend
from tests.support.cli import TINY_ARGS
from tests.support.faults import KINDS, Launcher, Profile, draw_kills, run_cli, stage_of
from tests.support.faults import summarise as summarise_trials

COLLECTION = "s"
TRAIN = ["train", "--epochs", "3", "--threads", "1", "--json"]
#: the stages a seeded stage-kill picks from: the whole vector switch, enter and exit
SWITCH = [
    "checkpoint write", "embed", "add vector", "add vector:exit", "set vectors", "set vectors:exit",
    "metadata write", "metadata write:exit", "drop vector", "drop vector:exit", "shard update",
    "shard update:exit", "file write", "file write:exit",
]
TARGETS = ["read vectors", "open shard", "mining", "training", "close store", *SWITCH]


@pytest.fixture
def launcher():
    """The warm parent the killed commands are forked from (the imports are paid once)."""
    warm = Launcher(preload=("torch", "torch._inductor", "training.job", "training.train", "recsys.fusion.model"))
    yield warm
    warm.close()


def first_line(text: str) -> str:
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return next((l for l in lines if l.startswith(("error", "Traceback"))), lines[-1] if lines else "")


def cli(capsys, rec: dict, what: str, argv: list[str]) -> tuple[int | None, str]:
    """One CLI call through the error boundary; its exit code and first error line go in ``rec``."""
    try:
        code = main(argv)
        out, err = capsys.readouterr()
    except BaseException as exc:  # escaped the boundary: the user would see a traceback
        capsys.readouterr()
        code, out, err = None, "", f"Traceback: {type(exc).__name__}: {exc}"
        rec["tracebacks"] += 1
    rec[f"{what}_rc"] = code
    if err.strip():  # what the user reads on stderr, even on success (a repair notice, a warning)
        rec[f"{what}_stderr"] = err.strip()[-500:]
    if code != 0:
        rec[f"{what}_msg"] = first_line(err)
        rec["failures"].append(f"`recsys {what}` exited {code}: {first_line(err)}")
    return code, out


def fused_state(home: Path) -> dict:
    b = open_backend(home / "store")
    try:
        spec = b.get_spec(COLLECTION)
        meta = CollectionMeta.from_dict(spec.metadata)
        name = meta.physical(FUSED)
        out = {
            "name": name, "vectors": sorted(spec.vectors), "points": b.count(COLLECTION),
            "checkpoint": meta.fused.checkpoint,
            "fused_count": b.count(COLLECTION, using=name) if name in spec.vectors else None,
        }
        out["fused"] = {p.track_id: np.asarray(p.vectors[name]) for p in b.scroll(COLLECTION, using=name, with_vectors=True)} if name in spec.vectors else {}
        return out
    finally:
        b.close()


@pytest.fixture
def trained_home(sample_catalog, tmp_path, capsys, launcher):
    """A home with the sample catalog ingested and trained once (fused_v1), what it answers, and
    the profile of that first train (a traced child: the same stages as every later train)."""
    home = tmp_path / "base"
    assert main(["ingest", str(sample_catalog), "-c", COLLECTION, "--home", str(home), "-b", "16", *TINY_ARGS, "--json"]) == 0
    first = run_cli(TRAIN, home, tmp_path / "first.trace", launcher=launcher)
    assert first.returncode == 0, f"the clean traced train failed: {first.stderr[-2000:]}"
    capsys.readouterr()
    seed = json.loads((sample_catalog / "manifest.jsonl").read_text().splitlines()[0])
    cover = sample_catalog / json.loads((sample_catalog / "sample_queries.json").read_text())["cover"]["path"]
    recommend = ["recommend", seed["title"], "--artist", seed["artist"], "--json", "-k", "5"]
    assert main([*recommend, "--home", str(home)]) == 0
    answer = [r["track_id"] for r in json.loads(capsys.readouterr().out)["results"]]
    state = fused_state(home)
    assert state["name"] == "fused_v1" and state["fused_count"] == state["points"] == 48
    return {
        "home": home, "recommend": recommend, "answer": answer, "cover": cover, "state": state,
        "profile": Profile.of(first),
    }


def run_trials(
    base: dict, tmp_path: Path, capsys, launcher, seed: int, n: int, targets=TARGETS, kinds=KINDS, kills=None
) -> list[dict]:
    profile = base["profile"]
    n_tracks = base["state"]["points"]
    records = []
    for i, kill in enumerate(kills if kills is not None else draw_kills(seed, n, profile, targets, kinds)):
        home = tmp_path / f"trial{i}"
        shutil.copytree(base["home"], home)
        t0 = time.monotonic()
        run = run_cli(TRAIN, home, tmp_path / f"trial{i}.trace", launcher=launcher, **kill)
        rec = {
            "test": "train", "seed": seed, "trial": i, **kill, "killed": run.killed, "stage": stage_of(run.stage),
            "path": run.stage, "failures": [], "tracebacks": int("Traceback" in run.stderr), "killed_rc": run.returncode,
        }
        if not run.killed and run.returncode != 0:
            rec["failures"].append(f"the traced train failed by itself (rc {run.returncode}): {first_line(run.stderr)}")
        h = ["--home", str(home)]
        # every command opens the collection
        code, out = cli(capsys, rec, "info", ["info", "--json", *h])
        if code == 0:
            c = json.loads(out)["collections"][0]
            if c["points"] != n_tracks or c["vectors"].get("fused") != n_tracks:
                rec["failures"].append(f"info after the kill: {c['points']} points, {c['vectors'].get('fused')} fused vectors (want {n_tracks})")
        code, out = cli(capsys, rec, "recommend", [*base["recommend"], *h])
        answer = [r["track_id"] for r in json.loads(out)["results"]] if code == 0 else None
        if code == 0 and len(answer) != 5:
            rec["failures"].append(f"recommend after the kill gave {len(answer)} results, not 5")
        code, out = cli(capsys, rec, "query", ["query", "--image", str(base["cover"]), "--using", "fused", "--json", *h])
        if code == 0 and not json.loads(out)["results"]:
            rec["failures"].append("query --image --using fused after the kill found nothing")
        # the fused vectors are complete, and the previous model still answers while it is current
        try:
            st = fused_state(home)
        except Exception as exc:
            st = None
            rec["unusable"] = True
            rec["failures"].append(f"collection unusable after the kill: {type(exc).__name__}: {exc}")
        if st is not None:
            rec["current"] = st["name"]
            if st["fused_count"] != n_tracks:
                rec["failures"].append(f"fused vector {st['name']} held by {st['fused_count']} of {n_tracks} points after the kill")
            if st["name"] == base["state"]["name"]:
                old = base["state"]["fused"]
                if st["fused"].keys() != old.keys() or any(np.max(np.abs(st["fused"][t] - old[t])) > 1e-6 for t in old):
                    rec["failures"].append("the previous model's fused vectors changed after the kill")
                if answer is not None and answer != base["answer"]:
                    rec["failures"].append(f"the previous model answers differently: {answer} != {base['answer']}")
            elif not (st["checkpoint"] and Path(st["checkpoint"], "fusion.safetensors").exists()):
                rec["failures"].append(f"metadata names {st['name']} but its checkpoint {st['checkpoint']} is missing")
        # the next train succeeds without manual cleanup
        code, out = cli(capsys, rec, "retrain", ["train", "--epochs", "1", "--threads", "1", "--json", *h])
        if code == 0:
            try:
                after = fused_state(home)
            except Exception as exc:
                rec["unusable"] = True
                rec["failures"].append(f"collection unusable after the next train: {type(exc).__name__}: {exc}")
            else:
                if after["fused_count"] != n_tracks:
                    rec["failures"].append(f"after the next train {after['name']} is held by {after['fused_count']} of {n_tracks} points")
                rec["orphans"] = [v for v in after["vectors"] if v.startswith(f"{FUSED}_v") and v != after["name"]]
                if rec["orphans"]:
                    rec["failures"].append(f"the next train left fused vectors no metadata names: {rec['orphans']} (current {after['name']})")
                code, _ = cli(capsys, rec, "recommend_after", [*base["recommend"], *h])
        else:
            rec["unusable"] = True
        rec["seconds"] = round(time.monotonic() - t0, 2)
        records.append(rec)
        report_path = os.environ.get("RECSYS_FAULT_REPORT")
        if report_path:
            with open(report_path, "a") as fh:
                fh.write(json.dumps(rec) + "\n")
    return records


def summarise(records: list[dict]) -> str:
    orphans = sum(bool(r.get("orphans")) for r in records)
    return summarise_trials(records, f"; orphaned named vectors after the next train in {orphans}")


def check(records: list[dict]) -> None:
    text = summarise(records)
    print(text)
    assert all(r["tracebacks"] == 0 for r in records), "a traceback reached the user:\n" + text
    assert not any(r["failures"] for r in records), (
        "a killed `recsys train` left the collection unusable or the next train failing "
        "(library bug: the fused-vector switch is not crash safe):\n" + text
    )


def test_killed_train_leaves_a_usable_collection(trained_home, tmp_path, capsys, launcher):
    seed = int(os.environ.get("RECSYS_KILL_SEED", "9"))
    records = run_trials(trained_home, tmp_path, capsys, launcher, seed, 2, targets=SWITCH, kinds=("at", "in"))
    with capsys.disabled():
        check(records)


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_killed_train_leaves_a_usable_collection_many_trials(trained_home, tmp_path, capsys, launcher):
    seed = int(os.environ.get("RECSYS_KILL_SEED", "2026"))
    n = int(os.environ.get("RECSYS_KILL_TRIALS", "24"))
    records = run_trials(trained_home, tmp_path, capsys, launcher, seed, n)
    with capsys.disabled():
        check(records)
    assert n >= 20
    assert len({r["stage"] for r in records if r["killed"]}) >= 8, "the kills did not cover the stages:\n" + summarise(records)


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_killed_train_at_every_step_of_the_vector_switch(trained_home, tmp_path, capsys, launcher):
    """Not drawn but swept: a kill on entering and on leaving every occurrence of every step of
    the switch (checkpoint, embed, add vector, set vectors, metadata write, drop vector, each
    shard update and each file write inside them)."""
    profile = trained_home["profile"]
    labels = sorted({t.split(":")[0] for t in SWITCH} & set(profile.counts))
    kills = [
        {"fault_at": f"{label}:{k}" + (":exit" if when == "exit" else "")}
        for label in labels for k in range(1, profile.counts[label] + 1) for when in ("enter", "exit")
    ]
    records = run_trials(trained_home, tmp_path, capsys, launcher, 0, len(kills), kills=kills)
    with capsys.disabled():
        check(records)
    assert all(r["killed"] for r in records), "a stage kill did not fire:\n" + summarise(records)


#: milliseconds after the native call that adds or drops a named vector began: Edge writes its
#: segments and then its own config inside that one call, a window of a few ms
INSIDE_MS = (0, 1, 2, 3, 4, 6, 8, 12, 20, 40)


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_killed_train_inside_the_native_vector_change(trained_home, tmp_path, capsys, launcher):
    """A kill inside Edge's own add/drop of a named vector (between its segment writes and its
    config write: "config is incompatible with existing segments" at the next open, before the
    fix), at fixed offsets from the start of that store call."""
    profile = trained_home["profile"]
    ks = [k for parent in ("add vector", "drop vector") for k in profile.occurrences("shard update", parent)]
    assert len(ks) == 2, f"the vector switch did not go through two store updates: {profile.parents}"
    kills = [{"kill_in": f"shard update:{k}@{ms / 1000}"} for k in ks for ms in INSIDE_MS]
    records = run_trials(trained_home, tmp_path, capsys, launcher, 0, len(kills), kills=kills)
    with capsys.disabled():
        check(records)
