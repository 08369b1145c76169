"""Session 26 (helper foreach17): PyTorch's `torch._foreach_*` ops (binary with a tensor
list, scalar, scalar list or 0-dim tensor; unary; addcmul/addcdiv; lerp; clamp and
maximum/minimum; norm, max, powsum; pow with a scalar base; copy_, zero_, clone, mm):
their values, result dtypes, argument checks and messages, in-place semantics and the
nodes of their results, following the scenarios of PyTorch's test/test_foreach.py.
Expected values are NumPy's or hand-computed, messages PyTorch 2.13's; the file also
runs against PyTorch (`FG_TEST_BACKEND=torch`)."""

import gc
import math
import re
import weakref

import numpy as np
import pytest
from backend import MOD, fg


def raises(kind, fragment):
    return pytest.raises(kind, match=re.escape(fragment))


def floats(*rows, dtype=None):
    return [fg.tensor(r, dtype=dtype or fg.float32) for r in rows]


def ints(*rows):
    return [fg.tensor(r) for r in rows]


def close(tensors, expected, dtype=None):
    assert len(tensors) == len(expected)
    for t, e in zip(tensors, expected):
        if dtype is not None:
            assert t.dtype == dtype
        np.testing.assert_allclose(np.array(t.tolist()), np.array(e), rtol=1e-6, atol=1e-6)


def leaves(*rows):
    return [fg.tensor(r, requires_grad=True) for r in rows]


def grads(tensors):
    return [None if t.grad is None else t.grad.tolist() for t in tensors]


ALL_NAMES = (
    "abs", "acos", "add", "addcdiv", "addcmul", "asin", "atan", "ceil", "clamp_max", "clamp_min", "cos", "cosh",
    "div", "erf", "erfc", "exp", "expm1", "floor", "frac", "lerp", "lgamma", "log", "log10", "log1p", "log2",
    "maximum", "minimum", "mul", "neg", "pow", "reciprocal", "round", "rsqrt", "sigmoid", "sign", "sin", "sinh",
    "sqrt", "sub", "tan", "tanh", "trunc",
)


# ---- the names --------------------------------------------------------------------------


def test_every_foreach_name_pytorch_has_is_there():
    names = [f"_foreach_{n}" for n in ALL_NAMES] + [f"_foreach_{n}_" for n in ALL_NAMES]
    names += ["_foreach_clone", "_foreach_copy_", "_foreach_max", "_foreach_mm", "_foreach_norm",
              "_foreach_powsum", "_foreach_zero_"]
    assert len(names) == 91
    for name in names:
        assert callable(getattr(fg, name)), name
        assert getattr(fg, name).__name__ == name


# ---- binary ops: the four forms of the second argument ---------------------------------


def test_add_with_a_tensor_list_and_alpha():
    out = fg._foreach_add(floats([1, 2], [3]), floats([10, 20], [30]), alpha=2)
    assert isinstance(out, tuple)
    close(out, [[21, 42], [63]], fg.float32)


def test_add_with_a_scalar_a_scalar_list_and_a_zero_dim_tensor():
    close(fg._foreach_add(floats([1, 2], [3]), 2.0), [[3, 4], [5]])
    close(fg._foreach_add(floats([1, 2], [3]), [1, 2]), [[2, 3], [5]])
    close(fg._foreach_add(floats([1, 2], [3]), fg.tensor(2.0), alpha=3), [[7, 8], [9]])
    close(fg._foreach_add(floats([1, 2], [3]), scalar=2), [[3, 4], [5]])


def test_sub_mul_div_each_form_match_numpy():
    a = [np.array([1.5, -2.0, 4.0]), np.array([[0.5, 3.0]])]
    b = [np.array([2.0, 0.5, -1.0]), np.array([[4.0, -2.0]])]
    ta, tb = [fg.tensor(x, dtype=fg.float64) for x in a], [fg.tensor(x, dtype=fg.float64) for x in b]
    close(fg._foreach_sub(ta, tb, alpha=0.5), [x - 0.5 * y for x, y in zip(a, b)])
    close(fg._foreach_mul(ta, tb), [x * y for x, y in zip(a, b)])
    close(fg._foreach_div(ta, tb), [x / y for x, y in zip(a, b)])
    close(fg._foreach_mul(ta, fg.tensor(-3.0)), [x * -3.0 for x in a])
    close(fg._foreach_div(ta, [2, 4]), [a[0] / 2, a[1] / 4])
    close(fg._foreach_sub(ta, 1.5), [x - 1.5 for x in a])


def test_out_of_place_results_take_each_tensors_promoted_type():
    out = fg._foreach_add(ints([1, 2], [3]), 1.5)
    assert [t.dtype for t in out] == [fg.float32, fg.float32]
    out = fg._foreach_add(ints([1, 2], [3]), [1, 1.5])
    assert [t.dtype for t in out] == [fg.int64, fg.float32]
    close(out, [[2, 3], [4.5]])
    out = fg._foreach_mul(ints([1, 2], [3]), [True, 2j])
    assert [t.dtype for t in out] == [fg.int64, fg.complex64]
    assert out[1].tolist() == [6j]
    out = fg._foreach_div(ints([1, 2], [3]), 2)
    assert [t.dtype for t in out] == [fg.float32, fg.float32]
    out = fg._foreach_mul(ints([1, 2], [3]), fg.tensor(2.5))
    close(out, [[2.5, 5.0], [7.5]], fg.float32)
    out = fg._foreach_add([fg.tensor([1.1]), fg.tensor([1])], 1)  # one list, two dtypes
    assert [t.dtype for t in out] == [fg.float32, fg.int64]


def test_in_place_forms_return_their_list_and_write_each_tensor():
    tensors = floats([1, 2], [3])
    versions = [t._version for t in tensors]
    result = fg._foreach_mul_(tensors, [2, 3])
    assert result is tensors
    close(tensors, [[2, 4], [9]])
    assert all(t._version > v for t, v in zip(tensors, versions))
    as_tuple = tuple(floats([4.0]))
    assert fg._foreach_sqrt_(as_tuple) is as_tuple
    assert as_tuple[0].tolist() == [2.0]


def test_in_place_forms_refuse_a_float_result_in_an_integer_tensor():
    message = "result type Float can't be cast to the desired output type Long"
    with raises(RuntimeError, message):
        fg._foreach_add_(ints([1, 2]), 1.5)
    with raises(RuntimeError, message):
        fg._foreach_div_(ints([1, 2]), 2)
    with raises(RuntimeError, message):
        fg._foreach_exp_(ints([1, 2]))
    with raises(RuntimeError, message):
        fg._foreach_mul_(ints([1, 2]), fg.tensor(2.5))
    with raises(RuntimeError, "result type Float can't be cast to the desired output type long int"):
        fg._foreach_clamp_min_(ints([1, 2]), 1.5)


def test_bool_subtraction_and_negation_refusals():
    with raises(RuntimeError, "Subtraction, the `-` operator, with a bool tensor is not supported."):
        fg._foreach_sub([fg.tensor([True])], 1)
    with raises(RuntimeError, "Subtraction, the `-` operator, with two bool tensors is not supported."):
        fg._foreach_sub([fg.tensor([True])], [fg.tensor([False])])
    with raises(RuntimeError, "Negation, the `-` operator, on a bool tensor is not supported."):
        fg._foreach_neg([fg.tensor([True])])
    with raises(RuntimeError, "For integral input tensors, argument alpha must not be a floating point number."):
        fg._foreach_add(ints([1]), ints([1]), alpha=1.5)


# ---- the list checks ---------------------------------------------------------------------


def test_an_empty_list_is_refused_by_every_family():
    calls = [
        lambda: fg._foreach_add([], 1), lambda: fg._foreach_add([], []), lambda: fg._foreach_exp([]),
        lambda: fg._foreach_norm([]), lambda: fg._foreach_zero_([]), lambda: fg._foreach_max([]),
        lambda: fg._foreach_addcmul([], [], []), lambda: fg._foreach_lerp([], [], 0.5),
    ]
    for call in calls:
        with raises(RuntimeError, "Tensor list must have at least one tensor."):
            call()


def test_lists_of_different_lengths():
    message = "Tensor lists must have the same number of tensors, got 1 and 2"
    one, two = floats([1.0]), floats([1.0], [2.0])
    for call in (lambda: fg._foreach_add(one, two), lambda: fg._foreach_mul_(one, two),
                 lambda: fg._foreach_addcmul(one, two, one), lambda: fg._foreach_addcdiv(one, one, two),
                 lambda: fg._foreach_lerp(one, two, 0.5), lambda: fg._foreach_lerp(one, one, two),
                 lambda: fg._foreach_copy_(one, two)):
        with raises(RuntimeError, message):
            call()
    with raises(RuntimeError, "_foreach_mm: self and mat2 must have the same number of tensors"):
        fg._foreach_mm([fg.eye(2)], [])


def test_scalar_list_length_and_an_empty_second_list():
    message = "Tensor list must have same number of elements as scalar list."
    with raises(RuntimeError, message):
        fg._foreach_add(floats([1, 2], [3]), [1.0])
    with raises(RuntimeError, message):
        fg._foreach_lerp(floats([1.0]), floats([1.0]), [0.5, 0.5])
    with raises(RuntimeError, message):
        fg._foreach_addcmul(floats([1.0], [2.0]), floats([1.0], [2.0]), floats([1.0], [2.0]), [1.0])
    # an empty list reads as a scalar list
    with raises(RuntimeError, message):
        fg._foreach_mul(floats([1.0]), [])
    with raises(RuntimeError, message):
        fg._foreach_mul_(floats([1.0]), [])


def test_the_tensor_form_takes_a_zero_dim_tensor_only():
    with raises(RuntimeError, "scalar tensor expected to be 0 dim but it has 1 dimensions and 1 elements."):
        fg._foreach_mul(floats([1.0, 2.0]), fg.tensor([2.0]))
    with raises(RuntimeError, "scalar tensor expected to be 0 dim but it has 1 dimensions and 2 elements."):
        fg._foreach_div_(floats([1.0, 2.0]), fg.tensor([2.0, 3.0]))


def test_shapes_broadcast_as_the_per_tensor_op():
    close(fg._foreach_add(floats([1, 2], [3]), floats([1], [1])), [[2, 3], [4]])
    close(fg._foreach_add(floats([1]), floats([1, 2, 3])), [[2, 3, 4]])
    with raises(RuntimeError, "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"):
        fg._foreach_add(floats([1, 2]), floats([1, 2, 3]))
    with raises(RuntimeError, "output with shape [1] doesn't match the broadcast shape [3]"):
        fg._foreach_add_(floats([1]), floats([1, 2, 3]))


def test_in_place_on_a_leaf_that_requires_grad_changes_nothing():
    tensors = [fg.tensor([1.0]), fg.tensor([2.0], requires_grad=True)]
    message = "a leaf Variable that requires grad is being used in an in-place operation."
    for call in (lambda: fg._foreach_add_(tensors, 1), lambda: fg._foreach_zero_(tensors),
                 lambda: fg._foreach_exp_(tensors), lambda: fg._foreach_lerp_(tensors, tensors, 0.5),
                 lambda: fg._foreach_addcmul_(tensors, tensors, tensors), lambda: fg._foreach_copy_(tensors, tensors)):
        with raises(RuntimeError, message):
            call()
    assert [t.item() for t in tensors] == [1.0, 2.0]
    with fg.no_grad():
        fg._foreach_add_(tensors, 1)
    assert [t.item() for t in tensors] == [2.0, 3.0]


# ---- the argument parser -----------------------------------------------------------------


def test_the_parser_refusals():
    with raises(TypeError, "_foreach_add() received an invalid combination of arguments - got (Tensor, int), "
                           "but expected one of:"):
        fg._foreach_add(fg.ones(1), 1)
    with raises(TypeError, "_foreach_exp(): argument 'self' (position 1) must be tuple of Tensors, not Tensor"):
        fg._foreach_exp(fg.ones(1))
    with raises(TypeError, "_foreach_norm(): argument 'ord' (position 2) must be Number, not str"):
        fg._foreach_norm(floats([1.0]), "fro")
    with raises(TypeError, "_foreach_exp() takes 1 positional argument but 2 were given"):
        fg._foreach_exp(floats([1.0]), 1)
    with raises(TypeError, "_foreach_exp() got an unexpected keyword argument 'foo'"):
        fg._foreach_exp(floats([1.0]), foo=1)


def test_the_parser_lists_the_overloads_in_pytorchs_order_and_words():
    one = floats([1.0])
    with pytest.raises(TypeError) as info:
        fg._foreach_add(one, one, one, "a")
    assert str(info.value) == (
        "_foreach_add() received an invalid combination of arguments - got (list, list, list, str), but expected "
        "one of:\n"
        " * (tuple of Tensors self, Number scalar)\n"
        " * (tuple of Tensors self, tuple of Scalars scalars)\n"
        " * (tuple of Tensors self, Tensor other, *, Number alpha = 1)\n"
        "      didn't match because some of the arguments have invalid types: (!list of [Tensor]!, "
        "!list of [Tensor]!, !list of [Tensor]!, !str!)\n"
        " * (tuple of Tensors self, tuple of Tensors other, *, Number alpha = 1)\n"
        "      didn't match because some of the arguments have invalid types: (!list of [Tensor]!, "
        "!list of [Tensor]!, !list of [Tensor]!, !str!)\n"
    )
    with pytest.raises(TypeError) as info:
        fg._foreach_mul(one, "x")
    note = "      didn't match because some of the arguments have invalid types: (!list of [Tensor]!, !str!)\n"
    assert str(info.value) == (
        "_foreach_mul() received an invalid combination of arguments - got (list, str), but expected one of:\n"
        f" * (tuple of Tensors self, tuple of Scalars scalars)\n{note}"
        f" * (tuple of Tensors self, Tensor other)\n{note}"
        f" * (tuple of Tensors self, tuple of Tensors other)\n{note}"
        f" * (tuple of Tensors self, Number scalar)\n{note}"
    )
    with pytest.raises(TypeError) as info:
        fg._foreach_lerp(one, one, alpha="a")
    note = "      didn't match because some of the keywords were incorrect: alpha\n"
    assert str(info.value) == (
        "_foreach_lerp() received an invalid combination of arguments - got (list, list, alpha=str), but expected "
        "one of:\n"
        f" * (tuple of Tensors self, tuple of Tensors tensors1, Number weight)\n{note}"
        f" * (tuple of Tensors self, tuple of Tensors tensors1, tuple of Scalars weight)\n{note}"
        f" * (tuple of Tensors self, tuple of Tensors tensors1, tuple of Tensors weights)\n{note}"
    )


def test_the_parsers_notes_count_the_keyword_only_marker_and_name_unknown_keywords():
    x = fg.ones(2, 2)
    with pytest.raises(TypeError) as info:
        fg.bitwise_and(x, x, x, x)
    assert str(info.value) == (
        "bitwise_and() received an invalid combination of arguments - got (Tensor, Tensor, Tensor, Tensor), but "
        "expected one of:\n"
        " * (Tensor input, Tensor other, *, Tensor out = None)\n"
        "      didn't match because some of the arguments have invalid types: (Tensor, Tensor, !Tensor!, !Tensor!)\n"
        " * (Number self, Tensor other)\n"
        " * (Tensor input, Number other, *, Tensor out = None)\n"
        "      didn't match because some of the arguments have invalid types: (Tensor, !Tensor!, !Tensor!, "
        "!Tensor!)\n"
    )
    with pytest.raises(TypeError) as info:
        x.bitwise_and(foo=1)
    assert str(info.value) == (
        "bitwise_and() received an invalid combination of arguments - got (foo=int, ), but expected one of:\n"
        " * (Tensor other)\n"
        "      didn't match because some of the keywords were incorrect: foo\n"
        " * (Number other)\n"
        "      didn't match because some of the keywords were incorrect: foo\n"
    )


def test_a_list_element_that_is_not_a_tensor():
    with raises(TypeError, "expected Tensor as element 1 in argument 0, but got NoneType"):
        fg._foreach_add([fg.ones(1), None], 1)
    with raises(TypeError, "expected Tensor as element 1 in argument 1, but got int"):
        fg._foreach_add(floats([1.0], [2.0]), [fg.tensor(1.0), 2])
    with raises(TypeError, "expected Tensor as element 0 in argument 1, but got int"):
        fg._foreach_add(floats([1.0], [2.0]), [1, 2], alpha=2)
    with raises(TypeError, "expected Tensor as element 0 in argument 0, but got float"):
        fg._foreach_pow([2.0], floats([1.0]))


def test_numpy_scalars_are_scalars():
    one = floats([1.0, 2.0])
    close(fg._foreach_add(one, [np.int64(1)]), [[2, 3]])
    close(fg._foreach_mul(one, [np.float32(1.5)]), [[1.5, 3]])
    close(fg._foreach_add(one, np.float32(2)), [[3, 4]])
    close(fg._foreach_addcmul(one, one, one, value=np.int64(2)), [[3, 10]])
    close(fg._foreach_lerp(one, floats([3.0, 4.0]), [np.float64(0.5)]), [[2, 3]])
    assert fg._foreach_norm(one, np.float64(1))[0].item() == 3.0


def test_keywords_name_the_parameters():
    close(fg._foreach_mul(self=floats([1, 2]), other=floats([3, 4])), [[3, 8]])
    close(fg._foreach_addcmul(floats([1.0]), floats([2.0]), floats([3.0]), value=0.5), [[4.0]])
    close(fg._foreach_lerp(floats([0.0]), floats([8.0]), weight=0.25), [[2.0]])
    result = fg._foreach_copy_(floats([0.0]), floats([5.0]), non_blocking=True)
    assert result[0].item() == 5.0


# ---- unary ops ---------------------------------------------------------------------------


UNARY_NUMPY = {
    "abs": np.abs, "acos": np.arccos, "asin": np.arcsin, "atan": np.arctan, "ceil": np.ceil, "cos": np.cos,
    "cosh": np.cosh, "exp": np.exp, "expm1": np.expm1, "floor": np.floor, "log": np.log, "log10": np.log10,
    "log1p": np.log1p, "log2": np.log2, "neg": np.negative, "reciprocal": np.reciprocal, "round": np.round,
    "rsqrt": lambda x: 1 / np.sqrt(x), "sigmoid": lambda x: 1 / (1 + np.exp(-x)), "sign": np.sign, "sin": np.sin,
    "sinh": np.sinh, "sqrt": np.sqrt, "tan": np.tan, "tanh": np.tanh, "trunc": np.trunc,
    "frac": lambda x: x - np.trunc(x), "erf": np.vectorize(math.erf), "erfc": np.vectorize(math.erfc),
    "lgamma": np.vectorize(math.lgamma),
}


@pytest.mark.parametrize("op", sorted(UNARY_NUMPY))
def test_unary_out_of_place_and_in_place_match_numpy(op):
    data = [np.array([0.25, 0.5, 0.75]), np.array([[0.1, 0.9], [0.3, 0.6]])]
    expected = [UNARY_NUMPY[op](x) for x in data]
    tensors = [fg.tensor(x, dtype=fg.float64) for x in data]
    close(getattr(fg, f"_foreach_{op}")(tensors), expected, fg.float64)
    close(tensors, data)  # out of place leaves its input
    assert getattr(fg, f"_foreach_{op}_")(tensors) is tensors
    close(tensors, expected, fg.float64)


def test_unary_result_types_of_integer_and_bool_tensors():
    assert [t.dtype for t in fg._foreach_sqrt(ints([1, 4], [9]))] == [fg.float32, fg.float32]
    close(fg._foreach_sqrt(ints([1, 4], [9])), [[1, 2], [3]])
    for op in ("abs", "neg", "sign", "round", "ceil"):
        assert [t.dtype for t in getattr(fg, f"_foreach_{op}")(ints([-1, 2], [3]))] == [fg.int64, fg.int64]
    assert fg._foreach_sign([fg.tensor([True, False])])[0].tolist() == [True, False]
    assert fg._foreach_exp([fg.tensor([True, False])])[0].dtype == fg.float32
    with raises(NotImplementedError, "\"frac_cpu\" not implemented for 'Long'"):
        fg._foreach_frac(ints([1]))
    with raises(NotImplementedError, "\"abs_cpu\" not implemented for 'Bool'"):
        fg._foreach_abs([fg.tensor([True])])
    with raises(NotImplementedError, "\"round_vml_cpu\" not implemented for 'Bool'"):
        fg._foreach_round([fg.tensor([True])])


def test_zero_clone_and_an_empty_tensor():
    tensors = ints([1, 2], [3])
    assert fg._foreach_zero_(tensors) is tensors
    assert [t.tolist() for t in tensors] == [[0, 0], [0]]
    source = floats([1.0, 2.0])
    copies = fg._foreach_clone(source, memory_format=fg.contiguous_format)
    assert copies[0].tolist() == [1.0, 2.0] and copies[0].data_ptr() != source[0].data_ptr()
    empty = [fg.randn(0)]
    assert fg._foreach_add(empty, 1)[0].shape == (0,)
    fg._foreach_add_(empty, 1)
    assert fg._foreach_exp(empty)[0].tolist() == []


# ---- binary scenarios of PyTorch's test --------------------------------------------------


def test_scalar_ops_on_an_expanded_tensor():
    tensors = [fg.ones(1, 1).expand(2, 1, 3)]
    for op, value in (("add", 2.0), ("sub", 0.0), ("mul", 1.0), ("div", 1.0)):
        (out,) = getattr(fg, f"_foreach_{op}")(tensors, 1)
        assert out.shape == (2, 1, 3)
        assert out.flatten().tolist() == [value] * 6


def test_binary_ops_of_infinities_and_nans():
    inf, nan = math.inf, math.nan
    left = [fg.tensor([inf]), fg.tensor([-inf]), fg.tensor([nan]), fg.tensor([nan])]
    right = [fg.tensor([-inf]), fg.tensor([inf]), fg.tensor([inf]), fg.tensor([nan])]
    for op, numpy_op in (("add", np.add), ("sub", np.subtract), ("mul", np.multiply), ("div", np.divide)):
        with np.errstate(all="ignore"):
            expected = [numpy_op(np.float32(a.item()), np.float32(b.item())) for a, b in zip(left, right)]
        got = [t.item() for t in getattr(fg, f"_foreach_{op}")(left, right)]
        np.testing.assert_array_equal(np.array(got), np.array(expected))


def test_division_by_zero_of_integer_tensors():
    (out,) = fg._foreach_div(ints([1, 0]), 0)
    assert out.dtype == fg.float32
    assert out[0].item() == math.inf and math.isnan(out[1].item())


# ---- clamp, maximum, minimum -------------------------------------------------------------


def test_clamp_and_extrema_with_each_form():
    a = floats([1.0, 2.0], [3.0])
    close(fg._foreach_clamp_min(a, 1.5), [[1.5, 2.0], [3.0]])
    close(fg._foreach_clamp_max(a, [1.5, 0.5]), [[1.0, 1.5], [0.5]])
    close(fg._foreach_clamp_max(a, floats([0.0, 5.0], [1.0])), [[0.0, 2.0], [1.0]])
    close(fg._foreach_maximum(a, [1.5, 5]), [[1.5, 2.0], [5.0]])
    close(fg._foreach_minimum(a, fg.tensor(1.5)), [[1.0, 1.5], [1.5]])
    out = fg._foreach_maximum(ints([1, 2], [3]), 1.5)
    close(out, [[1.5, 2.0], [3.0]], fg.float32)
    out = fg._foreach_minimum(ints([1, 2], [3]), floats([0.5, 5.0], [1.0]))
    close(out, [[0.5, 2.0], [1.0]], fg.float32)


def test_extrema_and_clamps_refuse_complex():
    with raises(NotImplementedError, "clamp is not supported for complex types"):
        fg._foreach_maximum([fg.tensor([1j])], 1.5)
    with raises(NotImplementedError, "clamp is not supported for complex types"):
        fg._foreach_clamp_min_(floats([1.0]), 1 + 1j)
    with raises(NotImplementedError, "clamp is not supported for complex types"):
        fg._foreach_minimum_(ints([1]), [1 + 1j])
    with raises(NotImplementedError, "\"maximum_cpu\" not implemented for 'ComplexFloat'"):
        fg._foreach_maximum(floats([1.0]), [fg.tensor([1j])])
    with raises(NotImplementedError, "\"minimum_cpu\" not implemented for 'ComplexDouble'"):
        fg._foreach_minimum([fg.tensor([1], dtype=fg.int32)], [fg.tensor([1j], dtype=fg.complex128)])


def test_clamp_min_and_clamp_max_methods_refuse_a_complex_bound_first():
    for dtype in (fg.float32, fg.int64, fg.bool, fg.float16):
        with raises(NotImplementedError, "clamp is not supported for complex types"):
            fg.ones(2, dtype=dtype).clamp_min_(1 + 1j)
        with raises(NotImplementedError, "clamp is not supported for complex types"):
            fg.ones(2, dtype=dtype).clamp_max_(2 + 0j)
    with raises(RuntimeError, "result type ComplexFloat can't be cast to the desired output type long int"):
        fg.ones(2, dtype=fg.int64).clamp_(1 + 1j)


# ---- pow ---------------------------------------------------------------------------------


def test_pow_with_each_exponent_form_and_a_scalar_base():
    a = floats([1.0, 2.0], [3.0])
    close(fg._foreach_pow(a, 2), [[1, 4], [9]])
    close(fg._foreach_pow(a, [2, 0.5]), [[1, 4], [math.sqrt(3)]])
    close(fg._foreach_pow(a, floats([3.0, 2.0], [2.0])), [[1, 4], [9]])
    close(fg._foreach_pow(a, fg.tensor(2.0)), [[1, 4], [9]])
    close(fg._foreach_pow(2.0, a), [[2, 4], [8]])
    out = fg._foreach_pow(2, ints([1, 2], [3]))
    assert out[0].dtype == fg.int64 and out[1].tolist() == [8]
    out = fg._foreach_pow(2.5, ints([1, 2]))
    close(out, [[2.5, 6.25]], fg.float32)
    assert fg._foreach_pow(ints([2]), 0.5)[0].dtype == fg.float32
    with raises(RuntimeError, "Integers to negative integer powers are not allowed."):
        fg._foreach_pow(ints([1, 2]), -1)


# ---- addcmul, addcdiv --------------------------------------------------------------------


def test_addcmul_and_addcdiv_with_a_value_a_scalar_list_and_packed_scalars():
    s, t1, t2 = floats([1.0, 2.0], [3.0]), floats([1.0, 2.0], [3.0]), floats([2.0, 4.0], [6.0])
    close(fg._foreach_addcmul(s, t1, t2), [[3, 10], [21]])
    close(fg._foreach_addcmul(s, t1, t2, value=2), [[5, 18], [39]])
    close(fg._foreach_addcmul(s, t1, t2, [2, 3]), [[5, 18], [57]])
    close(fg._foreach_addcmul(s, t1, t2, fg.tensor([2.0, 3.0])), [[5, 18], [57]])
    close(fg._foreach_addcdiv(s, t1, t2, value=2), [[2, 3], [4]])
    close(fg._foreach_addcdiv(s, t1, t2, fg.tensor([2.0, 4.0])), [[2, 3], [5]])
    assert fg._foreach_addcdiv_(s, t1, t2, [0.5, 0.5]) is s
    close(s, [[1.25, 2.25], [3.25]])


def test_packed_scalars_are_one_dimensional_and_one_per_tensor():
    s = floats([1.0], [2.0])
    with raises(RuntimeError, "Expected packed scalar Tensor to be of dimension 1. Got 0 instead."):
        fg._foreach_addcmul(s, s, s, fg.tensor(1.0))
    with raises(RuntimeError, "Expected packed scalar Tensor to be of dimension 1. Got 2 instead."):
        fg._foreach_addcmul_(s, s, s, fg.ones(2, 2))
    with raises(RuntimeError, "Expected length of scalars to match input of length 2 but got 3 instead."):
        fg._foreach_addcdiv(s, s, s, fg.tensor([1.0, 2.0, 3.0]))


def test_an_integer_tensor_reads_a_float_value_as_its_integer():
    i = ints([1, 2], [3])
    out = fg._foreach_addcmul(i, i, i, 1.5)
    assert [t.dtype for t in out] == [fg.int64, fg.int64]
    assert [t.tolist() for t in out] == [[2, 6], [12]]
    out = fg._foreach_addcmul(i, i, i, fg.tensor([1.5, 2.0]))
    assert [t.tolist() for t in out] == [[2, 6], [21]]
    out = fg._foreach_addcmul(floats([1.0, 2.0], [3.0]), floats([1.0, 2.0], [3.0]), floats([1.0, 2.0], [3.0]),
                              fg.tensor([1, 2]))
    close(out, [[2, 6], [21]], fg.float32)
    with raises(RuntimeError, "Integer division with addcdiv is no longer supported"):
        fg._foreach_addcdiv(i, i, i)


def test_pointwise_ops_broadcast_their_tensor_lists():
    n = 3
    rng = np.random.default_rng(0)
    base = [rng.standard_normal((n, n)) for _ in range(n)]
    col = [rng.standard_normal((n - k, 1)) + 3 for k in range(n)]
    row = [rng.standard_normal((1, n - k)) + 3 for k in range(n)]
    as_fg = [[fg.tensor(x, dtype=fg.float64) for x in group] for group in (base, col, row)]
    close(fg._foreach_addcmul([as_fg[0][0]], [as_fg[1][0]], [as_fg[2][0]], value=0.5),
          [base[0] + 0.5 * col[0] * row[0]])
    close(fg._foreach_addcdiv([as_fg[0][0]], [as_fg[1][0]], [as_fg[2][0]]), [base[0] + col[0] / row[0]])
    # the second triple, (3, 3) with (2, 1) and (1, 2), does not broadcast: the per-tensor op's refusal
    message = "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0"
    for op in ("addcmul", "addcdiv"):
        with raises(RuntimeError, message):
            getattr(fg, f"_foreach_{op}")(*as_fg)
    # the in-place form has written the first tensor when it refuses the second
    with raises(RuntimeError, message):
        fg._foreach_addcmul_(*as_fg)
    close([as_fg[0][0]], [base[0] + col[0] * row[0]])
    close([as_fg[0][1]], [base[1]])


# ---- lerp --------------------------------------------------------------------------------


def test_lerp_with_a_weight_a_weight_list_and_weight_tensors():
    start, end = floats([0.0, 2.0], [4.0]), floats([4.0, 6.0], [8.0])
    close(fg._foreach_lerp(start, end, 0.25), [[1, 3], [5]])
    close(fg._foreach_lerp(start, end, [0.5, 0.75]), [[2, 4], [7]])
    close(fg._foreach_lerp(start, end, floats([0.0, 1.0], [0.5])), [[0, 6], [6]])
    close(fg._foreach_lerp(start, end, fg.tensor(0.5)), [[2, 4], [6]])
    assert fg._foreach_lerp_(start, end, 1.0) is start
    close(start, [[4, 6], [8]])


def test_lerp_refusals():
    with raises(NotImplementedError, "\"lerp_kernel_scalar\" not implemented for 'Long'"):
        fg._foreach_lerp(ints([1]), ints([2]), 0.5)
    with raises(RuntimeError, "expected dtype float for `end` but got dtype double"):
        fg._foreach_lerp(floats([1.0]), floats([2.0], dtype=fg.float64), 0.5)


# ---- reductions --------------------------------------------------------------------------


def test_norm_for_each_order_and_dtype():
    data = [np.array([3.0, -4.0]), np.array([[1.0, -2.0], [2.0, 0.0]])]
    tensors = [fg.tensor(x, dtype=fg.float32) for x in data]
    for order in (2, 1, 3, 0, 1.5, math.inf, -math.inf, -1):
        with np.errstate(divide="ignore"):
            expected = [np.linalg.norm(x.ravel(), order) for x in data]
        out = fg._foreach_norm(tensors, order)
        assert all(t.dim() == 0 and t.dtype == fg.float32 for t in out)
        np.testing.assert_allclose([t.item() for t in out], expected, rtol=1e-6)
    out = fg._foreach_norm(tensors, dtype=fg.float64)
    assert [t.dtype for t in out] == [fg.float64, fg.float64] and out[0].item() == 5.0
    assert fg._foreach_norm([fg.tensor([3 + 4j])])[0].item() == 5.0
    assert fg._foreach_norm([fg.tensor([])])[0].item() == 0.0


def test_norm_refusals():
    with raises(RuntimeError, "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"):
        fg._foreach_norm(ints([1, 2]))
    with raises(RuntimeError, "linalg.vector_norm: the dtype of the input (Float) should be convertible without "
                              "narrowing to the specified dtype (Half)"):
        fg._foreach_norm(floats([1.0]), dtype=fg.float16)
    with raises(RuntimeError, "foreach_tensor_norm_slow expects ord to be integer or float"):
        fg._foreach_norm(floats([1.0]), True)


def test_max_per_tensor():
    out = fg._foreach_max([fg.tensor([[1.0, 5.0], [2.0, 3.0]]), fg.tensor([-1.0])])
    assert [t.item() for t in out] == [5.0, -1.0] and out[0].dim() == 0
    assert fg._foreach_max(ints([1, 7]))[0].dtype == fg.int64
    assert fg._foreach_max([fg.tensor([True, False])])[0].item() is True
    with raises(RuntimeError, "_foreach_max cannot compute the maximum of an empty tensor; max over zero elements "
                              "is undefined."):
        fg._foreach_max([fg.tensor([1.0]), fg.tensor([])])


def test_powsum_sums_powers_of_absolute_values():
    out = fg._foreach_powsum([fg.tensor([-1.0, 2.0]), fg.tensor([3.0])], 3)
    assert [t.item() for t in out] == [9.0, 27.0]
    assert fg._foreach_powsum(floats([-1.0, 2.0]))[0].item() == 5.0
    assert fg._foreach_powsum(floats([-1.0, 0.0]), 0)[0].item() == 2.0
    assert fg._foreach_powsum(floats([-1.0, 3.0]), 2, dtype=fg.float64)[0].dtype == fg.float64
    # half precision accumulates in float32: 99.96 rounds to 99.9375, not to the 100.0 of a half sum
    halves = [(fg.arange(1, 9, dtype=fg.float32) * 0.7).half()]
    assert fg._foreach_powsum(halves, 2)[0].item() == 99.9375
    for dtype in (fg.int32, fg.bool, fg.int64):
        with raises(NotImplementedError, "\"powsum_cpu\" not implemented for 'Long'"):
            fg._foreach_powsum([fg.ones(2, dtype=dtype)])


# ---- copy_, mm ---------------------------------------------------------------------------


def test_copy_casts_and_broadcasts_into_each_destination():
    destinations = ints([0, 0], [0])
    assert fg._foreach_copy_(destinations, floats([1.7, 2.2], [3.9])) is destinations
    assert [t.tolist() for t in destinations] == [[1, 2], [3]]
    destinations = floats([0.0, 0.0])
    fg._foreach_copy_(destinations, floats([4.0]))
    assert destinations[0].tolist() == [4.0, 4.0]


def test_mm_multiplies_each_pair():
    a = [fg.tensor([[1.0, 2.0]]), fg.eye(2)]
    b = [fg.tensor([[3.0], [4.0]]), fg.tensor([[1.0, 2.0], [3.0, 4.0]])]
    out = fg._foreach_mm(a, b)
    assert out[0].tolist() == [[11.0]] and out[1].tolist() == [[1.0, 2.0], [3.0, 4.0]]
    with raises(RuntimeError, "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)"):
        fg._foreach_mm([fg.ones(2, 3)], [fg.ones(2, 3)])


# ---- autograd of the out-of-place forms --------------------------------------------------


def node(t):
    return type(t.grad_fn).__name__


def test_an_out_of_place_result_list_shares_one_node():
    x = leaves([1.0, 2.0], [0.5])
    out = fg._foreach_exp(x)
    assert len({t.grad_fn for t in out}) == 1
    assert out[0].grad_fn is out[1].grad_fn
    assert node(out[0]) == "CppFunction"
    fg.cat([t.view(-1) for t in out]).sum().backward()
    np.testing.assert_allclose(x[0].grad.tolist(), np.exp([1.0, 2.0]), rtol=1e-6)
    np.testing.assert_allclose(x[1].grad.tolist(), np.exp([0.5]), rtol=1e-6)


# (id, call, the class of PyTorch's node, its name())
NODE_CASES = [
    ("add", lambda x, o: fg._foreach_add(x, o, alpha=2), "CppFunction", "ForeachAddBackward0List"),
    ("add_scalar", lambda x, o: fg._foreach_add(x, 2.0), "CppFunction", "ForeachAddBackward1Scalar"),
    ("add_tensor", lambda x, o: fg._foreach_add(x, fg.tensor(2.0)), "CppFunction", "ForeachAddBackward1Scalar"),
    ("add_tensor_alpha", lambda x, o: fg._foreach_add(x, fg.tensor(2.0), alpha=2), "CppFunction",
     "ForeachAddBackward0Tensor"),
    ("sub_scalars", lambda x, o: fg._foreach_sub(x, [1, 2]), "CppFunction", "ForeachSubBackward1ScalarList"),
    ("mul_tensor", lambda x, o: fg._foreach_mul(x, fg.tensor(2.0)), "CppFunction", "ForeachMulBackward0Tensor"),
    ("div_list", lambda x, o: fg._foreach_div(x, o), "ForeachDivBackward0", "ForeachDivBackward0"),
    ("div_scalar", lambda x, o: fg._foreach_div(x, 2.0), "CppFunction", "ForeachDivBackward1Scalar"),
    ("maximum_scalar", lambda x, o: fg._foreach_maximum(x, 1.5), "ForeachMaximumBackward0",
     "ForeachMaximumBackward0"),
    ("maximum_scalars", lambda x, o: fg._foreach_maximum(x, [1.5, 0.0]), "ForeachMaximumBackward1",
     "ForeachMaximumBackward1"),
    ("maximum_list", lambda x, o: fg._foreach_maximum(x, o), "CppFunction", "ForeachMaximumBackward0List"),
    ("minimum_tensor", lambda x, o: fg._foreach_minimum(x, fg.tensor(1.5)), "ForeachMinimumBackward0",
     "ForeachMinimumBackward0"),
    ("minimum_scalars", lambda x, o: fg._foreach_minimum(x, [1.5, 0.0]), "ForeachMinimumBackward1",
     "ForeachMinimumBackward1"),
    ("pow_list", lambda x, o: fg._foreach_pow(x, o), "ForeachPowBackward0", "ForeachPowBackward0"),
    ("pow_scalars", lambda x, o: fg._foreach_pow(x, [2, 3]), "ForeachPowBackward1", "ForeachPowBackward1"),
    ("pow_scalar", lambda x, o: fg._foreach_pow(x, 2), "CppFunction", "ForeachPowBackward0Scalar"),
    ("pow_base", lambda x, o: fg._foreach_pow(2.0, x), "ForeachPowBackward2", "ForeachPowBackward2"),
    ("norm", lambda x, o: fg._foreach_norm(x), "ForeachNormBackward0", "ForeachNormBackward0"),
    ("max", lambda x, o: fg._foreach_max(x), "CppFunction", "ForeachMaxBackward1"),
    ("clamp_min", lambda x, o: fg._foreach_clamp_min(x, 1.5), "CppFunction", "ForeachClampMinBackward0Scalar"),
    ("clamp_max_list", lambda x, o: fg._foreach_clamp_max(x, o), "CppFunction", "ForeachClampMaxBackward1List"),
    ("lerp", lambda x, o: fg._foreach_lerp(x, o, 0.25), "CppFunction", "ForeachLerpBackward0Scalar"),
    ("lerp_list", lambda x, o: fg._foreach_lerp(x, o, o), "CppFunction", "ForeachLerpBackward1List"),
    ("addcmul", lambda x, o: fg._foreach_addcmul(x, x, o, value=2), "CppFunction", "ForeachAddcmulBackward0Scalar"),
    ("addcdiv", lambda x, o: fg._foreach_addcdiv(x, x, o, [2, 3]), "CppFunction",
     "ForeachAddcdivBackward0ScalarList"),
    ("log1p", lambda x, o: fg._foreach_log1p(x), "CppFunction", "ForeachLog1PBackward0"),
    ("expm1", lambda x, o: fg._foreach_expm1(x), "CppFunction", "ForeachExpm1Backward0"),
    ("clone", lambda x, o: fg._foreach_clone(x), "CppFunction", "ForeachCloneBackward0"),
    ("packed", lambda x, o: fg._foreach_addcmul(x, o, o, fg.tensor([1.0, 2.0])), "NotImplemented",
     "torch::autograd::NotImplemented"),
    ("powsum", lambda x, o: fg._foreach_powsum(x), "NotImplemented", "torch::autograd::NotImplemented"),
]


@pytest.mark.parametrize("case, call, cls, name", NODE_CASES, ids=[c[0] for c in NODE_CASES])
def test_out_of_place_node_names(case, call, cls, name):
    out = call(leaves([1.0, 2.0], [0.5]), floats([3.0, 4.0], [2.0]))
    assert [node(t) for t in out] == [cls, cls]
    assert out[0].grad_fn.name() == name


# (call, the gradient of the sum of its outputs for x = [1, 2], [0.5] and o = [3, 4], [2])
GRAD_CASES = [
    (lambda x, o: fg._foreach_add(o, x, alpha=2), [[2, 2], [2]]),
    (lambda x, o: fg._foreach_mul(x, o), [[3, 4], [2]]),
    (lambda x, o: fg._foreach_div(x, o), [[1 / 3, 1 / 4], [1 / 2]]),
    (lambda x, o: fg._foreach_div(x, [2.0, 4.0]), [[0.5, 0.5], [0.25]]),
    (lambda x, o: fg._foreach_maximum(x, 2.0), [[0.0, 0.5], [0.0]]),  # a tie splits the gradient
    (lambda x, o: fg._foreach_minimum(x, [2.0, 0.5]), [[1.0, 0.5], [0.5]]),
    (lambda x, o: fg._foreach_clamp_min(x, 2.0), [[0.0, 1.0], [0.0]]),  # a clamp passes it on a tie
    (lambda x, o: fg._foreach_pow(x, [2, 3]), [[2, 4], [0.75]]),
    (lambda x, o: fg._foreach_pow(x, o), [[3, 32], [1]]),
    (lambda x, o: fg._foreach_pow(2.0, x), [[2 * math.log(2), 4 * math.log(2)], [math.sqrt(2) * math.log(2)]]),
    (lambda x, o: fg._foreach_norm(x), [[1 / math.sqrt(5), 2 / math.sqrt(5)], [1.0]]),
    (lambda x, o: fg._foreach_norm(x, math.inf), [[0.0, 1.0], [1.0]]),
    (lambda x, o: fg._foreach_max(x), [[0.0, 1.0], [1.0]]),
    (lambda x, o: fg._foreach_lerp(x, o, [0.25, 0.5]), [[0.75, 0.75], [0.5]]),
    (lambda x, o: fg._foreach_lerp(x, o, o), [[-2, -3], [-1]]),
    (lambda x, o: fg._foreach_addcmul(x, x, o, value=2), [[7, 9], [5]]),
    (lambda x, o: fg._foreach_addcdiv(x, x, o, value=2), [[5 / 3, 1.5], [2]]),
    (lambda x, o: fg._foreach_sqrt(x), [[0.5, 0.5 / math.sqrt(2)], [0.5 / math.sqrt(0.5)]]),
]


@pytest.mark.parametrize("case", range(len(GRAD_CASES)))
def test_out_of_place_gradients(case):
    call, expected = GRAD_CASES[case]
    x = leaves([1.0, 2.0], [0.5])
    out = call(x, floats([3.0, 4.0], [2.0]))
    sum(t.sum() for t in out).backward()
    for got, want in zip(grads(x), expected):
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_the_node_of_a_result_list_dies_with_the_list():
    class Marker:
        pass

    for call in (lambda x: fg._foreach_exp(x), lambda x: fg._foreach_pow(x, [2.0, 3.0]),
                 lambda x: fg._foreach_addcmul(x, x, x, fg.tensor([1.0, 2.0]))):
        out = call(leaves([1.0, 2.0], [0.5]))
        marker = Marker()
        out[0].grad_fn.metadata[0] = marker
        alive = weakref.ref(marker)
        del marker
        gc.collect()
        assert alive() is not None
        del out
        gc.collect()
        assert alive() is None


def test_every_output_requires_grad_when_one_input_does():
    x = [fg.tensor([1.0, 2.0], requires_grad=True), fg.tensor([0.5])]
    out = fg._foreach_exp(x)
    assert [t.requires_grad for t in out] == [True, True]
    assert out[1].grad_fn is out[0].grad_fn
    sum(t.sum() for t in out).backward()
    assert x[1].grad is None
    np.testing.assert_allclose(x[0].grad.tolist(), np.exp([1.0, 2.0]), rtol=1e-6)


def test_no_node_without_grad():
    out = fg._foreach_exp(floats([1.0]))
    assert out[0].grad_fn is None and not out[0].requires_grad
    with fg.no_grad():
        out = fg._foreach_mul(leaves([1.0]), 2)
    assert out[0].grad_fn is None


def test_forms_without_a_derivative_refuse_the_backward():
    x = leaves([1.0, 2.0], [0.5])
    o = floats([1.0, 1.0], [1.0])
    cases = [
        (lambda: fg._foreach_addcmul(x, o, o, fg.tensor([1.0, 2.0])), "aten::_foreach_addcmul"),
        (lambda: fg._foreach_addcdiv(o, x, o, fg.tensor([1.0, 2.0])), "aten::_foreach_addcdiv"),
        (lambda: fg._foreach_addcmul(o, o, o, fg.tensor([1.0, 2.0], requires_grad=True)), "aten::_foreach_addcmul"),
        (lambda: fg._foreach_powsum(x, 2), "aten::_foreach_powsum"),
    ]
    for call, op in cases:
        out = call()
        assert [node(t) for t in out] == ["NotImplemented", "NotImplemented"]
        with raises(RuntimeError, f"derivative for {op} is not implemented"):
            sum(t.sum() for t in out).backward()


def test_double_backward_through_a_foreach_product():
    x = leaves([1.5, -2.0])
    (out,) = fg._foreach_mul(x, x)
    (g,) = fg.autograd.grad(out.sum(), x, create_graph=True)
    assert g.tolist() == [3.0, -4.0]
    (gg,) = fg.autograd.grad(g.sum(), x)
    assert gg.tolist() == [2.0, 2.0]


def test_gradcheck_of_out_of_place_forms():
    xs = [fg.tensor([0.6, 0.9, 1.3], dtype=fg.float64, requires_grad=True),
          fg.tensor([[0.7, 1.1]], dtype=fg.float64, requires_grad=True)]
    assert fg.autograd.gradcheck(lambda *t: fg._foreach_sqrt(t), xs)
    assert fg.autograd.gradcheck(lambda *t: fg._foreach_pow(t, [2.0, 3.0]), xs)
    assert fg.autograd.gradcheck(lambda a, b: fg._foreach_div([a], [b[0, :1]]), xs)
    assert fg.autograd.gradcheck(lambda *t: fg._foreach_norm(t, 3), xs)


# ---- autograd of the in-place forms ------------------------------------------------------


def test_in_place_on_non_leaves_gives_each_tensor_its_own_node():
    base = leaves([1.0, 2.0], [0.5])
    tensors = [t.clone() for t in base]
    fg._foreach_exp_(tensors)
    assert len({t.grad_fn for t in tensors}) == 2
    assert [node(t) for t in tensors] == ["ExpBackward0", "ExpBackward0"]
    fired = []
    for i, t in enumerate(tensors):
        t.grad_fn.register_hook(lambda grad_inputs, grad_outputs, i=i: fired.append(i))
    (g,) = fg.autograd.grad(tensors[0], (base[0],), grad_outputs=(fg.ones(2),), retain_graph=True)
    assert fired == [0]
    np.testing.assert_allclose(g.tolist(), np.exp([1.0, 2.0]), rtol=1e-6)
    fired.clear()
    total = fg.cat([t.view(-1) for t in tensors]).sum()
    found = fg.autograd.grad(total, inputs=tuple(base), grad_outputs=(fg.tensor(0.5),))
    assert fired == [1, 0]  # the engine reaches the nodes last made first
    np.testing.assert_allclose(found[1].tolist(), [0.5 * math.exp(0.5)], rtol=1e-6)


@pytest.mark.parametrize("op, args, expected_node, expected_grads", [
    ("add_", lambda o: (2.0,), "AddBackward1", [[1, 1], [1]]),
    ("add_", lambda o: (fg.tensor(2.0),), "AddBackward1", [[1, 1], [1]]),
    ("sub_", lambda o: ([1, 2],), "SubBackward1", [[1, 1], [1]]),
    ("mul_", lambda o: (3.0,), "MulBackward1", [[3, 3], [3]]),
    ("mul_", lambda o: (fg.tensor(3.0),), "MulBackward0", [[3, 3], [3]]),
    ("div_", lambda o: ([2.0, 4.0],), "DivBackward1", [[0.5, 0.5], [0.25]]),
    ("div_", lambda o: (o,), "DivBackward0", [[1 / 3, 1 / 4], [0.5]]),
    ("maximum_", lambda o: (o,), "MaximumBackward0", [[0, 0], [0]]),
    ("minimum_", lambda o: (o,), "MinimumBackward0", [[1, 1], [1]]),
    ("clamp_max_", lambda o: (o,), "ClampMaxBackward1", [[1, 1], [1]]),
    ("pow_", lambda o: (o,), "PowBackward1", [[3, 32], [1]]),
    ("lerp_", lambda o: (o, o), "LerpBackward1", [[-2, -3], [-1]]),
    ("lerp_", lambda o: (o, 0.5), "LerpBackward0", [[0.5, 0.5], [0.5]]),
    ("addcmul_", lambda o: (o, o), "AddcmulBackward0", [[1, 1], [1]]),
    ("pow_", lambda o: (2,), "PowBackward0", [[2, 4], [1]]),
    ("clamp_min_", lambda o: (1,), "ClampMinBackward0", [[1, 1], [0]]),
    ("zero_", lambda o: (), "ZeroBackward0", [[0, 0], [0]]),
    ("add_", lambda o: (o,), "AddBackward0", [[1, 1], [1]]),
])
def test_in_place_nodes_and_gradients(op, args, expected_node, expected_grads):
    base = leaves([1.0, 2.0], [0.5])
    tensors = [t * 1 for t in base]
    getattr(fg, f"_foreach_{op}")(tensors, *args(floats([3.0, 4.0], [2.0])))
    assert [node(t) for t in tensors] == [expected_node] * 2
    sum(t.sum() for t in tensors).backward()
    for got, want in zip(grads(base), expected_grads):
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_in_place_forms_without_a_derivative():
    def names(tensors):
        return [None if t.grad_fn is None else t.grad_fn.name() for t in tensors]

    refused = "torch::autograd::NotImplemented"
    x = fg.tensor([1.0, 2.0], requires_grad=True)
    # the scalar forms of maximum_/minimum_: a node where the tensor itself requires grad
    tensors = [x * 1, fg.ones(1)]
    fg._foreach_maximum_(tensors, 1.5)
    assert names(tensors) == [refused, None]
    assert tensors[0].tolist() == [1.5, 2.0]
    with raises(RuntimeError, "derivative for _foreach_maximum_ is not implemented"):
        tensors[0].sum().backward()
    tensors = [x * 1]
    fg._foreach_minimum_(tensors, [1.5])
    with raises(RuntimeError, "derivative for _foreach_minimum_ is not implemented"):
        tensors[0].sum().backward()
    # copy_ and the packed addcmul_/addcdiv_: a tensor of the other arguments marks them all
    tensors = [fg.zeros(2), fg.zeros(1)]
    fg._foreach_copy_(tensors, [fg.ones(2), x[:1]])
    assert names(tensors) == [refused, refused]
    assert [t.tolist() for t in tensors] == [[1.0, 1.0], [1.0]]
    with raises(RuntimeError, "derivative for _foreach_copy_ is not implemented"):
        tensors[1].sum().backward()
    tensors = [x * 1, fg.zeros(1)]
    fg._foreach_copy_(tensors, [fg.ones(2), fg.ones(1)])
    assert names(tensors) == [refused, None]
    tensors = [fg.ones(1), fg.ones(1)]
    fg._foreach_addcdiv_(tensors, [x[:1], fg.ones(1)], [fg.ones(1), fg.ones(1)], fg.tensor([1.0, 2.0]))
    assert names(tensors) == [refused, refused]
    with raises(RuntimeError, "derivative for _foreach_addcdiv_ is not implemented"):
        tensors[0].sum().backward()
    # the other forms of addcmul_ take each tensor's own node
    tensors = [fg.ones(1), fg.ones(1)]
    fg._foreach_addcmul_(tensors, [fg.ones(1), x[1:]], [fg.ones(1), fg.ones(1)])
    assert names(tensors) == [None, "AddcmulBackward0"]


def test_in_place_with_an_argument_that_requires_grad():
    tensors = [fg.ones(2), fg.ones(1)]
    factors = [fg.tensor([2.0, 3.0], requires_grad=True), fg.tensor([4.0])]
    fg._foreach_mul_(tensors, factors)
    assert node(tensors[0]) == "MulBackward0" and tensors[1].grad_fn is None
    tensors[0].sum().backward()
    assert factors[0].grad.tolist() == [1.0, 1.0]


# ---- an optimizer step written with foreach ops ------------------------------------------


def test_a_momentum_step_written_with_foreach_ops():
    params = leaves([1.0, -2.0], [0.5])
    loss = sum((p * p).sum() for p in params)
    loss.backward()
    grads_ = [p.grad for p in params]
    momentum = [fg.zeros_like(p) for p in params]
    with fg.no_grad():
        for _ in range(2):
            fg._foreach_mul_(momentum, 0.9)
            fg._foreach_add_(momentum, grads_)
            fg._foreach_add_(params, momentum, alpha=-0.1)
    # grad = 2 p0 (fixed); momentum after two steps = 1.9 grad; p = p0 - 0.1 (grad + 1.9 grad)
    for p, p0 in zip(params, ([1.0, -2.0], [0.5])):
        expected = [v - 0.1 * 2.9 * 2 * v for v in p0]
        np.testing.assert_allclose(p.tolist(), expected, rtol=1e-6)
    assert all(p.is_leaf and p.requires_grad for p in params)
    norms = fg._foreach_norm(grads_)
    total = fg.linalg.vector_norm(fg.stack(norms))
    assert math.isclose(total.item(), math.sqrt(4 + 16 + 1), rel_tol=1e-6)


def test_module_name_in_messages_is_the_backends():
    # `torch.` in PyTorch's messages reads `ferrograd.` here; this one names none
    with raises(TypeError, "_foreach_pow() received an invalid combination of arguments - got (str, list)"):
        fg._foreach_pow("a", floats([1.0]))
    assert MOD in ("ferrograd", "torch")
