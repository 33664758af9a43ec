"""The audio files a music folder's reader takes as tracks, by suffix (any case), in a module
of their own so that the query side (``recsys.query.library``: is a seed a file?) and the
server's uploads know them without importing the tag readers.

Each decodes through PyAV (``recsys.encoders.media``; ``tests/test_audio_formats.py``):
WavPack, Monkey's Audio, TTA and DSD (.dsf) as well, Apple's audiobooks and ringtones (.m4b,
.m4r), Matroska audio and WebM (yt-dlp's download of a video's best audio is a .webm; of a
real video, its sound is read). Sun/NeXT audio (.au, .snd: GTZAN, the genre dataset of MIR,
ships as .au), AIFF-C, MPEG-1 Layer II (.mp2: broadcast archives) and Apple's Core Audio
files (.caf) too. And what older and niche shelves hold: Musepack (.mpc; .mp+ is its first
name, whose stream versions 4-6 FFmpeg does not decode: such a file is a track that
fails to decode, with a problem line, not one silently left out), TAK (CD images of Japanese
and doujin releases, often with their cue sheet in an APEv2 tag), DSDIFF (.dff, the other DSD
file), Shorten (.shn, live-concert trading archives), Ogg Speex (.spx), Sony Wave64 (.w64) and
RealAudio (.ra; not .rm, mostly RealVideo clips, as .mp4 is left out). And a surround shelf's
elementary streams: Dolby Digital (.ac3, .eac3) and DTS (.dts: a DTS music disc's tracks,
5.1 like a DTS-CD's WAV, which FFmpeg reads as the DTS it holds), which were counted as "not
audio" without a word. Not OptimFROG (.ofr): FFmpeg has no decoder for it.

Not .mp4: mostly videos. Except a stem file (``.stem.mp4``: Native Instruments' format, which
DJs use and MUSDB18, the source-separation dataset, ships in): its first audio stream is the
mix, the one the decoder reads (``media``), and the stems after it are left alone.
"""

from __future__ import annotations

AUDIO_SUFFIXES = (
    ".mp3", ".flac", ".ogg", ".oga", ".opus", ".wav", ".aiff", ".aif", ".m4a", ".aac", ".wma",
    ".wv", ".ape", ".tta", ".dsf", ".m4b", ".m4r", ".mka", ".webm", ".au", ".snd", ".aifc",
    ".mp2", ".caf", ".mpc", ".mp+", ".tak", ".dff", ".shn", ".spx", ".w64", ".ra",
    ".ac3", ".eac3", ".dts",
)
#: suffixes of two parts, tried before the last part alone
COMPOUND_SUFFIXES = (".stem.mp4",)


def audio_suffix(name: str) -> str:
    """The audio suffix a file name ends with, lower-cased (".stem.mp4", ".flac"), or ""."""
    lowered = name.lower()
    for compound in COMPOUND_SUFFIXES:
        if lowered.endswith(compound) and len(lowered) > len(compound):
            return compound
    dot = lowered.rfind(".")
    suffix = lowered[dot:] if dot > 0 else ""
    return suffix if suffix in AUDIO_SUFFIXES else ""


def is_audio_name(name: str) -> bool:
    """Whether a file's name makes it a track: "x.flac", "Artist - Song.stem.mp4"."""
    return bool(audio_suffix(name))


def name_without_suffix(name: str) -> str:
    """A file name without its audio suffix, the whole of a compound one: "Song.stem.mp4" ->
    "Song" (``Path.stem`` would keep ".stem" in the title); another name as ``Path.stem``."""
    suffix = audio_suffix(name)
    if suffix:
        return name[: len(name) - len(suffix)]
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


#: every suffix a track's file may end with, for messages
ALL_AUDIO_SUFFIXES = AUDIO_SUFFIXES + COMPOUND_SUFFIXES


#: what the Internet Archive adds to a derivative's name: "track01_64kb.mp3", "track01_vbr.mp3"
DERIVATIVE_MARKS = ("_64kb", "_vbr", "_128kb", "_256kb", "_320kb")


def recording_name(name: str) -> str:
    """A file's name without its audio suffix and an Internet Archive derivative's mark: the
    name every file of one recording in one folder shares ("track01.flac", "track01.mp3",
    "track01_64kb.mp3" -> "track01")."""
    stem = name_without_suffix(name)
    return stem[: stem.rfind("_")] if stem.endswith(DERIVATIVE_MARKS) else stem
