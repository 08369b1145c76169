"""Op events: while a profiler runs, ferrograd's public functions, Tensor methods and
operators are replaced by timing wrappers; the originals come back when the last
profiler stops. Outside a profiler nothing is wrapped, so ops run at full speed.
"""

from __future__ import annotations

import functools
import sys
import threading
import types
from time import perf_counter_ns
from typing import Any

from .._core import Tensor, _GatedFunction
from ._profiler_backward import graph_roots, record_seeds, run_timed
from ._profiler_op_names import (
    MIN_SCHEMA_LENGTHS,
    MODULE_PREFIXES,
    NOT_RECORDED,
    OPERATORS,
    RENAMED,
    SCHEMA_LENGTHS,
    SWAPPED_OPERANDS,
)

_WRAPPABLE = (types.FunctionType, types.BuiltinFunctionType, types.MethodDescriptorType,
              types.WrapperDescriptorType, _GatedFunction)
# (owner, attribute name, original, wrapper) for everything replaced
_installed: list[tuple[Any, str, Any, Any]] = []


def _aten_name(name: str, prefix: str = "") -> str:
    return "aten::" + prefix + RENAMED.get(name, name)


def _index_op_name(key: Any) -> str:
    """The aten op PyTorch records for `x[key]`."""
    parts = key if isinstance(key, tuple) else (key,)
    if any(isinstance(p, (Tensor, list, bool)) for p in parts):
        return "index"
    first = next((p for p in parts if p is not Ellipsis), Ellipsis)
    if first is Ellipsis:
        return "alias"
    if first is None:
        return "unsqueeze"
    return "slice" if isinstance(first, slice) else "select"


def _setitem_op_name(key: Any, value: Any) -> str:
    if _index_op_name(key) == "index":
        return "index_put_"
    return "copy_" if isinstance(value, Tensor) else "fill_"


def _input_shapes(op: str, args: tuple, kwargs: dict, only_first: bool) -> list:
    """One entry per input: a tensor's shape, `[]` for anything else, padded to the op's
    schema length as PyTorch lists them."""
    values = args[:1] if only_first else (*args, *kwargs.values())
    shapes = [list(v.shape) if isinstance(v, Tensor) else [] for v in values]
    length = SCHEMA_LENGTHS.get(op)
    if length is not None:
        shapes = shapes[:length]
    else:
        length = MIN_SCHEMA_LENGTHS.get(op, 0)
    return shapes + [[]] * (length - len(shapes))


def _has_tensor(value: Any) -> bool:
    if isinstance(value, Tensor):
        return True
    if isinstance(value, (tuple, list)):
        for item in value:  # a loop, not any(<generator>): this runs on every profiled op
            if isinstance(item, Tensor):
                return True
    return False


def _output_bytes(value: Any) -> int:
    """The bytes an op's outputs allocated (a view allocates none)."""
    outputs = value if isinstance(value, (tuple, list)) else (value,)
    return sum(v.numel() * v.element_size() for v in outputs if isinstance(v, Tensor) and not v._is_view())


def _eager_iter(original: Any) -> Any:
    def iterate(self):
        return iter(list(original(self)))

    return iterate


def _wrap(original: Any, name: str, active: dict, prefix: str = "") -> Any:
    operator = OPERATORS.get(name)
    swapped = name in SWAPPED_OPERANDS
    # PyTorch unbinds at once: a profiled `iter(x)` takes its items inside the event
    profiled = _eager_iter(original) if name == "__iter__" else original
    fixed_name = None if operator == "" else _aten_name(operator or name, prefix)

    @functools.wraps(original)
    def timed(*args, **kwargs):
        session = active.get(threading.get_ident())
        if session is None:
            return original(*args, **kwargs)
        start = perf_counter_ns()
        result = profiled(*args, **kwargs)
        end = perf_counter_ns()
        if not (_has_tensor(result) or _has_tensor(args) or (kwargs and _has_tensor(list(kwargs.values())))):
            return result  # a setting or a number: no op in PyTorch either
        op = fixed_name
        if op is None:  # indexing: the op depends on the key
            op = "aten::" + (_index_op_name(args[1]) if name == "__getitem__" else _setitem_op_name(args[1], args[2]))
        shapes = None
        if session.record_shapes:
            shapes = _input_shapes(op[6:], args[::-1] if swapped else args, kwargs, fixed_name is None)
        memory = _output_bytes(result) if session.profile_memory else 0
        session.add(op, start, end, shapes, memory)
        return result

    timed._fg_profiled = True  # type: ignore[attr-defined]
    return timed


def _wrap_backward(original: Any, roots_argument: str, gradient: tuple[int, str], active: dict) -> Any:
    """`original` (a backward entry point) timing the graph nodes it runs; `gradient` is
    the position and name of its gradient argument."""
    position, gradient_name = gradient

    @functools.wraps(original)
    def timed(*args, **kwargs):
        session = active.get(threading.get_ident())
        if session is None or session.in_backward:
            return original(*args, **kwargs)
        outputs = args[0] if args else kwargs.get(roots_argument)
        if (args[position] if len(args) > position else kwargs.get(gradient_name)) is None:
            record_seeds(session, outputs)
        roots = graph_roots(outputs)
        session.in_backward = True
        try:
            return run_timed(session, roots, lambda: original(*args, **kwargs))
        finally:
            session.in_backward = False

    return timed


def _wrap_rtruediv(original: Any, active: dict) -> Any:
    """`number / x`, which PyTorch records as `aten::reciprocal` then `aten::mul`."""

    @functools.wraps(original)
    def timed(self, other):
        session = active.get(threading.get_ident())
        if session is None:
            return original(self, other)
        start = perf_counter_ns()
        result = original(self, other)
        end = perf_counter_ns()
        middle = (start + end) // 2
        shape = list(self.shape)
        memory = _output_bytes(result) if session.profile_memory else 0
        session.add("aten::reciprocal", start, middle, [shape] if session.record_shapes else None, memory)
        session.add("aten::mul", middle + 1, end, [shape, []] if session.record_shapes else None, memory)
        return result

    timed._fg_profiled = True  # type: ignore[attr-defined]
    return timed


def _replace(owner: Any, name: str, original: Any, active: dict, prefix: str = "", wrapper: Any = None) -> None:
    if wrapper is None:
        wrapper = _wrap(original, name, active, prefix)
    setattr(owner, name, wrapper)
    _installed.append((owner, name, original, wrapper))


def _tensor_names() -> list[str]:
    return [name for name, value in vars(Tensor).items()
            if isinstance(value, _WRAPPABLE) and name not in NOT_RECORDED and name != "__rtruediv__"
            and (name in OPERATORS or not name.startswith("_"))]


def install(active: dict) -> None:
    """Wraps the Tensor methods and the public functions of the loaded ferrograd modules."""
    for name in _tensor_names():
        _replace(Tensor, name, vars(Tensor)[name], active)
    backward = vars(Tensor)["backward"]
    _replace(Tensor, "backward", backward, active,
             wrapper=_wrap_backward(backward, "self", (1, "gradient"), active))
    rtruediv = vars(Tensor)["__rtruediv__"]
    _replace(Tensor, "__rtruediv__", rtruediv, active, wrapper=_wrap_rtruediv(rtruediv, active))
    autograd = sys.modules.get("ferrograd.autograd")
    if autograd is not None:
        for name, roots_argument, gradient in (("backward", "tensors", (1, "grad_tensors")),
                                               ("grad", "outputs", (2, "grad_outputs"))):
            original = vars(autograd)[name]
            _replace(autograd, name, original, active,
                     wrapper=_wrap_backward(original, roots_argument, gradient, active))
    for module_name, prefix in MODULE_PREFIXES.items():
        module = sys.modules.get(module_name)
        if module is None:
            continue
        for name, value in list(vars(module).items()):
            if (not name.startswith("_") and name not in NOT_RECORDED and isinstance(value, _WRAPPABLE)
                    and not getattr(value, "_fg_profiled", False)):
                _replace(module, name, value, active, prefix)


def uninstall() -> None:
    """Puts every original back (unless something else replaced the wrapper meanwhile)."""
    while _installed:
        owner, name, original, wrapper = _installed.pop()
        if vars(owner).get(name) is wrapper:
            setattr(owner, name, original)
