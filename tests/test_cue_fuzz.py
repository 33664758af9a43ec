"""Cue sheets as people's tools and hands leave them: hypothesis writes sheets from the lines a
sheet has (FILE, TRACK, INDEX, TITLE, PERFORMER, REM) in any order and with any values, and
``parse_cue`` / ``split_tracks`` either split the image into tracks whose spans follow one
another, or say in one line why not; nothing raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recsys.catalog.cuesheets import parse_cue, split_tracks
from recsys.catalog.model import TrackRecord

_TIME = st.one_of(
    st.builds(lambda m, s, f: f"{m:02d}:{s:02d}:{f:02d}", st.integers(0, 120), st.integers(0, 61), st.integers(0, 80)),
    st.sampled_from(["", "1:2", "aa:bb:cc", "00:00:00:00", "-1:00:00", "99999999999:00:00"]),
)
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_LINE = st.one_of(
    st.builds(lambda n: f'FILE "{n}" WAVE', st.sampled_from(["image.flac", "Range.wav", "other.ape", ""])),
    st.builds(lambda n, kind: f"  TRACK {n:02d} {kind}", st.integers(0, 120), st.sampled_from(["AUDIO", "MODE1/2352", "audio"])),
    st.builds(lambda i, t: f"    INDEX {i:02d} {t}", st.sampled_from([0, 1, 1, 1, 2]), _TIME),
    st.builds(lambda t: f'    TITLE "{t}"', _TEXT),
    st.builds(lambda t: f"    PERFORMER {t}", _TEXT),
    st.builds(lambda t: f"REM GENRE {t}", _TEXT),
    st.builds(lambda t: f'REM DATE "{t}"', _TEXT),
    _TEXT,
)


def _frames(f: int) -> str:
    return f"{f // 4500:02d}:{f // 75 % 60:02d}:{f % 75:02d}"


@st.composite
def _ripped(draw) -> list[str]:
    """A sheet as EAC writes it (pregaps, titles, performers), then edited by hand: lines
    dropped, swapped or repeated."""
    lines = ['REM GENRE "Soundtrack"', 'PERFORMER "Someone"', 'TITLE "The Album"', 'FILE "image.flac" WAVE']
    at = draw(st.integers(0, 300))
    for n in range(1, draw(st.integers(2, 12)) + 1):
        lines += [f"  TRACK {n:02d} AUDIO", f'    TITLE "{draw(_TEXT)}"']
        if draw(st.booleans()):
            lines.append(f"    INDEX 00 {_frames(max(0, at - 150))}")
        lines.append(f"    INDEX 01 {_frames(at)}")
        at += draw(st.integers(1, 30_000))
    for _ in range(draw(st.integers(0, 3))):
        i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["drop", "swap", "repeat", "keep"]))
        if edit == "drop":
            del lines[i]
        elif edit == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif edit == "repeat":
            lines.insert(j, lines[i])
        if not lines:
            break
    return lines


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.one_of(st.lists(_LINE, max_size=40), _ripped()),
       length=st.one_of(st.none(), st.floats(1.0, 100_000.0)))
def test_a_sheet_splits_into_spans_that_follow_one_another_or_says_why_not(lines, length):
    sheet = parse_cue("\n".join(lines), "image.cue")
    if sheet is None:
        assert not any(line.startswith("FILE") for line in lines)
        return
    image = TrackRecord(track_id="f1", title="Image", artist="A", source="image.flac")
    if sheet.error is None and not sheet.tracks:
        return  # no audio track: the reader never takes such a sheet for an image (folder_sheets)
    split = split_tracks(image, sheet, length)
    if isinstance(split, str):
        assert split and "\n" not in split
        return
    assert len({t.track_id for t in split}) == len(split) == len(sheet.tracks)
    for before, after in zip(split, split[1:]):
        assert before.audio_end == after.audio_start and before.audio_start < after.audio_start
    assert split[-1].audio_end is None and all(t.title for t in split)
    if length is not None:
        assert split[-1].audio_start < length
