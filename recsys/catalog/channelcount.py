"""How many channels an audio file has, as the reader's tag read already tells it.

The embedding cache keys a file of more than two channels apart (``encoders.downmix``'s
``CACHE_MARK``, ``ingest.inputs``): its vectors cached before the BS.775 downmix must not be
served. Asking FFmpeg for the count opens the file again, about 2 ms for each file that is
neither FLAC nor MP3, on every cache lookup: a re-ingest of a 10,000-file Opus or AAC library
whose vectors are all cached spent some 20 s on it. mutagen has parsed the codec's header by
the time the reader has the tags, and the tag cache keeps what it gave, so the count comes
with the record (``TrackRecord.file_channels``) at no cost.

The header's count is taken where it is the count FFmpeg decodes:

- any count above two, whatever the format: a file said to be multichannel is keyed apart
  (were the header wrong, a stereo file would only be encoded once more);
- two or fewer only where the header is the codec's own: FLAC's STREAMINFO, Ogg Vorbis' and
  Opus' identification headers, MPEG audio's frame header, an MP4's AAC (its decoder
  configuration), ALAC or AC-3 (its ``dac3``) track, AIFF's ``COMM`` chunk and the DSD files'
  (DSF's ``fmt ``, DSDIFF's ``CHNL``).

Elsewhere the ingest asks FFmpeg, as before: a WAV's ``fmt `` chunk says two channels for a
DTS-CD rip whose data is a 5.1 DTS stream (lib26's), mutagen reads WavPack as mono or stereo
only, an MP4's E-AC-3 track by its sample entry's count (2 for a 5.1 stream), and it reads no
Matroska or DTS file at all.
"""

from __future__ import annotations

from typing import Any

# imported with the module, not at the first file a read opens: a read pauses the cycle
# collector (``musicdir._no_cycle_collection``), and an import's cyclic garbage made then stayed
# to the read's end (a cold read of lib50k peaked 1.7 MB higher)
from mutagen.aiff import AIFFInfo
from mutagen.dsdiff import DSDIFFInfo
from mutagen.dsf import DSFInfo
from mutagen.flac import StreamInfo
from mutagen.mp3 import MPEGInfo
from mutagen.mp4 import MP4Info
from mutagen.oggopus import OggOpusInfo
from mutagen.oggvorbis import OggVorbisInfo

#: MP4 codecs whose channel count mutagen reads from the codec's own configuration
_MP4_CODECS = ("mp4a", "alac", "ac-3")


def header_channels(audio: Any) -> int | None:
    """The channel count of a file mutagen opened (``mutagen.File``'s answer, or None), where
    its header's count is what a decoder gives (see the module); None where the ingest should
    ask FFmpeg."""
    info = getattr(audio, "info", None)
    channels = getattr(info, "channels", None)
    if not isinstance(channels, int) or isinstance(channels, bool) or channels < 1:
        return None
    if channels > 2:
        return channels
    if isinstance(info, (StreamInfo, OggOpusInfo, OggVorbisInfo, MPEGInfo, AIFFInfo, DSFInfo, DSDIFFInfo)):
        return channels
    if isinstance(info, MP4Info) and str(info.codec).startswith(_MP4_CODECS):
        return channels
    return None
