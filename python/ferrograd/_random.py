"""Random generators: the default one (its state lives in the core) and `Generator`
objects with their own state, swapped into the core while one of them draws."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from . import _core

# PyTorch's seed for a generator nobody seeded.
_DEFAULT_SEED = 67280421310721


def _state_tensor(data: bytes):
    import numpy as np

    from ._creation import tensor

    dtype = getattr(_core, "uint8", None)
    values = np.frombuffer(data, dtype=np.uint8)
    if dtype is not None:
        return tensor(values.copy(), dtype=dtype)
    return tensor(values.astype(np.int64))


# Bytes in PyTorch's CPU generator state (`CPUGeneratorImplState`); the core writes
# and reads that layout, so a state saved by PyTorch restores here and the other way round.
_STATE_BYTES = 5056


def _state_bytes(state) -> bytes:
    from ._core import Tensor

    if not isinstance(state, Tensor):
        raise TypeError(f"expected a torch.ByteTensor, but got {type(state).__name__}")
    if str(state.dtype).rsplit(".", 1)[-1] != "uint8":
        raise TypeError("RNG state must be a torch.ByteTensor")
    if state.numel() != _STATE_BYTES:
        raise RuntimeError(
            f"Expected a CPUGeneratorImplState of size {_STATE_BYTES} but found the input RNG state size to be {state.numel()}"
        )
    return bytes(state.reshape(-1).tolist())


def _fresh_state(seed: int) -> bytes:
    saved = _core._get_rng_state()
    try:
        _core.manual_seed(seed)
        return _core._get_rng_state()
    finally:
        _core._set_rng_state(saved)


def _nondeterministic_seed() -> int:
    import os

    return int.from_bytes(os.urandom(8), "little") ^ time.time_ns() & ((1 << 64) - 1)


class Generator:
    """A CPU random generator with its own Mersenne Twister state: seeded alike, it
    draws PyTorch's numbers. Pass it as `generator=` to the sampling functions.

    Args:
        device: the device (only 'cpu' is supported; None or none given means it).
    """

    def __init__(self, *args, **kwargs) -> None:
        from ._device import NO_ACCELERATOR
        from ._device import device as make_device
        from ._device_method_args import device_argument

        # PyTorch's parser of `Generator(Device device=None)`
        if len(args) > 1:
            raise TypeError(f"Generator() takes from 0 to 1 positional arguments but {len(args)} were given")
        for key in kwargs:
            if key != "device" or args:
                raise TypeError(f"Generator() got an unexpected keyword argument '{key}'")
        device = device_argument("Generator", args[0] if args else kwargs.get("device"), 1 if args else None)
        if isinstance(device, int):
            raise RuntimeError(NO_ACCELERATOR)  # noqa: TRY004 (PyTorch's type)
        self.device = make_device("cpu" if device is None else device)
        if self.device.type != "cpu":
            raise RuntimeError(f"Device type {self.device.type.upper()} is not supported for torch.Generator() api.")
        self._state: bytes | None = _fresh_state(_DEFAULT_SEED)

    @classmethod
    def _default(cls) -> Generator:
        g = cls.__new__(cls)
        from ._device import device as make_device

        g.device = make_device("cpu")
        g._state = None  # the live state in the core
        return g

    def manual_seed(self, seed) -> Generator:
        """Seeds this generator and returns it.

        Args:
            seed: an int.
        """
        if isinstance(seed, bool) or not hasattr(type(seed), "__index__"):
            raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
        seed = int(seed)
        if not -(2**63) <= seed < 2**64:  # PyTorch reads the seed as int64 or uint64
            raise ValueError("Overflow when unpacking long long")
        if self._state is None:
            _core.manual_seed(seed & ((1 << 64) - 1))
        else:
            self._state = _fresh_state(seed & ((1 << 64) - 1))
        return self

    def initial_seed(self) -> int:
        """The seed this generator was last seeded with."""
        with _using(self):
            return _core.initial_seed()

    def seed(self) -> int:
        """Seeds this generator from a non-deterministic source and returns the seed."""
        s = _nondeterministic_seed()
        self.manual_seed(s)
        return s

    def get_state(self):
        """The generator's state as a uint8 tensor."""
        return _state_tensor(self._state if self._state is not None else _core._get_rng_state())

    def clone_state(self) -> Generator:
        """A new generator in this one's state (seed included)."""
        clone = Generator(self.device)
        clone._state = self._state if self._state is not None else _core._get_rng_state()
        return clone

    def get_offset(self) -> int:
        """Refused: offsets belong to counter-based (CUDA) generators."""
        raise RuntimeError("CPU Generator does not use offset")

    def set_offset(self, offset) -> Generator:
        """Refused: offsets belong to counter-based (CUDA) generators.

        Args:
            offset: the offset a counter-based generator would move to.
        """
        raise RuntimeError("CPU Generator does not use offset")

    def graphsafe_get_state(self) -> Generator:
        """Refused: graph-safe states belong to CUDA graphs."""
        raise NotImplementedError("graphsafe_get_state is not supported in this Generator")

    def graphsafe_set_state(self, state) -> Generator:
        """Refused: graph-safe states belong to CUDA graphs.

        Args:
            state: the generator whose state a CUDA generator would take.
        """
        raise NotImplementedError("graphsafe_set_state is not supported in this Generator")

    def set_state(self, new_state) -> Generator:
        """Restores a state from `get_state()` and returns the generator.

        Args:
            new_state: a uint8 tensor.
        """
        data = _state_bytes(new_state)
        if self._state is None:
            _core._set_rng_state(data)
        else:
            saved = _core._get_rng_state()
            try:
                _core._set_rng_state(data)
            finally:
                _core._set_rng_state(saved)
            self._state = data
        return self


# PyTorch's class prints as `torch._C.Generator`
Generator.__module__ = "ferrograd._C"


@contextmanager
def _using(generator: Generator | None) -> Iterator[None]:
    """Draws inside the block come from `generator` (the default one when None)."""
    if generator is None or generator._state is None:
        yield
        return
    if not isinstance(generator, Generator):
        raise TypeError(f"expected a torch.Generator, but got {type(generator).__name__}")
    saved = _core._get_rng_state()
    _core._set_rng_state(generator._state)
    try:
        yield
    finally:
        generator._state = _core._get_rng_state()
        _core._set_rng_state(saved)


def using(generator) -> contextmanager:
    """`_using` with a type check of the argument (for `generator=` arguments)."""
    if generator is not None and not isinstance(generator, Generator):
        raise TypeError(f"generator must be a torch.Generator, not {type(generator).__name__}")
    return _using(generator)


default_generator = Generator._default()


def seed() -> int:
    """Seeds the default generator non-deterministically and returns the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """The seed the default generator was last seeded with."""
    return _core.initial_seed()


def get_rng_state():
    """The default generator's state as a byte tensor."""
    return default_generator.get_state()


def set_rng_state(new_state) -> None:
    """Restores the default generator to a state returned by `get_rng_state`.

    Args:
        new_state: the byte tensor of the state.
    """
    default_generator.set_state(new_state)


def manual_seed(seed) -> Generator:
    """Seeds the default generator; the same seed gives PyTorch's numbers. Returns the
    generator.

    Args:
        seed: an int (taken modulo 2**64).
    """
    return default_generator.manual_seed(seed)


# As PyTorch's, the default generator starts from a seed drawn anew in each process:
# unseeded code draws different numbers run to run (`manual_seed` makes them repeat).
_core.manual_seed(_nondeterministic_seed())
