"""`Tensor.sum` and `Tensor.mean` with PyTorch's two overloads: `sum()` and
`sum(dtype=...)` reduce every element (`SumBackward0`); a call that passes `dim`, even
None or (), takes the dim overload (`SumBackward1`; None and () reduce every dim)."""

from __future__ import annotations

from typing import Any

from ._argcheck import need_int64, need_int64_elements
from ._core import Tensor
from ._factory_kwargs import python_type_dtype


def _bad_combination(name: str, got: str) -> TypeError:
    return TypeError(
        f"{name}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
        " * (*, torch.dtype dtype = None)\n"
        " * (tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None)\n"
        " * (tuple of names dim, bool keepdim = False, *, torch.dtype dtype = None)\n"
    )


def _is_bool_dim(dim: Any) -> bool:
    """PyTorch's parser takes no bool for a dim, nor a dim list that starts with one."""
    if isinstance(dim, bool):
        return True
    return isinstance(dim, (tuple, list)) and len(dim) > 0 and isinstance(dim[0], bool)


def _with_dim_overload(name: str, reduce_all_or_dims):
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if not args and "dim" not in kwargs:
            if "keepdim" in kwargs:
                raise _bad_combination(name, "keepdim=bool, ")
            return reduce_all_or_dims(self, **kwargs)
        if args:
            dim, rest = args[0], args[1:]
        else:
            dim, rest = kwargs.pop("dim"), ()
        if _is_bool_dim(dim):
            raise _bad_combination(name, type(dim).__name__)
        need_int64(dim)  # a NumPy integer past int64 too (`np.uint64(2**64 - 1)`)
        need_int64_elements(name, "dim", dim)
        return reduce_all_or_dims(self, () if dim is None else dim, *rest, **kwargs)

    method.__name__ = name
    method.__qualname__ = f"Tensor.{name}"
    method.__doc__ = reduce_all_or_dims.__doc__
    return method


def _prod_into_complex(native_prod):
    """`prod(dtype=complex)`: PyTorch casts first, then multiplies (the native form
    multiplies complex numbers only in their own dtype)."""

    def prod(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        dtype = python_type_dtype(kwargs.get("dtype"))
        if dtype is not None and getattr(dtype, "is_complex", False):
            kwargs.pop("dtype")
            return native_prod(self.to(dtype), *args, **kwargs)
        if self.requires_grad and len(args) <= 2 and set(kwargs) <= {"dim", "keepdim", "dtype"}:
            return _prod_with_grad(native_prod, self, dtype, args, kwargs)
        return native_prod(self, *args, **kwargs)

    prod.__name__ = "prod"
    prod.__qualname__ = "Tensor.prod"
    prod.__doc__ = native_prod.__doc__
    return prod


def _prod_with_grad(native_prod, self: Tensor, dtype: Any, args: tuple, kwargs: dict) -> Tensor:
    """`prod` of a tensor that requires grad: PyTorch's node from `_prod_grad` where the
    core's differs (an int `dim` or none at all), the core's otherwise."""
    from . import _prod_grad as prod_grad

    if prod_grad.wants_own_node(self, dtype):
        dim = args[0] if args else kwargs.get("dim")
        keepdim = args[1] if len(args) > 1 else kwargs.get("keepdim", False)
        whole = not args and "dim" not in kwargs and "keepdim" not in kwargs
        if whole or (type(dim) is int and type(keepdim) is bool):
            return prod_grad.prod(self, None if whole else dim, keepdim)
    return native_prod(self, *args, **kwargs)


def _install() -> None:
    for name in ("sum", "mean"):
        setattr(Tensor, name, _with_dim_overload(name, getattr(Tensor, name)))
    Tensor.prod = _prod_into_complex(Tensor.prod)


_install()
