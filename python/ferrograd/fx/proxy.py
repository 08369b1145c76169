"""`Proxy`: the stand-in value a traced program computes with. Each operation on a Proxy
(an operator, a Tensor method, a `ferrograd` function through `__torch_function__`) adds a
node to the tracer's graph and returns a new Proxy for it."""

from __future__ import annotations

import dis
import inspect
import operator
import sys
from collections.abc import Iterator
from typing import Any

from .._tensor_likes import _public
from ._codegen import MAGIC_METHODS, REFLECTABLE_MAGIC_METHODS
from .node import Node, map_aggregate


class TraceError(ValueError):
    pass


class Proxy:
    """A value under symbolic tracing: records what is done with it as graph nodes."""

    def __init__(self, node: Node, tracer: Any | None = None) -> None:
        if tracer is None:
            tracer = GraphAppendingTracer(node.graph)
        self.tracer = tracer
        self.node = node

    def __repr__(self) -> str:
        return f"Proxy({self.node.name})"

    def __getattr__(self, k: str) -> Attribute:
        if k.startswith("__") and k.endswith("__") or _asked_by_ferrograd():
            raise AttributeError(k)
        return Attribute(self, k)

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__ = state

    def __deepcopy__(self, memo: dict[int, Any]) -> Proxy:
        raise TraceError("Proxy cannot be deep-copied during symbolic tracing")

    def __call__(self, *args: Any, **kwargs: Any) -> Proxy:
        return self.tracer.create_proxy("call_method", "__call__", (self, *args), kwargs)

    def __iter__(self) -> Iterator[Proxy]:
        frame = inspect.currentframe()
        assert frame is not None and frame.f_back is not None
        caller = frame.f_back
        for inst in dis.get_instructions(caller.f_code):
            if inst.offset == caller.f_lasti and inst.opname == "UNPACK_SEQUENCE":
                return (self[i] for i in range(inst.argval))  # type: ignore[index]
        return self.tracer.iter(self)

    def __bool__(self) -> bool:
        return self.tracer.to_bool(self)

    def __len__(self) -> int:
        raise RuntimeError("'len' is not supported in symbolic tracing by default. If you want this call to be "
                           "recorded, please call ferrograd.fx.wrap('len') at module scope")

    def keys(self) -> Any:
        return self.tracer.keys(self)

    @classmethod
    def __torch_function__(cls, orig_method: Any, types: Any, args: tuple[Any, ...] = (),
                           kwargs: dict[str, Any] | None = None) -> Proxy:
        from ..overrides import is_tensor_method_or_property

        kwargs = kwargs if kwargs else {}
        tracers: dict[Any, None] = {}

        def find_tracer(a: Any) -> None:
            if isinstance(a, cls):
                tracers[a.tracer] = None

        map_aggregate(args, find_tracer)
        map_aggregate(kwargs, find_tracer)
        if len(tracers) > 1:
            raise RuntimeError(f"Found multiple different tracers {list(tracers.keys())} while trying to trace "
                               f"operations {orig_method}")
        tracer = next(iter(tracers))
        if is_tensor_method_or_property(orig_method):
            return tracer.create_proxy("call_method", orig_method.__name__, args, kwargs)
        # the namespace's own object (its outermost wrapper), so that `target is ferrograd.add` holds
        orig_method = _public(orig_method)
        return tracer.create_proxy("call_function", orig_method, args, kwargs,
                                   name=tracer.graph._target_to_str(orig_method))


def _asked_by_ferrograd() -> bool:
    """Whether the attribute lookup comes from ferrograd's own code (outside fx). ferrograd's
    functions try their argument as a Tensor first and hand it to `__torch_function__` when
    that fails, so a Proxy must refuse them its attributes to be dispatched as in PyTorch."""
    caller = sys._getframe(2).f_globals.get("__name__", "")
    return caller.startswith("ferrograd.") and not caller.startswith("ferrograd.fx")


class Attribute(Proxy):
    """`proxy.attr`: a `getattr` node made only if the attribute is used as a value (a
    call of it becomes a `call_method` node instead)."""

    def __init__(self, root: Proxy, attr: str) -> None:
        self.root = root
        self.attr = attr
        self.tracer = root.tracer
        self._node: Node | None = None

    @property
    def node(self) -> Node:  # type: ignore[override]
        if self._node is None:
            self._node = self.tracer.create_proxy("call_function", getattr, (self.root, self.attr), {}).node
        return self._node

    def __call__(self, *args: Any, **kwargs: Any) -> Proxy:
        return self.tracer.create_proxy("call_method", self.attr, (self.root, *args), kwargs)


class GraphAppendingTracer:
    """The tracer of a Proxy made around a node directly: appends to that node's graph."""

    def __init__(self, graph: Any) -> None:
        from ._symbolic_trace import Tracer

        self._tracer = Tracer()
        self._tracer.graph = graph
        self.graph = graph

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tracer, name)


def _make_operator(name: str) -> None:
    def impl(*args: Any, **kwargs: Any) -> Proxy:
        return args[0].tracer.create_proxy("call_function", getattr(operator, name), args, kwargs)

    impl.__name__ = impl.__qualname__ = f"__{name.strip('_')}__"
    setattr(Proxy, impl.__name__, impl)


def _make_reflected_operator(name: str) -> None:
    dunder = f"__r{name.strip('_')}__"

    def impl(self: Proxy, rhs: Any) -> Proxy:
        return self.tracer.create_proxy("call_function", getattr(operator, name), (rhs, self), {})

    impl.__name__ = impl.__qualname__ = dunder
    setattr(Proxy, dunder, impl)


for _name in MAGIC_METHODS:
    _make_operator(_name)
for _name in REFLECTABLE_MAGIC_METHODS:
    _make_reflected_operator(_name)
