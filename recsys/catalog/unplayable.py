"""Music files recsys cannot decode: MIDI, tracker modules, chiptune dumps, protected iTunes files,
Audible audiobooks, SACD disc images.

They hold notes and instruments, not sound: FFmpeg (PyAV's wheel) has no synthesiser for
them, so they are no tracks. They were counted among "skipped by type (not audio)" with the
covers and playlists, and a person whose folder held a MIDI collection or a demoscene shelf
had no word of why none of it was in the catalog. One problem line a folder and a kind says
how many there are and how to bring them in: render them to an audio file first.

An iTunes Store purchase from before 2009, or a song downloaded from Apple Music, is a ``.m4p``:
its AAC is encrypted with Apple's FairPlay, which only Apple's apps hold the keys to. mutagen
reads its tags, FFmpeg cannot read its sound. It was not even counted as music: a Mac's
library lost its older purchases without a word. It is no track either (no sound to hear or
to encode, and a text-less song recommended by its tags alone could not be played), but it is
named: one line a folder, and how to get a copy recsys can read (iTunes Match, or buying the
song again as iTunes Plus, gives an unprotected ``.m4a``).

Audible's audiobooks (``.aa``, the iPod's format until 2008; ``.aax``, an encrypted ``.m4b``;
``.aaxc``) sit in an iPod's ``F00``..``F49`` beside the songs, and in an old PC's "Audible"
folder: locked to the buyer's account, they were counted as "not audio" without a word. FFmpeg
opens them only with that account's key, which recsys does not hold: named the same way, with
how to unlock one's own copy (``ffmpeg -activation_bytes``, which writes an ``.m4b``).

China's streaming apps save their paid and VIP downloads encrypted, each in a format of its own
that only the app plays: NetEase Cloud Music's ``.ncm`` (its ``VipSongsDownload`` folder), QQ
Music's ``.qmc0``/``.qmcflac``/``.mflac``/``.mgg`` (and Moo Music's ``.bkcmp3``, Tencent's too),
KuGou's ``.kgm``/``.kgma``, Kuwo's ``.kwm``, Ximalaya's ``.x2m``/``.x3m``. A Chinese listener's
library holds dozens of them beside the plain MP3 and FLAC downloads, named as those are
("周杰伦 - 告白气球.qmcflac"). They were counted among "skipped by type (not audio)" with the
covers and lyrics: the songs were gone without a word. They are no tracks (FFmpeg reads none of
them), but named: one line a folder and an app, and what brings them in (the app's plain MP3 or
FLAC download where it offers one, or a converter of the format, such as ncmdump or
unlock-music, where the app's terms allow it). Xiami's ``.xm`` is left out: the suffix is a
tracker module's far more often.

An audiophile keeps an SACD as its disc image (``.iso``, ripped with a PS3 or a Blu-ray player
and sacd_extract) beside the DSD files extracted from others: FFmpeg opens no disc image, and it
was counted as "not audio" without a word. Named the same way, with the command that extracts
its tracks as ``.dsf`` files, which recsys reads.
"""

from __future__ import annotations

from pathlib import PurePosixPath

#: kind -> (suffixes, how to render them)
KINDS = {
    "MIDI file": ((".mid", ".midi", ".kar", ".rmi"), "timidity or fluidsynth"),
    "tracker module": ((".mod", ".xm", ".it", ".s3m", ".mptm", ".669", ".mtm", ".med", ".okt"),
                       "openmpt123, or ffmpeg built with libopenmpt"),
    "chiptune dump": ((".sid", ".nsf", ".nsfe", ".spc", ".vgm", ".vgz", ".gbs", ".ay", ".hes"),
                      "a player of the format (game-music-emu, sidplayfp)"),
    "protected iTunes file": ((".m4p",), ""),
    "Audible audiobook": ((".aa", ".aax", ".aaxc"), ""),
    "NetEase Cloud Music download": ((".ncm",), ""),
    "QQ Music download": ((".qmc0", ".qmc2", ".qmc3", ".qmc4", ".qmc6", ".qmc8", ".qmcflac", ".qmcogg", ".tkm",
                           ".mflac", ".mflac0", ".mflach", ".mgg", ".mgg0", ".mgg1", ".mggl", ".mmp4",
                           ".bkcmp3", ".bkcm4a", ".bkcflac", ".bkcwav", ".bkcape", ".bkcogg", ".bkcwma"), ""),
    "KuGou download": ((".kgm", ".kgma", ".vpr"), ""),
    "Kuwo download": ((".kwm",), ""),
    "Ximalaya download": ((".x2m", ".x3m"), ""),
    "disc image": ((".iso",), ""),
}
#: what the lines say of a Chinese streaming app's encrypted downloads
_APP_LOCKED = ("encrypted by the app, which alone plays {them}; not tracks. The app's plain MP3 or"
               " FLAC download, or a converter of the format (ncmdump, unlock-music) where the app's"
               " terms allow it, gives a file recsys reads")
#: what the lines say of a kind that is sound, but locked (or packed in a disc's image)
_LOCKED = {
    "protected iTunes file": (
        "encrypted with Apple's FairPlay (an iTunes Store purchase before 2009, or an Apple Music download),"
        " which no decoder outside Apple's apps reads; not tracks. iTunes Match, or buying {them} again as"
        " iTunes Plus, gives an unprotected .m4a that recsys reads"),
    "Audible audiobook": (
        "encrypted for the Audible account that bought {them}, whose key recsys does not hold; not tracks."
        " ffmpeg with that account's activation bytes (ffmpeg -activation_bytes XXXXXXXX -i book.aax -c copy"
        " book.m4b) gives an .m4b that recsys reads"),
    **{kind: _APP_LOCKED for kind in ("NetEase Cloud Music download", "QQ Music download", "KuGou download",
                                     "Kuwo download", "Ximalaya download")},
    "disc image": (
        "a whole disc in one file (an SACD's ISO, as audiophiles keep them), which FFmpeg does not open; not"
        " tracks. sacd_extract (sacd_extract -2 -s -i disc.iso) writes {them_its} tracks as .dsf files that recsys reads"),
}
_KIND_OF = {suffix: kind for kind, (suffixes, _) in KINDS.items() for suffix in suffixes}


def unplayable_kind(name: str) -> str | None:
    """The kind of music file ``name`` is that recsys cannot decode; None for any other."""
    return _KIND_OF.get(PurePosixPath(name).suffix.lower())


def unplayable_lines(found: dict[tuple[str, str], list[str]]) -> list[tuple[str, str]]:
    """(folder, message) for each folder and kind: ``found`` maps (folder, kind) to the
    suffixes of the files seen."""
    lines = []
    for (folder, kind), suffixes in sorted(found.items()):
        n, names = len(suffixes), ", ".join(sorted(set(suffixes)))
        how = KINDS[kind][1]
        them = "them" if n > 1 else "it"
        if not how:
            text = _LOCKED[kind].format(them=them, them_its="their" if n > 1 else "its")
            lines.append((folder or ".", f"{n} {kind}{'s' if n > 1 else ''} ({names}): {text}"))
            continue
        lines.append((folder or ".", f"{n} {kind}{'s' if n > 1 else ''} ({names}): notes, not sound, which recsys"
                      f" cannot decode; not tracks. Render {them} to audio (FLAC, Ogg) with {how} to include {them}"))
    return lines
