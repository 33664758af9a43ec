"""A record label's upload: "Full Video: Channa Mereya | Ae Dil Hai Mushkil | ... | Pritam | Arijit"
by "SonyMusicIndiaVEVO" is Arijit Singh's "Channa Mereya" from the film the library has.

India's and Pakistan's songs reach YouTube through their labels' channels (T-Series, Sony Music
India, Zee Music Company, Saregama, Tips, YRF, Coke Studio, OSA), not the singers'. yt-dlp
writes the video's title as the title tag and the channel as the artist, so a library of such
rips held "Tum Hi Ho Aashiqui 2 Full Song With Lyrics | Aditya Roy Kapur, Shraddha Kapoor" by
"T-Series": the channel an artist of its own for every label's song (one artist node, one cap
over unrelated singers), the song a title nobody types, a copy of the song beside the library's
own that the dedup could not know. ``uploads`` reads an artist's own channel; a label names no
artist, so its uploads are read with the library's other tracks, after the walk:

- the song's title is the first part between the pipes that is not the series ("Coke Studio
  Season 9", "Season 14", "Episode 1."; Coke Studio's own titles put them after commas), with the
  video's words taken off ("Full Video:", "Lyrical:", "Full Song With Lyrics", "Full Video Song",
  "- Official Video", "(Telugu)", "[4K]") and the film's name the library has as an album
  ("Kesariya - Brahmāstra", "Tum Hi Ho Aashiqui 2"): that album is the track's;
- its artist is who the library's own copies of that song are by: the one a part names ("Rahat
  Fateh Ali Khan & Momina Mustehsan", "Arijit" for Arijit Singh, "Tanishk B" for Tanishk Bagchi),
  else the artist most of the copies are by, else a part that is an artist of the library; with
  none, the track is no one's (the channel is no artist either way). Where a copy is by that
  artist, the upload takes its artist tag, credits and composer as well: the dedup keys it as
  that copy (a film song's copy that names its composer and two singers is keyed by the list).

Only tracks without an album by a label's channel (``LABEL_CHANNELS``) are read: a track tagged
by "Coke Studio" on its album "Coke Studio Season 9" is the tags' word.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from recsys.catalog.filenames import without_video_words
from recsys.catalog.model import TrackRecord, normalise_title
from recsys.catalog.uploads import PIPES
from recsys.labels import label_key

#: the channels of India's and Pakistan's labels, by ``label_key`` (a channel's regional or
#: VEVO twin by its prefix: "T-Series Telugu", "SonyMusicIndiaVEVO")
LABEL_CHANNELS = frozenset({
    "tseries", "sonymusicindia", "sonymusicsouth", "sonymusicpunjabi", "zeemusiccompany", "zeemusicsouth", "yrf",
    "tipsofficial", "tipsmusic", "saregamamusic", "saregama", "saregamatamil", "saregamatelugu", "speedrecords",
    "whitehillmusic", "timesmusic", "erosnowmusic", "shemaroo", "adityamusic", "laharimusic", "thinkmusicindia",
    "junglemusic", "jungleemusic", "desimelodies", "geetmp3", "venusmusic", "cokestudio", "cokestudiopakistan",
    "cokestudioindia", "osaworldwide", "osaofficial", "musictoday", "hommusic", "ultrabollywood",
})
#: the first words of a label's other channels ("T-Series Telugu", "T-Series Apna Punjab",
#: "Saregama Bengali"): whole words, not "Tipsy"
_CHANNEL_PREFIXES = (("t", "series"), ("sony", "music"), ("zee", "music"), ("saregama",), ("tips",), ("coke", "studio"))


def label_channel(artist: str) -> bool:
    """Whether ``artist`` (an artist tag) is a record label's channel."""
    key = label_key(artist).removesuffix("vevo").removesuffix("official")
    if key in LABEL_CHANNELS:
        return True
    # a channel's name and a word or two ("T-Series Apna Punjab"), not a list that names it
    # first ("Coke Studio, Rahat Fateh Ali Khan, Momina Mustehsan": Spotify's credit)
    words = tuple(normalise_title(artist).split())
    return not any(c in artist for c in ",&;/") and any(
        words[:len(p)] == p and len(words) <= len(p) + 2 for p in _CHANNEL_PREFIXES)


#: a part that names the series, not the song: "Coke Studio Season 9", "Season 14", "Episode 1."
_SERIES = re.compile(r"^(?:coke\s+studio(?:\s+(?:pakistan|india|explorer))?(?:\s+season\s+\d+)?|season\s+\d+|"
                     r"episode\s+\d+|ep\.?\s*\d+|s\d+\s*e\d+)\.?$", re.IGNORECASE)
#: what a label's video puts before the song: "Full Video:", "Lyrical:", "Video Song:"
_LEAD = re.compile(r"^(?:(?:official\s+)?(?:full\s+)?(?:video|audio|song|lyric(?:al)?|lyrics)(?:\s+(?:video|song))?|"
                   r"full\s+video\s+song)\s*:\s*", re.IGNORECASE)
#: what it puts after: "Full Song With Lyrics", "Full Video Song", "- Official Video", "(Telugu)", "Songs"
_TRAIL = re.compile(
    r"(?:\s+[-\u2013\u2014]\s*(?:official\s+)?(?:full\s+)?(?:video|audio|lyric(?:al)?\s+video)(?:\s+song)?|"
    r"\s+(?:full\s+)?(?:video\s+)?song(?:\s+with\s+lyrics)?|\s+with\s+lyrics|\s+full\s+(?:video|audio)(?:\s+song)?|"
    r"\s+lyric(?:al)?(?:\s+video)?|\s+(?:official\s+)?(?:music\s+)?video|"
    r"\s*[\(\[](?:hindi|tamil|telugu|malayalam|kannada|punjabi|bengali|marathi|urdu)[\)\]]|\s+songs)\s*$",
    re.IGNORECASE,
)
_DASH = re.compile(r"\s+[-\u2013\u2014]\s+")
#: a bracket of an album's or a title's ("(Original Motion Picture Soundtrack)", "(From \"X\")")
_BRACKETS = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]")
#: the joins of several names in one part ("Shahid K,Kiara A", "Ali Sethi x Shae Gill")
_NAMES = re.compile(r"\s*,\s*|\s+(?:&|and|x)\s+", re.IGNORECASE)


def _cleaned(part: str) -> str:
    """A part of a label's title without the video's words around the song."""
    out = _LEAD.sub("", part.strip())
    while (cut := _TRAIL.sub("", without_video_words(out)).strip()) != out and cut:
        out = cut
    return out.strip()


def _parts(title: str) -> list[str]:
    """The parts of a label's title: between its pipes, or Coke Studio's commas where one names
    the series ("Tajdar-e-Haram, Atif Aslam, Coke Studio Season 8, Episode 1.")."""
    parts = [p for p in PIPES.split(title.strip()) if p.strip()]
    if len(parts) == 1:
        commas = [p.strip() for p in title.split(",") if p.strip()]
        if len(commas) > 2 and any(_SERIES.match(p) for p in commas):
            parts = commas
    return parts


def _base(text: str) -> str:
    """A title's or an album's key here: without its brackets, normalised."""
    return normalise_title(_BRACKETS.sub("", text)) or normalise_title(text)


def _names_in(parts: list[str]) -> list[str]:
    """The names the parts may hold: each part whole, then each name of a list in it."""
    names = [p.strip() for p in parts]
    names += [n for p in parts for n in _NAMES.split(p) if n.strip() and n.strip() != p.strip()]
    return [n.strip() for n in names if n.strip()]


def _names(typed: str, name: str) -> bool:
    """Whether ``typed`` (a part of the title) names ``name``: the same key, or its first words
    with the last one shortened ("Arijit" for "Arijit Singh", "Tanishk B" for "Tanishk Bagchi")."""
    if not typed or not name:
        return False
    if label_key(typed) == label_key(name):
        return True
    said, full = normalise_title(typed).split(), normalise_title(name).split()
    return 0 < len(said) < len(full) and said[:-1] == full[:len(said) - 1] and full[len(said) - 1].startswith(said[-1]) \
        and len(said[0]) >= 3


def _credited(t: TrackRecord) -> list[str]:
    """Every name a track credits, and the names of a list its primary artist is ("Jubin
    Nautiyal, Asees Kaur")."""
    names = list(t.artists or (t.artist,))
    return names + [n.strip() for n in _NAMES.split(names[0]) if n.strip() and n.strip() != names[0]]


def _primary(t: TrackRecord) -> str:
    return t.artists[0] if t.artists else t.artist


def _read(t: TrackRecord, songs: dict[str, list[TrackRecord]], albums: dict[str, Counter],
          artists: dict[str, str]) -> TrackRecord:
    """One label upload read with the library's tracks (see the module)."""
    parts = _parts(t.title)
    series = [p for p in parts if _SERIES.match(p.strip())]
    rest = [_cleaned(p) for p in parts if not _SERIES.match(p.strip())]
    rest = [p for p in rest if p]
    if not rest:
        return replace(t, artist="", artists=())
    title, others = rest[0], rest[1:]
    album = ""
    # "Kesariya - Brahmāstra": the film after a dash; "Tum Hi Ho Aashiqui 2": glued to the song
    pieces = _DASH.split(title)
    if len(pieces) == 2 and _base(pieces[1]) in albums:
        title, album = pieces[0].strip(), _base(pieces[1])
    else:
        words = title.split()
        for n in range(len(words) - 1, 0, -1):
            if _base(" ".join(words[n:])) in albums:
                title, album = " ".join(words[:n]), _base(" ".join(words[n:]))
                break
    if not album:
        named = [_base(p) for p in (*others, " ".join(series), *series) if _base(p) in albums]
        album = named[0] if named else ""
    copies = songs.get(_base(title), [])
    typed = _names_in(others)
    # the copies' artist a part names whole ("Rahat Fateh Ali Khan & Momina Mustehsan"), else
    # one a part names a credit of ("Arijit" of "Arijit Singh"): of several, most copies' one
    keys = {label_key(p) for p in others}
    for named_by in (Counter(_primary(c) for c in copies if label_key(_primary(c)) in keys),
                     Counter(_primary(c) for c in copies if any(_names(p, n) for p in typed for n in _credited(c)))):
        if named_by:
            artist = named_by.most_common(1)[0][0]
            break
    else:
        artist = ""
    if not artist and copies:
        (top, count), = Counter(_primary(c) for c in copies).most_common(1)
        artist = top if count * 2 > len(copies) else ""
    if not artist:
        artist = next((artists[label_key(p)] for p in typed if label_key(p) in artists), "")
    shown = albums[album].most_common(1)[0][0] if album else t.album
    # the copy it is: its credits and composer too, so that the dedup keys it as that copy
    # (a film song's copy naming its composer and two singers is keyed by the singers' list)
    copy = next((c for c in copies if _primary(c) == artist), None) if artist else None
    if copy is None:
        return replace(t, title=title, artist=artist, artists=(), album=shown)
    return replace(t, title=title, artist=copy.artist, artists=copy.artists, album=shown, composer=copy.composer)


def with_label_uploads(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks`` with each label's upload read as its song (see the module); the others as
    they are. Nothing is read where no track is a label's upload."""
    uploads = [i for i, t in enumerate(tracks) if not t.album and t.artist and label_channel(t.artist)]
    if not uploads:
        return tracks
    taken = set(uploads)
    songs: dict[str, list[TrackRecord]] = {}
    albums: dict[str, Counter] = {}
    artists: dict[str, str] = {}
    for i, t in enumerate(tracks):
        if i in taken or not t.artist:
            continue
        songs.setdefault(_base(t.title), []).append(t)
        artists.setdefault(label_key(_primary(t)), _primary(t))
        if t.album:
            albums.setdefault(_base(t.album), Counter())[t.album] += 1
    out = list(tracks)
    for i in uploads:
        out[i] = _read(tracks[i], songs, albums, artists)
    return out
