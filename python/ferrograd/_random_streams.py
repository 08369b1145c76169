"""Random sampling with PyTorch's streams: `normal` (every overload), `bernoulli`,
`multinomial`, `randperm`, and the in-place `uniform_`, `normal_`, `exponential_`,
`bernoulli_`; each takes `generator=`."""

from __future__ import annotations

import math

from . import _core
from ._argcheck import need_int, need_tensor_self, type_name
from ._core import Tensor
from ._dtype_names import scalar_name, short_name
from ._grad_mode import no_grad
from ._layouts import strided_only
from ._meta_create import meta_aware
from ._parser_check import parser_error
from ._python_dtypes import python_type_dtype
from ._random import using
from ._random_fill import fill_by, fill_drawn, in_memory_order, memory_dims, refuse_grad_leaf
from ._random_ints import random_from_to
from ._shell_dtypes import is_float8, refuse_float8

__all__ = ["bernoulli", "multinomial", "normal", "randperm"]


def _is_tensor(x) -> bool:
    return isinstance(x, Tensor)


def _broadcast_shape(a, b) -> tuple:
    """The broadcast of two shapes, or PyTorch's error naming the last clash (its
    infer_size looks from the trailing dim)."""
    a, b = tuple(a), tuple(b)
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b
    for k in reversed(range(n)):
        x, y = a[k], b[k]
        if x != y and 1 not in (x, y):
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) at non-singleton dimension {k}")
    return tuple(max(x, y) if 1 in (x, y) else x for x, y in zip(a, b, strict=True))


def _fill(self: Tensor, values: Tensor, op: str, node: str) -> Tensor:
    """Writes `values`, in the order drawn, into `self` in memory order."""
    return fill_drawn(self, in_memory_order(self, values), op, node)


def _from_keyword(name: str, from_, kwargs: dict):
    """PyTorch's keyword `from` (a Python keyword, so passed as `**{"from": x}`), else the
    value given by position; PyTorch knows no keyword `from_`."""
    for key in kwargs:
        if key != "from":
            raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")
    return kwargs.get("from", from_)


def _via_float(t: Tensor, draw) -> None:
    """`draw` on float32/float64 values standing for `t`: the (real, imag) pairs of a
    complex tensor, a float32 copy of a float16/bfloat16 one (PyTorch draws these from the
    float stream too)."""
    if t.dtype.is_complex and t.is_conj():
        # the memory holds the conjugates: draw the values, then write them through the view
        scratch = t.resolve_conj()
        draw(_core._view_as_real(scratch))
        t.copy_(scratch)
    elif t.dtype.is_complex:
        draw(_core._view_as_real(t))
    elif t.dtype in (_core.float16, _core.bfloat16):
        scratch = t.float()
        draw(scratch)
        t.copy_(scratch)
    else:
        draw(t)


_HALF = (_core.float16, _core.bfloat16)


def _half_uniform(t: Tensor, a: float, b: float, draw) -> None:
    """float16/bfloat16 `uniform_`: float32 draws rounded to the dtype, where one that
    rounds up to `to` becomes `from`, as PyTorch's kernel keeps the range half-open."""
    from ._creation import tensor

    scratch = t.float()
    draw(scratch)
    rounded = scratch.to(t.dtype)
    low, high = tensor(a, dtype=t.dtype), tensor(b, dtype=t.dtype)
    t.copy_(_core._where(rounded == high, low, rounded))


def _half_normal(t: Tensor, draw) -> None:
    """float16/bfloat16 `normal_`: PyTorch draws the uniforms block by block, so a
    partial last block uses the 16 after the whole blocks (float32 draws all first): the
    float32 draw of the next multiple of 16 with its last block moved to the end, scaled
    in float32 and rounded once."""
    n = t.numel()
    if n < 16 or n % 16 == 0:
        scratch = t.float()
        draw(scratch)
        t.copy_(scratch)
        return
    from ._creation import empty

    whole = n // 16 * 16
    scratch = empty(whole + 16, dtype=_core.float32)
    draw(scratch)
    values = _core._cat([scratch[: n - 16], scratch[whole:]], 0)
    t.copy_(values.reshape(tuple(t.shape)))


def _tensor_uniform_(self: Tensor, from_: float = 0.0, /, to: float = 1.0, *, generator=None, **kwargs) -> Tensor:
    """Fills this tensor in place with samples uniform in [from, to); returns it.

    Args:
        from_: the lower bound (default 0); by keyword, PyTorch's `from` (`from_=` is refused, as there).
        to: the upper bound (default 1).
        generator: the random generator to draw from; None for the default one.
        kwargs: only `from`, PyTorch's name for `from_`.
    """
    need_tensor_self("uniform_", self)
    a, b = _from_keyword("uniform_", from_, kwargs), to
    from .nn import init

    init._check_uniform_bounds(self.dtype, a, b)  # before a half tensor is drawn as float32

    def draw(u: Tensor) -> None:
        init._tensor_uniform_(u, a, b)

    def fill(t: Tensor) -> None:
        if t.dtype in _HALF:
            _half_uniform(t, float(a), float(b), draw)
        else:
            _via_float(t, draw)

    with using(generator):
        return fill_by(self, fill, "uniform_", "UniformBackward0")


def _tensor_normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
    """Fills this tensor in place with samples of the normal distribution N(mean, std²);
    returns it.

    Args:
        mean: the mean (default 0).
        std: the standard deviation (default 1).
        generator: the random generator to draw from; None for the default one.
    """
    need_tensor_self("normal_", self)
    if not (isinstance(mean, (int, float)) and isinstance(std, (int, float))):
        _refuse_as_parser("Tensor.normal_", (mean, std))
        mean, std = float(mean), float(std)  # 0-dim tensors
    if not std >= 0:  # NaN too
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    if not (self.dtype.is_floating_point or self.dtype.is_complex):
        if self.numel() == 0:  # PyTorch's kernel never runs on no elements: no dtype refusal
            return self
        raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for '{_kernel_name(self.dtype)}'")
    from .nn import init

    # a complex normal splits the variance between the real and imaginary parts
    part_std = std / math.sqrt(2.0) if self.dtype.is_complex else std

    # PyTorch's vectorized fill runs only on a contiguous tensor (a transposed one too
    # draws one normal at a time, in memory order)
    vectorized = self.is_contiguous()

    def draw(u: Tensor) -> None:
        init.normal_fill(u, mean, part_std, vectorized)

    def fill(t: Tensor) -> None:
        if t.dtype in _HALF and vectorized:
            _half_normal(t, draw)
        else:
            _via_float(t, draw)

    with using(generator):
        return fill_by(self, fill, "normal_", "NormalBackward0")


def _tensor_exponential_(self: Tensor, lambd: float = 1.0, *, generator=None) -> Tensor:
    """Fills this tensor in place with samples of the exponential distribution of rate
    `lambd`; returns it.

    Args:
        lambd: the rate, greater than 0 (default 1).
        generator: the random generator to draw from; None for the default one.
    """
    need_tensor_self("exponential_", self)
    refuse_grad_leaf(self)
    if not lambd > 0.0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    if self.numel():
        refuse_float8("exponential_cpu", self)
    with using(generator):
        values = _core._exponential(list(self.shape), float(lambd), self.dtype)
    return _fill(self, values, "exponential_", "ExponentialBackward0")


def _tensor_bernoulli_(self: Tensor, p=0.5, *, generator=None) -> Tensor:
    """Fills this tensor in place with 0/1 draws, 1 with probability `p`; returns it.

    Args:
        p: the probability of 1, a number in [0, 1] (default 0.5) or a floating tensor
            broadcast to this one.
        generator: the random generator to draw from; None for the default one.
    """
    refuse_grad_leaf(self)
    if is_float8(self) and not self.numel():
        return self  # PyTorch's kernel never runs on no elements
    if self.dtype.is_complex or is_float8(self):
        kernel = "bernoulli_tensor_cpu_self_" if _is_tensor(p) else "bernoulli_scalar_cpu_"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_kernel_name(self.dtype)}'")
    if _is_tensor(p):
        if not p.dtype.is_floating_point:
            raise NotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for '{_kernel_name(p.dtype)}'")
        _need_probabilities(p.detach())
        # the probabilities in the order self's elements lie in memory, where they are drawn
        probs = p.detach().expand(tuple(self.shape)).permute(memory_dims(self)).contiguous()
        with using(generator):
            values = _core._bernoulli_tensor(probs, self.dtype)
        return _fill(self, values, "bernoulli_", "BernoulliBackward1")
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
    with using(generator):
        values = _core._bernoulli_scalar(list(self.shape), p, self.dtype)
    return _fill(self, values, "bernoulli_", "BernoulliBackward2")


_RANDOM_OVERLOADS = (" * (*, torch.Generator generator = None)\n"
                     " * (int from, int to, *, torch.Generator generator = None)\n"
                     " * (int to, *, torch.Generator generator = None)\n")
_NO_FROM = object()


def _check_random_bounds(from_, to) -> None:
    """PyTorch's parser of `random_`: int bounds (an int64 each), a lone one the upper."""
    from ._argcheck import need_int64
    from ._parser_check import is_parser_int

    given = [v for v in (from_, to) if v is not _NO_FROM and v is not None]
    if (from_ is not _NO_FROM and not is_parser_int(from_)) or (to is not None and not is_parser_int(to)):
        got = ", ".join(type_name(v) for v in ([from_] if from_ is not _NO_FROM else []) + ([to] if to is not None else []))
        raise TypeError(f"random_() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                        f"{_RANDOM_OVERLOADS}")
    for v in given:
        need_int64(v)


def _tensor_random_(self: Tensor, from_=_NO_FROM, /, to=_NO_FROM, *, generator=None, **kwargs) -> Tensor:
    """Fills this tensor in place with integers uniform in [from_, to) (PyTorch's draws);
    returns it.

    Args:
        from_: the lowest value; alone, it is taken as `to` (then from 0). None with no
            `to` draws over the dtype's exactly representable non-negative integers.
        to: one above the highest value.
        generator: the random generator to draw from; None for the default one.
        kwargs: only `from`, PyTorch's name for `from_`.
    """
    refuse_grad_leaf(self)
    import numpy as np

    from ._creation import tensor

    from_ = _from_keyword("random_", from_, kwargs)
    to_given_as_none = to is None
    to = None if to is _NO_FROM else to
    _check_random_bounds(from_, to)
    from_ = None if from_ is _NO_FROM else from_
    node = "RandomBackward2" if from_ is None else "RandomBackward1" if to is None else "RandomBackward0"
    if from_ is None and to is not None:  # the `random_(to=...)` overload: from 0
        from_, node = 0, "RandomBackward1"
    if from_ is not None and to_given_as_none:
        to = _highest_random(self.dtype) + 1  # PyTorch's [from, the dtype's highest exact integer]
    elif from_ is not None and to is None:
        from_, to = 0, from_
    n = self.numel()
    if from_ is not None:
        with using(generator):
            values = random_from_to(int(from_), int(to), list(self.shape), self.dtype)
        return _fill(self, values, "random_", node)
    name = repr(self.dtype).split(".", 1)[1]
    if name not in _RANDOM_COUNTS:
        raise NotImplementedError(f"\"random_kernel_cpu\" not implemented for '{_kernel_name(self.dtype)}'")
    with using(generator):
        if name in ("float64", "int64"):  # one 64-bit draw per element, else one 32-bit draw
            words = np.frombuffer(_core._random_u32(2 * n), dtype="<u4").astype(np.uint64).reshape(n, 2)
            raw = (words[:, 0] << np.uint64(32)) | words[:, 1]
        else:
            raw = np.frombuffer(_core._random_u32(n), dtype="<u4").astype(np.uint64)
        vals = (raw % np.uint64(_RANDOM_COUNTS[name])).astype(np.float64 if self.dtype.is_floating_point else np.int64)
    return _fill(self, tensor(vals.reshape(tuple(self.shape)), dtype=self.dtype), "random_", node)


def _highest_random(dtype) -> int:
    """The top of `random_(from, None)`'s range: 2**mantissa digits for a floating dtype,
    the largest value of an integer one."""
    from ._dtype_info import iinfo

    if dtype is _core.bool:
        return 1
    if dtype.is_floating_point:
        return 1 << (_RANDOM_COUNTS[repr(dtype).split(".", 1)[1]] - 1).bit_length() - 1
    return iinfo(dtype).max


def _kernel_name(dtype) -> str:
    return scalar_name(dtype)


# How many values `random_()` without bounds draws from, 0 up: the integers a floating
# dtype holds exactly (2**mantissa + 1), or all non-negative values of an integer dtype.
_RANDOM_COUNTS = {
    "float64": (1 << 53) + 1,
    "float32": (1 << 24) + 1,
    "float16": (1 << 11) + 1,
    "bfloat16": (1 << 8) + 1,
    "int64": 1 << 63,
    "int32": 1 << 31,
    "int16": 1 << 15,
    "int8": 1 << 7,
    "uint8": 1 << 8,
    "bool": 2,
}


def _need_probabilities(probs: Tensor) -> None:
    with no_grad():
        bad = bool(((probs < 0).logical_or(probs > 1)).any()) if probs.numel() else False
    if bad:
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message "
                           "be improved?  If so, please report an enhancement request to PyTorch.)")


def _refuse_as_parser(qualified: str, args: tuple, kwargs: dict | None = None) -> None:
    """PyTorch's parser error for arguments no overload of `qualified` takes (checked up
    front where ferrograd would otherwise take them: a tensor `p`, a None `mean`)."""
    error = parser_error(qualified, args, kwargs or {})
    if error is not None:
        raise error


def bernoulli(input: Tensor, p=None, *, generator=None, out=None) -> Tensor:
    """0/1 draws, 1 with the probability in each element of `input` (or with the number
    `p`), in the dtype of `input`.

    Args:
        input: a floating tensor of probabilities in [0, 1].
        p: a probability used for every element instead; None to read `input`.
        generator: the random generator to draw from; None for the default one.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    strided_only(input)
    if p is not None and not isinstance(p, (int, float)):
        _refuse_as_parser("bernoulli", (input, p))
        p = float(p)  # a 0-dim tensor is the parser's float
    if p is not None:
        from ._creation import empty_like

        return _tensor_bernoulli_(empty_like(input), p, generator=generator)
    if not input.dtype.is_floating_point:
        if input.numel() == 0:  # PyTorch's kernel never runs on no elements: no dtype refusal
            from ._creation import empty_like

            return empty_like(input)
        raise NotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for '{_kernel_name(input.dtype)}'")
    if input.numel():
        refuse_float8("bernoulli_tensor_cpu_self_", input)
    probs = input.detach().contiguous()
    _need_probabilities(probs)
    with using(generator):
        return _zero_gradient(_core._bernoulli_tensor(probs, input.dtype), "BernoulliBackward0", input)


def normal(mean, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           pin_memory=False, requires_grad: bool = False) -> Tensor:
    """Samples of the normal distribution N(mean, std²); `mean` and `std` may be tensors
    (broadcast together, giving the shape) or numbers.

    Args:
        mean: the mean, a tensor or number.
        std: the standard deviation, a tensor or number (default 1).
        size: the shape of the result when both `mean` and `std` are numbers.
        generator: the random generator to draw from; None for the default one.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
        dtype: the dtype when both are numbers; None for the default float dtype.
        layout: ignored (only strided tensors exist).
        device: the device (only the CPU exists).
        pin_memory: ignored (no accelerator).
        requires_grad: whether autograd records operations on the result (numbers only).
    """
    from ._creation import empty
    from ._numpy import np

    if isinstance(mean, np.ndarray) or isinstance(std, np.ndarray):  # even 0-dim: PyTorch's parser refuses
        from ._parser_check import parser_error

        error = parser_error("normal", (mean, std), {})
        if error is not None:
            raise error
    if device is not None:
        from ._factory_device import refuse_bad_device
        from ._parser_check import parser_error

        refuse_bad_device("normal", device, lambda: parser_error("normal", (mean, std, size), {"device": device}))
    factory = {name: value for name, value in (("dtype", dtype), ("layout", layout), ("device", device),
                                               ("pin_memory", pin_memory), ("requires_grad", requires_grad))
               if value is not None and value is not False}
    if size is not None or factory:  # only the overload of two numbers takes these
        _refuse_as_parser("normal", (mean, std) + (() if size is None else (size,)), factory)
        mean, std = float(mean), float(std)  # numbers, or 0-dim tensors the parser reads as floats
    strided_only(mean, std, op="normal.Tensor_Tensor" if _is_tensor(std) else "normal.Tensor_float")
    if _is_tensor(mean) and _is_tensor(std):
        _check_std_tensor(std)
        shape = _broadcast_shape(mean.shape, std.shape)
        z = _tensor_normal_(empty(shape, dtype=mean.dtype), 0.0, 1.0, generator=generator)
        # PyTorch scales and shifts the samples in place: the result keeps mean's dtype
        return _zero_gradient((z * std.detach()).to(mean.dtype) + mean.detach(), "NormalBackward3", mean, std)
    if _is_tensor(mean):
        std = float(std)
        if not std >= 0:  # NaN too
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        z = _tensor_normal_(empty(tuple(mean.shape), dtype=mean.dtype), 0.0, std, generator=generator)
        return _zero_gradient(z + mean.detach(), "NormalBackward1", mean)
    if _is_tensor(std):
        _check_std_tensor(std)
        z = _tensor_normal_(empty(tuple(std.shape), dtype=std.dtype), 0.0, 1.0, generator=generator)
        return _zero_gradient(z * std.detach() + float(mean), "NormalBackward2", std)
    if size is None:
        _refuse_as_parser("normal", (mean, std), {})
    t = empty(tuple(size), dtype=dtype)
    t = _tensor_normal_(t, float(mean), float(std), generator=generator)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _zero_gradient(values: Tensor, node: str, *inputs: Tensor) -> Tensor:
    """`values` recorded as `node`, PyTorch's sampling node whose gradient is zero for
    every tensor parameter that requires grad."""
    live = [t for t in inputs if t.requires_grad]
    if not live or not _core.is_grad_enabled():
        return values
    from ._creation import ones

    stand_in = live[0] if len(live) == 1 else live[0] + live[1]
    keep = ones(tuple(values.shape), dtype=_core.bool)
    # where() passes no gradient to the unselected stand-in: zeros for each parameter
    return _core._named_node(values.where(keep, stand_in), node)


def _check_std_tensor(std: Tensor) -> None:
    if std.dtype.is_complex:
        raise RuntimeError("normal expects standard deviation to be non-complex")
    if std.numel():
        refuse_float8("min_all", std)  # PyTorch checks the least std
    with no_grad():
        if std.numel() and bool((std.detach() < 0).any()):
            raise RuntimeError("normal expects all elements of std >= 0.0")


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *, generator=None, out=None) -> Tensor:
    """Category indices (int64) drawn from the distribution whose unnormalized weights
    are each row of `input`.

    Args:
        input: a 1-D or 2-D floating tensor of non-negative weights.
        num_samples: how many indices to draw per row.
        replacement: draw with replacement (else each index at most once, so
            `num_samples` is at most the number of categories).
        generator: the random generator to draw from; None for the default one.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
    """
    need_int("multinomial", "num_samples", 1, num_samples)
    if input.dim() not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {_kernel_name(input.dtype)}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n_categories = input.shape[-1]
    if not replacement and num_samples > n_categories:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if n_categories > (1 << 24):
        raise RuntimeError("number of categories cannot exceed 2^24")
    rows = 1 if input.dim() == 1 else input.shape[0]
    if n_categories == 0 and rows > 0:  # a row of no categories sums to 0
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    probs = input.detach().contiguous()
    if probs.numel():
        refuse_float8("aminmax_cpu", probs)  # PyTorch checks the weights' range first
    with no_grad():
        if probs.numel():
            valid = bool(((probs < math.inf).logical_and(probs >= 0)).all())
            if not valid:
                raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
            sums = probs.sum(-1)
            if bool((sums == 0).any()):
                raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    if (not replacement or num_samples == 1) and not input.is_contiguous():
        return _multinomial_by_exponentials(input.detach(), int(num_samples), generator)
    with using(generator):
        return _core._multinomial(probs, int(num_samples), bool(replacement))


def _multinomial_by_exponentials(probs: Tensor, num_samples: int, generator) -> Tensor:
    """PyTorch's draw without replacement, `topk(p / q)` with q ~ Exp(1) from
    `empty_like(p)`: for a strided `p` the q follow its memory order."""
    from ._creation import empty_like

    q = _tensor_exponential_(empty_like(probs), 1.0, generator=generator)
    keys = probs / q
    if num_samples == 1:
        return keys.argmax(-1, keepdim=True)
    return keys.topk(num_samples).indices


# PyTorch's limits on n where a dtype could not hold n - 1 exactly
_INT_CPP_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "uint16": "uint16_t",
                  "int32": "int", "uint32": "uint32_t", "int64": "int64_t", "uint64": "uint64_t"}
_FLOAT_LIMITS = {"float16": (2**11 + 1, "2049 for Half"), "float32": (2**24 + 1, "2^24+1 for Float"),
                 "float64": (2**53 + 1, "2^53+1 for Double")}


def _check_randperm_range(n: int, dtype) -> None:
    from ._dtype_info import iinfo

    name = short_name(dtype)
    if name in _INT_CPP_NAMES and n - 1 > iinfo(dtype).max:
        raise RuntimeError(f"value cannot be converted to type {_INT_CPP_NAMES[name]} without overflow")
    if name in _FLOAT_LIMITS and n > _FLOAT_LIMITS[name][0]:
        raise RuntimeError(f"n cannot be greater than {_FLOAT_LIMITS[name][1]} type.")


@meta_aware
def randperm(n: int, *, generator=None, out=None, dtype=None, layout=None, device=None, pin_memory=False,
             requires_grad: bool = False) -> Tensor:
    """A random permutation of 0..n-1 (PyTorch's order for the same seed).

    Args:
        n: the number of elements.
        generator: the random generator to draw from; None for the default one.
        out: an optional tensor the result is written into and returned (resized when it has no elements).
        dtype: the dtype; None for int64.
        layout: ignored (only strided tensors exist).
        device: the device (only the CPU exists).
        pin_memory: ignored (no accelerator).
        requires_grad: whether autograd records operations on the result.
    """
    need_int("randperm", "n", 1, n)
    dtype = python_type_dtype(dtype) or _core.int64
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    if dtype is _core.bool or dtype.is_complex or is_float8(dtype):
        raise NotImplementedError(f"\"randperm\" not implemented for '{_kernel_name(dtype)}'")
    _check_randperm_range(int(n), dtype)
    with using(generator):
        t = _core._randperm(int(n), dtype)
    if requires_grad:
        t.requires_grad_(True)
    return t


_NO_P = object()  # `x.bernoulli()`; an explicit None is the parser's error


def _tensor_bernoulli(self: Tensor, p=_NO_P, *, generator=None) -> Tensor:
    if p is _NO_P:
        return bernoulli(self, generator=generator)
    if not isinstance(p, (int, float)):
        _refuse_as_parser("Tensor.bernoulli", (p,))
    return bernoulli(self, p, generator=generator)


def _tensor_multinomial(self: Tensor, num_samples: int, replacement: bool = False, *, generator=None) -> Tensor:
    return multinomial(self, num_samples, replacement, generator=generator)


Tensor.uniform_ = _tensor_uniform_  # type: ignore[method-assign,assignment]
Tensor.normal_ = _tensor_normal_  # type: ignore[method-assign,assignment]
Tensor.exponential_ = _tensor_exponential_  # type: ignore[attr-defined]
Tensor.bernoulli_ = _tensor_bernoulli_  # type: ignore[attr-defined]
Tensor.random_ = _tensor_random_  # type: ignore[attr-defined]
Tensor.bernoulli = _tensor_bernoulli  # type: ignore[attr-defined]
Tensor.multinomial = _tensor_multinomial  # type: ignore[attr-defined]
