"""Anomaly detection: nodes remember where their forward op ran, and a backward that
produces NaN raises RuntimeError naming the node and showing that place."""

from __future__ import annotations

import warnings
from types import TracebackType

from .. import _core
from .._toplevel_misc import set_anomaly_enabled


class detect_anomaly:
    """Context manager (not a decorator, as in PyTorch) that turns anomaly detection on:
    nodes remember where their forward op ran, and a backward node producing NaN raises
    RuntimeError naming that node and place.

    Args:
        check_nan: raise when a backward node produces NaN (default True).
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        self.prev = _core.is_anomaly_enabled()
        self.prev_check_nan = _core.is_anomaly_check_nan_enabled()
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and "
            "should only be enabled for debugging.",
            stacklevel=2,
        )

    def __enter__(self) -> None:
        # a `check_nan` that is no bool is refused here, not when the object is made
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


class set_detect_anomaly:
    """Sets anomaly detection on or off: as a function, or as a context manager that
    restores the previous setting.

    Args:
        mode: True turns detection on, False off.
        check_nan: raise when a backward node produces NaN (default True).
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = _core.is_anomaly_enabled()
        self.prev_check_nan = _core.is_anomaly_check_nan_enabled()
        set_anomaly_enabled(mode, check_nan)
        self.check_nan = check_nan

    def __enter__(self) -> None:
        pass

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)


def is_anomaly_enabled() -> bool:
    """Whether anomaly detection is on."""
    return _core.is_anomaly_enabled()
