"""While `recsys serve` holds the embedded store, the CLI's commands go through it: the
server file, the store calls (``serve/routes_store.py``) and ``ServedBackend``.

A real `recsys serve` runs in its own process on a free loopback port over a tiny ingested
catalog; the commands run in this process (the tiny encoders are registered here) with the
same home. The store contract suite also runs on ``ServedBackend`` (tests/test_store_contract.py,
through ``served_over`` below)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from recsys.errors import StoreError, StoreInUseError  # noqa: E402
from recsys.store import EdgeBackend  # noqa: E402
from recsys.store.served import SERVE_FILE, SERVE_LOCK, ServedBackend, ServerFile, ServerInfo, find_server  # noqa: E402
from tests.support.cli import TINY_ARGS, ingested_home, run  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def _one_track_home(tmp_path: Path) -> Path:
    """A RECSYS_HOME whose store holds one collection, "tiny", of one track with a fused vector."""
    import numpy as np

    from recsys.store import CollectionSpec, PointRecord

    home = tmp_path / "home"
    edge = EdgeBackend(home / "store")
    edge.create_collection(CollectionSpec("tiny", {"fused": 4}))
    edge.upsert("tiny", [PointRecord("t1", {"fused": np.ones(4, dtype=np.float32)}, {"title": "One"})])
    edge.close()
    return home


# --- the contract suite's backend: ServedBackend over an app that holds an EdgeBackend --------


class _Host:
    """The server's side without a served collection: a backend and its lock."""

    def __init__(self, backend):
        from serve.state import ReadWriteLock

        self.backend = backend
        self.lock = ReadWriteLock()
        self.changed: list[str] = []

    def store_changed(self, name: str) -> None:
        self.changed.append(name)


class _ServedOverEdge(ServedBackend):
    def __init__(self, root: Path):
        from fastapi import FastAPI
        from starlette.testclient import TestClient

        from serve import routes_store

        self.edge = EdgeBackend(root)
        self.host = _Host(self.edge)
        app = FastAPI()
        app.include_router(routes_store.router(self.host, "tok"))
        client = TestClient(app, base_url="http://127.0.0.1:1", client=("127.0.0.1", 50000),
                            raise_server_exceptions=False)
        super().__init__(ServerInfo(url="http://127.0.0.1:1", pid=os.getpid(), collection="", token="tok"),
                         location=str(root), client=client)

    def close(self) -> None:
        super().close()
        self.edge.close()


def served_over(root: Path) -> ServedBackend:
    """A ServedBackend answered by an in-process app over an EdgeBackend at ``root``."""
    return _ServedOverEdge(root)


# --- a real `recsys serve` beside the CLI -----------------------------------------------------

EXTRA_TITLE = "Zephyr Lantern Overture"


def _wait_for_server(root: Path, proc: subprocess.Popen, seconds: float = 120) -> ServerInfo:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = find_server(root)
        if found is not None:
            return found
        if proc.poll() is not None:
            raise RuntimeError(f"recsys serve exited ({proc.returncode}): {proc.stderr.read() if proc.stderr else ''}")
        time.sleep(0.1)
    raise RuntimeError("recsys serve did not publish its server file")


@pytest.fixture(scope="module")
def served(tmp_path_factory, sample_catalog_master):
    """(home, server info, process, catalog): `recsys serve --port 0` in its own process over
    a copy of the sample catalog ingested by the tiny encoders."""
    import shutil

    catalog = tmp_path_factory.mktemp("served") / "catalog"
    shutil.copytree(sample_catalog_master, catalog)  # the ingest test adds a track to it
    home = ingested_home(tmp_path_factory, catalog, collection="sample")
    env = {**os.environ, "PYTHONPATH": str(REPO), "RECSYS_HOME": str(home)}
    for var in ("RECSYS_API_KEY", "RECSYS_QDRANT_URL", "RECSYS_COLLECTION"):
        env.pop(var, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", "0", "--log-level", "warning"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        info = _wait_for_server(home / "store", proc)
        yield home, info, proc, catalog
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


def _get(info: ServerInfo, path: str, **headers: str):
    import httpx

    return httpx.get(info.url + path, headers=headers, timeout=30, trust_env=False)


def test_the_start_line_names_the_port_it_got(served) -> None:
    """`--port 0` said "on http://127.0.0.1:0/": the line is printed once the port is bound."""
    _, info, proc, _ = served
    first = proc.stderr.readline()
    assert first.startswith("serving ") and f" on {info.url}/ " in first, first
    assert not info.url.endswith(":0")


def test_the_server_file_names_the_server_and_is_private(served) -> None:
    home, info, proc, _ = served
    path = home / "store" / SERVE_FILE
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    data = json.loads(path.read_text())
    assert data["pid"] == proc.pid and data["collection"] == "sample" and data["url"].startswith("http://127.0.0.1:")
    assert info.url == data["url"] and len(info.token) >= 32
    # a second server on the same store is refused in one line naming the first
    with pytest.raises(StoreInUseError, match=f"already served .*PID {proc.pid}"):
        ServerFile(home / "store").acquire()


def test_the_store_calls_need_the_token_and_stay_out_of_the_schema(served) -> None:
    import httpx

    _, info, _, _ = served
    for headers in ({}, {"x-recsys-store-token": "wrong"}):
        resp = httpx.post(info.url + "/internal/store/list_collections", content=b"{}", headers=headers,
                          timeout=30, trust_env=False)
        assert resp.status_code == 401 and "token" in resp.json()["error"]
    schema = _get(info, "/openapi.json").json()
    assert not [p for p in schema["paths"] if p.startswith("/internal")]
    with ServedBackend(info, location="x") as backend:
        assert backend.list_collections() == ["sample"]
        assert backend.count("sample") == 48


def test_info_and_recommend_go_through_the_server(served, capsys) -> None:
    home, info, proc, _ = served
    code, out, err = run(capsys, "info", "--json", "--home", str(home))
    assert code == 0, err
    assert f"recsys serve (PID {proc.pid}" in err and "going through it" in err
    (coll,) = json.loads(out)["collections"]
    assert coll["collection"] == "sample" and coll["points"] == 48 and coll["vectors"]["fused"] == 48
    code, out, err = run(capsys, "recommend", "Thunder", "-k", "3", "--json", "--home", str(home))
    assert code == 0, err
    assert len(json.loads(out)["results"]) == 3


def test_an_ingest_goes_through_the_server_which_then_answers_with_the_new_track(served, capsys) -> None:
    import threading

    home, info, _, catalog = served
    rows = [json.loads(line) for line in (catalog / "manifest.jsonl").read_text().splitlines() if line.strip()]
    extra = {**rows[0], "track_id": "t900", "title": EXTRA_TITLE}
    with open(catalog / "manifest.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(extra) + "\n")
    assert EXTRA_TITLE not in [r["title"] for r in _get(info, f"/api/tracks?q={EXTRA_TITLE}").json()["results"]]

    # the server keeps answering while the ingest runs through it
    answers: list[int] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            answers.append(_get(info, "/api/health").status_code)
            time.sleep(0.02)

    asker = threading.Thread(target=ask)
    asker.start()
    try:
        code, out, err = run(capsys, "ingest", str(catalog), "--collection", "sample", "--home", str(home), *TINY_ARGS, "--json")
    finally:
        stop.set()
        asker.join(30)
    assert code == 0, err
    report = json.loads(out)
    assert report["ingested"] == 1 and report["unchanged"] == 48, report
    assert answers and set(answers) == {200}
    found = _get(info, f"/api/tracks?q={EXTRA_TITLE}").json()["results"]
    assert found[0]["title"] == EXTRA_TITLE and found[0]["track_id"] == "t900"
    assert _get(info, "/api/health").json()["points"] == 49
    code, out, err = run(capsys, "recommend", EXTRA_TITLE, "-k", "3", "--json", "--home", str(home))
    assert code == 0, err
    assert json.loads(out)["seeds"][0]["track_id"] == "t900"


def test_a_retitled_track_is_answered_with_its_new_title_after_an_ingest(served, capsys) -> None:
    """The server keeps the payloads of its hits (a small collection: all of them); an
    ingest through it that retitles one of them is seen by the next recommend."""
    import httpx

    home, info, _, catalog = served
    rows = [json.loads(line) for line in (catalog / "manifest.jsonl").read_text().splitlines() if line.strip()]

    def recommend() -> list[dict]:
        resp = httpx.post(info.url + "/api/recommend", json={"seeds": [rows[0]["track_id"]], "k": 5},
                          timeout=30, trust_env=False)
        assert resp.status_code == 200, resp.text
        return resp.json()["results"]

    before = recommend()
    assert recommend() == before  # the second answer comes from the kept payloads
    target = before[0]["track_id"]
    new_title = "Quasar Retitled Nocturne"
    for row in rows:
        if row["track_id"] == target:
            row["title"] = new_title
    (catalog / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    code, out, err = run(capsys, "ingest", str(catalog), "--collection", "sample", "--home", str(home), *TINY_ARGS, "--json")
    assert code == 0, err
    assert json.loads(out)["updated"] >= 1
    after = {r["track_id"]: r["title"] for r in recommend()}
    assert after.get(target) == new_title, after


def test_a_killed_server_leaves_its_file_and_the_cli_opens_the_store_again(served, capsys) -> None:
    home, info, proc, _ = served
    proc.kill()  # SIGKILL: no shutdown, the file stays behind
    proc.wait(30)
    root = home / "store"
    assert (root / SERVE_FILE).is_file() and (root / SERVE_LOCK).is_file()
    assert find_server(root) is None  # its lock died with it
    # a command that was already talking to it gets one line naming it
    with pytest.raises(StoreError, match=f"recsys serve at {info.url} .*stopped answering") as exc:
        ServedBackend(info, location=str(root)).count("sample")
    assert "\n" not in str(exc.value)
    code, out, err = run(capsys, "info", "--json", "--home", str(home))
    assert code == 0, err
    assert "going through" not in err
    (coll,) = json.loads(out)["collections"]
    assert coll["points"] == 49


def test_a_waiting_writer_goes_before_readers_that_come_after_it() -> None:
    """Under a steady stream of queries an ingest's upserts still get the store."""
    import threading

    from serve.state import ReadWriteLock

    lock = ReadWriteLock()
    order: list[str] = []

    def write() -> None:
        with lock.write():
            order.append("write")

    def read() -> None:
        with lock.read():
            order.append("read")

    first = lock.read()
    first.__enter__()
    writer = threading.Thread(target=write)
    writer.start()
    deadline = time.monotonic() + 10
    while lock._writers_waiting == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.1)
    assert order == []  # the writer waits for the first reader; the later reader waits for the writer
    first.__exit__(None, None, None)
    writer.join(10)
    reader.join(10)
    assert order == ["write", "read"]


def test_a_server_stopped_cleanly_removes_its_file(tmp_path) -> None:
    """uvicorn's shutdown withdraws the file; the lock goes with the server file's release."""
    import threading

    import uvicorn

    from recsys.settings import Settings
    from serve import ServeConfig, create_app
    from serve.runner import StoreServer
    from serve.state import ServeState

    home = _one_track_home(tmp_path)
    server_file = ServerFile(home / "store")
    config = ServeConfig(settings=Settings(home=home), store_token=server_file.token)
    state = ServeState(config)
    state.open()
    server_file.acquire()
    server = StoreServer(uvicorn.Config(create_app(config, state), host="127.0.0.1", port=0, log_level="warning"),
                         server_file, state.name)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while find_server(home / "store") is None:
            assert time.monotonic() < deadline and thread.is_alive()
            time.sleep(0.05)
        info = find_server(home / "store")
        assert info is not None and info.url == server.url and info.collection == "tiny"
        with ServedBackend(info, location=str(home / "store")) as backend:
            assert [p.payload["title"] for p in backend.scroll("tiny")] == ["One"]
    finally:
        server.should_exit = True
        thread.join(30)
        withdrawn = not (home / "store" / SERVE_FILE).exists()  # by uvicorn's shutdown itself
        state.close()
        server_file.release()
    assert withdrawn
    assert find_server(home / "store") is None
    edge = EdgeBackend(home / "store")
    assert edge.count("tiny") == 1  # the store opens directly again
    edge.close()


def _serve_tiny(tmp_path: Path) -> tuple[Path, subprocess.Popen]:
    """(home, process): `recsys serve --port 0` over a one-track collection 'tiny'."""


    home = _one_track_home(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO), "RECSYS_HOME": str(home)}
    for var in ("RECSYS_API_KEY", "RECSYS_QDRANT_URL", "RECSYS_COLLECTION"):
        env.pop(var, None)
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", "0"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return home, proc


def test_two_ctrl_c_stop_the_server_quietly(tmp_path) -> None:
    """A second Ctrl-C makes uvicorn force its exit; it used to cancel the app's lifespan task
    and log that as an error with a traceback. Exit 130, no traceback, and the next command
    opens the store (the server parked it: the console script's process ended)."""
    home, proc = _serve_tiny(tmp_path)
    try:
        _wait_for_server(home / "store", proc)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.05)  # two signals, not one: back to back they can arrive as one
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert proc.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "ERROR" not in err, err[-2000:]
    edge = EdgeBackend(home / "store")
    assert edge.count("tiny") == 1
    edge.close()


def test_sigterm_stops_the_server_after_it_closed_the_store(tmp_path) -> None:
    """SIGTERM (docker, systemd, kubernetes) stops the server as Ctrl-C does: uvicorn raised
    it again once shut down, which killed the process before the store was closed (Popen saw
    -15). Now the process closes the store, with a write made through it, and exits 143."""
    import numpy as np

    from recsys.store import PointRecord

    home, proc = _serve_tiny(tmp_path)
    try:
        info = _wait_for_server(home / "store", proc)
        with ServedBackend(info, location=str(home / "store")) as backend:
            backend.upsert("tiny", [PointRecord("t2", {"fused": np.ones(4, dtype=np.float32)}, {"title": "Two"})])
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert proc.returncode == 143, (proc.returncode, err[-2000:])
    assert "Traceback" not in err and "ERROR" not in err, err[-2000:]
    edge = EdgeBackend(home / "store")
    assert edge.count("tiny") == 2
    edge.close()


def test_a_server_stopped_by_ctrl_c_exits_130_even_when_uvicorn_returns(tmp_path, monkeypatch, capsys) -> None:
    """uvicorn re-raises the Ctrl-C it stopped on and asyncio makes that KeyboardInterrupt;
    CI once saw the server return normally instead (exit 0). A run that received SIGINT and
    returned still exits 130, and the store is released."""

    from serve.runner import StoreServer

    home = _one_track_home(tmp_path)

    def run_and_return(self, sockets=None):  # stopped by Ctrl-C; the re-raise went nowhere
        self.handle_exit(signal.SIGINT, None)
        assert self.should_exit

    monkeypatch.setattr(StoreServer, "run", run_and_return)
    monkeypatch.delenv("RECSYS_API_KEY", raising=False)
    code, _, _ = run(capsys, "serve", "--port", "0", "--home", str(home))
    assert code == 130
    assert find_server(home / "store") is None
    edge = EdgeBackend(home / "store")
    assert edge.count("tiny") == 1
    edge.close()


#: `recsys serve` whose /api/facets/genres request sleeps 1 s and /api/facets/years 120 s inside
#: the store's read lock (as a slow query would), after touching ``$SLOW_MARK<facet>`` to say it
#: started (two facets: the server counts each facet once, and one request waits for the other)
SLOW_SERVER = """
import os, sys, time
import recsys.query.facets as facets
plain = facets.facets
DELAY = {"genres": 1, "years": 120}
def slow(lib, facet, limit=None, clean=False):
    open(os.environ["SLOW_MARK"] + facet, "w").close()
    time.sleep(DELAY[facet])
    return plain(lib, facet, limit, clean=clean)
facets.facets = slow
from cli.main import entrypoint
sys.argv = ["recsys", "serve", "--port", "0"]
entrypoint()
"""


def test_sigterm_waits_for_requests_no_longer_than_the_grace(tmp_path) -> None:
    """A stopping server waited for a request in flight as long as it took. Now it waits
    RECSYS_SERVE_GRACE seconds: a request that ends within them is answered; one that does
    not is dropped, the store is closed under it (a write made before is there after) and the
    process exits 143 soon after the grace, not when the request would have ended."""
    import threading

    import httpx
    import numpy as np

    from recsys.store import PointRecord

    home = _one_track_home(tmp_path)
    mark = str(tmp_path / "started-")
    env = {**os.environ, "PYTHONPATH": str(REPO), "RECSYS_HOME": str(home), "RECSYS_SERVE_GRACE": "3",
           "SLOW_MARK": mark}
    for var in ("RECSYS_API_KEY", "RECSYS_QDRANT_URL", "RECSYS_COLLECTION"):
        env.pop(var, None)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_SERVER], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    answers: dict[int, object] = {}

    def ask(seconds: int) -> None:
        facet = {1: "genres", 120: "years"}[seconds]
        try:
            answers[seconds] = httpx.get(f"{info.url}/api/facets/{facet}", timeout=200, trust_env=False).status_code
        except httpx.HTTPError as exc:
            answers[seconds] = type(exc).__name__

    try:
        info = _wait_for_server(home / "store", proc)
        with ServedBackend(info, location=str(home / "store")) as backend:
            backend.upsert("tiny", [PointRecord("t2", {"fused": np.ones(4, dtype=np.float32)}, {"title": "Two"})])
        askers = [threading.Thread(target=ask, args=(s,), daemon=True) for s in (1, 120)]
        for t in askers:
            t.start()
        deadline = time.monotonic() + 60
        while not all(os.path.exists(mark + s) for s in ("genres", "years")):
            assert time.monotonic() < deadline and proc.poll() is None, "the slow requests did not start"
            time.sleep(0.05)
        signalled = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=40)
        took = time.monotonic() - signalled
        for t in askers:
            t.join(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert proc.returncode == 143, (proc.returncode, err[-2000:])
    assert took < 20, took  # the grace (3 s) and the close, not the 120 s request
    assert answers[1] == 200, answers  # ended within the grace: answered
    assert answers[120] == 503, answers  # dropped, and told so
    assert "closing the store under the requests still running" in err and "Traceback" not in err, err[-2000:]
    edge = EdgeBackend(home / "store")
    assert edge.count("tiny") == 2  # the store was closed (parked) cleanly, with the write
    edge.close()


def test_a_store_closed_under_a_request_refuses_its_next_call(tmp_path) -> None:
    """Past the grace, ``ServeState.close`` stops waiting for a request that holds the store
    and closes it behind the gate: the request's next store call fails (StoreError) instead of
    opening the store again, and the store opens elsewhere at once."""
    import threading


    from recsys.errors import StoreError
    from recsys.settings import Settings
    from serve import ServeConfig
    from serve.state import ServeState

    home = _one_track_home(tmp_path)
    state = ServeState(ServeConfig(settings=Settings(home=home), fill_payload_cache=False))
    state.open()
    closed, result = threading.Event(), {}

    def request() -> None:
        with state.reading() as lib:
            assert lib.backend.count(lib.name) == 1
            closed.wait(30)
            try:
                lib.backend.count(lib.name)
                result["second call"] = "answered"
            except StoreError as exc:
                result["second call"] = str(exc)

    reader = threading.Thread(target=request)
    reader.start()
    time.sleep(0.2)
    began = time.monotonic()
    assert state.close(wait_s=0.5) is False  # closed under the request
    assert 0.4 < time.monotonic() - began < 5
    edge = EdgeBackend(home / "store")  # released: no lock left behind
    assert edge.count("tiny") == 1
    closed.set()
    reader.join(30)
    assert result["second call"] == "the server is stopping: its store is closed"
    edge.close()
