"""`cond`: PyTorch's `torch.cond` run eagerly (ferrograd has no compiler to capture
both branches): the predicate and arguments are checked as PyTorch checks them, then
the chosen branch runs on the operands. The result's graph is the branch's own
(PyTorch records one `CondAutogradOpBackward` node instead)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._core import Tensor

__all__ = ["cond"]


def _tensor_leaves(value) -> bool:
    if isinstance(value, (tuple, list)):
        return all(_tensor_leaves(v) for v in value)
    if isinstance(value, dict):
        return all(_tensor_leaves(v) for v in value.values())
    return isinstance(value, Tensor)


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
