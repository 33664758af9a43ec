"""What a server is started with: the store, the collection, the limits, the access rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from recsys.settings import Settings

#: Upload limits: big enough for an album cover or a one-minute clip, small enough that a
#: single request cannot fill memory or keep a worker busy for long.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_AUDIO_BYTES = 25 * 1024 * 1024
DECODE_SECONDS = 20.0
#: How long a stopping server (SIGTERM, Ctrl-C) waits for the requests in flight before it
#: closes the store under them and exits: within docker's 10 s between SIGTERM and SIGKILL,
#: with time left to close the store.
GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class ServeConfig:
    """``api_key``: when set, every /api call but /api/health needs it (header ``X-API-Key``,
    ``Authorization: Bearer``, or the page's ``recsys_key`` cookie); it is never logged.
    ``cors_origins``: the origins a browser may call the API from (none: same origin only).
    ``clean``: a parent's server (``recsys serve --clean``, ``serve.clean``)."""

    settings: Settings
    collection: str | None = None
    api_key: str | None = field(default=None, repr=False)
    cors_origins: tuple[str, ...] = ()
    max_image_bytes: int = MAX_IMAGE_BYTES
    max_audio_bytes: int = MAX_AUDIO_BYTES
    decode_seconds: float = DECODE_SECONDS
    device: str | None = None
    #: seconds a stopping server waits for the requests in flight (GRACE_SECONDS)
    grace_seconds: float = GRACE_SECONDS
    #: payloads of hits to keep (``recsys.store.payload_cache``); None: the whole collection
    #: when it has at most PAYLOAD_CACHE_POINTS tracks, else none (``state.payload_cache_size``)
    payload_cache: int | None = None
    #: read the collection's payloads into that cache at startup, in the background (else
    #: only the requests' hits go in)
    fill_payload_cache: bool = True
    #: the token of the store's server file (``recsys.store.served``): commands run beside the
    #: server send it to make their store calls through it; None: those calls are refused
    store_token: str | None = field(default=None, repr=False)
    #: a clean server (``serve.clean``): every answer as with ``filters.clean``, whatever a
    #: request says, and a track marked explicit is not served by id, title or artist
    clean: bool = False
