"""Calls the Rust core hands over because an argument is a tensor of a layout written in
Python (a `SparseCooTensor`, tagged by `Tensor._set_layout`; see `src/python/layout_tag.rs`).

The core holds strided tensors only; such a tensor's core tensor is an empty stand-in,
so a binding that meets one passes the call here instead of computing on the stand-in.
Each entry runs the op for that layout where PyTorch has a kernel for it and raises
PyTorch's error where it has none. A sparse first operand takes the call as its method
(`xlogy(s, 2)` is `s.xlogy(2)`): the sparse class computes the ops it has and refuses the
rest with PyTorch's NotImplementedError. `refused` makes that error for the bindings that
read strided tensors only (`src/python/strided_arg.rs`), naming the op after the calling
function; `strided_only` raises it from Python functions that never reach such a binding.
"""

from __future__ import annotations

import sys
from typing import Any

from ._core import Tensor


def is_compressed(x: Any) -> bool:
    """Whether `x` is a tensor of a compressed sparse layout (CSR or CSC); here rather
    than from `_sparse_common`, which loads numpy."""
    return getattr(type(x), "_fg_compressed", False)


def is_quantized(x: Any) -> bool:
    """Whether `x` is a quantized tensor (`_quantized.QuantizedTensor`)."""
    return getattr(type(x), "_fg_quantized", False)


def _sparse(value: Any) -> bool:
    """Whether `value` is a tensor of a layout written in Python (sparse or quantized)."""
    return isinstance(value, Tensor) and (value.is_sparse or is_compressed(value) or is_quantized(value))


def _backend(value: Any) -> str:
    """The dispatch key PyTorch's messages name for a tensor of a Python layout."""
    if is_quantized(value):
        return "QuantizedCPU"
    return "SparseCsrCPU" if is_compressed(value) else "SparseCPU"


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
    if is_compressed(input) and not input.is_sparse_csr:
        raise RuntimeError(f"unsupported tensor layout: {input._fg_layout_name}")
    raise _no_kernel(_aten_name(op), _backend(input if _sparse(input) else other))


def refused(tensor: Tensor, op: str | None = None) -> NotImplementedError:
    """The error for `tensor` reaching a binding of the core that reads strided tensors
    only (`src/python/strided_arg.rs` calls this): PyTorch's NotImplementedError for an op
    without a kernel for the tensor's layout, named after `op` where the binding passes
    its name, else after the ferrograd function that called the binding (PyTorch's aten
    name where it differs)."""
    if is_quantized(tensor):
        return refused_layout("quantized", op)
    return refused_layout("sparse_csr" if is_compressed(tensor) else "sparse_coo", op)


def strided_only(*tensors: Any, op: str | None = None, in_place: bool = False) -> None:
    """`refused`'s error for the first sparse tensor among `tensors`: for the Python
    functions that read a tensor's shape or values without a checked binding of the core.
    `op` names the aten op where the caller's name does not tell it; `in_place` gives the
    in-place op's name (`elu_`)."""
    for t in tensors:
        if type(t) is not Tensor and _sparse(t):
            if op is not None:
                raise _no_kernel(op, _backend(t))
            error = refused(t)
            if in_place:
                error = _no_kernel(str(error).split("'")[1].removeprefix("aten::") + "_", _backend(t))
            raise error


def refused_layout(layout: str, op: str | None = None) -> NotImplementedError:
    """`refused` for a tensor of `layout` (a method's receiver, which the core sees
    without its object)."""
    backend = {"sparse_coo": "SparseCPU", "sparse_csr": "SparseCsrCPU", "quantized": "QuantizedCPU"}.get(layout, "Meta")
    if op is not None:
        return _no_kernel(_REFUSED_ATEN_NAMES.get(op, op), backend)
    caller = sys._getframe(1)
    while caller.f_globals.get("__name__") == __name__:
        caller = caller.f_back
    while _ours(caller) and caller.f_back is not None and (
            caller.f_code.co_name.startswith("_") or "<locals>" in caller.f_code.co_qualname):
        caller = caller.f_back  # a private helper, or a function made by a factory (`_binary`)
    # the user's code called a method of the core (or its private implementation) itself
    op = caller.f_code.co_name if _ours(caller) else _called_name(caller) or "unknown"
    return _no_kernel(_REFUSED_ATEN_NAMES.get(op, op), backend)


def _ours(frame: Any) -> bool:
    return frame.f_globals.get("__name__", "").startswith("ferrograd.")


def _called_name(frame: Any) -> str | None:
    """The name of the function or method the call `frame` is running calls (`gather` of
    `x.gather(1, s)`), read from the call's source text; None where it is not known."""
    import ast
    import dis
    import linecache

    # the running CALL: the last instruction at or before `f_lasti` (which may point
    # into the call's inline caches)
    running = [i for i in dis.get_instructions(frame.f_code) if i.offset <= frame.f_lasti]
    pos = running[-1].positions if running else None
    if pos is None or None in (pos.lineno, pos.end_lineno, pos.col_offset, pos.end_col_offset):
        return None
    lines = [linecache.getline(frame.f_code.co_filename, n) for n in range(pos.lineno, pos.end_lineno + 1)]
    lines[-1] = lines[-1][:pos.end_col_offset]
    lines[0] = lines[0][pos.col_offset:]
    try:
        call = ast.parse("".join(lines).strip(), mode="eval").body
    except SyntaxError:
        return None
    func = getattr(call, "func", None)
    return getattr(func, "attr", None) or getattr(func, "id", None)


def method(name: str, tensor: Tensor, other: Any, kwargs: dict | None) -> Any:
    """`tensor.<name>(other, **kwargs)` for a dense `tensor` and a sparse `other`: a sum
    or difference is dense, a product sparse (as `other * tensor`) and `mm` (or a 2-D
    `matmul`) dense, as in PyTorch; other ops have no kernel."""
    kwargs = kwargs or {}
    if is_quantized(other):
        from ._quantized import dense_method

        return dense_method(name, tensor, other)
    if name in ("add", "sub"):
        return getattr(tensor, name)(other.to_dense(), **kwargs)
    if name == "mul":
        return other.mul(tensor)
    if name == "mm" or (name == "matmul" and tensor.dim() == 2 and other.dim() == 2):
        if getattr(other, "_fg_kind", "") in ("BSR", "BSC"):
            raise RuntimeError(f"addmm: computation on CPU is not implemented for Strided + Strided @ "
                               f"{other._fg_layout_name}")
        carrier = other._dense_operand() if is_compressed(other) else None  # PyTorch's dense gradient
        return tensor.mm(other.to_dense() if carrier is None else carrier)
    raise _no_kernel(_aten_name(name))


def cat(tensors: Any, dim: int) -> Any:
    """`cat` of a sequence holding sparse tensors: sparse when all are (PyTorch's
    `cat_sparse`), PyTorch's errors for a mix with dense ones."""
    tensors = list(tensors)
    if any(is_quantized(t) for t in tensors):
        from ._quantized import quantized_cat

        return quantized_cat(tensors, dim)
    _check_all_sparse(tensors)
    from ._sparse_coo_join import sparse_cat

    return sparse_cat(tensors, dim)


def stack(tensors: Any, dim: int) -> Any:
    """`stack` of a sequence holding sparse tensors (each unsqueezed at `dim`, then
    joined), PyTorch's errors for a mix with dense ones."""
    tensors = list(tensors)
    if any(is_quantized(t) for t in tensors):
        from ._quantized import quantized_cat

        return quantized_cat([t.unsqueeze(dim) if is_quantized(t) else t for t in tensors], dim)
    _check_all_sparse(tensors)
    from ._sparse_coo_join import sparse_stack

    return sparse_stack(tensors, dim)


def _check_all_sparse(tensors: list) -> None:
    for t in tensors:
        if is_compressed(t):  # joins of CSR tensors are not written
            if t.is_sparse_csr:
                raise _no_kernel("cat", "SparseCsrCPU")
            raise RuntimeError(f"Sparse {t._fg_kind} tensors do not have is_contiguous")
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


# the aten op PyTorch's error names for a sparse input to the ferrograd function of that name
_REFUSED_ATEN_NAMES = {
    "argsort": "sort.stable", "sort": "sort.stable", "std": "std.correction", "var": "var.correction",
    "std_mean": "std_mean.correction", "var_mean": "var_mean.correction", "logsumexp": "logsumexp.out",
    "softmax": "_softmax", "log_softmax": "_log_softmax", "logcumsumexp": "_logcumsumexp",
    "cummax": "_cummax_helper", "cummin": "_cummin_helper", "count_nonzero": "count_nonzero.dim_IntList",
    "diag": "diagonal_copy", "flipud": "flip", "fliplr": "flip", "frexp": "frexp.Tensor_out",
    "complex": "complex.out", "polar": "polar.out", "celu": "elu", "selu": "elu", "celu_": "elu_",
    "selu_": "elu_", "bernoulli": "bernoulli.p", "fill": "fill_.Scalar", "rand_like": "uniform_",
    "randn_like": "normal_", "randint_like": "random_.from", "unbind_copy": "unbind_copy.int",
    "split": "as_strided", "chunk": "as_strided", "unsafe_split": "as_strided", "unsafe_chunk": "as_strided",
    "block_diag": "as_strided", "take_along_dim": "view", "dequantize": "dequantize.self",
    "lt": "lt.Scalar", "less": "lt.Scalar", "le": "le.Scalar", "less_equal": "le.Scalar", "gt": "gt.Scalar",
    "greater": "gt.Scalar", "ge": "ge.Scalar", "greater_equal": "ge.Scalar", "ne": "ne.Scalar",
    "not_equal": "ne.Scalar", "rsub": "rsub.Tensor",
}
