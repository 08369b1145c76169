"""Shared fixtures. The backend switch lives in ``backend.py`` (see there)."""

import os
import sys

import pytest

# Test modules import the helpers that sit beside them (``backend``, ``dtype_rules``);
# make that independent of pytest's import mode.
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


def _backend():
    import backend  # after the sys.path set-up above

    return backend


def pytest_report_header(config):
    return f"ferrograd test backend: {_backend().MOD}"


@pytest.fixture
def fg():
    """The module under test (``ferrograd``, or ``torch`` with FG_TEST_BACKEND=torch)."""
    return _backend().fg


@pytest.fixture
def mod_name():
    """The name the module under test prints for itself."""
    return _backend().MOD
