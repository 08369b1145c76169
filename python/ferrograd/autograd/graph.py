"""Backward-graph node objects (`tensor.grad_fn`), one Python class per node name."""

from __future__ import annotations

from .._core import Node as _NodeBase  # type: ignore[import-not-found]

Node = _NodeBase
_CLASSES: dict[str, type] = {}


def _node_class(name: str) -> type:
    """The subclass named like PyTorch's node (`AddBackward0`), made once per name."""
    cls = _CLASSES.get(name)
    if cls is None:
        # PyTorch's node classes live in `builtins`: `type(grad_fn)` is <class 'AddBackward0'>
        cls = type(name, (_NodeBase,), {"__module__": "builtins"})
        _CLASSES[name] = cls
    return cls


def _node_repr(self) -> str:
    return f"<{type(self).__name__} object at {hex(id(self))}>"


_NodeBase.__repr__ = _node_repr


def _node_metadata(self) -> dict:
    """A dict for the user's data about this node (PyTorch's `grad_fn.metadata`)."""
    return self.__dict__.setdefault("_metadata", {})


_NodeBase.metadata = property(_node_metadata)

from .saved_hooks import (
    disable_saved_tensors_hooks,
    register_multi_grad_hook,
    save_on_cpu,
    saved_tensors_hooks,
)

__all__ = [
    "Node",
    "disable_saved_tensors_hooks",
    "register_multi_grad_hook",
    "save_on_cpu",
    "saved_tensors_hooks",
]
