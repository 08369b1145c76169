"""Bad arguments PyTorch refuses (or takes) where ferrograd did otherwise (session 33 fuzz)."""

import pytest
from backend import MOD, fg

# ---- a one-element tensor for an int list: the methods take it, the functions do not

@pytest.mark.parametrize("name", ["count_nonzero", "squeeze", "hsplit", "vsplit"])
def test_function_refuses_a_one_element_tensor_dim(name):
    with pytest.raises(TypeError, match=rf"^{name}\(\) received an invalid combination of arguments - got "
                                        r"\(Tensor, Tensor\), but expected one of:"):
        getattr(fg, name)(fg.ones(4, 4), fg.tensor([1]))


@pytest.mark.parametrize("name, shape", [("count_nonzero", [4]), ("squeeze", [4, 4])])
def test_function_takes_a_zero_dim_tensor_dim(name, shape):
    assert list(getattr(fg, name)(fg.ones(4, 4), fg.tensor(1)).shape) == shape


@pytest.mark.parametrize("name, shapes", [
    ("hsplit", [[4, 1], [4, 3]]),
    ("vsplit", [[1, 4], [3, 4]]),
])
def test_split_method_takes_a_one_element_tensor_as_its_index(name, shapes):
    parts = getattr(fg.ones(4, 4), name)(fg.tensor([1]))
    assert [list(p.shape) for p in parts] == shapes
    parts = getattr(fg.ones(4, 4), name)(fg.tensor([True]))
    assert [list(p.shape) for p in parts] == shapes


def test_split_method_refuses_a_float_one_element_tensor():
    with pytest.raises(TypeError, match=r"^hsplit\(\) received an invalid combination of arguments - got "
                                        r"\(Tensor\), but expected one of:\n \* \(int sections\)\n"):
        fg.ones(4, 4).hsplit(fg.tensor([1.0]))


# ---- sort / argsort: `stable` takes dim and descending by keyword only

@pytest.mark.parametrize("call, name, got", [
    (lambda x: fg.sort(x, 1, stable=False), "sort", r"\(Tensor, int, stable=bool\)"),
    (lambda x: fg.argsort(x, 1, stable=False), "argsort", r"\(Tensor, int, stable=bool\)"),
    (lambda x: x.sort(1, stable=True), "sort", r"\(int, stable=bool\)"),
    (lambda x: x.argsort(1, stable=True), "argsort", r"\(int, stable=bool\)"),
    (lambda x: fg.sort(x, 1, False, stable=False), "sort", r"\(Tensor, int, bool, stable=bool\)"),
])
def test_stable_with_a_positional_dim_is_refused(call, name, got):
    with pytest.raises(TypeError, match=rf"^{name}\(\) received an invalid combination of arguments - got {got}, "
                                        "but expected one of:"):
        call(fg.tensor([[3.0, 1.0, 2.0]]))


def test_stable_with_keyword_dim_still_sorts():
    x = fg.tensor([[3.0, 1.0, 2.0]])
    assert fg.sort(x, stable=True, dim=1, descending=True).indices.tolist() == [[0, 2, 1]]
    assert x.argsort(stable=True, dim=1).tolist() == [[1, 2, 0]]
    assert x.sort(1, True).indices.tolist() == [[0, 2, 1]]


# ---- tensor_split given its cuts twice

@pytest.mark.parametrize("call, got", [
    (lambda x: fg.tensor_split(x, [1], indices=[1]), r"\(Tensor, list, indices=list\)"),
    (lambda x: x.tensor_split([1], indices=[1]), r"\(list, indices=list\)"),
    (lambda x: x.tensor_split(2, sections=2), r"\(int, sections=int\)"),
    (lambda x: fg.tensor_split(x, sections=2, indices=[1]), r"\(Tensor, indices=list, sections=int\)"),
])
def test_tensor_split_cuts_given_twice(call, got):
    with pytest.raises(TypeError, match=rf"^tensor_split\(\) received an invalid combination of arguments - "
                                        rf"got {got}, but expected one of:"):
        call(fg.ones(4, 4))


def test_tensor_split_one_spelling_still_splits():
    assert len(fg.tensor_split(fg.ones(4, 4), indices=[1], dim=1)) == 2
    assert len(fg.ones(4, 4).tensor_split(sections=2)) == 2


# ---- empty: an unknown keyword

@pytest.mark.parametrize("call, key", [
    (lambda: fg.empty(2, bogus_kw=1), "bogus_kw"),
    (lambda: fg.empty((2,), b=1, a=2), "b"),
    (lambda: fg.empty(size=(2,), names=None), "names"),
    (lambda: fg.empty(2, generator=None), "generator"),
])
def test_empty_refuses_an_unknown_keyword(call, key):
    with pytest.raises(TypeError, match=rf"^empty\(\) got an unexpected keyword argument '{key}'$"):
        call()


def test_empty_takes_its_keywords():
    t = fg.empty(2, 3, out=None, layout=fg.strided, pin_memory=False, memory_format=fg.contiguous_format)
    assert list(t.shape) == [2, 3]


# ---- uniform_ / random_: PyTorch's keyword is `from`, not `from_`

@pytest.mark.parametrize("call, name", [
    (lambda x: x.uniform_(from_=0.0), "uniform_"),
    (lambda x: x.uniform_(from_=-1, to=2.0), "uniform_"),
])
def test_uniform_refuses_from_underscore(call, name):
    with pytest.raises(TypeError, match=rf"^{name}\(\) got an unexpected keyword argument 'from_'$"):
        call(fg.ones(3))


def test_random_refuses_from_underscore():
    with pytest.raises(TypeError, match=r"^random_\(\) received an invalid combination of arguments - "
                                        r"got \(to=int, from_=int, \), but expected one of:"):
        fg.ones(3).random_(from_=0, to=4)


def test_uniform_and_random_take_from():
    x = fg.ones(100).uniform_(to=3.0, **{"from": 2.0})
    assert 2.0 <= x.min().item() and x.max().item() < 3.0
    y = fg.ones(100).random_(to=4, **{"from": 2})
    assert set(y.tolist()) <= {2.0, 3.0}


def test_uniform_bounds_message_prints_numbers_as_pytorch():
    with pytest.raises(RuntimeError, match=r"^uniform_ expects to return a \[from, to\) range, but found "
                                           r"from=3 > to=2$"):
        fg.ones(3).uniform_(to=2.0, **{"from": 3.0})
    with pytest.raises(RuntimeError, match=r"found from=0\.123457 > to=0\.1$"):
        fg.ones(3).uniform_(0.1234567, 0.1)


# ---- conv_transpose: an empty output_padding

@pytest.mark.parametrize("n", [1, 2, 3])
def test_conv_transpose_refuses_empty_output_padding(n):
    conv = getattr(fg.nn.functional, f"conv_transpose{n}d")
    x, w = fg.ones(*(1, 1) + (4,) * n), fg.ones(*(1, 1) + (3,) * n)
    with pytest.raises(RuntimeError, match=rf"^expected output_padding to be a single integer value or a list of {n} "
                                           r"values to match the convolution dimensions, but got output_padding=\[\]$"):
        conv(x, w, output_padding=[])


@pytest.mark.parametrize("kwargs, message", [
    ({"groups": 0}, "non-positive groups is not supported"),
    ({"groups": -1, "stride": []}, "non-positive groups is not supported"),
    ({"stride": [1, 1, 1]}, "expected stride to be a single integer value or a list of 2 values"),
    ({"dilation": []}, "expected dilation to be a single integer value or a list of 2 values"),
])
def test_conv_transpose_checks_before_output_padding(kwargs, message):
    with pytest.raises(RuntimeError, match=f"^{message}"):
        fg.conv_transpose2d(fg.ones(1, 1, 4, 4), fg.ones(1, 1, 3, 3), output_padding=[], **kwargs)


# ---- normal: the size (and the factory keywords) belong to the overload of two numbers

@pytest.mark.parametrize("call, got", [
    (lambda: fg.normal(fg.tensor([1.5, 2.0]), 0.5, [2]), r"\(Tensor, float, list\)"),
    (lambda: fg.normal(0.5, fg.tensor([1.5, 2.0]), (2,)), r"\(float, Tensor, tuple\)"),
    (lambda: fg.normal(fg.tensor([0.5]), fg.tensor([1.5]), requires_grad=True), r"\(Tensor, Tensor, requires_grad=bool\)"),
    (lambda: fg.normal(0.5, 1.0), r"\(float, float\)"),
    (lambda: fg.normal(0.5, 1.0, 2), r"\(float, float, int\)"),
])
def test_normal_refuses_as_the_parser(call, got):
    with pytest.raises(TypeError, match=rf"^normal\(\) received an invalid combination of arguments - got {got}, "
                                        "but expected one of:"):
        call()


def test_normal_reads_zero_dim_tensors_with_a_size_as_numbers():
    t = fg.normal(fg.tensor(1.5), 0.5, [2])
    assert list(t.shape) == [2] and t.dtype == fg.float32
    t = fg.normal(fg.tensor(0.5), fg.tensor(1.5), (3,), dtype=fg.float64)
    assert list(t.shape) == [3] and t.dtype == fg.float64


# ---- embedding_renorm_: PyTorch's checks

@pytest.mark.parametrize("indices, kind", [
    (lambda: fg.tensor([0.0]), f"{MOD}.FloatTensor"),
    (lambda: fg.zeros(0), f"{MOD}.FloatTensor"),
    (lambda: fg.tensor([True]), "CPUBoolType"),
    (lambda: fg.tensor([1j]), "CPUComplexFloatType"),
    (lambda: fg.tensor([1.0], dtype=fg.float16), f"{MOD}.HalfTensor"),
])
def test_embedding_renorm_refuses_non_integer_indices(indices, kind):
    with pytest.raises(RuntimeError, match=r"^Expected tensor for argument #2 'indices' to have one of the following "
                                           rf"scalar types: Long, Int; but got {kind} instead \(while checking "
                                           r"arguments for embedding_renorm_\)$"):
        fg.embedding_renorm_(fg.ones(3, 3), indices(), 1.0, 2.0)


def test_embedding_renorm_refuses_a_grad_leaf_and_a_scalar():
    with pytest.raises(RuntimeError, match=r"^a leaf Variable that requires grad is being used in an in-place "
                                           r"operation\.$"):
        fg.embedding_renorm_(fg.ones(3, 3, requires_grad=True), fg.tensor([0]), 1.0, 2.0)
    with pytest.raises(RuntimeError, match=r"^Expected 2-dimensional tensor, but got 0-dimensional tensor for "
                                           r"argument #1 'self' \(while checking arguments for embedding_renorm_\)$"):
        fg.embedding_renorm_(fg.tensor(1.5), fg.tensor([0]), 1.0, 2.0)


def test_embedding_renorm_still_renormalises():
    w = fg.embedding_renorm_(fg.ones(3, 3), fg.tensor([0, -1]), 1.0, 2.0)
    assert [round(v, 4) for v in w[:, 0].tolist()] == [0.5774, 1.0, 0.5774]


# ---- Python-level failures that leaked out where PyTorch raises its own error

@pytest.mark.parametrize("weight, name", [
    ("abc", "str"), (1.5, "float"), (True, "bool"), ([[1.0, 2.0, 3.0]], "list"), (1j, "complex"),
])
def test_bce_with_logits_refuses_a_weight_that_is_no_tensor(weight, name):
    x = fg.zeros(2, 3)
    with pytest.raises(TypeError, match=r"^binary_cross_entropy_with_logits\(\): argument 'weight' \(position 3\) "
                                        rf"must be Tensor, not {name}$"):
        fg.nn.functional.binary_cross_entropy_with_logits(x, x, weight=weight)
    with pytest.raises(TypeError, match=r"^binary_cross_entropy_with_logits\(\): argument 'pos_weight' \(position 4\) "
                                        rf"must be Tensor, not {name}$"):
        fg.nn.functional.binary_cross_entropy_with_logits(x, x, pos_weight=weight)


def test_bce_with_logits_binding_takes_parser_ints_for_reduction():
    import numpy as np

    x = fg.zeros(2, 3)
    assert round(fg.binary_cross_entropy_with_logits(x, x, None, None, fg.tensor(1)).item(), 4) == 0.6931
    assert round(fg.binary_cross_entropy_with_logits(x, x, None, None, np.int64(2)).item(), 4) == 4.1589
    with pytest.raises(TypeError, match=r"argument 'reduction' \(position 5\) must be int, not Tensor$"):
        fg.binary_cross_entropy_with_logits(x, x, None, None, fg.tensor([1]))


@pytest.mark.parametrize("index", [
    lambda: [fg.tensor(1.5), fg.ones(2, 3)], lambda: [fg.tensor(1.5)], lambda: (fg.tensor(1.5), fg.tensor(1)),
])
def test_index_put_refuses_a_zero_dim_float_index(index):
    with pytest.raises(IndexError, match=r"^tensors used as indices must be long, int, byte or bool tensors$"):
        fg.ones(2, 3).index_put(index(), fg.tensor(0.5))


@pytest.mark.parametrize("dtype, name", [(1, "int"), ("float32", "str"), (lambda: fg.ones(1), "Tensor")])
def test_norm_refuses_a_dtype_that_is_no_dtype(dtype, name):
    dtype = dtype() if callable(dtype) else dtype
    for call in (lambda: fg.norm(fg.ones(2, 3), dtype=dtype), lambda: fg.ones(2, 3).norm(dtype=dtype),
                 lambda: fg.linalg.vector_norm(fg.ones(2, 3), dtype=dtype)):
        with pytest.raises(TypeError, match=r"^linalg_vector_norm\(\): argument 'dtype' must be torch\.dtype, "
                                            rf"not {name}$"):
            call()


def test_norm_takes_a_python_type_dtype():
    assert fg.norm(fg.ones(2, 3), dtype=float).dtype == fg.float64


@pytest.mark.parametrize("dims, message", [
    ([1, 1], "dim 1 appears multiple times in the list of dims"),
    ([1, -1], "dim 1 appears multiple times in the list of dims"),
    ([0, 1, 0], "dim 0 appears multiple times in the list of dims"),
    ([1, 1, 5], r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 5\)"),
])
def test_hash_tensor_refuses_a_repeated_dim(dims, message):
    with pytest.raises((RuntimeError, IndexError), match=f"^{message}$"):
        fg.hash_tensor(fg.ones(2, 3), dims)


@pytest.mark.parametrize("dims, shape", [
    (lambda: fg.tensor(1.5), [2, 2]), (lambda: fg.tensor([1]), [2, 2]), (lambda: fg.tensor([[1], [0]]), [2, 2]),
])
def test_tensordot_reads_tensor_dims_as_pytorch(dims, shape):
    assert list(fg.tensordot(fg.ones(2, 3), fg.ones(3, 2), dims=dims()).shape) == shape


def test_tensordot_refuses_negative_tensor_dims():
    with pytest.raises(RuntimeError, match=r"^tensordot expects dims >= 0, but got dims=-1$"):
        fg.tensordot(fg.ones(2, 3), fg.ones(3, 2), dims=fg.tensor(-1))


def _lstm_weights():
    return [fg.ones(16, 4), fg.ones(16, 4), fg.ones(16), fg.ones(16)]


@pytest.mark.parametrize("hx", [[], [fg.zeros(1, 1, 4)] * 3])
def test_lstm_wants_two_hidden_states(hx):
    with pytest.raises(RuntimeError, match=r"^lstm expects two hidden states$"):
        fg.lstm(fg.ones(2, 1, 4), hx, _lstm_weights(), True, 1, 0.0, False, False, False)


def test_lstm_refuses_none_in_its_tensor_lists():
    with pytest.raises(TypeError, match=r"^expected Tensor as element 1 in argument 1, but got NoneType$"):
        fg.lstm(fg.ones(2, 1, 4), [fg.zeros(1, 1, 4), None], _lstm_weights(), True, 1, 0.0, False, False, False)
    with pytest.raises(TypeError, match=r"^expected Tensor as element 3 in argument 2, but got NoneType$"):
        fg.lstm(fg.ones(2, 1, 4), [fg.zeros(1, 1, 4)] * 2, _lstm_weights()[:3] + [None], True, 1, 0.0, False, False,
                False)


@pytest.mark.parametrize("size", [-1, [-5], [2, -1], [2**62, 2], [2**32, 2**31]])
def test_sparse_coo_tensor_size_overflow(size):
    with pytest.raises(RuntimeError, match=r"^numel: integer multiplication overflow$"):
        fg.sparse_coo_tensor(size)


@pytest.mark.parametrize("call, shape", [
    (lambda: fg.sparse_coo_tensor(3), [3]),
    (lambda: fg.sparse_coo_tensor(size=[2, 3]), [2, 3]),
    (lambda: fg.sparse_coo_tensor([0, -1]), [0, -1]),
])
def test_sparse_coo_tensor_size_alone(call, shape):
    assert list(call().shape) == shape


def test_sparse_coo_tensor_size_keyword_is_a_list():
    with pytest.raises(TypeError, match=r"^sparse_coo_tensor\(\): argument 'size' must be tuple of ints, not int$"):
        fg.sparse_coo_tensor(size=3)


@pytest.mark.parametrize("step", [0, -1, -100])
def test_slice_copy_refuses_a_step_below_one(step):
    with pytest.raises(RuntimeError, match=r"^slice step must be positive$"):
        fg.slice_copy(fg.ones(2, 3), 1, step=step)


def test_slice_copy_refuses_a_zero_dim_tensor():
    with pytest.raises(IndexError, match=r"^slice\(\) cannot be applied to a 0-dim tensor\.$"):
        fg.slice_copy(fg.tensor(1.5), 0)


@pytest.mark.parametrize("range_, message", [
    (["a", 1], r"histogram\(\) received an invalid combination of arguments - got \(Tensor, range=list\)"),
    ([[1]], r"histogram\(\) received an invalid combination of arguments - got \(Tensor, range=list\)"),
    ([1, "a"], r"histogram\(\): argument 'range' must be tuple of floats, but found element of type str at pos 2$"),
    ([1j, 2], r"histogram\(\): argument 'range' must be tuple of floats, but found element of type complex at pos 1$"),
])
def test_histogram_range_elements_as_the_parser(range_, message):
    with pytest.raises(TypeError, match=f"^{message}"):
        fg.histogram(fg.ones(3), range=range_)


def test_histogram_method_lists_its_own_overloads():
    with pytest.raises(TypeError, match=r"^histogram\(\) received an invalid combination of arguments - got "
                                        r"\(range=list, \), but expected one of:\n \* \(Tensor bins, \*"):
        fg.ones(3).histogram(range=[None, 1])


def test_histogramdd_range_elements_as_the_parser():
    with pytest.raises(TypeError, match=r"^histogramdd\(\) received an invalid combination of arguments - got "
                                        r"\(Tensor, int, range=list\)"):
        fg.histogramdd(fg.ones(3, 1), 2, range=["abc", 1])


def test_histogram_range_of_numbers_and_bools():
    assert fg.histogram(fg.ones(3), 2, range=[True, 2.0]).bin_edges.tolist() == [1.0, 1.5, 2.0]


def test_view_as_real_copy_takes_out():
    out = fg.zeros(2, 2)
    assert fg.view_as_real_copy(fg.ones(2, dtype=fg.complex64), out=out) is out
    assert out.tolist() == [[1.0, 0.0], [1.0, 0.0]]
    with pytest.raises(RuntimeError, match=r"^Expected out tensor to have dtype float, but got double instead$"):
        fg.view_as_real_copy(fg.ones(2, dtype=fg.complex64), out=fg.zeros(2, 2, dtype=fg.float64))
    out = fg.zeros(2, dtype=fg.complex64)
    assert fg.view_as_complex_copy(fg.ones(2, 2), out=out) is out


def test_put_checks_dtypes_before_bounds():
    with pytest.raises(RuntimeError, match=r"^put_\(\): self and source expected to have the same dtype, but got "
                                           r"self\.dtype = Long and source\.dtype = Float$"):
        fg.tensor(2).put_(fg.tensor([1]), fg.tensor([1.5]))
    with pytest.raises(IndexError, match=r"^put_\(\): Expected source and index to have the same number of "
                                         r"elements, but got source\.numel\(\) = 2, index\.numel\(\) = 1$"):
        fg.ones(2, 3).put_(fg.tensor([100]), fg.tensor([1.0, 2.0]))


def test_huber_loss_with_weight_reads_the_reduction_last():
    x, t = fg.ones(2, 3) * 0.3, fg.ones(2, 3)
    with pytest.raises(TypeError, match=r"^huber_loss\(\): argument 'delta' \(position 4\) must be float, "
                                        r"not Tensor$"):
        fg.nn.functional.huber_loss(x, t, t, t, t)
    with pytest.raises(ValueError, match=r"^Invalid reduction mode: bogus\. Expected one of 'none', 'mean', "
                                         r"'sum'\.$"):
        fg.nn.functional.huber_loss(x, t, "bogus", weight=t)
    with pytest.raises(ValueError, match=r"^Weights and input must have the same size\.$"):
        fg.nn.functional.huber_loss(x, t, "bogus", weight=fg.ones(3))


@pytest.mark.parametrize("call, where", [
    (lambda x: fg.triplet_margin_loss(x, x, x, margin=fg.tensor([1.0, 2.0])), ""),
    (lambda x: fg.triplet_margin_loss(x, x, x, fg.tensor([1.0, 2.0])), r" \(position 4\)"),
])
def test_triplet_margin_loss_binding_refuses_a_tensor_margin(call, where):
    with pytest.raises(TypeError, match=rf"^triplet_margin_loss\(\): argument 'margin'{where} must be float, "
                                        r"not Tensor$"):
        call(fg.ones(2, 3))


# ---- silent before: PyTorch refuses, ferrograd took the call

@pytest.mark.parametrize("kwargs, message", [
    ({"blocksize": [-5]}, "dense_to_sparse: blocksize needs to be a tuple of size 2, but got 1"),
    ({"blocksize": []}, "dense_to_sparse: blocksize needs to be a tuple of size 2, but got 0"),
    ({"blocksize": -1}, r"dense_to_sparse: blocksize needs to be positive, but got \[-1, -1\]"),
    ({"blocksize": [1, 1]}, ("dense_to_sparse: conversion from Strided to Sparse with blocksize argument given is "
                            "not supported")),
    ({"blocksize": [1, 1], "layout": "csc"}, ("dense_to_sparse: conversion from Strided to SparseCsc with blocksize "
                                             "argument given is not supported")),
    ({"blocksize": [-1], "layout": "strided"}, "to_sparse: blocksize needs to be a tuple of size 2, but got 1"),
    ({"blocksize": [1, 1], "layout": "strided"}, ("to_sparse: conversion from Strided to Strided with blocksize "
                                                 "argument given is not supported")),
])
def test_to_sparse_checks_the_blocksize(kwargs, message):
    layouts = {"csc": fg.sparse_csc, "strided": fg.strided}
    if "layout" in kwargs:
        kwargs = {**kwargs, "layout": layouts[kwargs["layout"]]}
    with pytest.raises(RuntimeError, match=f"^{message}$"):
        fg.ones(2, 3).to_sparse(**kwargs)


@pytest.mark.parametrize("dense_dim, error, message", [
    (100, IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got -102\)"),
    (-3, IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"),
    (1, IndexError, r"Dimension out of range \(expected to be in range of \[-2, 1\], but got -3\)"),
    (-1, RuntimeError, r"dense_to_sparse_bsr: dense_dim argument must be in \[0,0\] range, but -1 is given"),
])
def test_to_sparse_bsr_dense_dim_out_of_range(dense_dim, error, message):
    with pytest.raises(error, match=f"^{message}$"):
        fg.ones(2, 3).to_sparse_bsr((1, 1), dense_dim)


def test_combinations_grid_overflow():
    with pytest.raises(RuntimeError, match=r"^numel: integer multiplication overflow$"):
        fg.combinations(fg.ones(3), r=100)
    assert list(fg.combinations(fg.ones(3), r=4).shape) == [0, 4]


def test_gradient_refuses_none_spacing_with_a_dim_list():
    with pytest.raises(TypeError, match=r"^gradient\(\) received an invalid combination of arguments - got "
                                        r"\(Tensor, dim=list, spacing=NoneType\), but expected one of:"):
        fg.gradient(fg.ones(2, 3), spacing=None, dim=[1])
    assert len(fg.gradient(fg.ones(2, 3), spacing=None, dim=1)) == 1


@pytest.mark.parametrize("dtype, name", [("complex64", "ComplexFloat"), ("complex128", "ComplexDouble")])
def test_group_norm_refuses_complex(dtype, name):
    x = fg.ones(2, 3, dtype=getattr(fg, dtype))
    for call in (fg.group_norm, fg.nn.functional.group_norm):
        with pytest.raises(NotImplementedError, match=rf"^\"GroupNormKernelImpl\" not implemented for '{name}'$"):
            call(x, 1)


@pytest.mark.parametrize("x, message", [
    (lambda: fg.tensor(1.5), "Dimension specified as 0 but tensor has no dimensions"),
    (lambda: fg.ones(3), r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)"),
])
def test_group_norm_binding_reads_sizes_first(x, message):
    with pytest.raises(IndexError, match=f"^{message}$"):
        fg.group_norm(x(), 0)


def test_native_dropout_refuses_a_tensor_p():
    with pytest.raises(TypeError, match=r"^native_dropout\(\): argument 'p' \(position 2\) must be float, "
                                        r"not Tensor$"):
        fg.native_dropout(fg.ones(2, 3), fg.tensor([1.0, 2.0]), False)


def test_sparse_coo_tensor_size_given_twice():
    with pytest.raises(TypeError, match=r"^sparse_coo_tensor\(\) received an invalid combination of arguments - "
                                        r"got \(list, size=list\), but expected one of:"):
        fg.sparse_coo_tensor([1], size=[1])


def test_special_round_out_keeps_the_dtype():
    with pytest.raises(RuntimeError, match=r"^Found dtype Double but expected Float$"):
        fg.special.round(fg.ones(2, 3), out=fg.zeros(2, 3, dtype=fg.float64))
    out = fg.zeros(2)
    assert fg.special.round(fg.tensor([1.4, 2.6]), out=out) is out and out.tolist() == [1.0, 3.0]


# ---- refused before: PyTorch takes the call

def test_fftfreq_takes_python_dtypes_and_pin_memory():
    assert fg.fft.fftfreq(4, dtype=float).dtype == fg.float64
    assert list(fg.fft.rfftfreq(4, pin_memory=None).shape) == [3]
    assert fg.fft.fftfreq(4, pin_memory=False).tolist() == [0.0, 0.25, -0.5, -0.25]
    with pytest.raises(RuntimeError, match=r"^rfftfreq requires a floating point or complex dtype$"):
        fg.fft.rfftfreq(4, dtype=int)
    with pytest.raises(RuntimeError, match=r"^pin_memory=True requires a CUDA or other accelerator backend"):
        fg.fft.fftfreq(4, pin_memory=True)


def test_gradient_and_vecdot_take_parser_ints_for_dim():
    import numpy as np

    assert len(fg.gradient(fg.ones(2, 3), dim=fg.tensor(1))) == 1
    assert len(fg.gradient(fg.ones(2, 3), dim=np.int64(1))) == 1
    assert fg.linalg.vecdot(fg.ones(2, 3), fg.ones(2, 3), dim=np.int64(1)).tolist() == [3.0, 3.0]
    assert fg.linalg.vecdot(fg.ones(2, 3), fg.ones(2, 3), dim=fg.tensor(0)).tolist() == [2.0, 2.0, 2.0]


def test_margin_ranking_loss_margins_and_shapes():
    import numpy as np

    x = fg.ones(2, 3)
    F = fg.nn.functional
    assert F.margin_ranking_loss(x, x, x, margin=np.int64(1)).item() == 1.0
    assert F.margin_ranking_loss(x, x, x, margin=-(2**63) - 1).item() == 0.0
    # the binding broadcasts; nn.functional's body wants inputs of one dimension
    assert fg.margin_ranking_loss(fg.ones(3), x * 2, x, 0.5, 2).item() == 9.0
    with pytest.raises(RuntimeError, match=r"^margin_ranking_loss : All input tensors should have same dimension"):
        F.margin_ranking_loss(fg.ones(3), x, x, margin="a")


def test_rrelu_reads_inplace_by_its_truth():
    t = fg.tensor([-1.0, 2.0])
    assert fg.nn.functional.rrelu(t, inplace="abc") is t
    assert t.tolist()[1] == 2.0 and t.tolist()[0] < 0
    t = fg.tensor([-1.0, 2.0])
    assert fg.nn.functional.rrelu(t, inplace=None) is not t


@pytest.mark.parametrize("dtype", ["float64", "int32", "float16", "complex64"])
def test_matrix_rank_out_casts_safely(dtype):
    out = fg.zeros(0, dtype=getattr(fg, dtype))
    assert fg.linalg.matrix_rank(fg.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.1]]), out=out) is out
    assert out.tolist() == 2


def test_matrix_rank_and_pinv_out_refused_as_linalg():
    with pytest.raises(RuntimeError, match=rf"^{MOD}\.linalg\.matrix_rank: Expected result to be safely castable "
                                           r"from Long dtype, but got result with dtype Bool$"):
        fg.linalg.matrix_rank(fg.ones(2, 3), out=fg.zeros(0, dtype=fg.bool))
    with pytest.raises(RuntimeError, match=r"^linalg\.pinv: Expected result to be safely castable from Float dtype, "
                                           r"but got result with dtype Int$"):
        fg.linalg.pinv(fg.ones(2, 3), out=fg.zeros(3, 2, dtype=fg.int32))
    out = fg.zeros(3, 2, dtype=fg.float64)
    assert fg.linalg.pinv(fg.ones(2, 3), out=out) is out and out.dtype == fg.float64


def test_from_dlpack_device_and_copy():
    t = fg.ones(2)
    shared = fg.from_dlpack(t, device="cpu", copy=None)
    shared.add_(1)
    assert t.tolist() == [2.0, 2.0]
    copied = fg.from_dlpack(t, copy=True)
    copied.add_(1)
    assert t.tolist() == [2.0, 2.0] and copied.tolist() == [3.0, 3.0]
    with pytest.raises(AssertionError, match=r"^from_dlpack: unsupported device type: <class 'complex'>$"):
        fg.from_dlpack(t, device=1j)
    with pytest.raises(RuntimeError, match=r"^Expected one of cpu, cuda, .* device type at start of device "
                                           r"string: abc$"):
        fg.from_dlpack(t, device="abc")


# ---- the last round: names, dtypes and checks as PyTorch's

@pytest.mark.parametrize("name, args", [
    ("new_empty", ()), ("new_zeros", ()), ("new_ones", ()), ("new_full", (1.0,)),
])
def test_new_factories_name_themselves(name, args):
    with pytest.raises(TypeError, match=rf"^{name}\(\): argument 'size' \(position 1\) must be tuple of ints, but "
                                        r"found element of type float at pos 0$"):
        getattr(fg.ones(2), name)([1.5], *args)


def test_new_full_refuses_a_fill_value_that_is_no_number():
    with pytest.raises(TypeError, match=r"^new_full\(\): argument 'fill_value' \(position 2\) must be Number, "
                                        r"not str$"):
        fg.ones(2).new_full([2], "a")
    assert fg.ones(2).new_full([2], fg.tensor(1.5)).tolist() == [1.5, 1.5]


@pytest.mark.parametrize("target, message", [
    (lambda: fg.tensor([0, 1]), r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)"),
    (lambda: fg.tensor(0.5), "Dimension specified as 1 but tensor has no dimensions"),
])
def test_cross_entropy_of_a_zero_dim_input(target, message):
    with pytest.raises(IndexError, match=f"^{message}$"):
        fg.nn.functional.cross_entropy(fg.tensor(1.5), target())


@pytest.mark.parametrize("smoothing", [-1, float("nan")])
def test_cross_entropy_applies_only_a_positive_smoothing(smoothing):
    loss = fg.nn.functional.cross_entropy(fg.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]]), fg.tensor([0, 1]),
                                          label_smoothing=smoothing)
    assert round(loss.item(), 4) == 1.4795


@pytest.mark.parametrize("name", ["eq", "ne", "lt", "le", "gt", "ge", "greater_equal", "less", "logical_and",
                                  "logical_xor"])
def test_comparison_out_may_require_grad(name):
    out = fg.zeros(2, requires_grad=True)
    assert getattr(fg, name)(fg.tensor([1.0, 2.0]), fg.tensor([2.0, 2.0]), out=out) is out
    assert out.requires_grad and out.grad_fn is None


@pytest.mark.parametrize("name", ["bartlett_window", "blackman_window", "hamming_window", "hann_window",
                                  "kaiser_window"])
def test_window_takes_a_python_dtype(name):
    assert getattr(fg, name)(4, dtype=float).dtype == fg.float64
    with pytest.raises(RuntimeError, match=rf"^{name} expects floating point dtypes, got: "):
        getattr(fg, name)(4, dtype=int)


def test_python_types_and_numpy_ints_where_the_parser_takes_them():
    import numpy as np

    assert fg.ones(2).to_dense(dtype=float).dtype == fg.float64
    assert fg.can_cast(float, fg.int32) is False and fg.can_cast(fg.int32, float) is True
    assert list(fg.cat([fg.ones(2, 3)] * 2, dim=np.int64(1)).shape) == [2, 6]
    assert list(fg.concatenate([fg.ones(2, 3)] * 2, dim=np.int64(0)).shape) == [4, 3]


@pytest.mark.parametrize("position, name", [(1, "input1"), (2, "input2"), (3, "target")])
def test_margin_ranking_loss_binding_wants_tensors(position, name):
    args = [fg.ones(2, 3), fg.ones(2, 3), fg.ones(2, 3)]
    args[position - 1] = 1.5
    with pytest.raises(TypeError, match=rf"^margin_ranking_loss\(\): argument '{name}' \(position {position}\) "
                                        r"must be Tensor, not float$"):
        fg.margin_ranking_loss(*args)
