"""The storage of a meta tensor: a byte count on the meta device, with no bytes to read
(PyTorch's `meta_tensor.untyped_storage()`). Every view of a meta tensor reports the
byte count of the storage it was made over."""

from __future__ import annotations

import builtins

from .storage import _PACKAGE, UntypedStorage

_NO_DATA = "Not available for 'meta' device type"


def _no_data(self, *args, **kwargs):
    raise NotImplementedError(_NO_DATA)


class MetaUntypedStorage(UntypedStorage):
    """The storage of a meta tensor: its size in bytes and nothing to read or write."""

    def __init__(self, nbytes: builtins.int) -> None:
        self._nbytes = nbytes
        self._ptr = 0
        self._key = 0

    @property
    def device(self):
        """The meta device."""
        from ._device import META

        return META

    @property
    def _bytes(self):
        raise NotImplementedError(_NO_DATA)

    def nbytes(self) -> builtins.int:
        """The number of bytes."""
        return self._nbytes

    tolist = __iter__ = __getitem__ = __setitem__ = copy_ = _no_data

    def fill_(self, value) -> MetaUntypedStorage:
        """This storage (a meta storage has no bytes to set).

        Args:
            value: ignored.
        """
        return self

    def clone(self) -> MetaUntypedStorage:
        """A new meta storage of the same size."""
        return MetaUntypedStorage(self._nbytes)

    def cpu(self):
        """Refused: a meta storage has no bytes to copy."""
        from ._meta import NO_DATA

        raise NotImplementedError(NO_DATA)

    def __repr__(self) -> str:
        return f"...\n[{_PACKAGE}.storage.UntypedStorage(device=meta) of size {self._nbytes}]"

    __str__ = __repr__
