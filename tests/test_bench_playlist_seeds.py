"""bench/bench_playlist_seeds.py measures what it says: its store's playlist, exported with
another machine's paths, is found whole (its missing entries named), by file and by name."""

from __future__ import annotations

from tests.support.bench_modules import load_bench


def test_the_benchmarks_playlist_is_found_by_file_and_by_name(tmp_path):
    from recsys.query.library import Library
    from recsys.query.playlistseeds import library_playlist_seeds, playlist_file_seeds
    from recsys.store import open_backend

    bench = load_bench("bench_playlist_seeds")
    members = bench.build_store(tmp_path, 800, 70)  # 100 tracks of its 5 styles
    assert {bench._style(i) for i in members} <= set(bench.STYLES)
    m3u = tmp_path / "road-trip.m3u8"
    bench.write_m3u8(m3u, members)
    backend = open_backend(str(tmp_path / "store"))
    try:
        lib = Library(backend, "bench")
        by_file = playlist_file_seeds(lib, str(m3u))
        assert by_file.track_ids == tuple(f"t{i:07d}" for i in members)
        assert len(by_file.missing) == 2 and all("Not Here" in m for m in by_file.missing)
        by_name = library_playlist_seeds(lib, "road trip")
        assert by_name.name == "Playlists/Road Trip" and set(by_name.track_ids) == set(by_file.track_ids)
    finally:
        backend.close()
