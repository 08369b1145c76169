"""PyTorch's factory keywords `layout` and `pin_memory` on the creation functions and
`Tensor.new_*`: `layout=None` / `ferrograd.strided` and `pin_memory=False` are accepted
and ignored (every tensor is a strided CPU tensor); `pin_memory=True` raises PyTorch's
RuntimeError on a machine without an accelerator, another layout its NotImplementedError."""

from __future__ import annotations

import functools
from typing import Any, NoReturn

from . import _tensor_likes as tensor_likes
from ._core import Tensor
from ._core import dtype as _dtype
from ._failure_frames import drops_own_frames
from ._python_dtypes import python_type_dtype
from ._subclass_dispatch import GATED_CODES, LIVE, MISS, gate

_FUNCTIONS = (
    "arange", "full", "zeros", "ones", "empty", "eye", "linspace", "logspace", "tril_indices",
    "triu_indices", "zeros_like", "ones_like", "full_like", "empty_like", "scalar_tensor",
    "empty_strided", "empty_permuted", "randperm",
)
_METHODS = ("new_zeros", "new_ones", "new_empty", "new_full", "new_empty_strided")
NO_PINNED_MEMORY = (
    "pin_memory=True requires a CUDA or other accelerator backend; no pinned memory allocator is available on "
    "this system."
)


def refuse_pinning(name: str, pin_memory: Any) -> NoReturn:
    """A factory's answer to a `pin_memory=` that is neither False nor None: PyTorch's
    RuntimeError for True; for another kind, a TypeError the failure path replaces with
    PyTorch's parser error."""
    if type(pin_memory) is bool:
        raise RuntimeError(NO_PINNED_MEMORY)
    raise TypeError(f"{name}(): argument 'pin_memory' must be bool, not {type(pin_memory).__name__}")


# factories that make an empty sparse COO tensor for `layout=ferrograd.sparse_coo`
_SPARSE_FACTORIES = frozenset({"zeros", "empty", "zeros_like", "empty_like"})


def _check(name: str, kwargs: dict[str, Any]) -> bool:
    """Takes `layout` and `pin_memory` out of `kwargs`; True when a sparse COO result is
    asked of a factory that makes one."""
    from . import sparse_bsc, sparse_bsr, sparse_coo, sparse_csc, sparse_csr, strided

    layout = kwargs.pop("layout", None)
    if kwargs.pop("pin_memory", False):
        raise RuntimeError(NO_PINNED_MEMORY)
    if layout is sparse_coo and name in _SPARSE_FACTORIES:
        return True
    if any(layout is c for c in (sparse_csr, sparse_csc, sparse_bsr, sparse_bsc)) and name in _SPARSE_FACTORIES:
        kwargs["layout"] = layout  # the caller sends the call to the CSR factory
        return True
    if layout is sparse_coo and name in ("ones", "full"):
        raise RuntimeError("full(...) is not implemented for sparse layout")
    if layout is not None and layout != strided:
        raise NotImplementedError(f"{name}(): layout {layout} is not supported; ferrograd tensors are strided")
    return False


# the `*_like` factories and how many positional arguments each takes
_LIKE = {"zeros_like": 1, "empty_like": 1, "ones_like": 1, "full_like": 2}


def _is_sparse(value: Any) -> bool:
    from ._sparse_common import is_compressed

    return isinstance(value, Tensor) and (value.is_sparse or is_compressed(value))


def _sparse_like(name: str, args: tuple, kwargs: dict[str, Any]) -> Any:
    """A `*_like` factory of a sparse input without `layout=`: PyTorch's result has the
    input's layout, an empty sparse tensor for zeros and empty, and no kernel fills one."""
    from ._sparse_common import is_compressed

    if is_compressed(args[0]):
        from ._sparse_csr_create import csr_factory

        return csr_factory(name, args, kwargs)
    if name in ("zeros_like", "empty_like"):
        from ._sparse_coo_create import empty_sparse_like_factory

        return empty_sparse_like_factory(name, args, kwargs)
    from ._sparse_strided import no_kernel

    raise no_kernel("fill_.Scalar", "SparseCPU")


def dtype_argument(fn: str, value: Any) -> Any:
    """A `dtype=` argument of `fn`: None, a dtype or a Python number type; anything else
    is PyTorch's TypeError."""
    from . import _core

    value = python_type_dtype(value)
    if value is None or isinstance(value, _core.dtype):
        return value
    raise TypeError(f"{fn}(): argument 'dtype' must be ferrograd.dtype, not {type(value).__name__}")


def _check_negative_sizes(name: str, args: tuple, kwargs: dict) -> None:
    """`zeros`/`ones` with a negative size, as PyTorch's CPU kernels refuse it: `zeros`
    checks the sizes itself, with its own message; with `out`, both resize it first
    (whose element count overflows). A meta tensor fails as any factory's does."""
    if str(kwargs.get("device")).startswith("meta"):
        return
    size = kwargs.get("size", args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else args)
    if not (isinstance(size, (tuple, list)) and any(type(n) is int and n < 0 for n in size)):
        return
    out = kwargs.get("out")
    if isinstance(out, Tensor):
        out.resize_(size)
    elif name == "zeros":
        raise RuntimeError("zeros: Dimension size must be non-negative.")


_PARSED = frozenset({"layout", "pin_memory", "requires_grad", "dtype"})


def _unparsed(kwargs: dict[str, Any]) -> bool:
    """Whether PyTorch's parser refuses a keyword: a `layout=` that is not a layout, a
    `pin_memory=` or `requires_grad=` that is not a bool, a `dtype=` that is not a dtype
    (None is each's default)."""
    layout, pin, grad, dtype = (kwargs.get(k) for k in ("layout", "pin_memory", "requires_grad", "dtype"))
    return (dtype is not None and type(dtype) is not _dtype and not isinstance(python_type_dtype(dtype), _dtype)
            or pin is not None and type(pin) is not bool or grad is not None and type(grad) is not bool
            or layout is not None and type(layout).__name__ != "layout")


@drops_own_frames
def _refuse_unparsed(name: str, args: tuple, kwargs: dict[str, Any]) -> None:
    from ._parser_check import parser_error, signature_error
    from ._torch_signatures import SIGNATURES

    qualified, parsed = (f"Tensor.{name}", args[1:]) if name in _METHODS else (name, args)
    if name == "full":  # PyTorch's parser answers for its first overload alone (the others are hidden)
        error = signature_error(name, SIGNATURES[name][1][:1], parsed, kwargs)
    else:
        error = parser_error(qualified, parsed, kwargs)
    if error is not None:
        raise error


def _taking_factory_keywords(fn, name: str):
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if LIVE[0]:
            result = gate(call, args, kwargs)
            if result is not MISS:
                return result
        layout_given = "layout" in kwargs
        if kwargs and not _PARSED.isdisjoint(kwargs) and _unparsed(kwargs):
            _refuse_unparsed(name, args, kwargs)
        if (layout_given or "pin_memory" in kwargs) and _check(name, kwargs):
            if kwargs.get("layout") is not None:
                from ._sparse_csr_create import csr_factory

                return csr_factory(name, args, kwargs)
            kwargs.pop("layout", None)
            from ._sparse_coo_create import empty_sparse_like_factory

            return empty_sparse_like_factory(name, args, kwargs)
        if (not layout_given and name in _LIKE and len(args) == _LIKE[name] and type(args[0]) is not Tensor
                and _is_sparse(args[0])):
            return _sparse_like(name, args, kwargs)
        if "dtype" in kwargs:
            kwargs["dtype"] = python_type_dtype(kwargs["dtype"])
        if name in ("zeros", "ones"):
            _check_negative_sizes(name, args, kwargs)
        try:
            return fn(*args, **kwargs)
        except Exception as failure:  # noqa: BLE001 - raised again unless a tensor-like takes the call
            return tensor_likes.after_failure(failure, call, args, kwargs)

    tensor_likes.WRAPPER_CODES.add(call.__code__)
    GATED_CODES.add(call.__code__)
    call.__taking_factory_keywords__ = True  # type: ignore[attr-defined]
    return call


def install(namespace: dict[str, Any]) -> None:
    """Wraps the package's factories and the Tensor `new_*` methods; run once after the
    other installers."""
    for name in _FUNCTIONS:
        fn = namespace.get(name)
        if callable(fn) and not getattr(fn, "__taking_factory_keywords__", False):
            namespace[name] = _taking_factory_keywords(fn, name)
    for name in _METHODS:
        method = getattr(Tensor, name, None)
        if method is not None and not getattr(method, "__taking_factory_keywords__", False):
            setattr(Tensor, name, _taking_factory_keywords(method, name))
