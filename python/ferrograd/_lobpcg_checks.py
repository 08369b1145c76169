"""What PyTorch's LOBPCG iterations raise on bad arguments, raised here before the direct solve.

`lobpcg` here solves without iterating, so the arguments PyTorch's worker only touches
while it iterates would pass unseen. These replay, in PyTorch's order, the operations its
set-up and first iteration apply to them, so that the same Python or tensor error comes
out: the `ortho` options merged into dicts, the first products `A @ X` and `B @ X` (which
refuse a matrix of another dtype than the start block), the convergence test
`residual < tol` read element by element, `niter - 1`, the tracker's call and the stop
test `iterations_left == 0`.
"""

from __future__ import annotations

from typing import Any

from ._core import Tensor


def merge_ortho_options(method: Any, iparams: Any, fparams: Any, bparams: Any) -> None:
    """PyTorch's `iparams.update(ortho_iparams)` ... for the default "ortho" method."""
    if method is not None and method != "ortho":
        return
    for options in (iparams, fparams, bparams):
        if options is not None:
            {}.update(options)


def first_iteration(A: Tensor, B: Tensor | None, start: Tensor, n: int, tol: Any, largest: Any,
                    niter: Any, tracker: Any) -> None:
    """The errors of PyTorch's first LOBPCG step on one matrix `A` (`B`) from the start
    block `start`, then of its first stop test."""
    from . import matmul, norm, zeros

    float(norm(start))
    matmul(A, start)
    if B is not None:
        matmul(B, start)
    if largest is not None:
        bool(largest)  # symeig's `if largest:`
    if tol is not None:
        for converged in zeros((n,), dtype=start.dtype) < tol:
            if not converged:
                break
    iterations_left = 1000 if niter is None else niter
    iterations_left = iterations_left - 1
    if tracker is not None and not callable(tracker):
        tracker(None)  # Python's own "'str' object is not callable"
    bool(iterations_left == 0)
