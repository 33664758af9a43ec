"""A seed as a listener gives it, found in the collection: a track id, an audio file of this
machine, or a title (exact by the store's keyword index, fuzzy by its full-text index, else
by the title index of every track, read once)."""

from __future__ import annotations

import os
from pathlib import Path

from recsys.catalog.model import ALBUM_PLACE_FIELD, ARTISTS_AS_FIELD, TITLE_SORT_FIELD
from recsys.catalog.suffixes import is_audio_name
from recsys.collection import CollectionMeta
from recsys.errors import NotFoundError
from recsys.labels import label_key
from recsys.store.base import PointRecord, QueryFilter, StoreBackend
from recsys.query.titlekeys import normalise
from recsys.query.titlepick import AmbiguousTitleError, TitleEntry, pick
from recsys.query.titles import TitleIndex, artist_keys

#: The payload field holding ``titlekeys.normalise(title)`` (written at ingest by
#: ``TrackRecord.payload``, keyword-indexed): exact title seeds are one filtered scroll on it.
TITLE_KEY = "title_norm"
#: The payload field with a full-text (BM25) index that a fuzzy title's candidates come from,
#: and how many of them the fuzzy matcher scores (the best by BM25)
TITLE_TEXT_FIELD = "title"
FUZZY_CANDIDATES = 500


def looks_like_path(seed: str) -> bool:
    return "/" in seed or os.sep in seed or is_audio_name(seed)  # an audio file's name is never a title


#: the payload fields a ``TitleEntry`` is made of: a pass over every title reads these alone
ENTRY_KEYS: tuple[str, ...] = ("title", "artist", "audio_path", "artists", "recording_id", "album", ALBUM_PLACE_FIELD,
                               "artist_as", "composer", TITLE_SORT_FIELD, ARTISTS_AS_FIELD)


def title_entry(p: PointRecord) -> TitleEntry:
    credited = p.payload.get("artists")
    return TitleEntry(
        p.track_id,
        str(p.payload.get("title", "")),
        str(p.payload.get("artist", "")),
        str(p.payload["audio_path"]) if p.payload.get("audio_path") else None,
        # an artist radio takes the songs an artist is featured on, after its own
        tuple(str(a) for a in credited) if isinstance(credited, list) else (),
        str(p.payload.get("recording_id") or ""),
        str(p.payload.get("album") or ""),
        str(p.payload.get(ALBUM_PLACE_FIELD) or ""),
        str(p.payload.get("artist_as") or ""),
        # a composed work's performance ("Berliner Philharmoniker, Herbert von Karajan"), as the dedup reads it
        bool(p.payload.get("composer")),
        str(p.payload.get(TITLE_SORT_FIELD) or ""),
        tuple(str(a) for a in known) if isinstance(known := p.payload.get(ARTISTS_AS_FIELD), list) else (),
    )


def _place_in_file(entry: TitleEntry) -> tuple[int, str]:
    """A track of an album or a mix in one file by its number there (its id's "#03"); others last."""
    number = entry.track_id.rpartition("#")[2]
    return (int(number), entry.track_id) if "#" in entry.track_id and number.isdigit() else (1 << 30, entry.track_id)


class SeedLookup:
    """Library's seed lookup (a mixin: it uses the Library's ``backend``, ``name``, ``meta``
    and ``files``, and keeps the title index it reads in ``_titles``)."""

    backend: StoreBackend
    name: str
    meta: CollectionMeta
    files: bool
    _titles: TitleIndex | None
    _title_keys: bool | None

    def titles(self) -> TitleIndex:
        """Every track's (id, title, artist, audio file): a scroll of the whole collection,
        made once and only when needed (fuzzy titles, audio files, artist radios, and every
        title of a collection ingested before ``title_norm`` existed)."""
        if self._titles is None:
            self._titles = TitleIndex(
                title_entry(p) for p in self.backend.payloads(self.name, ENTRY_KEYS)
            )
        return self._titles

    def has_title_keys(self) -> bool:
        """Whether every point carries ``title_norm`` (collections ingested before it do not):
        one exact count of the points lacking it, remembered."""
        if self._title_keys is None:
            self._title_keys = self.backend.count(self.name, flt=QueryFilter(missing=(TITLE_KEY,))) == 0
        return self._title_keys

    def find(self, seed: str, artist: str | None = None) -> TitleEntry:
        """One seed: an exact track id, else an audio file (with ``files``), else a title (an
        exact title is one filtered scroll on ``title_norm``; only a fuzzy one reads every title)."""
        entry = self._by_id(seed)
        if entry is not None:
            return entry
        if self.files and looks_like_path(seed):
            entry = self._by_path(seed)
            if entry is not None:
                return entry
            if Path(seed).expanduser().exists() or is_audio_name(seed):
                raise NotFoundError(f"no track of collection '{self.name}' has the audio file '{seed}'")
        if self._titles is None and self.has_title_keys():
            entry = self._exact_title(seed, artist) or self._fuzzy_title(seed, artist)
            if entry is not None:
                return entry
        try:
            return self.titles().resolve(seed, artist)
        except NotFoundError:
            if self.backend.count(self.name) == 0:  # asked only when nothing matched
                raise NotFoundError(f"collection '{self.name}' has no tracks yet (an ingest stopped before"
                                    " writing any?); run `recsys ingest`") from None
            raise

    def _fuzzy_title(self, seed: str, artist: str | None) -> TitleEntry | None:
        """``TitleIndex.resolve``'s fuzzy step over candidates from the store's full-text
        index on titles (the FUZZY_CANDIDATES titles sharing the most words with the seed, by
        BM25; with ``artist``, only that artist's). None when the store has no such index, or
        no title shares a word with the seed (a typo in every word): the caller then reads
        every title."""
        flt = QueryFilter(artists=(artist,)) if artist else None
        found = self.backend.text_search(self.name, TITLE_TEXT_FIELD, seed, FUZZY_CANDIDATES, flt)
        if not found:
            return None
        return TitleIndex(title_entry(p) for p in found).resolve(seed, artist)

    def _by_id(self, seed: str) -> TitleEntry | None:
        """The track whose id is exactly ``seed``: one point lookup."""
        if self._titles is not None:
            return self._titles.by_id(seed)
        for p in self.backend.retrieve(self.name, [seed], with_vectors=False):
            if p.track_id == seed:
                return title_entry(p)
        return None

    def _exact_title(self, seed: str, artist: str | None) -> TitleEntry | None:
        """``TitleIndex.resolve``'s exact step, answered by the store: the tracks whose
        normalised title is the seed's (with ``artist``: crediting exactly that normalised artist).
        None when there are none, and the caller falls back to the full index (fuzzy titles,
        or an artist only close to the one given)."""
        q = normalise(seed)
        if not q:
            return None
        flt = QueryFilter(match=((TITLE_KEY, (q,)),))
        found = [title_entry(p) for p in self.backend.payloads(self.name, ENTRY_KEYS, batch_size=256, flt=flt)]
        if artist:
            # the artist's own song first, else one it is featured on (TitleIndex.resolve)
            # as the artist filter matches it ("acdc" for "AC/DC", "blackpink" for "BLACKPINK(블랙핑크)")
            want = label_key(artist)
            found = ([e for e in found if want in artist_keys((e.artist, *e.artists[:1]))]
                     or [e for e in found if want in artist_keys(e.artists[1:]) - artist_keys((e.artist, *e.artists[:1]))])
        return pick(seed, found) if found else None

    def _by_path(self, seed: str) -> TitleEntry | None:
        """The track whose payload ``audio_path`` is the file ``seed``, compared as absolute
        paths (a relative stored path is tried from the current folder and the catalog)."""
        root = Path(self.meta.catalog_path).expanduser() if self.meta.catalog_path else None
        if root is not None and not root.is_absolute():
            root = Path.cwd() / root

        def forms(path: str, stored: bool) -> set[str]:
            p = Path(path).expanduser()
            if p.is_absolute():
                return {os.path.normpath(p)}
            out = {os.path.normpath(Path.cwd() / p)}
            if root is not None:
                out.add(os.path.normpath(root / p))
                if stored and self.meta.catalog_path:
                    try:  # stored with the catalog's own relative prefix
                        out.add(os.path.normpath(root / p.relative_to(Path(self.meta.catalog_path))))
                    except ValueError:
                        pass
            return out

        want = forms(seed, stored=False)
        want |= {os.path.realpath(w) for w in want if os.path.exists(w)}
        found = [e for e in self.titles().entries if e.audio_path and forms(e.audio_path, stored=True) & want]
        if len(found) > 1:  # an album or a mix in one file, read as its cue sheet's or chapters' tracks: which one?
            found.sort(key=_place_in_file)  # "#01", "#02"...: in the file's order
            raise AmbiguousTitleError(
                seed, found,
                how="The file holds several tracks (an album or a mix, split by its cue sheet or its"
                " chapters): give a title",
            )
        return found[0] if found else None
