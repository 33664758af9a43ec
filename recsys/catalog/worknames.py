"""A classical work's name where a file name's "Artist - Title" split expects an artist.

A classical collector's untagged rips (EAC to WAV, an old CD ripper without freedb) name their
files by work and movement: ``CD1/01 Symphony No. 1 - Adagio molto.wav``, ``01 BWV 1007 -
Prelude.wav``, ``02 Piano Concerto No. 1 - II. Andantino.flac``. Read by ``filenames``' rules,
"Symphony No. 1" was the artist of the box's first disc, "BWV 1007" of a cello suite, and
"Symphony No. 3" of the next disc: each disc a new artist, the composer's folder lost, and the
album dropped (a name's artist keeps the layout's album only when it is the layout's artist).
Such a part names the work, not who plays it: the name is no artist's, and the file keeps its
whole name as its title ("Symphony No. 1 - Adagio molto") and its folders' artist and album.

A work's name, here, is a catalogue number ("BWV 1007", "Op. 67", "K. 525", "KV 525", "RV
269", "Hob. XVI:52", "HWV 56", "D. 960", "WoO 59"), alone or after a title, or a form
("Symphony", "Concerto", "Sonata", "Quartet" ... in English, German, French and Italian) with
"No." / "Nr." / "n°" and a number: "Symphony No. 5", "Piano Concerto No. 1", "Sinfonie Nr. 9".
A form without a number is a band's name as often ("Symphony X", "Sonata Arctica") and stays
an artist.
"""

from __future__ import annotations

import re

_CATALOGUE = (r"(?:BWV|HWV|RV|KV|WoO|Hob\.?|K\.|D\.|Op\.|Opus|op\.)\s*(?:[IVX]{1,5}\s*:\s*)?\d{1,4}[a-z]?"
              r"(?:\s*(?:/|No\.?|Nr\.?)\s*\d{1,3})?")
_FORMS = (r"symphon(?:y|ie)s?|sinfonie|sinfonia|concerto|konzert|concert|sonat[ae]s?|sonatine|quartet|quartett|"
          r"quatuor|quartetto|quintet|quintett|trio|suite|partita|cantata|kantate|mass|messe|missa|requiem|"
          r"serenade|divertimento|overture|ouverture|prelude|pr[ée]lude|etude|[ée]tude|nocturne|ballade|"
          r"impromptu|mazurka|polonaise|waltz|walzer|valse|rhapsod(?:y|ie)|string quartet|piano sonata")
_NUMBERED = r"(?:No\.?|Nr\.?|n[°º]\.?|#)\s*\d{1,3}"
_WORK = re.compile(
    r"^(?:.*\b)?(?:" + _CATALOGUE + r")\s*$"  # "BWV 1007", "Cello Suite, BWV 1007", "Op. 67"
    r"|^(?:[\w'’-]+\s+){0,3}(?:" + _FORMS + r")\s+" + _NUMBERED + r"\b.*$",  # "Piano Concerto No. 1 in B-flat minor"
    re.IGNORECASE,
)


def names_a_work(text: str) -> bool:
    """Whether ``text`` (a file name's part) names a classical work: "Symphony No. 5", "BWV
    1007", "Piano Concerto No. 1, Op. 23"; not "Symphony X" nor "Op. Ivy"."""
    return bool(_WORK.match(" ".join(text.split())))
