"""What the whole library tells of each track, once every file is read: the passes that need the
other tracks (or are cheap enough to run once over them all), in the order they depend on one
another. A folder's genre, a track's kind and advisory come first (each track alone); then the
names the library spells several ways become one (NFC, Discogs' numbers, "Davis, Miles", a
composer's full name, a name in two scripts, initials), uploads and reposts are credited to
their songs' artists, guests and leaders are joined, an album's artist is shared, a 12"'s mixes
and an album's repeated titles named, and last the spellings of one artist (an Arabic, a
Cyrillic or a kana name and its Latin ones, an artist folder's longer names, a MusicBrainz
id's) keyed as one.

Split from ``musicdir`` (which reads the files) so each stays one job: a pass added here is a
line in ``library_passes`` with its module named beside it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from recsys.catalog.model import TrackRecord
from recsys.catalog.abjadnames import abjad_spellings
from recsys.catalog.advisory import advisory_of
from recsys.catalog.albumplaces import repeated_places
from recsys.catalog.albums import shared_album_artists
from recsys.catalog.artistids import same_artists
from recsys.catalog.categoryfolders import folder_genre
from recsys.catalog.composernames import full_composer_names
from recsys.catalog.cyrillicnames import cyrillic_spellings
from recsys.catalog.discogsnames import without_discogs_numbers
from recsys.catalog.foldernames import folder_spellings
from recsys.catalog.kananames import kana_spellings
from recsys.catalog.greeknames import greek_spellings
from recsys.catalog.genrelists import split_genre_lists
from recsys.catalog.genretitles import genre_titles
from recsys.catalog.guestbands import joined_guest_acts
from recsys.catalog.initialnames import initials_as_names
from recsys.catalog.labeluploads import with_label_uploads
from recsys.catalog.leaders import credit_leaders
from recsys.catalog.mixtitles import with_song_names
from recsys.catalog.reposts import with_reposted_artists
from recsys.catalog.scriptnames import double_script_names
from recsys.catalog.sortnames import reading_order_names, shared_readings
from recsys.catalog.spokenword import kind_of


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _composed(track: TrackRecord) -> TrackRecord:
    """The track's names in composed form (NFC). A Mac writes file and folder names decomposed
    (NFD: "e" and a combining acute), tags hold them composed: in a real library the untagged
    folder "Ensemble Céleste" and the tracks tagged "Ensemble Céleste" looked alike but were two
    graph artists and two JSON strings, and renaming the files to NFC (a copy off the Mac)
    changed their titles, so the sync re-encoded them as new tracks instead of moving them."""
    names = (track.title, track.artist, track.album, track.album_artist, *track.artists, *track.genres)
    if all(n.isascii() for n in names):
        return track
    return replace(
        track, title=_nfc(track.title), artist=_nfc(track.artist), album=_nfc(track.album),
        album_artist=_nfc(track.album_artist), artists=tuple(map(_nfc, track.artists)),
        genres=tuple(dict.fromkeys(map(_nfc, track.genres))),
    )


def library_passes(tracks: list[TrackRecord], sorting: frozenset[str] | set[str]) -> list[TrackRecord]:
    """``tracks`` as the library read whole tells them (the module's passes, in order);
    ``sorting`` the folders the library sorts by (``categoryfolders.sorting_folders``)."""
    # qobuz-dl's "Jazz, Cool Jazz": two genres, where each part is one (``genrelists``)
    tracks = split_genre_lists(tracks)
    # "genres/blues/blues.00000.au", "Rock/Queen/x.mp3": a genre the folders sort by
    # (``categoryfolders``), for a track that has none once its cue sheet gave its own
    tracks = [t if t.genres else replace(t, genres=(g,)) if (g := folder_genre(t.source, sorting)) else t for t in tracks]
    # "Abalele (Amapiano)", "Abalele (Official Audio) | Amapiano": the song "Abalele", its genre (``genretitles``)
    tracks = genre_titles(tracks)
    # podcasts, audiobooks, voice memos: no songs to a song's radio (``spokenword``)
    tracks = [t if (k := kind_of(t)) == t.kind else replace(t, kind=k) for t in tracks]
    # explicit or clean: the tags', else the title's or the album's marks (``advisory``)
    tracks = [t if (e := advisory_of(t.explicit, t.title, t.album)) is t.explicit else replace(t, explicit=e) for t in tracks]
    # "Harmonia (2)", Discogs' number, where the library has no other Harmonia (``discogsnames``)
    tracks = without_discogs_numbers([_composed(t) for t in tracks])
    # "Davis, Miles" where other files say "Miles Davis" (``sortnames``)
    tracks = reading_order_names(tracks)
    # a composer "Beethoven" where other files say "Ludwig van Beethoven" (``composernames``)
    tracks = full_composer_names(tracks)
    # "BTS" where other files say "BTS (방탄소년단)" (``scriptnames``)
    tracks = double_script_names(tracks)
    # "NFAK" where other files say "Nusrat Fateh Ali Khan" (``initialnames``)
    tracks = initials_as_names(tracks)
    # "Channa Mereya | Ae Dil Hai Mushkil | ... | Arijit" by "SonyMusicIndiaVEVO": Arijit Singh's song (``labeluploads``)
    tracks = with_label_uploads(tracks)
    # "Alan Walker - Faded (Lyrics)" by "7clouds", a label's compilation: the song's artist's (``reposts``)
    tracks = with_reposted_artists(tracks)
    # "アイドル" read "Idol" by its sort tag: its copies and versions by the artist too (``sortnames``)
    tracks = shared_readings(tracks)
    # "feat. Wisin y Yandel" beside the duo's own albums: one guest, not two (``guestbands``)
    tracks = joined_guest_acts(tracks)
    # "The Miles Davis Quintet", "Miles Davis & John Coltrane" beside Miles Davis's own albums:
    # his too (``leaders``)
    tracks = credit_leaders(tracks)
    tracks = shared_album_artists(tracks)  # an album tagged unevenly: one album
    # a 12"'s "Original Mix" and "Dub" on the single "Rain": "Rain (Original Mix)" (``mixtitles``)
    tracks = with_song_names(tracks)
    # "Battle Theme" four times on one album: its places tell them apart (``albumplaces``)
    tracks = repeated_places(tracks)
    # "فيروز" and "Fairuz", "Fairouz", "Fayrouz": one singer's names, as an id's (``abjadnames``)
    tracks = abjad_spellings(tracks)
    # "Мумий Тролль" and "Mumiy Troll", "Цеца" and "Ceca": one band's names, as an id's (``cyrillicnames``)
    tracks = cyrillic_spellings(tracks)
    # "ヨルシカ" and "Yorushika", "カネコアヤノ" and "Ayano Kaneko": one artist's names, as an id's (``kananames``)
    tracks = kana_spellings(tracks)
    # "Χάρις Αλεξίου" and "Haris Alexiou", "Xaris Aleksiou": one singer's names, as an id's (``greeknames``)
    tracks = greek_spellings(tracks)
    # "Fela Ransome-Kuti", "Fela Anikulapo Kuti" in the folder "Fela Kuti/": one artist's names,
    # as an id's (``foldernames``)
    tracks = folder_spellings(tracks)
    # "植松伸夫" and "Nobuo Uematsu" under one MusicBrainz artist id: one artist's keys (``artistids``)
    tracks = same_artists(tracks)
    return tracks
