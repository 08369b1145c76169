#!/usr/bin/env bash
# Makes Graphviz's `dot` available for the picture tests (tests/test_viz.py renders an
# SVG with it): installs the Debian package when missing and this runs as root with
# apt-get. Never fails the run: offline, the viz tests check render's install hint.
if command -v dot >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    if timeout 300 apt-get install -y -q graphviz >/dev/null 2>&1 ||
        { timeout 300 apt-get update -q >/dev/null 2>&1 &&
          timeout 300 apt-get install -y -q graphviz >/dev/null 2>&1; }; then
        exit 0
    fi
fi
echo "note: Graphviz's dot is not installed (apt-get install graphviz); the viz tests check the install hint instead" >&2
exit 0
