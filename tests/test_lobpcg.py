"""`lobpcg`: eigenpairs against NumPy, PyTorch's argument checks and messages, its random
draws, gradients."""

import ferrograd as fg
import numpy as np
import pytest


def spd(m, seed=0):
    a = np.random.default_rng(seed).standard_normal((m, m))
    return a @ a.T + m * np.eye(m)


@pytest.mark.parametrize("largest", [None, True, False])
def test_eigenpairs_match_numpy(largest):
    a = spd(12)
    E, X = fg.lobpcg(fg.tensor(a), k=3, largest=largest)
    want = np.linalg.eigvalsh(a)
    want = want[:3] if largest is False else want[::-1][:3]
    np.testing.assert_allclose(E.numpy(), want, rtol=1e-12)
    np.testing.assert_allclose(a @ X.numpy(), X.numpy() * E.numpy(), atol=1e-10)
    assert X.shape == (12, 3) and E.dtype == fg.float64


def test_generalized_and_batched():
    a, b = spd(9, 1), spd(9, 2)
    E, X = fg.lobpcg(fg.tensor(a), k=2, B=fg.tensor(b))
    np.testing.assert_allclose(a @ X.numpy(), b @ X.numpy() * E.numpy(), atol=1e-9)
    batch = fg.tensor(np.stack([a, 2 * a]))
    E, X = fg.lobpcg(batch, k=1)
    assert E.shape == (2, 1) and X.shape == (2, 9, 1)
    np.testing.assert_allclose(E[1].numpy(), 2 * E[0].numpy(), rtol=1e-12)
    assert fg.lobpcg(fg.tensor(a, dtype=fg.float32), k=1)[0].dtype == fg.float32


def test_arguments_are_checked_as_pytorch():
    a = fg.tensor(spd(10))
    message = ("LOBPCG algorithm is not applicable when the number of A rows (=10) is smaller than 3 x the "
               "number of requested eigenpairs (=4)")
    for kwargs in ({"k": 4}, {"k": 3, "n": 4}):
        with pytest.raises(ValueError) as info:
            fg.lobpcg(a, **kwargs)
        assert str(info.value) == message
    with pytest.raises(AssertionError, match=r"^A must be square, got shape ferrograd.Size\(\[3, 4\]\)$"):
        fg.lobpcg(fg.ones(3, 4))
    with pytest.raises(AssertionError, match=r"^X shape mismatch: got ferrograd.Size\(\[9, 2\]\), expected \(10, 2\)$"):
        fg.lobpcg(a, X=fg.ones(9, 2, dtype=fg.float64))
    assert fg.lobpcg(a, X=fg.ones(10, 3, dtype=fg.float64))[0].shape == (3,)


def test_draws_the_random_start_pytorch_draws():
    a = fg.tensor(spd(10))
    fg.manual_seed(3)
    fg.lobpcg(a, k=2)
    after = fg.randn(4)
    fg.manual_seed(3)
    fg.randn(10, 2, dtype=fg.float64)
    assert fg.equal(after, fg.randn(4))


def test_gradient_of_eigenvalues():
    a = fg.tensor(spd(9), requires_grad=True)
    E, _ = fg.lobpcg(a, k=2)
    E.sum().backward()
    _, v = np.linalg.eigh(spd(9))
    top = v[:, -2:]
    np.testing.assert_allclose(a.grad.numpy(), top @ top.T, atol=1e-10)
    assert fg.autograd.gradcheck(lambda m: fg.lobpcg(m + m.mT, k=1)[0], (fg.tensor(spd(9), requires_grad=True),))
