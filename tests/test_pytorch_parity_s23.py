"""Behaviours matched to PyTorch in session 23: tie-sharing gradients of full
reductions, complex-to-bool casts, expand strides, clamp's bound kinds, slice bounds
from tensors, rot90's layout, random_(from, None) and denormal flushing. Expected
values were taken from PyTorch 2.x on CPU."""

import math
import warnings

import ferrograd as fg
import pytest

NAN = math.nan


@pytest.mark.parametrize(
    ("name", "values", "grad"),
    [
        ("max", [1.0, NAN, 3.0, NAN], [0.0, 0.5, 0.0, 0.5]),
        ("min", [1.0, NAN, 3.0, NAN], [0.0, 0.5, 0.0, 0.5]),
        ("max", [2.0, 2.0, 1.0, 3.0], [0.0, 0.0, 0.0, 1.0]),
        ("min", [1.0, 1.0, 4.0, 3.0], [0.5, 0.5, 0.0, 0.0]),
        ("median", [1.0, NAN, 3.0, NAN], [0.0, 0.5, 0.0, 0.5]),
        ("median", [2.0, 2.0, 1.0, 3.0], [0.5, 0.5, 0.0, 0.0]),
        ("median", [1.0, 1.0, 1.0, 1.0], [0.25, 0.25, 0.25, 0.25]),
        ("median", [1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 0.0, 0.0]),
    ],
)
def test_full_reduction_gradient_is_shared_among_ties(name, values, grad):
    x = fg.tensor(values, requires_grad=True)
    getattr(x, name)().backward()
    assert x.grad.tolist() == grad


def test_median_full_reduction_passes_gradcheck():
    x = fg.tensor([[1.0, 5.0], [3.0, 4.0]], dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(lambda t: t.median(), (x,))
    assert fg.autograd.gradgradcheck(lambda t: t.median() * t.sum(), (x,))


def test_complex_to_bool_tests_both_parts_without_warning(recwarn):
    z = fg.tensor([0j, 1j, 1 + 0j, complex(NAN, 0)])
    expected = [False, True, True, True]
    assert z.to(fg.bool).tolist() == expected
    assert z.bool().tolist() == expected
    out = fg.zeros(4, dtype=fg.bool)
    out.copy_(z)
    assert out.tolist() == expected
    assert z.logical_not().tolist() == [True, False, False, False]
    assert bool(z[1:2].all())
    assert fg.tensor(1j).bool().item() is True
    assert not [w for w in recwarn if "discards the imaginary part" in str(w.message)]


@pytest.mark.parametrize(
    ("shape", "sizes", "strides"),
    [
        ((), (1,), (0,)),
        ((), (3, 1), (0, 0)),
        ((3,), (1, 3), (3, 1)),
        ((3,), (2, 1, 3), (0, 3, 1)),
        ((3, 1), (1, 3, 4), (3, 1, 0)),
        ((0,), (1, 0), (0, 1)),
        ((2, 0), (1, 2, 0), (2, 1, 1)),
    ],
)
def test_expand_gives_new_unit_dims_pytorchs_strides(shape, sizes, strides):
    t = fg.ones(*shape) if shape else fg.tensor(1.0)
    assert t.expand(*sizes).stride() == strides


def test_expand_of_a_column_view_steps_over_the_dims_after_it():
    u = fg.ones(2, 3)[:, :1]
    assert u.expand(1, 2, 4).stride() == (6, 3, 0)
    assert fg.broadcast_to(u, (1, 1, 2, 1)).stride() == (6, 6, 3, 1)
    assert fg.broadcast_tensors(fg.ones(3), fg.ones(1, 1, 3))[0].stride() == (3, 3, 1)


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.clamp(x, 2.0),
        lambda x: x.clamp(1.0, x),
        lambda x: fg.clamp(x, x, 2.0),
        lambda x: x.clone().clamp_(1, x),
        lambda x: x.clip(1, x),
    ],
)
def test_clamp_refuses_a_tensor_bound_beside_a_number_bound(call):
    x = fg.tensor([1.0, 3.0])
    with pytest.raises(TypeError, match="invalid combination of arguments"):
        call(x)


def test_clamp_takes_none_beside_either_kind_of_bound():
    x = fg.tensor([1.0, 3.0])
    assert x.clamp(None, fg.tensor(2.0)).tolist() == [1.0, 2.0]
    assert x.clamp(2.0, None).tolist() == [2.0, 3.0]


@pytest.mark.parametrize("bad", [fg.tensor([1.0, 3.0]), fg.tensor(2.0)])
def test_repeat_refuses_a_non_integer_tensor_among_sizes(bad):
    with pytest.raises(TypeError):
        fg.tensor([1.0, 3.0]).repeat(bad, 1)


@pytest.mark.parametrize(
    "bound",
    [
        fg.tensor(1, dtype=fg.int32),
        fg.tensor(1, dtype=fg.uint8),
        fg.tensor(True),
        fg.tensor([1]),
        fg.tensor([[1]], dtype=fg.int16),
        fg.tensor(1, dtype=fg.int8),
    ],
)
def test_slice_bounds_read_one_element_integer_tensors(bound):
    t = fg.arange(5)
    assert t[bound:].tolist() == [1, 2, 3, 4]
    assert t[:bound].tolist() == [0]
    assert t[::bound].tolist() == [0, 1, 2, 3, 4]


def test_slice_bound_from_a_float_tensor_is_a_type_error():
    with pytest.raises(TypeError, match="only integer tensors of a single element"):
        fg.arange(5)[fg.tensor(1.0):]


@pytest.mark.parametrize(("k", "strides"), [(0, (3, 1)), (1, (1, 3)), (2, (3, 1)), (3, (1, 3)), (-1, (1, 3))])
def test_rot90_result_is_the_transposed_flip(k, strides):
    x = fg.arange(6).reshape(2, 3)
    out = fg.rot90(x, k)
    assert out.stride() == strides
    assert out._base is None
    expected = {0: [[0, 1, 2], [3, 4, 5]], 1: [[2, 5], [1, 4], [0, 3]], 2: [[5, 4, 3], [2, 1, 0]],
                3: [[3, 0], [4, 1], [5, 2]], -1: [[3, 0], [4, 1], [5, 2]]}[k]
    assert out.tolist() == expected


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        (fg.float32, [8326087.0, 12888928.0, 1484774.0, 2215539.0]),
        (fg.int8, [47, 117, 61, 13]),
        (fg.float16, [827.0, 1242.0, 1940.0, 699.0]),
        (fg.int64, [900450186894289461, 3969543146641149126, 1895649597198586625, 827948490035658093]),
    ],
)
def test_random_from_and_none_draws_up_to_the_dtypes_highest_exact_integer(dtype, expected):
    fg.manual_seed(0)
    assert fg.zeros(4, dtype=dtype).random_(3, None).tolist() == expected
    fg.manual_seed(0)
    assert fg.zeros(4, dtype=dtype).random_(3, to=None).tolist() == expected


def test_random_with_one_bound_still_draws_below_it():
    fg.manual_seed(0)
    assert fg.zeros(4).random_(3).tolist() == [2.0, 0.0, 2.0, 0.0]


def test_unsigned_64_bit_numerator_over_a_bool_tensor():
    out = 2**63 / fg.tensor([True, False])
    assert out.dtype == fg.float32
    assert out.tolist() == [float(2**63), math.inf]
    with pytest.raises(RuntimeError, match="Promotion for uint16, uint32, uint64"):
        fg.tensor([True]) / 2**63


def test_set_flush_denormal_flushes_in_the_calling_thread():
    try:
        assert fg.set_flush_denormal(True) is True
        assert fg.tensor([1e-42], dtype=fg.float32).tolist() == [0.0]
        assert (fg.tensor([1e-30]) * 1e-10).tolist() == [0.0]
    finally:
        assert fg.set_flush_denormal(False) is True
    assert fg.tensor([1e-42], dtype=fg.float32).item() > 0.0


@pytest.mark.parametrize("dim", [fg.tensor(1), fg.tensor(1, dtype=fg.int32)])
def test_cat_reads_a_zero_dim_integer_tensor_dim(dim):
    x = fg.arange(6.0).reshape(2, 3)
    assert fg.cat([x, x], dim).shape == (2, 6)


@pytest.mark.parametrize("dim", [fg.tensor([1]), fg.tensor(1.0)])
def test_cat_refuses_other_tensors_as_dim(dim):
    with pytest.raises(TypeError, match="argument 'dim'"):
        fg.cat([fg.ones(2), fg.ones(2)], dim)


@pytest.mark.parametrize("view", [lambda z: z.conj(), lambda z: z.conj().imag])
@pytest.mark.parametrize("dtype", ["float64", "complex64", "int32"])
def test_view_dtype_refuses_lazily_conjugated_or_negated_tensors(view, dtype):
    z = fg.tensor([1 + 2j, 3 - 1j])
    with pytest.raises(RuntimeError, match="Tensor.view is not supported for"):
        view(z).view(getattr(fg, dtype))


def test_view_dtype_of_a_resolved_negation_is_allowed():
    z = fg.tensor([1 + 2j, 3 - 1j])
    assert z.conj().imag.neg().view(fg.int32).shape == (2,)
    assert z.conj().imag.clone().view(fg.float32).tolist() == [-2.0, 1.0]


class _Sub(fg.Tensor):
    pass


def test_as_subclass_is_an_alias_view_as_in_pytorch():
    t = fg.ones(2)
    s = t.as_subclass(_Sub)
    assert s._is_view() and s._base is t
    v = s.view(2)
    assert type(v) is _Sub and v._is_view() and type(v._base) is fg.Tensor


def test_subclass_results_keep_history_through_in_place_ops():
    x = fg.ones(3, requires_grad=True).as_subclass(_Sub)
    y = x * 2
    assert (type(y), y.grad_fn.name(), y._is_view()) == (_Sub, "AliasBackward0", True)
    y.add_(1)
    assert y.grad_fn.name() == "AsStridedBackward0"
    assert y._base.grad_fn.name() == "torch::autograd::CopySlices"
    assert type(y._base.grad_fn).__name__ == "CopySlices"


def test_parameters_and_make_subclass_are_leaves_not_views():
    p = fg.nn.Parameter(fg.ones(2))
    assert (p._is_view(), p.is_leaf, p._base) == (False, True, None)
    q = p.as_subclass(_Sub)
    assert (q.grad_fn.name(), q._is_view(), q.is_leaf) == ("AliasBackward0", True, False)


_OVERLAP = "some elements of the input tensor and the written-to tensor refer to a single memory location"


@pytest.mark.parametrize(
    "call",
    [
        lambda x: fg.gather(x, 0, fg.tensor([0, 1, 2, 3, 4, 5]), out=x),
        lambda x: fg.take(x, fg.tensor([0, 1, 2, 3, 4, 5]), out=x),
        lambda x: fg.masked_select(x, fg.ones(6, dtype=fg.bool), out=x),
        lambda x: fg.index_select(x, 0, fg.arange(6), out=x),
        lambda x: fg.linalg.cross(x[:3], x[3:], out=x[:3]),
        lambda x: fg.cumsum(x[:5], 0, out=x[1:]),
        lambda x: fg.cumprod(x[:5], 0, out=x[1:]),
        lambda x: fg.add(x[:5], 1, out=x[1:]),
        lambda x: fg.max(x.view(2, 3), 1, out=(x[:2], fg.zeros(2, dtype=fg.long))),
    ],
)
def test_out_sharing_an_inputs_memory_is_refused_where_pytorch_refuses_it(call):
    x = fg.arange(6.0) + 1
    with pytest.raises(RuntimeError, match=_OVERLAP):
        call(x)


@pytest.mark.parametrize(
    ("call", "shape"),
    [
        (lambda x: fg.mm(x.view(2, 3), x.view(3, 2), out=x[:4].view(2, 2)), (2, 2)),
        (lambda x: fg.mean(x.view(2, 3), 1, out=x[:2]), (2,)),
        (lambda x: fg.amin(x.view(2, 3), 1, out=x[:2]), (2,)),
        (lambda x: fg.logsumexp(x.view(2, 3), 1, out=x[:2]), (2,)),
        (lambda x: fg.dot(x, x, out=x[0]), ()),
        (lambda x: fg.tril(x[:4].view(2, 2), out=x[2:].view(2, 2)), (2, 2)),
        (lambda x: fg.cumsum(x, 0, out=x), (6,)),
    ],
)
def test_out_overlapping_inputs_is_written_where_pytorch_does_not_check(call, shape):
    # PyTorch's values here depend on its kernels' write order: only acceptance is compared
    x = fg.arange(6.0) + 1
    assert call(x).shape == shape


def test_out_overlapping_inputs_of_a_product_or_a_full_cumsum_keeps_exact_values():
    x = fg.arange(6.0) + 1
    assert fg.mm(x.view(2, 3), x.view(3, 2), out=x[:4].view(2, 2)).tolist() == [[22.0, 28.0], [49.0, 64.0]]
    y = fg.arange(6.0) + 1
    assert fg.cumsum(y, 0, out=y).tolist() == [1.0, 3.0, 6.0, 10.0, 15.0, 21.0]


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda x, o: fg.sort(x, out=o), "sort_out"),
        (lambda x, o: fg.topk(x, 2, out=o), "topk_out"),
        (lambda x, o: fg.max(x, 1, out=o), "max_out"),
        (lambda x, o: fg.cummin(x, 1, out=o), "cummin_out"),
        (lambda x, o: fg.linalg.slogdet(fg.eye(2), out=(fg.empty(0), fg.empty(0))), "linalg_slogdet_out"),
        (lambda x, o: fg.linalg.qr(fg.eye(2), out=(fg.empty(0), fg.empty(0))), "linalg_qr_out"),
    ],
)
def test_out_calls_return_pytorchs_out_result_types(call, name):
    x = fg.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])
    result = call(x, (fg.empty(0), fg.empty(0, dtype=fg.long)))
    assert type(result).__name__ == name
    assert repr(result).startswith(f"ferrograd.return_types.{name}(")
    assert getattr(fg.return_types, name) is type(result)
    assert type(fg.sort(x)).__name__ == "sort"


def test_triangular_solve_warns_of_its_deprecation_once():
    import ferrograd._linalg_aliases as aliases

    aliases._warned_triangular_solve = False
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        fg.triangular_solve(fg.eye(2), fg.eye(2))
        fg.triangular_solve(fg.eye(2), fg.eye(2))
    assert len([w for w in record if "triangular_solve is deprecated in favor of" in str(w.message)]) == 1


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.floor_divide(-(2**63) - 1),
        lambda x: x.true_divide_(-(2**63) - 1),
        lambda x: x.floor_divide(2**64),
        lambda x: x.norm(-(2**63) - 1),
        lambda x: x.dist(x, -(2**63) - 1),
        lambda x: fg.linalg.vector_norm(x, -(2**63) - 1),
    ],
)
def test_number_arguments_past_uint64_or_below_int64_overflow(call):
    with pytest.raises(OverflowError):
        call(fg.ones(2, 3))


def test_max_with_a_tensor_and_keepdim_needs_an_int_dim():
    x = fg.ones(2, 3)
    with pytest.raises(TypeError, match="argument 'dim' \\(position 1\\) must be int, not Tensor"):
        x.max(x, True)
    assert x.min(fg.tensor(1), True).values.shape == (2, 1)


@pytest.mark.parametrize(("repeats", "name"), [(fg.tensor(2.0), "Float"), (fg.tensor([True, False, True]), "Bool"),
                                               (fg.tensor([1, 2, 0], dtype=fg.uint8), "Byte")])
def test_repeat_interleave_counts_must_be_int32_or_int64(repeats, name):
    with pytest.raises(NotImplementedError, match=f"not implemented for '{name}'"):
        fg.ones(3).repeat_interleave(repeats)
    assert fg.ones(3).repeat_interleave(fg.tensor(2, dtype=fg.int32)).shape == (6,)


def test_zero_dim_integer_tensors_stand_for_int_arguments():
    x = fg.ones(2, 3)
    assert fg.histc(x, fg.tensor(3)).tolist() == [0.0, 6.0, 0.0]
    assert x.mvlgamma(fg.tensor(1)).tolist() == [[0.0] * 3] * 2
    assert x.polygamma(fg.tensor(1))[0, 0].item() == pytest.approx(1.6449, abs=1e-4)
    assert fg.special.polygamma(fg.tensor(1), fg.ones(2)).tolist() == pytest.approx([1.6449] * 2, abs=1e-4)
    with pytest.raises(TypeError, match="must be int, not bool"):
        x.polygamma(True)


def test_quantile_takes_a_bool_probability_and_pinverse_a_float_rcond():
    x = fg.ones(2, 3)
    assert x.quantile(True).item() == 1.0
    assert fg.nanquantile(x, False).item() == 1.0
    with pytest.raises(TypeError, match="argument 'rcond' \\(position 1\\) must be float, not NoneType"):
        x.pinverse(None)


def test_select_names_the_index_size_and_dimension():
    with pytest.raises(IndexError, match=r"select\(\): index 7 out of range for tensor of size \[5, 5\] at dimension 0"):
        fg.ones(5, 5).select(0, 7)
    with pytest.raises(IndexError, match=r"select\(\) cannot be applied to a 0-dim tensor\."):
        fg.tensor(1.0).select(0, 0)
    with pytest.raises(IndexError, match="index 7 is out of bounds for dimension 0 with size 5"):
        fg.ones(5, 5)[7]


_ZERO_DIM_PICKS = {
    "kthvalue": lambda t: fg.kthvalue(t, 1),
    "mode": fg.mode,
    "cummax": lambda t: fg.cummax(t, 0),
    "cummin": lambda t: fg.cummin(t, 0),
    "topk": lambda t: fg.topk(t, 1),
}


@pytest.mark.parametrize(
    ("name", "value"),
    [(name, value) for name in _ZERO_DIM_PICKS for value in (True, 1 + 2j, 2.5)
     if not (name == "topk" and isinstance(value, (bool, complex)))],  # topk refuses both in any shape
)
def test_zero_dim_value_index_reductions_answer_before_the_dtype_dispatch(name, value):
    t = fg.tensor(value)
    values, indices = _ZERO_DIM_PICKS[name](t)
    assert (values.item(), values.dtype, values.shape) == (t.item(), t.dtype, ())
    assert (indices.item(), indices.dtype) == (0, fg.int64)


def test_zero_dim_topk_of_zero_elements_still_gives_the_value():
    values, indices = fg.topk(fg.tensor(1.0), 0)
    assert (values.item(), indices.item()) == (1.0, 0)


def test_zero_dim_kthvalue_passes_its_gradient():
    x = fg.tensor(2.0, requires_grad=True)
    values, _ = fg.kthvalue(x, 1)
    values.backward()
    assert (values.grad_fn.name(), x.grad.item()) == ("KthvalueBackward0", 1.0)


@pytest.mark.parametrize("beta", [0, 1])
def test_addr_promotes_with_its_input_whatever_beta(beta):
    out = fg.addr(fg.ones(1, 1, dtype=fg.float64), fg.ones(1), fg.ones(1), beta=beta)
    assert out.dtype == fg.float64


def test_zero_dim_int32_tensors_as_int_arguments_of_std_tril_indices_and_pad(recwarn):
    i = fg.tensor(1, dtype=fg.int32)
    x = fg.arange(12.0).reshape(3, 4)
    assert x.std(i).shape == (3,)
    assert x.var(i).shape == (3,)
    assert not [w for w in recwarn if "degrees of freedom" in str(w.message)]
    assert fg.tril_indices(i + 2, i + 2).tolist() == [[0, 1, 1, 2, 2, 2], [0, 0, 1, 0, 1, 2]]
    assert fg.triu_indices(i + 1, i + 1).tolist() == [[0, 0, 1], [0, 1, 1]]
    assert fg.nn.functional.pad(x, (i, i)).shape == (3, 6)


def test_python_2_operator_names_and_build_flags():
    assert fg.tensor(3.7).__long__() == 3
    assert fg.tensor([0.0]).__nonzero__() is False
    assert fg.tensor([2.0]).__div__(2).tolist() == [1.0]
    t = fg.tensor([2.0])
    assert t.__idiv__(2) is t and t.tolist() == [1.0]
    assert (fg.has_lapack, fg.has_spectral, fg.is_vulkan_available(), fg.init_num_threads()) == (True, True, False, None)
    assert fg.compiled_with_cxx11_abi() is True


def test_autocast_cache_switch_round_trips():
    assert fg.is_autocast_cache_enabled() is True
    fg.set_autocast_cache_enabled(False)
    try:
        assert fg.is_autocast_cache_enabled() is False
    finally:
        fg.set_autocast_cache_enabled(True)


def test_jit_fork_runs_the_call_and_wait_returns_its_result():
    future = fg.jit.fork(lambda a, b: a + b, fg.ones(2), b=fg.ones(2))
    assert isinstance(future, fg.Future) and future.done()
    assert fg.jit.wait(future).tolist() == [2.0, 2.0]
    assert fg.wait(fg.fork(len, [1, 2])) == 2


def test_symbolic_number_classes_and_is_distributed():
    assert not isinstance(3, fg.SymInt) and not isinstance(2.5, fg.SymFloat) and not isinstance(True, fg.SymBool)
    assert fg.is_distributed(fg.ones(1)) is False
    with pytest.raises(TypeError, match="must be Tensor, not int"):
        fg.is_distributed(3)


def test_type_refuses_unknown_keywords_and_resize_as_a_non_tensor_template():
    import numpy as np

    x = fg.ones(2, 3)
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        x.type(bogus=1)
    with pytest.raises(TypeError, match="argument 'the_template' \\(position 1\\) must be Tensor, not numpy.ndarray"):
        x.resize_as_(np.ones(3))
