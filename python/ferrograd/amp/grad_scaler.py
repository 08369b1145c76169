"""`GradScaler`: loss scaling for mixed-precision training, as PyTorch's `torch.amp`."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

from .. import _core
from .._grad_mode import no_grad

__all__ = ["GradScaler"]


class GradScaler:
    """Multiplies the loss by a scale so that small half-precision gradients do not
    underflow; `step` unscales the gradients and skips the optimizer step when any is
    inf or NaN; `update` halves the scale after such a step and doubles it after
    `growth_interval` clean ones.

    Args:
        device: "cpu" (another device type disables the scaler with a warning, as a
            PyTorch build without that device does).
        init_scale: the first scale (default 2**16).
        growth_factor: the scale's factor after `growth_interval` steps without inf/NaN.
        backoff_factor: the scale's factor after a step that found inf/NaN.
        growth_interval: clean steps between two growths.
        enabled: False makes every method a pass-through.
    """

    def __init__(self, device: str = "cuda", init_scale: float = 2.0**16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000, enabled: bool = True) -> None:
        self._device = device
        self._enabled = enabled
        if enabled and device != "cpu":
            warnings.warn(f"ferrograd.{device}.amp.GradScaler is enabled, but {str(device).upper()} is not "
                          "available.  Disabling.", UserWarning, stacklevel=2)
            self._enabled = False
        if self._enabled:  # PyTorch checks the factors of an enabled scaler only
            if growth_factor <= 1.0:
                raise AssertionError("The growth factor must be > 1.0.")
            if backoff_factor >= 1.0:
                raise AssertionError("The backoff factor must be < 1.0.")
            # a disabled scaler never uses them, and PyTorch's does not read them
            init_scale, growth_factor = float(init_scale), float(growth_factor)
            backoff_factor, growth_interval = float(backoff_factor), int(growth_interval)
        self._scale = init_scale
        self._growth_factor = growth_factor
        self._backoff_factor = backoff_factor
        self._growth_interval = growth_interval
        self._growth_tracker = 0
        self._scaled = False  # PyTorch makes its scale tensor on the first `scale` call
        self._per_optimizer: dict[int, dict[str, Any]] = {}

    def _need_scale(self, what: str) -> None:
        if not self._scaled:
            raise AssertionError(f"Attempted {what} but _scale is None.  This may indicate your script did not use "
                                 "scaler.scale(loss or outputs) earlier in the iteration.")

    def is_enabled(self) -> bool:
        """Whether the scaler scales."""
        return self._enabled

    def scale(self, outputs: Any) -> Any:
        """`outputs` (a tensor, or a nested list/tuple of them) times the current scale.

        Args:
            outputs: the losses to scale.
        """
        if not self._enabled:
            return outputs
        self._scaled = True
        if isinstance(outputs, _core.Tensor):
            return outputs * self._scale
        if isinstance(outputs, Iterable):
            return type(outputs)(self.scale(o) for o in outputs)
        raise ValueError("outputs must be a Tensor or an iterable of Tensors")

    def _state(self, optimizer: Any) -> dict[str, Any]:
        return self._per_optimizer.setdefault(id(optimizer), {"unscaled": False, "stepped": False, "found_inf": 0.0})

    def unscale_(self, optimizer: Any) -> None:
        """Divides the gradients of `optimizer`'s parameters by the scale (in place) and
        records whether any is inf or NaN.

        Args:
            optimizer: the optimizer whose gradients to unscale.
        """
        if not self._enabled:
            return
        self._need_scale("unscale_")
        state = self._state(optimizer)
        if state["unscaled"]:
            raise RuntimeError("unscale_() has already been called on this optimizer since the last update().")
        if state["stepped"]:
            raise RuntimeError("unscale_() is being called after step().")
        inv_scale = 1.0 / self._scale
        found = False
        with no_grad():
            for group in optimizer.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    p.grad.mul_(inv_scale)
                    if not bool(p.grad.isfinite().all()):
                        found = True
        state["unscaled"] = True
        state["found_inf"] = 1.0 if found else 0.0

    def step(self, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        """Unscales (unless `unscale_` did) and runs `optimizer.step(*args, **kwargs)`,
        unless a gradient was inf or NaN; returns what `step` returned (None if skipped).

        Args:
            optimizer: the optimizer to step.
            args: passed to `optimizer.step`.
            kwargs: passed to `optimizer.step`.
        """
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        self._need_scale("step")
        state = self._state(optimizer)
        if state["stepped"]:
            raise RuntimeError("step() has already been called since the last update().")
        if not state["unscaled"]:
            self.unscale_(optimizer)
        result = None if state["found_inf"] else optimizer.step(*args, **kwargs)
        state["stepped"] = True
        return result

    def update(self, new_scale: float | Any = None) -> None:
        """Sets the scale for the next iteration: `new_scale` if given, else backed off
        when a step found inf/NaN, grown after `growth_interval` clean steps.

        Args:
            new_scale: a float or a one-element tensor to use as the new scale.
        """
        if not self._enabled:
            return
        self._need_scale("update")
        if new_scale is not None:
            self._scale = float(new_scale.item() if isinstance(new_scale, _core.Tensor) else new_scale)
        else:
            if not self._per_optimizer:
                raise AssertionError("No inf checks were recorded prior to update.")
            if any(s["found_inf"] for s in self._per_optimizer.values()):
                self._scale *= self._backoff_factor
                self._growth_tracker = 0
            else:
                self._growth_tracker += 1
                if self._growth_tracker == self._growth_interval:
                    self._scale *= self._growth_factor
                    self._growth_tracker = 0
        self._per_optimizer = {}

    def get_scale(self) -> float:
        """The current scale (1.0 when disabled)."""
        return self._scale if self._enabled else 1.0

    def get_growth_factor(self) -> float:
        """The factor the scale grows by."""
        return self._growth_factor

    def set_growth_factor(self, new_factor: float) -> None:
        """Sets the growth factor to `new_factor`."""
        self._growth_factor = float(new_factor)

    def get_backoff_factor(self) -> float:
        """The factor the scale backs off by."""
        return self._backoff_factor

    def set_backoff_factor(self, new_factor: float) -> None:
        """Sets the backoff factor to `new_factor`."""
        self._backoff_factor = float(new_factor)

    def get_growth_interval(self) -> int:
        """Clean steps between two growths."""
        return self._growth_interval

    def set_growth_interval(self, new_interval: int) -> None:
        """Sets the growth interval to `new_interval` steps."""
        self._growth_interval = int(new_interval)

    def state_dict(self) -> dict[str, Any]:
        """The scaler's state (empty when disabled)."""
        if not self._enabled:
            return {}
        return {"scale": self._scale, "growth_factor": self._growth_factor, "backoff_factor": self._backoff_factor,
                "growth_interval": self._growth_interval, "_growth_tracker": self._growth_tracker}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restores a `state_dict`.

        Args:
            state_dict: what `state_dict()` returned.
        """
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError("The source state dict is empty, possibly because it was saved from a disabled "
                               "instance of GradScaler.")
        self._scale = float(state_dict["scale"])
        self._growth_factor = float(state_dict["growth_factor"])
        self._backoff_factor = float(state_dict["backoff_factor"])
        self._growth_interval = int(state_dict["growth_interval"])
        self._growth_tracker = int(state_dict["_growth_tracker"])
