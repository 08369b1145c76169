"""PyTorch's `out=` argument: the result written into a tensor the caller owns.

`ferrograd.add(a, b, out=c)` computes `a + b`, writes it into `c` and returns `c`,
as PyTorch does: an `out` with no elements is resized to the result's shape; one of
another shape is resized with PyTorch's deprecation warning; a result whose dtype
cannot be cast to `out`'s raises (RuntimeError, TypeError for the `cat` family); some
functions demand `out` of exactly the result's dtype, as PyTorch's kernels do; and
with gradients enabled, an argument (or `out`) that requires grad is refused, because
a write into `out` cannot be differentiated.

`install` wraps a namespace's functions with this behaviour; `write_out` is the one
writer they share.
"""

from __future__ import annotations

import functools
import inspect
import math
import re
from collections.abc import Callable
from typing import Any

from . import _core
from . import _hot_refusals as hot_refusals
from . import _out_grad as out_grad
from . import _out_overlap as out_overlap
from . import _out_pair_checks as pair_checks
from . import _out_routes as out_routes
from . import _tensor_likes as tensor_likes
from ._core import Tensor, is_grad_enabled
from ._core import bool as _bool
from ._core import int64 as _int64
from ._dtype_names import cpp_name, scalar_name
from ._fft_out import check_out_dtype as check_fft_out_dtype
from ._logsumexp_out import complex_into_real as logsumexp_complex_into_real
from ._mean_out import mean_out_args
from ._mvlgamma_checks import mvlgamma_out
from ._out_dtype_checks import (
    BOOL_RESULTS,
    KEEPS_INPUT_DTYPE,
    check_same_dtype_first,
    diff_out,
    float_power_out,
    floating_kernel_out,
    heaviside_out,
    index_func_out,
    ldexp_out,
    reduction_dtype_out,
    refuse_uncastable_out,
)
from ._out_kernel_names import kernel_name, resizes_first
from ._python_dtypes import python_type_dtype
from ._return_types import out_variant
from ._tensor_api import can_cast
from ._user_warning import triggered_internally, warn_at_caller

_DOCUMENTS_OUT = re.compile(r"^\s*out:", re.MULTILINE)
OUT_DOC = ("out: an optional tensor the result is written into and returned (resized when it "
           "has no elements; the result's dtype must cast to its dtype).")

# Functions whose out= form PyTorch runs even when an argument requires grad: those
# whose results are not differentiable, and those its autograd does not wrap.
_OUT_WITHOUT_GRAD_CHECK = frozenset({
    "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal", "not_equal",
    "logical_and", "logical_or", "logical_xor", "logical_not", "floor_divide", "bitwise_and", "bitwise_or",
    "bitwise_xor", "bitwise_not", "bitwise_left_shift", "bitwise_right_shift", "gcd", "lcm", "isin", "signbit",
    "isposinf", "isneginf", "bucketize", "searchsorted", "argmax", "argmin", "nonzero", "nonzero_static",
    "multinomial", "histc",
    "conj_physical", "alias_copy", "detach_copy", "diagonal_copy", "select_copy", "slice_copy",
    "slice_scatter", "squeeze_copy", "t_copy", "transpose_copy", "unfold_copy", "unsqueeze_copy",
    "nuclear_norm", "inner", "heaviside", "chain_matmul", "diag", "log_softmax", "softmax", "tensordot",
    "all", "any", "expand_copy", "linspace", "logspace", "as_strided_copy", "view_copy", "permute_copy",
    "eigvals", "view_as_real_copy", "view_as_complex_copy",
})

# Functions PyTorch composes of other ops, whose out= form copies the differentiable
# result into `out`: an argument may require grad, and `out` then records CopyBackwards
# (also `norm(p="nuc")`, see `_copies_result`).
_OUT_COPIES_RESULT = frozenset({
    "quantile", "nanquantile", "linalg.norm", "linalg.matrix_norm", "nuclear_norm", "cond", "tensorinv", "ndtr",
})

# Samplers that, like PyTorch's factories, resize a non-empty `out` without a warning.
_SILENT_RESIZE = frozenset({"bernoulli", "normal", "multinomial"})

# How the dtype of `out` is checked against the result's.
CAST = "cast"            # the result's dtype must cast to out's (RuntimeError)
CAST_TYPE_ERROR = "cat"  # the same, raised as TypeError (torch.cat and the stacks)
EXACT = "exact"          # out must have the result's dtype (RuntimeError)
SAME = "same"            # the same, for elementwise ops that keep their input's dtype
CREATION = "creation"    # factories: out's dtype is the default dtype
DTYPE_ARG = "dtype_arg"  # reductions with a dtype argument: out's dtype is its default
CHECKED_BEFORE = "checked_before"  # out's dtype was checked before computing (`_PRECHECKS`)
WHERE = "where"          # out must have the result's dtype (`where`'s own RuntimeError)
SAFELY_CASTABLE = "safely castable:"  # + the op's name: linalg's own words for CAST
SAFELY_CASTABLE_EXACT = "safely castable, then exact:"  # + the op's name: that check, then EXACT's
WORDED = "worded:"  # + a message: out must have the result's dtype, refused in the op's own words


def safely_castable(op: str, *labels: str) -> str:
    """The rule of a linalg op that checks `out` itself (`linalg.pinv`); `labels` name
    its outputs in the message (`eigenvalues`, ...), else each is the `result`."""
    return SAFELY_CASTABLE + op + ("|" + ",".join(labels) if labels else "")


def worded(message: str) -> str:
    """The rule of an op that demands `out` of the result's dtype in its own words:
    `message` is formatted with `result`/`out` (PyTorch's scalar names) and
    `cpp_result`/`cpp_out` (its C++ names)."""
    return WORDED + message


def _check_dtype(result: Tensor, out: Tensor, rule: str, index: int = 0) -> None:
    if result.dtype == out.dtype or rule == CHECKED_BEFORE:
        return
    if rule.startswith(WORDED):
        raise RuntimeError(rule[len(WORDED):].format(
            result=scalar_name(result.dtype), out=scalar_name(out.dtype), cpp_result=cpp_name(result.dtype),
            cpp_out=cpp_name(out.dtype)))
    if rule.startswith(SAFELY_CASTABLE_EXACT):  # the op's own check first, then its kernel's
        op = rule[len(SAFELY_CASTABLE_EXACT):]
        rule = EXACT if can_cast(result.dtype, out.dtype) else safely_castable(op)
    if rule == SAME:
        raise RuntimeError(f"Found dtype {scalar_name(out.dtype)} but expected {scalar_name(result.dtype)}")
    if rule == WHERE:
        raise RuntimeError(f"Expected out type to be {scalar_name(result.dtype)} but got {scalar_name(out.dtype)}")
    if rule == EXACT:
        raise RuntimeError(f"Expected out tensor to have dtype {cpp_name(result.dtype)}, "
                           f"but got {cpp_name(out.dtype)} instead")
    if can_cast(result.dtype, out.dtype):
        return
    if rule.startswith(SAFELY_CASTABLE):
        op, _, labels = rule[len(SAFELY_CASTABLE):].partition("|")
        label = labels.split(",")[index] if labels else "result"
        raise RuntimeError(f"{op}: Expected {label} to be safely castable from {scalar_name(result.dtype)} dtype, "
                           f"but got {label} with dtype {scalar_name(out.dtype)}")
    if rule == CAST_TYPE_ERROR:
        raise TypeError(f"torch.cat(): input types can't be cast to the desired output type {scalar_name(out.dtype)}")
    raise RuntimeError(f"result type {scalar_name(result.dtype)} can't be cast to the desired output type "
                       f"{scalar_name(out.dtype)}")


def _permuted_dense(t: Tensor) -> bool:
    """Whether `t` is a permutation of a contiguous layout, other than contiguous itself
    (its elements fill its storage span exactly, without overlap)."""
    if t.is_contiguous() or t.numel() < 2:
        return False
    dims = sorted((st, n) for n, st in zip(t.shape, t.stride(), strict=True) if n != 1)
    expected = 1
    for stride, size in dims:
        if stride != expected:
            return False
        expected *= size
    return True


def _write_one(result: Tensor, out: Any, rule: str, warn: bool, with_grad: bool = False) -> Tensor:
    if not isinstance(out, Tensor):
        raise TypeError(f"argument 'out' must be Tensor, not {type(out).__name__}")
    if not isinstance(result, Tensor):
        from ._creation import tensor

        result = tensor(result, dtype=out.dtype)
    _check_dtype(result, out, rule)
    from ._grad_mode import no_grad

    with no_grad():
        if tuple(out.shape) != tuple(result.shape):
            if warn and out.numel() != 0:
                warn_at_caller(triggered_internally(
                    f"An output with one or more elements was resized since it had shape {list(out.shape)}, "
                    f"which does not match the required output shape {list(result.shape)}. This behavior is "
                    "deprecated, and in a future PyTorch release outputs will not be resized unless they have "
                    "zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, to zero "
                    "elements with t.resize_(0).", "native/Resize.cpp:30"))
            out.resize_(tuple(result.shape))
            if _permuted_dense(result):
                # PyTorch's elementwise kernels give a resized `out` the layout they
                # computed, which their result has too (the others' results are contiguous)
                out.as_strided_(tuple(result.shape), result.stride())
        if not with_grad:
            out.copy_(result)
    if with_grad:
        out.copy_(result)
    return out


def write_out(result: Any, out: Any, rule: str = CAST, warn_resize: bool = True, with_grad: bool = False) -> Any:
    """Writes `result` (a tensor, or a tuple of tensors for functions returning several)
    into `out` (a tensor, or a tuple of as many) and returns `out`, with PyTorch's
    resizing, dtype checks and warning (which PyTorch's factories and samplers do not
    give: `warn_resize=False`). `with_grad` records the copy in the graph."""
    if isinstance(result, tuple):
        if not isinstance(out, (tuple, list)):
            raise TypeError(f"argument 'out' must be tuple of {len(result)} Tensors, not {type(out).__name__}")
        if len(out) != len(result):
            raise TypeError(f"expected tuple of {len(result)} elements but got {len(out)}")
        for i, (r, o) in enumerate(zip(result, out)):  # every `out` checked before the first is written, as PyTorch
            if isinstance(r, Tensor) and isinstance(o, Tensor):
                _check_dtype(r, o, rule, i)
        written = [_write_one(r, o, rule, warn_resize) for r, o in zip(result, out)]
        kind = type(result)
        if kind is tuple:
            return tuple(written)
        kind = out_variant(kind)
        make = getattr(kind, "_make", None)  # a namedtuple, else a tuple class built from one iterable
        return make(written) if make is not None else kind(written)
    if isinstance(out, (tuple, list)) and len(out) == 1:
        out = out[0]
    return _write_one(result, out, rule, warn_resize, with_grad)


def _tensors(values) -> Any:
    for value in values:
        if isinstance(value, Tensor):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from _tensors(value)


# The op PyTorch's refusal names when a function runs another one's out= kernel.
_OUT_KERNEL_NAMES = {"norm": "linalg_vector_norm", "vector_norm": "linalg_vector_norm",
                     "outer": "mul", "diff": "sub", "logsigmoid": "log_sigmoid_forward"}


def check_differentiable(name: str, args, kwargs, out) -> None:
    """PyTorch refuses `out=` while gradients are recorded for any argument (or `out`)."""
    if not is_grad_enabled():
        return
    every = list(_tensors(args)) + list(_tensors(kwargs.values())) + list(_tensors([out]))
    if any(t.requires_grad for t in every):
        name = _OUT_KERNEL_NAMES.get(name, name)
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")


# The kernel PyTorch's refusal of an `out` that requires grad names, where it is not
# `aten::<name>` (the function runs another op's out= kernel).
_OUT_GRAD_KERNELS = {"chain_matmul": "mm", "tensordot": "mm",
                     "inner": "aten::mul", "nuclear_norm": "linalg_vector_norm"}


# the ops whose out= kernel takes an `out` that requires grad too (comparisons, logical ops)
_OUT_MAY_REQUIRE_GRAD = frozenset({
    "histc", "eq", "ne", "not_equal", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal",
    "logical_and", "logical_or", "logical_xor", "logical_not",
})


def _refuse_out_requiring_grad(name: str, args, out, kernel: str | None = None) -> None:
    """The ops PyTorch lets write into `out` while an input requires grad still refuse an
    `out` that itself requires grad (the out= kernel checks only its own arguments)."""
    outs = out if isinstance(out, (tuple, list)) else [out]
    if not is_grad_enabled() or not any(o.requires_grad for o in outs) or name in _OUT_MAY_REQUIRE_GRAD:
        return
    kernel = f"aten::{kernel}" if kernel else _OUT_GRAD_KERNELS.get(name, f"aten::{name}")
    if name == "diag":
        first = _first_tensor(args)
        kernel = "aten::diag_embed" if first is not None and first.dim() == 1 else "aten::diagonal_copy"
    raise RuntimeError(f"{kernel}(): functions with out=... arguments don't support automatic "
                       "differentiation, but one of the arguments requires grad.")


def _refuse_leaf_out(out) -> None:
    """The copy into `out` of a function PyTorch composes of other ops refuses a leaf
    `out` that requires grad, as any in-place write does."""
    outs = out if isinstance(out, (tuple, list)) else [out]
    if is_grad_enabled() and any(o.requires_grad and o.is_leaf for o in outs):
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")


def _check_out_overlap(name: str, args, kwargs, out) -> None:
    """PyTorch refuses an `out` that shares part (not all) of an input's memory; the
    `cat` family refuses any shared memory (`_ANY_OVERLAP_REFUSED`)."""
    from ._core import _check_mem_overlap

    own_check = out_overlap.CHECKS.get(name)
    if own_check is not None:
        own_check(args, kwargs, out)
        return
    any_shared = name in _ANY_OVERLAP_REFUSED
    outs = [o for o in (out if isinstance(out, (tuple, list)) else [out]) if o.numel()]
    for value in list(_tensors(args)) + list(_tensors(kwargs.values())):
        for o in outs:
            _check_mem_overlap(o, value, any_shared)


def _check_resized_out_overlap(name: str, args, kwargs, out: Tensor, shape: tuple) -> None:
    """PyTorch checks the overlap of `out` with the inputs after resizing it: an `out`
    that grows within its storage (a slice of an input's) may come to overlap them."""
    if out.untyped_storage().nbytes() < (out.storage_offset() + math.prod(shape)) * out.element_size():
        return  # the resize takes new memory, which nothing else shares
    strides, step = [], 1
    for size in reversed(shape):
        strides.insert(0, step)
        step *= max(size, 1)
    _check_out_overlap(name, args, kwargs, out.as_strided(shape, tuple(strides), out.storage_offset()))


def _with_out_doc(doc: str | None) -> str:
    doc = inspect.cleandoc(doc or "")
    if _DOCUMENTS_OUT.search(doc):
        return doc
    if "Args:" in doc:
        return doc.rstrip() + "\n    " + OUT_DOC
    return doc.rstrip() + "\n\nArgs:\n    " + OUT_DOC


def _warn_arange_out_size(result: Tensor, out: Any) -> None:
    """PyTorch's arange warns when a non-empty `out` holds another number of elements."""
    if isinstance(out, Tensor) and out.numel() != 0 and out.numel() != result.numel():
        warn_at_caller(triggered_internally(f"The number of elements in the out tensor of shape {list(out.shape)} is {out.numel()} which "
                      f"does not match the computed number of elements {result.numel()}. Note that this may occur "
                      "as a result of rounding error. The out tensor will be resized to a tensor of shape "
                      f"({result.numel()},).", "native/RangeFactories.cpp:199"))


def _rule_for(name: str, rule: str, args, result, kwargs=None) -> str:
    """The overloads whose out dtype rule differs from their function's usual one: the
    full `max`/`min` reduction and `clamp`/`clip`/`clamp_min`/`clamp_max` with a tensor
    bound cast into `out`, as does `abs` (and kin) of a complex tensor, whose result is real; nansum of
    integers writes into any `out` as sum does."""
    if name in ("max", "min") and isinstance(result, Tensor):
        return CAST
    if name == "where":
        return WHERE
    if name == "matrix_power" and rule.startswith(SAFELY_CASTABLE_EXACT):
        route = out_routes.route(name, args, kwargs or {})
        if route is not None and route.kind in (out_routes.COPIES, out_routes.CONSTANT):
            return safely_castable(rule[len(SAFELY_CASTABLE_EXACT):])  # copied: any castable dtype
    if name in ("clamp_min", "clamp_max") and len(args) > 1 and isinstance(args[1], Tensor):
        return CAST
    if name in ("clamp", "clip") and any(isinstance(bound, Tensor) for bound in (
            *args[1:3], *(kwargs.get(k) for k in ("min", "max") if kwargs))):
        return CAST
    first = _first_tensor(args)
    if name == "nansum" and first is not None and not (first.dtype.is_floating_point or first.dtype.is_complex):
        return CHECKED_BEFORE  # PyTorch's nansum of integers is sum, which reduces into out's dtype
    if rule == SAME and first is not None and first.dtype.is_complex and isinstance(result, Tensor) \
            and not result.dtype.is_complex:
        return CAST
    return rule


# the functions whose parser takes a Python number for any Tensor argument, `out` included
# (PyTorch's `should_allow_numbers_as_tensors`): `out=3` is a new 0-d tensor
_NUMBERS_AS_TENSORS = frozenset({"add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
                                 "floor_divide"})
_NUMBERS = frozenset({int, float, complex, bool})


def takes_numbers_as_tensors(name: str) -> bool:
    """Whether PyTorch's parser takes a Python number for the Tensor arguments of `name`."""
    return name in _NUMBERS_AS_TENSORS


def _number_as_tensor(value: Any) -> Tensor:
    """`value` as the parser wraps a number: double and complex double, whatever the default dtype."""
    from ._creation import tensor

    wide = {float: _core.float64, complex: _core.complex128}.get(type(value))
    return tensor(value, dtype=wide)


def with_out(fn: Callable, name: str | None = None, rule: str = CAST, qualified: str | None = None) -> Callable:
    """`fn` accepting PyTorch's keyword `out`: the result is written into it and it is
    returned (see `write_out`). `qualified` names the function in PyTorch's signatures
    (`linalg.solve`), where they differ from `name`."""
    name = name or fn.__name__
    qualified = qualified or name
    warn_resize = rule != CREATION and name not in _SILENT_RESIZE
    worded_by_parser = qualified in hot_refusals.NAMES

    @functools.wraps(fn)
    def wrapper(*args, out=None, **kwargs):
        if out is None:
            try:
                return fn(*args, **kwargs)
            except Exception as failure:  # noqa: BLE001 - raised again unless a tensor-like takes the call
                if worded_by_parser and isinstance(failure, TypeError):
                    failure = hot_refusals.parser_refusal(qualified, args, kwargs, failure)
                return tensor_likes.after_failure(failure, wrapper, args, kwargs)
        if type(out) in _NUMBERS and name in _NUMBERS_AS_TENSORS:
            out = _number_as_tensor(out)
        if not isinstance(out, Tensor):
            refusal = _out_refusal(name, qualified, args, kwargs, out)
            if refusal is not None:
                return tensor_likes.after_failure(refusal, wrapper, args, {**kwargs, "out": out})
        copies_result = name in _OUT_COPIES_RESULT or name == "norm" and _is_nuclear(args, kwargs)
        unchecked = name in _OUT_WITHOUT_GRAD_CHECK or name == "scatter" and _reduces(args, kwargs)
        kernel = None  # the kernel PyTorch's messages name, where the arguments decide it
        route = out_routes.route(name, args, kwargs)
        if route is not None:
            copies_result = route.kind in (out_routes.COPIES, out_routes.CONSTANT)
            unchecked = route.kind == out_routes.NOT_DIFFERENTIABLE
            kernel = route.kernel or None
        if qualified.startswith("fft."):
            check_fft_out_dtype(qualified, out)
        if resizes_first(qualified, kwargs) and getattr(out, "requires_grad", False) and is_grad_enabled():
            raise RuntimeError("cannot resize variables that require grad")
        try:
            if copies_result:
                _refuse_leaf_out(out)
            elif not unchecked:
                check_differentiable(kernel or kernel_name(qualified, name, args), args, kwargs, out)
            else:
                _refuse_out_requiring_grad(name, args, out, kernel)
        except RuntimeError as grad_error:
            refusal = _parser_refuses_out(qualified, args, kwargs, out)
            if refusal is None:
                raise
            raise refusal from grad_error
        precheck = _PRECHECKS.get(name)
        if precheck is not None:
            precheck(name, args, out, kwargs)
        if name in _READS_IN_OUT_DTYPE:
            args = _float8_read_as(args, out)
        elif name == "mean":
            args = mean_out_args(args, kwargs, out)
        if rule != CREATION and name not in _OVERLAP_UNCHECKED:
            _check_out_overlap(name, args, kwargs, out)
        if rule in (CREATION, DTYPE_ARG):
            first = out[0] if isinstance(out, (tuple, list)) else out
            wanted = python_type_dtype(kwargs.get("dtype"))
            if wanted is None:
                kwargs["dtype"] = first.dtype
            elif wanted != first.dtype and rule == DTYPE_ARG:
                raise RuntimeError(f"Expected out tensor to have dtype {cpp_name(wanted)}, "
                                   f"but got {cpp_name(first.dtype)} instead")
            elif wanted != first.dtype:
                raise RuntimeError(f"dtype {scalar_name(wanted)} does not match dtype of out parameter "
                                   f"({scalar_name(first.dtype)})")
        if rule == SAME and name in KEEPS_INPUT_DTYPE:
            check_same_dtype_first(name, args, out)
        try:
            result = None if name != "logsumexp" else logsumexp_complex_into_real(args, kwargs, out)
            if result is None:
                result = fn(*args, **kwargs)
        except NotImplementedError:
            if rule == CAST and name not in BOOL_RESULTS and not copies_result:  # TensorIterator checks `out` first
                refuse_uncastable_out(args, out)
            raise
        if name == "arange":
            _warn_arange_out_size(result, out)
        if name in _NUMEL_KEPT and isinstance(out, Tensor) and out.numel() == result.numel():
            result = result.reshape(out.shape)  # PyTorch resizes `out` only to another element count
        out_overlap.refuse_empty_out_in_list(name, args, kwargs, out)
        resized = isinstance(out, Tensor) and isinstance(result, Tensor) and out.shape != result.shape
        if resized and rule != CREATION and name not in _OVERLAP_UNCHECKED:
            _check_resized_out_overlap(name, args, kwargs, out, tuple(result.shape))
        copies = copies_result or name in out_grad.COPIES_RESULT
        with_grad = copies and isinstance(result, Tensor) and result.requires_grad
        if route is not None and route.kind == out_routes.CONSTANT:
            result, with_grad = result.detach(), False
        try:
            written = write_out(result, out, _rule_for(name, rule, args, result, kwargs), warn_resize, with_grad)
        except TypeError as write_error:  # a lone tensor for several results: the parser's words
            refusal = _parser_refuses_out(qualified, args, kwargs, out)
            if refusal is None:
                raise
            raise refusal from write_error
        if unchecked:
            out_grad.record_not_implemented(name, [*_tensors(args), *_tensors(kwargs.values())], written, kernel)
        if name in _RESIZES_COLUMN_MAJOR and resized:
            _restride_column_major(written, result)
        return written

    tensor_likes.WRAPPER_CODES.add(wrapper.__code__)
    wrapper.__doc__ = _with_out_doc(fn.__doc__)
    wrapper.__wrapped_out__ = True  # type: ignore[attr-defined]
    return wrapper


def _parser_refuses_out(qualified: str, args, kwargs, out) -> TypeError | None:
    """PyTorch's parser error where it takes the call but for `out` (a lone tensor given
    to a function that writes several): it comes before any check of gradients."""
    from ._parser_check import _overloads, parser_error

    entry = _overloads(qualified)
    if entry is None or not any(p.name == "out" for params in entry[1] for p in params):
        return None  # signatures read without `out` (a function of `torch._C._nn`): no say over it
    if parser_error(qualified, args, kwargs) is not None:
        return None
    error = parser_error(qualified, args, {**kwargs, "out": out})
    return error if isinstance(error, TypeError) else None


# functions PyTorch writes in Python whose C op takes one `out` tensor (and its name)
_ONE_OUT_OPS = {"norm": "linalg_vector_norm", "tensordot": "tensordot"}
# functions PyTorch writes in Python that hand `out` on to another op's parser, with two
# tensors (`F.normalize` ends in `torch.div(input, denom, out=out)`)
_OUT_HANDED_ON = {"nn.functional.normalize": "div"}


def _out_refusal(name: str, qualified: str, args, kwargs, out) -> TypeError | None:
    """PyTorch's TypeError for an `out` that is not a tensor: a sequence of tensors is
    taken only by the overloads that return several (`sort`, `max(x, dim)`)."""
    from ._parser_check import _overloads, parser_error
    from ._parser_position import NAMES_ONE_ARGUMENT

    handed_to = _OUT_HANDED_ON.get(qualified)
    if handed_to is not None and args and isinstance(args[0], Tensor):
        return parser_error(handed_to, (args[0], args[0]), {"out": out})
    entry = _overloads(qualified)
    tensors = isinstance(out, (tuple, list)) and out and all(isinstance(o, Tensor) for o in out)
    if entry is None:
        name = _ONE_OUT_OPS.get(qualified, name)
        if tensors and qualified not in _ONE_OUT_OPS:
            return None
        return TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if qualified not in NAMES_ONE_ARGUMENT:
        # where several overloads take that many arguments PyTorch lists them all
        error = parser_error(qualified, args, {**kwargs, "out": out})
        if error is None and tensors:
            return None
        if isinstance(error, TypeError):
            return error
    name = entry[0]
    return TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")


def _is_nuclear(args, kwargs) -> bool:
    """Whether `norm(...)` asks for the nuclear norm (`linalg.matrix_norm` in PyTorch)."""
    p = args[1] if len(args) > 1 else kwargs.get("p")
    return isinstance(p, str) and p == "nuc"


def _reduces(args, kwargs) -> bool:
    """Whether `scatter(...)` was given `reduce=`: PyTorch runs that overload's out=
    kernel whatever requires grad (the result's gradient is not implemented)."""
    return len(args) > 4 or kwargs.get("reduce") is not None


# Kernels that lay out an `out` they resize column-major, as their result (the index
# matrix of `nonzero`)
_RESIZES_COLUMN_MAJOR = frozenset({"nonzero"})


def _restride_column_major(out: Tensor, result: Tensor) -> None:
    from ._grad_mode import no_grad

    rows, cols = result.shape
    with no_grad():
        out.as_strided_((rows, cols), (1, rows))
        out.copy_(result)


def _first_tensor(args) -> Tensor | None:
    return next((a for a in args if isinstance(a, Tensor)), None)


def _where_tensors_out(name: str, args, out, kwargs=None) -> None:
    """`where(condition, input, other, out=...)`: PyTorch's out overload takes tensors
    only (a number there is its parser's TypeError)."""
    named = dict(zip(("condition", "input", "other"), args, strict=False)) | dict(kwargs or {})
    for position, key in ((2, "input"), (3, "other")):
        value = named.get(key)
        if value is not None and not isinstance(value, Tensor):
            raise TypeError(f"where(): argument '{key}' (position {position}) must be Tensor, not "
                            f"{type(value).__name__}")


def _bool_out_only(name: str, args, out, kwargs=None) -> None:
    """isin / signbit / isposinf / isneginf write only into a bool `out`, as PyTorch's kernels."""
    first = _first_tensor(args)
    if name == "signbit" and first is not None and first.dtype.is_complex:
        raise NotImplementedError("signbit is not implemented for complex tensors.")
    if not isinstance(out, Tensor) or out.dtype == _bool:
        return
    if name == "isin":
        raise RuntimeError(f"Expected out tensor to have dtype bool, but got {cpp_name(out.dtype)} instead")
    raise RuntimeError(f"{name} does not support non-boolean outputs.")


def _logsumexp_out(name: str, args, out, kwargs=None) -> None:
    """logsumexp writes only into a floating (or complex) `out`."""
    if isinstance(out, Tensor) and not (out.dtype.is_floating_point or out.dtype.is_complex):
        raise RuntimeError(f"logsumexp(): Expected floating point type for result tensor, but got: {scalar_name(out.dtype)}")


def _frexp_out(name: str, args, out, kwargs=None) -> None:
    """frexp's own words for its (mantissa, exponent) `out`: the input's dtype, then int32."""
    first = _first_tensor(args)
    if first is None or not isinstance(out, (tuple, list)) or len(out) != 2:
        return
    if not first.dtype.is_floating_point:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    mantissa, exponent = out
    if isinstance(mantissa, Tensor) and mantissa.dtype != first.dtype:
        raise RuntimeError(f"torch.frexp() expects mantissa to have dtype {cpp_name(first.dtype)} but got "
                           f"{cpp_name(mantissa.dtype)}")
    if isinstance(exponent, Tensor) and exponent.dtype != _core.int32:
        raise RuntimeError(f"torch.frexp() expects exponent to have int dtype but got {cpp_name(exponent.dtype)}")


def _argsort_out(name: str, args, out, kwargs=None) -> None:
    """Only argsort's overload with the keyword `stable` takes `out`."""
    kwargs = kwargs or {}
    if "stable" not in kwargs:
        from ._parser_check import parser_error

        error = parser_error("argsort", args, {**kwargs, "out": out})
        if error is not None:
            raise error


def _lerp_out(name: str, args, out, kwargs=None) -> None:
    """lerp with a weight tensor of some dims writes only into the input's dtype; a number
    (or 0-dim) weight's result casts into `out` as an elementwise op's."""
    weight = args[2] if len(args) > 2 else (kwargs or {}).get("weight")
    first = _first_tensor(args)
    if isinstance(weight, Tensor) and weight.dim() > 0 and first is not None and isinstance(out, Tensor) and (
        out.dtype != first.dtype
    ):
        raise RuntimeError(f"Found dtype {scalar_name(out.dtype)} but expected {scalar_name(first.dtype)}")


def _index_out(name: str, args, out, kwargs=None) -> None:
    """searchsorted / bucketize write their indices only into out_int32's dtype."""
    int32 = bool((kwargs or {}).get("out_int32", False))
    if isinstance(out, Tensor) and out.dtype != (_core.int32 if int32 else _core.int64):
        raise RuntimeError(
            "torch.searchsorted(): output tensor's dtype is wrong, it can only be Int(int32) or Long(int64) depending "
            f"on whether out_int32 flag is True, but we got output tensor's dtype {scalar_name(out.dtype)} and "
            f"out_int32 flag is {int32}"
        )


def _bool_or_byte_out(name: str, args, out, kwargs=None) -> None:
    """all / any write into a bool or a uint8 `out`, as PyTorch."""
    if not isinstance(out, Tensor) or out.dtype == _bool or str(out.dtype).endswith(".uint8"):
        return
    raise RuntimeError(f"{name} only supports bool tensor for result, got: {scalar_name(out.dtype)}")


def _nonzero_out(name: str, args, out, kwargs=None) -> None:
    """nonzero's `out`: one tensor (the parser's TypeError for a tuple), refused with
    `as_tuple=True` (its tuple has no out form), int64 (the kernel's words)."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if kwargs and kwargs.get("as_tuple"):
        raise RuntimeError("nonzero does not support the out kwarg when as_tuple is True")
    if out.dtype != _int64:
        raise RuntimeError(f"{name}: Expected out tensor to have scalar type Long but got scalar type"
                           f"{scalar_name(out.dtype)}")


def _input_dtype_out(name: str, args, out, kwargs=None) -> None:
    """Kernels whose `out` must have the input's dtype, refused before any computing."""
    first = _first_tensor(args)
    if first is None or not isinstance(out, Tensor) or first.dtype == out.dtype:
        return
    if name == "take":
        raise RuntimeError(f"take(): self and out expected to have the same dtype, but got self.dtype = "
                           f"{scalar_name(first.dtype)} and out.dtype = {scalar_name(out.dtype)}")
    if name == "histc":
        raise RuntimeError(f"torch.histogram: input tensor and hist tensor should have the same dtype, but got "
                           f"input {cpp_name(first.dtype)} and hist {cpp_name(out.dtype)}")
    if name in ("quantile", "nanquantile"):
        raise RuntimeError("quantile() out tensor must be same dtype as the input tensor")  # nanquantile's too
    if name == "nan_to_num":
        raise RuntimeError(f"nan_to_num: dtype of out: {scalar_name(out.dtype)} should be same as input: "
                           f"{scalar_name(first.dtype)}")
    if name == "logcumsumexp":
        raise RuntimeError(f"expected scalar_type {scalar_name(first.dtype)} but found {scalar_name(out.dtype)}")
    if name in ("index_add", "index_copy", "index_reduce"):
        raise RuntimeError(f"Expected out tensor to have dtype {cpp_name(first.dtype)}, but got "
                           f"{cpp_name(out.dtype)} instead")
    raise RuntimeError("Expected self.dtype() == output.dtype() to be true, but got false.")


def _nuclear_norm_out(name: str, args, out, kwargs=None) -> None:
    """`norm(x, 'nuc', out=)` goes through PyTorch's `linalg.matrix_norm`, whose check
    of `out`'s dtype names it."""
    if len(args) > 1 and isinstance(args[1], str) and args[1] == "nuc":
        _linalg_norm_out("linalg.matrix_norm", args, out, kwargs)


def _linalg_norm_out(name: str, args, out, kwargs=None) -> None:
    """PyTorch's `linalg.norm` and `linalg.matrix_norm` name themselves when `out` has
    another dtype than the norm's."""
    from .linalg._norm_out import check_out_dtype

    check_out_dtype(name, args, kwargs or {}, out)


def _no_internal_overlap(name: str, args, out, kwargs=None) -> None:
    """Kernels that refuse an `out` whose elements share memory (a dim of stride 0 and
    size > 1, as an `expand`ed tensor's) before they resize it."""
    if name == "take":
        _input_dtype_out(name, args, out, kwargs)
    if isinstance(out, Tensor) and out.numel() > 0 and any(
        st == 0 and n > 1 for n, st in zip(out.shape, out.stride())
    ):
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a "
                           "single memory location. Please clone() the tensor before performing the operation.")


def _index_select_out(name: str, args, out, kwargs=None) -> None:
    """index_select checks `out`'s dtype once its dim and index pass (before the index's
    values are read)."""
    _no_internal_overlap(name, args, out, kwargs)
    given = [*args, *(kwargs or {}).values()]
    if len(given) < 3 or not isinstance(out, Tensor):
        return
    input, dim, index = given[:3]
    if not (isinstance(input, Tensor) and isinstance(index, Tensor) and type(dim) is int) or out.dtype == input.dtype:
        return
    n = max(input.dim(), 1)
    if -n <= dim < n and index.dtype in (_int64, _core.int32) and index.dim() <= 1:
        raise RuntimeError("index_select(): self and result must have the same scalar type")


def _diff_checks(name: str, args, out, kwargs=None) -> None:
    """`diff(out=)`: no overlap within `out`, and PyTorch's dtype rule for `n=0`."""
    _no_internal_overlap(name, args, out, kwargs)
    diff_out(name, args, out, kwargs)


def _real_out(name: str, args, out, kwargs=None) -> None:
    """`bernoulli` draws straight into an `out` of any real dtype (0/1 in integers,
    False/True in bool); its kernel has no complex form."""
    if isinstance(out, Tensor) and out.dtype.is_complex:
        raise NotImplementedError(f"\"bernoulli_tensor_cpu_self_\" not implemented for '{scalar_name(out.dtype)}'")


def _first_dtype_out(name: str, args, out, kwargs=None) -> None:
    """`linalg.solve_triangular` solves in A's dtype, straight into `out`."""
    first = _first_tensor(args)
    if first is not None and isinstance(out, Tensor) and out.dtype != first.dtype and (
        first.dtype.is_floating_point or first.dtype.is_complex
    ):
        raise RuntimeError(f"expected scalar type {scalar_name(first.dtype)} but found {scalar_name(out.dtype)}")


# The `dim` type each full reduction's out= overload names (its overload without dim has no out).
_REDUCTION_DIM_TYPES = {"sum": "tuple of ints", "prod": "int"}


def _needs_dim_for_out(name: str, args, out, kwargs=None) -> None:
    """PyTorch's TypeError for `sum`/`prod` with out= but without dim: that overload
    takes no out."""
    kwargs = kwargs or {}
    if len(args) != 1 or "dim" in kwargs or not isinstance(args[0], Tensor):
        return
    if kwargs:
        raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
    raise TypeError(
        f"{name}() received an invalid combination of arguments - got (Tensor, out=Tensor), but expected one of:\n"
        " * (Tensor input, *, ferrograd.dtype dtype = None)\n"
        f" * (Tensor input, {_REDUCTION_DIM_TYPES[name]} dim, bool keepdim = False, *, ferrograd.dtype dtype = None, "
        "Tensor out = None)\n"
    )


def _normal_out(name: str, args, out, kwargs=None) -> None:
    """normal(Tensor mean, float std, out=) first broadcasts mean's shape with out's
    (PyTorch's size error where they clash), then draws in out's dtype."""
    kwargs = kwargs or {}
    mean = args[0] if args else kwargs.get("mean")
    std = args[1] if len(args) > 1 else kwargs.get("std", 1.0)
    if isinstance(mean, Tensor) and not isinstance(std, Tensor) and isinstance(out, Tensor):
        from ._random_streams import _broadcast_shape

        _broadcast_shape(mean.shape, out.shape)
    floating_kernel_out(name, args, out, kwargs)


# reductions whose kernel reads the input in `out`'s dtype: an 8-bit float input, which
# has no kernel of its own, is reduced when `out` is wider
_READS_IN_OUT_DTYPE = frozenset({"var", "std"})


def _float8_read_as(args: tuple, out) -> tuple:
    from ._shell_dtypes import is_float8

    if args and is_float8(args[0]) and isinstance(out, Tensor) and not is_float8(out):
        return (args[0].to(out.dtype), *args[1:])
    return args


def _multi_dot_out(name: str, args, out, kwargs=None) -> None:
    """multi_dot (and chain_matmul, made of it) checks its operands, then demands `out` of
    their dtype, in its own words."""
    from .linalg import _multi_dot_operands

    if name == "chain_matmul":
        if len(args) == 1:  # one matrix is returned as it is
            return
        tensors = args
    else:
        tensors = args[0] if args else kwargs.get("tensors")
    first = _multi_dot_operands(tensors)[0]
    if isinstance(out, Tensor) and out.dtype != first.dtype:
        raise RuntimeError(f"multi_dot(): expected out tensor to have dtype {cpp_name(first.dtype)} but got "
                           f"{cpp_name(out.dtype)}")


def _dot_out(name: str, args, out, kwargs=None) -> None:
    """dot and vdot demand `out` of the first vector's dtype before any other check."""
    first = _first_tensor(args)
    if first is not None and isinstance(out, Tensor) and out.dtype != first.dtype:
        raise RuntimeError(f"result dtype {scalar_name(out.dtype)} does not match input dtype "
                           f"{scalar_name(first.dtype)}")


def _inner_out(name: str, args, out, kwargs=None) -> None:
    """inner with a 0-d operand is a product (whose result casts to `out`); else it is
    tensordot's, which demands `out` of the result's dtype."""
    a, b = (list(args) + [None, None])[:2]
    if not (isinstance(a, Tensor) and isinstance(b, Tensor) and isinstance(out, Tensor)):
        return
    wanted = _core.promote_types(a.dtype, b.dtype) if a.dim() == 0 or b.dim() == 0 else a.dtype
    if a.dim() == 0 or b.dim() == 0:
        if not can_cast(wanted, out.dtype):
            raise RuntimeError(f"result type {scalar_name(wanted)} can't be cast to the desired output type "
                               f"{scalar_name(out.dtype)}")
    elif out.dtype != wanted and a.dtype == b.dtype:
        raise RuntimeError(f"tensordot: Expected the output tensor to have dtype {scalar_name(wanted)}, but got an "
                           f"output tensor with dtype {scalar_name(out.dtype)}")


_PRECHECKS = {
    "sum": _needs_dim_for_out, "prod": _needs_dim_for_out, "diff": _diff_checks,
    **dict.fromkeys(("index_add", "index_copy", "index_reduce"), index_func_out),
    "histogram": pair_checks.histogram_out, "amax": pair_checks.extreme_out, "amin": pair_checks.extreme_out,
    **dict.fromkeys(("kthvalue", "median", "nanmedian", "mode", "cummax", "cummin"), pair_checks.values_indices_out),
    **dict.fromkeys(("max", "min", "sort", "topk", "aminmax"), pair_checks.pair_count),
    "lerp": _lerp_out, "argsort": _argsort_out, "frexp": _frexp_out, "searchsorted": _index_out, "bucketize": _index_out, "logsumexp": _logsumexp_out,
    "isin": _bool_out_only, "signbit": _bool_out_only, "isposinf": _bool_out_only, "isneginf": _bool_out_only,
    "all": _bool_or_byte_out, "any": _bool_or_byte_out, "nonzero": _nonzero_out, "nonzero_static": _nonzero_out,
    "take": _no_internal_overlap, "index_select": _index_select_out, "masked_select": _no_internal_overlap,
    "outer": _no_internal_overlap, "ger": _no_internal_overlap, "addr": _no_internal_overlap,
    "histc": _input_dtype_out, "quantile": _input_dtype_out,
    "nanquantile": _input_dtype_out, "nan_to_num": _input_dtype_out, "logcumsumexp": _input_dtype_out,
    "narrow_copy": _input_dtype_out, "norm": _nuclear_norm_out,
    "linalg.norm": _linalg_norm_out, "linalg.matrix_norm": _linalg_norm_out,
    "solve_triangular": _first_dtype_out, "nansum": reduction_dtype_out, "nanmean": reduction_dtype_out,
    "mean": reduction_dtype_out, "float_power": float_power_out, "heaviside": heaviside_out,
    "ldexp": ldexp_out, "normal": _normal_out, "bernoulli": _real_out, "where": _where_tensors_out,
    "multi_dot": _multi_dot_out, "chain_matmul": _multi_dot_out, "dot": _dot_out, "vdot": _dot_out,
    "inner": _inner_out, "mvlgamma": mvlgamma_out,
}


def install(namespace: dict[str, Any], names, rule: str = CAST) -> None:
    """Replaces each function `names` lists in `namespace` with its `out=` form (once)."""
    prefix = namespace.get("__name__", "ferrograd").partition(".")[2]
    prefix = prefix + "." if prefix else ""
    for name in names:
        fn = namespace.get(name)
        if not callable(fn) or isinstance(fn, type) or getattr(fn, "__wrapped_out__", False):
            continue  # absent, a class (`LinAlgError`), or wrapped already
        namespace[name] = with_out(fn, name, rule, prefix + name)


# Top-level functions that take `out=` in PyTorch, by how `out`'s dtype is checked.
TOP_LEVEL_CAST = (
    "acos", "acosh", "add", "addcdiv", "addcmul", "addr", "arccos", "arccosh", "arcsin",
    "arcsinh", "arctan", "arctan2", "arctanh", "asin", "asinh", "atan", "atan2", "atanh",
    "bitwise_and", "bitwise_left_shift", "bitwise_or", "bitwise_right_shift", "bitwise_xor",
    "copysign", "cos", "cosh", "deg2rad", "diff", "digamma", "div", "divide", "eq",
    "erf", "erfc", "erfinv", "exp", "exp2", "expm1", "floor_divide", "fmax", "fmin", "fmod",
    "gcd", "ge", "greater", "greater_equal", "gt", "hypot", "i0", "igamma", "igammac",
    "isin", "isneginf", "isposinf", "kron", "lcm", "ldexp", "le", "less", "less_equal", "lgamma", "log",
    "log10", "log1p", "log2", "logaddexp", "logaddexp2", "logical_and", "logical_not", "logical_or",
    "logical_xor", "logit", "lt", "maximum", "mean", "minimum", "mul", "multiply", "mvlgamma", "nan_to_num",
    "nanmean", "nansum", "ne", "nextafter", "normal", "not_equal", "outer", "polygamma", "pow",
    "rad2deg", "reciprocal", "remainder", "rsqrt", "sigmoid", "signbit", "sin", "sinc", "sinh", "sqrt", "square", "std", "sub", "subtract", "tan", "tanh", "true_divide", "var", "xlogy",
    "lerp", "histc", "histogram", "logsumexp", "threshold",
)
TOP_LEVEL_SAME = (
    "abs", "absolute", "ceil", "clamp", "clamp_max", "clamp_min", "clip", "conj_physical", "bitwise_not",
    "hardshrink", "fix", "floor", "frac", "neg",
    "negative", "round", "sgn", "sign", "trunc", "where",
)
TOP_LEVEL_EXACT = (
    "alias_copy", "as_strided_copy", "detach_copy", "diagonal_copy", "expand_copy", "narrow_copy",
    "permute_copy", "select_copy", "slice_copy", "slice_scatter", "squeeze_copy", "t_copy", "transpose_copy",
    "unfold_copy", "unsqueeze_copy", "view_copy", "view_as_real_copy", "view_as_complex_copy", "logcumsumexp",
    "frobenius_norm", "nuclear_norm", "inverse",
    "bucketize", "cross", "float_power", "renorm", "take", "take_along_dim", "heaviside",
    "nan_to_num", "quantile", "nanquantile",
    "addbmm", "addmm", "addmv", "amax", "amin", "aminmax", "argmax", "argmin", "argsort", "baddbmm", "bmm",
    "cummax", "cummin", "diag", "frexp", "gather", "scatter", "scatter_add", "scatter_reduce", "index_select", "kthvalue",
    "log_softmax", "masked_select", "matmul", "max", "median", "min", "mm", "mode", "msort", "mv",
    "multinomial", "nanmedian", "nonzero", "nonzero_static", "norm", "searchsorted", "softmax", "sort", "topk",
    "tril", "triu", "ormqr", "lu_solve", "lu_unpack", "hash_tensor", "qr", "svd", "slogdet", "triangular_solve",
    "index_add", "index_copy", "index_reduce",
)
TOP_LEVEL_DTYPE_ARG = ("sum", "prod", "cumsum", "cumprod")
TOP_LEVEL_CAT = ("cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack", "column_stack")

# PyTorch checks `out` against the inputs only in TensorIterator kernels (elementwise ops,
# cumsum: a partial overlap is refused) and in kernels that assert it themselves (any
# shared memory refused); reductions, products and these others write whatever overlaps.
_ANY_OVERLAP_REFUSED = frozenset({*TOP_LEVEL_CAT, "gather", "take", "masked_select", "index_select", "cross",
                                  "outer", "ger", "kron", "take_along_dim"})
_OVERLAP_UNCHECKED = frozenset({
    "sum", "nansum", "prod", "mean", "nanmean", "std", "var", "std_mean", "var_mean", "norm", "vector_norm",
    "amax", "amin", "aminmax", "logsumexp", "cummax", "cummin", "tril", "triu",
    "mm", "mv", "addmm", "addmv", "bmm", "baddbmm", "addbmm", "matmul", "dot", "vdot", "inner", "tensordot",
    "multi_dot", "chain_matmul",
})
# the range factories, whose `out` of the right element count keeps its shape
_NUMEL_KEPT = frozenset({"arange", "range", "linspace", "logspace"})
TOP_LEVEL_CREATION = (
    "arange", "range", "empty", "eye", "full", "linspace", "logspace", "ones", "zeros", "rand", "randn",
    "randint", "randperm",
)


# Top-level functions whose check of `out`'s dtype is their own (words, order or rule).
_TOP_LEVEL_OWN_RULES = {
    **{name: safely_castable(name) for name in ("cholesky", "cholesky_inverse", "cholesky_solve")},
    "matrix_power": SAFELY_CASTABLE_EXACT + "matrix_power",
    "geqrf": safely_castable("torch.geqrf", "a", "tau"),
    "tensordot": worded("tensordot: Expected the output tensor to have dtype {result}, but got an output tensor "
                        "with dtype {out}"),
    **dict.fromkeys(("dot", "vdot", "inner", "chain_matmul"), CHECKED_BEFORE),  # see `_PRECHECKS`
}


def install_top_level(namespace: dict[str, Any]) -> None:
    """Gives the top-level functions PyTorch's `out=`."""
    for name, rule in _TOP_LEVEL_OWN_RULES.items():
        install(namespace, (name,), rule)
    install(namespace, TOP_LEVEL_CAST, CAST)
    install(namespace, TOP_LEVEL_SAME, SAME)
    install(namespace, TOP_LEVEL_EXACT, EXACT)
    install(namespace, TOP_LEVEL_DTYPE_ARG, DTYPE_ARG)
    install(namespace, TOP_LEVEL_CAT, CAST_TYPE_ERROR)
    install(namespace, TOP_LEVEL_CREATION, CREATION)
    install(namespace, ("all", "any", "bernoulli"), CHECKED_BEFORE)
