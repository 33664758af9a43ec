"""A track's tempo (BPM) and musical key, as DJ software writes them into the tags.

Rekordbox, Traktor, Serato and Mixed In Key tag every track of a DJ's library with its tempo
and key, and a DJ picks the next track by them: one that plays at about the same tempo and in
a key that sounds right over the last (the Camelot wheel). Each tag flavour keeps them under
its own names: ID3 ``TBPM`` / ``TKEY``; Vorbis, FLAC and Opus ``BPM`` / ``INITIALKEY`` (or
``KEY``); MP4 ``tmpo`` (an integer) and the freeform ``----:com.apple.iTunes:initialkey``;
APEv2 ``BPM`` / ``InitialKey``; ASF ``WM/BeatsPerMinute`` / ``WM/InitialKey``.

The key is written in several notations: Camelot ("8A", Mixed In Key's), Open Key ("1m",
Traktor's), or a note name ("Am", "A minor", "F#m", "Bbm", "E♭ major", rekordbox's and most
taggers'). It is kept in one, Camelot, so that a filter on "8A" finds the track tagged "Am"
and the wheel's neighbours are simple arithmetic (``compatible_keys``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mutagen.asf import ASFTags
from mutagen.easyid3 import EasyID3
from mutagen.id3 import ID3
from mutagen.mp4 import MP4Tags

from recsys.catalog.tagvalues import freeform_texts

#: the tempi a tag may give: outside them it is a typo or another number (a year, a track
#: number, a 1280 for 128.0), not a tempo
BPM_RANGE = (30.0, 300.0)

_BPM = re.compile(r"^\s*(\d{1,4}(?:[.,]\d+)?)\s*(?:bpm)?\s*$", re.IGNORECASE)
_CAMELOT = re.compile(r"^\s*0?(1[0-2]|[1-9])\s*([ab])\s*$", re.IGNORECASE)
_OPEN_KEY = re.compile(r"^\s*0?(1[0-2]|[1-9])\s*([md])\s*$", re.IGNORECASE)
#: a note, its accidental and its mode: "A", "Am", "F#m", "Bbm", "E♭ major", "C sharp minor"
_NOTE = re.compile(
    r"^\s*([A-Ga-g])\s*(#|♯|b|♭|-?sharp|-?flat)?\s*(m|M|min|minor|maj|major|moll|dur)?\.?\s*$",
    re.IGNORECASE,
)
_PITCH = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
#: the words that say minor (``m`` lowercase; a lone ``M`` is major, as in chord symbols)
_MINOR = {"m", "min", "minor", "moll"}


def parse_bpm(value: object) -> float | None:
    """A tempo from a tag's value: "128", "127.98", "127,98", "128 BPM", an MP4 integer; None
    for anything else or a tempo outside BPM_RANGE (0, "", "fast"). Two decimals at most."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        bpm = float(value)
    else:
        m = _BPM.match(str(value))
        if m is None:
            return None
        bpm = float(m.group(1).replace(",", "."))
    if not BPM_RANGE[0] <= bpm <= BPM_RANGE[1]:
        return None
    return round(bpm, 2)


def parse_key(value: object) -> str:
    """A key in Camelot notation ("8A": A minor; "8B": C major) from any notation DJ software
    writes: Camelot ("8A", "08a"), Open Key ("1m" = 8A, "1d" = 8B), or a note name with its
    accidental (#, ♯, b, ♭, sharp, flat) and mode (m, min, minor; maj, major, or nothing: major).
    "" when the value is none of these ("", "Off", "?"). A value giving two notations
    ("8A/Am", "Am - 8A") is read by its first readable part."""
    text = str(value).strip()
    if not text:
        return ""
    found = _one_key(text)
    if found:
        return found
    for part in re.split(r"\s*[/|,;]\s*|\s+-\s+|\s*\(\s*|\s*\)\s*", text):
        found = _one_key(part) if part else ""
        if found:
            return found
    return ""


def _one_key(text: str) -> str:
    m = _CAMELOT.match(text)
    if m:
        return f"{int(m.group(1))}{m.group(2).upper()}"
    m = _OPEN_KEY.match(text)
    if m:
        # Open Key 1m is A minor, Camelot's 8A: the numbers are seven apart on one wheel
        number = (int(m.group(1)) + 6) % 12 + 1
        return f"{number}{'A' if m.group(2).lower() == 'm' else 'B'}"
    m = _NOTE.match(text)
    if m is None:
        return ""
    letter, accidental, mode = m.group(1), (m.group(2) or "").lower(), m.group(3) or ""
    pitch = _PITCH[letter.lower()]
    if accidental in ("#", "♯", "sharp", "-sharp"):
        pitch += 1
    elif accidental in ("b", "♭", "flat", "-flat"):
        pitch -= 1
    minor = mode in ("m",) or mode.lower() in _MINOR - {"m"}
    # a step of a fifth (7 semitones) is one step on the wheel; A minor and C major are 8
    root = 9 if minor else 0
    number = (7 * (pitch - root)) % 12
    return f"{(number + 7) % 12 + 1}{'A' if minor else 'B'}"


def compatible_keys(key: str) -> tuple[str, ...]:
    """The keys that mix harmonically with ``key`` (Camelot): itself, its neighbours on the
    wheel (one step either way, same letter: a fifth up or down) and its relative (same
    number, the other letter: A minor and C major). () for a key that is not Camelot."""
    m = _CAMELOT.match(key or "")
    if m is None:
        return ()
    number, letter = int(m.group(1)), m.group(2).upper()
    other = "B" if letter == "A" else "A"
    return (
        f"{number}{letter}", f"{number % 12 + 1}{letter}", f"{(number - 2) % 12 + 1}{letter}", f"{number}{other}",
    )


#: the names each tag flavour keeps the tempo and the key under (compared without case where
#: the format does: Vorbis, APE, MP4 freeform, Matroska)
_ID3_BPM, _ID3_KEY = ("TBPM",), ("TKEY",)
#: the free-named ones, casefolded: an ID3 ``TXXX`` frame's description, an MP4 freeform atom's
#: name (``----:com.apple.iTunes:initialkey``), read by ``tagvalues.freeform_texts``
_ID3_TXXX_BPM, _ID3_TXXX_KEY = frozenset({"bpm", "tempo"}), frozenset({"initialkey", "initial key", "key"})
_MP4_BPM_FREE, _MP4_KEY_FREE = frozenset({"bpm"}), frozenset({"initialkey", "key"})
_ASF_BPM, _ASF_KEY = ("WM/BeatsPerMinute",), ("WM/InitialKey",)
#: the Vorbis-like names (Vorbis comments, APEv2, the APE and Matroska readers' easy keys)
_PLAIN_BPM, _PLAIN_KEY = ("bpm",), ("initialkey", "initial key", "key")


def tempo_and_key(tags: Any, raw_tags: Any) -> tuple[float | None, str]:
    """(BPM, Camelot key) of a file from mutagen's raw tags (``raw_tags``: ID3, MP4, ASF,
    Vorbis, APEv2), else from the easy view the reader made (``tags``: an APE tag on an MP3,
    Matroska's); (None, "") where the tags give none readable."""
    bpms: list[object] = []
    keys: list[object] = []
    for source in (raw_tags, tags):
        if source is None:
            continue
        try:
            b, k = _values(source)
        except Exception:  # noqa: BLE001 - tags of malformed bytes: no tempo or key, the rest stands
            continue
        bpms += b
        keys += k
    bpm = next((v for v in map(parse_bpm, bpms) if v is not None), None)
    key = next((v for v in map(parse_key, keys) if v), "")
    return bpm, key


def _values(tags: Any) -> tuple[list[object], list[object]]:
    """The tempo and key values of one tag object, as written."""
    if isinstance(tags, ID3):
        bpm = [t for f in _frames(tags, _ID3_BPM) for t in f.text]
        key = [t for f in _frames(tags, _ID3_KEY) for t in f.text]
        free = freeform_texts(tags, _ID3_TXXX_BPM | _ID3_TXXX_KEY)
        bpm += [t for name, t in free if name in _ID3_TXXX_BPM]
        key += [t for name, t in free if name in _ID3_TXXX_KEY]
        return bpm, key
    if isinstance(tags, ASFTags):
        return _asf(tags, _ASF_BPM), _asf(tags, _ASF_KEY)
    if isinstance(tags, MP4Tags):
        bpm: list[object] = [v for v in tags.get("tmpo", []) if v]
        free = freeform_texts(tags, _MP4_BPM_FREE | _MP4_KEY_FREE)
        bpm += [t for name, t in free if name in _MP4_BPM_FREE]
        key = [t for name, t in free if name in _MP4_KEY_FREE]
        return bpm, key
    present = _present(tags, _PLAIN_BPM + _PLAIN_KEY)  # once for both: an EasyID3's keys() is dear
    return _plain(tags, _PLAIN_BPM, present), _plain(tags, _PLAIN_KEY, present)


def _frames(tags: ID3, ids: tuple[str, ...]) -> list[Any]:
    return [f for i in ids for f in tags.getall(i)]


def _asf(tags: ASFTags, names: tuple[str, ...]) -> list[object]:
    return [getattr(v, "value", v) for n in names for v in tags.get(n, [])]


def _text(value: object) -> str:
    return bytes(value).decode("utf-8", "replace") if isinstance(value, (bytes, bytearray)) else str(value)


#: mutagen's own listed EasyID3 keys, whose names begin "performer:" and "replaygain_"
_EASYID3_LISTS = frozenset({"performer:*", "replaygain_*_gain"})


def _present(tags: Any, names: tuple[str, ...]) -> dict[str, Any] | None:
    """A tag object's keys by their casefolded form (the last of one form wins), or None where
    it has no keys to read. An EasyID3 is asked for ``names`` alone: its ``keys()`` calls the
    getter of each of its ~80 registered keys (1.2 of a 16.5 s profiled read of 8,000 files,
    two calls a file); its keys are its registered names, lower case, each listed where its
    getter gives a value, as ``in`` asks, and the names its two lists make ("performer:<role>",
    "replaygain_<track>_gain"): none of ``names`` (another registration: as any)."""
    if not (isinstance(tags, Mapping) or hasattr(tags, "keys")):
        return None
    try:
        if isinstance(tags, EasyID3) and EasyID3.ListFallback is None and set(EasyID3.List) <= _EASYID3_LISTS:
            return {n: n for n in names if n in EasyID3.Get and n not in EasyID3.List and n in tags}
        return {str(k).casefold(): k for k in tags.keys()}
    except Exception:  # noqa: BLE001 - a tag object of malformed bytes: no values
        return None


def _plain(tags: Any, names: tuple[str, ...], present: dict[str, Any] | None = None) -> list[object]:
    """Values of ``names`` in a Vorbis comment, an APEv2 tag or a plain mapping, without case
    (``present``: the tags' keys, as ``_present`` gives them, where already asked)."""
    out: list[object] = []
    if present is None:
        present = _present(tags, names)
    if present is not None:
        for name in names:
            real = present.get(name)
            if real is None:
                continue
            try:
                value = tags[real]
            except (KeyError, ValueError):
                continue
            if hasattr(value, "kind") and getattr(value, "kind", 0) != 0:  # an APE binary item
                continue
            if isinstance(value, (str, bytes, bytearray, int, float)):
                out.append(value if isinstance(value, (int, float)) else _text(value))
            else:  # a list of values; an APE text item iterates over its NUL-separated values
                out += [_text(v) for v in value]
    return out
