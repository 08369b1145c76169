"""`logsumexp(complex, dim, out=real)` as PyTorch computes it: the maxima of the real parts
taken out, the exponentials summed straight into the real `out` (keeping the sum's real
part, with the cast warning), then its log, plus the maxima. A sum whose real part is
negative gives NaN, as in PyTorch."""

from __future__ import annotations

import math

from ._core import Tensor
from ._user_warning import warn_complex_to_real


def complex_into_real(args: tuple, kwargs: dict, out) -> Tensor | None:
    """The value PyTorch writes into a real floating `out` for a complex input, or None
    where the ordinary computation applies."""
    x = args[0] if args else kwargs.get("input")
    if not (isinstance(x, Tensor) and isinstance(out, Tensor) and x.dtype.is_complex and out.dtype.is_floating_point):
        return None
    if x.numel() == 0:
        return None
    dim = args[1] if len(args) > 1 else kwargs.get("dim")
    keepdim = args[2] if len(args) > 2 else kwargs.get("keepdim", False)
    dims = [dim] if isinstance(dim, int) else list(dim)
    if not dims:
        return None
    maxes = x.real.amax(dims, keepdim=True)
    maxes = maxes.masked_fill(maxes.abs() == math.inf, 0)
    warn_complex_to_real()
    total = (x - maxes).exp().sum(dims, keepdim=keepdim).real.to(out.dtype)
    kept = maxes if keepdim else maxes.squeeze(tuple(d % max(x.dim(), 1) for d in dims))
    return total.log() + kept.to(out.dtype)
