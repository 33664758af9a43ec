"""Items per second of every encoder, on synthetic inputs, as one markdown table.

    .venv/bin/python bench/bench_encoders.py                  # all encoders, auto device
    .venv/bin/python bench/bench_encoders.py --device cpu --only clip-vit-b-32,openl3
    .venv/bin/python bench/bench_encoders.py --hub            # allow weight downloads

Each encoder is loaded with its real weights when they are on disk (the Hugging Face or torch
hub cache; ``--hub`` lets it download). Otherwise its *real architecture* is built with random
weights, which runs at the same speed, and the row says ``random init``; the text presets,
whose random build would need their tokenizers, are then timed as the BERT-large/-base stacks
they are (with a word-level tokenizer giving about as many tokens). Inputs: 500x500 images,
30 s audio clips (what ingest reads), and 60-word track documents.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from recsys.device import pick_device
from recsys.encoders import get_encoder, get_encoder_spec, list_encoders
from recsys.errors import EncoderError

LICENSES = {
    "minilm": "Apache-2.0", "efficientnet-lite0": "Apache-2.0", "mir-librosa": "ISC (librosa)", "mir-librosa-v2": "ISC (librosa)",
    "clip-vit-b-32": "MIT", "dinov2-vitb14": "Apache-2.0", "clap-htsat-unfused": "Apache-2.0",
    "clap-music": "Apache-2.0", "openl3": "MIT code, CC-BY-4.0 weights", "mxbai-large": "Apache-2.0",
    "bge-large": "MIT", "e5-large": "MIT", "jina-v2-base": "Apache-2.0",
    "randne": "ours", "deepwalk": "ours (gensim LGPL-2.1)",
}
WORDS = (
    "night city neon rain piano slow sad guitar love summer drums bass voice dream ocean fire heart dance "
    "memory lonely road home light shadow storm gentle loud choir strings synth old new train window "
).split()


def sample_texts(n: int, rng: np.random.Generator) -> list[str]:
    return [
        " ".join(rng.choice(WORDS, 50)) + ". Themes: loss, travel. Moods: wistful, calm." for _ in range(n)
    ]


def sample_images(n: int, rng: np.random.Generator) -> list[Any]:
    from PIL import Image

    base = np.linspace(0, 255, 500, dtype=np.float32)
    out = []
    for _ in range(n):
        c = rng.uniform(0.2, 1.0, 3)
        arr = np.stack([np.add.outer(base, base[::-1]) / 2 * ci for ci in c], axis=-1)
        out.append(Image.fromarray(arr.clip(0, 255).astype(np.uint8)))
    return out


def sample_audio(n: int, sr: int, seconds: float, rng: np.random.Generator) -> list[np.ndarray]:
    t = np.arange(int(sr * seconds)) / sr
    return [
        (0.2 * np.sin(2 * np.pi * rng.uniform(100, 900) * t) + 0.05 * rng.standard_normal(t.size)).astype(np.float32)
        for _ in range(n)
    ]


# --------------------------------------------------------------------------- random-weight builds


class _RandomBert:
    """A random BERT of the given size behind the sentence-transformers ``encode`` call used by
    ``PresetTextEncoder``: same layers and token counts, so the same speed."""

    def __init__(self, large: bool, device: str) -> None:
        import torch
        from tokenizers import Tokenizer, models, pre_tokenizers
        from transformers import BertConfig, BertModel

        size = dict(hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, intermediate_size=4096)
        config = BertConfig(**(size if large else {}))
        self.model = BertModel(config).eval().to(device)
        if device.startswith(("cuda", "mps")):
            self.model = self.model.half()  # as the real presets load on a GPU (recsys.encoders.presets)
        vocab = {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3}
        for w in WORDS + "themes loss travel moods wistful calm . , :".split():
            vocab.setdefault(w, len(vocab))
        self.tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
        self.tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        self.dim, self.device, self.torch = config.hidden_size, device, torch

    def get_sentence_embedding_dimension(self) -> int:
        return self.dim

    def encode(self, texts: list[str], batch_size: int = 32, **_: Any) -> np.ndarray:
        out = []
        for s in range(0, len(texts), batch_size):
            ids = [[2] + e.ids[:510] + [3] for e in self.tok.encode_batch(texts[s : s + batch_size])]
            width = max(map(len, ids))
            x = self.torch.tensor([i + [0] * (width - len(i)) for i in ids], device=self.device)
            with self.torch.inference_mode():
                out.append(self.model(input_ids=x, attention_mask=(x != 0).long()).last_hidden_state[:, 0].cpu().numpy())
        return np.concatenate(out)


def random_build(name: str, device: str, batch_size: int) -> Any | None:
    """The real architecture of ``name`` with random weights, or None where we have none."""
    if name == "clip-vit-b-32":
        from recsys.encoders.clip import ClipEncoder

        return ClipEncoder.from_config("ViT-B-32", None, name=name, device=device, batch_size=batch_size)
    if name == "dinov2-vitb14":
        from transformers import Dinov2Config  # its defaults are ViT-B/14

        from recsys.encoders.dinov2 import Dinov2Encoder

        return Dinov2Encoder.from_config(Dinov2Config(), name=name, device=device, batch_size=batch_size)
    if name == "clap-htsat-unfused":
        from transformers import ClapConfig  # its defaults are HTS-AT base + RoBERTa-base, unfused

        from recsys.encoders.clap import ClapEncoder

        return ClapEncoder.from_config(ClapConfig(), name=name, device=device, batch_size=batch_size)
    if name == "openl3":
        from recsys.encoders.openl3 import OpenL3Encoder

        return OpenL3Encoder.from_config(name=name, device=device, batch_size=batch_size)
    if name in ("mxbai-large", "bge-large", "e5-large", "jina-v2-base"):
        from recsys.encoders.presets import TEXT_PRESETS, PresetTextEncoder

        model_id, _, prefix, _, _ = TEXT_PRESETS[name]
        model = _RandomBert(large=name != "jina-v2-base", device=device)
        return PresetTextEncoder(model, name, model_id, device, batch_size, prefix)
    return None


# --------------------------------------------------------------------------- timing


def rate(fn: Callable[[list[Any]], Any], items: list[Any], warm: int = 1) -> float:
    # warm-up on a whole batch: lazy initialisation, and the kernel choice for the timed shape
    # (a GPU picks its kernels per shape; a 1-item warm-up left that inside the timing)
    fn(items[: max(1, warm)])
    t = time.perf_counter()
    fn(items)
    return len(items) / (time.perf_counter() - t)


def op_profile(fn: Callable[[list[Any]], Any], items: list[Any], device: str, top: int = 6) -> list[str]:
    """One more ``fn(items)`` under torch's profiler: its wall time, the time the device's
    kernels took (CUDA), or the CPU ops' own time (CPU), and the ops that took most. Where the
    kernels' time is a small share of the wall, the host is what a GPU waits on. The profiler
    adds its own cost per op, so the share is a lower bound."""
    import torch
    from torch.profiler import ProfilerActivity, profile

    cuda = str(device).startswith("cuda")
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else [])
    t = time.perf_counter()
    with profile(activities=activities) as prof:
        fn(items)
        if cuda:
            torch.cuda.synchronize()
    wall = time.perf_counter() - t
    events = prof.key_averages()
    # torch renamed the CUDA fields to "device" (2.4); the CPU fields kept their names
    field = next((f for f in ("self_device_time_total", "self_cuda_time_total") if hasattr(events[0], f)), None) if cuda else None
    field = field or "self_cpu_time_total"
    busy = sum(getattr(e, field) for e in events) / 1e6
    what = "GPU kernels" if cuda else "CPU ops (all threads)"
    lines = [f"wall {wall:.3f} s for {len(items)} items; {what} {busy:.3f} s ({100 * busy / wall:.0f} % of the wall)"]
    for e in sorted(events, key=lambda e: getattr(e, field), reverse=True)[:top]:
        lines.append(f"  {getattr(e, field) / 1e3:9.1f} ms {e.count:7d} calls  {e.key[:80]}")
    return lines


def params(encoder: Any) -> int:
    model = getattr(encoder, "model", None)
    inner = getattr(model, "model", model)  # _RandomBert wraps the torch module
    try:
        return sum(p.numel() for p in inner.parameters())
    except AttributeError:
        return 0


def bench_encoder(
    name: str, device: str, batch_size: int, n: int, rng: np.random.Generator, profile_ops: bool = False
) -> dict[str, Any]:
    spec = get_encoder_spec(name)
    source = "real weights"
    try:
        enc = get_encoder(name, device=device, batch_size=batch_size)
    except EncoderError as exc:
        enc = random_build(name, device, batch_size)
        if enc is None:
            return {"name": name, "spec": spec, "error": str(exc)}
        source = "random init"
        if name == "jina-v2-base":
            source = "random init (≈BERT-base)"
    if spec.modality == "text":
        items: list[Any] = sample_texts(n, rng)
    elif spec.modality == "image":
        items = sample_images(n, rng)
    else:
        sr, seconds = enc.sample_rate or 22050, enc.duration or 30.0
        items = sample_audio(max(2, n // 4), sr, seconds, rng)
    row = {"name": name, "spec": spec, "source": source, "dim": enc.dim, "params": params(enc)}
    row["items_s"] = rate(enc.encode, items, warm=batch_size)
    if profile_ops:
        row["ops"] = op_profile(enc.encode, items, device)
    if enc.text_space:
        row["text_s"] = rate(enc.encode_text, sample_texts(n, rng), warm=batch_size)
    # each row as it comes: a run cut short by a time limit still shows the rows it finished
    text = f", {row['text_s']:.1f} texts/s" if row.get("text_s") else ""
    print(f"    {name}: {row['items_s']:.1f} items/s ({len(items)} items){text}", flush=True)
    return row


def bench_graph(device: str, rng: np.random.Generator, n_tracks: int = 2000) -> list[dict[str, Any]]:
    from recsys.catalog.model import TrackRecord
    from recsys.encoders.graph import RandNE, build_graph
    from recsys.encoders.deepwalk import DeepWalk

    genres = [f"g{i}" for i in range(20)]
    tracks = [
        TrackRecord(
            track_id=f"t{i}", title=f"t{i}", artist=f"a{rng.integers(n_tracks // 8)}", album=f"al{rng.integers(n_tracks // 4)}",
            genres=(str(rng.choice(genres)),), tags=(f"tag{rng.integers(60)}",), playlists=(f"p{rng.integers(n_tracks // 20)}",),
        )
        for i in range(n_tracks)
    ]
    g = build_graph(tracks)
    ids = [t.track_id for t in tracks]
    rows = []
    for name, method in (("randne", RandNE()), ("deepwalk", DeepWalk())):
        t = time.perf_counter()
        method.embed_tracks(g, ids)
        r = {"name": name, "source": f"{n_tracks}-track graph, fit + embed", "dim": method.dim, "params": 0}
        r["items_s"] = n_tracks / (time.perf_counter() - t)
        rows.append(r)
    return rows


def fmt_rate(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.0f}" if x >= 10 else f"{x:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--device", default=None, help="cpu, cuda, mps (default: auto)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("-n", type=int, default=16, help="texts/images per timing (audio: n/4, at least 2)")
    ap.add_argument("--only", default="", help="comma-separated encoder names (randne, deepwalk too)")
    ap.add_argument("--hub", action="store_true", help="allow downloading weights (default: cache only)")
    ap.add_argument("--profile-ops", action="store_true",
                    help="after each row, one more batch under torch's profiler: the kernels' share of the wall")
    args = ap.parse_args()
    if not args.hub:
        os.environ["HF_HUB_OFFLINE"] = "1"  # cached weights or random init; never wait on a hub
    device = pick_device(args.device)
    only = {s for s in re.split(r"[,\s]+", args.only) if s}
    rng = np.random.default_rng(0)
    rows = []
    for spec in list_encoders():
        if spec.name.startswith("tiny-") or spec.modality == "graph" or (only and spec.name not in only):
            continue
        print(f"... {spec.name}", flush=True)
        rows.append(bench_encoder(spec.name, device, args.batch_size, args.n, rng, args.profile_ops))
    if not only or only & {"randne", "deepwalk"}:
        rows += [r for r in bench_graph(device, rng) if not only or r["name"] in only]
    print(f"\ndevice: {device}, batch size {args.batch_size}, torch threads: {_threads()}\n")
    print("| encoder | modality | model | dim | params | license | weights | items/s | text/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        spec = r.get("spec")
        modality, model = (spec.modality, spec.model) if spec else ("graph", r["name"])
        if "error" in r:
            print(f"| {r['name']} | {modality} | {model} | {spec.dim} | | {LICENSES.get(r['name'], '')} | "
                  f"unavailable | – | – |")
            continue
        size = f"{r['params'] / 1e6:.1f}M" if r["params"] else "–"
        print(f"| {r['name']} | {modality} | {model} | {r['dim']} | {size} | {LICENSES.get(r['name'], '')} | "
              f"{r['source']} | {fmt_rate(r['items_s'])} | {fmt_rate(r.get('text_s'))} |")
    for r in rows:
        if r.get("ops"):
            print(f"\n{r['name']} under the profiler: " + "\n".join(r["ops"]))


def _threads() -> int:
    import torch

    return torch.get_num_threads()


if __name__ == "__main__":
    main()
