"""`ferrograd.func.rearrange`: einops-style axis patterns ("b h w c -> b (h w) c") turned
into one reshape, one permute and one reshape, so gradients flow through ordinary views.

A side of a pattern is a list of groups; a group is a list of axes, written bare (one
axis) or in parentheses (axes flattened into one dimension). `1` and `()` are unit axes,
`...` stands for the dimensions no name covers. Errors are PyTorch's: ValueError for a bad
pattern, TypeError for a non-int length, DimensionBindError when sizes do not fit."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .._tensor import Tensor

_ELLIPSIS = "…"
_UNIT = "1"


class DimensionBindError(Exception):
    """Sizes given or found for a pattern's axes do not fit the tensor's dimensions."""


@dataclass
class _Side:
    groups: list[list[str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    has_ellipsis: bool = False
    bare_ellipsis: int | None = None
    ellipsis_in_group: bool = False


def _check_axis_name(name: str) -> None:
    reason = None
    if not name.isidentifier():
        reason = "not a valid python identifier"
    elif name[0] == "_" or name[-1] == "_":
        reason = "axis name should should not start or end with underscore"
    if reason is not None:
        raise ValueError(f"Invalid axis identifier: {name}\n{reason}")


def _parse_side(expression: str) -> _Side:
    side = _Side()
    if "." in expression:
        if "..." not in expression:
            raise ValueError("Expression may contain dots only inside ellipsis (...)")
        if expression.count("...") != 1 or expression.count(".") != 3:
            raise ValueError(
                "Expression may contain dots only inside ellipsis (...); only one ellipsis for tensor "
            )
        expression = expression.replace("...", _ELLIPSIS)
        side.has_ellipsis = True
    bracket: list[str] | None = None
    word = ""

    def add(axis: str) -> None:
        if axis == _ELLIPSIS:
            side.ellipsis_in_group = bracket is not None
            if bracket is None:
                side.bare_ellipsis = len(side.groups)
        elif axis.isdecimal():
            if int(axis) != 1:
                raise ValueError("rearrange only supports unnamed axes of size 1")
            axis = _UNIT
        else:
            _check_axis_name(axis)
            if axis in side.names:
                raise ValueError(f"Indexing expression contains duplicate dimension '{axis}'")
            side.names.add(axis)
        if bracket is None:
            side.groups.append([axis])
        else:
            bracket.append(axis)

    for char in expression + " ":
        if char in " ()":
            if word:
                add(word)
                word = ""
            if char == "(":
                if bracket is not None:
                    raise ValueError("Axis composition is one-level (brackets inside brackets not allowed)")
                bracket = []
            elif char == ")":
                if bracket is None:
                    raise ValueError("Brackets are not balanced")
                side.groups.append(bracket)
                bracket = None
        elif char.isalnum() or char in ("_", _ELLIPSIS):
            word += char
        else:
            raise ValueError(f"Unknown character '{char}'")
    if bracket is not None:
        raise ValueError(f"Imbalanced parentheses in expression: '{expression}'")
    return side


def _parse_pattern(pattern: str, axes_lengths: dict[str, object]) -> tuple[_Side, _Side]:
    parts = pattern.split("->")
    if len(parts) != 2:
        raise ValueError("Pattern must contain a single '->' separator")
    left, right = _parse_side(parts[0]), _parse_side(parts[1])
    if not left.has_ellipsis and right.has_ellipsis:
        raise ValueError(f"Ellipsis found in right side, but not left side of a pattern {pattern}")
    if left.ellipsis_in_group:
        raise ValueError(f"Ellipsis is parenthesis in the left side is not allowed: {pattern}")
    for length in axes_lengths.values():
        if not isinstance(length, int) or isinstance(length, bool):
            raise TypeError(f"rearrange axis lengths must be integers, got: {type(length)}")
    one_sided = left.names ^ right.names
    if one_sided:
        raise ValueError(
            f"Identifiers only on one side of rearrange expression (should be on both): {one_sided}"
        )
    unknown = set(axes_lengths) - left.names
    if unknown:
        raise ValueError(f"Identifiers not found in rearrange expression: {unknown}")
    return left, right


def _expand_ellipsis(side: _Side, names: list[str]) -> list[list[str]]:
    groups: list[list[str]] = []
    for index, group in enumerate(side.groups):
        if index == side.bare_ellipsis:
            groups.extend([name] for name in names)
        else:
            expanded: list[str] = []
            for axis in group:
                expanded.extend(names if axis == _ELLIPSIS else [axis])
            groups.append(expanded)
    return groups


def _bind_sizes(groups: list[list[str]], shape: tuple[int, ...], lengths: dict[str, int]) -> dict[str, int]:
    """Sizes of the left side's axes; messages call axes d0, d1, ... as PyTorch's do."""
    axes = [a for group in groups for a in group if a != _UNIT]
    label = {a: f"d{i}" for i, a in enumerate(axes)}
    sizes: dict[str, int] = {}
    for group, dim_size in zip(groups, shape):
        known = [lengths[a] for a in group if a in lengths]
        unknown = [a for a in group if a not in lengths and a != _UNIT]
        if len(unknown) > 1:
            raise DimensionBindError(
                f"cannot infer the sizes of two dimensions at once {label[unknown[0]]} and "
                f"{label[unknown[1]]}"
            )
        product = math.prod(known)
        if unknown:
            if product == 0 or dim_size % product:
                raise DimensionBindError(
                    f"inferred dimension does not evenly fit into larger dimension: "
                    f"{dim_size} vs {tuple(known) + ('?',)}"
                )
            sizes[unknown[0]] = dim_size // product
        elif product != dim_size:
            raise DimensionBindError(
                f"Dimension sizes to do not match ({dim_size} != {product}) when matching "
                f"dimension pack ({', '.join(label.get(a, a) for a in group)},)"
            )
        sizes.update((a, lengths[a]) for a in group if a in lengths)
    return sizes


def rearrange(
    tensor: Tensor | list[Tensor] | tuple[Tensor, ...], pattern: str, **axes_lengths: int
) -> Tensor:
    """Reorder, split, merge, squeeze and unsqueeze axes by an einops pattern.

    Args:
        tensor: the tensor, or a list/tuple of same-shaped tensors stacked along a new
            first axis first.
        pattern: `"left -> right"`, e.g. `"b (h h1) w c -> b h w (c h1)"`.
        axes_lengths: sizes of axes the left side cannot infer, e.g. `h1=2`.
    """
    from .. import stack

    if not isinstance(tensor, Tensor):
        tensor = stack(tensor)
    left, right = _parse_pattern(pattern, axes_lengths)
    named_groups = len(left.groups) - left.has_ellipsis
    if (tensor.ndim < named_groups) if left.has_ellipsis else (tensor.ndim != named_groups):
        raise ValueError(
            f"Number of dimensions in pattern ({len(left.groups)}) must be equal to the number "
            f"of dimensions in the tensor ({tensor.ndim})"
        )
    ellipsis_names = [f"{_ELLIPSIS}{i}" for i in range(tensor.ndim - named_groups)]
    left_groups = _expand_ellipsis(left, ellipsis_names)
    right_groups = _expand_ellipsis(right, ellipsis_names)
    sizes = _bind_sizes(left_groups, tuple(tensor.shape), axes_lengths)
    sizes[_UNIT] = 1
    left_axes = [a for group in left_groups for a in group if a != _UNIT]
    right_axes = [a for group in right_groups for a in group if a != _UNIT]
    split = tensor.reshape([sizes[a] for a in left_axes])
    order = [left_axes.index(a) for a in right_axes]
    if order != sorted(order):
        split = split.permute(order)
    return split.reshape([math.prod(sizes[a] for a in group) for group in right_groups])
