"""Forward AD corner cases: views, detach, no_grad, flags, in-place, mixed with backward."""

from autograd_scenarios import limitation, scenario, submodule


def _dual(m, p=(1.0, 2.0), tg=(1.0, -1.0)):
    fa = submodule(m, "autograd.forward_ad")
    return fa, fa.make_dual(m.tensor(p), m.tensor(tg))


def _level(m):
    return submodule(m, "autograd.forward_ad").dual_level()


@scenario
@limitation('emulated forward AD: duals and their results report requires_grad=True and a grad_fn')
def fwd_dual_flags(m):
    with _level(m):
        _fa, d = _dual(m)
        y = d * 2
        return d.requires_grad, d.is_leaf, d.grad_fn, y.requires_grad, y.grad_fn


@scenario
def fwd_view_of_dual(m):
    with _level(m):
        fa, d = _dual(m)
        return fa.unpack_dual(d[1:]).tangent, fa.unpack_dual(d.view(2, 1)).tangent


@scenario
def fwd_detach_drops_tangent(m):
    with _level(m):
        fa, d = _dual(m)
        return fa.unpack_dual(d.detach()).tangent


@scenario
@limitation('emulated forward AD: no_grad inside a dual level stops the tangents')
def fwd_no_grad_keeps_tangent(m):
    with _level(m):
        fa, d = _dual(m)
        with m.no_grad():
            y = d * 3
        return fa.unpack_dual(y).tangent


@scenario
def fwd_primal_is_view(m):
    with _level(m):
        p = m.tensor([1.0, 2.0])
        fa = submodule(m, "autograd.forward_ad")
        d = fa.make_dual(p, m.tensor([1.0, 1.0]))
        prim = fa.unpack_dual(d).primal
        return prim._base is p, d._base is p


@scenario
def fwd_inplace_on_view_of_dual(m):
    with _level(m):
        fa, d = _dual(m)
        y = d * 1
        y[0:1].mul_(5)
        return fa.unpack_dual(y).tangent


@scenario
def fwd_inplace_copy_dual_into_plain(m):
    with _level(m):
        fa, d = _dual(m)
        p = m.zeros(3)
        p[1:].copy_(d)
        return fa.unpack_dual(p).tangent


@scenario
@limitation("emulated forward AD: the tangent's grad_fn is that of the double-vjp, not of the op")
def fwd_make_dual_of_requires_grad(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    with _level(m):
        fa = submodule(m, "autograd.forward_ad")
        d = fa.make_dual(x, m.tensor([1.0, 0.0]))
        y = (d * d).sum()
        tg = fa.unpack_dual(y).tangent
    y.backward()
    return tg, x.grad


@scenario
def fwd_make_dual_twice_error(m):
    with _level(m):
        fa, d = _dual(m)
        fa.make_dual(d, m.tensor([1.0, 1.0]))


@scenario
def fwd_complex_dual(m):
    with _level(m):
        fa = submodule(m, "autograd.forward_ad")
        d = fa.make_dual(m.tensor([1 + 1j]), m.tensor([1 + 0j]))
        return fa.unpack_dual(d * d).tangent


@scenario
def fwd_integer_output(m):
    with _level(m):
        fa, d = _dual(m)
        return fa.unpack_dual(d.argmax()).tangent, fa.unpack_dual(d > 1).tangent


@scenario
def fwd_tangent_of_sum_shape(m):
    with _level(m):
        fa, d = _dual(m)
        return fa.unpack_dual(d.sum()).tangent.shape


@scenario
def fwd_dual_in_linear(m):
    with _level(m):
        fa, d = _dual(m)
        w = m.tensor([[1.0, 2.0], [3.0, 4.0]])
        return fa.unpack_dual(m.nn.functional.linear(d, w)).tangent


@scenario
def fwd_mul_two_duals(m):
    with _level(m):
        fa = submodule(m, "autograd.forward_ad")
        a = fa.make_dual(m.tensor([2.0]), m.tensor([1.0]))
        b = fa.make_dual(m.tensor([3.0]), m.tensor([10.0]))
        return fa.unpack_dual(a * b).tangent


@scenario
def fwd_unpack_dual_non_tensor(m):
    with _level(m):
        submodule(m, "autograd.forward_ad").unpack_dual(3.0)


@scenario
def fwd_exit_without_enter(m):
    submodule(m, "autograd.forward_ad").exit_dual_level()


@scenario
def fwd_dual_repr_result(m):
    with _level(m):
        _fa, d = _dual(m)
        return repr(d * 2)


@scenario
def fwd_tangent_is_not_copied(m):
    with _level(m):
        fa = submodule(m, "autograd.forward_ad")
        tg = m.tensor([1.0, 1.0])
        d = fa.make_dual(m.tensor([1.0, 2.0]), tg)
        return fa.unpack_dual(d).tangent is tg


@scenario
def fwd_func_jvp_of_inplace(m):
    def f(x):
        y = x.clone()
        y.mul_(2)
        return y

    return submodule(m, "func").jvp(f, (m.tensor([1.0, 2.0]),), (m.tensor([1.0, 0.0]),))
