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


def format_csr(s: Any, compressed: str = "crow_indices", plain: str = "col_indices",
               layout: str = "sparse_csr") -> str:
    """The repr of a compressed sparse tensor: its `compressed` and `plain` indices (their
    names: `crow_indices` and `col_indices` of CSR), values and suffixes (`layout`)."""
    indent = len(_OPENER)
    parts = [_part(compressed, s._fg_crow, indent), _part(plain, s._fg_col, indent),
             _part("values", s._fg_values.detach(), indent)]
    suffixes = sparse_suffixes(s, layout)
    text = _OPENER + (",\n" + " " * indent).join(parts)
    return _printing._append_suffixes(text, suffixes, indent)
