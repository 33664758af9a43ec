"""A track's parental advisory: explicit, clean, or unknown (most files carry none).

A parent's radio (``--clean``, ``recsys.query.clean``) leaves explicit tracks out, and of a song
owned explicit and clean it plays the clean copy. The advisory is read (``TrackRecord.explicit``:
True, False, or None where nothing says; the payload's ``advisory``: "explicit", "clean" or no
field) from:

- **the tags**: MP4's ``rtng`` atom, as iTunes and Apple Music write it (1, or the older 4:
  explicit; 2: clean; 0: no advisory, what a tagger writes to clear it); ``ITUNESADVISORY``
  with the same values, as Picard, Mp3tag and foobar2000 write it: ID3 ``TXXX:ITUNESADVISORY``,
  a Vorbis comment in FLAC, Ogg and Opus, an MP4 freeform atom, an APEv2 item; ``EXPLICIT``,
  the streaming services' flag as their downloaders write it ("1"/"0", "true"/"false": a "0"
  is the service saying "not explicit", so false);
- **the title**: a store's or a ripper's mark, "[Explicit]", "(Explicit Version)", a mixtape's
  "(Dirty)", "- Explicit", and a swear word written out, a mixtape's "Fuck Up Some Commas"
  (explicit); "[Clean]", "(Clean Version)", "(Censored)", "- Clean", and a starred swear word,
  a clean edit's "B***h, Don't Kill My Vibe" (clean; ``censored`` has both words' lists);
- **the album**, where the track itself says nothing: Amazon's "Views [Explicit]", a mixtape's
  "Dedication 2 (Clean)". A track of an album marked explicit counts as explicit: the store
  marked the album for some of its tracks, and a parent's radio is better without a clean
  track of it than with an explicit one.

What says explicit wins over what says clean (a tag of 2 on a title marked "[Explicit]"): a
wrong "explicit" costs a song the clean radio, a wrong "clean" lets a swear word in.

``advisory`` is out of the hashes (a derived field, ``model.SPARSE_DERIVED_KEYS``): a change of
these rules that changes what they find bumps ``model.DERIVED_RULES``, so that the next ingest
rewrites the stored payloads without encoding anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Iterable

from mutagen.asf import ASFTags
from mutagen.id3 import ID3
from mutagen.mp4 import MP4Tags

from recsys.catalog.censored import spelled_out, uncensored
from recsys.catalog.tagvalues import freeform_texts

#: the tag names (compared without case) holding iTunes' advisory values, and the streaming
#: services' explicit flag
ADVISORY_NAMES = frozenset({"itunesadvisory"})
EXPLICIT_NAMES = frozenset({"explicit"})
#: MP4's own atom of the advisory, and the freeform atoms other taggers write
_MP4_RATING = "rtng"

#: the values that say explicit or clean, in either field, lower case; "0" is "none" to the
#: advisory (Apple's own "no advisory") and "not explicit" to the explicit flag
_EXPLICIT_VALUES = frozenset({"1", "4", "explicit", "true", "yes"})
_CLEAN_VALUES = frozenset({"2", "clean"})
_NOT_EXPLICIT_VALUES = frozenset({"0", "false", "no"})

#: a mark at the end of a title or an album (several may follow it: "Hype [Explicit] [Bonus]"
#: is found by ``search``, so anywhere in brackets), or after a dash at the end
_EXPLICIT_MARK = re.compile(
    r"[\(\[]\s*(?:explicit|dirty|uncensored)(?:\s+(?:album\s+)?(?:version|content|lyrics|edit))?\s*[\)\]]"
    r"|\s-\s+(?:explicit|dirty)(?:\s+(?:album\s+)?version)?\s*$",
    re.IGNORECASE,
)
_CLEAN_MARK = re.compile(
    r"[\(\[]\s*(?:clean|censored)(?:\s+(?:album\s+)?(?:radio\s+)?(?:version|edit|lyrics))?\s*[\)\]]"
    r"|\s-\s+clean(?:\s+(?:version|edit))?\s*$",
    re.IGNORECASE,
)


def _unmarked(title: str) -> bool:
    """Whether ``title`` holds no word of a mark's nor a swear word's root (each of
    ``censored.SPELLED_OUT`` holds one), so that no rule can find an advisory in it: what most
    titles and albums are, told in a tenth of the time the case-blind regexes take."""
    low = title.lower()
    return not ("explicit" in low or "dirty" in low or "censored" in low or "clean" in low
                or "fuck" in low or "shit" in low or "bitch" in low or "nigg" in low)


def advisory_value(value: object, field: str = "itunesadvisory") -> bool | None:
    """One tag value read as the advisory: True (explicit), False (clean, or the explicit flag's
    "0"), None (no advisory, or a value that says nothing: "", "3", "maybe"). ``field``: the
    tag's name, lower case ("itunesadvisory" or "explicit")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("utf-8", "replace")
    text = str(value).strip().strip("\x00").lower()
    if text in _EXPLICIT_VALUES:
        return True
    if text in _CLEAN_VALUES:
        return False
    if text in _NOT_EXPLICIT_VALUES and field in EXPLICIT_NAMES:
        return False
    return None


def verdict(values: Iterable[bool | None]) -> bool | None:
    """True where any says explicit, else False where any says clean, else None."""
    found = set(values)
    return True if True in found else False if False in found else None


def tagged_advisory(tags: Any, raw_tags: Any) -> bool | None:
    """The advisory a file's tags give (``verdict`` of every advisory and explicit value), from
    mutagen's raw tags (MP4, ID3, Vorbis, APEv2, ASF) and the easy view the reader made
    (``tags``: an APE tag on an MP3, Matroska's); None where they give none. Tags of malformed
    bytes give none: the rest of the file stands."""
    found: list[bool | None] = []
    for source in (raw_tags, tags):
        if source is None:
            continue
        try:
            found += [advisory_value(v, name) for name, v in _values(source)]
        except Exception:  # noqa: BLE001 - a tag object of malformed bytes says nothing
            continue
    return verdict(found)


def _values(tags: Any) -> list[tuple[str, object]]:
    """(field name, value) of every advisory and explicit value of one tag object."""
    names = ADVISORY_NAMES | EXPLICIT_NAMES
    if isinstance(tags, ID3):
        return [*freeform_texts(tags, names)]
    if isinstance(tags, MP4Tags):
        # mutagen gives ``rtng`` as a list of ints; the freeform atoms as MP4FreeForm bytes
        return [("itunesadvisory", v) for v in tags.get(_MP4_RATING) or ()] + [*freeform_texts(tags, names)]
    if isinstance(tags, ASFTags):
        return [(k.casefold(), getattr(v, "value", v)) for k, vs in tags.items() if k.casefold() in names for v in vs]
    if not (isinstance(tags, Mapping) or hasattr(tags, "keys")):
        return []
    out = []
    for key in list(tags.keys()):  # Vorbis comments, APEv2, a mapping: names without case
        folded = str(key).casefold()
        if folded not in names:
            continue
        value = tags[key]
        if getattr(value, "kind", 0) != 0:  # an APE binary item
            continue
        for item in value if isinstance(value, list) else [value]:
            # several values NUL-joined in one (ID3v2.4's separator, an APE text item's)
            out += [(folded, v) for v in ([item] if isinstance(item, (int, bytes)) else str(item).split("\x00"))]
    return out


def marked_advisory(title: str, words: bool = True) -> bool | None:
    """The advisory a title's (or an album's) marks give: True for "[Explicit]", "(Dirty)",
    "- Explicit"... and, with ``words``, a swear word written out ("Fuck Up Some Commas",
    ``censored.spelled_out``); False for "[Clean]", "(Clean Version)", "(Censored)", "- Clean"
    and for a starred swear word ("B***h", ``censored.uncensored``); None without one."""
    if not title or ("*" not in title and _unmarked(title)):
        return None
    explicit = _EXPLICIT_MARK.search(title) is not None or (words and spelled_out(title))
    clean = _CLEAN_MARK.search(title) is not None or ("*" in title and uncensored(title) != title)
    return verdict((explicit or None, False if clean else None))


def advisory_of(tagged: bool | None, title: str, album: str = "") -> bool | None:
    """A track's advisory: its tags' (``tagged``) and its title's marks (``verdict`` of both:
    explicit wins), else its album's marks, else None. An album's swear word marks none of its
    tracks (Miles Davis's instrumental "Bitches Brew"): only a store's mark speaks for them."""
    own = verdict((tagged, marked_advisory(title)))
    return own if own is not None else marked_advisory(album, words=False)
