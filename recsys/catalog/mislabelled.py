"""What an audio file's first bytes say it is, where its suffix says otherwise.

P2P networks of the 2000s passed AAC streams, WAVs and WMAs around named ".mp3" (a renamed
file found more peers searching for MP3s). FFmpeg reads the sound by its bytes and never minds
the name; mutagen, asked for an MP3's tags, said "can't sync to MPEG frame", and the line read
"cannot read tags (HeaderNotFoundError: can't sync to MPEG frame)": a broken file, by all it
said. The line now names what the file is and the suffix that would have it read whole.
"""

from __future__ import annotations

from pathlib import Path

#: (what the bytes are, the suffix that names them) for each signature tried
_KINDS = (
    (lambda b: b[4:8] == b"ftyp", "an MP4 (AAC) file", ".m4a"),
    (lambda b: b[:4] == b"RIFF" and b[8:12] == b"WAVE", "a WAV file", ".wav"),
    (lambda b: b[:4] == b"fLaC", "a FLAC file", ".flac"),
    (lambda b: b[:4] == b"OggS", "an Ogg file", ".ogg"),
    (lambda b: b[:4] == b"0&\xb2u", "a Windows Media (ASF) file", ".wma"),
    # ADTS: a 12-bit sync and layer 0; an MP3 frame's layer bits are never 0
    (lambda b: len(b) >= 2 and b[0] == 0xFF and b[1] & 0xF6 == 0xF0, "an AAC stream (ADTS)", ".aac"),
)


def mislabelled(path: Path) -> tuple[str, str] | None:
    """(what the file's bytes are, the suffix they call for) when they are no file of its own
    suffix's kind but of another's; None when they say nothing else, or cannot be read."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
    except OSError:
        return None
    suffix = path.suffix.lower()
    for test, kind, right in _KINDS:
        if test(head) and suffix != right and not (right == ".m4a" and suffix in (".m4b", ".m4r", ".mp4", ".aac")):
            return kind, right
    return None


def mislabelled_note(path: Path) -> str:
    """"" or what to add to a tag reader's problem line: ": its bytes are an AAC stream
    (ADTS), not a .mp3 file; named .aac it is read whole"."""
    found = mislabelled(path)
    if found is None:
        return ""
    kind, right = found
    return f"; its bytes are {kind}, not a {path.suffix.lower()} file: named {right} it is read whole"
