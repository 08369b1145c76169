"""The math kernels, with PyTorch's words in their refusals: the core names every kernel
`<op>_cpu`, while PyTorch's complex refusal of some unary ops names its vectorized
(`erf_vml_cpu`) or generic (`digamma`) kernel, or says it in words (`trunc`); and a
binary op refused for a Python complex scalar names the promoted dtype (ComplexFloat
with an int or float tensor), where the core names the scalar's own."""

from __future__ import annotations

from . import _core
from ._core import Tensor
from ._saved_values import keep_number

_KERNELS = {
    "erf": "erf_vml_cpu", "erfc": "erfc_vml_cpu", "erfinv": "erfinv_vml_cpu", "lgamma": "lgamma_vml_cpu",
    "i0": "i0_vml_cpu", "round": "round_vml_cpu", "digamma": "digamma",
}
_IN_WORDS = {"trunc": "trunc is not supported for complex inputs"}


def _renamed(name: str, error: NotImplementedError) -> NotImplementedError:
    op = name.removesuffix("_")
    text = str(error)
    core_kernel = f'"{name}_cpu" not implemented for '
    if not text.startswith(core_kernel):
        return error
    if op in _IN_WORDS:
        return NotImplementedError(_IN_WORDS[op])
    return NotImplementedError(f'"{_KERNELS.get(op, op + "_cpu")}" not implemented for ' + text[len(core_kernel):])


def math_unary(name: str, input: Tensor) -> Tensor:
    try:
        return _core._math_unary(name, input)
    except NotImplementedError as error:
        raise _renamed(name, error) from None


def math_unary_(name: str, input: Tensor) -> Tensor:
    try:
        return _core._math_unary_(name, input)
    except NotImplementedError as error:
        raise _renamed(name + "_", error) from None


def special_unary(name: str, input: Tensor) -> Tensor:
    try:
        return _core._special_unary(name, input)
    except NotImplementedError as error:
        raise _renamed(name, error) from None


def special_unary_(name: str, input: Tensor) -> Tensor:
    try:
        return _core._special_unary_(name, input)
    except NotImplementedError as error:
        raise _renamed(name + "_", error) from None


def logit_(input: Tensor, eps: float | None) -> Tensor:
    try:
        return _core._logit_(input, eps)
    except NotImplementedError as error:
        raise _renamed("logit_", error) from None


def _round_renamed(name: str, decimals: int, error: NotImplementedError) -> NotImplementedError:
    # with decimals=0 PyTorch runs the plain (vectorized) kernel
    return _renamed(name, error) if decimals == 0 else error


def math_round(input: Tensor, decimals: int) -> Tensor:
    try:
        return _core._math_round(input, decimals)
    except NotImplementedError as error:
        raise _round_renamed("round", decimals, error) from None


def math_round_(input: Tensor, decimals: int) -> Tensor:
    try:
        return _core._math_round_(input, decimals)
    except NotImplementedError as error:
        raise _round_renamed("round", decimals, error) from None


def math_binary(name: str, input: Tensor, other) -> Tensor:
    try:
        out = _core._math_binary(name, input, other)
    except NotImplementedError as error:
        raise _promoted_refusal(name, input, other, error) from None
    if not isinstance(other, Tensor):
        return keep_number(out, other)
    return out if isinstance(input, Tensor) else keep_number(out, input)


def math_binary_(name: str, input: Tensor, other) -> Tensor:
    try:
        return _core._math_binary_(name, input, other)
    except NotImplementedError as error:
        # the core names the in-place method's kernel; PyTorch's runs the functional one
        raise _promoted_refusal(name, input, other, error, f'"{name}__cpu" not implemented for ') from None


# an alias refused by its op's kernel
_ALIAS_KERNELS = {"arctan2": "atan2"}


def _promoted_refusal(
    name: str, input, other, error: NotImplementedError, core_head: str | None = None
) -> NotImplementedError:
    from ._dtype_names import scalar_name

    head = f'"{_ALIAS_KERNELS.get(name, name)}_cpu" not implemented for '
    text = str(error)
    core_head = core_head or f'"{name}_cpu" not implemented for '
    if not text.startswith(core_head):
        return error
    promoted = _core._result_type(input, other)
    refused = f"'{scalar_name(promoted)}'" if promoted.is_complex else text[len(core_head):]
    return NotImplementedError(head + refused)
