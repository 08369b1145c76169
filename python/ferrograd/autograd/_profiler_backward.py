"""Backward events: while a profiler runs, `Tensor.backward`, `autograd.backward` and
`autograd.grad` time each graph node the engine runs, as PyTorch's engine records them:
an `autograd::engine::evaluate_function: MulBackward0` range holding a `MulBackward0`
range (input shapes: the gradients the node receives). The timing hooks are put on the
nodes for that one call and removed after it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from time import perf_counter_ns
from typing import Any

from .._core import Tensor

BACKWARD_SCOPE = 1  # PyTorch's RecordScope.BACKWARD_FUNCTION
_EVALUATE = "autograd::engine::evaluate_function: "


def graph_roots(value: Any) -> list:
    """The grad_fn of each tensor in `value` (a tensor or a sequence of them)."""
    items = value if isinstance(value, (tuple, list)) else (value,)
    return [t.grad_fn for t in items if isinstance(t, Tensor) and t.grad_fn is not None]


def record_seeds(session: Any, outputs: Any) -> None:
    """The ops PyTorch records making the seed gradient (`ones_like`) of each output a
    backward call was given no gradient for; the seed itself is made by the core."""
    items = outputs if isinstance(outputs, (tuple, list)) else (outputs,)
    for t in items:
        if not isinstance(t, Tensor) or not t.requires_grad:
            continue
        shape, nbytes = list(t.shape), t.numel() * t.element_size()
        shapes = session.record_shapes
        start = perf_counter_ns()
        # nested as PyTorch's: ones_like(empty_like(empty_strided), fill_)
        session.add("aten::ones_like", start, start + 7, [shape] + [[]] * 5 if shapes else None, nbytes)
        session.add("aten::empty_like", start + 1, start + 4, [shape] + [[]] * 5 if shapes else None, nbytes)
        session.add("aten::empty_strided", start + 2, start + 3, [[]] * 6 if shapes else None, nbytes)
        session.add("aten::fill_", start + 5, start + 6, [shape, []] if shapes else None)


def _graph_nodes(roots: list) -> list:
    seen: set = set()
    nodes = []
    pending = list(roots)
    while pending:  # iterative: graphs may be deep
        node = pending.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        nodes.append(node)
        pending.extend(child for child, _ in node.next_functions)
    return nodes


def run_timed(session: Any, roots: list, run: Callable[[], Any]) -> Any:
    """Runs `run` (a backward call) with each node of the graph under `roots` timed into `session`."""
    starts: dict = {}

    def before(node, grad_outputs) -> None:
        shapes = [list(g.shape) if isinstance(g, Tensor) else [] for g in grad_outputs]
        starts[node] = (perf_counter_ns(), shapes)

    def after(node, grad_inputs, grad_outputs) -> None:
        start, shapes = starts.pop(node, (None, None))
        if start is None:
            return
        end, name = perf_counter_ns(), node.name()
        session.add(_EVALUATE + name, start, end)
        session.add(name, start, end, shapes if session.record_shapes else None, scope=BACKWARD_SCOPE)

    handles = []
    for node in _graph_nodes(roots):
        try:
            handles.append(node.register_prehook(partial(before, node)))
            handles.append(node.register_hook(partial(after, node)))
        except RuntimeError:  # a node whose graph was freed: the backward call will say so
            continue
    try:
        return run()
    finally:
        for handle in handles:
            handle.remove()
