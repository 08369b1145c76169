"""How a transform runs a function over ferrograd's reverse-mode graph.

Each differentiated input is replaced by a private stand-in: a fresh leaf that
requires grad (or, when the caller's tensor already takes part in a graph, an alias of
it, so an enclosing transform or the caller's autograd still sees through). The
function then runs with grad enabled, and derivatives come from `autograd.grad` with
`create_graph=True` so transforms nest (grad of grad, jacrev of grad).

Results are handed back detached unless they depend on some tensor outside the
transform that requires grad (a leaf other than the private stand-ins) and grad mode
was on when the transform was called: so `grad(f)(x)` does not require grad, while
`grad(f)` inside another transform (or with a closure over a parameter) stays
differentiable, as in PyTorch.
"""

from __future__ import annotations

from typing import Any

from .. import _core
from .._core import Tensor
from ._pytree import tree_flatten, tree_map

ARGNUMS_TYPE_ERROR = "argnums must be int or Tuple[int, ...], got: {}"


def check_tensor(x: Any) -> Tensor:
    if not isinstance(x, Tensor):
        raise ValueError(f"Thing passed to transform API must be Tensor, got {type(x)}")  # noqa: TRY004 (PyTorch's type)
    return x


# The transforms running `func` right now, outermost first; a transform's stand-ins are
# tagged with its depth, so that a nested transform's leaves count as private to the
# outer one.
_ACTIVE: list[Level] = []
_LEVEL_ATTR = "_fg_func_level"


class Level:
    """The nesting level of one transform, entered while it runs `func`."""

    def __init__(self) -> None:
        self.value = len(_ACTIVE) + 1
        self.stand_ins: list[Tensor] = []

    def __enter__(self) -> None:
        _ACTIVE.append(self)

    def __exit__(self, *exc: object) -> None:
        _ACTIVE.remove(self)

    def tag(self, leaf: Tensor) -> Tensor:
        """Marks `leaf` as private to this level. Every running level keeps the leaf's
        object alive: the tag lives on that object, and an enclosing transform walks
        graphs that reach the leaf after the nested transform that made it returned."""
        setattr(leaf, _LEVEL_ATTR, self.value)
        for level in _ACTIVE:
            level.stand_ins.append(leaf)
        return leaf


def stand_in(x: Tensor, level: Level) -> Tensor:
    """The private differentiable stand-in for the input `x`."""
    if x.requires_grad:
        return x.view_as(x)
    return level.tag(x.detach().requires_grad_(True))


def wrap_argnum(argnum: Any, num_args: int) -> int:
    if not isinstance(argnum, int) or isinstance(argnum, bool):
        raise RuntimeError(f"argnum must be int, got: {type(argnum)}")  # noqa: TRY004 (PyTorch's type)
    if 0 <= argnum < num_args:
        return argnum
    if -num_args <= argnum < 0:
        return argnum + num_args
    raise RuntimeError(f"Got argnum={argnum}, but only {num_args} positional inputs")


def normalize_argnums(argnums: Any, num_args: int) -> int | tuple[int, ...]:
    """`argnums` validated and made non-negative, with PyTorch's errors."""
    if isinstance(argnums, int) and not isinstance(argnums, bool):
        return wrap_argnum(argnums, num_args)
    if not isinstance(argnums, tuple):
        raise RuntimeError(ARGNUMS_TYPE_ERROR.format(type(argnums)))  # noqa: TRY004 (PyTorch's type)
    wrapped = tuple(wrap_argnum(a, num_args) for a in argnums)
    if len(argnums) == 0:
        raise RuntimeError("argnums must be non-empty")
    if len(set(argnums)) != len(argnums):
        raise RuntimeError(f"argnums elements must be unique, got {argnums}")
    return wrapped


def select_args(args: tuple, argnums: int | tuple[int, ...]) -> Any:
    """The differentiated arguments: one pytree for an int, a tuple for a tuple."""
    if isinstance(argnums, int):
        return args[argnums]
    return tuple(args[i] for i in argnums)


def replace_args(args: tuple, argnums: int | tuple[int, ...], new: Any) -> tuple:
    if isinstance(argnums, int):
        return tuple(new if i == argnums else a for i, a in enumerate(args))
    return tuple(new[argnums.index(i)] if i in argnums else a for i, a in enumerate(args))


def check_tensor_tree(tree: Any) -> None:
    """Aux outputs must hold only tensors."""
    for x in tree_flatten(tree)[0]:
        if not isinstance(x, Tensor):
            raise RuntimeError(f"Expected tensors, got unsupported type {type(x)}")  # noqa: TRY004 (PyTorch's type)


def _outside(leaf: Tensor, level: int) -> bool:
    return getattr(leaf, _LEVEL_ATTR, 0) < level


def _reaches_outside(t: Tensor, level: int, inside: dict[int, Any]) -> bool:
    """Whether `t`'s graph reaches a leaf made outside the transform at `level` (not a
    stand-in of it or of a transform nested in it). `inside` holds the nodes already
    known not to (shared by the results of one transform, so each node is walked once)."""
    root = t.grad_fn
    if root is None:
        return _outside(t, level)
    seen: dict[int, Any] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen or id(node) in inside:
            continue
        seen[id(node)] = node  # holding the node keeps its id unique during the walk
        if type(node).__name__ == "AccumulateGrad":
            # a leaf nobody holds any more has no `variable`: not a transform's stand-in
            variable = getattr(node, "variable", None)
            if variable is None or _outside(variable, level):
                return True
            continue
        stack.extend(n for n, _ in node.next_functions)
    inside.update(seen)
    return False


class Release:
    """Hands results back out of a transform: detached unless they depend on a tensor
    outside it that requires grad (see the module docstring)."""

    def __init__(self, grad_enabled_outside: bool, level: Level) -> None:
        self.grad_enabled_outside = grad_enabled_outside
        self.level = level
        self.inside: dict[int, Any] = {}

    def tensor(self, t: Any) -> Any:
        if not isinstance(t, Tensor) or not t.requires_grad:
            return t
        if self.grad_enabled_outside and _reaches_outside(t, self.level.value, self.inside):
            return t
        return t.detach()

    def tree(self, tree: Any) -> Any:
        return tree_map(self.tensor, tree)


def grad_enabled() -> bool:
    return bool(_core.is_grad_enabled())
