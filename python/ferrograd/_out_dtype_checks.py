"""The dtype checks PyTorch makes on an `out=` argument before its kernel runs (so they
come before the kernel's own refusals): `out` of an elementwise op that keeps its
input's dtype, the cast check of TensorIterator ops that find no kernel, and the
reductions, float_power, ldexp and heaviside, which word their checks their own way.
`_out.with_out` runs them."""

from __future__ import annotations

from . import _core
from ._core import Tensor
from ._dtype_names import cpp_name, scalar_name
from ._python_dtypes import python_type_dtype
from ._tensor_api import can_cast


def _first_tensor(args) -> Tensor | None:
    return next((a for a in args if isinstance(a, Tensor)), None)


# elementwise ops whose result has their input's dtype: PyTorch checks `out` against it
# before it looks for a kernel (after refusing a complex input, for the second set; abs
# of a complex input is real)
KEEPS_INPUT_DTYPE = frozenset({"abs", "absolute", "ceil", "floor", "round", "trunc", "fix", "frac", "bitwise_not"})
COMPLEX_CHECKED_FIRST = frozenset({"abs", "absolute", "ceil", "floor", "trunc", "fix"})


def check_same_dtype_first(name: str, args, out) -> None:
    first = _first_tensor(args)
    if first is None or not isinstance(out, Tensor) or out.dtype == first.dtype:
        return
    if first.dtype.is_complex and name in COMPLEX_CHECKED_FIRST:
        return
    raise RuntimeError(f"Found dtype {scalar_name(out.dtype)} but expected {scalar_name(first.dtype)}")


# ops whose result is bool whatever their operands' common dtype
BOOL_RESULTS = frozenset({
    "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal", "not_equal",
    "logical_and", "logical_or", "logical_xor", "logical_not", "signbit", "isin", "isposinf", "isneginf",
    "isnan", "isinf", "isfinite", "isreal", "isclose",
})


def refuse_uncastable_out(args, out) -> None:
    """The cast check of `out` that PyTorch makes before an op finds it has no kernel for
    its operands' common dtype (that of the first, or the first two)."""
    if not isinstance(out, Tensor) or not args or not any(isinstance(a, Tensor) for a in args[:2]):
        return
    pair = len(args) > 1 and isinstance(args[1], (Tensor, int, float, complex))
    dtype = _core._result_type(args[0], args[1]) if pair else args[0].dtype
    if not can_cast(dtype, out.dtype):
        raise RuntimeError(f"result type {scalar_name(dtype)} can't be cast to the desired output type "
                           f"{scalar_name(out.dtype)}")


def floating_kernel_out(name: str, args, out, kwargs=None) -> None:
    """nansum/nanmean of a floating input and the normal sampler run their kernel in the
    dtype of `out`, which has no integer or bool form."""
    if not isinstance(out, Tensor) or out.dtype.is_floating_point or out.dtype.is_complex:
        return
    if name == "normal":
        if (kwargs or {}).get("dtype") is None:
            raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for '{scalar_name(out.dtype)}'")
        return
    first = _first_tensor(args)
    if first is not None and (first.dtype.is_floating_point or first.dtype.is_complex):
        raise NotImplementedError(f"\"nansum_cpu\" not implemented for '{scalar_name(out.dtype)}'")


def reduction_dtype_out(name: str, args, out, kwargs=None) -> None:
    """mean/nansum/nanmean given a `dtype=` reduce in it, straight into `out`, which must have
    it; nansum of a floating input into a floating dtype says so in its own words."""
    dtype = python_type_dtype((kwargs or {}).get("dtype"))
    first = _first_tensor(args)
    if dtype is None or first is None or not isinstance(out, Tensor):
        if name != "mean":
            floating_kernel_out(name, args, out, kwargs)
        return
    if dtype == out.dtype:
        return
    floating = dtype.is_floating_point or dtype.is_complex
    if not floating and name != "nansum" or name == "nanmean" and not first.dtype.is_floating_point:
        return  # the function's own dtype error comes first
    if name != "mean" and floating and (first.dtype.is_floating_point or first.dtype.is_complex):
        raise RuntimeError(f"nansum: provided dtype must match dtype of result. "
                           f"Got {scalar_name(out.dtype)} and {scalar_name(dtype)}.")
    raise RuntimeError(f"Expected out tensor to have dtype {cpp_name(dtype)}, but got {cpp_name(out.dtype)} instead")


def float_power_out(name: str, args, out, kwargs=None) -> None:
    """float_power computes in double (complex double): `out` must have that dtype."""
    if not isinstance(out, Tensor):
        return
    operands = [*args, *(kwargs or {}).values()]
    complex_ = any(a.dtype.is_complex if isinstance(a, Tensor) else isinstance(a, complex) for a in operands)
    wanted = _core.complex128 if complex_ else _core.float64
    if out.dtype != wanted:
        raise RuntimeError(f"the output given to float_power has dtype {scalar_name(out.dtype)} but the "
                           f"operation's result requires dtype {scalar_name(wanted)}")


def ldexp_out(name: str, args, out, kwargs=None) -> None:
    """ldexp (`input * 2 ** other`, floating) checks the cast into `out` in its own words."""
    if not isinstance(out, Tensor) or len(args) < 2:
        return
    dtype = _core._result_type(args[0], args[1])
    if not (dtype.is_floating_point or dtype.is_complex):
        dtype = _core.get_default_dtype()
    if not can_cast(dtype, out.dtype):
        raise RuntimeError(f"ldexp can't be cast to the desired output type {scalar_name(out.dtype)}")


def heaviside_out(name: str, args, out, kwargs=None) -> None:
    """heaviside refuses complex tensors, then any two dtypes that differ, `out`'s included."""
    tensors = [a for a in (*args, out) if isinstance(a, Tensor)]
    if any(t.dtype.is_complex for t in tensors):
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    if len({t.dtype for t in tensors}) > 1:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")


def diff_out(name: str, args, out, kwargs=None) -> None:
    """diff of order 0 copies its input into `out`, which must have the input's dtype."""
    kwargs = kwargs or {}
    first = _first_tensor(args)
    n = args[1] if len(args) > 1 else kwargs.get("n", 1)
    if first is None or not isinstance(out, Tensor) or n != 0 or out.dtype == first.dtype:
        return
    raise RuntimeError(f"expected scalar_type {scalar_name(first.dtype)} but found {scalar_name(out.dtype)}")


_INDEX_REDUCTIONS = ("prod", "mean", "amax", "amin")


def index_func_out(name: str, args, out, kwargs=None) -> None:
    """index_copy/index_add/index_reduce write into an `out` of self's dtype only: PyTorch
    checks it before the index (index_add and index_reduce after their own checks of the
    source's dtype and size and of the reduction)."""
    kwargs = kwargs or {}
    self = args[0] if args else kwargs.get("input")
    if not isinstance(self, Tensor) or not isinstance(out, Tensor) or out.dtype == self.dtype:
        return
    if name != "index_copy":
        dim = args[1] if len(args) > 1 else kwargs.get("dim")
        index = args[2] if len(args) > 2 else kwargs.get("index")
        source = args[3] if len(args) > 3 else kwargs.get("source")
        if not (isinstance(source, Tensor) and isinstance(index, Tensor) and isinstance(dim, int)):
            return
        if source.dtype != self.dtype or (source.dim() > 0 and -source.dim() <= dim < source.dim()
                                          and index.numel() != source.shape[dim]):
            return
        reduce = args[4] if len(args) > 4 else kwargs.get("reduce")
        if name == "index_reduce" and reduce not in _INDEX_REDUCTIONS:
            return
    raise RuntimeError(f"Expected out tensor to have dtype {cpp_name(self.dtype)}, but got {cpp_name(out.dtype)} "
                       "instead")
