"""Artist and title from the file name of a music file that has no artist tag.

YouTube rips, old downloads and CDs ripped without tags name their files "Daft Punk - One More
Time.mp3" or "03 - Artist - Song.mp3". Read as a bare title, such a file had no artist (one
folder, "Downloads", gives no layout artist by design) or the folders' artist, and its title
carried the artist's name. The rules below are beets' ``fromfilename`` plugin's, adapted; the
music-folder reader (``musicdir``) applies them to files with neither an artist nor an
album-artist tag, after reading every file, because a name is read by its folder:

- The stem loses a leading track or disc number ("01 - ", "01. ", "1-03 ", "01_", as
  ``title_from_name`` does); underscores are spaces when the stem has no space; it is cut at a
  hyphen, en dash or em dash with spaces on both sides (" - ", " – ", " — "), never at a bare
  "-" ("Jay-Z", "AC-DC"); a name without such a dash at a colon with spaces on both sides
  ("Bonobo : Kerala", yt-dlp's full-width "Bonobo ： Kerala"), never at one glued to the word
  before it ("Op. 27: No. 2"). A part that is only a track number in the middle separates what
  comes before (the artist, or the artist and the album: "Artist - Album - 03 - Title") from
  the title; anywhere else (first, last, after two parts) the name fits no rule. Bandcamp's
  "Artist - Album - 01 Title" (two digits and a space before the third part's title) is read
  as "Artist - Album - 01 - Title".
- A folder's files without artist and title tags are read together. When one of them fits no
  rule (does not split, or splits badly), none takes anything from its name: in an album
  folder of "01 - Song.mp3" and "02 - Song - Live.mp3", "Song - Live" is a title. But a
  folder of many artists' singles (a DJ's ``Tracks/``: more than half its names split, with two
  artists or more, none numbered) is read without the names that fit no rule ("Track 03",
  "white_label_b2"): one odd name among thousands took every file's artist. Else:
  the left part, when it is the same for all (two files or more), is the artist; the right
  part, when it is the same for all and the left varies, is the artist ("Title - Artist"); when
  both vary (a Downloads folder of many artists) the left is, as most such names are written,
  but where the right part is an artist the library's tags name and the left is not ("Tum Hi
  Ho - Arijit Singh", as the Indian download sites name their files).
  The right part needs three files or more (two "A - Intro", "B - Intro" are two artists').
  One such file alone: its left part, unless it lies beside two or more tagged files by one
  other artist (an album's "Song - Live" is a title). The folder is then one artist's album when they share
  the artist (its name stays their album); else an artist from a name keeps the layout's album
  only when it is the layout's artist.
- A name part equal to the layout's album (the folder's name, two folders deep or more;
  compared as ``normalise_title`` does) is the album, not an artist: "Album - 03 - Title"
  under ``Artist/Album/`` keeps the layout's artist and loses "Album - " from its title. One
  folder deep there is no layout album: "Daft Punk/Daft Punk - Da Funk.mp3" is the artist's.
- A file with a title tag but no artist tag whose stem is "X - <that title>" takes X as its
  artist (same rules for X); its title stays the tag's.

Anything else reads as before: a name that fits no rule keeps ``title_from_name``'s title and
the layout's artist. An artist from a name is an artist as a tag's is: split into credits by
``credits.credited_artists``, and evidence for ``folderlayout.drop_category_artists`` that a
folder holding it ("Downloads", "Music") is no artist's.

A leading number is a track number, as ``title_from_name`` reads it, when every name of the
folder starts with one (a track list); among unnumbered names, or in a file alone, a number
without a leading zero and followed by a space alone is the artist's: "50 Cent - Candy Shop",
"3 Doors Down - Kryptonite". Left as it is: "311 - Amber" reads as track 311 (a number with a
dash after it is always a track number). What a video download appends to a name ("(Official
Music Video)", "[HD]", "(Lyrics)", yt-dlp's "[dQw4w9WgXcQ]") is no part of its title
(``without_video_words``), nor is a radio station's cart number before a name ("MUS01234 -
Artist - Title": ``cartnumbers``); a Bilibili or Douyin rip's "【周杰伦】晴天 MV 1080P" and
"《孤勇者》陈奕迅" are read as "周杰伦 - 晴天" and "陈奕迅 - 孤勇者" (``bilibilinames``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from recsys.catalog.cartnumbers import without_cart_number
from recsys.catalog.incompletes import without_download_mark
from recsys.catalog.placeholders import placeholder_artist
from recsys.catalog.scenenames import readable_stem
from recsys.catalog.bilibilinames import video_rip_name
from recsys.catalog.sitenames import without_site_names
from recsys.catalog.model import normalise_title
from recsys.labels import label_key

#: a leading track number, with or without a disc: "01 ", "01 - ", "1. ", "1-03 ", "12_"
_TRACK_NUMBER = re.compile(r"^\s*(?:\d{1,2}[-.])?\d{1,3}(?:\s*[-._)]\s*|\s+)(?=\S)")
#: a leading number that may be a band's: no leading zero, a space alone after it ("50 Cent")
_BARE_NUMBER = re.compile(r"^[1-9]\d{0,2} +(?=[^\s\d\-\u2013\u2014])")
#: a hyphen, en dash or em dash with spaces on both sides: never the bare "-" of "Jay-Z"
_DASH = re.compile(r"\s+[-\u2013\u2014]\s+")
#: a colon with spaces on both sides, ASCII or full-width, where a name has no such dash: "Bonobo
#: : Kerala", "Bonobo ： Kerala" (yt-dlp's stand-in for ":", and what a Windows user types,
#: whose file system refuses "/" and ":" alike, for a dash). Never a colon glued to the word
#: before it, a title's own: "Op. 27: No. 2", "Boiler Room： Peggy Gou"
_COLON = re.compile(r"\s+[:\uff1a]\s+")
_DASHES = "-\u2013\u2014"
#: the track number Bandcamp puts before the title in "Artist - Album - 01 Title": zero-padded
#: ("21 Guns", "99 Luftballons" are titles), any two digits in a folder of such names
_BANDCAMP_NUMBER = re.compile(r"(0\d)\s+(?=\S)")
_BANDCAMP_ANY_NUMBER = re.compile(r"(\d{2})\s+(?=\S)")
#: a name part that is a track number alone ("03", "1-03", "3.07")
_NUMBER_PART = re.compile(r"(?:\d{1,2}[-.])?\d{1,3}")


#: "official" in the words of the labels' Spanish, Portuguese, French and Italian channels
_OFFICIAL = r"(?:official|oficial|officiel(?:le)?|ufficiale)"
#: what a video is, in those words too: a Latin label's "(Videoclip Oficial)", "(Letra)" (its
#: lyric video), "(Video Con Letra)", "(Video Lyric)", a French one's "(Clip Officiel)". "Clip"
#: only with its "official": a title's own "(Clip)" may be the song's. And an Asian label's music
#: video, "(M/V)", "(Official MV)", saved "(M_V)" where a file name may hold no "/"
_VIDEO_NOUN = (r"(?:video(?:\s?clip)?|videoclip|audio|visuali[sz]er|lyrics?|(?:con\s+)?letra|m[/_]?v|clip(?=\s+" + _OFFICIAL + r"))"
               r"(?:\s+(?:lyrics?|(?:con\s+)?letra))?")
#: what a video site's download adds to a song's name: "(Official Video)", "[HD]", "(Lyrics)",
#: "(Official HD Video)", "(Official Video Remastered)", "(Video Oficial)"; after a bar, as
#: YouTube titles of Latin labels end: "X (EQUIS) | Video Oficial", "Song | Official Video"
_VIDEO_WORDS = re.compile(
    r"\s*[\(\[]\s*(?:" + _OFFICIAL + r"\s+)?(?:(?:hd|hq|4k)\s+)?(?:music\s+|lyrics?\s+)?" + _VIDEO_NOUN +
    r"(?:\s+" + _OFFICIAL + r")?(?:\s+(?:hd|hq|4k|remaster(?:ed)?))?\s*[\)\]]\s*$"
    r"|\s*[\(\[]\s*(?:hd|hq|4k|full\s+hd|high\s+quality)\s*[\)\]]\s*$"
    r"|\s+\|\s*(?:" + _OFFICIAL + r"\s+)?(?:music\s+|lyrics?\s+)?" + _VIDEO_NOUN + r"(?:\s+" + _OFFICIAL + r")?\s*$",
    re.IGNORECASE,
)


#: the video id yt-dlp ends a name with, "Title [dQw4w9WgXcQ]": 11 characters of its alphabet;
#: youtube-dl's older default "%(title)s-%(id)s" ("Digital Love-9EntoOr7ZfI") after a bare hyphen
_VIDEO_ID = re.compile(r"\s*\[([A-Za-z0-9_-]{11})\]\s*$|(?<=\S)-([A-Za-z0-9_-]{11})$")
#: a lyric video's mark before a bare guest credit: "Good Things Fall Apart (Lyrics) ft. Jon Bellion"
_VIDEO_WORDS_BEFORE_GUEST = re.compile(
    r"\s*[\(\[]\s*(?:official\s+)?(?:lyrics?|lyric\s+video|audio|video|music\s+video)\s*[\)\]](?=\s+(?:feat\.?|ft\.?|featuring)\s)",
    re.IGNORECASE)


def _video_id(word: str) -> bool:
    """An id, not a word in brackets ("[Alternative]", "[Re-Recorded]", "[Bonus-Track]"): a
    digit or "_", or a capital right after a small letter ("aBcD"), as random ids have."""
    return any(c.isdigit() or c == "_" for c in word) or any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))


def without_video_words(title: str) -> str:
    """A title from a file name without what a video download appended ("Song (Official Music
    Video) [HD]" -> "Song", yt-dlp's "[dQw4w9WgXcQ]", youtube-dl's "-9EntoOr7ZfI", a lyric
    video's "(Lyrics)" before "ft. Guest"): the song is the same as the tagged
    one, for title search and for the versions of a track. A title of those words alone stays."""
    match = _VIDEO_ID.search(title)
    # after a bare hyphen, letters among the digits too: a recorder's "audio_2023-03-04_10-22-11" has no id
    out = title[: match.start()] if match and _video_id(match.group(1) or match.group(2)) \
        and (match.group(1) or sum(c.isalpha() for c in match.group(2)) >= 3) and title[: match.start()].strip() else title
    out = _VIDEO_WORDS_BEFORE_GUEST.sub("", out)
    while (cut := _VIDEO_WORDS.sub("", out)) != out and cut.strip():
        out = cut
    out = _LABEL_AFTER_MIX.sub(r"\1", out)
    return out.strip() or title


#: the label a shop's download puts after the mix, "Title (Extended Mix) [Anjunadeep]": a DJ's
#: files name the label so, the tags put it in TPUB; no part of the title (the versions of one
#: track from two labels' downloads are one song's). Not a featured artist's "[feat. Guest]":
#: the guest is credited from it (``credits.title_featured``)
_LABEL_AFTER_MIX = re.compile(
    r"(\([^()]*\b(?:mix|edit|dub|vip|version|rework|bootleg|remix|instrumental|acapella)\))"
    r"\s*\[(?!\s*(?:feat\.?|ft\.?|featuring)\s)[^\[\]]{1,60}\]\s*$",
    re.IGNORECASE,
)


#: what a copy of a file adds to its name: Windows Explorer's " - Copy" (" - Copy (2)", and
#: its German, French, Spanish, Italian and Dutch words), a Mac Finder's " copy" / " copy 2",
#: a browser's second download " (1)" (Firefox's and old LimeWire's "(1)" with no space before
#: it), Dropbox's and Nextcloud's " (conflicted copy 2023-11-01)" ("(Ana's conflicted copy
#: ...)"), Syncthing's ".sync-conflict-20231101-120000-ABCDEFG"
_NUMBERED = r"\s*\([1-9]\)"
_COPY_MARK = re.compile(
    r"(?:\s+-\s+(?:copy|kopie|copie|copia)(?:\s*\(\d{1,3}\))?"
    r"|\s+copy(?:\s+\d{1,3})?"
    r"|" + _NUMBERED +
    r"|\s+\((?:[^()]*'s\s+)?conflicted copy[^()]*\)"
    r"|\.sync-conflict-\d{8}-\d{6}(?:-[A-Z0-9]{7})?)$",
)
_COPY_WORD = re.compile(r"\s+-\s+(?:copy|kopie|copie|copia)(?:\s*\(\d{1,3}\))?$", re.IGNORECASE)
#: a browser's second download " (1)", as Windows names a batch renamed at once ("Chill (1)",
#: "Chill (2)"): ``without_copy_marks`` takes it off, ``musicdir`` puts it back where no file
#: beside it of the name without it has its size (no copy)
NUMBERED_NAME = re.compile(_NUMBERED + "$")


#: what Windows XP's Explorer (and 95 to 2000) put before a copy's name: "Copy of Song.mp3",
#: "Copy (2) of Song.mp3", in XP's German, French, Spanish, Italian, Dutch and Portuguese
#: ("Kopie von", "Copie de", "Copia de", "Copia di", "Kopie van", "Cópia de"). A P2P folder
#: of the 2000s holds them beside their originals; read as names they were songs by "Copy of
#: Eminem". Capitalised as Explorer writes it: a title "copy of you" stays
_XP_WORDS = (r"^(?:Copy(?: \(\d{1,3}\))? of|Kopie(?: \(\d{1,3}\))? v[oa]n|Copie(?: \(\d{1,3}\))? de"
             r"|C[oó]pia(?: \(\d{1,3}\))? d[eio])\s+(?=\S)")
_COPY_PREFIX = re.compile(_XP_WORDS)
#: XP's words before a name that reads "Artist - Title" ("Copy of Eminem - Kim"): a copy's mark
#: whatever is beside it. Before a bare title they may be the title's own: Nine Inch Nails'
#: "Copy of A" (2013), untagged, was the song "A"; there they go only where the original is
#: beside (``without_copy_marks``' ``bare_prefix``, which ``copies`` gives)
_COPY_PREFIX_SPLIT = re.compile(_XP_WORDS + r"(?=.*?\S\s+[-\u2013\u2014]\s+\S)")


def explorer_copy(stem: str) -> bool:
    """Whether the name ends in Explorer's " - Copy" (" - Copy (2)") or begins with XP's "Copy
    of " ("Copy (2) of "): a copy whatever its size."""
    return _COPY_WORD.search(stem) is not None or _COPY_PREFIX.match(stem) is not None


#: the characters yt-dlp writes in a file name for those a file system refuses ("AC⧸DC",
#: "Boiler Room： Peggy Gou", "Do I Wanna Know？"), read back. U+29F8 is no one else's; the
#: full-width forms are also Chinese and Japanese punctuation, read back only in a name that
#: ends in yt-dlp's video id
_YTDLP_SLASH = str.maketrans({"\u29f8": "/", "\u29f9": "\\"})
_YTDLP_FULLWIDTH = str.maketrans({"\uff1a": ":", "\uff1f": "?", "\uff02": '"', "\uff0a": "*", "\uff5c": "|",
                                  "\uff1c": "<", "\uff1e": ">", "\uff3c": "\\"})


def ytdlp_name(stem: str) -> str:
    """A download's file name with the characters yt-dlp put for "/", ":", "?", "|" read back."""
    stem = stem.translate(_YTDLP_SLASH)
    match = _VIDEO_ID.search(stem)
    return stem.translate(_YTDLP_FULLWIDTH) if match and match.group(1) and _video_id(match.group(1)) else stem


def without_copy_marks(stem: str, bare_prefix: bool = False) -> str:
    """A file name without what copying the file added to it ("Ride Along - Copy" -> "Ride
    Along"): a real library held Windows' "03 Desert Theme - Copy.ogg" and Syncthing's conflict
    copies beside the files, and an untagged copy was a song titled "Ride Along - Copy" (or,
    alone in a folder, by the artist "Ride Along"), recommended for its own original. The
    Mac's " copy" is lowercase as the Finder writes it ("Carbon Copy" stays); a name left
    without a letter ("01 - Copy", "Copy") stays. A download site's name and a converter's
    bitrate go too ("y2mate.com - Artist - Song_320kbps": ``sitenames``), and XP's "Copy of "
    before an "Artist - Title" name ("Copy (2) of Eminem - Kim" -> "Eminem - Kim"; before a bare
    title, "Copy of A", only with ``bare_prefix``: the caller has the original "A" beside),
    LimeWire's "T-4523008-" (``incompletes``), and yt-dlp's stand-ins for "/" and ":" are read
    back (``ytdlp_name``)."""
    stem = ytdlp_name(stem)
    prefix = _COPY_PREFIX if bare_prefix else _COPY_PREFIX_SPLIT
    out = without_site_names(without_download_mark(stem)) or stem
    while (cut := prefix.sub("", _COPY_WORD.sub("", _COPY_MARK.sub("", out)))) != out \
            and any(c.isalpha() for c in cut):
        out = cut
    return out


def title_from_name(stem: str) -> str:
    """A title from a file name: "01 - River" -> "River"; the name itself when nothing is left.
    A scene's "01-artist-title-(original_mix)" is read as "01 Artist - Title (Original Mix)"."""
    stem = video_rip_name(readable_stem(without_copy_marks(without_cart_number(stem))))
    return without_video_words(_TRACK_NUMBER.sub("", stem).strip() or stem)


@dataclass(frozen=True)
class NameSplit:
    """A stem without its track number, cut at its spaced dashes into two parts or more.
    ``spans`` are the parts' places in ``text``: a title of several parts keeps the dashes
    the name has ("Song – Live" stays with its en dash)."""

    text: str
    spans: tuple[tuple[int, int], ...]
    #: the index of the middle part that is a track number (1 or 2); 0 when there is none
    number_at: int = 0

    def _join(self, start: int, stop: int) -> str:
        return self.text[self.spans[start][0]:self.spans[stop - 1][1]]

    @property
    def left(self) -> str:
        """The first part: the artist of "Artist - Title" (or the album of "Album - 03 - T")."""
        return self._join(0, 1)

    @property
    def album(self) -> str:
        """The album of "Artist - Album - 03 - Title"; "" for any other name."""
        return self._join(1, 2) if self.number_at == 2 else ""

    @property
    def title(self) -> str:
        """The title when the left part is not: all after it, or after the track number."""
        return without_video_words(self._join(self.number_at + 1 if self.number_at else 1, len(self.spans)))

    @property
    def right(self) -> str:
        """The last part, the artist of "Title - Artist"; "" for a numbered name, whose title
        is after the number by its form."""
        return "" if self.number_at else without_video_words(self._join(len(self.spans) - 1, len(self.spans)))

    @property
    def right_title(self) -> str:
        """The title when the right part is the artist: all before it."""
        return self._join(0, len(self.spans) - 1)


def begins_with_track_number(stem: str) -> bool:
    """Whether a file name begins with a track number: "01 ", "01 - ", "1. ", "1-03 "."""
    return _TRACK_NUMBER.match(stem) is not None


def _numbered(stem: str) -> bool:
    return begins_with_track_number(stem.replace("_", " ") if "_" in stem and " " not in stem else stem)


def split_name(stem: str, keep_bare_number: bool = False, bandcamp: bool = False) -> NameSplit | None:
    """The stem cut for artist and title, or None when it fits no rule: one part, an empty
    part or one that starts or ends with a dash ("A - - B"), a track number that is not a
    middle part or comes after the second part ("Song - 03", "01 - 02 - Song").
    ``keep_bare_number``: a leading number without zero and followed by a space alone is the
    name's, not a track number ("50 Cent - Candy Shop", "3 Doors Down - Kryptonite").
    ``bandcamp``: the name is one of a folder of Bandcamp's "Artist - Album - NN Title", so
    "12 Title" is track 12 (alone, only "01".."09" are: ``_bandcamp_folder``). A scene's
    "01-artist-title-(original_mix)-label" is read as "01 Artist - Title (Original Mix)"."""
    stem = video_rip_name(readable_stem(without_copy_marks(without_cart_number(stem))))
    text = (stem.replace("_", " ") if "_" in stem and " " not in stem else stem).strip()
    if not (keep_bare_number and _BARE_NUMBER.match(text)):
        text = title_from_name(text)
    spans: list[tuple[int, int]] = []
    start = 0
    cut = _DASH if _DASH.search(text) else _COLON  # "Artist : Title" where no dash cuts the name
    for match in [*cut.finditer(text), None]:
        end = match.start() if match else len(text)
        part = text[start:end]
        if not part.strip() or part.strip()[0] in _DASHES or part.strip()[-1] in _DASHES:
            return None
        spans.append((start + len(part) - len(part.lstrip()), end - len(part) + len(part.rstrip())))
        start = match.end() if match else start
    if len(spans) < 2:
        return None
    parts = [text[a:b] for a, b in spans]
    numbers = [i for i, part in enumerate(parts) if _NUMBER_PART.fullmatch(part)]
    number = _BANDCAMP_ANY_NUMBER if bandcamp else _BANDCAMP_NUMBER
    bandcamp = number.match(parts[2]) if len(parts) == 3 and not numbers else None
    if bandcamp:  # Bandcamp's "Artist - Album - 01 Title": the number and the title apart
        a, b = spans[2]
        return NameSplit(text, (*spans[:2], (a, a + len(bandcamp.group(1))), (a + bandcamp.end(), b)), 2)
    if not numbers:
        return NameSplit(text, tuple(spans))
    if numbers[0] not in (1, 2) or numbers[0] >= len(parts) - 1:
        return None
    return NameSplit(text, tuple(spans), numbers[0])


@dataclass(frozen=True)
class NameCredit:
    """What a file name gives a file without an artist tag."""

    #: the title without the artist's (or the album's) part
    title: str
    #: the artist the name gives; "" when it gives none (its part is the folder's album)
    artist: str = ""
    #: the album the name gives: "Artist - Album - 03 - Title", or a part equal to the layout's album
    album: str = ""
    #: the folder is this artist's album (its files share the artist, or it is the layout's
    #: artist): the layout's album stays the track's
    folder_album: bool = False


def _key(name: str) -> str:
    # normalise_title drops punctuation: "!!!" (a band) would be "", equal to every such name
    return normalise_title(name) or name.casefold()


def _credit(name: str, album: str, title: str, layout_artist: str, layout_album: str, shared: bool) -> NameCredit:
    """The credit of one name whose artist part is ``name``: the album when it is the layout's
    album, else the artist (the layout's artist or another)."""
    if layout_album and _key(name) == _key(layout_album):
        return NameCredit(title=title, album=name)
    if placeholder_artist(name):  # "ID - ID (White Label)", "Unknown Artist - Track 1": no one's
        return NameCredit(title=title)
    same = bool(layout_artist) and _key(name) == _key(layout_artist)
    return NameCredit(title=title, artist=name, album=album, folder_album=shared or same)


#: files that must share a right part before it is taken as their artist ("Title - Artist"):
#: two files "A - Intro" and "B - Intro" are more likely two artists' intros
RIGHT_ARTIST_FILES = 3


def _bandcamp_folder(stems: Sequence[str]) -> bool:
    """Two names or more, all "Artist - Album - NN Title" with one artist and one album: a
    Bandcamp download, whose track numbers run past 09 unpadded."""
    heads = set()
    for stem in stems:
        parts = _DASH.split(stem.strip())
        if len(parts) != 3 or not _BANDCAMP_ANY_NUMBER.match(parts[2]):
            return False
        heads.add((_key(parts[0]), _key(parts[1])))
    return len(stems) >= 2 and len(heads) == 1


def _many_artists(stems: Sequence[str], splits: Sequence[NameSplit | None]) -> bool:
    """Whether a folder whose names do not all split is still a folder of many artists' singles
    (a DJ's ``Tracks/`` of "Artist - Title (Extended Mix)" beside a "Track 03" and a
    "white_label_b2"): more than half its names split, at least two artists' (left parts), and
    under a quarter of its names are numbered (an album's "01 - Song", "02 - Song - Live" is one
    artist's titles; Kazaa's "My Shared Folder" held one "01 - Unknown Artist - Track 1")."""
    split = [s for s in splits if s is not None]
    # numbered names a few among many: a P2P folder's "01 - Unknown Artist - Track 1" beside
    # "Usher - Burn" and "Akon - Lonely" took every file's artist
    return (2 * len(split) > len(splits) and len({_key(s.left) for s in split}) >= 2
            and not any(s.number_at for s in split) and 4 * sum(map(_numbered, stems)) < len(stems))


def folder_credits(
    stems: Sequence[str], layout_artist: str, layout_album: str, siblings_artist: str = "",
    known: frozenset[str] = frozenset(), songs: Mapping[tuple[str, str], str] | None = None,
) -> list[NameCredit | None]:
    """The credits of a folder's files without artist and title tags, one per stem; all None
    when one of them fits no rule. ``layout_artist`` and ``layout_album`` are what the folder's
    layout gives ("" for none); ``siblings_artist``: the one artist of the folder's tagged
    files, when there are two or more and they share it; ``known``: the library's tagged
    artists (by ``label_key``), which a folder of many artists' names may put last; ``songs``:
    the library's tagged (title, album) pairs (by ``song_key``) -> their one artist ("" where
    copies differ), whose "Song - Film" such a folder may name (``_album_song``)."""
    # a leading "50 " is a track number when every name of the folder starts with one (a
    # track list); among unnumbered names ("Daft Punk - ...") or alone, it is the artist's
    bare = len(stems) == 1 or not all(_numbered(stem) for stem in stems)
    bandcamp = _bandcamp_folder(stems)
    splits = [split_name(stem, keep_bare_number=bare, bandcamp=bandcamp) for stem in stems]
    if not splits or any(s is None for s in splits):
        if not _many_artists(stems, splits):
            return [None] * len(splits)
        some = folder_credits([stem for stem, s in zip(stems, splits) if s is not None], layout_artist, layout_album,
                              known=known, songs=songs)
        return [some.pop(0) if s is not None else None for s in splits]
    found = [s for s in splits if s is not None]  # all of them: for the type checker
    if len(found) == 1:
        one = found[0]
        credit = _credit(one.left, one.album, one.title, layout_artist, layout_album, shared=False)
        # one untagged file among an album's tagged tracks by one artist is that album's
        # "Song - Live": its left part is an artist only when it is theirs
        if siblings_artist and credit.artist and _key(credit.artist) != _key(siblings_artist):
            return [None]
        return [credit]
    if len({_key(s.left) for s in found}) == 1:
        return [_credit(s.left, s.album, s.title, layout_artist, layout_album, shared=True) for s in found]
    if (len(found) >= RIGHT_ARTIST_FILES and not any(s.number_at for s in found)
            and len({_key(s.right) for s in found}) == 1):
        return [_credit(s.right, "", s.right_title, layout_artist, layout_album, shared=True) for s in found]
    # both vary: the left part, as most such names are written, but where the right part is an
    # artist of the library's tags and the left is not ("Tum Hi Ho - Arijit Singh" beside
    # "Nusrat Fateh Ali Khan - Mast Qalandar": the Indian sites name their files song first),
    # or its film, an album of the library's tags holding the song ("Kesariya - Brahmastra")
    return [_credit(s.right, "", s.right_title, layout_artist, layout_album, shared=False)
            if not s.number_at and label_key(s.right) in known and label_key(s.left) not in known
            else _album_song(s, known, songs or {})
            or _credit(s.left, s.album, s.title, layout_artist, layout_album, shared=False) for s in found]


def song_key(title: str, album: str) -> tuple[str, str]:
    """A song of an album as ``folder_credits``' ``songs`` holds it."""
    return _key(title), _key(album)


def _album_song(split: NameSplit, known: frozenset[str], songs: Mapping[tuple[str, str], str]) -> NameCredit | None:
    """"Song - Album": the credit of a name whose right part is an album of the library's tags
    holding its left part as a title ("Kesariya - Brahmastra", as the Indian sites name a film's
    song), by that song's artist; neither part an artist the tags name. Else None: "Artist -
    Title" is how most names are written, and a title that is also some album's title
    ("Band - Thriller") is no film's song unless that album holds a song of the left's name."""
    if split.number_at or label_key(split.left) in known or label_key(split.right) in known:
        return None
    artist = songs.get(song_key(split.right_title, split.right))
    if artist is None:
        return None
    return NameCredit(title=split.right_title, artist=artist, album=split.right)


def titled_credit(stem: str, title: str, layout_artist: str, layout_album: str) -> NameCredit | None:
    """The credit of a file whose title tag is ``title`` and whose stem is "X - <that title>"
    (titles compared as ``normalise_title`` does); None for any other stem."""
    split = split_name(stem, keep_bare_number=True)
    if split is not None and _key(split.title) != _key(title):  # "01 Artist - Title" tagged "Title"
        split = split_name(stem)
    if split is None or not title.strip() or _key(split.title) != _key(title):
        return None
    return _credit(split.left, split.album, title, layout_artist, layout_album, shared=False)
