"""An album image whose cue sheet is in its own tags (``cuesheets.embedded_sheet``):
foobar2000's and EAC's ``CUESHEET`` Vorbis comment in a FLAC, the ``Cuesheet`` APEv2 item of a
WavPack or Monkey's Audio image. Such a file with no ``.cue`` beside it was one track of an
hour, one audio vector for a whole album."""

from __future__ import annotations

from pathlib import Path

import av
import mutagen
import numpy as np
import pytest
from mutagen.apev2 import APEv2

from recsys.catalog import read_catalog
from recsys.catalog.trackids import track_id_for
from tests.test_audio_formats import mux_samples
from tests.test_cue_split import SHEET, SPANS, SR, _image, _samples

NAMES = ["A New Journey", "Aberrations", "Advanced Simulacra", "Awakening"]
ARTISTS = ["Evil Mastermind", "Guest Star", "Evil Mastermind", "Evil Mastermind"]
IMAGE = "Images/Endgame/Evil Mastermind - Endgame Singularity.flac"


def _tagged_image(folder: Path, sheet: str) -> Path:
    """The image of ``test_cue_split`` with its sheet in a ``CUESHEET`` comment, none beside."""
    path = _image(folder, None)
    f = mutagen.File(path)
    f["CUESHEET"] = sheet.replace("\n", "\r\n")  # as EAC wrote it
    f.save()
    return path


def _split(tracks) -> list[tuple]:
    return [(t.title, t.artist, t.album, t.genres, t.year, t.audio_start, t.audio_end) for t in tracks]


def _expected() -> list[tuple]:
    ends = [e for _, e in SPANS[:-1]] + [None]
    return [(name, artist, "Endgame: Singularity", ("Soundtrack",), 2012, start, end)
            for name, artist, (start, _), end in zip(NAMES, ARTISTS, SPANS, ends)]


def test_a_flac_images_sheet_in_its_tags_splits_it(tmp_path):
    """Each TRACK a track with its span, names and the sheet's album, genre and date; ids as a
    sheet beside the file gives them. Its FILE line names "Range.wav": the sheet is this file's."""
    _tagged_image(tmp_path / "lib/Images/Endgame", SHEET)
    catalog = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    assert catalog.problems == []
    assert _split(catalog.tracks) == _expected()
    base = track_id_for(IMAGE)
    assert [t.track_id for t in catalog.tracks] == [f"{base}#{n:02d}" for n in range(1, 5)]
    assert catalog.stats["audio"] == 1


def test_a_sheet_in_the_tags_without_a_file_line_is_read_as_this_files(tmp_path):
    bare = "\n".join(line for line in SHEET.splitlines() if not line.startswith("FILE"))
    _tagged_image(tmp_path / "lib/Images/Endgame", bare)
    catalog = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    assert catalog.problems == [] and _split(catalog.tracks) == _expected()


def test_a_sheet_beside_the_file_wins_over_the_one_in_its_tags(tmp_path):
    path = _tagged_image(tmp_path / "lib/Images/Endgame", SHEET.replace('"A New Journey"', '"Old Name"'))
    path.with_suffix(".cue").write_text(SHEET, encoding="utf-8")
    tracks = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers").tracks
    assert [t.title for t in tracks] == NAMES


def test_a_sheet_in_the_tags_that_cannot_split_the_file_says_so(tmp_path):
    _tagged_image(tmp_path / "lib/Images/Endgame", SHEET.replace("INDEX 01 01:16:30", "INDEX 01 02:16:30"))
    catalog = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    assert [(t.title, t.album, t.audio_start) for t in catalog.tracks] == [("Whole Image", "Endgame: Singularity", None)]
    assert [str(p) for p in catalog.problems] == [
        f"{IMAGE}: the cue sheet in its tags cannot split this file (TRACK 04 starts at 02:16:30, past the"
        " file's end (01:20:00)): it is read as one track"
    ]


@pytest.mark.parametrize("sheet", [
    'FILE "x.wav" WAVE\n  TRACK 01 AUDIO\n    TITLE "Only"\n    INDEX 01 00:00:00\n',  # one track
    "ripped with EAC",  # no sheet at all
    "",
])
def test_a_tag_that_lists_under_two_tracks_splits_nothing(tmp_path, sheet):
    _tagged_image(tmp_path / "lib/Images/Endgame", sheet)
    catalog = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    assert [(t.title, t.audio_start) for t in catalog.tracks] == [("Whole Image", None)] and catalog.problems == []


def test_the_tag_cache_keeps_the_sheet(tmp_path):
    """A second read from the tag cache (the file not opened again) splits it the same."""
    _tagged_image(tmp_path / "lib/Images/Endgame", SHEET)
    first = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers", tag_cache=tmp_path / "tags")
    again = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers", tag_cache=tmp_path / "tags")
    assert _split(again.tracks) == _split(first.tracks) == _expected()


def test_a_wavpack_images_apev2_cuesheet_splits_it(tmp_path):
    """WavPack (and Monkey's Audio) images carry the sheet as an APEv2 "Cuesheet" item."""
    folder = tmp_path / "lib/Images/Endgame"
    folder.mkdir(parents=True)
    wv = folder / "Evil Mastermind - Endgame Singularity.wv"
    try:
        av.codec.Codec("wavpack", "w")
    except Exception:  # noqa: BLE001 - an FFmpeg built without it
        pytest.skip("this FFmpeg has no wavpack encoder")
    with av.open(str(wv), "w", format="wv") as out:
        stream = out.add_stream("wavpack", rate=SR, layout="mono")
        mux_samples(out, stream, _samples()[None, :].astype(np.float32), SR, "mono")
    tags = APEv2()
    tags["Artist"], tags["Cuesheet"] = "Tag Artist", SHEET
    tags.save(wv)
    catalog = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    assert catalog.problems == [] and _split(catalog.tracks) == _expected()


def test_a_long_flacs_cuesheet_block_is_read_as_its_chapters(tmp_path):
    """``flac --cuesheet`` writes the sheet as a CUESHEET metadata block (sample offsets, no
    titles): FFmpeg gives its tracks as chapters, which split a file of 10 minutes or more."""
    from mutagen.flac import FLAC, CueSheet, CueSheetTrack, CueSheetTrackIndex
    import soundfile as sf

    folder = tmp_path / "lib/Rips"
    folder.mkdir(parents=True)
    path = folder / "image.flac"
    sf.write(path, np.zeros(SR * 660, dtype=np.int16), SR, format="FLAC", subtype="PCM_16")
    f = FLAC(path)
    f["title"], f["album"], f["artist"] = "Image", "Long Album", "Band"
    block = CueSheet(None)
    block.media_catalog_number, block.lead_in_samples, block.compact_disc = b"", SR * 2, True
    for number, start in ((1, 0), (2, 200), (3, 420)):
        track = CueSheetTrack(number, start * SR)
        track.indexes = [CueSheetTrackIndex(1, 0)]
        block.tracks.append(track)
    block.tracks.append(CueSheetTrack(170, 660 * SR))  # the lead-out
    f.metadata_blocks.append(block)
    f.save()
    catalog = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    assert [(t.title, t.album, t.artist, t.audio_start, t.audio_end) for t in catalog.tracks] == [
        ("Image (track 1)", "Long Album", "Band", 0.0, 200.0),
        ("Image (track 2)", "Long Album", "Band", 200.0, 420.0),
        ("Image (track 3)", "Long Album", "Band", 420.0, None),
    ]


def test_a_tak_images_apev2_cuesheet_splits_it(tmp_path):
    """TAK, the format of many Japanese and doujin CD images, keeps its sheet in an APEv2
    "Cuesheet" item too. FFmpeg writes no TAK: the file is a hand-made header of the image's
    length (``tests.support.handmade_audio``), enough for the split, which needs no decode."""
    from tests.support.handmade_audio import write_tak_header

    tak = write_tak_header(tmp_path / "lib/Images/Endgame/Evil Mastermind - Endgame Singularity.tak", 80.0,
                           rate=SR, channels=1)
    tags = APEv2()
    tags["Artist"], tags["Cuesheet"] = "Tag Artist", SHEET
    tags.save(tak)
    catalog = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    assert catalog.problems == [] and _split(catalog.tracks) == _expected()
