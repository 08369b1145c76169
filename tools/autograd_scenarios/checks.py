"""gradcheck / gradgradcheck, detect_anomaly, checkpoint."""

from autograd_scenarios import scenario, submodule


def _x(m):
    return m.tensor([1.0, 2.0], dtype=m.float64, requires_grad=True)


def _wrong_grad(m):
    class Wrong(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 3

    return Wrong.apply


@scenario
def gradcheck_wrong_grad_raises(m):
    m.autograd.gradcheck(_wrong_grad(m), (_x(m),))


@scenario
def gradcheck_wrong_grad_no_raise(m):
    return m.autograd.gradcheck(_wrong_grad(m), (_x(m),), raise_exception=False)


@scenario
def gradcheck_float32_warning(m):
    return m.autograd.gradcheck(lambda x: x * x, (m.tensor([1.0], requires_grad=True),),
                                raise_exception=False)


@scenario
def gradcheck_no_requires_grad(m):
    m.autograd.gradcheck(lambda x: x * x, (m.tensor([1.0], dtype=m.float64),))


@scenario
def gradcheck_fast_mode(m):
    return m.autograd.gradcheck(lambda x: x.sin(), (_x(m),), fast_mode=True)


@scenario
def gradcheck_fast_mode_wrong(m):
    m.autograd.gradcheck(_wrong_grad(m), (_x(m),), fast_mode=True)


@scenario
def gradcheck_multiple_inputs(m):
    y = m.tensor([3.0, 4.0], dtype=m.float64, requires_grad=True)
    return m.autograd.gradcheck(lambda a, b: a * b, (_x(m), y))


@scenario
def gradcheck_non_tensor_input(m):
    return m.autograd.gradcheck(lambda a, k: a * k, (_x(m), 3))


@scenario
def gradgradcheck_ok(m):
    return m.autograd.gradgradcheck(lambda x: x**3, (_x(m),))


@scenario
def gradgradcheck_once_differentiable(m):
    once = submodule(m, "autograd.function").once_differentiable

    class Sq(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @once
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    try:
        m.autograd.gradgradcheck(Sq.apply, (_x(m),))
    except Exception as e:  # noqa: BLE001 - the numbers come from random grad_outputs
        return type(e).__name__, str(e).splitlines()[0]


@scenario
def gradgradcheck_wrong_no_raise(m):
    class Bad(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x * x.detach()

    return m.autograd.gradgradcheck(Bad.apply, (_x(m),), raise_exception=False)


@scenario
def gradcheck_nondet_tol(m):
    return m.autograd.gradcheck(lambda x: x.exp(), (_x(m),), nondet_tol=1e-10)


@scenario
def gradcheck_check_undefined_grad(m):
    return m.autograd.gradcheck(lambda x: x.exp(), (_x(m),), check_undefined_grad=True)


@scenario
def gradcheck_complex(m):
    z = m.tensor([1 + 2j], dtype=m.complex128, requires_grad=True)
    return m.autograd.gradcheck(lambda z: (z * z.conj()).real, (z,))


@scenario
def gradcheck_backward_ad_false(m):
    return m.autograd.gradcheck(lambda x: x * 2, (_x(m),), check_backward_ad=False,
                                check_forward_ad=True)


@scenario
def gradcheck_output_no_grad(m):
    m.autograd.gradcheck(lambda x: x.detach(), (_x(m),))


@scenario
def anomaly_backward_error_traceback(m):
    class Boom(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            raise ValueError("boom")

    with m.autograd.detect_anomaly():
        Boom.apply(m.tensor([1.0], requires_grad=True)).sum().backward()


@scenario
def anomaly_nan_in_custom_backward(m):
    class Nan(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * float("nan")

    with m.autograd.detect_anomaly():
        Nan.apply(m.tensor([1.0], requires_grad=True)).sum().backward()


@scenario
def anomaly_check_nan_false(m):
    x = m.tensor([0.0], requires_grad=True)
    with m.autograd.detect_anomaly(check_nan=False):
        (x.sqrt() * 0).sum().backward()
    return x.grad


@scenario
def anomaly_enabled_flags(m):
    with m.autograd.set_detect_anomaly(True):
        inside = m.is_anomaly_enabled(), m.is_anomaly_check_nan_enabled()
    return inside, m.is_anomaly_enabled()


@scenario
def anomaly_nan_in_log_backward(m):
    x = m.tensor([0.0], requires_grad=True)
    with m.autograd.detect_anomaly():
        (x.log() * 0).sum().backward()


@scenario
def checkpoint_non_reentrant(m):
    cp = submodule(m, "utils.checkpoint")
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = cp.checkpoint(lambda a: (a.sin() * a).sum(), x, use_reentrant=False)
    y.backward()
    return y, x.grad


@scenario
def checkpoint_reentrant(m):
    cp = submodule(m, "utils.checkpoint")
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = cp.checkpoint(lambda a: (a.exp() * a).sum(), x, use_reentrant=True)
    y.backward()
    return y.grad_fn.name(), x.grad


@scenario
def checkpoint_no_use_reentrant_warning(m):
    cp = submodule(m, "utils.checkpoint")
    x = m.tensor([1.0], requires_grad=True)
    return cp.checkpoint(lambda a: a * 2, x)


@scenario
def checkpoint_reentrant_grad_error(m):
    cp = submodule(m, "utils.checkpoint")
    x = m.tensor([1.0], requires_grad=True)
    y = cp.checkpoint(lambda a: (a * a).sum(), x, use_reentrant=True)
    m.autograd.grad(y, x)


@scenario
def checkpoint_kwargs_reentrant_error(m):
    cp = submodule(m, "utils.checkpoint")
    x = m.tensor([1.0], requires_grad=True)
    cp.checkpoint(lambda a, k=1: a * k, x, use_reentrant=True, k=2)


@scenario
def checkpoint_sequential(m):
    cp = submodule(m, "utils.checkpoint")
    x = m.tensor([[1.0, 2.0]], requires_grad=True)
    seq = m.nn.Sequential(m.nn.ReLU(), m.nn.Tanh(), m.nn.Sigmoid())
    y = cp.checkpoint_sequential(seq, 2, x, use_reentrant=False)
    y.sum().backward()
    return x.grad


@scenario
def checkpoint_double_backward(m):
    cp = submodule(m, "utils.checkpoint")
    x = m.tensor([2.0], requires_grad=True)
    y = cp.checkpoint(lambda a: a**3, x, use_reentrant=False)
    (g,) = m.autograd.grad(y.sum(), x, create_graph=True)
    (gg,) = m.autograd.grad(g.sum(), x)
    return g, gg
