"""NumPy ufuncs on tensors give tensors: `np.exp(t)` and `np.add(a, t)` run the matching
ferrograd op (so gradients flow), and any other ufunc runs in NumPy on the values.

`ndarray + tensor` is a ufunc call too, so it returns a Tensor (PyTorch raises TypeError
there under NumPy 2).
"""

from __future__ import annotations

from typing import Any

from ._core import Tensor
from ._numpy import np

# NumPy's ufunc names that differ from ferrograd's function names
_RENAMED = {
    "true_divide": "div",
    "divide": "div",
    "multiply": "mul",
    "subtract": "sub",
    "power": "pow",
    "float_power": "float_power",
    "negative": "neg",
    "absolute": "abs",
    "greater": "gt",
    "greater_equal": "ge",
    "less": "lt",
    "less_equal": "le",
    "equal": "eq",
    "not_equal": "ne",
    "arctan2": "atan2",
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arcsinh": "asinh",
    "arccosh": "acosh",
    "arctanh": "atanh",
    "invert": "bitwise_not",
    "left_shift": "bitwise_left_shift",
    "right_shift": "bitwise_right_shift",
    "conjugate": "conj",
}


def _array_ufunc(self: Tensor, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
    import ferrograd

    if method != "__call__" or kwargs.get("out") is not None or ufunc.nout != 1:
        return NotImplemented
    fn = getattr(ferrograd, _RENAMED.get(ufunc.__name__, ufunc.__name__), None)
    if fn is not None and not kwargs:
        args = [x if isinstance(x, (Tensor, int, float, bool)) else ferrograd.as_tensor(np.asarray(x))
                for x in inputs]
        return fn(*args)
    values = [x.detach().numpy() if isinstance(x, Tensor) else x for x in inputs]
    return ferrograd.as_tensor(np.asarray(ufunc(*values, **kwargs)))


def _install() -> None:
    Tensor.__array_ufunc__ = _array_ufunc


_install()
