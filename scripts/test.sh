#!/usr/bin/env bash
# Installs what the tests need into .venv and runs every check: lint, cargo test, pytest,
# the API docs, then builds the release wheel and runs the tour from it in a fresh environment.
# Each step prints how long it took (CI must stay under 20 minutes on 2 cores).
. "$(dirname "$0")/env.sh"
step() {
    local start=$SECONDS
    "$@"
    echo "[test.sh] $(( SECONDS - start ))s: $*" >&2
}
step bash scripts/graphviz.sh
step python -m pip install -q --disable-pip-version-check "pytest>=7" "hypothesis>=6" "ruff>=0.5" "mypy>=1.18" "pdoc>=15,<16" \
    "scikit-learn>=1.3" "matplotlib>=3.7"  # the examples extra: tests run examples/digits.py
# The release build spends most of its time in link-time optimization on one core, so the
# Rust checks run beside it, in a target directory of their own (cargo locks a target
# directory for a whole build).
step maturin develop --release -q &
release_build=$!
checks=(env CARGO_TARGET_DIR=target/checks)
step ruff check python tests
step cargo fmt --check
step "${checks[@]}" cargo clippy --quiet --all-targets -- -D warnings
step "${checks[@]}" cargo clippy --quiet --lib --features python -- -D warnings
step "${checks[@]}" cargo test --quiet
wait "$release_build"
step python -m pytest -q
step bash scripts/docs.sh  # the API reference (pdoc) into target/docs/; fails on import errors
step bash scripts/wheel.sh
