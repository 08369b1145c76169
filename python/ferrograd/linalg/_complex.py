"""`torch.linalg` for complex64/complex128: the forwards run in Rust on faer's complex
type through the same `_core._linalg_*` bindings as float inputs. inv, solve,
solve_triangular, cholesky and qr record their node in Rust for both (one formula
written with conjugate transposes); the other ops are recorded here
as PyTorch's node with its backward formula for complex inputs (conjugate Wirtinger
convention: the gradient of a real loss L is dL/dRe + i dL/dIm). The formulas are written with differentiable ops, so
double backward goes through them."""

from __future__ import annotations

from typing import Any

from .. import _core
from .._core import Tensor
from .._mathops import _node, saved_tensor_attrs


def is_complex(A: Any) -> bool:
    """Whether `A` is a complex tensor these functions take (complex32 is refused elsewhere)."""
    return isinstance(A, Tensor) and A.dtype.is_complex and A.dtype is not _core.complex32


def _wants_grad(*ts: Any) -> bool:
    return _core.is_grad_enabled() and any(isinstance(t, Tensor) and t.requires_grad for t in ts)


def _eye_like(A: Tensor) -> Tensor:
    from .._creation import eye

    return eye(A.shape[-1], dtype=A.dtype)


# --- determinant ---------------------------------------------------------------------


def _det_forward(ctx: Any, A: Tensor) -> Tensor:
    d = _core._linalg_det(A)
    ctx.save_for_backward(A, d)
    return d


def _det_backward(ctx: Any, gd: Tensor) -> Tensor:
    """PyTorch's formula: (g conj(det)) A^{-H}; for an exactly singular A zero, or under
    create_graph the SVD form g adj(A)^H."""
    from .._creation import zeros_like
    from .._reduce import where

    A, d = ctx.saved_tensors
    A_inv, info = _core._linalg_inv_ex(A, False)
    singular = info > 0
    if not bool(singular.any()):
        return (gd * d.conj())[..., None, None] * A_inv.mH
    if _core.is_grad_enabled():
        return _adjugate_h(A) * gd[..., None, None]
    A_inv = where(singular[..., None, None], zeros_like(A_inv), A_inv)
    return (gd * d.conj())[..., None, None] * A_inv.mH


def _adjugate_h(A: Tensor) -> Tensor:
    """adj(A)^H = conj(det U det Vh) U diag(prod_{j != i} s_j) Vh, from A = U diag(s) Vh."""
    from .._creation import eye

    U, S, Vh = svd(A, False)
    k = S.shape[-1]
    one = eye(k, dtype=S.dtype)
    others = (S.unsqueeze(-2) * (1 - one) + one).prod(-1)
    alpha = det(U) * det(Vh)
    return alpha.conj()[..., None, None] * ((U * others.to(A.dtype).unsqueeze(-2)) @ Vh)


_Det = _node("LinalgDetBackward0", _det_forward, _det_backward)


def det(A: Tensor) -> Tensor:
    if _wants_grad(A):
        return _Det.apply(A)
    return _core._linalg_det(A)


# --- Cholesky ------------------------------------------------------------------------


def cholesky_solve(B: Tensor, factor: Tensor, upper: bool) -> Tensor:
    """X with (L Lᴴ) X = B, or (Uᴴ U) X = B when `upper`, by two triangular solves."""
    L = factor.mH if upper else factor
    Y = _core._linalg_solve_triangular(L, B, False, True, False)
    return _core._linalg_solve_triangular(L.mH, Y, True, True, False)


def cholesky_inverse(factor: Tensor, upper: bool) -> Tensor:
    """(L Lᴴ)^{-1} = L^{-H} L^{-1}, or (Uᴴ U)^{-1} when `upper`."""
    if factor.dim() < 2:
        raise RuntimeError("cholesky_inverse: The input tensor A must have at least 2 dimensions.")
    L = factor.mH if upper else factor
    L_inv = _core._linalg_solve_triangular(L, _eye_like(L).expand_as(L), False, True, False)
    return L_inv.mH @ L_inv


# --- Hermitian eigendecomposition ----------------------------------------------------


def _gaps(w: Tensor) -> Tensor:
    """E[i, j] = w[j] - w[i], with ones on the diagonal."""
    from .._creation import eye

    return w.unsqueeze(-2) - w.unsqueeze(-1) + eye(w.shape[-1], dtype=w.dtype)


def _eigh_forward(ctx: Any, A: Tensor, upper: bool) -> tuple[Tensor, Tensor]:
    w, V = _core._linalg_eigh(A, upper, False)
    ctx.save_for_backward(w, V)
    ctx.set_materialize_grads(False)
    return w, V


def _eigh_backward(ctx: Any, gw: Tensor | None, gV: Tensor | None) -> tuple[Any, None]:
    """PyTorch's linalg_eig_backward for a Hermitian A: V (skewH(V^H gV) / E + diag(gw)) V^H."""
    w, V = ctx.saved_tensors
    if gV is None:
        if gw is None:
            return None, None
        return (V * gw.to(V.dtype).unsqueeze(-2)) @ V.mH, None
    VhgV = V.mH @ gV
    if not bool((VhgV.diagonal(0, -2, -1).imag.abs() <= 1e-2).all()):
        raise RuntimeError(
            "linalg_eigh_backward: The eigenvectors in the complex case are specified up to multiplication by "
            "e^{i phi}. The specified loss function depends on this quantity, so it is ill-defined.")
    inner = (VhgV - VhgV.mH) * 0.5 / _gaps(w).to(V.dtype)
    inner = inner - inner.diagonal(0, -2, -1).diag_embed()
    if gw is not None:
        inner = inner + gw.to(V.dtype).diag_embed()
    return V @ inner @ V.mH, None


_Eigh = _node("LinalgEighBackward0", _eigh_forward, _eigh_backward, saved_tensor_attrs("eigenvalues", "eigenvectors"))


def eigh(A: Tensor, upper: bool) -> tuple[Tensor, Tensor]:
    if _wants_grad(A):
        return tuple(_Eigh.apply(A, upper))
    return tuple(_core._linalg_eigh(A, upper, False))


# --- SVD -----------------------------------------------------------------------------


def _svd_forward(ctx: Any, A: Tensor, full_matrices: bool) -> tuple[Tensor, Tensor, Tensor]:
    U, S, Vh = _core._linalg_svd(A, full_matrices, False)
    ctx.save_for_backward(U, S, Vh)
    ctx.set_materialize_grads(False)
    return U, S, Vh


def _svd_backward(ctx: Any, gU: Tensor | None, gS: Tensor | None, gVh: Tensor | None) -> tuple[Any, None]:
    U, S, Vh = ctx.saved_tensors
    return svd_backward(U, S, Vh, gU, gS, gVh), None


def svd_backward(U: Tensor, S: Tensor, Vh: Tensor, gU: Tensor | None, gS: Tensor | None,
                 gVh: Tensor | None) -> Tensor | None:
    """PyTorch's svd_backward for complex A (thin factors; full ones are narrowed)."""
    m, n, k = U.shape[-2], Vh.shape[-1], S.shape[-1]
    U, Vh = U.narrow(-1, 0, k), Vh.narrow(-2, 0, k)
    gU = None if gU is None else gU.narrow(-1, 0, k)
    gVh = None if gVh is None else gVh.narrow(-2, 0, k)
    if gU is None and gVh is None:
        if gS is None:
            return None
        return (U * gS.to(U.dtype).unsqueeze(-2)) @ Vh
    UhgU = None if gU is None else U.mH @ gU
    VhgV = None if gVh is None else Vh @ gVh.mH
    UhgU = None if UhgU is None else UhgU - UhgU.mH
    VhgV = None if VhgV is None else VhgV - VhgV.mH
    im_u = S * 0 if UhgU is None else UhgU.diagonal(0, -2, -1).imag
    im_v = S * 0 if VhgV is None else VhgV.diagonal(0, -2, -1).imag
    if not bool(((im_u + im_v).abs() <= 1e-2 + 1e-2 * im_v.abs()).all()):
        raise RuntimeError(
            "svd_backward: The singular vectors in the complex case are specified up to multiplication by "
            "e^{i phi}. The specified loss function depends on this phase term, making it ill-defined.")
    Sc = S.to(U.dtype)
    E = _gaps(S * S).to(U.dtype)
    if UhgU is not None and VhgV is not None:
        gA = (UhgU * Sc.unsqueeze(-2) + Sc.unsqueeze(-1) * VhgV) / E
    elif VhgV is None:
        gA = (UhgU / E) * Sc.unsqueeze(-2)
    else:
        gA = Sc.unsqueeze(-1) * (VhgV / E)
    if gS is not None:
        gA = gA + gS.to(U.dtype).diag_embed()
    if UhgU is not None:
        gA = gA + (UhgU.diagonal(0, -2, -1) / (2.0 * Sc)).diag_embed()
    if m > n and gU is not None:
        gA = U @ gA
        gUSinv = gU / Sc.unsqueeze(-2)
        gA = (gA + gUSinv - U @ (U.mH @ gUSinv)) @ Vh
    elif m < n and gVh is not None:
        gA = gA @ Vh
        SinvgVh = gVh / Sc.unsqueeze(-1)
        gA = U @ (gA + SinvgVh - (SinvgVh @ Vh.mH) @ Vh)
    else:
        gA = U @ gA @ Vh
    return gA


_Svd = _node("LinalgSvdBackward0", _svd_forward, _svd_backward)


def svd(A: Tensor, full_matrices: bool) -> tuple[Tensor, Tensor, Tensor]:
    if _wants_grad(A):
        return tuple(_Svd.apply(A, full_matrices))
    return tuple(_core._linalg_svd(A, full_matrices, False))


def svdvals(A: Tensor) -> Tensor:
    if _wants_grad(A):
        return _Svd.apply(A, False)[1]
    return _core._linalg_svd(A, False, True)[1]


# --- pseudo-inverse and least squares (compositions) ---------------------------------


def _eps(A: Tensor) -> float:
    return 1.1920928955078125e-07 if A.dtype is _core.complex64 else 2.220446049250313e-16


def _pinv_values(A: Tensor, atol: float | None, rtol: float | None, hermitian: bool) -> Tensor:
    """pinv(A) without history: V diag(1/s) U^H over the singular (or absolute eigen-)
    values above max(atol, rtol * the largest)."""
    from .._creation import zeros
    from .._grad_mode import no_grad

    m, n = A.shape[-2], A.shape[-1]
    default_rtol = _eps(A) * max(m, n)
    if rtol is None:
        rtol = 0.0 if (atol is not None and atol > 0) else default_rtol
    atol = 0.0 if atol is None else atol
    with no_grad():
        A = A.detach()
        if min(m, n) == 0:
            return zeros(*A.shape[:-2], n, m, dtype=A.dtype)
        if hermitian:
            w, V = _core._linalg_eigh(A, False, False)
            left, values, right = V, w, V
        else:
            U, values, Vh = _core._linalg_svd(A, False, False)
            left, right = U, Vh.mH
        size = values.abs()
        tol = (size.amax(-1, keepdim=True) * rtol).clamp(min=atol)
        keep = size > tol
        inverse = (1.0 / values.masked_fill(~keep, 1.0)).masked_fill(~keep, 0.0)
        return (right * inverse.to(A.dtype).unsqueeze(-2)) @ left.mH


def _pinv_forward(ctx: Any, A: Tensor, atol: Any, rtol: Any, hermitian: bool) -> Tensor:
    P = _pinv_values(A, atol, rtol, hermitian)
    ctx.save_for_backward(A, P)
    return P


def _pinv_backward(ctx: Any, g: Tensor) -> tuple[Tensor, None, None, None]:
    """PyTorch's pinv_backward, for the smaller of the two shapes."""
    A, P = ctx.saved_tensors
    m, n = A.shape[-2], A.shape[-1]
    Ph, gh = P.mH, g.mH
    if m <= n:
        K = gh @ P
        KPh = K @ Ph
        gA = -(P @ K).mH + KPh - (A @ P) @ KPh + (Ph @ P) @ (gh - K @ A)
    else:
        K = P @ gh
        PhK = Ph @ K
        gA = -(K @ P).mH + (gh - A @ K) @ P @ Ph + PhK - PhK @ P @ A
    return gA, None, None, None


_Pinv = _node("LinalgPinvBackward0", _pinv_forward, _pinv_backward, saved_tensor_attrs("self", "result"))


def pinv(A: Tensor, atol: float | None, rtol: float | None, hermitian: bool) -> Tensor:
    if A.dim() < 2:
        size = ", ".join(str(d) for d in A.shape)
        raise RuntimeError(f"linalg.pinv({_kernel(A)}{{[{size}]}}): expected a tensor with 2 or more dimensions "
                           "of float, double, cfloat or cdouble types")
    if hermitian and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.pinv: A must be batches of square matrices, but they are {A.shape[-2]} by "
                           f"{A.shape[-1]} matrices")
    if _wants_grad(A):
        return _Pinv.apply(A, atol, rtol, hermitian)
    return _pinv_values(A, atol, rtol, hermitian)


def _kernel(A: Tensor) -> str:
    from .._dtype_names import scalar_name

    return scalar_name(A.dtype)


def lstsq(A: Tensor, B: Tensor, rcond: float | None) -> tuple[Tensor, Tensor, Tensor]:
    """(solution, rank, singular values) of min ||A X - B||: the minimum-norm solution
    pinv(A) B, singular values at most rcond * the largest counting as zero."""
    from .._grad_mode import no_grad

    if A.dtype != B.dtype:
        raise RuntimeError(f"torch.linalg.lstsq: Expected input and other to have the same dtype, but got "
                           f"input's dtype {_kernel(A)} and other's dtype {_kernel(B)}")
    m, n = A.shape[-2], A.shape[-1]
    r = _eps(A) * max(m, n) if rcond is None or rcond <= 0 else rcond
    with no_grad():
        s = _core._linalg_svd(A.detach(), False, True)[1]
        if s.shape[-1] == 0:
            rank = s.sum(-1).long()
        else:
            rank = (s > s.amax(-1, keepdim=True) * r).sum(-1)
    X = pinv(A, 0.0, r, False) @ B
    if X.grad_fn is not None:
        X = _core._named_node(X, "LinalgLstsqBackward0")
    return X, rank, s


# --- slogdet -------------------------------------------------------------------------


def _slogdet_forward(ctx: Any, A: Tensor) -> tuple[Tensor, Tensor]:
    sign, logabs = _core._linalg_slogdet(A)
    ctx.save_for_backward(A, sign)
    ctx.set_materialize_grads(False)
    return sign, logabs


def _slogdet_backward(ctx: Any, grad_sign: Tensor | None, grad_logabs: Tensor | None) -> Tensor:
    """PyTorch's formula: g A^{-H} with g = grad_logabs + i Im(grad_sign conj(sign))."""
    from .._creation import zeros

    A, sign = ctx.saved_tensors
    g = zeros(tuple(sign.shape), dtype=A.dtype)
    if grad_logabs is not None:
        g = g + grad_logabs.to(A.dtype)
    if grad_sign is not None:
        g = g + 1j * (grad_sign * sign.conj()).imag
    return g[..., None, None] * _core._linalg_inv_ex(A, False)[0].mH


_Slogdet = _node("LinalgSlogdetBackward0", _slogdet_forward, _slogdet_backward)


def slogdet(A: Tensor) -> tuple[Tensor, Tensor]:
    """(sign, logabsdet) of each complex square matrix: sign complex, logabsdet real."""
    if _wants_grad(A):
        return tuple(_Slogdet.apply(A))
    return tuple(_core._linalg_slogdet(A))
