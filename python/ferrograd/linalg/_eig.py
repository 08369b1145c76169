"""`linalg.eig` / `linalg.eigvals`: the general (non-symmetric) eigendecomposition.

The decomposition is complex even for real input, which the faer core does not cover, so
it runs through NumPy's LAPACK geev (the routine PyTorch calls too, so eigenvalue order and
eigenvector normalisation agree). The derivative is PyTorch's formula, evaluated in NumPy:
    gA = V^-H (diag(gL) + (V^H gV - V^H V diag(re(V^H gV))) / conj(E)) V^H,
with E[i, j] = L[j] - L[i]; for real input the real part is returned. A backward that is
itself recorded (`create_graph=True`) evaluates the same formula with differentiable ops
on factors recomputed through the node, so a second derivative goes through them.
"""

from __future__ import annotations

from typing import Any

from .. import _core
from .._core import Tensor
from .._dtype_names import scalar_name
from .._numpy import np
from ..autograd.function import Function

_COMPLEX_OF = {"float32": "complex64", "float64": "complex128", "complex64": "complex64", "complex128": "complex128"}


def _check(A: Tensor, name: str) -> None:
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_{name}(): argument 'input' (position 1) must be Tensor, not {type(A).__name__}")
    dt = str(A.dtype).rsplit(".", 1)[-1]
    half = dt in ("float16", "bfloat16", "complex32")
    if dt not in _COMPLEX_OF and not half:
        raise RuntimeError(f"Unknown Complex ScalarType for {scalar_name(A.dtype)}")
    if A.dim() < 2:
        raise RuntimeError(f"linalg.{name}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"linalg.{name}: A must be batches of square matrices, but they are {A.shape[-2]} by {A.shape[-1]} matrices")
    if half:  # the kernel's refusal comes after the shape checks
        raise NotImplementedError(f"\"linalg_eig_out_cpu\" not implemented for '{scalar_name(A.dtype)}'")


def _numpy_eig(A: Tensor, with_vectors: bool):
    """(L, V) as NumPy arrays of the complex dtype matching A (V None without vectors)."""
    cdt = _COMPLEX_OF[str(A.dtype).rsplit(".", 1)[-1]]
    a = A.detach().resolve_conj().numpy() if A.dtype.is_complex else A.detach().numpy()
    if a.size == 0:
        return np.zeros(a.shape[:-1], dtype=cdt), np.zeros(a.shape, dtype=cdt) if with_vectors else None
    if with_vectors:
        L, V = np.linalg.eig(a)
        return L.astype(cdt), V.astype(cdt)
    if not np.isfinite(a).all():  # LAPACK's answer is undefined there; NumPy refuses
        return np.full(a.shape[:-1], complex("nan+nanj"), dtype=cdt), None
    return np.linalg.eigvals(a).astype(cdt), None


def _to_tensor(arr) -> Tensor:
    from .._creation import tensor

    return tensor(np.ascontiguousarray(arr))


def _eig_backward(L, V, gL, gV, real_input: bool):
    """PyTorch's linalg_eig_backward (non-Hermitian case) on NumPy arrays."""
    Vh = np.conj(np.swapaxes(V, -1, -2))
    n = L.shape[-1]
    if gV is not None:
        VhgV = Vh @ gV
        diag = np.diagonal(VhgV, axis1=-2, axis2=-1)
        if not np.allclose(np.imag(diag), 0, rtol=1e-2, atol=1e-2):
            raise RuntimeError(
                "linalg_eig_backward: The eigenvectors in the complex case are specified up to multiplication by "
                "e^{i phi}. The specified loss function depends on this quantity, so it is ill-defined.")
        diag_re = np.real(diag)
        gA = VhgV - Vh @ (V * diag_re[..., None, :])
        Lc = np.conj(L)
        E = Lc[..., None, :] - Lc[..., :, None]
        idx = np.arange(n)
        E[..., idx, idx] = 1
        gA = gA / E
    else:
        gA = np.zeros(V.shape, dtype=V.dtype)
    if gL is not None:
        idx = np.arange(n)
        gA[..., idx, idx] = gL
    elif gV is None:
        return None
    gA = np.linalg.solve(Vh, gA @ Vh)
    return np.real(gA) if real_input else gA


def _grad_array(g: Tensor | None):
    if g is None:
        return None
    return g.detach().resolve_conj().numpy() if g.dtype.is_complex else g.detach().numpy()


def _differentiable_eig_backward(L: Tensor, V: Tensor, gL: Tensor | None, gV: Tensor | None,
                                 real_input: bool) -> Tensor | None:
    """The same formula with differentiable ops, for a backward that is itself recorded
    (`create_graph=True`): L and V then come with a graph back to A."""
    from .._creation import eye
    from . import solve

    if gL is None and gV is None:
        return None
    n = L.shape[-1]
    one = eye(n, dtype=V.dtype)
    Vh = V.mH
    if gV is not None:
        VhgV = Vh @ gV
        diag = VhgV.diagonal(0, -2, -1)
        if not bool((diag.imag.abs() <= 1e-2 + 1e-2 * diag.imag.abs()).all()):
            raise RuntimeError(
                "linalg_eig_backward: The eigenvectors in the complex case are specified up to multiplication by "
                "e^{i phi}. The specified loss function depends on this quantity, so it is ill-defined.")
        gA = VhgV - Vh @ (V * diag.real.to(V.dtype).unsqueeze(-2))
        E = L.conj().unsqueeze(-2) - L.conj().unsqueeze(-1)
        gA = gA * (1 - one) / (E + one)
    else:
        gA = (V * 0) @ Vh * 0  # zeros with the batch shape, still on the graph
    if gL is not None:
        gA = gA * (1 - one) + (gL.to(V.dtype).unsqueeze(-1) * one)
    gA = solve(Vh, gA @ Vh)
    return gA.real if real_input else gA


class LinalgEig(Function):
    _ferro_node_name = "LinalgEigBackward0"

    @staticmethod
    def forward(ctx, A):
        L, V = _numpy_eig(A, True)
        ctx.eig = (L, V, not A.dtype.is_complex, A.dtype)
        ctx.save_for_backward(A)
        return _to_tensor(L), _to_tensor(V)

    @staticmethod
    def backward(ctx, gL, gV):
        L, V, real_input, dtype = ctx.eig
        (A,) = ctx.saved_tensors
        if _core.is_grad_enabled() and A.requires_grad:
            L_t, V_t = LinalgEig.apply(A)
            g = _differentiable_eig_backward(L_t, V_t, gL, gV, real_input)
            return None if g is None else g.to(dtype)
        g = _eig_backward(L, V, _grad_array(gL), _grad_array(gV), real_input)
        return None if g is None else _to_tensor(g).to(dtype)


def _finite(A: Tensor) -> bool:
    return bool(A.detach().isfinite().all()) if A.numel() else True


def eig(A: Tensor, *, out=None) -> Any:
    """(eigenvalues, eigenvectors) of square matrices, both complex; each eigenvector a
    unit-norm column, as LAPACK's geev returns them.

    Args:
        A: a square matrix or a batch of them, shape (*, n, n).
        out: an optional tuple of tensors the results are written into.
    """
    from .._return_types import result

    _check(A, "eig")
    if not _finite(A):
        raise RuntimeError("torch.linalg.eig: input tensor should not contain infs or NaNs.")
    if A.requires_grad and _core.is_grad_enabled():
        return result("linalg_eig", tuple(LinalgEig.apply(A)))
    L, V = _numpy_eig(A, True)
    return result("linalg_eig", (_to_tensor(L), _to_tensor(V)))


def eigvals(A: Tensor, *, out=None) -> Tensor:
    """The eigenvalues of square matrices, complex, in LAPACK's order.

    Args:
        A: a square matrix or a batch of them, shape (*, n, n).
        out: an optional tensor the result is written into.
    """
    _check(A, "eigvals")
    if A.requires_grad and _core.is_grad_enabled():
        return LinalgEig.apply(A)[0]
    return _to_tensor(_numpy_eig(A, False)[0])
