"""Title matching: the track meant by a typed title, and which tracks are versions of one song."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain, islice
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Sequence

from rapidfuzz import fuzz, process

from recsys.catalog.abjadnames import latin_letters
from recsys.catalog.credits import TITLE_PRODUCER, title_without_credits
from recsys.catalog.leaders import named_leaders
from recsys.catalog.model import normalise_title
from recsys.catalog.censored import uncensored
from recsys.catalog.cyrillicnames import reads_as
from recsys.catalog.greeknames import reads_as as reads_as_greek
from recsys.catalog.typednames import typed_script_keys
from recsys.query.cjkmarks import bracketed
from recsys.query.cues import album_scope
from recsys.query.samesongs import joined_name, read_alike
from recsys.query.fuzzy import MIN_ROWS, Shortlist, title_score
from recsys.errors import NotFoundError, RecsysError
from recsys.labels import double_name, label_key, name_keys, script_of
from recsys.text import described
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


@dataclass(frozen=True)
class TitleEntry:
    track_id: str
    title: str
    artist: str
    audio_path: str | None = None  # as stored in the payload (absolute, or as the catalog was read)
    #: every artist the track credits, primary first, when it credits several (the payload's
    #: ``artists``: "Drake feat. Rihanna" -> Drake, Rihanna); empty for one
    artists: tuple[str, ...] = ()
    #: the MusicBrainz recording id of the payload's ``recording_id``; "" without one
    recording_id: str = ""
    #: the album as tagged ("" without one): a cue title's ("Main Title") names its piece
    album: str = ""
    #: its place on an album that repeats its title (the payload's ``album_place``: "1-3"), "" elsewhere
    place: str = ""
    #: the name its primary artist is known by where the tag spells it otherwise (the
    #: payload's ``artist_as``: its MusicBrainz id's spelling, ``catalog.artistids``); "" else
    known_as: str = ""
    #: whether the tags name its composer: a composed work's performers, listed with commas
    #: ("Berliner Philharmoniker, Herbert von Karajan"), are no singers of one song (``song_roots``)
    composed: bool = False
    #: its title's reading in Latin letters, from its sort tag (the payload's ``title_sort``:
    #: "Yoru ni Kakeru" of "夜に駆ける"), "" without one: an exact seed finds it
    reading: str = ""
    #: each credited artist's name where the library joined it under another (the payload's
    #: ``artists_as``, "" for one known as tagged; () where none is): a band's leader's
    artists_as: tuple[str, ...] = ()

    @property
    def primary_artist(self) -> str:
        """The artist the track is by: the first credited, else ``artist`` as tagged (as its
        MusicBrainz id's spelling where the tag spells it otherwise)."""
        return self.known_as or (self.artists[0] if self.artists else self.artist)

    @property
    def song(self) -> tuple[str, str]:
        """The song this track is a version of (``song_key`` of its primary artist, album and place)."""
        return song_key(self.title, self.primary_artist, self.album, self.place)


def own_names(e: TitleEntry) -> set[str]:
    """The (normalised) artists a track is the own song of: as tagged, and its first credited
    ("Drake feat. Rihanna" is Drake's)."""
    tagged = normalise(e.artist)
    names = {tagged, normalise(e.artists[0])} if e.artists else {tagged}
    return names | {normalise(e.known_as)} if e.known_as else names


def featured_names(e: TitleEntry) -> set[str]:
    """The (normalised) artists a track features: its other credited ones."""
    return {normalise(a) for a in e.artists[1:]} - own_names(e)


def artist_keys(names: Iterable[str]) -> set[str]:
    """The keys ``names`` are matched by, as the artist filters match them: each one's
    ``label_key``, and a name in two scripts' each half's ("BLACKPINK(블랙핑크)": "blackpink",
    "블랙핑크"; ``labels.name_keys``)."""
    return {k for n in names if n for k in name_keys(n)}


def _named(normalised: set[str], names: Iterable[str]) -> tuple[set[str], set[str]]:
    """An entry's artists as ``_credited_pools`` matches them: their normalised names, with a
    name in two scripts' halves (for the fuzzy match: "blackpnk") and a Cyrillic or Greek name's
    Latin letters (a surname typed alone, "tsoi", is close to "Виктор Цой" as "coltrane" is to
    "John Coltrane"), and their keys."""
    names = [n for n in names if n]
    halves = {normalise(h) for n in names if (pair := double_name(n)) for h in pair}
    read = normalised | halves
    return read | {to_latin(n) for n in read if not n.isascii()}, artist_keys(names)


#: the songs an ambiguous title's error names; it counts the others
SHOWN = 6


class AmbiguousTitleError(RecsysError):
    def __init__(self, query: str, candidates: Sequence[TitleEntry], how: str | None = None):
        # one line per song (copies of one song would read as the same choice twice), each with
        # a track id: the one way to name a song whose title and artist another shares
        songs: dict[tuple[str, str], TitleEntry] = {}
        for c, song in zip(candidates, song_roots(candidates)):
            songs.setdefault(song, c)
        # one artist's cue on several albums ("Main Title" by John Williams): the album says which
        named = [version_key(c.title, c.primary_artist) for c in songs.values()]
        listed = "; ".join(
            f"{described(c.title, c.artist)}{_on_album(c) if c.album and named.count(key) > 1 else ''} [{c.track_id}]"
            for c, key in list(zip(songs.values(), named))[:SHOWN])
        if len(songs) > SHOWN:  # "Intro" is 200 songs of a 10,000-file library: say so
            listed += f"; and {len(songs) - SHOWN} more"
        # one artist's tracks ("I. Allegro" of two concertos): --artist cannot tell them apart
        one_artist = len({normalise(c.primary_artist) for c in songs.values()}) == 1
        if how is None:
            how = _how_to_choose(list(songs.values()), one_artist)
        ending = f"{how}." if how.endswith("track id of the one meant") else f"{how}, or give a track id."
        super().__init__(f'"{query}" matches several tracks: {listed}. {ending}')
        self.candidates = list(candidates)


def _on_album(c: TitleEntry) -> str:
    """" on <album>", and the track's place there where the album repeats its title (" on X,
    track 3", " on X, disc 2, track 4"): four "Battle Theme"s of one album read alike without."""
    disc, _, track = c.place.partition("-")
    if not track:
        return f" on {c.album}"
    return f" on {c.album}, {f'disc {disc}, ' if disc != '1' else ''}track {track.upper()}"


def _how_to_choose(songs: list[TitleEntry], one_artist: bool) -> str:
    """What tells ``songs`` apart, before "or give a track id": --artist where they are several
    artists' (the first listed named, as it is typed), the full title where the titles differ."""
    ways = []
    artist = next((c.primary_artist for c in songs if c.primary_artist.strip()), "")
    if not one_artist and artist:
        ways.append(f'add --artist to choose one (--artist "{artist}")')
    if len({normalise(c.title) for c in songs}) > 1:
        ways.append("give the full title")
    if not ways and len({c.album for c in songs}) == len(songs) > 1:
        # one artist's cue on several albums ("Main Title" on "Star Wars" and "E.T."): more of
        # the title cannot tell them apart, its id can
        return "Their albums tell them apart: give the track id of the one meant"
    if not ways and len({(c.album, c.place) for c in songs}) == len(songs) > 1:
        # "Battle Theme" four times on one album: its tracks' places
        return "Their albums and places on them tell them apart: give the track id of the one meant"
    how = ", ".join(ways) or "give more of the title"
    return how[0].upper() + how[1:]


#: A fuzzy title match must score this much (rapidfuzz WRatio, 0-100): 85 takes a typo
#: ("Ocean Breth") or a leading part of a title ("Ocean" for "Ocean Breath") and leaves out
#: titles that only share a few letters ("Hello" vs "Highway to Hell" scores 80).
MIN_SCORE = 85.0
#: Fuzzy matches within this many points of the best are as good as the best.
TIE_MARGIN = 0.5
#: An unknown title's error names the closest songs, found by scoring at most this many
#: titles, the most promising by the shortlist's bound first: the full scan's three unless
#: more are needed to be sure (for 40 unknown titles among 100k, never: bench/bench_titles.py).
#: A hint, so its cost is capped: about 30 ms at worst.
HINT_SCORED = 10_000
#: the best-ranked titles of a seed matching none that are read for a Cyrillic title it spells
#: (``TitleIndex._read_titles``): a spelling a letter or two off ranks first among them
READ_RANKED = 20

__all__ = ["AmbiguousTitleError", "TitleEntry", "TitleIndex", "base_title", "featured_names", "normalise", "own_names",
           "pick", "song_key", "title_score", "version_key"]


def _close_name(typed: str, name: str, min_score: float) -> bool:
    """Whether an artist's (normalised) ``name`` is close to the ``typed`` one: WRatio, which
    scores a name found inside the typed one as a part of it, and a name shorter than the
    typed one close as a whole too. "Pumpuang Duangjan" (the luk thung singer, not in the
    library) was "Quang Dung"'s artist radio: "quang dung" lies almost whole inside it (81);
    short syllable names (Vietnamese, Thai, Indonesian) lie inside many a longer one."""
    if fuzz.WRatio(typed, name) < min_score:
        return False
    return len(name) >= len(typed) or fuzz.ratio(typed, name) >= min_score


class TitleIndex:
    """Seed lookup over a collection's (track_id, title, artist, audio file) payloads:
    exact track ids, exact then fuzzy titles, an artist's tracks."""

    def __init__(self, entries: Iterable[TitleEntry], shortlist_min_rows: int = MIN_ROWS):
        self.entries = list(entries)
        self._norm = [seed_form(e.title) for e in self.entries]
        self._ids = {e.track_id: e for e in self.entries}
        self._shortlist_min_rows = shortlist_min_rows
        #: made on the first fuzzy title, kept with the titles (a new index has new titles)
        self._shortlist: Shortlist | None = None
        self._by_norm: dict[str, list[int]] | None = None

    def shortlist(self) -> Shortlist:
        """The fuzzy ranking of the normalised titles (``fuzzy.Shortlist``), made once."""
        if self._shortlist is None:
            self._shortlist = Shortlist(self._norm, self._shortlist_min_rows)
        return self._shortlist

    def _exact(self, q: str) -> list[int]:
        """The rows whose normalised title, or its reading (``TitleEntry.reading``), is ``q``,
        in order (one dict lookup)."""
        if self._by_norm is None:
            by_norm: dict[str, list[int]] = {}
            for i, t in enumerate(self._norm):
                by_norm.setdefault(t, []).append(i)
            for i, e in enumerate(self.entries):
                if e.reading and seed_form(e.reading) != self._norm[i]:
                    by_norm.setdefault(seed_form(e.reading), []).append(i)
            self._by_norm = by_norm
        return self._by_norm.get(q, [])

    def by_id(self, track_id: str) -> TitleEntry | None:
        """The track with exactly this id, if any."""
        return self._ids.get(track_id)

    def _credited_pools(self, artist: str, min_score: float = 80.0) -> tuple[list[int], list[int]]:
        """Indices of the tracks ``artist`` is the artist of (the tagged string or the first
        credited name), and of those it is featured on: the exact (normalised) name, else
        names close to it; NotFoundError naming the closest artists when there are none. Exact is
        the normalised name, then its ``label_key``, as filters match it: "acdc" is "AC/DC"'s
        and the "ACDC" folder's, "guns n' roses" the curly apostrophe's, "mo" "MØ"'s (WRatio
        took "mo" for Mogwai, Motörhead, Mötley Crüe and Skálmöld)."""
        want = normalise(artist)
        keys = {label_key(artist)}
        # each artist by its names: a name in two scripts by each of its own too
        # ("BLACKPINK(블랙핑크)" is "blackpink": ``labels.name_keys``)
        own = [_named(own_names(e), (e.artist, *e.artists[:1])) for e in self.entries]
        # another spelling of an artist one MusicBrainz id names ("植松伸夫" for "Nobuo
        # Uematsu", ``catalog.artistids``): the tracks tagged with it know the artist's name
        keys |= {label_key(e.known_as) for e, names in zip(self.entries, own)
                 if e.known_as and (want in names[0] or not keys.isdisjoint(names[1]))}
        featured = {i: _named(featured_names(e), e.artists[1:]) for i, e in enumerate(self.entries) if e.artists}
        def tests() -> Iterator[Callable[[tuple[set[str], set[str]]], bool] | None]:
            yield lambda names: want in names[0] or not keys.isdisjoint(names[1])
            yield self._script_hit(artist)  # read only where no name is the typed one
            yield lambda names: any(_close_name(want, n, min_score) for n in names[0])

        for hit in tests():
            if hit is None:
                continue
            by = [i for i, names in enumerate(own) if hit(names)]
            taken = set(by)
            on = [i for i, names in featured.items() if i not in taken and hit(names)]
            if by or on:
                return by, on
        distinct: dict[str, str] = {}
        for e in self.entries:
            for name in (e.artist, *e.artists):
                distinct.setdefault(normalise(name), name)
        near = process.extract(want, list(distinct), scorer=fuzz.WRatio, limit=3)
        listed = ", ".join(f'"{distinct[n]}"' for n, _, _ in near)
        raise NotFoundError(f"no artist matches '{artist}'" + (f"; closest: {listed}" if listed else ""))

    def _script_hit(self, artist: str) -> Callable[[tuple[set[str], set[str]]], bool] | None:
        """``_credited_pools``' test of an entry's names for a Latin name typed for an artist the
        library names in Arabic, Persian or Hebrew letters alone ("Marcel Khalife" for "مارسيل
        خليفة": ``abjadnames.typed_abjad_keys``) or in Cyrillic ones ("Yolka" for "Ёлка", whose
        key is "elka"; "Mumiy Troll" for "Мумий Тролль": ``cyrillicnames.typed_cyrillic_keys``),
        in Greek ones ("Haris Alexiou" for "Χάρις Αλεξίου", keyed "charis alexiou":
        ``greeknames.typed_greek_keys``) or in kana ("yorushika" for "ヨルシカ":
        ``kananames.typed_kana_keys``), asked only where no name is the typed one; None where it
        reads as none of the library's artists, or as several (which one?)."""
        if not latin_letters(artist):
            return None
        names = {n for e in self.entries for n in (e.artist, *e.artists) if n}
        found = typed_script_keys(artist, names)
        if len(found) != 1:
            return None
        # and the tracks of its Latin spellings the library joined to it (``catalog.abjadnames``):
        # they know it by its name (``known_as``), or it knows them by theirs
        known = {e.known_as for e in self.entries
                 if e.known_as and any(label_key(n) in found for n in (e.artist, *e.artists[:1]) if n)}
        keys = found | {label_key(k) for k in known}
        spelled = {normalise(n) for n in names if label_key(n) in found} | {normalise(k) for k in known}
        return lambda named: not keys.isdisjoint(named[1]) or not spelled.isdisjoint(named[0])

    def artist_tracks(self, artist: str, limit: int = 10) -> list[TitleEntry]:
        """Up to ``limit`` songs crediting ``artist`` (one version of each, the plain one): its
        own in title order, then those it is featured on, in title order: the seeds of an
        artist radio (a radio of an artist's own songs first, as a featured song is mostly
        the other artist's)."""
        out: list[TitleEntry] = []
        seen: set[tuple[str, str]] = set()
        pools = self._credited_pools(artist)
        _one_artist(artist, [self.entries[i] for i in pools[0]])
        # each track's song as a seed's lookup reads it (``song_roots``): a leader's band's and
        # his own, one title in two scripts ("Liniya zhizni" and "Линия жизни" by Сплин) one song
        members = [i for pool in pools for i in pool]
        root_of = dict(zip(members, song_roots([self.entries[i] for i in members])))
        for pool in pools:
            songs: dict[tuple[str, str], tuple[int, TitleEntry]] = {}
            for i in pool:
                e = self.entries[i]
                key = root_of[i]
                if key in seen:
                    continue
                if key not in songs or _plainest(e) < _plainest(songs[key][1]):
                    songs[key] = (i, e)
            # one song's two names, "뚜두뚜두 (DDU-DU DDU-DU)" and "DDU-DU DDU-DU": one seed
            chosen = []
            for i, e in sorted(songs.values(), key=lambda found: _plainest(found[1])):
                keys = _song_names(e) | {root_of[i]}
                if seen.isdisjoint(keys):
                    seen |= keys
                    chosen.append(e)
            out += sorted(chosen, key=lambda e: (normalise(e.title), e.track_id))
        return out[:limit]

    def resolve(self, query: str, artist: str | None = None, min_score: float = MIN_SCORE) -> TitleEntry:
        """The track meant by ``query``: an exact (normalised) title first, else the best
        fuzzy match. Several distinct songs that match (about) equally well raise
        AmbiguousTitleError; nothing close enough raises NotFoundError with the closest."""
        q = seed_form(query)
        if not artist:
            # every title: the exact ones by a lookup, the fuzzy ones through the shortlist,
            # which scores only the titles that can rank high (fuzzy.Shortlist)
            exact = self._exact(q)
            if exact:
                return self._pick(query, exact)
            ranked = self.shortlist().ranked(q, floor=min_score - TIE_MARGIN)
            first = next(ranked, None)
            if first is None or first[1] < min_score:
                hint = self.shortlist().ranked(q, budget=HINT_SCORED)
                best = list(islice(hint, READ_RANKED))
                read = self._read_titles(query, (i for i, _ in best))
                if read:
                    return self._pick(query, read)
                raise self._not_found(query, artist, chain(best, hint))
            top = [first[0]]
            for i, score in ranked:
                if score < first[1] - TIE_MARGIN:
                    break
                top.append(i)
            return self._pick(query, self._versions_named(q, top))
        own, featured = self._credited_pools(artist)
        for pool in (own, featured):  # the artist's own song before one it is featured on
            exact = [i for i in pool if self._norm[i] == q
                     or self.entries[i].reading and seed_form(self.entries[i].reading) == q]
            if exact:
                return self._pick(query, exact)
        choices = {i: self._norm[i] for i in own + featured}
        scored = process.extract(q, choices, scorer=title_score, limit=None)
        if not scored or scored[0][1] < min_score:
            read = self._read_titles(query, own + featured)
            if read:
                return self._pick(query, read)
            raise self._not_found(query, artist, ((i, s) for _, s, i in scored))
        best = scored[0][1]
        top = [i for _, s, i in scored if s >= best - TIE_MARGIN]
        return self._pick(query, self._versions_named(q, top))

    def _read_titles(self, query: str, rows: Iterable[int]) -> list[int]:
        """Of ``rows``, those whose Cyrillic title ``query``, typed in Latin letters, is a spelling
        of (``cyrillicnames.reads_as``): a seed that ``seed_form``'s one transliteration puts a
        letter off, "Utekay" for "Утекай" ("utekai"), Bulgarian "Shturche" for "Щурче"
        ("shchurche"), below the fuzzy threshold; or whose Greek title it spells
        (``greeknames.reads_as``: "Yparho" for "Υπάρχω", keyed "yparcho"); asked only where
        nothing else matched."""
        return [i for i in rows if reads_as(query, self.entries[i].title) or reads_as_greek(query, self.entries[i].title)]

    def _versions_named(self, q: str, top: list[int]) -> list[int]:
        """``top`` (the best fuzzy matches of ``q``), with every other version of their song
        when ``q`` is that song's title without its versions' markers: "Legends of the North"
        matched its shortest titles best ("(Dub Mix)", "(Acapella)"), not the song's own
        "(Original Mix)", which ``pick`` prefers. A query naming a version keeps to it."""
        keys = {self.entries[i].song for i in top}
        if len(keys) != 1 or to_latin(next(iter(keys))[0].partition("\0")[0]) != q:  # a cue's key holds its album too
            return top
        (key,) = keys
        more = [i for i, t in enumerate(self._norm) if t.startswith(q) and i not in top
                and self.entries[i].song == key]
        return top + more

    def _not_found(self, query: str, artist: str | None, ranked: Iterable[tuple[int, float]]) -> NotFoundError:
        """The error for a title that matches nothing, naming the closest few of ``ranked``
        ((row, score), best first), one per song."""
        near: list[TitleEntry] = []
        seen: set[tuple[str, str]] = set()
        for i, _ in ranked:
            key = self.entries[i].song
            if key not in seen:
                seen.add(key)
                near.append(self.entries[i])
            if len(near) == 3:
                break
        names = ", ".join(described(e.title, e.artist) for e in near)
        by = f" by {artist}" if artist else ""
        return NotFoundError(f"no track{by} matches '{query}'" + (f"; closest: {names}" if names else ""))

    def _pick(self, query: str, idxs: list[int]) -> TitleEntry:
        return pick(query, [self.entries[i] for i in idxs])


def song_roots(entries: Sequence[TitleEntry]) -> list[tuple[str, str]]:
    """Each entry's song: its version key, keys joined where two tracks carry one MusicBrainz
    recording id ("Legolodio" by Xmoto Team on its album and by "X-Moto Team" on a compilation:
    one recording, so the seed "Legolodio" is no choice between them), where one is a
    leader's band's or duet's that credits him (``catalog.leaders``: "Chaiyya Chaiyya" by
    "Sukhwinder Singh & Sapna Awasthi" and by Sukhwinder Singh, as the results' dedup keys it),
    or where a title in two scripts names the other (``other_names``) or a title's reading is
    another's title ("アイドル" read "Idol", and "Idol")."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(key: tuple[str, str]) -> tuple[str, str]:
        while parent[key] != key:
            key = parent[key]
        return key

    def join(key: tuple[str, str], other: tuple[str, str]) -> None:
        parent.setdefault(other, other)
        parent[root(key)] = root(other)

    first_of: dict[str, tuple[str, str]] = {}
    for e in entries:
        key = e.song
        parent.setdefault(key, key)
        if e.recording_id:
            join(key, first_of.setdefault(e.recording_id, key))
        if len(e.artists) > 1:
            # a film song's singers listed with commas too, as the dedup reads them (not a
            # composed work's performers: ``versions.identity``); the leader by the name the
            # library joined him under ("Fela Ransome-Kuti" as "Fela Kuti": ``samesongs``)
            for leader in named_leaders(e.primary_artist, e.artists, not e.composed):
                join(key, (key[0], version_key("", joined_name(leader, e.artists, e.artists_as))[1]))
        # "뚜두뚜두 (DDU-DU DDU-DU)" and "DDU-DU DDU-DU" by one artist: one song's two names
        for other in _song_names(e) - {key}:
            join(key, other)
    # one joined artist's title in Latin letters and in Cyrillic or abjad ones, the one a
    # reading of the other ("Liniya zhizni" and "Линия жизни" by Сплин: ``samesongs.read_alike``)
    roots = [root(e.song) for e in entries]
    for i, j in read_alike([(r[1], base_title(e.title)) for r, e in zip(roots, entries)]):
        join(roots[i], roots[j])
    return [root(e.song) for e in entries]


def _song_names(e: TitleEntry) -> set[tuple[str, str]]:
    """The song keys of a track's every name: its title's, a title in two scripts' other
    names' and its reading's (``other_names``, ``TitleEntry.reading``)."""
    names = (*other_names(e.title), *((e.reading,) if e.reading else ()))
    return {e.song, *(song_key(n, e.primary_artist, e.album, e.place) for n in names)}


def _songs(entries: Sequence[TitleEntry]) -> int:
    """How many songs ``entries`` are (``song_roots``)."""
    return len(set(song_roots(entries)))


def pick(query: str, entries: Sequence[TitleEntry]) -> TitleEntry:
    """Among equally good matches, one song (one version key) is fine: prefer the plain
    version. Several songs are ambiguous (one recording id is one song: ``_songs``). A song is its primary artist's, as to the dedup of
    results (``library.track_key``): "Nebula" by "A feat. B" on a compilation and "Nebula" by
    A on A's album are one song. Keyed on the tagged artist they were two, and no --artist
    could choose, as A credits both."""
    if _songs(entries) > 1:
        named = _named_song(entries)
        if named is None:
            raise AmbiguousTitleError(query, sorted(entries, key=listing_order))
        entries = named
    # the plain version: the song's own (``plainness``), the shortest title, then the one
    # crediting its artist alone
    return min(entries, key=_plainest)


def _named_song(entries: Sequence[TitleEntry]) -> list[TitleEntry] | None:
    """The tracks of the one song among ``entries`` that has an artist, when the others are
    that song's title by no artist: an untagged disc's copy ("Hotel California" of a DTS disc's
    "01 - Hotel California.dts", beside the Eagles' tagged one) is no second song to choose
    from, and "Hotel California" asked for the Eagles'. None where two artists' songs match, or
    an artistless track's title is another's."""
    roots = song_roots(entries)
    named = {root for root, e in zip(roots, entries) if e.primary_artist.strip()}
    if len(named) != 1:
        return None
    (song,) = named
    if any(root != song and root[0] != song[0] for root in roots):
        return None
    return [e for root, e in zip(roots, entries) if root == song]


_SPLIT = re.compile(r"\s*:\s+|\s+[-\u2013\u2014]\s+")
_TOKEN = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)
_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def _roman(token: str) -> int | None:
    """An upper-case Roman numeral's value ("IV": 4), else None."""
    if not token or not _ROMAN.fullmatch(token):
        return None
    values = [_ROMAN_VALUES[c] for c in token]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _natural(text: str) -> tuple:
    """``text`` as a sort key that counts: numbers and upper-case Roman numerals by their value
    ("No. 9" before "No. 10", "IV." after "III."), words case- and accent-folded."""
    out = []
    for token in _TOKEN.findall(text):
        number = int(token) if token.isdigit() else _roman(token)
        out.append((0, number, "") if number is not None else (1, 0, normalise(token)))
    return tuple(out)


def listing_order(e: TitleEntry) -> tuple:
    """The order an ambiguous title's candidates are listed in: by work (the title before its
    first ": " or " - "), then movement ("I." before "IV.", numbered before named), then
    performer: the movements of three recordings of a symphony read in the score's order."""
    work, *movement = _SPLIT.split(e.title, maxsplit=1)
    # one album's "Battle Theme"s in its order
    return (_natural(work), _natural(movement[0] if movement else ""), normalise(e.primary_artist), _natural(e.place),
            e.track_id)


#: an artist's name with its MusicBrainz id's first digits, where two artists of the library
#: have that name (``catalog.artistids``): "Nirvana [5b11f4ce]"
_NAMESAKE = re.compile(r"^(?P<name>.*) \[(?P<id>[0-9a-f]{8}[0-9a-f-]*)\]$")


class AmbiguousArtistError(RecsysError):
    """An artist's name that two artists of the collection have, told apart by their
    MusicBrainz ids (the 1960s British Nirvana and the 1990s American one)."""

    def __init__(self, typed: str, albums: dict[str, list[str]]):
        self.candidates = tuple(albums)
        listed = "; ".join(
            f"'{name}'" + (f" ({', '.join(found[:3])}{', ...' if len(found) > 3 else ''})" if found else "")
            for name, found in albums.items())
        super().__init__(
            f"the artist '{typed}' is {len(albums)} artists of one name (their MusicBrainz ids differ): {listed};"
            f" give the one you mean as listed (--artist \"{self.candidates[0]}\")")


def _one_artist(artist: str, own: Sequence[TitleEntry]) -> None:
    """Raise AmbiguousArtistError where ``artist`` names two artists of one name among the
    tracks it is the artist of (each named "Name [5b11f4ce]" by its id); a name with its
    id's digits names one."""
    albums: dict[str, list[str]] = {}
    for e in own:
        match = _NAMESAKE.match(e.known_as)
        if match is not None:
            found = albums.setdefault(e.known_as, [])
            if e.album and e.album not in found:
                found.append(e.album)
    if len(albums) > 1 and label_key(artist) not in {label_key(n) for n in albums}:
        ranked = sorted(albums.items(), key=lambda kv: (-len(kv[1]), kv[0]))  # most albums first
        raise AmbiguousArtistError(artist, {name: sorted(found) for name, found in ranked})


def _plainest(e: TitleEntry) -> tuple[int, int, int, str]:
    """The order in which versions of one song are the one a title means: ``pick``."""
    return plainness(e.title), len(e.title), len(e.artists), e.track_id
