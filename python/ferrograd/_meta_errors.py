"""PyTorch's meta kernels word some shape errors differently from its CPU kernels: the
CPU-worded errors that ops on meta stand-ins raise, reworded as the meta ones."""

from __future__ import annotations

import re

from ._core import Tensor

_BROADCAST = re.compile(r"The size of tensor a \(\d+\) must match the size of tensor b \(\d+\) at non-singleton dimension")
_EXPANDED = re.compile(r"expand\((?:ferrograd\.(\w+)Tensor|CPU(\w+)Type)\{")
_MATRICES = re.compile(r"mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)")


def _broadcast_error(shapes: list[tuple[int, ...]]) -> RuntimeError | None:
    """PyTorch's meta error for shapes that do not broadcast (`torch._refs`' wording,
    from its first mismatching argument)."""
    from ._size import Size

    common = [1] * max((len(s) for s in shapes), default=0)
    for index, shape in enumerate(shapes):
        for dim in range(-1, -1 - len(shape), -1):
            if common[dim] == 1:
                common[dim] = shape[dim]
            elif shape[dim] != 1 and common[dim] != shape[dim]:
                return RuntimeError(
                    f"Attempting to broadcast a dimension of length {shape[dim]} at {dim}! Mismatching argument at "
                    f"index {index} had {Size(shape)!r}; but expected shape should be broadcastable to {common}")
    return None


def as_meta_error(err: RuntimeError, args, kwargs) -> RuntimeError:
    """`err`, raised by an op on stand-ins, in the words of PyTorch's meta kernels."""
    message = str(err)
    if _BROADCAST.match(message):
        shapes = [tuple(v.shape) for v in (*args, *kwargs.values()) if isinstance(v, Tensor)]
        return _broadcast_error(shapes) or err
    matrices = _MATRICES.match(message)
    if matrices:
        a, b, c, d = matrices.groups()
        return RuntimeError(f"a and b must have same reduction dim, but got [{a}, {b}] X [{c}, {d}].")
    if _EXPANDED.match(message):  # the meta tensor's type is named "MetaFloatType"
        return RuntimeError(_EXPANDED.sub(lambda m: f"expand(Meta{m[1] or m[2]}Type{{", message, count=1))
    if "to have the same number of elements" in message:
        return RuntimeError(message.replace("to have the same number", "to have thesame number"))
    return err
