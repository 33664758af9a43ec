"""What an eighteenth pass over real music (a vinyl and cassette digitiser's) found in the results'
dedup: whole sides and tapes titled "Side A", "Tape 1 - Side 2", and a second rip's "rip2"."""

from __future__ import annotations

from recsys.catalog.model import TrackRecord
from recsys.query.library import Picker
from recsys.query.titlekeys import base_title
from recsys.store.base import Hit


# ---- the results' dedup ----------------------------------------------------------------------


def _hits(tracks: list[TrackRecord]) -> list[Hit]:
    return [Hit(t.track_id, 1.0 - i / 100, t.payload()) for i, t in enumerate(tracks)]


def test_two_albums_sides_are_two_songs():
    tracks = [
        TrackRecord(track_id="animals-a", title="Side A", artist="Pink Floyd", album="Animals"),
        TrackRecord(track_id="meddle-a", title="Side A", artist="Pink Floyd", album="Meddle"),
        TrackRecord(track_id="legend-1", title="Side 1", artist="Bob Marley & The Wailers", album="Legend"),
        TrackRecord(track_id="exodus-1", title="Side 1", artist="Bob Marley & The Wailers", album="Exodus"),
        TrackRecord(track_id="cure", title="Tape 1 - Side 2", artist="The Cure", album="Standing on a Beach"),
        TrackRecord(track_id="cure2", title="Tape 1 - Side 2", artist="The Cure", album="Staring at the Sea"),
    ]
    picker = Picker()
    assert [h.track_id for h in _hits(tracks) if picker.take(h)] == [t.track_id for t in tracks]


def test_a_second_rip_is_the_song_again():
    assert base_title("Dreams rip2") == base_title("Dreams (rip 2)") == base_title("Dreams")
    assert base_title("Black Dog 2nd rip") == base_title("Black Dog - declicked") == "black dog"
    assert base_title("Let It Rip") == "let it rip" and base_title("Rip 2") == "rip 2"
    tracks = [TrackRecord(track_id="1", title="Dreams", artist="Fleetwood Mac"),
              TrackRecord(track_id="2", title="Dreams rip2", artist="Fleetwood Mac")]
    picker = Picker()
    assert [h.track_id for h in _hits(tracks) if picker.take(h)] == ["1"]
