"""Higher-order gradients: for each op, the first gradient taken with create_graph=True
(its grad_fn name and the names one level below), then the gradient of that gradient."""

from autograd_scenarios import ACCEPTED, LIMITATIONS, scenario

# The first gradient's graph is built by each op's backward formula in the core; where
# ours composes it from other ops than PyTorch's derivatives.yaml, the names differ (the
# second-order values agree).
_FORMULA = "the core's backward formula composes other ops than PyTorch's (torch / ours): "
_TRANSPOSE = "the core's mm backward transposes with permute (PermuteBackward0); PyTorch's with .t() (TBackward0)"
_SCATTER = ("the gradient of a select/slice reaches the input through SelectBackwardBackward0 / "
            "SliceBackwardBackward0 in PyTorch, AsStridedScatterBackward0 in the core")
_NEEDS_RUST = {
    "div": _FORMULA + "-grad*other/other**2 as Mul(None, Mul) / Mul(None, Neg)",
    "pow": _FORMULA + "grad*(exp*self**(exp-1)) as Mul(None, MulBackward1) / Mul(None, MulBackward0)",
    "pow_tensor": _FORMULA + "Add(Where, Mul) / Add(Mul, MaskedFill)",
    "rpow": "number ** t (the core's __rpow__) takes log(number) in float32: d(2**x)/dx at x=0.5 (float64) is "
            "0.9802581461621352, PyTorch's 0.9802581434685472; its first gradient is MaskedFill(Mul), "
            "PyTorch's Mul(None, MulBackward1)",
    "expm1": _FORMULA + "Mul(None, AddBackward1) / Mul(None, AddBackward0)",
    "log": _FORMULA + "grad / self (DivBackward0) / grad * self.reciprocal() (MulBackward0)",
    "log1p": _FORMULA + "DivBackward0 / MulBackward0 over ReciprocalBackward0",
    "log2": _FORMULA + "DivBackward0 / MulBackward0 over ReciprocalBackward0",
    "sqrt": _FORMULA + "grad / (2 * result) (DivBackward0) / MulBackward0 over ReciprocalBackward0",
    "rsqrt": _FORMULA + "Mul(None, PowBackward0) / Mul(None, MulBackward0)",
    "reciprocal": _FORMULA + "Mul(None, MulBackward0) / Mul(None, NegBackward0)",
    "tan": _FORMULA + "Mul(None, AddBackward1) / Mul(None, AddBackward0)",
    "atan": _FORMULA + "DivBackward0 / MulBackward0 over ReciprocalBackward0",
    "atanh": _FORMULA + "Div(Div, None) / Div(Mul, None)",
    "silu": _FORMULA + "Mul(Mul, AddBackward1) / Mul(None, Mul)",
    "erf": _FORMULA + "Mul(MulBackward1, None) / Mul(None, MulBackward0)",
    "erfc": _FORMULA + "Mul(MulBackward1, None) / Mul(None, MulBackward0)",
    "cumprod": _FORMULA + "Div(Flip, AccumulateGrad) / Div(Add, AccumulateGrad)",
    "logcumsumexp": _FORMULA + "Sub(Exp, Exp) / Mul(Add, Exp)",
    "var": _FORMULA + "Mul(None, Sub) / Mul(Mul, None)",
    "std": _FORMULA + "Mul(MulBackward1, Sub) / Mul(Mul, None)",
    "mm_t": _TRANSPOSE,
    "cholesky": _TRANSPOSE,
    "det": _FORMULA + "LinalgSolveExBackward0 / Mul(Mul, Transpose)",
    "slogdet": _FORMULA + "LinalgSolveExBackward0 / Mul(None, Transpose)",
    "solve": _SCATTER,
    "bce_logits": _FORMULA + "DivBackward1(Mul) / Mul(Sub, None)",
    "sinc": _FORMULA + "Where(None, Mul) / Mul(None, Where)",
    "cross": _SCATTER,
    "margin_ranking": _SCATTER,
    "index_put": _SCATTER,
    "matrix_exp": "the gradient of a slice reaches the input through SliceBackward0 in PyTorch, "
                  "View(AsStridedScatterBackward0) in the core",
    "qr": _FORMULA + "LinalgSolveTriangular(Transpose, Mm) / LinalgSolveTriangular(Transpose, Add)",
    "eigh": _TRANSPOSE,
    "logdet": _TRANSPOSE,
    "svdvals": _FORMULA + "Mm(LinalgSvd, Mul) / Mm(Mul, LinalgSvd)",
    "poisson_nll": _FORMULA + "Add(Mul, None) / Add(None, Mul)",
    "special_xlog1py": _FORMULA + "Add(MaskedFill, Div) / Add(Where, Div)",
    "special_ndtr": _FORMULA + "MulBackward1(Mul) / MulBackward0(Mul, None)",
    "special_log_ndtr": _FORMULA + "Mul(None, Exp) / Mul(Mul, None)",
    "special_erfcx": _FORMULA + "Mul(SubBackward1, None) / Mul(None, SubBackward0)",
    "mvlgamma": _FORMULA + "Mul(None, Sum) / Mul(None, Add)",
    "polar_abs": _FORMULA + "Add(Select, Select) / Add(Add, Mul)",
}
_ACCEPTED = {
    "pdist": "PyTorch's _pdist_backward has no derivative (NotImplementedError); ferrograd's pdist "
             "gradient is built from differentiable ops",
    "multi_margin": "PyTorch's multi_margin_loss_backward has no derivative; ferrograd's is built from "
                    "differentiable ops",
    "cdist": "PyTorch's _cdist_backward has no derivative (NotImplementedError); ferrograd's cdist "
             "gradient is built from differentiable ops",
    "sgn_sq": "PyTorch's second gradient through sgn is an efficient-zeros tensor that refuses tolist(); "
              "ferrograd's is plain zeros",
}


def _mod(x):
    return __import__(type(x).__module__.split(".")[0])


def _F(x):
    return _mod(x).nn.functional


_OPS = {
    "mul": lambda x: x * x,
    "div": lambda x: 1 / (x + 2),
    "pow": lambda x: x ** 3,
    "pow_tensor": lambda x: x ** x,
    "rpow": lambda x: 2 ** x,
    "exp": lambda x: x.exp(),
    "expm1": lambda x: x.expm1(),
    "log": lambda x: x.log(),
    "log1p": lambda x: x.log1p(),
    "log2": lambda x: x.log2(),
    "sqrt": lambda x: x.sqrt(),
    "rsqrt": lambda x: x.rsqrt(),
    "reciprocal": lambda x: x.reciprocal(),
    "sin": lambda x: x.sin(),
    "cos": lambda x: x.cos(),
    "tan": lambda x: x.tan(),
    "asin": lambda x: (x / 3).asin(),
    "acos": lambda x: (x / 3).acos(),
    "atan": lambda x: x.atan(),
    "sinh": lambda x: x.sinh(),
    "cosh": lambda x: x.cosh(),
    "tanh": lambda x: x.tanh(),
    "asinh": lambda x: x.asinh(),
    "acosh": lambda x: (x + 1).acosh(),
    "atanh": lambda x: (x / 3).atanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "logsigmoid": lambda x: _F(x).logsigmoid(x),
    "softplus": lambda x: _F(x).softplus(x, beta=2),
    "elu": lambda x: _F(x).elu(x - 1),
    "selu": lambda x: _F(x).selu(x - 1),
    "celu": lambda x: _F(x).celu(x - 1, 0.5),
    "gelu": lambda x: _F(x).gelu(x),
    "gelu_tanh": lambda x: _F(x).gelu(x, approximate="tanh"),
    "silu": lambda x: _F(x).silu(x),
    "mish": lambda x: _F(x).mish(x),
    "softsign": lambda x: _F(x).softsign(x),
    "tanhshrink": lambda x: _F(x).tanhshrink(x),
    "erf": lambda x: x.erf(),
    "erfc": lambda x: x.erfc(),
    "erfinv": lambda x: (x / 3).erfinv(),
    "lgamma": lambda x: x.lgamma(),
    "digamma": lambda x: x.digamma(),
    "atan2": lambda x: _mod(x).atan2(x, x.flip(0)),
    "hypot": lambda x: _mod(x).hypot(x, x.flip(0)),
    "logaddexp": lambda x: _mod(x).logaddexp(x, x.flip(0)),
    "xlogy": lambda x: _mod(x).xlogy(x, x + 1),
    "lerp": lambda x: x.lerp(x * x, x / 4),
    "addcmul": lambda x: _mod(x).addcmul(x, x, x, value=0.5),
    "addcdiv": lambda x: _mod(x).addcdiv(x, x, x + 1),
    "sum_sq": lambda x: (x * x).sum(0),
    "mean_sq": lambda x: (x * x).mean(1),
    "prod": lambda x: x.prod(1),
    "prod_all": lambda x: x.prod(),
    "cumsum_sq": lambda x: (x * x).cumsum(1),
    "cumprod": lambda x: x.cumprod(1),
    "logcumsumexp": lambda x: x.logcumsumexp(1),
    "norm": lambda x: x.norm(),
    "norm_dim": lambda x: x.norm(dim=1),
    "vector_norm_3": lambda x: _mod(x).linalg.vector_norm(x, 3),
    "var": lambda x: x.var(1),
    "std": lambda x: x.std(),
    "logsumexp": lambda x: x.logsumexp(1),
    "softmax": lambda x: x.softmax(1),
    "log_softmax": lambda x: x.log_softmax(0),
    "amax_sq": lambda x: (x * x).amax(1),
    "max_sq": lambda x: (x * x).max(),
    "matmul": lambda x: x @ x,
    "mm_t": lambda x: x.mm(x.t()),
    "bmm": lambda x: x.unsqueeze(0).bmm(x.unsqueeze(0)),
    "einsum": lambda x: _mod(x).einsum("ij,jk->ik", x, x),
    "trace_sq": lambda x: (x @ x).trace(),
    "det": lambda x: _mod(x).linalg.det(x),
    "inv": lambda x: _mod(x).linalg.inv(x),
    "slogdet": lambda x: _mod(x).linalg.slogdet(x)[1],
    "solve": lambda x: _mod(x).linalg.solve(x, x[0] * x[1]),
    "cholesky": lambda x: _mod(x).linalg.cholesky(x @ x.t() + _mod(x).eye(2, dtype=x.dtype)),
    "linear": lambda x: _F(x).linear(x, x * x, x[0]),
    "mse_loss": lambda x: _F(x).mse_loss(x * x, x.detach()),
    "l1_loss_sq": lambda x: _F(x).l1_loss(x * x, x.detach()),
    "smooth_l1": lambda x: _F(x).smooth_l1_loss(x * x, x.detach(), beta=2.0),
    "huber": lambda x: _F(x).huber_loss(x * x, x.detach(), delta=1.5),
    "cross_entropy": lambda x: _F(x).cross_entropy(x, _mod(x).tensor([1, 0])),
    "nll_loss": lambda x: _F(x).nll_loss(x.log_softmax(1), _mod(x).tensor([1, 0])),
    "bce": lambda x: _F(x).binary_cross_entropy((x / 4).sigmoid(), x.detach() / 4),
    "bce_logits": lambda x: _F(x).binary_cross_entropy_with_logits(x, x.detach() / 4),
    "kl_div": lambda x: _F(x).kl_div(x.log_softmax(1), x.detach().softmax(1), reduction="batchmean"),
    "layer_norm": lambda x: _F(x).layer_norm(x, (2,)),
    "normalize": lambda x: _F(x).normalize(x, dim=1),
    "cosine_similarity": lambda x: _F(x).cosine_similarity(x, x * x),
    "cdist": lambda x: _mod(x).cdist(x, x * x),
    "conv1d": lambda x: _F(x).conv1d(x.unsqueeze(0), x.unsqueeze(2)),
    "avg_pool1d_sq": lambda x: _F(x).avg_pool1d((x * x).unsqueeze(0), 2),
    "max_pool1d_sq": lambda x: _F(x).max_pool1d((x * x).unsqueeze(0), 2),
    "pad_sq": lambda x: _F(x).pad(x * x, (1, 1), mode="reflect"),
    "interpolate_sq": lambda x: _F(x).interpolate((x * x).unsqueeze(0), scale_factor=2, mode="linear"),
    "where_sq": lambda x: _mod(x).where(x > 1, x * x, x.exp()),
    "clamp_sq": lambda x: (x * x).clamp(0.5, 3),
    "abs_sq": lambda x: (x * x).abs(),
    "relu_sq": lambda x: (x * x - 1).relu(),
    "leaky_relu_sq": lambda x: _F(x).leaky_relu(x * x - 1, 0.1),
    "hardtanh_sq": lambda x: _F(x).hardtanh(x * x, 0.5, 2.0),
    "gather_sq": lambda x: (x * x).gather(1, _mod(x).tensor([[1], [0]])),
    "index_sq": lambda x: (x * x)[_mod(x).tensor([1, 0, 1])],
    "cat_sq": lambda x: _mod(x).cat([x * x, x.exp()]),
    "stack_sq": lambda x: _mod(x).stack([x * x, x]),
    "expand_sq": lambda x: (x * x)[:1].expand(3, 2),
    "repeat_sq": lambda x: (x * x).repeat(2, 1),
    "sort_sq": lambda x: (x * x).sort(1)[0],
    "topk_sq": lambda x: (x * x).flatten().topk(2)[0],
    "masked_fill_sq": lambda x: (x * x).masked_fill(x > 1, 0.0),
    "polygamma": lambda x: _mod(x).polygamma(1, x),
    "sinc": lambda x: x.sinc(),
    "frac_sq": lambda x: (x * x).frac(),
    "sgn_sq": lambda x: (x * x).sgn() * x,
 "group_norm": lambda x: _F(x).group_norm(x.unsqueeze(0), 1),
 "batch_norm": lambda x: _F(x).batch_norm(x, None, None, training=True),
 "instance_norm": lambda x: _F(x).instance_norm(x.unsqueeze(0)),
 "embedding": lambda x: _F(x).embedding(_mod(x).tensor([1, 0, 1]), x * x),
 "pdist": lambda x: _F(x).pdist(x * x),
 "cross": lambda x: _mod(x).linalg.cross(_mod(x).cat([x, x[:, :1]], 1), _mod(x).cat([x, x[:, :1]], 1).exp()),
 "qr": lambda x: _mod(x).linalg.qr(x)[1],
 "eigh": lambda x: _mod(x).linalg.eigh(x + x.t())[0],
 "svdvals": lambda x: _mod(x).linalg.svdvals(x),
 "pinv": lambda x: _mod(x).linalg.pinv(x),
 "matrix_exp": lambda x: _mod(x).linalg.matrix_exp(x),
 "lstsq": lambda x: _mod(x).linalg.lstsq(x, x * x).solution,
 "matrix_norm": lambda x: _mod(x).linalg.matrix_norm(x),
 "matrix_norm_nuc": lambda x: _mod(x).linalg.matrix_norm(x, "nuc"),
 "fft": lambda x: _mod(x).fft.fft(x).abs(),
 "rfft": lambda x: _mod(x).fft.rfft(x * x).real,
 "multi_margin": lambda x: _F(x).multi_margin_loss(x * x, _mod(x).tensor([1, 0])),
 "triplet": lambda x: _F(x).triplet_margin_loss(x, x * x, x.flip(0)),
 "margin_ranking": lambda x: _F(x).margin_ranking_loss(x[0] * x[1], x[1], _mod(x).tensor([1.0, -1.0])),
 "poisson_nll": lambda x: _F(x).poisson_nll_loss(x, x.detach()),
 "gaussian_nll": lambda x: _F(x).gaussian_nll_loss(x, x.detach() * 2, x * x),
 "soft_margin": lambda x: _F(x).soft_margin_loss(x, _mod(x).tensor([[1.0, -1.0], [-1.0, 1.0]])),
 "multilabel_soft_margin": lambda x: _F(x).multilabel_soft_margin_loss(x, _mod(x).tensor([[1.0, 0.0], [0.0, 1.0]])),
 "hinge_embedding": lambda x: _F(x).hinge_embedding_loss(x * x, _mod(x).tensor([[1.0, -1.0], [-1.0, 1.0]])),
 "cosine_embedding": lambda x: _F(x).cosine_embedding_loss(x, x * x, _mod(x).tensor([1.0, -1.0])),
 "glu": lambda x: _F(x).glu(x * x, 1),
 "hardsigmoid": lambda x: _F(x).hardsigmoid(x * x),
 "hardswish": lambda x: _F(x).hardswish(x * x - 1),
 "softmin": lambda x: _F(x).softmin(x * x, 1),
 "rrelu_eval": lambda x: _F(x).rrelu(x * x - 1, training=False),
 "prelu": lambda x: _F(x).prelu(x * x - 1, x[0, :1]),
 "local_response_norm": lambda x: _F(x).local_response_norm(x.unsqueeze(0), 2),
 "conv2d": lambda x: _F(x).conv2d(x.reshape(1, 1, 2, 2), x.reshape(1, 1, 2, 2)),
 "conv_transpose1d": lambda x: _F(x).conv_transpose1d(x.unsqueeze(0), x.unsqueeze(2)),
 "avg_pool2d": lambda x: _F(x).avg_pool2d((x * x).reshape(1, 1, 2, 2), 2),
 "adaptive_avg_pool1d": lambda x: _F(x).adaptive_avg_pool1d((x * x).unsqueeze(0), 1),
 "lp_pool1d": lambda x: _F(x).lp_pool1d(x.unsqueeze(0), 2, 2),
 "upsample_bilinear": lambda x: _F(x).interpolate((x * x).reshape(1, 1, 2, 2), scale_factor=2, mode="bilinear"),
 "grid_sample": lambda x: _F(x).grid_sample((x*x).reshape(1, 1, 2, 2), (x / 4).reshape(1, 1, 2, 2), align_corners=False),
 "special_xlog1py": lambda x: _mod(x).special.xlog1py(x, x),
 "special_i0": lambda x: _mod(x).special.i0(x),
 "special_i1": lambda x: _mod(x).special.i1(x),
 "special_entr": lambda x: _mod(x).special.entr(x),
 "special_ndtr": lambda x: _mod(x).special.ndtr(x),
 "special_ndtri": lambda x: _mod(x).special.ndtri(x / 4),
 "special_log_ndtr": lambda x: _mod(x).special.log_ndtr(x),
 "special_erfcx": lambda x: _mod(x).special.erfcx(x),
 "mvlgamma": lambda x: _mod(x).mvlgamma(x + 1, 2),
 "trapezoid": lambda x: _mod(x).trapezoid(x * x),
 "diff": lambda x: _mod(x).diff(x * x),
 "kron": lambda x: _mod(x).kron(x, x),
 "tensordot": lambda x: _mod(x).tensordot(x, x * x, 1),
 "cov": lambda x: _mod(x).cov(x),
 "logdet": lambda x: (x @ x.t() + _mod(x).eye(2, dtype=x.dtype)).logdet(),
 "renorm": lambda x: (x * x).renorm(2, 0, 1.0),
 "nan_to_num": lambda x: (x * x).nan_to_num(),
 "nansum": lambda x: (x * x).nansum(1),
 "cummax": lambda x: (x * x).cummax(1)[0],
 "median": lambda x: (x * x).median(),
 "quantile": lambda x: (x * x).quantile(0.3),
 "dist": lambda x: _mod(x).dist(x, x * x, 3),
 "polar_abs": lambda x: _mod(x).polar(x, x).abs(),
 "complex_abs": lambda x: _mod(x).complex(x, x * x).abs(),
 "unfold": lambda x: (x * x).unfold(1, 1, 1),
 "index_put": lambda x: x.index_put((_mod(x).tensor([0]),), x[1] * x[1]),
 "scatter_add": lambda x: x.scatter_add(1, _mod(x).tensor([[1, 0], [0, 0]]), x * x),
 "index_reduce_prod": lambda x: x.index_reduce(0, _mod(x).tensor([0, 0]), x * x, "prod"),
 "scatter_reduce_mean": lambda x: x.scatter_reduce(1, _mod(x).tensor([[1, 0], [0, 0]]), x * x, "mean"),
 "reverse_cumsum": lambda x: (x * x).flip(1).cumsum(1).flip(1),
}


def _names(fn, depth):
    if fn is None:
        return None
    if depth == 0 or not fn.next_functions:
        return fn.name()
    return fn.name(), [_names(f, depth - 1) for f, _ in fn.next_functions]


def _make(name, op):
    def run(m):
        x = m.tensor([[0.5, 1.5], [2.0, 0.75]], dtype=m.float64, requires_grad=True)
        (g,) = m.autograd.grad(op(x).sum(), x, create_graph=True)
        first = _names(g.grad_fn, 1)
        (gg,) = m.autograd.grad((g * g).sum(), x, allow_unused=True)
        # rounded: a formula that is right may differ from PyTorch's in the last bits
        values = None if gg is None else [[round(v, 8) + 0.0 for v in row] for row in gg.tolist()]
        return first, g.requires_grad, values

    run.__name__ = f"higher_order_{name}"
    if name in _NEEDS_RUST:
        LIMITATIONS[run.__name__] = _NEEDS_RUST[name]
    if name in _ACCEPTED:
        ACCEPTED[run.__name__] = _ACCEPTED[name]
    return scenario(run)


for _n, _op in _OPS.items():
    _make(_n, _op)
