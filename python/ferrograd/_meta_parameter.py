"""Parameters on the meta device: a parameter class that is also a `MetaTensor`."""

from __future__ import annotations

import functools

from ._core import Tensor
from ._meta import MetaTensor, _format


@functools.cache
def _meta_class(cls: type) -> type:
    """`cls` (`nn.Parameter` or a subclass of it) on the meta device."""

    def __repr__(self, *, tensor_contents=None) -> str:
        return _format(self, "tensor(", header="Parameter containing:\n")

    namespace = {"_fg_meta": True, "__repr__": __repr__, "__str__": __repr__, "__module__": cls.__module__,
                 "__qualname__": cls.__qualname__, "__hash__": Tensor.__hash__}
    return type(cls.__name__, (MetaTensor, cls), namespace)


def meta_parameter(cls: type, data: MetaTensor, requires_grad: bool) -> Tensor:
    """A parameter of class `cls` holding the meta tensor `data`."""
    meta_cls = _meta_class(cls)
    p = Tensor.__new__(meta_cls, data.detach())
    for layout in ("_fg_stride", "_fg_nbytes"):
        if layout in data.__dict__:
            p.__dict__[layout] = data.__dict__[layout]
    p.requires_grad_(requires_grad)
    return p
