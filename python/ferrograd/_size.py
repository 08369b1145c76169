"""`ferrograd.Size`: the tuple subclass that `Tensor.shape` returns."""

from __future__ import annotations


class Size(tuple):
    """A tensor's shape: a tuple of ints that prints as ``ferrograd.Size([2, 3])``.

    Args:
        iterable: the sizes of the dimensions (default empty, the shape of a 0-d tensor).
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"ferrograd.Size([{', '.join(str(d) for d in self)}])"

    __str__ = __repr__

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        n = 1
        for d in self:
            n *= d
        return n

    def __getitem__(self, key):
        r = super().__getitem__(key)
        return Size(r) if isinstance(key, slice) else r

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))

    def __reduce__(self):
        return (Size, (tuple(self),))
