"""A track's tempo and key as DJ software writes them into its file NAME.

Mixed In Key renames a DJ's files with the key (and the tempo) it found: "8A - 128 - Artist -
Title.mp3", "8A - Artist - Title.mp3", "08A - Title.mp3", or at the end, "Artist - Title - 8A -
128.mp3". Rekordbox and Traktor exports and promo pools end a name with the pair: "Artist -
Title (Tech Mix) 128 8A.mp3", Beatport-style "Title (Original Mix) 124 BPM Fm", "Title
(Extended Mix) [128 BPM]", a sample pack's loop "Bass_Loop_120bpm_Am". Read as any name, an
untagged file was titled "Heroes Rite (Tech Mix) 128 8A", and a renamed one was by the artist
"8A". ``tempo_key_in_name`` takes them off the name before the title and artist rules run
(``filenames``), and gives them to the track where its tags give none (tags win).

A number in a title is usually the title's ("Blink 182", "Apollo 440", "99 Luftballons",
"1999", "Track 128"): only these conventions' shapes count, with the key in Camelot ("8A",
uppercase as Mixed In Key writes it) or Open Key ("1m", lowercase as Traktor writes it), or as
a note where the shape says it is a key ("124 BPM Fm"):

- a key at the very start followed by " - " (and maybe a tempo and " - " after it), or a tempo,
  " - " and a key;
- " - " and a key at the end (maybe " - " and a tempo after it), or " - tempo - key";
- a tempo and a key at the end ("128 8A", "126 Am", "8A 128"): a note key needs a mode or an
  accidental ("Am", "F#", not "A") and a tempo from 70 to 199 ("Highway 61 Am" is a title), and
  a catalogue number is not a tempo ("Symphony No. 94 Gm");
- a tempo with the word "bpm" at the end, maybe in brackets, maybe with a key before or after.

In the MIDDLE of a name ("Artist - Title 128bpm 8A (Extended Mix)", "Title [124 BPM] [Am] -
Artist", "08A_126_Artist_Title"), where a number is more often the title's, only shapes with a
witness count (``_MIDDLE``):

- a tempo with the word "bpm" as a word of its own or alone in brackets, maybe with a key
  beside it (in the same brackets, in brackets of its own, or as the next word);
- a tempo and a Camelot or Open Key key as two words of their own before a mix's brackets or a
  " - " ("Title 128 8A (Extended Mix)"), the word before them no catalogue number's;
- at the start, a key and a tempo (either order) as two words before the rest: a renamer's
  "08A_126_Artist_Title" with underscores for spaces.
"""

from __future__ import annotations

import re

from recsys.catalog.tempokey import parse_bpm, parse_key

#: Camelot (uppercase) or Open Key (lowercase) as a name writes it: "8A", "08A", "12B", "1m", "6d"
_WHEEL = r"0?(?:1[0-2]|[1-9])(?:[AB]|[md])(?![\w#♯♭])"
#: a note with a mode or an accidental: "Am", "F#m", "Bbm", "Eb", "C#", "A minor", "C maj"
_NOTE = r"[A-G](?:(?:#|♯|b|♭)?(?:m|\s?(?:min|maj|minor|major))|#|♯|♭|b)(?![\w#♯♭])"
#: a tempo as a name writes it without "bpm": two or three digits, 50 to 249, maybe decimals
_TEMPO = r"(?<![\d.,])(?:[5-9]\d|1\d\d|2[0-4]\d)(?:[.,]\d{1,2})?(?![\d.,]*\d)"
#: a tempo beside a note key without "bpm": 70 to 199, a dance track's ("Highway 61 Am" is a title)
_DJ_TEMPO = r"(?<![\d.,])(?:[7-9]\d|1\d\d)(?:[.,]\d{1,2})?(?![\d.,]*\d)"
#: any number before the word "bpm" (parse_bpm checks its range)
_BPM_NUMBER = r"(?<![\d.,])\d{2,3}(?:[.,]\d{1,2})?\s?(?i:bpm)\b"
_DASH = r"\s+[-\u2013]\s+"

_LEADING = [
    re.compile(rf"^\s*(?P<key>{_WHEEL}){_DASH}(?:(?P<bpm>{_TEMPO}){_DASH})?(?=\S)"),
    re.compile(rf"^\s*(?P<bpm>{_TEMPO}){_DASH}(?P<key>{_WHEEL}){_DASH}(?=\S)"),
    # "08A_126_Artist_Title", "8A 128 Artist - Title": both, as words, and a word after them
    re.compile(rf"^\s*(?P<key>{_WHEEL})\s+(?P<bpm>{_TEMPO})\s+(?=\S)"),
    re.compile(rf"^\s*(?P<bpm>{_TEMPO})\s+(?P<key>{_WHEEL})\s+(?=\S)"),
]
_TRAILING = [
    re.compile(rf"{_DASH}(?P<bpm>{_TEMPO}){_DASH}(?P<key>{_WHEEL})\s*$"),
    re.compile(rf"{_DASH}(?P<key>{_WHEEL})(?:{_DASH}(?P<bpm>{_TEMPO}))?\s*$"),
    re.compile(rf"(?P<before>\S+)\s+(?P<bpm>{_TEMPO})\s+(?P<key>{_WHEEL})\s*$"),
    re.compile(rf"(?P<before>\S+)\s+(?P<bpm>{_DJ_TEMPO})\s+(?P<key>{_NOTE})\s*$"),
    re.compile(rf"\s+(?P<key>{_WHEEL})\s+(?P<bpm>{_TEMPO})\s*$"),
    re.compile(
        rf"(?:{_DASH}|\s*(?P<open>[(\[])\s*|\s+)(?:(?P<key>{_WHEEL}|{_NOTE})[\s,]+)?(?P<bpm>{_BPM_NUMBER})"
        rf"(?:[\s,]+(?P<key2>{_WHEEL}|{_NOTE}))?\s*(?P<close>[)\]])?\s*$"
    ),
]
_KEY = rf"(?:{_WHEEL}|{_NOTE})"
#: inside a name: a tempo the word "bpm" says, a key beside it; each as a word of its own
#: ("128bpm 8A") or alone in brackets ("[124 BPM] [Am]", "(126 BPM, 8A)")
_MIDDLE = [
    re.compile(rf"(?:(?<=\s)|^)[(\[]\s*(?P<key>{_KEY})\s*[)\]]\s*[(\[]\s*(?P<bpm>{_BPM_NUMBER})\s*[)\]](?=[\s(\[]|$)"),
    re.compile(
        rf"(?:(?<=\s)|^)[(\[]\s*(?:(?P<key>{_KEY})[\s,]+)?(?P<bpm>{_BPM_NUMBER})(?:[\s,]+(?P<key2>{_KEY}))?\s*[)\]]"
        rf"(?:\s*[(\[]\s*(?P<key3>{_KEY})\s*[)\]])?(?=[\s(\[]|$)"
    ),
    re.compile(rf"(?<=\s)(?:(?P<key>{_KEY})\s+)?(?P<bpm>{_BPM_NUMBER})(?:\s+(?P<key2>{_KEY}))?(?=\s|$)"),
    # "Title 128 8A (Extended Mix)": no "bpm", but a Camelot key and a mix's brackets or a dash after
    re.compile(rf"(?P<before>\S+)\s+(?P<bpm>{_TEMPO})\s+(?P<key>{_WHEEL})(?=\s*[(\[]|{_DASH})"),
]
#: a name's separators left doubled where a tempo was cut out between them
_DOUBLED_DASH = re.compile(r"\s+[-\u2013](?:\s+[-\u2013])+\s+")
#: a number that is a work's, not a tempo: "Symphony No. 94 Gm", "Op. 64 Em", "BWV 140 Eb"
_CATALOGUE = re.compile(r"^(?:no|nr|op|opus|bwv|kv?|hob|rv|d|#)\.?$", re.IGNORECASE)


def tempo_key_in_name(stem: str) -> tuple[str, float | None, str]:
    """(the stem without the tempo and key it carries, the tempo, the Camelot key); the stem
    as it is with (None, "") when it carries none in these shapes. Underscores are read as
    spaces in a name without a space ("Bass_Loop_120bpm_Am"), as ``filenames`` reads it."""
    spaced = stem.replace("_", " ") if "_" in stem and " " not in stem else stem
    bpm: float | None = None
    key = ""
    start, end = 0, len(stem)
    for pattern in _LEADING:
        match = pattern.match(spaced)
        if match and (found := _values(match)) is not None:
            bpm, key = found
            start = match.end()
            break
    for pattern in _TRAILING:
        match = pattern.search(spaced, start)
        if match is None or (match.groupdict().get("open") is None) != (match.groupdict().get("close") is None):
            continue
        if match.groupdict().get("before") and _CATALOGUE.match(match.group("before")):
            continue
        found = _values(match)
        if found is None or (bpm is not None and found[0] is not None) or (key and found[1]):
            continue
        cut = match.start("bpm") if "before" in match.groupdict() else match.start()
        if not spaced[start:cut].strip():
            continue  # the name is all tempo and key: it stays
        bpm, key = bpm if bpm is not None else found[0], key or found[1]
        end = cut
        break
    if bpm is None and not key:
        return _in_the_middle(stem, spaced)
    return stem[start:end].strip(), bpm, key


def _in_the_middle(stem: str, spaced: str) -> tuple[str, float | None, str]:
    """``tempo_key_in_name`` for a name whose start and end carry none: the first ``_MIDDLE``
    shape with words on its left, cut out (and the separators it leaves doubled, made one)."""
    for pattern in _MIDDLE:
        for match in pattern.finditer(spaced):
            if match.groupdict().get("before") and _CATALOGUE.match(match.group("before")):
                continue
            cut = match.start("bpm") if match.groupdict().get("before") else match.start()
            left, right = stem[:cut], stem[match.end():]
            if not left.strip(" _-\u2013"):
                continue  # the name is all tempo and key, or they lead it: the leading rules' case
            found = _values(match)
            if found is None:
                continue
            joiner = "_" if spaced != stem else " "
            rest = joiner.join(part.strip(" _") for part in (left, right) if part.strip(" _"))
            if joiner == " ":
                rest = _DOUBLED_DASH.sub(" - ", re.sub(r"\s{2,}", " ", rest))
            rest = rest.strip(" _-\u2013")
            if rest:
                return rest, found[0], found[1]
    return stem, None, ""


def _values(match: re.Match[str]) -> tuple[float | None, str] | None:
    """(tempo, key) of a match; None when its tempo or key does not read as one."""
    groups = match.groupdict()
    bpm = parse_bpm(groups["bpm"]) if groups.get("bpm") else None
    if groups.get("bpm") and bpm is None:
        return None
    text = groups.get("key") or groups.get("key2") or groups.get("key3") or ""
    key = parse_key(text) if text else ""
    if text and not key:
        return None
    return bpm, key


def title_without_name_tempo(title: str, bpm: float | None, key: str) -> str:
    """A title tag without the tempo and key its file's name carries (``tempo_key_in_name``
    gave ``bpm`` and ``key``), where the tag carries the same in the same shapes: a tagger
    filled it from the name ("Heroes Rite (Tech Mix) 128 8A"). Any other title stays whole."""
    if bpm is None and not key:
        return title
    rest, tag_bpm, tag_key = tempo_key_in_name(title)
    return rest if (tag_bpm, tag_key) == (bpm, key) and rest else title
