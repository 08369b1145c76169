#!/usr/bin/env bash
# Builds and installs ferrograd (release) into .venv, then runs the autograd tour.
. "$(dirname "$0")/env.sh"
maturin develop --release -q
python -m ferrograd.tour
