"""What an album folder's name says beyond the album: the year and the format that Soulseek
and other shares put in it, and sometimes the artist.

"Kenta Cho - 2002 - Noiz2sa", "Noiz2sa (2002) [FLAC 24-96]", "(2004) Tumiki Fighters",
"2004 - Tumiki Fighters", "Noiz2sa [2002] [MP3 320]": an untagged file in such a folder took
the whole name as its album (so the same album from two shares was two albums), and its
artist from the folder above, which for a share's downloads is "Soulseek" or "Downloads".
The year (1900-2099, alone in brackets, or between spaced dashes) and trailing format notes in
brackets ("[FLAC]", "[24-96]", "(320 kbps)", "[WEB]", "[V0]"; a needle drop's "[Vinyl 24-96]",
"[LP]", "(Vinyl Rip)", "[FLAC 24bit-96kHz]", "[7'' Single]", "[Mono]", a tape's "[Cassette Rip]",
"(C60)", the tagger's "[Discogs]", and a catalog number in braces, "{Catalog No. SHVL 804}") are
no part of the album; an artist before "- YEAR -", or before " - Album (YEAR)" (the shares'
"Artist - Album (Year) [Format]", as every vinyl rip is named), is the album's artist, and a
year the album's year. A name without a year is left as it is: "Artist - Album" cannot be told
from an album title with a dash in it.
A scene release's "Kenta_Cho-Torus_Trooper-(ANJ123)-WEB-2023-ZzZz" is the artist's album
"Torus Trooper" of 2023 (``scenenames``).
A Japanese share's release folder, "[230412] TVアニメ「推しの子」OP主題歌「アイドル」／YOASOBI
[FLAC 24bit-96kHz]" (its date YYMMDD first, what it is, the title in 「」, "／" and the artist),
is YOASOBI's "アイドル" of 2023; a kind of release before an "Artist - Album" ("[Album] LiSA -
LEO-NiNE", "[Single] Aimer - ...") and a doujin circle's event after it ("Alstroemeria Records
- Lovelight [C80]", Comiket's number; "[C103] Circle - Album", "[M3-51]") vouch for its shape as
a year does: the artist and the album, the mark no part of either. Comiket's "(C100)" looks as a
tape's length does: in a name written in Japanese it is the event (``is_event``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from recsys.catalog.scenenames import release_folder

_YEAR = r"(?:19|20)\d\d"
#: a trailing note of format or source in brackets: "[FLAC 24-96]", "(320 kbps)", "[WEB]"
_FORMAT = re.compile(
    r"\s*[\(\[\{]\s*(?:(?:flac|mp3|aac|alac|ogg|opus|wav|ape|wv|lossless|hi-?res|web|cd|vinyl|v0|v2|"
    r"\d{2,3}(?:\.\d)?\s*khz|\d{2,3}\s*k(?:bps)?|320|256|192|\d{2}\s*bits?|\d{2}\s*[-/]\s*\d{2,3}(?:\.\d)?(?:\s*khz)?|"
    # a needle drop's and a tape's: "[LP]", "[2LP]", "(Vinyl Rip)", "[7'' Single]", "[12\"]",
    # "[Mono]", "[Cassette Rip]", "(C60)", and the tagger it was tagged from, "[Discogs]"
    r"\d?\s*x?\s*lp|rip|needle\s?drop|cassette|tape|mono|single|discogs|c(?:46|60|90|100|120)|"
    # a hi-res shelf's: qobuz-dl's "[24B-96kHz]", "{24-bit 192kHz}", DSD's "[DSD64]", an SACD's
    # "[SACD ISO]", "(SACD-R)", Tidal's "[MQA]", a surround disc's "(DTS-CD)", "(5.1)", "[DVD-A]",
    # a Japanese pressing's "(SHM-CD)", "[Blu-spec CD2]" and its catalog number "[UICY-20164]",
    # Mobile Fidelity's "[MFSL UDCD 2-0700]"
    r"\d{2}\s*-?\s*b(?:its?)?|dsd\s?(?:64|128|256|512)?|dxd|sacd(?:-r)?|iso|mqa|dts(?:-?cd)?|ac-?3|"
    r"dvd-?a(?:udio)?|5\.1|7\.1|quad|surround|multichannel|shm-?cd|blu-?spec(?:\s?cd2?)?|uhqcd|xrcd2?|k2hd|hdcd|"
    r"mfsl(?:\s+u?dcd)?(?:\s+\d[\d-]*)?|[a-z]{4}-\d{4,5}|"
    r"\d{1,2}\s*(?:''|\"|\u201d|inch\b))(?:[\s,._/-]+|(?=[\)\]\}])))+\s*[\)\]\}]\s*$"
    # a catalog number in braces, as shares write it: "{Catalog No. SHVL 804}", "{SHVL 804}"
    r"|\s*\{[^{}]*\}\s*$",
    re.IGNORECASE,
)
_ARTIST_YEAR_ALBUM = re.compile(rf"^(?P<artist>.+?)\s+[-\u2013]\s+[\(\[]?(?P<year>{_YEAR})[\)\]]?\s+[-\u2013]\s+(?P<album>.+)$")
_YEAR_FIRST = re.compile(rf"^(?:[\(\[](?P<year>{_YEAR})[\)\]]\s*|(?P<bare>{_YEAR})\s*[-\u2013.]\s+)(?P<album>.+)$")
_YEAR_LAST = re.compile(rf"^(?P<album>.+?)\s*[\(\[](?P<year>{_YEAR})[\)\]]$")
#: "Joni Mitchell - Blue (1971)": the shares' "Artist - Album (Year)", the year last and alone in
#: its brackets (the first spaced dash splits: "Album - Live" has no year after it)
_ARTIST_ALBUM_YEAR = re.compile(rf"^(?P<artist>.+?)\s+[-\u2013]\s+(?P<album>.+?)\s*[\(\[](?P<year>{_YEAR})[\)\]]$")


@dataclass(frozen=True)
class AlbumFolder:
    album: str
    artist: str = ""
    year: int | None = None


#: a Japanese share's release folder: "[230412] TVアニメ「推しの子」OP主題歌「アイドル」／YOASOBI":
#: the release date (YYMMDD), what it is, the title in 「」 or 『』 (the last), "／" and the artist
_JP_RELEASE = re.compile(r"^[\[\(](?P<date>\d{6})[\]\)]\s*(?P<rest>\S.*)$")
_JP_TITLED = re.compile(r"^.*[「『](?P<album>[^「」『』]+)[」』]\s*[／/]\s*(?P<artist>[^／/「」『』]+)$")
#: a share's kind of release before its name: "[Album] LiSA - LEO-NiNE", "[Single] Aimer - ..."
_KIND_FIRST = re.compile(r"^[\[\(](?:album|single|ep|mini\s?album|maxi\s?single|ost)[\]\)]\s*(?P<rest>\S.*)$", re.IGNORECASE)
#: a doujin circle's event: Comiket's "[C103]", "(C97)", M3's "[M3-51]", leading or last
_EVENT = re.compile(r"\[(?:C\d{2,3}|M3-?\d{2,3})\]|\((?:C\d{2,3}|M3-?\d{2,3})\)", re.IGNORECASE)
_EVENT_ENDS = re.compile(r"^\s*(?:" + _EVENT.pattern + r")\s*|\s*(?:" + _EVENT.pattern + r")\s*$", re.IGNORECASE)
#: a blank tape's length in round brackets, a mixtape's "(C60)": Comiket has had a C46, a C60, a
#: C90 and a C100 too (``is_event``)
_TAPE_LENGTH = re.compile(r"\(\s*C(?:46|60|90|100|120)\s*\)", re.IGNORECASE)
_JAPANESE = ("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA")


def is_event(mark: str, name: str) -> bool:
    """Whether a bracketed mark of the folder ``name`` ("[C100]", "(C100)", "(C60)") is a doujin
    event's number rather than a tape's length. In square brackets, or a number no tape is
    made in ("(C97)"), it is the event; "(C60)", "(C90)", "(C100)" are a tape's unless the name
    is written in Japanese: a circle names its release so ("COOL&CREATE - 東方ボーカルロック
    (C100)"), a digitiser his mixtape not."""
    mark = mark.strip()
    if _EVENT.fullmatch(mark) is None:
        return False
    if _TAPE_LENGTH.fullmatch(mark) is None:
        return True
    return any(unicodedata.name(c, "").startswith(_JAPANESE) for c in name if c.isalpha())
#: "Artist - Album" (the first spaced dash), where a mark vouches for the shape
_ARTIST_ALBUM = re.compile(r"^(?P<artist>.+?)\s+[-\u2013]\s+(?P<album>\S.*)$")


def _release(text: str) -> AlbumFolder | None:
    """A Japanese share's or a doujin circle's release folder (its date, its kind, its event
    vouch for its shape), else None: "[230412] TVアニメ「推しの子」OP主題歌「アイドル」／YOASOBI"
    is YOASOBI's "アイドル" of 2023, "[Single] Aimer - 残響散歌／朝が来る" Aimer's
    "残響散歌／朝が来る", "Alstroemeria Records - Lovelight [C80]" the circle's "Lovelight"."""
    year = None
    vouched = False
    match = _JP_RELEASE.match(text)
    if match:
        yy = int(match.group("date")[:2])
        year, text, vouched = (1900 if yy >= 70 else 2000) + yy, match.group("rest"), True
        titled = _JP_TITLED.match(text)
        if titled and titled.group("artist").strip():
            return AlbumFolder(titled.group("album").strip(), titled.group("artist").strip(), year)
    for form in (_KIND_FIRST, _EVENT_ENDS):
        cut = form.sub(lambda m: "" if is_event(m.group(), text) else m.group(), text) if form is _EVENT_ENDS \
            else (m.group("rest") if (m := form.match(text)) else text)
        if cut != text and cut.strip():
            text, vouched = cut.strip(), True
    if not vouched:
        return None
    inner = album_folder(text)  # the rest as any folder's name: "LiSA - LEO-NiNE (2020)"
    if inner.artist:
        return AlbumFolder(inner.album, inner.artist, inner.year or year)
    named = _ARTIST_ALBUM.match(text)
    if named is None:
        return AlbumFolder(text, "", year)
    return AlbumFolder(named.group("album").strip(), named.group("artist").strip(), year)


def album_folder(name: str) -> AlbumFolder:
    """The album, artist ("" when the name gives none) and year an album folder's name gives;
    a name with no year nor format note gives itself as the album."""
    scene = release_folder(name)
    if scene is not None:
        return AlbumFolder(scene[1], scene[0], scene[2])
    text = name.strip()
    while (cut := _FORMAT.sub("", text)) != text and cut.strip():
        if is_event(text[len(cut):], text):  # Comiket's "[C100]", not a tape's length: ``_release``'s
            break
        text = cut.strip()
    release = _release(text)
    if release is not None:
        return release
    for form in (_ARTIST_YEAR_ALBUM, _YEAR_FIRST, _ARTIST_ALBUM_YEAR, _YEAR_LAST):
        match = form.match(text)
        if match and match.group("album").strip():
            parts = match.groupdict()
            year = int(parts.get("year") or parts["bare"])
            return AlbumFolder(parts["album"].strip(), (parts.get("artist") or "").strip(), year)
    return AlbumFolder(text)
