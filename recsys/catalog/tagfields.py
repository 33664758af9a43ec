"""The rules that make a file's tag values its track's fields: the title (of several values the
one its file name names, a leading track number or vinyl position that is the file's own taken
off), the genres (several in one value split, ID3v1 numbers named, a site's name and a
hashtag's mark dropped) and the artists credited (Picard's list, the artist tag's values split
on "feat." and its kin, a classical performer list). Each asked by ``fileread`` of one file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mutagen._constants import GENRES as ID3V1_GENRES

from recsys.catalog.homoglyphs import one_script
from recsys.catalog.tagtext import repaired, visible
from recsys.catalog.credits import credited_artists
from recsys.catalog.artiststag import artists_tag
from recsys.catalog.placeholders import placeholder_artist, placeholder_genre
from recsys.catalog.filenames import title_from_name
from recsys.catalog.hashtaggenres import hashtag_genres
from recsys.catalog.performers import as_performer_list, performer_names
from recsys.catalog.nametempo import tempo_key_in_name
from recsys.catalog.promomarks import without_promo_marks
from recsys.catalog.tagvalues import style_values, tag_values
from recsys.catalog.suffixes import is_audio_name, name_without_suffix
from recsys.catalog.sitenames import without_site_names
from recsys.catalog.vinylsides import POSITION, leading_position, title_position


def _squeezed(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def tag_title(tags: Any, path: Path) -> str:
    """The title tag; of several values, the one the file name names. A tagger that appends
    instead of replacing leaves "Living Caves", "Crossroads", "Desert" in 03 Desert.ogg (a real
    game soundtrack does): the first value would give a whole album one title, and the tracks
    would be versions of one song to the dedup. No value named: the first, as players show."""
    values = list(dict.fromkeys(v.strip() for v in tag_values(tags, "title") if v.strip()))
    if len(values) > 1:
        name = _squeezed(title_from_name(tempo_key_in_name(without_promo_marks(name_without_suffix(path.name)))[0]))
        named = [v for v in values if _squeezed(v) and _squeezed(v) in name]
        exact = [v for v in named if _squeezed(v) == name]
        if exact or named:
            return (exact or sorted(named, key=lambda v: -len(_squeezed(v))))[0]
    title = values[0] if values else ""
    # a title a tagger filled from the file's name, suffix and all: "Song Name.mp3"
    return name_without_suffix(title).rstrip() if is_audio_name(title) else title


#: a title tag that begins with a track number: "04 - Battle", "04. Battle", "4 Battle"
_NUMBERED_TITLE = re.compile(r"^\s*0*(\d{1,3})(?:\s*[-\u2013.)_:]\s*|\s+)(?=\S)")


def without_track_number(title: str, tags: Any, path: Path) -> str:
    """The title tag without a leading track number where that number is the file's: its
    track-number tag's, or its file name's ("04 Battle.ogg"). A tagger that filled the title
    from the file name ("04 - Battle", as Mp3tag's "Filename - Tag" does when given "%title%")
    left it there: shown in every list, and a seed "Battle" had to match past it. A title that
    begins with another number ("1979", "2 + 2 = 5"), or with the file's number and a space alone
    without a leading zero ("7 Seconds" as track 7, "99 Luftballons.mp3"), or a movement's "1.
    Allegro" (unpadded, with a dot or a parenthesis), keeps it. A vinyl position the file has
    ("A1 - Running Up That Hill", TRACKNUMBER "A1") goes too (``vinylsides``)."""
    title = _without_position(title, tags, path)
    match = _NUMBERED_TITLE.match(title)
    if not match:
        return title
    padded = title.lstrip()[0] == "0"
    # "7 Seconds", "99 Luftballons": a number and a space alone is a title's own unless padded
    if not padded and not match.group(0).strip().rstrip("0123456789"):
        return title
    # "5:15", "1-800-273-8255", "2.0": a number glued to the next by its separator is the title's
    if title[match.end()].isdigit() and not any(c.isspace() for c in title[match.end(1):match.end()]):
        return title
    # "1. Allegro", "2) Largo": a movement's or a list's own numbering, unpadded, which a work's
    # first movements share with their track numbers (the next work's "1. Allegro" on track 4
    # keeps it: one album would list both ways); a file name's number is padded ("01. Battle")
    if not padded and title[match.end(1):match.end()].strip() in (".", ")"):
        return title
    numbers = {m.group(1).lstrip("0") for v in tag_values(tags, "tracknumber") if (m := re.match(r"\s*(\d+)", v))}
    named = re.match(r"\s*(?:\d{1,2}[-.])?(\d{1,3})\b", name_without_suffix(path.name))
    if named:
        numbers.add(named.group(1).lstrip("0"))
    return title[match.end():] if match.group(1).lstrip("0") in numbers else title


def _without_position(title: str, tags: Any, path: Path) -> str:
    """The title tag without a leading vinyl position where it is the file's: its track-number
    tag's ("A1", "B2/5"), or its name's where that has a side and a number ("A1 - Title.flac";
    a single's "A - Title" proves nothing alone)."""
    if leading_position(title) is None:  # most titles: nothing read
        return title
    positions = {v.strip().partition("/")[0] for v in tag_values(tags, "tracknumber")}
    named = leading_position(name_without_suffix(path.name))
    if named is not None and any(c.isdigit() for c in named[0]):
        positions.add(named[0])
    return title_position(title, {p for p in positions if POSITION.fullmatch(p)})


def tag_genres(tags: Any, raw_tags: Any = None) -> tuple[str, ...]:
    # Several genres arrive as several values, or ';'/NUL-joined in one; '/' is kept because
    # genres such as "Rap/Hip Hop" contain it. Discogs' styles follow its genres ("Electronic",
    # then "Krautrock"): a person asks for the style (``tagvalues.style_values``)
    values = tag_values(tags, "genre") + style_values(tags, raw_tags)
    # a download site's name is no part of a genre ("Bollywood - DJMaza.Info"), nor one alone;
    # nor a SoundCloud uploader's hashtag mark ("#lofi": ``hashtaggenres``)
    parts = (_named_genre(without_site_names(g, alone=True))
             for v in values for p in re.split(r"[;\x00]", v) for g in hashtag_genres(p.strip()))
    return tuple(dict.fromkeys(p for p in parts if p and not placeholder_genre(p)))


#: ID3v1's genre numbers as a converter copied them into another format's tag: "17", "(17)",
#: "(17)Rock" (mutagen reads them so in an ID3 frame alone)
_GENRE_NUMBER = re.compile(r"^(?:\((\d{1,3})\)(.*)|(\d{1,3}))$")


def _named_genre(value: str) -> str:
    match = _GENRE_NUMBER.match(value)
    if match is None:  # "90s Pop", "2 Step": names
        return value
    if (match.group(2) or "").strip():  # "(17)Rock": the name written after the number
        return match.group(2).strip()
    number = int(match.group(1) or match.group(3))
    return ID3V1_GENRES[number] if number < len(ID3V1_GENRES) else ""


def tag_credits(tags: Any, raw_tags: Any, tagged_artist: str, title: str, slashed: list[str] | None = None) -> tuple[str, ...]:
    """Every artist the tags credit, primary first (``credits.credited_artists``: Picard's
    ARTISTS list where there is one (``artiststag``), else the artist tag's values, each split
    on "feat." and its kin, ";" and " / ", then the title's "(feat. X)"), or () when they
    credit one: only then is ``artists`` in the payload. A track without an artist tag has no
    credits (a title's "(feat. X)" alone names no primary artist)."""
    if not tagged_artist:
        return ()
    # cleaned as every other tag is (``_values``): a control character or a colour code pasted
    # into the list would keep the credited name from matching --artist
    listed = [c for c in (one_script(visible(repaired(v))).strip() for v in artists_tag(raw_tags)) if c and not placeholder_artist(c)]
    # a download site's name after each value too ("Sidhu Moose Wala ft. BYG BYRD (Mr-Jatt.com)"
    # credited "BYG BYRD (Mr-Jatt.com)"), as the artist tag is read without it (``sitenames``)
    # a v2.3 frame's "A/B" list (``slashlists``) as Picard's list is
    listed = listed if len(listed) > 1 or not slashed or tags is None else slashed
    values = listed if len(listed) > 1 else [
        v for v in (without_site_names(v.strip()) for v in tag_values(tags, "artist")) if v and not placeholder_artist(v)
    ] or [tagged_artist]
    # "Berliner Philharmoniker, Herbert von Karajan" beside a CONDUCTOR tag: a list (``performers``)
    performers = performer_names(raw_tags)
    if performers:
        values = [part for v in values for part in as_performer_list(v, performers)]
    credited = credited_artists(values, title)
    return credited if len(credited) > 1 else ()
