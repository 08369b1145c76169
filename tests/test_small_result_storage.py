"""Results of up to 16 bytes keep their elements inside the storage's own block
(`Storage::filled`): they must behave as any other storage — views of another dtype,
NumPy sharing, in-place writes, pickling, gradients, threads."""

import pickle
import threading

import ferrograd as fg
import numpy as np


def _pair():
    a = fg.tensor([[1.5, -2.0], [0.25, 4.0]])
    b = fg.tensor([[0.5, 1.0], [-0.25, 2.0]])
    return a, b


def test_small_sum_read_as_another_dtype_shares_its_bytes():
    a, b = _pair()
    z = a + b
    ints = z.view(fg.int32)
    expected = np.array([[2.0, -1.0], [0.0, 6.0]], np.float32)
    np.testing.assert_array_equal(ints.numpy(), expected.view(np.int32))
    ints[0, 1] = np.array(3.0, np.float32).view(np.int32).item()
    del z
    np.testing.assert_array_equal(ints.view(fg.float32).numpy(), [[2.0, 3.0], [0.0, 6.0]])


def test_numpy_view_of_a_small_result_outlives_the_tensor():
    x = fg.tensor(0.5)
    t = x.tanh()
    arr = t.numpy()
    arr[()] = 7.0
    assert t.item() == 7.0
    del t
    assert arr == np.float32(7.0)


def test_in_place_ops_and_storage_of_a_small_result():
    a, b = _pair()
    z = a * b
    ptr = z.data_ptr()
    z.add_(1.0)
    assert z.data_ptr() == ptr
    assert z.untyped_storage().nbytes() == 16
    np.testing.assert_array_equal(z.numpy(), [[1.75, -1.0], [0.9375, 9.0]])
    row = z[1]
    row.mul_(2.0)
    np.testing.assert_array_equal(z.numpy(), [[1.75, -1.0], [1.875, 18.0]])


def test_small_results_of_every_op_kind_and_dtype():
    x = fg.tensor(0.25, dtype=fg.float64)
    np.testing.assert_allclose((x - x * x).item(), 0.1875)
    np.testing.assert_allclose(x.tanh().item(), np.tanh(0.25))
    h = fg.tensor([1.0, 2.0], dtype=fg.float16)
    np.testing.assert_array_equal((h + h).numpy(), np.array([2.0, 4.0], np.float16))
    big = fg.arange(5, dtype=fg.float32)
    np.testing.assert_array_equal((big + big).numpy(), [0.0, 2.0, 4.0, 6.0, 8.0])
    assert (fg.tensor(3) + 2.5).item() == 5.5


def test_pickled_small_result_round_trips():
    a, b = _pair()
    z = pickle.loads(pickle.dumps(a / b))
    np.testing.assert_array_equal(z.numpy(), [[3.0, -2.0], [-1.0, 2.0]])


def test_gradients_through_small_results():
    p = fg.tensor(0.5, requires_grad=True)
    q = fg.tensor(-0.25, requires_grad=True)
    v = (p * q + p).tanh()
    v.backward()
    s = 0.5 * -0.25 + 0.5
    d = 1 - np.tanh(s) ** 2
    np.testing.assert_allclose(p.grad.item(), d * (-0.25 + 1), rtol=1e-6)
    np.testing.assert_allclose(q.grad.item(), d * 0.5, rtol=1e-6)
    assert p.grad.untyped_storage().nbytes() == 4


def test_small_results_made_and_freed_on_many_threads():
    errors = []

    def work(seed):
        x = fg.tensor([float(seed), 1.0])
        for _ in range(2000):
            y = (x + x) * x
            if y[0].item() != 2.0 * seed * seed or y[1].item() != 2.0:
                errors.append(seed)
                return

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
