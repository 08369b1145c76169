"""What `import ferrograd` leaves for first use (PEP 562), to keep the import cheap.

Subpackages (`nn`, `optim`, ...) load when first reached as `ferrograd.nn`, by
`from ferrograd import nn` or by `import ferrograd.nn`; the top-level functions below
load with the module that defines them. Everything the Tensor class needs (its Python
methods) is imported eagerly by `ferrograd/__init__.py`.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._argument_types import guard_one

LAZY_SUBMODULES = frozenset(
    {"autograd", "distributions", "fft", "func", "linalg", "nn", "optim", "special", "testing", "utils", "viz",
     "backends", "compiler", "cpu", "jit", "random", "functional", "version", "amp", "masked",
     "serialization", "signal", "sparse", "types", "profiler", "overrides", "_C", "__future__",
     "quasirandom", "multiprocessing", "nested", "accelerator", "cuda", "mps", "futures", "library", "ops", "hub", "fx", "ao",
     "quantization", "_tensor_str"}
)

# top-level name -> the private module that defines it
LAZY_ATTRIBUTES: dict[str, str] = {
    "_assert": "_assertion",
    "autocast": "amp.autocast_mode",
    "clear_autocast_cache": "amp.autocast_mode",
    "get_autocast_cpu_dtype": "amp.autocast_mode",
    "get_autocast_dtype": "amp.autocast_mode",
    "is_autocast_cache_enabled": "amp.autocast_mode",
    "is_autocast_cpu_enabled": "amp.autocast_mode",
    "set_autocast_cache_enabled": "amp.autocast_mode",
    "is_autocast_enabled": "amp.autocast_mode",
    "set_autocast_cpu_dtype": "amp.autocast_mode",
    "set_autocast_cpu_enabled": "amp.autocast_mode",
    "set_autocast_dtype": "amp.autocast_mode",
    "set_autocast_enabled": "amp.autocast_mode",
    "compile": "compiler",
    "einsum": "_einsum",
    "fork": "jit",
    "Future": "futures",
    "wait": "jit",
    "GradScaler": "amp",
    "get_printoptions": "_printing",
    "load": "_serialization",
    "printoptions": "_printing",
    "to_dlpack": "utils.dlpack",
    "save": "_serialization",
    "_sobol_engine_draw": "_sobol_engine",
    "_sobol_engine_ff_": "_sobol_engine",
    "_sobol_engine_initialize_state_": "_sobol_engine",
    "_sobol_engine_scramble_": "_sobol_engine",
    "set_printoptions": "_printing",
    "sparse_coo_tensor": "_sparse_coo_create",
    "sparse_csr_tensor": "_sparse_csr_create",
    "sparse_csc_tensor": "_sparse_csr_create",
    "sparse_compressed_tensor": "_sparse_csr_create",
    "sparse_bsr_tensor": "_sparse_csr_create",
    "sparse_bsc_tensor": "_sparse_csr_create",
    "vmap": "func",
}

# the lazy functions PyTorch hands to `__torch_function__` (modes and subclasses see them
# as they see the eager ones)
_DISPATCHED = frozenset({"einsum", "sparse_coo_tensor", "sparse_csr_tensor", "sparse_csc_tensor",
                         "sparse_compressed_tensor", "sparse_bsr_tensor", "sparse_bsc_tensor"})


def load_lazy(namespace: dict[str, Any], name: str) -> Any:
    """`ferrograd.<name>` for a lazy name: imports it and caches it in `namespace`."""
    package = namespace["__name__"]
    if name in LAZY_SUBMODULES:
        value: Any = importlib.import_module(f"{package}.{name}")
    elif name in LAZY_ATTRIBUTES:
        value = getattr(importlib.import_module(f"{package}.{LAZY_ATTRIBUTES[name]}"), name)
        value = guard_one(name, value)
        if name in _DISPATCHED:
            from ._subclass_dispatch import gate_namespace

            gated = {"__name__": package, name: value}
            gate_namespace(gated)
            value = gated[name]
    else:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    namespace[name] = value
    return value
