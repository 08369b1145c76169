"""`ferrograd.utils.swap_tensors`: two tensor objects exchange everything they hold."""

from __future__ import annotations

import copyreg
import weakref
from typing import Any

from .. import _core

_POISONED = (
    "Trying to execute AccumulateGrad node that was poisoned by swap_tensors this can happen when "
    "you try to run backward on a tensor that was swapped. For a module m with "
    "`torch.__future__.set_swap_module_params_on_conversion(True)` you should not change the device "
    "or dtype of the module (e.g. `m.cpu()` or `m.half()`) between running forward and backward. To "
    "resolve this, please only change the device/dtype before running forward (or after both forward "
    "and backward)."
)


def _refuse_poisoned(grad_outputs: Any) -> None:
    raise RuntimeError(_POISONED)


def _check_use_count(t: Any, name: str) -> None:
    """Refuses a tensor held elsewhere; a leaf whose only other holder is its gradient
    accumulator is swapped, and that accumulator refuses to run afterwards."""
    count = _core._use_count(t)
    if count <= 1:
        return
    if count == 2 and t.is_leaf:
        from ..autograd.graph import get_gradient_edge

        node = get_gradient_edge(t).node
        if _core._use_count(t) == 2:
            node.register_prehook(_refuse_poisoned)
            return
        count = _core._use_count(t)
    raise RuntimeError(
        f"Expected use_count of {name} to be 1 or 2 with an AccumulateGrad node but got {count} "
        "make sure you are not holding references to the tensor in other places."
    )


def swap_tensors(t1: Any, t2: Any) -> None:
    """Swaps the contents of two tensor objects: afterwards `t1` holds what `t2` held
    (values, autograd state, class, `__dict__` and slots) while keeping its identity.

    Args:
        t1: a tensor.
        t2: another tensor with the same `__slots__`.
    """
    if weakref.getweakrefs(t1):
        raise RuntimeError("Cannot swap t1 because it has weakref associated with it")
    if weakref.getweakrefs(t2):
        raise RuntimeError("Cannot swap t2 because it has weakref associated with it")
    t1_slots = set(copyreg._slotnames(t1.__class__))  # type: ignore[attr-defined]
    t2_slots = set(copyreg._slotnames(t2.__class__))  # type: ignore[attr-defined]
    if t1_slots != t2_slots:
        raise RuntimeError("Cannot swap t1 and t2 if they have different slots")
    _check_use_count(t1, "t1")
    _check_use_count(t2, "t2")

    def swap_attribute(name: str) -> None:
        held = getattr(t1, name)
        setattr(t1, name, getattr(t2, name))
        setattr(t2, name, held)

    swap_attribute("__class__")
    swap_attribute("__dict__")
    for slot in t1_slots:
        if hasattr(t1, slot) and hasattr(t2, slot):
            swap_attribute(slot)
        elif hasattr(t1, slot):
            setattr(t2, slot, getattr(t1, slot))
            delattr(t1, slot)
        elif hasattr(t2, slot):
            setattr(t1, slot, getattr(t2, slot))
            delattr(t2, slot)
    _core._swap_tensor_impl(t1, t2)
