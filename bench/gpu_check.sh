#!/usr/bin/env bash
# The GPU checks in one run, for a machine with an NVIDIA GPU and no network:
#   bash bench/gpu_check.sh OUT_DIR
# Wheels of packages that machine lacks may sit in .whl/ (installed to /tmp/site first), the
# Fairouz data in .gpu/fairouz (else ../shared/fairouz). Each step writes its own file in
# OUT_DIR and a failing step does not stop the next.
set -u
OUT=${1:-gpu-out}
mkdir -p "$OUT"
cd "$(dirname "$0")/.."
if ls .whl/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
    > "$OUT/pip.log" 2>&1 || tail -5 "$OUT/pip.log"
  export PYTHONPATH=/tmp/site:$PWD
else
  export PYTHONPATH=$PWD
fi
[ -d .gpu/fairouz ] && export RECSYS_FAIROUZ=$PWD/.gpu/fairouz
export HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
nproc | tee -a "$OUT/gpu.txt"
step() { local name=$1; shift; echo "== $name"; local t0=$SECONDS; "$@" > "$OUT/$name.txt" 2>&1; echo "rc=$? ${name} $((SECONDS - t0)) s"; tail -n 25 "$OUT/$name.txt"; }
step gpu_tests python3 -m pytest -q -p no:cacheprovider -m "gpu or not gpu" -o addopts="" \
  tests/test_gpu.py tests/test_half_precision.py tests/test_clap_features.py
step bench_encoders python3 bench/bench_encoders.py --device cuda -n 256 --batch-size 128 \
  --only clip-vit-b-32,dinov2-vitb14,efficientnet-lite0,clap-htsat-unfused,openl3,mxbai-large
# the same image rows with resize and normalisation on the host (before recsys.encoders.pixels)
RECSYS_DEVICE_PREPROCESS=0 step bench_encoders_host_preprocess python3 bench/bench_encoders.py --device cuda -n 256 \
  --batch-size 128 --only clip-vit-b-32,dinov2-vitb14,efficientnet-lite0
step bench_train python3 bench/bench_train.py --devices cuda,cpu --runs 2
step bench_ingest python3 bench/bench_ingest.py --tracks 1000 --unique 32 --seconds 180 --profile best --device cuda --batch-size 128
# audio decoding: threads (as before decode_pool) against worker processes, then the same ingest on threads
step bench_decode python3 bench/bench_decode.py --tracks 512 --unique 16 --processes 4,8,16 --rounds 2
RECSYS_DECODE_PROCESSES=0 step bench_ingest_decode_threads python3 bench/bench_ingest.py --tracks 1000 --unique 32 \
  --seconds 180 --profile best --device cuda --batch-size 128
