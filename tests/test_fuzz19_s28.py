"""Session 28 (helper fuzz19): calls refused before anything is written, and arguments
refused that were taken, found by `tools/fuzz_calls18.py` (which now also reports a
refused call that changed its receiver or an argument first). An in-place method or an
`out=` form refused for a bad flag or size leaves its tensor as it was; factories refuse
a bad `device=`; a tensor where an int list is parsed is refused; softmax's `_stacklevel`
goes to its warning. Expected types and messages are PyTorch's; the file also runs
against PyTorch (`FG_TEST_BACKEND=torch`)."""

import re
import warnings

import pytest
from backend import fg

F = fg.nn.functional


def raises(kind, message):
    return pytest.raises(kind, match="^" + re.escape(message) + "$")


def data():
    return fg.tensor([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])


def square():
    return fg.zeros(3, 3)


def refused_unchanged(target, call, kind, message):
    """`call(target)` raises `kind` with `message`, and `target` keeps its values and shape."""
    before = target.clone()
    with raises(kind, message):
        call(target)
    assert target.shape == before.shape
    assert fg.equal(target, before)


# ---- in-place methods: a flag or size the parser refuses is refused before writing -----


@pytest.mark.parametrize(("make", "call", "message"), [
    (square, lambda t: t.fill_diagonal_(1.0, wrap="abc"), "fill_diagonal_(): argument 'wrap' must be bool, not str"),
    (square, lambda t: t.fill_diagonal_(1.0, 2),
     "fill_diagonal_(): argument 'wrap' (position 2) must be bool, not int"),
    (data, lambda t: t.put_(fg.tensor([0]), fg.tensor([9.0]), "abc"),
     "put_(): argument 'accumulate' (position 3) must be bool, not str"),
    (data, lambda t: t.put_(fg.tensor([0]), fg.tensor([9.0]), accumulate=None),
     "put_(): argument 'accumulate' must be bool, not NoneType"),
    (data, lambda t: t.index_put_((fg.tensor([0]),), fg.tensor(9.0), accumulate="abc"),
     "index_put_(): argument 'accumulate' must be bool, not str"),
    (data, lambda t: t.index_put_((fg.tensor([0]),), fg.tensor(9.0), 2),
     "index_put_(): argument 'accumulate' (position 3) must be bool, not int"),
    (data, lambda t: t.as_strided_([1.5], [1]),
     "as_strided_(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0"),
    (data, lambda t: t.as_strided_([3], [True]),
     "as_strided_(): argument 'stride' (position 2) must be tuple of ints, but found element of type bool at pos 0"),
])
def test_inplace_method_refused_before_writing(make, call, message):
    refused_unchanged(make(), call, TypeError, message)


@pytest.mark.parametrize(("call", "message"), [
    (lambda t: fg.index_put_(t, (fg.tensor([0]),), fg.tensor(9.0), "abc"),
     "index_put_(): argument 'accumulate' (position 4) must be bool, not str"),
    (lambda t: fg.as_strided_(t, [1.5], [1]),
     "as_strided_(): argument 'size' (position 2) must be tuple of ints, but found element of type float at pos 0"),
    (lambda t: fg.embedding_renorm_(t, fg.tensor([0]), 1.0, None),
     "embedding_renorm_(): argument 'norm_type' (position 4) must be float, not NoneType"),
])
def test_inplace_function_refused_before_writing(call, message):
    refused_unchanged(data() * 5, call, TypeError, message)


# ---- out= tuples: every out's dtype is checked before the first is written ------------


def test_sort_out_tuple_checked_before_writing():
    values, indices = fg.zeros(2, 3), fg.zeros(2, 3)
    with raises(RuntimeError, "Expected out tensor to have dtype long int, but got float instead"):
        fg.sort(data(), out=(values, indices))
    assert fg.equal(values, fg.zeros(2, 3))


@pytest.mark.parametrize("fn", ["inv_ex", "cholesky_ex", "lu_factor", "solve_ex"])
def test_linalg_out_tuple_checked_before_writing(fn):
    a = fg.eye(3) * 4
    args = (a, fg.ones(3, 1)) if fn == "solve_ex" else (a,)
    shape = (3, 1) if fn == "solve_ex" else (3, 3)
    first, second = fg.zeros(shape), fg.zeros(3)
    with raises(RuntimeError, "Expected out tensor to have dtype int, but got float instead"):
        getattr(fg.linalg, fn)(*args, out=(first, second))
    assert fg.equal(first, fg.zeros(shape))


# ---- factories: device= refused as PyTorch's parser and device check refuse it -------
# (PyTorch's parser messages name their types `torch.device`, `torch.dtype`: so do ours)

_FACTORIES = {
    "range": (lambda d: fg.range(0, 3, device=d), "range"),
    "scalar_tensor": (lambda d: fg.scalar_tensor(1.0, device=d), "scalar_tensor"),
    "tril_indices": (lambda d: fg.tril_indices(3, 3, device=d), "tril_indices"),
    "triu_indices": (lambda d: fg.triu_indices(3, 3, device=d), "triu_indices"),
    "fftfreq": (lambda d: fg.fft.fftfreq(3, device=d), "fft_fftfreq"),
    "rfftfreq": (lambda d: fg.fft.rfftfreq(3, device=d), "fft_rfftfreq"),
    "empty_permuted": (lambda d: fg.empty_permuted((2, 3), (0, 1), device=d), "empty_permuted"),
    "new_empty_strided": (lambda d: fg.ones(2).new_empty_strided((2, 3), (3, 1), device=d), "new_empty_strided"),
}
_NO_DEVICE = ("Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, "
              "lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: bogus")


@pytest.mark.parametrize("name", sorted(_FACTORIES))
def test_factory_refuses_bad_device(name):
    make, torch_name = _FACTORIES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # range's deprecation
        with raises(RuntimeError, _NO_DEVICE):
            make("bogus")
        with raises(RuntimeError, "Device index must not be negative"):
            make(-2)
        with raises(RuntimeError, "Cannot access accelerator device when none is available."):
            make(0)
        with raises(TypeError, f"{torch_name}(): argument 'device' must be torch.device, not float"):
            make(1.5)
        with raises(TypeError, f"{torch_name}(): argument 'device' must be torch.device, not Tensor"):
            make(fg.zeros(1))
        assert make("cpu").device == fg.device("cpu")


def test_normal_refuses_bad_device():
    with raises(RuntimeError, _NO_DEVICE):
        fg.normal(0.0, 1.0, (2,), device="bogus")
    with raises(RuntimeError, "Device index must not be negative"):
        fg.normal(0.0, 1.0, (2,), device=-2)
    with pytest.raises(TypeError, match=r"^normal\(\) received an invalid combination of arguments - got "
                                        r"\(float, float, tuple, device=float\), but expected one of:"):
        fg.normal(0.0, 1.0, (2,), device=1.5)


# ---- a tensor where an int or an int list is parsed ---------------------------------


@pytest.mark.parametrize(("call", "message"), [
    (lambda: fg.as_strided(data(), fg.tensor([2]), [1]),
     "as_strided(): argument 'size' (position 2) must be tuple of ints, not Tensor"),
    (lambda: fg.split_with_sizes(data(), fg.tensor([2]), 0),
     "split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, not Tensor"),
    (lambda: fg.unflatten(data(), 1, fg.tensor([3])),
     "unflatten(): argument 'sizes' (position 3) must be tuple of ints, not Tensor"),
    (lambda: fg.cov(data(), correction=fg.tensor(1.5)), "cov(): argument 'correction' must be int, not Tensor"),
])
def test_tensor_for_int_list_refused(call, message):
    with raises(TypeError, message):
        call()


def test_tensor_for_int_taken_where_pytorch_takes_it():
    assert fg.cov(data(), correction=fg.tensor(1)).shape == (2, 2)
    assert fg.narrow(data(), 0, fg.tensor(0), 1).shape == (1, 3)
    assert fg.roll(data(), fg.tensor(1), 1).shape == (2, 3)
    assert fg.repeat_interleave(data(), fg.tensor([1, 2]), 0).shape == (3, 3)


def test_tensor_size_refused_before_writing_in_place():
    target = data()
    refused_unchanged(target, lambda t: t.as_strided_(fg.tensor([2]), [1]), TypeError,
                      "as_strided_(): argument 'size' (position 1) must be tuple of ints, not Tensor")


# ---- softmax family: dim=None warns naming the function, with the given _stacklevel --------


@pytest.mark.parametrize("fn", ["softmax", "log_softmax", "softmin"])
def test_softmax_implicit_dim_warning(fn):
    with pytest.warns(UserWarning, match=f"^Implicit dimension choice for {fn} has been deprecated") as record:
        getattr(F, fn)(data())
    assert record[0].filename == __file__


@pytest.mark.parametrize("fn", ["softmax", "log_softmax", "softmin"])
def test_softmax_stacklevel_refused_as_warnings_refuses_it(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with raises(TypeError, "'str' object cannot be interpreted as an integer"):
            getattr(F, fn)(data(), _stacklevel="1")
        with raises(TypeError, "'NoneType' object cannot be interpreted as an integer"):
            getattr(F, fn)(data(), None, None)
        with raises(OverflowError, "Python int too large to convert to C ssize_t"):
            getattr(F, fn)(data(), _stacklevel=2**63)
        # with a dim, _stacklevel is not read
        assert getattr(F, fn)(data(), 1, _stacklevel="1").shape == (2, 3)
