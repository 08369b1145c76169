"""Tensor methods and properties of PyTorch's that ferrograd lacked: `cov`, `corrcoef`,
`const_data_ptr`, `as_subclass`, `storage_type`, `__reversed__` and the device/layout predicates
(`is_xla`, `is_nested`, ...), all False on ferrograd's dense CPU tensors."""

from __future__ import annotations

from ._core import Tensor

_FALSE_PROPERTIES = (
    "is_ipu",
    "is_maia",
    "is_mkldnn",
    "is_mps",
    "is_mtia",
    "is_nested",
    "is_sparse_csr",
    "is_vulkan",
    "is_xla",
    "is_xpu",
)


def _false_property(name: str) -> property:
    def getter(self: Tensor) -> bool:
        return False

    getter.__name__ = name
    return property(getter, doc=f"False: ferrograd's tensors are dense CPU tensors (`torch.Tensor.{name}`).")


for _name in _FALSE_PROPERTIES:
    setattr(Tensor, _name, _false_property(_name))


def _cov(self: Tensor, *, correction: int = 1, fweights: Tensor | None = None,
         aweights: Tensor | None = None) -> Tensor:
    """The covariance matrix of the variables in the rows (as `ferrograd.cov`).

    Args:
        correction: the difference between the sample count and the divisor (default 1).
        fweights: optional integer frequency weights of the observations.
        aweights: optional observation weights.
    """
    from ._products import cov

    return cov(self, correction=correction, fweights=fweights, aweights=aweights)


def _corrcoef(self: Tensor) -> Tensor:
    """The Pearson correlation coefficients of the variables in the rows (as
    `ferrograd.corrcoef`)."""
    from ._products import corrcoef

    return corrcoef(self)


def _const_data_ptr(self: Tensor) -> int:
    """The address of the first element (as `data_ptr`; PyTorch's read-only form)."""
    return self.data_ptr()


def _as_subclass(self: Tensor, cls) -> Tensor:
    """This tensor's data viewed as an instance of the Tensor subclass `cls`.

    Args:
        cls: a subclass of Tensor.
    """
    if not isinstance(cls, type) or not issubclass(cls, Tensor):
        raise TypeError(
            "Creating a Tensor subclass from a class that does not inherit from Tensor is not possible. "
            "Make sure your class inherits from Tensor."
        )
    from . import _core

    # PyTorch wraps an alias: a view of `self` (AliasBackward0 when it requires grad)
    alias = _core._alias(self)
    try:
        alias.__class__ = cls
    except TypeError:  # a layout __class__ cannot take (e.g. __slots__): a plain wrapper
        return wrapped_as(self, cls)
    return alias


def wrapped_as(t: Tensor, cls) -> Tensor:
    """`t` as an instance of the Tensor subclass `cls` without a new view: `t`'s own
    history when it requires grad (for `_make_subclass` and the meta device, whose
    results are not aliases)."""
    if t.requires_grad:
        from . import _core

        alias = _core._named_node(t, "AliasBackward0")  # keeps the autograd history
        if alias is not t:  # under no_grad no node is made and `t` comes back
            alias.__class__ = cls
            return alias
    return Tensor.__new__(cls, t)


def _storage_type(self: Tensor):
    """The legacy storage class of this tensor's dtype (`ferrograd.FloatStorage`, ...)."""
    from ._legacy_storages import storage_class

    return storage_class(self.dtype)


def _reversed(self: Tensor) -> Tensor:
    """`reversed(t)`: the tensor flipped along dim 0 (a 0-dim tensor itself)."""
    return self if self.dim() == 0 else self.flip(0)


# PyTorch keeps Python 2's names of these operators as Tensor methods
for _name, _alias in (("__div__", "__truediv__"), ("__idiv__", "__itruediv__"), ("__nonzero__", "__bool__"),
                      ("__long__", "__int__")):
    setattr(Tensor, _name, getattr(Tensor, _alias))

_core_rdiv = Tensor.__rdiv__


def _rdiv(self: Tensor, other) -> Tensor:
    """`other / self`. PyTorch's is Python (`self.reciprocal() * other`, a TypeError turned
    into NotImplemented): called unbound on something that is not a tensor, it fails with
    the AttributeError for `reciprocal`."""
    if isinstance(self, Tensor):
        return _core_rdiv(self, other)
    try:
        return self.reciprocal() * other
    except TypeError:
        return NotImplemented


for _name, _fn in (("__rdiv__", _rdiv), ("cov", _cov), ("corrcoef", _corrcoef), ("const_data_ptr", _const_data_ptr),
                   ("as_subclass", _as_subclass), ("storage_type", _storage_type), ("__reversed__", _reversed)):
    _fn.__name__ = _fn.__qualname__ = _name
    setattr(Tensor, _name, _fn)
