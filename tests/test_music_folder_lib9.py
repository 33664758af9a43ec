"""What a ninth pass over real music (a working DJ's library: Beatport singles, promos, scene
releases, Serato's, rekordbox's and Traktor's folders, built from Debian game soundtracks) found
in the music-folder reader, each case rebuilt here from tiny files made on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from tests.test_music_folder_tags import _wav

mutagen = pytest.importorskip("mutagen")
from mutagen.id3 import COMM, TALB, TBPM, TIT2, TKEY, TPE1, TPUB  # noqa: E402
from mutagen.wave import WAVE  # noqa: E402


def _by_file(folder: Path, tmp_path: Path) -> dict:
    return {t.source: t for t in read_music_folder(folder, tmp_path / "covers").tracks}


def _dj_wav(path: Path, title: str, artist: str, comment: str = "", **frames: str) -> Path:
    """A WAV with an ID3 chunk, as Beatport sells them and DJ software tags them."""
    _wav(path)
    audio = WAVE(path)
    audio.add_tags()
    audio.tags.add(TIT2(encoding=3, text=[title]))
    audio.tags.add(TPE1(encoding=3, text=[artist]))
    if comment:
        audio.tags.add(COMM(encoding=3, lang="eng", desc="", text=[comment]))
    for name, value in frames.items():
        cls = {"album": TALB, "label": TPUB, "bpm": TBPM, "key": TKEY}[name]
        audio.tags.add(cls(encoding=3, text=[value]))
    audio.save()
    return path


def test_a_key_analysers_comment_is_no_description(tmp_path):
    """Mixed In Key writes "8A - Energy 7" into every analysed track's comment: each was the
    track's description, its text vector "Song by Artist. 8A - Energy 7.", so tracks of one key
    were one text apart. Such notes (Camelot or Open Key and an energy level, cue times, a key
    alone) are no description; a DJ's own words are."""
    lib = tmp_path / "lib"
    notes = ["8A - Energy 7", "1m - Energy 6", "Energy 6, 9A, Cue1 0:16", "5A - Energy 6 | Cue: 0:32 drop, 1:04 break", "Am"]
    for i, note in enumerate(notes):
        _dj_wav(lib / f"Tracks/Artist {i} - Song {i}.wav", f"Song {i}", f"Artist {i}", note)
    _dj_wav(lib / "Mixes/DJ - Live.wav", "Live", "DJ", "Recorded live at Fabric, room 1: a peak time techno set")
    tracks = _by_file(lib, tmp_path)
    assert [tracks[f"Tracks/Artist {i} - Song {i}.wav"].description for i in range(len(notes))] == [""] * len(notes)
    assert tracks["Mixes/DJ - Live.wav"].description == "Recorded live at Fabric, room 1: a peak time techno set"


def test_dj_softwares_sampler_sounds_are_named_and_its_folders_name_no_artist(tmp_path):
    """rekordbox's sampler one-shots ("PioneerDJ/Sampler/OSC_SAMPLER/PRESET ONESHOT/SIREN.wav")
    and Traktor's remix set samples were tracks by "OSC_SAMPLER" and "Remix Sets"; the sets the
    DJ recorded in Serato, rekordbox and Traktor were by "_Serato_", "PioneerDJ" and "Native
    Instruments"; untagged files of ``Beatport/2023-05/`` had the album "2023-05"; rekordbox's
    USB export's ``Contents/UnknownArtist/UnknownAlbum/ID - ID.mp3`` was by "ID". The sounds are
    no tracks (one line a folder); the recordings, the month's downloads and the white label are
    tracks of no artist and no album. A DJ's own "Sampler" folder elsewhere stays music."""
    lib = tmp_path / "lib"
    skipped = [
        "PioneerDJ/Sampler/OSC_SAMPLER/PRESET ONESHOT/NOISE.wav",
        "PioneerDJ/Sampler/OSC_SAMPLER/PRESET ONESHOT/SIREN.wav",
        "PioneerDJ/Sampler/OSC_SAMPLER/PRESET LOOP/LOOP 1.wav",
        "Native Instruments/Traktor 3.10.0/Remix Sets/Factory/Drum Loop 01.wav",
    ]
    kept = [
        "_Serato_/Recording/2023-05-12 Serato Recording 1.wav",
        "PioneerDJ/Recording/REC001.wav",
        "Native Instruments/Traktor Recordings/2023-05-12_22h15m.wav",
        "Beatport/2023-05/Unheard Track.wav",
        "USB/Contents/UnknownArtist/UnknownAlbum/ID - ID (White Label).wav",
        "Band/Sampler/Side A.wav",
        "Pioneers of Sound/Sampler/01 Opening.wav",  # a band's album: no DJ software's folder (review)
    ]
    for rel in skipped + kept:
        _wav(lib / rel)
    catalog = read_music_folder(lib, tmp_path / "covers")
    tracks = {t.source: t for t in catalog.tracks}
    assert sorted(tracks) == sorted(kept)
    for rel in kept[:5]:
        assert (tracks[rel].artist, tracks[rel].album) == ("", ""), rel
    assert tracks["USB/Contents/UnknownArtist/UnknownAlbum/ID - ID (White Label).wav"].title == "ID (White Label)"
    lines = {p.where: p.message for p in catalog.problems}
    assert lines["PioneerDJ/Sampler"].startswith("3 DJ software sounds (a sampler's one-shots and loops), not music")
    assert lines["Native Instruments/Traktor 3.10.0/Remix Sets"].startswith("1 DJ software sound ")
    assert len(lines) == 2


def test_scene_releases_file_and_folder_names_are_read(tmp_path):
    """A scene release, "Kenta_Cho-Torus_Trooper-(ANJ123)-WEB-2023-ZzZz/01-kenta_cho-torus_
    trooper-(original_mix)-anjunabeats.mp3", untagged: it was titled "kenta_cho-torus_trooper-
    (original_mix)-anjunabeats", by no one, on the album "Kenta_Cho-Torus_Trooper-(ANJ123)-WEB-
    2023-ZzZz". The scene's hyphens cut its fields, underscores are spaces, the label after the
    mix goes, lowercase words are capitalised; the release folder is the album and the year."""
    lib = tmp_path / "lib"
    one = "Scene/Kenta_Cho-Torus_Trooper-(ANJ123)-WEB-2023-ZzZz/"
    va = "Scene/VA-Monstercat_Uncaged_Vol_1-(MCUV1)-WEB-2023-PTC/"
    for rel in (one + "01-kenta_cho-torus_trooper-(original_mix)-anjunabeats.wav",
                one + "02-kenta_cho_and_evil_mastermind-ring_out-(dub_mix).wav",
                va + "101-evil_mastermind-inevitable.wav",
                va + "102-nexuiz_team_vs_kenta_cho-enemy_unknown-(extended_mix).wav",
                "Kenta Cho/A7Xpg/01_A7Xpg_Stage_1.wav"):
        _wav(lib / rel)
    tracks = _by_file(lib, tmp_path)
    got = {k.rsplit("/", 1)[1]: (t.title, t.artist, t.album, t.year) for k, t in tracks.items()}
    assert got == {
        "01-kenta_cho-torus_trooper-(original_mix)-anjunabeats.wav": ("Torus Trooper (Original Mix)", "Kenta Cho", "Torus Trooper", 2023),
        "02-kenta_cho_and_evil_mastermind-ring_out-(dub_mix).wav": ("Ring Out (Dub Mix)", "Kenta Cho and Evil Mastermind", "Torus Trooper", 2023),
        "101-evil_mastermind-inevitable.wav": ("Inevitable", "Evil Mastermind", "Monstercat Uncaged Vol 1", 2023),
        "102-nexuiz_team_vs_kenta_cho-enemy_unknown-(extended_mix).wav": ("Enemy Unknown (Extended Mix)", "Nexuiz Team vs Kenta Cho", "Monstercat Uncaged Vol 1", 2023),
        "01_A7Xpg_Stage_1.wav": ("A7Xpg_Stage_1", "Kenta Cho", "A7Xpg", None),
    }


def test_a_djs_flat_folder_of_singles_is_read_despite_a_few_odd_names(tmp_path):
    """A DJ's ``Tracks/`` (thousands of "Artist - Title (Extended Mix).mp3", a few untagged)
    holds a "Track 03" and a "white_label_b2" too: because these fit no rule, no untagged file
    of the folder took its artist from its name ("Mattias Westlund - Knolls (Extended Mix)" by
    no one). A folder of many artists' unnumbered singles is read without the odd names; an
    album's "01 - Song", "02 - Song - Live" still is not."""
    lib = tmp_path / "lib"
    for name in ("Mattias Westlund - Knolls (Extended Mix)", "Kenta Cho - Gunroar (Radio Edit)",
                 "Evil Mastermind - Nebula (Original Mix)", "Track 03", "white_label_b2"):
        _wav(lib / f"Tracks/{name}.wav")
    for name in ("01 - Song", "02 - Song - Live", "03 - Other - Acoustic"):
        _wav(lib / f"Band/Album/{name}.wav")
    tracks = _by_file(lib, tmp_path)
    got = {k: (t.title, t.artist) for k, t in tracks.items()}
    assert got["Tracks/Mattias Westlund - Knolls (Extended Mix).wav"] == ("Knolls (Extended Mix)", "Mattias Westlund")
    assert got["Tracks/Kenta Cho - Gunroar (Radio Edit).wav"] == ("Gunroar (Radio Edit)", "Kenta Cho")
    assert got["Tracks/Track 03.wav"] == ("Track 03", "")
    assert got["Tracks/white_label_b2.wav"] == ("white_label_b2", "")
    assert got["Band/Album/02 - Song - Live.wav"] == ("Song - Live", "Band")
    assert got["Band/Album/03 - Other - Acoustic.wav"] == ("Other - Acoustic", "Band")


def test_the_label_after_the_mix_in_a_download_name_is_no_part_of_the_title(tmp_path):
    """"Kenta_Cho_-_Ironclad_(Extended_Mix)_[Anjunadeep].wav", untagged: its title was
    "Ironclad (Extended Mix) [Anjunadeep]", the label a shop's download name puts after the mix.
    It goes; a bracket after no mix ("Song [Live]") stays."""
    lib = tmp_path / "lib"
    for name in ("Kenta_Cho_-_Ironclad_(Extended_Mix)_[Anjunadeep]", "Kenta Cho - Fleet (Mattias Westlund Remix) [Monstercat]",
                 "Kenta Cho - Gunroar [Live]"):
        _wav(lib / f"Promos/{name}.wav")
    titles = {k.rsplit("/", 1)[1]: t.title for k, t in _by_file(lib, tmp_path).items()}
    assert titles == {
        "Kenta_Cho_-_Ironclad_(Extended_Mix)_[Anjunadeep].wav": "Ironclad (Extended Mix)",
        "Kenta Cho - Fleet (Mattias Westlund Remix) [Monstercat].wav": "Fleet (Mattias Westlund Remix)",
        "Kenta Cho - Gunroar [Live].wav": "Gunroar [Live]",
    }


def test_a_featured_artist_after_the_mix_in_a_download_name_stays_credited(tmp_path):
    """"Artist - Song (Extended Mix) [feat. Guest]": the bracket after the mix names a guest,
    not a label. Taken for a label, it went from the title and the guest from the track's
    artists (--only-artist Guest and the artist facet missed the track)."""
    lib = tmp_path / "lib"
    for name in ("Kenta Cho - Ironclad (Extended Mix) [feat. Guest Singer]", "Kenta Cho - Fleet (VIP Mix) [ft. MC Other]",
                 "Kenta Cho - Gunroar (Original Mix) [Anjunadeep]"):
        _wav(lib / f"Promos/{name}.wav")
    got = {k.rsplit("/", 1)[1]: (t.title, t.artists) for k, t in _by_file(lib, tmp_path).items()}
    assert got == {
        "Kenta Cho - Ironclad (Extended Mix) [feat. Guest Singer].wav":
            ("Ironclad (Extended Mix) [feat. Guest Singer]", ("Kenta Cho", "Guest Singer")),
        "Kenta Cho - Fleet (VIP Mix) [ft. MC Other].wav": ("Fleet (VIP Mix) [ft. MC Other]", ("Kenta Cho", "MC Other")),
        "Kenta Cho - Gunroar (Original Mix) [Anjunadeep].wav": ("Gunroar (Original Mix)", ()),
    }
