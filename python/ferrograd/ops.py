"""`ferrograd.ops`: the operators defined through `ferrograd.library`, looked up as
`ferrograd.ops.<namespace>.<name>` (an overload packet) and `.default` (the overload).

An operator holds kernels by dispatch key. A call binds its arguments to the schema
(PyTorch's errors), then runs, in this order: a 'CompositeImplicitAutograd' kernel (its
own ops record the graph); the 'Autograd' kernel when gradients are being recorded and a
tensor argument requires grad; the 'CPU' (or 'CompositeExplicitAutograd') kernel.
"""

from __future__ import annotations

import types as _types
from typing import Any as _Any

from ._core import Tensor as _Tensor
from ._core import is_grad_enabled as _is_grad_enabled

# (module attributes are namespaces too: the names here are private so as not to hide one)
_OPERATORS: dict[str, OpOverload] = {}  # "ns::name" -> its default overload
_NAMESPACES: dict[str, _OpNamespace] = {}
_PENDING_KERNELS: dict[str, dict[str, _Any]] = {}  # kernels given before their operator is defined


class OpOverload:
    """One overload of an operator (only 'default' exists here).

    Args:
        ns: the namespace.
        name: the operator's name.
        schema: its parsed schema.
    """

    def __init__(self, ns: str, name: str, schema) -> None:
        self._ns, self._opname, self._overloadname = ns, name, "default"
        self._schema = schema
        self._kernels: dict[str, _Any] = {}
        self.__name__ = f"{name}.default"

    def name(self) -> str:
        """The qualified name, 'ns::name'."""
        return f"{self._ns}::{self._opname}"

    def __repr__(self) -> str:
        return f"<OpOverload(op='{self._ns}.{self._opname}', overload='default')>"

    def __str__(self) -> str:
        return f"{self._ns}.{self._opname}.default"

    def __call__(self, *args, **kwargs):
        self._schema.bind(args, kwargs)
        kernels = self._kernels
        if "CompositeImplicitAutograd" in kernels:
            return kernels["CompositeImplicitAutograd"](*args, **kwargs)
        if "Autograd" in kernels and _is_grad_enabled() and _any_requires_grad(args, kwargs):
            return kernels["Autograd"](*args, **kwargs)
        kernel = kernels.get("CPU") or kernels.get("CompositeExplicitAutograd")
        if kernel is None:
            raise NotImplementedError(
                f"Could not run '{self.name()}' with arguments from the 'CPU' backend. This could be because the "
                "operator doesn't exist for this backend, or was omitted during the selective/custom build process "
                f"(if using custom build). '{self.name()}' is only available for these backends: "
                f"[{', '.join(sorted(kernels))}].")
        return kernel(*args, **kwargs)


def _any_requires_grad(args: tuple, kwargs: dict) -> bool:
    values = [*args, *kwargs.values()]
    flat = [v for x in values for v in (x if isinstance(x, (list, tuple)) else (x,))]
    return any(isinstance(v, _Tensor) and v.requires_grad for v in flat)


class OpOverloadPacket:
    """An operator by name: callable (its default overload), with `.default`.

    Args:
        ns: the namespace.
        name: the operator's name.
        overload: its default overload.
    """

    def __init__(self, ns: str, name: str, overload: OpOverload) -> None:
        self._ns, self._qualified_op_name = ns, f"{ns}::{name}"
        self.__name__ = name
        self.default = overload

    def overloads(self) -> list[str]:
        """The overload names: ['default']."""
        return ["default"]

    def __getattr__(self, key: str):
        if key.startswith("__"):
            raise AttributeError(key)
        raise AttributeError(f"The underlying op of '{self._ns}.{self.__name__}' has no overload name '{key}'")

    def __repr__(self) -> str:
        return f"<OpOverloadPacket(op='{self._ns}.{self.__name__}')>"

    def __str__(self) -> str:
        return f"{self._ns}.{self.__name__}"

    def __call__(self, *args, **kwargs):
        return self.default(*args, **kwargs)


class _OpNamespace(_types.ModuleType):
    """`ferrograd.ops.<ns>`: its operators as attributes."""

    def __init__(self, ns: str) -> None:
        super().__init__(f"ferrograd.ops.{ns}")
        self.name = ns

    def __getattr__(self, op_name: str):
        if op_name.startswith("__"):
            raise AttributeError(op_name)
        overload = _OPERATORS.get(f"{self.name}::{op_name}")
        packet: _Any = None
        if overload is not None:
            packet = OpOverloadPacket(self.name, op_name, overload)
        elif self.name == "aten":  # PyTorch's built-in operators
            from ._aten_ops import aten_packet

            packet = aten_packet(op_name)
        if packet is None:
            raise AttributeError(f"'_OpNamespace' '{self.name}' object has no attribute '{op_name}'")
        setattr(self, op_name, packet)
        return packet


def _register(qualname: str, overload: OpOverload) -> None:
    overload._kernels.update(_PENDING_KERNELS.pop(qualname, {}))
    _OPERATORS[qualname] = overload
    ns, name = qualname.split("::")
    namespace = __getattr__(ns)
    if name in vars(namespace):
        delattr(namespace, name)  # a redefinition: the next lookup finds the new one


def _lookup(qualname: str) -> OpOverload | None:
    return _OPERATORS.get(qualname)


def _add_kernel(qualname: str, key: str, kernel) -> None:
    """Gives operator `qualname` a kernel, now or (as PyTorch allows) once it is defined."""
    overload = _OPERATORS.get(qualname)
    kernels = overload._kernels if overload is not None else _PENDING_KERNELS.setdefault(qualname, {})
    kernels[key] = kernel


def __getattr__(ns: str) -> _OpNamespace:
    if ns.startswith("__"):
        raise AttributeError(ns)
    namespace = _NAMESPACES.get(ns)
    if namespace is None:
        namespace = _NAMESPACES[ns] = _OpNamespace(ns)
    return namespace
