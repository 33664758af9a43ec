"""A genre typed as a hashtag: "#lofi", "#LoFi HipHop", "#lofi #chill".

SoundCloud lets an uploader type a track's genre as free text, and many type it as they tag a
post; scdl writes it to the file as typed. The "#" is no part of the genre: "#lofi" is the
genre "lofi" (``labels.genre_key`` already keys both alike, so the filters matched, but the
genre facet showed "#lofi" as its row's name wherever the hashtag was the library's most common
spelling, and the text the track is embedded by read "#lofi"). Several hashtags in the one
field are several genres. A "#" that does not begin a word before a letter is kept: "C#",
"#1 Hits".
"""

from __future__ import annotations

import re

#: a "#" at the start of the value or after a space, before a letter: a hashtag's mark
_HASHTAG = re.compile(r"(?:^|\s+)#(?=[^\W\d_])")


def hashtag_genres(value: str) -> list[str]:
    """The genres of one genre value with its hashtags' "#" read away ("#lofi #chill" ->
    ["lofi", "chill"]); ``[value]`` where it holds no hashtag."""
    if "#" not in value or not _HASHTAG.search(value):
        return [value]
    return [part.strip() for part in _HASHTAG.split(value) if part.strip()]
