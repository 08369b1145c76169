"""`cond` and `while_loop`: PyTorch's `torch.cond` and `torch.while_loop` run eagerly
(ferrograd has no compiler to capture the functions): the arguments are checked as
PyTorch checks them, then the chosen branch or the loop runs on the operands. The result's
graph is made of the functions' own ops (PyTorch records one `CondAutogradOpBackward` or
`WhileLoopAutogradOpBackward` node instead)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._core import Tensor
from ._core import bool as _bool

__all__ = ["cond", "while_loop"]


def _flat_leaves(value) -> list:
    if isinstance(value, (tuple, list)):
        return [leaf for v in value for leaf in _flat_leaves(v)]
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _flat_leaves(v)]
    return [value]


def _tensor_leaves(value) -> bool:
    return all(isinstance(leaf, Tensor) for leaf in _flat_leaves(value))


def cond(pred, true_fn: Callable, false_fn: Callable, operands: tuple | list = ()) -> Any:
    """`true_fn(*operands)` if `pred` else `false_fn(*operands)`.

    Args:
        pred: a bool, a number, or a one-element tensor.
        true_fn: the branch taken when `pred` is true.
        false_fn: the branch taken when `pred` is false.
        operands: a tuple or list of tensors (possibly nested in lists, tuples and
            dicts) passed to the branch.
    """
    if isinstance(pred, (bool, int, float)):
        return true_fn(*operands) if pred else false_fn(*operands)
    if not isinstance(pred, Tensor):
        raise RuntimeError(f"Expected pred to be bool or tensor, but got {pred}.")  # noqa: TRY004  (PyTorch's type)
    if pred.numel() != 1:
        raise RuntimeError(f"Expected pred to be bool or single-element tensor, but got {pred}.")
    if not callable(true_fn) or not callable(false_fn):
        raise RuntimeError("Expect both branches to be callable.")  # noqa: TRY004  (PyTorch's type)
    if not isinstance(operands, (tuple, list)) or not _tensor_leaves(operands):
        raise RuntimeError(
            "Expect operands to be a tuple of possibly nested dict/list/tuple that only "
            f"consists of tensor leaves, but got {operands}."
        )
    return true_fn(*operands) if bool(pred) else false_fn(*operands)


def _check_loop_condition(pred) -> bool:
    if isinstance(pred, bool) or (
        isinstance(pred, Tensor) and pred.dim() == 0 and pred.dtype == _bool
    ):
        return bool(pred)
    raise RuntimeError(f"cond_fn must return a boolean scalar tensor or a boolean but got {pred}")


def _check_body_output(out, carried: tuple | list) -> None:
    if not isinstance(out, (tuple, list)):
        raise RuntimeError(f"body_fn should return a tuple but got {type(out)}")  # noqa: TRY004  (PyTorch's type)
    if len(out) != len(carried):
        raise RuntimeError(
            "Expected body_fn_output and carried_inputs to have same number of outputs but "
            f"got {len(out)} and {len(carried)}"
        )
    for i, (new, old) in enumerate(zip(out, carried)):
        if isinstance(old, Tensor) and (
            not isinstance(new, Tensor) or new.shape != old.shape or new.dtype != old.dtype
        ):
            raise RuntimeError(
                "Expected body_fn_output and carried_inputs to have same metadata but found: "
                f"pair[{i}] differ: {new!r} vs {old!r}"
            )


def while_loop(cond_fn: Callable, body_fn: Callable, carried_inputs: tuple | list) -> Any:
    """Run `carried = body_fn(*carried)` while `cond_fn(*carried)` is true.

    Args:
        cond_fn: returns a Python bool or a 0-dim bool tensor.
        body_fn: returns a tuple with as many entries as `carried_inputs`, each of the
            same shape and dtype as the entry it replaces.
        carried_inputs: a tuple or list of tensors and ints.
    """
    if not callable(cond_fn) or not callable(body_fn):
        raise RuntimeError("Expect cond_fn and body_fn to be callable.")  # noqa: TRY004  (PyTorch's type)
    leaves = _flat_leaves(carried_inputs)
    if not all(isinstance(leaf, (Tensor, int)) for leaf in leaves):
        raise AssertionError(
            f"{leaves} can only be of {(Tensor, int)} but got {tuple(type(v) for v in leaves)}"
        )
    if not isinstance(carried_inputs, (tuple, list)):
        raise RuntimeError(  # noqa: TRY004  (PyTorch's type)
            "Expect carried_inputs to be a tuple of possibly nested dict/list/tuple that only"
            f"consists of tensor or int leaves, but got {carried_inputs}."
        )
    if not _check_loop_condition(cond_fn(*carried_inputs)):
        return tuple(v.clone() if isinstance(v, Tensor) else v for v in carried_inputs)
    carried = carried_inputs
    while True:
        out = body_fn(*carried)
        _check_body_output(out, carried)
        carried = out
        if not _check_loop_condition(cond_fn(*carried)):
            return carried
