"""Argument leftovers against PyTorch 2.13's observed behaviour: Python ints past int64
in int and int-list arguments, manual_seed's argument checks."""

import ferrograd as fg
import ferrograd.nn.functional as F
import pytest

BIG = 2**64
OVERFLOW = "Overflow when unpacking long long"


@pytest.fixture
def x():
    return fg.ones(3, 4)


# A lone int past int64 is PyTorch's ValueError.
LONE_INT = [
    lambda x: x.sum(BIG),
    lambda x: x.sum(-BIG),
    lambda x: x.transpose(0, 2**63),
    lambda x: x.narrow(0, BIG, 1),
    lambda x: x.roll(BIG),
    lambda x: x.roll(1, BIG),
    lambda x: fg.roll(x, BIG),
    lambda x: x[2**63],
    lambda x: x.gather(BIG, fg.zeros(3, 4, dtype=fg.int64)),
    lambda x: x.scatter_add(BIG, fg.zeros(3, 4, dtype=fg.int64), x),
    lambda x: x.unflatten(BIG, (2, 2)),
    lambda x: x.movedim(BIG, 0),
    lambda x: x.size(BIG),
    lambda x: x.index_select(BIG, fg.tensor([0])),
    lambda x: x.logcumsumexp(BIG),
    lambda x: x.unfold(0, BIG, 1),
    lambda x: x.slice_scatter(x, 0, BIG),
    lambda x: x.cross(x, BIG),
    lambda x: x.round(decimals=BIG),
    lambda x: x.renorm(2, BIG, 1.0),
    lambda x: x.as_strided((2,), (1,), BIG),
    lambda x: fg.randint(0, BIG, (2,)),
    lambda x: fg.randperm(BIG),
    lambda x: x.abs().multinomial(BIG),
    lambda x: fg.histc(x, BIG),
    lambda x: fg.tril_indices(BIG, 2),
    lambda x: F.one_hot(fg.zeros(3, dtype=fg.int64), BIG),
    lambda x: F.max_pool1d(x[None], BIG),
    lambda x: F.avg_pool1d(x[None], BIG),
    lambda x: F.adaptive_avg_pool1d(x[None], BIG),
    lambda x: F.conv1d(x[None], fg.ones(4, 3, 1), stride=BIG),
    lambda x: F.glu(x, BIG),
    lambda x: F.pixel_shuffle(x[None, None], BIG),
    lambda x: fg.nn.Unflatten(BIG, (2, 2))(x),
    lambda x: fg.fft.fft(x, BIG),
    lambda x: fg.fft.fft(x, dim=BIG),
    lambda x: fg.fft.fftshift(x, BIG),
    lambda x: fg.take_along_dim(x, fg.zeros(3, 4, dtype=fg.int64), BIG),
    lambda x: fg.quantile(x, 0.5, BIG),
    lambda x: fg.unique_consecutive(x, dim=BIG),
    lambda x: fg.Generator().manual_seed(BIG),
    lambda x: fg.manual_seed(-(2**63) - 1),
]


@pytest.mark.parametrize("call", LONE_INT)
def test_lone_int_past_int64_is_value_error(x, call):
    with pytest.raises(ValueError, match=OVERFLOW):
        call(x)


# An element of an int list past int64 is PyTorch's TypeError, naming the argument.
LIST_ELEMENT = [
    (lambda x: x.view(BIG), "size"),
    (lambda x: x.view(2, BIG), "size"),
    (lambda x: x.reshape((2, BIG)), "size"),
    (lambda x: fg.zeros(BIG), "size"),
    (lambda x: fg.ones(2, BIG), "size"),
    (lambda x: x.expand(BIG, 4), "size"),
    (lambda x: x.permute(0, BIG), "size"),
    (lambda x: x.new_zeros(BIG), "size"),
    (lambda x: fg.full((BIG,), 1.0), "size"),
    (lambda x: x.repeat(BIG, 1), "repeats"),
    (lambda x: x.roll((1, BIG), (0, 1)), "shifts"),
    (lambda x: x.flip(BIG), "dims"),
    (lambda x: fg.flip(x, (BIG,)), "dims"),
    (lambda x: x.tile(BIG), "dims"),
    (lambda x: x.movedim((0, BIG), (1, 0)), "source"),
    (lambda x: x.unflatten(1, (BIG, 2)), "sizes"),
    (lambda x: x.split([BIG, 1]), "split_sizes"),
    (lambda x: x.as_strided((2,), (BIG,)), None),
    (lambda x: x.as_strided((BIG,), (1,)), None),
    (lambda x: fg.randn(BIG), None),
    (lambda x: fg.rand((BIG,)), None),
    (lambda x: fg.randint(0, 5, (BIG,)), None),
    (lambda x: x.rot90(1, (0, BIG)), "dims"),
    (lambda x: F.pad(x, (BIG, 0)), None),
    (lambda x: F.unfold(x[None, None], BIG), "kernel_size"),
    (lambda x: F.interpolate(x[None], size=BIG), None),
    (lambda x: F.fold(x[None], (BIG, 2), 1), "output_size"),
    (lambda x: fg.fft.fftn(x, (BIG,)), None),
]


@pytest.mark.parametrize("call, name", LIST_ELEMENT)
def test_int_list_element_past_int64_is_type_error(x, call, name):
    with pytest.raises(TypeError, match="failed to unpack the object at pos") as info:
        call(x)
    assert OVERFLOW in str(info.value)
    if name is not None:
        assert f"'{name}'" in str(info.value)


def test_int_list_overflow_counts_positions_from_one(x):
    with pytest.raises(TypeError, match="at pos 2 with error"):
        x.view(2, BIG)


def test_in_range_ints_still_work(x):
    assert x.sum(-1).shape == (3,)
    assert x.roll(2**62).shape == (3, 4)
    assert fg.Generator().manual_seed(2**64 - 1).initial_seed() == 2**64 - 1
    assert fg.Generator().manual_seed(-(2**63)).initial_seed() == 2**63
    assert x[: 2**70].shape == (3, 4)
    assert x[2**70 :].shape == (0, 4)


@pytest.mark.parametrize("seed, kind", [(1.5, "float"), (True, "bool"), ("3", "str")])
def test_manual_seed_refuses_non_ints_with_runtime_error(seed, kind):
    with pytest.raises(RuntimeError, match=f"manual_seed expected a long, but got {kind}"):
        fg.Generator().manual_seed(seed)


# --- Tensor.to: PyTorch's three signatures -----------------------------------------

TO_DTYPES = [
    ((True,), fg.bool),  # a Python scalar is a tensor whose dtype is taken
    ((2.0,), fg.float64),
    ((1j,), fg.complex128),
    ((float,), fg.float64),  # a Python type is a dtype
    ((int,), fg.int64),
    ((bool,), fg.bool),
    ((complex,), fg.complex128),
    ((None,), fg.float32),
    ((b"cpu",), fg.float32),
    (("cpu", None), fg.float32),
    ((None, fg.float64), fg.float64),
    ((fg.float64, True), fg.float64),
    ((fg.float64, False, True), fg.float64),
]


@pytest.mark.parametrize("args, dtype", TO_DTYPES)
def test_to_reads_arguments_as_pytorch(args, dtype):
    assert fg.ones(2).to(*args).dtype == dtype


def test_to_by_keyword():
    x = fg.ones(2)
    assert x.to(dtype=float).dtype == fg.float64
    assert x.to(tensor=fg.ones(1, dtype=fg.int8)).dtype == fg.int8
    assert x.to(dtype=fg.float64, device="cpu", copy=True).dtype == fg.float64
    assert x.to(fg.float64, False, copy=True).dtype == fg.float64


TO_TYPE_ERRORS = [
    (("cpu", "float32"), {}, "got (str, str)"),
    ((), {"dtype": "float32"}, "got (dtype=str, )"),
    ((), {"device": 1.0}, "got (device=float, )"),
    ((fg.float64,), {"non_blocking": 2}, "got (ferrograd.dtype, non_blocking=int)"),
    ((fg.float64,), {"copy": 1}, "got (ferrograd.dtype, copy=int)"),
    ((fg.float64, fg.float64), {}, "got (ferrograd.dtype, ferrograd.dtype)"),
    ((fg.int8, "cpu"), {}, "got (ferrograd.dtype, str)"),
    ((fg.ones(1),), {"device": "cpu"}, "got (Tensor, device=str)"),
    ((), {"other": fg.ones(1)}, "got (other=Tensor, )"),
    (([1],), {}, "got (list)"),
    ((fg.Size([2]),), {}, "got (Size)"),
]


@pytest.mark.parametrize("args, kwargs, got", TO_TYPE_ERRORS)
def test_to_refuses_what_fits_no_signature(args, kwargs, got):
    with pytest.raises(TypeError, match="to\\(\\) received an invalid combination of arguments") as info:
        fg.ones(2).to(*args, **kwargs)
    assert got in str(info.value)
    assert " * (Tensor tensor, bool non_blocking = False, bool copy = False" in str(info.value)


def test_to_positional_count_and_device_values():
    x = fg.ones(2)
    with pytest.raises(TypeError, match="to\\(\\) takes from 0 to 4 positional arguments but 5 were given"):
        x.to("cpu", fg.float64, False, False, False)
    with pytest.raises(RuntimeError, match="Device index must not be negative"):
        x.to(-1)
    with pytest.raises(ValueError, match=OVERFLOW):
        x.to(2**70)
    with pytest.raises(RuntimeError):
        x.to("float32")
