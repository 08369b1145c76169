"""The named tuples linalg functions return (`ferrograd.return_types.linalg_svd`, ...)."""

from __future__ import annotations

import sys
from typing import Any

_FIELDS = {
    "linalg_slogdet": ("sign", "logabsdet"),
    "slogdet": ("sign", "logabsdet"),
    "linalg_inv_ex": ("inverse", "info"),
    "linalg_solve_ex": ("result", "info"),
    "linalg_cholesky_ex": ("L", "info"),
    "linalg_qr": ("Q", "R"),
    "qr": ("Q", "R"),
    "linalg_svd": ("U", "S", "Vh"),
    "svd": ("U", "S", "V"),
    "linalg_eigh": ("eigenvalues", "eigenvectors"),
    "linalg_eig": ("eigenvalues", "eigenvectors"),
    "linalg_lstsq": ("solution", "residuals", "rank", "singular_values"),
    "linalg_lu_factor": ("LU", "pivots"),
    "linalg_lu_factor_ex": ("LU", "pivots", "info"),
    "linalg_lu": ("P", "L", "U"),
    "_lu_with_info": ("LU", "pivots", "info"),
    "triangular_solve": ("solution", "cloned_coefficient"),
    "geqrf": ("a", "tau"),
    "lu_unpack": ("P", "L", "U"),
    "linalg_ldl_factor": ("LD", "pivots"),
    "linalg_ldl_factor_ex": ("LD", "pivots", "info"),
}


class _Result(tuple):
    """A tuple with named fields that prints like PyTorch's `torch.return_types.*`."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __new__(cls, values):
        return tuple.__new__(cls, values)

    def __repr__(self) -> str:
        body = ",\n".join(f"{n}={v!r}" for n, v in zip(self._fields, self, strict=True))
        return f"ferrograd.return_types.{type(self).__name__}(\n{body})"

    __str__ = __repr__

    def __reduce__(self):
        return (type(self), (tuple(self),))


def _make(name: str, fields: tuple[str, ...]) -> type:
    ns: dict = {"__slots__": (), "_fields": fields, "__module__": "ferrograd.return_types"}
    for i, f in enumerate(fields):
        ns[f] = property(lambda self, i=i: tuple.__getitem__(self, i))
    cls = type(name, (_Result,), ns)
    cls.__qualname__ = name
    return cls


_TYPES = {name: _make(name, fields) for name, fields in _FIELDS.items()}
_return_types = sys.modules.get("ferrograd.return_types")
if _return_types is not None:
    for _name, _cls in _TYPES.items():
        setattr(_return_types, _name, _cls)


def result(name: str, values) -> Any:
    """The tuple `values` as PyTorch's named result type `name` (`torch.return_types`).

    Args:
        name: the result type ("slogdet", "linalg_svd", ...).
        values: the fields, in order.
    """
    return _TYPES[name](values)
