#!/usr/bin/env bash
# GPU checks for brainunit_xp, on a machine with an NVIDIA GPU and its driver:
#   1. install what is missing: cupy-cuda12x, torch (a CUDA wheel), jax[cuda12], the test extras
#   2. the GPU tests: tests/test_gpu.py, the cupy cases of the backend-parametrized tests, the
#      cupy blocks of the docs
#   3. conformance of brainunit_xp.cupy against the official array-api-tests (bare cupy vs ours)
#   4. the GPU benchmark rows (10^7 elements: elementwise, sum, matmul vs the bare library) and
#      jax jit dispatch on the GPU
#
#   tools/gpu_check.sh                 # everything
#   tools/gpu_check.sh --no-install    # use what is installed (an offline machine)
#   tools/gpu_check.sh --quick         # fewer examples and rounds
#   tools/gpu_check.sh --skip-conformance
#
# Output goes to stdout and to gpu-check/ (logs, benchmark JSON). Exit status: 0 when every step
# passed, else the number of failed steps; 2 without a GPU.
set -uo pipefail
cd "$(dirname "$0")/.."

INSTALL=1 QUICK=0 CONFORMANCE=1
for arg in "$@"; do
    case "$arg" in
        --no-install) INSTALL=0 ;;
        --quick) QUICK=1 ;;
        --skip-conformance) CONFORMANCE=0 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "unknown option $arg" >&2; exit 64 ;;
    esac
done
PY=${PYTHON:-python}
OUT=gpu-check
mkdir -p "$OUT"
FAILED=0
step() {  # step NAME COMMAND...: run, log, count failures
    local name=$1; shift
    echo "=== $name: $*"
    local start=$SECONDS
    if "$@" 2>&1 | tee "$OUT/$name.log"; then
        echo "=== $name: passed ($((SECONDS - start)) s)"
    else
        echo "=== $name: FAILED ($((SECONDS - start)) s; log in $OUT/$name.log)"
        FAILED=$((FAILED + 1))
    fi
}

if ! nvidia-smi -L; then
    echo "gpu_check: no NVIDIA GPU (nvidia-smi failed); nothing to check" >&2
    exit 2
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv

# -- 1. install what is missing ------------------------------------------------------------------
if [ "$INSTALL" = 1 ]; then
    "$PY" -c "import brainunit_xp, pytest, hypothesis, xdist" 2>/dev/null \
        || "$PY" -m pip install -e ".[test,dask,ndonnx]"
    "$PY" -c "import cupy; assert cupy.cuda.runtime.getDeviceCount() > 0" 2>/dev/null \
        || "$PY" -m pip install "cupy-cuda12x"
    "$PY" -c "import torch; assert torch.cuda.is_available()" 2>/dev/null \
        || "$PY" -m pip install torch  # PyPI's Linux wheels are CUDA builds
    JAX_PLATFORMS=cuda "$PY" -c "import jax; assert jax.devices('gpu')" 2>/dev/null \
        || "$PY" -m pip install "jax[cuda12]"
fi
export JAX_PLATFORMS=cuda,cpu  # tests/conftest.py and the benchmarks default jax to the CPU
"$PY" - <<'EOF'
import importlib
for name, check in [
    ("cupy", "cupy.cuda.runtime.getDeviceCount()"),
    ("torch", "torch.cuda.device_count()"),
    ("jax", "[d for d in jax.devices() if d.platform == 'gpu']"),
]:
    try:
        mod = importlib.import_module(name)
        print(f"{name} {mod.__version__}: {eval(check, {name: mod})}")
    except Exception as exc:
        print(f"{name}: not usable ({type(exc).__name__}: {exc})")
EOF

# -- 2. tests -------------------------------------------------------------------------------------
step gpu-tests "$PY" -m pytest -n 0 -q -rs tests/test_gpu.py
step cupy-tests "$PY" -m pytest -n 0 -q -rs -k "cupy" tests/
step docs-cupy "$PY" -m pytest -n 0 -q -rs tests/test_docs.py -k "cupy or torch or jax"

# -- 3. conformance (needs the suite checkout; see array-api-tests-config/README.md) --------------
if [ "$CONFORMANCE" = 1 ]; then
    SUITE=${ARRAY_API_TESTS_DIR:-$HOME/.cache/brainunit-xp}
    if [ ! -d "$SUITE/array-api-tests-55fcc60" ] && [ ! -f "$SUITE/conftest.py" ]; then
        mkdir -p "$SUITE"
        git clone -q https://github.com/data-apis/array-api-tests "$SUITE/array-api-tests-55fcc60" \
            && git -C "$SUITE/array-api-tests-55fcc60" checkout -q 55fcc60179efa2680ddd6cd926ddf17b83530e2b \
            && git -C "$SUITE/array-api-tests-55fcc60" submodule update -q --init \
            || echo "gpu_check: could not fetch the array-api-tests suite; conformance will say so"
    fi
    EXAMPLES=$([ "$QUICK" = 1 ] && echo 10 || echo 100)
    export ARRAY_API_TESTS_DIR=$SUITE
    step conformance-cupy \
        "$PY" array-api-tests-config/run.py --backend cupy --max-examples "$EXAMPLES" --fast --no-shrink
fi

# -- 4. benchmarks ----------------------------------------------------------------------------------
BENCH=(--group gpu --group "jax jit dispatch" --json "$OUT/benchmarks.json")
[ "$QUICK" = 1 ] && BENCH+=(--quick)
step benchmarks "$PY" benchmarks/run.py "${BENCH[@]}"

echo "gpu_check: $FAILED step(s) failed"
exit "$FAILED"
