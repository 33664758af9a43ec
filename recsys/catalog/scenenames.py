"""Names the MP3 scene gives its releases: "01-kenta_cho-torus_trooper-(original_mix)-anjunabeats.mp3"
in "Kenta_Cho-Torus_Trooper-(ANJ123)-WEB-2023-ZzZz/".

A DJ's library holds many such releases (0-day web releases of labels' singles and EPs). The
scene's naming rules allow no spaces: words are joined by underscores, the fields (track
number, artist, title, the mix in brackets, sometimes the label or the group) by bare hyphens,
names lowercase. Read as any name, a file was titled "kenta_cho-torus_trooper-(original_mix)-
anjunabeats" with no artist (``filenames`` cuts only at spaced dashes, as "Jay-Z" needs), and
its album was the release folder's whole name.

``readable_stem`` gives such a file name the usual form, "01 Kenta Cho - Torus Trooper (Original
Mix)", which ``filenames`` then reads as it reads any: a name counts only when it is one of the
scene's (a track number of two or three digits, a hyphen, at least an artist and a title, an
underscore, no space). What follows the title's last bracket (the label, the group) is dropped.
Lowercase names get their words' first letters capitalised ("kenta_cho" is "Kenta Cho"; small
words such as "and", "x", "vs" stay lowercase): the scene lost the case, this is a guess, as
good as any, and filters and facets fold case anyway. A hyphen inside a title ("x-ray") cannot
be told from a field's: a title's words joined so read as two fields, the second in the title.

``release_folder`` reads a release folder's name, "Artist-Album-(CATNO)-WEB-2023-GROUP", as its
album ("Torus Trooper") and artist ("Kenta Cho"; none for the scene's "VA", various artists).
"""

from __future__ import annotations

import re

#: "01-artist-title...", "101-..." (disc 1 track 01): no space, an underscore somewhere
_SCENE_FILE = re.compile(r"^(?P<number>\d{2,3})-(?P<artist>[^-\s]+)-(?P<rest>[^\s]+)$")
#: what the scene's release folder ends with: the source, maybe a language, the year, the group
_RELEASE = re.compile(
    r"^(?P<artist>[^-\s]+)-(?P<album>[^\s]+?)(?:-\([^\s)]+\))*"
    r"(?:-(?:[A-Z]{2}|EP|LP|REMASTERED|PROMO|BONUS|LTD|DELUXE|\(?REISSUE\)?))*"
    r"-(?:WEB|CD|CDM|CDS|CDR|[2-9]CD|VINYL|VLS|SAT|FM|LINE|DVB|CABLE|WEB-FLAC|FLAC)"
    r"(?:-[A-Z]{2})?-(?P<year>(?:19|20)\d\d)-[A-Za-z0-9_]+$"
)
_SMALL = frozenset(("and", "x", "vs", "vs.", "feat", "feat.", "ft", "ft.", "featuring", "of", "the", "a", "an",
                    "in", "on", "to", "for", "with", "de", "la", "le"))


def _words(text: str, capitalise: bool) -> str:
    words = text.replace("_", " ").split()
    if not capitalise:
        return " ".join(words)
    out = []
    for i, word in enumerate(words):
        bare = word.lstrip("([")
        if bare and (i == 0 or word != bare or bare not in _SMALL):
            word = word[: len(word) - len(bare)] + bare[0].upper() + bare[1:]
        out.append(word)
    return " ".join(out)


def readable_stem(stem: str) -> str:
    """A scene-style file name as "NN Artist - Title (Mix)"; any other name as it is."""
    match = _SCENE_FILE.match(stem)
    if match is None or "_" not in stem:
        return stem
    lower = stem == stem.lower()
    title: list[str] = []
    bracketed = False
    for part in match.group("rest").split("-"):
        if not part:
            return stem
        if part.endswith(")") and "(" in part:  # "(original_mix)", "ray_(club_mix)"
            title.append(part)
            bracketed = True
        elif bracketed:
            break  # the label or the group after the mix
        else:
            title.append(part)
    words = [_words(part, lower) for part in title]
    plain = [w for w in words if not w.startswith("(")]
    head = "-".join(plain) if plain else ""
    mixes = " ".join(w for w in words if w.startswith("("))
    name = f"{head} {mixes}".strip()
    return f"{match.group('number')} {_words(match.group('artist'), lower)} - {name}"


def release_folder(name: str) -> tuple[str, str, int] | None:
    """(artist, album, year) of a scene release folder's name; None for any other name. The
    artist is "" for "VA" (various artists)."""
    match = _RELEASE.match(name.strip())
    if match is None or "_" not in name:
        return None
    lower = name == name.lower()
    artist = _words(match.group("artist"), lower)
    album = _words(match.group("album"), lower)
    return ("" if artist.casefold() in ("va", "various") else artist), album, int(match.group("year"))
