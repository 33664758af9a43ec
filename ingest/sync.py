"""Which tracks an ingest must encode: the sync of a collection with its catalog.

``plan_sync`` compares the catalog with the payloads stored: tracks gone from the catalog are
removed (unless ``keep_missing``, or the read dropped rows), a moved or renamed file keeps its
vectors, and a track whose fields and files' (size, mtime) are unchanged is skipped without
reading its files. The hashes it writes into each payload are what the next run compares.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence, TypeVar

from recsys.catalog.model import (
    ALBUM_PLACE_FIELD, DERIVED_PAYLOAD_KEYS, DERIVED_RULES, DERIVED_RULES_KEY, SPARSE_DERIVED_KEYS, Catalog, TrackRecord,
    input_source,
)
from ingest import preparation
from recsys.encoders.preparation import PREPARED
from recsys.labels import SAME_ARTIST
from recsys.modalities import AUDIO, IMAGE, TEXT

T = TypeVar("T")


#: payload keys that say where a track is, not what it is: a moved file changes only these
_LOCATION_KEYS = frozenset({"track_id", "audio_path", "cover_path", "source", "path", "relative_path"})


def _fields_hash(track: TrackRecord, salt: str) -> str:
    """Everything that feeds a track's vectors except its files' bytes and where it is (its
    id, its paths): two tracks with equal fields hashes and equal files have equal vectors."""
    h = hashlib.sha256()
    for key, value in sorted(track.payload(derived=False).items()):
        if key not in _LOCATION_KEYS:
            h.update(f"{key}={value!r}\n".encode())
    h.update(track.text_document().encode())
    h.update(f"|audio={track.audio_path is not None}|cover={track.cover_path is not None}|{salt}".encode())
    return h.hexdigest()[:32]


def _file_stat(path: Path | None) -> list[int] | None:
    """[size, mtime_ns] of a source file (None: no file, it cannot be read, or it is not a
    regular file: a FIFO or a device is never opened, so it can never look unchanged)."""
    if path is None:
        return None
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return [int(st.st_size), int(st.st_mtime_ns)]


@dataclass
class SyncPlan:
    """What an ingest changes, decided before anything is encoded or written.

    - added: a track_id the collection does not hold, whose content matches no vanished point;
    - updated: a stored track_id whose content (fields or files' bytes) changed: re-encoded;
    - moved: content unchanged but elsewhere: the same id with another file path, or a new id
      whose content (fields minus id and paths, files' bytes) equals a point whose id left the
      catalog. It keeps that point's vectors; nothing is encoded;
    - refresh: content unchanged, payload rewritten (file touched, or a payload written before
      the sync fields existed); counted as unchanged;
    - removed: stored ids no longer in the catalog (``stale``), unless removal is skipped;
    - retried: content unchanged, but the stored point lacks a vector the track has an input
      for and another recsys made it (an older one made none of a silent middle), or the user
      asks (``--retry-failed``: a file that could not be decoded): encoded again, its other
      vectors from the embedding cache;
    - reprepare: content unchanged (or moved), but a vector's input was decoded or prepared
      otherwise when it was stored (``ingest.preparation``: a 5.1 file before the BS.775
      downmix): that modality encoded again (``reprepared``), the point's other vectors kept.
    """

    salt: str
    added: list[TrackRecord] = field(default_factory=list)
    updated: list[TrackRecord] = field(default_factory=list)
    moved: list[tuple[TrackRecord, str]] = field(default_factory=list)  # (track, stored id it keeps)
    refresh: list[TrackRecord] = field(default_factory=list)
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    retried: list[TrackRecord] = field(default_factory=list)
    reprepare: list[TrackRecord] = field(default_factory=list)
    #: track_id -> the modalities a ``reprepare`` track encodes again (its other vectors kept)
    reprepared: dict[str, frozenset[str]] = field(default_factory=dict)
    #: ``Change`` -> the tracks re-encoded for it (the report's lines: ``preparation.report_lines``)
    prepared_changes: Counter = field(default_factory=Counter)
    #: stored points without a preparation record (before 2026-11-28) met by the sync
    unrecorded: int = 0
    removal_skipped: str | None = None
    #: the files of the points that left (removed, or moved away) as stored (a music folder's ids
    #: are hashes of paths): for people
    stale_files: dict[str, str] = field(default_factory=dict)
    _fields: dict[str, str] = field(default_factory=dict)
    _stats: dict[str, list] = field(default_factory=dict)
    #: cover path -> its ``_file_stat`` (``file_stat``)
    _covers: dict[str, list[int] | None] = field(default_factory=dict)
    #: audio path -> [size, mtime_ns] the catalog's reader took (``Catalog.file_stats``): a file
    #: changed since is seen by the next ingest (its stored stat then differs), never missed
    _read_stats: Mapping[str, list[int]] = field(default_factory=dict)
    _keys: dict[str, str] = field(default_factory=dict)
    #: audio path -> its sound's key, read with the file's digest (``key_many``)
    _sounds: dict[str, str | None] = field(default_factory=dict)
    #: file path -> its digest (``key_many``): the cover's and an unkeyed sound's cache key
    _digests: dict[str, str] = field(default_factory=dict)

    def encodes(self, t: TrackRecord, modality: str) -> bool:
        """Whether the job encodes ``modality`` of ``t``: all of a track to encode, only the
        ``reprepared`` modalities of a ``reprepare`` one (its graph vector kept too)."""
        again = self.reprepared.get(t.track_id)
        return again is None or modality in again

    def fields_hash(self, t: TrackRecord) -> str:
        if t.track_id not in self._fields:
            self._fields[t.track_id] = _fields_hash(t, self.salt)
        return self._fields[t.track_id]

    def file_stat(self, t: TrackRecord) -> list:
        if t.track_id not in self._stats:
            audio = None if t.audio_path is None else self._read_stats.get(str(t.audio_path))
            self._stats[t.track_id] = [audio or _file_stat(t.audio_path), self._cover_stat(t.cover_path)]
        return self._stats[t.track_id]

    def _cover_stat(self, path: Path | None) -> list[int] | None:
        """``_file_stat`` of a cover, once per file: an album's tracks share their cover.jpg
        (a 50,000-track folder: 50,000 stats of 7,000 files)."""
        if path is None:
            return None
        key = str(path)
        if key not in self._covers:
            self._covers[key] = _file_stat(path)
        return self._covers[key]

    def content_key(self, t: TrackRecord, digests: Mapping[str, str] | None = None) -> str:
        """The id- and path-free content hash: the fields hash and the files' bytes (their
        ``file_digest``, taken from ``digests`` where it holds them: ``file_digests``)."""
        if t.track_id not in self._keys:
            self.file_stat(t)  # the stat is taken before the bytes are read
            from recsys.catalog.model import file_digest

            known = digests or {}
            parts = [
                "-" if p is None else known.get(str(p)) or file_digest(p) for p in (t.audio_path, t.cover_path)
            ]
            raw = f"{self.fields_hash(t)}|{'|'.join(parts)}"
            self._keys[t.track_id] = hashlib.sha256(raw.encode()).hexdigest()[:32]
        return self._keys[t.track_id]

    def has_content_key(self, t: TrackRecord) -> bool:
        return t.track_id in self._keys

    def key_many(self, tracks: Sequence[TrackRecord], block: int = 512) -> None:
        """``content_key`` of each track, their files hashed side by side (``file_digests``),
        ``block`` tracks at a time: what ``plan_sync`` asks for every track whose stat changed
        (a tagger that touched a whole library) and every possible move."""
        todo = [t for t in tracks if t.track_id not in self._keys]
        for start in range(0, len(todo), block):
            part = todo[start : start + block]
            for t in part:
                self.file_stat(t)  # the stat before the bytes, as content_key takes them
            # an audio file's sound key comes from the same read as its digest: the chunk reader
            # then need not read the file again for the audio cache (``known_sounds``)
            audio = audio_keys(t.audio_path for t in part if t.audio_path is not None)
            self._sounds.update({p: sound for p, (_, sound) in audio.items()})
            digests = {p: digest for p, (digest, _) in audio.items()}
            digests |= file_digests(t.cover_path for t in part if t.cover_path is not None)
            self._digests.update(digests)
            for t in part:
                self.content_key(t, digests)

    def known_sounds(self, tracks: Iterable[TrackRecord]) -> dict[str, str | None]:
        """The sound keys ``key_many`` read of these tracks' audio files, by path, for the files
        whose (size, mtime) are still those taken before that read: a file rewritten since is
        read again, or the cache would file its new sound's vector under the old sound's key."""
        out: dict[str, str | None] = {}
        for t in tracks:
            path = str(t.audio_path) if t.audio_path is not None else None
            if path in self._sounds and _file_stat(t.audio_path) == self.file_stat(t)[0]:
                out[path] = self._sounds[path]
        return out

    def known_digests(self, tracks: Iterable[TrackRecord]) -> dict[str, str]:
        """The digests ``key_many`` took of these tracks' audio and cover files, by path, on the
        same terms as ``known_sounds``: only for files whose (size, mtime) are still those
        taken before the read."""
        out: dict[str, str] = {}
        for t in tracks:
            for path, then in zip((t.audio_path, t.cover_path), self.file_stat(t)):
                if path is not None and str(path) in self._digests and _file_stat(path) == then:
                    out[str(path)] = self._digests[str(path)]
        return out

    def sync_fields(self, t: TrackRecord, digests: Mapping[str, str] | None = None) -> dict:
        """The payload fields the next ingest compares."""
        return {
            "content_hash": self.content_key(t, digests),
            "fields_hash": self.fields_hash(t),
            "file_stat": self.file_stat(t),
        }

    def as_dict(self) -> dict:
        """The ids of each kind of change, and ``names``: each id as a person finds it (the
        catalog's file or manifest line, a removed point's stored file, a moved one's old file)."""
        from recsys.catalog.trackids import track_label

        listed = (*self.added, *self.updated, *(t for t, _ in self.moved), *self.retried, *self.reprepare)
        names = {t.track_id: track_label(t.track_id, t.source) for t in listed if t.source}
        left = (*self.removed, *(old for t, old in self.moved if old != t.track_id))
        names |= {tid: track_label(tid, self.stale_files[tid]) for tid in left if tid in self.stale_files}
        return {
            "added": [t.track_id for t in self.added],
            "updated": [t.track_id for t in self.updated],
            "moved": [{"from": old, "to": t.track_id} for t, old in self.moved],
            "removed": list(self.removed),
            "retried": [t.track_id for t in self.retried],
            "reprepared": {t.track_id: sorted(self.reprepared[t.track_id]) for t in self.reprepare},
            "names": names,
        }


def _in_catalog(path: str, root: Path | None) -> str:
    """A stored file as a dry run names it: its path in the catalog's folder where it lies
    there (an added track is named so), else as stored."""
    if root is None:
        return path
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


#: threads that read and hash files at once (``file_digests``)
DIGEST_THREADS = 8


def file_digests(paths: Iterable[Path | str]) -> dict[str, str]:
    """``file_digest`` of each path, by ``str(path)``, read and hashed on threads. The reads and
    sha256 let the GIL go, so the files of a chunk hash side by side: one after another in the
    reader's thread, a chunk of FLAC files (30 MB each, 1.7 GB/s of sha256 on one core) alone
    held an ingest to about 55 tracks a second."""
    from recsys.catalog.model import file_digest

    return _on_threads(file_digest, paths)


def audio_keys(paths: Iterable[Path | str]) -> dict[str, tuple[str, str | None]]:
    """(``file_digest``, ``audio_stream_key``) of each audio file, by ``str(path)``, both from
    one read of the file (``audio_file_keys``), on threads as ``file_digests``: what a new
    track needs, its content key and the audio cache's key."""
    from recsys.encoders.audio_key import audio_file_keys

    return _on_threads(audio_file_keys, paths)


def sound_keys(paths: Iterable[Path | str]) -> dict[str, str | None]:
    """``audio_stream_key`` of each path (the hash of its sound without its tags, or None), by
    ``str(path)``, on threads as ``file_digests``: the audio cache's keys of a chunk."""
    from recsys.encoders.audio_key import audio_stream_key

    return _on_threads(audio_stream_key, paths)


def channel_counts(paths: Iterable[Path | str]) -> dict[str, int | None]:
    """``downmix.audio_channels`` of each path (None: not an audio file it reads), by
    ``str(path)``, on threads as ``file_digests``: the files the reader gave no count of, whose
    stored audio vector a change of the downmix may have made stale (``ingest.preparation``)."""
    from recsys.encoders.downmix import audio_channels

    return _on_threads(audio_channels, paths)


def _on_threads(read: Callable[[Path], T], paths: Iterable[Path | str]) -> dict[str, T]:
    """``read`` of each distinct path, by ``str(path)``: reads and hashes let the GIL go."""
    from concurrent.futures import ThreadPoolExecutor

    from recsys.device import available_cpus

    unique = list(dict.fromkeys(str(p) for p in paths))
    threads = min(DIGEST_THREADS, available_cpus(), len(unique))
    if threads <= 1:
        return {p: read(Path(p)) for p in unique}
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="recsys-digest") as pool:
        return dict(zip(unique, pool.map(lambda p: read(Path(p)), unique)))


def _needs_content_key(plan: SyncPlan, t: TrackRecord, old: dict | None) -> bool:
    """Whether ``plan_sync`` compares ``t``'s content hash with the stored one: a stored track
    with sync fields whose place, fields or files' stats changed."""
    if old is None or "fields_hash" not in old:
        return False
    same_place = (old.get("audio_path"), old.get("cover_path")) == _paths(t)
    return not (same_place and old["fields_hash"] == plan.fields_hash(t) and old.get("file_stat") == plan.file_stat(t))


def _lacks_sparse(t: TrackRecord, old: dict) -> bool:
    """Whether ``t`` has the source of a sparse derived field (a composer) its stored payload
    lacks (written before ``composer_norm`` existed); a track without one (None, "" or no
    musicians, ``()``) lacks nothing: a clean track's ``explicit`` is False, and a field all the same. An
    ``album_place`` is compared: it says what the track's album holds besides it, so a sibling
    of its title added or removed changes it while the track's own file is unchanged."""
    return (any(key not in old and getattr(t, source) not in (None, "", ()) for key, source in SPARSE_DERIVED_KEYS.items())
            or old.get(ALBUM_PLACE_FIELD, "") != t.album_place)


def _artist_keys_moved(t: TrackRecord, old: dict) -> bool:
    """Whether the keys the library's MusicBrainz artist ids give ``t`` (``catalog.artistids``)
    are not its stored ones, its file unchanged: another file of its artist, spelled otherwise,
    came or went. Compared only on a track that has them or had them (most have neither)."""
    stored = old.get("artist_key")
    if not (t.id_keys or "artist_as" in old or (isinstance(stored, list) and SAME_ARTIST in stored)):
        return False
    payload = t.payload()
    return stored != payload["artist_key"] or old.get("artist_as") != payload.get("artist_as")


def _paths(t: TrackRecord) -> tuple[str | None, str | None]:
    return (str(t.audio_path) if t.audio_path else None, str(t.cover_path) if t.cover_path else None)


def lacks_vector(track: TrackRecord, stored: dict, modalities: Iterable[str]) -> bool:
    """Whether the stored payload's ``modalities`` (the vectors its point got) lack one of
    ``modalities`` that ``track`` has an input for: a text, a cover, an audio file. A payload
    without the list (written by another tool, or before it existed) lacks nothing."""
    listed = stored.get("modalities")
    if not isinstance(listed, list):
        return False
    return any(m not in listed and m in (TEXT, IMAGE, AUDIO) and input_source(m, track) is not None
               for m in modalities)


#: the payload field that says which recsys made a point's vectors (``plan_sync``'s retries)
MADE_BY = "made_by"

#: every stored payload field ``plan_sync`` reads (the derived keys: only whether they are there):
#: the scan reads these alone of each point, not its whole payload (``StoreBackend.payloads``)
SYNC_KEYS: tuple[str, ...] = (
    "audio_path", "cover_path", "content_hash", "fields_hash", "file_stat", "modalities", MADE_BY, PREPARED,
    *sorted(DERIVED_PAYLOAD_KEYS), *sorted(SPARSE_DERIVED_KEYS),
)


def _retried(t: TrackRecord, old: dict, retry: frozenset[str], made_by: str, retry_all: bool) -> bool:
    """A vector of ``retry`` lacking (``lacks_vector``), and either ``retry_all`` or another
    recsys made the point: the same recsys would fail the same way, and every ingest of a
    library with one broken file would load the models and decode it again."""
    return bool(retry) and (retry_all or old.get(MADE_BY) != made_by) and lacks_vector(t, old, retry)


def plan_sync(
    catalog: Catalog, stored: dict[str, dict], salt: str, *, force: bool = False, keep_missing: bool = False,
    retry: frozenset[str] = frozenset(), made_by: str = "", retry_all: bool = False, prepared: bool = True,
) -> SyncPlan:
    """Compare the catalog with the stored payloads (track_id -> payload). A track whose fields
    and files' (size, mtime) are unchanged is recognised without reading any file; one whose
    point lacks a vector of ``retry`` that it has an input for is retried (``lacks_vector``)
    when another recsys than ``made_by`` made it, or with ``retry_all``. With ``prepared`` (not
    for published vectors), an unchanged or moved track whose vector's input was decoded
    otherwise when it was stored gets that modality encoded again (``ingest.preparation``)."""
    plan = SyncPlan(salt=salt, _read_stats=catalog.file_stats)
    if not force:  # the tracks whose files the loop below must hash: hashed side by side first
        plan.key_many([t for t in catalog.tracks if _needs_content_key(plan, t, stored.get(t.track_id))])
    # the channel counts the verdicts below need and the reader did not give: asked side by
    # side, only of files whose stored audio went through a multichannel step that changed
    records = preparation.Records()
    channels = {} if force or not prepared else channel_counts(
        t.audio_path for t in catalog.tracks
        if records.needs_channels(t, stored.get(t.track_id)))

    def reprepared(t: TrackRecord, old: dict) -> bool:
        """Whether ``t`` (its point ``old``) is put in ``plan.reprepare``: a stale vector."""
        if not prepared or records.current(old):
            return False
        if PREPARED not in old:
            plan.unrecorded += 1
        if str(t.audio_path) not in channels and records.needs_channels(t, old):  # a move's old point
            channels.update(channel_counts([t.audio_path]))
        again = records.stale(t, old, channels)
        if again:
            plan.reprepare.append(t)
            plan.reprepared[t.track_id] = frozenset(again)
            plan.prepared_changes.update(again.values())
        return bool(again)

    fresh: list[TrackRecord] = []
    for t in catalog.tracks:
        old = stored.get(t.track_id)
        if old is None:
            (plan.added if force else fresh).append(t)
            continue
        if force:
            plan.updated.append(t)
            continue
        same_place = (old.get("audio_path"), old.get("cover_path")) == _paths(t)
        if "fields_hash" in old:
            stat_unchanged = not _needs_content_key(plan, t, old)
            if stat_unchanged and _retried(t, old, retry, made_by, retry_all):
                plan.retried.append(t)  # no file read to find it: the payload says what it lacks
                continue
            if stat_unchanged:
                recorded = not prepared or records.current(old)  # the one question of most points
                if not recorded and reprepared(t, old):
                    continue  # its stale vectors encoded again, the others kept
                if (DERIVED_PAYLOAD_KEYS - old.keys() or old.get(DERIVED_RULES_KEY) != DERIVED_RULES
                        or _lacks_sparse(t, old) or _artist_keys_moved(t, old)
                        or not recorded):
                    # written before a derived field (a filter or lookup key) or the preparation
                    # record existed, or by older rules: rewrite the payload with the stored
                    # vectors, so the collection gains it without encoding
                    plan.refresh.append(t)
                plan.unchanged += 1  # the shortcut: no file read
                continue
            same = old.get("content_hash") == plan.content_key(t)
        else:  # written before the sync fields: the id-bound hash of that time
            same = old.get("content_hash") == _track_hash(t, salt)
        if not same:
            plan.updated.append(t)
        elif not same_place:
            plan.moved.append((t, t.track_id))
            reprepared(t, old)  # moved first (the vectors kept), then its stale ones made again
        elif _retried(t, old, retry, made_by, retry_all):
            plan.retried.append(t)
        elif reprepared(t, old):
            pass
        else:
            plan.refresh.append(t)
            plan.unchanged += 1
    in_catalog = {t.track_id for t in catalog.tracks}
    vanished = [tid for tid in stored if tid not in in_catalog]
    # a new id may be a vanished point moved or renamed: same fields (minus id and paths), same bytes
    by_fields = {stored[v].get("fields_hash") for v in vanished if "fields_hash" in stored[v]}
    by_key: dict[str, list[str]] = {}
    for v in vanished:
        if "fields_hash" in stored[v] and stored[v].get("content_hash"):
            by_key.setdefault(stored[v]["content_hash"], []).append(v)
    taken: set[str] = set()
    plan.key_many([t for t in fresh if plan.fields_hash(t) in by_fields])
    for t in fresh:
        if plan.fields_hash(t) in by_fields:  # only candidates have their files hashed
            olds = by_key.get(plan.content_key(t))
            if olds:
                old_id = olds.pop(0)
                taken.add(old_id)
                plan.moved.append((t, old_id))
                reprepared(t, stored[old_id])
                continue
        plan.added.append(t)
    plan.stale = [v for v in vanished if v not in taken]
    # the stored file of each point that left: a removed one's, and a moved one's old place
    # (as the catalog names its tracks: under its folder, the path in it; a file elsewhere, whole)
    plan.stale_files = {v: _in_catalog(str(stored[v]["audio_path"]), catalog.root)
                        for v in vanished if stored[v].get("audio_path")}
    if plan.stale:
        matched = plan.unchanged + len(plan.updated) + len(plan.moved)
        if catalog.kind == "music-folder":
            # a new track of a file the collection holds under other ids (a music folder's id is
            # its file's, "#03" for a track of an album image) is no other catalog: an image split
            # by its cue sheet, or read as one track again once the sheet is gone
            files = {v.split("#")[0] for v in plan.stale}
            matched += sum(1 for t in plan.added if t.track_id.split("#")[0] in files)
        plan.removal_skipped = _removal_veto(catalog, keep_missing, matched)
        if plan.removal_skipped is None:
            plan.removed = list(plan.stale)
    return plan


def _removal_veto(catalog: Catalog, keep_missing: bool, matched: int) -> str | None:
    """Why tracks missing from the catalog must stay, or None when they go. A read that lost
    rows (a problem line that belongs to no track it kept: a bad JSON line, a row without an
    id) may have lost the very tracks that look removed, so it removes nothing; nor does a
    catalog that has not one track in common with the collection (another catalog, or a music
    folder whose disk is not mounted): replacing a collection is deleting it first."""
    if keep_missing:
        return "--keep-missing"
    if not catalog.tracks:
        return "the catalog has no tracks"
    if not matched:
        return "no track of this catalog is in the collection yet (another catalog?); delete the collection to replace it"
    lost = dropped_entries(catalog)
    if lost:
        return f"the catalog read dropped {len(lost)} row(s) or file(s) with problems (first: {lost[0]}); fix them or ingest with --keep-missing"
    return None


def dropped_entries(catalog: Catalog) -> list:
    """The problem lines of entries the catalog read dropped without knowing which track they
    were (a bad JSON line, a row without an id): while there are any, a track missing from the
    catalog may be one of them, so no point is removed. A music folder knows every file it
    drops (a FIFO, an empty file, a link to a folder already read): its track id is its path,
    and none of them is a track whose point should stay."""
    if catalog.kind == "music-folder":
        return []
    kept = {t.source for t in catalog.tracks if t.source}
    return [p for p in catalog.problems if p.where not in kept]


def _track_hash(track: TrackRecord, salt: str) -> str:
    return hashlib.sha256(f"{track.content_hash()}|{salt}".encode()).hexdigest()[:32]
