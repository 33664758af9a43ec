"""Helpers for tests that drive the CLI in-process: the tiny-encoder options, one call, a home
with a catalog ingested by the tiny encoders, and the API over such a home."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from cli.main import main

TINY_ARGS = ["--text-encoder", "tiny-text", "--image-encoder", "tiny-image", "--audio-encoder", "tiny-audio"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of one ``recsys`` call through the error boundary."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ingested_home(tmp_path_factory, catalog: Path, collection: str = "sample") -> Path:
    """A fresh RECSYS_HOME with ``catalog`` ingested by the tiny encoders."""
    from tests.support.tiny_encoders import register_tiny_encoders

    register_tiny_encoders()
    home = tmp_path_factory.mktemp("home")
    code = main(["ingest", str(catalog), "--collection", collection, "--home", str(home), *TINY_ARGS, "--json"])
    assert code == 0
    return home


@contextmanager
def api_client(home: Path, **config) -> Iterator:
    """A FastAPI TestClient of ``recsys serve`` over ``home``'s store, the store closed after;
    ``config``: more of ``ServeConfig``'s fields (``clean=True``: ``recsys serve --clean``)."""
    import pytest

    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from recsys.settings import Settings
    from serve import ServeConfig, create_app
    from serve.state import ServeState

    cfg = ServeConfig(settings=Settings(home=home), **config)
    st = ServeState(cfg)
    st.open()
    try:
        with TestClient(create_app(cfg, st), raise_server_exceptions=False) as client:
            yield client
    finally:
        st.close()
