"""gradcheck options and failure reports."""

from autograd_scenarios import scenario, submodule


def _x(m):
    return m.tensor([1.0, 2.0], dtype=m.float64, requires_grad=True)


def _first_line(fn):
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - the report's first line is the result
        return type(e).__name__, str(e).splitlines()[0]


def _wrong_jvp(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

        @staticmethod
        def jvp(ctx, t):
            return t * 3

    return F.apply


@scenario
def gradcheck_forward_ad_wrong_jvp(m):
    return _first_line(lambda: m.autograd.gradcheck(_wrong_jvp(m), (_x(m),), check_forward_ad=True))


@scenario
def gradcheck_forward_ad_wrong_jvp_no_raise(m):
    return m.autograd.gradcheck(_wrong_jvp(m), (_x(m),), check_forward_ad=True, raise_exception=False)


@scenario
def gradcheck_batched_grad(m):
    return m.autograd.gradcheck(lambda x: x.sin() * x, (_x(m),), check_batched_grad=True)


@scenario
def gradcheck_undefined_grad_failure(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2 if g is not None else m.ones(2, dtype=m.float64)

    return _first_line(lambda: m.autograd.gradcheck(F.apply, (_x(m),), check_undefined_grad=True))


@scenario
def gradcheck_atol_rtol(m):
    class Off(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2.001

    x = _x(m)
    return (m.autograd.gradcheck(Off.apply, (x,), atol=0.01, raise_exception=False),
            m.autograd.gradcheck(Off.apply, (x,), atol=1e-6, rtol=1e-6, raise_exception=False))


@scenario
def gradcheck_eps_argument(m):
    return m.autograd.gradcheck(lambda x: x**2, (_x(m),), eps=1e-4, atol=1e-3)


@scenario
def gradcheck_output_tuple(m):
    return m.autograd.gradcheck(lambda x: (x * 2, x.exp()), (_x(m),))


@scenario
def gradcheck_non_tensor_output_error(m):
    return _first_line(lambda: m.autograd.gradcheck(lambda x: 3.0, (_x(m),)))


@scenario
def gradcheck_int_output_ignored(m):
    return m.autograd.gradcheck(lambda x: (x * 2, x.long()), (_x(m),))


@scenario
def gradcheck_nondeterministic_backward(m):
    class Noisy(m.autograd.Function):
        count = 0

        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            Noisy.count += 1
            return g * (2 + 1e-3 * Noisy.count)

    return _first_line(lambda: m.autograd.gradcheck(Noisy.apply, (_x(m),), atol=1e-1))


@scenario
def gradcheck_fast_mode_forward_ad(m):
    return m.autograd.gradcheck(lambda x: x.sin(), (_x(m),), fast_mode=True, check_forward_ad=True)


@scenario
def gradgradcheck_fast_mode(m):
    return m.autograd.gradgradcheck(lambda x: x**3, (_x(m),), fast_mode=True)


@scenario
def gradgradcheck_grad_outputs_given(m):
    return m.autograd.gradgradcheck(lambda x: x**3, (_x(m),),
                                    (m.tensor([1.0, 0.5], dtype=m.float64, requires_grad=True),))


@scenario
def gradcheck_complex_fast(m):
    z = m.tensor([1 + 2j], dtype=m.complex128, requires_grad=True)
    return m.autograd.gradcheck(lambda z: z * z, (z,), fast_mode=True)


@scenario
def gradcheck_wrong_complex(m):
    class Wrong(m.autograd.Function):
        @staticmethod
        def forward(ctx, z):
            return z * 2

        @staticmethod
        def backward(ctx, g):
            return g.conj() * 2

    z = m.tensor([1 + 2j], dtype=m.complex128, requires_grad=True)
    return _first_line(lambda: m.autograd.gradcheck(Wrong.apply, (z,)))


@scenario
def gradcheck_masked_input_sparse_error(m):
    return _first_line(lambda: m.autograd.gradcheck(lambda x: x * 2, (_x(m),), masked=True))


@scenario
def gradcheck_module_function(m):
    gc = submodule(m, "autograd.gradcheck")
    return gc.gradcheck is m.autograd.gradcheck, hasattr(gc, "GradcheckError")
