"""`ferrograd.amp`: automatic mixed precision on the CPU, as PyTorch's `torch.amp`.

Inside `autocast("cpu")` the matrix products (`matmul`, `mm`, `bmm`, `addmm`,
`baddbmm`, `addbmm`, `linear`) and convolutions run in bfloat16 (or float16): their
float32 operands are cast by recorded ops, so gradients reach float32 parameters in
float32. The losses PyTorch keeps in float32 (`mse_loss`, `cross_entropy`, ...) cast
half-precision inputs back to float32. float64 tensors are never cast.
"""

from __future__ import annotations

from .autocast_mode import autocast, custom_bwd, custom_fwd, is_autocast_available
from .grad_scaler import GradScaler

__all__ = ["GradScaler", "autocast", "custom_bwd", "custom_fwd", "is_autocast_available"]
