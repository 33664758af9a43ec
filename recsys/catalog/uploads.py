"""A video download's title tag: "Artist - Title (Official Video)", by the artist or a channel.

yt-dlp's ``--embed-metadata`` writes the video's title as the title tag and, for a video without
YouTube Music's song data, the channel as the artist: "Mattias Westlund - Legends of the North
(Official Video)" by "Mattias Westlund", "Jason Lavallee - Forest Stroll (Official Audio)" by
"Jason Lavallee Music". Read as tagged, the song's title carried its artist and the video's
words (every list and playlist line read "Mattias Westlund - Mattias Westlund - Legends of the
North (Official Video)"), a seed "Forest Stroll" found it only through the fuzzy match, and the
channel was an artist of its own beside the artist, with its own facet row, graph node and cap.

``upload_credit`` reads such a title: where its part before the first spaced dash is the artist
tag, or the artist tag is that part followed by a channel's word ("Official", "Music", "VEVO",
"TV", "Channel", "- Topic"; compared without case, spaces and punctuation), the title is the
rest without what the video appended (``filenames.without_video_words``) and the artist that
part. Any other title is kept as tagged: "Song - Live" by a band, a video titled "Intro -
Remix" by a channel that is no artist's name.

An artist's channel puts more after the song, between pipes: "Sidhu Moose Wala - 295 (Official
Audio) | The Kidd | Moosetape", "Diljit Dosanjh: Lover (Official Music Video) Intense | Raj
Ranjodh | MoonChild Era" (the artist before a colon), "Brown Munde - AP Dhillon | Gurinder Gill
| ..." (the song first, its artist after the dash). Such a title is read by its part before the
first pipe, what follows an "(Official ...)" bracket (the producer) dropped; a colon's or a
trailing artist's form only there, where the pipes say it is an upload's. A record label's
channel ("T-Series", "Sony Music India", "Coke Studio") names no artist: ``labeluploads``.

A K-pop or J-pop music video's title, marked "M/V", "[MV]", "Official Music Video", names its
artist and song whoever uploaded it (``video_credit``: "TWICE \"FANCY\" M/V" by the label's
channel "JYP Entertainment" is TWICE's "FANCY"; "Sơn Tùng M-TP | LẠC TRÔI | Official Music
Video", by a converter's "ytmp3", Sơn Tùng M-TP's "LẠC TRÔI").
"""

from __future__ import annotations

import re

from recsys.catalog.abjadnames import abjad_reading, latin_letters
from recsys.catalog.bilibilinames import video_rip_name
from recsys.catalog.filenames import without_video_words
from recsys.labels import label_key

#: a spaced hyphen, en dash or em dash: never the "-" of "Jay-Z"
_DASH = re.compile(r"\s+[-\u2013\u2014]\s+")
#: what a channel adds to its artist's name ("Jason Lavallee Music", "AdeleVEVO", "Band - Topic",
#: "FairouzLive": a singer's concert channel)
_CHANNEL_WORDS = ("", "official", "officialchannel", "channel", "music", "officialmusic", "vevo", "tv", "topic", "live")


def _squeezed(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


#: a music video's marks, as K-pop and J-pop channels title their videos: "[MV]", "【MV】" first,
#: "M/V", "MV", "Official MV", "Official Music Video", "MUSiC CLiP", "Music Video" last
_MV_FIRST = re.compile(r"^\s*[\[【(]\s*(?:official\s+)?m/?v\s*[\]】)]\s*", re.IGNORECASE)
_MV_LAST = re.compile(
    r"\s*(?:[\[【(]\s*)?(?:official\s+)?(?:m/v|mv|music\s+video|music\s+clip|video\s+clip)(?:\s*[\]】)])?\s*$", re.IGNORECASE)
#: a music video's "Artist 'Title'", "Artist「Title」", "Artist - Title", "Artist _ Title" (1theK's)
_MV_SHAPES = (
    re.compile(r"^(?P<artist>\S.*?)\s*[「『](?P<title>[^「」『』]+)[」』]$"),
    re.compile(r"^(?P<artist>\S.*?)\s+(?:[-\u2013_]\s+)?['\"\u2018\u201c](?P<title>[^'\"\u2018\u2019\u201c\u201d]+)['\"\u2019\u201d]$"),
    re.compile(r"^(?P<artist>\S.*?)\s+[-\u2013_]\s+(?P<title>\S.*)$"),
)


def video_credit(title: str) -> tuple[str, str] | None:
    """(title, artist) of a music video's title tag, "BLACKPINK - 'How You Like That' M/V",
    "TWICE \"FANCY\" M/V", "[MV] IU(아이유) _ Blueming(블루밍)", "YOASOBI「アイドル」 Official Music
    Video": a K-pop or J-pop label's channel ("JYP Entertainment", "1theK (원더케이)") uploads
    its artists' videos so, and the video's mark says the rest is an artist and a song,
    whoever the channel is. None without the mark, or of no such shape."""
    text = _MV_FIRST.sub("", title)
    marked = text != title
    if (cut := _MV_LAST.sub("", text)) != text and cut.strip():
        text, marked = cut, True
    if not marked:
        return None
    # a V-pop channel's "Sơn Tùng M-TP | LẠC TRÔI | Official Music Video": artist and song
    # between pipes, two parts and no more (a third would say no more which is which)
    piped = [p.strip() for p in PIPES.split(text.strip()) if p.strip()]
    if len(piped) == 2 and PIPES.search(text):
        return piped[1], piped[0]
    for shape in _MV_SHAPES:
        match = shape.match(text.strip())
        if match and match.group("title").strip() and match.group("artist").strip():
            return match.group("title").strip(), match.group("artist").strip()
    return None
#: the pipes an upload's title puts its credits after ("| Film | Singer | Label")
PIPES = re.compile(r"\s*[|\uff5c\u01c0]+\s*")
#: an "(Official Music Video)" bracket and what follows it in an upload's title: the producer
#: ("Lover (Official Music Video) Intense"), never the song's name
_OFFICIAL_ON = re.compile(r"\s*[\(\[]\s*official\b[^\)\]]*[\)\]].*$", re.IGNORECASE)
#: "Artist: Title", an upload's other form, where pipes follow
_COLON = re.compile(r"\s*:\s+")


def _channel_of(named: str, artist: str) -> str | None:
    """``named`` as the artist of a title whose artist tag is ``artist`` (that name or its
    channel: "Jason Lavallee Music"), else None."""
    head, tagged = _squeezed(named), _squeezed(artist)
    if head and not head.isascii() and tagged.isascii():
        # "ام كلثوم - انت عمري" by "Umm Kulthum Official": the channel's name in Latin letters
        # (its word off) read as the title's Arabic one (``abjadnames``)
        reading = abjad_reading(named)
        if reading is not None and any(tagged.endswith(w) and reading.fullmatch(latin_letters(tagged[:len(tagged) - len(w)]))
                                       for w in _CHANNEL_WORDS):
            return named
    if not head or not tagged.startswith(head) or tagged[len(head):] not in _CHANNEL_WORDS:
        return None
    return artist.strip() if tagged == head else named


def _one_name(one: str, other: str) -> bool:
    """Whether ``one`` and ``other`` name one artist: one key, or one name in an abjad and in
    Latin letters ("Oum Kalthoum" and "أم كلثوم", ``abjadnames``)."""
    if label_key(one) == label_key(other):
        return True
    abjad, latin = (one, other) if other.isascii() else (other, one)
    reading = abjad_reading(abjad) if latin.isascii() and not abjad.isascii() else None
    return reading is not None and bool(reading.fullmatch(latin_letters(latin)))


#: a spaced slash between an upload's title and its other language's ("Ah W Noss (Official
#: Music Video) / نانسي عجرم - آه ونص"): one only where its artist follows (``_bilingual``)
_SLASH = re.compile(r"\s+/\s+")


def _bilingual(title: str) -> tuple[str, str] | None:
    """(title, artist) of an upload titled in two languages, "Oum Kalthoum - Al Atlal (Live
    1967) | أم كلثوم - الأطلال - حفلة باريس", "Nancy Ajram - Ah W Noss (Official Music Video) /
    نانسي عجرم - آه ونص": two parts, each "Artist - Song", their artists one name in two scripts
    (``_one_name``); the first part's song and artist (whatever the channel: a fan's archive
    names the artist in the title alone). None for any other title."""
    parts = [p for p in PIPES.split(title.strip(), maxsplit=1) if p.strip()]
    if len(parts) != 2:
        parts = [p for p in _SLASH.split(title.strip(), maxsplit=1) if p.strip()]
    if len(parts) != 2:
        return None
    first, second = (_DASH.split(p.strip(), maxsplit=1) for p in parts)
    if len(first) != 2 or len(second) != 2 or first[0].isascii() == second[0].isascii():
        return None
    if not _one_name(first[0].strip(), second[0].strip()):
        return None
    song = _song(first[1].strip())
    return (song, first[0].strip()) if song is not None else None


def _song(rest: str) -> str | None:
    """The song's title of an upload's part after its artist; None where it holds none
    ("(Official Video)" alone)."""
    if without_video_words(f"x {rest}") == "x":  # "Artist - (Official Video)": no title in it
        return None
    return without_video_words(rest)


def upload_credit(title: str, artist: str) -> tuple[str, str] | None:
    """(title, artist) of an upload's title tag "Artist - Title (Official Video)" whose
    artist tag is that artist or its channel, or of a music video's ``video_credit``; None for
    any other title."""
    video = video_credit(title)
    if video is not None:
        return video
    # a Bilibili video's "【周杰伦】晴天 MV 1080P", "《孤勇者》陈奕迅 - ...": its brackets name the
    # artist and song, whoever uploaded it (``bilibilinames``); a title merely ending in a mark
    # ("周杰伦 - 最伟大的作品【无损音质】") only where its first part is the artist tag
    rip = video_rip_name(title)
    if rip != title and len(parts := _DASH.split(rip, maxsplit=1)) == 2 and all(p.strip() for p in parts) \
            and (title.lstrip().startswith("【") or "《" in title or label_key(parts[0]) == label_key(artist)):
        return parts[1].strip(), parts[0].strip()
    both = _bilingual(title)
    if both is not None:
        return both
    head, *tail = PIPES.split(title.strip())
    piped = bool(tail) and bool(head)
    if piped:  # "Artist - Song (Official Audio) | Producer | Album": the part before the pipes
        title = _OFFICIAL_ON.sub("", head) or head
    parts = _DASH.split(title.strip(), maxsplit=1)
    if len(parts) != 2 and piped:
        parts = _COLON.split(title.strip(), maxsplit=1)
    if len(parts) != 2:
        return None
    named, rest = parts[0].strip(), parts[1].strip()
    by = _channel_of(named, artist) if rest else None
    if by is None and piped:  # "Brown Munde - AP Dhillon | ...": the song first
        first, _, last = title.strip().rpartition(" - ")
        if first.strip() and _channel_of(last.strip(), artist) is not None:
            song = _song(first.strip())
            return (song, artist.strip()) if song is not None else None
    if by is None:
        return None
    song = _song(rest)
    return (song, by) if song is not None else None
