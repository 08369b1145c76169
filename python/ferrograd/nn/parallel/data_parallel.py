"""`DataParallel` and `data_parallel` without an accelerator: PyTorch then runs the wrapped
module itself, on the CPU, and keeps no device list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..modules.module import Module

__all__ = ["DataParallel", "data_parallel"]


class DataParallel(Module):
    """Wraps `module`; a call runs `module` on the inputs unchanged (there are no devices
    to split the batch over). The state_dict keys gain the prefix ``module.``.

    Args:
        module: the module to wrap.
        device_ids: ignored: with no accelerator the list is empty.
        output_device: ignored.
        dim: ignored (the batch dimension that would be split).
    """

    def __init__(
        self,
        module: Module,
        device_ids: Sequence[Any] | None = None,
        output_device: Any = None,
        dim: int = 0,
    ) -> None:
        super().__init__()
        self.module = module
        self.device_ids: list[int] = []

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)


def data_parallel(
    module: Module,
    inputs: Any,
    device_ids: Sequence[Any] | None = None,
    output_device: Any = None,
    dim: int = 0,
    module_kwargs: Any = None,
) -> Any:
    """Functional data parallelism: needs an accelerator, so it always raises here, as
    PyTorch does on a CPU-only machine."""
    raise RuntimeError("device type could not be determined")
