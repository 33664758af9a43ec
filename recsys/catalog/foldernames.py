"""An artist's folder whose tags name him by his longer names: one artist.

An artist renamed over his career is tagged as each record's sleeve named him, and a collector
files the records in one folder by his best-known name: ``Fela Kuti/`` holds "Fela Ransome-Kuti
and the Africa '70" (1972), "Fela Anikulapo Kuti & Africa 70" (1975) and "Fela Kuti" (a
reissue); ``John Williams/`` a "John Towner Williams". ``label_key`` keys the letters, so a real
Afrobeat library's artist facet showed Fela in four rows, ``--artist "Fela Kuti"`` found half of
his records, and "Zombie", "Lady" and "Water No Get Enemy", each on two of his records, were
errors naming two artists.

The folder is the witness: a name in the artist folder (``folderlayout``'s artist) that is the
folder's name with names added between its first and last words ("Fela Anikulapo Kuti"), or a
last word joined to another by a hyphen ("Fela Ransome-Kuti"), is the folder's artist; a
one-word folder ("Franco/") takes a longer name begun with it ("Franco Luambo Makiadi"). Of a
leader's band ("... & Egypt 80", "... and the Africa '70") the leader's name is read
(``leaders``' joins) and credited as ``leaders`` credits a leader the library names. The names
become one as ``artistids`` makes an id's spellings one: the same evidence
(``TrackRecord.artist_ids``) with an id of its own ("folder:" and the folder's key). A first or
last name that differs is another person ("Femi Kuti" under ``Fela Kuti/``, "Mulatu Astatqé"
under ``Mulatu Astatke/``: another spelling, not another name); names a MusicBrainz id places keep
theirs; names as tagged are never changed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from recsys.catalog.folderlayout import folder_layout
from recsys.catalog.model import TrackRecord, with_fields
from recsys.labels import label_key

#: the mark of the ids this module gives (``artistids`` keys a name by them as by MusicBrainz's)
FOLDER_ID = "folder:"
#: a leader and his band, or two leaders ("Fela Kuti & Africa 70", "Fela Ransome-Kuti and the
#: Africa '70", "Ali Farka Touré with Ry Cooder")
_JOIN = re.compile(r"\s+(?:&|and|with|et|x|feat\.?|ft\.?|featuring)\s+|\s*,\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _words(name: str) -> list[str]:
    return [label_key(w) for w in _WORD.findall(name)]


def folder_name_of(name: str, folder: str) -> bool:
    """Whether ``name`` is the artist ``folder`` names, by a longer name (see the module)."""
    have, want = _words(name), _words(folder)
    if not want or len(have) <= len(want) or have[0] != want[0]:
        return False
    return len(want) == 1 or have[-1] == want[-1]


def _leader(name: str) -> str:
    return _JOIN.split(name, maxsplit=1)[0].strip()


def folder_spellings(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks``, the longer names of each artist folder's artist given the folder's id
    (``TrackRecord.artist_ids``, "folder:" and its key) beside its own name, for
    ``artistids.same_artists`` to key them as one; a band led by such a name credits him too."""
    placed = {label_key(n) for t in tracks for n, _ in t.artist_ids}
    longer: dict[str, str] = {}  # a longer name's key -> its folder's key
    folders: dict[str, str] = {}  # a folder's key -> its name as written
    for t in tracks:
        folder = folder_layout(t.source)[0]
        if not folder:
            continue
        for name in {t.artist, t.album_artist, *t.artists}:
            lead = _leader(name) if name else ""
            if lead and label_key(lead) not in placed and label_key(folder) not in placed and folder_name_of(lead, folder):
                longer.setdefault(label_key(lead), label_key(folder))
                folders.setdefault(label_key(folder), folder)
    if not longer:
        return tracks  # no artist folder names its artist by a longer name (most libraries)
    out: list[TrackRecord] = []
    for t in tracks:
        credited = t.artists or (t.artist,)
        have = {label_key(a) for a in credited}
        # the leader of a band a longer name leads ("Fela Ransome-Kuti and the Africa '70")
        leads = [lead for n in credited if n and (lead := _leader(n)) != n and label_key(lead) in longer]
        new = tuple(dict.fromkeys(lead for lead in leads if label_key(lead) not in have))
        names = [*credited, *new]
        ids = tuple((n, FOLDER_ID + (longer.get(label_key(n)) or label_key(n))) for n in dict.fromkeys(names)
                    if label_key(n) in longer or label_key(n) in folders)
        if new:
            t = replace(t, artists=tuple(names) if t.artists else (t.artist, *new))
        out.append(with_fields(t, artist_ids=t.artist_ids + ids) if ids else t)
    return out
