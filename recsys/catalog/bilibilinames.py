"""A Chinese video site's rip named as its video: "【周杰伦】晴天 MV 1080P", "《孤勇者》陈奕迅 - ...".

Bilibili's and Douyin's uploads are titled by their own conventions, and the downloaders
(you-get, BBDown, yt-dlp, the sites' apps' "save audio") name the file by the video's title: the
artist in black lenticular brackets first ("【周杰伦】晴天"), the song's title in double angle
brackets, the book-title marks Chinese writes a work's name in ("《孤勇者》陈奕迅", "陈奕迅《富士
山下》", "G.E.M.邓紫棋 -《光年之外》电影《太空旅客》中文主题曲": what follows the title is the
video's description, a film's name in marks of its own), and the video's quality and kind
around them, bracketed or not ("【4K修复】", "【无损音质】", "【Hi-Res无损】", "MV 1080P", "官方MV",
"完整版", "高音质", "超清"). Read as "Artist - Title" names are, the video's words were the
title's ("【周杰伦】晴天 MV 1080P" a title of no artist), and "《孤勇者》陈奕迅" an artist.

``video_rip_name`` gives such a name the usual form, "周杰伦 - 晴天", for the file-name rules
(``filenames``): the quality marks dropped, a first 【name】 that is no mark the artist, the
first 《title》 the title and the name beside it (before it, else after it up to a dash) the
artist. Only names with Chinese characters or those brackets are read so: "Song (HD)" is
``filenames.without_video_words``' to read.
"""

from __future__ import annotations

import re

#: the video's quality and kind, no part of a song's title: resolution, frame rate, restoration,
#: lossless and high quality, subtitles, "MV", "official", "full version"
_MARK = (r"(?:\d{3,4}\s*[pP](?:\s*\d{2}\s*(?:帧|fps))?|[248]\s*[kK](?:\s*(?:修复|重制|超清|60\s*帧))?|\d{2}\s*帧|(?:Hi-?Res|HiRes)"
         r"|无损(?:音质|音乐|版)?|高音质|高品质|高清|超清|蓝光|杜比(?:全景声)?|修复版?|重制版?|中字|中英字幕|双语字幕|字幕版|歌词版|动态歌词"
         r"|(?:官方|高清|超清|完整版)?\s*MV|官方(?:版|正式版)?|完整版|正式版|(?:HD|HQ))")
_MARKS = re.compile(rf"^\s*{_MARK}(?:[\s+·/_|-]*{_MARK})*\s*$", re.IGNORECASE)
#: a bracket holding marks alone, anywhere: "【4K修复】", "【无损音质】", "[1080P]", "（高清MV）"
_MARK_BRACKET = re.compile(r"\s*[【\[(（]([^【】\[\]()（）]*)[】\])）]\s*")
#: marks the name ends with: " MV 1080P", "》MV", " 高音质"
_TRAILING = re.compile(rf"(?:(?<=\s)|(?<=[》】)）\]]))\s*{_MARK}\s*$", re.IGNORECASE)
_LEADING_NAME = re.compile(r"^\s*【([^【】]+)】\s*(.+)$")
_TITLE = re.compile(r"《([^《》]+)》")
#: what joins the artist to the marked title: "陈奕迅 -《富士山下》", "陈奕迅：《...》"
_JOINER = re.compile(r"[\s\-\u2013\u2014:：|｜/]+$")
_DASH = re.compile(r"\s*[-\u2013\u2014|｜]\s*|\s+")


def _chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" or c in "【】《》" for c in text)


def _without_marks(text: str) -> str:
    def bracket(match: re.Match[str]) -> str:
        return " " if _MARKS.match(match.group(1)) else match.group(0)

    out = _MARK_BRACKET.sub(bracket, text).strip()
    while (cut := _TRAILING.sub("", out).strip()) != out and cut:
        out = cut
    return out


def video_rip_name(stem: str) -> str:
    """A Bilibili or Douyin rip's name as "Artist - Title" (see the module); any other name as
    it is."""
    if not _chinese(stem):
        return stem  # most names, and every name of a library in Latin letters
    text = _without_marks(stem)
    if not text:
        return stem
    title = _TITLE.search(text)
    if title is not None and title.group(1).strip():
        before = _JOINER.sub("", text[: title.start()]).strip()
        before = _LEADING_NAME.sub(r"\1", before) if before.startswith("【") and before.endswith("】") else before
        after = text[title.end():].strip()
        artist = before or (_DASH.split(after, maxsplit=1)[0].strip() if after else "")
        return f"{artist} - {title.group(1).strip()}" if artist else title.group(1).strip()
    leading = _LEADING_NAME.match(text)
    if leading is not None and " - " not in leading.group(2):
        return f"{leading.group(1).strip()} - {leading.group(2).strip()}"
    return text
