"""The encoder contract, checked on every registered encoder.

Adding an encoder means two things:

1. add its registry entry (an ``EncoderSpec``: ``register_encoder`` in recsys/encoders/registry.py,
   or ``register_hub_encoders`` in recsys/encoders/presets.py for hub models);
2. add ONE line to ``CASES`` below: ``Case(<registry name>, <builder>, <dim>, ...)``, where the
   builder makes the encoder in a test: ``real(<name>)`` for encoders that load offline, or a tiny
   random build (tests/support/tiny_encoders.py) for hub models.

``test_every_registered_encoder_has_a_case`` fails until the line is there. Every case is then
checked for: shape, float32, unit rows; a batch of 1, a batch of n and other batch sizes giving
the same rows (1e-5); the same input twice giving the same vectors; empty input; bad input
raising EncoderError; the declared capabilities (``input_kind``, ``sample_rate``/``duration``
of audio encoders, ``text_space``: such encoders embed text, the others refuse); and
``decode_input`` reading its input kind from a file. Registered test doubles (``tiny-*``) are
not cases. The module-import cycle check of recsys/ is here too.
"""

from __future__ import annotations

import ast
import copy
import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest
from PIL import Image

from recsys.encoders import get_encoder, get_encoder_spec, list_encoders
from recsys.encoders.base import Encoder
from recsys.errors import EncoderError
from tests.support import tiny_encoders as tiny

REPO = Path(__file__).resolve().parents[1]


def real(name: str) -> Callable[[], Encoder]:
    """The registry's own build (offline encoders)."""
    return lambda: get_encoder(name, device="cpu")


def clap_music() -> Encoder:
    enc = tiny.tiny_clap(name="clap-music")
    enc.text_space = False  # what the clap-music loader does: its text tower is not trusted
    return enc


@dataclass(frozen=True)
class Case:
    name: str  # the registry name
    build: Callable[[], Encoder]
    dim: int  # the built encoder's dimension (a tiny build's, for hub models)
    text_space: bool = False
    needs: str | None = None  # a module the build needs; the case is skipped without it
    is_real: bool = False  # built by the registry: name, model and dim must match the spec


def offline(name: str, dim: int, needs: str | None = None) -> Case:
    return Case(name, real(name), dim, needs=needs, is_real=True)


CASES = [
    offline("minilm", 384),
    offline("efficientnet-lite0", 1280),
    offline("mir-librosa", 168),
    offline("mir-librosa-v2", 168),
    offline("randne", 128),
    offline("deepwalk", 128, needs="gensim"),
    Case("clip-vit-b-32", lambda: tiny.tiny_clip(name="clip-vit-b-32"), 24, text_space=True, needs="open_clip"),
    Case("dinov2-vitb14", lambda: tiny.tiny_dinov2(name="dinov2-vitb14"), 32),
    Case("clap-htsat-unfused", lambda: tiny.tiny_clap(name="clap-htsat-unfused"), 24, text_space=True),
    Case("clap-music", clap_music, 24),
    Case("openl3", lambda: tiny.random_openl3(name="openl3"), 512, needs="torchopenl3"),
    Case("mxbai-large", lambda: tiny.preset_on_minilm("mxbai-large"), 384),
    Case("bge-large", lambda: tiny.preset_on_minilm("bge-large"), 384),
    Case("e5-large", lambda: tiny.preset_on_minilm("e5-large"), 384),
    Case("jina-v2-base", lambda: tiny.preset_on_minilm("jina-v2-base"), 384),
]
BY_NAME = {c.name: c for c in CASES}


@functools.cache
def _built(name: str) -> Encoder:
    return BY_NAME[name].build()


@pytest.fixture(params=[c.name for c in CASES])
def case(request) -> tuple[Case, Encoder]:
    c = BY_NAME[request.param]
    if c.needs and importlib.util.find_spec(c.needs) is None:
        pytest.skip(f"{c.name} needs {c.needs}, which is not installed")
    return c, _built(c.name)


# --------------------------------------------------------------------------- inputs per kind

TEXTS = [
    "sad slow piano ballad",
    "melancholic piano song",
    "aggressive heavy metal",
    "an upbeat disco track with funky bass and strings",
    "",
    "Quiet acoustic guitar and soft vocals about leaving home. Moods: wistful, calm.",
]
CAPTIONS = ["neon synthwave cover", "slow sad piano", "aggressive heavy metal", ""]


def _images() -> list[Image.Image]:
    out = [Image.new("RGB", (40, 30), c) for c in ((220, 30, 30), (30, 30, 220), (240, 240, 240))]
    out.append(Image.new("L", (25, 50), 90))  # not RGB: converted, not rejected
    return out


def _tone(seconds: float, freq: float, sr: int) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    y = 0.3 * np.sin(2 * np.pi * freq * t) + 0.01 * np.sin(2 * np.pi * 3 * freq * t)
    return (y + 0.01 * np.sign(np.sin(2 * np.pi * 5 * t))).astype(np.float32)


@functools.cache
def _graph():
    from recsys.catalog.model import TrackRecord
    from recsys.encoders.graph import build_graph

    tracks = [
        TrackRecord(
            track_id=f"{genre}{i}", title=f"t{i}", artist=f"{genre}-artist-{i % 2}", album=f"{genre}-album-{i % 2}",
            genres=(genre,), tags=(f"{genre}-tag",), playlists=(f"pl-{genre}",),
        )
        for genre in ("ambient", "metal", "jazz")
        for i in range(4)
    ]
    return build_graph(tracks)


def items_for(enc: Encoder) -> list[Any]:
    kind = enc.input_kind
    if kind == "text":
        return list(TEXTS)
    if kind == "image":
        return _images()
    if kind == "audio":
        # a short clip, one window, and several (CLAP's tiny windows are 2 s, OpenL3's frames 1 s)
        return [_tone(s, f, enc.sample_rate) for s, f in ((0.2, 330.0), (1.0, 220.0), (3.0, 440.0))]
    if kind == "graph":
        from recsys.encoders.graph import graph_nodes

        return graph_nodes(_graph(), ["ambient0", "ambient1", "metal2", "jazz3"])
    raise AssertionError(f"no test inputs for input kind {kind!r}")


def assert_unit_rows(v: np.ndarray, n: int, dim: int) -> None:
    assert v.shape == (n, dim)
    assert v.dtype == np.float32
    assert np.all(np.isfinite(v))
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def with_batch_size(enc: Encoder, size: int) -> Encoder:
    """What ``get_encoder(name, batch_size=size)`` returns: a copy sharing the model."""
    other = copy.copy(enc)
    other.batch_size = size
    return other


# --------------------------------------------------------------------------- the registry side


def test_every_registered_encoder_has_a_case():
    registered = {s.name for s in list_encoders() if not s.name.startswith("tiny-")}
    assert registered == set(BY_NAME), "add one Case line per registry entry (see the top of this file)"


def test_case_matches_its_spec(case):
    c, enc = case
    spec = get_encoder_spec(c.name)
    assert enc.modality == spec.modality and enc.dim == c.dim
    if c.is_real:
        assert (enc.info.name, enc.info.model, enc.info.dim) == (spec.name, spec.model, spec.dim)
    else:
        assert enc.info.name == c.name


# --------------------------------------------------------------------------- the encoder side


def test_shape_dtype_unit_rows_and_determinism(case):
    c, enc = case
    items = items_for(enc)
    v = enc.encode(items)
    assert_unit_rows(v, len(items), c.dim)
    np.testing.assert_array_equal(v, enc.encode(items))  # the same input, the same vectors


def test_batch_of_one_equals_batch_of_n(case):
    c, enc = case
    items = items_for(enc)
    together = enc.encode(items)
    single = np.concatenate([enc.encode([x]) for x in items])
    np.testing.assert_allclose(single, together, atol=1e-5)
    if enc.batch_size is not None:  # the model's own batching, in chunks of 1, 2 and 3
        for size in {1, 2, 3} - {enc.batch_size}:
            np.testing.assert_allclose(with_batch_size(enc, size).encode(items), together, atol=1e-5)


def test_empty_input(case):
    c, enc = case
    empty = enc.encode([])
    assert empty.shape == (0, c.dim) and empty.dtype == np.float32


def test_bad_input_is_an_encoder_error(case):
    _, enc = case
    kind = enc.input_kind
    good = items_for(enc)[0]
    if kind == "text":
        with pytest.raises(EncoderError, match="list of strings"):
            enc.encode("one string")
        with pytest.raises(EncoderError, match="text item 1"):
            enc.encode(["ok", 3])
    elif kind == "image":
        with pytest.raises(EncoderError, match="image item 1: expected a PIL image"):
            enc.encode([good, np.zeros((4, 4, 3))])
        with pytest.raises(EncoderError, match="image item 1: expected a PIL image"):
            enc.encode([good, "cover.png"])
    elif kind == "audio":
        with pytest.raises(EncoderError, match="audio item 0: expected a mono waveform"):
            enc.encode([np.zeros((2, 100), dtype=np.float32)])
        with pytest.raises(EncoderError, match="audio item 1: empty"):
            enc.encode([good, np.zeros(0, dtype=np.float32)])
        with pytest.raises(EncoderError, match="audio item 0: empty or non-finite"):
            enc.encode([np.array([np.nan], dtype=np.float32)])
    elif kind == "graph":
        from recsys.encoders.graph import GraphNode

        with pytest.raises(EncoderError, match="graph item 1: expected a GraphNode"):
            enc.encode([good, "jazz0"])
        with pytest.raises(EncoderError, match="graph item 0: track 'nope' is not in its graph"):
            enc.encode([GraphNode(good.graph, "nope")])
    else:
        raise AssertionError(f"no bad input for input kind {kind!r}")


def test_declared_capabilities(case):
    c, enc = case
    assert enc.input_kind == enc.modality
    assert isinstance(enc.device, str)
    assert enc.batch_size is None or enc.batch_size >= 1
    if enc.input_kind == "audio":
        assert isinstance(enc.sample_rate, int) and enc.sample_rate > 0
        assert isinstance(enc.duration, float) and enc.duration > 0
    else:
        assert enc.sample_rate is None and enc.duration is None
    assert enc.text_space is c.text_space
    if not enc.text_space:
        with pytest.raises(EncoderError, match="cannot embed text"):
            enc.encode_text(["slow sad piano"])
        return
    # a text space: captions in the encoder's own space, checked and batched like its inputs
    t = enc.encode_text(CAPTIONS)
    assert_unit_rows(t, len(CAPTIONS), c.dim)
    assert np.ptp(t, axis=0).max() > 1e-3  # different captions, different vectors
    assert enc.encode_text([]).shape == (0, c.dim)
    np.testing.assert_allclose(with_batch_size(enc, 1).encode_text(CAPTIONS), t, atol=1e-5)
    with pytest.raises(EncoderError, match="one string"):
        enc.encode_text("neon")
    with pytest.raises(EncoderError, match="text item 2"):
        enc.encode_text(["a", "b", None])


def test_decode_input_reads_the_encoders_input_kind(case, tmp_path):
    from recsys.encoders.media import decode_input

    c, enc = case
    kind = enc.input_kind
    if kind == "text":
        source: Any = "late night jazz"
    elif kind == "image":
        source = tmp_path / "cover.png"
        _images()[0].save(source)
    elif kind == "audio":
        soundfile = pytest.importorskip("soundfile")
        source = tmp_path / "clip.wav"
        soundfile.write(source, _tone(1.5, 440.0, 22050), 22050)
    else:
        source = items_for(enc)[0]  # a graph node is already decoded
    item = decode_input(enc, source)
    if kind == "audio":  # read at the encoder's rate, no more than its excerpt
        assert item.ndim == 1 and abs(item.size - min(1.5, enc.duration) * enc.sample_rate) <= enc.sample_rate // 100
    assert_unit_rows(enc.encode([item]), 1, c.dim)


def test_decode_input_by_modality_name(tmp_path):
    from recsys.encoders.media import decode_input, load_audio

    soundfile = pytest.importorskip("soundfile")
    path = tmp_path / "clip.wav"
    soundfile.write(path, _tone(1.0, 440.0, 8000), 8000)
    np.testing.assert_array_equal(decode_input("audio", path), load_audio(path))  # 22 050 Hz, 30 s
    assert decode_input("text", "rain") == "rain"
    with pytest.raises(EncoderError, match="must be a string"):
        decode_input("text", 3)
    with pytest.raises(EncoderError, match="no decoder for 'fused' inputs"):
        decode_input("fused", "x")


# --------------------------------------------------------------------------- import cycles


def _module_graph(package: str = "recsys") -> dict[str, set[str]]:
    """Module -> the modules of ``package`` it imports, function-level imports included."""
    files = {}
    for path in (REPO / package).rglob("*.py"):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        files[".".join(parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name in files}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                for alias in node.names:
                    full = f"{module}.{alias.name}"
                    if full in files:
                        targets.add(full)
                    elif module in files:
                        targets.add(module)
        graph[name] = targets - {name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_under_recsys():
    graph = _module_graph("recsys")
    assert "recsys.encoders.hub" in graph["recsys.encoders.clip"]  # function-level imports count
    assert _cycles(graph) == []
