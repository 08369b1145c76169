"""Session 27 (fwdad18): forward-AD edge cases (levels, argument checks, duals as views,
complex and wider tangents), the saved values of `addcmul`/`addcdiv`'s nodes and their
`value` argument, and the parser's TypeErrors of `linspace`/`logspace`."""

import math

import pytest
from backend import MOD, fg

fwAD = fg.autograd.forward_ad
AF = fg.autograd.functional
FREED = "Trying to backward through the graph a second time"


def t(values, **kw):
    return fg.tensor(values, **kw)


# ---- forward AD ------------------------------------------------------------------------


def test_unpack_dual_inside_a_level_needs_a_tensor():
    assert fwAD.unpack_dual(3) == (3, None)  # outside a level: as it is
    with fwAD.dual_level():
        with pytest.raises(TypeError, match=r"^_unpack_dual\(\): argument 'dual' \(position 1\) must be Tensor, "
                                            r"not int$"):
            fwAD.unpack_dual(3)
        with pytest.raises(TypeError, match="must be Tensor, not NoneType"):
            fwAD.unpack_dual(None)


def test_levels_given_explicitly():
    x, tan = t([1.0, 2.0]), t([3.0, 4.0])
    with fwAD.dual_level() as level:
        assert level == 0
        d = fwAD.make_dual(x, tan, level=level)
        assert fwAD.unpack_dual(d, level=level).tangent is tan
        assert fwAD.unpack_dual(d, level=-1).tangent is None
        with pytest.raises(RuntimeError, match="^Invalid level given to _fw_primal$"):
            fwAD.unpack_dual(d, level=1)
        with pytest.raises(RuntimeError, match="^Invalid level given to _make_dual$"):
            fwAD.make_dual(x, tan, level=1)
        with pytest.raises(RuntimeError, match="no level exists, make sure to enter_dual_level"):
            fwAD.make_dual(x, tan, level=-1)
        with pytest.raises(RuntimeError, match="not the last one that was created"):
            fwAD.exit_dual_level(level=1)
    with pytest.raises(RuntimeError, match="not the last one that was created"):
        fwAD.exit_dual_level(level=0)
    with pytest.raises(RuntimeError, match="^Dual level must be a positive number.$"):
        fwAD.exit_dual_level()


def test_make_dual_argument_checks():
    with fwAD.dual_level():
        with pytest.raises(AttributeError, match="'float' object has no attribute 'is_floating_point'"):
            fwAD.make_dual(t([1.0]), 3.0)
        with pytest.raises(AttributeError, match="'list' object has no attribute 'is_floating_point'"):
            fwAD.make_dual([1.0], t([1.0]))
        with pytest.raises(ValueError, match=f"^Expected primal to be floating point or complex, but got: {MOD}.int64$"):
            fwAD.make_dual(t([1, 2]), t([1.0, 2.0]))
        with pytest.raises(ValueError, match=f"^Expected tangent to be floating point or complex, but got: {MOD}.bool$"):
            fwAD.make_dual(t([1.0, 2.0]), t([True, False]))
        with pytest.raises(RuntimeError, match=r"Tensor is of size \[2\] while the given forward gradient is of "
                                               r"size \[1, 2\]"):
            fwAD.make_dual(t([1.0, 2.0]), t([[1.0, 2.0]]))


def test_a_dual_and_its_primal_are_views_of_the_tensor():
    x, tan = t([1.0, 2.0]), t([3.0, 4.0])
    with fwAD.dual_level():
        d = fwAD.make_dual(x, tan)
        assert d._is_view() and d._base is x and d is not x
        assert d.is_leaf and d.grad_fn is None and d.data_ptr() == x.data_ptr()
        primal, tangent = fwAD.unpack_dual(d)
        assert primal._is_view() and primal._base is x and primal is not d
        assert tangent is tan
        assert fwAD.unpack_dual(primal).tangent is None
        primal = fwAD.unpack_dual(d[1:]).primal
        assert primal._base is x and primal.tolist() == [2.0] and repr(primal) == "tensor([2.])"
        y = d * 3
        p = fwAD.unpack_dual(y).primal
        assert not p.requires_grad and repr(p) == "tensor([3., 6.])"


def test_complex_tangents():
    x, tan = t([1 + 1j, 2 + 0j]), t([3 + 0j, 4 + 2j])
    with fwAD.dual_level():
        d = fwAD.make_dual(x, tan)
        got = fwAD.unpack_dual(d * d).tangent
        assert got is not None and got.dtype == fg.complex64
        expected = [2 * a * b for a, b in zip(x.tolist(), tan.tolist())]
        assert all(abs(g - e) < 1e-5 for g, e in zip(got.tolist(), expected))
        e = fwAD.unpack_dual(d.exp()).tangent
        assert all(abs(g - (cmath_exp(a) * b)) < 1e-4 for g, a, b in zip(e.tolist(), x.tolist(), tan.tolist()))


def cmath_exp(z):
    return complex(math.exp(z.real) * math.cos(z.imag), math.exp(z.real) * math.sin(z.imag))


def test_a_wider_tangent_keeps_its_dtype():
    x, tan = t([1.0, 2.0]), t([3.0, 4.0], dtype=fg.float64)
    with fwAD.dual_level():
        d = fwAD.make_dual(x, tan)
        for y in (d * 2, d.sin(), d * d, d.exp()):
            assert fwAD.unpack_dual(y).tangent.dtype == fg.float64
        assert fwAD.unpack_dual(d * 2).tangent.tolist() == [6.0, 8.0]


def test_tangents_are_dropped_with_the_level():
    x, tan = t([1.0, 2.0]), t([3.0, 4.0])
    with fwAD.dual_level():
        d = fwAD.make_dual(x, tan)
        y = d * 3
        assert fwAD.unpack_dual(y).tangent.tolist() == [9.0, 12.0]
    assert fwAD.unpack_dual(y).tangent is None and fwAD.unpack_dual(d).tangent is None
    assert not d.requires_grad and repr(y) == "tensor([3., 6.])"
    with pytest.raises(RuntimeError, match="no level exists"):
        fwAD.make_dual(x, tan)


def test_tangents_survive_an_outer_no_grad():
    x, tan = t([1.0, 2.0]), t([3.0, 4.0])
    with fg.no_grad(), fwAD.dual_level():
        d = fwAD.make_dual(x, tan)
        got = fwAD.unpack_dual(d.exp()).tangent.tolist()
    assert all(math.isclose(g, math.exp(a) * b, rel_tol=1e-6) for g, a, b in zip(got, [1.0, 2.0], [3.0, 4.0]))
    assert fg.is_grad_enabled()


# ---- addcmul / addcdiv saved values ----------------------------------------------------


def test_addcmul_keeps_each_factor_for_the_other():
    a, b, c = t([1.0, 2.0], requires_grad=True), t([3.0, 4.0], requires_grad=True), t([5.0, 6.0], requires_grad=True)
    node = fg.addcmul(a, b, c, value=2).grad_fn
    assert type(node).__name__ == "AddcmulBackward0"
    assert node._saved_tensor1 is b and node._saved_tensor2 is c
    assert node._saved_value == 2 and type(node._saved_value) is int
    assert type(node._raw_saved_tensor1).__name__ == "SavedTensor"
    assert node._raw_saved_tensor1.unpack() is b
    plain = t([1.0, 2.0])
    node = fg.addcmul(a, plain, c, value=2.5).grad_fn
    assert node._saved_tensor1 is plain and node._saved_tensor2 is None and node._saved_value == 2.5
    node = fg.addcmul(a, b, plain).grad_fn
    assert node._saved_tensor1 is None and node._saved_tensor2 is plain and node._saved_value == 1


def test_addcdiv_keeps_the_divisor_for_both():
    a, b, c = t([1.0, 2.0], requires_grad=True), t([3.0, 4.0], requires_grad=True), t([5.0, 6.0], requires_grad=True)
    plain = t([1.0, 2.0])
    node = fg.addcdiv(a, b, plain, value=0.5).grad_fn
    assert type(node).__name__ == "AddcdivBackward0"
    assert node._saved_tensor1 is None and node._saved_tensor2 is plain and node._saved_value == 0.5
    node = fg.addcdiv(a, plain, c, value=True).grad_fn
    assert node._saved_tensor1 is plain and node._saved_tensor2 is c and node._saved_value is True


def test_saved_factors_are_freed_by_backward():
    a, b = t([1.0, 2.0], requires_grad=True), t([3.0, 4.0], requires_grad=True)
    y = fg.addcmul(a, b, t([5.0, 6.0]), value=2)
    y.sum().backward()
    node = y.grad_fn
    assert node._saved_value == 2 and node._saved_tensor1 is None
    with pytest.raises(RuntimeError, match=FREED):
        _ = node._saved_tensor2


def test_inplace_forms_keep_the_same():
    b = t([3.0, 4.0], requires_grad=True)
    y = fg.ones(2, requires_grad=True).clone().addcmul_(b, b, value=2.5)
    assert type(y.grad_fn).__name__ == "AddcmulBackward0"
    assert y.grad_fn._saved_value == 2.5 and y.grad_fn._saved_tensor1 is b
    y = fg.ones(2, requires_grad=True).clone().addcdiv_(b, b, value=2)
    assert y.grad_fn._saved_tensor2 is b


def test_addc_value_is_a_number():
    b = t([3.0, 4.0], requires_grad=True)
    assert fg.addcmul(fg.ones(2), b, b, value=t(2.0)).grad_fn._saved_value == 2.0
    assert fg.addcmul(fg.ones(2), b, b, value=t(2)).grad_fn._saved_value == 2
    with pytest.raises(TypeError, match=r"^addcmul\(\): argument 'value' must be Number, not Tensor$"):
        fg.addcmul(fg.ones(2), b, b, value=t(2.0, requires_grad=True))
    with pytest.raises(TypeError, match=r"^addcmul\(\): argument 'value' must be Number, not Tensor$"):
        fg.addcmul(fg.ones(2), b, b, value=fg.ones(2))
    z = fg.addcmul(fg.ones(2, dtype=fg.complex128), b, b, value=1 + 2j)
    assert z.tolist() == [10 + 18j, 17 + 32j] and z.grad_fn._saved_value == 1 + 2j
    assert fg.addcdiv(fg.ones(2, dtype=fg.complex128), b, b, value=1 + 2j).tolist() == [2 + 2j, 2 + 2j]
    for fn, kind, dtype in [(fg.addcmul, "float", fg.float32), (fg.addcdiv, "float", fg.float32),
                            (fg.addcmul, "double", fg.float64), (fg.addcmul, "int64_t", fg.int64)]:
        ones = fg.ones(2, dtype=dtype)
        with pytest.raises(RuntimeError, match=f"^value cannot be converted to type {kind} without overflow$"):
            fn(ones, ones, ones, value=2j)
    assert fg.ones(2).addcdiv_(t([3.0, 4.0]), t([3.0, 4.0]), value=1 + 0j).tolist() == [2.0, 2.0]


# ---- linspace / logspace parser --------------------------------------------------------


_FACTORY = ("Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
            "bool pin_memory = False, bool requires_grad = False)")


def _text(error):
    """The parser's listing, its type names as PyTorch's (ferrograd's parser prints those)."""
    return str(error.value).replace(f"{MOD}.", "torch.")


def _listing(fn, got):
    base = ", float base = 10.0" if fn == "logspace" else ""
    lines = "".join(f" * ({a} start, {b} end, int steps{base}, *, {_FACTORY}\n"
                    for a, b in (("Tensor", "Tensor"), ("Number", "Tensor"), ("Tensor", "Number"), ("Number", "Number")))
    return f"{fn}() received an invalid combination of arguments - got {got}, but expected one of:\n{lines}"


@pytest.mark.parametrize("fn", ["linspace", "logspace"])
@pytest.mark.parametrize("args,kwargs,got", [
    (("a", 1, 3), {}, "(str, int, int)"),
    ((0, "b", 3), {}, "(int, str, int)"),
    ((0, 1, 3.0), {}, "(int, int, float)"),
    ((0, 1), {}, "(int, int)"),
    ((0, 1, None), {}, "(int, int, NoneType)"),
    ((0, 1, True), {}, "(int, int, bool)"),
    ((0, 1, 3, 4, 5), {}, "(int, int, int, int, int)"),
    ((0, 1), {"steps": "3"}, "(int, int, steps=str)"),
    ((0, 1, 3), {"out": 3}, "(int, int, int, out=int)"),
    ((0, 1, 3), {"requires_grad": "a"}, "(int, int, int, requires_grad=str)"),
    ((0, 1, 3), {"layout": 1}, "(int, int, int, layout=int)"),
    (([0], 1, 3), {}, "(list, int, int)"),
])
def test_space_parser_errors(fn, args, kwargs, got):
    with pytest.raises(TypeError) as info:
        getattr(fg, fn)(*args, **kwargs)
    assert _text(info) == _listing(fn, got)


@pytest.mark.parametrize("fn", ["linspace", "logspace"])
def test_space_bounds_of_one_or_more_dims(fn):
    with pytest.raises(RuntimeError, match=f"^{fn} only supports 0-dimensional start and end tensors, but got "
                                           r"start with 1 dimension\(s\)\.$"):
        getattr(fg, fn)(t([0.0]), 1, 3)
    with pytest.raises(RuntimeError, match=r"but got start with 2 dimension\(s\) and end with 2 dimension\(s\)\.$"):
        getattr(fg, fn)(t([[0.0]]), t([[1.0]]), 3)


def test_space_good_calls():
    assert fg.linspace(0, 1, 3, out=None, dtype=None, layout=None, device=None, pin_memory=None,
                       requires_grad=None).tolist() == [0.0, 0.5, 1.0]
    assert fg.linspace(t(0.0), 1, t(3)).tolist() == [0.0, 0.5, 1.0]
    assert fg.logspace(0, 1, 3, 4).tolist() == [1.0, 2.0, 4.0]
    assert fg.linspace(0, 1, 3, layout=fg.strided).tolist() == [0.0, 0.5, 1.0]


def test_factory_layout_must_be_a_layout():
    with pytest.raises(TypeError) as info:
        fg.zeros(2, layout=1)
    assert _text(info) == "zeros(): argument 'layout' must be torch.layout, not int"
    with pytest.raises(TypeError) as info:
        fg.eye(2, layout=1)
    assert _text(info).startswith("eye() received an invalid combination of arguments - got (int, layout=int)")
    assert f" * (int n, int m, *, {_FACTORY}\n" in _text(info)


# ---- autograd.functional ---------------------------------------------------------------


def test_functional_results_against_closed_forms():
    x = t([1.0, 2.0, 3.0], dtype=fg.float64)
    v = t([1.0, 0.0, 2.0], dtype=fg.float64)
    _, jv = AF.jvp(lambda a: (a ** 2).sin(), x, v)
    assert all(math.isclose(g, math.cos(a * a) * 2 * a * w, abs_tol=1e-12)
               for g, a, w in zip(jv.tolist(), x.tolist(), v.tolist()))
    h = AF.hessian(lambda a: (a ** 3).sum(), x, vectorize=True, outer_jacobian_strategy="forward-mode")
    assert h.tolist() == [[6.0, 0.0, 0.0], [0.0, 12.0, 0.0], [0.0, 0.0, 18.0]]
    _, hv = AF.hvp(lambda a: (a ** 3).sum(), x, v, create_graph=True)
    assert hv.tolist() == [6.0, 0.0, 36.0] and hv.requires_grad
    with pytest.raises(RuntimeError, match="with respect to input 0 is independent of the input. This is not allowed in strict mode"):
        AF.hessian(lambda a: a.sum(), t([1.0, 2.0]), strict=True)


def _signs(x):
    return [math.copysign(1.0, v) for v in x.reshape(-1).tolist()]


def test_forward_mode_jacobian_columns_come_from_tangents():
    x = t([1.0, 2.0, 3.0], dtype=fg.float64)
    forward = AF.jacobian(lambda a: (a ** 2).sin(), x, vectorize=True, strategy="forward-mode")
    reverse = AF.jacobian(lambda a: (a ** 2).sin(), x)
    assert forward.tolist() == reverse.tolist()
    # off the diagonal: the row's derivative times a zero tangent (cos(4) and cos(9) < 0)
    assert _signs(forward) == [1.0, 1.0, 1.0, -1.0, -1.0, -1.0, -1.0, -1.0, -1.0]
    assert _signs(reverse) == [1.0, -1.0, -1.0, 1.0, -1.0, -1.0, 1.0, -1.0, -1.0]
    assert forward.stride() == (1, 3) and not forward.is_contiguous()


def test_forward_mode_jacobian_of_several_inputs_and_outputs():
    x, y = t([1.0, 2.0]), t([3.0, 4.0])
    jac = AF.jacobian(lambda a, b: (a * b, a.sum()), (x, y), vectorize=True, strategy="forward-mode")
    assert isinstance(jac, list) and isinstance(jac[0], list)
    assert jac[0][0].tolist() == [[3.0, 0.0], [0.0, 4.0]] and jac[0][1].tolist() == [[1.0, 0.0], [0.0, 2.0]]
    assert jac[1][0].tolist() == [1.0, 1.0] and jac[1][1].tolist() == [0.0, 0.0]
    assert AF.jacobian(lambda a: fg.ones(3), x, vectorize=True, strategy="forward-mode").tolist() == [[0.0] * 2] * 3
    empty = AF.jacobian(lambda a: a * 2, fg.ones(0), vectorize=True, strategy="forward-mode")
    assert tuple(empty.shape) == (0, 0)


def test_forward_over_reverse_hessian_keeps_a_graph():
    h = AF.hessian(lambda a: (a ** 3).sum(), t([1.0, 2.0, 3.0]), vectorize=True, outer_jacobian_strategy="forward-mode")
    assert h.tolist() == [[6.0, 0.0, 0.0], [0.0, 12.0, 0.0], [0.0, 0.0, 18.0]]
    assert type(h.grad_fn).__name__ == "ReshapeAliasBackward0" and h.stride() == (1, 3)
    one = AF.hessian(lambda a: a ** 3, t(2.0), vectorize=True, outer_jacobian_strategy="forward-mode")
    assert one.item() == 12.0 and type(one.grad_fn).__name__ == "ViewBackward0"
    with fg.no_grad():
        h = AF.hessian(lambda a: (a ** 3).sum(), t([1.0, 2.0]), vectorize=True, outer_jacobian_strategy="forward-mode")
    assert h.grad_fn is None and h.tolist() == [[6.0, 0.0], [0.0, 12.0]]


def test_dual_reprs_and_the_current_level():
    assert fwAD._current_level == -1
    x, tan = t([1.0, 2.0]), t([3.0, 4.0])
    with fwAD.dual_level():
        assert fwAD._current_level == 0
        d = fwAD.make_dual(x, tan)
        assert repr(d.sum()) == "tensor(3., tangent=7.0)"
        assert repr(d[0]) == "tensor(1., tangent=3.0)"
        assert repr(d * 2) == "tensor([2., 4.], tangent=tensor([6., 8.]))"
    assert fwAD._current_level == -1


def test_the_primal_of_a_tensor_with_a_graph():
    x = t([1.0, 2.0], requires_grad=True)
    with fwAD.dual_level():
        d = fwAD.make_dual(x, t([3.0, 4.0]))
        y = d * 2
        primal = fwAD.unpack_dual(y).primal
        assert repr(primal) == "tensor([2., 4.], grad_fn=<Identity>)"
        assert type(primal.grad_fn).__name__ == "CppFunction"
        assert primal.grad_fn.name() == "torch::autograd::Identity"
        assert primal._base is y and fwAD.unpack_dual(primal).tangent is None
        primal.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_cpp_function_nodes_print_their_names():
    x = fg.ones(2, requires_grad=True)
    assert repr(fg._foreach_add([x], [x])[0]) == "tensor([2., 2.], grad_fn=<ForeachAddBackward0List>)"
    assert repr(fg._foreach_exp([x])[0]) == "tensor([2.7183, 2.7183], grad_fn=<ForeachExpBackward0>)"
