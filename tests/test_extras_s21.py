"""PyTorch behaviours added in session 21 (expected values from PyTorch 2.13): the names of
the linalg/special/fft functions, DataLoader workers, and others."""

import pickle
import random
import re

import numpy as np
import pytest
from backend import MOD, fg

data = fg.utils.data


# ---- names of the linalg / special / fft functions ------------------------------------------
@pytest.mark.parametrize(("namespace", "names"), [
    ("linalg", ["norm", "vector_norm", "solve", "svd", "cond", "eig", "matrix_exp", "householder_product",
                "diagonal", "vecdot"]),
    ("special", ["erf", "psi", "digamma", "airy_ai", "zeta", "xlogy", "ndtr", "softmax", "i0e"]),
    ("fft", ["fft", "rfft", "ihfftn", "fftshift", "fftfreq"]),
])
def test_namespace_functions_have_pytorchs_names(namespace, names):
    for name in names:
        fn = getattr(getattr(fg, namespace), name)
        assert fn.__name__ == fn.__qualname__ == f"{namespace}_{name}"
        assert fn.__module__ == f"{MOD}._C._{namespace}"
        assert f"{namespace}_{name}" in repr(fn)


def test_namespace_functions_pickle_to_themselves():
    for fn in (fg.linalg.norm, fg.special.erf, fg.fft.rfft):
        assert pickle.loads(pickle.dumps(fn)) is fn


def test_special_psi_is_a_function_of_its_own():
    assert fg.special.psi is not fg.special.digamma
    x = fg.tensor([0.5, 2.0])
    assert fg.special.psi(x).tolist() == fg.special.digamma(x).tolist()


def test_a_declined_namespace_function_is_named_as_pytorch_names_it():
    class Declines:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return NotImplemented

    for fn, shown in ((fg.linalg.norm, "linalg.linalg_norm"), (fg.special.erf, "special.special_erf"),
                      (fg.fft.fft, "fft.fft_fft")):
        with pytest.raises(TypeError, match=f"Multiple dispatch failed for '{MOD}.{shown}'"):
            fn(Declines())


def test_resolve_name_of_namespace_functions():
    assert fg.overrides.resolve_name(fg.linalg.norm) == f"{MOD}.linalg.norm"
    assert fg.overrides.resolve_name(fg.special.erf) == f"{MOD}.special.erf"
    assert fg.overrides.resolve_name(fg.fft.fft) == f"{MOD}.fft.fft"


def test_a_mode_sees_the_renamed_function():
    seen = []

    class Recorder(fg.overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            seen.append(func)
            return func(*args, **(kwargs or {}))

    with Recorder():
        fg.linalg.vector_norm(fg.ones(3))
    assert seen[-1] is fg.linalg.vector_norm and seen[-1].__name__ == "linalg_vector_norm"


# ---- DataLoader workers ----------------------------------------------------------------------
class _Draws(data.Dataset):
    def __len__(self):
        return 7

    def __getitem__(self, i):
        w = data.get_worker_info()
        return (i, w.id if w else -1, fg.initial_seed(), round(fg.rand(1).item(), 6), round(random.random(), 6),
                round(float(np.random.rand()), 6))


def _rows(loader):
    return [[x.tolist() if hasattr(x, "tolist") else x for x in b] for b in loader]


def test_workers_draw_pytorchs_numbers():
    fg.manual_seed(0)
    rows = _rows(data.DataLoader(_Draws(), batch_size=2, num_workers=2))
    s = 900450186894289455
    assert rows == [
        [[0, 1], [0, 0], [s, s], [0.78214, 0.053599], [0.213153, 0.276449], [0.837164, 0.387578]],
        [[2, 3], [1, 1], [s + 1, s + 1], [0.693818, 0.297959], [0.773386, 0.163422], [0.67027, 0.075897]],
        [[4, 5], [0, 0], [s, s], [0.988787, 0.194859], [0.925721, 0.640435], [0.37328, 0.813492]],
        [[6], [1], [s + 1], [0.166855], [0.466088], [0.989822]],
    ]
    # the main process's random state only gave the base seed
    assert fg.initial_seed() == 0 and round(fg.rand(1).item(), 6) == 0.088477


def test_workers_with_a_generator_and_no_batching():
    g = fg.Generator()
    g.manual_seed(7)
    rows = _rows(data.DataLoader(_Draws(), batch_size=None, num_workers=2, generator=g))
    assert [r[:3] for r in rows[:3]] == [[0, 0, 1407639518939636932], [1, 1, 1407639518939636933],
                                         [2, 0, 1407639518939636932]]
    assert rows[2][3:] == [0.134144, 0.102438, 0.291596]


class _Range(data.IterableDataset):
    def __init__(self, start, end):
        self.start, self.end = start, end

    def __iter__(self):
        return iter([(i, fg.randint(0, 100, ()).item()) for i in range(self.start, self.end)])


def _shard(worker_id):
    info = data.get_worker_info()
    ds = info.dataset
    per = (ds.end - ds.start + info.num_workers - 1) // info.num_workers
    ds.start = ds.start + worker_id * per
    ds.end = min(ds.start + per, ds.end)


def test_iterable_dataset_sharded_by_worker_init_fn():
    fg.manual_seed(3)
    whole = _Range(0, 11)
    rows = _rows(data.DataLoader(whole, batch_size=2, num_workers=2, worker_init_fn=_shard))
    assert rows == [[[0, 1], [67, 28]], [[6, 7], [91, 33]], [[2, 3], [95, 11]], [[8, 9], [8, 44]],
                    [[4, 5], [18, 26]], [[10], [41]]]
    assert (whole.start, whole.end) == (0, 11)  # each worker changed its own copy


def test_iterable_dataset_workers_run_out_one_by_one():
    fg.manual_seed(3)
    rows = _rows(data.DataLoader(_Range(0, 5), batch_size=2, num_workers=2))
    assert rows == [[[0, 1], [67, 28]], [[0, 1], [91, 33]], [[2, 3], [95, 11]], [[2, 3], [8, 44]],
                    [[4], [18]], [[4], [41]]]


def test_persistent_workers_keep_their_random_states():
    fg.manual_seed(4)
    loader = data.DataLoader(_Range(0, 3), batch_size=None, num_workers=2, persistent_workers=True)
    first, second = _rows(loader), _rows(loader)
    assert first == [[0, 67], [0, 7], [1, 73], [1, 81], [2, 58], [2, 21]]
    assert second == [[0, 81], [0, 10], [1, 13], [1, 12], [2, 29], [2, 52]]


class _WorkerFacts(data.IterableDataset):
    def __iter__(self):
        info = data.get_worker_info()
        yield (info.id, info.num_workers, info.seed == fg.initial_seed(), fg.get_num_threads(),
               info.dataset is not self, info.worker_method, info.rng)


def test_worker_info_inside_a_worker():
    facts = list(data.DataLoader(_WorkerFacts(), batch_size=None, num_workers=2))
    assert facts == [[0, 2, True, 1, False, "multiprocessing", None], [1, 2, True, 1, False, "multiprocessing", None]]


def test_loader_options_of_workers():
    loader = data.DataLoader(_Draws(), num_workers=1)
    assert (loader.prefetch_factor, loader.persistent_workers, loader.in_order) == (2, False, True)
    assert data.DataLoader(_Draws()).prefetch_factor is None
    with pytest.raises(ValueError, match=r"^prefetch_factor option could only be specified in multiprocessing\.let"):
        data.DataLoader(_Draws(), prefetch_factor=2)
    with pytest.raises(ValueError, match="^prefetch_factor option should be non-negative$"):
        data.DataLoader(_Draws(), num_workers=1, prefetch_factor=-1)
    with pytest.raises(ValueError, match=r"^persistent_workers option needs num_workers > 0$"):
        data.DataLoader(_Draws(), persistent_workers=True)
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        data.DataLoader(_Draws(), foo=1)


class _FailsAt2(data.Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        if i == 2:
            raise ValueError("bad item 2")
        return i


def test_an_error_in_a_worker_reaches_the_caller_as_pytorch_words_it():
    got = []
    with pytest.raises(ValueError, match=r"^Caught ValueError in DataLoader worker process 0\.\nOriginal Traceback"
                       r"[\s\S]*bad item 2"):
        for batch in data.DataLoader(_FailsAt2(), batch_size=1, num_workers=2):
            got.append(batch.tolist())
    assert got == [[0], [1]]


def test_worker_info_is_none_outside_the_workers():
    list(data.DataLoader(_Draws(), batch_size=7, num_workers=1))
    assert data.get_worker_info() is None


# ---- Tensor.set_ and data_ptr ----------------------------------------------------------------
def _view(t):
    return (tuple(t.shape), t.stride(), t.storage_offset(), t.tolist())


def test_set_each_overload():
    x = fg.arange(6.0)
    s = x.untyped_storage()
    assert _view(fg.zeros(2).set_()) == ((0,), (1,), 0, [])
    assert _view(fg.zeros(2).set_(x)) == ((6,), (1,), 0, x.tolist())
    assert _view(fg.zeros(2).set_(source=x)) == ((6,), (1,), 0, x.tolist())
    assert _view(fg.zeros(2).set_(s)) == ((6,), (1,), 0, x.tolist())
    assert _view(fg.zeros(2).set_(source=s)) == ((6,), (1,), 0, x.tolist())
    assert _view(fg.zeros(2).set_(s, 1, (2, 2))) == ((2, 2), (2, 1), 1, [[1.0, 2.0], [3.0, 4.0]])
    assert _view(fg.zeros(2).set_(s, 1, (2, 2), (1, 2))) == ((2, 2), (1, 2), 1, [[1.0, 3.0], [2.0, 4.0]])
    assert _view(fg.zeros(2).set_(s, 0, (2,), ())) == ((2,), (1,), 0, [0.0, 1.0])
    assert _view(fg.zeros(2).set_(source=s, storage_offset=2, size=(2,), stride=(2,))) == ((2,), (2,), 2, [2.0, 4.0])
    assert _view(fg.zeros(2).set_(x, 1, (2, 2))) == ((2, 2), (2, 1), 1, [[1.0, 2.0], [3.0, 4.0]])
    # a tensor source's own offset counts on top of the one given
    assert _view(fg.zeros(2).set_(x[2:], 1, (2,))) == ((2,), (1,), 3, [3.0, 4.0])
    t = fg.ones(3)
    assert t.set_(s, 0, (2,)) is t


@pytest.mark.parametrize(("args", "message"), [
    ((-1, (3,)), "Tensor: invalid storage offset -1"),
    ((0, (-1,)), "numel: integer multiplication overflow"),
    ((0, (2,), (1, 1)), r"unequal size length \(1\) and stride length \(2\)"),
    ((-1, (2,), (1, 1)), r"unequal size length \(1\) and stride length \(2\)"),
    ((0, (2,), (-1,)), r"Storage size calculation overflowed with sizes=\[2\] and strides=\[-1\]"),
])
def test_set_checks_in_pytorchs_order(args, message):
    s = fg.arange(6.0).untyped_storage()
    with pytest.raises(RuntimeError, match=f"^{message}$"):
        fg.zeros(2).set_(s, *args)


def test_set_refuses_what_pytorch_refuses():
    x = fg.arange(6.0)
    with pytest.raises(RuntimeError, match="^passed in tensor to be used as storage must be contiguous$"):
        fg.zeros(2).set_(x[::2], 0, (2,))
    with pytest.raises(RuntimeError, match="^Could not set tensor of type long int to a tensor of type float$"):
        fg.zeros(2).set_(fg.arange(3))
    with pytest.raises(RuntimeError, match=r"^Tensor: invalid storage offset -1$"):
        fg.zeros(2).set_(fg.arange(3), -1, (2,))


def test_set_parser_errors():
    x = fg.arange(6.0)
    s = x.untyped_storage()
    with pytest.raises(TypeError) as info:
        fg.zeros(2).set_(5)
    assert str(info.value) == (
        "set_() received an invalid combination of arguments - got (int), but expected one of:\n"
        " * ()\n"
        "      didn't match because some of the arguments have invalid types: (!int!)\n"
        " * (torch.Storage source)\n"
        "      didn't match because some of the arguments have invalid types: (!int!)\n"
        " * (torch.Storage source, int storage_offset, tuple of ints size, tuple of ints stride = None)\n"
        " * (Tensor source)\n"
        "      didn't match because some of the arguments have invalid types: (!int!)\n"
        " * (Tensor source, int storage_offset, tuple of ints size, tuple of ints stride = None)\n")
    with pytest.raises(TypeError) as info:
        fg.zeros(2).set_(s, 0, [2], "a")
    assert str(info.value).splitlines()[0] == (
        f"set_() received an invalid combination of arguments - got ({MOD}.storage.UntypedStorage, int, list, str), "
        "but expected one of:")
    assert str(info.value).splitlines()[4] == (
        "      didn't match because some of the arguments have invalid types: "
        f"(!{MOD}.storage.UntypedStorage!, int, !list of [int]!, !str!)")
    for args, kwargs, got in (((None,), {}, "(NoneType)"), ((x, 1), {}, "(Tensor, int)"),
                              ((x, 0, None), {}, "(Tensor, int, NoneType)"), ((), {"source": None}, "(source=NoneType, )"),
                              ((x,), {"foo": 1}, "(Tensor, foo=int)")):
        with pytest.raises(TypeError, match=rf"^set_\(\) received an invalid combination of arguments - got {re.escape(got)}"):
            fg.zeros(2).set_(*args, **kwargs)


def test_data_ptr_of_no_elements_is_zero():
    x = fg.zeros(3)
    assert x[:0].data_ptr() == 0 and fg.empty(2, 0).data_ptr() == 0
    assert x[:0].untyped_storage().data_ptr() == x.data_ptr() != 0
    assert fg.empty(0).untyped_storage().data_ptr() == 0
    emptied = fg.arange(6.0).set_()
    assert emptied.data_ptr() == 0 and emptied.untyped_storage().data_ptr() == 0
    assert emptied.untyped_storage().nbytes() == 0
    assert fg.UntypedStorage(0).data_ptr() == 0 and fg.UntypedStorage(4).data_ptr() != 0


# ---- Python ints past int64 as the first argument ----------------------------------------------
def test_an_int_past_int64_first_is_an_unsigned_scalar():
    i64, f32 = fg.tensor([1, 2]), fg.tensor([1.0, 2.0])
    big = 2**63
    assert fg.add(big, i64).tolist() == [-9223372036854775807, -9223372036854775806]
    assert fg.sub(big, i64).tolist() == [9223372036854775807, 9223372036854775806]
    assert fg.floor_divide(big, i64).tolist() == [-9223372036854775808, -4611686018427387904]
    assert fg.div(big, i64).dtype == fg.float32 and fg.div(big, i64).tolist() == [9.223372036854776e18, 4.611686018427388e18]
    assert fg.add(big, f32).tolist() == [9.223372036854776e18, 9.223372036854776e18]
    u8 = fg.tensor([1, 2], dtype=fg.uint8)
    assert fg.add(big, u8).tolist() == [1, 2] and fg.sub(big, u8).tolist() == [255, 254]
    assert fg.add(big, fg.tensor([1 + 1j])).tolist() == [9.223372036854776e18 + 1j]


def test_an_int_past_int64_first_against_a_0d_integer_tensor():
    three = fg.tensor(3)
    big = 2**63
    assert (fg.add(big, three).dtype, fg.add(big, three).item()) == (fg.int64, -9223372036854775805)
    assert fg.floor_divide(big, three).item() == -3074457345618258603
    assert fg.remainder(big, three).item() == 1
    assert (fg.div(big, three).dtype, fg.div(big, three).item()) == (fg.float32, 3.0744574372442276e18)


def test_an_int_past_the_unsigned_range_first_overflows():
    for op in (fg.add, fg.sub, fg.div, fg.floor_divide, fg.remainder):
        with pytest.raises(OverflowError, match="^can't convert negative int to unsigned$"):
            op(-(2**63) - 1, fg.tensor([1.0]))
        with pytest.raises(OverflowError, match="^int too big to convert$"):
            op(2**64, fg.tensor([1]))


def test_an_unsigned_scalar_first_with_a_bool_tensor():
    b = fg.tensor([True, False])
    with pytest.raises(RuntimeError, match="^Promotion for uint16, uint32, uint64 types is not supported, attempted "
                                           "to promote Bool and UInt64$"):
        fg.add(2**63, b)
    with pytest.raises(RuntimeError, match="^Subtraction, the `-` operator, with a bool tensor is not supported"):
        fg.sub(2**63, b)


@pytest.mark.parametrize("name", ["eq", "ne", "lt", "ge", "fmod", "copysign"])
def test_a_number_first_where_only_a_tensor_goes_lists_the_overloads(name):
    with pytest.raises(TypeError) as info:
        getattr(fg, name)(5, fg.tensor([1.0, 2.0]))
    assert str(info.value) == (
        f"{name}() received an invalid combination of arguments - got (int, Tensor), but expected one of:\n"
        " * (Tensor input, Tensor other, *, Tensor out = None)\n"
        " * (Tensor input, Number other, *, Tensor out = None)\n")


@pytest.mark.parametrize("name", ["atan2", "hypot", "logaddexp", "nextafter", "maximum"])
def test_a_number_first_where_one_overload_takes_two_names_the_argument(name):
    with pytest.raises(TypeError, match=rf"^{name}\(\): argument 'input' \(position 1\) must be Tensor, not int$"):
        getattr(fg, name)(5, fg.tensor([1.0, 2.0]))


# ---- FlopCounterMode -------------------------------------------------------------------------
def _counts(fn):
    from importlib import import_module

    flop_counter = import_module(f"{MOD}.utils.flop_counter")
    with flop_counter.FlopCounterMode(display=False) as counter:
        fn()
    return counter.get_total_flops(), {
        name: {str(op): v for op, v in ops.items()} for name, ops in counter.get_flop_counts().items()}


def test_flops_of_linear_layers_forward_and_backward():
    fg.manual_seed(0)
    nn = fg.nn
    lin, x = nn.Linear(8, 4), fg.randn(5, 8)
    assert _counts(lambda: lin(x)) == (320, {"Global": {"aten.addmm": 320}, "Linear": {"aten.addmm": 320}})
    assert _counts(lambda: lin(fg.randn(2, 5, 8)))[0] == 640
    assert _counts(lambda: nn.Linear(8, 4, bias=False)(x))[1]["Global"] == {"aten.mm": 320}
    assert _counts(lambda: lin(x).sum().backward())[1]["Global"] == {"aten.addmm": 320, "aten.mm": 320}
    assert _counts(lambda: lin(fg.randn(5, 8, requires_grad=True)).sum().backward())[0] == 960
    mlp = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
    total, counts = _counts(lambda: mlp(x).sum().backward())
    assert total == 4480
    assert counts["Sequential.0"] == {"aten.addmm": 1280, "aten.mm": 1280}
    assert counts["Sequential.2"] == {"aten.addmm": 640, "aten.mm": 1280}
    assert counts["Sequential"] == counts["Global"] == {"aten.addmm": 1920, "aten.mm": 2560}


def test_flops_of_matrix_products_as_aten_runs_them():
    r = fg.randn
    cases = [
        (lambda: fg.mm(r(3, 4), r(4, 5)), {"aten.mm": 120}),
        (lambda: r(3, 4) @ r(4, 5), {"aten.mm": 120}),
        (lambda: fg.matmul(r(2, 3, 4), r(2, 4, 5)), {"aten.bmm": 240}),
        (lambda: fg.matmul(r(2, 3, 4), r(4, 5)), {"aten.mm": 240}),
        (lambda: fg.matmul(r(3, 4), r(4)), {}),
        (lambda: fg.matmul(r(4), r(2, 4, 5)), {"aten.bmm": 80}),
        (lambda: fg.matmul(r(3, 4), r(2, 4, 5)), {"aten.bmm": 240}),
        (lambda: fg.matmul(r(4, 2, 3).transpose(0, 1), r(3, 5)), {"aten.bmm": 240}),
        (lambda: fg.bmm(r(2, 3, 4), r(2, 4, 5)), {"aten.bmm": 240}),
        (lambda: fg.addmm(r(3, 5), r(3, 4), r(4, 5)), {"aten.addmm": 120}),
        (lambda: fg.baddbmm(r(2, 3, 5), r(2, 3, 4), r(2, 4, 5)), {"aten.baddbmm": 240}),
        (lambda: fg.einsum("ij,jk,kl->il", r(3, 4), r(4, 5), r(5, 6)), {"aten.bmm": 300}),
        (lambda: fg.tensordot(r(3, 4), r(4, 5), dims=1), {"aten.mm": 120}),
        (lambda: fg.linalg.multi_dot([r(3, 4), r(4, 5), r(5, 2)]), {"aten.mm": 128}),
        (lambda: fg.mv(r(3, 4), r(4)), {}),
    ]
    for fn, want in cases:
        assert _counts(fn)[1].get("Global", {}) == want


def test_flops_of_products_backward():
    r = fg.randn
    grads = [
        (lambda: fg.mm(r(3, 4, requires_grad=True), r(4, 5, requires_grad=True)), {"aten.mm": 360}),
        (lambda: fg.matmul(r(2, 3, 4), r(4, 5, requires_grad=True)), {"aten.mm": 480}),
        (lambda: fg.bmm(r(2, 3, 4, requires_grad=True), r(2, 4, 5, requires_grad=True)), {"aten.bmm": 720}),
        (lambda: fg.baddbmm(r(2, 3, 5, requires_grad=True), r(2, 3, 4, requires_grad=True),
                            r(2, 4, 5, requires_grad=True)), {"aten.baddbmm": 240, "aten.bmm": 480}),
    ]
    for fn, want in grads:
        assert _counts(lambda fn=fn: fn().sum().backward())[1]["Global"] == want


def test_flops_of_convolutions():
    fg.manual_seed(0)
    nn, F = fg.nn, fg.nn.functional
    img = fg.randn(2, 3, 8, 8)
    conv = nn.Conv2d(3, 6, 3, padding=1)
    assert _counts(lambda: conv(img))[1]["Conv2d"] == {"aten.convolution": 41472}
    assert _counts(lambda: conv(img).sum().backward())[1]["Global"] == {
        "aten.convolution": 41472, "aten.convolution_backward": 41472}
    x, w = fg.randn(2, 3, 8, 8, requires_grad=True), fg.randn(6, 3, 3, 3, requires_grad=True)
    assert _counts(lambda: F.conv2d(x, w).sum().backward())[1]["Global"] == {
        "aten.convolution": 23328, "aten.convolution_backward": 46656}
    assert _counts(lambda: nn.Conv1d(3, 4, 3, stride=2)(fg.randn(2, 3, 10)))[0] == 576
    assert _counts(lambda: nn.ConvTranspose2d(3, 4, 3)(img))[0] == 27648
    assert _counts(lambda: nn.Conv2d(4, 8, 3, groups=2)(fg.randn(1, 4, 6, 6)))[0] == 4608
    assert _counts(lambda: F.conv1d(fg.randn(3, 10), fg.randn(4, 3, 3)))[0] == 576
    xt, wt = fg.randn(2, 3, 5, 5, requires_grad=True), fg.randn(3, 4, 3, 3, requires_grad=True)
    assert _counts(lambda: F.conv_transpose2d(xt, wt, stride=2).sum().backward())[1]["Global"] == {
        "aten.convolution": 10800, "aten.convolution_backward": 21600}
    cnn = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 10))
    total, counts = _counts(lambda: cnn(img).sum().backward())
    assert total == 48384
    assert counts["Sequential.0"] == {"aten.convolution": 15552, "aten.convolution_backward": 15552}


def test_flops_of_attention():
    F = fg.nn.functional
    q = fg.randn(2, 4, 6, 8)
    assert _counts(lambda: F.scaled_dot_product_attention(q, q, q))[0] == 0  # PyTorch's fused CPU kernel
    assert _counts(lambda: F.scaled_dot_product_attention(q, q, q, dropout_p=0.5))[1]["Global"] == {"aten.bmm": 9216}
    k = fg.randn(4, 6, 8)
    assert _counts(lambda: F.scaled_dot_product_attention(k, k, k))[0] == 4608
    mha = fg.nn.MultiheadAttention(8, 2, batch_first=True)
    x = fg.randn(2, 5, 8)
    assert _counts(lambda: mha(x, x, x))[1]["Global"] == {"aten.mm": 3840, "aten.bmm": 1600, "aten.addmm": 1280}


def test_flop_counter_table_when_nothing_ran():
    total, counts = _counts(lambda: fg.relu(fg.ones(3)))
    assert total == 0 and counts == {"Global": {}}


# ---- small names, and the namespace names as FX prints them -------------------------------------
def test_fx_prints_namespace_functions_by_their_pytorch_names():
    class Net(fg.nn.Module):
        def forward(self, x):
            return fg.linalg.norm(x) + fg.special.erf(x) + fg.fft.fft(x).real

    traced = fg.fx.symbolic_trace(Net())
    for call in ("_C._linalg.linalg_norm(x)", "_C._special.special_erf(x)", "_C._fft.fft_fft(x)"):
        assert f"{MOD}.{call}" in traced.code
    x = fg.tensor([1.0, 2.0])
    assert traced(x).tolist() == Net()(x).tolist()


def test_small_top_level_names():
    assert issubclass(fg.AcceleratorError, RuntimeError) and fg.AcceleratorError.__module__ == MOD
    assert fg.DisableTorchFunction is fg._C.DisableTorchFunction
    assert fg.DisableTorchFunctionSubclass is fg._C.DisableTorchFunctionSubclass
    assert {"AcceleratorError", "DisableTorchFunction", "DisableTorchFunctionSubclass"} <= set(fg.__all__)


def test_nn_factory_kwargs():
    assert fg.nn.factory_kwargs(None) == {}
    assert fg.nn.factory_kwargs({"device": "cpu", "factory_kwargs": {"dtype": fg.float64}}) == {
        "device": "cpu", "dtype": fg.float64}
    with pytest.raises(TypeError, match=r"^unexpected kwargs \{'foo'\}$"):
        fg.nn.factory_kwargs({"foo": 1})
    with pytest.raises(TypeError, match="^dtype specified twice, in \\*\\*kwargs and in factory_kwargs$"):
        fg.nn.factory_kwargs({"dtype": fg.float32, "factory_kwargs": {"dtype": fg.float64}})


def test_loader_multiprocessing_context_checks():
    import multiprocessing

    ds = data.TensorDataset(fg.arange(6))
    with pytest.raises(ValueError, match=r"^multiprocessing_context can only be used with multi-process loading "
                                         r"\(num_workers > 0\), but got num_workers=0$"):
        data.DataLoader(ds, multiprocessing_context="spawn")
    with pytest.raises(ValueError, match="should specify a valid start method in .*multiprocessing_context='bogus'$"):
        data.DataLoader(ds, num_workers=1, multiprocessing_context="bogus")
    with pytest.raises(TypeError, match="^multiprocessing_context option should be a valid context object or a string "
                                        "specifying the start method, but got multiprocessing_context=5$"):
        data.DataLoader(ds, num_workers=1, multiprocessing_context=5)
    loader = data.DataLoader(ds, num_workers=1, multiprocessing_context="fork")
    assert isinstance(loader.multiprocessing_context, multiprocessing.context.BaseContext)
    assert [b[0].tolist() for b in loader] == [[0], [1], [2], [3], [4], [5]]


def test_loader_iterators_with_workers():
    ds = data.TensorDataset(fg.arange(6))
    with pytest.raises(AssertionError, match="^prefetch_factor must be greater than 0 for "
                                             "MultiProcessingDataLoaderIter$"):
        iter(data.DataLoader(ds, num_workers=1, prefetch_factor=0))
    persistent = data.DataLoader(ds, batch_size=4, num_workers=2, persistent_workers=True)
    first = iter(persistent)
    assert iter(persistent) is first and len(first) == 2
    assert [b[0].tolist() for b in first] == [[0, 1, 2, 3], [4, 5]]
    assert iter(data.DataLoader(ds, num_workers=1)) is not iter(data.DataLoader(ds, num_workers=1))


def test_ints_past_int64_read_as_doubles():
    b, f32 = fg.tensor([True, False]), fg.tensor([1.0, 2.0])
    assert fg.float_power(2**63, b).tolist() == [9.223372036854776e18, 1.0]
    assert fg.float_power(b, 2**63).tolist() == [1.0, 0.0]
    with pytest.raises(OverflowError, match="^int too big to convert$"):
        fg.float_power(f32, 2**64)
    assert fg.isclose(f32, f32 + 1.0, atol=2**64).tolist() == [True, True]
    with pytest.raises(RuntimeError, match=r"^atol must be greater than or equal to zero, but got -9\.22337e\+18$"):
        fg.isclose(f32, f32, atol=-(2**63) - 1)
    with pytest.raises(RuntimeError, match="^rtol must be greater than or equal to zero, but got -1$"):
        fg.isclose(f32, f32, rtol=-1)
    with pytest.raises(RuntimeError, match="^Subtraction, the `-` operator, with a bool tensor is not supported"):
        fg.rsub(b, 2**63)


def test_modes_and_subclasses_see_einsum_and_sparse_coo_tensor():
    seen = []

    class Recorder(fg.overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            seen.append(func.__name__)
            return func(*args, **(kwargs or {}))

    a = fg.ones(2, 2)
    with Recorder():
        fg.einsum("ij,jk->ik", a, a)
        fg.sparse_coo_tensor(fg.tensor([[0]]), fg.tensor([1.0]), (2,))
    assert seen == ["einsum", "tensor", "tensor", "sparse_coo_tensor"]

    class Sub(fg.Tensor):
        pass

    assert type(fg.einsum("ij,jk->ik", a.as_subclass(Sub), a)) is Sub


def test_flops_of_recurrent_layers():
    fg.manual_seed(0)
    x = fg.randn(5, 2, 4)
    assert _counts(lambda: fg.nn.GRU(4, 6)(x))[0] == 3600
    assert _counts(lambda: fg.nn.LSTM(4, 6)(x))[0] == 0  # PyTorch's oneDNN kernel, counted as nothing
    assert _counts(lambda: fg.nn.LSTM(4, 6, proj_size=3)(x))[0] == 3720
    assert _counts(lambda: fg.nn.LSTM(4, 6).double()(x.double()))[0] == 4800
