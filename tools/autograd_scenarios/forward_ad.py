"""Forward-mode AD: dual tensors and tangents of common ops."""

from autograd_scenarios import limitation, scenario, submodule


def _tangent(m, op, primal=(0.5, 1.5), tangent=(1.0, -2.0), dtype=None):
    fa = submodule(m, "autograd.forward_ad")
    dtype = dtype or m.float64
    with fa.dual_level():
        d = fa.make_dual(m.tensor(primal, dtype=dtype), m.tensor(tangent, dtype=dtype))
        return fa.unpack_dual(op(d)).tangent


_OPS = {
    "exp": lambda x: x.exp(),
    "log": lambda x: x.log(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "mul_self": lambda x: x * x,
    "div": lambda x: 1 / x,
    "pow": lambda x: x**3,
    "sqrt": lambda x: x.sqrt(),
    "sum": lambda x: x.sum(),
    "mean": lambda x: x.mean(),
    "relu": lambda x: x.relu(),
    "abs": lambda x: (x - 1).abs(),
    "softmax": lambda x: x.softmax(0),
    "cumsum": lambda x: x.cumsum(0),
    "matmul": lambda x: x.reshape(1, 2) @ x.reshape(2, 1),
    "index": lambda x: x[1],
    "cat": lambda x: type(x).__module__ and __import__(type(x).__module__.split(".")[0]).cat([x, x]),
    "clamp": lambda x: x.clamp(0.6, 1.0),
    "norm": lambda x: x.norm(),
    "atan2": lambda x: __import__(type(x).__module__.split(".")[0]).atan2(x, x + 1),
}


def _make(name, op):
    def run(m):
        return _tangent(m, op)

    run.__name__ = f"fwd_{name}"
    return scenario(run)


for _n, _op in _OPS.items():
    _make(_n, _op)


@scenario
def fwd_outside_dual_level_error(m):
    fa = submodule(m, "autograd.forward_ad")
    fa.make_dual(m.tensor([1.0]), m.tensor([1.0]))


@scenario
def fwd_tangent_wrong_shape(m):
    fa = submodule(m, "autograd.forward_ad")
    with fa.dual_level():
        fa.make_dual(m.tensor([1.0, 2.0]), m.tensor([1.0]))


@scenario
def fwd_tangent_wrong_dtype(m):
    fa = submodule(m, "autograd.forward_ad")
    with fa.dual_level():
        fa.make_dual(m.tensor([1.0]), m.tensor([1.0], dtype=m.float64))


@scenario
def fwd_integer_primal(m):
    fa = submodule(m, "autograd.forward_ad")
    with fa.dual_level():
        fa.make_dual(m.tensor([1]), m.tensor([1]))


@scenario
def fwd_unpack_plain(m):
    fa = submodule(m, "autograd.forward_ad")
    with fa.dual_level():
        p, tg = fa.unpack_dual(m.tensor([1.0]))
        return p, tg, type(fa.unpack_dual(m.tensor([1.0]))).__name__


@scenario
def fwd_nested_dual_level_error(m):
    fa = submodule(m, "autograd.forward_ad")
    with fa.dual_level(), fa.dual_level():
        pass


@scenario
def fwd_tangent_gone_after_level(m):
    fa = submodule(m, "autograd.forward_ad")
    with fa.dual_level():
        d = fa.make_dual(m.tensor([1.0]), m.tensor([1.0]))
    return fa.unpack_dual(d).tangent


@scenario
def fwd_dual_repr(m):
    fa = submodule(m, "autograd.forward_ad")
    with fa.dual_level():
        d = fa.make_dual(m.tensor([1.0]), m.tensor([2.0]))
        return repr(d)


@scenario
@limitation('a dual tensor is emulated as a hidden leaf of the reverse graph, so in-place on it is refused; needs native forward AD')
def fwd_inplace_on_dual(m):
    fa = submodule(m, "autograd.forward_ad")
    with fa.dual_level():
        d = fa.make_dual(m.tensor([1.0, 2.0]), m.tensor([1.0, 1.0]))
        d.mul_(3)
        return fa.unpack_dual(d).tangent


@scenario
def fwd_inplace_plain_with_dual(m):
    fa = submodule(m, "autograd.forward_ad")
    with fa.dual_level():
        d = fa.make_dual(m.tensor([1.0, 2.0]), m.tensor([1.0, 1.0]))
        p = m.tensor([5.0, 5.0])
        p.mul_(d)
        return fa.unpack_dual(p).tangent


@scenario
def fwd_and_backward_together(m):
    fa = submodule(m, "autograd.forward_ad")
    x = m.tensor([2.0], requires_grad=True)
    with fa.dual_level():
        d = fa.make_dual(x, m.tensor([1.0]))
        y = d * d
        jvp = fa.unpack_dual(y).tangent
        y.sum().backward()
    return jvp, x.grad


@scenario
def fwd_enter_exit_dual_level(m):
    fa = submodule(m, "autograd.forward_ad")
    lvl = fa.enter_dual_level()
    d = fa.make_dual(m.tensor([1.0]), m.tensor([3.0]))
    tg = fa.unpack_dual(d * 2).tangent
    fa.exit_dual_level()
    return lvl, tg


@scenario
def fwd_unpacked_dual_fields(m):
    fa = submodule(m, "autograd.forward_ad")
    with fa.dual_level():
        u = fa.unpack_dual(fa.make_dual(m.tensor([1.0]), m.tensor([3.0])))
        return u._fields, u.primal, u.tangent
