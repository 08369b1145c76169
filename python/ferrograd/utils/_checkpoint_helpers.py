"""The helpers `utils.checkpoint` exposes besides `checkpoint` (PyTorch's names): device
RNG states (none on the CPU), detaching inputs, the early-stop and debug switches, and
the selective-checkpoint policy names."""

from __future__ import annotations

import contextlib
import enum
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

from .._core import Tensor

__all__ = [
    "CheckpointError",
    "CheckpointPolicy",
    "DefaultDeviceType",
    "check_backward_validity",
    "detach_variable",
    "get_device_states",
    "noop_context_fn",
    "set_checkpoint_debug_enabled",
    "set_checkpoint_early_stop",
    "set_device_states",
]

SWITCHES: dict[str, Any] = {"early_stop": True, "debug": None}


class CheckpointError(RuntimeError):
    """An error of non-reentrant checkpointing (a recomputation that differs from the
    forward pass)."""


class CheckpointPolicy(enum.Enum):
    """What selective checkpointing does with an op's output: save it, recompute it in
    backward, or offload it to the CPU (MUST_* forced, PREFER_* a hint)."""

    MUST_SAVE = 0
    PREFER_SAVE = 1
    MUST_RECOMPUTE = 2
    PREFER_RECOMPUTE = 3
    MUST_CPU_OFFLOAD = 4
    PREFER_CPU_OFFLOAD = 5


class DefaultDeviceType:
    """The device type whose RNG states checkpointing saves when no tensor says one:
    the accelerator's, so "cpu" here."""

    _default_device_type: str | None = None

    @staticmethod
    def set_device_type(device: str = "cuda") -> None:
        """Sets the default device type.

        Args:
            device: the device type (default "cuda").
        """
        DefaultDeviceType._default_device_type = device

    @staticmethod
    def get_device_type() -> str:
        """The default device type ("cpu" until set, as no accelerator exists)."""
        if not DefaultDeviceType._default_device_type:
            DefaultDeviceType._default_device_type = "cpu"
        return DefaultDeviceType._default_device_type


def check_backward_validity(inputs: Iterable[Any]) -> None:
    """Warns when no tensor among `inputs` requires grad (the gradients would be None).

    Args:
        inputs: the checkpointed function's inputs.
    """
    if not any(inp.requires_grad for inp in inputs if isinstance(inp, Tensor)):
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None", stacklevel=2)


def detach_variable(inputs: tuple) -> tuple:
    """The tensors of the tuple `inputs` detached, each keeping its `requires_grad`;
    other items as they are.

    Args:
        inputs: a tuple.
    """
    if not isinstance(inputs, tuple):
        raise RuntimeError(  # noqa: TRY004 (PyTorch's type)
            f"Only tuple of tensors is supported. Got Unsupported input type: {type(inputs).__name__}")
    out = []
    for inp in inputs:
        if isinstance(inp, Tensor):
            x = inp.detach()
            x.requires_grad = inp.requires_grad
            inp = x
        out.append(inp)
    return tuple(out)


def get_device_states(*args: Any) -> tuple[list, list]:
    """(device ids, RNG states) of the accelerator tensors among `args`: none here.

    Args:
        args: the checkpointed function's arguments.
    """
    return [], []


def set_device_states(devices: list, states: list, *, device_type: str | None = None) -> None:
    """Restores the RNG states of accelerator devices (there are none here).

    Args:
        devices: device ids.
        states: their states.
        device_type: the device type (default: `DefaultDeviceType.get_device_type()`).
    """
    if devices:
        raise RuntimeError("Cannot access accelerator device when none is available.")


def noop_context_fn() -> tuple:
    """The default `context_fn` of checkpoint: two null contexts (forward, recomputation)."""
    return contextlib.nullcontext(), contextlib.nullcontext()


@contextlib.contextmanager
def set_checkpoint_early_stop(enable: bool) -> Iterator[None]:
    """Within the block, whether non-reentrant checkpoint stops recomputing once it has
    every tensor backward needs (default True).

    Args:
        enable: stop early.
    """
    prev, SWITCHES["early_stop"] = SWITCHES["early_stop"], enable
    try:
        yield
    finally:
        SWITCHES["early_stop"] = prev


@contextlib.contextmanager
def set_checkpoint_debug_enabled(enabled: bool | None) -> Iterator[None]:
    """Within the block, overrides checkpoint's `debug` argument (None defers to it).

    Args:
        enabled: whether checkpoint prints debug information.
    """
    prev, SWITCHES["debug"] = SWITCHES["debug"], enabled
    try:
        yield
    finally:
        SWITCHES["debug"] = prev
