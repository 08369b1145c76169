"""Shape ops: joining, splitting, flipping, repeating, moving dims, diagonals.

The ops with their own backward node (`cat`, `stack`, `split`, `chunk`, `unbind`, `flip`,
`roll`, `repeat`, `tril`, `triu`, `diag`, `diagonal`, `trace`, `narrow_copy`) are native
(`_core._cat`, ...); the rest are written with ops, recording what PyTorch records
(`hstack` is a `cat`, `movedim` a `permute`, `meshgrid` views and expands, ...).
"""

from __future__ import annotations

import builtins
import math
import operator
import warnings
from collections.abc import Sequence

from . import _core
from . import _saved_values as saved_values
from ._argcheck import (
    INT64_OVERFLOW,
    fits_int64,
    need_int,
    need_int64,
    need_int_sequence,
    need_tensor_list,
    type_name,
)
from ._argcheck import dim_error as _dim_error
from ._core import Tensor
from ._dtype_names import scalar_name
from ._layouts import is_quantized
from ._numpy import is_numpy_scalar
from ._parser_check import refusal, signature_error
from ._shell_dtypes import refuse as refuse_shell
from ._shell_dtypes import refuse_complex32, refuse_float8
from ._tensor_likes import dispatching_first

# What one view costs at least (a Python object and its core tensor): a split into more
# sections than memory could hold as views fails at once, as in PyTorch.
_VIEW_BYTES = 256

__all__ = [
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "block_diag",
    "broadcast_tensors",
    "broadcast_to",
    "cat",
    "chunk",
    "column_stack",
    "concat",
    "concatenate",
    "diag",
    "diag_embed",
    "diagflat",
    "diagonal",
    "dsplit",
    "dstack",
    "flip",
    "fliplr",
    "flipud",
    "hsplit",
    "hstack",
    "meshgrid",
    "moveaxis",
    "movedim",
    "narrow_copy",
    "repeat_interleave",
    "roll",
    "rot90",
    "split",
    "stack",
    "swapaxes",
    "swapdims",
    "tensor_split",
    "tile",
    "trace",
    "tril",
    "triu",
    "unbind",
    "unflatten",
    "vsplit",
    "vstack",
]


def _int_tuple(value, what: str) -> tuple[int, ...]:
    if isinstance(value, Tensor):
        value = value.tolist()
    if isinstance(value, builtins.int) and not isinstance(value, builtins.bool):
        need_int64(value)
        return (value,)
    if _is_index(value):  # a NumPy integer
        return (operator.index(value),)
    if isinstance(value, builtins.range):  # PyTorch's parser takes no range
        raise TypeError(f"{what} must be tuple of ints, not range")
    if isinstance(value, Sequence):
        out = []
        for pos, v in enumerate(value):
            if isinstance(v, Tensor):
                if not _is_int_tensor(v):
                    raise TypeError(f"{what} must be tuple of ints, but found element of type Tensor at pos {pos}")
                v = v.item()
            if _is_index(v):
                v = operator.index(v)
            # PyTorch's parser checks only the first element for a bool
            if (pos == 0 and isinstance(v, builtins.bool)) or not isinstance(v, builtins.int):
                raise TypeError(f"{what} must be tuple of ints, but found element of type {type(v).__name__} at pos {pos}")
            if not fits_int64(v):
                raise TypeError(f"argument '{what}' failed to unpack the object at pos {pos + 1} "
                                f"with error \"{INT64_OVERFLOW}\"")
            out.append(builtins.int(v))
        return tuple(out)
    raise TypeError(f"{what} must be tuple of ints, not {type(value).__name__}")


def _is_index(value) -> builtins.bool:
    """An integer that is not a Python int (a NumPy integer, an `__index__` object)."""
    return (not isinstance(value, (builtins.int, Tensor)) and not hasattr(value, "__len__")
            and hasattr(type(value), "__index__"))


def _varargs(args: tuple, what: str) -> tuple[int, ...]:
    """`f(1, 2)`, `f((1, 2))` and `f([1, 2])` alike."""
    if len(args) == 1 and not isinstance(args[0], builtins.int):
        if isinstance(args[0], Tensor) and not _is_int_tensor(args[0]):
            # PyTorch's parser takes a tensor in an int list only as one int element
            raise TypeError(f"{what} must be tuple of ints, not Tensor")
        return _int_tuple(args[0], what)
    return _int_tuple(args, what)


def _is_int_tensor(value: Tensor) -> builtins.bool:
    """A tensor PyTorch's parser reads as an int element: one element, integer or bool."""
    return value.numel() == 1 and not (value.dtype.is_floating_point or value.dtype.is_complex)


def _tensor_seq(tensors, name: str) -> Sequence:
    if not isinstance(tensors, (list, tuple)):  # PyTorch's parser: no other iterable, nor a tensor
        raise TypeError(f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not {type_name(tensors)}")
    return tensors


def _wrap_dim(dim: int, ndim: int) -> int:
    n = builtins.max(ndim, 1)
    if not -n <= dim < n:
        raise _dim_error(dim, f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim + n if dim < 0 else dim


# --- joining -------------------------------------------------------------------------


def cat(tensors, dim: int = 0, *, axis=None, out=None) -> Tensor:
    """The tensors joined along an existing dimension `dim` (their other sizes must
    match; dtypes are promoted).

    Args:
        tensors: a sequence of tensors (1-D empty tensors are skipped).
        dim: the dimension to join along (default 0).
        axis: NumPy's name for `dim`; overrides it when given.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    if axis is not None:
        dim = axis
    if out is not None:
        raise NotImplementedError("cat(out=...) is not supported")
    from ._parser_check import is_parser_int

    if not is_parser_int(dim):
        raise TypeError(f"cat(): argument 'dim' must be int, not {type(dim).__name__}")
    dim = builtins.int(dim)  # PyTorch's parser reads a NumPy int or a 0-dim integer tensor as an int
    return _core._cat(_tensor_seq(tensors, "cat"), dim)


concat = cat
concatenate = cat


def stack(tensors, dim: int = 0, *, axis=None, out=None) -> Tensor:
    """Tensors of one shape joined along a new dimension inserted at `dim`.

    Args:
        tensors: a sequence of tensors of the same shape.
        dim: where the new dimension goes (default 0).
        axis: NumPy's name for `dim`; overrides it when given.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    if axis is not None:
        dim = axis
    if out is not None:
        raise NotImplementedError("stack(out=...) is not supported")
    return _core._stack(_tensor_seq(tensors, "stack"), dim)


def atleast_1d(*tensors):
    """Each input as a view with at least one dimension: 0-d tensors become shape (1,);
    others come back as they are.

    Args:
        tensors: one tensor, several tensors, or one sequence of tensors.

    Returns:
        a tensor for a single tensor, else a tuple of tensors.
    """
    if len(tensors) == 1 and not isinstance(tensors[0], Tensor):
        return tuple(atleast_1d(t) for t in tensors[0])
    if len(tensors) != 1:  # several tensors, or none (an empty tuple, as PyTorch)
        return tuple(atleast_1d(t) for t in tensors)
    t = tensors[0]
    return t.reshape(1) if t.dim() == 0 else t


def atleast_2d(*tensors):
    """Each input as a view with at least two dimensions: 0-d become (1, 1), 1-d (n,)
    become (1, n); others come back as they are.

    Args:
        tensors: one tensor, several tensors, or one sequence of tensors.

    Returns:
        a tensor for a single tensor, else a tuple of tensors.
    """
    if len(tensors) == 1 and not isinstance(tensors[0], Tensor):
        return tuple(atleast_2d(t) for t in tensors[0])
    if len(tensors) != 1:  # several tensors, or none (an empty tuple, as PyTorch)
        return tuple(atleast_2d(t) for t in tensors)
    t = tensors[0]
    if t.dim() == 0:
        return t.reshape(1, 1)
    return t.unsqueeze(0) if t.dim() == 1 else t


def atleast_3d(*tensors):
    """Each input as a view with at least three dimensions: 0-d become (1, 1, 1), 1-d
    (n,) become (1, n, 1), 2-d (m, n) become (m, n, 1); others come back as they
    are.

    Args:
        tensors: one tensor, several tensors, or one sequence of tensors.

    Returns:
        a tensor for a single tensor, else a tuple of tensors.
    """
    if len(tensors) == 1 and not isinstance(tensors[0], Tensor):
        return tuple(atleast_3d(t) for t in tensors[0])
    if len(tensors) != 1:  # several tensors, or none (an empty tuple, as PyTorch)
        return tuple(atleast_3d(t) for t in tensors)
    t = tensors[0]
    if t.dim() == 0:
        return t.reshape(1, 1, 1)
    if t.dim() == 1:
        return t.unsqueeze(0).unsqueeze(-1)
    return t.unsqueeze(-1) if t.dim() == 2 else t


def _nonempty(tensors, name: str) -> list:
    ts = list(_tensor_seq(tensors, name))
    if not ts:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return ts


def hstack(tensors, *, out=None) -> Tensor:
    """The tensors joined horizontally: along dim 0 when they are 1-D, else along dim 1.

    Args:
        tensors: a non-empty sequence of tensors.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    ts = [atleast_1d(t) for t in _nonempty(tensors, "hstack")]
    return cat(ts, 0 if ts[0].dim() == 1 else 1, out=out)


def vstack(tensors, *, out=None) -> Tensor:
    """The tensors joined vertically: made at least 2-D (see `atleast_2d`), then joined
    along dim 0.

    Args:
        tensors: a non-empty sequence of tensors.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    return cat([atleast_2d(t) for t in _nonempty(tensors, "vstack")], 0, out=out)


def dstack(tensors, *, out=None) -> Tensor:
    """The tensors joined depth-wise: made at least 3-D (see `atleast_3d`), then joined
    along dim 2.

    Args:
        tensors: a non-empty sequence of tensors.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    return cat([atleast_3d(t) for t in _nonempty(tensors, "dstack")], 2, out=out)


def column_stack(tensors, *, out=None) -> Tensor:
    """The tensors joined as columns: 0-d and 1-d inputs become single columns, then all
    are joined along dim 1.

    Args:
        tensors: a non-empty sequence of tensors.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    ts = _nonempty(tensors, "column_stack")
    return cat([t.reshape(t.numel(), 1) if t.dim() <= 1 else t for t in ts], 1, out=out)


# --- splitting -----------------------------------------------------------------------


def _split(self: Tensor, split_size_or_sections, dim: int = 0):
    if isinstance(split_size_or_sections, Tensor):
        if split_size_or_sections.numel() != 1:  # PyTorch hands it to split_with_sizes, which takes no tensor
            raise TypeError("split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, "
                            "not Tensor")
        split_size_or_sections = int(split_size_or_sections.item())  # PyTorch's int(): 1.5 splits by 1
    if isinstance(split_size_or_sections, builtins.int):
        return _core._split(self, split_size_or_sections, dim)
    if is_numpy_scalar(split_size_or_sections):  # not an int to PyTorch's Python split, nor a list to its parser
        raise TypeError("split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, not "
                        + type(split_size_or_sections).__module__ + "." + type(split_size_or_sections).__name__)
    return _core._split_with_sizes(self, list(_int_tuple(split_size_or_sections, "split_sizes")), dim)


@dispatching_first("functional.split")
def split(tensor: Tensor, split_size_or_sections, dim: int = 0):
    """`tensor` cut into views along `dim`: pieces of one size (the last may be smaller),
    or of the listed sizes.

    Args:
        tensor: the tensor to split.
        split_size_or_sections: an int, the size of each piece (`split_size` in the
            method form), or a list of sizes that sum to the size of `dim`.
        dim: the dimension to split along (default 0).

    Returns:
        a tuple of views.
    """
    if not isinstance(tensor, Tensor):
        # PyTorch's split is Python calling the method
        return tensor.split(split_size_or_sections, dim)
    if is_quantized(tensor):
        return tensor.split(split_size_or_sections, dim)
    return _split(tensor, split_size_or_sections, dim)


def chunk(input: Tensor, chunks: int, dim: int = 0):
    """`input` cut into `chunks` views of equal size along `dim` (the last may be
    smaller; fewer when the dimension is short).

    Args:
        input: the input tensor.
        chunks: the number of pieces wanted.
        dim: the dimension to split along (default 0).
    """
    if is_quantized(input):
        return input.chunk(chunks, dim)
    return _core._chunk(input, chunks, dim)


def unbind(input: Tensor, dim: int = 0):
    """The slices of `input` along `dim`, as a tuple of views without that dimension.

    Args:
        input: the input tensor.
        dim: the dimension to remove (default 0).
    """
    return _core._unbind(input, dim)


def _one_split_spelling(qualified: str, lead: tuple, indices_or_sections, dim, **spellings) -> None:
    """PyTorch's parser error for `tensor_split` given its cuts twice, by position and by
    keyword or by two keywords (`lead`: the receiver, for the function)."""
    given = {k: v for k, v in spellings.items() if v is not None}
    if len(given) + (indices_or_sections is not None) < 2:
        return
    from ._parser_check import parser_error

    args = (*lead, indices_or_sections) if indices_or_sections is not None else lead
    kwargs = {**given, **({"dim": dim} if dim != 0 else {})}
    error = parser_error(qualified, args, kwargs)
    if error is not None:
        raise error


def tensor_split(input: Tensor, indices_or_sections=None, dim: int = 0, *, sections=None, indices=None, tensor_indices_or_sections=None):
    """`input` cut into views along `dim`: into n near-equal sections (the first `size %
    n` one longer), or at the given indices.

    Args:
        input: a tensor of at least 1 dimension.
        indices_or_sections: an int n (number of sections), or a list/tuple/1-D tensor
            of indices where cuts are made.
        dim: the dimension to split along (default 0).
        sections: keyword form of an int `indices_or_sections`.
        indices: keyword form of a list of indices.
        tensor_indices_or_sections: keyword form taking a tensor.
    """
    _one_split_spelling("tensor_split", (input,), indices_or_sections, dim,
                        sections=sections, indices=indices, tensor_indices_or_sections=tensor_indices_or_sections)
    need_int64(indices_or_sections)
    need_int64(dim)
    for alt in (sections, indices, tensor_indices_or_sections):
        if alt is not None:
            indices_or_sections = alt
    if indices_or_sections is None or isinstance(indices_or_sections, bool):
        raise TypeError(
            "tensor_split() received an invalid combination of arguments - got no sections or indices, but "
            "expected one of:\n * (tuple of ints indices, int dim = 0)\n * (Tensor tensor_indices_or_sections, "
            "int dim = 0)\n * (int sections, int dim = 0)\n"
        )
    if input.dim() == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    if isinstance(indices_or_sections, Tensor):  # checked before the dim, as PyTorch does
        t = indices_or_sections
        if t.dtype is not _core.int64:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype of long, but got "
                               f"{scalar_name(t.dtype)}")
        if t.dim() > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                               f"one-dimensional tensor, but got a tensor with {t.dim()} dims")
        indices_or_sections = t.tolist()
    d = _wrap_dim(dim, input.dim())
    n = input.shape[d]
    bounds: list[tuple[int, int]] = []
    sections = _section_count(indices_or_sections)
    if sections is not None:
        if sections <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
        _core._check_allocation(sections, _VIEW_BYTES)
        size, extra = divmod(n, sections)
        start = 0
        for i in range(sections):
            length = size + (1 if i < extra else 0)
            bounds.append((start, length))
            start += length
    else:
        idx = list(_int_tuple(indices_or_sections, "indices"))
        for a, b in zip([None, *idx], [*idx, None], strict=True):
            start, stop, _ = slice(a, b).indices(n)
            bounds.append((start, builtins.max(stop - start, 0)))
    return tuple(input.narrow(d, start, length) for start, length in bounds)


def _section_count(value) -> int | None:
    """`value` as a number of sections, or None where it lists indices. PyTorch's parser
    reads any integer as the count: a NumPy integer, a 0-d integer array."""
    if isinstance(value, builtins.int):
        return value
    zero_dim_array = getattr(value, "ndim", None) == 0 and not isinstance(value, Tensor)
    if not (_is_index(value) or zero_dim_array):
        return None
    try:
        return operator.index(value)
    except TypeError:  # a 0-d float array: no count, and no indices either
        return None


def _split_sections(sections):
    """hsplit's `sections` with a NumPy integer (or 0-d tensor) read as the int it is;
    arrays and 1-D tensors, which PyTorch's parser takes for neither overload, refused."""
    if isinstance(sections, Tensor):
        if sections.dim() != 0:
            raise TypeError("sections must be int or tuple of ints, not Tensor")
        return sections.item()
    if _is_index(sections):
        return operator.index(sections)
    if getattr(sections, "ndim", None) is not None:
        raise TypeError(f"sections must be int or tuple of ints, not {type(sections).__name__}")
    return sections


def _split_at(input: Tensor, sections, dim: int, name: str, min_dims: int):
    if input.dim() < min_dims:
        raise RuntimeError(
            f"torch.{name} requires a tensor with at least {min_dims} dimension, but got a tensor with {input.dim()} dimensions!"
        )
    sections = _split_sections(sections)
    if isinstance(sections, builtins.int):
        size = input.shape[dim]
        if sections == 0 or size % sections:
            raise RuntimeError(
                f"torch.{name} attempted to split along dimension {dim}, but the size of the dimension {size} is not "
                f"divisible by the split_size {sections}!"
            )
    return tensor_split(input, sections, dim)


def _sections_or_indices(name: str, sections, indices):
    """The one of PyTorch's two spellings (`sections` or `indices`) that was given."""
    if (sections is None) == (indices is None):
        raise TypeError(f"{name}() received an invalid combination of arguments: expected one of "
                        "(Tensor input, int sections) or (Tensor input, tuple of ints indices)")
    chosen = indices if sections is None else sections
    need_int64(chosen)
    return chosen


def hsplit(input: Tensor, sections=None, indices=None):
    """`input` split horizontally: along dim 1 (dim 0 for a 1-D tensor), as by
    `tensor_split`.

    Args:
        input: a tensor of at least 1 dimension.
        sections: an int that divides the size of the dimension exactly, or a list of
            indices where cuts are made.
        indices: PyTorch's keyword for the list of indices where cuts are made (give
            `sections` or `indices`).
    """
    sections = _sections_or_indices("hsplit", sections, indices)
    if input.dim() == 0:
        raise RuntimeError("torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with 0 dimensions!")
    return _split_at(input, sections, 1 if input.dim() > 1 else 0, "hsplit", 1)


def vsplit(input: Tensor, sections=None, indices=None):
    """`input` split vertically: along dim 0, as by `tensor_split`.

    Args:
        input: a tensor of at least 2 dimensions.
        sections: an int that divides the size of the dimension exactly, or a list of
            indices where cuts are made.
        indices: PyTorch's keyword for the list of indices where cuts are made (give
            `sections` or `indices`).
    """
    return _split_at(input, _sections_or_indices("vsplit", sections, indices), 0, "vsplit", 2)


def dsplit(input: Tensor, sections=None, indices=None):
    """`input` split depth-wise: along dim 2, as by `tensor_split`.

    Args:
        input: a tensor of at least 3 dimensions.
        sections: an int that divides the size of the dimension exactly, or a list of
            indices where cuts are made.
        indices: PyTorch's keyword for the list of indices where cuts are made (give
            `sections` or `indices`).
    """
    return _split_at(input, _sections_or_indices("dsplit", sections, indices), 2, "dsplit", 3)


# --- rearranging copies --------------------------------------------------------------


def _keyword_sizes(fn_name: str, name: str, value, positional: tuple = ()):
    """A size list given by keyword: PyTorch refuses a bare int there, and the keyword
    where the list is given by position too."""
    if positional:
        raise TypeError(f"{fn_name}() got multiple values for argument '{name}'")
    if isinstance(value, int):
        raise TypeError(f"{fn_name}(): argument '{name}' must be tuple of ints, not int")
    return value


def flip(input: Tensor, dims) -> Tensor:
    """A copy of `input` with the order of elements reversed along `dims`.

    Args:
        input: the input tensor.
        dims: a tuple or list of dimensions to reverse.
    """
    if isinstance(dims, builtins.int):
        raise TypeError("flip(): argument 'dims' (position 2) must be tuple of ints, not int")
    if is_quantized(input):
        return input.flip(dims)
    return _core._flip(input, list(_int_tuple(dims, "dims")))


def fliplr(input: Tensor) -> Tensor:
    """A copy of `input` with dim 1 reversed (left and right swap).

    Args:
        input: a tensor of at least 2 dimensions.
    """
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input: Tensor) -> Tensor:
    """A copy of `input` with dim 0 reversed (up and down swap).

    Args:
        input: a tensor of at least 1 dimension.
    """
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def roll(input: Tensor, shifts, dims=None) -> Tensor:
    """A copy of `input` with elements shifted circularly along `dims`: those pushed
    past the end come back at the start.

    Args:
        input: the input tensor.
        shifts: an int or tuple of ints: how many places to shift (negative: backwards).
        dims: an int or tuple of dimensions, one per shift; None to roll the flattened
            tensor and restore its shape.
    """
    d = [] if dims is None else list(_int_tuple(dims, "dims"))
    s = list(_int_tuple(shifts, "shifts"))
    return _core._roll(input, s, d)


def tile(input: Tensor, dims) -> Tensor:
    """`input` tiled `dims[i]` times along each dimension (a copy); a short `dims` is
    padded with leading ones.

    Args:
        input: the input tensor.
        dims: the repetitions per dimension, a tuple of ints.
    """
    reps = _int_tuple(dims, "dims")
    if len(reps) < input.dim():
        reps = (1,) * (input.dim() - len(reps)) + reps
    return _core._repeat(input, list(reps))


_NO_INPUT = object()


def _refusal_without_input(repeats, dim, output_size) -> TypeError:
    """PyTorch's parser error for `repeat_interleave` called without `input`, final (its
    arguments were given by keyword, so no position is named)."""
    from ._parser_check import parser_error

    if repeats is not None and not isinstance(repeats, Tensor) and dim is None:
        error = TypeError(f"repeat_interleave(): argument 'repeats' must be Tensor, not {type(repeats).__name__}")
    else:
        given = {k: v for k, v in (("repeats", repeats), ("dim", dim), ("output_size", output_size)) if v is not None}
        error = parser_error("repeat_interleave", (), given) or TypeError(
            "repeat_interleave() missing 1 required positional argument: 'input'")
    error.before_parser = True  # type: ignore[attr-defined]
    return error


def repeat_interleave(input: Tensor = _NO_INPUT, repeats=None, dim=None, *,  # type: ignore[assignment]
                      output_size=None) -> Tensor:
    """Each element of `input` repeated `repeats` times along `dim`, consecutively; with
    `input` alone (1-D counts), each index `i` repeated `input[i]` times.

    Args:
        input: the input tensor.
        repeats: an int, or a 1-D tensor with one count per position along `dim`.
        dim: the dimension to repeat along; None to flatten `input` first.
        output_size: the total size of the result along `dim`, if known (accepted; the
            result does not depend on it).
    """
    if input is _NO_INPUT:  # PyTorch's `repeat_interleave(repeats, *, output_size)`: the counts alone
        if not isinstance(repeats, Tensor) or dim is not None:
            raise _refusal_without_input(repeats, dim, output_size)
        input, repeats = repeats, None
    need_int64(repeats)
    need_int64(dim)
    if output_size is not None:
        _check_output_size_type(input, repeats, dim, output_size)
    if repeats is None:
        return _indices_repeated(input, output_size)
    if isinstance(repeats, bool):
        raise TypeError("repeat_interleave(): argument 'repeats' must be Tensor or int, not bool")
    if dim is not None and (isinstance(dim, bool) or not hasattr(type(dim), "__index__")):
        got = ", ".join(type(v).__name__ for v in (repeats, dim))
        raise TypeError(f"repeat_interleave() received an invalid combination of arguments - got ({got}), but "
                        "expected one of:\n * (Tensor repeats, int dim = None, *, int output_size = None)\n"
                        " * (int repeats, int dim = None, *, int output_size = None)\n")
    if isinstance(repeats, Tensor):
        return _repeat_interleave_by(input, repeats, dim, output_size)
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    if dim is None:
        input = input.flatten()
        d = 0
    else:
        d = _wrap_dim(dim, input.dim())
    expected = input.shape[d] * repeats
    if output_size is not None and output_size != expected:
        raise RuntimeError(f"repeat_interleave: Invalid output_size, expected {expected} but got {output_size}")
    sizes = list(input.shape)
    sizes.insert(d + 1, repeats)
    return input.unsqueeze(d + 1).expand(sizes).clone().flatten(d, d + 1)


def _indices_repeated(repeats: Tensor, output_size) -> Tensor:
    """`repeat_interleave(repeats)`: each index i repeated `repeats[i]` times, in the
    dtype of `repeats` (PyTorch has the kernel for int32 and int64 counts only)."""
    import numpy as np

    from ._creation import tensor

    if repeats.dtype not in (_core.int32, _core.int64):
        raise NotImplementedError(f"\"repeat_interleave_cpu\" not implemented for '{scalar_name(repeats.dtype)}'")
    if repeats.dim() != 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    counts = repeats.detach().numpy()
    if counts.shape[0] == 0:  # PyTorch's kernel answers before it reads output_size
        return tensor([], dtype=repeats.dtype)
    if output_size is None:
        if (counts < 0).any():
            raise RuntimeError("repeats can not be negative")
    elif output_size < 0:  # the kernel allocates the result first
        raise RuntimeError(f"Trying to create tensor with negative dimension {output_size}: [{output_size}]")
    elif output_size != int(counts.sum()) or (counts < 0).any():
        raise RuntimeError("allocated size does not match required size")
    return tensor(np.repeat(np.arange(counts.shape[0]), counts), dtype=repeats.dtype)


def _repeat_interleave_by(input: Tensor, repeats: Tensor, dim, output_size) -> Tensor:
    """Element i repeated `repeats[i]` times (one count, a 0-dim or one-element
    `repeats`, for all): an index_select (`IndexSelectBackward0`), as in PyTorch."""
    if repeats.dim() > 1:
        raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
    if dim is None:
        input = input.flatten()
        d = 0
    else:
        d = _wrap_dim(dim, input.dim())
    size = input.shape[d]
    if repeats.dim() == 0 or repeats.shape[0] == 1:
        repeats = repeats.reshape(1).expand(size)
    elif repeats.shape[0] != size:
        raise RuntimeError("repeats must have the same size as input along dim, but got "
                           f"repeats.size(0) = {repeats.shape[0]} and input.size({d}) = {size}")
    return input.index_select(d, _indices_repeated(repeats, output_size))


def _check_output_size_type(input, repeats, dim, output_size) -> None:
    """repeat_interleave's `output_size` as PyTorch's parser reads it (an int)."""
    from ._parser_check import parser_error

    given = {"dim": dim} if dim is not None else {}
    args = (input,) if repeats is None else (input, repeats)
    error = parser_error("repeat_interleave", args, {**given, "output_size": output_size})
    if error is not None:
        raise error


# --- moving dims and broadcasting ----------------------------------------------------


def movedim(input: Tensor, source, destination) -> Tensor:
    """A view of `input` with dimensions `source` moved to positions `destination`; the
    others keep their order.

    Args:
        input: the input tensor.
        source: an int or tuple of the dimensions to move.
        destination: an int or tuple of their new positions.
    """
    if isinstance(source, (tuple, list)) != isinstance(destination, (tuple, list)):
        got = ", ".join(type(v).__name__ for v in (source, destination))
        raise TypeError(f"movedim() received an invalid combination of arguments - got ({got}), but expected one "
                        "of:\n * (tuple of ints source, tuple of ints destination)\n * (int source, int destination)\n")
    src, dst = _int_tuple(source, "source"), _int_tuple(destination, "destination")
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(src)} dims) should contain the same "
            f"number of dims as destination ({list(dst)} dims)"
        )
    n = input.dim()
    ws = [_wrap_dim(s, n) for s in src]
    wd = [_wrap_dim(d, n) for d in dst]
    if len(set(ws)) != len(ws):
        raise RuntimeError(f"movedim: repeated dim in `source` ({list(src)})")
    if len(set(wd)) != len(wd):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({list(dst)})")
    if n == 0:
        return input.permute(())
    order = [-1] * n
    for s, d in zip(ws, wd, strict=True):
        order[d] = s
    rest = iter(i for i in range(n) if i not in ws)
    order = [o if o >= 0 else next(rest) for o in order]
    return input.permute(order)


moveaxis = movedim


def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:
    """A view of `input` with two dimensions swapped (NumPy's name for `transpose`).

    Args:
        input: the input tensor.
        axis0: the first dimension.
        axis1: the second dimension.
    """
    return input.transpose(axis0, axis1)


def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """A view of `input` with two dimensions swapped (same as `transpose`).

    Args:
        input: the input tensor.
        dim0: the first dimension.
        dim1: the second dimension.
    """
    return input.transpose(dim0, dim1)


def unflatten(input: Tensor, dim: int, sizes) -> Tensor:
    """A view of `input` with dimension `dim` expanded into several of the given sizes.

    Args:
        input: the input tensor.
        dim: the dimension to unflatten.
        sizes: the new sizes, whose product is the size of `dim` (one may be -1,
            inferred).
    """
    need_int("unflatten", "dim", 2, dim)
    need_int_sequence("unflatten", "sizes", 3, sizes)
    sz = list(_int_tuple(sizes, "sizes"))
    if not sz:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if input.dim() == 0:
        _wrap_dim(dim, 0)  # PyTorch wraps the dim as for one element first, then finds no dims
        raise RuntimeError("unflatten got an unexpected error:\nDimension specified as 0 but tensor has no dimensions")
    d = _wrap_dim(dim, input.dim())
    n = input.shape[d] if input.dim() else 1
    known = math.prod(s for s in sz if s != -1)
    if sz.count(-1) > 1:
        raise RuntimeError("unflatten got an unexpected error:\nonly one dimension can be inferred")
    ok = n % known == 0 if -1 in sz and known != 0 else known == n
    if not ok:
        raise RuntimeError(
            f"unflatten: Provided sizes {sz} don't multiply up to the size of dim {dim} ({n}) in the input tensor"
        )
    if -1 in sz:
        if known == 0:
            raise RuntimeError(
                f"unflatten got an unexpected error:\ncannot reshape tensor of 0 elements into shape {sz} because "
                "the unspecified dimension size -1 can be any value and is ambiguous"
            )
        sz[sz.index(-1)] = n // known  # inferred from the dim, not from the whole tensor
    shape = list(input.shape)
    return input.view(shape[:d] + sz + shape[d + 1 :])


def broadcast_to(input: Tensor, size) -> Tensor:
    """A view of `input` broadcast to `size` (same as `input.expand(size)`).

    Args:
        input: the input tensor.
        size: the target shape; -1 keeps a dimension's size.
    """
    return input.expand(tuple(_int_tuple(size, "size")))


def _broadcast_shape(shapes: list[tuple[int, ...]]) -> list[int]:
    out: list[int] = []
    for shape in shapes:
        n = builtins.max(len(out), len(shape))
        a = [1] * (n - len(out)) + out
        b = [1] * (n - len(shape)) + list(shape)
        for i in reversed(range(n)):  # PyTorch's infer_size reports the last mismatch
            if a[i] != b[i] and a[i] != 1 and b[i] != 1:
                raise RuntimeError(
                    f"The size of tensor a ({a[i]}) must match the size of tensor b ({b[i]}) at non-singleton dimension {i}"
                )
            a[i] = b[i] if a[i] == 1 else a[i]
        out = a
    return out


@dispatching_first("functional.broadcast_tensors")
def broadcast_tensors(*tensors):
    """The tensors expanded to their common broadcast shape, as views.

    Args:
        tensors: several tensors (as separate arguments; a sequence of them is PyTorch's
            TypeError).

    Returns:
        a tuple of views, one per input.
    """
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type_name(t)}")
    need_tensor_list(tensors)
    shape = _broadcast_shape([tuple(t.shape) for t in tensors])
    # PyTorch hands back a tensor that already has the shape, not a view of it.
    return tuple(t if tuple(t.shape) == tuple(shape) else t.expand(shape) for t in tensors)


_warned_meshgrid_indexing = False


@dispatching_first("functional.meshgrid")
def meshgrid(*tensors, indexing: str | None = None):
    """Coordinate grids from 0-D or 1-D tensors: output i varies along dimension i,
    repeated across the others.

    Args:
        tensors: several tensors, or one sequence of them.
        indexing: 'ij' (matrix indexing, the default) or 'xy' (Cartesian: the first two
            dimensions swapped).

    Returns:
        a tuple of tensors of the same shape, one per input.
    """
    if len(tensors) == 1 and not isinstance(tensors[0], Tensor):
        tensors = tuple(tensors[0])
    need_tensor_list(tensors)
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if indexing is None:
        global _warned_meshgrid_indexing
        if not _warned_meshgrid_indexing:  # once per process, as PyTorch
            _warned_meshgrid_indexing = True
            warnings.warn(
                "torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                UserWarning,
                stacklevel=2,
            )
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    for t in tensors:
        if t.dim() > 1:
            raise RuntimeError(
                f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t}"
            )
    if any(t.dtype != tensors[0].dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    ts = list(tensors)
    swap = indexing == "xy" and len(ts) >= 2
    if swap:
        ts[0], ts[1] = ts[1], ts[0]
    shape = [t.numel() for t in ts]
    n = len(ts)
    grids = [t.reshape([-1 if j == i else 1 for j in range(n)]).expand(shape) for i, t in enumerate(ts)]
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


# --- triangles and diagonals ---------------------------------------------------------


def tril(input: Tensor, diagonal: int = 0, *, out=None) -> Tensor:
    """A copy of `input` with the elements above a diagonal set to zero (the lower
    triangle of the last two dimensions).

    Args:
        input: a tensor of at least 2 dimensions.
        diagonal: which diagonal bounds the triangle: 0 the main one, positive above it,
            negative below.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    return _core._tri(input, diagonal, False)


def triu(input: Tensor, diagonal: int = 0, *, out=None) -> Tensor:
    """A copy of `input` with the elements below a diagonal set to zero (the upper
    triangle of the last two dimensions).

    Args:
        input: a tensor of at least 2 dimensions.
        diagonal: which diagonal bounds the triangle: 0 the main one, positive above it,
            negative below.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    return _core._tri(input, diagonal, True)


def diag(input: Tensor, diagonal: int = 0, *, out=None) -> Tensor:
    """For a 1-D `input`, a square matrix with `input` on a diagonal; for a 2-D one, a
    copy of a diagonal as a 1-D tensor.

    Args:
        input: a 1-D or 2-D tensor.
        diagonal: which diagonal: 0 the main one, positive above it, negative below.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    if is_quantized(input):
        return input.diag(diagonal)
    return _keep_diag_args(_core._diag(input, diagonal), input, diagonal)


def _keep_diag_args(out: Tensor, input: Tensor, diagonal: int) -> Tensor:
    """`diag`'s node keeps PyTorch's `_saved_*`: a 1-D input's is `diag_embed`'s (with
    its default dims), a 2-D input's is `diagonal_copy`'s."""
    if out.grad_fn is None:
        return out
    c_int = saved_values.c_int
    if input.dim() == 1:
        saved_values.keep(out, "DiagEmbedBackward0",
                          {"dim1": c_int(-2), "dim2": c_int(-1), "offset": c_int(diagonal)})
    else:
        saved_values.keep(out, "DiagonalBackward0_copy", {
            "dim1": 0, "dim2": 1, "offset": c_int(diagonal), "self_sym_sizes": tuple(input.shape)})
    return out


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """A view of the diagonal of `input` in the plane of `dim1` and `dim2`; those two
    dimensions are removed and the diagonal becomes the last dimension.

    Args:
        input: a tensor of at least 2 dimensions.
        offset: which diagonal: 0 the main one, positive above it, negative below.
        dim1: the first dimension of the plane (default 0).
        dim2: the second dimension of the plane (default 1).
    """
    return _core._diagonal(input, offset, dim1, dim2)


def trace(input: Tensor) -> Tensor:
    """The sum of the main diagonal of a 2-D tensor, as a 0-d tensor (integers sum in
    int64).

    Args:
        input: a 2-D tensor.
    """
    refuse_shell("trace", input)
    refuse_complex32("trace", input)
    refuse_float8("trace", input)
    return _core._trace(input)


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """A tensor whose planes `(dim1, dim2)` hold the last dimension of `input` on a
    diagonal, zeros elsewhere.

    Args:
        input: the input tensor.
        offset: which diagonal: 0 the main one, positive above it, negative below.
        dim1: the first new dimension (default -2).
        dim2: the second new dimension (default -1).
    """
    return _keep_diag_embed_args(_core._diag_embed(input, offset, dim1, dim2), offset, dim1, dim2)


def _keep_diag_embed_args(out: Tensor, offset: int, dim1: int, dim2: int) -> Tensor:
    if out.grad_fn is None:
        return out
    c_int = saved_values.c_int
    saved_values.keep(out, "DiagEmbedBackward0",
                      {"dim1": c_int(dim1), "dim2": c_int(dim2), "offset": c_int(offset)})
    return out


def diagflat(input: Tensor, offset: int = 0) -> Tensor:
    """A square matrix with the flattened `input` on a diagonal, zeros elsewhere.

    Args:
        input: the input tensor.
        offset: which diagonal: 0 the main one, positive above it, negative below.
    """
    flat = input.unsqueeze(0) if input.dim() == 0 else input.contiguous().view(-1)
    # PyTorch's node shows diag_embed's default dims
    return _keep_diag_embed_args(_core._diag_embed(flat, offset, 0, 1), offset, -2, -1)


def rot90(input: Tensor, k: int = 1, dims=(0, 1)) -> Tensor:
    """A copy of `input` rotated by `k` quarter turns in the plane of `dims`, from the
    first towards the second dimension.

    Args:
        input: a tensor of at least 2 dimensions.
        k: the number of quarter turns (negative: the other way).
        dims: the two dimensions of the plane (default (0, 1)).
    """
    need_int("rot90", "k", 2, k)
    need_int_sequence("rot90", "dims", 3, dims)
    return _core._rot90(input, k, list(_int_tuple(dims, "dims")))


@dispatching_first("functional.block_diag")
def block_diag(*tensors) -> Tensor:
    """A block-diagonal matrix with the tensors as its blocks, zeros elsewhere (0-d are
    1x1 blocks, 1-d of size n are 1xn blocks).

    Args:
        tensors: the blocks, tensors of at most 2 dimensions.
    """
    need_tensor_list(tensors)
    dtype = _list_result_type(tensors)
    if dtype is not None:
        tensors = tuple(t.to(dtype) if isinstance(t, Tensor) and t.dtype != dtype else t for t in tensors)
    return _core._block_diag(tensors)


def _category(dtype) -> int:
    return 3 if dtype.is_complex else 2 if dtype.is_floating_point else 0 if dtype == _core.bool else 1


def _list_result_type(tensors):
    """PyTorch's result type of a list of tensors: those with dims decide, 0-dim ones
    only when of a higher category (bool < integer < floating < complex)."""
    if not all(isinstance(t, Tensor) for t in tensors) or not tensors:
        return None
    promoted = {True: None, False: None}  # by "has dims"
    for t in tensors:
        key = t.dim() > 0
        promoted[key] = t.dtype if promoted[key] is None else _core.promote_types(promoted[key], t.dtype)
    dims, zero = promoted[True], promoted[False]
    if dims is None or zero is None:
        return dims or zero
    return _core.promote_types(dims, zero) if _category(zero) > _category(dims) else dims


def narrow_copy(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """A copy (not a view) of `length` elements of `input` along `dim` from `start`.

    Args:
        input: the input tensor.
        dim: the dimension to narrow.
        start: the first position kept.
        length: how many positions are kept.
    """
    if type(input) is not Tensor and getattr(input, "is_sparse", False):
        return input.narrow_copy(dim, start, length)  # the sparse COO class's own
    _refuse_dim_past_end(input, dim)
    return _keep_narrow_copy_args(_core._narrow_copy(input, dim, start, length), input, dim, start, length)


def _keep_narrow_copy_args(out: Tensor, input: Tensor, dim, start, length) -> Tensor:
    if out.grad_fn is None:
        return out
    c_int = saved_values.c_int
    saved_values.keep(out, "NarrowCopyBackward0", {
        "dim": c_int(dim), "length": length, "self_sym_sizes": tuple(input.shape),
        "start": c_int(start) if isinstance(start, int) else int(start)})
    return out


def _refuse_dim_past_end(input: Tensor, dim) -> None:
    """narrow_copy's RuntimeError (not IndexError) for a dim at or past the number of dims."""
    need_int64(dim)
    if isinstance(input, Tensor) and isinstance(dim, int) and 0 < input.dim() <= dim:
        raise RuntimeError(
            f"narrow_copy(): expected dim < {input.dim()} (the number of dimensions of the input), but got dim {dim}"
        )


# --- Tensor methods ------------------------------------------------------------------


def _no_kwargs(name: str, kwargs: dict) -> None:
    if kwargs:
        raise TypeError(f"{name}() got an unexpected keyword argument '{next(iter(kwargs))}'")


def _repeats_by_keyword(sizes: tuple, kwargs: dict) -> tuple:
    """`Tensor.repeat`'s sizes given as `repeats=`: PyTorch's parser takes there only a
    list or tuple (no bare int, no tensor)."""
    if "repeats" not in kwargs or len(kwargs) > 1 or sizes or not isinstance(kwargs["repeats"], (list, tuple)):
        raise TypeError("repeat() refused")  # the parser's own error replaces it
    return (kwargs["repeats"],)


def _need_args(name: str, args: tuple, what: str) -> None:
    if not args:
        raise TypeError(f'{name}() missing 1 required positional arguments: "{what}"')


# the overloads of the `_VF.split` PyTorch's Tensor.split calls with an int size
_VF_SPLIT = ("input:T split_size:i dim:i=0", "input:T split_size:I dim:i=0")


class _Methods:
    """The Tensor methods (`self` first, as the type stub declares them)."""

    def split(self, split_size, dim: int = 0):
        try:
            return _split(self, split_size, dim)
        except TypeError as failure:  # PyTorch's split hands an int size to _VF.split, another to split_with_sizes
            if isinstance(split_size, Tensor) and split_size.numel() == 1:
                split_size = builtins.int(split_size)  # as PyTorch's body reads a one-element tensor
            if isinstance(split_size, builtins.int):
                raise signature_error("split", _VF_SPLIT, (self, split_size, dim), {}) or failure from None
            raise refusal("split_with_sizes", (self, split_size, dim), {}, failure) from None

    def chunk(self, chunks: int, dim: int = 0):
        try:
            return _core._chunk(self, chunks, dim)
        except TypeError as failure:
            raise refusal("Tensor.chunk", (chunks, dim), {}, failure) from None

    def unbind(self, dim: int = 0):
        return _core._unbind(self, dim)

    def tensor_split(self, indices_or_sections=None, dim: int = 0, *, sections=None, indices=None, tensor_indices_or_sections=None):
        _one_split_spelling("Tensor.tensor_split", (), indices_or_sections, dim,
                            sections=sections, indices=indices, tensor_indices_or_sections=tensor_indices_or_sections)
        return tensor_split(
            self, indices_or_sections, dim, sections=sections, indices=indices, tensor_indices_or_sections=tensor_indices_or_sections
        )

    def flip(self, *dims, **kwargs) -> Tensor:
        if "dims" in kwargs:
            dims = (_keyword_sizes("flip", "dims", kwargs.pop("dims"), dims),)
        _no_kwargs("flip", kwargs)
        _need_args("flip", dims, "dims")
        return _core._flip(self, list(_varargs(dims, "dims")))

    def fliplr(self) -> Tensor:
        return fliplr(self)

    def flipud(self) -> Tensor:
        return flipud(self)

    def roll(self, shifts, dims=None) -> Tensor:
        return roll(self, shifts, dims)

    def repeat(self, *sizes, **kwargs) -> Tensor:
        """The tensor tiled `sizes[i]` times along each dimension (a copy).

        Args:
            *sizes: repetitions per dimension (at least `self.dim()` of them), or one tuple.
        """
        try:
            if kwargs:
                chosen = _repeats_by_keyword(sizes, kwargs)
            else:
                _need_args("repeat", sizes, "repeats")
                chosen = sizes
            return _core._repeat(self, list(_varargs(chosen, "repeats")))
        except TypeError as failure:  # not wrapped (too hot): the parser's error, once failed
            raise refusal("Tensor.repeat", sizes, kwargs, failure) from None

    def tile(self, *dims, **kwargs) -> Tensor:
        if "dims" in kwargs:
            dims = (_keyword_sizes("tile", "dims", kwargs.pop("dims"), dims),)
        _no_kwargs("tile", kwargs)
        _need_args("tile", dims, "dims")
        return tile(self, _varargs(dims, "dims"))

    def repeat_interleave(self, repeats=None, dim=None, *, output_size=None) -> Tensor:
        if repeats is None:
            given = "output_size=int, " if output_size is not None else ""
            raise TypeError(
                f"repeat_interleave() received an invalid combination of arguments - got ({given}), but expected "
                "one of:\n * (Tensor repeats, int dim = None, *, int output_size = None)\n"
                " * (int repeats, int dim = None, *, int output_size = None)\n")
        return repeat_interleave(self, repeats, dim, output_size=output_size)

    def movedim(self, source, destination) -> Tensor:
        return movedim(self, source, destination)

    def moveaxis(self, source, destination) -> Tensor:
        return movedim(self, source, destination)

    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        return self.transpose(axis0, axis1)

    def swapdims(self, dim0: int, dim1: int) -> Tensor:
        return self.transpose(dim0, dim1)

    def unflatten(self, dim: int, sizes) -> Tensor:
        return unflatten(self, dim, sizes)

    def broadcast_to(self, *args, size=None) -> Tensor:
        return broadcast_to(self, _one_or_many(args, size))

    def tril(self, diagonal: int = 0) -> Tensor:
        return _core._tri(self, diagonal, False)

    def triu(self, diagonal: int = 0) -> Tensor:
        return _core._tri(self, diagonal, True)

    def diag(self, diagonal: int = 0) -> Tensor:
        return _keep_diag_args(_core._diag(self, diagonal), self, diagonal)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        return _core._diagonal(self, offset, dim1, dim2)

    def trace(self) -> Tensor:
        return trace(self)

    def narrow_copy(self, dim: int, start: int, length: int) -> Tensor:
        _refuse_dim_past_end(self, dim)
        return _keep_narrow_copy_args(_core._narrow_copy(self, dim, start, length), self, dim, start, length)


    def diag_embed(self, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
        return _keep_diag_embed_args(_core._diag_embed(self, offset, dim1, dim2), offset, dim1, dim2)

    def diagflat(self, offset: int = 0) -> Tensor:
        return diagflat(self, offset)

    def rot90(self, k: int = 1, dims=(0, 1)) -> Tensor:
        return rot90(self, k, dims)

    def hsplit(self, *args, sections=None, indices=None):
        return hsplit(self, _one_or_many(_loose_tensor_index("hsplit", args), sections), indices)

    def vsplit(self, *args, sections=None, indices=None):
        return vsplit(self, _one_or_many(_loose_tensor_index("vsplit", args), sections), indices)

    def dsplit(self, *args, sections=None, indices=None):
        return dsplit(self, _one_or_many(_loose_tensor_index("dsplit", args), sections), indices)


def _loose_tensor_index(name: str, args: tuple) -> tuple:
    """A split method's one argument, a one-element integer (or bool) tensor of 1 or more
    dims, read as PyTorch's parser reads it: the one index of its int list; another
    tensor of 1 or more dims fits neither overload."""
    if len(args) != 1 or not isinstance(args[0], Tensor) or args[0].dim() == 0:
        return args
    value = args[0]
    if value.numel() == 1 and not (value.dtype.is_floating_point or value.dtype.is_complex):
        return ([builtins.int(value.item())],)
    from ._parser_check import parser_error

    raise parser_error(f"Tensor.{name}", args, {})


def _one_or_many(args: tuple, keyword):
    """A method's int-list argument given as one value, as several positional ints (as
    PyTorch's parser takes them), or by keyword."""
    if args and keyword is not None:
        raise TypeError("received an invalid combination of arguments - got positional and keyword values")
    if len(args) > 1:
        return list(args)
    return args[0] if args else keyword


def _install() -> None:
    for name, fn in vars(_Methods).items():
        if not name.startswith("_"):
            setattr(Tensor, name, fn)


_install()
