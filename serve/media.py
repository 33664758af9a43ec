"""Serving a catalog file with HTTP range requests (an <audio> element seeks with them)."""

from __future__ import annotations

import mimetypes
import os
import re
from pathlib import Path
from typing import Iterator

from fastapi.responses import Response, StreamingResponse

from serve.errors import error_response

CHUNK = 64 * 1024
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")

#: the types browsers play or show, for the suffixes the catalog readers take
TYPES = {
    ".mp3": "audio/mpeg", ".wav": "audio/wav", ".flac": "audio/flac", ".ogg": "audio/ogg", ".oga": "audio/ogg",
    ".opus": "audio/ogg", ".m4a": "audio/mp4", ".aac": "audio/aac", ".aif": "audio/aiff", ".aiff": "audio/aiff",
    ".wma": "audio/x-ms-wma",
    # suffixes whose guess (Python's mimetypes, /etc/mime.types) is no audio type: a Musepack
    # .mpc is "chemical/x-mopac-input", an .mpp Microsoft Project's, a WavPack .wv a WAP file's
    ".wv": "audio/x-wavpack", ".mpc": "audio/x-musepack", ".mp+": "audio/x-musepack",
    ".tak": "audio/x-tak", ".dff": "audio/x-dff", ".shn": "audio/x-shorten", ".w64": "audio/x-w64",
    # and those with no guess on some systems (octet-stream: a browser downloads, not plays)
    ".m4b": "audio/mp4", ".m4r": "audio/mp4", ".ape": "audio/x-ape", ".tta": "audio/x-tta", ".dsf": "audio/x-dsf",
    ".mka": "audio/x-matroska", ".caf": "audio/x-caf", ".mp2": "audio/mpeg", ".au": "audio/basic",
    ".ac3": "audio/ac3", ".eac3": "audio/eac3", ".dts": "audio/vnd.dts",
    ".snd": "audio/basic", ".aifc": "audio/aiff", ".spx": "audio/ogg", ".ra": "audio/x-pn-realaudio", ".webm": "audio/webm",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".webp": "image/webp", ".gif": "image/gif", ".bmp": "image/bmp", ".tif": "image/tiff", ".tiff": "image/tiff",
}


def _read(path: Path, start: int, length: int) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        fh.seek(start)
        left = length
        while left > 0:
            block = fh.read(min(CHUNK, left))
            if not block:
                return
            left -= len(block)
            yield block


def file_response(path: Path, range_header: str | None) -> Response:
    """The whole file (200), one byte range of it (206), or 416 for a range past its end.
    Several ranges in one header are answered with the whole file, which RFC 9110 allows."""
    size = os.stat(path).st_size
    ctype = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    headers = {"accept-ranges": "bytes", "cache-control": "private, max-age=3600"}
    m = _RANGE.fullmatch((range_header or "").strip())
    if m is None or (not m.group(1) and not m.group(2)):
        headers["content-length"] = str(size)
        return StreamingResponse(_read(path, 0, size), media_type=ctype, headers=headers)
    first, last = m.group(1), m.group(2)
    if first:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    else:  # "bytes=-500": the last 500 bytes
        start, end = max(size - int(last), 0), size - 1
    if start >= size or end < start:
        return error_response(416, f"range {range_header} is outside the file ({size} bytes)",
                              {"content-range": f"bytes */{size}"})
    length = end - start + 1
    headers |= {"content-range": f"bytes {start}-{end}/{size}", "content-length": str(length)}
    return StreamingResponse(_read(path, start, length), status_code=206, media_type=ctype, headers=headers)
