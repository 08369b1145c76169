"""ferrograd: reverse-mode automatic differentiation with PyTorch's API and a Rust core.

>>> import ferrograd as torch
>>> x = torch.ones(2, 2, requires_grad=True)
>>> (x * 3).sum().backward()
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _hot_methods  # noqa: F401  (first: the core's hot methods, guarded before anything wraps them)

# isort: split
from . import (
    _addc_broadcast,
    _argument_types,
    _array_wrap,  # noqa: F401  (NumPy ufuncs on tensors)
    _core,
    _deprecated_overloads,
    _dim_overloads,  # noqa: F401  (Tensor.sum/mean with PyTorch's dim overloads)
    _dim_required,
    _expanded_inplace,
    _factory_kwargs,
    _function_fast_path,
    _numpy_kwargs,
    _pickling,  # noqa: F401  (pickle and copy of tensors)
    _random_more,  # noqa: F401  (cauchy_, log_normal_, geometric_)
    _tensor,  # noqa: F401  (adds the Python-level Tensor methods)
    _tensor_dim_check,
    _tensor_extras,  # noqa: F401  (Tensor.cov, .is_xla, .as_subclass, ...)
    _tensor_first,
)
from ._accelerator_names import *
from ._bitwise import *
from ._chunk_cat import _chunk_cat  # noqa: F401
from ._complex import *
from ._control_flow import *
from ._core import (
    Tensor,
    bfloat16,
    complex32,
    complex64,
    complex128,
    dtype,
    float8_e4m3fn,
    float8_e4m3fnuz,
    float8_e5m2,
    float8_e5m2fnuz,
    float8_e8m0fnu,
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
    uint8,
    uint16,
    uint32,
    uint64,
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
from ._device import device, get_default_device, set_default_device
from ._device_module import *
from ._dirichlet_grad import _dirichlet_grad  # noqa: F401
from ._dtype_info import finfo, iinfo
from ._foreach import *
from ._from_file import from_file
from ._functional import *
from ._functional_rnn import *
from ._gather import *
from ._grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled
from ._gradient import *
from ._histogramdd import *
from ._interop import from_dlpack
from ._istft import *
from ._lazy import LAZY_ATTRIBUTES as _LAZY_ATTRIBUTES
from ._lazy import LAZY_SUBMODULES as _LAZY_SUBMODULES
from ._lazy import load_lazy as _load_lazy
from ._legacy_storages import *
from ._legacy_types import *
from ._linalg_aliases import *
from ._linalg_more import *
from ._lobpcg import *
from ._lowrank import *
from ._masked_fill import *
from ._masked_index import _unsafe_masked_index, _unsafe_masked_index_put_accumulate  # noqa: F401
from ._math import *
from ._mathops import *
from ._memory_format import *
from ._method_docs import fill as _fill_method_docs
from ._native_ops import *
from ._native_ops import _native_batch_norm_legit  # noqa: F401
from ._nonzero_static import *
from ._out import install_top_level as _install_out
from ._products import *
from ._quantize import *
from ._quantized_create import *
from ._quantized_create import (  # noqa: F401
    _empty_affine_quantized,
    _empty_per_channel_affine_quantized,
    _make_per_channel_quantized_tensor,
    _make_per_tensor_quantized_tensor,
)
from ._quantized_dtypes import *
from ._quantized_observe import *
from ._quantized_observe import (  # noqa: F401
    _choose_qparams_per_tensor,
    _fake_quantize_per_tensor_affine_cachemask_tensor_qparams,
)
from ._random import Generator, default_generator, get_rng_state, manual_seed, seed, set_rng_state
from ._random_special import *
from ._random_special import _sample_dirichlet, _standard_gamma, _standard_gamma_grad  # noqa: F401
from ._random_streams import *
from ._rare_names import *
from ._readonly_attributes import install as _install_read_only_attributes
from ._reduce import *
from ._removed import *
from ._scatter import *
from ._segment_reduction import *
from ._shape import *
from ._size import Size
from ._slice_inverse import *
from ._sparse_copies import *
from ._sparse_strided import install as _install_sparse_strided
from ._stft import *
from ._streams import Event, Stream
from ._subclass_dispatch import gate_namespace as _gate_namespace
from ._subclass_dispatch import install as _install_subclass_dispatch
from ._sym import *
from ._tensor_api import *
from ._tensor_api import _neg_view  # noqa: F401
from ._tensor_other_backends import *
from ._tensor_other_backends import install as _install_other_backends
from ._tensor_private import install as _install_tensor_private
from ._threads import *
from ._toplevel_misc import *
from ._toplevel_nn import *
from ._unique_consecutive import *
from ._windows import *
from .storage import TypedStorage, UntypedStorage

_install_other_backends()  # Tensor.xpu, .int_repr, .dequantize, ...
_install_tensor_private()  # Tensor._backward_hooks, ._grad, ._cdata, ...: after _tensor_api
_install_sparse_strided()  # to_sparse, sparse_dim, ...: after _tensor_api
_install_read_only_attributes()  # x.device = ... is PyTorch's AttributeError
_install_subclass_dispatch()  # after every Tensor method is in place

if TYPE_CHECKING:  # at run time these load on first use (`__getattr__` below)
    from . import (
        accelerator,
        autograd,
        cuda,
        distributions,
        fft,
        func,
        hub,
        linalg,
        masked,
        nested,
        nn,
        optim,
        serialization,
        signal,
        sparse,
        special,
        testing,
        utils,
        viz,
    )
    from . import backends as backends
    from . import compiler as compiler
    from . import cpu as cpu
    from . import jit as jit
    from . import mps as mps
    from . import multiprocessing as multiprocessing
    from . import profiler as profiler
    from . import quasirandom as quasirandom
    from . import random as random
    from . import types as types
    from ._einsum import einsum as einsum
    from ._printing import get_printoptions, printoptions, set_printoptions
    from ._serialization import load, save
    from ._sobol_engine import _sobol_engine_draw as _sobol_engine_draw
    from ._sobol_engine import _sobol_engine_ff_ as _sobol_engine_ff_
    from ._sobol_engine import _sobol_engine_initialize_state_ as _sobol_engine_initialize_state_
    from ._sobol_engine import _sobol_engine_scramble_ as _sobol_engine_scramble_
    from ._sparse_coo_create import sparse_coo_tensor as sparse_coo_tensor
    from ._sparse_csr_create import sparse_bsc_tensor as sparse_bsc_tensor
    from ._sparse_csr_create import sparse_bsr_tensor as sparse_bsr_tensor
    from ._sparse_csr_create import sparse_compressed_tensor as sparse_compressed_tensor
    from ._sparse_csr_create import sparse_csc_tensor as sparse_csc_tensor
    from ._sparse_csr_create import sparse_csr_tensor as sparse_csr_tensor
    from .compiler import compile as compile
    from .func import vmap as vmap
    from .utils.dlpack import to_dlpack as to_dlpack

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


def set_default_dtype(d: dtype, /) -> None:
    """Sets the dtype of floating-point tensors created without an explicit dtype (and
    of Python floats in `tensor(...)`).

    Args:
        d: a floating dtype: float32, float64, float16 or bfloat16.
    """
    if not isinstance(d, dtype):
        raise TypeError("invalid dtype object: only floating-point types are supported as the default type")
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _core.set_default_dtype_(d)


def promote_types(type1: dtype, type2: dtype) -> dtype:
    """The smallest dtype that both `type1` and `type2` cast to safely, by PyTorch's
    promotion rules.

    Args:
        type1: a dtype.
        type2: a dtype.
    """
    return _core.promote_types(type1, type2)


_NO_ARG = object()


def result_type(
    tensor=_NO_ARG, other=_NO_ARG, *, scalar=_NO_ARG, scalar1=_NO_ARG, scalar2=_NO_ARG
) -> dtype:
    """The dtype PyTorch's type promotion gives for an arithmetic operation on the two
    operands: the higher category (bool < integer < floating) wins, and within one
    category tensors with dimensions decide before 0-d tensors, which decide before
    numbers.

    Args:
        tensor: a tensor or number.
        other: a tensor or number.
        scalar: a number, given by keyword with `tensor` (PyTorch's `(scalar, tensor)` form).
        scalar1: a number, given by keyword with `scalar2`.
        scalar2: a number, given by keyword with `scalar1`.
    """
    given = {
        k: v
        for k, v in (("tensor", tensor), ("other", other), ("scalar", scalar),
                     ("scalar1", scalar1), ("scalar2", scalar2))
        if v is not _NO_ARG
    }
    for pair in (("tensor", "other"), ("scalar", "tensor"), ("scalar1", "scalar2")):
        if set(given) == set(pair):
            return _core._result_type(given[pair[0]], given[pair[1]])
    got = ", ".join(f"{k}={type(v).__name__}" for k, v in given.items())
    raise TypeError(
        f"result_type() received an invalid combination of arguments - got ({got}), but "
        "expected one of:\n * (Tensor tensor, Tensor other)\n * (Number scalar, Tensor tensor)\n"
        " * (Tensor tensor, Number other)\n * (Number scalar1, Number scalar2)\n"
    )


def is_tensor(obj, /) -> bool:
    """Whether `obj` is a ferrograd Tensor (a Parameter included).

    Args:
        obj: any object.
    """
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:
    """Whether `input` has a floating-point dtype.

    Args:
        input: a tensor.
    """
    return input.dtype.is_floating_point


def numel(input: Tensor) -> int:
    """The number of elements of `input`, as an int.

    Args:
        input: a tensor.
    """
    return input.numel()


__all__ = [
    "AcceleratorError",
    "BFloat16Storage",
    "BFloat16Tensor",
    "BoolStorage",
    "BoolTensor",
    "ByteStorage",
    "ByteTensor",
    "CharStorage",
    "CharTensor",
    "ComplexDoubleStorage",
    "ComplexFloatStorage",
    "DisableTorchFunction",
    "DisableTorchFunctionSubclass",
    "DoubleStorage",
    "DoubleTensor",
    "Event",
    "FloatStorage",
    "FloatTensor",
    "Generator",
    "HalfStorage",
    "HalfTensor",
    "IntStorage",
    "IntTensor",
    "LongStorage",
    "LongTensor",
    "ShortStorage",
    "ShortTensor",
    "Size",
    "Stream",
    "Tensor",
    "TypedStorage",
    "UntypedStorage",
    "abs_",
    "absolute",
    "accelerator",
    "acos_",
    "acosh_",
    "adaptive_avg_pool1d",
    "adaptive_max_pool1d",
    "addmv_",
    "adjoint",
    "affine_grid_generator",
    "alias_copy",
    "alpha_dropout",
    "alpha_dropout_",
    "angle",
    "arange",
    "arccos_",
    "arccosh_",
    "arcsin_",
    "arcsinh_",
    "arctan_",
    "arctanh_",
    "are_deterministic_algorithms_enabled",
    "argwhere",
    "as_strided",
    "as_strided_",
    "as_strided_copy",
    "as_strided_scatter",
    "as_tensor",
    "asarray",
    "asin_",
    "asinh_",
    "atan_",
    "atanh_",
    "autograd",
    "avg_pool1d",
    "bartlett_window",
    "batch_norm",
    "bernoulli",
    "bfloat16",
    "bilinear",
    "binary_cross_entropy_with_logits",
    "binomial",
    "bitwise_and",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "blackman_window",
    "bool",
    "broadcast_shapes",
    "can_cast",
    "ccol_indices_copy",
    "cdouble",
    "ceil_",
    "celu",
    "celu_",
    "cfloat",
    "chalf",
    "channel_shuffle",
    "clamp_",
    "clamp_max_",
    "clamp_min_",
    "clip_",
    "col_indices_copy",
    "complex",
    "complex32",
    "complex64",
    "complex128",
    "conj",
    "conj_physical",
    "conj_physical_",
    "constant_pad_nd",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_tbc",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "convolution",
    "cos_",
    "cosh_",
    "cosine_embedding_loss",
    "cosine_similarity",
    "crow_indices_copy",
    "ctc_loss",
    "cuda",
    "default_generator",
    "deg2rad_",
    "detach",
    "detach_",
    "detach_copy",
    "device",
    "diagonal_copy",
    "diagonal_scatter",
    "distributions",
    "double",
    "dropout",
    "dropout_",
    "dtype",
    "e",
    "embedding",
    "embedding_bag",
    "empty",
    "empty_like",
    "empty_permuted",
    "empty_quantized",
    "empty_strided",
    "enable_grad",
    "erf_",
    "erfc_",
    "exp2_",
    "exp_",
    "expand_copy",
    "expm1_",
    "eye",
    "fake_quantize_per_channel_affine",
    "fake_quantize_per_tensor_affine",
    "feature_alpha_dropout",
    "feature_alpha_dropout_",
    "feature_dropout",
    "feature_dropout_",
    "fft",
    "fill",
    "fill_",
    "finfo",
    "fix_",
    "float",
    "float8_e4m3fn",
    "float8_e4m3fnuz",
    "float8_e5m2",
    "float8_e5m2fnuz",
    "float8_e8m0fnu",
    "float16",
    "float32",
    "float64",
    "floor_",
    "frac_",
    "from_dlpack",
    "from_file",
    "from_numpy",
    "frombuffer",
    "full",
    "full_like",
    "func",
    "fused_moving_avg_obs_fake_quant",
    "gcd_",
    "ger",
    "get_default_device",
    "get_default_dtype",
    "get_deterministic_debug_mode",
    "get_float32_matmul_precision",
    "get_num_interop_threads",
    "get_num_threads",
    "get_printoptions",
    "get_rng_state",
    "greater",
    "greater_equal",
    "grid_sampler",
    "grid_sampler_2d",
    "grid_sampler_3d",
    "group_norm",
    "half",
    "hamming_window",
    "hann_window",
    "hardshrink",
    "hinge_embedding_loss",
    "hub",
    "i0_",
    "iinfo",
    "imag",
    "index_put",
    "index_put_",
    "indices_copy",
    "inf",
    "inference_mode",
    "initial_seed",
    "instance_norm",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled",
    "is_complex",
    "is_conj",
    "is_deterministic_algorithms_warn_only_enabled",
    "is_floating_point",
    "is_grad_enabled",
    "is_inference",
    "is_inference_mode_enabled",
    "is_neg",
    "is_nonzero",
    "is_same_size",
    "is_signed",
    "is_storage",
    "is_tensor",
    "is_warn_always_enabled",
    "kaiser_window",
    "kl_div",
    "layer_norm",
    "lcm_",
    "ldexp_",
    "less",
    "less_equal",
    "linalg",
    "linspace",
    "load",
    "log1p_",
    "log2_",
    "log10_",
    "log_",
    "logit_",
    "long",
    "manual_seed",
    "margin_ranking_loss",
    "masked",
    "max_pool1d",
    "max_pool1d_with_indices",
    "max_pool2d",
    "max_pool3d",
    "multinomial",
    "nan",
    "nan_to_num_",
    "native_channel_shuffle",
    "neg_",
    "negative_",
    "nested",
    "newaxis",
    "nn",
    "no_grad",
    "normal",
    "not_equal",
    "numel",
    "ones",
    "ones_like",
    "optim",
    "pairwise_distance",
    "pdist",
    "permute_copy",
    "pi",
    "pixel_shuffle",
    "pixel_unshuffle",
    "poisson",
    "poisson_nll_loss",
    "polar",
    "prelu",
    "printoptions",
    "profiler",
    "promote_types",
    "qint8",
    "qint32",
    "qscheme",
    "quantize_per_channel",
    "quantize_per_tensor",
    "quantize_per_tensor_dynamic",
    "quantized_max_pool1d",
    "quantized_max_pool2d",
    "quantized_max_pool3d",
    "quint2x4",
    "quint4x2",
    "quint8",
    "rad2deg_",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "randperm",
    "range",
    "ravel",
    "real",
    "reciprocal_",
    "relu_",
    "resize_as_",
    "resolve_conj",
    "resolve_neg",
    "result_type",
    "rms_norm",
    "round_",
    "row_indices_copy",
    "row_stack",
    "rrelu",
    "rrelu_",
    "rsqrt_",
    "rsub",
    "save",
    "scalar_tensor",
    "seed",
    "select_copy",
    "select_scatter",
    "selu",
    "selu_",
    "serialization",
    "set_anomaly_enabled",
    "set_default_device",
    "set_default_dtype",
    "set_default_tensor_type",
    "set_deterministic_debug_mode",
    "set_float32_matmul_precision",
    "set_flush_denormal",
    "set_grad_enabled",
    "set_num_interop_threads",
    "set_num_threads",
    "set_printoptions",
    "set_rng_state",
    "set_warn_always",
    "short",
    "sigmoid_",
    "signal",
    "sin_",
    "sinc_",
    "sinh_",
    "slice_copy",
    "slice_scatter",
    "sparse",
    "sparse_bsc_tensor",
    "sparse_bsr_tensor",
    "sparse_compressed_tensor",
    "sparse_coo_tensor",
    "sparse_csc_tensor",
    "sparse_csr_tensor",
    "special",
    "split_copy",
    "split_with_sizes",
    "split_with_sizes_copy",
    "sqrt_",
    "square_",
    "squeeze_copy",
    "stft",
    "t_copy",
    "tan_",
    "tanh_",
    "tensor",
    "testing",
    "threshold",
    "threshold_",
    "transpose_copy",
    "triplet_margin_loss",
    "trunc_",
    "typename",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "unbind_copy",
    "unfold_copy",
    "unsafe_chunk",
    "unsafe_split",
    "unsafe_split_with_sizes",
    "unsqueeze_copy",
    "use_deterministic_algorithms",
    "utils",
    "values_copy",
    "view_as_complex",
    "view_as_complex_copy",
    "view_as_real",
    "view_as_real_copy",
    "view_copy",
    "viz",
    "xlogy_",
    "zero_",
    "zeros",
    "zeros_like",
]

_fill_method_docs(Tensor, globals())  # after every module above has added its methods
_install_out(globals())  # PyTorch's out= on the functions that take it
_numpy_kwargs.install(globals())  # axis= / keepdims= where PyTorch takes NumPy's names
_tensor_dim_check.install(globals())
_tensor_first.install(globals())  # a non-tensor first argument gets PyTorch's TypeError
_argument_types.guard(globals(), "")  # ...and, checked when a call fails, for a few more
_argument_types.guard_methods(Tensor)  # the Tensor methods PyTorch binds in C, likewise
_dim_required.install(globals())  # x.max(dim=None) is PyTorch's TypeError
_factory_kwargs.install(globals())  # layout= / pin_memory= on the factories
_deprecated_overloads.install(globals())  # x.add(2, y): PyTorch's deprecated orders, with a warning
_addc_broadcast.install(globals())  # addcmul / addcdiv name unbroadcastable sizes in PyTorch's order
_expanded_inplace.install()  # tril_/triu_/masked_fill_ on expanded tensors as PyTorch's
_function_fast_path.install(globals(), _function_fast_path.TOP_LEVEL)  # ferrograd.cos(x) runs x.cos()
_gate_namespace(globals())  # last: `__torch_function__` and modes see the outermost functions
_segment_reduce = segment_reduce  # PyTorch's alias is the same function object, checks and all


if not TYPE_CHECKING:  # mypy reads the imports above; at run time the names load here

    def __getattr__(name: str):
        """Loads a lazy submodule (`nn`, `optim`, ...) or top-level function on first use."""
        return _load_lazy(globals(), name)

    def __dir__() -> list[str]:
        return sorted(set(globals()) | _LAZY_SUBMODULES | set(_LAZY_ATTRIBUTES))
