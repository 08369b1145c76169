"""The `*_copy` forms of PyTorch's sparse-tensor accessors (`indices_copy`,
`values_copy`, `crow_indices_copy`, ...). Each refuses a strided input as PyTorch does,
and a sparse COO one as PyTorch's CPU build does (no SparseCPU kernel)."""

from __future__ import annotations

from ._argcheck import need_tensor as _need_tensor
from ._core import Tensor
from ._sparse_strided import no_kernel

__all__ = [
    "ccol_indices_copy",
    "col_indices_copy",
    "crow_indices_copy",
    "indices_copy",
    "row_indices_copy",
    "values_copy",
]

# accessor -> the layout PyTorch's message says it expected
_EXPECTED = {
    "ccol_indices": "sparse column compressed tensor layout",
    "col_indices": "sparse row compressed tensor layout",
    "crow_indices": "sparse row compressed tensor layout",
    "indices": "sparse coordinate tensor layout",
    "row_indices": "sparse column compressed tensor layout",
    "values": "sparse tensor layout",
}


def _refusal(accessor: str):
    def copy(input: Tensor) -> Tensor:
        _need_tensor(f"{accessor}_copy", "input", 1, input)
        if getattr(type(input), "_fg_compressed", False):
            return getattr(input, accessor)().clone()  # the accessor's error where the layout lacks it
        if input.is_sparse:  # PyTorch's CPU build has no sparse kernel for these copies
            raise no_kernel(f"{accessor}_copy", "SparseCPU")
        raise RuntimeError(f"{accessor} expected {_EXPECTED[accessor]} but got Strided")

    copy.__name__ = copy.__qualname__ = f"{accessor}_copy"
    copy.__doc__ = (
        f"A copy of a sparse tensor's `{accessor}`; raises PyTorch's errors (a strided input's\n"
        "RuntimeError, a sparse COO input's NotImplementedError).\n\nArgs:\n    input: the tensor.\n"
    )
    return copy


ccol_indices_copy = _refusal("ccol_indices")
col_indices_copy = _refusal("col_indices")
crow_indices_copy = _refusal("crow_indices")
indices_copy = _refusal("indices")
row_indices_copy = _refusal("row_indices")
values_copy = _refusal("values")
