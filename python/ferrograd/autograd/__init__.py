"""`ferrograd.autograd`: backward, grad, gradcheck and graph inspection."""

from __future__ import annotations

import sys
import warnings as _warnings
from typing import TYPE_CHECKING

from .. import _after_backward, _core
from .._core import Tensor
from .._grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled
from . import function, grad_mode, graph
from .anomaly_mode import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .function import Function, once_differentiable
from .graph_accounting import (
    LiveGraph,
    backward_calls,
    live_graphs,
    record_graph_sites,
    set_graph_retention_warning,
)
from .variable import (
    Variable,
    is_multithreading_enabled,
    is_view_replay_enabled,
    set_multithreading_enabled,
)

if TYPE_CHECKING:  # at run time these load on first use (`__getattr__` below)
    from . import forward_ad, functional, profiler, profiler_util
    from .gradcheck import gradcheck, gradgradcheck

# name -> the submodule that defines it, imported on first use
_LAZY = {"forward_ad": None, "functional": None, "profiler": None, "profiler_util": None, "gradcheck": "gradcheck", "gradgradcheck": "gradcheck"}

__all__ = [
    "Function",
    "LiveGraph",
    "Variable",
    "backward",
    "backward_calls",
    "detect_anomaly",
    "enable_grad",
    "forward_ad",
    "function",
    "functional",
    "grad",
    "grad_mode",
    "gradcheck",
    "gradgradcheck",
    "graph",
    "graph_stats",
    "inference_mode",
    "is_anomaly_enabled",
    "is_multithreading_enabled",
    "is_view_replay_enabled",
    "live_graphs",
    "no_grad",
    "once_differentiable",
    "profiler",
    "profiler_util",
    "record_graph_sites",
    "set_detect_anomaly",
    "set_grad_enabled",
    "set_graph_retention_warning",
    "set_multithreading_enabled",
]


def variable(*args, **kwargs):
    """Removed from PyTorch: raises its RuntimeError pointing to `ferrograd.tensor`. (As in
    PyTorch, this function hides the `variable` submodule, whose `Variable` stays importable.)"""
    raise RuntimeError("ferrograd.autograd.variable(...) is deprecated, use ferrograd.tensor(...) instead")


def _as_list(x) -> list:
    if x is None:
        return []
    if isinstance(x, (Tensor, graph.GradientEdge)):
        return [x]
    return list(x)


def _outputs_list(x) -> list:
    """The tensors to differentiate as PyTorch reads them: `tuple(x)` of what is not one
    (None is not iterable), each a tensor (its `_make_grads` asserts so)."""
    if isinstance(x, Tensor):
        return [x]
    if isinstance(x, graph.GradientEdge):
        return [graph._edge_tensor(x)]
    items = list(x)
    for i, o in enumerate(items):
        if isinstance(o, graph.GradientEdge):
            items[i] = graph._edge_tensor(o)
        elif not isinstance(o, Tensor):
            raise AssertionError("Expected output to be a ferrograd.Tensor")  # noqa: TRY004 (PyTorch's assert)
    return items


def _overriding_args(*groups) -> tuple | None:
    """Each of `groups` as the tuple PyTorch hands `__torch_function__` (one tensor-like,
    or the items of a sequence; None stays None), followed by the tensor-likes among them;
    None when no mode is active and no tensor-like other than a plain Tensor is among them
    (or a group is no sequence: the plain path raises PyTorch's error)."""
    from ..overrides import has_torch_function, is_tensor_like

    tuples = []
    for group in groups:
        if group is None or is_tensor_like(group) or isinstance(group, graph.GradientEdge):
            tuples.append(group if group is None else (group,))
            continue
        try:
            tuples.append(tuple(group))
        except TypeError:
            return None
    likes = tuple(t for group in tuples if group is not None for t in group if is_tensor_like(t))
    return (*tuples, likes) if has_torch_function(likes) else None


def _make_grads(outputs: list[Tensor], grads: list, *, is_grads_batched: bool = False) -> list[Tensor]:
    from .._creation import ones_like

    out = []
    for i, (o, g) in enumerate(zip(outputs, grads)):
        if g is None:
            if o.requires_grad and o.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not o.dtype.is_floating_point:
                raise RuntimeError(
                    f"grad can be implicitly created only for real scalar outputs but got {o.dtype}"
                )
            out.append(ones_like(o))
        else:
            if not isinstance(g, Tensor):
                from .._creation import tensor

                g = tensor(g, dtype=o.dtype)
            if tuple(g.shape) != tuple(o.shape):
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] "
                    f"has a shape of {o.shape}."
                )
            if o.dtype.is_complex != g.dtype.is_complex:
                raise RuntimeError(
                    "For complex Tensors, both grad_output and output are required to have the same dtype. "
                    f"Mismatch in dtype: grad_output[{i}] has a dtype of {g.dtype} and output[{i}] has a "
                    f"dtype of {o.dtype}."
                )
            out.append(g)
    return out


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph: bool = False,
             grad_variables=None, inputs=None) -> None:
    """Computes the gradients of `tensors` and accumulates them into the `.grad` of the
    graph's leaves (`torch.autograd.backward`).

    Args:
        tensors: the tensor or sequence of tensors to differentiate.
        grad_tensors: the gradient of each of `tensors` (a tensor, a number or None
            each); None is allowed for a one-element tensor and means 1.
        retain_graph: keep the graph so that a second backward can run through it;
            None (default) means the value of `create_graph`.
        create_graph: record the backward pass itself so higher-order derivatives can be
            taken (default False).
        grad_variables: the former name of `grad_tensors`, used when that is None.
        inputs: when given, the tensors to accumulate into (a subset of the graph's
            leaves); None (default) accumulates into every leaf.
    """
    overriding = _overriding_args(tensors, inputs)
    if overriding is not None:  # a tensor-like or a mode takes the call
        from ..overrides import handle_torch_function

        tensors_tuple, inputs_tuple, likes = overriding
        return handle_torch_function(backward, likes, tensors_tuple, grad_tensors=grad_tensors,
                                     retain_graph=retain_graph, create_graph=create_graph, inputs=inputs_tuple)
    outputs = _outputs_list(tensors)
    given = grad_tensors if grad_tensors is not None else grad_variables
    grads = [None] * len(outputs) if given is None else _as_list(given)
    # PyTorch pairs them with zip: gradients past the last tensor are dropped.
    grads = grads[: len(outputs)]
    if len(grads) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    for g in grads:  # PyTorch makes the gradients before it looks at the graph
        if not (g is None or isinstance(g, (Tensor, int, float, complex))):
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
    for i, o in enumerate(outputs):
        if not o.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
    grads = _make_grads(outputs, grads)
    if retain_graph is None:
        retain_graph = create_graph
    ins = [graph._edge_tensor(i) for i in _as_list(inputs)] if inputs is not None else None
    if ins is not None and len(ins) == 0:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    if ins is not None and any(isinstance(i, Tensor) and not i.requires_grad for i in ins):
        # PyTorch retains the grad of each input before it checks them
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    retain_graph, create_graph = _after_backward.engine_flag(retain_graph), _after_backward.engine_flag(create_graph)
    if create_graph:
        _after_backward.warn_create_graph_once()
    _after_backward.run(_core._backward, outputs, grads, retain_graph, create_graph, ins)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph: bool = False,
         only_inputs: bool = True, allow_unused=None, is_grads_batched: bool = False,
         materialize_grads: bool = False) -> tuple:
    """The gradients of `outputs` with respect to `inputs`, returned rather than
    accumulated into `.grad` (`torch.autograd.grad`).

    Args:
        outputs: the tensor or sequence of tensors to differentiate.
        inputs: the tensor or sequence of tensors (or `GradientEdge`s) to differentiate
            with respect to.
        grad_outputs: the gradient of each output (a tensor or None each); None is
            allowed for a one-element output and means 1.
        retain_graph: keep the graph for another backward; None (default) means the
            value of `create_graph`.
        create_graph: record the backward pass so the result can be differentiated again
            (default False).
        only_inputs: accepted for PyTorch compatibility (deprecated there); ignored.
        allow_unused: True: an input the outputs do not depend on gets None instead of
            raising; None (default) means the value of `materialize_grads`.
        is_grads_batched: the first dimension of each of `grad_outputs` is a batch: the
            result has one vjp per row, stacked along a new first dimension.
        materialize_grads: give zeros instead of None for unused inputs (default False).

    Returns:
        A tuple with one gradient per input.
    """
    if not only_inputs:
        _warnings.warn(
            "only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate "
            "gradient for other parts of the graph, please use ferrograd.autograd.backward.",
            FutureWarning,
            stacklevel=2,
        )
    overriding = _overriding_args(outputs, inputs)
    if overriding is not None:  # a tensor-like or a mode takes the call
        from ..overrides import handle_torch_function

        outputs_tuple, inputs_tuple, likes = overriding
        return handle_torch_function(grad, likes, outputs_tuple, inputs_tuple, grad_outputs=grad_outputs,
                                     retain_graph=retain_graph, create_graph=create_graph, only_inputs=only_inputs,
                                     allow_unused=allow_unused, is_grads_batched=is_grads_batched,
                                     materialize_grads=materialize_grads)
    outs = _outputs_list(outputs)
    given = [inputs] if isinstance(inputs, (Tensor, graph.GradientEdge)) else list(inputs)  # None: TypeError
    for i in given:
        if not isinstance(i, (Tensor, graph.GradientEdge)):
            raise RuntimeError(f"all inputs have to be Tensors or GradientEdges, but got {type(i).__name__}")  # noqa: TRY004
    ins = [graph._edge_tensor(i) for i in given]
    if not ins:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    gos = _as_list(grad_outputs)
    if not gos:
        gos = [None] * len(outs)
    gos = gos[: len(outs)]
    if len(gos) != len(outs):
        raise RuntimeError(f"got {len(outs)} tensors and {len(gos)} gradients")
    for i, o in enumerate(outs):
        if not o.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
    if allow_unused is None:
        allow_unused = materialize_grads
    if materialize_grads and not allow_unused:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, "
            f"but got: allow_unused={allow_unused}."
        )
    if retain_graph is None:
        retain_graph = create_graph
    retain_graph, create_graph = _after_backward.engine_flag(retain_graph), _after_backward.engine_flag(create_graph)
    vmapping = sys.modules.get("ferrograd.func._vmap")  # loaded once vmap is used
    if not retain_graph and vmapping is not None and vmapping.keeps_graphs():
        retain_graph = True
    if any("_fg_values" in getattr(o, "__dict__", {}) for o in outs):
        from ._sparse_outputs import as_values

        outs, gos = as_values(outs, gos)
    if is_grads_batched:
        result = _batched_grads(outs, gos, ins, bool(retain_graph), bool(create_graph))
    else:
        gos = _make_grads(outs, gos)
        try:
            result = list(_after_backward.run(_core._grad, outs, gos, ins, bool(retain_graph),
                                              bool(create_graph), True))
        except RuntimeError:
            # a sparse input: its gradient is that of its values (checked only after the
            # core refused the sparse tensor's empty stand-in, so dense calls pay nothing)
            if not any(getattr(i, "is_sparse", False) or getattr(type(i), "_fg_compressed", False) for i in ins):
                raise
            from .._sparse_csr import input_grads

            result = input_grads(ins, lambda values: _after_backward.run(
                _core._grad, outs, gos, values, bool(retain_graph), bool(create_graph), True))
    if not allow_unused:
        for i, g in enumerate(result):
            if g is None:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in the graph. "
                    "Set allow_unused=True if this is the desired behavior."
                )
    if materialize_grads:
        from .._creation import zeros_like

        if any(g is None and isinstance(i, graph.GradientEdge) for i, g in zip(given, result)):
            raise RuntimeError("materialize_grads cannot be used when the given input is a GradientEdge")
        result = [zeros_like(i, requires_grad=bool(create_graph)) if g is None else g for i, g in zip(ins, result)]
    masked = sys.modules.get("ferrograd.masked.maskedtensor.core")  # loaded once a MaskedTensor exists
    if masked is not None:
        result = [masked.gradient_of(i, g, outs) for i, g in zip(ins, result)]
    meta = sys.modules.get("ferrograd._meta")  # loaded once a meta tensor exists
    if meta is not None:
        result = [meta.to_meta_view(g) if isinstance(i, meta.MetaTensor) and g is not None else g
                  for i, g in zip(ins, result)]
    return tuple(result)


def _batched_grads(outs: list[Tensor], gos: list, ins: list[Tensor], retain_graph: bool,
                   create_graph: bool) -> list:
    """`grad(..., is_grads_batched=True)`: one vjp per row of the grad_outputs, stacked
    (the values of PyTorch's vmap over the first dimension)."""
    from .._shape import stack

    batch = None
    for i, (o, g) in enumerate(zip(outs, gos)):
        if g is None:
            continue
        first = g[0]  # PyTorch compares the first row, then prints that row's shape less its first dimension
        if tuple(first.shape) != tuple(o.shape):
            raise RuntimeError(
                "If `is_grads_batched=True`, we interpret the first dimension of each grad_output "
                "as the batch dimension. The sizes of the remaining dimensions are expected to "
                "match the shape of corresponding output, but a mismatch was detected: "
                f"grad_output[{i}] has a shape of {first.shape[1:]} and output[{i}] has a shape of "
                f"{o.shape}. If you only want some tensors in `grad_output` to be considered "
                "batched, consider using vmap."
            )
        batch = g.shape[0] if batch is None else batch
    if batch is None:
        raise RuntimeError("grad can be implicitly created only for scalar outputs")
    rows = []
    for b in range(batch):
        gos_b = _make_grads(outs, [None if g is None else g[b] for g in gos])
        keep = retain_graph or b < batch - 1
        rows.append(list(_after_backward.run(_core._grad, outs, gos_b, ins, keep, create_graph, True)))
    if not rows:
        raise IndexError("index 0 is out of bounds for dimension 0 with size 0")
    return [None if col[0] is None else stack(col) for col in zip(*rows)]


def graph_stats() -> dict:
    """The graph arena's counters: live nodes (`live_nodes`), arena slots
    (`arena_slots`), tensors saved for backward (`saved_tensors`) and their bytes
    (`saved_bytes`), and backward calls started so far (`backward_calls`).
    `live_graphs()` says which roots hold the live nodes."""
    stats = dict(_core.graph_stats())
    stats["backward_calls"] = _core._backward_passes()
    return stats


if not TYPE_CHECKING:  # mypy reads the imports above; at run time the names load here

    def __getattr__(name: str):
        """Loads `functional` or `gradcheck` on first use (PEP 562)."""
        if name not in _LAZY:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import importlib

        module = importlib.import_module(f"{__name__}.{_LAZY[name] or name}")
        # Importing `gradcheck.py` binds the package attribute `gradcheck` to the module;
        # rebind every name the module provides so the function wins.
        for other, source in _LAZY.items():
            if source is not None and source == _LAZY[name]:
                globals()[other] = getattr(module, other)
        value = module if _LAZY[name] is None else getattr(module, name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(globals()) | set(_LAZY))



def _is_checkpoint_valid() -> bool:
    """False inside a backward pass started by `grad` or `backward(inputs=...)`."""
    return _after_backward.is_checkpoint_valid()


from .._torch_homes import settle as _settle

_settle("autograd")
