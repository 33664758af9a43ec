"""``--mixable``: only tracks a DJ can mix into the seed, by the tempo and key its tags give.

A DJ blends the next track into the playing one: both must play at about one tempo (a
turntable's or a controller's pitch fader covers some ±6 %, and beyond that the sound is
audibly sped up) and in keys that sound right together, which the Camelot wheel says: the
same key, one step round the wheel in either direction (a fifth up or down) with the same
letter, or the same number with the other letter (the relative major or minor). So a mixable
track is in one of the four keys of ``tempokey.compatible_keys`` of the (first) seed's key, at
a tempo within ±6 % of the seed's. Half and double time (a 70 BPM track over a 140 one) are
not counted: kept simple, the rule a DJ checks first.

The rule is a filter: it joins the request's own (``--key`` and ``--bpm`` narrow it further)
and the store applies it with its indexes, so the results are the seed's nearest mixable
tracks, not the nearest tracks with the unmixable ones dropped.
"""

from __future__ import annotations

from dataclasses import replace

from recsys.catalog.tempokey import compatible_keys, parse_bpm, parse_key
from recsys.errors import RecsysError
from recsys.store.base import PointRecord, QueryFilter

#: how far a mixable track's tempo may be from the seed's: a pitch fader's usual range
BPM_TOLERANCE = 0.06


def seed_tempo_and_key(seed: PointRecord) -> tuple[float, str]:
    """The seed's (BPM, Camelot key), from its payload; a RecsysError naming what it lacks
    when its tags gave no tempo or no key (``--mixable`` has nothing to match then)."""
    payload = seed.payload
    bpm = parse_bpm(payload.get("bpm")) if payload.get("bpm") is not None else None
    key = parse_key(payload.get("key") or "")
    missing = [what for what, value in (("tempo (BPM)", bpm), ("key", key)) if not value]
    if missing:
        title = payload.get("title") or seed.track_id
        raise RecsysError(
            f"--mixable needs the seed's tempo and key, and the tags of '{title}' give no "
            f"{' and no '.join(missing)}: tag it (rekordbox, Traktor, Mixed In Key) or leave --mixable out"
            " (tagged already? a collection ingested before recsys read these tags lacks them: ingest it again)"
        )
    return bpm, key  # type: ignore[return-value]


def mixable_filter(flt: QueryFilter, seed: PointRecord) -> QueryFilter:
    """``flt`` narrowed to the tracks mixable with ``seed``: its compatible keys (those of
    ``flt.keys`` too, when it has some) and its tempo ±BPM_TOLERANCE (within ``flt``'s own
    tempo range). A RecsysError when the two leave nothing to match."""
    bpm, key = seed_tempo_and_key(seed)
    keys = compatible_keys(key)
    if flt.keys:
        keys = tuple(k for k in keys if k in flt.keys)
    lo, hi = round(bpm * (1 - BPM_TOLERANCE), 2), round(bpm * (1 + BPM_TOLERANCE), 2)
    if flt.bpm_min is not None:
        lo = max(lo, flt.bpm_min)
    if flt.bpm_max is not None:
        hi = min(hi, flt.bpm_max)
    if not keys or lo > hi:
        raise RecsysError(
            f"--mixable with a seed in {key} at {bpm:g} BPM takes keys {', '.join(compatible_keys(key))} at "
            f"{bpm * (1 - BPM_TOLERANCE):.1f}-{bpm * (1 + BPM_TOLERANCE):.1f} BPM: --key or --bpm leaves none of them"
        )
    return replace(flt, keys=keys, bpm_min=lo, bpm_max=hi)


def mixable_note(seed: PointRecord, flt: QueryFilter) -> dict:
    """What ``--mixable`` matched, for the answer (``--json``'s ``mixable``)."""
    bpm, key = seed_tempo_and_key(seed)
    return {"seed": seed.track_id, "bpm": bpm, "key": key, "keys": list(flt.keys),
            "bpm_min": flt.bpm_min, "bpm_max": flt.bpm_max}
