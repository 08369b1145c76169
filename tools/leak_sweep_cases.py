"""The calls tools/leak_sweep.py runs: ~150 of them over every API family.

Each case is `make(fg) -> step`: `make` builds the inputs once (a fresh set per thread in
the threads sweep's "separate" mode, one set for all threads in its "shared" mode) and
`step()` makes the call once, returning what it produced. A case must work with both
ferrograd and torch as `fg`.
"""

import copy
import io
import pickle
import warnings

CASES = []  # (family, name, make)


def case(family, name=None):
    def register(make):
        CASES.append((family, name or make.__name__, make))
        return make
    return register


def leaf(fg, *shape, seed=0):
    gen = fg.Generator().manual_seed(seed)
    return fg.randn(*shape, dtype=fg.float64, generator=gen, requires_grad=True)


def data(fg, *shape, seed=0):
    return leaf(fg, *shape, seed=seed).detach()


def backward_of(fn, *leaves):
    """A step computing fn() and its backward; `step.leaves` are the leaves it accumulates
    into (the threads sweep checks their sums)."""
    def step():
        out = fn()
        out.sum().backward()
        return out
    step.leaves = leaves
    return step


def simple(family, expressions):
    """Registers one case per `name: fn(fg, x, y)` with x, y 4x5 float64 data."""
    for name, fn in expressions.items():
        def make(fg, fn=fn):
            x, y = data(fg, 4, 5), data(fg, 4, 5, seed=1)
            return lambda: fn(fg, x, y)
        CASES.append((family, name, make))


def simple_grad(family, expressions):
    for name, fn in expressions.items():
        def make(fg, fn=fn):
            x, y = leaf(fg, 4, 5), leaf(fg, 4, 5, seed=1)
            return backward_of(lambda: fn(fg, x, y), x, y)
        CASES.append((family, name + "+bw", make))


ELEMENTWISE = {
    "add": lambda fg, x, y: x + y, "sub_scalar": lambda fg, x, y: x - 2,
    "mul": lambda fg, x, y: x * y, "div": lambda fg, x, y: x / (y.abs() + 1),
    "pow": lambda fg, x, y: x.abs() ** 1.5, "exp": lambda fg, x, y: x.exp(),
    "tanh": lambda fg, x, y: x.tanh(), "sigmoid": lambda fg, x, y: x.sigmoid(),
    "where": lambda fg, x, y: fg.where(x > 0, x, y), "clamp": lambda fg, x, y: x.clamp(-0.5, 0.5),
    "maximum": lambda fg, x, y: fg.maximum(x, y), "atan2": lambda fg, x, y: fg.atan2(x, y),
    "lerp": lambda fg, x, y: fg.lerp(x, y, 0.3), "addcmul": lambda fg, x, y: fg.addcmul(x, x, y, value=2),
    "erf": lambda fg, x, y: x.erf(), "log1p": lambda fg, x, y: x.abs().log1p(),
    "hypot": lambda fg, x, y: fg.hypot(x, y), "sinc": lambda fg, x, y: x.sinc(),
}
REDUCTIONS = {
    "sum_dim": lambda fg, x, y: x.sum(1), "mean": lambda fg, x, y: x.mean(),
    "std": lambda fg, x, y: x.std(0), "var_mean": lambda fg, x, y: fg.var_mean(x, 1)[0],
    "max_dim": lambda fg, x, y: x.max(1).values, "amax": lambda fg, x, y: x.amax(0),
    "logsumexp": lambda fg, x, y: x.logsumexp(1), "prod": lambda fg, x, y: x.prod(1),
    "cumsum": lambda fg, x, y: x.cumsum(1), "cumprod": lambda fg, x, y: x.cumprod(0),
    "norm": lambda fg, x, y: x.norm(), "softmax": lambda fg, x, y: x.softmax(1),
    "median_dim": lambda fg, x, y: x.median(1).values, "sort": lambda fg, x, y: x.sort(1).values,
    "topk": lambda fg, x, y: x.topk(2, 1).values, "kthvalue": lambda fg, x, y: x.kthvalue(2, 1).values,
}
VIEWS = {
    "getitem_slice": lambda fg, x, y: x[1:3, ::2], "getitem_int": lambda fg, x, y: x[2],
    "getitem_tensor": lambda fg, x, y: x[fg.tensor([0, 2, 2])],
    "getitem_mask": lambda fg, x, y: x[x > 0], "getitem_ellipsis": lambda fg, x, y: x[..., None, 1],
    "transpose": lambda fg, x, y: x.t(), "view": lambda fg, x, y: x.view(5, 4),
    "reshape": lambda fg, x, y: x.t().reshape(-1), "permute": lambda fg, x, y: x[None].permute(2, 0, 1),
    "expand": lambda fg, x, y: x[:, :1].expand(4, 7), "unbind": lambda fg, x, y: fg.stack(x.unbind(0)),
    "split": lambda fg, x, y: fg.cat(x.split(2, 1), 1), "chunk": lambda fg, x, y: x.chunk(3, 1)[1],
    "narrow": lambda fg, x, y: x.narrow(1, 1, 2), "diagonal": lambda fg, x, y: x.diagonal(),
    "unfold": lambda fg, x, y: x.unfold(1, 2, 1), "as_strided": lambda fg, x, y: x.as_strided((2, 2), (1, 2)),
    "gather": lambda fg, x, y: x.gather(1, fg.tensor([[0], [1], [2], [3]])),
    "index_select": lambda fg, x, y: x.index_select(1, fg.tensor([4, 0])),
    "masked_select": lambda fg, x, y: x.masked_select(y > 0),
    "flip": lambda fg, x, y: x.flip(0), "roll": lambda fg, x, y: x.roll(2, 1),
    "repeat": lambda fg, x, y: x.repeat(2, 1), "tril": lambda fg, x, y: x.tril(),
}
LINALG_FFT = {
    "matmul": lambda fg, x, y: x @ y.t(), "einsum": lambda fg, x, y: fg.einsum("ij,kj->ik", x, y),
    "inv": lambda fg, x, y: fg.linalg.inv(x @ x.t() + fg.eye(4, dtype=x.dtype)),
    "det": lambda fg, x, y: fg.linalg.det(x[:, :4]), "solve": lambda fg, x, y: fg.linalg.solve(x[:, :4] + 4 * fg.eye(4, dtype=x.dtype), y),
    "qr": lambda fg, x, y: fg.linalg.qr(x)[1], "svd": lambda fg, x, y: fg.linalg.svdvals(x),
    "eigh": lambda fg, x, y: fg.linalg.eigh(x @ x.t())[0], "cholesky": lambda fg, x, y: fg.linalg.cholesky(x @ x.t() + fg.eye(4, dtype=x.dtype)),
    "lstsq": lambda fg, x, y: fg.linalg.lstsq(x.t(), y.t()).solution, "pinv": lambda fg, x, y: fg.linalg.pinv(x),
    "matrix_norm": lambda fg, x, y: fg.linalg.matrix_norm(x), "vector_norm": lambda fg, x, y: fg.linalg.vector_norm(x, 3),
    "fft": lambda fg, x, y: fg.fft.fft(x).abs(), "rfft": lambda fg, x, y: fg.fft.rfft(x).real,
    "irfft": lambda fg, x, y: fg.fft.irfft(fg.fft.rfft(x), 5), "fft2": lambda fg, x, y: fg.fft.fft2(x).imag,
    "fftshift": lambda fg, x, y: fg.fft.fftshift(x), "complex": lambda fg, x, y: fg.complex(x, y).abs(),
}
NN_FUNCTIONAL = {
    "relu": lambda fg, x, y: fg.nn.functional.relu(x), "gelu": lambda fg, x, y: fg.nn.functional.gelu(x),
    "silu": lambda fg, x, y: fg.nn.functional.silu(x), "log_softmax": lambda fg, x, y: fg.nn.functional.log_softmax(x, 1),
    "linear": lambda fg, x, y: fg.nn.functional.linear(x, y[:3], y[0, :3]),
    "layer_norm": lambda fg, x, y: fg.nn.functional.layer_norm(x, (5,)),
    "dropout_eval": lambda fg, x, y: fg.nn.functional.dropout(x, 0.5, training=False),
    "mse_loss": lambda fg, x, y: fg.nn.functional.mse_loss(x, y), "smooth_l1": lambda fg, x, y: fg.nn.functional.smooth_l1_loss(x, y),
    "cross_entropy": lambda fg, x, y: fg.nn.functional.cross_entropy(x, fg.tensor([0, 1, 4, 2])),
    "nll_loss": lambda fg, x, y: fg.nn.functional.nll_loss(x.log_softmax(1), fg.tensor([0, 1, 4, 2])),
    "bce_logits": lambda fg, x, y: fg.nn.functional.binary_cross_entropy_with_logits(x, y.sigmoid()),
    "kl_div": lambda fg, x, y: fg.nn.functional.kl_div(x.log_softmax(1), y.softmax(1), reduction="batchmean"),
    "conv1d": lambda fg, x, y: fg.nn.functional.conv1d(x[None], y.reshape(1, 4, 5)[..., :3]),
    "conv2d": lambda fg, x, y: fg.nn.functional.conv2d(x[None, None], y[None, None, :3, :3], padding=1),
    "max_pool1d": lambda fg, x, y: fg.nn.functional.max_pool1d(x[None], 2),
    "avg_pool2d": lambda fg, x, y: fg.nn.functional.avg_pool2d(x[None, None], 2),
    "interpolate": lambda fg, x, y: fg.nn.functional.interpolate(x[None, None], scale_factor=2.0, mode="bilinear"),
    "pad": lambda fg, x, y: fg.nn.functional.pad(x, (1, 2), mode="reflect"),
    "embedding": lambda fg, x, y: fg.nn.functional.embedding(fg.tensor([0, 3, 3]), x),
    "normalize": lambda fg, x, y: fg.nn.functional.normalize(x, dim=1),
    "cosine_similarity": lambda fg, x, y: fg.nn.functional.cosine_similarity(x, y),
    "sdpa": lambda fg, x, y: fg.nn.functional.scaled_dot_product_attention(x[None], y[None], x[None]),
    "one_hot": lambda fg, x, y: fg.nn.functional.one_hot(fg.tensor([0, 2]), 3),
}
simple("elementwise", ELEMENTWISE)
simple_grad("elementwise", ELEMENTWISE)
simple("reduction", REDUCTIONS)
simple_grad("reduction", REDUCTIONS)
simple_grad("view", VIEWS)
simple_grad("linalg_fft", LINALG_FFT)
simple_grad("nn.functional", {k: v for k, v in NN_FUNCTIONAL.items() if k != "one_hot"})
simple("nn.functional", {"one_hot": NN_FUNCTIONAL["one_hot"]})


# -- indexing set, in-place, in-place on views ---------------------------------------------

SETTERS = {
    "setitem_slice": lambda fg, t, v: t.__setitem__((slice(1, 3),), v[:2]),
    "setitem_scalar": lambda fg, t, v: t.__setitem__((0, 1), 5.0),
    "setitem_mask": lambda fg, t, v: t.__setitem__(t > 0, 0.0),
    "setitem_index": lambda fg, t, v: t.__setitem__(fg.tensor([0, 3]), v[:2]),
    "index_put_accumulate": lambda fg, t, v: t.index_put_((fg.tensor([0, 0]),), v[:2], accumulate=True),
    "view_add_": lambda fg, t, v: t[1].add_(v[0]), "view_mul_": lambda fg, t, v: t[:, 1:3].mul_(2),
    "t_view_copy_": lambda fg, t, v: t.t()[0].copy_(v[:, 0]),
    "diagonal_fill_": lambda fg, t, v: t.diagonal().fill_(1.0),
    "masked_fill_": lambda fg, t, v: t.masked_fill_(v > 0, -1.0),
    "scatter_add_": lambda fg, t, v: t.scatter_add_(1, fg.tensor([[0, 1]] * 4), v[:, :2]),
    "index_add_": lambda fg, t, v: t.index_add_(0, fg.tensor([1, 1]), v[:2]),
    "clamp_": lambda fg, t, v: t.clamp_(-0.1, 0.1), "relu_": lambda fg, t, v: t.relu_(),
    "sigmoid_out_": lambda fg, t, v: t.exp_(),
    "unsqueeze_": lambda fg, t, v: t.unsqueeze_(0), "resize_": lambda fg, t, v: t.detach().resize_(2, 2),
}
for _name, _fn in SETTERS.items():
    def _make_set(fg, fn=_fn):
        x, v = leaf(fg, 4, 5), leaf(fg, 4, 5, seed=1)

        def step():
            t = x * 1.0
            fn(fg, t, v)
            (t * t).sum().backward()
            return t
        return step
    CASES.append(("inplace", _name + "+bw", _make_set))

    def _make_set_nograd(fg, fn=_fn):
        x, v = data(fg, 4, 5), data(fg, 4, 5, seed=1)

        def step():
            t = x.clone()
            fn(fg, t, v)
            return t
        return step
    CASES.append(("inplace", _name, _make_set_nograd))


# -- modules and optimizers ------------------------------------------------------------------

def module_case(name, build, shape, loss=lambda out: out.sum()):
    def make(fg):
        fg.manual_seed(0)
        m = build(fg).double()
        x = data(fg, *shape)

        def step():
            out = m(x)
            out = out[0] if isinstance(out, tuple) else out
            loss(out).backward()
            return out
        return step
    CASES.append(("module", name, make))


module_case("Linear", lambda fg: fg.nn.Linear(5, 3), (4, 5))
module_case("Sequential", lambda fg: fg.nn.Sequential(fg.nn.Linear(5, 8), fg.nn.Tanh(), fg.nn.Linear(8, 2)), (4, 5))
module_case("Conv2d+BN", lambda fg: fg.nn.Sequential(fg.nn.Conv2d(1, 2, 3), fg.nn.BatchNorm2d(2)), (2, 1, 5, 5))
module_case("LSTM", lambda fg: fg.nn.LSTM(5, 3, batch_first=True), (2, 4, 5))
module_case("GRU", lambda fg: fg.nn.GRU(5, 3), (4, 2, 5))
module_case("RNN", lambda fg: fg.nn.RNN(5, 3, num_layers=2), (4, 2, 5))
module_case("MultiheadAttention", lambda fg: _SelfAttention(fg), (2, 3, 4))
module_case("TransformerEncoderLayer", lambda fg: fg.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, batch_first=True), (2, 3, 4))
module_case("Embedding", lambda fg: _EmbeddingSum(fg), (3, 5))
module_case("LayerNorm+Dropout", lambda fg: fg.nn.Sequential(fg.nn.LayerNorm(5), fg.nn.Dropout(0.3)), (4, 5))
module_case("GroupNorm", lambda fg: fg.nn.GroupNorm(2, 4), (2, 4, 3))
module_case("ConvTranspose1d", lambda fg: fg.nn.ConvTranspose1d(4, 2, 3), (2, 4, 5))


def _SelfAttention(fg):
    class SelfAttention(fg.nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = fg.nn.MultiheadAttention(4, 2, batch_first=True)

        def forward(self, x):
            return self.inner(x, x, x)[0]
    return SelfAttention()


def _EmbeddingSum(fg):
    class EmbeddingSum(fg.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = fg.nn.Embedding(10, 3)

        def forward(self, x):
            return self.emb((x.abs() * 3).long())
    return EmbeddingSum()


def optimizer_case(name, build):
    def make(fg):
        fg.manual_seed(0)
        net = fg.nn.Linear(5, 2).double()
        opt = build(fg, net.parameters())
        x = data(fg, 4, 5)

        def step():
            opt.zero_grad()
            loss = net(x).pow(2).mean()
            loss.backward()
            opt.step()
            return loss
        return step
    CASES.append(("optimizer", name, make))


optimizer_case("SGD_momentum", lambda fg, p: fg.optim.SGD(p, lr=0.01, momentum=0.9, nesterov=True))
optimizer_case("Adam", lambda fg, p: fg.optim.Adam(p, lr=1e-3, amsgrad=True))
optimizer_case("AdamW", lambda fg, p: fg.optim.AdamW(p, lr=1e-3))
optimizer_case("RMSprop", lambda fg, p: fg.optim.RMSprop(p, lr=1e-3, centered=True))
optimizer_case("Adagrad", lambda fg, p: fg.optim.Adagrad(p, lr=1e-2))
optimizer_case("Adamax", lambda fg, p: fg.optim.Adamax(p))
optimizer_case("NAdam", lambda fg, p: fg.optim.NAdam(p))
optimizer_case("RAdam", lambda fg, p: fg.optim.RAdam(p))
optimizer_case("Adadelta", lambda fg, p: fg.optim.Adadelta(p))
optimizer_case("Rprop", lambda fg, p: fg.optim.Rprop(p))
optimizer_case("ASGD", lambda fg, p: fg.optim.ASGD(p))


@case("optimizer")
def LBFGS(fg):
    fg.manual_seed(0)
    net = fg.nn.Linear(5, 2).double()
    opt = fg.optim.LBFGS(net.parameters(), max_iter=3)
    x = data(fg, 4, 5)

    def closure():
        opt.zero_grad()
        loss = net(x).pow(2).mean()
        loss.backward()
        return loss
    return lambda: opt.step(closure)


@case("optimizer")
def Adam_with_scheduler_and_state_dict(fg):
    fg.manual_seed(0)
    net = fg.nn.Linear(5, 2).double()
    opt = fg.optim.Adam(net.parameters())
    sched = fg.optim.lr_scheduler.OneCycleLR(opt, 0.1, total_steps=10 ** 6)
    x = data(fg, 4, 5)

    def step():
        opt.zero_grad()
        net(x).sum().backward()
        opt.step()
        sched.step()
        return opt.state_dict()
    return step


# -- autograd machinery ----------------------------------------------------------------------

def _functions(fg):
    class SaveBoth(fg.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            ctx.scale = 2.0
            return a * b

        @staticmethod
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            return g * b * ctx.scale / 2, g * a

    class SaveOutput(fg.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            out = a.exp()
            ctx.save_for_backward(out)
            return out

        @staticmethod
        def backward(ctx, g):
            (out,) = ctx.saved_tensors
            return g * out

    class SetupContext(fg.autograd.Function):
        @staticmethod
        def forward(a):
            return a.sin()

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])
            ctx.mark_non_differentiable()

        @staticmethod
        def backward(ctx, g):
            (a,) = ctx.saved_tensors
            return g * a.cos()

    class Once(fg.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a.clone(), a.sum()

        @staticmethod
        @fg.autograd.function.once_differentiable
        def backward(ctx, g, h):
            return g + h
    return SaveBoth, SaveOutput, SetupContext, Once


@case("autograd")
def function_save_for_backward(fg):
    save_both, save_output, setup_context, once = _functions(fg)
    x, y = leaf(fg, 4, 5), leaf(fg, 4, 5, seed=1)

    def step():
        out = save_output.apply(save_both.apply(x, y).tanh()) + setup_context.apply(x)
        out = out + once.apply(y)[0]
        out.sum().backward()
        return out
    return step


@case("autograd")
def function_double_backward(fg):
    save_both = _functions(fg)[0]
    x, y = leaf(fg, 4, 5), leaf(fg, 4, 5, seed=1)

    def step():
        g, = fg.autograd.grad(save_both.apply(x, y).pow(2).sum(), x, create_graph=True)
        g.sum().backward()
        return g
    return step


@case("autograd")
def grad_create_graph_twice(fg):
    x = leaf(fg, 6)
    return lambda: fg.autograd.grad(fg.autograd.grad((x ** 4).sum(), x, create_graph=True)[0].sum(), x)[0]


@case("autograd")
def backward_retain_graph_twice(fg):
    x = leaf(fg, 6)

    def step():
        out = (x.exp() * x).sum()
        out.backward(retain_graph=True)
        out.backward()
        return out
    return step


@case("autograd")
def tensor_hooks(fg):
    x = leaf(fg, 4, 5)

    def step():
        t = x * 2
        t.register_hook(lambda g: g * 2)
        t.retain_grad()
        h = x.register_hook(lambda g: g + 1)
        p = x.register_post_accumulate_grad_hook(lambda p: None)
        t.sum().backward()
        h.remove()
        p.remove()
        return t.grad
    return step


@case("autograd")
def node_hooks(fg):
    x = leaf(fg, 4, 5)

    def step():
        t = x.sin()
        t.grad_fn.register_hook(lambda gi, go: None)
        t.grad_fn.register_prehook(lambda go: None)
        t.sum().backward()
        return t.grad_fn.next_functions
    return step


@case("autograd")
def module_hooks(fg):
    net = fg.nn.Linear(5, 3).double()
    x = leaf(fg, 4, 5)

    def step():
        hs = [net.register_forward_hook(lambda m, i, o: None),
              net.register_forward_pre_hook(lambda m, i: None),
              net.register_full_backward_hook(lambda m, gi, go: None),
              net.register_full_backward_pre_hook(lambda m, go: None)]
        out = net(x)
        out.sum().backward()
        for h in hs:
            h.remove()
        return out
    return step


@case("autograd")
def saved_tensors_hooks(fg):
    x = leaf(fg, 4, 5)

    def step():
        with fg.autograd.graph.saved_tensors_hooks(lambda t: t.clone(), lambda t: t):
            out = (x * x).exp()
        out.sum().backward()
        return out
    return step


@case("autograd")
def save_on_cpu(fg):
    x = leaf(fg, 4, 5)

    def step():
        with fg.autograd.graph.save_on_cpu():
            out = (x * x).tanh()
        out.sum().backward()
        return out
    return step


@case("autograd")
def checkpoint_non_reentrant(fg):
    from importlib import import_module
    checkpoint = import_module(fg.__name__ + ".utils.checkpoint").checkpoint
    x = leaf(fg, 4, 5)
    return backward_of(lambda: checkpoint(lambda a: (a * 2).sin().exp(), x, use_reentrant=False))


@case("autograd")
def checkpoint_reentrant(fg):
    from importlib import import_module
    checkpoint = import_module(fg.__name__ + ".utils.checkpoint").checkpoint
    x = leaf(fg, 4, 5)
    return backward_of(lambda: checkpoint(lambda a: (a * 2).sin().exp(), x, use_reentrant=True))


@case("autograd")
def checkpoint_sequential(fg):
    from importlib import import_module
    cs = import_module(fg.__name__ + ".utils.checkpoint").checkpoint_sequential
    net = fg.nn.Sequential(fg.nn.Linear(5, 5), fg.nn.Tanh(), fg.nn.Linear(5, 5)).double()
    x = leaf(fg, 4, 5)
    return backward_of(lambda: cs(net, 2, x, use_reentrant=False))


@case("autograd")
def forward_ad(fg):
    from importlib import import_module
    fwad = import_module(fg.__name__ + ".autograd.forward_ad")
    x = data(fg, 4, 5)

    def step():
        with fwad.dual_level():
            dual = fwad.make_dual(x, fg.ones_like(x))
            return fwad.unpack_dual((dual.sin() * dual).sum()).tangent
    return step


@case("autograd")
def functional_jacobian_hessian(fg):
    x = data(fg, 3)
    return lambda: (fg.autograd.functional.jacobian(lambda a: a.sin() * a, x),
                    fg.autograd.functional.hessian(lambda a: (a ** 3).sum(), x))


@case("autograd")
def anomaly_mode(fg):
    x = leaf(fg, 4, 5)

    def step():
        with fg.autograd.detect_anomaly(check_nan=True):
            out = (x * 2).exp()
            out.sum().backward()
        return out
    return step


@case("autograd")
def no_grad_inference_mode(fg):
    x = leaf(fg, 4, 5)

    def step():
        with fg.no_grad():
            a = x * 2
        with fg.inference_mode():
            b = x * 3
        with fg.enable_grad():
            c = (x * 4).sum()
        return a, b, c
    return step


@case("autograd")
def detach_and_data(fg):
    x = leaf(fg, 4, 5)

    def step():
        t = x * 2
        d = t.detach()
        d.add_(1)
        return d, t.data, x.data.clone()
    return step


@case("func")
def func_grad(fg):
    x = data(fg, 4, 5)
    return lambda: fg.func.grad(lambda a: (a.sin() * a).sum())(x)


@case("func")
def func_vmap(fg):
    x = data(fg, 4, 5)
    return lambda: fg.func.vmap(lambda a: a * 2 + a.sum())(x)


@case("func")
def func_jacrev_jvp_vjp(fg):
    x = data(fg, 5)
    return lambda: (fg.func.jacrev(lambda a: a.sin())(x), fg.func.jvp(lambda a: a.exp(), (x,), (x,))[1],
                    fg.func.vjp(lambda a: a.tanh(), x)[1](x)[0])


@case("func")
def func_functional_call(fg):
    net = fg.nn.Linear(5, 3).double()
    params = dict(net.named_parameters())
    x = data(fg, 4, 5)
    return lambda: fg.func.functional_call(net, params, (x,))


# -- sparse, data, pickling, printing --------------------------------------------------------

@case("sparse")
def sparse_coo(fg):
    i = fg.tensor([[0, 1, 1], [2, 0, 2]])
    v = leaf(fg, 3)

    def step():
        s = fg.sparse_coo_tensor(i, v, (2, 3))
        out = fg.sparse.mm(s, fg.ones(3, 2, dtype=fg.float64)).sum() + s.to_dense().sum()
        out.backward()
        return s.coalesce()
    return step


@case("sparse")
def sparse_csr(fg):
    d = data(fg, 4, 5)
    return lambda: (d.relu().to_sparse_csr().to_dense(), d.to_sparse().t().coalesce().values())


@case("data")
def dataloader(fg):
    from importlib import import_module
    ud = import_module(fg.__name__ + ".utils.data")
    ds = ud.TensorDataset(data(fg, 10, 3), fg.arange(10))
    return lambda: [b[0].sum() for b in ud.DataLoader(ds, batch_size=3, shuffle=True)]


@case("data")
def dataloader_random_split(fg):
    from importlib import import_module
    ud = import_module(fg.__name__ + ".utils.data")
    ds = ud.TensorDataset(data(fg, 10, 3))
    return lambda: [len(p) for p in ud.random_split(ds, [0.5, 0.5])] + [len(list(ud.DataLoader(ds, batch_size=4)))]


@case("pickle")
def pickle_tensor(fg):
    x = data(fg, 4, 5)
    return lambda: pickle.loads(pickle.dumps((x, x[1:], x.long())))


@case("pickle")
def save_load_state_dict(fg):
    net = fg.nn.Linear(5, 3).double()

    def step():
        buf = io.BytesIO()
        fg.save(net.state_dict(), buf)
        buf.seek(0)
        net.load_state_dict(fg.load(buf))
        return buf
    return step


@case("pickle")
def deepcopy_module(fg):
    net = fg.nn.Linear(5, 3).double()
    x = leaf(fg, 4, 5)
    return lambda: (copy.deepcopy(net), copy.deepcopy(x), copy.copy(x))


@case("printing")
def repr_tensors(fg):
    x, y = leaf(fg, 4, 5), data(fg, 300, 300)
    return lambda: (repr(x * 2), str(y), repr(fg.tensor([1, 2])), repr(fg.complex(x, x).detach()), repr(x.grad_fn))


@case("printing")
def format_and_tolist(fg):
    x = data(fg, 4, 5)
    return lambda: (f"{x[0, 0]:.3f}", x.tolist(), x.numpy().sum(), x[0, 0].item())


def _bad(fg, fn):
    def step():
        try:
            fn()
        except (RuntimeError, TypeError, ValueError, IndexError) as e:
            return type(e)
        raise AssertionError("no error")
    return step


BAD = {
    "bad_add_shapes": lambda fg, x: x + x[:2, :2],
    "bad_matmul": lambda fg, x: x @ x,
    "bad_index": lambda fg, x: x[10],
    "bad_view": lambda fg, x: x.t().view(-1),
    "bad_kwarg": lambda fg, x: x.sum(dimm=1),
    "bad_dtype_arg": lambda fg, x: fg.zeros(2, dtype="float"),
    "bad_inplace_leaf": lambda fg, x: x.add_(1),
    "bad_backward_twice": lambda fg, x: [(o := (x.exp()).sum()).backward(), o.backward()],
    "bad_grad_of_unused": lambda fg, x: fg.autograd.grad((x * 2).sum(), fg.ones(1, requires_grad=True)),
    "bad_version": lambda fg, x: [(t := x * 1), (o := t.sin()), t.add_(1), o.sum().backward()],
    "bad_cross_entropy": lambda fg, x: fg.nn.functional.cross_entropy(x, fg.tensor([9, 0, 0, 0])),
    "bad_cat": lambda fg, x: fg.cat([x, x[:, :2]]),
    "bad_linalg": lambda fg, x: fg.linalg.inv(x),
    "bad_function_backward": lambda fg, x: _BAD_BACKWARD[fg.__name__].apply(x).sum().backward(),
}


_BAD_BACKWARD: dict = {}


def _BadBackward(fg):
    class BadBackward(fg.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return g[:1]
    return BadBackward


for _name, _fn in BAD.items():
    def _make_bad(fg, fn=_fn):
        x = leaf(fg, 4, 5)
        if fg.__name__ not in _BAD_BACKWARD:  # one class per module: a class is a cycle of its own
            _BAD_BACKWARD[fg.__name__] = _BadBackward(fg)
        warnings.simplefilter("ignore")
        return _bad(fg, lambda: fn(fg, x))
    CASES.append(("error", _name, _make_bad))
