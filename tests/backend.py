"""The module under test, chosen by the environment.

``FG_TEST_BACKEND`` unset or ``ferrograd``: the suite tests ferrograd.
``FG_TEST_BACKEND=torch``: the same suite runs against PyTorch, which proves that
every expectation in it is PyTorch's behaviour (torch is not a dependency of the
project; it is imported only when asked for).

``MOD`` is the name the module prints for itself (``ferrograd.float64``,
``ferrograd.Size([2, 2])``); ``IS_TORCH`` tells the two apart.
"""

import importlib
import os

_BACKENDS = ("ferrograd", "torch")

MOD = os.environ.get("FG_TEST_BACKEND", "ferrograd").strip() or "ferrograd"
if MOD not in _BACKENDS:
    raise RuntimeError(f"FG_TEST_BACKEND must be one of {_BACKENDS}, not {MOD!r}")

IS_TORCH = MOD == "torch"

fg = importlib.import_module(MOD)
