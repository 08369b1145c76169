"""PyTorch's TypeError for an argument of the wrong type.

PyTorch's argument parser checks types before an op runs: `F.relu(2)` raises
`TypeError: relu(): argument 'input' (position 1) must be Tensor, not int`. Ops here
check as they go and would fail later instead (an AttributeError on the first method
call, a RuntimeError deeper). `guard` wraps a namespace's functions, and `guard_methods`
the Tensor methods, that PyTorch binds in C (`_torch_signature_names`) or lists below, so
that a failing call whose arguments PyTorch's parser refuses raises its TypeError
(`_parser_check` replays the parser from PyTorch's signatures). The check runs only after
the call failed, so a good call pays one frame, except for a call `_suspect_args` flags
(a bool, an int list, ... of a type the parser may refuse) of an op PyTorch binds in C:
that one is checked first, so that an in-place op refused by PyTorch's parser writes
nothing. The hottest ops are not wrapped at all.
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from . import _suspect_args as suspect_args
from . import _tensor_likes as tensor_likes
from ._argcheck import type_name
from ._core import Tensor
from ._failure_frames import drops_own_frames
from ._hot_methods import HOT_FUNCTIONS, UNGUARDED, UNGUARDED_METHODS
from ._parser_check import no_arguments_error, parser_error
from ._parser_position import NAMES_ONE_ARGUMENT, corrected
from ._subclass_dispatch import GATED_CODES, LIVE, MISS, gate
from ._torch_signature_names import NAMES as _SIGNATURE_NAMES
from ._torch_signature_names import NO_ARGUMENTS

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
CHECK_FIRST: frozenset[str] = frozenset({
    "atleast_1d", "atleast_2d",
    "atleast_3d", "cholesky", "trapz", "trapezoid", "flip", "fft.fftfreq", "fft.rfftfreq",
    "diff", "isin", "searchsorted", "bucketize", "cumulative_trapezoid", "linspace", "logspace",
    "linalg.diagonal",
    "nn.functional.pixel_unshuffle", "nn.functional.pixel_shuffle", "nn.functional.rms_norm",
    "istft", "hamming_window", "kaiser_window",
})


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


def _no_refusal(args: tuple, kwargs: dict) -> None:
    """The check of a function PyTorch writes in Python: it refuses no argument types
    itself, but hands a call with a tensor-like argument over (`handle_torch_function`)."""


def _checker(qualified: str) -> Callable[[tuple, dict], TypeError | None] | None:
    listed = _listed_checker(qualified)
    if _is_hot_function(qualified):
        return listed
    namespace, _, short = qualified.rpartition(".")
    if qualified not in _SIGNATURE_NAMES:
        home = "ferrograd." + namespace if namespace else "ferrograd"
        return listed or (_no_refusal if tensor_likes.binds_as_method(home, short) else None)
    if listed is None:
        check: Any = functools.partial(parser_error, qualified)
    else:
        def check(args: tuple, kwargs: dict) -> TypeError | None:
            return listed(args, kwargs) or parser_error(qualified, args, kwargs)

    check.keeps_type_errors = True  # a TypeError raised already that names its function stands
    check.qualified = qualified
    return check


def _listed_checker(qualified: str) -> Callable[[tuple, dict], TypeError | None] | None:
    if qualified in TENSOR_FIRST:
        torch_name, param = TENSOR_FIRST[qualified]

        # PyTorch's nn.functional bodies hand the input on by position: the position stays
        parsed = qualified in _SIGNATURE_NAMES and not qualified.startswith("nn.functional.")

        def check(args: tuple, kwargs: dict) -> TypeError | None:
            if parsed and not args:  # by keyword: no position, and maybe no overload at all
                return None
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


def _inplace_position(qualified: str, fn: Callable) -> int | None:
    """Where an nn.functional function takes `inplace`: PyTorch's Python body tests its
    truth (`if inplace:`) before its C op checks any type."""
    if not qualified.startswith("nn.functional."):
        return None
    try:
        names = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return None
    return names.index("inplace") if "inplace" in names else None


def _test_inplace(args: tuple, kwargs: dict, position: int | None) -> None:
    """Raises what PyTorch's `if inplace:` raises (an ambiguous tensor's RuntimeError)."""
    if position is not None:
        bool(args[position] if len(args) > position else kwargs.get("inplace", False))


def before_parser(error: Exception) -> Exception:
    """Marks `error` as raised where PyTorch's Python body fails before its parser runs
    (`F.batch_norm` in training calls `input.size()` first): the guard lets it stand."""
    error.before_parser = True  # type: ignore[attr-defined]
    return error


def compared_before_parser(check: Callable[[], bool]) -> bool:
    """`check()`, a comparison PyTorch's Python body makes before its parser runs
    (`if p < 0.0 or p > 1.0`): what it raises (a many-element tensor's truth value, an
    unorderable type) stands."""
    try:
        return bool(check())
    except (RuntimeError, TypeError, ValueError, ArithmeticError) as failure:
        raise before_parser(failure) from None


def _guarded(fn: Callable, check: Callable[[tuple, dict], TypeError | None], first: bool,
             inplace_at: int | None = None) -> Callable:
    qualified = getattr(check, "qualified", None)
    # PyTorch's Python body hands every argument on to its C op by position
    by_position = bool(qualified) and tensor_likes.binds_as_method("ferrograd.nn.functional", qualified[14:]) and (
        qualified.startswith("nn.functional."))
    if first:

        @functools.wraps(fn)
        def checked_first(*args, **kwargs):
            if LIVE[0]:
                result = gate(checked_first, args, kwargs)
                if result is not MISS:
                    return result
            error = check(*suspect_args.positional(fn, args, kwargs)) if by_position else check(args, kwargs)
            if error is not None:
                return tensor_likes.after_failure(error, checked_first, args, kwargs)
            return fn(*args, **kwargs)

        _WRAPPER_CODES.add(checked_first.__code__)
        GATED_CODES.add(checked_first.__code__)
        checked_first._fg_signature_key = getattr(check, "qualified", None)  # type: ignore[attr-defined]
        return checked_first

    flags = suspect_args.spec(qualified) if qualified else None

    @functools.wraps(fn)
    def checked_on_failure(*args, **kwargs):
        if LIVE[0]:
            result = gate(checked_on_failure, args, kwargs)
            if result is not MISS:
                return result
        suspect = flags and suspect_args.suspect(flags, args, kwargs)
        # an argument PyTorch's parser refuses is refused before an op it binds in C writes
        # anything; a Python body's own checks (by_position) come before its parser's
        if suspect and not by_position and not _called_by_a_guarded_function() and (
            getattr(fn, "__name__", "") not in NAMES_ONE_ARGUMENT
        ):
            error = suspect_args.refusal(check(args, _parsed_kwargs(fn, kwargs, qualified)), suspect)
            if error is not None:
                return tensor_likes.after_failure(error, checked_on_failure, args, kwargs)
        try:
            result = fn(*args, **kwargs)
        except _FAILURES as failure:
            # PyTorch's Python bodies hand a tensor-like over before anything else runs
            if tensor_likes.overriding_types(args, kwargs):
                return tensor_likes.after_failure(failure, checked_on_failure, args, kwargs)
            if getattr(failure, "before_parser", False):
                raise
            if getattr(check, "keeps_type_errors", False) and _refused_by_python(failure, fn, args, kwargs):
                error = check(args, _parsed_kwargs(fn, kwargs))
                if error is not None:
                    raise error from failure
                if _self_by_keyword(args, kwargs):
                    self_value, rest = _self_first(kwargs)
                    return fn(self_value, **rest)
            if _called_by_a_guarded_function():
                raise
            if isinstance(failure, TypeError) and getattr(check, "keeps_type_errors", False) and (
                names_its_function(failure, getattr(check, "qualified", None))
            ):
                positioned = corrected(failure, check(*_as_parsed(fn, args, kwargs, by_position)))
                if positioned is not None:
                    raise positioned from failure
                raise
            if isinstance(failure, TypeError) and _binds_not(fn, args, kwargs):
                raise  # Python refused the call before PyTorch's body would run
            _test_inplace(args, kwargs, inplace_at)
            error = check(*_as_parsed(fn, args, kwargs, by_position)) or scalar_conversion_error(failure)
            if error is None:
                raise
            raise error from failure
        if suspect and by_position and not _called_by_a_guarded_function():  # taken by the body, refused by the parser
            error = suspect_args.refusal(check(*suspect_args.positional(fn, args, kwargs)), suspect)
            if error is not None:
                return tensor_likes.after_failure(error, checked_on_failure, args, kwargs)
        return result

    _WRAPPER_CODES.add(checked_on_failure.__code__)
    tensor_likes.WRAPPER_CODES.add(checked_on_failure.__code__)
    GATED_CODES.add(checked_on_failure.__code__)
    checked_on_failure._fg_signature_key = getattr(check, "qualified", None)  # type: ignore[attr-defined]
    return checked_on_failure


_FLOAT_OF_COMPLEX = "float() argument must be a string or a real number, not 'complex'"


def scalar_conversion_error(failure: Exception) -> RuntimeError | None:
    """PyTorch's error reading a complex Scalar its parser took as a double (`histc(min=1j)`,
    `std(correction=1j)`), where a body here failed to make a float of it."""
    if isinstance(failure, TypeError) and str(failure) == _FLOAT_OF_COMPLEX:
        return RuntimeError("value cannot be converted to type double without overflow")
    return None


def _binds_not(fn: Callable, args: tuple, kwargs: dict) -> bool:
    """Whether `fn`'s Python signature refuses these arguments (too many, an unknown
    keyword), as PyTorch's Python functions of the same signature do first."""
    try:
        inspect.signature(fn).bind(*args, **kwargs)
    except TypeError:
        return True
    except ValueError:  # no signature to read
        return False
    return False


def _refused_by_python(failure: Exception, fn: Callable, args: tuple, kwargs: dict) -> bool:
    """Whether `failure` is Python's own refusal to bind the call (a missing or unknown
    argument): PyTorch's parser words those its own way (`missing 1 required positional
    arguments: "dim"`) for the functions it binds in C."""
    return isinstance(failure, TypeError) and _binds_not(fn, args, kwargs)


def _as_parsed(fn: Callable, args: tuple, kwargs: dict, by_position: bool,
               qualified: str | None = None) -> tuple[tuple, dict]:
    """The arguments as PyTorch's parser receives them: from a Python body that hands
    them all on by position (`F.max_pool1d(x, 2, stride=...)`), all positional."""
    if by_position:
        return suspect_args.positional(fn, args, kwargs)
    return args, _parsed_kwargs(fn, kwargs, qualified)


def _parsed_kwargs(fn: Callable, kwargs: dict, qualified: str | None = None) -> dict:
    """The keywords PyTorch's parser sees: `out` is ours to check where `fn` takes it
    (`_out.with_out`), whether or not the signature read from PyTorch lists it; an
    `out` tensor the signature takes stays (PyTorch's refusal of another argument
    lists it among the types it got)."""
    if "out" in kwargs and getattr(fn, "__wrapped_out__", False):
        if isinstance(kwargs["out"], Tensor) and qualified and _takes_out_tensor(qualified):
            return kwargs
        return {k: v for k, v in kwargs.items() if k != "out"}
    return kwargs


def _takes_out_tensor(qualified: str) -> bool:
    from ._parser_check import _overloads

    entry = _overloads(qualified)
    return entry is not None and any(p.name == "out" and "T" in p.kinds for params in entry[1] for p in params)


# the code of the wrappers below, to find a guarded call further up the stack
_WRAPPER_CODES: set = set()

# what a call that PyTorch's parser would have refused can raise here instead
_FAILURES = (TypeError, AttributeError, RuntimeError, ValueError, IndexError, NotImplementedError,
             RecursionError, OverflowError, AssertionError)


def names_its_function(error: TypeError, qualified: str | None = None) -> bool:
    """Whether a TypeError raised already is worded as PyTorch's parser words its own
    (`std(): argument ...`, `std() received ...`); one that is not (a bare extraction
    message), or that names another op (`igamma()` under `special.gammainc`, whose parser
    says `special_gammainc()`), gives way to the parser's."""
    text = str(error)
    if text.startswith("expected Tensor as element"):
        return True
    named = _NAMED.match(text)
    if named is None:
        return False
    own = _torch_name(qualified) if qualified else None
    return own is None or named.group(1) in (own, own.rstrip("_"))


def _torch_name(qualified: str) -> str | None:
    from ._parser_check import _overloads

    entry = _overloads(qualified)
    return entry[0] if entry else None


_NAMED = re.compile(r"([\w.]+)\(\)[ :]")


def guard_methods(cls: type) -> None:
    """Wraps the methods of `cls` (the Tensor class) that PyTorch binds in C, so that a
    failing call whose arguments PyTorch's parser refuses raises its TypeError."""
    for name in list(vars(cls)):
        qualified = "Tensor." + name
        if name in NO_ARGUMENTS and name not in _CHEAP_ACCESSORS and not name.startswith(("_", "is_")) and (
            inspect.isfunction(vars(cls)[name])
        ):
            method = vars(cls)[name]
            wrapped = _no_arguments_method(method, qualified)
            for alias in [a for a, v in vars(cls).items() if v is method]:  # `__pos__` is `positive`
                setattr(cls, alias, wrapped)
            continue
        if name.startswith("_") or name in UNGUARDED or name in UNGUARDED_METHODS:
            continue
        if qualified not in _SIGNATURE_NAMES:
            continue
        method = vars(cls)[name]
        if not callable(method) or isinstance(method, (staticmethod, classmethod, type)):
            continue
        if getattr(method, "_argument_types_guarded", False):
            continue
        setattr(cls, name, _method_guarded(method, qualified))


# methods taking nothing that cost less than a wrapper's frame (predicates, accessors,
# views), called often by the library itself: Python's own refusal stands for them
_CHEAP_ACCESSORS = frozenset({
    "conj", "resolve_conj", "resolve_neg", "tolist", "get_device", "ndimension", "dense_dim", "sparse_dim",
    "positive", "indices", "values", "crow_indices", "col_indices", "ccol_indices", "row_indices",
    "q_scale", "q_zero_point", "qscheme", "q_per_channel_axis", "q_per_channel_scales",
    "q_per_channel_zero_points", "int_repr", "untyped_storage", "adjoint",
})


def _no_arguments_method(method: Callable, qualified: str) -> Callable:
    """A method written here that PyTorch binds as Python's no-argument method: any
    argument is refused first, in Python's words for such a method."""

    @functools.wraps(method)
    def taking_nothing(self, *args, **kwargs):
        if args or kwargs:
            raise no_arguments_error(qualified, args, kwargs)  # type: ignore[misc]
        return method(self)

    taking_nothing._argument_types_guarded = True  # type: ignore[attr-defined]
    return taking_nothing


def _method_guarded(method: Callable, qualified: str) -> Callable:
    flags = suspect_args.spec(qualified)

    @functools.wraps(method)
    def checked_on_failure(self, *args, **kwargs):
        # an argument PyTorch's parser refuses is refused before an in-place method writes
        suspect = flags and suspect_args.suspect(flags, args, kwargs)
        if suspect and not _called_by_a_guarded_function():
            error = suspect_args.refusal(parser_error(qualified, args, kwargs), suspect)
            if error is not None:
                return tensor_likes.after_failure(error, checked_on_failure, (self, *args), kwargs)
        try:
            return method(self, *args, **kwargs)
        except _FAILURES as failure:
            return _after_failure(failure, checked_on_failure, method, qualified, self, args, kwargs)

    checked_on_failure._argument_types_guarded = True  # type: ignore[attr-defined]
    _WRAPPER_CODES.add(checked_on_failure.__code__)
    tensor_likes.WRAPPER_CODES.add(checked_on_failure.__code__)
    return checked_on_failure


def _after_failure(failure: Exception, public: Callable, method: Callable, qualified: str, self: Any,
                   args: tuple, kwargs: dict, keeps_named: bool = True) -> Any:
    """What the call `self.<method>(*args, **kwargs)` that raised `failure` answers: a
    tensor-like argument's result, else PyTorch's parser error where its parser refuses
    the arguments, else `failure`. Called by the frame that made the call (the wrapper).
    `keeps_named`: a TypeError worded as the parser's stands, but for its position."""
    if tensor_likes.overriding_types(args, kwargs):
        return tensor_likes.after_failure(failure, public, (self, *args), kwargs)
    if _refused_by_python(failure, method, (self, *args), kwargs):
        error = parser_error(qualified, args, kwargs)
        if error is not None:
            raise error from failure
    if _called_by_a_guarded_function(3):
        raise failure
    parsers = parser_error(qualified, args, kwargs) or scalar_conversion_error(failure)
    _raise_parsers_error(failure, qualified, parsers, keeps_named)


def _raise_parsers_error(failure: BaseException, qualified: str, parsers: BaseException | None,
                         keeps_named: bool) -> NoReturn:
    """Raises `parsers`, PyTorch's error for a failed call, else `failure`; with
    `keeps_named`, a TypeError the body worded as the parser's stands, but for its
    position."""
    if keeps_named and _worded_here(failure, qualified):
        positioned = corrected(failure, parsers)
        if positioned is not None:
            raise positioned from failure
        raise failure
    if parsers is None:
        raise failure
    raise parsers from failure


@drops_own_frames
def core_method_failed(qualified: str, self: Any, args: tuple, kwargs: dict, failure: Exception) -> Any:
    """`_after_failure` for a core method guarded by `_core._guard_core_methods`, whose
    native trampoline calls this when the method raised. Its own TypeErrors give way to
    the parser's wherever the parser refuses the arguments; tensor-likes have had their
    turn in the core."""
    if not isinstance(failure, _FAILURES) or tensor_likes.overriding_types(args, kwargs):
        raise failure
    name = qualified[len("Tensor."):]
    if isinstance(failure, RuntimeError):
        from ._sparse_operand_inplace import retried

        result = retried(name, self, args, kwargs)
        if result is not None:
            return result
    method = getattr(Tensor, name)
    try:
        return _after_failure(failure, method, method, qualified, self, args, kwargs, keeps_named=False)
    except TypeError as error:
        if error is failure and str(error).startswith(qualified + "() "):  # pyo3 names the class
            renamed = TypeError(str(error)[len("Tensor."):])
            renamed._fg_method_refusal = True  # type: ignore[attr-defined]
            raise renamed from None
        error._fg_method_refusal = True  # type: ignore[attr-defined]
        raise


@drops_own_frames
def function_failed(function: Any, args: tuple, kwargs: dict, failure: BaseException) -> Any:
    """Called by a function behind the gate (`_GatedFunction`) whose body raised
    `failure`: for the hottest functions, which no wrapper here checks, PyTorch's parser
    error where its parser refuses the arguments; `failure` otherwise."""
    qualified = getattr(function, "_fg_signature_key", "")
    if (not _is_hot_function(qualified) or not isinstance(failure, TypeError)
            or tensor_likes.overriding_types(args, kwargs) or _called_by_a_guarded_function()):
        raise failure
    listed = _listed_checker(qualified)
    parsers = (listed and listed(args, kwargs)) or parser_error(qualified, args, kwargs)
    if parsers is None and _self_by_keyword(args, kwargs):
        self_value, rest = _self_first(kwargs)
        return function(self_value, **rest)
    _raise_parsers_error(failure, qualified, parsers, keeps_named=True)


def _self_by_keyword(args: tuple, kwargs: dict) -> bool:
    """Whether a call the parser takes gives `self=` by keyword: PyTorch binds it to the
    overloads whose first parameter is a Number (`torch.pow(self=2, exponent=t)`), which
    the functions here call `input`."""
    return not args and "self" in kwargs


def _self_first(kwargs: dict) -> tuple[Any, dict]:
    return kwargs["self"], {k: v for k, v in kwargs.items() if k != "self"}


def _is_hot_function(qualified: str) -> bool:
    """A top-level or nn.functional function too hot for a wrapper's frame."""
    namespace, _, short = qualified.rpartition(".")
    return short in HOT_FUNCTIONS and namespace in ("", "nn.functional")


def _worded_here(failure: BaseException, qualified: str) -> bool:
    """Whether `failure` is a TypeError worded as PyTorch's parser words its own for
    `qualified` by the body that raised it; not one a core method's parser check gave the
    body's own call of that method (`ferrograd.clamp(x, min="a")` runs `x.clamp`)."""
    return (isinstance(failure, TypeError) and getattr(failure, "_fg_method_refusal", False) is False
            and names_its_function(failure, qualified))


def _called_by_a_guarded_function(depth: int = 2) -> bool:
    """Whether a guarded call is under way further up the stack: a function built on
    another hands it arguments of its own making, so only the outermost call, the user's,
    answers for the argument types. `depth`: that of the frame that called the wrapper
    that failed, from this function's own."""
    frame = sys._getframe(depth)
    while frame is not None:
        if frame.f_code in _WRAPPER_CODES:
            return True
        frame = frame.f_back
    return False


def guard(namespace: dict[str, Any], prefix: str) -> None:
    """Wraps the listed functions of a module's `namespace` (its qualified names start
    with `prefix`, e.g. "nn.functional.")."""
    for name, fn in list(namespace.items()):
        namespace[name] = guard_one(prefix + name, fn)


def guard_one(qualified: str, fn: Any) -> Any:
    """`fn`, wrapped if `qualified` is listed."""
    check = _checker(qualified)
    if check is None or not callable(fn) or isinstance(fn, type) or getattr(fn, "_argument_types_guarded", False):
        return fn
    if check is _no_refusal and getattr(fn, "_dispatching_first", False):
        return fn  # hands a tensor-like over already
    wrapped = _guarded(fn, check, qualified in CHECK_FIRST, _inplace_position(qualified, fn))
    wrapped._argument_types_guarded = True  # type: ignore[attr-defined]
    return wrapped
