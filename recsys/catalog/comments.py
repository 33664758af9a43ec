"""Comment tags that say nothing about the music: what a ripper, an encoder or a shop wrote.

A comment tag becomes the track's description, the text its text vector is made from. Most
comments in real libraries are not descriptions: "Ripped with EAC", "Amazon.com Song ID:
203487455", "www.some-site.ru", "Encoded by LAME 3.99", a CDDB disc id. In a real library the
one track with a text vector was one whose comment read "Ripped with EAC": every text query
found it first, and every track ripped alike would have had one text, linking them in the fused
space for the program that ripped them. Such a short note is left out; a longer text that
mentions a program, and any other comment, is kept.
"""

from __future__ import annotations

import re

#: a note this long or longer is a description even if it names a ripper ("Recorded at ...,
#: mastered for iTunes by ...")
_SHORT = 80

_NOTES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(?:https?://|www\.)\S+$",  # a web address alone
        r"^\S+\.(?:com|net|org|ru|de|info|biz|to|cc)/?\S*$",  # "mp3-site.ru"
        r"^[0-9a-f]{8}(?:\s+[0-9a-f]{8})*$",  # a CDDB disc id, iTunes' normalisation numbers
        r"^[\d\s./:-]*$",  # numbers alone: "0", "2003", "1/12"
        r"^(?:track|cd|disc)\s*\d+$",
        r"\b(?:ripped|encoded|uploaded|converted|created|downloaded|tagged|rip)\s+(?:by|with|from|using)\b",
        r"\b(?:exact audio copy|eac|dbpoweramp|cdex|xld|lame\s*\d|itunes|foobar\s*2000|mediamonkey|audiograbber|"
        r"windows media player|freedb|gnudb|cddb|musicbrainz picard|mp3tag|sound juicer|asunder|"
        r"whipper|cyanrip|abcde|ffmpeg|lavf|audacity)\b",
        r"\b(?:amazon(?:\.com)?|7digital|bandcamp|beatport|juno download|qobuz|google play|emusic)\b.*\bid\b",
        r"^(?:no comment|none|n/?a|-+|\.+)$",
    )
]


def ripper_note(comment: str) -> bool:
    """Whether a comment tag is a ripper's, an encoder's or a shop's note, not a description."""
    text = " ".join(comment.split())
    if not text:
        return True
    if len(text) >= _SHORT:
        return False
    return any(p.search(text) for p in _NOTES)
