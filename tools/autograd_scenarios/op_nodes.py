"""For ~50 common ops: grad_fn name, next_functions, `_saved_*` attributes and gradient.

One scenario per op. A float64 input keeps the values exact enough to compare by repr.
"""

from autograd_scenarios import ACCEPTED, LIMITATIONS, scenario

_NEEDS_RUST = {
    "index_slice": "Tensor.__getitem__ (core) slices every dim of a tuple index; PyTorch skips a "
                   "whole-dim slice (x[:, 1:] is one SliceBackward0, x[:, :] an AliasBackward0)",
    "remainder": "the core records the Number operand of remainder as a second (empty) edge",
    "mod_number": "the core records the Number operand of % as a second (empty) edge",
    "radd_number": "the core's __radd__ makes the number `self`: edges (None, x), PyTorch's (x, None)",
    "div_floor_number": "the core's div(number, rounding_mode=) records no edge for the number",
    "erfc": "the core's ErfcBackward0 keeps no _saved_self",
    "sinc": "the core's SincBackward0 keeps no _saved_self",
    "logaddexp": "the core's LogaddexpBackward0 keeps no _saved_self / _saved_other",
    "special_i0": "the core's I0Backward0 keeps no _saved_self",
    "nan_to_num": "the core's NanToNumBackward0 keeps no _saved_self",
}
_ACCEPTED = {
    "scatter": "PyTorch's ScatterBackward0 fails on a src larger than index; ferrograd returns "
               "the gradient",
}


def _mod(x):
    return __import__(type(x).__module__.split(".")[0])


_OPS = {
    "add": lambda x: x + x * 2,
    "sub_alpha": lambda x: _mod(x).sub(x, x * 2, alpha=3),
    "mul_scalar": lambda x: x * 3,
    "div": lambda x: x / (x + 1),
    "pow_tensor": lambda x: x ** (x + 1),
    "rpow": lambda x: 2**x,
    "neg": lambda x: -x,
    "exp": lambda x: x.exp(),
    "log": lambda x: x.log(),
    "sin": lambda x: x.sin(),
    "cos": lambda x: x.cos(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "sqrt": lambda x: x.sqrt(),
    "rsqrt": lambda x: x.rsqrt(),
    "abs": lambda x: x.abs(),
    "relu": lambda x: x.relu(),
    "clamp": lambda x: x.clamp(0.6, 1.2),
    "sum_dim": lambda x: x.sum(1),
    "mean": lambda x: x.mean(),
    "mean_dim": lambda x: x.mean(0, keepdim=True),
    "prod": lambda x: x.prod(),
    "max": lambda x: x.max(),
    "max_dim": lambda x: x.max(1)[0],
    "amax": lambda x: x.amax(0),
    "norm": lambda x: x.norm(),
    "logsumexp": lambda x: x.logsumexp(1),
    "softmax": lambda x: x.softmax(1),
    "log_softmax": lambda x: x.log_softmax(0),
    "matmul": lambda x: x @ x.t(),
    "mm": lambda x: x.mm(x),
    "bmm": lambda x: x.unsqueeze(0).bmm(x.unsqueeze(0)),
    "view": lambda x: x.view(4),
    "reshape": lambda x: x.t().reshape(4),
    "transpose": lambda x: x.transpose(0, 1),
    "permute": lambda x: x.permute(1, 0),
    "unsqueeze": lambda x: x.unsqueeze(1),
    "squeeze": lambda x: x.unsqueeze(0).squeeze(0),
    "expand": lambda x: x[:1].expand(3, 2),
    "index_int": lambda x: x[1],
    "index_slice": lambda x: x[:, 1:],
    "index_tensor": lambda x: x[_mod(x).tensor([1, 0, 1])],
    "masked_select": lambda x: x.masked_select(x > 1),
    "gather": lambda x: x.gather(1, _mod(x).tensor([[1], [0]])),
    "cat": lambda x: _mod(x).cat([x, x * 2]),
    "stack": lambda x: _mod(x).stack([x, x]),
    "where": lambda x: _mod(x).where(x > 1, x, x * 3),
    "cumsum": lambda x: x.cumsum(0),
    "sort": lambda x: x.sort(1)[0],
    "topk": lambda x: x.flatten().topk(2)[0],
    "repeat": lambda x: x.repeat(2, 1),
    "flip": lambda x: x.flip(0),
    "trace": lambda x: x.trace(),
    "linear": lambda x: _mod(x).nn.functional.linear(x, x),
    "mse_loss": lambda x: _mod(x).nn.functional.mse_loss(x, x.detach() * 2),
    "cross_entropy": lambda x: _mod(x).nn.functional.cross_entropy(x, _mod(x).tensor([1, 0])),
    "dropout_eval": lambda x: _mod(x).nn.functional.dropout(x, 0.5, training=False),
    "layer_norm": lambda x: _mod(x).nn.functional.layer_norm(x, (2,)),
    "conv1d": lambda x: _mod(x).nn.functional.conv1d(x.unsqueeze(0), x.unsqueeze(2)),
    "to_float32": lambda x: x.to(_mod(x).float32),
    "lerp": lambda x: x.lerp(x * 3, 0.25),
    "addmm": lambda x: _mod(x).addmm(x, x, x, beta=2),
    "atan2": lambda x: _mod(x).atan2(x, x + 1),
    "diag": lambda x: x.diag(),
    "tril": lambda x: x.tril(),
    "std": lambda x: x.std(),
    "var_dim": lambda x: x.var(0, correction=0),
    "erf": lambda x: x.erf(),
    "minimum": lambda x: _mod(x).minimum(x, x.t()),
    "diag_1d": lambda x: x[0].diag(1),
    "diagflat": lambda x: _mod(x).diagflat(x[0], 1),
    "diag_embed": lambda x: _mod(x).diag_embed(x, 1, 0, 2),
    "diagonal": lambda x: x.diagonal(-1),
    "diagonal_copy": lambda x: _mod(x).diagonal_copy(x, 1),
    "select_copy": lambda x: _mod(x).select_copy(x, 1, -1),
    "slice_copy": lambda x: _mod(x).slice_copy(x, 1, 1),
    "transpose_copy": lambda x: _mod(x).transpose_copy(x, 0, 1),
    "permute_copy": lambda x: _mod(x).permute_copy(x, (1, 0)),
    "unsqueeze_copy": lambda x: _mod(x).unsqueeze_copy(x, -1),
    "squeeze_copy": lambda x: _mod(x).squeeze_copy(x.unsqueeze(0), 0),
    "expand_copy": lambda x: _mod(x).expand_copy(x[:1], (3, 2)),
    "view_copy": lambda x: _mod(x).view_copy(x, (4,)),
    "narrow": lambda x: x.narrow(1, 1, 1),
    "narrow_copy": lambda x: x.narrow_copy(1, 1, 1),
    "unfold": lambda x: x.unfold(0, 2, 1),
    "roll": lambda x: x.roll(1, 0),
    "index_select": lambda x: x.index_select(1, _mod(x).tensor([1, 1])),
    "take": lambda x: x.take(_mod(x).tensor([3, 0])),
    "take_along_dim": lambda x: _mod(x).take_along_dim(x, _mod(x).tensor([[1], [0]]), 1),
    "scatter": lambda x: x.scatter(1, _mod(x).tensor([[1], [0]]), x * 2),
    "index_add": lambda x: x.index_add(0, _mod(x).tensor([1, 1]), x * 2, alpha=2),
    "index_fill": lambda x: x.index_fill(1, _mod(x).tensor([0]), 3.0),
    "masked_scatter": lambda x: x.masked_scatter(x > 1, x * 5),
    "cumprod": lambda x: x.cumprod(1),
    "cummax": lambda x: x.cummax(0)[0],
    "kthvalue": lambda x: x.kthvalue(1, 1)[0],
    "mode": lambda x: x.mode(1)[0],
    "nanmean": lambda x: x.nanmean(),
    "nansum": lambda x: x.nansum(1),
    "logcumsumexp": lambda x: x.logcumsumexp(0),
    "hardtanh": lambda x: _mod(x).nn.functional.hardtanh(x, 0.6, 1.6),
    "leaky_relu": lambda x: _mod(x).nn.functional.leaky_relu(x - 1, 0.2),
    "elu": lambda x: _mod(x).nn.functional.elu(x - 1),
    "gelu": lambda x: _mod(x).nn.functional.gelu(x, approximate="tanh"),
    "softplus": lambda x: _mod(x).nn.functional.softplus(x, beta=2),
    "silu": lambda x: _mod(x).nn.functional.silu(x),
    "hardswish": lambda x: _mod(x).nn.functional.hardswish(x),
    "logit": lambda x: (x / 3).logit(0.1),
    "polygamma": lambda x: _mod(x).polygamma(1, x),
    "lgamma": lambda x: x.lgamma(),
    "addcmul": lambda x: _mod(x).addcmul(x, x, x, value=0.5),
    "addcdiv": lambda x: _mod(x).addcdiv(x, x, x + 1, value=2),
    "dist": lambda x: _mod(x).dist(x, x * 2, 3),
    "cdist": lambda x: _mod(x).cdist(x, x * 2),
    "renorm": lambda x: x.renorm(2, 0, 1.0),
    "fmod": lambda x: x.fmod(0.7),
    "remainder": lambda x: x.remainder(0.7),
    "huber_loss": lambda x: _mod(x).nn.functional.huber_loss(x, x.detach() * 3, delta=0.5),
    "binary_cross_entropy": lambda x: _mod(x).nn.functional.binary_cross_entropy(x / 3, x.detach() / 4),
    "kl_div": lambda x: _mod(x).nn.functional.kl_div(x.log(), x.detach(), reduction="batchmean"),
    "max_pool1d": lambda x: _mod(x).nn.functional.max_pool1d(x.unsqueeze(0), 2),
    "avg_pool1d": lambda x: _mod(x).nn.functional.avg_pool1d(x.unsqueeze(0), 2),
    "pad": lambda x: _mod(x).nn.functional.pad(x, (1, 0), mode="reflect"),
    "interpolate": lambda x: _mod(x).nn.functional.interpolate(x.unsqueeze(0), scale_factor=2),
    "normalize": lambda x: _mod(x).nn.functional.normalize(x, dim=1),
    "cosine_similarity": lambda x: _mod(x).nn.functional.cosine_similarity(x, x.flip(0)),
    "linalg_vector_norm": lambda x: _mod(x).linalg.vector_norm(x, 3, dim=1),
    "linalg_solve": lambda x: _mod(x).linalg.solve(x, x[0]),
    "cholesky": lambda x: _mod(x).linalg.cholesky(x @ x.t() + _mod(x).eye(2, dtype=x.dtype)),
    "einsum": lambda x: _mod(x).einsum("ij,jk->ik", x, x),
    "kron": lambda x: _mod(x).kron(x, x),
    "outer": lambda x: _mod(x).outer(x[0], x[1]),
    "dot": lambda x: x[0].dot(x[1]),
    "baddbmm": lambda x: _mod(x).baddbmm(x.unsqueeze(0), x.unsqueeze(0), x.unsqueeze(0), alpha=2),
    # with a Python number or a 0-d tensor as the other operand
    "radd_number": lambda x: 2 + x,
    "rsub_number": lambda x: 2 - x,
    "rdiv_number": lambda x: 2 / x,
    "mod_number": lambda x: x % 0.7,
    "rmod_number": lambda x: 3 % x,
    "div_floor_number": lambda x: x.div(2, rounding_mode="floor"),
    "xlogy_number": lambda x: _mod(x).xlogy(x, 2.0),
    "rxlogy_number": lambda x: _mod(x).xlogy(2.0, x),
    "xlog1py_number": lambda x: _mod(x).special.xlog1py(x, 2.0),
    "hypot_0dim": lambda x: _mod(x).hypot(x, _mod(x).tensor(1.0, dtype=x.dtype)),
    "copysign_number": lambda x: x.copysign(-1.0),
    "ldexp_0dim": lambda x: _mod(x).ldexp(x, _mod(x).tensor(2)),
    "nextafter_0dim": lambda x: x.nextafter(_mod(x).tensor(1.0, dtype=x.dtype)),
    "heaviside_0dim": lambda x: x.heaviside(_mod(x).tensor(1.0, dtype=x.dtype)),
    "clamp_tensor_min": lambda x: x.clamp(min=_mod(x).tensor(1.0, dtype=x.dtype)),
    "float_power": lambda x: x.float_power(2),
    "sub_alpha_number": lambda x: x.sub(1, alpha=2),
    "index_put": lambda x: x.index_put((_mod(x).tensor([0]),), x[1] * 3),
    "index_put_accumulate": lambda x: _mod(x).index_put(x, (_mod(x).tensor([1, 1]),), x[0], accumulate=True),
    "real_of_complex": lambda x: _mod(x).complex(x, x * 2).real,
    "imag_of_conj": lambda x: _mod(x).complex(x, x * 2).conj().imag.neg(),
    "special_ndtr": lambda x: _mod(x).special.ndtr(x),
    "complex": lambda x: _mod(x).complex(x, x[0] * 2).abs(),
    "trapezoid": lambda x: _mod(x).trapezoid(x * x, dx=2),
    "prelu": lambda x: _mod(x).nn.functional.prelu(x - 1, x[0]),
    # composites recorded as one node (`_composite_nodes.record_composite`)
    "multi_margin_loss": lambda x: _mod(x).nn.functional.multi_margin_loss(x * x, _mod(x).tensor([1, 0])),
    "grid_sample": lambda x: _mod(x).nn.functional.grid_sample(
        (x * x).reshape(1, 1, 2, 2), (x / 4).reshape(1, 1, 2, 2), align_corners=False),
    "quantile": lambda x: (x * x).quantile(0.3),
    "pdist": lambda x: _mod(x).nn.functional.pdist(x * x),
    "lstsq": lambda x: _mod(x).linalg.lstsq(x, x * x).solution,
    # core nodes that keep no `_saved_*`
    "erfc": lambda x: x.erfc(),
    "sinc": lambda x: x.sinc(),
    "logaddexp": lambda x: _mod(x).logaddexp(x, x.flip(0)),
    "special_i0": lambda x: _mod(x).special.i0(x),
    "nan_to_num": lambda x: (x * x).nan_to_num(),
}


def _saved(node):
    names = sorted(n for n in dir(node) if n.startswith("_saved_"))
    out = {}
    for n in names:
        try:
            out[n] = repr(getattr(node, n))
        except Exception as e:  # noqa: BLE001 - the error is part of the result
            out[n] = f"{type(e).__name__}: {e}"
    return out


def _make(name, op):
    def run(m):
        x = m.tensor([[0.5, 1.5], [2.0, 0.75]], dtype=m.float64, requires_grad=True)
        y = op(x)
        node = y.grad_fn
        nexts = [(type(f).__name__, i) for f, i in node.next_functions]
        saved = _saved(node)
        try:
            y.sum().backward()
        except Exception as e:  # noqa: BLE001 - an op without a derivative
            return node.name(), nexts, saved, type(e).__name__, str(e)
        return node.name(), nexts, saved, x.grad

    run.__name__ = f"op_{name}"
    if name in _NEEDS_RUST:
        LIMITATIONS[run.__name__] = _NEEDS_RUST[name]
    if name in _ACCEPTED:
        ACCEPTED[run.__name__] = _ACCEPTED[name]
    return scenario(run)


for _n, _op in _OPS.items():
    _make(_n, _op)
