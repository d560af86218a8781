#!/usr/bin/env bash
# The GPU check of the built-in trainer's Hugging Face path (bench/gpu_check.py): Qwen2.5-0.5B
# and -1.5B shapes with random weights, a few GRPO steps each, plain and under torchrun.
#   bench/gpu_check.sh [--out DIR]     one H100/H200, torch + transformers (+ accelerate); < 8 min
#   bench/gpu_check.sh --dry-run       on the CPU with tiny shapes: checks the wiring only
# PYTHON picks the interpreter (default python3).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"
if [[ " $* " != *" --dry-run "* ]] && ! "$python" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)'; then
  echo "gpu_check: no CUDA device for $python (use --dry-run on a CPU)" >&2
  exit 2
fi
exec timeout 480 "$python" "$here/gpu_check.py" "$@"
