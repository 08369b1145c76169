"""The repr of a sparse COO tensor, as PyTorch's `_tensor_str` writes it:

    tensor(indices=tensor([[0, 1],
                           [1, 0]]),
           values=tensor([1., 2.]),
           size=(2, 2), nnz=2, layout=ferrograd.sparse_coo)

The suffixes start on a new line (PyTorch's `force_newline` for sparse tensors) and
wrap at the print width as a dense tensor's do.
"""

from __future__ import annotations

from typing import Any

from . import _core, _printing
from ._tensor import _dtype_name, _exact_values

_OPENER = "tensor("


def _listing(t: Any, indent: int) -> str:
    """A dense tensor's bracketed values, with `, size=` when it is empty (PyTorch's)."""
    array = _exact_values(t)
    if array.size == 0:
        return f"[], size={tuple(t.shape)}"
    return _printing._format_body(array, _dtype_name(t), indent)


def sparse_suffixes(s: Any, layout: str) -> list[str]:
    """What a sparse tensor's repr ends with: size, nnz, a non-default dtype, the layout
    and the autograd marks."""
    default = _core.get_default_dtype()
    suffixes = [f"size={s._fg_size}", f"nnz={s._nnz()}"]
    complex_default = _core.complex128 if default is _core.float64 else _core.complex64
    if s.dtype not in (default, complex_default, _core.int64, _core.bool):
        suffixes.append(f"dtype={_printing.DTYPE_NAMESPACE}{_dtype_name(s)}")
    suffixes.append(f"layout=ferrograd.{layout}")
    grad_fn = s.grad_fn
    suffixes += _printing._autograd_suffixes(None if grad_fn is None else type(grad_fn).__name__, s.requires_grad)
    return suffixes


def format_sparse(s: Any) -> str:
    indent = len(_OPENER)
    indices = "indices=tensor(" + _listing(s._fg_indices, indent + len("indices=tensor(")) + ")"
    values = "values=tensor(" + _listing(s._fg_values.detach(), indent + len("values=tensor(")) + ")"
    suffixes = sparse_suffixes(s, "sparse_coo")
    text = _OPENER + indices + ",\n" + " " * indent + values
    return _printing._append_suffixes(text, suffixes, indent, force_newline=True)
