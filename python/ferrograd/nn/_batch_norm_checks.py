"""What PyTorch's batch norm kernel raises for a 0-dim input that passed the argument
checks: it sizes a vector of the input's dims minus one, which wraps around."""

from __future__ import annotations


def zero_dim_input_error() -> RuntimeError:
    """The RuntimeError PyTorch's batch norm kernel raises for a 0-dim input."""
    return RuntimeError(
        "SmallVector unable to grow. Requested capacity (18446744073709551615) is larger than maximum value for "
        "size type (4294967295)"
    )
