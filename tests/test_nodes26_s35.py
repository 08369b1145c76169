"""Session 35 (helper nodes26): triangular_solve, lu_unpack and native_group_norm are
PyTorch's one node with several differentiable outputs; -0.0 gradients as PyTorch's; the
argument parser's errors and its keyword `self=` binding. Expectations are PyTorch's
(run with FG_TEST_BACKEND=torch)."""

import math
import warnings

import pytest
from backend import fg

F = fg.nn.functional


def x22():
    return fg.tensor([[0.5, 1.5], [2.0, 0.75]], dtype=fg.float64, requires_grad=True)


def edges(fn):
    return [None if f is None else type(f).__name__ for f, _ in fn.next_functions]


def close(values, expected):
    flat = [v for row in values for v in row] if isinstance(values[0], list) else values
    want = [v for row in expected for v in row] if isinstance(expected[0], list) else expected
    assert len(flat) == len(want) and all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(flat, want))


def test_triangular_solve_is_one_node_of_both_outputs():
    x = x22()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s, c = fg.triangular_solve(x * x, x.tril() + 1, upper=False, transpose=True)
    fn = s.grad_fn
    assert fn.name() == "TriangularSolveBackward0" and c.grad_fn is fn
    assert (s.output_nr, c.output_nr) == (0, 1)
    assert edges(fn) == ["MulBackward0", "AddBackward0"]
    assert (fn._saved_upper, fn._saved_transpose, fn._saved_unitriangular) == (False, True, False)
    assert fn._saved_solution.grad_fn is fn and fn._saved_self.tolist() == [[0.25, 2.25], [4.0, 0.5625]]
    close(s.tolist(), [[-4.404761904761904, 0.8571428571428572], [2.2857142857142856, 0.3214285714285714]])
    ((s * 2).sum() + (c * c).sum()).backward()
    close(x.grad.tolist(), [[9.063492063492061, 4.0], [-2.047619047619046, 4.76530612244898]])


def test_lu_unpack_is_one_node_of_L_and_U():
    x = x22()
    P, L, U = fg.lu_unpack(*fg.linalg.lu_factor(x * x))
    fn = L.grad_fn
    assert fn.name() == "LuUnpackBackward0" and U.grad_fn is fn and P.grad_fn is None
    assert (L.output_nr, U.output_nr) == (0, 1)
    assert edges(fn) == ["LinalgLuFactorExBackward0"]
    assert (fn._saved_LU_data_sym_argsize_minus_1, fn._saved_LU_data_sym_argsize_minus_2) == (2, 2)
    ((L * 3).sum() + (U * U).sum()).backward()
    close(x.grad.tolist(), [[0.1270751953125, 13.2890625], [31.968231201171875, 1.272216796875]])


def test_native_group_norm_statistics_are_outputs_of_its_node():
    x = x22()
    out, mean, rstd = fg.native_group_norm((x * x).reshape(1, 2, 2), None, None, 1, 2, 2, 1, 1e-5)
    fn = out.grad_fn
    assert fn.name() == "NativeGroupNormBackward0" and mean.grad_fn is fn and rstd.grad_fn is fn
    assert (mean.output_nr, rstd.output_nr) == (1, 2)
    assert fn._saved_result1.grad_fn is fn and fn._saved_result2.grad_fn is fn
    (mean.sum() + rstd.sum()).backward()
    close(x.grad.tolist(), [[0.3627997694277666, 0.6418517674558526], [0.33483022564244846, 0.5093131275145056]])


def test_group_norm_saved_results_and_exact_zero_gradient():
    x = x22()
    y = F.group_norm((x * x).reshape(1, 2, 2), 1)
    assert y.grad_fn._saved_result1.grad_fn is y.grad_fn
    y.sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_grid_sample_border_gradient_keeps_negative_zero():
    g = fg.tensor([[[[0.0, 0.0], [-0.9, 0.3], [1.2, -1.3]]]], dtype=fg.float64, requires_grad=True)
    inp = fg.tensor([[[[0.5, 1.5], [2.0, 0.75]]]], dtype=fg.float64)
    y = F.grid_sample(inp, g, padding_mode="border", align_corners=False)
    grad, = fg.autograd.grad(y.sum(), g)
    assert [str(v) for v in grad.flatten().tolist()] == ["-0.125", "0.375", "-0.0", "1.5", "-0.0", "-0.0"]


def test_self_keyword_binds_the_number_first_overloads():
    assert fg.pow(self=2, exponent=fg.tensor([1.0, 3.0])).tolist() == [2.0, 8.0]
    assert fg.remainder(self=5, other=fg.tensor([2.0, 3.0])).tolist() == [1.0, 2.0]
    assert fg.bitwise_and(self=6, other=fg.tensor([3])).tolist() == [2]
    assert fg.float_power(self=2, exponent=fg.tensor([2.0])).tolist() == [4.0]


@pytest.mark.parametrize("call, message", [
    (lambda t: fg.sub(self=2, other=t), 'sub() missing 2 required positional argument: "input", "other"'),
    (lambda t: fg.mul(self=2, other=t), 'mul() missing 2 required positional argument: "input", "other"'),
    (lambda t: fg.add(t, foo=1), 'add() missing 1 required positional arguments: "other"'),
    (lambda t: fg.mul(t, bogus=t), 'mul() missing 1 required positional arguments: "other"'),
    (lambda t: fg.softmax(t, foo=1), 'softmax() missing 1 required positional arguments: "dim"'),
    (lambda t: t.cumsum(foo=1), 'cumsum() missing 1 required positional arguments: "dim"'),
    (lambda t: t.repeat(repeats="a"), "repeat(): argument 'repeats' must be tuple of ints, not str"),
    (lambda t: t.repeat("a"), "repeat(): argument 'repeats' (position 1) must be tuple of ints, not str"),
    (lambda t: t.repeat(repeats=2), "repeat(): argument 'repeats' must be tuple of ints, not int"),
    (lambda t: t.repeat(repeats=fg.tensor([2])), "repeat(): argument 'repeats' must be tuple of ints, not Tensor"),
    (lambda t: t.repeat(2, "a"), ("repeat(): argument 'repeats' failed to unpack the object at pos 2 with error "
                                  "\"type must be tuple of ints,but got str\"")),
    (lambda t: t.repeat(2, repeats=2), "repeat() got multiple values for argument 'repeats'"),
    (lambda t: fg.repeat_interleave(repeats="a"), "repeat_interleave(): argument 'repeats' must be Tensor, not str"),
    (lambda t: t.where(fg.tensor([True, False]), bogus_kw=1),
     ("where() received an invalid combination of arguments - got (Tensor, bogus_kw=int), but expected one of:\n"
      " * (Tensor condition, Tensor other)\n      didn't match because some of the keywords were incorrect: bogus_kw\n"
      " * (Tensor condition, Number other)\n      didn't match because some of the keywords were incorrect: bogus_kw\n")),
    (lambda t: t.where(fg.tensor([True, False])),
     ("where() received an invalid combination of arguments - got (Tensor), but expected one of:\n"
      " * (Tensor condition, Tensor other)\n * (Tensor condition, Number other)\n")),
    (lambda t: t.crow_indices(foo=1), "TensorBase.crow_indices() takes no keyword arguments"),
    (lambda t: t.indices(1), "TensorBase.indices() takes no arguments (1 given)"),
    (lambda t: t.is_distributed(foo=1), "TensorBase.is_distributed() takes no keyword arguments"),
    (lambda t: t.module_load(t, foo=1), "Tensor.module_load() got an unexpected keyword argument 'foo'"),
])
def test_parser_errors(call, message):
    t = fg.tensor([1.0, 2.0])
    with pytest.raises(TypeError) as caught:
        call(t)
    assert str(caught.value).replace("torch", "ferrograd") == message


def test_where_still_takes_other_by_keyword():
    t = fg.tensor([1.0, 2.0])
    c = fg.tensor([True, False])
    assert t.where(c, other=fg.tensor([5.0, 6.0])).tolist() == [1.0, 6.0]
    assert t.where(condition=c, other=0).tolist() == [1.0, 0.0]
    assert t.repeat(repeats=[2]).tolist() == [1.0, 2.0, 1.0, 2.0]
