"""recsys serve: the HTTP API (FastAPI) over the same library calls as the CLI, and the
demo web page (``serve/static``) served by the same process."""

from serve.app import create_app
from serve.config import ServeConfig

__all__ = ["ServeConfig", "create_app"]
