"""User data (titles, tags, paths, messages) as plain text for a terminal or a file a terminal
may show: what the CLI prints and what a playlist writes."""

from __future__ import annotations

import re

# Terminal control sequences a title, tag, path or message may carry: CSI (ESC [ or C1 0x9b,
# e.g. colours), OSC (ESC ] or C1 0x9d up to BEL or ST, e.g. OSC 8 hyperlinks, window titles),
# DCS/SOS/PM/APC strings (up to ST) and two-byte ESC sequences; then any other C0, DEL or C1
# character alone.
_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r"[\t\n]+")
_SURROGATES = re.compile("[\ud800-\udfff]")


def plain_text(value: object, newlines: bool = False) -> str:
    """``value`` as text a terminal shows as written: escape sequences (colours, OSC 8 links,
    window titles) removed, other control characters dropped, tabs and newlines made spaces
    unless ``newlines``."""
    s = _CONTROLS.sub("", _SEQUENCES.sub("", str(value)))
    s = _SURROGATES.sub("\ufffd", s)  # a file name that is not UTF-8: not encodable on a terminal
    return s if newlines else _BREAKS.sub(" ", s)


def described(title: str, artist: str) -> str:
    """'"Title" by Artist', or '"Title"' for a track without an artist (not 'by ' and nothing)."""
    return f'"{title}" by {artist}' if artist and artist.strip() else f'"{title}"'


def escaped(value: object) -> str:
    """``value`` on one line as a problem line quotes it: line breaks, NULs, terminal escapes
    and other unprintable characters written as Python escapes (``\\n``, ``\\x1b``)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(value))


def with_article(word: str) -> str:
    """"an image", "an audio", "a text": the article a modality name takes in a sentence."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"
