"""Files beside the audio: the folder's cover image and a track's lyrics sidecars.

A track's own picture comes first: an image named as its audio file (``<stem>.jpg``,
``.jpeg`` or ``.webp``: yt-dlp's ``--write-thumbnail`` beside each download; not ``.png``, the
Internet Archive's spectrograms). A cover beside the files is the first of ``cover``,
``folder``, ``front`` (then ``albumart``) with a ``.jpg``, ``.jpeg``, ``.png`` or ``.webp`` suffix, names compared without case (``Cover.JPG``), else
what Windows Media Player leaves: ``AlbumArt_{GUID}_Large.jpg``, then the small ones
(``AlbumArt_{GUID}_Small.jpg``, ``AlbumArtSmall.jpg``, 75x75), else such a name in the album's
scans folder below it (``Scans/Front.jpg``, ``Artwork/cover.jpg``: a vinyl rip's sleeve and
labels scanned, as shares and rippers keep them; a label's "Label A.jpg" is no cover). A file that is empty or that is
no image Pillow knows (a failed download, an HTML page named cover.jpg) is passed over for the
next name, with one problem line for the folder: taken, it failed in the image encoder once for
each track of the album, and ``verify`` sent the user to retry a file that cannot work.

Lyrics: ``<stem>.lrc``, else ``<stem>.txt`` beside the audio file, LRC timestamps and headers
removed, and the credit lines of the Chinese apps' lyrics, whose composer is the track's where
its tags name none (``read_lyrics``, ``lyriccredits``).
"""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from recsys.catalog.discs import is_disc_folder
from recsys.catalog.listing import FolderFiles, folder_text
from recsys.catalog.lyriccredits import LyricCredits, split_credits
from recsys.catalog.model import CatalogProblem, open_regular
from recsys.catalog.suffixes import name_without_suffix
from recsys.catalog.tagtext import repaired

#: Beside-file cover names, best first.
COVER_STEMS = ("cover", "folder", "front", "albumart", "__ia_thumb")  # the last: an Internet Archive item's picture
COVER_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
#: a track's own picture beside it, named as the audio file ("Song [abc123].webp": yt-dlp's
#: ``--write-thumbnail``); not .png, which the Internet Archive names its spectrograms so
TRACK_COVER_SUFFIXES = (".jpg", ".jpeg", ".webp")
#: Windows Media Player's names, after the plain ones: the large picture, then the small ones.
_WMP_LARGE = re.compile(r"^albumart_\{[0-9a-f-]+\}_large$")
_WMP_SMALL = re.compile(r"^albumart(?:_\{[0-9a-f-]+\}_small|small)$")
#: the folders below an album that hold its scanned sleeve, compared without case
SCANS_FOLDERS = frozenset(n.casefold() for n in ("Scans", "Scan", "Artwork", "Art", "Covers", "Cover", "Images", "Pictures"))
#: Sidecar suffixes for lyrics, best first (after the embedded lyrics).
LYRICS_SIDECARS = (".lrc", ".txt")
#: Sidecar text beyond this many bytes is not read (a large .txt is not lyrics).
MAX_SIDECAR_BYTES = 256 * 1024

_LRC_TIME = re.compile(r"[\[<]\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?[\]>]")
_LRC_HEADER = re.compile(r"^\s*\[[A-Za-z#]+:[^\]]*\]\s*$")
_NO_LYRICS = LyricCredits("")


def read_lyrics(text: str) -> LyricCredits:
    """Lyrics as plain text: LRC timestamps (``[01:02.50]``, word-level ``<01:02.50>``) and
    header tags (``[ar:...]``, ``[ti:...]``, ``[offset:...]``) removed, the Chinese apps' credit
    lines ("作词 : 方文山", "曲：周杰伦") and their heading and notice too, with the composers those
    name (``lyriccredits``), line ends normalised, runs of blank lines squeezed to one."""
    headers: dict[str, str] = {}
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _LRC_HEADER.match(line):
            name, _, value = line.strip()[1:-1].partition(":")
            headers.setdefault(name.strip().casefold(), value.strip())
            continue
        lines.append(_LRC_TIME.sub("", line).strip())
    credits = split_credits(lines, headers)
    kept: list[str] = []
    for line in credits.lyrics.split("\n"):
        if line or (kept and kept[-1]):
            kept.append(line)
    return LyricCredits("\n".join(kept).strip(), credits.composers)


def clean_lyrics(text: str) -> str:
    """``read_lyrics``'s text alone."""
    return read_lyrics(text).lyrics


def read_text(path: Path) -> str:
    """A sidecar's text (UTF-8, else a Windows code page read line by line as tags are,
    ``tagtext.repaired``: GBK, Big5, Shift-JIS, Windows-1251..., else Latin-1); "" when it is
    larger than a lyrics file can be. The .lrc files of the 2000s Chinese players (千千静听,
    KuGou) and lyric sites are GBK or Big5: read as Latin-1, "故事的小黄花" was "¹ÊÊÂµÄÐ¡»Æ»¨"
    in the text every song's lyrics are searched by."""
    with open_regular(path) as fh:  # listed as a regular file; never blocks if that changed
        data = fh.read(MAX_SIDECAR_BYTES + 1)
    if len(data) > MAX_SIDECAR_BYTES:
        return ""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        lines = data.decode("latin-1").split("\n")
        # the file's other lines decide a line that reads as GBK and as Big5 alike, as a tag's
        # other values do (a few dozen are enough: one file, one code page)
        beside = [line for line in lines if not line.isascii()][:40]
        codec = _file_code(beside)
        if codec is not None:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass  # a line of another code page: each line read on its own
        return "\n".join(repaired(line, beside) if not line.isascii() else line for line in lines)


#: the code pages ``tagtext.repaired`` reads a line in (its double-byte codes, Cyrillic, the
#: scripts of ``codepages``, Western), the most particular first
_FILE_CODES = ("gb18030", "cp950", "cp932", "cp949", "cp1251", "cp1253", "cp1255", "cp1256", "cp874", "cp1252")
#: how many of a file's lines are repaired one by one to learn its code page: each costs some
#: 0.2 ms, and an 80-line GBK .lrc repaired line by line took 17.5 ms (a Western Windows-1252
#: one 5.6 ms), every read of the library (sidecars are read warm too): 5,000 of them 88 s
_PROBES = 3


def _file_code(lines: list[str]) -> str | None:
    """The code page ``lines`` (a file's non-ASCII lines, read as Latin-1) are written in: the one
    that gives what ``tagtext.repaired`` makes of each of a few of them, spread over the file;
    None where they do not agree on one (a line repaired from UTF-8, two code pages in a file)."""
    agreed: set[str] | None = None
    for line in lines[::max(1, len(lines) // _PROBES)][:_PROBES]:
        fixed = repaired(line, lines)
        raw = line.encode("latin-1")
        fits = set()
        for codec in _FILE_CODES:
            try:
                if raw.decode(codec) == fixed:
                    fits.add(codec)
            except UnicodeDecodeError:
                continue
        agreed = fits if agreed is None else agreed & fits
        if not agreed:
            return None
    return next((c for c in _FILE_CODES if c in agreed), None) if agreed else None


def _cover_rank(path: Path) -> tuple[int, int] | None:
    """Where a file's name stands among cover names (lower is better), or None for none."""
    stem, suffix = path.stem.lower(), path.suffix.lower()
    if suffix not in COVER_SUFFIXES:
        return None
    order = COVER_SUFFIXES.index(suffix)
    if stem in COVER_STEMS:
        return COVER_STEMS.index(stem), order
    if _WMP_LARGE.match(stem):
        return len(COVER_STEMS), order
    if _WMP_SMALL.match(stem):
        return len(COVER_STEMS) + 1, order
    return None


def _unusable_image(path: Path) -> str | None:
    """Why a cover file cannot be a cover (empty, or no image Pillow can identify), or None.
    Only the header is read: a cut JPEG still passes, as an embedded one's first check does."""
    try:
        if path.stat().st_size == 0:
            return "empty file (0 bytes)"
    except OSError as exc:
        return f"cannot read ({exc.strerror or exc})"
    try:
        with Image.open(path) as image:
            image.verify()
    except Exception:  # noqa: BLE001 - Pillow raises OSError, SyntaxError, ValueError... on bad bytes
        return "not an image Pillow can read"
    return None


def _not_a_thumbnail(path: Path) -> str | None:
    """``_unusable_image`` for a track's own picture, from its first bytes alone: a JPEG's or a
    WebP's signature. Each download has one, read on every read of the folder (the tag cache
    does not hold them): Pillow took 0.15 ms a .webp, 7.5 s of a re-read of 50,000 downloads."""
    try:
        with open_regular(path) as fh:
            head = fh.read(12)
    except OSError as exc:
        return f"cannot read ({exc.strerror or exc})"
    if not head:
        return "empty file (0 bytes)"
    if head.startswith(b"\xff\xd8\xff") or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return None
    return "not an image Pillow can read"


class FolderCovers:
    """cover/folder/front images and lyrics sidecars per folder, listed once per folder.
    ``problems`` holds one line per cover file passed over (``_unusable_image``)."""

    def __init__(self, root: Path | None = None, files: FolderFiles | None = None) -> None:
        self._root = root
        #: each folder's file names, shared with the read's other lookups (the cue sheets')
        self._files = files or FolderFiles()
        # keyed by the folder's path as text (``listing.folder_text``): a track's lookups make no Path
        # of its folder (``audio.parent`` three times a track, each hashed and compared anew,
        # was a tenth of a warm read of 50,000 files), a folder met first makes one
        self._seen: dict[str, Path | None] = {}
        self._names: dict[str, dict[str, Path]] = {}
        self._pictures: dict[str, dict[str, Path]] = {}  # per folder: lowercased name -> image file
        self._scans: dict[str, Path | None] = {}  # per folder: the cover of its scans folder
        self.problems: list[CatalogProblem] = []

    def sidecar_lyrics(self, audio: Path) -> LyricCredits:
        """Lyrics from ``<stem>.lrc``, else ``<stem>.txt`` beside ``audio`` (names compared
        case-insensitively), with the composers their credit lines name (``read_lyrics``); no
        text when neither exists or both are empty."""
        key = folder_text(audio)
        names = self._names.get(key)
        if names is None:
            names = self._names[key] = {
                p.name.lower(): p for p in self._files.ending(Path(key), LYRICS_SIDECARS)
                if p.suffix.lower() in LYRICS_SIDECARS
            }
        if not names:  # most folders: no sidecar, no name made
            return _NO_LYRICS
        for suffix in LYRICS_SIDECARS:
            side = names.get(name_without_suffix(audio.name).lower() + suffix)
            if side is not None:
                found = read_lyrics(read_text(side))
                if found.lyrics:
                    return found
        return _NO_LYRICS

    def track_cover(self, audio: Path) -> Path | None:
        """The picture named as ``audio`` beside it (``<stem>.jpg``, ``.jpeg``, ``.webp``; names
        compared case-insensitively) when it is one, else None. A track's own: it comes before
        the folder's cover (two downloads in one folder have two thumbnails)."""
        key = folder_text(audio)
        pictures = self._pictures.get(key)
        if pictures is None:
            pictures = self._pictures[key] = {
                p.name.lower(): p for p in self._files.ending(Path(key), TRACK_COVER_SUFFIXES)
                if p.suffix.lower() in TRACK_COVER_SUFFIXES
            }
        if not pictures:  # most folders: no picture a track could be named as
            return None
        stem = name_without_suffix(audio.name).lower()  # "Song.stem.mp4": "song"
        for suffix in TRACK_COVER_SUFFIXES:
            picture = pictures.get(stem + suffix)
            if picture is not None:
                why = _not_a_thumbnail(picture)
                if why is None:
                    return picture
                self.problems.append(CatalogProblem(self._shown(picture), f"{why}: not used as its track's cover"))
        return None

    def get(self, folder: Path) -> Path | None:
        """The folder's cover: the best-named image file that is one."""
        return self._cover(str(folder), folder)

    def _cover(self, key: str, folder: Path | None = None) -> Path | None:
        """``get`` of the folder whose path is ``key`` (``folder`` itself where the caller has it)."""
        found = self._seen.get(key, self)
        if found is not self:
            return found  # type: ignore[return-value]
        folder = Path(key) if folder is None else folder
        ranked = sorted(
            (rank, p.name, p) for p in self._files.ending(folder, COVER_SUFFIXES)
            if (rank := _cover_rank(p)) is not None
        )
        choice = None
        for _, _, path in ranked:
            why = _unusable_image(path)
            if why is None:
                choice = path
                break
            self.problems.append(CatalogProblem(self._shown(path), f"{why}: not used as the folder's cover"))
        self._seen[key] = choice
        return choice

    def in_scans(self, folder: Path) -> Path | None:
        """The cover in ``folder``'s scans folder ("Scans", "Artwork", "Covers"...; names
        compared without case), listed only for a folder that has no cover of its own."""
        return self._in_scans(str(folder), folder)

    def _in_scans(self, key: str, folder: Path | None = None) -> Path | None:
        found = self._scans.get(key, self)
        if found is not self:
            return found  # type: ignore[return-value]
        folder = Path(key) if folder is None else folder
        # the folders the walk found in it (``listing``): no folder listed a second time
        below = sorted(name for name in self._files.folders(folder) if name.casefold() in SCANS_FOLDERS)
        found = self._scans[key] = next((c for name in below if (c := self.get(folder / name)) is not None), None)
        return found

    def _shown(self, path: Path) -> str:
        if self._root is not None:
            try:
                return path.relative_to(self._root).as_posix()
            except ValueError:
                pass
        return str(path)


def beside_cover(covers: FolderCovers, path: Path, relative: str) -> Path | None:
    """The file's own picture beside it, else the cover/folder/front image beside it; for a
    file in a disc folder (``Album/CD1/01.flac``) without one, the album folder's."""
    found = covers.track_cover(path) or covers._cover(folder_text(path))
    if found is not None:  # most files: their folder's cover
        return found
    folders = relative.split("/")[:-1]
    disc = len(folders) >= 2 and is_disc_folder(folders[-1])
    if disc:
        found = covers.get(path.parent.parent)
    if found is None and folders:  # "Album/Scans/Front.jpg", a disc's album's too
        found = covers._in_scans(folder_text(path)) or (covers.in_scans(path.parent.parent) if disc else None)
    return found
