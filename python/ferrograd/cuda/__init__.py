"""`ferrograd.cuda`: present so ported scripts can ask; as in a CPU-only PyTorch, CUDA is
never available: the questions answer False / 0, seeding and cache freeing do nothing,
and what needs a device raises AssertionError."""

from __future__ import annotations

__all__ = [
    "current_device",
    "device_count",
    "empty_cache",
    "get_arch_list",
    "get_device_capability",
    "get_device_name",
    "get_rng_state",
    "init",
    "ipc_collect",
    "is_available",
    "is_bf16_supported",
    "is_initialized",
    "manual_seed",
    "manual_seed_all",
    "max_memory_allocated",
    "memory_allocated",
    "seed",
    "seed_all",
    "synchronize",
]

NOT_COMPILED = "ferrograd not compiled with CUDA enabled"


def is_available() -> bool:
    """Whether CUDA can be used: never."""
    return False


def device_count() -> int:
    """The number of CUDA devices: 0."""
    return 0


def is_initialized() -> bool:
    """Whether CUDA has been initialised: never."""
    return False


def is_bf16_supported(including_emulation: bool = True) -> bool:
    """Whether a CUDA device supports bfloat16: there is none.

    Args:
        including_emulation: count emulated support too.
    """
    return False


def get_arch_list() -> list[str]:
    """The CUDA architectures this build was compiled for: none."""
    return []


def manual_seed(seed: int) -> None:
    """Seeds the current CUDA device's generator with `seed`: nothing to seed (PyTorch
    ignores it too)."""


def manual_seed_all(seed: int) -> None:
    """Seeds every CUDA device's generator with `seed`: nothing to seed."""


def seed() -> None:
    """Seeds the current CUDA device's generator randomly: nothing to seed."""


def seed_all() -> None:
    """Seeds every CUDA device's generator randomly: nothing to seed."""


def empty_cache() -> None:
    """Frees CUDA's cached memory: there is none."""


def memory_allocated(device=None) -> int:
    """Bytes held by CUDA tensors: 0.

    Args:
        device: the CUDA device; None for the current one.
    """
    return 0


def max_memory_allocated(device=None) -> int:
    """The peak of `memory_allocated`: 0.

    Args:
        device: the CUDA device; None for the current one.
    """
    return 0


def _not_compiled(*args, **kwargs):
    raise AssertionError(NOT_COMPILED)


def init() -> None:
    """Initialises CUDA: raises, as this build has none."""
    _not_compiled()


def synchronize(device=None) -> None:
    """Waits for CUDA's work on `device`: raises, as this build has none."""
    _not_compiled()


def current_device() -> int:
    """The current CUDA device: raises, as this build has none."""
    return _not_compiled()


def get_device_name(device=None) -> str:
    """The name of CUDA device `device`: raises, as this build has none."""
    return _not_compiled()


def get_device_capability(device=None) -> tuple[int, int]:
    """The compute capability of CUDA device `device`: raises, as this build has none."""
    return _not_compiled()


def get_rng_state(device="cuda"):
    """The state of `device`'s CUDA generator: raises, as this build has none."""
    return _not_compiled()


def ipc_collect() -> None:
    """Frees CUDA memory shared between processes: raises, as this build has none."""
    _not_compiled()


def __getattr__(name: str):
    if name == "amp":  # `ferrograd.cuda.amp` without importing it first, as in PyTorch
        import importlib

        return importlib.import_module(f"{__name__}.amp")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
