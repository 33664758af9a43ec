"""A record's personnel in its comment, as a jazz collector's rips and liner notes give it:
"Miles Davis (tp), John Coltrane (ts), Red Garland (p), Paul Chambers (b), Philly Joe Jones (d).
Recorded at Columbia 30th Street Studio" or "Miles Davis – trumpet; John Coltrane – tenor
saxophone", read as the track's musicians where its tags name none (``catalog.performers``).

A comment says many things ("Recorded live at the Newport Jazz Festival", "Ripped with EAC", a
review), so it is read only where its shape is unmistakable: a line (or its first sentence) that
is a list of two people or more, every one of them "Name (instruments)" or "Name – instruments",
every instrument one a discography writes: the abbreviations of the jazz discographies ("tp",
"ts", "p", "b", "d", "vib": ``ABBREVIATIONS``, spelled out as MusicBrainz names them, so a
comment's "(b)" and Picard's "(bass)" say one instrument) or a name that ends in an instrument's
word ("tenor saxophone", "double bass": ``_INSTRUMENT_WORDS``). A leader's mark ("ldr") or an
arranger's ("arr") may stand beside them; one item that is no such person ("Van Gelder Studio
(NJ)") and the line is no personnel. An abbreviation that means two things ("v": vocals or
violin) is no instrument here.
"""

from __future__ import annotations

import re

from recsys.catalog.model import Performer
from recsys.catalog.performers import merged

#: the jazz discographies' abbreviations (Lord's, Jepsen's, Blue Note's and Prestige's liner
#: notes), as MusicBrainz names the instrument
ABBREVIATIONS: dict[str, str] = {
    "tp": "trumpet", "tpt": "trumpet", "cor": "cornet", "co": "cornet", "flh": "flugelhorn", "flgh": "flugelhorn",
    "tb": "trombone", "tbn": "trombone", "vtb": "valve trombone", "btb": "bass trombone", "frh": "french horn",
    "tu": "tuba", "as": "alto saxophone", "ts": "tenor saxophone", "bs": "baritone saxophone", "bar": "baritone saxophone",
    "ss": "soprano saxophone", "cl": "clarinet", "bcl": "bass clarinet", "fl": "flute", "afl": "alto flute",
    "ob": "oboe", "bsn": "bassoon", "p": "piano", "pno": "piano", "ep": "electric piano", "org": "organ",
    "kb": "keyboards", "key": "keyboards", "keys": "keyboards", "syn": "synthesizer", "synth": "synthesizer",
    "b": "bass", "db": "double bass", "eb": "electric bass", "el-b": "electric bass", "g": "guitar",
    "gtr": "guitar", "eg": "electric guitar", "el-g": "electric guitar", "bjo": "banjo", "d": "drums",
    "dr": "drums", "ds": "drums", "vib": "vibraphone", "vibes": "vibraphone", "mar": "marimba", "perc": "percussion",
    "cga": "congas", "cong": "congas", "bgo": "bongos", "voc": "vocals", "vcl": "vocals", "vo": "vocals",
    "vln": "violin", "vn": "violin", "vla": "viola", "vc": "cello", "cel": "cello", "hca": "harmonica",
    "hp": "harp", "acc": "accordion",
}
#: marks beside the instruments that are no instrument: a leader, an arranger, a conductor
_MARKS = frozenset({"ldr", "leader", "arr", "arranger", "cond", "conductor", "dir", "comp", "composer"})
#: the last word of an instrument written out ("tenor saxophone", "double bass", "drums")
_INSTRUMENT_WORDS = frozenset({
    "trumpet", "cornet", "flugelhorn", "trombone", "horn", "tuba", "saxophone", "sax", "clarinet", "flute", "oboe",
    "bassoon", "piano", "organ", "keyboards", "keyboard", "synthesizer", "synthesizers", "bass", "guitar", "banjo",
    "drums", "vibraphone", "vibes", "marimba", "percussion", "congas", "conga", "bongos", "vocals", "vocal", "voice",
    "violin", "viola", "cello", "harmonica", "harp", "accordion", "euphonium", "mellophone", "celesta", "xylophone",
    "timbales", "tabla", "sitar", "mandolin", "ukulele", "glockenspiel", "tambourine", "saxello", "piccolo",
})
#: a line's label before the list: "Personnel:", "Musicians:", "Line-up:"
_LABEL = re.compile(r"\s*(?:personnel|musicians|line-?up)\s*[:\-–]\s*", re.IGNORECASE)
#: "Name (tp, ts)": a name of letters (initials' dots, apostrophes, hyphens), its instruments
_PAREN_ITEM = re.compile(r"\s*([^\W\d_][^(),;:\n\[\]]{0,60}?)\s*\(([^()\n]{1,80})\)")
#: "Name – trumpet": a dash with spaces around it, the instruments up to the next ";" or line
_DASH_ITEM = re.compile(r"\s*([^\W\d_][^(),;:\n\[\]–—]{0,60}?)\s+[–—-]\s+([^;\n()]{1,80}?)\s*(?=;|\n|$|\.\s)")
#: between two items: a comma or a semicolon, perhaps "and"/"&" before the last
_SEP = re.compile(r"\s*[,;]\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+")
#: where the list may end: the end of the line, or a sentence's (". Recorded at ...")
_END = re.compile(r"\s*(?:$|\n|\.(?:\s|$))")


def _instruments(text: str) -> list[str] | None:
    """The instruments of one person's "tp, ts", "tenor saxophone / flute" ([] for a mark
    alone: "arr"); None where one of them is no instrument (see the module), or nothing is given."""
    out: list[str] = []
    marked = False
    for part in re.split(r"\s*(?:[,/+]|\band\b|&)\s*", text.strip().casefold()):
        part = part.strip(" .")
        if not part:
            continue
        if part in _MARKS:
            marked = True
            continue
        if part in ABBREVIATIONS:
            out.append(ABBREVIATIONS[part])
        elif len(part) > 2 and part.split()[-1] in _INSTRUMENT_WORDS and len(part.split()) <= 4:
            out.append(part)
        else:
            return None
    # a leader's or an arranger's mark alone: a person of the list who plays nothing here
    return out if out or marked else None


def _name(text: str) -> str | None:
    """A person's name as a list gives it: one to five words, no digits; None otherwise."""
    name = " ".join(text.split())
    words = name.split()
    if not 1 <= len(words) <= 5 or any(c.isdigit() for c in name):
        return None
    return name


def _items(line: str, item: re.Pattern) -> list[tuple[str, list[str]]] | None:
    """The people of ``line`` in the shape ``item`` reads, from its start to its end or the
    end of its first sentence; None unless every item is a person with instruments."""
    label = _LABEL.match(line)
    pos = label.end() if label else 0
    found: list[tuple[str, list[str]]] = []
    while True:
        m = item.match(line, pos)
        if m is None:
            return None
        name, played = _name(m.group(1)), _instruments(m.group(2))
        if name is None or played is None:
            return None
        found.append((name, played))
        pos = m.end()
        if _END.match(line, pos):
            return found
        sep = _SEP.match(line, pos)
        if sep is None or sep.end() == pos:
            return None
        pos = sep.end()


def _line(line: str) -> list[tuple[str, list[str]]] | None:
    """The people of one line in either shape; None where it is no list of them."""
    for item in (_PAREN_ITEM, _DASH_ITEM):
        found = _items(line, item)
        if found is not None:
            return found
    return None


def comment_personnel(text: str) -> tuple[Performer, ...]:
    """The musicians a comment lists (see the module): its first line that lists two people or
    more, else its first run of two lines or more that name one each ("Miles Davis – trumpet"
    on a line, "John Coltrane – tenor saxophone" on the next); () where there is neither.
    Only people who play count: a list's "Gil Evans (arr)" is left out."""
    run: list[tuple[str, list[str]]] = []
    for line in [*text.splitlines(), ""]:
        found = _line(line) if line.strip() else None
        if found is not None and len(found) >= 2:
            return _played(found)
        if found is not None:
            run += found
            continue
        if len(run) >= 2:
            return _played(run)
        run = []
    return ()


def _played(found: list[tuple[str, list[str]]]) -> tuple[Performer, ...]:
    return merged([(name, i) for name, played in found for i in played])
