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
