"""A composer tagged by surname alone, "Beethoven", where the library names him in full.

iTunes' Gracenote and old rippers fill the composer with the surname ("Beethoven", "Mozart");
Picard and the sleeve give "Ludwig van Beethoven". In a collector's library the two are one
person: as two composer nodes in the graph, Harnoncourt's Fifth (composer "Beethoven") met
neither Karajan's nor Kleiber's (composer "Ludwig van Beethoven") there, the very link the
composer tag is read for (``encoders.graph.composer_node``).

A one-word composer becomes the library's full name whose last word it is (compared as
``normalise_title`` makes them: case, accents), when exactly one full name has it: "Bach"
stays "Bach" in a library with Johann Sebastian and Carl Philipp Emanuel, and "Beethoven"
stays as tagged in a library with no full name to vouch for it. Only the composer: an artist
tagged "Beethoven" (an old rip's) is who the tag says played it, and stays.
"""

from __future__ import annotations

from dataclasses import replace

from recsys.catalog.composerlists import band_of_words, composer_people
from recsys.catalog.model import TrackRecord, normalise_title


def full_composer_names(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """The tracks, a one-word composer read as the one full name the library has for it."""
    full: dict[str, set[str]] = {}  # surname -> the full names (as spelled) that end with it
    alone: set[str] = set()
    tags = {t.composer for t in tracks if t.composer}  # each tag once: a library has few
    # the last words of the library's full names: "Ellington, Tizol & Mills" beside "Duke
    # Ellington" is three surnames (``composerlists``), no full name of a "Mills"
    surnames = {normalise_title(p).split()[-1] for tag in tags if not band_of_words(tag)
                for p in composer_people(tag) if len(normalise_title(p).split()) > 1}
    for tag in tags:
        # a list's people, not the list: "Lennon/McCartney" is no full name of a "McCartney"
        for person in composer_people(tag, surnames=lambda w: normalise_title(w) in surnames):
            words = normalise_title(person).split()
            if len(words) == 1 and person == tag:
                alone.add(words[0])
            elif len(words) > 1:
                full.setdefault(words[-1], set()).add(person)
    mapping = {s: next(iter(full[s])) for s in alone if len(full.get(s, ())) == 1}
    if not mapping:
        return tracks
    out: list[TrackRecord] = []
    for track in tracks:
        words = normalise_title(track.composer).split()
        if len(words) == 1 and words[0] in mapping:
            track = replace(track, composer=mapping[words[0]])
        out.append(track)
    return out
