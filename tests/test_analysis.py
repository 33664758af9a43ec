"""recsys export and recsys map on a small ingested catalog."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from PIL import Image

from cli.main import main
from recsys.store import open_backend

TINY_ARGS = ["--text-encoder", "tiny-text", "--image-encoder", "tiny-image", "--audio-encoder", "tiny-audio"]


@pytest.fixture(scope="module")
def home(tmp_path_factory, sample_catalog_master):
    from tests.support.tiny_encoders import register_tiny_encoders

    register_tiny_encoders()
    h = tmp_path_factory.mktemp("home")
    assert main(["ingest", str(sample_catalog_master), "-c", "sample", "--home", str(h), *TINY_ARGS, "--json"]) == 0
    return h


def _stored(home, using):
    b = open_backend(home / "store")
    try:
        return {p.track_id: p for p in b.scroll("sample", with_vectors=True)}, b.count("sample", using=using)
    finally:
        b.close()


@pytest.mark.parametrize("using", ["text", "fused"])
def test_export_npy_with_ids_sidecar(home, tmp_path, capsys, using):
    out = tmp_path / "v.npy"
    assert main(["export", "-o", str(out), "--using", using, "--batch-size", "7", "--home", str(home), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    arr = np.load(out)
    ids = json.loads((tmp_path / "v.ids.json").read_text())
    stored, n = _stored(home, using)
    assert arr.shape == (n, report["dim"]) == (len(ids), report["dim"])
    assert len(set(ids)) == len(ids)
    for i, tid in enumerate(ids):
        np.testing.assert_allclose(arr[i], stored[tid].vectors[using], atol=1e-6)
    if using == "text":
        assert n < len(stored)  # instrumentals have no text vector and are left out
    assert not list(tmp_path.glob(".*partial"))


def test_export_npy_paths_sidecar_and_parquet_path_columns(home, tmp_path, capsys):
    """Each track's audio and cover files go with its vector, as absolute paths: a
    .paths.json sidecar in row order beside the .npy, two columns in the .parquet."""
    import os

    import pyarrow.parquet as pq

    out = tmp_path / "v.npy"
    assert main(["export", "-o", str(out), "--home", str(home), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["paths_path"] == str(tmp_path / "v.paths.json")
    ids = json.loads((tmp_path / "v.ids.json").read_text())
    files = json.loads((tmp_path / "v.paths.json").read_text(encoding="utf-8"))
    assert [f["track_id"] for f in files] == ids
    stored, _ = _stored(home, "fused")
    for f in files:
        for key in ("audio_path", "cover_path"):
            assert os.path.isabs(f[key]) and os.path.isfile(f[key])
            assert os.path.samefile(f[key], stored[f["track_id"]].payload[key])
    assert not list(tmp_path.glob(".*partial"))
    pq_out = tmp_path / "v.parquet"
    assert main(["export", "-o", str(pq_out), "--home", str(home)]) == 0
    rows = pq.read_table(pq_out).select(["track_id", "audio_path", "cover_path"]).to_pylist()
    assert {r["track_id"]: (r["audio_path"], r["cover_path"]) for r in rows} == {
        f["track_id"]: (f["audio_path"], f["cover_path"]) for f in files
    }


def test_export_parquet(home, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "v.parquet"
    assert main(["export", "-o", str(out), "--using", "audio", "--batch-size", "10", "--home", str(home)]) == 0
    table = pq.read_table(out)
    stored, n = _stored(home, "audio")
    assert table.num_rows == n
    assert {"track_id", "title", "artist", "album", "genres", "tags", "year", "vector"} <= set(table.column_names)
    row = table.slice(0, 1).to_pylist()[0]
    np.testing.assert_allclose(row["vector"], stored[row["track_id"]].vectors["audio"], atol=1e-6)
    assert row["title"] == stored[row["track_id"]].payload["title"]


def test_export_rejects_unknown_format_and_vector(home, tmp_path, capsys):
    assert main(["export", "-o", str(tmp_path / "v.csv"), "--home", str(home)]) == 1
    assert "use a .npy or .parquet" in capsys.readouterr().err
    assert main(["export", "-o", str(tmp_path / "v.npy"), "--using", "lyrics", "--home", str(home)]) == 2


def test_map_html_is_self_contained(home, tmp_path, capsys):
    out = tmp_path / "map.html"
    assert main(["map", "-o", str(out), "--using", "audio", "--color", "artist", "--home", str(home), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    page = out.read_text()
    stored, n = _stored(home, "audio")
    assert info["points"] == n and info["method"] in ("umap", "tsne")
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)  # nothing external to load or open
    data = json.loads(re.search(r"const data=(\[.*?\]), colours=", page, re.S).group(1))
    assert len(data) == n and {d["t"] for d in data} == {p.payload["title"] for p in stored.values()}
    assert all(0.0 <= d["x"] <= 1.0 and 0.0 <= d["y"] <= 1.0 for d in data)


def test_map_png_and_methods(home, tmp_path):
    out = tmp_path / "map.png"
    assert main(["map", "-o", str(out), "--method", "pca", "--color", "year", "--home", str(home)]) == 0
    with Image.open(out) as im:
        assert im.size[0] > 1000
    assert main(["map", "-o", str(tmp_path / "m.svg"), "--home", str(home)]) == 1
    assert main(["map", "-o", str(tmp_path / "m.html"), "--color", "mood", "--home", str(home)]) == 1


@pytest.mark.parametrize("method", ["tsne", "pca"])
def test_large_maps_fit_a_sample_and_place_the_rest_near_their_kind(method):
    """Beyond the fit limit, a method sees a sample; every other point lands near the sampled
    points of its own cluster (here: its nearest sampled point in 2-D is of its cluster)."""
    from recsys.analysis.projection import project_2d

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(4, 64)) * 4
    labels = np.arange(600) % 4
    x = (centres[labels] + rng.normal(size=(600, 64))).astype(np.float32)
    xy, used = project_2d(x, method=method, seed=1, fit_limit=150)
    assert used == method and xy.shape == (600, 2) and np.all((xy >= 0) & (xy <= 1))
    again, _ = project_2d(x, method=method, seed=1, fit_limit=150)
    np.testing.assert_array_equal(xy, again)  # seeded
    sample = np.sort(np.random.default_rng(1).choice(600, size=150, replace=False))
    rest = np.setdiff1d(np.arange(600), sample)
    d = ((xy[rest, None, :] - xy[None, sample, :]) ** 2).sum(-1)
    nearest = sample[np.argmin(d, axis=1)]
    assert np.mean(labels[nearest] == labels[rest]) > 0.9


def test_auto_maps_a_small_library_with_tsne(monkeypatch):
    """UMAP takes ~11 s to compile on first use whatever the size: "auto" (the default) maps
    a small library with t-SNE, and hands UMAP the large ones."""
    import numpy as np

    from recsys.analysis import projection

    x = np.random.default_rng(0).normal(size=(40, 16)).astype(np.float32)
    assert projection.project_2d(x)[1] == "tsne"
    chosen = []
    monkeypatch.setattr(projection, "_fit", lambda z, method, seed: (chosen.append(method) or z[:, :2], method))
    monkeypatch.setattr(projection, "AUTO_UMAP_FROM", 40)
    assert projection.project_2d(x)[1] in ("umap", "tsne") and chosen[-1] in ("umap", "tsne")
    import importlib.util

    if importlib.util.find_spec("umap") is not None:
        assert chosen[-1] == "umap"


def test_png_map_labels_draw_accented_and_arabic_letters():
    """Pillow's default font drew "Tomás" as "Tom□s": the map's font has the glyphs (checked
    against the font's own missing-glyph box) where a system font is installed."""
    from PIL import ImageFont

    from recsys.analysis.maps import _font

    font = _font(14)
    if not isinstance(font, ImageFont.FreeTypeFont):
        pytest.skip("no TrueType font installed here")
    from PIL import Image, ImageDraw

    def drawn(ch: str) -> bytes:
        im = Image.new("L", (24, 24))
        ImageDraw.Draw(im).text((2, 0), ch, font=font, fill=255)
        return im.tobytes()

    missing = drawn("\U000f0000")  # a private-use letter: the font's missing-glyph box
    for ch in "áöðفي":
        assert drawn(ch) != missing, ch
