"""Custom Function, saved-tensor hooks, anomaly mode and engine callbacks, after
PyTorch's test_autograd (test_custom_function_*, TestAutogradSavedTensorHooks...)."""

from autograd_scenarios import limitation, scenario, submodule


def _apply(m, forward, backward, *args, setup=None, **extra):
    attrs = {"forward": staticmethod(forward), "backward": staticmethod(backward)}
    if setup is not None:
        attrs["setup_context"] = staticmethod(setup)
    attrs.update({k: staticmethod(v) for k, v in extra.items()})
    cls = type("MyFn", (m.autograd.Function,), attrs)
    return cls.apply(*args)


@scenario
def cf_non_tensor_inputs_outputs(m):
    def forward(ctx, t1, t2, scale, t3):
        t4 = t1 + t2 * t3
        t5 = t1 * t2 + t3
        t4 *= scale
        t5 *= scale
        ctx.scale = scale
        ctx.save_for_backward(t1, t2, t3)
        return scale, t4, None, True, t5, "bar", t1

    def backward(ctx, *grads):
        t1, t2, t3 = ctx.saved_tensors
        scale = ctx.scale
        return (grads[1] * scale + grads[4] * scale * t2, grads[1] * scale * t3 + grads[4] * scale * t1,
                None, grads[1] * scale * t2 + grads[4] * scale)

    t1 = m.tensor([1.0, 2.0], requires_grad=True)
    t2 = m.tensor([3.0, 4.0], requires_grad=True)
    t3 = m.tensor([5.0, 6.0])
    res = _apply(m, forward, backward, t1, t2, 4, t3)
    out = [type(r).__name__ for r in res]
    out.append([r.requires_grad for r in res if isinstance(r, m.Tensor)])
    (res[1].sum() + res[4].sum() + res[6].sum()).backward()
    return out, t1.grad, t2.grad, t3.grad


@scenario
def cf_no_tensors(m):
    def forward(ctx, t1, t2, scale, t3):
        return scale * 2, t1, None

    def backward(ctx, *args):
        return (args[0], args[1], None, None)

    return _apply(m, forward, backward, 1.0, 2.0, 4, 3.0)


@scenario
@limitation("the core keeps the version a view had when made: a custom Function's output that is a view modified in place inside forward counts as stale; PyTorch records the version when the Function wraps it")
def cf_local_inplace(m):
    def forward(ctx, inp, inplace):
        view = inp.clone()[:3]
        if inplace:
            view += 2
        return view

    def backward(ctx, grad):
        return grad, None

    inp = m.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    a = _apply(m, forward, backward, inp.clone(), False)
    b = _apply(m, forward, backward, inp.clone(), True)
    return a.grad_fn.name(), b.grad_fn.name(), b


@scenario
def cf_error_forward_not_overridden(m):
    class BadFw(m.autograd.Function):
        @staticmethod
        def backward(ctx, foo):
            return foo

    BadFw.apply(m.rand(1, requires_grad=True))


@scenario
def cf_error_backward_not_overridden(m):
    class BadBw(m.autograd.Function):
        @staticmethod
        def forward(ctx, foo):
            return foo.clone()

    inp = m.rand(1, requires_grad=True)
    BadBw.apply(inp).sum().backward()


@scenario
def cf_error_backward_not_overridden_no_grad(m):
    class BadBw2(m.autograd.Function):
        @staticmethod
        def forward(ctx, foo):
            return foo.clone()

        @staticmethod
        def backward(ctx, *args):
            raise NotImplementedError("should not be called")

    inp = m.rand(1)
    return BadBw2.apply(inp).requires_grad


@scenario
def cf_setup_context_simple(m):
    class MySquare(m.autograd.Function):
        @staticmethod
        def forward(x):
            return x**2

        @staticmethod
        def setup_context(ctx, inputs, output):
            (x,) = inputs
            ctx.save_for_backward(x)

        @staticmethod
        def backward(ctx, gO):
            (x,) = ctx.saved_tensors
            return gO * 2 * x

    x = m.tensor([1.0, 3.0], requires_grad=True)
    y = MySquare.apply(x)
    (gx,) = m.autograd.grad(y.sum(), x)
    return gx, y.grad_fn.name()


@scenario
def cf_setup_context_multi_output(m):
    class MyReturnsTuple(m.autograd.Function):
        @staticmethod
        def forward(x):
            return x * 2, x * 3

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.n_outputs = len(output)

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 3 + ctx.n_outputs

    x = m.tensor([1.0, 3.0], requires_grad=True)
    a, b = MyReturnsTuple.apply(x)
    (a + b).sum().backward()
    return x.grad


@scenario
def cf_setup_context_multi_input(m):
    class MyReshape(m.autograd.Function):
        @staticmethod
        def forward(x, shape, scale_forward, scale_backward):
            return x.reshape(shape) * scale_forward

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, _shape, _scale_forward, scale_backward = inputs
            ctx.scale_backward = scale_backward
            ctx.x_shape = x.shape

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output.reshape(ctx.x_shape) * ctx.scale_backward, None, None, None

    x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = MyReshape.apply(x, (4,), 2.0, 3.0)
    y.sum().backward()
    return y, x.grad


@scenario
def cf_setup_context_when_forward_has_default_args(m):
    class PowFunction(m.autograd.Function):
        @staticmethod
        def forward(x, y=3):
            return m.pow(x, y)

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, y = inputs
            ctx.save_for_backward(x)
            ctx.y = y

        @staticmethod
        def backward(ctx, gO):
            (x,) = ctx.saved_tensors
            y = ctx.y
            return gO * y * m.pow(x, y - 1), None

    x = m.tensor([2.0], requires_grad=True)
    a = PowFunction.apply(x)
    a.backward()
    g1 = x.grad.clone()
    x.grad = None
    PowFunction.apply(x, y=2).backward() if False else PowFunction.apply(x, 2).backward()
    return a, g1, x.grad


@scenario
def cf_setup_context_forward_with_ctx_error(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def setup_context(ctx, inputs, output):
            pass

        @staticmethod
        def backward(ctx, g):
            return g

    F.apply(m.tensor([1.0], requires_grad=True))


@scenario
def cf_invalid_gradients_shape(m):
    def forward(ctx, x):
        return x * 2

    def backward(ctx, grad_output):
        return m.randn(10, dtype=m.float)

    inp = m.randn(5, 5, dtype=m.float, requires_grad=True)
    _apply(m, forward, backward, inp).sum().backward()


@scenario
def cf_invalid_gradients_dtype_cast(m):
    def forward(ctx, x):
        return x * 2

    def backward(ctx, grad_output):
        return grad_output.double()

    inp = m.tensor([1.0, 2.0], requires_grad=True)
    _apply(m, forward, backward, inp).sum().backward()
    return inp.grad.dtype, inp.grad


@scenario
def cf_invalid_gradients_complex_for_real(m):
    def forward(ctx, x):
        return x * 2

    def backward(ctx, grad_output):
        return grad_output * (1 + 1j)

    inp = m.tensor([1.0, 2.0], requires_grad=True)
    _apply(m, forward, backward, inp).sum().backward()
    return inp.grad


@scenario
def cf_naughty_ctx_saved_tensors_after_backward(m):
    class Id(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    x = m.zeros(1, requires_grad=True)
    y = Id.apply(x)
    y.backward()
    return y.grad_fn.saved_tensors


@scenario
@limitation("the core frees a custom Function's saved tensors when its output dies, even while the ctx is kept alive by the user")
def cf_naughty_stashing_ctx(m):
    saved_ctx = []

    class Id(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x

        @staticmethod
        def backward(ctx, grad_x):
            saved_ctx.append(ctx)
            return ctx.saved_tensors

    p = m.zeros(1, requires_grad=True)
    loss = Id.apply(p)
    loss.backward(retain_graph=True)
    del loss
    return saved_ctx[0].saved_tensors


@scenario
@limitation("a custom Function's node keeps its saved tensors in the core's _FunctionBase, which has no _raw_saved_tensors")
def cf_naughty_attribute_access(m):
    class Id(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, grad_x):
            return grad_x

    x = m.zeros(1, requires_grad=True)
    y = Id.apply(x)
    out = [type(y.grad_fn).__name__, y.grad_fn.name(), isinstance(y.grad_fn, m.autograd.function.BackwardCFunction)]
    try:
        out.append(len(y.grad_fn._raw_saved_tensors))
    except Exception as e:  # noqa: BLE001
        out.append((type(e).__name__, str(e)))
    out.append(y.grad_fn.needs_input_grad)
    out.append(y.grad_fn.saved_tensors)
    return out


@scenario
def cf_repeated_grad_grad(m):
    class Mult(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x * x
            ctx.save_for_backward(x, y)
            return y

        @staticmethod
        def backward(ctx, grad_output):
            x, _y = ctx.saved_tensors
            return grad_output * 2 * x

    x = m.tensor([2.0, 3.0], requires_grad=True)
    y = Mult.apply(x)
    (gx,) = m.autograd.grad(y.sum(), x, create_graph=True)
    (ggx,) = m.autograd.grad(gx.sum(), x, retain_graph=True)
    (ggx2,) = m.autograd.grad(gx.sum(), x)
    return gx, ggx, ggx2


@scenario
def cf_no_early_free(m):
    class Double(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x**2
            ctx.save_for_backward(x, y)
            return y

        @staticmethod
        def backward(ctx, grad_output):
            x, _ = ctx.saved_tensors
            return grad_output * 2 * x

    class Double2(Double):
        @staticmethod
        def backward(ctx, grad_output):
            x, y = ctx.saved_tensors
            return grad_output * 2 * y / x

    x = m.tensor([2.0, 5.0], dtype=m.double, requires_grad=True)
    y = Double.apply(x)
    y.sum().backward(retain_graph=True)
    y.sum().backward()
    g1 = x.grad.clone()
    x.grad = None
    y = Double2.apply(x)
    y.sum().backward(retain_graph=True)
    y.sum().backward()
    return g1, x.grad


@scenario
def cf_save_output_nr(m):
    class MultiOutputFn(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x[:1], x[1:]

        @staticmethod
        def backward(ctx, *grad):
            return m.cat(grad)

    class TestFn(m.autograd.Function):
        @staticmethod
        def forward(ctx, b):
            ctx.save_for_backward(b)
            return b * 2

        @staticmethod
        def backward(ctx, grad_b):
            (b,) = ctx.saved_tensors
            return b.output_nr * 0 + grad_b * 2, b.output_nr

    a = m.tensor([1.0, 2.0], requires_grad=True)
    _, b = MultiOutputFn.apply(a)
    seen = []

    class TestFn2(m.autograd.Function):
        @staticmethod
        def forward(ctx, b):
            ctx.save_for_backward(b)
            return b * 2

        @staticmethod
        def backward(ctx, grad_b):
            (bb,) = ctx.saved_tensors
            seen.append(bb.output_nr)
            return grad_b * 2

    TestFn2.apply(b).sum().backward()
    return b.output_nr, seen, a.grad


@scenario
def cf_mark_non_differentiable_grad_is_zero(m):
    class MyFunction(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            a = x * 2
            ctx.mark_non_differentiable(a)
            return a, x * 3

        @staticmethod
        def backward(ctx, ga, gb):
            return ga + gb

    x = m.tensor([1.0, 2.0], requires_grad=True)
    a, b = MyFunction.apply(x)
    b.sum().backward()
    return x.grad, a.requires_grad


@scenario
def cf_set_materialize_non_diff_grads(m):
    class Func(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            out0 = x.clone()
            out1 = x.clone()
            ctx.mark_non_differentiable(out1)
            ctx._materialize_non_diff_grads = False
            return out0, out1

        @staticmethod
        def backward(ctx, g0, g1):
            return g0 if g1 is None else g0 + 100

    a = m.tensor(1.0, requires_grad=True)
    out = Func.apply(a)[0]
    out.backward()
    return a.grad


@scenario
def cf_forward_mode_inplace_checks(m):
    fa = submodule(m, "autograd.forward_ad")

    class Inplace(m.autograd.Function):
        @staticmethod
        def forward(ctx, foo, bar):
            foo.mul_(2)
            ctx.mark_dirty(foo)
            return foo, bar * 2

        @staticmethod
        def backward(ctx, g1, g2):
            return g1, g2

        @staticmethod
        def jvp(ctx, gfoo, gbar):
            gfoo.mul_(2)
            return gfoo, gbar * 2

    with fa.dual_level():
        foo = fa.make_dual(m.tensor([1.0, 2.0]), m.tensor([1.0, 1.0]))
        bar = fa.make_dual(m.tensor([3.0, 4.0]), m.tensor([0.5, 0.5]))
        r1, r2 = Inplace.apply(foo.clone(), bar)
        return fa.unpack_dual(r1).tangent, fa.unpack_dual(r2).tangent, r1


@scenario
def cf_forward_mode_non_tensor_before_tensor_args(m):
    fa = submodule(m, "autograd.forward_ad")

    class MyFn(m.autograd.Function):
        @staticmethod
        def forward(ctx, nt, x, nt2, y):
            return x * 2 + y * 3

        @staticmethod
        def jvp(ctx, nt, x_t, nt2, y_t):
            return x_t * 2 + y_t * 3

        @staticmethod
        def backward(ctx, g):
            return None, g * 2, None, g * 3

    x = m.tensor(1.0, dtype=m.double)
    t_ = m.tensor(1.0, dtype=m.double)
    y = m.tensor(1.0, dtype=m.double)
    with fa.dual_level():
        dual_x = fa.make_dual(x, t_)
        return fa.unpack_dual(MyFn.apply(1, dual_x, 1, y)).tangent


@scenario
def cf_forward_mode_forward_is_no_op(m):
    fa = submodule(m, "autograd.forward_ad")
    error_regex = "A custom Function's forward is returning a view"

    class ReturnView(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.view_as(x)

        @staticmethod
        def jvp(ctx, x_t):
            return x_t.view_as(x_t)

        @staticmethod
        def backward(ctx, g):
            return g

    with fa.dual_level():
        dual_x = fa.make_dual(m.tensor([1.0]), m.tensor([2.0]))
        try:
            out = ReturnView.apply(dual_x)
            return fa.unpack_dual(out).tangent, error_regex
        except RuntimeError as e:
            return str(e)[:80]


@scenario
def cf_forward_mode_wrong_formula_dtype(m):
    fa = submodule(m, "autograd.forward_ad")

    class UserFn(m.autograd.Function):
        @staticmethod
        def forward(ctx, foo):
            return foo * 2

        @staticmethod
        def jvp(ctx, gI):
            return gI.double()

        @staticmethod
        def backward(ctx, g):
            return g

    with fa.dual_level():
        d = fa.make_dual(m.tensor([1.0]), m.tensor([2.0]))
        UserFn.apply(d)


@scenario
def cf_forward_mode_wrong_formula_shape(m):
    fa = submodule(m, "autograd.forward_ad")

    class UserFn(m.autograd.Function):
        @staticmethod
        def forward(ctx, foo):
            return foo * 2

        @staticmethod
        def jvp(ctx, gI):
            return gI.repeat(2)

        @staticmethod
        def backward(ctx, g):
            return g

    with fa.dual_level():
        d = fa.make_dual(m.tensor([1.0]), m.tensor([2.0]))
        UserFn.apply(d)


@scenario
def cf_once_differentiable_error_message(m):
    from importlib import import_module

    once = import_module(m.__name__ + ".autograd.function").once_differentiable

    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @once
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = m.tensor([1.0, 2.0], requires_grad=True)
    (gx,) = m.autograd.grad(F.apply(x).sum(), x, create_graph=True)
    out = [gx.requires_grad, gx.grad_fn.name()]
    try:
        gx.sum().backward()
    except RuntimeError as e:
        out.append(str(e))
    return out


@scenario
def cf_apply_with_kwargs_old_style(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale=2.0):
            return x * scale

        @staticmethod
        def backward(ctx, g):
            return g, None

    return F.apply(m.tensor([1.0]), scale=3.0)


@scenario
def cf_function_repr_node_class(m):
    class MyFn(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g

    y = MyFn.apply(m.tensor([1.0], requires_grad=True))
    return (type(y.grad_fn).__name__, MyFn._backward_cls.__name__, y.grad_fn._forward_cls is MyFn,
            repr(y).split("grad_fn=")[1])


@scenario
def cf_ctx_needs_input_grad_mixed(m):
    seen = []

    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, a, b, c):
            seen.append(ctx.needs_input_grad)
            return a * b * c

        @staticmethod
        def backward(ctx, g):
            seen.append(ctx.needs_input_grad)
            return g, g, None

    F.apply(m.tensor([1.0], requires_grad=True), m.tensor([2.0]), 3).sum().backward()
    return seen


@scenario
def cf_backward_returns_wrong_number_with_non_tensor(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, a, n):
            return a * n

        @staticmethod
        def backward(ctx, g):
            return g

    F.apply(m.tensor([1.0], requires_grad=True), 3).sum().backward()


@scenario
def cf_backward_grad_for_non_tensor_input_not_none(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, a, n):
            return a * n

        @staticmethod
        def backward(ctx, g):
            return g, g

    F.apply(m.tensor([1.0], requires_grad=True), 3).sum().backward()


@scenario
def cf_input_returned_is_view_with_grad_fn(m):
    class Id(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 3

    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = Id.apply(x)
    y.sum().backward()
    return y is x, y._is_view(), y._base is x, y.grad_fn.name(), x.grad


@scenario
def cf_input_returned_nonleaf(m):
    class Id(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 3

    x = m.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    y = Id.apply(h)
    y.sum().backward()
    return y is h, y.grad_fn.name(), x.grad, h.grad_fn.name()


# ---- saved tensor hooks ----

@scenario
def sth_pack_hook_inplace_fails(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)

    def inc(x):
        x += 1
        return x

    with m.autograd.graph.saved_tensors_hooks(inc, lambda x: x):
        a.sin()


@scenario
def sth_pack_hook_inplace_nonleaf(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)
    b = a * 1

    def inc(x):
        x += 1
        return x

    with m.autograd.graph.saved_tensors_hooks(inc, lambda x: x):
        b.sin()


@scenario
def sth_default_hooks_double_backward(m):
    a = m.tensor([1.0, 2.0], dtype=m.double, requires_grad=True)
    with m.autograd.graph.saved_tensors_hooks(lambda x: 2 * x, lambda x: x):
        y = a**3
        s = m.sum(y)
        (g,) = m.autograd.grad(s, (a,), create_graph=True)
        g.sum().backward()
    return g, a.grad


@scenario
def sth_hooks_count_calls(m):
    calls = []

    def pack(x):
        calls.append(("pack", tuple(x.shape)))
        return x

    def unpack(x):
        calls.append(("unpack", tuple(x.shape)))
        return x

    a = m.tensor([1.0, 2.0], requires_grad=True)
    with m.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = a * a
        z = y.exp()
    z.sum().backward()
    return calls, a.grad


@scenario
def sth_custom_function_intermediates(m):
    class Func(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            intermediate = x.exp()
            ctx.save_for_backward(intermediate.clone().detach_().requires_grad_(True))
            return x.exp()

        @staticmethod
        def backward(ctx, grad_out):
            (intermediate,) = ctx.saved_tensors
            return grad_out * intermediate

    a = m.tensor([1.0, 2.0], requires_grad=True)
    with m.autograd.graph.saved_tensors_hooks(lambda x: x, lambda x: x):
        out = Func.apply(a)
    out.sum().backward()
    return a.grad


@scenario
def sth_save_on_cpu_pin_memory_false(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)
    with m.autograd.graph.save_on_cpu(pin_memory=False):
        y = a * a
    y.sum().backward()
    return a.grad


@scenario
def sth_unpack_returns_non_tensor(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)
    with m.autograd.graph.saved_tensors_hooks(lambda x: x, lambda x: 3):
        y = a * a
    y.sum().backward()


@scenario
def sth_pack_returns_anything(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)
    with m.autograd.graph.saved_tensors_hooks(lambda x: ("boxed", x.tolist()), lambda p: m.tensor(p[1])):
        y = a.pow(2)
    y.sum().backward()
    return a.grad


@scenario
def sth_raw_saved_register_hooks_twice(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)
    y = a.exp()
    y.grad_fn._raw_saved_result.register_hooks(lambda x: x, lambda x: x)
    y.grad_fn._raw_saved_result.register_hooks(lambda x: x, lambda x: x)


@scenario
def sth_raw_saved_register_hooks_after_free(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)
    y = a.exp()
    raw = y.grad_fn._raw_saved_result
    y.sum().backward()
    raw.register_hooks(lambda x: x, lambda x: x)


@scenario
def sth_disable_with_message(m):
    m.tensor([1.0, 2.0], requires_grad=True)
    g = m.autograd.graph
    with g.disable_saved_tensors_hooks("no hooks here"), g.saved_tensors_hooks(lambda x: x, lambda x: x):
        pass


@scenario
def sth_disable_nested_restores(m):
    g = m.autograd.graph
    with g.disable_saved_tensors_hooks("outer"):
        with g.disable_saved_tensors_hooks("inner"):
            pass
        try:
            with g.saved_tensors_hooks(lambda x: x, lambda x: x):
                pass
        except RuntimeError as e:
            return str(e)


# ---- anomaly mode ----

@scenario
def an_detect_nan_forward_custom(m):
    class MyFunc(m.autograd.Function):
        @staticmethod
        def forward(ctx, inp1, inp2, fail_0th):
            ctx.fail_0th = fail_0th
            return inp1.sum(0, keepdim=True)

        @staticmethod
        def backward(ctx, gO):
            gI = gO.clone().expand(3)
            gI[0] = 0
            gI[0] /= 0  # Generate a nan
            if ctx.fail_0th:
                return gI, None, None
            else:
                return None, gI, None

    inp = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = MyFunc.apply(inp, inp, True)
    out.backward()  # Should not fail
    with m.autograd.detect_anomaly(check_nan=True):
        out = MyFunc.apply(inp, inp, True)
        try:
            out.backward()
        except RuntimeError as e:
            return str(e)


@scenario
def an_detect_nan_second_input(m):
    class MyFunc(m.autograd.Function):
        @staticmethod
        def forward(ctx, inp1, inp2):
            return inp1.sum(0, keepdim=True)

        @staticmethod
        def backward(ctx, gO):
            gI = gO.clone().expand(3)
            gI[0] = 0
            gI[0] /= 0
            return None, gI

    inp = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with m.autograd.detect_anomaly(check_nan=True):
        out = MyFunc.apply(inp, inp)
        try:
            out.backward()
        except RuntimeError as e:
            return str(e)


@scenario
def an_detect_nan_grad_api(m):
    inp = m.tensor([0.0, 1.0], requires_grad=True)
    with m.autograd.detect_anomaly():
        out = (inp / inp).sum()
        try:
            m.autograd.grad(out, inp)
        except RuntimeError as e:
            return str(e)


@scenario
def an_is_anomaly_flags(m):
    out = [m.is_anomaly_enabled(), m.is_anomaly_check_nan_enabled()]
    with m.autograd.detect_anomaly(check_nan=False):
        out += [m.is_anomaly_enabled(), m.is_anomaly_check_nan_enabled()]
    with m.autograd.set_detect_anomaly(True):
        out += [m.is_anomaly_enabled(), m.is_anomaly_check_nan_enabled()]
    out.append(m.is_anomaly_enabled())
    return out


@scenario
def an_set_detect_anomaly_function(m):
    prev = m.is_anomaly_enabled()
    m.autograd.set_detect_anomaly(True)
    now = m.is_anomaly_enabled()
    m.autograd.set_detect_anomaly(prev)
    return now, m.is_anomaly_enabled()


# ---- engine callbacks ----

@scenario
def eng_queue_callback(m):
    called = []

    def cb():
        called.append("cb")

    x = m.tensor([1.0], requires_grad=True)
    y = x * 2

    def hook(g):
        m.autograd.Variable._execution_engine.queue_callback(cb)
        called.append("hook")
        return g

    y.register_hook(hook)
    y.sum().backward()
    return called


@scenario
def eng_queue_callback_outside_backward(m):
    m.autograd.Variable._execution_engine.queue_callback(lambda: None)


@scenario
def eng_callback_adds_callback(m):
    called = [0]

    def callback_final():
        called[0] += 1

    def callback_adds_callback():
        called[0] += 1
        m.autograd.Variable._execution_engine.queue_callback(callback_final)

    class MyFunc(m.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            return input

        @staticmethod
        def backward(ctx, grad):
            m.autograd.Variable._execution_engine.queue_callback(callback_adds_callback)
            return grad

    a = m.rand((3, 3), requires_grad=True)
    b = MyFunc.apply(a)
    b.sum().backward()
    return called[0]


@scenario
def misc_accumulate_grad_with_zero_numel_grad(m):
    a = m.rand(4, 0, requires_grad=True)
    b = m.rand(4, 1, requires_grad=True)
    c = a + b
    c.sum().backward()
    return a.grad.shape, b.grad, c.shape


@scenario
def misc_free_deep_graph(m):
    x = m.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(2000):
        y = y * 1.0001
    y.backward()
    return round(x.grad.item(), 4)


@scenario
def misc_deep_graph_grad_fn_chain_len(m):
    x = m.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(50):
        y = y.sin()
    n = 0
    fn = y.grad_fn
    while fn is not None and fn.next_functions:
        n += 1
        fn = fn.next_functions[0][0]
    return n, type(fn).__name__ if fn is not None else None


@scenario
def misc_no_unnecessary_save(m):
    mu = m.ones(1, requires_grad=True)
    x = m.empty(1)
    loss = 0
    for i in range(3):
        x.detach_()
        x.copy_(mu + i)
        ft = m.tensor([float(i)])
        multiplied = x * ft
        s = multiplied.sum()
        loss += s
    loss.backward()
    return mu.grad


@scenario
def misc_detach(m):
    x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x + 2
    y = y.detach()
    z = y * 4 + 2
    out = [y.requires_grad, z.requires_grad]
    x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * 2
    y = y.detach()
    out.append(y.requires_grad)
    out.append(y.grad_fn)
    z = x + y
    z.sum().backward()
    out.append(x.grad)
    return out


@scenario
def misc_detach_base(m):
    x = m.randn(10, 10, requires_grad=True)
    view = x.narrow(0, 1, 4)
    x = view.detach()
    return x._base is None, x.requires_grad, x._is_view()


@scenario
def misc_detach_inplace_shares_grad_fn_removal(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = y.view(2)
    y.detach_()
    return y.grad_fn, y.requires_grad, z.grad_fn.name(), z.requires_grad


@scenario
def misc_requires_grad_factory(m):
    x = m.randn(2, 3)
    out = []
    for fn in [m.ones_like, m.randn_like, m.zeros_like, m.rand_like]:
        for requires_grad in [True, False]:
            for dt in [m.float, m.double]:
                r = fn(x, dtype=dt, requires_grad=requires_grad)
                out.append((r.requires_grad, r.dtype))
    out.append(m.full((2,), 1.0, requires_grad=True).requires_grad)
    out.append(m.arange(3.0, requires_grad=True).requires_grad)
    return out


@scenario
def misc_requires_grad_factory_int_error(m):
    m.ones(2, dtype=m.long, requires_grad=True)


@scenario
def misc_grad_mode_restored_after_exception(m):
    try:
        with m.no_grad():
            raise ValueError("x")
    except ValueError:
        pass
    return m.is_grad_enabled()


@scenario
def misc_no_grad_python_function(m):
    class MyOp(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x + 1

        @staticmethod
        def backward(ctx, dy):
            return dy

    x = m.ones(5, 5, requires_grad=True)
    with m.no_grad():
        y = MyOp.apply(x)
    return y.requires_grad, y.grad_fn


@scenario
def misc_set_grad_enabled_returns_context(m):
    ctx = m.set_grad_enabled(False)
    state = m.is_grad_enabled()
    with ctx:
        inside = m.is_grad_enabled()
    after = m.is_grad_enabled()
    m.set_grad_enabled(True)
    return type(ctx).__name__, state, inside, after


@scenario
def misc_grad_mode_decorator_on_class_method(m):
    class A:
        @m.no_grad()
        def f(self, x):
            return x * 2

    return A().f(m.ones(1, requires_grad=True)).requires_grad


@scenario
def misc_grad_mode_decorator_keeps_name(m):
    @m.no_grad()
    def my_function(x):
        """Doc."""
        return x

    return my_function.__name__, my_function.__doc__


@scenario
def misc_enable_grad_decorator_in_no_grad(m):
    @m.enable_grad()
    def f(x):
        return x * 2

    with m.no_grad():
        return f(m.ones(1, requires_grad=True)).requires_grad


@scenario
def misc_inplace_on_leaf_in_no_grad_version(m):
    x = m.ones(2, requires_grad=True)
    v0 = x._version
    with m.no_grad():
        x.mul_(2)
    return x._version - v0, x.grad_fn, x.is_leaf


@scenario
def misc_retain_grad_cycle(m):
    import gc
    import weakref

    x = m.ones(5, 5, requires_grad=True)

    def run_test():
        y = x * 2
        y.retain_grad()
        return y / 2, weakref.ref(y)

    z, ref = run_test()
    gc.collect()
    alive = ref() is not None
    z.sum().backward()
    return alive, x.grad.sum().item()


@scenario
def misc_hook_closure_cycle_freed(m):
    import gc
    import weakref

    class A:
        pass

    def run():
        a = A()
        t_ = m.ones(1, requires_grad=True)
        y = t_ * 2
        y.register_hook(lambda g, a=a: g)
        return weakref.ref(a), y

    ref, y = run()
    del y
    gc.collect()
    return ref() is None
