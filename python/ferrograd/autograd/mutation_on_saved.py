"""`autograd.graph.allow_mutation_on_saved_tensors`: tensors saved for backward may be
modified in place inside the block; backward sees the values they had when saved."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from .saved_hooks import saved_tensors_hooks

_active: list[_AllowMutationOnSavedContext] = []


class _AllowMutationOnSavedContext:
    """The state of one `allow_mutation_on_saved_tensors` block."""

    def __init__(self) -> None:
        self.closed = False

    def pack(self, tensor):
        # a copy taken when saved, so later in-place changes do not reach backward
        return tensor.clone()

    def unpack(self, saved):
        if self.closed:
            # PyTorch asserts here (AssertionError, its message without the space)
            raise AssertionError(
                "Trying to backward outside of the 'allow_mutation_on_saved_tensors' context"
                "in which the graph was originally recorded."
            )
        return saved


@contextlib.contextmanager
def allow_mutation_on_saved_tensors() -> Iterator[_AllowMutationOnSavedContext]:
    """Context manager: in-place changes to tensors saved for backward inside the block
    do not make backward fail; it uses the values saved (backward must run inside)."""
    if _active:
        raise RuntimeError("allow_mutation_on_saved_tensors contexts cannot be nested")
    ctx = _AllowMutationOnSavedContext()
    _active.append(ctx)
    try:
        with saved_tensors_hooks(ctx.pack, ctx.unpack):
            yield ctx
    finally:
        ctx.closed = True
        _active.pop()
