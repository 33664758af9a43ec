"""A text finds covers when the image encoder embeds text too (CLIP-shaped), end to end."""

from __future__ import annotations

import json

from PIL import Image

from cli.main import main
from tests.support.tiny_encoders import register_tiny_clip


def test_text_query_searches_covers_through_a_text_image_encoder(tmp_path, capsys):
    register_tiny_clip()
    cat = tmp_path / "cat"
    (cat / "covers").mkdir(parents=True)
    colours = {"red": (220, 30, 30), "blue": (30, 30, 220), "green": (30, 200, 40)}
    rows = []
    for i in range(9):
        name = list(colours)[i % 3]
        Image.new("RGB", (32, 32), colours[name]).save(cat / "covers" / f"{i}.png")
        rows.append({"track_id": f"t{i}", "title": f"{name} song {i}", "artist": f"artist {i}",
                     "genres": [name], "cover": f"covers/{i}.png", "summary": "words"})
    (cat / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    home = str(tmp_path / "home")
    args = ["--text-encoder", "tiny-text", "--image-encoder", "tiny-clip", "--audio-encoder", "tiny-audio"]
    assert main(["ingest", str(cat), "--home", home, *args, "--json"]) == 0
    capsys.readouterr()
    assert main(["query", "--text", "a deep blue cover", "--using", "image", "-k", "3", "--json", "--home", home]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert [r["genres"] for r in results] == [["blue"]] * 3
    # the text encoder of the collection cannot reach audio vectors: one clear line
    assert main(["query", "--text", "blue", "--using", "audio", "--home", home]) == 1
    assert "cannot embed text" in capsys.readouterr().err


def test_a_modality_query_error_reads_as_english():
    """"a image query" (seen in a server's error): the article follows the modality."""
    import numpy as np
    import pytest

    from recsys.errors import RecsysError
    from recsys.query.cross_modal import to_space

    with pytest.raises(RecsysError, match=r"^an image query searches image or fused vectors, not audio"):
        to_space(None, "image", np.ones(4, dtype=np.float32), "audio")  # type: ignore[arg-type]
    with pytest.raises(RecsysError, match=r"^a text query searches"):
        to_space(None, "text", np.ones(4, dtype=np.float32), "audio")  # type: ignore[arg-type]
