"""A title's keys: what a typed title and a stored one are compared by (``normalise``,
``seed_form``), a title without its version's markers (``base_title``), how far a version is
from the song itself (``plainness``), a title's other names in a second script
(``other_names``), and the song a track is a version of (``version_key``, ``song_key``).

Functions of the text alone, asked by the seed lookup (``titles``, ``titlepick``) and by the
results' dedup (``versions``) alike, so that both take the same tracks for one song."""

from __future__ import annotations

import re
from functools import lru_cache

from recsys.catalog.credits import TITLE_PRODUCER, title_without_credits
from recsys.catalog.model import normalise_title
from recsys.catalog.censored import uncensored
from recsys.query.cjkmarks import bracketed
from recsys.query.cues import album_scope
from recsys.labels import label_key, script_of
from recsys.translit import to_latin

# A version's marks in Portuguese, Spanish, French, Italian and German, as stores and rippers in
# those languages write them; each says what its English word says ("live", "acoustic",
# "remastered", "version", "radio"). Two words where the one word is a title's own ("Vivo per
# lei", "Directo al corazón", "Public Enemy").
_LIVE_WORDS = r"ao\s+vivo|en\s+vivo|al\s+vivo|dal\s+vivo|en\s+directo|en\s+concierto|en\s+public|en\s+concert"
_ACOUSTIC_WORDS = r"ac[uú]stic[oa]|acoustique|akustik|akustisch"
_REMASTER_WORDS = r"r[ei]masteri[sz]\w*"  # remasterizado/-a, remasterisé(e), rimasterizzato
_VERSION_WORDS = r"versi[oó]n|vers[aã]o|versione|fassung"

# Suffixes that mark another version of the same recording: "(Live)", "[Remastered 2011]",
# " - Radio Edit", "(feat. X)". Stripped to compare versions.
_BRACKETED = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]")
_DASH_SUFFIX = re.compile(
    # a store's film credit: "Let It Go - From \"Frozen\"/Soundtrack Version", "City of Stars -
    # From \"La La Land\" Soundtrack", "- From the Motion Picture ...": the bracketed "(From
    # \"Frozen\")" of the same song's other copy was stripped; a name's own "From the New World" stays
    r"\s+-\s+from\s+(?:[\"\u201c\u201d']|.*\b(?:soundtrack|motion\s+picture|film|movie|musical)\b).*$|"
    r"\s+-\s+.*\b(live|remaster(ed)?|edit|version|ver|mix|remix|mono|stereo|demo|acoustic|"
    r"instrumental|deluxe|single|bonus|take|session|unplugged|"
    # a videoke disc's and a karaoke site's backing track: "Tagpuan - Minus One", "- Karaoke"
    r"minus\s+one|karaoke|"
    # a clean or explicit copy, a fan's re-edit ("Mo Bamba - Sped Up", "- Slowed + Reverb")
    r"clean|explicit|dirty|sped\s+up|slowed|reverb|chopped|screwed|nightcore|"
    # the same marks in a Portuguese, Spanish, French, Italian or German store's words, as a
    # Spotify ripper in those locales writes them ("Garota de Ipanema - Ao Vivo", "Corazón
    # Partío - En Directo", "Chega de Saudade - Remasterizado 2015", "Gasolina - Versión Radio")
    + "|".join((_LIVE_WORDS, _ACOUSTIC_WORDS, _REMASTER_WORDS, _VERSION_WORDS))
    + r")\b.*$",
    re.IGNORECASE,
)


#: lowercased, accents and punctuation dropped: what exact title matching compares (the
#: payload's ``title_norm`` holds it, written at ingest)
normalise = normalise_title


def seed_form(title: str) -> str:
    """A title as a seed is matched to it: ``normalise``d, its Cyrillic and Greek letters in
    Latin ones (``recsys.translit``), so that a listener without a Cyrillic keyboard finds
    "Владимирский централ" by typing "Vladimirskiy tsentral" (fuzzily: "vladimirsky tsentral"),
    and "Gruppa krovi" is the song "Группа крови" and its Latin-tagged copies alike."""
    return to_latin(normalise(title))


# Brackets that name another piece, not another version, and stay: "Another Brick in the Wall
# (Part 2)" is not "(Part 1)", nor "Sgt. Pepper's ... (Reprise)" the opening song, nor an
# untitled chapter's "Some Album (track 3)" its "(track 4)" (``catalog.chapters``), nor a
# numbered take "Untitled (2)" the catalog kept as a file of its own.
_ANOTHER_PIECE = re.compile(
    r"[\(\[]\s*(?:(?:part|pt|track|no|nr|number|movement|mvt|act|scene|chapter|side|book)\.?\s*"
    r"(?:\d{1,3}|[ivx]{1,5}|[a-d]|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"|(?:reprise|interlude|intro|outro|prelude)(?:\s*\d{1,2})?|[ivx]{1,5}|\d{1,3})\s*[\)\]]",
    re.IGNORECASE,
)


def _version_marker(match: re.Match[str]) -> str:
    return match.group(0) if _ANOTHER_PIECE.fullmatch(match.group(0).strip()) else ""


# A producer's marks on the bounces of one song ("Night Drive_v3_MASTER", "Night Drive v1",
# "Night Drive_final", "Night Drive MASTER 24bit"): its versions. Only at the end; a word
# after an underscore or in capitals ("The Final", "Puppet Master" and "Brother Bounce" are titles).
_BOUNCE_MARKS = re.compile(
    r"(?:_(?:v\d{1,3}|master(?:ed)?|mixdown|bounce[ds]?|final|\d{2}\s?bit)"  # after an underscore
    r"|\s+(?:v\d{1,3}|\d{2}\s?bit|\d{2,3}k(?:hz)?)"  # a version number, a bit depth, a rate
    r"|\s+(?-i:MASTER(?:ED)?|MIXDOWN|FINAL)"  # in capitals: "Puppet Master" is a title
    r"|\s-\s?final)+$",
    re.IGNORECASE,
)


# A digitiser's marks on another transfer of one record, after the title without brackets
# ("Dreams rip2", "Black Dog 2nd rip", "Time - declicked", "River needledrop"): the recording
# again, not another song. Bracketed, they are version marks already ("Time (declicked)").
_RIP_MARKS = re.compile(
    r"(?:\s+-\s+|\s+|_)(?:rip\s?\d{1,2}|\d(?:st|nd|rd|th)\s+rip|de-?click(?:ed)?|needle\s?drop)\s*$", re.IGNORECASE,
)


# What a version's markers say it is, for the one a title seed means when it names a song of
# several versions: the song itself ("(Original Mix)", "(Album Version)", "- Remastered"), a
# cut of it ("(Extended Mix)", "(Radio Edit)"), another mix (a remix, a live take), or a part
# of it (an acapella, an instrumental, a dub). The shortest title was taken before: "Legends
# of the North" seeded a DJ's Dub Mix, or its Acapella, whose titles are as short.
_THE_SONG = re.compile(r"\b(original|album|single|lp|remaster(ed)?|mono|stereo|" + _REMASTER_WORDS + r")\b", re.IGNORECASE)
#: an anime song's broadcast cut too: "(TV Size)", "(TV Edit)", "-TV ver.-", "[OP]", "(Opening Theme)"
_A_CUT = re.compile(r"\b(extended|r[aá]dio|club|edit|short|long|clean|main|tv|op|ed|opening|ending)\b", re.IGNORECASE)
#: an explicit copy's marks, "[Explicit]", "(Explicit Version)", a mixtape's "(Dirty)": the
#: song as its artist made it, of which a "(Clean)" copy is the cut (a seed "Hype" meant the
#: shorter "Hype [Clean]" of two copies owned)
_EXPLICIT = re.compile(r"[\(\[]\s*(?:explicit|dirty)(?:\s+version)?\s*[\)\]]|\s-\s+(?:explicit|dirty)(?:\s+version)?\s*$",
                       re.IGNORECASE)
#: another mix of the song, a live take, another language's: "(Remix)", "(Live)", "(Ao Vivo)",
#: "(En Directo)", "(Versione acustica)", "(Versão Brasileira)", "(English Version)", a Japanese
#: edition's "(Japanese ver.)", "(JP Ver.)", "(Anime Ver.)"
_ANOTHER_MIX = re.compile(
    r"\b(remix|rmx|mix|live|version|ver|rework|bootleg|vip|flip|cover|acoustic|unplugged|demo|"
    r"sped|slowed|reverb|chopped|screwed|nightcore|" + "|".join((_LIVE_WORDS, _ACOUSTIC_WORDS, _VERSION_WORDS)) + r")\b",
    re.IGNORECASE,
)
#: a part: an acapella, an instrumental ("(Inst.)", a Filipino videoke disc's "(Minus One)", a J-pop single's "off vocal", "オフボーカル",
#: "カラオケ", "インストゥルメンタル"), a dub
_A_PART = re.compile(
    r"\b(a\s?cap+el+a|instrumental|inst|karaoke|minus\s+one|off\s?vocal|backing|dub|beats?|drums?|tool|stems?|"
    r"preview|snippet)\b|オフ・?ボーカル|カラオケ|インスト",
    re.IGNORECASE,
)


def plainness(title: str) -> int:
    """How far a version is from the song itself: 0 for no markers or the song's own ("(Original
    Mix)", "- 2011 Remaster"), 1 for a cut of it ("(Extended Mix)", "(Radio Edit)"), 2 for
    another mix ("(Kenta Cho Remix)", "(Live)"), 3 for a part ("(Acapella)", "(Instrumental)",
    "(Dub Mix)"). A producer's credit ("(Prod. By Luny Tunes)") is none of these. Ranks
    versions of one song only: which a title seed means."""
    base = base_title(title)
    # a producer's credit names no version, whatever words his name holds: "Money Longer (prod.
    # by DP Beats)", "Wavy (Prod. Kenny Beats)" (lib12) read as a part, as "(Beats)" would be
    title = _EXPLICIT.sub("", bracketed(TITLE_PRODUCER.sub("", title) or title))
    if base == normalise(title):
        return 0
    marks = " ".join(m.group(0) for m in _BRACKETED.finditer(title) if not _ANOTHER_PIECE.fullmatch(m.group(0).strip()))
    dash = _DASH_SUFFIX.search(_BRACKETED.sub("", title))
    marks += " " + (dash.group(0) if dash else "")
    if _A_PART.search(marks):
        return 3
    if _ANOTHER_MIX.search(marks) \
            and not _THE_SONG.search(marks) and not _A_CUT.search(marks):
        return 2
    if _A_CUT.search(marks) and not _THE_SONG.search(marks):
        return 1
    return 0


def base_title(title: str) -> str:
    """The title without version markers: "Song (Live) - Remastered 2011" -> "song"; a bracket
    that names another piece ("(Part 2)", "(Reprise)", "(track 3)") stays; a producer's
    "_v3_MASTER" and a digitiser's "rip2" go, and so do a Japanese edition's marks ("TT
    -Japanese ver.-", "紅蓮華 -TV size-": ``cjkmarks.bracketed``)."""
    # a clean copy's "B***h" is its explicit copy's word (``censored``); a producer's credit
    # and a bare "ft. X" are credits, not the name ("Jumpman prod. Metro Boomin", "Goosebumps
    # ft. Kendrick Lamar": the songs "Jumpman" and "Goosebumps")
    title = uncensored(title)
    # a Japanese or Korean store's marks as brackets: "TT -Japanese ver.-", "紅蓮華 -TV size-",
    # "Lemon（Instrumental）" (``cjkmarks``)
    title = bracketed(title)
    stripped = _DASH_SUFFIX.sub("", _BRACKETED.sub(_version_marker, title_without_credits(title)))
    stripped = _BOUNCE_MARKS.sub("", stripped) or stripped
    stripped = _RIP_MARKS.sub("", stripped) or stripped
    return normalise(stripped) or normalise(title)


#: a title's first bracket after its name: "뚜두뚜두 (DDU-DU DDU-DU)", "영웅 (英雄; Kick It)"
_FIRST_BRACKET = re.compile(r"^\s*(?P<main>[^()\[\]]*[^\s()\[\]])\s*[\(\[](?P<inner>[^()\[\]]+)[\)\]]")
#: what a bracket holds where it is a version's mark or a credit, not the song's other name
_MARKS = (_THE_SONG, _A_CUT, _ANOTHER_MIX, _A_PART,
          re.compile(r"\b(?:explicit|dirty|feat|ft|featuring|prod)\b|^\s*(?:with|from)\b", re.IGNORECASE))


@lru_cache(maxsize=1 << 16)
def other_names(title: str) -> tuple[str, ...]:
    """The song's other names a title written in two scripts holds, normalised: a Korean
    store's "뚜두뚜두 (DDU-DU DDU-DU)" is the English store's "DDU-DU DDU-DU" too, "영웅 (英雄; Kick
    It)" "Kick It" and "英雄" (its name in Latin letters, Hangul and Han, one a bracket's part
    after ";" or "/"). () for any other title: a bracket in the title's own script ("Song
    (Live)", "Elevator (127F)"), or a version's mark or a credit ("夜に駆ける (Live)",
    "新時代 (ウタ from ONE PIECE FILM RED)"). Remembered: the dedup asks it for each hit."""
    match = _FIRST_BRACKET.match(bracketed(title))
    if match is None:
        return ()
    main, inner = match.group("main"), match.group("inner")
    if _ANOTHER_PIECE.fullmatch(f"({inner})") or any(m.search(inner) for m in _MARKS):
        return ()
    parts = [main, *re.split(r"\s*[;/]\s*", inner)]
    scripts = [script_of(p) for p in parts]
    if "" in scripts or set(scripts) != {"latin", "other"}:
        return ()
    base = base_title(title)
    return tuple(dict.fromkeys(n for n in (normalise(p) for p in parts) if n and n != base))
#: a vowel written twice or more: Hindi and Urdu romanised by ear write a long vowel so or not
#: ("Kal Ho Naa Ho" and "Kal Ho Na Ho", "Tum Hii Ho", "Kabhii"); a Roman numeral ("iii", "xii") is
#: no such word, nor a word of two letters (a 7"'s "Side AA" is not its "Side A"). Not "ee" nor
#: "oo": English and Dutch spell words apart by them ("Good" and "God", "Feel", "Been", "Zee"
#: and "Ze"), and two songs of one artist so titled would be one
_VOWEL_RUN = re.compile(r"([aiu])\1+")
_NUMERAL = re.compile(r"[ivxlcdm]+")


def one_vowels(text: str) -> str:
    """A normalised title with each doubled "a", "i" or "u" written once ("kal ho naa ho" -> "kal
    ho na ho"), a Roman numeral's letters kept ("act iii"), and a word of two letters ("side
    aa"); "ee" and "oo" kept ("good feeling")."""
    if not _VOWEL_RUN.search(text):
        return text
    return " ".join(w if len(w) < 3 or _NUMERAL.fullmatch(w) else _VOWEL_RUN.sub(r"\1", w) for w in text.split())


@lru_cache(maxsize=1 << 17)
def version_key(title: str, artist: str) -> tuple[str, str]:
    """Two tracks with the same key are versions of one song by one artist. Remembered: the
    dedup of every query asks it for each hit, and a served collection's hits recur. Room
    for a whole 100k collection, as the server's payload cache (with 65,536, a quarter of a
    recommend's keys were computed anew: 0.74 ms a recommend in process against 0.70-0.71).
    A title's doubled vowels count once (``one_vowels``: "Kal Ho Naa Ho" is "Kal Ho Na Ho").
    The artist is keyed as the artist filters and the facet key it (``labels.label_key``): one
    artist, one key. Its normalised name, spaces kept, made "عبد الحليم حافظ" and "عبدالحليم
    حافظ" (an Arabic compound name written with its space and without), "Abdel Halim Hafez" and
    "Abd El Halim Hafez" two artists' songs: the seed "سواح" was a choice between them, and the
    dedup kept both copies in one list. Cyrillic and Greek titles are read in Latin letters
    (``recsys.translit``): "Группа крови" by "Кино" and a download's "Gruppa krovi" by "Kino"
    are one song."""
    # "Ustad Nusrat Fateh Ali Khan" is "Nusrat Fateh Ali Khan" (``labels.label_key`` drops it)
    return one_vowels(to_latin(base_title(title))), label_key(artist)


@lru_cache(maxsize=1 << 17)
def song_key(title: str, artist: str, album: str = "", place: str = "") -> tuple[str, str]:
    """``version_key``, with a cue title's album (``cues.album_scope``): "Main Title" by John
    Williams on "Star Wars" and on "E.T." are two songs, a song's versions on two albums one;
    and its ``place`` on an album that repeats it (the payload's ``album_place``): the four
    "Battle Theme"s of one album are four songs. Remembered as ``version_key`` is: the dedup
    asks it for each hit."""
    base, artist_norm = version_key(title, artist)
    return album_scope(base, base_title(album) if album else "", place), artist_norm
