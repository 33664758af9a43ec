"""The server against its own OpenAPI schema: schemathesis generates requests for every
operation (in-process, through ASGI) and checks that none answers 5xx and that every answer
matches the schema: status codes, content types and bodies. Bounded to run in well under a
minute on the sample catalog."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from recsys.settings import Settings  # noqa: E402
from serve import ServeConfig, create_app  # noqa: E402
from serve.state import ServeState  # noqa: E402
from tests.support.cli import ingested_home  # noqa: E402

#: examples per operation: 14 operations (the map aside), each call a few milliseconds
EXAMPLES = 25


@pytest.fixture(scope="module")
def app(tmp_path_factory, sample_catalog_master):
    from tests.support.tiny_encoders import register_tiny_encoders

    register_tiny_encoders()
    home = ingested_home(tmp_path_factory, sample_catalog_master)
    state = ServeState(ServeConfig(settings=Settings(home=home)))
    state.open()
    yield create_app(ServeConfig(settings=Settings(home=home)), state)
    state.close()


def operations(app):
    loaded = schemathesis.openapi.from_asgi("/openapi.json", app)
    # the map's umap and t-SNE projections take seconds each (numba compiles on first use):
    # the map is checked with pca in test_serve_api.py
    for result in loaded.exclude(path="/api/map").get_all_operations():
        yield result.ok()


def test_every_operation_answers_by_its_schema(app):
    """For each operation (a loop, not schemathesis' pytest plugin, which needs the app at
    import time), ``EXAMPLES`` generated requests: no 5xx, and each answer as documented."""
    from hypothesis import given
    from schemathesis.checks import (
        content_type_conformance, not_a_server_error, response_schema_conformance, status_code_conformance,
    )

    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    seen = []
    for operation in operations(app):
        seen.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def check(case) -> None:
            case.call_and_validate(checks=checks)

        check()
    assert len(seen) == 15, seen


def test_the_schema_lists_every_route(app):
    paths = set(app.openapi()["paths"])
    assert {"/api/tracks", "/api/recommend", "/api/playlist", "/api/playlist.m3u8", "/api/path", "/api/query/text",
            "/api/query/image", "/api/query/audio", "/api/tracks/{track_id}", "/api/tracks/{track_id}/cover",
            "/api/tracks/{track_id}/audio", "/api/facets/{facet}", "/api/info", "/api/live", "/api/health", "/api/map"} == paths
