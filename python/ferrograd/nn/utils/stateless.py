"""`functional_call`: calls a module with some of its parameters and buffers replaced by
the given tensors for the duration of the call."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from contextlib import contextmanager
from typing import Any

from ..._core import Tensor
from ..modules.module import Module

__all__ = ["functional_call"]

_MISSING = object()


def _tied_names(module: Module) -> dict[str, list[str]]:
    """Each name of a tensor reachable under several names -> all its names."""
    by_id: dict[int, list[str]] = {}
    for name, t in module.named_parameters(remove_duplicate=False):
        by_id.setdefault(id(t), []).append(name)
    for name, t in module.named_buffers(remove_duplicate=False):
        by_id.setdefault(id(t), []).append(name)
    return {n: names for names in by_id.values() if len(names) > 1 for n in names}


def _untie(module: Module, values: dict[str, Tensor]) -> dict[str, Tensor]:
    tied = _tied_names(module)
    out = dict(values)
    seen: set[str] = set()
    for name in values:
        if name not in tied or name in seen:
            continue
        group = tied[name]
        seen.update(group)
        given = [n for n in group if n in values]
        if len({id(values[n]) for n in given}) > 1:
            raise ValueError(
                f"functional_call got multiple values for keys {sorted(given)}, which are tied. "
                "Consider using tie_weights=False"
            )
        for n in group:
            out[n] = values[given[0]]
    return out


def _swap(module: Module, name: str, value: Any) -> Any:
    """Puts `value` at the dotted `name` (a parameter, buffer or attribute); returns the old
    value (`_MISSING` when there was none)."""
    prefix, _, attr = name.rpartition(".")
    owner = module.get_submodule(prefix)
    for slots in (owner._parameters, owner._buffers):
        if attr in slots:
            old = slots[attr]
            if value is _MISSING:
                del slots[attr]
            else:
                slots[attr] = value
            return old
    old = owner.__dict__.get(attr, _MISSING)
    if value is _MISSING:
        owner.__dict__.pop(attr, None)
    else:
        owner.__dict__[attr] = value
    return old


@contextmanager
def _reparametrize_module(module: Module, values: dict[str, Tensor], tie_weights: bool, strict: bool):
    if tie_weights:
        values = _untie(module, values)
    if strict:
        expected = {n for n, _ in module.named_parameters(remove_duplicate=False)}
        expected |= {n for n, _ in module.named_buffers(remove_duplicate=False)}
        missing = sorted(expected - set(values))
        unexpected = sorted(set(values) - expected)
        msgs = []
        if unexpected:
            msgs.append("Unexpected key(s): {}.".format(", ".join(map(repr, unexpected))))
        if missing:
            msgs.append("Missing key(s): {}.".format(", ".join(map(repr, missing))))
        if msgs:
            raise RuntimeError("Error(s) in reparametrizing for {}:\n\t{}".format(module._get_name(), "\n\t".join(msgs)))
    originals: list[tuple[str, Any]] = []
    try:
        for name, value in values.items():
            originals.append((name, _swap(module, name, value)))
        yield
    finally:
        for name, old in reversed(originals):
            _swap(module, name, old)


def _functional_call(module: Module, parameters_and_buffers: dict[str, Tensor], args=None, kwargs=None, *,
                     tie_weights: bool = True, strict: bool = False):
    if kwargs is None:
        kwargs = {}
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    with _reparametrize_module(module, parameters_and_buffers, tie_weights, strict):
        return module(*args, **kwargs)


def functional_call(module: Module, parameters_and_buffers: dict[str, Tensor], args=None, kwargs=None, *,
                    tie_weights: bool = True, strict: bool = False):
    """`module(*args, **kwargs)` with the named parameters/buffers replaced (deprecated in
    PyTorch in favour of `torch.func.functional_call`)."""
    warnings.warn(
        "`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 and will be removed in a future "
        "version of PyTorch. Please use `torch.func.functional_call` instead which is a drop-in replacement.",
        FutureWarning,
        stacklevel=2,
    )
    return _functional_call(module, parameters_and_buffers, args, kwargs, tie_weights=tie_weights, strict=strict)


def functional_call_dicts(module: Module, parameter_and_buffer_dicts, args=None, kwargs=None, *,
                          tie_weights: bool = True, strict: bool = False):
    """Calls `module` with some of its parameters and buffers replaced, without changing it
    (`torch.func.functional_call`).

    Args:
        module: the module to call.
        parameter_and_buffer_dicts: a dict from dotted names (``"0.weight"``) to tensors,
            or a list/tuple of such dicts that share no key; the named parameters and
            buffers are swapped in for the call only.
        args: the positional arguments of the call: a tuple, or one value that is not a
            tuple (None: no arguments).
        kwargs: the keyword arguments of the call (None: none).
        tie_weights: True (default): a tensor given for one of several tied names
            (registered as the same object) replaces them all.
        strict: True: the dicts must name every parameter and buffer exactly once
            (default False).

    Returns:
        What `module` returns.
    """
    if isinstance(parameter_and_buffer_dicts, dict):
        merged = parameter_and_buffer_dicts
    elif isinstance(parameter_and_buffer_dicts, Sequence):
        if not all(isinstance(d, dict) for d in parameter_and_buffer_dicts):
            raise ValueError(
                "Expected all elements of parameter_and_buffer_dicts to be dictionaries"
            )
        all_keys = [k for d in parameter_and_buffer_dicts for k in d]
        repeated = sorted({k for k in all_keys if all_keys.count(k) > 1})
        if repeated:
            raise ValueError(
                f"{repeated} appeared in multiple dictionaries; behavior of functional call is ambiguous"
            )
        merged = {k: v for d in parameter_and_buffer_dicts for k, v in d.items()}
    else:
        raise ValueError(  # noqa: TRY004
            "Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, but got "
            f"{type(parameter_and_buffer_dicts)}"
        )
    return _functional_call(module, merged, args, kwargs, tie_weights=tie_weights, strict=strict)
