"""`nn.Module`: the base class of layers, with PyTorch's registration semantics."""

from __future__ import annotations

import functools
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ... import _future_flags
from ..._core import Tensor
from ..._device import META, is_meta
from ..._grad_mode import no_grad
from ..._toplevel_misc import typename
from ...utils.hooks import RemovableHandle
from ..parameter import Buffer, Parameter
from . import _backward_hooks, _global_hooks, _module_to, _registration_hooks, _state_dict
from ._global_hooks import (  # PyTorch's functions of this module
    register_module_backward_hook,
    register_module_forward_hook,
    register_module_forward_pre_hook,
    register_module_full_backward_hook,
    register_module_full_backward_pre_hook,
)
from ._registration_hooks import (
    register_module_buffer_registration_hook,
    register_module_module_registration_hook,
    register_module_parameter_registration_hook,
)
from ._state_dict import _IncompatibleKeys  # noqa: F401  (re-exported as in PyTorch)

__all__ = [
    "Module",
    "register_module_backward_hook",
    "register_module_buffer_registration_hook",
    "register_module_forward_hook",
    "register_module_forward_pre_hook",
    "register_module_full_backward_hook",
    "register_module_full_backward_pre_hook",
    "register_module_module_registration_hook",
    "register_module_parameter_registration_hook",
]

# PyTorch's module-level hook dicts, for code that reads them (the same objects)
_global_backward_hooks = _global_hooks.backward_hooks
_global_backward_pre_hooks = _global_hooks.backward_pre_hooks
_global_forward_hooks = _global_hooks.forward_hooks
_global_forward_hooks_with_kwargs = _global_hooks.forward_hooks_with_kwargs
_global_forward_pre_hooks = _global_hooks.forward_pre_hooks


def __getattr__(name: str):
    if name == "_global_is_full_backward_hook":  # read-only here: it lives in _global_hooks
        return _global_hooks.is_full_backward_hook
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def reset_grad(p: Tensor, set_to_none: bool) -> None:
    """What `zero_grad` does to one parameter: drops its `.grad`, or detaches it and fills
    it with zeros."""
    g = p.grad
    if g is None:
        return
    if set_to_none:
        p.grad = None
        return
    if g.grad_fn is not None:
        g.detach_()
    else:
        g.requires_grad_(False)
    g.zero_()


class _WrappedHook:
    """Calls `hook(module, *args)`, holding the module weakly (no module-hook cycle),
    under the hook's name (which autograd's errors about the hook show)."""

    def __init__(self, hook, module) -> None:
        self.hook = hook
        self.module = weakref.ref(module)
        self.__name__ = getattr(hook, "__name__", type(hook).__name__)

    def __call__(self, *args):
        module = self.module()
        if module is None:
            raise RuntimeError("You are trying to call the hook of a dead Module!")
        return self.hook(module, *args)


_HOOK_DICTS = (
    "_backward_pre_hooks", "_backward_hooks", "_forward_hooks_always_called", "_state_dict_hooks",
    "_state_dict_pre_hooks", "_load_state_dict_pre_hooks", "_load_state_dict_post_hooks",
)


def _add_hook_dicts(d: dict) -> None:
    """The module's hook dicts PyTorch's code reads (`module._backward_hooks`), empty."""
    for name in _HOOK_DICTS:
        if name not in d:
            d[name] = OrderedDict()
    d.setdefault("_is_full_backward_hook", None)


def _addindent(s_: str, num_spaces: int) -> str:
    s = s_.split("\n")
    if len(s) == 1:
        return s_
    first = s.pop(0)
    s = [(num_spaces * " ") + line for line in s]
    return first + "\n" + "\n".join(s)


def _made_on_device(init: Callable) -> Callable:
    """A module's `__init__` whose `device='meta'` makes every tensor it creates a meta
    tensor (as if run in a `with ferrograd.device('meta'):` block)."""

    @functools.wraps(init)
    def call(self, *args, **kwargs) -> None:
        device = kwargs.get("device")
        if device is None or device == "cpu" or not is_meta(device):
            return init(self, *args, **kwargs)
        with META:
            return init(self, *args, **kwargs)

    return call


class Module:
    """Base class for all neural network modules.

    Parameters, buffers and submodules assigned as attributes are registered, so that
    `parameters()`, `state_dict()`, `to()`, `train()`/`eval()` reach them.
    """

    training: bool
    _version: int = 1
    call_super_init: bool = False
    dump_patches: bool = False
    T_destination = TypeVar("T_destination", bound=dict)

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        code = getattr(init, "__code__", None)
        if code is not None and "device" in code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]:
            cls.__init__ = _made_on_device(init)

    def __init__(self, *args, **kwargs) -> None:
        if self.call_super_init is False and bool(kwargs):
            raise TypeError(
                f"{type(self).__name__}.__init__() got an unexpected keyword argument '{next(iter(kwargs))}'"
            )
        if self.call_super_init is False and bool(args):
            raise TypeError(f"{type(self).__name__}.__init__() takes 1 positional argument but {len(args) + 1} were given")
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = {}
        d["_buffers"] = {}
        d["_non_persistent_buffers_set"] = set()
        d["_modules"] = {}
        d["_forward_hooks"] = OrderedDict()
        d["_forward_pre_hooks"] = OrderedDict()
        d["_forward_hooks_with_kwargs"] = OrderedDict()
        d["_forward_pre_hooks_with_kwargs"] = OrderedDict()
        _add_hook_dicts(d)

    forward: Callable[..., Any] = None  # type: ignore[assignment]

    # ---- registration -----------------------------------------------------------
    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Adds a tensor that is state but not a parameter (e.g. running statistics).

        Args:
            name: the attribute name.
            tensor: the buffer, or None.
            persistent: whether `state_dict` includes it.
        """
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"buffer name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError('buffer name can\'t contain "."')
        if name == "":
            raise KeyError('buffer name can\'t be empty string ""')
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{typename(tensor)}' object to buffer '{name}' "
                "(torch Tensor or None required)"
            )
        self._buffers[name] = _registration_hooks.run(_registration_hooks.buffer_hooks, self, name, tensor)
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Adds a parameter under `name`.

        Args:
            name: the attribute name.
            param: a Parameter, or None.
        """
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"parameter name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError('parameter name can\'t contain "."')
        if name == "":
            raise KeyError('parameter name can\'t be empty string ""')
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is None:
            self._parameters[name] = None
            return
        if not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{typename(param)}' object to parameter '{name}' "
                "(ferrograd.nn.Parameter or None required)"
            )
        if param.grad_fn is not None:
            raise ValueError(
                f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be created "
                "explicitly. To express '{name}' as a function of another Tensor, compute the value in "
                "the forward() method."
            )
        self._parameters[name] = _registration_hooks.run(_registration_hooks.parameter_hooks, self, name, param)

    def add_module(self, name: str, module: Module | None) -> None:
        """Adds a child module under `name`.

        Args:
            name: the attribute name.
            module: the child module, or None.
        """
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {type(name).__name__}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._modules[name] = _registration_hooks.run(_registration_hooks.module_hooks, self, name, module)

    register_module = add_module

    def get_submodule(self, target: str) -> Module:
        """The submodule at a dotted path ("layer.0").

        Args:
            target: the dotted path; "" is this module.
        """
        if target == "":
            return self
        mod: Module = self
        for item in target.split("."):
            if not hasattr(mod, item):
                raise AttributeError(mod._get_name() + " has no attribute `" + item + "`")
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise AttributeError("`" + item + "` is not an nn.Module")  # noqa: TRY004
        return mod

    def get_buffer(self, target: str):
        """The buffer at a dotted path ("bn.running_mean").

        Args:
            target: the dotted path.
        """
        module_path, _, buffer_name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, buffer_name):
            raise AttributeError(mod._get_name() + " has no attribute `" + buffer_name + "`")
        if buffer_name not in mod._buffers:
            raise AttributeError("`" + buffer_name + "` is not a buffer")
        return getattr(mod, buffer_name)

    def set_submodule(self, target: str, module: Module, strict: bool = False) -> None:
        """Replaces (or, unless `strict`, adds) the submodule at a dotted path.

        Args:
            target: the dotted path, not empty.
            module: the new submodule.
            strict: refuse to add a submodule that does not exist yet.
        """
        if target == "":
            raise ValueError("Cannot set the submodule without a target name!")
        atoms = target.split(".")
        if not isinstance(module, Module):
            raise ValueError("`module` is not an nn.Module, found " + str(type(module)))  # noqa: TRY004  (PyTorch)
        parent = self.get_submodule(".".join(atoms[:-1]))
        if strict and not hasattr(parent, atoms[-1]):
            raise AttributeError(parent._get_name() + " has no attribute `" + atoms[-1] + "`")
        if hasattr(parent, atoms[-1]) and not isinstance(getattr(parent, atoms[-1]), Module):
            raise AttributeError("`" + atoms[-1] + "` is not an nn.Module")
        setattr(parent, atoms[-1], module)

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at a dotted path ("layer.weight").

        Args:
            target: the dotted path.
        """
        module_path, _, param_name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, param_name):
            raise AttributeError(mod._get_name() + " has no attribute `" + param_name + "`")
        param = getattr(mod, param_name)
        if not isinstance(param, Parameter):
            raise AttributeError("`" + param_name + "` is not an nn.Parameter")  # noqa: TRY004
        return param

    # ---- attribute protocol -----------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        d = self.__dict__
        if "_parameters" in d and name in d["_parameters"]:
            return d["_parameters"][name]
        if "_buffers" in d and name in d["_buffers"]:
            return d["_buffers"][name]
        if "_modules" in d and name in d["_modules"]:
            return d["_modules"][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value: Any) -> None:
        def remove_from(*dicts_or_sets) -> None:
            for d in dicts_or_sets:
                if name in d:
                    if isinstance(d, dict):
                        del d[name]
                    else:
                        d.discard(name)

        params = self.__dict__.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            remove_from(self.__dict__, self._buffers, self._modules, self._non_persistent_buffers_set)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{typename(value)}' as parameter '{name}' "
                    "(ferrograd.nn.Parameter or None expected)"
                )
            self.register_parameter(name, value)
        else:
            modules = self.__dict__.get("_modules")
            if isinstance(value, Module):
                if modules is None:
                    raise AttributeError("cannot assign module before Module.__init__() call")
                remove_from(self.__dict__, self._parameters, self._buffers, self._non_persistent_buffers_set)
                modules[name] = _registration_hooks.run(_registration_hooks.module_hooks, self, name, value)
            elif modules is not None and name in modules:
                if value is not None:
                    raise TypeError(
                        f"cannot assign '{typename(value)}' as child module "
                        f"'{name}' (torch.nn.Module or None expected)"
                    )
                modules[name] = _registration_hooks.run(_registration_hooks.module_hooks, self, name, value)
            else:
                buffers = self.__dict__.get("_buffers")
                if isinstance(value, Buffer) or (buffers is not None and name in buffers):
                    if value is not None and not isinstance(value, Tensor):
                        raise TypeError(
                            f"cannot assign '{typename(value)}' as buffer "
                            f"'{name}' (torch.nn.Buffer, torch.Tensor or None expected)"
                        )
                    if isinstance(value, Buffer):
                        persistent = getattr(value, "persistent", True)
                    else:
                        persistent = name not in self._non_persistent_buffers_set
                    remove_from(self.__dict__, self._parameters, self._modules)
                    self.register_buffer(name, value, persistent)
                else:
                    object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self):
        keys = list(super().__dir__()) + list(self._parameters) + list(self._modules) + list(self._buffers)
        return sorted(k for k in set(keys) if not k[0].isdigit())

    def __getstate__(self):
        return self.__dict__

    def __setstate__(self, state) -> None:
        self.__dict__.update(state)
        _add_hook_dicts(self.__dict__)  # modules pickled before these existed

    # ---- iteration --------------------------------------------------------------
    def _named_members(self, get_members_fn, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True):
        memo = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for k, v in get_members_fn(module):
                if v is None or id(v) in memo:
                    continue
                if remove_duplicate:
                    memo.add(id(v))
                name = module_prefix + ("." if module_prefix else "") + k
                yield name, v

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """The parameters of this module (and of its submodules).

        Args:
            recurse: include submodules' parameters.
        """
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_parameters(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True):
        """(name, parameter) pairs, names dotted by submodule.

        Args:
            prefix: prepended to every name.
            recurse: include submodules' parameters.
            remove_duplicate: yield a shared parameter once.
        """
        yield from self._named_members(
            lambda m: m._parameters.items(), prefix=prefix, recurse=recurse, remove_duplicate=remove_duplicate
        )

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """The buffers of this module (and of its submodules).

        Args:
            recurse: include submodules' buffers.
        """
        for _, buf in self.named_buffers(recurse=recurse):
            yield buf

    def named_buffers(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True):
        """(name, buffer) pairs, names dotted by submodule.

        Args:
            prefix: prepended to every name.
            recurse: include submodules' buffers.
            remove_duplicate: yield a shared buffer once.
        """
        yield from self._named_members(
            lambda m: m._buffers.items(), prefix=prefix, recurse=recurse, remove_duplicate=remove_duplicate
        )

    def children(self) -> Iterator[Module]:
        """The direct submodules."""
        for _, module in self.named_children():
            yield module

    def named_children(self):
        """(name, module) pairs of the direct submodules."""
        memo = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in memo:
                memo.add(id(module))
                yield name, module

    def modules(self) -> Iterator[Module]:
        """This module and all its submodules, depth first."""
        for _, module in self.named_modules():
            yield module

    def named_modules(self, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True):
        """(name, module) pairs of this module and all its submodules.

        Args:
            memo: modules to skip (already yielded).
            prefix: prepended to every name.
            remove_duplicate: yield a shared module once.
        """
        if memo is None:
            memo = set()
        if id(self) in memo:
            return
        if remove_duplicate:
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            submodule_prefix = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, submodule_prefix, remove_duplicate)

    # ---- modes and gradients ----------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Sets training mode (dropout, batch-norm statistics) here and in submodules.

        Args:
            mode: True for training, False for evaluation.
        """
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")  # noqa: TRY004
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self) -> Module:
        """Sets evaluation mode (`train(False)`)."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Sets `requires_grad` of every parameter.

        Args:
            requires_grad: the new value.
        """
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Resets the gradients of every parameter.

        Args:
            set_to_none: set `.grad` to None instead of zeroing it.
        """
        for p in self.parameters():
            reset_grad(p, set_to_none)

    # ---- conversion -------------------------------------------------------------
    def _apply(self, fn, recurse: bool = True) -> Module:
        if recurse:
            for module in self.children():
                module._apply(fn)
        for key, param in self._parameters.items():
            if param is None:
                continue
            with no_grad():
                param_applied = fn(param)
            # PyTorch keeps the parameter and gradient objects (`.data` set) unless the
            # __future__ switch asks for new ones; swapping also keeps the objects
            overwrite = _future_flags._overwrite_module_params_on_conversion and not (
                _future_flags._swap_module_params_on_conversion
            )
            # a meta tensor is of its own class: moving to or from the meta device
            # (`to_empty`) takes a new parameter
            overwrite = overwrite or param.is_meta != param_applied.is_meta
            if overwrite:
                self._parameters[key] = out = Parameter(param_applied, param.requires_grad)
            else:
                out = param
                if param_applied is not param:
                    param.data = param_applied
            if param.grad is not None:
                with no_grad():
                    grad_applied = fn(param.grad)
                if overwrite:
                    out.grad = grad_applied.requires_grad_(param.grad.requires_grad)
                elif grad_applied is not param.grad:
                    grad = param.grad
                    grad.data = grad_applied
                    param.grad = grad  # the slot holds the old tensor until given the object again
        for key, buf in self._buffers.items():
            if buf is not None:
                self._buffers[key] = fn(buf)
        return self

    def compile(self, *args, **kwargs) -> None:
        """Compiles the module's forward in place with `ferrograd.compile` (eager
        execution: calls give the same results).

        Args:
            *args: `ferrograd.compile`'s arguments.
            **kwargs: `ferrograd.compile`'s keyword arguments.
        """
        from ...compiler import compile as compile_fn

        self.__dict__["_compiled_call_impl"] = compile_fn(self._call_impl, *args, **kwargs)

    def to_empty(self, *, device, recurse: bool = True) -> Module:
        """Replaces every parameter and buffer with an uninitialized tensor of the same
        shape and dtype (parameters stay parameters).

        Args:
            device: where the new tensors live (the CPU or 'meta').
            recurse: also the submodules' tensors.
        """
        from ..._creation import empty_like

        return self._apply(lambda t: empty_like(t, device=device), recurse=recurse)

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Calls `fn` on every submodule and then on this module.

        Args:
            fn: a function of one module.
        """
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def to(self, *args, **kwargs) -> Module:
        """Casts parameters and buffers (dtype; the device must be the CPU).

        Args:
            *args: a dtype, a device or a tensor whose dtype to take.
            **kwargs: `dtype`, `device`, `non_blocking`, `memory_format` (applied to the
                4-D and 5-D parameters and buffers, e.g. `ferrograd.channels_last`).
        """
        target = _module_to.parse_to(args, kwargs)
        try:
            return self._apply(lambda t: _module_to.convert(t, target))
        except NotImplementedError as err:
            if str(err) != "Cannot copy out of meta tensor; no data!":
                raise
            raise NotImplementedError(f"{err} Please use ferrograd.nn.Module.to_empty() instead of "
                                      "ferrograd.nn.Module.to() when moving module from meta to a different "
                                      "device.") from None

    def float(self) -> Module:
        """Casts floating-point parameters and buffers to float32."""
        from ..._core import float32

        return self._apply(lambda t: t.to(float32) if t.dtype.is_floating_point else t)

    def half(self) -> Module:
        """Casts floating-point parameters and buffers to float16."""
        from ..._core import float16

        return self._apply(lambda t: t.to(float16) if t.dtype.is_floating_point else t)

    def bfloat16(self) -> Module:
        """Casts floating-point parameters and buffers to bfloat16."""
        from ..._core import bfloat16

        return self._apply(lambda t: t.to(bfloat16) if t.dtype.is_floating_point else t)

    def share_memory(self) -> Module:
        """Moves the parameters and buffers to shared memory (`Tensor.share_memory_`);
        returns this module."""
        return self._apply(lambda t: t.share_memory_())

    def double(self) -> Module:
        """Casts floating-point parameters and buffers to float64."""
        from ..._core import float64

        return self._apply(lambda t: t.to(float64) if t.dtype.is_floating_point else t)

    def type(self, dst_type) -> Module:
        """Casts all parameters and buffers to `dst_type`.

        Args:
            dst_type: the dtype.
        """
        return self._apply(lambda t: t.type(dst_type))

    def cpu(self) -> Module:
        """This module (everything is on the CPU)."""
        return self

    def cuda(self, device=None) -> Module:
        """Always raises AssertionError (as PyTorch built without CUDA): ferrograd has no CUDA.

        Args:
            device: ignored.
        """
        from ..._device import check_device

        check_device("cuda")
        return self

    # ---- state dict -------------------------------------------------------------
    _save_to_state_dict = _state_dict.save_to_state_dict
    state_dict = _state_dict.state_dict
    _load_from_state_dict = _state_dict.load_from_state_dict
    load_state_dict = _state_dict.load_state_dict
    get_extra_state = _state_dict.get_extra_state
    set_extra_state = _state_dict.set_extra_state

    def register_state_dict_pre_hook(self, hook) -> RemovableHandle:
        """Registers `hook(module, prefix, keep_vars)`, called before `state_dict()` saves
        this module.

        Args:
            hook: the hook.

        Returns:
            A handle whose `remove()` unregisters the hook.
        """
        return self._add_hook("_state_dict_pre_hooks", hook, False)

    def register_state_dict_post_hook(self, hook) -> RemovableHandle:
        """Registers `hook(module, state_dict, prefix, local_metadata)`, called after
        `state_dict()` saved this module and its children; it may edit the dict in place
        and must return None.

        Args:
            hook: the hook.

        Returns:
            A handle whose `remove()` unregisters the hook.
        """
        hook._from_public_api = True
        return self._add_hook("_state_dict_hooks", hook, False)

    def _register_state_dict_hook(self, hook) -> RemovableHandle:
        if getattr(hook, "_from_public_api", False):
            raise RuntimeError(
                "Cannot register the same function as the state dict post hook that was previously registered "
                "via register_state_dict_post_hook"
            )
        return self._add_hook("_state_dict_hooks", hook, False)

    def register_load_state_dict_pre_hook(self, hook) -> RemovableHandle:
        """Registers `hook(module, state_dict, prefix, local_metadata, strict, missing_keys,
        unexpected_keys, error_msgs)`, called before `load_state_dict()` loads this module.

        Args:
            hook: the hook.

        Returns:
            A handle whose `remove()` unregisters the hook.
        """
        return self._register_load_state_dict_pre_hook(hook, with_module=True)

    def _register_load_state_dict_pre_hook(self, hook, with_module: bool = False) -> RemovableHandle:
        return self._add_hook("_load_state_dict_pre_hooks", _WrappedHook(hook, self) if with_module else hook, False)

    def register_load_state_dict_post_hook(self, hook) -> RemovableHandle:
        """Registers `hook(module, incompatible_keys)`, called after `load_state_dict()`
        loaded this module and its children; it may edit the key lists in place.

        Args:
            hook: the hook.

        Returns:
            A handle whose `remove()` unregisters the hook.
        """
        return self._add_hook("_load_state_dict_post_hooks", hook, False)

    # ---- calling ----------------------------------------------------------------
    def register_forward_pre_hook(self, hook, *, prepend: bool = False, with_kwargs: bool = False) -> RemovableHandle:
        """Registers `hook(module, args)` called before `forward`.

        Args:
            hook: may return new args.
            prepend: run before the hooks already registered.
            with_kwargs: call `hook(module, args, kwargs)` instead.

        Returns:
            A handle whose `remove()` unregisters the hook.
        """
        handle = RemovableHandle(self._forward_pre_hooks)
        self._forward_pre_hooks[handle.id] = hook
        if with_kwargs:
            self._forward_pre_hooks_with_kwargs[handle.id] = True
        if prepend:
            self._forward_pre_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_forward_hook(self, hook, *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """Registers `hook(module, args, output)` called after `forward`.

        Args:
            hook: may return a new output.
            prepend: run before the hooks already registered.
            with_kwargs: call `hook(module, args, kwargs, output)` instead.
            always_call: also run when forward raises.

        Returns:
            A handle whose `remove()` unregisters the hook.
        """
        handle = RemovableHandle(
            self._forward_hooks, extra_dict=[self._forward_hooks_with_kwargs, self._forward_hooks_always_called]
        )
        self._forward_hooks[handle.id] = hook
        if with_kwargs:
            self._forward_hooks_with_kwargs[handle.id] = True
        if always_call:
            self._forward_hooks_always_called[handle.id] = True
        if prepend:
            self._forward_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_full_backward_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        """Registers `hook(module, grad_input, grad_output)`, called once the gradients
        w.r.t. the module's tensor inputs are computed (grad_input holds None for inputs
        that need none); it may return new grad_input.

        Args:
            hook: the hook.
            prepend: run before the hooks already registered.

        Returns:
            A handle whose `remove()` unregisters the hook.
        """
        self._claim_backward_hooks(full=True)
        return self._add_hook("_backward_hooks", hook, prepend)

    def register_backward_hook(self, hook) -> RemovableHandle:
        """Registers `hook(module, grad_input, grad_output)` on the autograd node that
        made the module's output (deprecated in PyTorch: grad_input holds that node's
        input gradients only; prefer `register_full_backward_hook`).

        Args:
            hook: may return new grad_input.

        Returns:
            A handle whose `remove()` unregisters the hook.
        """
        self._claim_backward_hooks(full=False)
        return self._add_hook("_backward_hooks", hook, False)

    def _claim_backward_hooks(self, full: bool) -> None:
        """`_backward_hooks` holds one kind of hook: the kind registered first, for good."""
        if self.__dict__.get("_is_full_backward_hook") is (not full):
            raise RuntimeError(
                "Cannot use both regular backward hooks and full backward hooks on a single Module. "
                "Please use only one of them."
            )
        self.__dict__["_is_full_backward_hook"] = full

    def register_full_backward_pre_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        """Registers `hook(module, grad_output)`, called once the gradients w.r.t. the
        module's outputs are computed; it may return new grad_output.

        Args:
            hook: the hook.
            prepend: run before the hooks already registered.

        Returns:
            A handle whose `remove()` unregisters the hook.
        """
        return self._add_hook("_backward_pre_hooks", hook, prepend)

    def _add_hook(self, attr: str, hook, prepend: bool) -> RemovableHandle:
        hooks = self.__dict__.setdefault(attr, OrderedDict())
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    def _call_impl(self, *args, **kwargs):
        d = self.__dict__
        if (d.get("_backward_hooks") or d.get("_backward_pre_hooks") or _global_hooks.backward_hooks
                or _global_hooks.backward_pre_hooks):
            return self._call_with_backward_hooks(args, kwargs)
        return self._call_forward_hooks(args, kwargs)[1]

    def _call_with_backward_hooks(self, args: tuple, kwargs: dict):
        full, non_full = _backward_hooks.backward_hooks(self)
        pre = _backward_hooks.backward_pre_hooks(self)
        bw_hook = _backward_hooks.BackwardHook(self, full, pre) if full or pre else None
        args, result = self._call_forward_hooks(args, kwargs, bw_hook)
        if bw_hook is not None:
            if not isinstance(result, (Tensor, tuple)):
                warnings.warn("For backward hooks to be called, module output should be a Tensor or a tuple of "
                              f"Tensors but received {type(result)}", stacklevel=3)
            result = bw_hook.setup_output_hook(result)
        if non_full:
            _backward_hooks.attach_non_full_hooks(self, non_full, args, result)
        return result

    def _call_forward_hooks(self, args: tuple, kwargs: dict, bw_hook=None) -> tuple:
        """(the args given to `forward`, its result after the forward hooks)."""
        shared_pre, shared_post = _global_hooks.forward_pre_hooks, _global_hooks.forward_hooks
        if not self._forward_pre_hooks and not self._forward_hooks and not shared_pre and not shared_post:
            if bw_hook is not None:
                args = bw_hook.setup_input_hook(args)
            return args, self.forward(*args, **kwargs)
        result = None
        always = (self._forward_hooks_always_called, _global_hooks.forward_hooks_always_called)
        called: set = set()  # the always-called hooks run
        try:
            for hook_id, hook in [*shared_pre.items(), *self._forward_pre_hooks.items()]:
                if hook_id in self._forward_pre_hooks_with_kwargs:
                    new = hook(self, args, kwargs)
                    if new is not None:
                        if isinstance(new, tuple) and len(new) == 2:
                            args, kwargs = new
                        else:
                            raise RuntimeError(
                                f"forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got {new}."
                            )
                else:
                    new = hook(self, args)
                    if new is not None:
                        args = new if isinstance(new, tuple) else (new,)
            if bw_hook is not None:
                args = bw_hook.setup_input_hook(args)
            result = self.forward(*args, **kwargs)
            for hook_id, hook in [*shared_post.items(), *self._forward_hooks.items()]:
                if hook_id in always[0] or hook_id in always[1]:
                    called.add(hook_id)
                if hook_id in self._forward_hooks_with_kwargs or hook_id in _global_hooks.forward_hooks_with_kwargs:
                    hook_result = hook(self, args, kwargs, result)
                else:
                    hook_result = hook(self, args, result)
                if hook_result is not None:
                    result = hook_result
            return args, result
        except Exception:
            if always[0] or always[1]:
                _global_hooks.run_always_called_hooks(self, args, kwargs, result, called)
            raise

    __call__: Callable[..., Any] = _call_impl

    # ---- printing ---------------------------------------------------------------
    def _get_name(self) -> str:
        return type(self).__name__

    def extra_repr(self) -> str:
        """The module's settings shown inside its repr (override in subclasses)."""
        return ""

    def __repr__(self) -> str:
        extra_lines = []
        extra_repr = self.extra_repr()
        if extra_repr:
            extra_lines = extra_repr.split("\n")
        child_lines = []
        for key, module in self._modules.items():
            mod_str = _addindent(repr(module), 2)
            child_lines.append("(" + key + "): " + mod_str)
        lines = extra_lines + child_lines
        main_str = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                main_str += extra_lines[0]
            else:
                main_str += "\n  " + "\n  ".join(lines) + "\n"
        main_str += ")"
        return main_str


def _forward_unimplemented(self, *input: Any) -> None:
    """The computation of the module: define it in every subclass and call the module
    (`module(*input)`), not `forward`, so that hooks run.

    Args:
        *input: the module's inputs.
    """
    raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')


Module.forward = _forward_unimplemented  # type: ignore[method-assign]

# The state-dict methods live in `_state_dict`; named as Module's own (PyTorch's reprs of
# the bound methods, pickling by reference).
for _name in ("_save_to_state_dict", "state_dict", "_load_from_state_dict", "load_state_dict",
              "get_extra_state", "set_extra_state"):
    _method = vars(Module)[_name]
    _method.__name__, _method.__qualname__, _method.__module__ = _name, f"Module.{_name}", __name__
del _name, _method
