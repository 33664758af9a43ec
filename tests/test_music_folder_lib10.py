"""What a tenth pass over real music (a producer's Mac ``~/Music``: Apple Music's albums,
GarageBand, Logic, Ableton, Splice, Native Instruments, a bought sample pack, bounces, exported
mixes and stems, built from Debian game soundtracks) found in the music-folder reader, each case
rebuilt here from tiny files made on the fly."""

from __future__ import annotations

from recsys.catalog import read_music_folder
from recsys.catalog.dawfolders import sample_pack
from tests.support.tagged_files import tagged_flac
from tests.test_music_folder_tags import _wav


def _audio(path):
    """A tiny WAV under any audio name (an Apple Loop's ".caf", a take's ".aif")."""
    return _wav(path) if path.suffix == ".wav" else _wav(path.with_suffix(".wav")).rename(path)



def _read_kept_and_noticed(lib, tmp_path, skipped: dict[str, list[str]], kept: list[str], start: str = ""):
    """The folder read: its tracks are ``kept``; each folder of ``skipped`` is one notice
    counting its files (and beginning "<n> <start>")."""
    catalog = read_music_folder(lib, tmp_path / "covers")
    assert sorted(t.source for t in catalog.tracks) == sorted(kept)
    lines = {p.where: p for p in catalog.problems}
    assert sorted(lines) == sorted(skipped)
    assert all(p.notice for p in lines.values())
    for where, files in skipped.items():
        assert lines[where].message.startswith(f"{len(files)} {start}"), (where, lines[where].message)
    return catalog, lines

def test_a_producers_loops_one_shots_and_takes_are_named_and_no_tracks(tmp_path):
    """Splice's one-shots ("Splice/sounds/packs/<Pack>/drums/kicks/X_Kick_01.wav", by the artist
    "drums"), a bought pack's ("Samples/Vengeance Essential House Vol.1/Kicks/VEH1 Kick 001.wav"),
    Apple Loops, Logic's samples and impulse responses, Ableton's libraries and the takes
    recorded into each project (a ``.logicx``'s ``Media/``, Ableton's ``Samples/Recorded/``) were
    tracks: 290 of 335 in the real library, the top of the artist facet and every radio. They
    are no tracks, one line a folder; the bounces, the exports beside a project, the mixes and
    stems, and music under a ``Samples/`` or ``Drums/`` folder that is no pack stay tracks."""
    lib = tmp_path / "lib"
    skipped = {
        "Splice/sounds": ["Splice/sounds/packs/Cymatics - Odyssey/CYM_one_shots/drums/kicks/CYM_Kick_01.wav",
                          "Splice/sounds/packs/Cymatics - Odyssey/CYM_loops/synth/CYM_120bpm_Am_synth_loop_01.wav"],
        "Samples/Vengeance Essential House Vol.1": ["Samples/Vengeance Essential House Vol.1/Kicks/VEH1 Kick 001.wav",
                                                    "Samples/Vengeance Essential House Vol.1/Claps/VEH1 Clap 001.wav",
                                                    "Samples/Vengeance Essential House Vol.1/Loops/VEH1 Drumloop 001 - 126 BPM.wav"],
        "GarageBand/Apple Loops": ["GarageBand/Apple Loops/Classic House Beat 07.caf"],
        "Audio Music Apps/Samples": ["Audio Music Apps/Samples/Drum Machine Designer/Kick Punchy.wav"],
        "Audio Music Apps/Impulse Responses": ["Audio Music Apps/Impulse Responses/01 Spaces/Room Small.aif"],
        "Audio Music Apps/Projects/Night Drive.logicx/Media": ["Audio Music Apps/Projects/Night Drive.logicx/Media/Audio Files/Vox_01.wav"],
        "Audio Music Apps/Projects/Late Show/Audio Files": ["Audio Music Apps/Projects/Late Show/Audio Files/Vox_01.wav"],
        "GarageBand/Beat 4.band/Media": ["GarageBand/Beat 4.band/Media/Audio Files/Guitar#01.aif"],
        "Ableton/User Library": ["Ableton/User Library/Samples/Imported/Kick 01.wav"],
        "Ableton/Factory Packs": ["Ableton/Factory Packs/Drum Essentials/Samples/Drums/Kick 808 Classic.wav"],
        "Ableton/Projects/My Song Project/Samples": ["Ableton/Projects/My Song Project/Samples/Recorded/1-Audio 0001 [2023-05-12 201512].wav",
                                                     "Ableton/Projects/My Song Project/Samples/Processed/Consolidate/2-Audio 0001.wav"],
        "Native Instruments/Expansions": ["Native Instruments/Expansions/Deep Matter Library/Samples/Drums/Kick/Kick Deep Matter 1.wav"],
    }
    kept = [
        "Audio Music Apps/Projects/Night Drive.logicx/Bounces/Night Drive.wav",
        "Audio Music Apps/Projects/Late Show/Bounces/Late Show.wav",
        "Ableton/Projects/My Song Project/My Song.wav",
        "Bounces/Night Drive_v3_MASTER.wav",
        "Bounces/Night Drive - Instrumental.wav",
        "Bounces/Stems/Night Drive/Night Drive - Vocals.wav",
        "Samples/Label Sampler 2019/01 Song.wav",  # a "Samples" folder without a pack's folders
        "Band/Drums/Take 1.wav",  # a stems folder's "Drums" beside "Vocals": no pack
        "Band/Vocals/Take 1.wav",
        "Band/Audio Files/Demo.wav",  # no project beside it
    ]
    for rel in [r for files in skipped.values() for r in files] + kept:
        _audio(lib / rel)
    (lib / "Audio Music Apps/Projects/Late Show/Late Show.logicx/Alternatives/000").mkdir(parents=True)
    (lib / "Audio Music Apps/Projects/Late Show/Late Show.logicx/Alternatives/000/ProjectData").write_bytes(b"\0")
    (lib / "Ableton/Projects/My Song Project/My Song.als").write_bytes(b"\x1f\x8b")
    catalog, lines = _read_kept_and_noticed(lib, tmp_path, skipped, kept)
    assert "2 sample library sounds (a sample library's loops and one-shots), not music" in lines["Splice/sounds"].message
    assert lines["Audio Music Apps/Impulse Responses"].message.startswith("1 impulse response (")
    assert lines["Ableton/Projects/My Song Project/Samples"].message.startswith("2 project audio files (a DAW project's recorded takes")
    n_skipped = sum(len(files) for files in skipped.values())
    assert catalog.stats["skipped"] == n_skipped + 2  # the two project files
    assert catalog.stats["audio"] == len(kept)


def test_a_sample_pack_is_two_drum_one_shot_folders():
    assert sample_pack(["Kicks", "Snares", "Loops"]) and sample_pack(["Kick", "Clap"]) and sample_pack(["808s", "Hi-Hats"])
    assert not sample_pack(["Drums", "Vocals", "Bass"]) and not sample_pack(["Kicks"]) and not sample_pack(["Loops", "FX"])


def test_a_producers_bounces_and_exports_name_no_artist_nor_album(tmp_path):
    """Logic's bounces were by "Night Drive.logicx" on the album "Bounces" (a project saved as a
    folder: by "Late Show"), Ableton's export ``Ableton/Projects/My Song Project/My Song.wav`` by
    "Projects" on "My Song Project", GarageBand's by "GarageBand", and the mixes in ``Exports/``
    by "Exports" (the library sorts Artist/Album/: a root folder of loose files was an artist's).
    A DAW's folders and a project's are named after songs, never an artist or an album: the
    bounces have neither; an artist's shelf beside them keeps its artist."""
    lib = tmp_path / "lib"
    daw = [
        "Audio Music Apps/Projects/Night Drive.logicx/Bounces/Night Drive.wav",
        "Audio Music Apps/Projects/Late Show/Bounces/Late Show.wav",
        "Logic/Late Show/Bounces/Late Show_v2.wav",
        "Ableton/Projects/My Song Project/My Song.wav",
        "GarageBand/Exports/Summer Idea.wav",
        "GarageBand/Summer Idea.band/Output/output.wav",
        "Exports/Night Drive_v1.wav",
        "Exports/Night Drive_v3_MASTER.wav",
    ]
    for rel in daw:
        _wav(lib / rel)
    for artist in ("Nexuiz Team", "Kenta Cho", "Evil Mastermind"):
        for n in (1, 2):
            tagged_flac(lib / f"Music/{artist}/Album/0{n} Song {n}.flac", artist=artist, album="Album", title=f"Song {n}")
    _wav(lib / "Music/Kenta Cho/Loose Single.wav")
    tracks = {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert {rel: (tracks[rel].artist, tracks[rel].album) for rel in daw} == {rel: ("", "") for rel in daw}
    assert tracks["Audio Music Apps/Projects/Night Drive.logicx/Bounces/Night Drive.wav"].title == "Night Drive"
    assert tracks["Music/Kenta Cho/Loose Single.wav"].artist == "Kenta Cho"


def test_a_projects_render_is_titled_after_its_project(tmp_path):
    """GarageBand renders a project to "Beat 4.band/Output/output.caf": every project's song
    was a track titled "output". A render's generic name takes its package's name; a file
    named "Output" elsewhere, or a bounce with a name of its own, keeps it."""
    lib = tmp_path / "Music"
    for rel in ("GarageBand/Beat 4.band/Output/output.wav", "GarageBand/Summer Idea.band/Output/output.wav",
                "Night Drive.logicx/Bounces/Untitled.wav", "Night Drive.logicx/Bounces/Night Drive v3.wav",
                "Band/Album/07 Output.wav"):
        _wav(lib / rel)
    titles = {t.source: t.title for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert titles["GarageBand/Beat 4.band/Output/output.wav"] == "Beat 4"
    assert titles["GarageBand/Summer Idea.band/Output/output.wav"] == "Summer Idea"
    assert titles["Night Drive.logicx/Bounces/Untitled.wav"] == "Night Drive"
    assert titles["Night Drive.logicx/Bounces/Night Drive v3.wav"] == "Night Drive v3"
    assert titles["Band/Album/07 Output.wav"] == "Output"


def test_a_songs_stems_are_named_and_no_tracks(tmp_path):
    """A producer's bounced stems ("Night Drive - Vocals.wav", "- Drums", "- Bass" beside the
    master; "Stems/Sunset Groove/Sunset Groove - Vocals.wav"...) and a separator's output
    (Demucs' "separated/htdemucs/<song>/vocals.wav", Spleeter's "vocals.wav" and
    "accompaniment.wav") were tracks titled "Vocals", "Drums" by no one, and a radio of the song
    listed its own drums. They are no tracks, one notice a folder; the song, its instrumental,
    a lone acapella, two arrangements of a song and a stem file (``.stem.mp4``: its mix) stay."""
    lib = tmp_path / "lib"
    skipped = {
        "Bounces": ["Bounces/Night Drive - Vocals.wav", "Bounces/Night Drive - Drums.wav", "Bounces/Night Drive - Bass.wav"],
        "Bounces/Stems/Sunset Groove": [f"Bounces/Stems/Sunset Groove/Sunset Groove - {p}.wav"
                                        for p in ("Vocals", "Drums", "Bass", "Other")],
        "separated/htdemucs/Night Drive": [f"separated/htdemucs/Night Drive/{p}.wav" for p in ("vocals", "drums", "bass", "other")],
        "separated/htdemucs/Late Show": ["separated/htdemucs/Late Show/vocals.wav", "separated/htdemucs/Late Show/no_vocals.wav"],
        "spleeter/Fading Lights": ["spleeter/Fading Lights/vocals.wav", "spleeter/Fading Lights/accompaniment.wav"],
        "Stems": ["Stems/Fading Lights (Vocals).wav", "Stems/Fading Lights (Drums).wav"],
    }
    kept = [
        "Bounces/Night Drive_v3_MASTER.wav",
        "Bounces/Night Drive - Instrumental.wav",
        "Acapellas/Knolls - Vocals.wav",  # alone: an acapella a DJ plays
        "Covers/River (Piano).wav",  # two arrangements, no vocals, drums nor bass
        "Covers/River (Guitar).wav",
        "Album/01 - Drums.wav",  # two songs' titles, not one song's parts
        "Album/02 - Bass.wav",
        "Album/03 - Intro.wav",
        "Remixes/vocals.wav",  # beside a song: no separator's folder
        "Remixes/Knolls (Remix).wav",
    ]
    for rel in [r for files in skipped.values() for r in files] + kept:
        _audio(lib / rel)
    catalog, _ = _read_kept_and_noticed(lib, tmp_path, skipped, kept, "stems (a song's parts")
    assert catalog.stats["skipped"] == sum(len(files) for files in skipped.values())
