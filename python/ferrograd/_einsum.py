"""`einsum`: the equation is parsed here, and every contraction is done by the core's
views (`diagonal`, `permute`, `reshape`, `expand`), `sum` and `bmm`, so gradients
(and double gradients) come from those ops' own nodes.

Operands are contracted pairwise, each time the pair with the smallest result (left to
right on ties); a label is summed out as soon as no other operand and not the output needs
it, and each pairwise contraction is one batched matrix product
`[batch, kept-left, summed] @ [batch, summed, kept-right]` (or a broadcast product when
nothing is summed).
"""

from __future__ import annotations

from collections.abc import Sequence

from ._argcheck import type_name
from ._core import Tensor
from ._dtype_names import scalar_name
from ._tensor_likes import dispatching_first

__all__ = ["einsum"]

_ELLIPSIS = "."


def _type_name(t: Tensor) -> str:
    return scalar_name(t.dtype)


def _error(msg: str) -> RuntimeError:
    return RuntimeError(f"einsum(): {msg}")


def _parse_term(term: str, start: int, k: int) -> list[str]:
    """The labels of one operand's term, with `'.'` standing once for its ellipsis."""
    labels: list[str] = []
    i = 0
    while i < len(term):
        ch = term[i]
        if ch == ".":
            if _ELLIPSIS in labels:
                raise _error(f"found '.' for operand {k} for which an ellipsis was already found")
            if term[i : i + 3] != "...":
                raise _error(f"found '.' for operand {k} that is not part of any ellipsis")
            labels.append(_ELLIPSIS)
            i += 3
            continue
        if not ch.isascii() or not ch.isalpha():
            raise _error(f"invalid subscript given at index {start + i} in the equation string, subscripts must be in [a-zA-Z]")
        labels.append(ch)
        i += 1
    return labels


class _Operand:
    """A tensor with one label per dimension (ellipsis dimensions get labels '0', '1',
    ... counted from the right, so that they broadcast like NumPy's)."""

    def __init__(self, t: Tensor, labels: list[str]):
        self.t = t
        self.labels = labels

    def size(self, label: str) -> int:
        return int(self.t.shape[self.labels.index(label)])


def _expand_ellipsis(t: Tensor, labels: list[str], k: int, n_ell: int) -> tuple[Tensor, list[str]]:
    named = [lab for lab in labels if lab != _ELLIPSIS]
    if _ELLIPSIS not in labels:
        if len(named) != t.dim():
            raise _error(
                f"the number of subscripts in the equation ({len(named)}) does not match the number of dimensions "
                f"({t.dim()}) for operand {k} and no ellipsis was given"
            )
        return t, labels
    covered = t.dim() - len(named)
    if covered < 0:
        raise _error(
            f"the number of subscripts in the equation ({len(named)}) is more than the number of dimensions "
            f"({t.dim()}) for operand {k}"
        )
    at = labels.index(_ELLIPSIS)
    # Ellipsis dims are numbered from the right (broadcasting); an operand has only the
    # ones it covers, as in PyTorch, where a dim no other operand has is summed alone.
    ell = [str(covered - 1 - j) for j in range(covered)]
    return t, labels[:at] + ell + labels[at + 1 :]


def _take_diagonals(t: Tensor, labels: list[str], k: int) -> tuple[Tensor, list[str]]:
    """Repeated labels within one operand select its diagonal."""
    while True:
        seen: dict[str, int] = {}
        pair = None
        for d, lab in enumerate(labels):
            if lab in seen:
                pair = (seen[lab], d)
                break
            seen[lab] = d
        if pair is None:
            return t, labels
        d1, d2 = pair
        s1, s2 = int(t.shape[d1]), int(t.shape[d2])
        if s1 != s2:
            raise _error(f"subscript {labels[d1]} is repeated for operand {k} but the sizes don't match, {s2} != {s1}")
        lab = labels[d1]
        t = t.diagonal(0, d1, d2)  # the diagonal becomes the last dim
        labels = [x for j, x in enumerate(labels) if j not in (d1, d2)] + [lab]


def _sum_labels(op: _Operand, drop: list[str]) -> _Operand:
    if not drop:
        return op
    dims = [op.labels.index(lab) for lab in drop]
    return _Operand(op.t.sum(dim=tuple(dims)), [lab for lab in op.labels if lab not in drop])


def _permute(op: _Operand, order: list[str]) -> Tensor:
    perm = [op.labels.index(lab) for lab in order]
    return op.t if perm == list(range(len(perm))) else op.t.permute(tuple(perm))


def _prod(sizes) -> int:
    n = 1
    for s in sizes:
        n *= s
    return n


def _contract(a: _Operand, b: _Operand, keep: set[str]) -> _Operand:
    """`a` and `b` multiplied, summing the shared labels not in `keep`."""
    shared = [lab for lab in a.labels if lab in b.labels]
    # A shared label of size 1 on one side is a broadcast: sum the other side first.
    for lab in list(shared):
        sa, sb = a.size(lab), b.size(lab)
        if sa != sb and lab not in keep:
            if sa == 1:
                b = _sum_labels(b, [lab])
                a = _Operand(a.t.squeeze(a.labels.index(lab)), [x for x in a.labels if x != lab])
            else:
                a = _sum_labels(a, [lab])
                b = _Operand(b.t.squeeze(b.labels.index(lab)), [x for x in b.labels if x != lab])
            shared.remove(lab)
    batch = [lab for lab in shared if lab in keep]
    summed = [lab for lab in shared if lab not in keep]
    left = [lab for lab in a.labels if lab not in shared]
    right = [lab for lab in b.labels if lab not in shared]
    batch_sizes = [max(a.size(lab), b.size(lab)) for lab in batch]
    if not summed:
        # Nothing to sum: a broadcast product, as PyTorch does it.
        ta = _permute(a, batch + left)
        tb = _permute(b, batch + right)
        for _ in right:
            ta = ta.unsqueeze(-1)
        for _ in left:
            tb = tb.unsqueeze(len(batch))
        return _Operand(ta * tb, batch + left + right)
    ta = _permute(a, batch + left + summed)
    tb = _permute(b, batch + summed + right)
    left_sizes = [a.size(lab) for lab in left]
    right_sizes = [b.size(lab) for lab in right]
    summed_sizes = [a.size(lab) for lab in summed]
    ta = ta.expand((*batch_sizes, *left_sizes, *summed_sizes))
    tb = tb.expand((*batch_sizes, *summed_sizes, *right_sizes))
    nb, m, kk, n = _prod(batch_sizes), _prod(left_sizes), _prod(summed_sizes), _prod(right_sizes)
    out = ta.reshape(nb, m, kk).bmm(tb.reshape(nb, kk, n))
    return _Operand(out.reshape((*batch_sizes, *left_sizes, *right_sizes)), batch + left + right)


def _ell_dim(op: _Operand, lab: str) -> int:
    """Which of the operand's own ellipsis dimensions an ellipsis label stands for."""
    ell = [x for x in op.labels if x.isdigit()]
    return ell.index(lab)


def _check_sizes(ops: list[_Operand]) -> None:
    seen: dict[str, int] = {}
    for k, op in enumerate(ops):
        for lab in dict.fromkeys(op.labels):
            s = op.size(lab)
            if lab not in seen or seen[lab] == 1:
                seen[lab] = s
            elif s not in (1, seen[lab]):
                if lab.isdigit():
                    raise _error(
                        f"dimension {_ell_dim(op, lab)} covered by ellipsis in operand {k}has size {s} which does "
                        f"not broadcast with previously seen ellipsis with size {seen[lab]} for the respective dimension"
                    )
                raise _error(f"subscript {lab} has size {s} for operand {k} which does not broadcast with previously seen size {seen[lab]}")


def _labels_elsewhere(ops: list[_Operand], skip: tuple[int, ...], out: list[str]) -> set[str]:
    """The labels that the output or an operand other than those at `skip` has."""
    need = set(out)
    for k, op in enumerate(ops):
        if k not in skip:
            need.update(op.labels)
    return need


def _cheapest_pair(ops: list[_Operand], out: list[str]) -> tuple[int, int]:
    """The two operands whose contraction gives the smallest result (leftmost on ties),
    so that chains like `ij,jk,kl` never build a needlessly large intermediate."""
    if len(ops) == 2:
        return 0, 1
    best, best_size = (0, 1), None
    for i in range(len(ops)):
        for j in range(i + 1, len(ops)):
            keep = _labels_elsewhere(ops, (i, j), out)
            sizes: dict[str, int] = {}
            for op in (ops[i], ops[j]):
                for lab in op.labels:
                    if lab in keep:
                        sizes[lab] = max(sizes.get(lab, 1), op.size(lab))
            size = _prod(sizes.values())
            if best_size is None or size < best_size:
                best, best_size = (i, j), size
    return best


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
    for t in operands[1:]:
        if t.dtype != operands[0].dtype:
            raise RuntimeError(
                f"expected scalar type {_type_name(operands[0])} but found {_type_name(t)}"
            )
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(operands):
        raise _error("fewer operands were provided than specified in the equation")
    if len(terms) < len(operands):
        raise _error("more operands were provided than specified in the equation")
    starts, pos = [], 0
    for term in terms:
        starts.append(pos)
        pos += len(term) + 1
    parsed = [_parse_term(term, s, k) for k, (term, s) in enumerate(zip(terms, starts))]
    n_ell = 0
    for labels, t in zip(parsed, operands):
        if _ELLIPSIS in labels:
            n_ell = max(n_ell, t.dim() - (len(labels) - 1))
    if arrow:
        bad = next((j for j, ch in enumerate(rhs) if ch in "->"), None)
        if bad is not None:
            raise _error(f"invalid subscript given at index {len(lhs) + 2 + bad} in the equation string, subscripts must be in [a-zA-Z]")
        out_raw = _parse_term(rhs, len(lhs) + 2, 0)
        for lab in out_raw:
            if lab != _ELLIPSIS and out_raw.count(lab) > 1:
                raise _error(f"output subscript {lab} appears more than once in the output")
            if lab != _ELLIPSIS and not any(lab in p for p in parsed):
                raise _error(f"output subscript {lab} does not appear in the equation for any input operand")
        ell = [str(n_ell - 1 - j) for j in range(n_ell)]
        out: list[str] = []
        for lab in out_raw:
            out.extend(ell if lab == _ELLIPSIS else [lab])
    else:
        counts: dict[str, int] = {}
        for p in parsed:
            for lab in p:
                if lab != _ELLIPSIS:
                    counts[lab] = counts.get(lab, 0) + 1
        out = [str(n_ell - 1 - j) for j in range(n_ell)] + sorted(lab for lab, c in counts.items() if c == 1)

    ops: list[_Operand] = []
    for k, (t, labels) in enumerate(zip(operands, parsed)):
        t, labels = _expand_ellipsis(t, labels, k, n_ell)
        t, labels = _take_diagonals(t, labels, k)
        ops.append(_Operand(t, labels))
    _check_sizes(ops)

    # Each operand first sums out the labels that appear nowhere else.
    pending = []
    for k, op in enumerate(ops):
        need = _labels_elsewhere(ops, (k,), out)
        pending.append(_sum_labels(op, [lab for lab in op.labels if lab not in need]))
    if len(ops) == 1 and pending[0].labels != ops[0].labels and pending[0].labels == out:
        return pending[0].t
    while len(pending) > 1:
        i, j = _cheapest_pair(pending, out)
        keep = _labels_elsewhere(pending, (i, j), out)
        merged = _contract(pending[i], pending[j], keep)
        merged = _sum_labels(merged, [lab for lab in merged.labels if lab not in keep])
        pending = [op for k, op in enumerate(pending) if k not in (i, j)]
        pending.insert(i, merged)
    cur = pending[0]
    sizes = {}
    for op in ops:
        for lab in op.labels:
            sizes[lab] = max(sizes.get(lab, 1), op.size(lab))
    perm = [cur.labels.index(lab) for lab in out]
    result = cur.t.permute(tuple(perm)) if len(ops) == 1 or perm != sorted(perm) else cur.t
    target = [sizes[lab] for lab in out]
    if list(result.shape) != target:
        result = result.expand(tuple(target))
    contracted = any(lab not in out for op in ops for lab in op.labels)
    if len(ops) > 1 and contracted and result.grad_fn is not None and result.is_contiguous():
        result = result.view(tuple(result.shape))  # PyTorch drops the summed unit dims with a view
    return result
