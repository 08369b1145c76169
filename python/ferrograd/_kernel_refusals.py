"""PyTorch's words where an elementwise kernel has no form for a dtype, for the ops whose
kernel PyTorch names otherwise than the core's `"<op>_cpu"` (which names an in-place
method's kernel `"<op>__cpu"`; PyTorch's in-place form runs the same kernel)."""

from __future__ import annotations

# PyTorch runs these through its vectorized-math kernels
_VML = frozenset({"erf", "erfc", "erfinv", "lgamma", "round", "i0"})
_PLAIN = frozenset({"digamma"})


def renamed(name: str, error: NotImplementedError) -> NotImplementedError:
    """`error` (the core's refusal of op `name`) in PyTorch's words."""
    text = str(error)
    for kernel in (f'"{name}__cpu"', f'"{name}_cpu"'):
        if not text.startswith(kernel):
            continue
        if name == "trunc" and "Complex" in text:
            return NotImplementedError("trunc is not supported for complex inputs")
        torch_kernel = f"{name}_vml_cpu" if name in _VML else name if name in _PLAIN else f"{name}_cpu"
        return NotImplementedError(f'"{torch_kernel}"{text[len(kernel):]}')
    return error


def binary_renamed(name: str, error: NotImplementedError, input: object, other: object) -> NotImplementedError:
    """`error` (the core's refusal of binary op `name`) in PyTorch's words: the functional
    kernel's name, and for complex operands the promoted dtype (ComplexHalf for a half
    tensor with a complex 0-dim one, the wider complex dtype for the in-place form)."""
    from . import _core
    from ._dtype_names import scalar_name

    text = str(error)
    for kernel in (f'"{name}__cpu"', f'"{name}_cpu"'):
        if not text.startswith(kernel + " not implemented for '"):
            continue
        refused = text[len(kernel):]
        promoted = _core._result_type(input, other)
        if promoted.is_complex:
            refused = f" not implemented for '{scalar_name(promoted)}'"
        return NotImplementedError(f'"{name}_cpu"{refused}')
    return error
