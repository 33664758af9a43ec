"""The audio files a music folder's reader takes as tracks, by suffix (any case), in a module
of their own so that the query side (``recsys.query.library``: is a seed a file?) and the
server's uploads know them without importing the tag readers.

Each decodes through PyAV (``recsys.encoders.media``; ``tests/test_audio_formats.py``):
WavPack, Monkey's Audio, TTA and DSD (.dsf) as well, Apple's audiobooks and ringtones (.m4b,
.m4r), Matroska audio and WebM (yt-dlp's download of a video's best audio is a .webm; of a
real video, its sound is read). Not .mp4: mostly videos.
"""

from __future__ import annotations

AUDIO_SUFFIXES = (
    ".mp3", ".flac", ".ogg", ".oga", ".opus", ".wav", ".aiff", ".aif", ".m4a", ".aac", ".wma",
    ".wv", ".ape", ".tta", ".dsf", ".m4b", ".m4r", ".mka", ".webm",
)
