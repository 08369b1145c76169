"""Function forms of the Tensor methods (`ferrograd.add(x, y)`, `ferrograd.exp(x)`, ...)."""

from __future__ import annotations

import numbers
from typing import Any

from . import _core, _deprecated_overloads
from ._argcheck import need_tensor, type_name
from ._core import Tensor
from ._float8_products import refuse_product
from ._float8_unary import refuse_unary
from ._parser_check import parser_error, refusal
from ._shell_dtypes import FLOAT8_DTYPES

__all__ = [
    "abs",
    "add",
    "all",
    "amax",
    "amin",
    "any",
    "bmm",
    "clamp",
    "clip",
    "clone",
    "cos",
    "div",
    "divide",
    "dot",
    "eq",
    "exp",
    "flatten",
    "floor_divide",
    "ge",
    "gt",
    "isnan",
    "le",
    "log",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "lt",
    "masked_fill",
    "matmul",
    "maximum",
    "mean",
    "minimum",
    "mm",
    "mul",
    "multiply",
    "mv",
    "narrow",
    "ne",
    "neg",
    "negative",
    "norm",
    "permute",
    "pow",
    "prod",
    "reciprocal",
    "relu",
    "remainder",
    "reshape",
    "select",
    "sigmoid",
    "sign",
    "sin",
    "sqrt",
    "square",
    "squeeze",
    "sub",
    "subtract",
    "sum",
    "t",
    "tanh",
    "transpose",
    "true_divide",
    "trunc",
    "unsqueeze",
]


def add(input: Tensor, other, *deprecated_other, alpha=1) -> Tensor:
    """`input + alpha * other`, with broadcasting and type promotion.

    Args:
        input: a tensor (or number).
        other: a tensor or number.
        deprecated_other: PyTorch's deprecated `add(input, alpha, other)` order, a
            number `alpha` second (warns).
        alpha: multiplier of `other` (default 1).
    """
    if deprecated_other:
        other, alpha = _deprecated_alpha_first("add", other, deprecated_other)
    try:
        return _as_tensor(input, other=other).add(other, alpha=alpha)
    except TypeError as failure:
        _raise_parsers("add", failure, input, other, alpha)


def _raise_parsers(name: str, failure: TypeError, input, other, alpha) -> None:
    """Raises PyTorch's parser error for `name(input, other, alpha=alpha)` where its parser
    refuses the call (the method the call went through counts other positions), else
    `failure` again."""
    given = {} if type(alpha) is int and alpha == 1 else {"alpha": alpha}
    error = parser_error(name, (input, other), given)
    if error is None:
        raise failure
    raise error from failure


def _deprecated_alpha_first(name: str, alpha, rest: tuple) -> tuple:
    """(other, alpha) of PyTorch's deprecated `add/sub(input, Number alpha, other)`."""
    if len(rest) != 1 or isinstance(alpha, Tensor) or not isinstance(alpha, (bool, int, float, complex)):
        raise TypeError(f"{name}() takes 2 positional arguments but {2 + len(rest)} were given")
    _deprecated_overloads.warn_once(
        f"This overload of {name} is deprecated:\n\t{name}(Tensor input, Number alpha, Tensor other)\n"
        f"Consider using one of the following signatures instead:\n\t{name}(Tensor input, Tensor other, *, "
        "Number alpha = 1)")
    return rest[0], alpha


def _as_tensor(input, op: str = "", other=None, true_division: bool = False) -> Tensor:
    """A number given as `input` becomes a 0-d tensor (PyTorch's `(Number self, Tensor
    other)` overloads promote it like a scalar); `other` and `true_division` place a
    Python int past int64 as PyTorch does (`_big_int_scalar`)."""
    if isinstance(input, Tensor):
        return input
    if not isinstance(input, (bool, int, float, complex)):
        where = f"{op}(): " if op else ""
        raise TypeError(f"{where}argument 'input' (position 1) must be Tensor, not {type_name(input)}")
    from ._creation import tensor

    if isinstance(input, int) and not _INT64_MIN <= input <= _INT64_MAX:
        return _big_int_scalar(input, op, other, true_division)
    return tensor(input)


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def need_unsigned_64(value: int) -> None:
    """PyTorch's OverflowError for a Python int past int64 that no unsigned 64-bit Scalar
    holds either."""
    if value < 0:
        raise OverflowError("can't convert negative int to unsigned")
    if value >= 2**64:
        raise OverflowError("int too big to convert")


def _big_int_scalar(value: int, op: str, other, true_division: bool) -> Tensor:
    """PyTorch's Scalar of a Python int past int64, as a 0-d tensor: an unsigned 64-bit
    value up to 2**64 (OverflowError beyond, or below int64). Against a 0-d integer tensor
    PyTorch's wrapped scalar takes that tensor's dtype: its int64 bits, or its value for a
    true division."""
    from ._core import get_default_dtype, int64, uint64
    from ._creation import tensor

    need_unsigned_64(value)
    if isinstance(other, Tensor) and op == "sub" and other.dtype == _core.bool:
        return tensor(value - 2**64, dtype=int64)  # PyTorch refuses a bool subtraction before promoting
    if isinstance(other, Tensor) and other.dim() == 0 and not (other.is_floating_point() or other.is_complex()):
        if true_division:
            return tensor(float(value), dtype=get_default_dtype())
        return tensor(value - 2**64, dtype=int64)
    return tensor(value, dtype=uint64)


def sub(input: Tensor, other, *deprecated_other, alpha=1) -> Tensor:
    """`input - alpha * other`, with broadcasting and type promotion.

    Args:
        input: a tensor.
        other: a tensor or number.
        deprecated_other: PyTorch's deprecated `sub(input, alpha, other)` order, a
            number `alpha` second (warns).
        alpha: multiplier of `other` (default 1).
    """
    if deprecated_other:
        other, alpha = _deprecated_alpha_first("sub", other, deprecated_other)
    try:
        return _as_tensor(input, "sub", other).sub(other, alpha=alpha)
    except TypeError as failure:
        _raise_parsers("sub", failure, input, other, alpha)


def subtract(input: Tensor, other, *alpha_given, alpha=1) -> Tensor:
    """`input - alpha * other`, as `sub`, without its deprecated `(input, alpha, other)`
    order (PyTorch's parser refuses it for `subtract`).

    Args:
        input: a tensor.
        other: a tensor or number.
        alpha_given: `alpha` by position, taken when `other` is a number (PyTorch's
            `(Tensor input, Number other, Number alpha)` overload).
        alpha: multiplier of `other` (default 1).
    """
    if alpha_given:
        numbers = (bool, int, float, complex)
        if len(alpha_given) != 1 or not isinstance(other, numbers) or not isinstance(alpha_given[0], numbers):
            raise parser_error("subtract", (input, other, *alpha_given), {}) or TypeError(
                f"subtract() takes 2 positional arguments but {2 + len(alpha_given)} were given")
        alpha = alpha_given[0]
    elif alpha is None:  # sub would name itself; PyTorch names subtract
        raise parser_error("subtract", (input, other), {"alpha": alpha})
    return _as_tensor(input, "sub", other).sub(other, alpha=alpha)


def mul(input: Tensor, other) -> Tensor:
    """The elementwise product `input * other`, with broadcasting and type promotion.

    Args:
        input: a tensor (or a number when `other` is a tensor).
        other: a tensor or number.
    """
    if isinstance(input, Tensor):
        return input.mul(other)
    if not isinstance(other, Tensor):
        return _as_tensor(input, "mul").mul(other)  # two numbers: PyTorch wraps the first in a 0-dim tensor
    if not isinstance(input, numbers.Number):
        _as_tensor(input, "mul")  # PyTorch's TypeError: no list, array or str for `Tensor input`
    return other.mul(input)


def _is_ndarray(value) -> bool:
    """A NumPy array (not a NumPy scalar, which PyTorch takes as a number)."""
    kind = type(value)
    return kind.__name__ == "ndarray" and kind.__module__ == "numpy"


multiply = mul


class _NotGiven:
    """`div`'s default `rounding_mode`: PyTorch's node differs when None is passed."""

    def __repr__(self) -> str:
        return "None"


_NOT_GIVEN: Any = _NotGiven()


def div(input: Tensor, other, *, rounding_mode=_NOT_GIVEN) -> Tensor:
    """Elementwise `input / other`, with broadcasting: true division (integers give the
    default float dtype) unless a rounding mode is given.

    Args:
        input: the dividend tensor.
        other: the divisor, a tensor or number.
        rounding_mode: None for true division, 'trunc' to round toward zero, 'floor' to
            round down (these keep integer dtypes).
    """
    if rounding_mode is _NOT_GIVEN:
        return _as_tensor(input, other=other, true_division=True).div(other)
    true_division = rounding_mode is None
    return _as_tensor(input, other=other, true_division=true_division).div(other, rounding_mode=rounding_mode)


divide = div
true_divide = div


def floor_divide(input: Tensor, other) -> Tensor:
    """Elementwise division rounded down, `floor(input / other)`, with broadcasting.

    Args:
        input: the dividend tensor.
        other: the divisor, a tensor or number.
    """
    return _as_tensor(input, other=other).floor_divide(other)


def remainder(input: Tensor, other) -> Tensor:
    """Elementwise Python-style modulo: the result takes the sign of the divisor.

    Args:
        input: the dividend, a tensor (or a number when `other` is a tensor).
        other: the divisor, a tensor or number (broadcast with `input`).
    """
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError(f"remainder() received an invalid combination of arguments - got "
                        f"({type(input).__name__}, {type(other).__name__}), but expected one of:\n"
                        " * (Tensor input, Tensor other, *, Tensor out = None)\n"
                        " * (Number self, Tensor other)\n"
                        " * (Tensor input, Number other, *, Tensor out = None)\n")
    if not isinstance(input, Tensor) and isinstance(other, Tensor):
        # PyTorch's (Scalar, Tensor) overload, `number % other`: no derivative formula
        _as_tensor(input, "remainder")  # its refusal of what is no number
        return other.__rmod__(input)
    return input.remainder(other)


def pow(input, exponent) -> Tensor:
    """Elementwise `input ** exponent`, with broadcasting.

    Args:
        input: the base, a tensor or number.
        exponent: the exponent, a tensor or number.
    """
    if not (isinstance(input, Tensor) or isinstance(exponent, Tensor)) or _is_ndarray(input) or _is_ndarray(exponent):
        a, b = (type_name(v) for v in (input, exponent))
        raise TypeError(
            f"pow() received an invalid combination of arguments - got ({a}, {b}), but expected one of:\n"
            " * (Tensor input, Tensor exponent, *, Tensor out = None)\n"
            " * (Number self, Tensor exponent, *, Tensor out = None)\n"
            " * (Tensor input, Number exponent, *, Tensor out = None)\n"
        )
    if not isinstance(input, complex):  # the core keeps a real number base itself
        return input ** exponent
    from ._saved_values import keep_number

    return keep_number(input ** exponent, input)


def square(input: Tensor) -> Tensor:
    """Elementwise `input ** 2`.

    Args:
        input: the input tensor.
    """
    return input.pow(2)


def _unary(name: str):
    def fn(input: Tensor) -> Tensor:
        return getattr(input, name)()

    fn.__name__ = fn.__qualname__ = name  # Python's errors about the call name it
    fn.__doc__ = f"{_UNARY_SUMMARIES[name]}\n\nArgs:\n    input: the input tensor.\n"
    return fn


_UNARY_SUMMARIES = {
    "neg": "Elementwise negation, `-input`.",
    "exp": "Elementwise exponential, `e ** input`; integer inputs give the default float dtype.",
    "log": "Elementwise natural logarithm (NaN below zero, -inf at zero); integers give a float result.",
    "sqrt": "Elementwise square root (NaN below zero); integers give a float result.",
    "abs": "Elementwise absolute value, in the input's dtype.",
    "sin": "Elementwise sine (radians); integers give a float result.",
    "cos": "Elementwise cosine (radians); integers give a float result.",
    "tanh": "Elementwise hyperbolic tangent; integers give a float result.",
    "sigmoid": "Elementwise logistic sigmoid, `1 / (1 + exp(-input))`.",
    "relu": "Elementwise rectified linear unit, `max(input, 0)`.",
    "reciprocal": "Elementwise `1 / input`; integers give a float result.",
    "sign": "Elementwise sign: -1, 0 or 1 in the input's dtype.",
    "trunc": "Elementwise rounding toward zero.",
    "isnan": "A bool tensor, True where `input` is NaN.",
    "logical_not": "A bool tensor, True where `input` is zero (or False).",
    "t": "The transpose of a tensor of at most 2 dimensions (a view); 0-d and 1-d come back as they are.",
    "clone": "A copy of `input` with its own memory; gradients flow back to `input`.",
}


neg = _unary("neg")
negative = neg
exp = _unary("exp")
log = _unary("log")
sqrt = _unary("sqrt")
abs = _unary("abs")
sin = _unary("sin")
cos = _unary("cos")
tanh = _unary("tanh")
_sigmoid = _unary("sigmoid")


def sigmoid(input: Tensor) -> Tensor:
    refuse_unary("sigmoid", input)  # the core names sigmoid's 8-bit kernel differently
    return _sigmoid(input)


sigmoid.__doc__ = _sigmoid.__doc__
relu = _unary("relu")
reciprocal = _unary("reciprocal")
sign = _unary("sign")
trunc = _unary("trunc")
isnan = _unary("isnan")
logical_not = _unary("logical_not")
t = _unary("t")
clone = _unary("clone")


def _need_tensor_other(name: str, input: Any, other: Any) -> None:
    """PyTorch's parser words the refusal of a non-tensor `other` (no Scalar overload)."""
    if isinstance(input, Tensor):
        need_tensor(name, "other", 2, other)


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """The elementwise maximum of two tensors, with broadcasting (NaN propagates).

    Args:
        input: the first tensor.
        other: the second tensor.
    """
    try:
        return input.maximum(other)
    except TypeError:
        _need_tensor_other("maximum", input, other)
        raise


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """The elementwise minimum of two tensors, with broadcasting (NaN propagates).

    Args:
        input: the first tensor.
        other: the second tensor.
    """
    try:
        return input.minimum(other)
    except TypeError:
        _need_tensor_other("minimum", input, other)
        raise


def clamp(input: Tensor, min=None, max=None) -> Tensor:
    """Each element limited to `[min, max]`.

    Args:
        input: the input tensor.
        min: the lower bound, a number or tensor; None for no lower bound.
        max: the upper bound, a number or tensor; None for no upper bound.
    """
    return input.clamp(min, max)


clip = clamp


def _binary(name: str):
    def fn(input: Tensor, other) -> Tensor:
        return getattr(input, name)(other)

    fn.__name__ = name
    summary, input_doc, other_doc = _BINARY_DOCS[name]
    fn.__doc__ = f"{summary}\n\nArgs:\n    input: {input_doc}\n    other: {other_doc}\n"
    return fn



def _comparison(symbol: str) -> tuple[str, str, str]:
    return (f"A bool tensor, the elementwise comparison `input {symbol} other`, with broadcasting.",
            "a tensor.", "a tensor or number.")


def _logical(word: str) -> tuple[str, str, str]:
    return (f"A bool tensor, the elementwise logical {word} of `input` and `other` (nonzero counts as true).",
            "a tensor.", "a tensor, broadcast with `input`.")


# name -> (summary, what `input` is, what `other` is)
_BINARY_DOCS = {
    "matmul": ("The matrix product of two tensors: a dot product for two 1-D tensors, a matrix product for 2-D, and broadcast batched products beyond (1-D operands get a dimension added, then removed).",
               "a tensor of at least 1 dimension.", "a tensor of at least 1 dimension."),
    "mm": ("The matrix product of two 2-D tensors, (n, m) @ (m, p) -> (n, p).", "an (n, m) matrix.", "an (m, p) matrix."),
    "bmm": ("The batched matrix product of two 3-D tensors, (b, n, m) @ (b, m, p) -> (b, n, p); no broadcasting.",
            "a (b, n, m) tensor.", "a (b, m, p) tensor."),
    "mv": ("The product of a matrix and a vector, (n, m) @ (m,) -> (n,).", "an (n, m) matrix.", "a 1-D tensor of size m."),
    "dot": ("The dot product of two 1-D tensors of the same size and dtype, as a 0-d tensor.", "a 1-D tensor.", "a 1-D tensor."),
    "eq": _comparison("=="),
    "ne": _comparison("!="),
    "lt": _comparison("<"),
    "le": _comparison("<="),
    "gt": _comparison(">"),
    "ge": _comparison(">="),
    "logical_and": _logical("AND"),
    "logical_or": _logical("OR"),
    "logical_xor": _logical("XOR"),
}


def matmul(input: Tensor, other: Tensor) -> Tensor:
    try:
        return input.matmul(other)
    except TypeError as e:
        # the method counts from its receiver; the function's `other` is its second argument
        text = str(e)
        if not text.startswith("matmul(): argument 'other' (position 1)"):
            raise
        raise TypeError(text.replace("(position 1)", "(position 2)", 1)) from None


matmul.__doc__ = _binary("matmul").__doc__


def _doc(name: str, second: str) -> str:
    summary, input_doc, other_doc = _BINARY_DOCS[name]
    return f"{summary}\n\nArgs:\n    input: {input_doc}\n    {second}: {other_doc}\n"


# The matrix products name their second operand as PyTorch does (`mm(input, mat2)`).
def mm(input: Tensor, mat2: Tensor) -> Tensor:
    try:
        return input.mm(mat2)
    except (TypeError, AttributeError) as failure:
        raise refusal("mm", (input, mat2), {}, failure) from None


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    if isinstance(input, Tensor) and input.dtype == _core.bool:  # before the dtypes are compared
        raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
    try:
        return input.bmm(mat2)
    except (TypeError, AttributeError) as failure:
        raise refusal("bmm", (input, mat2), {}, failure) from None


def mv(input: Tensor, vec: Tensor) -> Tensor:
    return input.mv(vec)


def dot(input: Tensor, tensor: Tensor) -> Tensor:
    return input.dot(tensor)


mm.__doc__ = _doc("mm", "mat2")
bmm.__doc__ = _doc("bmm", "mat2")
mv.__doc__ = _doc("mv", "vec")
dot.__doc__ = _doc("dot", "tensor")
eq = _binary("eq")
ne = _binary("ne")
lt = _binary("lt")
le = _binary("le")
gt = _binary("gt")
ge = _binary("ge")
logical_and = _binary("logical_and")
logical_or = _binary("logical_or")
logical_xor = _binary("logical_xor")


def sum(input: Tensor, *args, **kwargs) -> Tensor:
    """The sum of the elements, over all of them or over `dim`; integers and bools sum in
    int64. As PyTorch's overloads: `(input, *, dtype=None)` (`SumBackward0`) or
    `(input, dim, keepdim=False, *, dtype=None)` (`SumBackward1`, even for dim None).

    Args:
        input: the input tensor.
        args: `dim` (a dimension or tuple of dimensions; None or () for all) and `keepdim`
            (keep reduced dimensions with size 1).
        kwargs: `dim`, `keepdim`, and `dtype` (the dtype to cast to before reducing, and
            of the result).
    """
    try:
        return input.sum(*args, **kwargs)
    except (TypeError, AttributeError) as failure:
        raise refusal("sum", (input, *args), kwargs, failure) from None


def mean(input: Tensor, *args, **kwargs) -> Tensor:
    """The mean of the elements, over all of them or over `dim` (floating or complex
    inputs, or with a floating `dtype`). As PyTorch's overloads: `(input, *, dtype=None)`
    (`MeanBackward0`) or `(input, dim, keepdim=False, *, dtype=None)` (`MeanBackward1`,
    even for dim None).

    Args:
        input: the input tensor.
        args: `dim` (a dimension or tuple of dimensions; None or () for all) and `keepdim`
            (keep reduced dimensions with size 1).
        kwargs: `dim`, `keepdim`, and `dtype` (the dtype to cast to before reducing, and
            of the result).
    """
    try:
        return input.mean(*args, **kwargs)
    except (TypeError, AttributeError) as failure:
        raise refusal("mean", (input, *args), kwargs, failure) from None


def prod(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """The product of the elements, over all of them or over one dimension; integers and
    bools multiply in int64.

    Args:
        input: the input tensor.
        dim: a single dimension; left out for all.
        keepdim: keep the reduced dimension with size 1.
        dtype: the dtype to cast to before multiplying, and of the result.
    """
    if dim is None and not keepdim:  # the overload without dim (an explicit dim=None is refused)
        return input.prod(dtype=dtype)
    return input.prod(dim, keepdim, dtype=dtype)


def amax(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """The maximum over `dim` (all dimensions by default), without indices.

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions; () for all.
        keepdim: keep reduced dimensions with size 1.
    """
    return input.amax(dim, keepdim)


def amin(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """The minimum over `dim` (all dimensions by default), without indices.

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions; () for all.
        keepdim: keep reduced dimensions with size 1.
    """
    return input.amin(dim, keepdim)






def all(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Whether all elements are nonzero, over all of them or along `dim` (a bool tensor).

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions; None for all.
        keepdim: keep reduced dimensions with size 1.
    """
    return input.all(dim, keepdim)


def any(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Whether any element is nonzero, over all of them or along `dim` (a bool tensor).

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions; None for all.
        keepdim: keep reduced dimensions with size 1.
    """
    return input.any(dim, keepdim)


def norm(input: Tensor, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """The p-norm of the elements, over all of them or over `dim`.

    Args:
        input: a floating or complex tensor.
        p: the order: a number (inf and -inf included), 'fro' (the 2-norm, the default)
            or 'nuc' (the nuclear norm of the matrices in `dim`, the last two by default).
        dim: a dimension or tuple of dimensions; None for all.
        keepdim: keep reduced dimensions with size 1.
        dtype: the dtype `input` is cast to before the norm is taken, and of the
            result; None keeps the input's (real) dtype.
    """
    return input.norm(p, dim, keepdim, dtype=dtype)


def reshape(input: Tensor, shape) -> Tensor:
    """A tensor with the elements of `input` in the given shape: a view when the strides
    allow, else a copy.

    Args:
        input: the input tensor.
        shape: the new shape; one entry may be -1 to be inferred.
    """
    return input.reshape(shape)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """A view of `input` with dimensions `dim0` and `dim1` swapped.

    Args:
        input: the input tensor.
        dim0: the first dimension.
        dim1: the second dimension.
    """
    return input.transpose(dim0, dim1)


def permute(input: Tensor, dims) -> Tensor:
    """A view of `input` with its dimensions reordered.

    Args:
        input: the input tensor.
        dims: the new order, a permutation of the dimensions.
    """
    return input.permute(dims)


_ALL_DIMS = object()  # squeeze(input) without dim (an explicit None is PyTorch's TypeError)


def squeeze(input: Tensor, dim=_ALL_DIMS) -> Tensor:
    """A view of `input` without its dimensions of size 1.

    Args:
        input: the input tensor.
        dim: a dimension or tuple of dimensions to remove when of size 1; omitted for all.
    """
    return input.squeeze() if dim is _ALL_DIMS else input.squeeze(dim)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """A view of `input` with a new dimension of size 1 at position `dim`.

    Args:
        input: the input tensor.
        dim: where the new dimension goes (negative counts from the end of the result).
    """
    return input.unsqueeze(dim)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """`input` with dimensions `start_dim` to `end_dim` merged into one (a view when
    possible).

    Args:
        input: the input tensor.
        start_dim: the first dimension to flatten (default 0).
        end_dim: the last dimension to flatten (default -1).
    """
    return input.flatten(start_dim, end_dim)


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """A view of `input` at position `index` along `dim`, which it removes.

    Args:
        input: the input tensor.
        dim: the dimension to index.
        index: the position along `dim` (negative counts from the end).
    """
    return input.select(dim, index)


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """A view of `input` restricted to `length` elements along `dim` from `start`.

    Args:
        input: the input tensor.
        dim: the dimension to narrow.
        start: the first position kept (a number or 0-d integer tensor).
        length: how many positions are kept.
    """
    return input.narrow(dim, start, length)


def _check_narrow_start(start) -> None:
    """PyTorch takes a tensor `start` only as a 0-dim integer tensor."""
    if isinstance(start, Tensor) and (start.dim() != 0 or start.dtype.is_floating_point or start.dtype.is_complex
                                      or start.dtype == _core.bool):
        raise RuntimeError("start must be an 0-dim integral Tensor.")


_native_narrow = Tensor.narrow


def _narrow_method(self: Tensor, dim: int, start, length: int) -> Tensor:
    _check_narrow_start(start)
    return _native_narrow(self, dim, start, length)


_narrow_method.__name__ = "narrow"
_narrow_method.__qualname__ = "Tensor.narrow"
_narrow_method.__doc__ = _native_narrow.__doc__
Tensor.narrow = _narrow_method




def masked_fill(input: Tensor, mask: Tensor, value) -> Tensor:
    """A copy of `input` with `value` wherever `mask` is True.

    Args:
        input: the input tensor.
        mask: a bool tensor broadcastable to `input`.
        value: a number or 0-d tensor.
    """
    return input.masked_fill(mask, value)


def _check_dot_operands(a: Tensor, b: Tensor) -> None:
    """PyTorch's checks of dot's operands, in its order."""
    from ._dtype_names import scalar_name

    if a.dim() != 1 or b.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.dim()}D and {b.dim()}D tensors")
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {scalar_name(a.dtype)} and {scalar_name(b.dtype)}")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] to have the same number "
            f"of elements, but got {a.shape[0]} and {b.shape[0]} elements respectively")


def _name_method_operands() -> None:
    """`Tensor.mm(mat2)`, `bmm(mat2)`, `mv(vec)`, `dot(tensor)`, `pow(exponent)` and
    `pow_(exponent)`: the Rust methods wrapped so that PyTorch's keyword names work."""
    native = {name: getattr(Tensor, name) for name in ("mm", "bmm", "mv", "dot", "pow", "pow_")}

    def mm(self: Tensor, mat2: Tensor) -> Tensor:
        out = native["mm"](self, mat2)
        refuse_product("mm", self, mat2, out)
        return out

    def bmm(self: Tensor, mat2: Tensor) -> Tensor:
        out = native["bmm"](self, mat2)
        refuse_product("bmm", self, mat2, out)
        return out

    def mv(self: Tensor, vec: Tensor) -> Tensor:
        if isinstance(self, Tensor) and self.dim() == 0:  # PyTorch sizes its result by self.size(0) first
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        out = native["mv"](self, vec)
        refuse_product("mv", self, vec, out)
        return out

    def dot(self: Tensor, tensor: Tensor) -> Tensor:
        if isinstance(tensor, Tensor) and (self.dtype in FLOAT8_DTYPES or tensor.dtype in FLOAT8_DTYPES):
            _check_dot_operands(self, tensor)  # the core refuses the dtype before these
        return native["dot"](self, tensor)

    def pow(self: Tensor, exponent) -> Tensor:
        return native["pow"](self, exponent)

    def pow_(self: Tensor, exponent) -> Tensor:
        return native["pow_"](self, exponent)

    seconds = {"mm": "mat2", "bmm": "mat2", "mv": "vec", "dot": "tensor", "pow": "exponent", "pow_": "exponent"}
    for method in (mm, bmm, mv, dot, pow, pow_):
        name = method.__name__
        method.__qualname__ = name
        doc = native[name].__doc__ or ""
        method.__doc__ = doc.replace("    other:", f"    {seconds[name]}:")
        setattr(Tensor, name, method)


_name_method_operands()
