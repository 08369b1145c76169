"""`torch.gradient`: central differences in the interior and one-sided first or second
order differences at the edges, per dim, with a uniform spacing or coordinates per dim;
each result is the edges and the interior concatenated (PyTorch's `CatBackward0`)."""

from __future__ import annotations

import builtins
import numbers
from typing import Any

from . import _core
from ._argcheck import dim_error as _dim_error
from ._argcheck import need_int64
from ._core import Tensor
from ._shell_dtypes import refuse as refuse_shell

__all__ = ["gradient"]


def _spacings(input: Tensor, spacing: Any, dims: list[builtins.int], dim_given: bool) -> list[Any]:
    if isinstance(spacing, (numbers.Number, Tensor)) and not (isinstance(spacing, Tensor) and spacing.dim() > 0):
        value = spacing.item() if isinstance(spacing, Tensor) else spacing
        return [value] * len(dims)
    spacing = list(spacing)
    if len(spacing) != len(dims):
        if dim_given:
            raise RuntimeError(
                f"torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim arguments to have "
                f"the same length, but got a spacing argument of length {len(spacing)} and a dim argument of length {len(dims)}."
            )
        raise RuntimeError(
            f"torch.gradient expected spacing to be unspecified, a scalar, or a list of length equal to 'self.dim() = "
            f"{input.dim()}', since dim argument was not given, but got a list of length {len(spacing)}"
        )
    return spacing


def _along(coeff: Tensor, d: builtins.int, nd: builtins.int) -> Tensor:
    """A 1-D coefficient shaped to broadcast along dim `d` of an `nd`-dim tensor."""
    shape = [1] * nd
    shape[d] = coeff.shape[0]
    return coeff.reshape(shape)


def _uniform(x: Tensor, d: builtins.int, h: float, edge_order: builtins.int) -> Tensor:
    n = x.shape[d]
    interior = (x.narrow(d, 2, n - 2) - x.narrow(d, 0, n - 2)) / (2 * h)
    if edge_order == 1:
        first = (x.narrow(d, 1, 1) - x.narrow(d, 0, 1)) / h
        last = (x.narrow(d, n - 1, 1) - x.narrow(d, n - 2, 1)) / h
    else:
        first = (x.narrow(d, 0, 1) * -1.5 + x.narrow(d, 1, 1) * 2.0 - x.narrow(d, 2, 1) * 0.5) / h
        last = (x.narrow(d, n - 3, 1) * 0.5 - x.narrow(d, n - 2, 1) * 2.0 + x.narrow(d, n - 1, 1) * 1.5) / h
    return _core._cat([first, interior, last], d)


def _coordinates(x: Tensor, d: builtins.int, coords: Tensor, edge_order: builtins.int) -> Tensor:
    n, nd = x.shape[d], x.dim()
    c = coords if coords.dtype.is_floating_point else coords.to(x.dtype)
    dx = c[1:] - c[:-1]
    dx1, dx2 = dx[:-1], dx[1:]
    a = _along(-dx2 / (dx1 * (dx1 + dx2)), d, nd)
    b = _along((dx2 - dx1) / (dx1 * dx2), d, nd)
    cc = _along(dx1 / (dx2 * (dx1 + dx2)), d, nd)
    interior = a * x.narrow(d, 0, n - 2) + b * x.narrow(d, 1, n - 2) + cc * x.narrow(d, 2, n - 2)
    if edge_order == 1:
        first = (x.narrow(d, 1, 1) - x.narrow(d, 0, 1)) / dx[0]
        last = (x.narrow(d, n - 1, 1) - x.narrow(d, n - 2, 1)) / dx[-1]
    else:
        h1, h2 = dx[0], dx[1]
        first = (x.narrow(d, 0, 1) * (-(2 * h1 + h2) / (h1 * (h1 + h2))) + x.narrow(d, 1, 1) * ((h1 + h2) / (h1 * h2))
                 + x.narrow(d, 2, 1) * (-h1 / (h2 * (h1 + h2))))
        h1, h2 = dx[-2], dx[-1]
        last = (x.narrow(d, n - 3, 1) * (h2 / (h1 * (h1 + h2))) + x.narrow(d, n - 2, 1) * (-(h2 + h1) / (h1 * h2))
                + x.narrow(d, n - 1, 1) * ((2 * h2 + h1) / (h2 * (h1 + h2))))
    return _core._cat([first, interior, last], d)


def gradient(input: Tensor, *, spacing: Any = 1, dim: Any = None, edge_order: builtins.int = 1) -> tuple[Tensor, ...]:
    """The derivative of `input` estimated along each dim (or each of `dim`), one tensor per dim.

    Args:
        input: the sampled values.
        spacing: a number (the step in every dim), one number per dim, or one 1-D tensor of
            coordinates per dim.
        dim: a dim or a list of dims (default: all).
        edge_order: 1 or 2, the order of the one-sided differences at the edges.
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"gradient(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if spacing is None and isinstance(dim, (tuple, list)):  # PyTorch's overload of a None spacing takes one dim
        from ._parser_check import parser_error

        raise parser_error("gradient", (input,), {"spacing": None, "dim": dim, **(
            {} if edge_order == 1 else {"edge_order": edge_order})})
    if input.dtype is _core.uint8:
        raise RuntimeError("torch.gradient does not support uint8 input.")
    need_int64(edge_order)
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    nd = input.dim()
    dim_given = dim is not None
    from ._parser_check import is_parser_int

    raw = list(range(nd)) if dim is None else ([builtins.int(dim)] if is_parser_int(dim) else list(dim))
    dims = []
    for d in raw:
        if not -nd <= d < nd:
            raise _dim_error(d, f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {d})")
        if d % nd in dims:
            raise RuntimeError(f"dim {d % nd} appears multiple times in the list of dims")
        dims.append(d % nd)
    steps = _spacings(input, 1 if spacing is None else spacing, dims, dim_given)
    for d in dims:
        if input.shape[d] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least edge_order+1")
    # PyTorch subtracts in the input's own dtype, which bool and uint16/32/64 cannot do
    if input.dtype is _core.bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    refuse_shell("add_stub", input)
    x = input if input.dtype.is_floating_point or input.dtype.is_complex else input.to(_core.get_default_dtype())
    out = []
    for d, step in zip(dims, steps):
        if isinstance(step, Tensor):
            if step.dim() != 1:
                raise RuntimeError("torch.gradient expected each element of spacing to have one dimension, but got "
                                   f"an element with {step.dim()} dimensions!")
            if step.shape[0] != input.shape[d]:
                raise RuntimeError(
                    f"torch.gradient expected each tensor to be on the same device and to have one dimension of size "
                    f"{input.shape[d]} along dim {d}"
                )
            out.append(_coordinates(x, d, step, edge_order))
        else:
            # a complex step divides as PyTorch's complex Scalar does
            out.append(_uniform(x, d, step if isinstance(step, complex) else float(step), edge_order))
    return tuple(out)
