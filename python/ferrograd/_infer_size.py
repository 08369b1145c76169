"""The broadcast shape of two shapes, refused in PyTorch's words (its `infer_size`)."""

from __future__ import annotations


def infer_size(a: tuple, b: tuple) -> tuple:
    """The broadcast shape of `a` and `b`, or PyTorch's RuntimeError naming the sizes of
    the last dim that mismatches (`a`'s size first)."""
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    for dim in reversed(range(n)):
        x, y = a[dim], b[dim]
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton "
                               f"dimension {dim}")
    return tuple(y if x == 1 else x for x, y in zip(a, b))
