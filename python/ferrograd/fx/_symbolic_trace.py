"""`Tracer` and `symbolic_trace`: run a module's `forward` (or a function) on Proxies and
record what it does as a `Graph`; `wrap` makes a module-level function a single node."""

from __future__ import annotations

import builtins
import functools
import inspect
import math
import types
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from ._pytree_args import PH, PHBase, PHWithMeta, flattening, placeholders_for, transfer_attrs  # noqa: F401  (PHWithMeta: PyTorch has it here)
from ._stack_traces import user_stack_trace
from .graph import Graph
from .node import Node, map_aggregate
from .proxy import Proxy, TraceError

# (globals dict, name) of each function `wrap` was given
_wrapped_fns_to_patch: dict[tuple[int, str], tuple[dict[str, Any], str]] = {}
_BASE_TYPES = (str, int, float, bool, complex, type(None), type(...), slice, range)


def wrap(fn_or_name: str | Callable[..., Any]) -> str | Callable[..., Any]:
    """Called at module scope: calls of the named module-level function are recorded as one
    `call_function` node instead of being traced through."""
    if not callable(fn_or_name) and not isinstance(fn_or_name, str):
        raise RuntimeError("Unsupported type for global function! Must be either a callable or string name")  # noqa: TRY004  (PyTorch's type)
    name = fn_or_name if isinstance(fn_or_name, str) else fn_or_name.__name__
    frame = inspect.currentframe()
    assert frame is not None and frame.f_back is not None
    caller = frame.f_back
    if caller.f_code.co_name != "<module>":
        raise NotImplementedError("wrap must be called at the top level of a module")
    _wrapped_fns_to_patch[(id(caller.f_globals), name)] = (caller.f_globals, name)
    return fn_or_name


def _wrapped_call(orig_fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(orig_fn)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        proxies: list[Proxy] = []
        map_aggregate((args, kwargs), lambda a: proxies.append(a) if isinstance(a, Proxy) else None)
        if not proxies:
            return orig_fn(*args, **kwargs)
        proxy = proxies[0].tracer.create_proxy("call_function", orig_fn, args, kwargs)
        proxy.node.meta["is_wrapped"] = True
        return proxy

    return wrapped


def _positional_only_version(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` taking its keyword-only, `*args` and `**kwargs` parameters as plain positional
    ones (in that order), so each can be passed one placeholder's Proxy."""
    code = fn.__code__  # type: ignore[attr-defined]
    varargs = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS
    if not code.co_kwonlyargcount and not code.co_flags & varargs:
        return fn
    count = code.co_argcount + code.co_kwonlyargcount + bool(code.co_flags & inspect.CO_VARARGS) + bool(
        code.co_flags & inspect.CO_VARKEYWORDS)
    new_code = code.replace(co_argcount=count, co_posonlyargcount=0, co_kwonlyargcount=0,
                            co_flags=code.co_flags & ~varargs)
    return types.FunctionType(new_code, fn.__globals__, fn.__name__, None, fn.__closure__)  # type: ignore[attr-defined]


def _assert_is_none(value: Any, msg: str) -> None:
    assert value is None, msg


class _Patcher:
    """Sets attributes for the length of a trace and puts the old values back after."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []

    def setattr(self, owner: Any, name: str, value: Any) -> None:
        old = owner.__dict__.get(name, ...) if isinstance(owner, type) else getattr(owner, name, ...)
        setattr(owner, name, value)
        self._undo.append(lambda: setattr(owner, name, old) if old is not ... else delattr(owner, name))

    def setitem(self, mapping: dict[str, Any], name: str, value: Any) -> None:
        old = mapping.get(name, ...)
        mapping[name] = value
        self._undo.append(lambda: mapping.__setitem__(name, old) if old is not ... else mapping.pop(name))

    def undo_all(self) -> None:
        while self._undo:
            self._undo.pop()()


class Tracer:
    """Turns a module or function into a `Graph` by running it on Proxies. Override
    `is_leaf_module` to choose which submodules stay single `call_module` nodes; set
    `record_stack_traces` to keep on each node where the traced code made it."""

    record_stack_traces: bool = False

    def __init__(self, autowrap_modules: tuple[Any, ...] = (math,),
                 autowrap_functions: tuple[Callable[..., Any], ...] = ()) -> None:
        self._autowrap_function_ids = {
            id(value) for module in autowrap_modules for name, value in module.__dict__.items()
            if not name.startswith("_") and callable(value)}
        self._autowrap_function_ids.update(id(f) for f in autowrap_functions)
        self._autowrap_modules = autowrap_modules
        self.root: Any = None
        self.graph = Graph()
        self.tensor_attrs: dict[Any, str] = {}

    # ---- what becomes a node -------------------------------------------------------------------
    def is_leaf_module(self, m: Any, module_qualified_name: str) -> bool:
        from ..nn import Sequential

        module_name = type(m).__module__
        return module_name.startswith("ferrograd.nn") and not isinstance(m, Sequential)

    def path_of_module(self, mod: Any) -> str:
        for name, candidate in self.root.named_modules():
            if candidate is mod:
                return name
        raise NameError("module is not installed as a submodule")

    def call_module(self, m: Any, forward: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        qualified_name = self.path_of_module(m)
        if not self.is_leaf_module(m, qualified_name):
            return forward(*args, **kwargs)
        return self.create_proxy("call_module", qualified_name, args, kwargs)

    def getattr(self, attr: str, attr_val: Any, parameter_proxy_cache: dict[str, Any]) -> Any:
        from .. import Tensor
        from ..nn import Parameter

        if isinstance(attr_val, Parameter):
            candidates = self.root.named_parameters()
        elif isinstance(attr_val, Tensor):
            candidates = self.root.named_buffers()
        else:
            return attr_val
        for name, value in candidates:
            if value is attr_val:
                if name not in parameter_proxy_cache:
                    parameter_proxy_cache[name] = self.create_proxy("get_attr", name, (), {})
                return parameter_proxy_cache[name]
        return attr_val

    def create_arg(self, a: Any) -> Any:
        """A value as a node argument: Proxies become their nodes, parameters and tensors of the
        root `get_attr` nodes, containers are mapped."""
        from .. import Tensor
        from ..nn import Parameter

        if isinstance(a, Proxy):
            return a.node
        if isinstance(a, Parameter):
            for name, param in self.root.named_parameters():
                if param is a:
                    return self.create_node("get_attr", name, (), {})
            raise NameError("parameter is not a member of this module")
        if isinstance(a, Tensor):
            name = self.tensor_attrs.get(a)
            if name is None:
                i = 0
                while hasattr(self.root, f"_tensor_constant{i}"):
                    i += 1
                name = f"_tensor_constant{i}"
                setattr(self.root, name, a)
                self.tensor_attrs[a] = name
            return self.create_node("get_attr", name, (), {})
        if isinstance(a, tuple) and hasattr(a, "_fields"):
            return type(a)(*(self.create_arg(elem) for elem in a))
        if isinstance(a, (tuple, list)):
            return type(a)(self.create_arg(elem) for elem in a)
        if isinstance(a, dict):
            out = {}
            for k, v in a.items():
                k = self.create_arg(k)
                if isinstance(k, Node):
                    raise RuntimeError(f"Keys for dictionaries used as an argument cannot contain a Node. Got key: {k}")  # noqa: TRY004  (PyTorch's type)
                out[k] = self.create_arg(v)
            return out
        if isinstance(a, slice):
            return slice(self.create_arg(a.start), self.create_arg(a.stop), self.create_arg(a.step))
        if isinstance(a, (Node, *_BASE_TYPES)) or a is None:
            return a
        from .. import device, dtype, layout, memory_format

        if isinstance(a, (dtype, device, layout, memory_format)):
            return a
        raise NotImplementedError(f"argument of type: {type(a)}")

    def create_node(self, kind: str, target: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
                    name: str | None = None, type_expr: Any | None = None) -> Node:
        node = self.graph.create_node(kind, target, args, kwargs, name, type_expr)
        if self.record_stack_traces and not node.stack_trace:
            trace = user_stack_trace()
            if trace is not None:
                node.stack_trace = trace
        return node

    def proxy(self, node: Node) -> Proxy:
        return Proxy(node, self)

    def create_proxy(self, kind: str, target: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
                     name: str | None = None, type_expr: Any | None = None) -> Proxy:
        args_ = self.create_arg(args)
        kwargs_ = self.create_arg(kwargs)
        return self.proxy(self.create_node(kind, target, args_, kwargs_, name, type_expr))

    # ---- what a Proxy cannot do ----------------------------------------------------------------
    def to_bool(self, obj: Proxy) -> bool:
        raise TraceError("symbolically traced variables cannot be used as inputs to control flow")

    def iter(self, obj: Proxy) -> Iterator[Any]:
        raise TraceError("Proxy object cannot be iterated. This can be attempted when the Proxy is used in a loop or"
                         " as a *args or **kwargs function argument. See the torch.fx docs on pytorch.org for a "
                         "more detailed explanation of what types of control flow can be traced, and check out the"
                         " Proxy docstring for help troubleshooting Proxy iteration errors")

    def keys(self, obj: Proxy) -> Any:
        from .proxy import Attribute

        return Attribute(obj, "keys")()

    # ---- tracing -------------------------------------------------------------------------------
    def _placeholders(self, fn: Callable[..., Any], skip_self: bool, concrete_args: dict[str, Any] | None) -> list[Any]:
        """One placeholder per parameter of `fn` (`*args` and `**kwargs` last, as one value each)."""
        params = list(inspect.signature(fn).parameters.values())[1 if skip_self else 0:]
        variadic: dict[Any, str] = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
        params.sort(key=lambda p: len(variadic.get(p.kind, "")))
        concrete_args = concrete_args or {}
        values: list[Any] = []
        for param in params:
            if param.name in concrete_args:
                values.append(self._concrete_placeholder(param, concrete_args[param.name]))
                continue
            default = () if param.default is inspect.Parameter.empty else (param.default,)
            type_expr = None if param.annotation is inspect.Parameter.empty else param.annotation
            target = variadic.get(param.kind, "") + param.name
            values.append(self.create_proxy("placeholder", target, default, {}, type_expr=type_expr))
        return values

    def _concrete_placeholder(self, param: inspect.Parameter, value: Any) -> Any:
        """A concrete argument: each of its leaves a placeholder (`name_1`, `name_2`, ...); a
        `PH` leaf is traced as that placeholder, any other leaf as its value, with a check
        that a call passes the value traced with."""
        if isinstance(value, Proxy):
            return value
        return placeholders_for(value, lambda leaf, count: self._concrete_leaf(param, leaf, count))

    def _concrete_leaf(self, param: inspect.Parameter, value: Any, count: int) -> Any:
        from .._assertion import _assert

        default = () if param.default is inspect.Parameter.empty else (param.default,)
        out = self.create_proxy("placeholder", f"{param.name}_{count}", default, {})
        if isinstance(value, PHBase):
            if value is not PH:
                transfer_attrs(value, out.node)
            return out
        if value is None:
            self.create_proxy("call_function", _assert_is_none,
                              (out, f"{param.name} has been specialized to have value None but got another value"), {})
        elif type(value) in _BASE_TYPES:
            _assert(out == value,
                              f"{param.name} has been specialized to have value {value} but got another value")
        else:
            warnings.warn(f"Was not able to add assertion to guarantee correct input {param.name} to specialized "
                          "function. It is up to the user to make sure that your inputs match the inputs you "
                          "specialized the function with.", stacklevel=3)
        return value

    def _patch(self, patcher: _Patcher, fn_globals: dict[str, Any]) -> None:
        from ..nn import Module

        tracer = self
        parameter_proxy_cache: dict[str, Any] = {}
        original_getattr = Module.__getattr__
        original_call = Module.__call__

        def module_getattr(mod: Any, attr: str) -> Any:
            return tracer.getattr(attr, original_getattr(mod, attr), parameter_proxy_cache)

        def module_call(mod: Any, *args: Any, **kwargs: Any) -> Any:
            def forward(*args: Any, **kwargs: Any) -> Any:
                return original_call(mod, *args, **kwargs)

            return tracer.call_module(mod, forward, args, kwargs)

        patcher.setattr(Module, "__getattr__", module_getattr)
        patcher.setattr(Module, "__call__", module_call)
        for mapping, name in list(_wrapped_fns_to_patch.values()):
            orig_fn = mapping[name] if name in mapping else getattr(builtins, name)
            patcher.setitem(mapping, name, _wrapped_call(orig_fn))
        # the autowrapped functions (math's by default) where the traced code can reach them
        for mapping in (fn_globals, *(vars(module) for module in self._autowrap_modules)):
            for name, value in list(mapping.items()):
                if not name.startswith("_") and callable(value) and id(value) in self._autowrap_function_ids:
                    patcher.setitem(mapping, name, _wrapped_call(value))

    def trace(self, root: Any, concrete_args: dict[str, Any] | None = None) -> Graph:
        """Record `root` (a Module, whose `forward` runs, or a function) as a new Graph."""
        from .. import Tensor
        from ..nn import Module

        if isinstance(root, Module):
            self.root = root
            fn = type(root).forward
            skip_self = True
        else:
            self.root = Module()
            fn = root
            skip_self = False
        self.graph = Graph(tracer_cls=type(self))
        self.tensor_attrs = {}
        for name, value in vars(self.root).items():
            if isinstance(value, Tensor):
                self.tensor_attrs[value] = name
        for module_name, module in self.root.named_modules():
            for name, buffer in module.named_buffers(recurse=False):
                self.tensor_attrs[buffer] = f"{module_name}.{name}" if module_name else name
        args = self._placeholders(fn, skip_self, concrete_args)
        code = fn.__code__
        orig_args = list(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount])
        fn = _positional_only_version(fn)
        call, call_args = flattening(self.graph, fn, [self.root, *args] if skip_self else args, orig_args)
        patcher = _Patcher()
        try:
            self._patch(patcher, fn.__globals__)
            result = call(*call_args)
            self.create_node("output", "output", (self.create_arg(result),), {},
                             type_expr=fn.__annotations__.get("return", None))
        finally:
            patcher.undo_all()
        return self.graph


def symbolic_trace(root: Any, concrete_args: dict[str, Any] | None = None) -> Any:
    """Trace `root` (a Module or a function) into a `GraphModule`."""
    from .graph_module import GraphModule

    tracer = Tracer()
    graph = tracer.trace(root, concrete_args)
    name = type(root).__name__ if hasattr(root, "forward") and not inspect.isfunction(root) else root.__name__
    return GraphModule(tracer.root, graph, name)

