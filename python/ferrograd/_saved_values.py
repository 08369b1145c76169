"""`_saved_*` values that ops composed or parsed in Python keep on their node."""

from __future__ import annotations

from typing import Any

from . import _core


def c_int(i: int) -> int:
    """An int64 argument as PyTorch's nodes show it: a negative one as its unsigned bits."""
    return i + (1 << 64) if i < 0 else i


def c_dims(dim: Any) -> tuple[int, ...] | None:
    """A dim argument (int, sequence or None) as a node's `_saved_dim` tuple."""
    if dim is None:
        return None
    if isinstance(dim, int):
        return (c_int(dim),)
    return tuple(c_int(int(d)) for d in dim)


def _node_of(out: Any) -> Any:
    """`out`'s grad_fn; None in no-grad mode, where no node was recorded (and where the
    grad_fn of a view made and written in place under no_grad raises)."""
    if not _core.is_grad_enabled():
        return None
    return getattr(out, "grad_fn", None)


def keep(out: Any, node_name: str, values: dict[str, Any]) -> None:
    """Keeps `values` as the `_saved_*` of `out`'s node when that node is `node_name`."""
    node = _node_of(out)
    if node is not None and type(node).__name__ == node_name:
        _core._set_saved_args(out, values)


def keep_view_args(out: Any, node_name: str, input: Any, view_of: Any) -> None:
    """For a `*_copy` op: keeps on `out`'s node the arguments the view op's node keeps
    (PyTorch's `SelectBackward0_copy` shows what `SelectBackward0` shows). The core
    records a view's arguments, so the view is taken once more, on `input`, to read them."""
    node = _node_of(out)
    if node is None or type(node).__name__ != node_name:
        return
    from ._grad_mode import enable_grad

    with enable_grad():
        probe = view_of(input)
    if probe.grad_fn is not None:
        _core._set_saved_args(out, dict(_core._node_saved_args(probe.grad_fn)))


def keep_more(out: Any, node_name: str, values: dict[str, Any]) -> Any:
    """Adds `values` to what `out`'s node keeps (when that node is `node_name`); a tensor
    that is `out` itself is left out (the node would keep its own output alive).
    Returns `out`."""
    node = _node_of(out)
    if node is not None and type(node).__name__ == node_name:
        kept = {k: v for k, v in values.items() if v is not out}
        _core._set_saved_args(out, {**_core._node_saved_args(node), **kept})
    return out


# Nodes that save a Python number operand as a wrapped 0-d tensor, and the `_saved_*`
# field that reads it back as the number.
NUMBER_FIELDS = {"PowBackward2": "self", "LerpBackward0": "weight", "XlogyBackward1": "self",
                 "XlogyBackward2": "other", "SpecialXlog1PyBackward1": "self",
                 "SpecialXlog1PyBackward2": "other"}


def keep_number(out: Any, number: Any) -> Any:
    """Keeps the Python number operand of `out`'s node as given, so that its `_saved_*`
    still reads it after backward has freed the wrapped tensor. Returns `out`."""
    node = _node_of(out)
    field = NUMBER_FIELDS.get(type(node).__name__) if node is not None else None
    if field is not None:
        _core._set_saved_args(out, {**_core._node_saved_args(node), field: number})
    return out
