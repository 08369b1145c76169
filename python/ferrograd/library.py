"""`ferrograd.library`: user-defined operators, as PyTorch's `torch.library`.

`custom_op("ns::name", mutates_args=...)` turns a typed Python function into an operator
(`ferrograd.ops.ns.name`) whose schema is inferred from the annotations; its gradient comes
from `register_autograd`. `Library("ns", "DEF").define(schema)` declares an operator by its
schema text and `impl` gives it a kernel. Only the CPU exists: 'fake' kernels are kept but
never needed, and kernels for other devices are kept unused.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable

from . import _op_schema, ops
from ._core import Tensor
from ._grad_mode import no_grad
from .autograd.function import Function

__all__ = ["CustomOpDef", "Library", "custom_op", "define", "impl", "register_autograd", "register_fake",
           "register_kernel"]

_KINDS = ("IMPL", "DEF", "FRAGMENT")


class Library:
    """Operators of namespace `ns`: a 'DEF' (or 'FRAGMENT') library defines them, an
    'IMPL' one only gives kernels.

    Args:
        ns: the namespace.
        kind: 'DEF', 'IMPL' or 'FRAGMENT'.
        dispatch_key: the default dispatch key of `impl` ('' for CompositeImplicitAutograd).
    """

    def __init__(self, ns: str, kind: str, dispatch_key: str = "") -> None:
        if kind not in _KINDS:
            raise ValueError(f"Unsupported kind: {kind}")
        self.ns, self.kind, self.dispatch_key = ns, kind, dispatch_key

    def __repr__(self) -> str:
        return f"Library(kind={self.kind}, ns={self.ns}, dispatch_key={self.dispatch_key})>"

    def define(self, schema: str, alias_analysis: str = "", *, tags=()) -> str:
        """Declares an operator by its schema text ('add1(Tensor x) -> Tensor'); returns
        its name.

        Args:
            schema: the schema, without the namespace.
            alias_analysis: accepted for PyTorch compatibility.
            tags: accepted for PyTorch compatibility.
        """
        parsed = _op_schema.parse(self.ns, schema)
        name = parsed.name.split("::")[1]
        if self.kind == "IMPL":
            raise RuntimeError(
                f'def("{name}"): Cannot define an operator inside of a TORCH_LIBRARY_IMPL block.  All def()s should '
                "be placed in the (unique) TORCH_LIBRARY block for their namespace.")
        if ops._lookup(parsed.name) is not None:
            raise RuntimeError(
                f"Tried to register an operator ({parsed}) with the same name and overload name multiple times. "
                "Each overload's schema should only be registered with a single call to def().")
        ops._register(parsed.name, ops.OpOverload(self.ns, name, parsed))
        return name

    def impl(self, op_name, fn: Callable, dispatch_key: str = "", *, with_keyset: bool = False) -> None:
        """Gives operator `op_name` the kernel `fn` for `dispatch_key` ('CPU',
        'CompositeImplicitAutograd', 'CompositeExplicitAutograd', 'Autograd', 'Meta', ...).

        Args:
            op_name: the operator's name in this namespace, or its OpOverload.
            fn: the kernel.
            dispatch_key: the key; '' uses the library's, else CompositeImplicitAutograd.
            with_keyset: accepted for PyTorch compatibility (must be False).
        """
        if isinstance(op_name, ops.OpOverload):
            qualname = op_name.name()
        else:
            qualname = op_name if "::" in op_name else f"{self.ns}::{op_name.split('.')[0]}"
        ops._add_kernel(qualname, dispatch_key or self.dispatch_key or "CompositeImplicitAutograd", fn)

    def _destroy(self) -> None:
        """Kept for PyTorch compatibility; definitions stay registered."""


class CustomOpDef:
    """An operator made by `custom_op`: calling it calls `ferrograd.ops.<ns>.<name>`.

    Args:
        namespace: the operator's namespace.
        name: its name.
        schema: its parsed schema.
        fn: the Python function it runs.
    """

    def __init__(self, namespace: str, name: str, schema, fn: Callable) -> None:
        self._namespace, self._name = namespace, name
        self._qualname = f"{namespace}::{name}"
        self._schema = schema
        self._init_fn = fn
        self._kernels: dict[str | None, Callable] = {}
        self._fake_fn: Callable | None = None
        self._backward_fn: Callable | None = None
        self._setup_context_fn: Callable | None = None
        self._opoverload = ops.OpOverload(namespace, name, schema)
        self._opoverload._kernels["CPU"] = self._run_kernel
        self._opoverload._kernels["Autograd"] = self._run_with_autograd
        self._function = _generated_function(self)
        ops._register(self._qualname, self._opoverload)

    def __repr__(self) -> str:
        return f"<CustomOpDef({self._qualname})>"

    def __call__(self, *args, **kwargs):
        return self._opoverload(*args, **kwargs)

    def register_kernel(self, device_types, fn: Callable | None = None, /):
        """Gives the operator a kernel for `device_types` (None: all); only the CPU one
        runs here. Usable as a decorator.

        Args:
            device_types: 'cpu', another device type, a list of them, or None.
            fn: the kernel.
        """
        def register(fn: Callable) -> Callable:
            kinds = [device_types] if device_types is None or isinstance(device_types, str) else list(device_types)
            for kind in kinds:
                self._kernels[kind] = fn
            return fn

        return register if fn is None else register(fn)

    def register_fake(self, fn: Callable | None = None, /, *, _stacklevel: int = 1):
        """Records the operator's 'fake' (shape-only) implementation. Usable as a decorator.

        Args:
            fn: a function of the operator's arguments.
            _stacklevel: accepted for PyTorch compatibility.
        """
        def register(fn: Callable) -> Callable:
            self._fake_fn = fn
            return fn

        return register if fn is None else register(fn)

    def register_autograd(self, backward: Callable, /, *, setup_context: Callable | None = None) -> None:
        """Makes the operator differentiable: `setup_context(ctx, inputs, output)` saves
        what `backward(ctx, *grads)` needs; `backward` returns one gradient per input
        (None for non-tensors).

        Args:
            backward: the backward formula.
            setup_context: saves values on `ctx` after the forward.
        """
        self._backward_fn = backward
        self._setup_context_fn = setup_context

    def _kernel(self) -> Callable:
        return self._kernels.get("cpu") or self._kernels.get(None) or self._init_fn

    def _split(self, values: list) -> tuple[list, dict]:
        args = [v for a, v in zip(self._schema.arguments, values) if not a.kwarg_only]
        kwargs = {a.name: v for a, v in zip(self._schema.arguments, values) if a.kwarg_only}
        return args, kwargs

    def _run_kernel(self, *args, **kwargs):
        result = self._kernel()(*args, **kwargs)
        _check_no_aliasing(self._init_fn, [*args, *kwargs.values()], result)
        return result

    def _run_with_autograd(self, *args, **kwargs):
        values = self._schema.bind(args, kwargs)
        return self._function.apply(*values)


def _storage_of(t: Tensor) -> int:
    return t.untyped_storage().data_ptr()


def _check_no_aliasing(fn: Callable, inputs: list, result) -> None:
    outputs = result if isinstance(result, (tuple, list)) else (result,)
    seen = {_storage_of(t) for t in inputs if isinstance(t, Tensor)}
    for out in outputs:
        if not isinstance(out, Tensor):
            continue
        if _storage_of(out) in seen:
            raise RuntimeError(
                f"{fn.__name__} (with implementation in {inspect.getmodule(fn)}): The output of this custom operator "
                "(1) must not also be an input to this custom operator and (2) may not alias any inputs to this "
                "custom operator or other returns. The most common way to trigger this error is if we have y = "
                "custom_op(x) and y and x are the same Tensor. Please instead return a clone of the offending output "
                "tensor(s) (e.g. return x.clone()) or refactor the custom operator to not return y.")
        seen.add(_storage_of(out))


def _generated_function(op: CustomOpDef) -> type:
    """The autograd Function a custom op runs through when gradients are recorded; its
    node is PyTorch's 'GeneratedBackwardFor_<ns>_<name>_defaultBackward'."""
    name = f"GeneratedBackwardFor_{op._namespace}_{op._name}_default"

    def forward(*values):
        args, kwargs = op._split(list(values))
        with no_grad():
            return op._run_kernel(*args, **kwargs)

    def setup_context(ctx, inputs, output):
        if op._setup_context_fn is not None:
            op._setup_context_fn(ctx, inputs, output)

    def backward(ctx, *grads):
        if op._backward_fn is None:
            raise RuntimeError(f"Trying to backward through {op._namespace}.{op._name}.default but no autograd "
                               "formula was registered. Please use register_autograd to add one.")
        result = op._backward_fn(ctx, *grads)
        result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
        expected = len(op._schema.arguments)
        if len(result) != expected:
            # PyTorch's count includes one hidden argument of its own
            raise RuntimeError(f"function {name}Backward returned an incorrect number of gradients "
                               f"(expected {expected + 1}, got {len(result) + 1})")
        return result

    return type(name, (Function,), {"forward": staticmethod(forward), "setup_context": staticmethod(setup_context),
                                    "backward": staticmethod(backward)})


def custom_op(name: str, fn: Callable | None = None, /, *, mutates_args, device_types=None, schema: str | None = None):
    """Makes the typed function `fn` the operator `name` ('ns::name'). Usable as a
    decorator: `@custom_op("mylib::f", mutates_args=())`.

    Args:
        name: 'namespace::name'.
        fn: the function; its parameters and return need type annotations.
        mutates_args: the names of the arguments it writes to, or 'unknown'.
        device_types: the device type(s) `fn` is the kernel for (None: all).
        schema: the schema text, instead of inferring it.
    """
    if isinstance(mutates_args, str) and mutates_args != "unknown" or not isinstance(mutates_args, (str, Iterable)):
        raise ValueError("mutates_args must either be a sequence of the names of the arguments that are mutated or "
                         "the string 'unknown'. ")

    def make(fn: Callable) -> CustomOpDef:
        namespace, opname = name.split("::")
        if schema is None:
            parsed = _op_schema.infer(name, fn, mutates_args if mutates_args == "unknown" else set(mutates_args))
        else:
            parsed = _op_schema.parse(namespace, f"{opname}{schema}")
        op = CustomOpDef(namespace, opname, parsed, fn)
        if device_types is not None:
            op.register_kernel(device_types, fn)
        return op

    return make if fn is None else make(fn)


def _custom_op_named(op) -> CustomOpDef:
    if isinstance(op, CustomOpDef):
        return op
    raise ValueError(f"register_autograd(op): got unexpected type for op: {type(op)}; expected a custom op "
                     "(CustomOpDef) made by ferrograd.library.custom_op")


def register_autograd(op, backward: Callable, /, *, setup_context: Callable | None = None, lib=None) -> None:
    """`op.register_autograd(backward, setup_context=...)` for a custom op.

    Args:
        op: a CustomOpDef.
        backward: the backward formula.
        setup_context: saves values on `ctx` after the forward.
        lib: accepted for PyTorch compatibility.
    """
    _custom_op_named(op).register_autograd(backward, setup_context=setup_context)


def register_fake(op, fn: Callable | None = None, /, *, lib=None, _stacklevel: int = 1):
    """`op.register_fake(fn)` for a custom op.

    Args:
        op: a CustomOpDef.
        fn: the fake implementation.
        lib: accepted for PyTorch compatibility.
        _stacklevel: accepted for PyTorch compatibility.
    """
    return _custom_op_named(op).register_fake(fn)


def register_kernel(op, device_types, fn: Callable | None = None, /, *, lib=None):
    """`op.register_kernel(device_types, fn)` for a custom op.

    Args:
        op: a CustomOpDef.
        device_types: 'cpu', another device type, a list of them, or None.
        fn: the kernel.
        lib: accepted for PyTorch compatibility.
    """
    return _custom_op_named(op).register_kernel(device_types, fn)


_LIBRARIES: dict[str, Library] = {}


def define(qualname: str, schema: str, *, lib=None, tags=()) -> None:
    """Declares operator `qualname` ('ns::name') with the schema `schema` ('(Tensor x) -> Tensor').

    Args:
        qualname: 'namespace::name'.
        schema: the schema text after the name.
        lib: the Library to use (one per namespace otherwise).
        tags: accepted for PyTorch compatibility.
    """
    namespace, name = qualname.split("::")
    library = lib or _LIBRARIES.setdefault(namespace, Library(namespace, "FRAGMENT"))
    library.define(name + schema, tags=tags)


def impl(qualname: str, types, func: Callable | None = None, *, lib=None):
    """Gives operator `qualname` the kernel `func` for device type(s) `types` ('cpu',
    'CompositeImplicitAutograd', ...). Usable as a decorator, which (as PyTorch's)
    leaves None in the function's place.

    Args:
        qualname: 'namespace::name'.
        types: a device type or dispatch key, or a list of them.
        func: the kernel.
        lib: the Library to use (one per namespace otherwise).
    """
    namespace = qualname.split("::")[0]
    library = lib or _LIBRARIES.setdefault(namespace, Library(namespace, "FRAGMENT"))
    keys = [types] if isinstance(types, str) else list(types)

    def register(func: Callable) -> None:
        for key in keys:
            library.impl(qualname, func, {"cpu": "CPU", "cuda": "CUDA", "meta": "Meta"}.get(key, key))

    return register if func is None else register(func)
