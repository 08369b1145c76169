"""`nn.utils.parametrizations`: weight_norm and spectral_norm as parametrizations
(PyTorch's `_WeightNorm`, `_SpectralNorm`, and their state_dict keys)."""

from __future__ import annotations

from enum import Enum, auto

from ..._argcheck import dim_error as _dim_error
from ..._core import Tensor
from ..._grad_mode import no_grad
from .. import functional as F
from ..modules.module import Module
from . import _orthogonal_maps as maps
from . import parametrize
from ._norm_helpers import norm_except_dim, reshape_weight_to_matrix, weight_norm_value

__all__ = ["orthogonal", "spectral_norm", "weight_norm"]


class _OrthMaps(Enum):
    """The maps `orthogonal` can use; the module keeps the member, as PyTorch's."""

    matrix_exp = auto()
    cayley = auto()
    householder = auto()


class _WeightNorm(Module):
    """weight = g v / ‖v‖ from the originals (g, v)."""

    def __init__(self, dim: int | None = 0) -> None:
        super().__init__()
        if dim is None:
            dim = -1
        self.dim = dim

    def forward(self, weight_g: Tensor, weight_v: Tensor) -> Tensor:
        return weight_norm_value(weight_v, weight_g, self.dim)

    def right_inverse(self, weight: Tensor):
        return norm_except_dim(weight, 2, self.dim), weight


def weight_norm(module: Module, name: str = "weight", dim: int | None = 0) -> Module:
    """Reparametrizes `module.<name>` by its magnitude (original0) and direction (original1)."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)
    return module


class _SpectralNorm(Module):
    """weight / σ(weight), σ estimated by power iteration (buffers _u, _v)."""

    def __init__(self, weight: Tensor, n_power_iterations: int = 1, dim: int = 0, eps: float = 1e-12) -> None:
        super().__init__()
        ndim = weight.dim()
        if dim >= ndim or dim < -ndim:
            raise _dim_error(dim, f"Dimension out of range (expected to be in range of [-{ndim}, {ndim - 1}] but got {dim})")
        if n_power_iterations <= 0:
            raise ValueError(
                f"Expected n_power_iterations to be positive, but got n_power_iterations={n_power_iterations}"
            )
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            from ..._creation import empty

            self.n_power_iterations = n_power_iterations
            weight_mat = reshape_weight_to_matrix(weight, self.dim)
            h, w = weight_mat.shape
            u = empty(h, dtype=weight.dtype).normal_(0, 1)
            v = empty(w, dtype=weight.dtype).normal_(0, 1)
            self.register_buffer("_u", F.normalize(u, dim=0, eps=self.eps))
            self.register_buffer("_v", F.normalize(v, dim=0, eps=self.eps))
            self._power_method(weight_mat, 15)

    def _power_method(self, weight_mat: Tensor, n_power_iterations: int) -> None:
        # u and v are updated in place (they are buffers), u first, as PyTorch's parametrization does
        with no_grad():
            weight_mat = weight_mat.detach()
            for _ in range(n_power_iterations):
                self._u.copy_(F.normalize(weight_mat.mv(self._v), dim=0, eps=self.eps))
                self._v.copy_(F.normalize(weight_mat.t().mv(self._u), dim=0, eps=self.eps))

    def forward(self, weight: Tensor) -> Tensor:
        if weight.dim() == 1:
            return F.normalize(weight, dim=0, eps=self.eps)
        weight_mat = reshape_weight_to_matrix(weight, self.dim)
        if self.training:
            self._power_method(weight_mat, self.n_power_iterations)
        u = self._u.clone()
        v = self._v.clone()
        sigma = u.dot(weight_mat.mv(v))
        return weight / sigma

    def right_inverse(self, value: Tensor) -> Tensor:
        return value


def _is_conv_transpose(module: Module) -> bool:
    from ..modules.conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d

    return isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d))


def spectral_norm(module: Module, name: str = "weight", n_power_iterations: int = 1, eps: float = 1e-12,
                  dim: int | None = None) -> Module:
    """Reparametrizes `module.<name>` as itself divided by its spectral norm."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")  # noqa: TRY004
    if dim is None:
        dim = 1 if _is_conv_transpose(module) else 0
    parametrize.register_parametrization(module, name, _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module


_ORTHOGONAL_MAPS = ("matrix_exp", "cayley", "householder")


class _Orthogonal(Module):
    """An orthogonal (n x k) matrix from an unconstrained one: exp or Cayley of a
    skew-symmetric matrix, or a product of Householder reflections; with trivialization,
    times a fixed orthogonal `base` (so that the original starts at the identity's preimage)."""

    def __init__(self, weight: Tensor, orthogonal_map: str, *, use_trivialization: bool = True) -> None:
        super().__init__()
        self.shape = weight.shape
        self.orthogonal_map = _OrthMaps[orthogonal_map]
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, x: Tensor) -> Tensor:
        from ..._creation import zeros
        from ..._shape import cat

        n, k = x.shape[-2], x.shape[-1]
        transposed = n < k
        if transposed:
            x = x.transpose(-2, -1)
            n, k = k, n
        if self.orthogonal_map in (_OrthMaps.matrix_exp, _OrthMaps.cayley):
            x = x.tril()
            if n != k:
                x = cat([x, zeros(*x.shape[:-2], n, n - k, dtype=x.dtype)], -1)
            a = x - x.transpose(-2, -1)
            q = maps.matrix_exp(a) if self.orthogonal_map is _OrthMaps.matrix_exp else maps.cayley(a)
            if n != k:
                q = q[..., :k]
        else:
            a = x.tril(-1)
            tau = 2.0 / (1.0 + (a * a).sum(dim=-2))
            q = maps.householder_product(a, tau)
            q = q * x.diagonal(dim1=-2, dim2=-1).trunc().unsqueeze(-2)
        if hasattr(self, "base"):
            q = self.base.matmul(q)
        if transposed:
            q = q.transpose(-2, -1)
        return q

    def right_inverse(self, q: Tensor) -> Tensor:
        from ..._creation import randn, zeros_like
        from ..._shape import cat

        with no_grad():
            if q.shape != self.shape:
                raise ValueError(
                    f"Expected a matrix or batch of matrices of shape {self.shape}. Got a tensor of shape {q.shape}."
                )
            q_init = q
            n, k = q.shape[-2], q.shape[-1]
            transpose = n < k
            if transpose:
                q = q.transpose(-2, -1)
                n, k = k, n
            if not hasattr(self, "base"):
                if self.orthogonal_map in (_OrthMaps.matrix_exp, _OrthMaps.cayley):
                    raise NotImplementedError(
                        "It is not possible to assign to the matrix exponential or the Cayley parametrizations "
                        "when use_trivialization=False."
                    )
                a, tau = maps.geqrf(q)
                diag = a.diagonal(dim1=-2, dim2=-1)
                signs = diag.sign() * (1 - 2 * (tau == 0).to(a.dtype))
                for i in range(signs.shape[-1]):
                    a[..., i, i] = signs[..., i]
                return a.transpose(-2, -1) if transpose else a
            if n == k:
                q = maps.make_orthogonal(q) if not maps.is_orthogonal(q) else q.clone()
            else:
                extra = randn(*(tuple(q.shape[:-2]) + (n, n - k)), dtype=q.dtype)
                q = maps.make_orthogonal(cat([q, extra], -1))
            self.base = q
            neg_id = zeros_like(q_init)
            diag_len = min(q_init.shape[-2], q_init.shape[-1])
            for i in range(diag_len):
                neg_id[..., i, i] = -1.0
            return neg_id


def orthogonal(module: Module, name: str = "weight", orthogonal_map: str | None = None, *,
               use_trivialization: bool = True) -> Module:
    """Reparametrizes the matrix (or batch of matrices) `module.<name>` to stay orthogonal."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")  # noqa: TRY004
    if weight.dim() < 2:
        raise ValueError(f"Expected a matrix or batch of matrices. Got a tensor of {weight.dim()} dimensions.")
    if orthogonal_map is None:
        orthogonal_map = "matrix_exp" if weight.shape[-2] == weight.shape[-1] else "householder"
    if orthogonal_map not in _ORTHOGONAL_MAPS:
        raise ValueError(
            f'orthogonal_map has to be one of "matrix_exp", "cayley", "householder". Got: {orthogonal_map}'
        )
    orth = _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    return module
