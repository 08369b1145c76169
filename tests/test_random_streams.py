"""Random streams equal to PyTorch's CPU generator's for the same seed, sizes and dtype
(values recorded from PyTorch 2.13 by tests/data/record_random_streams.py for the cases
in tests/data/random_cases.py), generator objects and their state, argument errors."""

import json
import os
import sys

import numpy as np
import pytest
from backend import fg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
import random_cases

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "random_expected.json")) as _f:
    EXPECTED = json.load(_f)

CASES = random_cases.cases()
PARAMS = [(name, n, dt) for name in sorted(CASES) for n in random_cases.SIZES for dt in random_cases.DTYPES]


@pytest.mark.parametrize("name,n,dt", PARAMS)
def test_stream_equals_pytorch(name, n, dt):
    fg.manual_seed(7)
    t = CASES[name](fg, n, dt)
    exp = EXPECTED[f"{name}/{n}/{dt}"]
    assert repr(t.dtype).split(".")[1] == exp["dtype"]
    got = np.asarray(t.tolist())
    want = np.asarray(exp["values"])
    assert got.shape == want.shape
    assert np.array_equal(got, want), (got, want)


def test_streams_continue_across_calls():
    fg.manual_seed(7)
    a = fg.randperm(16)
    b = fg.empty(5).bernoulli_(0.5)
    fg.manual_seed(7)
    assert fg.randperm(16).tolist() == a.tolist()
    assert fg.empty(5).bernoulli_(0.5).tolist() == b.tolist()


def test_generator_has_its_own_state():
    g = fg.Generator().manual_seed(3)
    fg.manual_seed(7)
    x = fg.rand(4, generator=g)
    y = fg.rand(4)  # the default stream did not move
    fg.manual_seed(7)
    assert fg.rand(4).tolist() == y.tolist()
    assert fg.rand(4, generator=fg.Generator().manual_seed(3)).tolist() == x.tolist()
    # The generator advanced: its next draw is the next part of seed 3's stream.
    g2 = fg.Generator().manual_seed(3)
    fg.rand(4, generator=g2)
    assert fg.rand(3, generator=g).tolist() == fg.rand(3, generator=g2).tolist()


def test_generator_state_round_trips():
    g = fg.Generator().manual_seed(12)
    fg.randn(3, generator=g)  # leaves a cached normal
    state = g.get_state()
    a = fg.randn(5, dtype=fg.float64, generator=g)
    g.set_state(state)
    b = fg.randn(5, dtype=fg.float64, generator=g)
    assert a.tolist() == b.tolist()
    h = fg.Generator().set_state(state)
    assert fg.randn(5, dtype=fg.float64, generator=h).tolist() == a.tolist()


def test_default_state_round_trips():
    fg.manual_seed(1)
    fg.rand(3)
    s = fg.get_rng_state()
    a = fg.empty(20).exponential_()
    fg.set_rng_state(s)
    assert fg.empty(20).exponential_().tolist() == a.tolist()
    assert fg.default_generator.get_state().tolist() == fg.get_rng_state().tolist()


def test_seeds():
    g = fg.Generator()
    assert g.initial_seed() == 67280421310721
    assert g.manual_seed(5).initial_seed() == 5
    fg.manual_seed(9)
    assert fg.initial_seed() == 9
    assert fg.default_generator.initial_seed() == 9
    s = fg.seed()
    assert fg.initial_seed() == s
    t = g.seed()
    assert g.initial_seed() == t
    assert fg.manual_seed(4) is fg.default_generator


def test_new_generator_starts_from_default_seed():
    a = fg.rand(5, generator=fg.Generator())
    fg.manual_seed(67280421310721)
    assert fg.rand(5).tolist() == a.tolist()


def test_errors():
    with pytest.raises(RuntimeError, match="bernoulli_ expects p to be in \\[0, 1\\], but got p=1.5"):
        fg.empty(3).bernoulli_(1.5)
    with pytest.raises(RuntimeError, match="exponential_ expects lambda > 0.0, but found lambda=-1"):
        fg.empty(3).exponential_(-1.0)
    with pytest.raises(RuntimeError, match="cannot sample n_sample > prob_dist.size\\(-1\\) samples without replacement"):
        fg.multinomial(fg.ones(3), 4)
    with pytest.raises(RuntimeError, match="probability tensor contains either `inf`, `nan` or element < 0"):
        fg.multinomial(fg.tensor([1.0, -1.0]), 1)
    with pytest.raises(RuntimeError, match="invalid multinomial distribution \\(sum of probabilities <= 0\\)"):
        fg.multinomial(fg.zeros(3), 1)
    with pytest.raises(RuntimeError, match="prob_dist must be 1 or 2 dim"):
        fg.multinomial(fg.ones(2, 2, 2), 1)
    with pytest.raises(RuntimeError, match="normal expects std >= 0.0, but found std -1"):
        fg.normal(fg.zeros(2), -1.0)
    with pytest.raises(TypeError):
        fg.rand(3, generator=5)


def test_shapes_and_dtypes():
    assert fg.randperm(0).tolist() == []
    assert fg.randperm(4).dtype == fg.int64
    assert fg.randperm(4, dtype=fg.float64).dtype == fg.float64
    assert sorted(fg.randperm(50).tolist()) == list(range(50))
    assert tuple(fg.multinomial(fg.ones(3, 5), 2).shape) == (3, 2)
    assert fg.multinomial(fg.ones(5), 5).sort()[0].tolist() == [0, 1, 2, 3, 4]
    assert fg.bernoulli(fg.full((3,), 0.5, dtype=fg.float64)).dtype == fg.float64
    assert tuple(fg.normal(fg.zeros(2, 1), fg.ones(3)).shape) == (2, 3)
    x = fg.empty(50).bernoulli_(fg.tensor([0.0, 1.0]).repeat(25))
    assert x.tolist() == [0.0, 1.0] * 25


def test_rrelu_eval_is_the_mean_slope_and_dropout_grad():
    x = fg.tensor([-2.0, 3.0], dtype=fg.float64)
    assert fg.nn.functional.rrelu(x, 0.1, 0.3).tolist() == pytest.approx([-0.4, 3.0])
    fg.manual_seed(0)
    x = fg.ones(20, requires_grad=True)
    y = fg.nn.functional.dropout(x, 0.5)
    y.sum().backward()
    assert x.grad.tolist() == y.detach().tolist()
