"""`assert_allclose`, PyTorch's deprecated predecessor of `assert_close`."""

from __future__ import annotations

import warnings
from typing import Any

from ._comparison import assert_close

# rtol, atol per dtype name, as PyTorch's `assert_allclose` chooses them
_TOLERANCES = {"float16": (1e-3, 1e-3), "float32": (1e-4, 1e-5), "float64": (1e-5, 1e-8)}


def assert_allclose(actual: Any, expected: Any, rtol: float | None = None,
                    atol: float | None = None, equal_nan: bool = True, msg: str = "") -> None:
    """Deprecated (warns with a FutureWarning): `assert_close` without the dtype check,
    with nan equal to nan by default and PyTorch's older tolerances.

    Args:
        actual: the tensor (or data turned into one) to check.
        expected: the expected value (data is turned into `actual`'s dtype).
        rtol: the relative tolerance; with `atol` None, chosen from the dtypes.
        atol: the absolute tolerance; with `rtol` None, chosen from the dtypes.
        equal_nan: whether nan equals nan (default True).
        msg: the message of the failure, instead of the default one.
    """
    from .._core import Tensor
    from .._creation import tensor

    warnings.warn(
        "`torch.testing.assert_allclose()` is deprecated since 1.12 and will be removed in a "
        "future release. Please use `torch.testing.assert_close()` instead. You can find "
        "detailed upgrade instructions in https://github.com/pytorch/pytorch/issues/61844.",
        FutureWarning, stacklevel=2)
    if not isinstance(actual, Tensor):
        actual = tensor(actual)
    if not isinstance(expected, Tensor):
        expected = tensor(expected, dtype=actual.dtype)
    if rtol is None and atol is None:
        pairs = [_TOLERANCES.get(str(t.dtype).rsplit(".", 1)[-1], (0.0, 0.0))
                 for t in (actual, expected)]
        rtol = max(p[0] for p in pairs)
        atol = max(p[1] for p in pairs)
    assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan,
                 check_device=True, check_dtype=False, check_stride=False, msg=msg or None)
