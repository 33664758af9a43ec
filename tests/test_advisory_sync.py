"""The advisory (the payload's ``advisory``) through the sync: a collection ingested before the
field, or by rules before it (``DERIVED_RULES`` 7), gains it at its next ingest on the tracks
marked explicit and clean alike, nothing encoded; the unmarked ones are untouched."""

from __future__ import annotations

import numpy as np
import pytest

from recsys.catalog.model import DERIVED_RULES, DERIVED_RULES_KEY, TrackRecord
from recsys.store import open_backend
from tests.test_sync import CALLS, _ingest, _points, counting_encoders  # noqa: F401 - the fixture (autouse)

pytest.importorskip("mutagen")


def _library(tmp_path):
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path / "lib"
    tagged_flac(lib / "Drake/Views/01 Hype.flac", TITLE="Hype", ARTIST="Drake", ALBUM="Views", ITUNESADVISORY="1")
    tagged_flac(lib / "Drake/Views/02 Hype (Clean).flac", TITLE="Hype [Clean]", ARTIST="Drake", ALBUM="Views")
    tagged_flac(lib / "Band/Album/01 Song.flac", TITLE="Song", ARTIST="Band", ALBUM="Album")
    return lib


@pytest.mark.parametrize("rules", [DERIVED_RULES, 7], ids=["field-missing", "older-rules"])
def test_a_collection_before_the_advisory_gains_it_without_encoding(tmp_path, rules):
    """Without the field at today's rules too: a clean track's ``explicit`` is False, its
    ``advisory`` a field all the same (the sync's sparse check took False for no source and
    never wrote it)."""
    from recsys.store.base import PointRecord

    lib = _library(tmp_path)
    _ingest(lib, tmp_path)
    backend = open_backend(tmp_path / "store")
    try:
        old = list(backend.scroll("c", with_vectors=True))
        assert sorted(str(p.payload.get("advisory")) for p in old) == ["None", "clean", "explicit"]
        backend.upsert("c", [  # as an ingest before the field wrote them
            PointRecord(p.track_id, p.vectors, {k: v for k, v in p.payload.items() if k != "advisory"}
                        | {DERIVED_RULES_KEY: rules}) for p in old
        ])
    finally:
        backend.close()
    CALLS.clear()
    report = _ingest(lib, tmp_path)
    assert report.ingested == 0 and report.unchanged == 3 and not CALLS
    after = _points(tmp_path)
    for p in old:
        assert after[p.track_id].payload == p.payload  # the advisory back, nothing else changed
        for name, v in p.vectors.items():
            np.testing.assert_array_equal(after[p.track_id].vectors[name], v)


def test_the_rules_were_bumped_for_the_advisory():
    """``advisory`` is out of the hashes: only a new DERIVED_RULES makes an ingest write it on
    a collection of the rules before it (7)."""
    assert DERIVED_RULES >= 8  # 9: the musicians, 10: MusicBrainz artist ids, 12: names in two scripts
    assert TrackRecord("t", "Song", "Band", explicit=True).payload()[DERIVED_RULES_KEY] == DERIVED_RULES
