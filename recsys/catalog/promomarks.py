"""A promo pool's, a label's or a channel's marks in a title: "Gunroar (Extended Mix) [PROMO]",
"Stairs (FREE DL)", "**OUT NOW** Knolls", "PREMIERE: Kenta Cho - Gunroar", "Title [EXCLUSIVE]".

Promo pools (and the labels that mail DJs their promos) stamp "[PROMO]" into the title tag and
the file name; SoundCloud and YouTube uploads add "[FREE DOWNLOAD]", "(FREE DL)", "[OUT NOW]",
"**OUT NOW**", a premiere channel's "PREMIERE:" or "[Premiere]", an "[EXCLUSIVE]". They say how
the file came, not what the song is: the promo and the bought copy are one song, for the
results' dedup, a seed by title, and the title shown. A real library's "Gunroar (Extended Mix)
[PROMO]" was a title of its own beside "Gunroar (Extended Mix)".

Only where a mark stands apart from the title's words is it taken:

- a bracket holding the mark alone ("[PROMO]", "(Promo Only)", "[FREE DOWNLOAD]", "(Free DL)",
  "[OUT NOW]", "(Out Now on Anjunabeats)", "[Premiere]", "[EXCLUSIVE]"), anywhere; "(Free)" is no
  mark ("Break (Free)" is a title), "[FREE]" (a beat's "[FREE] Type Beat") is;
- the mark between asterisks ("**OUT NOW**", "*PREMIERE*"), anywhere;
- the mark and a colon or a bar before the rest ("PREMIERE: Artist - Title", "Premiere | ..."),
  where the rest reads "Artist - Title" or the mark is written in capitals ("Premiere: The
  Movie" stays);
- the mark as a last dash-part, or after a bar, after a mix's brackets or another dash ("Sea
  Battle (Original Mix) - promo", "Artist - Title - Premiere", "Artist - Title (X Remix) | FREE
  DOWNLOAD"); "Artist - Premiere" is the song "Premiere".

- a music blog's post-title before "Artist - Title": "Download Mp3: Wizkid – Essence ft Tems",
  "Mp3: Burna Boy - Ye", "Mp3 Download: Fireboy DML – Peru", "[Music] Rema – Calm Down" (the
  Naija download sites, NaijaLoaded, Trendybeatz, JustNaija, head every post so, and their
  files' title tags were pasted from it). Only before "Artist - Title": "Music: A Life" stays.
A title that is the mark alone ("Premiere", "Exclusive", "(Promo)") stays, and a word of a title
("Free Bird", "Exclusive Love", "Promo Mix") is no mark.
"""

from __future__ import annotations

import re

#: the marks, as words (any case): a promo, a free download, a release, a premiere, an exclusive
_MARK = (
    r"(?:promo(?:\s+(?:only|copy|use\s+only))?|free\s+(?:download|dl)|out\s+now(?:\s+on\s+[^()\[\]*]{1,40})?"
    r"|(?:world\s+|exclusive\s+)?premiere|exclusive)!?"
)
_S = r"[\s_]"  # a name's space: "Gunroar_(Extended_Mix)_[PROMO]"
#: the mark alone in brackets, or "[FREE]" alone in square brackets
_BRACKETED = re.compile(rf"{_S}*(?:[(\[]{_S}*{_MARK}{_S}*[)\]]|\[{_S}*free!?{_S}*\])", re.IGNORECASE)
#: the mark between asterisks
_STARRED = re.compile(rf"{_S}*\*{{1,3}}{_S}*{_MARK}{_S}*\*{{1,3}}", re.IGNORECASE)
#: the mark leading with a colon or a bar
_LEADING = re.compile(rf"^{_S}*(?P<mark>{_MARK}){_S}*(?::|\||::){_S}+(?=\S)", re.IGNORECASE)
#: the mark as a last dash-part or after a bar, as SoundCloud titles write it ("Joji - Slow
#: Dancing In The Dark (Vantage Remix) | FREE DOWNLOAD"; ``_trailing`` says whether it is one)
_TRAILING = re.compile(rf"{_S}+[-\u2013|\uff5c]{_S}+{_MARK}{_S}*$", re.IGNORECASE)
#: a music blog's post-title mark, with a colon or alone in square brackets, before "Artist -
#: Title": "Download Mp3:", "Mp3 Download:", "Download Music:", "Mp3:", "[Music]", "[Audio]"
_POST = r"(?:(?:download\s+)?(?:mp3|music|audio|song)(?:\s+download)?|download)"
_POST_LEADING = re.compile(rf"^{_S}*(?:{_POST}{_S}*:|\[{_S}*{_POST}{_S}*\]){_S}*(?=\S)", re.IGNORECASE)
_ARTIST_TITLE = re.compile(rf"\S{_S}+[-\u2013]{_S}+\S")
#: a word every mark holds (``_MARK``, and "[FREE]"): a name without one has no mark
_MARK_WORDS = ("promo", "free", "now", "premiere", "exclusive", "mp3", "music", "audio", "song", "download")


def without_promo_marks(text: str) -> str:
    """``text`` (a title tag or a file name's stem) without the promo marks that stand apart
    in it; as it is when nothing with a letter would be left."""
    if not text:
        return text
    if text.isascii() and not any(w in text.lower() for w in _MARK_WORDS):  # no mark's word (most names):
        out = text.strip(" _")  # no rule tried, the same result (ASCII: IGNORECASE matches "\u212a" to "k")
        return out if any(c.isalpha() for c in out) else text
    out = _BRACKETED.sub("", text)
    out = _STARRED.sub("", out)
    leading = _LEADING.match(out)
    if leading is not None and (_ARTIST_TITLE.search(out[leading.end():]) or leading.group("mark").isupper()):
        out = out[leading.end():]
    post = _POST_LEADING.match(out)
    if post is not None and _ARTIST_TITLE.search(out[post.end():]):
        out = out[post.end():]
    out = _trailing(out)
    out = out.strip(" _")
    return out if any(c.isalpha() for c in out) else text


def _trailing(text: str) -> str:
    """``text`` without a last dash-part that is a mark, where a mix's brackets or another
    dash-part come before it."""
    match = _TRAILING.search(text)
    if match is None:
        return text
    before = text[: match.start()].rstrip(" _")
    if before.endswith((")", "]")) or _ARTIST_TITLE.search(before):
        return before
    return text
