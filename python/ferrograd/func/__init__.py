"""`ferrograd.func`: PyTorch's `torch.func` function transforms (`grad`, `vjp`, `jvp`,
`jacrev`, `jacfwd`, `hessian`, `linearize`, `vmap`), `functional_call` and
`stack_module_state`; `rearrange` (einops patterns).

The transforms compose (grad of grad, jacrev of grad, vmap of grad) and take pytrees
(tuples, lists, dicts) of tensors; they run on ferrograd's reverse-mode graph (see
`_wrapping`)."""

from __future__ import annotations

from ..nn.utils.stateless import functional_call_dicts as functional_call
from ._extras import debug_unwrap, functionalize, replace_all_batch_norm_modules_
from ._forward import hessian, jacfwd, jvp, linearize
from ._module_state import stack_module_state
from ._rearrange import rearrange
from ._reverse import grad, grad_and_value, jacrev, vjp
from ._vmap import vmap

__all__ = [
    "debug_unwrap",
    "functional_call",
    "functionalize",
    "grad",
    "grad_and_value",
    "hessian",
    "jacfwd",
    "jacrev",
    "jvp",
    "linearize",
    "rearrange",
    "replace_all_batch_norm_modules_",
    "stack_module_state",
    "vjp",
    "vmap",
]
