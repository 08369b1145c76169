"""Ops composed here of several passes whose `grad_fn` must still be PyTorch's one node:
its name, next_functions, `_saved_*` attributes and the gradient (as `op_nodes`), over
variants of the arguments that change the node's edges or saved fields."""

from autograd_scenarios import ACCEPTED, LIMITATIONS, op_nodes

_NEEDS_RUST = {
    "std_mean": "the core's StdMeanBackward0 keeps no _saved_correction/_saved_dim/_saved_keepdim, and its "
                "saved tensors are not named (self, result0)",
    "var_mean": "the core's VarMeanBackward0 keeps no _saved_correction/_saved_dim/_saved_keepdim and saves a "
                "second tensor PyTorch's does not",
    "aminmax": "the core's AminmaxBackward0 keeps no _saved_dim/_saved_keepdim and its saved tensors are not "
               "named (self, min, max)",
    "histc_free_polar": "the core's PolarBackward0 is a renamed view_as_complex: PyTorch's has edges to abs "
                        "and angle and keeps _saved_result",
    "logdet": "the core's LinalgSlogdetBackward0 multiplies the gradient by A's inverse (0 times a negative "
              "entry gives -0); PyTorch's solves with A's LU (+0 for a zero gradient)",
    "linalg_eigvals_sym": "the core's linalg.eigh gives eigenvectors of the other sign than LAPACK's syevd "
                          "(PyTorch's), so _saved_eigenvectors differs",
}
_ACCEPTED: dict[str, str] = {}


def _mod(x):
    return __import__(type(x).__module__.split(".")[0])


def _F(x):
    return _mod(x).nn.functional


def _f64(x, values):
    return _mod(x).tensor(values, dtype=x.dtype)


_OPS = {
    "matrix_exp": lambda x: _mod(x).linalg.matrix_exp(x * x),
    "matrix_exp_leaf": lambda x: _mod(x).linalg.matrix_exp(x / 4),
    "pdist_p1": lambda x: _F(x).pdist(x * x, 1),
    "pdist_inf": lambda x: _F(x).pdist(x * x, float("inf")),
    "multi_margin_weighted": lambda x: _F(x).multi_margin_loss(
        x * x, _mod(x).tensor([1, 0]), p=2, margin=2, weight=_f64(x, [1.0, 2.0]), reduction="sum"),
    "multi_margin_none": lambda x: _F(x).multi_margin_loss(x, _mod(x).tensor([1, 1]), reduction="none"),
    "grid_sample_nearest": lambda x: _F(x).grid_sample(
        (x * x).reshape(1, 1, 2, 2), (x / 4).reshape(1, 1, 2, 2), mode="nearest", padding_mode="border",
        align_corners=True),
    "grid_sample_grid_only": lambda x: _F(x).grid_sample(
        x.detach().reshape(1, 1, 2, 2), (x / 4).reshape(1, 1, 2, 2), padding_mode="reflection",
        align_corners=False),
    "grid_sample_3d": lambda x: _F(x).grid_sample(
        (x * x).reshape(1, 1, 1, 2, 2), _mod(x).cat([x / 4, x[:1] / 5], 0).t().reshape(1, 1, 1, 2, 3),
        align_corners=False),
    "lstsq_leaves": lambda x: _mod(x).linalg.lstsq(x, x.flip(0)).solution,
    "multilabel_margin": lambda x: _F(x).multilabel_margin_loss(x * x, _mod(x).tensor([[1, -1], [0, 1]])),
    "embedding_bag": lambda x: _F(x).embedding_bag(_mod(x).tensor([0, 1, 1]), x * x, _mod(x).tensor([0, 1])),
    "affine_grid": lambda x: _F(x).affine_grid(x.repeat(1, 2)[:, :3].unsqueeze(0), [1, 1, 2, 2],
                                               align_corners=False),
    "channel_shuffle": lambda x: _F(x).channel_shuffle((x * x).reshape(1, 4, 1, 1), 2),
    "pairwise_distance": lambda x: _F(x).pairwise_distance(x * x, x.flip(0)),
    "conv_tbc": lambda x: _mod(x).conv_tbc((x * x).reshape(2, 1, 2), x.reshape(1, 2, 2), x[0]),
    "nanmedian": lambda x: (x * x).nanmedian(),
    "vander": lambda x: _mod(x).linalg.vander(x[0] * 2),
    "householder_product": lambda x: _mod(x).linalg.householder_product(x * x, x[0] / 3),
    "lu_solve": lambda x: _mod(x).linalg.lu_solve(*_mod(x).linalg.lu_factor(x.detach()), x * x),
    "triangular_solve": lambda x: _mod(x).triangular_solve(x * x, x.triu() + 1).solution,
    "pixel_unshuffle": lambda x: _F(x).pixel_unshuffle((x * x).reshape(1, 1, 2, 2), 2),
    "addmv": lambda x: _mod(x).addmv(x[0], x, x[1], beta=2),
    "cosine_embedding": lambda x: _F(x).cosine_embedding_loss(x * x, x.flip(0), _mod(x).tensor([1, -1])),
    "triplet_margin": lambda x: _F(x).triplet_margin_loss(x * x, x.flip(0), x.flip(1)),
    "hinge_embedding": lambda x: _F(x).hinge_embedding_loss(x * x, _mod(x).tensor([[1, -1], [-1, 1]])),
    "margin_ranking": lambda x: _F(x).margin_ranking_loss(x[0] * 2, x[1], _mod(x).tensor([1, -1])),
    "multilabel_soft_margin": lambda x: _F(x).multilabel_soft_margin_loss(x * x, _mod(x).tensor([[1, 0], [0, 1]])),
    "poisson_nll": lambda x: _F(x).poisson_nll_loss(x * x, x.detach()),
    "gaussian_nll": lambda x: _F(x).gaussian_nll_loss(x * x, x.detach(), x.detach() + 1),
    "local_response_norm": lambda x: _F(x).local_response_norm((x * x).reshape(1, 2, 2), 2),
    "group_norm": lambda x: _F(x).group_norm((x * x).reshape(1, 2, 2), 1),
    "instance_norm": lambda x: _F(x).instance_norm((x * x).reshape(1, 2, 2)),
    "adaptive_max_pool1d": lambda x: _F(x).adaptive_max_pool1d((x * x).unsqueeze(0), 1),
    "adaptive_avg_pool1d": lambda x: _F(x).adaptive_avg_pool1d((x * x).unsqueeze(0), 1),
    "lp_pool1d": lambda x: _F(x).lp_pool1d((x * x).unsqueeze(0), 2, 2),
    "fractional_max_pool2d": lambda x: _F(x).fractional_max_pool2d(
        (x * x).reshape(1, 1, 2, 2), 1, output_size=1, _random_samples=_f64(x, [[[0.5, 0.5]]])),
    "max_unpool1d": lambda x: _F(x).max_unpool1d(*_F(x).max_pool1d((x * x).unsqueeze(0), 2, return_indices=True), 2),
    "ctc_loss": lambda x: _F(x).ctc_loss(x.log_softmax(1).unsqueeze(1), _mod(x).tensor([[1]]), [2], [1]),
    "quantile_dim": lambda x: (x * x).quantile(_f64(x, [0.3, 0.6]), dim=1),
    "nanquantile": lambda x: (x * x).nanquantile(0.3),
    "logdet": lambda x: (x * x).logdet(),
    "cross_entropy_probs": lambda x: _F(x).cross_entropy(x * x, x.detach().softmax(1)),
    "cross_entropy_smoothing": lambda x: _F(x).cross_entropy(x * x, _mod(x).tensor([1, 0]), label_smoothing=0.1),
    "glu": lambda x: _F(x).glu(x * x),
    "hardtanh": lambda x: _F(x).hardtanh(x * x),
    "softmin": lambda x: _F(x).softmin(x * x, 1),
    "gumbel_like_logsigmoid": lambda x: _F(x).logsigmoid(x * x),
    "tanhshrink": lambda x: _F(x).tanhshrink(x * x),
    "softsign": lambda x: _F(x).softsign(x * x),
    "cdist": lambda x: _mod(x).cdist(x * x, x.flip(0)),
    "dist": lambda x: _mod(x).dist(x * x, x.flip(0), 3),
    "renorm": lambda x: (x * x).renorm(2, 0, 1),
    "diff": lambda x: (x * x).diff(),
    "cov": lambda x: (x * x).cov(),
    "trace": lambda x: (x * x).trace(),
    "tril": lambda x: (x * x).tril(),
    "logcumsumexp": lambda x: (x * x).logcumsumexp(1),
    "cummax": lambda x: (x * x).cummax(1).values,
    "std_mean": lambda x: _mod(x).std_mean(x * x, 1)[0],
    "var_mean": lambda x: _mod(x).var_mean(x * x, 1)[1],
    "aminmax": lambda x: (x * x).aminmax().min,
    "histc_free_polar": lambda x: _mod(x).polar(x * x, x),
    "linalg_norm_fro": lambda x: _mod(x).linalg.norm(x * x),
    "linalg_matrix_norm_nuc": lambda x: _mod(x).linalg.matrix_norm(x * x, "nuc"),
    "linalg_matrix_power": lambda x: _mod(x).linalg.matrix_power(x * x, 3),
    "linalg_pinv": lambda x: _mod(x).linalg.pinv(x * x),
    "linalg_inv": lambda x: _mod(x).linalg.inv(x * x),
    "linalg_eigvals_sym": lambda x: _mod(x).linalg.eigvalsh(x @ x.t()),
    "linalg_cond": lambda x: _mod(x).linalg.cond(x * x),
    "linalg_multi_dot": lambda x: _mod(x).linalg.multi_dot([x, x * x, x.t()]),
    "linalg_tensorsolve": lambda x: _mod(x).linalg.tensorsolve(x * x, x[0]),
    "linalg_cross": lambda x: _mod(x).linalg.cross(x.repeat(1, 2)[:, :3], x.flip(1).repeat(1, 2)[:, :3]),
}

for _n, _op in _OPS.items():
    op_nodes._make(_n, _op)
    _name = f"op_{_n}"
    if _n in _NEEDS_RUST:
        LIMITATIONS[_name] = _NEEDS_RUST[_n]
    if _n in _ACCEPTED:
        ACCEPTED[_name] = _ACCEPTED[_n]
