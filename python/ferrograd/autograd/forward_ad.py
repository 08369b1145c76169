"""`ferrograd.autograd.forward_ad`: dual tensors (PyTorch's forward-mode AD API).

A dual tensor is computed from a hidden leaf standing for its primal, so every op
records the usual reverse-mode graph. `unpack_dual(y)` recovers `y`'s tangent by the
double-vjp trick: for a dummy cotangent `u`, the vjp `J^T u` of `y` with respect to
each dual is linear in `u`; its gradient with respect to `u` in the direction of the
duals' tangents is `J t`. Exact for every op whose backward is differentiable.

Unlike PyTorch, a dual tensor reports `requires_grad=True` (it carries a graph; its repr
hides that, as PyTorch prints it, and the level's end clears it), and a dual level turns
grad mode on while it lasts (so tangents survive an outer `no_grad`;
a `no_grad` block inside the level still stops them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

from .. import _core
from .._core import Tensor
from .._grad_mode import enable_grad

__all__ = ["UnpackedDualTensor", "dual_level", "enter_dual_level", "exit_dual_level",
           "make_dual", "unpack_dual"]

# the hidden leaves carry this level tag, so results that depend only on them are
# handed back detached (see `ferrograd.func._wrapping`)
_HIDDEN_LEVEL = 1 << 30


class _Level:
    def __init__(self) -> None:
        self.duals: list[tuple[Tensor, Tensor]] = []  # (dual tensor, its tangent)
        # Tangents live in the reverse graph, so the level records ops even inside an
        # outer `no_grad` (forward AD ignores grad mode in PyTorch).
        self.grad_was_enabled = bool(_core.is_grad_enabled())
        _core._set_grad_enabled(True)


_ACTIVE: list[_Level] = []
_current_level = -1  # PyTorch's name for the index of the level entered last
# whether a dual tensor was ever made from one that did not require grad (until then no
# repr needs to look for graphs that only carry tangents)
_made_hidden_duals = False


# The functional form keeps the field types as objects: the module's postponed
# annotations would leave the generated `__new__` with names it cannot resolve.
UnpackedDualTensor = NamedTuple("UnpackedDualTensor", [("primal", Any), ("tangent", Any)])  # noqa: UP014
UnpackedDualTensor.__doc__ = """What `unpack_dual` returns: the primal and the tangent (None for
a tensor without one)."""


def enter_dual_level() -> int:
    """Starts a dual level (only one at a time, as in PyTorch) and returns its index."""
    if _ACTIVE:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    global _current_level
    _ACTIVE.append(_Level())
    _current_level = len(_ACTIVE) - 1
    return 0


def exit_dual_level(*, level: int | None = None) -> None:
    """Ends the current dual level; its tensors lose their tangents."""
    current = len(_ACTIVE) - 1
    if level is not None and level != current:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one that was "
                           "created. This is not supported.")
    if not _ACTIVE:
        raise RuntimeError("Dual level must be a positive number.")
    global _current_level
    ended = _ACTIVE.pop()
    _current_level = len(_ACTIVE) - 1
    for dual, _ in ended.duals:
        if getattr(dual, "_fg_func_level", None) == _HIDDEN_LEVEL:
            dual.requires_grad_(False)  # a plain tensor again, as in PyTorch
    _core._set_grad_enabled(ended.grad_was_enabled)


class dual_level:
    """Context manager (and decorator) running its block inside a dual level."""

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc: object) -> None:
        exit_dual_level()

    def __call__(self, func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.__class__():
                return func(*args, **kwargs)

        return wrapper


def _current(level: int | None, what: str) -> _Level:
    if not _ACTIVE or (level is not None and level < 0):
        raise RuntimeError(
            "Trying to create a dual Tensor for forward AD but no level exists, make sure to "
            "enter_dual_level() first."
        )
    if level is not None and level != 0:
        raise RuntimeError(f"Invalid level given to {what}")
    return _ACTIVE[-1]


def make_dual(tensor: Tensor, tangent: Tensor, *, level: int | None = None) -> Tensor:
    """A tensor with the value of `tensor` whose forward gradient is `tangent`."""
    current = _current(level, "_make_dual")
    if not (tensor.is_floating_point() or tensor.is_complex()):
        raise ValueError(f"Expected primal to be floating point or complex, but got: {tensor.dtype}")
    if not (tangent.is_floating_point() or tangent.is_complex()):
        raise ValueError(
            f"Expected tangent to be floating point or complex, but got: {tangent.dtype}"
        )
    if tuple(tensor.shape) != tuple(tangent.shape):
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the "
            f"original Tensor, this is not supported. Tensor is of size {list(tensor.shape)} "
            f"while the given forward gradient is of size {list(tangent.shape)}."
        )
    if tensor.requires_grad and _has_tangent(tensor, current):
        raise RuntimeError(
            "Making a dual Tensor based on a Tensor that already has a forward gradient at the "
            "same level 0 is not supported."
        )
    if tangent.dim() > 0 and tangent.stride() != tensor.stride():
        # PyTorch keeps a tangent laid out as the primal is, else a copy laid out so
        from .._creation import empty_like

        tangent = empty_like(tensor, dtype=tangent.dtype).copy_(tangent)
    with enable_grad():
        if tensor.requires_grad:
            dual = tensor.view_as(tensor)
        else:
            dual = tensor.view_as(tensor).requires_grad_(True)  # a view, as PyTorch's, and a leaf
            dual._fg_func_level = _HIDDEN_LEVEL
            global _made_hidden_duals
            _made_hidden_duals = True
    current.duals.append((dual, tangent))
    return dual


def _has_tangent(tensor: Tensor, current: _Level) -> bool:
    return any(d is tensor for d, _ in current.duals) or _tangent_of(tensor, current) is not None


def only_carries_tangents(tensor: Tensor) -> bool:
    """Whether `tensor` requires grad only because it comes from dual tensors made from
    tensors that did not (their graph carries the tangents): PyTorch shows neither
    `requires_grad=True` nor a grad_fn for it."""
    if not _made_hidden_duals or not tensor.requires_grad:
        return False
    if tensor.grad_fn is None:
        return getattr(tensor, "_fg_func_level", None) == _HIDDEN_LEVEL
    seen, stack, leaves = set(), [tensor.grad_fn], 0
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if type(node).__name__ == "AccumulateGrad":
            variable = getattr(node, "variable", None)  # None: a leaf nobody holds any more
            if variable is None or getattr(variable, "_fg_func_level", None) != _HIDDEN_LEVEL:
                return False
            leaves += 1
        stack.extend(n for n, _ in node.next_functions)
    return leaves > 0


def _hand_back(t: Tensor) -> Tensor:
    from ..func._wrapping import Level, Release

    level = Level()
    level.value = _HIDDEN_LEVEL
    return Release(bool(_core.is_grad_enabled()), level).tensor(t)


def _tangent_of(tensor: Tensor, current: _Level) -> Tensor | None:
    from .._creation import zeros_like
    from . import grad

    if not tensor.requires_grad or not (tensor.is_floating_point() or tensor.is_complex()) or not current.duals:
        return None
    duals = [d for d, _ in current.duals]
    with enable_grad():
        u = zeros_like(tensor).requires_grad_(True)
        u._fg_func_level = _HIDDEN_LEVEL
        vjps = grad([tensor], duals, [u], retain_graph=True, create_graph=True, allow_unused=True)
        used = [(g, t) for g, (_, t) in zip(vjps, current.duals) if g is not None]
        if not used:
            return None
        live = [(g, t) for g, t in used if g.requires_grad]
        if not live:
            return zeros_like(tensor)
        (tangent,) = grad([g for g, _ in live], [u], [t.to(g.dtype) for g, t in live],
                          retain_graph=True, create_graph=True, allow_unused=True)
    if tangent is None:
        return zeros_like(tensor)
    if tensor.grad_fn is not None and tensor.grad_fn.name() == "ToCopyBackward0":
        return tangent.to(tensor.dtype)  # a cast's tangent is cast with it
    # PyTorch computes in the tangents' dtype: a wider tangent gives a wider result
    wide = functools.reduce(_core.promote_types, (t.dtype for _, t in live), tangent.dtype)
    return tangent if wide == tangent.dtype else tangent.to(wide)


def unpack_dual(tensor: Any, *, level: int | None = None) -> UnpackedDualTensor:
    """`(primal, tangent)` of `tensor`; the tangent is None outside a dual level or for
    a tensor that does not depend on a dual tensor."""
    if level is None:
        level = len(_ACTIVE) - 1
    if level < 0:
        return UnpackedDualTensor(tensor, None)
    if not isinstance(tensor, Tensor):
        raise TypeError(f"_unpack_dual(): argument 'dual' (position 1) must be Tensor, not {type(tensor).__name__}")
    if level >= len(_ACTIVE):
        raise RuntimeError("Invalid level given to _fw_primal")
    if getattr(tensor, "_fg_is_tangent", False) or getattr(tensor, "_fg_is_primal", False):
        # a tangent or a primal is a plain tensor to PyTorch: it has no tangent of its own
        return UnpackedDualTensor(tensor, None)
    current = _ACTIVE[level]
    for dual, tangent in current.duals:
        if dual is tensor:
            return UnpackedDualTensor(_primal_of(dual), tangent)
    tangent = _tangent_of(tensor, current)
    if tangent is None:
        return UnpackedDualTensor(tensor, None)
    tangent = _hand_back(tangent)
    tangent._fg_is_tangent = True
    return UnpackedDualTensor(_primal_of(tensor), tangent)


def _primal_of(tensor: Tensor) -> Tensor:
    """`tensor` keeping only its graph to tensors outside the level that require grad: a
    view of it (PyTorch's primal is one), else a view of its base when that carries no
    graph (a dual's primal is a view of the tensor it was made from)."""
    primal = _hand_back(_core._named_node(tensor, "Identity", True))
    if primal.requires_grad:
        primal._fg_is_primal = True
        return primal
    base = tensor._base
    if base is not None and not base.requires_grad:
        return base.as_strided(tensor.size(), tensor.stride(), tensor.storage_offset())
    return primal
