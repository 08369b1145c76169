"""Which path PyTorch's `out=` form of a function takes, where that depends on the
arguments: it decides what happens when an argument (or `out`) requires grad.

- `COPIES`: PyTorch composes the function of other ops and copies the result into
  `out` (`CopyBackwards` on `out`; a leaf `out` that requires grad is refused).
- `CONSTANT`: PyTorch copies a result that does not depend on the arguments (the
  identity of `matrix_power(x, 0)`): no graph on `out`, a leaf `out` refused as above.
- `NOT_DIFFERENTIABLE`: an out= kernel without a derivative runs whatever requires
  grad, and `out` records PyTorch's `NotImplemented` node naming `kernel`.
- `REFUSES`: the out= kernel `kernel` refuses any argument that requires grad.

`route` answers None where the name alone decides (the tables in `_out`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ._core import Tensor

COPIES = "copies"
CONSTANT = "constant"
NOT_DIFFERENTIABLE = "not_differentiable"
REFUSES = "refuses"


class Route(NamedTuple):
    kind: str
    kernel: str = ""


def _first_tensor(args) -> Tensor | None:
    return next((a for a in args if isinstance(a, Tensor)), None)


def _is_complex(args) -> bool:
    first = _first_tensor(args)
    return first is not None and first.dtype.is_complex


def _ifft(args, kwargs) -> Route:
    """`ifft` of a real signal (as `ihfft`, which refuses complex ones itself): PyTorch's
    forward transform, then its `conj_physical` out= kernel, which has no derivative."""
    if _is_complex(args):
        return Route(REFUSES, "_fft_c2c")
    return Route(NOT_DIFFERENTIABLE, "conj_physical")


def _forward_one_dim(args, kwargs) -> Route:
    return Route(REFUSES, "_fft_c2c" if _is_complex(args) else "_fft_r2c")


def _pinv(args, kwargs) -> Route:
    """`linalg.pinv` with a tolerance (or the positional `rcond`) is composed of other
    ops; without, it is one kernel."""
    tolerances = [kwargs.get(k) for k in ("atol", "rtol")]
    if len(args) == 1 and kwargs.get("rcond") is None and any(isinstance(t, Tensor) for t in tolerances) \
            and all(t is None or isinstance(t, Tensor) for t in tolerances):
        return Route(REFUSES, "linalg_pinv")  # the overload of tensor tolerances is one kernel
    tolerance = len(args) > 1 or any(kwargs.get(k) is not None for k in ("atol", "rtol", "rcond"))
    return Route(COPIES) if tolerance else Route(REFUSES, "linalg_pinv")


def _matrix_power(args, kwargs) -> Route | None:
    """PyTorch copies the identity (n = 0), the input (n = 1) or the last square (|n| a
    power of two from 4) into `out`, inverts with `linalg_inv_ex` (n = -1) and
    multiplies with `matmul`'s out= kernel else."""
    n = args[1] if len(args) > 1 else kwargs.get("n")
    if not isinstance(n, int) or isinstance(n, bool):
        return None  # the function's own argument check speaks
    if n in (0, 1):
        return Route(CONSTANT if n == 0 else COPIES)
    if n == -1:
        return Route(REFUSES, "linalg_inv_ex")
    # |n| >= 4 by repeated squaring: a power of two copies its last square into `out`
    k = abs(n)
    if k >= 4 and k & (k - 1) == 0:
        return Route(COPIES)
    return Route(REFUSES, "matmul")


def _inner(args, kwargs) -> Route | None:
    """`inner` with a 0-dim operand is `mul`'s out= kernel."""
    if any(isinstance(a, Tensor) and a.dim() == 0 for a in args[:2]):
        return Route(REFUSES, "mul")
    return None


def _diff(args, kwargs) -> Route | None:
    """`diff` with n = 0 copies the input into `out`; else it runs `sub`'s out= kernel."""
    n = args[1] if len(args) > 1 else kwargs.get("n", 1)
    if isinstance(n, int) and not isinstance(n, bool) and n == 0:
        return Route(COPIES)
    return None


def _fixed(route: Route):
    return lambda args, kwargs: route


_ROUTES: dict[str, Any] = {
    "ifft": _ifft,
    "ihfft": _fixed(Route(NOT_DIFFERENTIABLE, "conj_physical")),
    "fft": _forward_one_dim,
    "rfft": _forward_one_dim,
    **{name: _fixed(Route(REFUSES, "_fft_c2c")) for name in ("fft2", "ifft2", "fftn", "ifftn", "ihfft2", "ihfftn")},
    **{name: _fixed(Route(REFUSES, "_fft_r2c")) for name in ("rfft2", "rfftn")},
    **{name: _fixed(Route(REFUSES, "_fft_c2r")) for name in ("irfft", "irfft2", "irfftn", "hfft", "hfft2", "hfftn")},
    "pinv": _pinv,
    "matrix_power": _matrix_power,
    "inner": _inner,
    "diff": _diff,
    "ldl_solve": _fixed(Route(NOT_DIFFERENTIABLE, "linalg_ldl_solve")),
    "tensorsolve": _fixed(Route(COPIES)),
}


# the keywords the routed functions' tensor operands go by
_OPERAND_KEYWORDS = ("input", "other", "A")


def route(name: str, args, kwargs) -> Route | None:
    """The path `name`'s out= form takes for these arguments, or None where the name
    alone decides."""
    decide = _ROUTES.get(name)
    if decide is None:
        return None
    operands = tuple(args) + tuple(kwargs[k] for k in _OPERAND_KEYWORDS if k in kwargs)
    return decide(operands, kwargs)
