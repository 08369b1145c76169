"""PyTorch's refusal to set a read-only tensor attribute (`x.device = ...`): its getters
live on `torch._C.TensorBase`, so its AttributeError names that class. The core's own
read-only attributes refuse in the core; the properties written in Python get a setter
that refuses likewise (a property's getter costs the same with or without one)."""

from __future__ import annotations

from ._core import Tensor

# PyTorch's read-only attributes that are properties here
_READ_ONLY = ("_base", "_cdata", "device", "is_cpu", "is_cuda", "is_ipu", "is_maia", "is_meta",
              "is_mkldnn", "is_mps", "is_mtia", "is_nested", "is_quantized", "is_sparse", "is_sparse_csr",
              "is_vulkan", "is_xla", "is_xpu", "itemsize", "layout", "name", "nbytes", "output_nr", "H", "mH")


def _refusing(name: str):
    def refuse(self, value=None):
        raise AttributeError(f"attribute '{name}' of 'ferrograd._C.TensorBase' objects is not writable")

    return refuse


def install() -> None:
    for name in _READ_ONLY:
        found = vars(Tensor).get(name)
        if isinstance(found, property) and found.fset is None and found.fdel is None:
            refuse = _refusing(name)
            setattr(Tensor, name, property(found.fget, refuse, refuse, found.__doc__))
