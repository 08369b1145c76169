"""Forward-mode AD and torch.func behaviours, after PyTorch's TestAutogradForwardMode and
functorch's test_eager_transforms."""

from autograd_scenarios import accepted, limitation, scenario, submodule


def _fa(m):
    return submodule(m, "autograd.forward_ad")


def _fn(m):
    return submodule(m, "func")


@scenario
def fm_forward_level_cleanup(m):
    fa = _fa(m)
    x = m.tensor([1.0, 2.0])
    with fa.dual_level():
        d = fa.make_dual(x, m.tensor([3.0, 4.0]))
        inside = fa.unpack_dual(d).tangent
    return inside, fa.unpack_dual(d).tangent


@scenario
def fm_size_check(m):
    fa = _fa(m)
    with fa.dual_level():
        fa.make_dual(m.rand(2, 3), m.rand(3, 3))


@scenario
def fm_dtype_check_int_primal(m):
    fa = _fa(m)
    with fa.dual_level():
        fa.make_dual(m.ones(2, dtype=m.long), m.ones(2, dtype=m.long))


@scenario
def fm_dtype_check_mixed(m):
    fa = _fa(m)
    with fa.dual_level():
        fa.make_dual(m.ones(2), m.ones(2, dtype=m.double))


@scenario
def fm_nested_level_error(m):
    fa = _fa(m)
    with fa.dual_level(), fa.dual_level():
        pass


@scenario
def fm_make_dual_outside_level(m):
    _fa(m).make_dual(m.ones(2), m.ones(2))


@scenario
def fm_unpack_dual_outside_level(m):
    fa = _fa(m)
    return fa.unpack_dual(m.ones(2))


@scenario
def fm_unpack_dual_namedtuple(m):
    fa = _fa(m)
    with fa.dual_level():
        d = fa.make_dual(m.tensor([1.0, 2.0]), m.tensor([0.5, 0.5]))
        u = fa.unpack_dual(d)
        return type(u).__name__, u._fields, u.primal, u.tangent, u[0], len(u)


@scenario
def fm_basic_ops(m):
    fa = _fa(m)
    with fa.dual_level():
        x = fa.make_dual(m.tensor([1.0, 2.0]), m.tensor([1.0, 0.5]))
        y = fa.make_dual(m.tensor([3.0, 4.0]), m.tensor([0.0, 2.0]))
        outs = [x + y, x * y, x / y, x.sin(), x.exp(), (x * y).sum(), m.stack([x, y]), x.pow(y),
                m.where(x > 1.5, x, y), x.matmul(y), m.cat([x, y]), x.clamp(1.5, 3.0)]
        return [fa.unpack_dual(o).tangent for o in outs]


@scenario
@limitation("emulated forward AD: a view's tangent is computed, not a view of the base's tangent")
def fm_view_tangent_is_view(m):
    fa = _fa(m)
    with fa.dual_level():
        base = m.tensor([1.0, 2.0, 3.0])
        tg = m.tensor([4.0, 5.0, 6.0])
        d = fa.make_dual(base, tg)
        v = d[1:]
        vt = fa.unpack_dual(v).tangent
        return vt, vt._base is tg


@scenario
def fm_tangent_not_copied_when_same_layout(m):
    fa = _fa(m)
    with fa.dual_level():
        tg = m.tensor([4.0, 5.0])
        d = fa.make_dual(m.tensor([1.0, 2.0]), tg)
        return fa.unpack_dual(d).tangent is tg


@scenario
def fm_tangent_layout_noncontig(m):
    fa = _fa(m)
    with fa.dual_level():
        p = m.ones(2, 3).t()
        tg = m.arange(6.0).view(2, 3)
        d = fa.make_dual(p, tg)
        u = fa.unpack_dual(d).tangent
        return u, u.stride(), p.stride()


@scenario
def fm_backward_of_jvp(m):
    fa = _fa(m)
    x = m.tensor([1.0, 2.0], requires_grad=True)
    with fa.dual_level():
        d = fa.make_dual(x, m.tensor([1.0, 1.0]))
        out = d.sin()
        tangent = fa.unpack_dual(out).tangent
    tangent.sum().backward()
    return tangent, x.grad


@scenario
def fm_custom_function_jvp(m):
    class MyFn(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_forward(x)
            return x * x

        @staticmethod
        def jvp(ctx, gx):
            (x,) = ctx.saved_tensors
            return 2 * x * gx

        @staticmethod
        def backward(ctx, g):
            raise AssertionError

    fa = _fa(m)
    with fa.dual_level():
        d = fa.make_dual(m.tensor([1.0, 3.0]), m.tensor([1.0, 2.0]))
        return fa.unpack_dual(MyFn.apply(d)).tangent


@scenario
def fm_custom_function_jvp_wrong_count(m):
    class MyFn(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def jvp(ctx, gx):
            return gx, gx

        @staticmethod
        def backward(ctx, g):
            return g

    fa = _fa(m)
    with fa.dual_level():
        d = fa.make_dual(m.tensor([1.0, 3.0]), m.tensor([1.0, 2.0]))
        MyFn.apply(d)


@scenario
def fm_custom_function_no_jvp(m):
    class MyFn(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g

    fa = _fa(m)
    with fa.dual_level():
        d = fa.make_dual(m.tensor([1.0, 3.0]), m.tensor([1.0, 2.0]))
        MyFn.apply(d)


@scenario
def fm_dual_make_dual_non_tensor(m):
    fa = _fa(m)
    with fa.dual_level():
        fa.make_dual([1.0], m.ones(1))


@scenario
def fm_exit_dual_level_none(m):
    fa = _fa(m)
    fa.exit_dual_level()


@scenario
def fm_enter_twice(m):
    fa = _fa(m)
    lvl = fa.enter_dual_level()
    try:
        fa.enter_dual_level()
    finally:
        fa.exit_dual_level(level=lvl)


@scenario
def fm_zero_tangent_for_plain_in_op(m):
    fa = _fa(m)
    with fa.dual_level():
        d = fa.make_dual(m.tensor([1.0, 2.0]), m.tensor([1.0, 1.0]))
        p = m.tensor([5.0, 6.0])
        return fa.unpack_dual(p * 2).tangent, fa.unpack_dual(d * p).tangent


@scenario
def fm_jvp_func_matches(m):
    return _fn(m).jvp(lambda x: (x.exp(), x.sum()), (m.tensor([0.0, 1.0]),), (m.tensor([1.0, 2.0]),))


# ---- torch.func (functorch test_eager_transforms) ----

@scenario
def ft_grad_primitive(m):
    x = m.tensor([0.5, 1.0])
    return _fn(m).grad(m.sin)(m.tensor(0.5)), _fn(m).grad(lambda y: y.sin().sum())(x)


@scenario
def ft_grad_composite(m):
    return _fn(m).grad(lambda x: m.nn.functional.softmax(x, 0).max())(m.tensor([1.0, 2.0, 0.5]))


@scenario
def ft_grad_with_closure(m):
    y = m.tensor([2.0, 3.0])
    return _fn(m).grad(lambda x: (x * y).sum())(m.tensor([1.0, 1.0]))


@scenario
def ft_grad_wrapper_dtype(m):
    return _fn(m).grad(lambda x: x.sum())(m.tensor([1.0, 2.0], dtype=m.double))


@scenario
def ft_grad_of_int_input(m):
    _fn(m).grad(lambda x: x.sum())(m.tensor([1, 2]))


@scenario
def ft_grad_of_complex_output(m):
    _fn(m).grad(lambda x: (x * 1j).sum())(m.tensor([1.0, 2.0]))


@scenario
def ft_grad_pytree_inputs(m):
    def f(d):
        return (d["a"] * d["b"][0]).sum()

    return _fn(m).grad(f)({"a": m.tensor([1.0, 2.0]), "b": [m.tensor([3.0, 4.0])]})


@scenario
def ft_grad_argnums_pytree(m):
    return _fn(m).grad(lambda x, y: (x * y[0]).sum(), argnums=1)(m.tensor([1.0, 2.0]), (m.tensor([3.0, 4.0]),))


@scenario
def ft_grad_argnums_out_of_range(m):
    _fn(m).grad(lambda x, y: (x * y).sum(), argnums=2)(m.tensor([1.0]), m.tensor([2.0]))


@scenario
def ft_grad_argnums_float(m):
    _fn(m).grad(lambda x, y: (x * y).sum(), argnums=0.0)(m.tensor([1.0]), m.tensor([2.0]))


@scenario
def ft_grad_argnums_empty_tuple(m):
    _fn(m).grad(lambda x, y: (x * y).sum(), argnums=())(m.tensor([1.0]), m.tensor([2.0]))


@scenario
def ft_grad_argnums_duplicate(m):
    _fn(m).grad(lambda x, y: (x * y).sum(), argnums=(0, 0))(m.tensor([1.0]), m.tensor([2.0]))


@scenario
def ft_grad_no_args(m):
    _fn(m).grad(lambda: m.tensor(1.0))()


@scenario
def ft_grad_kwargs(m):
    return _fn(m).grad(lambda x, *, scale: (x * scale).sum())(m.tensor([1.0, 2.0]), scale=3.0)


@scenario
def ft_grad_unrelated_input(m):
    return _fn(m).grad(lambda x, y: (y * 2).sum(), argnums=(0, 1))(m.tensor([1.0]), m.tensor([2.0]))


@scenario
def ft_grad_non_tensor_output(m):
    _fn(m).grad(lambda x: 3.0)(m.tensor(1.0))


@scenario
def ft_grad_aux_tuple_extras(m):
    return _fn(m).grad(lambda x: (x.sum(), {"a": x * 2, "b": [x.sin()]}), has_aux=True)(m.tensor([0.0, 1.0]))


@scenario
def ft_grad_aux_wrong_structure(m):
    _fn(m).grad(lambda x: (x.sum(), x, x), has_aux=True)(m.tensor([0.0, 1.0]))


@scenario
def ft_grad_and_value_aux(m):
    return _fn(m).grad_and_value(lambda x: (x.pow(2).sum(), x.cos()), has_aux=True)(m.tensor([0.0, 1.0]))


@scenario
def ft_grad_requires_grad_leaked(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    g = _fn(m).grad(lambda y: (y * y).sum())(x)
    return g, g.requires_grad, x.grad


@scenario
def ft_grad_output_outside_graph(m):
    x = m.tensor([1.0, 2.0], requires_grad=True)
    g = _fn(m).grad(lambda y: (y * y).sum())(x)
    g.sum().backward()
    return x.grad


@scenario
def ft_grad_of_grad_nested(m):
    f = _fn(m).grad(_fn(m).grad(lambda x: x.sin()))
    return f(m.tensor(1.0))


@scenario
@accepted('torch.func runs over the reverse graph: an input that escapes a transform is its stand-in, a leaf requiring grad')
def ft_grad_escaped_wrapper(m):
    store = []

    def f(x):
        store.append(x)
        return x.sin()

    _fn(m).grad(f)(m.tensor(1.0))
    return store[0].sum()


@scenario
def ft_vjp_pytree(m):
    out, vjp_fn = _fn(m).vjp(lambda x, y: (x * y, {"s": x + y}), m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0]))
    return out, vjp_fn((m.ones(2), {"s": m.tensor([1.0, 0.0])}))


@scenario
def ft_vjp_wrong_cotangent_structure(m):
    _out, vjp_fn = _fn(m).vjp(lambda x: (x * 2, x * 3), m.tensor([1.0, 2.0]))
    vjp_fn(m.ones(2))


@scenario
def ft_vjp_non_tensor_output(m):
    _fn(m).vjp(lambda x: 1.0, m.tensor([1.0]))


@scenario
def ft_vjp_non_tensor_input(m):
    _fn(m).vjp(lambda x: x, 1.0)


@scenario
def ft_vjp_cotangent_dtype_mismatch(m):
    _, vjp_fn = _fn(m).vjp(lambda x: x * 2, m.tensor([1.0, 2.0]))
    return vjp_fn(m.ones(2, dtype=m.double))


@scenario
def ft_vjp_twice(m):
    _, vjp_fn = _fn(m).vjp(lambda x: x.sin(), m.tensor([0.0, 1.0]))
    return vjp_fn(m.ones(2)), vjp_fn(m.tensor([2.0, 2.0]))


@scenario
def ft_vjp_aux_not_tensor(m):
    _fn(m).vjp(lambda x: (x, 3.0), m.tensor([1.0]), has_aux=True)


@scenario
def ft_jvp_pytree(m):
    return _fn(m).jvp(lambda x, y: {"a": x * y}, (m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0])),
                      (m.ones(2), m.zeros(2)))


@scenario
def ft_jvp_tangents_not_tuple(m):
    _fn(m).jvp(lambda x: x, (m.tensor([1.0]),), m.tensor([1.0]))


@scenario
def ft_jvp_tangent_len_mismatch(m):
    _fn(m).jvp(lambda x: x, (m.tensor([1.0]),), (m.tensor([1.0]), m.tensor([1.0])))


@scenario
def ft_jvp_empty_primals(m):
    _fn(m).jvp(lambda: m.tensor(1.0), (), ())


@scenario
def ft_jvp_non_tensor_output(m):
    _fn(m).jvp(lambda x: 1.0, (m.tensor([1.0]),), (m.tensor([1.0]),))


@scenario
def ft_jvp_dtype_mismatch(m):
    _fn(m).jvp(lambda x: x, (m.tensor([1.0]),), (m.tensor([1.0], dtype=m.double),))


@scenario
def ft_jacrev_basic(m):
    return _fn(m).jacrev(m.sin)(m.tensor([0.0, 1.0, 2.0]))


@scenario
def ft_jacrev_scalar(m):
    return _fn(m).jacrev(lambda x: x.sin().sum())(m.tensor([0.0, 1.0]))


@scenario
def ft_jacrev_scalar_input(m):
    return _fn(m).jacrev(lambda x: x * m.tensor([1.0, 2.0]))(m.tensor(3.0))


@scenario
def ft_jacrev_multiple_outputs(m):
    return _fn(m).jacrev(lambda x: (x.sin(), x.cos().sum()))(m.tensor([0.0, 1.0]))


@scenario
def ft_jacrev_pytree_output(m):
    return _fn(m).jacrev(lambda x: {"a": x * 2, "b": x.sum()})(m.tensor([0.0, 1.0]))


@scenario
def ft_jacrev_argnums_tuple_pytree(m):
    return _fn(m).jacrev(lambda x, y: x * y, argnums=(0, 1))(m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0]))


@scenario
def ft_jacrev_2d(m):
    return _fn(m).jacrev(lambda x: x @ x)(m.tensor([[1.0, 2.0], [3.0, 4.0]])).shape


@scenario
def ft_jacrev_unrelated_output(m):
    return _fn(m).jacrev(lambda x, y: x * 2, argnums=1)(m.tensor([1.0, 2.0]), m.tensor([3.0]))


@scenario
def ft_jacrev_non_tensor_output(m):
    _fn(m).jacrev(lambda x: 1.0)(m.tensor([1.0]))


@scenario
@accepted("signed zero only: jacfwd here is the double-vjp trick, so zeros take the reverse pass's signs")
def ft_jacfwd_basic(m):
    return _fn(m).jacfwd(m.sin)(m.tensor([0.0, 1.0, 2.0]))


@scenario
def ft_jacfwd_argnums(m):
    return _fn(m).jacfwd(lambda x, y: x * y, argnums=(0, 1))(m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0]))


@scenario
def ft_jacfwd_has_aux(m):
    return _fn(m).jacfwd(lambda x: (x.exp(), x.sum()), has_aux=True)(m.tensor([0.0, 1.0]))


@scenario
@accepted("signed zero only: jacfwd here is the double-vjp trick, so zeros take the reverse pass's signs")
def ft_jacfwd_multiple_outputs(m):
    return _fn(m).jacfwd(lambda x: (x.sin(), x.cos().sum()))(m.tensor([0.0, 1.0]))


@scenario
def ft_jacfwd_randomness_same(m):
    return _fn(m).jacfwd(lambda x: x * 2, randomness="same")(m.tensor([1.0, 2.0]))


@scenario
def ft_hessian_basic(m):
    return _fn(m).hessian(lambda x: x.pow(3).sum())(m.tensor([1.0, 2.0]))


@scenario
def ft_hessian_argnums(m):
    return _fn(m).hessian(lambda x, y: (x * y * y).sum(), argnums=1)(m.tensor([1.0, 2.0]), m.tensor([3.0, 4.0]))


@scenario
def ft_hessian_nonscalar(m):
    return _fn(m).hessian(lambda x: x.pow(3))(m.tensor([1.0, 2.0]))


@scenario
def ft_vmap_basic(m):
    return _fn(m).vmap(m.sin)(m.tensor([[0.0, 1.0], [2.0, 3.0]]))


@scenario
def ft_vmap_in_dims_none(m):
    return _fn(m).vmap(lambda x, y: x * y, in_dims=(0, None))(m.tensor([[1.0, 2.0], [3.0, 4.0]]), m.tensor([5.0, 6.0]))


@scenario
def ft_vmap_in_dims_1(m):
    return _fn(m).vmap(lambda x: x.sum(), in_dims=1)(m.tensor([[1.0, 2.0], [3.0, 4.0]]))


@scenario
def ft_vmap_negative_in_dims(m):
    return _fn(m).vmap(lambda x: x * 2, in_dims=-1)(m.tensor([[1.0, 2.0], [3.0, 4.0]]))


@scenario
def ft_vmap_in_dims_out_of_range(m):
    _fn(m).vmap(lambda x: x, in_dims=2)(m.ones(2, 2))


@scenario
def ft_vmap_in_dims_bad_type(m):
    _fn(m).vmap(lambda x: x, in_dims="a")(m.ones(2, 2))


@scenario
def ft_vmap_all_none_in_dims(m):
    _fn(m).vmap(lambda x: x, in_dims=None)(m.ones(2, 2))


@scenario
def ft_vmap_scalar_input(m):
    _fn(m).vmap(lambda x: x)(m.tensor(1.0))


@scenario
def ft_vmap_multiple_outputs(m):
    return _fn(m).vmap(lambda x: (x * 2, x.sum()))(m.tensor([[1.0, 2.0], [3.0, 4.0]]))


@scenario
def ft_vmap_pytree_input(m):
    return _fn(m).vmap(lambda d: d["a"] + d["b"])({"a": m.ones(3, 2), "b": m.arange(6.0).view(3, 2)})


@scenario
def ft_vmap_out_dims_tuple(m):
    return _fn(m).vmap(lambda x: (x * 2, x * 3), out_dims=(0, 1))(m.tensor([[1.0, 2.0], [3.0, 4.0]]))


@scenario
def ft_vmap_out_dims_none_for_unbatched(m):
    return _fn(m).vmap(lambda x: (x * 2, m.tensor(1.0)), out_dims=(0, None))(m.tensor([1.0, 2.0]))


@scenario
def ft_vmap_non_tensor_output(m):
    _fn(m).vmap(lambda x: 1.0)(m.ones(2))


@scenario
def ft_vmap_returns_none(m):
    _fn(m).vmap(lambda x: None)(m.ones(2))


@scenario
def ft_vmap_kwargs_not_batched(m):
    return _fn(m).vmap(lambda x, scale=1.0: x * scale)(m.tensor([1.0, 2.0]), scale=m.tensor(3.0))


@scenario
def ft_vmap_inconsistent_sizes(m):
    _fn(m).vmap(lambda x, y: x + y)(m.ones(2), m.ones(3))


@scenario
def ft_vmap_matmul(m):
    return _fn(m).vmap(m.mv)(m.arange(8.0).view(2, 2, 2), m.tensor([[1.0, 0.0], [0.0, 1.0]]))


@scenario
def ft_vmap_jacrev_per_sample(m):
    return _fn(m).vmap(_fn(m).jacrev(lambda x: x.sin()))(m.tensor([[0.0, 1.0], [2.0, 3.0]]))


@scenario
def ft_vmap_grad_per_sample(m):
    w = m.tensor([1.0, -1.0])
    return _fn(m).vmap(_fn(m).grad(lambda x: (x * w).sum() ** 2))(m.tensor([[1.0, 2.0], [3.0, 4.0]]))


@scenario
@accepted('vmap runs the samples one at a time, so an in-place write of a batched value into an unbatched tensor is not refused')
def ft_vmap_inplace_on_unbatched(m):
    def f(x):
        y = m.zeros(2)
        y.add_(x)
        return y

    _fn(m).vmap(f)(m.ones(3, 2))


@scenario
def ft_vmap_chunk_size_zero(m):
    _fn(m).vmap(lambda x: x, chunk_size=0)(m.ones(2))


@scenario
def ft_vmap_chunk_size_values(m):
    return _fn(m).vmap(lambda x: x * 2, chunk_size=2)(m.arange(5.0))


@scenario
def ft_vmap_empty_batch(m):
    return _fn(m).vmap(lambda x: x * 2)(m.ones(0, 2)).shape


@scenario
def ft_functional_call_strict(m):
    lin = m.nn.Linear(2, 1)
    with m.no_grad():
        lin.weight.fill_(1.0)
        lin.bias.fill_(0.0)
    params = {"weight": m.tensor([[2.0, 3.0]]), "bias": m.tensor([1.0])}
    return _fn(m).functional_call(lin, params, (m.tensor([1.0, 1.0]),))


@scenario
def ft_functional_call_missing_key_strict(m):
    lin = m.nn.Linear(2, 1)
    _fn(m).functional_call(lin, {"weight": m.ones(1, 2)}, (m.ones(2),), strict=True)


@scenario
def ft_functional_call_unexpected_key(m):
    lin = m.nn.Linear(2, 1)
    _fn(m).functional_call(lin, {"weight": m.ones(1, 2), "bias": m.ones(1), "zz": m.ones(1)}, (m.ones(2),))


@scenario
def ft_grad_functional_call_per_param(m):
    lin = m.nn.Linear(2, 1)
    params = {"weight": m.tensor([[2.0, 3.0]]), "bias": m.tensor([1.0])}

    def loss(p, x):
        return _fn(m).functional_call(lin, p, (x,)).sum()

    return _fn(m).grad(loss)(params, m.tensor([1.0, -1.0]))


@scenario
def ft_stack_module_state(m):
    ms = [m.nn.Linear(2, 1) for _ in range(3)]
    params, buffers = _fn(m).stack_module_state(ms)
    return sorted((k, tuple(v.shape), v.requires_grad) for k, v in params.items()), buffers


@scenario
def ft_jacrev_complex_input_refused(m):
    _fn(m).jacrev(lambda z, w: z * w)(m.tensor([1.0]), m.tensor([1j]))


@scenario
def ft_jacrev_complex_in_pytree_refused(m):
    _fn(m).jacrev(lambda d: d["a"] * 2)({"a": m.tensor([1.0]), "b": m.tensor([1j])})


@scenario
def ft_jacrev_int_output_refused(m):
    _fn(m).jacrev(lambda x: (x * 2).long())(m.tensor([1.0]))


@scenario
def ft_jacrev_signed_zeros_joint(m):
    return _fn(m).jacrev(lambda x, y: (x.sum(), x * y), argnums=1)(m.tensor([-0.5, 0.5]), m.tensor([1.0, 2.0]))
