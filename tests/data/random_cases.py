"""Shared by tests/test_random_streams.py and tests/data/record_random_streams.py: random
draws that must equal PyTorch's CPU generator's for the same seed (recorded with 2.13).
Each case is a function of the module and a size (below, at and above the 16-element
block of the vectorised paths) and a dtype name; it runs right after manual_seed(7)."""

import numpy as np

SIZES = (5, 15, 16, 17, 100)
DTYPES = ("float32", "float64")


def _probs(mod, n, dt):
    return mod.tensor(0.05 + 0.9 * (np.sin(np.arange(n) * 1.7) * 0.5 + 0.5), dtype=getattr(mod, dt))


def _weights(mod, n, dt):
    return mod.tensor(0.1 + np.abs(np.cos(np.arange(n) * 0.9)) * 2, dtype=getattr(mod, dt))


def cases():
    return {
        "rand": lambda m, n, dt: m.rand(n, dtype=getattr(m, dt)),
        "randn": lambda m, n, dt: m.randn(n, dtype=getattr(m, dt)),
        "randn_2d": lambda m, n, dt: m.randn(2, n, dtype=getattr(m, dt)),
        "uniform_": lambda m, n, dt: m.empty(n, dtype=getattr(m, dt)).uniform_(-2.0, 3.0),
        "normal_": lambda m, n, dt: m.empty(n, dtype=getattr(m, dt)).normal_(1.5, 0.25),
        "normal_tensor_tensor": lambda m, n, dt: m.normal(_probs(m, n, dt) - 0.5, _weights(m, n, dt)),
        "normal_tensor_float": lambda m, n, dt: m.normal(_probs(m, n, dt), 0.7),
        "normal_float_tensor": lambda m, n, dt: m.normal(0.3, _weights(m, n, dt)),
        "normal_size": lambda m, n, dt: m.normal(0.3, 1.7, (n,), dtype=getattr(m, dt)),
        "exponential_": lambda m, n, dt: m.empty(n, dtype=getattr(m, dt)).exponential_(2.5),
        "bernoulli_float": lambda m, n, dt: m.empty(n, dtype=getattr(m, dt)).bernoulli_(0.3),
        "bernoulli_tensor_p": lambda m, n, dt: m.empty(n, dtype=getattr(m, dt)).bernoulli_(_probs(m, n, dt)),
        "bernoulli": lambda m, n, dt: m.bernoulli(_probs(m, n, dt)),
        "bernoulli_p": lambda m, n, dt: m.bernoulli(_probs(m, n, dt), 0.6),
        "multinomial_replacement": lambda m, n, dt: m.multinomial(_weights(m, n, dt), 12, True),
        "multinomial_no_replacement": lambda m, n, dt: m.multinomial(_weights(m, n, dt), 4),
        "multinomial_2d": lambda m, n, dt: m.multinomial(_weights(m, 2 * n, dt).reshape(2, n), 3),
        "multinomial_one": lambda m, n, dt: _weights(m, n, dt).multinomial(1),
        "randperm": lambda m, n, dt: m.randperm(n),
        "random_": lambda m, n, dt: m.empty(n, dtype=getattr(m, dt)).random_(),
        "random_to": lambda m, n, dt: m.empty(n, dtype=getattr(m, dt)).random_(50),
        "random_from_to": lambda m, n, dt: m.empty(n, dtype=getattr(m, dt)).random_(-7, 2**20),
        "random_from_to_int64": lambda m, n, dt: m.empty(n, dtype=m.int64).random_(-7, 2**40),
        "random_int64": lambda m, n, dt: m.empty(n, dtype=m.int64).random_(),
        "randint": lambda m, n, dt: m.randint(-3, 1000, (n,)),
        "dropout": lambda m, n, dt: m.nn.functional.dropout(m.ones(n, dtype=getattr(m, dt)), 0.3),
        "dropout_module": lambda m, n, dt: m.nn.Dropout(0.6)(m.ones(n, dtype=getattr(m, dt))),
        "rrelu_train": lambda m, n, dt: m.nn.functional.rrelu(
            m.tensor(np.sin(np.arange(n) * 0.7), dtype=getattr(m, dt)), 0.1, 0.4, training=True),
        "generator_rand": lambda m, n, dt: m.rand(n, dtype=getattr(m, dt), generator=m.Generator().manual_seed(11)),
        "generator_randn": lambda m, n, dt: m.randn(n, dtype=getattr(m, dt), generator=m.Generator()),
        "generator_normal_": lambda m, n, dt: m.empty(n, dtype=getattr(m, dt)).normal_(
            generator=m.Generator().manual_seed(3)),
        "generator_randperm": lambda m, n, dt: m.randperm(n, generator=m.Generator().manual_seed(5)),
        "init_trunc_normal_": lambda m, n, dt: m.nn.init.trunc_normal_(m.empty(n, dtype=getattr(m, dt)), 0.5, 2.0,
                                                                       -1.0, 3.0),
        "init_trunc_normal_narrow": lambda m, n, dt: m.nn.init.trunc_normal_(m.empty(n, dtype=getattr(m, dt)),
                                                                             0.0, 1.0, 2.0, 4.0),
        "init_kaiming_normal_": lambda m, n, dt: m.nn.init.kaiming_normal_(m.empty(n, 3, dtype=getattr(m, dt))),
    }
