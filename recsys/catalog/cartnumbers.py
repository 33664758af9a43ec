"""A playout system's cart number before a file's name: "MUS01234 - Artist - Title.mp3",
"04010 - Artist - Title.mp2", "C12001_Artist_Title.wav", "012345_001 - Artist - Title.wav".

Radio stations number their carts and many name their files by the number first, as the
automation lists them: a music library's "MUS" carts, a DAD system's five digits, Rivendell's
six-digit cart and three-digit cut. Read as any name, "MUS02101 - The Clash - Train in Vain.mp3"
was by the artist "MUS02101", titled "The Clash - Train in Vain": one artist row a cart, the
song found by no one who typed its title. ``without_cart_number`` takes the number off, and
``filenames`` reads what is left as it reads any name.

A cart number is a name's first part, followed by a spaced dash or an underscore and more of
the name: up to four capital letters and four to six digits ("MUS01234", "C12001", "ID0101";
fewer digits are a band's: "C418", "UB40", "MC5"), or five or six digits alone, or four with a
leading zero ("04010"; "1349", "2112" are a band's or an album's, "1999" a year), Rivendell's
cut number after an underscore ("012345_001") with them. A name that is the number alone
("C12001.wav", "012345_001.wav") keeps it: it is all the name says.
"""

from __future__ import annotations

import re

#: the cart number, its cut, and the separator before the rest of the name
_CART = re.compile(
    r"^(?:[A-Z]{1,4}\d{4,6}|\d{5,6}|0\d{3})(?:_\d{3})?(?:\s+[-\u2013\u2014]\s+|_(?=[^\W\d_]))(?=\S)"
)


def without_cart_number(stem: str) -> str:
    """The name without a leading cart number; the name as it is when it has none."""
    return _CART.sub("", stem, count=1)
