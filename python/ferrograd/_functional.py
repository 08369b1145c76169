"""Function forms of the Tensor methods (`ferrograd.add(x, y)`, `ferrograd.exp(x)`, ...)."""

from __future__ import annotations

from ._core import Tensor

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


def add(input: Tensor, other, *, alpha=1) -> Tensor:
    """`input + alpha * other`."""
    if not isinstance(input, Tensor):
        from ._creation import tensor

        input = tensor(input)
    return input.add(other, alpha=alpha)


def sub(input: Tensor, other, *, alpha=1) -> Tensor:
    """`input - alpha * other`."""
    return input.sub(other, alpha=alpha)


subtract = sub


def mul(input: Tensor, other) -> Tensor:
    """Elementwise product."""
    return input.mul(other) if isinstance(input, Tensor) else other.mul(input)


multiply = mul


def div(input: Tensor, other, *, rounding_mode=None) -> Tensor:
    """True division, or rounded with rounding_mode='trunc'|'floor'."""
    return input.div(other, rounding_mode=rounding_mode)


divide = div
true_divide = div


def floor_divide(input: Tensor, other) -> Tensor:
    """Elementwise floor division."""
    return input.floor_divide(other)


def remainder(input: Tensor, other) -> Tensor:
    """Python's modulo: the result takes the divisor's sign."""
    return input.remainder(other)


def pow(input, exponent) -> Tensor:
    """`input ** exponent`."""
    return input ** exponent


def square(input: Tensor) -> Tensor:
    """`input ** 2`."""
    return input.pow(2)


def _unary(name: str):
    def fn(input: Tensor) -> Tensor:
        return getattr(input, name)()

    fn.__name__ = name
    fn.__doc__ = f"Elementwise `{name}`."
    return fn


neg = _unary("neg")
negative = neg
exp = _unary("exp")
log = _unary("log")
sqrt = _unary("sqrt")
abs = _unary("abs")
sin = _unary("sin")
cos = _unary("cos")
tanh = _unary("tanh")
sigmoid = _unary("sigmoid")
relu = _unary("relu")
reciprocal = _unary("reciprocal")
sign = _unary("sign")
trunc = _unary("trunc")
isnan = _unary("isnan")
logical_not = _unary("logical_not")
t = _unary("t")
clone = _unary("clone")


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise maximum (NaN propagates)."""
    return input.maximum(other)


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise minimum (NaN propagates)."""
    return input.minimum(other)


def clamp(input: Tensor, min=None, max=None) -> Tensor:
    """Limits values to [min, max]."""
    return input.clamp(min, max)


clip = clamp


def _binary(name: str):
    def fn(input: Tensor, other) -> Tensor:
        return getattr(input, name)(other)

    fn.__name__ = name
    fn.__doc__ = f"`input.{name}(other)`."
    return fn


matmul = _binary("matmul")
mm = _binary("mm")
bmm = _binary("bmm")
mv = _binary("mv")
dot = _binary("dot")
eq = _binary("eq")
ne = _binary("ne")
lt = _binary("lt")
le = _binary("le")
gt = _binary("gt")
ge = _binary("ge")
logical_and = _binary("logical_and")
logical_or = _binary("logical_or")
logical_xor = _binary("logical_xor")


def sum(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Sum over all elements or over `dim`."""
    return input.sum(dim, keepdim, dtype=dtype)


def mean(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Mean over all elements or over `dim`."""
    return input.mean(dim, keepdim, dtype=dtype)


def prod(input: Tensor, dim=None, keepdim: bool = False, *, dtype=None) -> Tensor:
    """Product over all elements or over one dim."""
    return input.prod(dim, keepdim, dtype=dtype)


def amax(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """Maximum over `dim` (all dims by default)."""
    return input.amax(dim, keepdim)


def amin(input: Tensor, dim=(), keepdim: bool = False) -> Tensor:
    """Minimum over `dim` (all dims by default)."""
    return input.amin(dim, keepdim)






def all(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Whether all elements are true."""
    return input.all(dim, keepdim)


def any(input: Tensor, dim=None, keepdim: bool = False) -> Tensor:
    """Whether any element is true."""
    return input.any(dim, keepdim)


def norm(input: Tensor, p="fro", dim=None, keepdim: bool = False, dtype=None) -> Tensor:
    """Vector p-norm (2 by default)."""
    return input.norm(p, dim, keepdim, dtype=dtype)


def reshape(input: Tensor, shape) -> Tensor:
    """`input.reshape(shape)`."""
    return input.reshape(shape)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swaps two dims (a view)."""
    return input.transpose(dim0, dim1)


def permute(input: Tensor, dims) -> Tensor:
    """Reorders dims (a view)."""
    return input.permute(dims)


def squeeze(input: Tensor, dim=None) -> Tensor:
    """Removes size-1 dims."""
    return input.squeeze(dim)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Inserts a size-1 dim."""
    return input.unsqueeze(dim)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Flattens dims start_dim..end_dim into one."""
    return input.flatten(start_dim, end_dim)


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """`input` indexed at `index` along `dim` (a view)."""
    return input.select(dim, index)


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """A slice of `length` along `dim` (a view)."""
    return input.narrow(dim, start, length)




def masked_fill(input: Tensor, mask: Tensor, value) -> Tensor:
    """`value` where `mask`, else `input`."""
    return input.masked_fill(mask, value)
