"""Objects that are not tensors but define `__torch_function__` (PyTorch's "Extending
torch with a Tensor-like type"): a ferrograd function or operator given one hands the
call to it, `type(obj).__torch_function__(func, types, args, kwargs)`.

PyTorch looks for such arguments before every call. Here a call looks only once it has
failed (a tensor-like is no argument an op takes), so good calls pay nothing: the
wrappers ferrograd's functions already have (`_out.with_out`, `_argument_types`) and the
Tensor operators (`x + obj`) pass their failures to `after_failure`."""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable, Iterable
from typing import Any

from ._core import Tensor
from ._failure_frames import drops_own_frames

# Tensor's methods for `x <op> obj` and, where the order matters, `obj <op> x`
_REFLECTED = {"sub": "__rsub__", "pow": "__rpow__", "floor_divide": "__rfloordiv__", "remainder": "__rmod__",
              "matmul": "__rmatmul__", "div": "__rdiv__"}
_NAMESPACES = ("ferrograd", "ferrograd.nn.functional", "ferrograd.linalg", "ferrograd.special", "ferrograd.fft")

# The functions PyTorch writes in Python (torch.functional, torch.nn.functional): their
# `handle_torch_function` lists Tensor among the types when a plain tensor is an argument.
_WRITTEN_IN_PYTHON = {
    "ferrograd": frozenset(["atleast_1d", "atleast_2d", "atleast_3d", "block_diag", "broadcast_tensors", "cartesian_prod", "cdist", "chain_matmul", "einsum", "lobpcg", "lu", "meshgrid", "norm", "pca_lowrank", "split", "stft", "svd_lowrank", "tensordot", "unique", "unique_consecutive", "unravel_index"]),
    "ferrograd.nn.functional": frozenset(["adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d", "adaptive_max_pool2d_with_indices", "adaptive_max_pool3d", "adaptive_max_pool3d_with_indices", "affine_grid", "alpha_dropout", "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits", "celu", "cosine_embedding_loss", "cross_entropy", "ctc_loss", "dropout", "dropout1d", "dropout2d", "dropout3d", "elu", "embedding", "embedding_bag", "feature_alpha_dropout", "fold", "fractional_max_pool2d", "fractional_max_pool2d_with_indices", "fractional_max_pool3d", "fractional_max_pool3d_with_indices", "gaussian_nll_loss", "glu", "grid_sample", "group_norm", "gumbel_softmax", "hardsigmoid", "hardswish", "hardtanh", "hinge_embedding_loss", "huber_loss", "instance_norm", "interpolate", "kl_div", "l1_loss", "layer_norm", "leaky_relu", "local_response_norm", "log_softmax", "lp_pool1d", "lp_pool2d", "lp_pool3d", "margin_ranking_loss", "max_pool1d", "max_pool1d_with_indices", "max_pool2d", "max_pool2d_with_indices", "max_pool3d", "max_pool3d_with_indices", "max_unpool1d", "max_unpool2d", "max_unpool3d", "mish", "mse_loss", "multi_head_attention_forward", "multi_margin_loss", "multilabel_margin_loss", "multilabel_soft_margin_loss", "nll_loss", "normalize", "pad", "poisson_nll_loss", "relu", "relu6", "rms_norm", "rrelu", "selu", "sigmoid", "silu", "smooth_l1_loss", "soft_margin_loss", "softmax", "softmin", "softsign", "tanh", "tanhshrink", "threshold", "triplet_margin_loss", "triplet_margin_with_distance_loss", "unfold", "upsample", "upsample_bilinear", "upsample_nearest"]),
}


def binds_as_method(module: str, name: str) -> bool:
    """Whether PyTorch writes the function `module.name` in Python: held by a class, it
    binds as a method (PyTorch's builtins don't)."""
    return name in _WRITTEN_IN_PYTHON.get(module, ())


def _overrides(value: Any, with_tensors: bool = False, subclasses: bool = False) -> bool:
    from ._subclass_dispatch import _disabled_torch_function_impl

    if isinstance(value, Tensor) and not with_tensors and not (subclasses and type(value) is not Tensor):
        return False
    impl = getattr(type(value), "__torch_function__", None)
    return impl is not None and getattr(impl, "__func__", impl) is not _disabled_torch_function_impl


def overriding_types(args: tuple, kwargs: dict | None, with_tensors: bool = False,
                     subclasses: bool = False) -> list[type]:
    """The types of the tensor-like arguments (and items of list or tuple arguments, one
    level deep, as PyTorch looks), a subclass before its base, else in order.

    `with_tensors`: Tensor's own type counts too, as in the functions PyTorch writes in
    Python (`nn.functional.mse_loss`, `Tensor.__rsub__`), whose `handle_torch_function`
    lists every argument with a `__torch_function__`; its C++ functions leave Tensor out.
    `subclasses`: Tensor subclasses count (as for PyTorch's C++ methods), Tensor not."""
    found: list[type] = []
    values = (*args, *(kwargs or {}).values())
    for value in values:
        for item in value if isinstance(value, (list, tuple)) else (value,):
            kind = type(item)
            if kind in found or not _overrides(item, with_tensors, subclasses):
                continue
            base = next((i for i, t in enumerate(found) if issubclass(kind, t)), len(found))
            found.insert(base, kind)
    return found


def written_in_python(func: Callable) -> bool:
    """Whether PyTorch writes `func` (a namespace's public function) in Python."""
    name = getattr(func, "__name__", "")
    for where, names in _WRITTEN_IN_PYTHON.items():
        if name in names and getattr(sys.modules.get(where), name, None) is func:
            return True
    return False


def _as_python_passes(func: Callable, args: tuple, kwargs: dict | None) -> tuple[tuple, dict]:
    """The arguments as a function PyTorch writes in Python hands them over: the required
    ones by position, every one with a default (given or not) by keyword."""
    try:
        signature = inspect.signature(func)
        bound = signature.bind(*args, **(kwargs or {}))
    except (TypeError, ValueError):
        return args, kwargs or {}
    bound.apply_defaults()
    positional: list = []
    keywords: dict = {}
    for name, param in signature.parameters.items():
        value = bound.arguments[name]
        if param.kind is param.VAR_POSITIONAL:
            positional.extend(value)
        elif param.kind is param.VAR_KEYWORD:
            keywords.update(value)
        elif param.default is param.empty and param.kind is not param.KEYWORD_ONLY:
            positional.append(value)
        else:
            keywords[name] = value
    return tuple(positional), keywords


def _public(func: Callable) -> Callable:
    """The object a namespace holds for `func` (its outermost wrapper), so that
    `func is ferrograd.add` holds inside `__torch_function__`."""
    name = getattr(func, "__name__", None)
    for where in _NAMESPACES:
        candidate = getattr(sys.modules.get(where), name or "", None)
        inner = candidate
        while inner is not None:
            if inner is func:
                return candidate  # type: ignore[return-value]
            inner = getattr(inner, "__wrapped__", None)
    return func


def _first_answer(func: Callable, types: list[type], args: tuple, kwargs: dict | None) -> Any:
    """The first result other than NotImplemented of the types' `__torch_function__`."""
    from ._subclass_dispatch import torch_function_of

    for kind in types:
        result = torch_function_of(kind, args, kwargs)(func, tuple(types), args, kwargs)
        if result is not NotImplemented:
            return result
    return NotImplemented


def dispatch(func: Callable, types: list[type], args: tuple, kwargs: dict | None) -> Any:
    """`func`'s result from the first type that implements it; PyTorch's TypeError when
    every type declines."""
    result = _first_answer(func, types, args, kwargs or None)
    if result is not NotImplemented:
        return result
    raise _declined(_shown(func), types)


def _declined(shown: str, types: list[type], mode: Any = None) -> TypeError:
    listed = "".join(f"  - tensor subclass {kind!r}\n" for kind in types)
    if mode is not None:
        listed = f"  - mode object {mode!r}\n" + listed
    return TypeError(f"Multiple dispatch failed for '{shown}'; all __torch_function__ handlers returned "
                     f"NotImplemented:\n\n{listed}\nFor more information, try re-running with "
                     "TORCH_LOGS=not_implemented")


def _shown(func: Callable) -> str:
    """The name PyTorch's dispatch errors give a builtin (`torch.add`, `torch.linalg.linalg_norm`)."""
    from ._native_names import shown_name

    module = getattr(func, "__module__", None) or ""
    name = getattr(func, "__name__", repr(func))
    return shown_name(module, name) or (
        f"ferrograd.{name}" if module.startswith("ferrograd") else getattr(func, "__qualname__", name))


def refused(func: Callable, types: Iterable[type], mode: Any, args: tuple, kwargs: dict | None) -> TypeError:
    """PyTorch's TypeError when `mode` (None: no mode) and every overriding type answered
    NotImplemented for the public function `func`."""
    if not written_in_python(func):
        return _declined(_shown(func), list(types), mode)
    name = func.__name__
    where = "nn.functional" if name in _WRITTEN_IN_PYTHON["ferrograd.nn.functional"] else "functional"
    # PyTorch's Python functions list Tensor too, once a subclass has made them dispatch
    listed = overriding_types(args, kwargs, with_tensors=True) if types else []
    message = (f"no implementation found for 'ferrograd.{where}.{name}' on types that implement "
               f"__torch_function__: {listed}")
    return TypeError(message + (f" nor in mode {mode}" if mode is not None else ""))


# argument types that never override: the check of a call passes them at once
_PLAIN = frozenset({Tensor, int, float, bool, str, type(None)})


def _holds_tensor_like(values) -> bool:
    for value in values:
        kind = type(value)
        if kind in _PLAIN:
            continue
        if kind is list or kind is tuple:
            if any(type(item) not in _PLAIN and _overrides(item) for item in value):
                return True
        elif _overrides(value):
            return True
    return False


def dispatching_first(qualified: str) -> Callable[[Callable], Callable]:
    """A function PyTorch writes in Python (`torch.functional.einsum`): before anything
    else it hands a call with a tensor-like argument to that type, Tensor counted among
    the types when a tensor is an argument too."""

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            for value in (*args, *kwargs.values()) if kwargs else args:  # the common call, checked inline
                if type(value) not in _PLAIN:
                    break
            else:
                return fn(*args, **kwargs)
            if _holds_tensor_like(args) or kwargs and _holds_tensor_like(kwargs.values()):
                types = overriding_types(args, kwargs, with_tensors=True)
                public = _public(call)
                return dispatch_python(public, qualified, types, *_as_python_passes(public, args, kwargs))
            return fn(*args, **kwargs)

        call._dispatching_first = True  # type: ignore[attr-defined]
        return call

    return decorate


def dispatch_python(func: Callable, qualified: str, types: list[type], args: tuple, kwargs: dict | None) -> Any:
    """`dispatch` for a function PyTorch writes in Python (`nn.functional.softmax`),
    whose `handle_torch_function` words the refusal otherwise."""
    result = _first_answer(func, types, args, kwargs)
    if result is not NotImplemented:
        return result
    raise TypeError(f"no implementation found for 'ferrograd.{qualified}' on types that implement "
                    f"__torch_function__: {types}")


MISS = object()  # `operator_call`'s answer when the operator is to compute

# the functions whose data argument PyTorch's parser takes as any Python object: it reads
# a tensor-like there as data (and fails), handing nothing over
_DATA_READERS = frozenset({"tensor", "as_tensor", "asarray", "new_tensor", "_new_tensor"})

# the code of the wrappers that catch their inner call's failure for `after_failure`
WRAPPER_CODES: set = set()


def _inside_another_call() -> bool:
    """Whether the failed call was made by another wrapped function (`linalg.norm` calling
    `vector_norm`) that answers for the user's arguments, rather than by the user or a
    `__torch_function__` implementation."""
    frame = sys._getframe(4)  # the caller of the wrapper that failed (past `drops_own_frames`)
    while frame is not None:
        if frame.f_code is _first_answer.__code__:
            return False
        if frame.f_code in WRAPPER_CODES:
            return True
        frame = frame.f_back
    return False


@drops_own_frames
def after_failure(failure: BaseException, func: Callable, args: tuple, kwargs: dict | None) -> Any:
    """What `func(*args, **kwargs)`, which raised `failure`, gives when a tensor-like
    argument takes the call; `failure` again when there is none."""
    if not overriding_types(args, kwargs) or _inside_another_call():  # the frame walk only for tensor-likes
        raise failure
    result = dispatch_first(func, args, kwargs)
    if result is NotImplemented:
        raise failure
    return result


def dispatch_first(func: Callable, args: tuple, kwargs: dict | None) -> Any:
    """What a tensor-like argument answers for `func(*args, **kwargs)`; NotImplemented
    when there is none."""
    types = overriding_types(args, kwargs)
    if not types or getattr(func, "__name__", "") in _DATA_READERS:
        return NotImplemented
    public = _public(func)
    if not written_in_python(public):
        from ._subclass_dispatch import refuse_unparsed

        refuse_unparsed(public, args, kwargs)
        return dispatch(public, types, args, kwargs)
    types = overriding_types(args, kwargs, with_tensors=True)
    args, kwargs = _as_python_passes(public, args, kwargs)
    result = _first_answer(public, types, args, kwargs)
    if result is NotImplemented:
        raise refused(public, types, None, args, kwargs)
    return result


# the operators PyTorch writes in Python (`torch/_tensor.py`): Tensor is among the types
# when a plain tensor is an operand
_OPERATORS_IN_PYTHON = frozenset({"__rsub__", "__rtruediv__", "__rdiv__", "__pow__", "__ipow__", "__rpow__", "__floordiv__",
                                  "__rfloordiv__", "__rmod__", "__rmatmul__", "__rlshift__", "__rrshift__"})


# the method PyTorch hands over for a reflected operator of its own name
_REFLECTED_METHODS = {"__rtruediv__": "__rdiv__", "__rand__": "bitwise_and", "__ror__": "bitwise_or",
                      "__rxor__": "bitwise_xor"}


def operator_call(dunder: str, tensor: Tensor, other: Any) -> Any:
    """`tensor.<dunder>(other)` (`__add__`, `__rsub__`, `__lt__`, ...), in which the core
    found an operand whose type overrides `__torch_function__`: PyTorch hands the types
    the operator's method (`Tensor.add` for `+`, `Tensor.__rsub__` for a reflected `-`)
    with the operands as the operator has them. NotImplemented when every type declines
    (Python then tries the other operand); MISS while dispatch is off (inside an
    implementation) or when nothing overrides after all: the operator computes."""
    from ._subclass_dispatch import _OPERATOR_METHODS, _disabled

    if _disabled():
        return MISS
    types = overriding_types((tensor, other), None, with_tensors=dunder in _OPERATORS_IN_PYTHON, subclasses=True)
    if not types or types == [Tensor]:
        return MISS
    name = _REFLECTED_METHODS.get(dunder) or _OPERATOR_METHODS.get(dunder, dunder)
    if dunder == "__ne__" or dunder == "__eq__" and type(tensor) is Tensor:
        name = dunder[2:4]  # PyTorch's `==` is `Tensor.__eq__` only for a subclass's own
    kwargs = {} if dunder in _OPERATORS_IN_PYTHON else None  # the keywords PyTorch's Python operators pass on
    return _first_answer(getattr(Tensor, name), types, (tensor, other), kwargs)


def operator(name: str, tensor: Tensor, other: Any, reflected: bool) -> Any:
    """`tensor <op> other` (or `other <op> tensor`) for a tensor-like `other`, which
    PyTorch hands the Tensor method of the op: `Tensor.add` for `x + obj` and `obj + x`,
    `Tensor.__rsub__` for `obj - x`; NotImplemented when the type declines, so that
    Python raises its TypeError for the operands."""
    if name == "floor_divide" and not reflected:
        method = Tensor.__floordiv__  # PyTorch's `x // obj` hands over the operator itself
    else:
        method = getattr(Tensor, _REFLECTED.get(name, name) if reflected else name)
    in_python = reflected and name in _REFLECTED or name in ("pow", "floor_divide")  # PyTorch's _tensor.py methods
    types = overriding_types((tensor, other), None, with_tensors=in_python)
    return _first_answer(method, types, (tensor, other), None)


def method_call(name: str, args: tuple, kwargs: dict | None) -> Any:
    """`Tensor.<name>(*args, **kwargs)`, in which the core's method found an argument
    (the receiver aside) whose type overrides `__torch_function__`
    (`src/python/torch_function.rs`): PyTorch hands the call to those types, Tensor
    subclasses and tensor-likes alike, and raises its TypeError when every one declines.
    NotImplemented while dispatch is off (inside an implementation): the method computes."""
    from ._subclass_dispatch import _disabled

    if _disabled():
        return NotImplemented
    types = overriding_types(args, kwargs, subclasses=True)
    if not types:
        return NotImplemented
    result = _first_answer(getattr(Tensor, name), types, args, kwargs)
    if result is NotImplemented:
        raise _declined(f"ferrograd.Tensor.{name}", types)
    return result


def inplace(op: str, tensor: Tensor, other: Any) -> Any:
    """`tensor <op>= other` (`op`: add, sub, mul, div, pow) for an `other` that is no
    operand: a tensor-like is handed `Tensor.<op>_` (with Tensor among the types for
    `pow_`, which PyTorch writes in Python) and its answer is the result; NotImplemented
    otherwise, so that Python tries `tensor <op> other`."""
    from ._subclass_dispatch import _disabled

    if not _overrides(other, subclasses=True) or isinstance(other, Tensor) and _disabled():
        return NotImplemented
    if op == "pow":  # PyTorch writes `**=` in Python and hands the operator itself, keywords and all
        return _first_answer(Tensor.__ipow__, overriding_types((tensor, other), None, with_tensors=True),
                             (tensor, other), {})
    types = overriding_types((tensor, other), None, subclasses=True)
    return _first_answer(getattr(Tensor, f"{op}_"), types, (tensor, other), None)


@drops_own_frames
def after_index_failure(failure: BaseException, name: str, args: tuple) -> Any:
    """`x[idx]` or `x[idx] = v` (`name`: `__getitem__`, `__setitem__`), which raised
    `failure`: a tensor-like in the index (or one level inside it) or the value is handed
    `Tensor.<name>` as PyTorch does; `failure` again when there is none."""
    types = overriding_types(args[1:], None)
    if not types:
        raise failure
    return dispatch(getattr(Tensor, name), types, args, None)
