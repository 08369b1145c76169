"""`Module.state_dict` / `load_state_dict` with PyTorch's hooks and extra state.

`Module` binds these functions as its methods; they live here so that module.py keeps
registration and calling."""

from __future__ import annotations

import warnings
from collections import OrderedDict, namedtuple
from typing import Any

from ..._core import Tensor
from ..._grad_mode import no_grad

EXTRA_STATE_KEY = "_extra_state"


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _hooks(module, attr: str) -> dict:
    return module.__dict__.get(attr) or {}


def _overrides(module, name: str) -> bool:
    from .module import Module

    return getattr(type(module), name, None) is not getattr(Module, name)


def get_extra_state(self) -> Any:
    """The module's extra state, saved in its `state_dict` under `_extra_state` when a
    subclass overrides this method (with `set_extra_state` to load it)."""
    raise RuntimeError(
        "Reached a code path in Module.get_extra_state() that should never be called: "
        "override get_extra_state() to save extra state in the state_dict."
    )


def set_extra_state(self, state: Any) -> None:
    """Restores what `get_extra_state` returned (override both together).

    Args:
        state: the value found under `_extra_state` in the state_dict.
    """
    raise RuntimeError(
        "Reached a code path in Module.set_extra_state() that should never be called: "
        "override set_extra_state() to load extra state from the state_dict."
    )


def save_to_state_dict(self, destination, prefix: str, keep_vars: bool) -> None:
    for name, param in self._parameters.items():
        if param is not None:
            destination[prefix + name] = param if keep_vars else param.detach()
    for name, buf in self._buffers.items():
        if buf is not None and name not in self._non_persistent_buffers_set:
            destination[prefix + name] = buf if keep_vars else buf.detach()
    if _overrides(self, "get_extra_state"):
        destination[prefix + EXTRA_STATE_KEY] = self.get_extra_state()


def state_dict(self, *args, destination=None, prefix: str = "", keep_vars: bool = False):
    """The parameters and persistent buffers by dotted name.

    Args:
        destination: a mapping to fill instead of a new OrderedDict.
        prefix: prepended to every key.
        keep_vars: keep the tensors attached to autograd (else detached).
    """
    if args:
        warnings.warn(
            "Positional args are being deprecated, use kwargs instead. Refer to "
            "https://pytorch.org/docs/main/generated/torch.nn.Module.html#torch.nn.Module.state_dict for details.",
            FutureWarning,
            stacklevel=2,
        )
        destination = args[0] if len(args) > 0 else destination
        prefix = args[1] if len(args) > 1 else prefix
        keep_vars = args[2] if len(args) > 2 else keep_vars
    if destination is None:
        destination = OrderedDict()
        destination._metadata = OrderedDict()  # type: ignore[attr-defined]
    local_metadata = {"version": self._version}
    if hasattr(destination, "_metadata"):
        destination._metadata[prefix[:-1]] = local_metadata
    for hook in list(_hooks(self, "_state_dict_pre_hooks").values()):
        hook(self, prefix, keep_vars)
    self._save_to_state_dict(destination, prefix, keep_vars)
    for name, module in self._modules.items():
        if module is not None:
            module.state_dict(destination=destination, prefix=prefix + name + ".", keep_vars=keep_vars)
    for hook in list(_hooks(self, "_state_dict_hooks").values()):
        result = hook(self, destination, prefix, local_metadata)
        if getattr(hook, "_from_public_api", False):
            if result is not None:
                raise RuntimeError("state_dict post-hook must return None")
        elif result is not None:
            destination = result
    return destination


def load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs):
    for hook in list(_hooks(self, "_load_state_dict_pre_hooks").values()):
        hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs)
    persistent_buffers = {k: v for k, v in self._buffers.items() if k not in self._non_persistent_buffers_set}
    local_state = {k: v for k, v in [*self._parameters.items(), *persistent_buffers.items()] if v is not None}
    assign = local_metadata.get("assign_to_params_buffers", False)
    for name, param in local_state.items():
        key = prefix + name
        if key in state_dict:
            if _copy_one(param, key, state_dict[key], error_msgs, assign):
                _assign_one(self, name, param, state_dict[key])
        elif strict:
            missing_keys.append(key)
    extra_state_key = prefix + EXTRA_STATE_KEY
    if _overrides(self, "set_extra_state"):
        if extra_state_key in state_dict:
            self.set_extra_state(state_dict[extra_state_key])
        elif strict:
            missing_keys.append(extra_state_key)
    elif strict and extra_state_key in state_dict:
        unexpected_keys.append(extra_state_key)
    if strict:
        for key in state_dict:
            if key.startswith(prefix) and key != extra_state_key:
                input_name = key[len(prefix):].split(".", 1)
                if input_name[0] not in self._modules and input_name[0] not in local_state:
                    unexpected_keys.append(key)


def _assign_one(module, name: str, param: Tensor, input_param: Tensor) -> None:
    """`load_state_dict(assign=True)`: the module takes the loaded tensor itself (a
    parameter wraps it, keeping the old parameter's requires_grad), as in PyTorch."""
    from ..parameter import Parameter

    if isinstance(param, Parameter):
        if isinstance(input_param, Parameter):
            input_param.requires_grad_(param.requires_grad)
        else:
            input_param = Parameter(input_param, requires_grad=param.requires_grad)
    setattr(module, name, input_param)


def _copy_one(param: Tensor, key: str, input_param, error_msgs: list, assign: bool = False) -> bool:
    """Copies `input_param` into `param`, or (with `assign`) only checks it; returns
    whether it may be assigned."""
    if not isinstance(input_param, Tensor):
        error_msgs.append(
            f'While copying the parameter named "{key}", expected torch.Tensor or Tensor-like object '
            f"from checkpoint but received {type(input_param)}"
        )
        return False
    if tuple(input_param.shape) != tuple(param.shape):
        error_msgs.append(
            f"size mismatch for {key}: copying a param with shape {input_param.shape} from checkpoint, "
            f"the shape in current model is {param.shape}."
        )
        return False
    if assign:
        return True
    if param.is_meta and not input_param.is_meta:
        warnings.warn(f"for {key}: copying from a non-meta parameter in the checkpoint to a meta parameter in the "
                      "current model, which is a no-op. (Did you mean to pass `assign=True` to assign items in the "
                      "state dictionary to their corresponding key in the module instead of copying them in "
                      "place?)", stacklevel=4)
    try:
        with no_grad():
            param.copy_(input_param)
    except Exception as ex:  # noqa: BLE001  (reported as PyTorch does)
        error_msgs.append(
            f'While copying the parameter named "{key}", whose dimensions in the model are '
            f"{param.size()} and whose dimensions in the checkpoint are {input_param.size()}, "
            f"an exception occurred : {ex.args}."
        )
    return False


def _load_tree(module, local_state_dict, prefix: str, metadata, assign: bool, lists: tuple) -> None:
    """`load_state_dict`'s walk: `module` loads its own entries, then its children theirs,
    then its post hooks run (a module function: a nested one calling itself is a
    reference cycle, holding the state dict until a collection)."""
    missing_keys, unexpected_keys, error_msgs = lists
    local_metadata = {} if metadata is None else dict(metadata.get(prefix[:-1], {}))
    if assign:
        local_metadata["assign_to_params_buffers"] = assign
    module._load_from_state_dict(
        local_state_dict, prefix, local_metadata, True, missing_keys, unexpected_keys, error_msgs
    )
    for name, child in module._modules.items():
        if child is not None:
            child_prefix = prefix + name + "."
            child_state_dict = {k: v for k, v in local_state_dict.items() if k.startswith(child_prefix)}
            _load_tree(child, child_state_dict, child_prefix, metadata, assign, lists)
    incompatible_keys = _IncompatibleKeys(missing_keys, unexpected_keys)
    for hook in list(_hooks(module, "_load_state_dict_post_hooks").values()):
        if hook(module, incompatible_keys) is not None:
            raise AssertionError(
                "Hooks registered with ``register_load_state_dict_post_hook`` are not expected to return new "
                "values, if incompatible_keys need to be modified, it should be done inplace."
            )


def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False):
    """Copies parameters and buffers from `state_dict`.

    Args:
        state_dict: a mapping from `state_dict()`.
        strict: require exactly the module's keys.
        assign: replace the tensors instead of copying into them.

    Returns:
        (missing_keys, unexpected_keys).
    """
    if not isinstance(state_dict, dict):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
    missing_keys: list[str] = []
    unexpected_keys: list[str] = []
    error_msgs: list[str] = []
    metadata = getattr(state_dict, "_metadata", None)
    state_dict = OrderedDict(state_dict)

    _load_tree(self, state_dict, "", metadata, assign, (missing_keys, unexpected_keys, error_msgs))
    if strict:
        if unexpected_keys:
            error_msgs.insert(
                0, "Unexpected key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in unexpected_keys))
            )
        if missing_keys:
            error_msgs.insert(
                0, "Missing key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in missing_keys))
            )
    if error_msgs:
        raise RuntimeError(
            "Error(s) in loading state_dict for {}:\n\t{}".format(type(self).__name__, "\n\t".join(error_msgs))
        )
    return _IncompatibleKeys(missing_keys, unexpected_keys)
