"""PyTorch's quantized dtypes (`ferrograd.qint8`, `quint8`, `qint32`, `quint4x2`,
`quint2x4`) and quantization schemes (`ferrograd.per_tensor_affine`, ...).

`ferrograd.dtype` is a native class that cannot gain instances from Python, so a
quantized dtype is a `QuantizedDtype`: it prints, compares and hashes as a dtype and has
PyTorch's `is_floating_point`, `is_complex`, `itemsize`, `is_signed` (PyTorch's error) and
`to_real`/`to_complex`. Only the quantized tensors of `_quantized` carry one.
"""

from __future__ import annotations

__all__ = [
    "per_channel_affine",
    "per_channel_affine_float_qparams",
    "per_channel_symmetric",
    "per_tensor_affine",
    "per_tensor_symmetric",
    "qint8",
    "qint32",
    "qscheme",
    "quint2x4",
    "quint4x2",
    "quint8",
]


class QuantizedDtype:
    """A quantized dtype: its name, PyTorch's ScalarType name, the integer dtype of its
    `int_repr()`, its value range and how many values one byte packs."""

    __slots__ = ("_int_dtype", "_name", "_per_byte", "_qmax", "_qmin", "_scalar_type")

    def __init__(self, name: str, scalar_type: str, int_dtype: str, qmin: int, qmax: int, per_byte: int = 1) -> None:
        self._name = name
        self._scalar_type = scalar_type
        self._int_dtype = int_dtype
        self._qmin = qmin
        self._qmax = qmax
        self._per_byte = per_byte

    def __repr__(self) -> str:
        return f"ferrograd.{self._name}"

    __str__ = __repr__

    def __reduce__(self) -> str:
        return self._name  # pickles by reference: `ferrograd.<name>`

    @property
    def is_floating_point(self) -> bool:
        """False: a quantized dtype holds integers."""
        return False

    @property
    def is_complex(self) -> bool:
        """False."""
        return False

    @property
    def is_signed(self) -> bool:
        """PyTorch's RuntimeError: signedness is not defined for quantized dtypes."""
        raise RuntimeError("isSignedType not supported for quantized types")

    @property
    def itemsize(self) -> int:
        """The bytes of one stored element (4 for qint32, else 1)."""
        return 4 if self._name == "qint32" else 1

    def to_real(self) -> QuantizedDtype:
        """The dtype itself (it is not complex)."""
        return self

    def to_complex(self) -> QuantizedDtype:
        """PyTorch's RuntimeError: a quantized dtype has no complex counterpart."""
        raise RuntimeError(f"Unknown Complex ScalarType for {self._scalar_type}")


QuantizedDtype.__module__ = "ferrograd"
QuantizedDtype.__name__ = QuantizedDtype.__qualname__ = "dtype"  # type(ferrograd.qint8) prints as PyTorch's

qint8 = QuantizedDtype("qint8", "QInt8", "int8", -128, 127)
quint8 = QuantizedDtype("quint8", "QUInt8", "uint8", 0, 255)
qint32 = QuantizedDtype("qint32", "QInt32", "int32", -(2 ** 31), 2 ** 31 - 1)
quint4x2 = QuantizedDtype("quint4x2", "QUInt4x2", "uint8", 0, 15, 2)
quint2x4 = QuantizedDtype("quint2x4", "QUInt2x4", "uint8", 0, 3, 4)


class qscheme:
    """A quantization scheme (`ferrograd.per_tensor_affine`, ...), as `torch.qscheme`."""

    __slots__ = ("_name",)

    def __new__(cls, *args: object, **kwargs: object) -> qscheme:  # noqa: PYI034  (never returns)
        raise TypeError("cannot create 'ferrograd.qscheme' instances")

    @classmethod
    def _make(cls, name: str) -> qscheme:
        out = object.__new__(cls)
        out._name = name
        return out

    def __repr__(self) -> str:
        return f"ferrograd.{self._name}"

    __str__ = __repr__

    def __reduce__(self) -> str:
        return self._name


qscheme.__module__ = "ferrograd"

per_tensor_affine = qscheme._make("per_tensor_affine")
per_channel_affine = qscheme._make("per_channel_affine")
per_tensor_symmetric = qscheme._make("per_tensor_symmetric")
per_channel_symmetric = qscheme._make("per_channel_symmetric")
per_channel_affine_float_qparams = qscheme._make("per_channel_affine_float_qparams")
