"""`bitwise_*` functions and methods, and the shift operators `<<` and `>>`.

`&`, `|`, `^` and `~` are the core's operators; the shifts compute on integer values with
PyTorch's rules: a shift by a negative amount or by at least the bit width gives 0 (left)
or the sign (right), and a left shift wraps within the result's width.
"""

from __future__ import annotations

from collections.abc import Callable

from . import _core
from ._argcheck import unpack_scalar_int, wrap_int_to
from ._core import Tensor
from ._dtype_names import scalar_name
from ._numpy import is_ndarray, np

__all__ = [
    "bitwise_and",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
]


def _refuse_two_numbers(name: str, input, other) -> None:
    """PyTorch's TypeError when neither operand is a tensor (no overload takes two
    numbers), or one is a NumPy array (the operators take those, the named ops not)."""
    if is_ndarray(input) or is_ndarray(other):
        from ._parser_check import parser_error

        error = parser_error(name, (input, other), {})
        if error is not None:
            raise error
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        a, b = type(input).__name__, type(other).__name__
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got ({a}, {b}), but expected one of:\n"
            " * (Tensor input, Tensor other, *, Tensor out = None)\n"
            " * (Number self, Tensor other)\n"
            f"      didn't match because some of the arguments have invalid types: (!{a}!, !{b}!)\n"
            " * (Tensor input, Number other, *, Tensor out = None)\n"
        )


def bitwise_and(input, other) -> Tensor:
    """Elementwise bitwise AND of integer or bool tensors (logical AND for bools).

    Args:
        input: an integer or bool tensor.
        other: an integer or bool tensor or number, broadcast with `input`.
    """
    _refuse_two_numbers("bitwise_and", input, other)
    return input & other


def bitwise_or(input, other) -> Tensor:
    """Elementwise bitwise OR of integer or bool tensors (logical OR for bools).

    Args:
        input: an integer or bool tensor.
        other: an integer or bool tensor or number, broadcast with `input`.
    """
    _refuse_two_numbers("bitwise_or", input, other)
    return input | other


def bitwise_xor(input, other) -> Tensor:
    """Elementwise bitwise XOR of integer or bool tensors (logical XOR for bools).

    Args:
        input: an integer or bool tensor.
        other: an integer or bool tensor or number, broadcast with `input`.
    """
    _refuse_two_numbers("bitwise_xor", input, other)
    return input ^ other


def bitwise_not(input) -> Tensor:
    """Elementwise bitwise NOT of an integer tensor (logical NOT for bools).

    Args:
        input: an integer or bool tensor.
    """
    if isinstance(input, Tensor) and (input.dtype.is_floating_point or input.dtype.is_complex):
        # `~t` raises TypeError; the named op has no kernel for floats
        raise NotImplementedError(f'"bitwise_not_cpu" not implemented for \'{scalar_name(input.dtype)}\'')
    return ~input


# besides the floating ones: bool and the shell unsigned dtypes have no shift kernels
_NO_SHIFT_KERNEL = (_core.bool, _core.uint16, _core.uint32, _core.uint64)


def _python_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _unpack_int_scalar(value, other) -> int:
    """A Python int operand as PyTorch's Scalar holds it (a uint64 one does not promote
    with a bool tensor)."""
    unpack_scalar_int(value)
    if value >= 2**63 and isinstance(other, Tensor) and other.dtype == _core.bool:
        raise RuntimeError("Promotion for uint16, uint32, uint64 types is not supported, "
                           "attempted to promote Bool and UInt64")
    return value


def _shift(input, other, name: str, left: bool) -> Tensor:
    from ._creation import tensor

    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError(
            f"{name_of_shift(left)}() received an invalid combination of arguments - got "
            f"({type(input).__name__}, {type(other).__name__}), but expected one of:\n"
            " * (Tensor input, Tensor other, *, Tensor out = None)\n"
            " * (Number self, Tensor other)\n"
            f"      didn't match because some of the arguments have invalid types: "
            f"(!{type(input).__name__}!, !{type(other).__name__}!)\n"
            " * (Tensor input, Number other, *, Tensor out = None)\n"
        )
    if _python_int(input):
        input = _unpack_int_scalar(input, other)
    if _python_int(other):
        other = _unpack_int_scalar(other, input)
    # a Python number takes part in the promotion (a bool tensor shifted by 1 is int64);
    # its size does not
    if isinstance(input, Tensor) and isinstance(other, Tensor) and input.shape != other.shape:
        from ._shape import _broadcast_shape

        _broadcast_shape([tuple(input.shape), tuple(other.shape)])  # PyTorch checks shapes before dtypes
    dtype = _core._result_type(*(0 if _python_int(v) else v for v in (input, other)))
    if dtype.is_floating_point or dtype.is_complex or dtype in _NO_SHIFT_KERNEL:
        raise NotImplementedError(f'"{name}_cpu" not implemented for \'{scalar_name(dtype)}\'')
    a = input if isinstance(input, Tensor) else tensor(wrap_int_to(input, dtype) if _python_int(input) else input)
    b = other if isinstance(other, Tensor) else tensor(wrap_int_to(other, dtype) if _python_int(other) else other)
    bits = dtype.itemsize * 8
    x = a.detach().to(_core.int64).numpy()
    n = b.detach().to(_core.int64).numpy()
    x, n = np.broadcast_arrays(x, n)
    out_of_range = (n < 0) | (n >= bits)
    safe = np.where(out_of_range, 0, n)
    if left:
        values = np.where(out_of_range, 0, np.left_shift(x, safe))
    else:
        values = np.where(out_of_range, np.where(x < 0, -1, 0), np.right_shift(x, safe))
    # wrap into the result's width (two's complement), as the fixed-width kernels do
    return tensor(values.astype(np.int64)).to(dtype)


def name_of_shift(left: bool) -> str:
    return "bitwise_left_shift" if left else "bitwise_right_shift"


def bitwise_left_shift(input, other) -> Tensor:
    """Elementwise `input << other` for integers: shifts by a negative amount or by at
    least the bit width give 0.

    Args:
        input: an integer tensor (or number).
        other: the shift amounts, an integer tensor or number broadcast with `input`.
    """
    return _shift(input, other, "lshift", left=True)


def bitwise_right_shift(input, other) -> Tensor:
    """Elementwise arithmetic `input >> other` for integers: shifts by a negative amount
    or by at least the bit width give 0 or -1 (the sign).

    Args:
        input: an integer tensor (or number).
        other: the shift amounts, an integer tensor or number broadcast with `input`.
    """
    return _shift(input, other, "rshift", left=False)


def _operator(name: str, fn):
    """`fn` as the operator method `name`: NotImplemented where it raises TypeError, as
    PyTorch's, so Python tries the other operand's reflected method."""

    def operator(self: Tensor, other, /):
        try:
            return fn(self, other)
        except TypeError:
            return NotImplemented

    operator.__name__ = operator.__qualname__ = name
    return operator


def _augmented(name: str, inplace: str):
    """`self <op>= other` as the in-place method `inplace` (looked up when called: the
    in-place methods are added after this module)."""

    def augmented(self: Tensor, other, /) -> Tensor:
        try:
            return getattr(self, inplace)(other)
        except TypeError:
            return NotImplemented  # as PyTorch's: Python then tries `other`'s reflected method

    augmented.__name__ = augmented.__qualname__ = name
    return augmented


def _set_method(name: str, fn: Callable) -> None:
    """Puts `fn` on Tensor as `name`, named as a method (what `__torch_function__`
    handlers and error messages see, instead of `<lambda>`)."""
    fn.__name__, fn.__qualname__ = name, f"Tensor.{name}"
    setattr(Tensor, name, fn)


def _install() -> None:
    T = Tensor
    _set_method("bitwise_and", lambda self, other: bitwise_and(self, other))
    _set_method("bitwise_or", lambda self, other: bitwise_or(self, other))
    _set_method("bitwise_xor", lambda self, other: bitwise_xor(self, other))
    _set_method("bitwise_not", lambda self: bitwise_not(self))
    _set_method("bitwise_left_shift", lambda self, other: bitwise_left_shift(self, other))
    _set_method("bitwise_right_shift", lambda self, other: bitwise_right_shift(self, other))
    T.__lshift__ = _operator("__lshift__", lambda self, other: bitwise_left_shift(self, other))
    T.__rshift__ = _operator("__rshift__", lambda self, other: bitwise_right_shift(self, other))
    T.__rlshift__ = _operator("__rlshift__", lambda self, other: bitwise_left_shift(other, self))
    T.__rrshift__ = _operator("__rrshift__", lambda self, other: bitwise_right_shift(other, self))
    # the augmented assignments write in place, as PyTorch's (without them Python would
    # rebind the name to a new tensor)
    for name, inplace in (("__iand__", "bitwise_and_"), ("__ior__", "bitwise_or_"), ("__ixor__", "bitwise_xor_"),
                          ("__ilshift__", "bitwise_left_shift_"), ("__irshift__", "bitwise_right_shift_"),
                          ("__imod__", "remainder_"), ("__ifloordiv__", "floor_divide_")):
        setattr(T, name, _augmented(name, inplace))


_install()
