"""Errors a user can act on. The CLI prints them as one line: ``error: <message>``."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path
from typing import Iterator


class RecsysError(Exception):
    """Base class for every error whose message is meant for the user."""


class CatalogError(RecsysError):
    """A catalog cannot be read at all (missing manifest, unknown format)."""


class MediaError(RecsysError):
    """An audio or image file is missing, empty, corrupt or cannot be decoded."""


class EncoderError(RecsysError):
    """An encoder is unknown, cannot be loaded, or does not match a collection."""


class StoreError(RecsysError):
    """The vector store cannot be opened or answered with an error."""


class StoreInUseError(StoreError):
    """The embedded store is locked by another process."""


class NotFoundError(RecsysError):
    """A title, track or collection was not found."""


class OutputError(RecsysError):
    """A file the user asked for (``-o``) cannot be written: a folder that cannot be made, no
    permission, a full disk."""


@contextlib.contextmanager
def writing_to(path) -> Iterator[None]:
    """Writes of an ``-o`` file: an ``OSError`` of a file becomes one line naming the file asked
    for, not the hidden ``.NAME.partial`` it is written through, nor the exception's class. An
    error that is no file's (a dropped connection to a served store while the file is written)
    goes on as it was."""
    try:
        yield
    except OSError as e:
        if e.filename is None and e.errno not in _FILE_ERRNOS:
            raise
        reason = os.strerror(e.errno) if e.errno else (str(e) or type(e).__name__)
        if e.errno in (errno.EEXIST, errno.ENOTDIR) and e.filename is not None:
            # a file where a folder of the path must be: "x/mix.m3u8" with a file "x"
            blocking = next((p for p in (Path(e.filename), *Path(e.filename).parents) if p.exists() and not p.is_dir()), None)
            reason = f"{blocking} is a file, not a folder" if blocking is not None else reason
        raise OutputError(f"cannot write {path}: {reason[:1].lower() + reason[1:]}") from e


def _file_errnos() -> frozenset[int]:
    names = ("ENOENT", "EACCES", "EPERM", "ENOSPC", "EDQUOT", "EROFS", "EISDIR", "ENOTDIR", "EEXIST", "EFBIG",
             "EIO", "ENAMETOOLONG", "ELOOP", "ETXTBSY", "EMFILE", "ENFILE")
    return frozenset(getattr(errno, n) for n in names if hasattr(errno, n))


_FILE_ERRNOS = _file_errnos()
