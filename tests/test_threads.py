"""Intra-op threads: `set_num_threads`/`get_num_threads` and the inter-op pair, with
PyTorch's defaults and errors, and kernels whose values do not depend on the count."""

import os
import subprocess
import sys

import numpy as np
import pytest
from backend import MOD, fg

BIG = (1 << 19) + 37  # above every kernel's split threshold, not a multiple of a chunk


@pytest.fixture
def restore_threads():
    before = fg.get_num_threads()
    yield
    fg.set_num_threads(before)


def _with_threads(n, fn):
    fg.set_num_threads(n)
    return fn()


def _bits(t):
    return np.ascontiguousarray(t.detach().numpy()).view(np.uint8).tobytes()


def _data(shape, seed, lo=-3.0, hi=3.0, dtype=np.float32):
    return np.random.default_rng(seed).uniform(lo, hi, size=shape).astype(dtype)


# --------------------------------------------------------------------------- settings


def test_set_and_get_num_threads(restore_threads):
    for n in (1, 2, 3, 7, 1):
        fg.set_num_threads(n)
        assert fg.get_num_threads() == n
    fg.set_num_threads(np.int64(2))
    assert fg.get_num_threads() == 2
    fg.set_num_threads(4)
    assert isinstance(fg.get_num_threads(), int)


@pytest.mark.parametrize("bad", [0, -1, -(2**31)])
def test_non_positive_counts_raise(bad, restore_threads):
    with pytest.raises(RuntimeError, match="^set_num_threads expects a positive integer$"):
        fg.set_num_threads(bad)
    with pytest.raises(
        RuntimeError, match="^set_num_interop_threads expects a positive integer$"
    ):
        fg.set_num_interop_threads(bad)


@pytest.mark.parametrize(
    ("bad", "name"), [(1.5, "float"), ("2", "str"), (True, "bool"), (None, "NoneType")]
)
def test_non_int_counts_raise(bad, name, restore_threads):
    with pytest.raises(RuntimeError, match=f"^set_num_threads expects an int, but got {name}$"):
        fg.set_num_threads(bad)
    with pytest.raises(
        RuntimeError, match=f"^set_num_interop_threads expects an int, but got {name}$"
    ):
        fg.set_num_interop_threads(bad)


@pytest.mark.parametrize("big", [2**31, -(2**31) - 1, 2**40])
def test_counts_beyond_c_int_raise_value_error(big, restore_threads):
    with pytest.raises(ValueError, match="^Overflow when unpacking long$"):
        fg.set_num_threads(big)


def test_failed_calls_keep_the_count(restore_threads):
    fg.set_num_threads(3)
    for bad in (0, 1.0, 2**31):
        with pytest.raises((RuntimeError, ValueError)):
            fg.set_num_threads(bad)
    assert fg.get_num_threads() == 3


def test_get_functions_take_no_arguments():
    with pytest.raises(TypeError):
        fg.get_num_threads(1)
    with pytest.raises(TypeError):
        fg.get_num_interop_threads(1)


def test_interop_threads_can_be_set_once():
    assert fg.get_num_interop_threads() >= 1
    message = (
        "^Error: cannot set number of interop threads after parallel work has started "
        "or set_num_interop_threads called$"
    )
    try:
        fg.set_num_interop_threads(3)
    except RuntimeError as e:  # an earlier test in this process may have set it
        assert "cannot set number of interop threads" in str(e)
    else:
        assert fg.get_num_interop_threads() == 3
    with pytest.raises(RuntimeError, match=message):
        fg.set_num_interop_threads(2)
    # the argument is checked first
    with pytest.raises(RuntimeError, match="expects a positive integer"):
        fg.set_num_interop_threads(0)


def _count_in_fresh_process(env_updates):
    env = dict(os.environ)
    for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(k, None)
    env.update(env_updates)
    env["FG_TEST_BACKEND"] = MOD
    here = os.path.dirname(os.path.abspath(__file__))
    code = "from backend import fg; print(fg.get_num_threads(), fg.get_num_interop_threads())"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=here, capture_output=True, text=True, check=True
    )
    return tuple(int(v) for v in out.stdout.split())


def test_omp_num_threads_sets_the_start_up_count():
    default_intra, default_interop = _count_in_fresh_process({})
    assert default_intra >= 1 and default_interop >= 1
    assert _count_in_fresh_process({"OMP_NUM_THREADS": "1"}) == (1, default_interop)
    assert _count_in_fresh_process({"MKL_NUM_THREADS": "1"})[0] == 1
    # unusable values fall back to the default
    assert _count_in_fresh_process({"OMP_NUM_THREADS": "0"})[0] == default_intra
    # an environment count is capped at the machine's cores
    assert _count_in_fresh_process({"OMP_NUM_THREADS": "100000"})[0] == default_intra


def test_the_setting_starts_worker_threads(restore_threads):
    fg.set_num_threads(3)
    a = fg.from_numpy(_data((512, 512), 1))
    (a @ a).sum()
    assert len(os.listdir("/proc/self/task")) >= 3


# --------------------------------------------------------------------------- values


def _same_bits_for_1_and_2_threads(fn):
    one = _with_threads(1, fn)
    two = _with_threads(2, fn)
    three = _with_threads(3, fn)
    for a, b, c in zip(one, two, three, strict=True):
        assert _bits(a) == _bits(b) == _bits(c)
    return one


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_elementwise_is_bitwise_identical_across_thread_counts(dtype, restore_threads):
    xn, yn = _data(BIG, 2, dtype=dtype), _data(BIG, 3, dtype=dtype)
    x, y = fg.from_numpy(xn), fg.from_numpy(yn)
    # a strided view (every other element) and a broadcast row
    m = fg.from_numpy(_data((600, 1031), 4, dtype=dtype))
    row = fg.from_numpy(_data(1031, 5, dtype=dtype))

    def run():
        return [
            x + y,
            x * y,
            x - 2.5,
            x.tanh(),
            x.exp(),
            x.abs().log(),
            x[1::2] * 3,
            m + row,
            m.t() * 2,
        ]

    out = _same_bits_for_1_and_2_threads(run)
    np.testing.assert_allclose(out[0].numpy(), xn + yn, rtol=1e-6)
    np.testing.assert_allclose(out[1].numpy(), xn * yn, rtol=1e-6)
    np.testing.assert_allclose(out[3].numpy(), np.tanh(xn), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out[4].numpy(), np.exp(xn), rtol=1e-5)
    np.testing.assert_allclose(out[6].numpy(), xn[1::2] * 3, rtol=1e-6)
    np.testing.assert_allclose(out[7].numpy(), m.numpy() + row.numpy(), rtol=1e-6)


def test_reductions_are_bitwise_identical_across_thread_counts(restore_threads):
    mn = _data((700, 1031), 6)
    m = fg.from_numpy(mn)
    # small integers in float32: every order of summation gives the same exact sum,
    # so the full sums can be compared bit for bit with any library
    vn = np.random.default_rng(7).integers(-8, 9, size=BIG).astype(np.float32)
    v = fg.from_numpy(vn)

    def run():
        return [m.sum(0), m.sum(1), m.mean(0), m.t().sum(1), m.amax(0), v.sum(), v.mean()]

    out = _same_bits_for_1_and_2_threads(run)
    np.testing.assert_allclose(out[0].numpy(), mn.sum(0, dtype=np.float64), rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(out[1].numpy(), mn.sum(1, dtype=np.float64), rtol=1e-4, atol=1e-3)
    np.testing.assert_array_equal(out[4].numpy(), mn.max(0))
    assert float(out[5]) == float(vn.sum(dtype=np.float64))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matmul_is_bitwise_identical_across_thread_counts(dtype, restore_threads):
    # each product has more than 2 * 2^26 multiply-adds: above the split threshold
    an, bn = _data((700, 520), 8, dtype=dtype), _data((520, 390), 9, dtype=dtype)
    a, b = fg.from_numpy(an), fg.from_numpy(bn)
    wide = fg.from_numpy(_data((420, 1100), 10, dtype=dtype))
    # three k-blocks in each of three column blocks (the f32 kernel's packed buffers
    # are reused and each k-block adds to the previous one's C)
    dn, en = _data((200, 900), 16, dtype=dtype), _data((900, 1400), 17, dtype=dtype)
    d, e = fg.from_numpy(dn), fg.from_numpy(en)

    def run():
        return [a @ b, b.t() @ a.t(), wide.t() @ wide[:, :300], d @ e]

    out = _same_bits_for_1_and_2_threads(run)
    tol = 1e-4 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(out[0].numpy(), an.astype(np.float64) @ bn, rtol=tol, atol=tol)
    # k = 900 terms of up to 9 each: float32 sums drift by ~1e-4 from the float64 ones
    deep_atol = 1e-2 if dtype == np.float32 else 1e-9
    np.testing.assert_allclose(out[3].numpy(), dn.astype(np.float64) @ en, rtol=tol, atol=deep_atol)


def test_backward_is_bitwise_identical_across_thread_counts(restore_threads):
    xn, wn, bn = _data(BIG, 11), _data(BIG, 12), _data(BIG, 13)
    mn = _data((600, 700), 14)

    def run():
        x = fg.from_numpy(xn)
        w = fg.from_numpy(wn).requires_grad_()
        b = fg.from_numpy(bn).requires_grad_()
        (x * w + b).tanh().sum().backward()
        m = fg.from_numpy(mn).requires_grad_()
        m.sum(0).backward(fg.from_numpy(_data(700, 15)))
        return [w.grad, b.grad, m.grad]

    out = _same_bits_for_1_and_2_threads(run)
    t = np.tanh(xn * wn + bn)
    np.testing.assert_allclose(out[1].numpy(), 1 - t * t, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(out[2].numpy(), np.broadcast_to(_data(700, 15), (600, 700)))

