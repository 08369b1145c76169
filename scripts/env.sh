# Sourced by the scripts: a virtual environment in .venv with the build tools.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v cargo >/dev/null 2>&1; then
    echo "Rust (cargo) is required: https://rustup.rs" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install -q --disable-pip-version-check "maturin>=1.5,<2" "numpy>=1.24"
