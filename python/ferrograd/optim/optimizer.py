"""`optim.Optimizer`: parameter groups, per-parameter state, `zero_grad`, state dicts."""

from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from .._core import Tensor
from .._grad_mode import enable_grad, set_grad_enabled
from ..autograd.profiler import record_function
from ..nn.modules.module import reset_grad
from ._hooks import (
    OptimizerHooks,
    register_optimizer_step_post_hook,
    register_optimizer_step_pre_hook,
)

__all__ = ["Optimizer", "register_optimizer_step_post_hook", "register_optimizer_step_pre_hook", "required"]


class _RequiredParameter:
    """Singleton marking a hyperparameter that has no default."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


def _typename(obj) -> str:
    if isinstance(obj, Tensor):
        return obj.type()
    module = type(obj).__module__
    name = type(obj).__qualname__
    return name if module in ("builtins", "__builtin__", None) else f"{module}.{name}"



# Which optimizers' capturable check lists "xla" always, never, or only off the foreach path.
_CAPTURABLE_KINDS = {"Adam": "", "AdamW": "", "NAdam": "", "RAdam": "", "Adamax": "", "ASGD": "",
                     "RMSprop": "xla", "Rprop": "xla", "Adadelta": "no-xla"}
_CAPTURABLE_WHAT = {
    ("NAdam", False): "params, mu_products and state_steps",
    ("NAdam", True): "params, mu_products, and state_steps",
    ("ASGD", False): "params, mus, etas, and state_steps",
    ("ASGD", True): "params, mus, etas, and state_steps",
}



def _cast_state(param: Tensor, value, key=None):
    """A loaded state value for `param`, as PyTorch casts it: floating state takes the
    parameter's dtype; a tensor already of that dtype is used as it is (shared with the
    state dict, not copied)."""
    if isinstance(value, Tensor):
        if key == "step":
            return value
        if param.dtype.is_floating_point and value.dtype.is_floating_point:
            return value.to(param.dtype)
        return value
    if isinstance(value, dict):
        return {k: _cast_state(param, v, key=k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_state(param, v, key=key) for v in value)
    return value

class Optimizer(OptimizerHooks):
    """Base class of optimizers: holds `param_groups`, `defaults` and `state`.

    `params` may also be (name, tensor) pairs, as `named_parameters()` gives: each group
    then keeps a `param_names` list, saved in the state dict."""

    def __init__(self, params, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self._init_hooks()
        self.state: defaultdict[Tensor, Any] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, but got "
                + _typename(params)
            )
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __repr__(self) -> str:
        format_string = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            format_string += "\n"
            format_string += f"Parameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    format_string += f"    {key}: {group[key]}\n"
        format_string += ")"
        return format_string

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Adds a group of parameters (with its own hyperparameters) to optimize.

        Args:
            param_group: a dict with a 'params' entry (a tensor or an iterable of them) and
                optionally hyperparameters; those it omits take the optimizer's defaults.
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the ordering of tensors in "
                "sets will change between runs. Please use a list instead."
            )
        else:
            param_group["params"] = list(params)
        tensors = [p[1] if isinstance(p, tuple) else p for p in param_group["params"]]
        names = [p[0] for p in param_group["params"] if isinstance(p, tuple)]
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            param_group["param_names"] = names
        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + _typename(param))
            if not self.defaults.get("differentiable", None) and not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)
        params = param_group["params"]
        if len(params) != len({id(p) for p in params}):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this will cause an "
                "error; see github.com/pytorch/pytorch/issues/40967 for more information",
                stacklevel=3,
            )
        param_set: set[int] = set()
        for group in self.param_groups:
            param_set.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                current = "with names" if "param_names" in param_group else "without names"
                raise ValueError(
                    "all optimizer param groups should be with/without names. "
                    f"cannot add param group {current} to the optimizer"
                )
        if not param_set.isdisjoint(id(p) for p in param_group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Resets the gradients of all optimized parameters.

        Args:
            set_to_none: True (default) sets each `.grad` to None; False fills it with zeros.
        """
        with record_function(f"Optimizer.zero_grad#{self.__class__.__name__}.zero_grad"):
            for group in self.param_groups:
                for p in group["params"]:
                    reset_grad(p, set_to_none)

    def state_dict(self) -> dict[str, Any]:
        """{'state': {index: state}, 'param_groups': [group with params as indices]}."""
        self._run_state_dict_pre_hooks()
        param_mappings: dict[int, int] = {}
        start_index = 0

        def pack_group(group: dict[str, Any]) -> dict[str, Any]:
            nonlocal start_index
            packed = {k: v for k, v in group.items() if k != "params"}
            param_mappings.update(
                {id(p): i for i, p in enumerate(group["params"], start_index) if id(p) not in param_mappings}
            )
            packed["params"] = [param_mappings[id(p)] for p in group["params"]]
            start_index += len(packed["params"])
            return packed

        param_groups = [pack_group(g) for g in self.param_groups]
        packed_state = {
            (param_mappings[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()
        }
        return self._run_state_dict_post_hooks({"state": packed_state, "param_groups": param_groups})

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restores what `state_dict()` returned (its state tensors are used, not copied)."""
        state_dict = self._run_load_state_dict_pre_hooks(state_dict.copy())
        groups = self.param_groups
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        param_lens = (len(g["params"]) for g in groups)
        saved_lens = (len(g["params"]) for g in saved_groups)
        if any(p_len != s_len for p_len, s_len in zip(param_lens, saved_lens)):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of optimizer's group"
            )
        id_map = {
            old_id: p
            for old_id, p in zip(
                [i for g in saved_groups for i in g["params"]], [p for g in groups for p in g["params"]]
            )
        }

        state: defaultdict[Tensor, Any] = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = _cast_state(param, v)
            else:
                state[k] = v

        def update_group(group: dict[str, Any], new_group: dict[str, Any]) -> dict[str, Any]:
            new_group["params"] = group["params"]
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
            return new_group

        self.__setstate__({"state": state, "param_groups": [update_group(g, ng) for g, ng in zip(groups, saved_groups)]})
        self._run_load_state_dict_post_hooks()

    def _check_capturable(self, group: dict) -> None:
        """`capturable=True` needs accelerator tensors: PyTorch's assertion, raised by a step
        that updates some parameter (only the CPU exists here)."""
        if not group.get("capturable", False) or all(p.grad is None for p in group["params"]):
            return
        name = next((c.__name__ for c in type(self).__mro__ if c.__name__ in _CAPTURABLE_KINDS), "")
        foreach = bool(group.get("foreach"))
        xla = _CAPTURABLE_KINDS.get(name, "") == "xla" or (not foreach and _CAPTURABLE_KINDS.get(name, "") != "no-xla")
        devices = ["cuda", "xpu", "hpu", "privateuseone"] + (["xla"] if xla else [])
        what = _CAPTURABLE_WHAT.get((name, foreach), "params and state_steps")
        raise AssertionError(f"If capturable=True, {what} must be on supported devices: {devices}.")

    def _step_grad_mode(self):
        """Grad mode for `step`'s updates: enabled only for `differentiable=True` (PyTorch's
        `_use_grad_for_differentiable`), so in-place updates of leaf parameters then fail."""
        return set_grad_enabled(bool(self.defaults.get("differentiable", False)))

    def _closure_loss(self, closure: Callable[[], Any] | None) -> Any:
        if closure is None:
            return None
        with enable_grad():
            return closure()

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Performs one optimization step (each optimizer's update rule).

        Args:
            closure: re-evaluates the model and returns the loss (needed by LBFGS).
        """
        raise NotImplementedError
