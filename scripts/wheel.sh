#!/usr/bin/env bash
# Builds the release wheel, installs it into a fresh virtual environment with only its
# declared runtime dependencies (numpy), runs the tour from outside the checkout, and
# checks that the wheel stays under 7 MiB. Session 27: 7,357,111 bytes with rustfft's f32
# plans (complex64 FFTs in float), 7,154,465 with its SSE butterflies left out (AVX and
# the portable ones stay; the planner picks AVX wherever it runs). Session 25: 6,863,814 bytes (6.55 MiB), the
# 8-bit floats routed through float32 in the generic strided copy and kept out of the
# sort/select kernels (session 24 had reached 7,322,564 bytes = 6.98 MiB with them, whose
# element types multiplied `Tensor::to_vec`: source x target dtype, 21 x 21 instead of
# 16 x 16). Session 15: each elementwise loop compiled once instead of two or three
# times: 5,762,444 bytes = 5.50 MiB (it had reached 6.6 MiB, see benches/README.md "A
# smaller wheel"). Before: 6.2 MiB with session 13's kernels (each SIMD loop for
# AVX-512, AVX2 and the baseline), 5.4 MiB with the uint16/32/64 dtypes, 4.9-5.0 MiB
# before those.
# Expects the environment of env.sh (maturin).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
LIMIT_BYTES=$((7 * 1024 * 1024))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

maturin build --release -q -o "$work/dist" >/dev/null
wheel=$(ls "$work"/dist/ferrograd-*.whl)
size=$(stat -c %s "$wheel")
echo "wheel: $(basename "$wheel"), $size bytes"
if [ "$size" -gt "$LIMIT_BYTES" ]; then
    echo "the wheel is over 7 MiB ($size bytes)" >&2
    exit 1
fi

# A bare environment (no system site-packages): only the wheel and what it declares.
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --disable-pip-version-check "$wheel"
cd "$work"
"$work/venv/bin/python" - <<'PY'
import importlib.metadata as md
import os
import sys

import ferrograd

here = os.path.dirname(ferrograd.__file__)
assert here.startswith(sys.prefix), f"ferrograd imported from {here}, not the wheel's venv"
extra = {d.metadata["Name"].lower() for d in md.distributions()} - {"ferrograd", "numpy", "pip", "setuptools"}
assert not extra, f"the wheel pulled in undeclared packages: {sorted(extra)}"
PY
"$work/venv/bin/python" -m ferrograd.tour >"$work/tour.txt"
grep -q "tensor(\[\[4.5000, 4.5000\]," "$work/tour.txt" || {
    echo "the tour from the wheel printed something unexpected:" >&2
    cat "$work/tour.txt" >&2
    exit 1
}
echo "wheel OK: the tour runs from a fresh environment"
