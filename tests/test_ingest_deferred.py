"""``ingest.deferred.DeferredEncoder``: an encoder's identity without its model, the model
loaded at its first use, once, whichever thread asks first."""

from __future__ import annotations

import threading
import time

import numpy as np

from ingest.deferred import DeferredEncoder
from recsys.encoders.base import EncoderInfo
from tests.support.tiny_encoders import BandEnergyEncoder


def test_identity_without_loading_and_one_load_across_threads():
    info = EncoderInfo(name="band", modality="audio", model="band-energy-24", dim=24)
    loads = []

    def load():
        loads.append(threading.get_ident())
        time.sleep(0.05)  # a slow load: every thread asks while it runs
        return BandEnergyEncoder("band")

    deferred = DeferredEncoder(info, load)
    assert (deferred.info, deferred.name, deferred.device, deferred.loaded) == (info, "band", "cpu", False)
    assert not loads
    got = []
    threads = [threading.Thread(target=lambda: got.append(deferred.sample_rate)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1 and deferred.loaded and len(set(got)) == 1
    clip = np.sin(np.arange(8000, dtype=np.float32) / 10)
    np.testing.assert_array_equal(deferred.encode([clip]), BandEnergyEncoder("band").encode([clip]))
    assert len(loads) == 1
