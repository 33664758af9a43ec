"""A version's marks as Japanese and Korean stores, rippers and fans write them, read as the
bracketed marks the dedup knows.

A J-pop single's tracks are "紅蓮華", "紅蓮華 -TV size-", "紅蓮華 -Instrumental-"; a Japanese
edition's "How You Like That -JP Ver.-", "TT -Japanese ver.-"; an anime collection's "only my
railgun ～TV size～"; an old CD database's full-width "Ａｕｔｏｍａｔｉｃ（Ｏｒｉｇｉｎａｌ
Ｋａｒａｏｋｅ）" or half-width "ﾌﾞﾙｰﾊﾞｰﾄﾞ（ｲﾝｽﾄｩﾙﾒﾝﾀﾙ）"; a fan's "紅蓮華 off vocal" and
"Opening Theme - 紅蓮華". None of those marks was a bracket to the dedup, so each was a song of
its own: a radio of "TT" listed "TT -Japanese ver.-" first, an artist radio its own seeds'
Japanese editions. ``bracketed`` writes them as "Title (Mark)": the title in compatibility
form (NFKC: full-width letters and brackets as ASCII, half-width kana as kana), a last part
wrapped in spaced hyphens or wave dashes ("-TV size-", "～TV size～", "〜Anime Ver.〜") a
bracket where its words are a version's (a subtitle, "LOVE ～Destiny～", stays the title's), a bare "off vocal" (no song is named so) a bracket, and an opening's or ending's
mark before the title ("Opening Theme - ", "OP: ", "ED1 - ") one after it. Only at the
title's end (or start, for an opening's): "NARUTO -ナルト- 疾風伝" keeps its middle.
"""

from __future__ import annotations

import re
import unicodedata

#: a last part wrapped in hyphens or wave dashes: "Title -TV size-", "Title ～TV size～" (NFKC
#: makes "～" a "~"), "Title 〜Anime Ver.〜"; the mark a word or a few, no hyphen of its own
_WRAPPED = re.compile(r"^(?P<title>.*\S)\s+(?P<open>[-~\u301c])(?P<mark>[^\s\-~\u301c](?:[^\-~\u301c]{0,40}[^\s\-~\u301c])?)(?P=open)\s*$")
#: what a wrapped last part says where it is a version's mark, not a subtitle: "LOVE ～Destiny～"
#: and "LOVE ～refrain～" are two songs, as "Re:Zero -Starting Life-" is a name
_MARK_WORDS = re.compile(
    r"\b(?:tv|size|ver|version|edit|mix|remix|rmx|live|acoustic|inst|instrumental|off\s?vocal|karaoke|"
    r"a\s?cap+el+a|short|full|long|anime|original|remaster(?:ed)?|radio|extended|demo|mono|stereo|bonus|"
    r"japanese|korean|english|chinese|jp|kr|op|ed|opening|ending)\b|オフボーカル|カラオケ|インスト|バージョン|ヴァージョン",
    re.IGNORECASE,
)
#: a bare "off vocal" ending a title: a karaoke track's (no song is named so)
_OFF_VOCAL = re.compile(r"^(?P<title>.*\S)\s+(?P<mark>off\s?vocal(?:\s+ver(?:sion|\.)?)?)\s*$", re.IGNORECASE)
#: an opening's or ending's mark before the title: "Opening Theme - X", "OP: X", "ED2 - X" (not
#: a game's cue "Opening - Bombing Mission", "Ending - Staff Roll": the word "Theme", or OP/ED)
_THEME_FIRST = re.compile(
    r"^\s*(?P<mark>(?:opening|ending)\s+theme(?:\s+\d{1,2})?|(?-i:OP|ED)\s*\d{0,2})\s*(?:\s[-\u2013]|:)\s+(?P<title>\S.*)$",
    re.IGNORECASE,
)


def bracketed(title: str) -> str:
    """``title`` with its marks in the forms above written as brackets ("TT -Japanese ver.-" ->
    "TT (Japanese ver.)", "Ａｕｔｏｍａｔｉｃ（Ｏｒｉｇｉｎａｌ Ｋａｒａｏｋｅ）" -> "Automatic
    (Original Karaoke)"); any other title as it is (an ASCII title without a hyphen, a tilde or
    "vocal" at once)."""
    if not title.isascii():
        title = unicodedata.normalize("NFKC", title)
    elif "-" not in title and "~" not in title and "vocal" not in title.lower() and ":" not in title:
        return title
    match = _THEME_FIRST.match(title)
    if match:
        title = f"{match.group('title')} ({match.group('mark')})"
    match = _WRAPPED.match(title)
    if match and _MARK_WORDS.search(match.group("mark")):
        title = f"{match.group('title')} ({match.group('mark')})"
    match = _OFF_VOCAL.match(title)
    if match:
        title = f"{match.group('title')} ({match.group('mark')})"
    return title
