"""Sparse COO tensors reaching the bindings that read strided tensors only (the core's
`Strided` argument): PyTorch's sparse kernels where it has one (clone, conj, nan_to_num,
resolve_conj/neg, unbind give sparse results), its NotImplementedError for the SparseCPU
backend where it has none; never a result computed on the empty stand-in underneath a
sparse tensor (expected values and messages from PyTorch 2.13).

Runs against PyTorch too with FG_TEST_BACKEND=torch.
"""

import pytest
from backend import fg

DENSE = [[0.0, 1.0, 0.0], [2.0, 0.0, 3.0], [0.0, 0.0, 4.0]]


def no_kernel(op):
    return rf"^Could not run 'aten::{op}' with arguments from the 'SparseCPU' backend\. This could be"


def sparse():
    return fg.tensor(DENSE).to_sparse()


def dense_of(t):
    assert t.is_sparse
    return t.to_dense().tolist()


@pytest.mark.parametrize("call", [
    lambda s: fg.clone(s), lambda s: fg.conj(s), lambda s: fg.nan_to_num(s), lambda s: fg.nan_to_num(s, 1.0),
    lambda s: fg.resolve_conj(s), lambda s: fg.resolve_neg(s),
])
def test_ops_with_a_sparse_kernel_keep_the_values_sparse(call):
    assert dense_of(call(sparse())) == DENSE


def test_clone_is_a_new_sparse_tensor():
    s = sparse()
    out = fg.clone(s)
    assert out is not s and out._values() is not s._values()


def test_unbind_gives_sparse_slices():
    rows = fg.unbind(sparse())
    assert [dense_of(r) for r in rows] == DENSE
    columns = fg.unbind(sparse(), 1)
    assert [dense_of(c) for c in columns] == [list(c) for c in zip(*DENSE)]


@pytest.mark.parametrize(("call", "op"), [
    (lambda s: fg.cumsum(s, 0), "cumsum"), (lambda s: fg.cumprod(s, 0), "cumprod"),
    (lambda s: fg.logcumsumexp(s, 0), "_logcumsumexp"), (lambda s: fg.cummax(s, 0), "_cummax_helper"),
    (lambda s: fg.sort(s), r"sort\.stable"), (lambda s: fg.argsort(s), r"sort\.stable"),
    (lambda s: fg.topk(s, 1), "topk"), (lambda s: fg.std(s), r"std\.correction"),
    (lambda s: fg.var(s, 0), r"var\.correction"), (lambda s: fg.var_mean(s), r"var_mean\.correction"),
    (lambda s: fg.median(s), "median"), (lambda s: fg.nansum(s), "nansum"),
    (lambda s: fg.logsumexp(s, 0), r"logsumexp\.out"), (lambda s: fg.softmax(s, 0), "_softmax"),
    (lambda s: fg.log_softmax(s, 0), "_log_softmax"), (lambda s: fg.diag(s), "diagonal_copy"),
    (lambda s: fg.diag_embed(s), "diag_embed"), (lambda s: fg.roll(s, 1), "roll"),
    (lambda s: fg.flipud(s), "flip"), (lambda s: fg.nonzero(s), "nonzero"),
    (lambda s: fg.count_nonzero(s), r"count_nonzero\.dim_IntList"), (lambda s: fg.logit(s), "logit"),
    (lambda s: fg.hardshrink(s), "hardshrink"), (lambda s: fg.frexp(s), r"frexp\.Tensor_out"),
    (lambda s: fg.lt(s, 1), r"lt\.Scalar"), (lambda s: fg.less(s, 1), r"lt\.Scalar"),
    (lambda s: fg.greater_equal(s, 0), r"ge\.Scalar"), (lambda s: fg.not_equal(s, 2.0), r"ne\.Scalar"),
    (lambda s: fg.ones(3, 3).gather(1, s), "gather"), (lambda s: fg.slice_scatter(s, s), "slice_scatter"),
    (lambda s: fg.rand_like(s), "uniform_"), (lambda s: fg.randn_like(s), "normal_"),
    (lambda s: fg.randint_like(s, 1), r"random_\.from"), (lambda s: fg.bernoulli(s, 0.5), r"bernoulli\.p"),
    (lambda s: fg.normal(s), r"normal\.Tensor_float"), (lambda s: fg.normal(s, fg.ones(3, 3)), r"normal\.Tensor_Tensor"),
    (lambda s: fg.fill(s, 1), r"fill_\.Scalar"), (lambda s: fg.celu(s), "elu"), (lambda s: fg.selu_(s), "elu_"),
    (lambda s: fg.polar(s, s), r"polar\.out"), (lambda s: fg.complex(s, s), r"complex\.out"),
])
def test_ops_without_a_sparse_kernel_refuse(call, op):
    with pytest.raises(NotImplementedError, match=no_kernel(op)):
        call(sparse())


@pytest.mark.parametrize("call", [
    lambda s: fg.split(s, 1), lambda s: fg.chunk(s, 1), lambda s: fg.block_diag(s, s),
])
def test_views_of_a_sparse_tensor_refuse(call):
    with pytest.raises(NotImplementedError, match=no_kernel("as_strided")):
        call(sparse())


@pytest.mark.parametrize(("call", "op"), [
    (lambda s: fg.ones(3, 3).maximum(s), "maximum"), (lambda s: fg.ones(3, 3).is_set_to(s), "is_set_to"),
    (lambda s: fg.ones(3, 3).fmax(s), "fmax"), (lambda s: fg.nansum(s, 0), "nansum"),
])
def test_methods_of_a_dense_tensor_given_a_sparse_one_refuse(call, op):
    with pytest.raises(NotImplementedError, match=no_kernel(op)):
        call(sparse())


@pytest.mark.parametrize(("call", "message"), [
    (lambda s: fg.ones(3, 3).type_as(s), r"^to\(options\) doesn't support converting to a different layout"),
    (lambda s: fg.rrelu(s), "^memory format option is only supported by strided tensors$"),
    (lambda s: fg.rrelu_(s), "^memory format option is only supported by strided tensors$"),
])
def test_conversions_to_the_sparse_layout_refuse(call, message):
    with pytest.raises(RuntimeError, match=message):
        call(sparse())


def test_in_place_functions_leave_a_refused_sparse_tensor_unchanged():
    s = sparse()
    with pytest.raises(NotImplementedError, match=no_kernel("elu_")):
        fg.celu_(s)
    assert dense_of(s) == DENSE


# ---------------------------------------------------------------- meta next to CPU

DEVICE_ERROR = "^Tensor on device meta is not on the expected device cpu!$"
NO_DATA = "^Cannot copy out of meta tensor; no data!$"


def cpu_and_meta():
    return fg.full((2, 2), 3.0), fg.ones(2, 2, device="meta")


@pytest.mark.parametrize("name", ["mul_", "add_", "sub_", "div_", "multiply_", "true_divide_", "logical_and_"])
def test_in_place_arithmetic_with_a_meta_operand_leaves_the_cpu_tensor_unwritten(name):
    # PyTorch runs its meta kernel: shapes are checked, nothing is written
    cpu, meta = cpu_and_meta()
    assert getattr(cpu, name)(meta) is cpu
    assert cpu.tolist() == [[3.0, 3.0], [3.0, 3.0]]


def test_in_place_arithmetic_with_a_meta_operand_checks_the_broadcast():
    with pytest.raises(RuntimeError, match=r"^output with shape \w+\.Size\(\[3\]\) doesn't match the broadcast shape"):
        fg.ones(3).mul_(fg.ones(2, 3, device="meta"))
    with pytest.raises(RuntimeError):
        fg.ones(2, 3).mul_(fg.ones(4, 4, device="meta"))


@pytest.mark.parametrize("call", [
    lambda c, m: c.copy_(m), lambda c, m: c.__setitem__(0, fg.ones((), device="meta")),
    lambda c, m: c.__setitem__(0, m[0]),
])
def test_copying_meta_values_into_a_cpu_tensor_has_no_data(call):
    cpu, meta = cpu_and_meta()
    with pytest.raises(NotImplementedError, match=NO_DATA):
        call(cpu, meta)
    assert cpu.tolist() == [[3.0, 3.0], [3.0, 3.0]]


@pytest.mark.parametrize("call", [
    lambda c, m: fg.add(c, m, out=c), lambda c, m: c.lerp_(m, 0.5), lambda c, m: c.addcmul_(m, m),
    lambda c, m: c.clamp_(m), lambda c, m: c.clamp(m), lambda c, m: c.eq(m), lambda c, m: c.lt(m),
    lambda c, m: c.atan2(m), lambda c, m: c.maximum(m), lambda c, m: c.pow_(m), lambda c, m: c.xlogy(m),
    lambda c, m: c.logical_or(m), lambda c, m: c.isclose(m), lambda c, m: c.fmod_(m),
])
def test_cpu_methods_with_a_meta_operand_raise_the_device_error(call):
    cpu, meta = cpu_and_meta()
    with pytest.raises(RuntimeError, match=DEVICE_ERROR):
        call(cpu, meta)
    assert cpu.tolist() == [[3.0, 3.0], [3.0, 3.0]]
