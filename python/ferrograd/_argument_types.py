"""PyTorch's TypeError for a non-tensor where a function takes a tensor.

PyTorch's argument parser checks types before an op runs: `F.relu(2)` raises
`TypeError: relu(): argument 'input' (position 1) must be Tensor, not int`. Functions
composed in Python here would fail later instead (an AttributeError on the first method
call, or deeper). `guard` wraps the functions listed below so that a failing call whose
tensor argument is not a tensor raises PyTorch's TypeError; the check runs only after
the call failed, so a good call pays one frame.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ._argcheck import type_name
from ._core import Tensor

# qualified name -> (PyTorch's name in its message, the argument's name): position 1
TENSOR_FIRST: dict[str, tuple[str, str]] = {
    "fft.fft2": ("fft_fft2", "input"),
    "fft.fftn": ("fft_fftn", "input"),
    "fft.fftshift": ("fft_fftshift", "input"),
    "fft.hfft2": ("fft_hfft2", "input"),
    "fft.hfftn": ("fft_hfftn", "input"),
    "fft.ifft2": ("fft_ifft2", "input"),
    "fft.ifftn": ("fft_ifftn", "input"),
    "fft.ifftshift": ("fft_ifftshift", "input"),
    "fft.ihfft2": ("fft_ihfft2", "input"),
    "fft.ihfftn": ("fft_ihfftn", "input"),
    "fft.irfft2": ("fft_irfft2", "input"),
    "fft.irfftn": ("fft_irfftn", "input"),
    "fft.rfft2": ("fft_rfft2", "input"),
    "fft.rfftn": ("fft_rfftn", "input"),
    "linalg.cond": ("linalg_cond", "input"),
    "linalg.diagonal": ("linalg_diagonal", "A"),
    "linalg.ldl_factor": ("linalg_ldl_factor", "input"),
    "linalg.ldl_factor_ex": ("linalg_ldl_factor_ex", "input"),
    "linalg.lu": ("linalg_lu", "A"),
    "linalg.lu_factor": ("linalg_lu_factor", "A"),
    "linalg.lu_factor_ex": ("linalg_lu_factor_ex", "A"),
    "linalg.matrix_exp": ("linalg_matrix_exp", "input"),
    "linalg.matrix_norm": ("linalg_matrix_norm", "input"),
    "linalg.norm": ("linalg_norm", "input"),
    "linalg.tensorinv": ("linalg_tensorinv", "input"),
    "linalg.vander": ("linalg_vander", "x"),
    "linalg.vector_norm": ("linalg_vector_norm", "input"),
    "native_norm": ("native_norm", "input"),
    "nn.functional.alpha_dropout": ("alpha_dropout", "input"),
    "nn.functional.dropout": ("dropout", "input"),
    "nn.functional.feature_alpha_dropout": ("feature_alpha_dropout", "input"),
    "nn.functional.gelu": ("gelu", "input"),
    "nn.functional.hardshrink": ("hardshrink", "input"),
    "nn.functional.hardsigmoid": ("hardsigmoid", "input"),
    "nn.functional.hardswish": ("hardswish", "input"),
    "nn.functional.hardtanh": ("hardtanh", "input"),
    "nn.functional.leaky_relu": ("leaky_relu", "input"),
    "nn.functional.logsigmoid": ("log_sigmoid", "input"),
    "nn.functional.mish": ("mish", "input"),
    "nn.functional.one_hot": ("one_hot", "input"),
    "nn.functional.pdist": ("pdist", "input"),
    "nn.functional.relu": ("relu", "input"),
    "nn.functional.relu6": ("relu6", "input"),
    "nn.functional.relu_": ("relu_", "input"),
    "nn.functional.rrelu": ("rrelu", "input"),
    "nn.functional.silu": ("silu", "input"),
    "nn.functional.softplus": ("softplus", "input"),
    "nn.functional.softshrink": ("softshrink", "input"),
    "repeat_interleave": ("repeat_interleave", "repeats"),
    "to_dlpack": ("_to_dlpack", "data"),
}

# functions whose first argument is a sequence of tensors (PyTorch's `tuple of Tensors`)
TENSORS_FIRST: dict[str, tuple[str, str]] = {
    "column_stack": ("column_stack", "tensors"),
    "dstack": ("dstack", "tensors"),
    "hstack": ("hstack", "tensors"),
    "linalg.multi_dot": ("linalg_multi_dot", "tensors"),
    "row_stack": ("row_stack", "tensors"),
    "vstack": ("vstack", "tensors"),
}

# functions taking one tensor or a sequence of them (PyTorch's two overloads)
TENSOR_OR_TENSORS: frozenset[str] = frozenset({"atleast_1d", "atleast_2d", "atleast_3d"})

# functions that succeed here on some non-tensor inputs: checked before the call
CHECK_FIRST: frozenset[str] = frozenset({"nn.functional.alpha_dropout", "nn.functional.feature_alpha_dropout"})


def _first(args: tuple, kwargs: dict, param: str) -> tuple[bool, Any]:
    if args:
        return True, args[0]
    if param in kwargs:
        return True, kwargs[param]
    return False, None


def _element_error(values: Any) -> TypeError | None:
    for i, v in enumerate(values):
        if not isinstance(v, Tensor):
            return TypeError(f"expected Tensor as element {i} in argument 0, but got {type_name(v)}")
    return None


def tensor_error(torch_name: str, param: str, value: Any) -> TypeError | None:
    if isinstance(value, Tensor):
        return None
    return TypeError(f"{torch_name}(): argument '{param}' (position 1) must be Tensor, not {type_name(value)}")


def tensors_error(torch_name: str, param: str, value: Any) -> TypeError | None:
    if not isinstance(value, (list, tuple)):
        return TypeError(
            f"{torch_name}(): argument '{param}' (position 1) must be tuple of Tensors, not {type_name(value)}"
        )
    return _element_error(value)


def tensor_or_tensors_error(torch_name: str, args: tuple) -> TypeError | None:
    if len(args) != 1 or isinstance(args[0], Tensor):
        return _element_error(args) if len(args) > 1 else None
    value = args[0]
    if isinstance(value, (list, tuple)):
        return _element_error(value)
    return TypeError(
        f"{torch_name}() received an invalid combination of arguments - got ({type_name(value)}), "
        "but expected one of:\n * (Tensor input)\n * (tuple of Tensors tensors)\n"
    )


def _checker(qualified: str) -> Callable[[tuple, dict], TypeError | None] | None:
    if qualified in TENSOR_FIRST:
        torch_name, param = TENSOR_FIRST[qualified]

        def check(args: tuple, kwargs: dict) -> TypeError | None:
            given, value = _first(args, kwargs, param)
            return tensor_error(torch_name, param, value) if given else None

        return check
    if qualified in TENSORS_FIRST:
        torch_name, param = TENSORS_FIRST[qualified]

        def check(args: tuple, kwargs: dict) -> TypeError | None:
            given, value = _first(args, kwargs, param)
            return tensors_error(torch_name, param, value) if given else None

        return check
    if qualified in TENSOR_OR_TENSORS:
        return lambda args, kwargs: tensor_or_tensors_error(qualified, args)
    return None


def _guarded(fn: Callable, check: Callable[[tuple, dict], TypeError | None], first: bool) -> Callable:
    if first:

        @functools.wraps(fn)
        def checked_first(*args, **kwargs):
            error = check(args, kwargs)
            if error is not None:
                raise error
            return fn(*args, **kwargs)

        return checked_first

    @functools.wraps(fn)
    def checked_on_failure(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (TypeError, AttributeError, RuntimeError, ValueError, IndexError, NotImplementedError,
                RecursionError) as failure:
            error = check(args, kwargs)
            if error is None:
                raise
            raise error from failure

    return checked_on_failure


def guard(namespace: dict[str, Any], prefix: str) -> None:
    """Wraps the listed functions of a module's `namespace` (its qualified names start
    with `prefix`, e.g. "nn.functional.")."""
    for name, fn in list(namespace.items()):
        namespace[name] = guard_one(prefix + name, fn)


def guard_one(qualified: str, fn: Any) -> Any:
    """`fn`, wrapped if `qualified` is listed."""
    check = _checker(qualified)
    if check is None or not callable(fn) or getattr(fn, "_argument_types_guarded", False):
        return fn
    wrapped = _guarded(fn, check, qualified in CHECK_FIRST)
    wrapped._argument_types_guarded = True  # type: ignore[attr-defined]
    return wrapped
