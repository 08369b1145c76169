"""`multi_dot` (`torch.linalg.multi_dot`): a chain of matrix products in the cheapest
order (dynamic programming over the split points, as in PyTorch and NumPy). It lives
here until `ferrograd.linalg` exists; that module can re-export it."""

from __future__ import annotations

from ._core import Tensor

__all__ = ["multi_dot"]


def _chain(mats: list, split: list[list[int]], i: int, j: int) -> Tensor:
    """The product of mats[i..j] in the order `split` chose (a module function: a nested
    one calling itself is a reference cycle, holding the matrices until a collection)."""
    if i == j:
        return mats[i]
    k = split[i][j]
    return _chain(mats, split, i, k).mm(_chain(mats, split, k + 1, j))


def _order(dims: list[int]) -> list[list[int]]:
    """split[i][j]: where to split the chain i..j for the fewest multiplications."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = -1
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if cost[i][j] < 0 or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def multi_dot(tensors, *, out=None) -> Tensor:
    """The product of the matrices in `tensors`; the first may be a row and the last a
    column vector (1-D), and the result drops those dims."""
    if isinstance(tensors, Tensor):  # iterating would take its rows for the matrices
        raise TypeError("linalg_multi_dot(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    tensors = list(tensors)
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    first, last = tensors[0], tensors[-1]
    if first.dim() not in (1, 2):
        raise RuntimeError(f"multi_dot(): the first tensor must be 1D or 2D but got {first.dim()}D")
    if last.dim() not in (1, 2):
        raise RuntimeError(f"multi_dot(): the last tensor must be 1D or 2D but got {last.dim()}D")
    for k in range(1, n - 1):
        if tensors[k].dim() != 2:
            raise RuntimeError(f"multi_dot(): tensor {k} must be 2D but got {tensors[k].dim()}D")
    mats = list(tensors)
    if first.dim() == 1:
        mats[0] = first.unsqueeze(0)
    if last.dim() == 1:
        mats[-1] = last.unsqueeze(1)
    dtype = mats[0].dtype
    for k, m in enumerate(mats):
        if m.dtype != dtype:
            raise RuntimeError(
                f"multi_dot(): all tensors must have be the same dtype but tensor 0 is {dtype} and tensor {k} {m.dtype}"
            )
    for k in range(n - 1):
        if mats[k].shape[1] != mats[k + 1].shape[0]:
            a, b = mats[k].shape, mats[k + 1].shape
            raise RuntimeError(
                f"multi_dot(): tensors {k} and {k + 1} with shapes {list(a)} and {list(b)} cannot be multiplied"
            )
    dims = [mats[0].shape[0]] + [m.shape[1] for m in mats]
    split = _order(dims)

    result = _chain(mats, split, 0, n - 1)
    shape = ([] if first.dim() == 1 else [result.shape[0]]) + ([] if last.dim() == 1 else [result.shape[1]])
    return result.view(tuple(shape))
