"""`nn.utils.prune`: pruning a module's parameter by a mask, as PyTorch's.

Pruning `weight` moves the parameter to `weight_orig`, registers the mask as the buffer
`weight_mask` and sets the plain attribute `weight = weight_orig * weight_mask`; the
pruning method itself is a forward pre-hook that recomputes that product before each
forward. Pruning the same parameter again gathers the methods in a `PruningContainer`,
which computes each new mask only over what earlier masks kept. `remove` makes the pruning
permanent: `weight` becomes a parameter again and holds the pruned values.
"""

from __future__ import annotations

import numbers
from abc import ABC, abstractmethod
from collections.abc import Iterable

import ferrograd

__all__ = [
    "BasePruningMethod",
    "CustomFromMask",
    "Identity",
    "L1Unstructured",
    "LnStructured",
    "PruningContainer",
    "RandomStructured",
    "RandomUnstructured",
    "custom_from_mask",
    "global_unstructured",
    "identity",
    "is_pruned",
    "l1_unstructured",
    "ln_structured",
    "random_structured",
    "random_unstructured",
    "remove",
]


class BasePruningMethod(ABC):
    """The base of pruning methods: a subclass defines `compute_mask` (and sets
    `PRUNING_TYPE` to 'unstructured', 'structured' or 'global')."""

    _tensor_name: str

    def __call__(self, module, inputs) -> None:
        """The forward pre-hook: recomputes `module.<name>` from its original and mask."""
        setattr(module, self._tensor_name, self.apply_mask(module))

    @abstractmethod
    def compute_mask(self, t, default_mask):
        """The mask for `t` (its importance scores), on top of `default_mask` (the mask
        of earlier pruning, ones at first)."""

    def apply_mask(self, module):
        """The pruned tensor: the module's `<name>_orig` times its `<name>_mask`."""
        if self._tensor_name is None:
            raise AssertionError(f"Module {module} has to be pruned")
        mask = getattr(module, self._tensor_name + "_mask")
        orig = getattr(module, self._tensor_name + "_orig")
        return mask.to(dtype=orig.dtype) * orig

    @classmethod
    def apply(cls, module, name, *args, importance_scores=None, **kwargs):
        """Prunes `module.<name>` with a new `cls(*args, **kwargs)`, composed with any
        pruning already there; returns the method (or container) now hooked.

        Args:
            module: the module holding the parameter.
            name: the parameter's name in `module`.
            importance_scores: scores of the parameter's shape that decide what is pruned;
                None uses the parameter itself.
        """
        method = _method_composed_with_earlier(cls, module, name, *args, **kwargs)
        orig = getattr(module, name)
        if importance_scores is None:
            importance_scores = orig
        elif importance_scores.shape != orig.shape:
            raise AssertionError(
                f"importance_scores should have the same shape as parameter {name} of {module}, "
                f"got {importance_scores.shape} vs {orig.shape}"
            )
        first_pruning = not isinstance(method, PruningContainer)
        if first_pruning:
            module.register_parameter(name + "_orig", orig)
            del module._parameters[name]
            default_mask = ferrograd.ones_like(orig)
        else:
            default_mask = getattr(module, name + "_mask").detach().clone(
                memory_format=ferrograd.contiguous_format
            )
        try:
            mask = method.compute_mask(importance_scores, default_mask=default_mask)
            module.register_buffer(name + "_mask", mask)
            setattr(module, name, method.apply_mask(module))
            module.register_forward_pre_hook(method)
        except Exception:
            if first_pruning:  # put the parameter back as it was
                module.register_parameter(name, getattr(module, name + "_orig"))
                del module._parameters[name + "_orig"]
            raise
        return method

    def prune(self, t, default_mask=None, importance_scores=None):
        """`t` times the mask this method computes for it (no module involved).

        Args:
            t: the tensor to prune.
            default_mask: the mask of earlier pruning; None for ones.
            importance_scores: scores of `t`'s shape; None uses `t`.
        """
        if importance_scores is None:
            importance_scores = t
        elif importance_scores.shape != t.shape:
            raise AssertionError(
                "importance_scores should have the same shape as tensor t, "
                f"got {importance_scores.shape} vs {t.shape}"
            )
        if default_mask is None:
            default_mask = ferrograd.ones_like(t)
        return t * self.compute_mask(importance_scores, default_mask=default_mask)

    def remove(self, module) -> None:
        """Makes the pruning permanent: `module.<name>` becomes a parameter holding the
        pruned values, and `<name>_orig` and `<name>_mask` go."""
        if self._tensor_name is None:
            raise AssertionError(f"Module {module} has to be pruned before pruning can be removed")
        pruned = self.apply_mask(module)
        if hasattr(module, self._tensor_name):
            delattr(module, self._tensor_name)
        orig = module._parameters[self._tensor_name + "_orig"]
        orig.data = pruned.data
        del module._parameters[self._tensor_name + "_orig"]
        del module._buffers[self._tensor_name + "_mask"]
        setattr(module, self._tensor_name, orig)


def _method_composed_with_earlier(cls, module, name, *args, **kwargs):
    """A new `cls` method for `name`, in one PruningContainer with the method already
    hooked on `name` if any (whose hook is taken off; `apply` hooks the result)."""
    earlier = [(k, hook) for k, hook in module._forward_pre_hooks.items()
               if isinstance(hook, BasePruningMethod) and hook._tensor_name == name]
    if len(earlier) > 1:
        raise AssertionError(
            f"Avoid adding multiple pruning hooks to the same tensor {name} of module {module}. "
            "Use a PruningContainer."
        )
    for k, _ in earlier:
        del module._forward_pre_hooks[k]
    method = cls(*args, **kwargs)
    method._tensor_name = name
    if not earlier:
        return method
    old = earlier[0][1]
    if isinstance(old, PruningContainer):
        old.add_pruning_method(method)
        return old
    container = PruningContainer(old)
    container.add_pruning_method(method)
    return container


class PruningContainer(BasePruningMethod):
    """The pruning methods applied in turn to one parameter; each new mask is computed
    over what the earlier ones kept.

    Args:
        *args: pruning methods (one, or several acting on the same parameter name).
    """

    def __init__(self, *args) -> None:
        self._pruning_methods: tuple[BasePruningMethod, ...] = ()
        if len(args) == 1:
            self._tensor_name = args[0]._tensor_name
            self.add_pruning_method(args[0])
        else:
            for method in args:
                self.add_pruning_method(method)

    def add_pruning_method(self, method) -> None:
        """Appends `method`, which must prune the same parameter as the container.

        Args:
            method: a BasePruningMethod.
        """
        if method is not None and not isinstance(method, BasePruningMethod):
            raise TypeError(f"{type(method)} is not a BasePruningMethod subclass")
        if method is not None and self._tensor_name != method._tensor_name:
            raise ValueError(
                f"Can only add pruning methods acting on the parameter named '{self._tensor_name}' "
                f"to PruningContainer {self}. Found '{method._tensor_name}'"
            )
        self._pruning_methods += (method,)  # type: ignore[operator]  # None is kept, as PyTorch keeps it

    def __len__(self) -> int:
        return len(self._pruning_methods)

    def __iter__(self):
        return iter(self._pruning_methods)

    def __getitem__(self, idx):
        return self._pruning_methods[idx]

    def compute_mask(self, t, default_mask):
        """`default_mask` with the latest method's mask computed on the part it may still
        prune: the kept entries (unstructured), the channels not yet all zero
        (structured) or everything (global).

        Args:
            t: the importance scores of the parameter.
            default_mask: the mask of the earlier methods.
        """
        method = self._pruning_methods[-1]
        region = _region_still_prunable(method, t, default_mask)
        new_mask = default_mask.to(dtype=t.dtype)
        partial = method.compute_mask(t[region], default_mask=default_mask[region])
        new_mask[region] = partial.to(dtype=new_mask.dtype)
        return new_mask


def _region_still_prunable(method, t, mask):
    """The index (a boolean mask or a tuple of slices) of what `method` may still prune."""
    kind = method.PRUNING_TYPE
    if kind == "unstructured":
        return mask == 1
    if kind == "global":
        return (slice(None),) * len(t.shape)
    if kind != "structured":
        raise ValueError(f"Unrecognized PRUNING_TYPE {kind}")
    if not hasattr(method, "dim"):
        raise AttributeError('Pruning methods of PRUNING_TYPE "structured" need to have the attribute `dim` defined.')
    n_dims = t.dim()
    dim = method.dim + n_dims if method.dim < 0 else method.dim
    if dim < 0:
        raise IndexError(f"Index is out of bounds for tensor with dimensions {n_dims}")
    channel_alive = mask.sum(dim=[d for d in range(n_dims) if d != dim]) != 0
    region: list = [slice(None)] * n_dims
    region[dim] = channel_alive
    return tuple(region)


class Identity(BasePruningMethod):
    """Prunes nothing: the mask is ones (the reparametrisation alone)."""

    PRUNING_TYPE = "unstructured"

    def compute_mask(self, t, default_mask):
        return default_mask

    @classmethod
    def apply(cls, module, name):  # type: ignore[override]
        """Adds the pruning reparametrisation of `module.<name>` without pruning."""
        return super().apply(module, name)


class _Unstructured(BasePruningMethod):
    """Prunes `amount` single entries (a count, or a fraction of the entries): those
    `_pruned_indices` picks from the flattened tensor."""

    PRUNING_TYPE = "unstructured"

    def __init__(self, amount) -> None:
        _check_amount(amount)
        self.amount = amount

    def _pruned_indices(self, t, count: int):
        raise NotImplementedError

    def compute_mask(self, t, default_mask):
        count = _checked_count(self.amount, t.nelement())
        mask = default_mask.clone(memory_format=ferrograd.contiguous_format)
        if count != 0:
            mask.view(-1)[self._pruned_indices(t, count)] = 0
        return mask


class RandomUnstructured(_Unstructured):
    """Prunes `amount` entries (a count, or a fraction of the entries) chosen at random.

    Args:
        amount: an int count, or a float fraction in [0, 1].
    """

    def _pruned_indices(self, t, count: int):
        # PyTorch's draw: one uniform per entry, the largest `count` are pruned
        return ferrograd.topk(ferrograd.rand_like(t).view(-1), k=count).indices

    @classmethod
    def apply(cls, module, name, amount):  # type: ignore[override]
        """Prunes `amount` random entries of `module.<name>`."""
        return super().apply(module, name, amount=amount)


class L1Unstructured(_Unstructured):
    """Prunes the `amount` entries of smallest absolute value.

    Args:
        amount: an int count, or a float fraction in [0, 1].
    """

    def _pruned_indices(self, t, count: int):
        return ferrograd.topk(ferrograd.abs(t).view(-1), k=count, largest=False).indices

    @classmethod
    def apply(cls, module, name, amount, importance_scores=None):  # type: ignore[override]
        """Prunes the `amount` smallest entries of `module.<name>`, or those of least
        `importance_scores` when given."""
        return super().apply(module, name, amount=amount, importance_scores=importance_scores)


class RandomStructured(BasePruningMethod):
    """Prunes `amount` whole channels along `dim`, chosen at random.

    Args:
        amount: an int count, or a float fraction in [0, 1] of the channels.
        dim: the dimension whose slices are the channels.
    """

    PRUNING_TYPE = "structured"

    def __init__(self, amount, dim=-1) -> None:
        _check_amount(amount)
        self.amount = amount
        self.dim = dim

    def compute_mask(self, t, default_mask):
        channels = _channel_count(t, self.dim)
        count = _checked_count(self.amount, channels)
        if count == 0:
            return default_mask
        # PyTorch's draw: one uniform per channel; those up to the count-th smallest go
        scores = ferrograd.rand(channels)
        kept = scores > ferrograd.kthvalue(scores, k=count).values
        mask = _channels_mask(t, self.dim, kept)
        mask *= default_mask.to(dtype=mask.dtype)
        return mask

    @classmethod
    def apply(cls, module, name, amount, dim=-1):  # type: ignore[override]
        """Prunes `amount` random channels of `module.<name>` along `dim`."""
        return super().apply(module, name, amount=amount, dim=dim)


class LnStructured(BasePruningMethod):
    """Prunes the `amount` channels along `dim` of smallest L`n` norm.

    Args:
        amount: an int count, or a float fraction in [0, 1] of the channels.
        n: the norm's order, as `ferrograd.norm`'s `p` (int, float, inf, -inf, 'fro', 'nuc').
        dim: the dimension whose slices are the channels.
    """

    PRUNING_TYPE = "structured"

    def __init__(self, amount, n, dim=-1) -> None:
        _check_amount(amount)
        self.amount = amount
        self.n = n
        self.dim = dim

    def compute_mask(self, t, default_mask):
        channels = _channel_count(t, self.dim)
        count = _checked_count(self.amount, channels)
        dims = list(range(t.dim()))
        del dims[self.dim]
        norms = ferrograd.norm(t, p=self.n, dim=dims)
        largest = ferrograd.topk(norms, k=channels - count, largest=True)
        if count == 0:
            return default_mask
        mask = _channels_mask(t, self.dim, largest.indices)
        mask *= default_mask.to(dtype=mask.dtype)
        return mask

    @classmethod
    def apply(cls, module, name, amount, n, dim, importance_scores=None):  # type: ignore[override]
        """Prunes the `amount` channels of `module.<name>` along `dim` of least L`n` norm
        (of `importance_scores` when given)."""
        return super().apply(module, name, amount=amount, n=n, dim=dim, importance_scores=importance_scores)


class CustomFromMask(BasePruningMethod):
    """Prunes where a given mask is zero.

    Args:
        mask: a tensor of the parameter's shape.
    """

    PRUNING_TYPE = "global"

    def __init__(self, mask) -> None:
        self.mask = mask

    def compute_mask(self, t, default_mask):
        if default_mask.shape != self.mask.shape:
            raise AssertionError(
                f"default_mask shape {default_mask.shape} must match self.mask shape {self.mask.shape}"
            )
        return default_mask * self.mask.to(dtype=default_mask.dtype)

    @classmethod
    def apply(cls, module, name, mask):  # type: ignore[override]
        """Prunes `module.<name>` where `mask` is zero."""
        return super().apply(module, name, mask=mask)


def identity(module, name):
    """Adds the pruning reparametrisation of `module.<name>` with a mask of ones; returns
    `module`.

    Args:
        module: the module holding the parameter.
        name: the parameter's name.
    """
    Identity.apply(module, name)
    return module


def random_unstructured(module, name, amount):
    """Prunes `amount` random entries of `module.<name>`; returns `module`.

    Args:
        module: the module holding the parameter.
        name: the parameter's name.
        amount: an int count, or a float fraction in [0, 1].
    """
    RandomUnstructured.apply(module, name, amount)
    return module


def l1_unstructured(module, name, amount, importance_scores=None):
    """Prunes the `amount` entries of `module.<name>` of least absolute value (or score);
    returns `module`.

    Args:
        module: the module holding the parameter.
        name: the parameter's name.
        amount: an int count, or a float fraction in [0, 1].
        importance_scores: scores of the parameter's shape; None uses the parameter.
    """
    L1Unstructured.apply(module, name, amount=amount, importance_scores=importance_scores)
    return module


def random_structured(module, name, amount, dim):
    """Prunes `amount` random channels of `module.<name>` along `dim`; returns `module`.

    Args:
        module: the module holding the parameter.
        name: the parameter's name.
        amount: an int count, or a float fraction in [0, 1] of the channels.
        dim: the dimension whose slices are the channels.
    """
    RandomStructured.apply(module, name, amount, dim)
    return module


def ln_structured(module, name, amount, n, dim, importance_scores=None):
    """Prunes the `amount` channels of `module.<name>` along `dim` of least L`n` norm;
    returns `module`.

    Args:
        module: the module holding the parameter.
        name: the parameter's name.
        amount: an int count, or a float fraction in [0, 1] of the channels.
        n: the norm's order, as `ferrograd.norm`'s `p`.
        dim: the dimension whose slices are the channels.
        importance_scores: scores of the parameter's shape; None uses the parameter.
    """
    LnStructured.apply(module, name, amount, n, dim, importance_scores=importance_scores)
    return module


def global_unstructured(parameters, pruning_method, importance_scores=None, **kwargs) -> None:
    """Prunes several parameters together: `pruning_method` (an unstructured method
    class) chooses over all their entries at once, then each gets its part of the mask.

    Args:
        parameters: an iterable of (module, name) pairs.
        pruning_method: a BasePruningMethod subclass with PRUNING_TYPE 'unstructured'.
        importance_scores: a dict from (module, name) to a scores tensor; missing pairs
            use the parameter.
        **kwargs: the method's arguments (`amount=`).
    """
    from .convert_parameters import parameters_to_vector

    if not isinstance(parameters, Iterable):
        raise TypeError("global_unstructured(): parameters is not an Iterable")
    if importance_scores is None:
        importance_scores = {}
    if not isinstance(importance_scores, dict):
        raise TypeError("global_unstructured(): importance_scores must be of type dict")
    scores = parameters_to_vector(
        [importance_scores.get((module, name), getattr(module, name)) for module, name in parameters]
    )
    earlier_mask = parameters_to_vector(
        [getattr(module, name + "_mask", ferrograd.ones_like(getattr(module, name)))
         for module, name in parameters]
    )
    method = pruning_method(**kwargs)
    method._tensor_name = "temp"
    if method.PRUNING_TYPE != "unstructured":
        raise TypeError(
            'Only "unstructured" PRUNING_TYPE supported for the `pruning_method`. '
            f"Found method {pruning_method} of type {method.PRUNING_TYPE}"
        )
    container = PruningContainer()
    container._tensor_name = "temp"
    container.add_pruning_method(method)
    mask = container.compute_mask(scores, earlier_mask)
    start = 0
    for module, name in parameters:
        param = getattr(module, name)
        custom_from_mask(module, name, mask=mask[start:start + param.numel()].view_as(param))
        start += param.numel()


def custom_from_mask(module, name, mask):
    """Prunes `module.<name>` where `mask` is zero; returns `module`.

    Args:
        module: the module holding the parameter.
        name: the parameter's name.
        mask: a tensor of the parameter's shape.
    """
    CustomFromMask.apply(module, name, mask)
    return module


def remove(module, name):
    """Makes the pruning of `module.<name>` permanent (see `BasePruningMethod.remove`);
    returns `module`.

    Args:
        module: the module holding the parameter.
        name: the parameter's name.
    """
    for k, hook in module._forward_pre_hooks.items():
        if isinstance(hook, BasePruningMethod) and hook._tensor_name == name:
            hook.remove(module)
            del module._forward_pre_hooks[k]
            return module
    raise ValueError(f"Parameter '{name}' of module {module} has to be pruned before pruning can be removed")


def is_pruned(module) -> bool:
    """Whether `module` or one of its submodules has a pruning hook.

    Args:
        module: a module.
    """
    return any(isinstance(hook, BasePruningMethod)
               for _, sub in module.named_modules() for hook in sub._forward_pre_hooks.values())


def _check_amount(amount) -> None:
    """The checks of `amount` that need no tensor: a non-negative int or a fraction."""
    if not isinstance(amount, numbers.Real):
        raise TypeError(f"Invalid type for amount: {amount}. Must be int or float.")
    if isinstance(amount, numbers.Integral):
        bad = amount < 0
    else:
        bad = float(amount) > 1.0 or float(amount) < 0.0
    if bad:
        raise ValueError(f"amount={amount} should either be a float in the range [0, 1] or a non-negative integer")


def _checked_count(amount, size: int) -> int:
    """How many of `size` units `amount` prunes (a fraction is rounded half to even)."""
    if not isinstance(amount, numbers.Integral):
        return round(amount * size)
    if int(amount) > size:
        raise ValueError(f"amount={amount} should be smaller than the number of parameters to prune={size}")
    return int(amount)


def _channel_count(t, dim: int) -> int:
    """The number of channels of `t` along `dim`, after the structured-pruning checks."""
    if len(t.shape) <= 1:
        raise ValueError(
            "Structured pruning can only be applied to multidimensional tensors. "
            f"Found tensor of shape {t.shape} with {len(t.shape)} dims"
        )
    if dim >= t.dim():
        raise IndexError(f"Invalid index {dim} for tensor of size {t.shape}")
    return t.shape[dim]


def _channels_mask(t, dim: int, channels):
    """Zeros of `t`'s shape and dtype with ones on the `channels` (bool or indices) of `dim`."""
    mask = ferrograd.zeros_like(t)
    index: list = [slice(None)] * len(t.shape)
    index[dim] = channels
    mask[tuple(index)] = 1
    return mask
