"""`FlopCounterMode` (PyTorch's `torch.utils.flop_counter`): counts the floating-point
operations of the matrix products, convolutions and attention run in its context, by
module, under PyTorch's names for the ATen ops it would run (`aten.addmm`, `aten.mm`,
`aten.convolution`, ...). It watches the public functions through a `TorchFunctionMode`
and replays PyTorch's choice of kernel from the arguments (an `nn.Linear` on a contiguous
input is one `addmm`; a matmul folds to `mm` or batches to `bmm` as ATen's does; a
scaled-dot-product attention on the CPU counts only on its math path), and counts the
backward products through hooks on the results, as PyTorch's dispatch-level counter sees
them (one product per input that gets a gradient).
"""

from __future__ import annotations

import inspect
import math
import warnings
from collections import defaultdict
from collections.abc import Callable
from typing import Any, Self

from .._core import Tensor
from ..nn.modules.module import register_module_forward_hook, register_module_forward_pre_hook
from ..overrides import TorchFunctionMode
from .module_tracker import ModuleTracker

__all__ = ["FlopCounterMode"]


class _OpPacket:
    """An ATen operator's name as PyTorch's counter keys its counts (`aten.mm`)."""

    def __init__(self, name: str) -> None:
        self.__name__ = name

    def __repr__(self) -> str:
        return f"<OpOverloadPacket(op='aten.{self.__name__}')>"

    def __str__(self) -> str:
        return f"aten.{self.__name__}"


MM, ADDMM, BMM, BADDBMM = _OpPacket("mm"), _OpPacket("addmm"), _OpPacket("bmm"), _OpPacket("baddbmm")
CONVOLUTION, CONVOLUTION_BACKWARD = _OpPacket("convolution"), _OpPacket("convolution_backward")

# one product: (its operator, its flops, the inputs whose gradients each take one product of
# the same size: PyTorch's backward of mm, bmm and their fused forms)
_Product = tuple[_OpPacket, int, tuple]


def _arg(args: tuple, kwargs: dict, index: int, name: str, default: Any = None) -> Any:
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def _prod(values) -> int:
    return math.prod(int(v) for v in values)


def _mm_flops(m: int, k: int, n: int) -> int:
    return 2 * m * k * n


def _should_fold(a: Tensor, b: Tensor, has_out: bool) -> bool:
    """ATen's `should_fold`: whether a matmul of a >= 3-d tensor by a <= 2-d one runs as
    one mm (or mv) on the larger tensor viewed as a matrix."""
    a_larger = a.dim() >= b.dim()
    if a_larger:
        shape, strides, small = list(a.shape), list(a.stride()), b.dim()
    else:  # b.mT
        shape, strides, small = list(b.shape), list(b.stride()), a.dim()
        shape[-2:], strides[-2:] = shape[-1:-3:-1], strides[-1:-3:-1]
    if not (len(shape) >= 3 and small <= 2):
        return False
    if has_out or (b.requires_grad if a_larger else a.requires_grad):
        return True
    if a.dim() == 2:
        return False
    if _prod(shape) == 0:
        return True
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(len(shape) - 2))


def _matmul(a: Tensor, b: Tensor, has_out: bool = False) -> list[_Product]:
    """The product ATen's matmul runs: none for dot and mv, else one mm or bmm."""
    da, db = a.dim(), b.dim()
    if da == 0 or db == 0 or db == 1 and da in (1, 2):
        return []
    k = int(a.shape[-1])
    n = int(b.shape[-1]) if db >= 2 else 1
    if da <= 2 and db == 2:
        m = int(a.shape[0]) if da == 2 else 1
        return [(MM, _mm_flops(m, k, n), (a, b))]
    if _should_fold(a, b, has_out):
        if min(da, db) == 1:
            return []  # folded into an mv
        larger = a if da >= db else b
        m = int(a.shape[-2])
        return [(MM, _mm_flops(_prod(larger.shape[:-2]) * m, k, n), (a, b))]
    batch = _broadcast_shape(list(a.shape[:-2]) if da >= 2 else [], list(b.shape[:-2]) if db >= 2 else [])
    m = int(a.shape[-2]) if da >= 2 else 1
    return [(BMM, _prod(batch) * _mm_flops(m, k, n), (a, b))]


def _broadcast_shape(x: list, y: list) -> list:
    out = []
    for i in range(1, max(len(x), len(y)) + 1):
        p = x[-i] if i <= len(x) else 1
        q = y[-i] if i <= len(y) else 1
        out.append(q if p == 1 else p)
    return out[::-1]


def _linear(input: Tensor, weight: Tensor, bias: Tensor | None) -> list[_Product]:
    """ATen's linear: addmm for a bias and a matrix (or vector, or contiguous batched)
    input, else a matmul by the transposed weight."""
    if bias is not None and (input.dim() <= 2 or input.is_contiguous()):
        m = _prod(input.shape[:-1])
        return [(ADDMM, _mm_flops(m, int(weight.shape[1]), int(weight.shape[0])), (input, weight))]
    return _matmul(input, weight.mT)


def _conv_flops(x_shape, w_shape, out_shape, transposed: bool) -> int:
    """PyTorch's `conv_flop_count`: 2 multiply-adds per filter tap, per output point (per
    input point when transposed), per batch element and channel pair."""
    conv_shape = (x_shape if transposed else out_shape)[2:]
    c_out, c_in, *filter_size = w_shape
    return _prod(conv_shape) * _prod(filter_size) * int(x_shape[0]) * int(c_out) * int(c_in) * 2


def _swap(shape: list) -> list:
    """The shape with its first two sizes swapped (batch and channels)."""
    return [shape[1], shape[0], *shape[2:]]


def _batched(shape, dims: int) -> list:
    shape = [int(s) for s in shape]
    return shape if len(shape) == dims + 2 else [1, *shape]


class _Counter:
    """What one counted call adds, forward and (through a hook) backward."""

    def __init__(self, owner: FlopCounterMode, parents: set[str]) -> None:
        self.owner, self.parents = owner, parents

    def add(self, op: _OpPacket, flops: int) -> None:
        for parent in self.parents:
            self.owner.flop_counts[parent][op] += flops


def _watch_backward(out: Any, backward: Callable[[], None]) -> None:
    if isinstance(out, Tensor) and out.requires_grad:
        def hook(grad: Tensor) -> None:
            backward()

        out.register_hook(hook)


class _FlopCounterMode(TorchFunctionMode):
    def __init__(self, counter: FlopCounterMode) -> None:
        super().__init__()
        self.counter = counter

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        if self.counter._fused_depth:
            return func(*args, **kwargs)
        if name in _DECOMPOSED and self.counter.mode is self:
            with self:  # its products are counted as PyTorch's dispatch sees them
                return inspect.unwrap(func)(*args, **kwargs)
        out = func(*args, **kwargs)
        rule = _RULES.get(name)
        if rule is not None and self.counter.mode is self:
            rule(_Counter(self.counter, set(self.counter.mod_tracker.parents)), out, args, kwargs)
        return out


def _count_products(counter: _Counter, out: Any, products: list[_Product]) -> None:
    grads = []  # (operator, flops) of each product a gradient takes in backward
    for op, flops, inputs in products:
        counter.add(op, flops)
        grad_op = MM if op in (MM, ADDMM) else BMM
        grads += [(grad_op, flops) for t in inputs if isinstance(t, Tensor) and t.requires_grad]

    def backward() -> None:
        if counter.owner.mode is not None:
            for op, flops in grads:
                counter.add(op, flops)

    if grads:
        _watch_backward(out, backward)


def _product_rule(op: _OpPacket, first: int, names: tuple[str, str]) -> Callable:
    """The rule of mm/addmm (matrices) or bmm/baddbmm (batches) whose factors are the
    arguments at `first` and `first + 1`."""

    def rule(counter: _Counter, out, args, kwargs) -> None:
        a, b = _arg(args, kwargs, first, names[0]), _arg(args, kwargs, first + 1, names[1])
        batch = int(a.shape[0]) if a.dim() == 3 else 1
        flops = batch * _mm_flops(int(a.shape[-2]), int(a.shape[-1]), int(b.shape[-1]))
        _count_products(counter, out, [(op, flops, (a, b))])

    return rule


def _rule_matmul(counter: _Counter, out, args, kwargs) -> None:
    a, b = _arg(args, kwargs, 0, "input"), _arg(args, kwargs, 1, "other")
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        _count_products(counter, out, _matmul(a, b, has_out=kwargs.get("out") is not None))


def _rule_linear(counter: _Counter, out, args, kwargs) -> None:
    x, w, bias = _arg(args, kwargs, 0, "input"), _arg(args, kwargs, 1, "weight"), _arg(args, kwargs, 2, "bias")
    _count_products(counter, out, _linear(x, w, bias))


def _rule_tensordot(counter: _Counter, out, args, kwargs) -> None:
    a, b, dims = _arg(args, kwargs, 0, "a"), _arg(args, kwargs, 1, "b"), _arg(args, kwargs, 2, "dims", 2)
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, int):
        dims_a, dims_b = list(range(a.dim() - dims, a.dim())), list(range(dims))
    else:
        dims_a, dims_b = ([d] if isinstance(d, int) else list(d) for d in dims)
    dims_a = [d % a.dim() for d in dims_a] if a.dim() else []
    contracted = _prod(a.shape[d] for d in dims_a)
    free_a = _prod(s for i, s in enumerate(a.shape) if i not in dims_a)
    free_b = _prod(s for i, s in enumerate(b.shape) if i not in [d % max(b.dim(), 1) for d in dims_b])
    _count_products(counter, out, [(MM, _mm_flops(free_a, contracted, free_b), (a, b))])


def _chain_order_flops(shapes: list[tuple[int, int]]) -> int:
    """The flops of ATen's multi_dot: the cheaper order for three matrices, the optimal
    parenthesization (matrix-chain order) for more."""
    n = len(shapes)
    if n == 2:
        return _mm_flops(shapes[0][0], shapes[0][1], shapes[1][1])
    dims = [shapes[0][0]] + [s[1] for s in shapes]
    cost = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = min(cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1] for k in range(i, j))
    return 2 * cost[0][n - 1]


def _rule_multi_dot(counter: _Counter, out, args, kwargs) -> None:
    tensors = list(_arg(args, kwargs, 0, "tensors"))
    _count_chain(counter, tensors)


def _rule_chain_matmul(counter: _Counter, out, args, kwargs) -> None:
    _count_chain(counter, list(args))


def _count_chain(counter: _Counter, tensors: list) -> None:
    if len(tensors) < 2:
        return
    shapes = [(int(t.shape[0]), int(t.shape[1])) if t.dim() == 2 else (0, 0) for t in tensors]
    if tensors[0].dim() == 1:
        shapes[0] = (1, int(tensors[0].shape[0]))
    if tensors[-1].dim() == 1:
        shapes[-1] = (int(tensors[-1].shape[0]), 1)
    counter.add(MM, _chain_order_flops(shapes))


def _conv_rule(transposed: bool, dims: int) -> Callable:
    def rule(counter: _Counter, out, args, kwargs) -> None:
        x, w = _arg(args, kwargs, 0, "input"), _arg(args, kwargs, 1, "weight")
        x_shape, out_shape, w_shape = _batched(x.shape, dims), _batched(out.shape, dims), [int(s) for s in w.shape]
        counter.add(CONVOLUTION, _conv_flops(x_shape, w_shape, out_shape, transposed))
        needs = (x.requires_grad, w.requires_grad)
        bias = _arg(args, kwargs, 2, "bias")

        def backward() -> None:
            if counter.owner.mode is None:
                return
            flops = 0
            if needs[0]:
                flops += _conv_flops(out_shape, w_shape, x_shape, not transposed)
            if needs[1]:
                if transposed:
                    flops += _conv_flops(_swap(out_shape), _swap(x_shape), _swap(w_shape), False)
                else:
                    flops += _conv_flops(_swap(x_shape), _swap(out_shape), _swap(w_shape), False)
            counter.add(CONVOLUTION_BACKWARD, flops)

        if any(needs) or isinstance(bias, Tensor) and bias.requires_grad:
            _watch_backward(out, backward)

    return rule


def _rule_sdpa(counter: _Counter, out, args, kwargs) -> None:
    """On the CPU PyTorch runs a fused kernel it counts nothing for, except on its math
    path (dropout, or inputs not 4-d): two bmm."""
    q, k, v = (_arg(args, kwargs, i, name) for i, name in enumerate(("query", "key", "value")))
    dropout = _arg(args, kwargs, 4, "dropout_p", 0.0)
    if not (dropout > 0 or q.dim() != 4):
        return
    batch, length, embed = _prod(q.shape[:-2]), int(q.shape[-2]), int(q.shape[-1])
    source, value_embed = int(k.shape[-2]), int(v.shape[-1])
    scores = batch * _mm_flops(length, embed, source)
    mixed = batch * _mm_flops(length, source, value_embed)
    counter.add(BMM, scores + mixed)

    def backward() -> None:
        if counter.owner.mode is None:
            return
        flops = scores * (q.requires_grad + k.requires_grad) + mixed * ((q.requires_grad or k.requires_grad)
                                                                       + v.requires_grad)
        counter.add(BMM, flops)

    if q.requires_grad or k.requires_grad or v.requires_grad:
        _watch_backward(out, backward)


# functions that run as ops counted here (einsum: bmm after permutes and reshapes)
_DECOMPOSED = frozenset({"einsum"})

_RULES: dict[str, Callable] = {
    "mm": _product_rule(MM, 0, ("input", "mat2")), "bmm": _product_rule(BMM, 0, ("input", "mat2")),
    "addmm": _product_rule(ADDMM, 1, ("mat1", "mat2")), "baddbmm": _product_rule(BADDBMM, 1, ("batch1", "batch2")),
    "matmul": _rule_matmul,
    "linear": _rule_linear, "tensordot": _rule_tensordot, "linalg_multi_dot": _rule_multi_dot,
    "multi_dot": _rule_multi_dot, "chain_matmul": _rule_chain_matmul,
    "conv1d": _conv_rule(False, 1), "conv2d": _conv_rule(False, 2), "conv3d": _conv_rule(False, 3),
    "conv_transpose1d": _conv_rule(True, 1), "conv_transpose2d": _conv_rule(True, 2),
    "conv_transpose3d": _conv_rule(True, 3), "scaled_dot_product_attention": _rule_sdpa,
}


def _runs_fused(module: Any, args: tuple) -> bool:
    """Whether PyTorch runs this module as one oneDNN kernel it counts nothing for: an
    LSTM of float32 without projections, on the CPU."""
    from .. import float32
    from ..nn import LSTM

    if not isinstance(module, LSTM) or module.proj_size or not args:
        return False
    first = getattr(args[0], "data", args[0])  # a PackedSequence's data
    return isinstance(first, Tensor) and first.dtype == float32


# ---- the table -----------------------------------------------------------------------------
_SUFFIXES = ["", "K", "M", "B", "T"]


def _suffix_of(number: int) -> str:
    return _SUFFIXES[max(0, min(len(_SUFFIXES) - 1, (len(str(number)) - 2) // 3))]


def _with_suffix(number: int, suffix: str) -> str:
    value = number / 1000 ** _SUFFIXES.index(suffix)
    # without a suffix the text is a number, which the table prints in its general format
    return f"{value:g}" if suffix == "" else f"{value:.3f}{suffix}"


def _percent(num: int, denom: int) -> str:
    return "0%" if denom == 0 else f"{num / denom:.2%}"


def _tabulate(rows: list[list[str]]) -> str:
    """The rows as `tabulate(..., headers=["Module", "FLOP", "% Total"], colalign=("left",
    "right", "right"))` prints them (its 'simple' format; cells stripped)."""
    headers = ["Module", "FLOP", "% Total"]
    rows = [[cell.strip() for cell in row] for row in rows]
    widths = [max(len(h) + 2, *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


class FlopCounterMode:
    """A context manager that counts the flops of the matrix products, convolutions and
    attention run inside it (forward and backward), by module; prints a table of them on
    exit when `display` is set.

    Args:
        mods: not needed (PyTorch warns that it is ignored).
        depth: the module depth the table shows (default 2).
        display: print the table on exit (default True).
        custom_mapping: PyTorch's extra flop formulas by ATen operator; not supported
            (none but None or empty).
    """

    def __init__(self, mods: Any = None, depth: int = 2, display: bool = True,
                 custom_mapping: dict[Any, Any] | None = None) -> None:
        self.flop_counts: dict[str, dict[Any, int]] = defaultdict(lambda: defaultdict(int))
        self.depth = depth
        self.display = display
        self.mode: _FlopCounterMode | None = None
        self._fused_depth = 0  # > 0 inside a module PyTorch runs as one uncounted kernel
        if custom_mapping:
            raise NotImplementedError("FlopCounterMode: custom_mapping is not supported by ferrograd")
        if mods is not None:
            warnings.warn("mods argument is not needed anymore, you can stop passing it", stacklevel=2)
        self.mod_tracker = ModuleTracker()

    def get_total_flops(self) -> int:
        """The flops counted in all."""
        return sum(self.flop_counts["Global"].values())

    def get_flop_counts(self) -> dict[str, dict[Any, int]]:
        """The counts as {module name: {operator: flops}}; "Global" holds them all."""
        return {k: dict(v) for k, v in self.flop_counts.items()}

    def get_table(self, depth: int | None = None) -> str:
        """The counts as PyTorch prints them: each module down to `depth` (default the
        mode's) with its flops, each operator's, and their share of the total.

        Args:
            depth: how deep in the module tree to list (None: the mode's `depth`).
        """
        if depth is None:
            depth = self.depth
        if depth is None:
            depth = 999999
        global_flops = self.get_total_flops()
        suffix = _suffix_of(global_flops)
        subsumed = False

        def rows_of(name: str) -> list[list[str]]:
            nonlocal subsumed
            total = sum(self.flop_counts[name].values())
            subsumed |= total >= global_flops
            rows = [[name, _with_suffix(total, suffix), _percent(total, global_flops)]]
            rows += [[f" - {op}", _with_suffix(v, suffix), _percent(v, global_flops)]
                     for op, v in self.flop_counts[name].items()]
            return rows

        values: list[list[str]] = []
        for name in sorted(self.flop_counts):
            if name != "Global" and name.count(".") + 1 <= depth:
                values.extend(rows_of(name))
        if "Global" in self.flop_counts and not subsumed:
            values = rows_of("Global") + values
        if not values:
            values = [["Global", "0", "0%"]]
        return _tabulate(values)

    def __enter__(self) -> Self:
        self.flop_counts.clear()
        self.mod_tracker.__enter__()
        self._fused_depth = 0
        self._fused_calls: list[bool] = []
        self._hooks = [register_module_forward_pre_hook(self._enter_module),
                       register_module_forward_hook(self._leave_module, always_call=True)]
        self.mode = _FlopCounterMode(self)
        self.mode.__enter__()
        return self

    def _enter_module(self, module: Any, args: tuple) -> None:
        fused = _runs_fused(module, args)
        self._fused_calls.append(fused)
        self._fused_depth += fused

    def _leave_module(self, module: Any, args: tuple, output: Any) -> None:
        if self._fused_calls:
            self._fused_depth -= self._fused_calls.pop()

    def __exit__(self, *args: object) -> Any:
        assert self.mode is not None
        result = self.mode.__exit__(*args)
        self.mode = None
        for handle in self._hooks:
            handle.remove()
        self.mod_tracker.__exit__()
        if self.display:
            print(self.get_table(self.depth))
        return result
