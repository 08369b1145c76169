"""ferrograd: reverse-mode automatic differentiation with PyTorch's API and a Rust core.

>>> import ferrograd as torch
>>> x = torch.ones(2, 2, requires_grad=True)
>>> (x * 3).sum().backward()
"""

from __future__ import annotations

from . import (
    _core,
    _pickling,  # noqa: F401  (pickle and copy of tensors)
    _tensor,  # noqa: F401  (adds the Python-level Tensor methods)
    _ufuncs,  # noqa: F401  (NumPy ufuncs on tensors)
    autograd,
    linalg,
    nn,
    optim,
    testing,
    utils,
    viz,
)
from ._bitwise import *
from ._core import (
    Tensor,
    bfloat16,
    dtype,
    float16,
    float32,
    float64,
    initial_seed,
    int8,
    int16,
    int32,
    int64,
    is_anomaly_enabled,
    is_grad_enabled,
    is_inference_mode_enabled,
    promote_types,
    uint8,
)
from ._core import bool as bool
from ._core import graph_stats as _graph_stats  # noqa: F401
from ._creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from ._device import accelerator, cuda, device, get_default_device, set_default_device
from ._dtype_info import finfo, iinfo
from ._einsum import *
from ._functional import *
from ._gather import *
from ._grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled
from ._interop import from_dlpack
from ._linalg_aliases import *
from ._math import *
from ._printing import get_printoptions, printoptions, set_printoptions
from ._products import *
from ._random import Generator, default_generator, get_rng_state, manual_seed, seed, set_rng_state
from ._random_streams import *
from ._reduce import *
from ._scatter import *
from ._serialization import load, save
from ._shape import *
from ._size import Size
from ._threads import *

__version__: str = _core.__version__  # Cargo.toml's version: one place for it

float = float32
double = float64
long = int64
half = float16
int = int32
short = int16


def get_default_dtype() -> dtype:
    """The dtype of floating-point tensors created without an explicit dtype."""
    return _core.get_default_dtype()


def set_default_dtype(d: dtype) -> None:
    """Sets the default floating-point dtype (float32 or float64)."""
    _core.set_default_dtype_(d)


def result_type(tensor1, tensor2) -> dtype:
    """The dtype PyTorch's promotion rules give for an op on these two operands."""
    return _core._result_type(tensor1, tensor2)


def is_tensor(obj) -> bool:
    """Whether `obj` is a ferrograd Tensor."""
    return isinstance(obj, Tensor)


def is_floating_point(t: Tensor) -> bool:
    """Whether `t` has a floating-point dtype."""
    return t.dtype.is_floating_point


def numel(t: Tensor) -> int:
    """The number of elements of `t`."""
    return t.numel()


__all__ = [
    "Generator",
    "Size",
    "Tensor",
    "accelerator",
    "arange",
    "as_tensor",
    "autograd",
    "bernoulli",
    "bfloat16",
    "bitwise_and",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "bool",
    "cuda",
    "default_generator",
    "device",
    "double",
    "dtype",
    "empty",
    "empty_like",
    "enable_grad",
    "eye",
    "finfo",
    "float",
    "float16",
    "float32",
    "float64",
    "from_dlpack",
    "from_numpy",
    "full",
    "full_like",
    "get_default_device",
    "get_default_dtype",
    "get_num_interop_threads",
    "get_num_threads",
    "get_printoptions",
    "get_rng_state",
    "half",
    "iinfo",
    "inference_mode",
    "initial_seed",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_anomaly_enabled",
    "is_floating_point",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "is_tensor",
    "linalg",
    "linspace",
    "load",
    "long",
    "manual_seed",
    "multinomial",
    "nn",
    "no_grad",
    "normal",
    "numel",
    "ones",
    "ones_like",
    "optim",
    "printoptions",
    "promote_types",
    "rand",
    "rand_like",
    "randint",
    "randn",
    "randn_like",
    "randperm",
    "result_type",
    "save",
    "seed",
    "set_default_device",
    "set_default_dtype",
    "set_grad_enabled",
    "set_num_interop_threads",
    "set_num_threads",
    "set_printoptions",
    "set_rng_state",
    "short",
    "tensor",
    "testing",
    "uint8",
    "utils",
    "viz",
    "zeros",
    "zeros_like",
]
