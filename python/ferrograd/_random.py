"""The default random generator's seed and state."""

from __future__ import annotations

import time

from . import _core


def seed() -> int:
    """Seeds the default generator non-deterministically and returns the seed."""
    s = time.time_ns() & ((1 << 63) - 1)
    _core.manual_seed(s)
    return s


def get_rng_state():
    """The default generator's state as a uint8 tensor."""
    import numpy as np

    from ._creation import tensor

    return tensor(np.frombuffer(_core._get_rng_state(), dtype=np.uint8).astype(np.int64))


def set_rng_state(state) -> None:
    """Restores a state returned by `get_rng_state`."""
    import numpy as np

    data = np.asarray(state.tolist(), dtype=np.uint8).tobytes()
    _core._set_rng_state(data)


class Generator:
    """A handle on the default CPU generator (`manual_seed`, `get_state`, `set_state`)."""

    def __init__(self, device="cpu") -> None:
        self.device = device

    def manual_seed(self, s: int) -> Generator:
        _core.manual_seed(s)
        return self

    def initial_seed(self) -> int:
        return _core.initial_seed()

    def seed(self) -> int:
        return seed()

    def get_state(self):
        return get_rng_state()

    def set_state(self, state) -> Generator:
        set_rng_state(state)
        return self


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seeds the default generator; the same seed gives PyTorch's numbers."""
    _core.manual_seed(int(seed))
    return default_generator
