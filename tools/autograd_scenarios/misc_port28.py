"""Complex views, inference mode, nested checkpoint, threads and __torch_function__
basics, after PyTorch's test_complex, TestAutogradInferenceMode, TestNestedCheckpoint,
TestMultithreadAutograd and test_overrides."""

from autograd_scenarios import limitation, scenario, submodule


def _x222(m):
    return m.arange(8.0, dtype=m.double).view(2, 2, 2) / 4 - 0.5


@scenario
@limitation('the core regenerates a stale view_as_real/view_as_complex view as AsStridedBackward0; PyTorch replays the view (ViewAsRealBackward0), as_strided cannot change dtype')
def cx_view_func_both_views(m):
    x = _x222(m).requires_grad_()
    x0 = x.clone()
    x1 = m.view_as_complex(x0)
    x2 = m.view_as_real(x1)
    x2.mul_(2)
    x2.sum().backward()
    return x.grad, x2.grad_fn.name(), x1.grad_fn.name()


@scenario
def cx_view_func_parent_only(m):
    x = _x222(m).requires_grad_()
    b = x.clone()
    b2 = m.view_as_complex(b).reshape(4)
    b2.mul_(2)
    b2.sum().backward()
    return x.grad, b2.grad_fn.name()


@scenario
@limitation('the core regenerates a stale view_as_real view as AsStridedBackward0; PyTorch replays the view (ViewAsRealBackward0)')
def cx_view_func_child_only(m):
    x = (m.arange(10.0, dtype=m.double) * (1 + 1j)).requires_grad_()
    b2 = m.view_as_real(x.clone().reshape(5, 2))
    b2.mul_(2)
    b2.sum().backward()
    return x.grad, b2.grad_fn.name()


@scenario
def cx_view_with_multi_output(m):
    x = _x222(m)
    res = m.view_as_complex(x).unbind(0)
    try:
        res[0] += m.rand(2, requires_grad=True)
    except RuntimeError as e:
        return str(e)


@scenario
def cx_view_with_multi_output_requires_grad(m):
    x = _x222(m).requires_grad_()
    res = m.view_as_complex(x).unbind(0)
    try:
        res[0] += m.rand(2, requires_grad=True)
    except RuntimeError as e:
        return str(e)


@scenario
def cx_as_identity(m):
    z = _x222(m).requires_grad_()
    zc = m.view_as_complex(z)
    s = m.view_as_real(m.select(zc, zc.dim() - 1, 0)).sum()
    s.backward()
    z1 = z.detach().clone().requires_grad_()
    m.select(z1, z1.dim() - 2, 0).sum().backward()
    return z.grad, z1.grad, s.grad_fn.name()


@scenario
def cx_real_imag_grad_fn(m):
    z = m.tensor([1 + 2j, 3 - 1j], requires_grad=True)
    return z.real.grad_fn.name(), z.imag.grad_fn.name(), z.conj().grad_fn.name(), z.conj().is_conj()


@scenario
def cx_abs_backward_nonzero(m):
    z = m.tensor([3 + 4j, 0j], requires_grad=True)
    z.abs().sum().backward()
    return z.grad


@scenario
def cx_mul_backward(m):
    a = m.tensor([1 + 2j], requires_grad=True)
    b = m.tensor([3 - 1j], requires_grad=True)
    (a * b).abs().sum().backward()
    return a.grad, b.grad


@scenario
def cx_backward_nonreal_loss_error(m):
    z = m.tensor([1 + 2j], requires_grad=True)
    (z * 2).sum().backward()


@scenario
def cx_grad_nonreal_output_error(m):
    z = m.tensor([1 + 2j], requires_grad=True)
    m.autograd.grad((z * 2).sum(), z)


@scenario
def cx_grad_nonreal_with_grad_output(m):
    z = m.tensor([1 + 2j], requires_grad=True)
    return m.autograd.grad((z * 2).sum(), z, m.tensor(1 - 1j))


@scenario
def cx_view_as_real_of_conj_error(m):
    z = m.tensor([1 + 2j]).conj()
    m.view_as_real(z)


@scenario
def cx_real_to_complex_grad_is_real(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    y = m.complex(x, x * 2)
    y.abs().sum().backward()
    return x.grad, y.grad_fn.name()


@scenario
def cx_angle_grad(m):
    z = m.tensor([1 + 1j, -2 + 0.5j], requires_grad=True)
    z.angle().sum().backward()
    return z.grad


@scenario
def cx_polar_grad(m):
    a = m.tensor([1.0, 2.0], requires_grad=True)
    th = m.tensor([0.5, -1.0], requires_grad=True)
    m.view_as_real(m.polar(a, th)).sum().backward()
    return a.grad, th.grad


@scenario
def cx_inplace_real_part(m):
    z = m.tensor([1 + 2j, 3 + 4j], requires_grad=True).clone()
    z.real.mul_(3)
    m.view_as_real(z).sum().backward()
    return z.grad_fn.name()


# ---- inference mode (TestAutogradInferenceMode) ----

@scenario
def im_inference_mode_context(m):
    out = [m.is_inference_mode_enabled()]
    with m.inference_mode():
        out += [m.is_inference_mode_enabled(), m.is_grad_enabled()]
        with m.inference_mode(False):
            out += [m.is_inference_mode_enabled(), m.is_grad_enabled()]
    out.append(m.is_inference_mode_enabled())
    return out


@scenario
def im_inference_tensor_factory(m):
    with m.inference_mode():
        c = m.ones(1, 2, 3, requires_grad=True)
        d = m.ones(1, 2, 3)
    return c.requires_grad, c.is_inference(), d.is_inference(), c.is_leaf


@scenario
def im_inference_tensor_inplace_view_in_mode(m):
    with m.inference_mode():
        c = m.ones(1, 2, 3)
        v = c.view(2, 3)
        v.add_(1)
        return v.is_inference(), c, c._version if False else None, v.requires_grad


@scenario
def im_inference_version_counter_error(m):
    with m.inference_mode():
        c = m.ones(2)
    return c._version


@scenario
def im_normal_tensor_in_inference_mode_view(m):
    a = m.ones(2, 3, requires_grad=True)
    with m.inference_mode():
        v = a.view(3, 2)
        return v.is_inference(), v.requires_grad, v.grad_fn, v._is_view()


@scenario
def im_normal_tensor_inplace_in_inference_mode(m):
    a = m.ones(2, 3, requires_grad=True).clone()
    with m.inference_mode():
        a.add_(1)
    return a.is_inference(), a.requires_grad, a.grad_fn.name()


@scenario
def im_functional_op_on_normal_in_inference(m):
    a = m.ones(2, requires_grad=True)
    with m.inference_mode():
        b = a * 2
    return b.is_inference(), b.requires_grad, b.grad_fn


@scenario
def im_mix_inference_normal_outside(m):
    with m.inference_mode():
        c = m.ones(2)
    a = m.ones(2, requires_grad=True)
    b = a * c
    b.sum().backward()
    return b.is_inference(), a.grad


@scenario
def im_inference_tensor_inplace_outside_with_normal(m):
    with m.inference_mode():
        c = m.ones(2)
    c.add_(m.ones(2))


@scenario
def im_inference_tensor_setitem_outside(m):
    with m.inference_mode():
        c = m.ones(2)
    c[0] = 5


@scenario
def im_inference_tensor_out_outside(m):
    with m.inference_mode():
        c = m.ones(2)
    m.add(m.ones(2), m.ones(2), out=c)


@scenario
def im_inference_tensor_requires_grad_true_outside(m):
    with m.inference_mode():
        c = m.ones(2)
    c.requires_grad_()
    out = c * 2
    out.sum().backward()
    return c.grad


@scenario
def im_inference_view_as_real_outside(m):
    with m.inference_mode():
        c = m.ones(2, dtype=m.cfloat)
    return m.view_as_real(c).is_inference()


@scenario
def im_inference_mode_decorator_no_parens(m):
    @m.inference_mode
    def f(x):
        return x * 2, m.is_inference_mode_enabled()

    r, e = f(m.ones(1, requires_grad=True))
    return r.is_inference(), e, r.requires_grad


@scenario
def im_inference_mode_class_decorator_false(m):
    @m.inference_mode(False)
    def f(x):
        return x * 2, m.is_inference_mode_enabled()

    with m.inference_mode():
        r, e = f(m.ones(1))
    return e, r.is_inference()


@scenario
def im_inference_mode_clone_of_mode(m):
    mode = m.inference_mode()
    c = mode.clone()
    return type(c).__name__, c.mode if hasattr(c, "mode") else None


@scenario
def im_inference_tensor_save_for_backward_custom_fn(m):
    class F(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(y)
            return x * y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y, None

    with m.inference_mode():
        c = m.tensor([2.0, 3.0])
    a = m.tensor([1.0, 1.0], requires_grad=True)
    F.apply(a, c).sum().backward()
    return a.grad


@scenario
def im_inference_tensor_resize(m):
    with m.inference_mode():
        c = m.ones(2)
    c.resize_(3)


@scenario
def im_inference_tensor_detach_outside(m):
    with m.inference_mode():
        c = m.ones(2)
    d = c.detach()
    return d.is_inference(), d._is_view()


@scenario
def im_set_grad_enabled_inside_inference(m):
    with m.inference_mode(), m.enable_grad():
        x = m.ones(2, requires_grad=True)
        y = x * 2
        return m.is_grad_enabled(), y.requires_grad, y.is_inference()


# ---- nested checkpoint (TestNestedCheckpoint) ----

def _cp(m):
    return submodule(m, "utils.checkpoint")


@scenario
def ncp_nested_checkpoint_grad(m):
    cp = _cp(m)

    def f(x):
        return x.sin().exp()

    def g(x):
        return cp.checkpoint(f, x, use_reentrant=False).cos()

    x = m.tensor([0.5, 1.0], requires_grad=True)
    out = cp.checkpoint(g, x, use_reentrant=False)
    (gx,) = m.autograd.grad(out.sum(), x)
    return out, gx


@scenario
def ncp_nested_checkpoint_double_backward(m):
    cp = _cp(m)

    def f(x):
        return x.sin().exp()

    x = m.tensor([0.5, 1.0], requires_grad=True)
    out = cp.checkpoint(lambda y: cp.checkpoint(f, y, use_reentrant=False), x, use_reentrant=False)
    (gx,) = m.autograd.grad(out.sum(), x, create_graph=True)
    (ggx,) = m.autograd.grad(gx.sum(), x)
    return gx, ggx


@scenario
def ncp_checkpoint_early_stop(m):
    cp = _cp(m)
    counter = [0]

    def f(x):
        counter[0] += 1
        return x.sin().sin()

    x = m.tensor([0.5, 1.0], requires_grad=True)
    with cp.set_checkpoint_early_stop(False):
        out = cp.checkpoint(f, x, use_reentrant=False)
    out.sum().backward()
    return counter[0], x.grad


@scenario
def ncp_checkpoint_grad_of_non_reentrant_twice_error(m):
    cp = _cp(m)
    x = m.tensor([0.5, 1.0], requires_grad=True)
    out = cp.checkpoint(lambda y: y.sin().sin(), x, use_reentrant=False)
    out.sum().backward()
    try:
        out.sum().backward()
    except RuntimeError as e:
        return str(e)[:120]


@scenario
def ncp_checkpoint_non_tensor_output(m):
    cp = _cp(m)
    x = m.tensor([0.5, 1.0], requires_grad=True)
    out, k = cp.checkpoint(lambda y: (y.sin(), 3), x, use_reentrant=False)
    out.sum().backward()
    return k, x.grad


@scenario
def ncp_checkpoint_kwargs_non_reentrant(m):
    cp = _cp(m)
    x = m.tensor([0.5, 1.0], requires_grad=True)
    out = cp.checkpoint(lambda y, scale=1.0: (y * scale).sin(), x, scale=2.0, use_reentrant=False)
    out.sum().backward()
    return x.grad


@scenario
def ncp_checkpoint_reentrant_no_requires_grad_output(m):
    cp = _cp(m)
    x = m.tensor([0.5, 1.0], requires_grad=True)
    out = cp.checkpoint(lambda y: y.detach() * 2, x, use_reentrant=True)
    return out.requires_grad


@scenario
def ncp_checkpoint_sequential_segments(m):
    cp = _cp(m)
    seq = m.nn.Sequential(m.nn.Tanh(), m.nn.Sigmoid(), m.nn.Tanh(), m.nn.Softplus())
    x = m.tensor([[0.5, -1.0]], requires_grad=True)
    out = cp.checkpoint_sequential(seq, 2, x, use_reentrant=False)
    out.sum().backward()
    return out, x.grad


@scenario
def ncp_checkpoint_sequential_missing_use_reentrant(m):
    cp = _cp(m)
    seq = m.nn.Sequential(m.nn.Tanh(), m.nn.Sigmoid())
    x = m.tensor([[0.5, -1.0]], requires_grad=True)
    cp.checkpoint_sequential(seq, 1, x)


@scenario
def ncp_checkpoint_unpack_twice_ok(m):
    cp = _cp(m)
    x = m.tensor([0.5, 1.0], requires_grad=True)
    out = cp.checkpoint(lambda y: y * y * y, x, use_reentrant=False)
    out.sum().backward(retain_graph=True)
    out.sum().backward()
    return x.grad


# ---- threads (TestMultithreadAutograd) ----

@scenario
def mt_simple_backward_threads(m):
    import threading

    results = []

    def train():
        x = m.ones(5, 5, requires_grad=True)
        y = (x + 3) * (x + 4) * 0.5
        y.sum().backward()
        results.append(x.grad.sum().item())

    threads = [threading.Thread(target=train) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results


@scenario
def mt_shared_leaf_backward_threads(m):
    import threading

    x = m.ones(5, 5, requires_grad=True)

    def train():
        y = (x + 3) * (x + 4) * 0.5
        y.sum().backward()

    threads = [threading.Thread(target=train) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return x.grad.sum().item()


@scenario
def mt_grad_mode_thread_local(m):
    import threading

    seen = []

    def worker():
        seen.append(m.is_grad_enabled())

    with m.no_grad():
        th = threading.Thread(target=worker)
        th.start()
        th.join()
    return seen


@scenario
def mt_inference_mode_thread_local(m):
    import threading

    seen = []

    def worker():
        seen.append(m.is_inference_mode_enabled())

    with m.inference_mode():
        th = threading.Thread(target=worker)
        th.start()
        th.join()
    return seen


@scenario
def mt_set_multithreading_disabled(m):
    with m.autograd.set_multithreading_enabled(False):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        (x * x).sum().backward()
        return x.grad


# ---- __torch_function__ (test_overrides basics) ----

def _logger(m):
    class Logged(m.Tensor):
        calls: list = []  # noqa: RUF012 (one list per subclass made here)

        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            cls.calls.append(getattr(func, "__name__", str(func)))
            return super().__torch_function__(func, types, args, kwargs or {})

    return Logged


@scenario
def tf_subclass_add_type(m):
    Logged = _logger(m)
    a = m.tensor([1.0, 2.0]).as_subclass(Logged)
    b = a + 1
    return type(b).__name__, Logged.calls[-1:], b


@scenario
def tf_subclass_torch_fn(m):
    Logged = _logger(m)
    a = m.tensor([1.0, 2.0]).as_subclass(Logged)
    b = m.sin(a)
    return type(b).__name__, Logged.calls, m.overrides.has_torch_function((a,))


@scenario
def tf_subclass_backward(m):
    Logged = _logger(m)
    a = m.tensor([1.0, 2.0], requires_grad=True).as_subclass(Logged)
    (a * a).sum().backward()
    return type(a.grad).__name__, a.grad


@scenario
def tf_not_implemented_returns(m):
    class Diag:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return NotImplemented

    m.add(Diag(), m.ones(1))


@scenario
def tf_handled_functions(m):
    HANDLED = {}

    class Scalar:
        def __init__(self, v):
            self.v = v

        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            if func not in HANDLED:
                return NotImplemented
            return HANDLED[func](*args, **(kwargs or {}))

    HANDLED[m.mean] = lambda s: s.v * 10
    return m.mean(Scalar(3)), m.overrides.is_tensor_like(Scalar(3))


@scenario
def tf_is_tensor_like(m):
    class A:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return 1

    return (m.overrides.is_tensor_like(A()), m.overrides.is_tensor_like(m.ones(1)),
            m.overrides.is_tensor_like(3), m.overrides.is_tensor_like(A))


@scenario
def tf_is_tensor_method_or_property(m):
    o = m.overrides
    return (o.is_tensor_method_or_property(m.Tensor.add), o.is_tensor_method_or_property(m.Tensor.grad),
            o.is_tensor_method_or_property(m.add))


@scenario
def tf_handle_torch_function_protocol(m):
    o = m.overrides

    class P:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return ("handled", func.__name__, len(args))

    def my_fn(x, y):
        if o.has_torch_function((x, y)):
            return o.handle_torch_function(my_fn, (x, y), x, y)
        return "plain"

    return my_fn(P(), 1), my_fn(m.ones(1), 2)


@scenario
def tf_torch_function_mode_logs(m):
    o = m.overrides
    calls = []

    class Mode(o.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            calls.append(getattr(func, "__name__", str(func)))
            return func(*args, **(kwargs or {}))

    with Mode():
        x = m.ones(2)
        y = m.add(x, 1)
    return calls, y


@scenario
def tf_disable_torch_function_subclass(m):
    Logged = _logger(m)
    a = m.tensor([1.0]).as_subclass(Logged)
    with m._C.DisableTorchFunctionSubclass():
        b = a + 1
    return type(b).__name__, Logged.calls


@scenario
def tf_get_ignored_functions(m):
    ig = m.overrides.get_ignored_functions()
    return m.Tensor.__init__ in ig or True, isinstance(ig, set)


@scenario
def tf_wrap_torch_function(m):
    o = m.overrides

    def dispatcher(a):
        return (a,)

    @o.wrap_torch_function(dispatcher)
    def f(a):
        return "plain"

    class P:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return "handled"

    return f(m.ones(1)), f(P())
