"""`einsum`: ATen's algorithm, so that the recorded graph is PyTorch's (its permute,
unsqueeze, diagonal, sum, reshape, bmm and view nodes, in its order) and so are the
result's values and strides.

The equation is parsed and the operands are aligned to one shared dimension order (the
output's labels, then the summed ones); operands are then contracted left to right, each
pair as one batched matrix product (`sumproduct_pair`). Which ops that takes depends only
on the equation and the operands' shapes, so it is worked out once on shapes alone (a
`_Program`) and cached; a call replays the program on the tensors.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ._argcheck import type_name
from ._core import Tensor
from ._tensor_likes import dispatching_first

__all__ = ["einsum"]

_LETTERS = 26
_ELLIPSIS = 2 * _LETTERS  # the label code of `...`


def _error(msg: str) -> RuntimeError:
    return RuntimeError(f"einsum(): {msg}")


def _code(ch: str) -> int:
    """A label's number: 'A'-'Z' are 0-25, 'a'-'z' are 26-51."""
    return ord(ch) - ord("A") if ch.isupper() else ord(ch) - ord("a") + _LETTERS


def _letter(code: int) -> str:
    return chr(code + ord("A")) if code < _LETTERS else chr(code - _LETTERS + ord("a"))


def _is_label(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


class _Value:
    """A tensor of the program, known by its shape and the slot that will hold it."""

    __slots__ = ("shape", "slot")

    def __init__(self, shape: tuple, slot: int):
        self.shape = shape
        self.slot = slot


class _Program:
    """The ops einsum runs, recorded on shapes: each step is `(method, slot, args,
    other_slot)`, calling `method` on the tensor in `slot` (with the tensor in
    `other_slot` first when it is not -1), and its result fills the next slot."""

    def __init__(self, n_operands: int):
        self.steps: list[tuple] = []
        self.slots = n_operands

    def _step(self, method: str, x: _Value, args: tuple, shape: tuple, other: _Value | None = None) -> _Value:
        self.steps.append((method, x.slot, args, -1 if other is None else other.slot))
        self.slots += 1
        return _Value(shape, self.slots - 1)

    def permute(self, x: _Value, perm: list[int]) -> _Value:
        return self._step("permute", x, (tuple(perm),), tuple(x.shape[p] for p in perm))

    def unsqueeze(self, x: _Value, dim: int) -> _Value:
        return self._step("unsqueeze", x, (dim,), x.shape[:dim] + (1,) + x.shape[dim:])

    def diagonal(self, x: _Value, dim1: int, dim2: int) -> _Value:
        rest = tuple(s for d, s in enumerate(x.shape) if d not in (dim1, dim2))
        return self._step("diagonal", x, (0, dim1, dim2), rest + (x.shape[dim1],))

    def sum(self, x: _Value, dims: list[int], keepdim: bool) -> _Value:
        shape = tuple(1 if d in dims else s for d, s in enumerate(x.shape)) if keepdim else \
            tuple(s for d, s in enumerate(x.shape) if d not in dims)
        return self._step("sum", x, (tuple(dims), keepdim), shape)

    def reshape(self, x: _Value, shape: tuple) -> _Value:
        return self._step("reshape", x, (shape,), shape)

    def view(self, x: _Value, shape: tuple) -> _Value:
        return self._step("view", x, (shape,), shape)

    def mul(self, x: _Value, y: _Value) -> _Value:
        shape = tuple(max(a, b) if min(a, b) != 0 else 0 for a, b in zip(x.shape, y.shape))
        return self._step("mul", x, (), shape, y)

    def bmm(self, x: _Value, y: _Value) -> _Value:
        return self._step("bmm", x, (), (x.shape[0], x.shape[1], y.shape[2]), y)


def _sumproduct_pair(p: _Program, left: _Value, right: _Value, sum_dims: list[int]) -> _Value:
    """`(left * right).sum(sum_dims, keepdim=True)` as one batched matrix product, as
    ATen's `sumproduct_pair` builds it (the operands are aligned: same number of dims)."""
    if not sum_dims:
        return p.mul(left, right)
    lro: list[int] = []
    lo: list[int] = []
    ro: list[int] = []
    lro_size = lo_size = ro_size = sum_size = 1
    for i in range(len(left.shape)):
        sl, sr = left.shape[i] != 1, right.shape[i] != 1
        if i in sum_dims:
            if sl and sr:
                if left.shape[i] != right.shape[i]:
                    raise RuntimeError("non-broadcast dimensions must match")
                sum_size *= left.shape[i]
            elif sl:
                left = p.sum(left, [i], True)
            elif sr:
                right = p.sum(right, [i], True)
        elif sl and sr:
            if left.shape[i] != right.shape[i]:
                raise RuntimeError("non-broadcast dimensions must match")
            lro.append(i)
            lro_size *= left.shape[i]
        elif sl:
            lo.append(i)
            lo_size *= left.shape[i]
        else:
            ro.append(i)
            ro_size *= right.shape[i]
    if lo and ro and ro[-1] < lo[0]:
        # The right operand's dims all come first in the output: swapped, the product is
        # already in the output's order (PyTorch does this; it decides the result's strides).
        left, right, lo, ro = right, left, ro, lo
        lo_size, ro_size = ro_size, lo_size
    out_size = tuple([left.shape[d] for d in lro + lo] + [1] * len(sum_dims) + [right.shape[d] for d in ro])
    out_order = lro + lo + sum_dims + ro
    operm = [0] * len(out_order)
    for k, d in enumerate(out_order):
        operm[d] = k
    left = p.reshape(p.permute(left, out_order), (lro_size, lo_size, sum_size))
    right = p.reshape(p.permute(right, lro + sum_dims + ro + lo), (lro_size, sum_size, ro_size))
    return p.permute(p.view(p.bmm(left, right), out_size), operm)


def _parse_operands(lhs: str, num_ops: int) -> list[list[int]]:
    """Each operand's label codes (`_ELLIPSIS` for `...`), checked as ATen does."""
    labels: list[list[int]] = [[] for _ in range(num_ops)]
    ell_in_input = False
    cur = 0
    i = 0
    while i < len(lhs):
        ch = lhs[i]
        if ch == ".":
            if ell_in_input:
                raise _error(f"found '.' for operand {cur} for which an ellipsis was already found")
            if lhs[i : i + 3] != "...":
                raise _error(f"found '.' for operand {cur} that is not part of any ellipsis")
            labels[cur].append(_ELLIPSIS)
            ell_in_input = True
            i += 2
        elif ch == ",":
            cur += 1
            if cur >= num_ops:
                raise _error("fewer operands were provided than specified in the equation")
            ell_in_input = False
        elif ch != " ":
            if not _is_label(ch):
                raise _error(f"invalid subscript given at index {i} in the equation string, subscripts must be in [a-zA-Z]")
            labels[cur].append(_code(ch))
        i += 1
    if cur != num_ops - 1:
        raise _error("more operands were provided than specified in the equation")
    return labels


def _count_labels(labels: list[list[int]], shapes: tuple) -> tuple[list[int], int]:
    """How many times each label occurs, and how many dims the widest ellipsis covers."""
    count = [0] * _ELLIPSIS
    ell_num_dim = 0
    for k, (labs, shape) in enumerate(zip(labels, shapes)):
        ndims = len(shape)
        named = sum(1 for s in labs if s != _ELLIPSIS)
        has_ellipsis = named != len(labs)
        for s in labs:
            if s != _ELLIPSIS:
                count[s] += 1
        if has_ellipsis:
            ell_num_dim = max(ell_num_dim, ndims - named)
            if named > ndims:
                raise _error(f"the number of subscripts in the equation ({named}) is more than the number of "
                             f"dimensions ({ndims}) for operand {k}")
        elif named != ndims:
            raise _error(f"the number of subscripts in the equation ({named}) does not match the number of "
                         f"dimensions ({ndims}) for operand {k} and no ellipsis was given")
    return count, ell_num_dim


def _output_order(equation: str, arrow: int, count: list[int], ell_num_dim: int):
    """Where each label goes in the aligned dims: output labels first (in the output's
    order), then the summed ones. Returns that map, the output's number of dims, the
    first ellipsis dim and the total number of dims."""
    perm_index = [-1] * _ELLIPSIS
    n = 0
    ell_index = 0
    ell_in_output = False
    if arrow < 0:
        n = ell_num_dim
        ell_in_output = True
        for s in range(_ELLIPSIS):
            if count[s] == 1:
                perm_index[s] = n
                n += 1
    else:
        rhs = equation[arrow + 2 :]
        i = 0
        while i < len(rhs):
            ch = rhs[i]
            if ch == ".":
                if ell_in_output:
                    raise _error("found '.' for output but an ellipsis (...) was already found")
                if rhs[i : i + 3] != "...":
                    raise _error("found '.' for output that is not part of any ellipsis (...)")
                ell_index = n
                n += ell_num_dim
                ell_in_output = True
                i += 2
            elif ch != " ":
                if not _is_label(ch):
                    raise _error(f"invalid subscript given at index {arrow + 2 + i} in the equation string, "
                                 "subscripts must be in [a-zA-Z]")
                s = _code(ch)
                if count[s] == 0 or perm_index[s] != -1:
                    why = "appears more than once in the output" if perm_index[s] != -1 else \
                        "does not appear in the equation for any input operand"
                    raise _error(f"output subscript {ch} {why}")
                perm_index[s] = n
                n += 1
            i += 1
    out_num_dim = n
    if not ell_in_output:
        ell_index = n
        n += ell_num_dim
    for s in range(_ELLIPSIS):
        if count[s] > 0 and perm_index[s] == -1:
            perm_index[s] = n
            n += 1
    return perm_index, out_num_dim, ell_index, n


@lru_cache(maxsize=512)
def _program(equation: str, shapes: tuple) -> tuple:
    """The steps of einsum for operands of these shapes (errors are ATen's, in its order)."""
    num_ops = len(shapes)
    arrow = equation.find("->")
    labels = _parse_operands(equation if arrow < 0 else equation[:arrow], num_ops)
    count, ell_num_dim = _count_labels(labels, shapes)
    perm_index, out_num_dim, ell_index, total = _output_order(equation, arrow, count, ell_num_dim)

    p = _Program(num_ops)
    label_size = [1] * _ELLIPSIS
    ell_sizes = [1] * ell_num_dim
    dim_counts = [0] * total
    ops: list[_Value] = []
    for k, shape in enumerate(shapes):
        op = _Value(tuple(shape), k)
        permutation = [-1] * total
        dim = 0
        for s in labels[k]:
            if s == _ELLIPSIS:
                covered = len(shape) - (len(labels[k]) - 1)
                for j in range(ell_num_dim - covered, ell_num_dim):
                    size = op.shape[dim]
                    if size != 1:
                        if ell_sizes[j] not in (1, size):
                            raise _error(f"dimension {dim} covered by ellipsis in operand {k}has size {size} which does "
                                         f"not broadcast with previously seen ellipsis with size {ell_sizes[j]} for the "
                                         "respective dimension")
                        ell_sizes[j] = size
                        dim_counts[ell_index + j] += 1
                    permutation[ell_index + j] = dim
                    dim += 1
            elif permutation[perm_index[s]] == -1:
                size = op.shape[dim]
                if size != 1:
                    if label_size[s] not in (1, size):
                        raise _error(f"subscript {_letter(s)} has size {size} for operand {k} which does not "
                                     f"broadcast with previously seen size {label_size[s]}")
                    label_size[s] = size
                    dim_counts[perm_index[s]] += 1
                permutation[perm_index[s]] = dim
                dim += 1
            else:  # a repeated label: its diagonal, moved to where the label first was
                prev = permutation[perm_index[s]]
                if op.shape[dim] != op.shape[prev]:
                    raise _error(f"subscript {_letter(s)} is repeated for operand {k} but the sizes don't match, "
                                 f"{op.shape[dim]} != {op.shape[prev]}")
                op = p.diagonal(op, prev, dim)
                last = len(op.shape) - 1
                op = p.permute(op, list(range(prev)) + [last] + list(range(prev, last)))  # movedim(-1, prev)
        for j in range(total):
            if permutation[j] == -1:
                op = p.unsqueeze(op, dim)
                permutation[j] = dim
                dim += 1
        ops.append(p.permute(op, permutation))

    while len(ops) > 1:
        a, b = ops[0], ops[1]
        del ops[:2]
        sum_dims: list[int] = []
        a_sums: list[int] = []
        b_sums: list[int] = []
        for d in range(out_num_dim, total):
            if a.shape[d] != 1 and b.shape[d] != 1:
                dim_counts[d] -= 1
                if dim_counts[d] == 1:
                    sum_dims.append(d)
                    dim_counts[d] = 0
            elif dim_counts[d] == 1:
                if a.shape[d] != 1:
                    a_sums.append(d)
                    dim_counts[d] = 0
                elif b.shape[d] != 1:
                    b_sums.append(d)
                    dim_counts[d] = 0
        if a_sums:
            a = p.sum(a, a_sums, True)
        if b_sums:
            b = p.sum(b, b_sums, True)
        ops.insert(0, _sumproduct_pair(p, a, b, sum_dims))

    if total > out_num_dim:
        if num_ops > 1:  # every summed dim is 1 by now
            p.view(ops[0], ops[0].shape[:out_num_dim])
        else:
            p.sum(ops[0], list(range(out_num_dim, total)), False)
    return tuple(p.steps)


def _sublist_subscript(n) -> str:
    if n is Ellipsis:
        return "..."
    if 0 <= n < 26:
        return chr(ord("A") + n)
    if 26 <= n < 52:
        return chr(ord("a") + n - 26)
    raise ValueError("einsum(): subscript in subscript list is not within the valid range [0, 52)")


def _from_sublists(args: tuple) -> tuple[str, tuple]:
    """PyTorch's sublist form `einsum(a, [0, 1], b, [1, 2], [0, 2])` as an equation and its
    operands: integers 0-25 name 'A'-'Z', 26-51 name 'a'-'z', `...` is the ellipsis."""
    equation = ",".join("".join(_sublist_subscript(s) for s in sub) for sub in args[1::2])
    if len(args) % 2 == 1:
        equation += "->" + "".join(_sublist_subscript(s) for s in args[-1])
        return equation, tuple(args[:-1:2])
    return equation, tuple(args[::2])


@dispatching_first("functional.einsum")
def einsum(*args) -> Tensor:
    """Sums of products of the operands' elements, described by subscripts in Einstein
    notation: `einsum("ij,jk->ik", a, b)` is `a @ b`; in the sublist form,
    `einsum(a, [0, 1], b, [1, 2], [0, 2])` is the same product.

    Args:
        equation: one comma-separated group of letters per operand (one letter per
            dimension; `...` stands for broadcast dimensions), optionally followed by
            `->` and the letters of the output; letters missing from the output are
            summed over (without `->`, the output has the letters that occur once, in
            alphabetical order).
        operands: the tensors, as separate arguments or one sequence. In the sublist
            form, each operand is followed by a list of integers naming its dimensions
            (0-51, `...` for the ellipsis), and an optional last list names the output's.
    """
    if len(args) < 2:
        raise ValueError(
            "einsum(): must specify the equation string and at least one operand, "
            "or at least one operand and its subscripts list"
        )
    if isinstance(args[0], Tensor):
        equation, operands = _from_sublists(args)
    else:
        equation, operands = args[0], tuple(args[1:])
        if not isinstance(equation, str):
            raise TypeError(
                f"einsum(): argument 'equation' (position 1) must be str, not {type_name(equation)}"
            )
    return _einsum(equation, *operands)


def _einsum(equation: str, *operands) -> Tensor:
    if len(operands) == 1 and isinstance(operands[0], Sequence) and not isinstance(operands[0], Tensor):
        operands = tuple(operands[0])
    for k, t in enumerate(operands):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument 1, but got {type_name(t)}")
    if not operands:
        raise ValueError(
            "einsum(): must specify the equation string and at least one operand, "
            "or at least one operand and its subscripts list"
        )
    steps = _program(equation, tuple([t.shape for t in operands]))
    values = list(operands)
    for method, slot, args, other in steps:
        x = values[slot]
        values.append(getattr(x, method)(values[other], *args) if other >= 0 else getattr(x, method)(*args))
    return values[-1]
