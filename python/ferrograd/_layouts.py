"""Calls the Rust core hands over because an argument is a tensor of a layout written in
Python (a `SparseCooTensor`, tagged by `Tensor._set_layout`; see `src/python/layout_tag.rs`).

The core holds strided tensors only; such a tensor's core tensor is an empty stand-in,
so a binding that meets one passes the call here instead of computing on the stand-in.
Each entry runs the op for that layout where PyTorch has a kernel for it and raises
PyTorch's error where it has none. A sparse first operand takes the call as its method
(`xlogy(s, 2)` is `s.xlogy(2)`): the sparse class computes the ops it has and refuses the
rest with PyTorch's NotImplementedError.
"""

from __future__ import annotations

from typing import Any

from ._core import Tensor


def _sparse(value: Any) -> bool:
    return isinstance(value, Tensor) and value.is_sparse


def _no_kernel(op: str, backend: str = "SparseCPU") -> NotImplementedError:
    from ._sparse_strided import no_kernel

    return no_kernel(op, backend)


def binary(op: str, input: Any, other: Any) -> Any:
    """`op(input, other)` of the elementwise two-operand functions (`atan2`, `xlogy`,
    their in-place forms `op_`)."""
    if _sparse(input) and op in vars(type(input)):
        return getattr(input, op)(other)
    # PyTorch's elementwise kernels of two tensors have no sparse form but those the
    # sparse class writes
    raise _no_kernel(_aten_name(op))


def method(name: str, tensor: Tensor, other: Any, kwargs: dict | None) -> Any:
    """`tensor.<name>(other, **kwargs)` for a dense `tensor` and a sparse `other`: a sum
    or difference is dense, a product sparse (as `other * tensor`) and `mm` dense, as in
    PyTorch; other ops have no kernel."""
    kwargs = kwargs or {}
    if name in ("add", "sub"):
        return getattr(tensor, name)(other.to_dense(), **kwargs)
    if name == "mul":
        return other.mul(tensor)
    if name == "mm":
        return tensor.mm(other.to_dense())
    raise _no_kernel(_aten_name(name))


def cat(tensors: Any, dim: int) -> Any:
    """`cat` of a sequence holding sparse tensors: sparse when all are (PyTorch's
    `cat_sparse`), PyTorch's errors for a mix with dense ones."""
    tensors = list(tensors)
    _check_all_sparse(tensors)
    from ._sparse_coo_join import sparse_cat

    return sparse_cat(tensors, dim)


def stack(tensors: Any, dim: int) -> Any:
    """`stack` of a sequence holding sparse tensors (each unsqueezed at `dim`, then
    joined), PyTorch's errors for a mix with dense ones."""
    tensors = list(tensors)
    _check_all_sparse(tensors)
    from ._sparse_coo_join import sparse_stack

    return sparse_stack(tensors, dim)


def _check_all_sparse(tensors: list) -> None:
    if not _sparse(tensors[0]):
        # PyTorch's dense cat asks a sparse operand for its values on the dense backend
        raise _no_kernel("_values", "CPU")
    for position, t in enumerate(tensors):
        if not _sparse(t):
            raise RuntimeError(f"Concatenating sparse tensors, but a dense tensor was found at position {position}.")


# the aten overload PyTorch's message names for an op whose second operand is a tensor
_TENSOR_OVERLOADS = frozenset({"xlogy", "xlogy_", "copysign", "copysign_", "clamp_min", "clamp_max", "eq", "ne", "lt",
                               "le", "gt", "ge", "pow", "pow_", "mul", "div", "remainder", "fmod", "float_power"})


def _aten_name(op: str) -> str:
    return f"{op}.Tensor" if op in _TENSOR_OVERLOADS else op
