"""The one line a folder's files that are no tracks by design get: a DJ software's sampler
sounds, a producer's loops and takes, a song's stems (``djfolders``, ``dawfolders``,
``stemfiles``). One wording, so that `recsys verify` and the ingest table list them alike."""

from __future__ import annotations


def not_music_line(n: int, noun: str, what: str, why: str) -> str:
    """"3 stems (what they are), not music (why not); not tracks. Move them out of this folder
    to include them": ``n`` files, ``noun`` in the singular."""
    them = "them" if n > 1 else "it"
    return (f"{n} {noun}{'s' if n > 1 else ''} ({what}), not music ({why}); not tracks."
            f" Move {them} out of this folder to include {them}")
