"""What a twelfth pass over real music (a hip-hop and R&B listener's library: iTunes and Amazon
albums owned explicit and clean, DatPiff mixtapes, singles with every way of writing a guest,
chopped & screwed and sped-up versions, a producer's type beats, K-pop) found in the
music-folder reader and in the results' version dedup, each case rebuilt here from tiny files
made on the fly or from titles alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.credits import credited_artists, title_without_credits
from recsys.catalog.censored import uncensored
from recsys.query.titlekeys import version_key
from recsys.query.titlepick import TitleEntry, pick
from tests.test_music_folder_tags import _wav

mutagen = pytest.importorskip("mutagen")
from mutagen.wave import WAVE  # noqa: E402
from mutagen.id3 import TALB, TIT2, TPE1  # noqa: E402


def _by_file(folder: Path, tmp_path: Path) -> dict:
    return {t.source: t for t in read_music_folder(folder, tmp_path / "covers").tracks}


def _tagged(path: Path, title: str, artist: str, album: str = "") -> Path:
    _wav(path)
    audio = WAVE(path)
    audio.add_tags()
    audio.tags.add(TIT2(encoding=3, text=[title]))
    audio.tags.add(TPE1(encoding=3, text=[artist]))
    if album:
        audio.tags.add(TALB(encoding=3, text=[album]))
    audio.save()
    return path


def test_a_type_beats_name_makes_no_artist(tmp_path):
    """A producer's untagged "Drake Type Beat - Ocean.mp3" was a track by "Drake Type Beat", and
    the beat tape's "Playboi Carti Type Beat - Vamp" by "Playboi Carti Type Beat": artists of
    the facet, near "Drake" to --artist, while no such artist is on the beat. The name is the
    title; the producer's folder ("Nightfall Beats - Type Beats Vol. 2") gives artist and album,
    as it does to the tape's tagged beats; ``Beats/`` is no artist."""
    lib = tmp_path / "lib"
    _wav(lib / "Downloads/Drake Type Beat - Ocean.wav")
    _wav(lib / "Downloads/Smino - Wild Irish Roses.wav")
    _wav(lib / "Downloads/Kendrick Lamar x J. Cole Type Beat 2023 - Element.wav")
    tape = lib / "Beats/Nightfall Beats - Type Beats Vol. 2"
    _wav(tape / "Playboi Carti Type Beat - Vamp.wav")
    _wav(tape / "Lil Uzi Vert Type Beat - Orbit.wav")
    _tagged(tape / "Travis Scott Type Beat - Astro.wav", "Travis Scott Type Beat - Astro", "Nightfall Beats", "Type Beats Vol. 2")
    tracks = _by_file(lib, tmp_path)
    ocean = tracks["Downloads/Drake Type Beat - Ocean.wav"]
    assert (ocean.title, ocean.artist) == ("Drake Type Beat - Ocean", "")
    assert tracks["Downloads/Kendrick Lamar x J. Cole Type Beat 2023 - Element.wav"].artist == ""
    assert (tracks["Downloads/Smino - Wild Irish Roses.wav"].artist, tracks["Downloads/Smino - Wild Irish Roses.wav"].title) == \
        ("Smino", "Wild Irish Roses")  # an artist's song beside them still is
    vamp = tracks["Beats/Nightfall Beats - Type Beats Vol. 2/Playboi Carti Type Beat - Vamp.wav"]
    assert (vamp.title, vamp.artist, vamp.album) == ("Playboi Carti Type Beat - Vamp", "Nightfall Beats", "Type Beats Vol. 2")
    assert not any("type beat" in t.artist.casefold() for t in tracks.values())


def test_a_guest_in_a_bracket_of_its_own_is_credited_whole(tmp_path):
    """A Korean store's "Don't Forget (Feat. 태연 (TAEYEON))" credited "태연 (TAEYEON": the
    featured bracket ended at the guest's own bracket."""
    lib = tmp_path / "lib"
    _tagged(lib / "Crush/02 Don't Forget.wav", "Don't Forget (Feat. 태연 (TAEYEON))", "Crush (크러쉬)", "Crush On You")
    track = _by_file(lib, tmp_path)["Crush/02 Don't Forget.wav"]
    assert track.artists == ("Crush (크러쉬)", "태연 (TAEYEON)")
    assert credited_artists(["A"], "Song [feat. B (C)] (Explicit)") == ("A", "B (C)")


def test_a_bare_featuring_word_in_a_title_credits_the_guest(tmp_path):
    """Singles and mixtape downloads write the guest after a bare "ft." / "Ft" / "featuring" /
    "f/" in the title ("Goosebumps ft. Kendrick Lamar", "Hot f/ Gunna & Travis Scott"):
    only a bracket's was read, so --artist "Kendrick Lamar" found none of them and the artist
    facet did not count them. A measure ("Ten Ft Tall", "6 Ft. 7 Ft.") credits no one; a
    producer's credit after the guests is not one of them."""
    lib = tmp_path / "lib"
    singles = {
        "Goosebumps ft. Kendrick Lamar": ("Travis Scott", "Kendrick Lamar"),
        "Bad and Boujee Ft Lil Uzi Vert": ("Migos", "Lil Uzi Vert"),
        "Mask Off (Remix) featuring Kendrick Lamar": ("Future", "Kendrick Lamar"),
        "Hot f/ Gunna & Travis Scott": ("Young Thug", "Gunna", "Travis Scott"),
        "Jumpman ft. Future prod. Metro Boomin": ("Drake", "Future"),
    }
    for i, (title, credits) in enumerate(singles.items()):
        _tagged(lib / f"Singles/{i:02d}.wav", title, credits[0])
    _tagged(lib / "Singles/10.wav", "Ten Ft Tall", "Someone")
    _tagged(lib / "Singles/11.wav", "6 Ft. 7 Ft.", "Lil Wayne")
    _tagged(lib / "Singles/12.wav", "Dancing w/ Myself", "Billy Idol")  # "w/": the title's "with"
    tracks = _by_file(lib, tmp_path)
    for i, credits in enumerate(singles.values()):
        assert tracks[f"Singles/{i:02d}.wav"].artists == credits
    assert tracks["Singles/10.wav"].artists == tracks["Singles/11.wav"].artists == ()
    assert tracks["Singles/12.wav"].artists == () and tracks["Singles/12.wav"].title == "Dancing w/ Myself"
    for title in ("Leaving Ft. Worth", "A Feat of Strength", "A Feat Of Strength", "Ft. Lauderdale Nights"):
        assert credited_artists(["Someone"], title) == ("Someone",), title
        assert title_without_credits(title) == title


def _entry(title: str, artist: str, track_id: str) -> TitleEntry:
    return TitleEntry(track_id=track_id, title=title, artist=artist)


def test_a_clean_copys_starred_title_is_its_explicit_copys_song():
    """The clean "B***h, Don't Kill My Vibe" was recommended first for the explicit "Bitch,
    Don't Kill My Vibe" (both owned: the results' dedup took them for two songs). A starred
    swear word is read back for the version key; a star that fits no such word stays."""
    explicit = version_key("Bitch, Don't Kill My Vibe", "Kendrick Lamar")
    assert version_key("B***h, Don't Kill My Vibe (Clean)", "Kendrick Lamar") == explicit
    assert version_key("F**k Up Some Commas", "Future") == version_key("Fuck Up Some Commas", "Future")
    assert version_key("N****s In Paris", "JAY-Z") == version_key("Niggas In Paris", "JAY-Z")
    assert uncensored("*NSYNC Medley") == "*NSYNC Medley" and uncensored("Mo***") == "Mo***"


def test_a_seed_means_the_explicit_copy_of_a_song_owned_twice():
    """A seed "Hype" took "Hype [Clean]" of Amazon's two copies (the shorter title; both were a
    cut), "Mask Off" the "(Dirty)" rip over "(Explicit Version)" alike: the explicit copy is
    the song as its artist made it, the clean one its cut."""
    hype = pick("Hype", [_entry("Hype [Clean]", "Drake", "c"), _entry("Hype [Explicit]", "Drake", "e")])
    assert hype.track_id == "e"
    stargazing = [_entry("STARGAZING (Clean Version)", "Travis Scott", "c"), _entry("STARGAZING (Explicit)", "Travis Scott", "e")]
    assert pick("STARGAZING", stargazing).track_id == "e"
    # Deezer's "(Explicit Version)" read as another version ("version"), behind the clean cut
    mask_off = [_entry("Mask Off (Clean Version)", "Future", "c"), _entry("Mask Off (Explicit Version)", "Future", "e")]
    assert pick("Mask Off", mask_off).track_id == "e"
    assert pick("Mo Bamba", [_entry("Mo Bamba (Clean)", "Sheck Wes", "c"), _entry("Mo Bamba (Slowed + Reverb)", "Sheck Wes", "s"),
                             _entry("Mo Bamba - Sped Up", "Sheck Wes", "u"), _entry("Mo Bamba (Explicit)", "Sheck Wes", "e")]).track_id == "e"


def test_a_fans_re_edit_is_a_version_of_the_song():
    """TikTok's "Mo Bamba - Sped Up" was another song than "Mo Bamba", recommended first for it
    (a bracket's "(Sped Up)" was a version; a dash's was not): a sped-up, slowed, chopped and
    screwed or nightcore edit after a dash is a version, and ranks as another mix, not as the
    song (the seed "Mo Bamba" took the slowed "(Slowed + Reverb)" over a clean copy)."""
    song = version_key("Mo Bamba", "Sheck Wes")
    for edit in ("Mo Bamba - Sped Up", "Mo Bamba - Slowed + Reverb", "Mo Bamba - Chopped & Screwed", "Mo Bamba - Nightcore",
                 "Mo Bamba - Clean"):
        assert version_key(edit, "Sheck Wes") == song
    assert pick("Mo Bamba", [_entry("Mo Bamba (Slowed + Reverb)", "Sheck Wes", "s"), _entry("Mo Bamba (Clean)", "Sheck Wes", "c")]).track_id == "c"


def test_a_producers_credit_and_a_bare_guest_are_no_part_of_the_song():
    """"Jumpman prod. Metro Boomin" and "Mask Off (Remix) featuring Kendrick Lamar" were songs
    of their own, so "Mask Off" was ambiguous between the remix and the album's; the bracketed
    "(Prod. by X)" was already a version mark. A title's own "6 Ft. 7 Ft." stays."""
    assert version_key("Jumpman prod. Metro Boomin", "Drake") == version_key("Jumpman", "Drake")
    assert version_key("Goosebumps ft. Kendrick Lamar", "Travis Scott") == version_key("Goosebumps", "Travis Scott")
    assert version_key("Mask Off (Remix) featuring Kendrick Lamar", "Future") == version_key("Mask Off (Explicit Version)", "Future")
    assert pick("Mask Off", [_entry("Mask Off (Remix) featuring Kendrick Lamar", "Future", "r"),
                             _entry("Mask Off (Explicit Version)", "Future", "e")]).track_id == "e"
    assert version_key("6 Ft. 7 Ft.", "Lil Wayne")[0] == "6 ft 7 ft"
    assert version_key("Ten Ft Tall", "X")[0] == "ten ft tall"


def test_an_artist_named_in_two_scripts_is_one_artist(tmp_path):
    """Melon's "BTS (방탄소년단)" and iTunes' "BTS", a mora rip's "宇多田ヒカル" and "Utada
    Hikaru" beside "宇多田ヒカル (Utada Hikaru)" were several artists (facet rows, graph nodes,
    artist caps) for one. A half of such a double name is read as the double name; a bracket in
    the name's own script ("Crush (Band)") is no second name."""
    lib = tmp_path / "lib"
    _tagged(lib / "K-Pop/BTS/01.wav", "Intro : Persona", "BTS (방탄소년단)", "MAP OF THE SOUL : PERSONA")
    _tagged(lib / "iTunes/BTS/02.wav", "Boy With Luv (feat. Halsey)", "BTS", "MAP OF THE SOUL : PERSONA")
    _tagged(lib / "J-R&B/Utada/01.wav", "First Love", "宇多田ヒカル", "First Love")
    _tagged(lib / "J-R&B/Utada/02.wav", "Automatic", "宇多田ヒカル (Utada Hikaru)", "First Love")
    _tagged(lib / "J-R&B/Utada/03.wav", "traveling", "Utada Hikaru", "First Love")
    _tagged(lib / "Rock/Crush/01.wav", "Song", "Crush (Band)")
    _tagged(lib / "Rock/Crush/02.wav", "Other Song", "Crush")
    tracks = _by_file(lib, tmp_path)
    assert tracks["iTunes/BTS/02.wav"].artist == "BTS (방탄소년단)"
    assert tracks["iTunes/BTS/02.wav"].artists == ("BTS (방탄소년단)", "Halsey")
    assert {tracks[f"J-R&B/Utada/0{i}.wav"].artist for i in (1, 2, 3)} == {"宇多田ヒカル (Utada Hikaru)"}
    assert (tracks["Rock/Crush/01.wav"].artist, tracks["Rock/Crush/02.wav"].artist) == ("Crush (Band)", "Crush")
