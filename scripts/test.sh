#!/usr/bin/env bash
# Installs what the tests need into .venv and runs every check: lint, cargo test, pytest,
# the API docs, then builds the release wheel and runs the tour from it in a fresh environment.
. "$(dirname "$0")/env.sh"
bash scripts/graphviz.sh
python -m pip install -q --disable-pip-version-check "pytest>=7" "hypothesis>=6" "ruff>=0.5" "mypy>=1.18" "pdoc>=15,<16" \
    "scikit-learn>=1.3" "matplotlib>=3.7"  # the examples extra: tests run examples/digits.py
maturin develop --release -q
ruff check python tests
cargo fmt --check
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --lib --features python -- -D warnings
cargo test --quiet
python -m pytest -q
bash scripts/docs.sh  # the API reference (pdoc) into target/docs/; fails on import errors
bash scripts/wheel.sh
