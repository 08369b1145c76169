"""Which graphs are alive and what keeps them so: `live_graphs()`, and a warning for a
graph that outlives its backward passes (the `total_loss += loss` leak).

Costs nothing per op while unused: nodes only note the backward-call count at their
creation; the graph is walked when `live_graphs()` is called and, with the warning on,
once per backward call.
"""

from __future__ import annotations

from typing import NamedTuple

from .. import _core


class LiveGraph(NamedTuple):
    """One live backward graph, named by its root: a live node no other live node
    points to (usually the grad_fn of a tensor the program still holds).

    Attributes:
        root: the root node's name, e.g. ``"AddBackward0"``.
        nodes: live nodes reachable from the root (the root included; a node shared by
            two roots counts in both).
        saved_tensors: tensors those nodes still hold for backward.
        saved_bytes: the bytes of those tensors.
        site: ``"file:line"`` where the root's forward op ran, when creation sites were
            recorded (`record_graph_sites`, or while the retention warning is on);
            else None.
        idle_backward_calls: backward calls started since the graph's longest-idle node
            was made or last reached by a backward call.
    """

    root: str
    nodes: int
    saved_tensors: int
    saved_bytes: int
    site: str | None
    idle_backward_calls: int


def live_graphs() -> list[LiveGraph]:
    """The backward graphs alive now, one record per root, largest first.

    Returns:
        `LiveGraph` records sorted by saved bytes, then node count (descending).
    """
    return [LiveGraph(**record) for record in _core._live_graphs()]


def record_graph_sites(enabled: bool = True) -> bool:
    """Records where each new node's forward op ran, for `LiveGraph.site`.

    Args:
        enabled: record (True) or stop recording (False). Recording costs a look at the
            Python stack per op.

    Returns:
        The previous setting.
    """
    return _core._set_record_graph_sites(bool(enabled))


_sites_for_warning = False  # whether the warning turned site recording on


def set_graph_retention_warning(steps: int | None, *, record_sites: bool = True) -> None:
    """Warns (`UserWarning`) when a graph outlives `steps` backward calls without taking
    part in them, naming its root node, its size and (with `record_sites`) where it was
    made. Each leaked graph is reported once.

    A normal training loop never triggers it: each step's graph is freed when its loss
    is replaced. `total_loss += loss` does, since `total_loss` keeps every step's graph.

    Args:
        steps: backward calls (`backward()` or `autograd.grad()`) a graph may sit through
            unused before the warning; None or 0 turns the warning off.
        record_sites: also record creation sites (see `record_graph_sites`) while the
            warning is on.
    """
    if steps is None:
        steps = 0
    if isinstance(steps, bool) or not isinstance(steps, int):
        raise TypeError(f"steps must be an int or None, not {type(steps).__name__}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    global _sites_for_warning
    _core._set_graph_retention_steps(steps)
    if steps > 0 and record_sites:
        was_on = _core._set_record_graph_sites(True)
        _sites_for_warning = _sites_for_warning or not was_on
    elif _sites_for_warning:
        _core._set_record_graph_sites(False)
        _sites_for_warning = False


def backward_calls() -> int:
    """How many backward calls (`backward()` and `autograd.grad()`) have started."""
    return _core._backward_passes()


__all__ = ["LiveGraph", "backward_calls", "live_graphs", "record_graph_sites", "set_graph_retention_warning"]
