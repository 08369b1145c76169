"""Tensor ``repr`` formatting that matches PyTorch's output character for character.

The rules mirror ``torch/_tensor_str.py`` (for dense, strided, real-valued tensors);
the only textual difference is that dtypes are spelled ``ferrograd.<name>`` instead
of ``torch.<name>``.  Everything here works on plain NumPy arrays so the module has
no dependency on the Rust core.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Iterator
from typing import Any

from ._numpy import np

__all__ = [
    "format_parameter",
    "format_tensor",
    "get_printoptions",
    "printoptions",
    "set_printoptions",
]

FLOAT8_DTYPE_NAMES = frozenset({"float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e8m0fnu"})
FLOATING_DTYPE_NAMES = frozenset({"float16", "bfloat16", "float32", "float64"}) | FLOAT8_DTYPE_NAMES
# Dtypes that never get a ``dtype=`` suffix on non-empty tensors.
ALWAYS_IMPLICIT_DTYPE_NAMES = frozenset({"int64", "bool"})
DTYPE_NAMESPACE = "ferrograd."
TORCH_NAMESPACE = "torch."
PARAMETER_HEADER = "Parameter containing:\n"
SUMMARY_MARKER = "..."

# Scientific notation is chosen automatically when the non-zero finite values
# span more than this ratio, exceed the upper bound or undercut the lower bound.
SCI_MODE_MAX_RATIO = 1000.0
SCI_MODE_UPPER_BOUND = 1.0e8
SCI_MODE_LOWER_BOUND = 1.0e-4


# --------------------------------------------------------------------------- options


# PyTorch's name for the class of `_tensor_str.PRINT_OPTS`, shown by its repr
@dataclasses.dataclass
class __PrinterOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


_PROFILES: dict[str, dict[str, Any]] = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}

__PrinterOptions.__module__ = "ferrograd._tensor_str"
_OPTIONS = __PrinterOptions()


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Sets how tensors print, with PyTorch's semantics. Options left as None keep their
    current value, except `sci_mode`.

    Args:
        precision: digits after the decimal point of floats (default 4).
        threshold: the number of elements above which a tensor prints summarized
            (default 1000).
        edgeitems: the items shown at each end of a summarized dimension (default 3).
        linewidth: the characters per line before wrapping (default 80).
        profile: 'default', 'short' or 'full': a preset applied first, which the
            explicit options then override.
        sci_mode: True or False to force or forbid scientific notation; None (also
            when omitted) to choose automatically.
    """
    if profile is not None:
        for name, value in _PROFILES.get(profile, {}).items():
            setattr(_OPTIONS, name, value)
    explicit = {
        "precision": precision,
        "threshold": threshold,
        "edgeitems": edgeitems,
        "linewidth": linewidth,
    }
    for name, value in explicit.items():
        if value is not None:
            setattr(_OPTIONS, name, value)
    _OPTIONS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """Return the current print options as keyword arguments for ``set_printoptions``."""
    return dataclasses.asdict(_OPTIONS)


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Context manager (and decorator) that applies ``set_printoptions(**kwargs)`` and
    restores the previous options on exit."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


# ------------------------------------------------------------------ value handling


def _round_to_bfloat16(values: np.ndarray) -> np.ndarray:
    """Round float32 values to the nearest bfloat16 (ties to even), kept as float32."""
    as_float32 = np.array(values, dtype=np.float32, order="C")
    bits = as_float32.view(np.uint32).astype(np.uint64)
    rounding_bias = 0x7FFF + ((bits >> 16) & 1)
    rounded_bits = ((bits + rounding_bias) & 0xFFFF0000).astype(np.uint32)
    rounded = rounded_bits.view(np.float32)
    return np.where(np.isnan(as_float32), as_float32, rounded)


def _as_exact_values(array: np.ndarray, dtype_name: str) -> np.ndarray:
    """Return ``array`` holding exactly the values a tensor of ``dtype_name`` would.

    Arrays already in the matching NumPy dtype pass through without a copy (except
    bfloat16, which is re-rounded); ``tolist()`` on the result yields the same Python
    numbers PyTorch's ``tolist()``/``item()`` would.
    """
    if dtype_name == "bool":
        return np.asarray(array, dtype=np.bool_)
    if dtype_name == "bfloat16":
        return _round_to_bfloat16(array)
    if dtype_name in FLOAT8_DTYPE_NAMES:
        return np.asarray(array, dtype=np.float32)  # already decoded by the caller
    if dtype_name in FLOATING_DTYPE_NAMES:
        return np.asarray(array, dtype=np.dtype(dtype_name))
    if np.issubdtype(array.dtype, np.integer):
        return array
    return np.asarray(array, dtype=np.int64)


def _summarized_sample(array: np.ndarray) -> np.ndarray:
    """The elements that remain visible after summarization (used to size columns)."""
    edge = _OPTIONS.edgeitems
    if array.ndim == 0:
        return array
    if array.ndim == 1:
        if array.shape[0] > 2 * edge:
            return np.concatenate((array[:edge], array[-edge:]))
        return array
    if not edge:
        return np.empty((0,) * array.ndim, dtype=array.dtype)
    rows = _visible_row_indices(array.shape[0])
    if not rows:  # a negative edgeitems shows no rows at all
        raise RuntimeError("stack expects a non-empty TensorList")
    return np.stack([_summarized_sample(array[i]) for i in rows])


def _visible_row_indices(length: int) -> list[int]:
    edge = _OPTIONS.edgeitems
    if length > 2 * edge:
        return list(range(edge)) + list(range(length - edge, length))
    return list(range(length))


# ---------------------------------------------------------------- element formatter


class _ElementFormatter:
    """Formats single elements with a shared column width, like torch's ``_Formatter``."""

    def __init__(self, sample: np.ndarray, dtype_name: str) -> None:
        self.dtype_name = dtype_name
        self.is_floating = dtype_name in FLOATING_DTYPE_NAMES
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = _as_exact_values(sample, dtype_name).reshape(-1)
        if self.is_floating:
            self._inspect_floats(flat)
        else:
            self.max_width = max([1, *(len(str(v)) for v in np.unique(flat).tolist())])

    def _inspect_floats(self, flat: np.ndarray) -> None:
        if self.dtype_name == "float8_e8m0fnu":
            # PyTorch's isfinite passes e8m0's NaN and only its smallest value (what 0
            # converts to) equals 0, so a NaN makes the range checks fail as NaN does
            candidates = flat[flat != np.float32(2.0**-127)]
        else:
            candidates = flat[np.isfinite(flat) & (flat != 0)]
        if candidates.size == 0:
            return
        magnitudes = np.abs(candidates)
        smallest = float(magnitudes.min())
        largest = float(magnitudes.max())
        self.int_mode = bool(np.all(candidates == np.ceil(candidates)))
        if _OPTIONS.sci_mode is None:
            self.sci_mode = (
                largest / smallest > SCI_MODE_MAX_RATIO
                or largest > SCI_MODE_UPPER_BOUND
                or smallest < SCI_MODE_LOWER_BOUND
            )
        else:
            self.sci_mode = bool(_OPTIONS.sci_mode)
        distinct = np.unique(candidates).tolist()
        self.max_width = max(len(self._measure(value)) for value in distinct)

    def _measure(self, value: float) -> str:
        """Text whose length determines the column width for a non-zero finite value."""
        precision = _OPTIONS.precision
        if self.sci_mode:
            return f"{value:.{precision}e}"
        if self.int_mode:
            return f"{value:.0f}."
        return f"{value:.{precision}f}"

    def width(self) -> int:
        return self.max_width

    def format(self, value: Any) -> str:
        text = self._format_unpadded(value)
        return text.rjust(self.max_width)

    def format_all(self, array: np.ndarray) -> list[str]:
        """Format every element of ``array`` (any shape) in row-major order."""
        exact = _as_exact_values(array, self.dtype_name).reshape(-1)
        return [self.format(value) for value in exact.tolist()]

    def _format_unpadded(self, value: Any) -> str:
        if not self.is_floating:
            return str(value)
        precision = _OPTIONS.precision
        if self.sci_mode:
            return f"{value:.{precision}e}"
        if self.int_mode:
            text = f"{value:.0f}"
            return text if math.isinf(value) or math.isnan(value) else text + "."
        return f"{value:.{precision}f}"


class _ComplexFormatter:
    """Formats complex elements as torch does: the real and imaginary parts each with
    their own column width, joined as ``re+imj``."""

    def __init__(self, sample: np.ndarray, dtype_name: str) -> None:
        self.part_dtype = _COMPLEX_PART_DTYPE[dtype_name]
        self.real = _ElementFormatter(sample.real, self.part_dtype)
        self.imag = _ElementFormatter(sample.imag, self.part_dtype)

    def width(self) -> int:
        return self.real.width() + self.imag.width() + 1

    def format_all(self, array: np.ndarray) -> list[str]:
        reals = self.real.format_all(np.ascontiguousarray(array.real))
        imags = self.imag.format_all(np.ascontiguousarray(array.imag))
        out = []
        for re, im in zip(reals, imags, strict=True):
            im = (im + "j").lstrip()
            out.append(re + im if im[0] in "+-" else re + "+" + im)
        return out


_COMPLEX_PART_DTYPE = {"complex32": "float16", "complex64": "float32", "complex128": "float64"}


def _default_complex_name(default_dtype_name: str) -> str:
    return "complex128" if default_dtype_name == "float64" else "complex64"


# ------------------------------------------------------------------- body layout


def _format_scalar(array: np.ndarray, formatter: Any) -> str:
    return formatter.format_all(array)[0]


def _format_vector(
    array: np.ndarray, indent: int, summarize: bool, formatter: Any
) -> str:
    edge = _OPTIONS.edgeitems
    element_length = formatter.width() + 2
    per_line = max(1, math.floor((_OPTIONS.linewidth - indent) / element_length))
    if summarize and not edge:
        items = [SUMMARY_MARKER]
    elif summarize and array.shape[0] > 2 * edge:
        head = formatter.format_all(array[:edge])
        tail = formatter.format_all(array[-edge:])
        items = [*head, " " + SUMMARY_MARKER, *tail]
    else:
        items = formatter.format_all(array)
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _format_nested(
    array: np.ndarray, indent: int, summarize: bool, formatter: Any
) -> str:
    if array.ndim == 0:
        return _format_scalar(array, formatter)
    if array.ndim == 1:
        return _format_vector(array, indent, summarize, formatter)
    length = array.shape[0]
    edge = _OPTIONS.edgeitems
    if summarize and length > 2 * edge:
        rows = [*range(edge), None, *range(length - edge, length)]
    else:
        rows = list(range(length))
    blocks = [
        SUMMARY_MARKER
        if row is None
        else _format_nested(array[row], indent + 1, summarize, formatter)
        for row in rows
    ]
    separator = "," + "\n" * (array.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(blocks) + "]"


def _format_body(array: np.ndarray, dtype_name: str, indent: int) -> str:
    """The bracketed value listing of a non-empty tensor."""
    summarize = array.size > _OPTIONS.threshold
    sample = _summarized_sample(array) if summarize else array
    formatter: Any
    if dtype_name in _COMPLEX_PART_DTYPE:
        formatter = _ComplexFormatter(sample, dtype_name)
    else:
        formatter = _ElementFormatter(sample, dtype_name)
    return _format_nested(array, indent, summarize, formatter)


# ---------------------------------------------------------------------- suffixes


def _dtype_suffix(dtype_name: str) -> str:
    return f"dtype={DTYPE_NAMESPACE}{dtype_name}"


def _size_suffix(shape: tuple[int, ...]) -> str:
    return f"size={tuple(shape)}"


def _layout_suffixes(array: np.ndarray, dtype_name: str, default_dtype_name: str) -> list[str]:
    """``size=`` and ``dtype=`` suffixes, which depend on emptiness and print options."""
    suffixes: list[str] = []
    if array.size == 0:
        if array.ndim != 1:
            suffixes.append(_size_suffix(array.shape))
        if dtype_name != default_dtype_name:
            suffixes.append(_dtype_suffix(dtype_name))
        return suffixes
    if not _OPTIONS.edgeitems:
        suffixes.append(_size_suffix(array.shape))
    implicit = (
        dtype_name in (default_dtype_name, _default_complex_name(default_dtype_name))
        or dtype_name in ALWAYS_IMPLICIT_DTYPE_NAMES
    )
    if not implicit:
        suffixes.append(_dtype_suffix(dtype_name))
    return suffixes


def _autograd_suffixes(grad_fn: str | None, requires_grad: bool) -> list[str]:
    if grad_fn is not None:
        name = grad_fn if grad_fn.startswith("<") and grad_fn.endswith(">") else f"<{grad_fn}>"
        return [f"grad_fn={name}"]
    if requires_grad:
        return ["requires_grad=True"]
    return []


def _torch_spelling_length(suffix: str) -> int:
    """Length the suffix would have in PyTorch, which spells dtypes ``torch.<name>``.

    Line-break decisions use this length so our output equals torch's character for
    character after renaming ``torch.`` to ``ferrograd.``.
    """
    return len(suffix.replace(DTYPE_NAMESPACE, TORCH_NAMESPACE))


def _append_suffixes(text: str, suffixes: list[str], indent: int, force_newline: bool = False) -> str:
    """Close the repr, adding each suffix after ', ' or on a new line if it won't fit (the
    first always on a new line with `force_newline`, as PyTorch's sparse COO repr)."""
    pieces = [text]
    # Mirrors torch's bookkeeping exactly, including its off-by-two when the text
    # holds no newline (rfind returns -1).
    last_line_length = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        suffix_length = _torch_spelling_length(suffix)
        if force_newline or last_line_length + suffix_length + 2 > _OPTIONS.linewidth:
            pieces.append(",\n" + " " * indent + suffix)
            last_line_length = indent + suffix_length
            force_newline = False
        else:
            pieces.append(", " + suffix)
            last_line_length += suffix_length + 2
    pieces.append(")")
    return "".join(pieces)


def _split_prefix(prefix: str) -> tuple[str, str]:
    """Split ``prefix`` into leading full lines and the opener on its last line."""
    newline_at = prefix.rfind("\n")
    return prefix[: newline_at + 1], prefix[newline_at + 1 :]


# -------------------------------------------------------------------- public API


def format_tensor(
    values: np.ndarray,
    dtype_name: str,
    *,
    grad_fn: str | None = None,
    requires_grad: bool = False,
    default_dtype_name: str = "float32",
    prefix: str = "tensor(",
    suffix_extra: tuple[str, ...] = (),
) -> str:
    """Render a tensor exactly as ``repr(torch.Tensor)`` would, using ``ferrograd.`` dtypes.

    ``prefix`` may contain newlines (e.g. ``"Parameter containing:\\ntensor("``); only
    its last line counts for indentation and line-width decisions, as in PyTorch.
    """
    array = np.asarray(values)
    header, opener = _split_prefix(prefix)
    indent = len(opener)
    body = "[]" if array.size == 0 else _format_body(array, dtype_name, indent)
    suffixes = [
        *_layout_suffixes(array, dtype_name, default_dtype_name),
        *_autograd_suffixes(grad_fn, requires_grad),
        *suffix_extra,
    ]
    return header + _append_suffixes(opener + body, suffixes, indent)


def format_parameter(
    values: np.ndarray,
    dtype_name: str,
    requires_grad: bool = True,
    default_dtype_name: str = "float32",
) -> str:
    """Render like ``repr(torch.nn.Parameter(...))``: a header line, then the tensor repr."""
    return format_tensor(
        values,
        dtype_name,
        requires_grad=requires_grad,
        default_dtype_name=default_dtype_name,
        prefix=PARAMETER_HEADER + "tensor(",
    )
