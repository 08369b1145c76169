"""The pattern most families share: parameters broadcast together at construction,
and `expand` that expands each of them."""

from __future__ import annotations

from numbers import Number

from ferrograd._size import Size

from .distribution import Distribution
from .utils import broadcast_all


class BroadcastParams(Distribution):
    """A distribution over a batch of scalars whose parameters (named in `_param_names`)
    broadcast to its batch shape."""

    _param_names: tuple[str, ...] = ()

    def _set_params(self, values, validate_args) -> None:
        for name, tensor in zip(self._param_names, broadcast_all(*values)):
            setattr(self, name, tensor)
        numbers = all(isinstance(v, Number) for v in values)
        batch_shape = Size() if numbers else getattr(self, self._param_names[0]).size()
        Distribution.__init__(self, batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        owner = next(c for c in type(self).__mro__ if "_param_names" in c.__dict__)
        new = self._get_checked_instance(owner, _instance)
        batch_shape = Size(batch_shape)
        for name in self._param_names:
            setattr(new, name, getattr(self, name).expand(batch_shape))
        return self._finish_expand(new, batch_shape)
