"""`ferrograd.return_types`: the named tuples ops return (`max`, `linalg_svd`, ...).

PyTorch's are structseqs (like `os.stat_result`): tuples with read-only named fields,
`n_fields`/`n_sequence_fields`/`n_unnamed_fields` and `__match_args__`, built from one
sequence of exactly their length, and without a namedtuple's `_fields`/`_make` (code that
tests for `_fields` takes them for plain tuples). Each type has an `_out` twin, the type
of an `out=` call's result.
"""

from __future__ import annotations

import builtins
import sys
import types
from typing import TYPE_CHECKING, Any

from ._argcheck import OMITTED

if TYPE_CHECKING:  # the field types of the commonest results, for type checkers and the stubs
    from ._core import Tensor

    class _ValuesIndices(tuple["Tensor", "Tensor"]):
        values: Tensor
        indices: Tensor

    class _MinMax(tuple["Tensor", "Tensor"]):
        min: Tensor
        max: Tensor

_VALUES_INDICES = ("values", "indices")

# name -> its fields, in PyTorch's order
FIELDS: dict[str, tuple[str, ...]] = {
    "aminmax": ("min", "max"),
    "cummax": _VALUES_INDICES,
    "cummin": _VALUES_INDICES,
    "frexp": ("mantissa", "exponent"),
    "geqrf": ("a", "tau"),
    "histogram": ("hist", "bin_edges"),
    "histogramdd": ("hist", "bin_edges"),
    "kthvalue": _VALUES_INDICES,
    "linalg_cholesky_ex": ("L", "info"),
    "linalg_eig": ("eigenvalues", "eigenvectors"),
    "linalg_eigh": ("eigenvalues", "eigenvectors"),
    "linalg_inv_ex": ("inverse", "info"),
    "linalg_ldl_factor": ("LD", "pivots"),
    "linalg_ldl_factor_ex": ("LD", "pivots", "info"),
    "linalg_lstsq": ("solution", "residuals", "rank", "singular_values"),
    "linalg_lu": ("P", "L", "U"),
    "linalg_lu_factor": ("LU", "pivots"),
    "linalg_lu_factor_ex": ("LU", "pivots", "info"),
    "linalg_qr": ("Q", "R"),
    "linalg_slogdet": ("sign", "logabsdet"),
    "linalg_solve_ex": ("result", "info"),
    "linalg_svd": ("U", "S", "Vh"),
    "lu_unpack": ("P", "L", "U"),
    "max": _VALUES_INDICES,
    "median": _VALUES_INDICES,
    "min": _VALUES_INDICES,
    "mode": _VALUES_INDICES,
    "nanmedian": _VALUES_INDICES,
    "qr": ("Q", "R"),
    "slogdet": ("sign", "logabsdet"),
    "sort": _VALUES_INDICES,
    "svd": ("U", "S", "V"),
    "topk": _VALUES_INDICES,
    "triangular_solve": ("solution", "cloned_coefficient"),
    "_lu_with_info": ("LU", "pivots", "info"),
    "_fake_quantize_per_tensor_affine_cachemask_tensor_qparams": ("output", "mask"),
}
_NO_OUT_FORM = frozenset({"histogramdd", "_lu_with_info", "_fake_quantize_per_tensor_affine_cachemask_tensor_qparams"})


class _StructSeq(tuple):
    """The behaviour every return type shares, copied into each (PyTorch's derive from
    tuple alone: `type.__bases__ == (tuple,)` is how its pytree knows them)."""

    __slots__ = ()
    n_fields = n_sequence_fields = 0
    n_unnamed_fields = 0
    __match_args__: tuple[str, ...] = ()

    def __new__(cls, sequence: Any = OMITTED, dict: Any = None, **unknown: Any):
        if sequence is OMITTED:
            raise TypeError("structseq() missing required argument 'sequence' (pos 1)")
        if unknown:
            raise TypeError(f"'{next(iter(unknown))}' is an invalid keyword argument for structseq()")
        if dict is not None and not isinstance(dict, builtins.dict):
            raise TypeError(f"{_qualified(cls)}() takes a dict as second arg, if any")
        try:
            values = tuple(sequence)
        except TypeError:
            raise TypeError("constructor requires a sequence") from None
        if len(values) != cls.n_fields:
            raise TypeError(f"{_qualified(cls)}() takes a {cls.n_fields}-sequence ({len(values)}-sequence given)")
        return tuple.__new__(cls, values)

    def __repr__(self) -> str:
        body = ",\n".join(f"{n}={v!r}" for n, v in zip(self.__match_args__, self, strict=True))
        return f"{_qualified(type(self))}(\n{body})"

    __str__ = __repr__

    def __reduce__(self):
        return (type(self), (tuple(self), {}))

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"'{_qualified(type(self))}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self.__match_args__:
            raise AttributeError("readonly attribute")
        raise AttributeError(f"'{_qualified(type(self))}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        self.__setattr__(name, None)



def _qualified(cls: type) -> str:
    return f"ferrograd.return_types.{cls.__name__}"


class _StructSeqType(type):
    """The return types' errors name them in full, as PyTorch's static types do
    (`type object 'ferrograd.return_types.max' has no attribute '_fields'`), and they are
    immutable."""

    def __getattr__(cls, name: str) -> Any:
        raise AttributeError(f"type object '{_qualified(cls)}' has no attribute '{name}'")

    def __setattr__(cls, name: str, value: Any) -> None:
        raise TypeError(f"cannot set '{name}' attribute of immutable type '{_qualified(cls)}'")

    def __delattr__(cls, name: str) -> None:
        _StructSeqType.__setattr__(cls, name, None)


_SHARED = {k: v for k, v in vars(_StructSeq).items() if k not in ("__dict__", "__weakref__", "__doc__")}


def _make(name: str, fields: tuple[str, ...]) -> type:
    ns: dict[str, Any] = {
        **_SHARED, "__module__": "ferrograd.return_types", "__qualname__": name, "__doc__": None,
        "n_fields": len(fields), "n_sequence_fields": len(fields), "__match_args__": fields,
    }
    for i, field in enumerate(fields):
        ns[field] = property(lambda self, i=i: tuple.__getitem__(self, i))
    return _StructSeqType(name, (tuple,), ns)


def is_return_type(cls: Any) -> bool:
    """Whether `cls` is one of the `ferrograd.return_types` classes."""
    return isinstance(cls, type) and cls.__module__ == "ferrograd.return_types" and cls.__bases__ == (tuple,)


return_types = types.ModuleType("ferrograd.return_types", "Named tuples returned by ops.")
return_types.all_return_types = []  # type: ignore[attr-defined]
for _name, _fields in FIELDS.items():
    for _type_name in (_name,) if _name in _NO_OUT_FORM else (_name, _name + "_out"):
        _cls = _make(_type_name, _fields)
        setattr(return_types, _type_name, _cls)
        if not _name.startswith("_"):
            return_types.all_return_types.append(_cls)  # type: ignore[attr-defined]
sys.modules["ferrograd.return_types"] = return_types


def result(name: str, values: Any) -> Any:
    """The tuple `values` as PyTorch's named result type `name` (`max`, `linalg_svd`, ...)."""
    return getattr(return_types, name)(values)


def out_variant(kind: type) -> type:
    """The type of an out= call's result for an op that returns `kind`: `sort_out` for `sort`."""
    if not is_return_type(kind) or kind.__name__.endswith("_out"):
        return kind
    return getattr(return_types, kind.__name__ + "_out", kind)
