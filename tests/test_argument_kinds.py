"""A value of the wrong kind for an argument (a number where a tensor goes, a tensor
where an int, a bool or a float goes, an int where a tuple goes) raises what PyTorch's
argument parser raises, TypeError, naming the function and the argument; and calls
that PyTorch accepts with several positional dims or none are taken alike."""

import pytest
from backend import fg

M = fg.ones(2, 3)
SQ = fg.eye(3, dtype=fg.float64)
WIDE = fg.ones(2, 3)  # a many-element tensor where a number is expected

NUMBER_FOR_TENSOR = [
    ("take", lambda: M.take(0), "index"),
    ("kron", lambda: M.kron(2), "other"),
    ("equal", lambda: M.equal(1), "other"),
    ("expand_as", lambda: M.expand_as(1), "other"),
    ("view_as", lambda: M.view_as(1), "other"),
    ("reshape_as", lambda: M.reshape_as(1), "other"),
    ("type_as", lambda: M.type_as(1), "other"),
    ("masked_select", lambda: M.masked_select(1), "mask"),
    ("masked_scatter", lambda: M.masked_scatter(1, M), "mask"),
    ("put", lambda: M.put(0, M), "index"),
    ("outer", lambda: fg.ones(3).outer(2), "vec2"),
    ("prelu", lambda: M.prelu(1), "weight"),
    ("dist", lambda: M.dist(1), "other"),
    ("orgqr", lambda: SQ.orgqr(1), "input2"),
    ("lu_solve", lambda: SQ.lu_solve(1, 2), "LU_data"),
    ("triangular_solve", lambda: SQ.triangular_solve(1), "A"),
    ("pairwise_distance", lambda: fg.pairwise_distance(M, 0), "x2"),
    ("cosine_similarity", lambda: fg.cosine_similarity(M, 0), "x2"),
    ("cdist", lambda: fg.cdist(M, 0), "x2"),
    ("lu_unpack", lambda: fg.lu_unpack(SQ, 0), "LU_pivots"),
]


@pytest.mark.parametrize("name,call,arg", NUMBER_FOR_TENSOR, ids=[c[0] for c in NUMBER_FOR_TENSOR])
def test_a_number_where_a_tensor_goes_is_a_type_error(name, call, arg):
    with pytest.raises(TypeError, match=rf"{name}\(\): argument '{arg}' .*must be Tensor, not int"):
        call()


TENSOR_FOR_SCALAR = [
    ("diff", lambda: M.diff(WIDE), "n", "int"),
    ("histc", lambda: M.histc(WIDE), "bins", "int"),
    ("unsafe_chunk", lambda: M.unsafe_chunk(WIDE), "chunks", "int"),
    ("nanmedian", lambda: M.nanmedian(WIDE), "dim", "int"),
    ("gather", lambda: M.gather(WIDE, fg.zeros(2, 3, dtype=fg.int64)), "dim", "int"),
    ("index_select", lambda: M.index_select(WIDE, fg.zeros(2, dtype=fg.int64)), "dim", "int"),
    ("svd", lambda: M.svd(WIDE), "some", "bool"),
    ("qr", lambda: M.qr(WIDE), "some", "bool"),
    ("logit", lambda: M.logit(WIDE), "eps", "float"),
    ("nan_to_num", lambda: M.nan_to_num(WIDE), "nan", "float"),
    ("isclose", lambda: M.isclose(M, WIDE), "rtol", "float"),
    ("hardshrink", lambda: M.hardshrink(WIDE), "lambd", "Number"),
    ("fill_diagonal_", lambda: M.clone().fill_diagonal_(WIDE), "fill_value", "Number"),
]


@pytest.mark.parametrize("name,call,arg,kind", TENSOR_FOR_SCALAR, ids=[c[0] for c in TENSOR_FOR_SCALAR])
def test_a_tensor_where_a_scalar_goes_is_a_type_error(name, call, arg, kind):
    with pytest.raises(TypeError, match=rf"{name}\(\): argument '{arg}' .*must be {kind}, not Tensor"):
        call()


def test_a_float_where_an_int_goes_is_a_type_error():
    with pytest.raises(TypeError, match="must be int, not float"):
        M.nanmedian(1.0)
    with pytest.raises(TypeError, match="must be int, not float"):
        M.size(1.0)
    assert M.size(fg.tensor(1)) == 3  # a one-element integer tensor is an int to PyTorch


INT_FOR_TUPLE = [
    ("new_full", lambda: M.new_full(2, 1.0), "size"),
    ("as_strided", lambda: M.as_strided(2, 1), "size"),
    ("unflatten", lambda: M.unflatten(0, 2), "sizes"),
    ("rot90", lambda: M.rot90(1, 0), "dims"),
]


@pytest.mark.parametrize("name,call,arg", INT_FOR_TUPLE, ids=[c[0] for c in INT_FOR_TUPLE])
def test_an_int_where_a_tuple_goes_is_a_type_error(name, call, arg):
    with pytest.raises(TypeError, match=rf"{name}\(\): argument '{arg}' .*must be tuple of ints, not int"):
        call()


@pytest.mark.parametrize("method", ["view", "reshape", "permute", "expand"])
def test_shape_methods_without_a_shape_are_type_errors(method):
    with pytest.raises(TypeError):
        getattr(M, method)()


def test_masked_fill_with_a_number_for_the_mask_is_a_type_error():
    with pytest.raises(TypeError):
        M.masked_fill(0, fg.tensor(1.0).expand(3))


def test_squeeze_takes_several_positional_dims():
    x = fg.ones(1, 1, 3)
    assert tuple(x.squeeze(0, 1).shape) == (3,)
    assert tuple(x.squeeze((0, 1)).shape) == (3,)
    assert tuple(x.squeeze(1).shape) == (1, 3)
    assert tuple(x.clone().squeeze_(0, 1).shape) == (3,)


def test_an_integer_device_is_an_accelerator_this_build_lacks():
    for call in (lambda: M.to(0), lambda: fg.zeros(2, device=0), lambda: fg.device(0)):
        with pytest.raises(RuntimeError, match="Cannot access accelerator device"):
            call()


def test_allclose_of_different_dtypes_names_both():
    with pytest.raises(RuntimeError, match="Float did not match Int"):
        M.allclose(fg.ones(2, 3, dtype=fg.int32))


@pytest.mark.parametrize("fn", ["broadcast_tensors", "meshgrid", "cartesian_prod", "chain_matmul"])
def test_a_number_in_a_tensor_list_is_a_type_error(fn):
    with pytest.raises(TypeError, match="expected Tensor as element 1 in argument 0, but got int"):
        getattr(fg, fn)(fg.ones(3), 0)


def test_bucketize_needs_tensor_boundaries():
    with pytest.raises(TypeError):
        fg.bucketize(M, 0)


def test_split_methods_and_broadcast_to_take_positional_ints():
    x = fg.arange(12.0).reshape(2, 6)
    assert [tuple(p.shape) for p in x.hsplit(1, 4)] == [(2, 1), (2, 3), (2, 2)]
    assert [tuple(p.shape) for p in x.vsplit(1)] == [(2, 6)]
    assert [tuple(p.shape) for p in x.vsplit(1, 1)] == [(1, 6), (0, 6), (1, 6)]
    assert tuple(fg.ones(3).broadcast_to(2, 3).shape) == (2, 3)


NN_NUMBER_FOR_TENSOR = [
    ("linear", lambda F: F.linear(M, 0), "weight"),
    ("cross_entropy", lambda F: F.cross_entropy(M, 0), "target"),
    ("nll_loss", lambda F: F.nll_loss(M, 0), "target"),
    ("kl_div", lambda F: F.kl_div(M, 0), "target"),
    ("soft_margin_loss", lambda F: F.soft_margin_loss(M, 0), "target"),
    ("multi_margin_loss", lambda F: F.multi_margin_loss(M, 0), "target"),
    ("multilabel_margin_loss", lambda F: F.multilabel_margin_loss(M, 0), "target"),
    ("poisson_nll_loss", lambda F: F.poisson_nll_loss(M, 0), "target"),
    ("cosine_embedding_loss", lambda F: F.cosine_embedding_loss(M, 0, M), "input2"),
    ("triplet_margin_loss", lambda F: F.triplet_margin_loss(M, 0, M), "positive"),
    ("bilinear", lambda F: F.bilinear(M, 0, M), "input2"),
    ("scaled_dot_product_attention", lambda F: F.scaled_dot_product_attention(M, 0, M), "key"),
    ("grid_sample", lambda F: F.grid_sample(fg.ones(1, 1, 2, 2), 0), "grid"),
]


@pytest.mark.parametrize("name,call,arg", NN_NUMBER_FOR_TENSOR, ids=[c[0] for c in NN_NUMBER_FOR_TENSOR])
def test_nn_functional_number_where_a_tensor_goes_is_a_type_error(name, call, arg):
    with pytest.raises(TypeError, match=rf"argument '{arg}' .*must be Tensor, not int"):
        call(fg.nn.functional)
