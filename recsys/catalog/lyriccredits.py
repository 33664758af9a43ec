"""The credit lines Chinese apps and lyric sites put at the top of a song's lyrics: no lyrics, and
the song's composer where its tags name none.

NetEase Cloud Music's lyrics (the .lrc its client saves beside a download, and what taggers
fetch from it) open with "[00:00.000] 作词 : 方文山", "[00:01.000] 作曲 : 周杰伦", "编曲 : ...",
"制作人 : ..."; QQ Music's and KuGou's with "词：周杰伦", "曲：周杰伦", "词曲：李荣浩" (full-width
colons), after a heading line "晴天 - 周杰伦" and before the lyrics, and QQ ends them with a
notice ("未经著作权人许可 不得翻唱 翻录或使用"). A Taiwan lyric site's are in Traditional
characters ("作詞：方文山  作曲：周杰倫", both on one line). Kept as lyrics, those lines were a
tenth of a song's text, the same names in every song of a songwriter, which the text vector
reads as what the song is about; the composer they name was nowhere else.

``split_credits`` reads such lines (each made of "role: names" parts alone, the role one of
``_ROLES``, compared in Simplified characters) and returns the lyrics without them, the heading
line and the notice, with the composers they name: "作曲", "曲", "词曲" (words and music),
"谱曲", an English "Composer" / "Music by" / "Written by". A lyricist ("作词", "词") is no
composer. Names are split as the stores list them ("郑伟/张宏光", "A、B", "A & B").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from recsys.hanzi import simplified

#: the roles a credit line names, compared casefolded in Simplified characters (``simplified``):
#: those whose names are the song's composers first, then the others (words, arrangement,
#: production, the studio's people, the publisher's "OP"/"SP")
_COMPOSER_ROLES = frozenset({
    "作曲", "曲", "词曲", "作词作曲", "作词/作曲", "作词·作曲", "谱曲", "原曲",
    "composer", "composers", "composed by", "music by", "written by", "songwriter", "songwriters",
})
_OTHER_ROLES = frozenset({
    "作词", "词", "填词", "歌词", "中文词", "粤语词", "国语词", "英文词", "rap词", "rap作词",
    "编曲", "制作人", "制作", "监制", "配唱制作人", "音乐制作", "音乐总监", "和声", "和声编写", "和音", "和声编排",
    "吉他", "电吉他", "木吉他", "贝斯", "鼓", "鼓手", "键盘", "钢琴", "弦乐", "弦乐编写", "弦乐监制", "小提琴", "大提琴",
    "录音", "录音师", "录音室", "录音棚", "人声录音", "人声录音师", "人声编辑", "混音", "混音师", "混音室", "混音工程师",
    "母带", "母带处理", "母带工程师", "母带处理工程师", "出品", "出品人", "出品方", "发行", "发行方", "企划", "策划", "统筹",
    "营销推广", "宣传", "op", "sp", "演唱", "原唱", "翻唱", "采样", "打击乐", "口琴", "二胡", "古筝", "笛子", "琵琶",
    "lyrics by", "lyricist", "lyricists", "arranger", "arranged by", "producer", "producers",
    "produced by", "mixed by", "mixing engineer", "mastered by", "mastering engineer", "recorded by", "recording engineer",
    "vocal producer",
})
# not an English word a lyric may begin a line with ("Music: ...", "Love: ..."): a role's own word
# alone ("Music", "Lyrics", "Guitar") is in no set above
_ROLES = _COMPOSER_ROLES | _OTHER_ROLES
#: the colon between a role and its names, ASCII or full-width
_COLON = re.compile(r"\s*[:：]\s*")
#: the copyright notice QQ Music and KuGou end a song's lyrics with (and NetEase's "纯音乐，请欣赏")
#: (compared as ``_role`` gives lines: Simplified, which writes 著 as 着)
_NOTICE = re.compile(simplified(r"^(?:未经著作权人(?:书面)?许可|未经许可|著作权|版权所有|tme享有|酷狗音乐享有|本歌词|纯音乐，请欣赏|纯音乐,请欣赏)"))
#: the names of one role: "郑伟/张宏光", "A、B", "A & B", "A, B"
_NAME_SEPARATORS = re.compile(r"\s*(?:[/／、,，&＆;；]|\s{2,})\s*")


@dataclass(frozen=True)
class LyricCredits:
    """A song's lyrics without its credit lines, and the composers those lines name."""

    lyrics: str
    composers: tuple[str, ...] = ()


def _role(text: str) -> str:
    return " ".join(simplified(text).casefold().split())


def credit_line(line: str) -> list[tuple[str, str]] | None:
    """The (role, names) parts of a credit line ("作词 : 方文山", "作詞：方文山  作曲：周杰倫"), each
    role one of ``_ROLES``; None for a line that is anything else (a lyric)."""
    pieces = _COLON.split(line.strip())
    if len(pieces) < 2 or not pieces[0]:
        return None
    role, parts = pieces[0], []
    for piece in pieces[1:-1]:  # "方文山  作曲": one role's names, then the next role
        words = piece.split()
        for n in (3, 2, 1):
            if len(words) > n and _role(" ".join(words[-n:])) in _ROLES:
                parts.append((role, " ".join(words[:-n])))
                role = " ".join(words[-n:])
                break
        else:
            return None
    parts.append((role, pieces[-1]))
    return parts if all(_role(r) in _ROLES for r, _ in parts) else None


def _heading(line: str, headers: dict[str, str]) -> bool:
    """Whether a lyric's first line is the "Title - Artist" heading QQ Music and KuGou give it
    ("晴天 - 周杰伦 (Jay Chou)"): its parts are the [ti:] and [ar:] headers, else "X - Y" alone
    before credit lines (``split_credits`` asks only then)."""
    parts = re.split(r"\s+[-\u2013\u2014]\s+", line.strip())
    if len(parts) != 2 or not all(p.strip() for p in parts):
        return False
    title, artist = headers.get("ti", ""), headers.get("ar", "")
    if not title and not artist:
        return True
    keys = {_role(p).split(" (")[0] for p in parts}
    return bool(keys & {_role(title), _role(artist)})


def split_credits(lines: list[str], headers: dict[str, str] | None = None) -> LyricCredits:
    """Lyric lines (timestamps off) without their credit lines (``credit_line``), the heading
    before them ("Title - Artist") and the apps' copyright notice; the composers the credits
    name (see the module)."""
    headers = headers or {}
    composers: list[str] = []
    credited = [i for i, line in enumerate(lines) if credit_line(line) is not None]
    drop = set(credited)
    if credited:
        # the heading: the first non-empty line, just before the first credit line
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is not None and first < credited[0] and all(not lines[j].strip() for j in range(first + 1, credited[0])) \
                and _heading(lines[first], headers):
            drop.add(first)
    for i in credited:
        for role, names in credit_line(lines[i]) or []:
            if _role(role) in _COMPOSER_ROLES:
                composers.extend(n for n in _NAME_SEPARATORS.split(names) if n.strip())
    kept = [line for i, line in enumerate(lines) if i not in drop and not _NOTICE.match(_role(line))]
    return LyricCredits("\n".join(kept), tuple(dict.fromkeys(n.strip() for n in composers)))
