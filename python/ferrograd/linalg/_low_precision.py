"""PyTorch's CPU refusals of float16/bfloat16 in `torch.linalg` (each function names the
LAPACK-backed kernel or check it stops at), applied before the float32 core would accept
them; also the integer refusals that differ from the generic floating-point check."""

from __future__ import annotations

import functools
from collections.abc import Callable

from .. import _core
from .._core import Tensor
from .._dtype_names import scalar_name
from .._shell_dtypes import FLOAT8_DTYPES

# the 8-bit floats meet the same refusals, but for these
_HALF = (_core.float16, _core.bfloat16, *FLOAT8_DTYPES)


def _kernel(kernel: str) -> Callable[[Tensor], Exception]:
    return lambda A: NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(A.dtype)}'")


def _low(name: str) -> Callable[[Tensor], Exception]:
    return lambda A: RuntimeError(f"{name}: Low precision dtypes not supported. Got {scalar_name(A.dtype)}")


def _float_or_double(A: Tensor) -> Exception:
    return RuntimeError("This function doesn't handle types other than float and double")


def _pinv(A: Tensor) -> Exception:
    shape = ", ".join(str(s) for s in A.shape)
    return RuntimeError(f"linalg.pinv({scalar_name(A.dtype)}{{[{shape}]}}): expected a tensor with 2 or more "
                        "dimensions of float, double, cfloat or cdouble types")


def _vander(A: Tensor) -> Exception:
    return RuntimeError(f"linalg.vander supports floating point, complex, and integer tensors, but got "
                        f"{scalar_name(A.dtype)}")


_LU = _kernel("lu_cpu")
_SVD = _kernel("linalg_svd_cpu")
_INV = _low("linalg.inv")

# function -> the error PyTorch raises for a half-precision first argument
HALF_REFUSALS: dict[str, Callable[[Tensor], Exception]] = {
    "det": _LU, "solve": _LU, "solve_ex": _LU, "lu": _LU, "lu_factor": _LU, "lu_factor_ex": _LU,
    "tensorsolve": _LU, "slogdet": _low("linalg.slogdet"), "inv": _INV, "inv_ex": _INV, "tensorinv": _INV,
    "lstsq": _float_or_double,  # matrix_rank words its own (the order depends on rtol)
    "cholesky": _kernel("cholesky_cpu"), "cholesky_ex": _kernel("cholesky_cpu"), "qr": _kernel("geqrf_cpu"),
    "eigh": _kernel("linalg_eigh_cpu"), "eigvalsh": _kernel("linalg_eigh_cpu"), "svd": _SVD, "svdvals": _SVD,
    "pinv": _pinv, "solve_triangular": _kernel("triangular_solve_cpu"), "vander": _vander,
    "householder_product": _kernel("orgqr_cpu"), "ldl_factor": _kernel("ldl_factor_kernel_cpu"),
    "ldl_factor_ex": _kernel("ldl_factor_kernel_cpu"),
}

# function -> the error PyTorch raises for an integer or bool first argument
INTEGER_REFUSALS: dict[str, Callable[[Tensor], Exception]] = {
    "lu": _LU, "lu_factor": _LU, "lu_factor_ex": _LU,
    "vecdot": lambda A: RuntimeError(
        f"linalg.vecdot: Expected a floating point or complex tensor as input. Got {scalar_name(A.dtype)}"),
}


_TRIL = _kernel("tril")  # an 8-bit float stops at the triangle it takes first


def _unknown_complex(A: Tensor) -> Exception:
    return RuntimeError(f"Unknown Complex ScalarType for {scalar_name(A.dtype)}")


FLOAT8_REFUSALS: dict[str, Callable[[Tensor], Exception]] = {
    "cholesky": _TRIL, "cholesky_ex": _TRIL, "ldl_factor": _TRIL, "ldl_factor_ex": _TRIL,
    "eig": _unknown_complex, "eigvals": _unknown_complex,
}


def _first(args, kwargs):
    if args:
        return args[0]
    return next(iter(kwargs.values()), None)


# the shape errors PyTorch raises before it looks at the dtype
_SHAPE_REFUSALS = ("must have at least 2 dimensions", "batches of square matrices",
                   "Expected tensor with 2 or more dimensions", "Expected self to satisfy the requirement")


def _raise_shape_refusal(fn: Callable, args, kwargs) -> None:
    """Raises the shape error `fn` gives for these arguments in float32, if any (called
    only once a dtype refusal is due)."""
    if args:
        args = (args[0].float(),) + tuple(args[1:])
    else:
        key = next(iter(kwargs))
        kwargs = {**kwargs, key: kwargs[key].float()}
    try:
        fn(*args, **kwargs)
    except RuntimeError as e:
        if any(m in str(e) for m in _SHAPE_REFUSALS):
            raise
    except (TypeError, ValueError, IndexError, NotImplementedError):
        return  # not a shape error: the dtype refusal stands


def guard(fn: Callable, half=None, integer=None, float8=None) -> Callable:
    """`fn` raising PyTorch's error first for the dtypes PyTorch refuses."""

    @functools.wraps(fn)
    def guarded(*args, **kwargs):
        A = _first(args, kwargs)
        B = args[1] if len(args) > 1 else None
        if isinstance(A, Tensor):
            mismatched = isinstance(B, Tensor) and B.dtype != A.dtype  # PyTorch reports that first
            refusal = float8 if float8 is not None and A.dtype in FLOAT8_DTYPES else half
            if refusal is not None and A.dtype in _HALF and not mismatched:
                if refusal is not _unknown_complex:  # PyTorch picks the complex dtype before any check
                    _raise_shape_refusal(fn, args, kwargs)
                raise refusal(A)
            if integer is not None and not (A.dtype.is_floating_point or A.dtype.is_complex):
                _raise_shape_refusal(fn, args, kwargs)
                raise integer(A)
        return fn(*args, **kwargs)

    return guarded


def _with_second(fn: Callable, key: str, default, refusal: Callable) -> Callable:
    """`fn(input, <key>, ...)` raising `refusal(input, value of key)` when that gives an error
    for a half-precision input."""

    @functools.wraps(fn)
    def guarded(*args, **kwargs):
        A = _first(args, kwargs)
        if isinstance(A, Tensor) and A.dtype in _HALF:
            value = args[1] if len(args) > 1 else kwargs.get(key, default)
            error = refusal(A, value)
            if error is not None:
                raise error
        return fn(*args, **kwargs)

    return guarded


def _matrix_power_refusal(A: Tensor, n) -> Exception | None:
    return _INV(A) if isinstance(n, int) and n < 0 else None


def _cond_refusal(A: Tensor, p) -> Exception | None:
    return (_SVD if p in (None, 2, -2) else _INV)(A)


def _matrix_norm_refusal(A: Tensor, ord) -> Exception | None:
    return _low("linalg.matrix_norm")(A) if ord in (2, -2, "nuc") else None


def install(namespace: dict) -> None:
    """Wraps the functions of `namespace` (the linalg module's globals) in place."""
    for name in set(HALF_REFUSALS) | set(INTEGER_REFUSALS) | set(FLOAT8_REFUSALS):
        if name in namespace:
            namespace[name] = guard(namespace[name], HALF_REFUSALS.get(name), INTEGER_REFUSALS.get(name),
                                    FLOAT8_REFUSALS.get(name))
    namespace["matrix_power"] = _with_second(namespace["matrix_power"], "n", 1, _matrix_power_refusal)
    namespace["cond"] = _with_second(namespace["cond"], "p", None, _cond_refusal)
    namespace["matrix_norm"] = _with_second(namespace["matrix_norm"], "ord", "fro", _matrix_norm_refusal)
