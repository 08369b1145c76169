"""The repr of a sparse CSR tensor, as PyTorch's `_tensor_str` writes it:

    tensor(crow_indices=tensor([0, 2, 3]),
           col_indices=tensor([0, 2, 1]),
           values=tensor([1., 2., 3.]), size=(2, 3), nnz=3,
           layout=ferrograd.sparse_csr)

Unlike COO's, the suffixes follow the values on their line, wrapping at the print width.
"""

from __future__ import annotations

from typing import Any

from . import _printing
from ._sparse_coo_repr import _OPENER, _listing, sparse_suffixes


def _part(name: str, t: Any, indent: int) -> str:
    opener = f"{name}=tensor("
    return opener + _listing(t, indent + len(opener)) + ")"


def format_csr(s: Any) -> str:
    indent = len(_OPENER)
    parts = [_part("crow_indices", s._fg_crow, indent), _part("col_indices", s._fg_col, indent),
             _part("values", s._fg_values.detach(), indent)]
    suffixes = sparse_suffixes(s, "sparse_csr")
    text = _OPENER + (",\n" + " " * indent).join(parts)
    return _printing._append_suffixes(text, suffixes, indent)
