"""An artist named in two scripts, "BTS (방탄소년단)", where the library names it by one of them.

Korean and Japanese stores (Melon, Bugs, mora) and the taggers that copy them write an artist
by both names, "BTS (방탄소년단)", "IU (아이유)", "宇多田ヒカル (Utada Hikaru)"; the same
library's iTunes purchases say "BTS" or "Utada Hikaru", a Japanese rip "宇多田ヒカル". The three
spellings were three artist nodes of the graph, three facet rows and three artist caps for one
artist, and ``--artist BTS`` was an artist radio of the iTunes copies alone.

A name that is one name followed by a bracket holding another in another script (Latin letters
on one side, Hangul, kana, Han, Cyrillic, Greek... on the other: ``labels.double_name``) is
such a double name; a name elsewhere in the library that is either half of it alone is read as
the double name, as the library first spells it. Two stores' orders of one pair are one double
name: Melon's "IU (아이유)" and Bugs' "아이유(IU)", "태연 (TAEYEON)" and "TAEYEON (태연)" were two
artists, and "IU" and "아이유", halves of both, stayed as tagged, four artists in all. A half
that two double names of other pairs share ("Crush" of "Crush (크러쉬)" and of "Crush
(クラッシュ)") stays as tagged, as does a bracket in one script ("Crush (Band)": a
disambiguation, not a translation).

A Japanese or Korean name with a sort tag in Latin letters (Mp3tag's and foobar2000's
ARTISTSORT, ID3 TSOP, MP4 soar: "米津玄師" sorted "Kenshi Yonezu", "Official髭男dism" sorted
"Official HIGE DANdism") is the double name of the two: the library's "Kenshi Yonezu" (an
English store's purchase) is the same artist, and ``--artist "kenshi yonezu"`` finds both. A
sort name in sort form ("Yonezu, Kenshi", as Picard writes MusicBrainz's) is read in reading
order; a sort tag of several artists ("DECO*27 feat. Hatsune Miku" of "DECO*27 feat. 初音ミク")
pairs its names with the tag's in order. Only names in Han, kana or Hangul: Cyrillic and Greek
are keyed in Latin letters already (``translit``), and a sort name in kana (iTunes Japan's
"ヨネヅケンシ") is no name a Latin keyboard types. Names compare as ``normalise_title`` makes
them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import Iterable

from recsys.catalog.credits import split_artists
from recsys.catalog.model import TrackRecord, normalise_title
from recsys.catalog.sortnames import swapped
from recsys.labels import double_name, label_key, script_of

#: the scripts a name's sort tag gives a reading of in Latin letters (Japanese and Korean)
_CJK = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "HALFWIDTH KATAKANA")


def _names(track: TrackRecord) -> Iterable[str]:
    return (track.artist, track.album_artist, *track.artists)


def _cjk(text: str) -> bool:
    return any(unicodedata.name(c, "").startswith(_CJK) for c in text if c.isalpha())


def _reading(sort: str) -> str:
    """A sort name read as a name: "Yonezu, Kenshi" -> "Kenshi Yonezu"."""
    return swapped(sort) or sort.strip() if "," in sort else sort.strip()


def sort_pairs(track: TrackRecord) -> list[tuple[str, str]]:
    """The (name, reading) pairs a track's artist sort tag gives: each Japanese or Korean name
    of its artist tag with its Latin reading (see the module), in the tag's order."""
    if not track.artist_sort or not _cjk(track.artist):
        return []
    names, readings = split_artists(track.artist), split_artists(track.artist_sort)
    if len(names) != len(readings):  # "A feat. B" sorted "A": no telling which is which
        return []
    pairs = []
    for name, sort in zip(names, readings):
        reading = _reading(sort)
        if _cjk(name) and double_name(name) is None and script_of(reading) == "latin" \
                and normalise_title(reading) != normalise_title(name) and _reads(name, reading):
            pairs.append((name, reading))
    return pairs


def _reads(name: str, reading: str) -> bool:
    """Whether ``reading`` may read ``name``: the Latin letters the name holds are in it
    ("Official髭男dism" sorted "Official HIGE DANdism", "TK from 凛として時雨"); a sort name an
    album's artist lent to a guest's track ("初音ミク & GUMI" sorted "Hatsune Miku") is not."""
    latin = "".join(c if unicodedata.name(c, "").startswith("LATIN") else " " for c in name)
    key = label_key(reading)
    return all(label_key(part) in key for part in latin.split())


def double_script_names(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """The tracks, an artist named by one half of a double name the library holds read as
    that double name (see the module)."""
    # each double name by its pair of halves (normalised, in either order) -> the name as the
    # library first spells it; then those a sort tag makes, after every spelled one
    by_pair: dict[frozenset[str], str] = {}
    halves_of: dict[str, frozenset[str]] = {}  # a double name, normalised -> its pair
    for track in tracks:
        for name in _names(track):
            halves = double_name(name) if name else None
            if halves is not None:
                pair = frozenset(normalise_title(h) for h in halves)
                by_pair.setdefault(pair, name)
                halves_of[normalise_title(name)] = pair
    spelled = set(by_pair)
    aliases: dict[str, frozenset[str]] = {}  # a sort tag's other half of a spelled double name
    for track in tracks:
        for name, reading in sort_pairs(track):
            ends = (normalise_title(name), normalise_title(reading))
            pair = frozenset(ends)
            if pair in by_pair:
                continue
            # "宇多田ヒカル" sorted "Hikaru Utada" beside the spelled "宇多田ヒカル (Utada Hikaru)":
            # that double name's, not a second one beside it
            known = [p for p in spelled if not p.isdisjoint(pair)]
            if len(known) == 1:
                for end in ends:
                    if end not in known[0]:
                        aliases.setdefault(end, known[0])
                continue
            by_pair[pair] = f"{name} ({reading})"
            halves_of[normalise_title(by_pair[pair])] = pair
    if not by_pair:
        return tracks
    doubles: dict[str, set[frozenset[str]]] = {}  # a half, normalised -> the pairs it is half of
    for pair in by_pair:
        for half in pair:
            doubles.setdefault(half, set()).add(pair)
    for end, pair in aliases.items():
        doubles.setdefault(end, set()).add(pair)
    mapping = {half: by_pair[next(iter(pairs))] for half, pairs in doubles.items() if len(pairs) == 1}
    # "BTS (방탄소년단)" and "bts (방탄소년단)", "IU (아이유)" and "아이유(IU)": the first spelling
    mapping.update({name: by_pair[pair] for name, pair in halves_of.items()})

    def read(name: str) -> str:
        return mapping.get(normalise_title(name), name) if name else name

    out: list[TrackRecord] = []
    for track in tracks:
        if any(normalise_title(n) in mapping for n in _names(track) if n):
            artists = tuple(dict.fromkeys(read(a) for a in track.artists))
            track = replace(track, artist=read(track.artist), album_artist=read(track.album_artist),
                            artists=artists if len(artists) > 1 else ())
        out.append(track)
    return out
