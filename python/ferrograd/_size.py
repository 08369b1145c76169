"""`ferrograd.Size`: the tuple subclass that `Tensor.shape` returns."""

from __future__ import annotations

from . import _core


class Size(tuple):
    """A tensor's shape: a tuple of ints that prints as ``ferrograd.Size([2, 3])``.

    Args:
        iterable: the sizes of the dimensions (default empty, the shape of a 0-d tensor).
    """

    __slots__ = ()

    def __new__(cls, iterable=()):
        sizes = []
        for k, d in enumerate(iterable):
            if isinstance(d, int):
                sizes.append(int(d))  # a bool is its int, as in PyTorch
            elif hasattr(type(d), "__index__") and not isinstance(d, float):
                sizes.append(d.__index__())  # a one-element integer tensor, a NumPy integer
            else:
                raise TypeError(f"ferrograd.Size() takes an iterable of 'int' (item {k} is '{type(d).__name__}')")
        return super().__new__(cls, sizes)

    @classmethod
    def _of(cls, ints: tuple) -> Size:
        """A Size of a tuple known to hold ints (a tensor's shape), without the checks."""
        return tuple.__new__(cls, ints)

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
        if type(key) is int:
            return tuple.__getitem__(self, key)
        r = tuple.__getitem__(self, key)
        return Size._of(r) if isinstance(key, slice) else r

    def __add__(self, other):
        if not isinstance(other, tuple):
            raise TypeError(f"can only concatenate tuple (not {type(other).__name__}) to torch.Size")
        return Size(tuple(self) + other)

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(other + tuple(self))

    def __mul__(self, times):
        return Size._of(tuple(self) * times)

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))


Size.__module__ = "ferrograd"
_core._set_size_class(Size)  # Tensor.shape makes Size objects in Rust  # PyTorch's repr of the class: <class 'torch.Size'>
