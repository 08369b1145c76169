"""PyTorch's `torch._foreach_*` ops (what optimizers with `foreach=True` call): each runs
the per-tensor op over its tensor lists, with PyTorch's argument parsing and checks.

An out-of-place result list shares one node, named as PyTorch's (a `CppFunction` whose
`name()` tells the op, `ForeachExpBackward0`, or a class of its own, `ForeachNormBackward0`,
`ForeachPowBackward2`, ...), whose backward differentiates the per-tensor ops again; every
output of it requires grad once any input does. An in-place form writes each tensor with
the per-tensor in-place op, under that op's node (the Scalar overload's for a number:
`MulBackward1`), or `NotImplemented` where PyTorch has no derivative; it returns its
`self` argument.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from . import _core
from ._argcheck import need_tensor_list
from ._core import Tensor
from ._dtype_names import scalar_name
from ._numpy import np

# The out-of-place forms with a node class of their own in PyTorch, by (op, form of the
# second argument: `L` a tensor list, `F` a scalar list, `n` a scalar, `s` a scalar base)
_NODE_CLASSES = {
    ("div", "L"): "ForeachDivBackward0",
    ("maximum", "n"): "ForeachMaximumBackward0", ("maximum", "F"): "ForeachMaximumBackward1",
    ("minimum", "n"): "ForeachMinimumBackward0", ("minimum", "F"): "ForeachMinimumBackward1",
    ("pow", "L"): "ForeachPowBackward0", ("pow", "F"): "ForeachPowBackward1", ("pow", "s"): "ForeachPowBackward2",
}
# ... the others are a CppFunction whose name() tells the op's derivative and overload
_OVERLOADS = {"n": "Scalar", "F": "ScalarList", "L": "List", "T": "Tensor"}
_CAMEL = {"clamp_min": "ClampMin", "clamp_max": "ClampMax", "log1p": "Log1P"}


def _cpp_function_name(op: str, number: int = 0, form: str = "") -> str:
    """`ForeachAddBackward1Scalar`: PyTorch's name of the node of `op`'s derivative
    `number` for an overload, as its CppFunction node says it."""
    return f"Foreach{_CAMEL.get(op, op.capitalize())}Backward{number}{_OVERLOADS.get(form, '')}"


def _binary_node_name(op: str, form: str) -> str:
    if (op, form) in _NODE_CLASSES:
        return _NODE_CLASSES[op, form]
    if op in ("add", "sub", "mul", "div"):  # derivative 1: the Scalar overloads'
        return _cpp_function_name(op, 1 if form in "nF" else 0, form)
    return _cpp_function_name(op, 1 if form == "L" and op.startswith("clamp") else 0, form)


# every foreach node with a class of its own (the others are CppFunctions)
_OWN_CLASSES = {*_NODE_CLASSES.values(), "ForeachNormBackward0", "ForeachMmBackward0"}

_LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation."


def _torch():
    import ferrograd

    return ferrograd


# ---- argument parsing ------------------------------------------------------------------

def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, complex, np.number, np.bool_))


def _accepts(kinds: str, value: Any, position: int) -> str | None:
    """The kind of `kinds` (as `_torch_signatures` writes them) that PyTorch's parser
    reads `value` as, None when none; a tensor list with a non-tensor element is its
    TypeError right away (the parser raises it while matching); a scalar list is `F`."""
    for kind in kinds:
        if kind == "L" and isinstance(value, (list, tuple)):
            need_tensor_list(value, position)
            return kind
        if kind in "FP" and isinstance(value, (list, tuple)) and all(_is_number(v) for v in value):
            return "F"
        if kind == "T" and isinstance(value, Tensor):
            return kind
        if kind == "n" and (_is_number(value) or (
            isinstance(value, Tensor) and value.dim() == 0 and not value.requires_grad
        )):
            return kind
        if kind == "N" and value is None:
            return kind
        if kind == "d" and isinstance(value, _core.dtype):
            return kind
        if kind == "b" and isinstance(value, bool):
            return kind
        if kind == "M" and type(value).__name__ == "memory_format":
            return kind
    return None


def _bind_overload(params, args: tuple, kwargs: dict) -> dict | None:
    positional = [p for p in params if not p.keyword_only]
    if len(args) > len(positional) or any(k not in {p.name for p in params} for k in kwargs):
        return None
    bound: dict[str, tuple[Any, str]] = {}
    for position, param in enumerate(params):
        if position < len(args) and not param.keyword_only:
            if param.name in kwargs:
                return None
            value = args[position]
        elif param.name in kwargs:
            value = kwargs[param.name]
        elif param.has_default:
            continue
        else:
            return None
        kind = _accepts(param.kinds, value, position)
        if kind is None:
            return None
        bound[param.name] = (value, kind)
    return bound


def _parse(name: str, args: tuple, kwargs: dict) -> dict:
    """{parameter: (value, the kind it was read as)} of the first overload of `name` that takes the call."""
    from ._parser_check import _overloads

    entry = _overloads(name)
    assert entry is not None, name
    for params in entry[1]:
        bound = _bind_overload(params, args, kwargs)
        if bound is not None:
            return bound
    raise _parser_refusal(name, args, kwargs)


def _parser_refusal(name: str, args: tuple, kwargs: dict) -> Exception:
    """PyTorch's TypeError for a call no overload of `name` takes."""
    from ._parser_check import signature_error
    from ._torch_signatures import SIGNATURES

    torch_name, specs = SIGNATURES[name]
    error = signature_error(torch_name, specs, args, kwargs)
    return error or TypeError(f"{torch_name}(): invalid arguments")


# ---- the checks PyTorch makes before running -------------------------------------------

def _check_lists(*lists: Sequence[Tensor]) -> None:
    if len(lists[0]) == 0:
        raise RuntimeError("Tensor list must have at least one tensor.")
    for other in lists[1:]:
        if len(other) != len(lists[0]):
            raise RuntimeError(
                f"Tensor lists must have the same number of tensors, got {len(lists[0])} and {len(other)}"
            )


def _check_scalar_list(tensors: Sequence[Tensor], scalars: Sequence[Any]) -> None:
    if len(scalars) != len(tensors):
        raise RuntimeError("Tensor list must have same number of elements as scalar list.")


def _check_scalar_tensor(t: Tensor) -> None:
    if t.dim() != 0:
        raise RuntimeError(
            f"scalar tensor expected to be 0 dim but it has {t.dim()} dimensions and {t.numel()} elements."
        )


def _packed_scalars(tensors: Sequence[Tensor], scalars: Tensor) -> list:
    """The scalars of addcmul's and addcdiv's tensor form, one per tensor."""
    if scalars.dim() != 1:
        raise RuntimeError(f"Expected packed scalar Tensor to be of dimension 1. Got {scalars.dim()} instead.")
    if scalars.numel() != len(tensors):
        raise RuntimeError(f"Expected length of scalars to match input of length {len(tensors)} but got "
                           f"{scalars.numel()} instead.")
    return scalars.tolist()


def _check_in_place(tensors: Sequence[Tensor]) -> None:
    if _core.is_grad_enabled() and any(t.is_leaf and t.requires_grad for t in tensors):
        raise RuntimeError(_LEAF_IN_PLACE)


# ---- running ---------------------------------------------------------------------------

def _flat(groups: Sequence[Any]) -> list[Tensor]:
    """The tensors of the call's arguments (lone ones and those of lists), in order."""
    out: list[Tensor] = []
    for g in groups:
        if isinstance(g, Tensor):
            out.append(g)
        elif isinstance(g, (list, tuple)):
            out.extend(v for v in g if isinstance(v, Tensor))
    return out


def _regroup(groups: Sequence[Any], flat: Sequence[Tensor]) -> list[Any]:
    it = iter(flat)
    out: list[Any] = []
    for g in groups:
        if isinstance(g, Tensor):
            out.append(next(it))
        elif isinstance(g, (list, tuple)):
            out.append([next(it) if isinstance(v, Tensor) else v for v in g])
        else:
            out.append(g)
    return out


def _computed(groups: Sequence[Any], each: Callable) -> tuple[tuple, list[Tensor] | None]:
    """`each(i, *groups)` for every i of the first group's list; with the call's tensors
    when an input requires grad (the outputs then computed without history), else None."""
    n = len(groups[0])
    inputs = _flat(groups)
    if not (_core.is_grad_enabled() and any(t.requires_grad for t in inputs)):
        return tuple(each(i, *groups) for i in range(n)), None
    with _torch().no_grad():
        return tuple(each(i, *groups) for i in range(n)), inputs


def _run(node: str, groups: Sequence[Any], each: Callable, grad_each: Callable | None = None) -> tuple:
    """`_computed`'s outputs, of one node `node` when recorded, whose backward
    differentiates `grad_each` (default `each`)."""
    outs, inputs = _computed(groups, each)
    if inputs is None:
        return outs
    from .autograd.graph import CPP_FUNCTION_NAMES
    from .nn._composite_nodes import record_recomputed

    if node not in _OWN_CLASSES:
        CPP_FUNCTION_NAMES.add(node)

    differentiated = grad_each or each
    n = len(outs)  # the node keeps this closure: a reference to `outs` would be a cycle

    def backward_of(*flat: Tensor) -> tuple:
        regrouped = _regroup(groups, flat)
        return tuple(differentiated(i, *regrouped) for i in range(n))

    record_recomputed(node, inputs, outs, backward_of)
    return outs


def _run_underivable(op: str, groups: Sequence[Any], each: Callable) -> tuple:
    """`_run` for a form PyTorch has no derivative for: its node, `NotImplemented`,
    refuses the backward."""
    outs, inputs = _computed(groups, each)
    if inputs is not None:
        _core._composite_node("NotImplemented", inputs, list(outs), [], _refused_backward(op))
    return outs


# ---- the ops ---------------------------------------------------------------------------

def _scalar(value: Any) -> Any:
    """A Python number for a 0-dim tensor or a NumPy scalar (the per-tensor ops' parsers
    take fewer kinds of number than PyTorch's Scalar)."""
    return value.item() if isinstance(value, (Tensor, np.generic)) else value


def _binary_each(op: str, form: str, alpha: Any) -> Callable:
    torch = _torch()

    def other_of(i: int, other: Any) -> Any:
        return other[i] if form in "LF" else other

    if op in ("add", "sub"):
        def each(i, self, other):
            o = other_of(i, other)
            return getattr(self[i], op)(o) if alpha is None else getattr(self[i], op)(o, alpha=alpha)
    elif op in ("maximum", "minimum") and form != "L":
        # PyTorch clamps here (its result types and refusals), with the derivative of
        # maximum / minimum (a tie splits the gradient)
        clamp = "clamp_min" if op == "maximum" else "clamp_max"

        def each(i, self, other):
            return getattr(self[i], clamp)(other_of(i, other))
    else:
        def each(i, self, other):
            return getattr(torch, op)(self[i], other_of(i, other))
    return each


def _extremum_grad_each(op: str, form: str) -> Callable:
    torch = _torch()

    def each(i, self, other):
        o = other[i] if form == "F" else other
        return getattr(torch, op)(self[i], torch.full_like(self[i], o))

    return each


def _binary_in_place_each(op: str, form: str, alpha: Any) -> Callable:
    torch = _torch()
    name = f"_foreach_{op}_"
    scalar_overload = _named_form(op, form, alpha) in "nF" and op in ("add", "sub", "mul", "div")

    def each(i, self, other):
        t = self[i]
        o = other[i] if form in "LF" else other
        if op in ("maximum", "minimum") and form == "L":
            _core._inplace_call(name, t, True, lambda s: getattr(torch, op)(s, o))
        elif op in ("maximum", "minimum"):
            clamp = "clamp_min" if op == "maximum" else "clamp_max"
            if _recording(t):
                _write_underivable(name, t, (), lambda s: getattr(s, clamp)(o))
            else:
                getattr(t, clamp + "_")(o)
        elif scalar_overload and _recording(t):
            _write_scalar_step(op, t, _scalar(o))
        elif alpha is not None:
            getattr(t, op + "_")(o, alpha=alpha)
        else:
            getattr(t, op + "_")(o)

    return each


def _recording(*tensors: Tensor) -> bool:
    """Whether an op on `tensors` records a node."""
    return _core.is_grad_enabled() and any(t.requires_grad for t in tensors)


def _write_scalar_step(op: str, t: Tensor, value: Any) -> None:
    """`t.{op}_(value)` as PyTorch's Scalar overload, whose node (`AddBackward1`,
    `SubBackward1`, `MulBackward1`, `DivBackward1`) differs from the tensor one's."""
    from .nn._composite_nodes import div_scalar, mul_scalar, record

    def stepped(s: Tensor) -> Tensor:
        if op == "mul":
            return mul_scalar(s, value)
        if op == "div":
            return div_scalar(s, value)
        with _torch().no_grad():
            out = getattr(s, op)(value)
        return record(f"{op.capitalize()}Backward1", (s,), out, (), _passed_on)

    _core._inplace_call(f"{op}_", t, False, stepped)


def _passed_on(grads, saved, needs):
    return (grads[0],)


def _write_underivable(op: str, t: Tensor, others: Sequence[Tensor | None], compute: Callable) -> None:
    """`t` written in place with `compute(t)`, under PyTorch's node for an in-place form
    without a derivative (`NotImplemented`, refusing the backward); `others` are the
    node's other inputs."""

    def written(s: Tensor) -> Tensor:
        with _torch().no_grad():
            out = compute(s)
        _core._composite_node("NotImplemented", [s, *others], [out], [], _refused_backward(op))
        return out

    _core._inplace_call(op, t, False, written)


def _refused_backward(op: str) -> Callable:
    def backward(grads, saved, needs):
        raise RuntimeError(f"derivative for {op} is not implemented")

    return backward


def _binary(op: str, in_place: bool, args: tuple, kwargs: dict):
    name = f"_foreach_{op}{'_' if in_place else ''}"
    bound = _parse(name, args, kwargs)
    self, _ = bound["self"]
    if not isinstance(self, (list, tuple)):  # `_foreach_pow(2.0, tensors)`
        return _pow_scalar_base(self, bound["exponent"][0])
    second = next(key for key in bound if key not in ("self", "alpha"))
    other, form = bound[second]
    if form == "n":
        other = _scalar(other)
    elif form == "F":
        other = [_scalar(v) for v in other]
    alpha = bound.get("alpha", (None, ""))[0]
    if form == "L":
        _check_lists(self, other)
    else:
        _check_lists(self)
    if form == "F":
        _check_scalar_list(self, other)
    if form == "T":
        _check_scalar_tensor(other)
    if op in ("maximum", "minimum") and form == "L":
        _refuse_complex_extremum(op, self, other)
    if in_place:
        _check_in_place(self)
        each = _binary_in_place_each(op, form, alpha)
        for i in range(len(self)):
            each(i, self, other)
        return self
    grad_each = _extremum_grad_each(op, form) if op in ("maximum", "minimum") and form != "L" else None
    return _run(_binary_node_name(op, _named_form(op, form, alpha)), (self, other),
                _binary_each(op, form, alpha), grad_each)


def _named_form(op: str, form: str, alpha: Any) -> str:
    """The form PyTorch's node names: a 0-dim tensor without `alpha` is a Scalar to add."""
    return "n" if form == "T" and op in ("add", "sub") and alpha is None else form


def _refuse_complex_extremum(op: str, self: Sequence[Tensor], other: Sequence[Tensor]) -> None:
    """The foreach kernel's refusal of a complex pair (in other words than the per-tensor op's)."""
    for a, b in zip(self, other):
        promoted = _core._result_type(a, b)
        if promoted.is_complex:
            raise NotImplementedError(f"\"{op}_cpu\" not implemented for '{scalar_name(promoted)}'")


def _pow_scalar_base(base: Any, exponents: Sequence[Tensor]) -> tuple:
    _check_lists(exponents)
    torch = _torch()
    base = _scalar(base)
    return _run("ForeachPowBackward2", (exponents,), lambda i, e: torch.pow(base, e[i]))


def _unary(op: str, in_place: bool, args: tuple, kwargs: dict):
    name = f"_foreach_{op}{'_' if in_place else ''}"
    self = _parse(name, args, kwargs)["self"][0]
    _check_lists(self)
    if in_place:
        _check_in_place(self)
        for t in self:
            getattr(t, op + "_")()
        return self
    return _run(_cpp_function_name(op), (self,), lambda i, s: getattr(s[i], op)())


def _pointwise(op: str, in_place: bool, args: tuple, kwargs: dict):
    """addcmul / addcdiv: `self + value * tensor1 (*|/) tensor2` per tensor."""
    name = f"_foreach_{op}{'_' if in_place else ''}"
    bound = _parse(name, args, kwargs)
    self, tensor1, tensor2 = (bound[k][0] for k in ("self", "tensor1", "tensor2"))
    _check_lists(self, tensor1, tensor2)
    packed = "scalars" in bound and isinstance(bound["scalars"][0], Tensor)
    if "scalars" in bound:
        scalars = bound["scalars"][0]
        values = _packed_scalars(self, scalars) if packed else [_scalar(v) for v in scalars]
        if not packed:
            _check_scalar_list(self, values)
    else:
        values = [_scalar(bound.get("value", (1, ""))[0])] * len(self)
    values = [_value_for(self[i], v) for i, v in enumerate(values)]
    torch = _torch()
    if in_place:
        _check_in_place(self)
        others_recorded = packed and _recording(*tensor1, *tensor2, scalars)
        for i, t in enumerate(self):
            if packed and (_recording(t) or others_recorded):
                _write_underivable(name, t, (*tensor1, *tensor2, scalars),
                                   lambda s, i=i: getattr(s, op)(tensor1[i], tensor2[i], value=values[i]))
            else:
                getattr(t, op + "_")(tensor1[i], tensor2[i], value=values[i])
        return self

    def each(i, s, t1, t2, *packed_scalars):
        return getattr(torch, op)(s[i], t1[i], t2[i], value=values[i])

    if packed:  # the packed scalars are an input of PyTorch's node too
        return _run_underivable(f"aten::_foreach_{op}", (self, tensor1, tensor2, scalars), each)
    return _run(_cpp_function_name(op, 0, "F" if "scalars" in bound else "n"), (self, tensor1, tensor2), each)


def _value_for(t: Tensor, value: Any) -> Any:
    """PyTorch reads a foreach op's scalar in the tensor's type: an integral tensor
    truncates a float one."""
    if isinstance(value, float) and not (t.dtype.is_floating_point or t.dtype.is_complex):
        return int(value)
    return value


def _lerp(in_place: bool, args: tuple, kwargs: dict):
    name = f"_foreach_lerp{'_' if in_place else ''}"
    bound = _parse(name, args, kwargs)
    self, ends = bound["self"][0], bound["tensors1"][0]
    key = "weights" if "weights" in bound else "weight"
    weight, kinds = bound[key]
    if key == "weights":
        _check_lists(self, ends, weight)
    else:
        _check_lists(self, ends)
    scalar_list = kinds == "F"
    if scalar_list:
        _check_scalar_list(self, weight)
        weight = [_scalar(w) for w in weight]
    elif key == "weight":
        weight = _scalar(weight)
    torch = _torch()

    def weight_of(i: int, w: Any) -> Any:
        return w[i] if key == "weights" or scalar_list else w

    if in_place:
        _check_in_place(self)
        for i, t in enumerate(self):
            t.lerp_(ends[i], weight_of(i, weight))
        return self
    form = "L" if key == "weights" else ("F" if scalar_list else "n")
    return _run(_cpp_function_name("lerp", 1 if form == "L" else 0, form), (self, ends, weight),
                lambda i, s, e, w: torch.lerp(s[i], e[i], weight_of(i, w)))


def _norm(args: tuple, kwargs: dict) -> tuple:
    bound = _parse("_foreach_norm", args, kwargs)
    self = bound["self"][0]
    ord = bound.get("ord", (2, ""))[0]
    dtype = bound.get("dtype", (None, ""))[0]
    _check_lists(self)
    if isinstance(ord, bool) or not isinstance(_scalar(ord), (int, float)):
        raise RuntimeError("foreach_tensor_norm_slow expects ord to be integer or float")  # noqa: TRY004
    ord = _scalar(ord)
    torch = _torch()
    return _run("ForeachNormBackward0", (self,),
                lambda i, s: torch.linalg.vector_norm(s[i], ord, dtype=dtype))


def _powsum(args: tuple, kwargs: dict) -> tuple:
    bound = _parse("_foreach_powsum", args, kwargs)
    self = bound["self"][0]
    ord = _scalar(bound.get("ord", (2, ""))[0])
    dtype = bound.get("dtype", (None, ""))[0]
    _check_lists(self)
    for t in self:
        computed = t.dtype if dtype is None else dtype
        if not (computed.is_floating_point or computed.is_complex):
            # PyTorch's kernel names Long for every integral (and bool) dtype
            raise NotImplementedError("\"powsum_cpu\" not implemented for 'Long'")

    torch = _torch()

    def each(i, s):
        t = s[i] if dtype is None else s[i].to(dtype)
        if t.dtype in (torch.float16, torch.bfloat16):  # accumulated in float32, as PyTorch's kernel
            return t.float().abs().pow(ord).sum().to(t.dtype)
        return t.abs().pow(ord).sum()

    return _run_underivable("aten::_foreach_powsum", (self,), each)


def _max(args: tuple, kwargs: dict) -> tuple:
    self = _parse("_foreach_max", args, kwargs)["self"][0]
    _check_lists(self)
    for t in self:
        if t.numel() == 0:
            raise RuntimeError("_foreach_max cannot compute the maximum of an empty tensor; max over zero "
                               "elements is undefined.")
    return _run(_cpp_function_name("max", 1), (self,), lambda i, s: s[i].max())


# ---- the ops without a family -----------------------------------------------------------

def _zero_(args: tuple, kwargs: dict):
    self = _parse("_foreach_zero_", args, kwargs)["self"][0]
    _check_lists(self)
    _check_in_place(self)
    for t in self:
        t.zero_()
    return self


def _copy_(args: tuple, kwargs: dict):
    bound = _parse("_foreach_copy_", args, kwargs)
    self, src = bound["self"][0], bound["src"][0]
    non_blocking = bound.get("non_blocking", (False, ""))[0]
    _check_lists(self, src)
    _check_in_place(self)
    # PyTorch's node takes every tensor of `src`: one that requires grad marks all
    others_recorded = _recording(*src)
    for t, s in zip(self, src):
        if others_recorded or _recording(t):
            _write_underivable("_foreach_copy_", t, src, lambda d, s=s: _torch().empty_like(d).copy_(s))
        else:
            t.copy_(s, non_blocking)
    return self


def _clone(args: tuple, kwargs: dict) -> tuple:
    bound = _parse("_foreach_clone", args, kwargs)
    self = bound["self"][0]
    memory_format = bound.get("memory_format", (None, ""))[0]
    _check_lists(self)
    torch = _torch()
    fmt = torch.preserve_format if memory_format is None else memory_format
    return _run(_cpp_function_name("clone"), (self,), lambda i, s: s[i].clone(memory_format=fmt))


def _mm(args: tuple, kwargs: dict) -> tuple:
    bound = _parse("_foreach_mm", args, kwargs)
    self, mat2 = bound["self"][0], bound["mat2"][0]
    _check_lists(self)
    if len(mat2) != len(self):
        raise RuntimeError("_foreach_mm: self and mat2 must have the same number of tensors")
    return _run("ForeachMmBackward0", (self, mat2), lambda i, a, b: a[i].mm(b[i]))


def _function(name: str, impl: Callable, *bound: Any) -> Callable:
    def op(*args: Any, **kwargs: Any):
        return impl(*bound, args, kwargs)

    op.__name__ = op.__qualname__ = name
    return op


_foreach_abs = _function("_foreach_abs", _unary, "abs", False)
_foreach_abs_ = _function("_foreach_abs_", _unary, "abs", True)
_foreach_acos = _function("_foreach_acos", _unary, "acos", False)
_foreach_acos_ = _function("_foreach_acos_", _unary, "acos", True)
_foreach_asin = _function("_foreach_asin", _unary, "asin", False)
_foreach_asin_ = _function("_foreach_asin_", _unary, "asin", True)
_foreach_atan = _function("_foreach_atan", _unary, "atan", False)
_foreach_atan_ = _function("_foreach_atan_", _unary, "atan", True)
_foreach_ceil = _function("_foreach_ceil", _unary, "ceil", False)
_foreach_ceil_ = _function("_foreach_ceil_", _unary, "ceil", True)
_foreach_cos = _function("_foreach_cos", _unary, "cos", False)
_foreach_cos_ = _function("_foreach_cos_", _unary, "cos", True)
_foreach_cosh = _function("_foreach_cosh", _unary, "cosh", False)
_foreach_cosh_ = _function("_foreach_cosh_", _unary, "cosh", True)
_foreach_erf = _function("_foreach_erf", _unary, "erf", False)
_foreach_erf_ = _function("_foreach_erf_", _unary, "erf", True)
_foreach_erfc = _function("_foreach_erfc", _unary, "erfc", False)
_foreach_erfc_ = _function("_foreach_erfc_", _unary, "erfc", True)
_foreach_exp = _function("_foreach_exp", _unary, "exp", False)
_foreach_exp_ = _function("_foreach_exp_", _unary, "exp", True)
_foreach_expm1 = _function("_foreach_expm1", _unary, "expm1", False)
_foreach_expm1_ = _function("_foreach_expm1_", _unary, "expm1", True)
_foreach_floor = _function("_foreach_floor", _unary, "floor", False)
_foreach_floor_ = _function("_foreach_floor_", _unary, "floor", True)
_foreach_frac = _function("_foreach_frac", _unary, "frac", False)
_foreach_frac_ = _function("_foreach_frac_", _unary, "frac", True)
_foreach_lgamma = _function("_foreach_lgamma", _unary, "lgamma", False)
_foreach_lgamma_ = _function("_foreach_lgamma_", _unary, "lgamma", True)
_foreach_log = _function("_foreach_log", _unary, "log", False)
_foreach_log_ = _function("_foreach_log_", _unary, "log", True)
_foreach_log10 = _function("_foreach_log10", _unary, "log10", False)
_foreach_log10_ = _function("_foreach_log10_", _unary, "log10", True)
_foreach_log1p = _function("_foreach_log1p", _unary, "log1p", False)
_foreach_log1p_ = _function("_foreach_log1p_", _unary, "log1p", True)
_foreach_log2 = _function("_foreach_log2", _unary, "log2", False)
_foreach_log2_ = _function("_foreach_log2_", _unary, "log2", True)
_foreach_neg = _function("_foreach_neg", _unary, "neg", False)
_foreach_neg_ = _function("_foreach_neg_", _unary, "neg", True)
_foreach_reciprocal = _function("_foreach_reciprocal", _unary, "reciprocal", False)
_foreach_reciprocal_ = _function("_foreach_reciprocal_", _unary, "reciprocal", True)
_foreach_round = _function("_foreach_round", _unary, "round", False)
_foreach_round_ = _function("_foreach_round_", _unary, "round", True)
_foreach_rsqrt = _function("_foreach_rsqrt", _unary, "rsqrt", False)
_foreach_rsqrt_ = _function("_foreach_rsqrt_", _unary, "rsqrt", True)
_foreach_sigmoid = _function("_foreach_sigmoid", _unary, "sigmoid", False)
_foreach_sigmoid_ = _function("_foreach_sigmoid_", _unary, "sigmoid", True)
_foreach_sign = _function("_foreach_sign", _unary, "sign", False)
_foreach_sign_ = _function("_foreach_sign_", _unary, "sign", True)
_foreach_sin = _function("_foreach_sin", _unary, "sin", False)
_foreach_sin_ = _function("_foreach_sin_", _unary, "sin", True)
_foreach_sinh = _function("_foreach_sinh", _unary, "sinh", False)
_foreach_sinh_ = _function("_foreach_sinh_", _unary, "sinh", True)
_foreach_sqrt = _function("_foreach_sqrt", _unary, "sqrt", False)
_foreach_sqrt_ = _function("_foreach_sqrt_", _unary, "sqrt", True)
_foreach_tan = _function("_foreach_tan", _unary, "tan", False)
_foreach_tan_ = _function("_foreach_tan_", _unary, "tan", True)
_foreach_tanh = _function("_foreach_tanh", _unary, "tanh", False)
_foreach_tanh_ = _function("_foreach_tanh_", _unary, "tanh", True)
_foreach_trunc = _function("_foreach_trunc", _unary, "trunc", False)
_foreach_trunc_ = _function("_foreach_trunc_", _unary, "trunc", True)
_foreach_add = _function("_foreach_add", _binary, "add", False)
_foreach_add_ = _function("_foreach_add_", _binary, "add", True)
_foreach_sub = _function("_foreach_sub", _binary, "sub", False)
_foreach_sub_ = _function("_foreach_sub_", _binary, "sub", True)
_foreach_mul = _function("_foreach_mul", _binary, "mul", False)
_foreach_mul_ = _function("_foreach_mul_", _binary, "mul", True)
_foreach_div = _function("_foreach_div", _binary, "div", False)
_foreach_div_ = _function("_foreach_div_", _binary, "div", True)
_foreach_clamp_min = _function("_foreach_clamp_min", _binary, "clamp_min", False)
_foreach_clamp_min_ = _function("_foreach_clamp_min_", _binary, "clamp_min", True)
_foreach_clamp_max = _function("_foreach_clamp_max", _binary, "clamp_max", False)
_foreach_clamp_max_ = _function("_foreach_clamp_max_", _binary, "clamp_max", True)
_foreach_maximum = _function("_foreach_maximum", _binary, "maximum", False)
_foreach_maximum_ = _function("_foreach_maximum_", _binary, "maximum", True)
_foreach_minimum = _function("_foreach_minimum", _binary, "minimum", False)
_foreach_minimum_ = _function("_foreach_minimum_", _binary, "minimum", True)
_foreach_pow = _function("_foreach_pow", _binary, "pow", False)
_foreach_pow_ = _function("_foreach_pow_", _binary, "pow", True)
_foreach_addcmul = _function("_foreach_addcmul", _pointwise, "addcmul", False)
_foreach_addcmul_ = _function("_foreach_addcmul_", _pointwise, "addcmul", True)
_foreach_addcdiv = _function("_foreach_addcdiv", _pointwise, "addcdiv", False)
_foreach_addcdiv_ = _function("_foreach_addcdiv_", _pointwise, "addcdiv", True)
_foreach_lerp = _function("_foreach_lerp", _lerp, False)
_foreach_lerp_ = _function("_foreach_lerp_", _lerp, True)
_foreach_norm = _function("_foreach_norm", _norm)
_foreach_powsum = _function("_foreach_powsum", _powsum)
_foreach_max = _function("_foreach_max", _max)
_foreach_zero_ = _function("_foreach_zero_", _zero_)
_foreach_copy_ = _function("_foreach_copy_", _copy_)
_foreach_clone = _function("_foreach_clone", _clone)
_foreach_mm = _function("_foreach_mm", _mm)

__all__ = [
    "_foreach_abs",
    "_foreach_abs_",
    "_foreach_acos",
    "_foreach_acos_",
    "_foreach_add",
    "_foreach_add_",
    "_foreach_addcdiv",
    "_foreach_addcdiv_",
    "_foreach_addcmul",
    "_foreach_addcmul_",
    "_foreach_asin",
    "_foreach_asin_",
    "_foreach_atan",
    "_foreach_atan_",
    "_foreach_ceil",
    "_foreach_ceil_",
    "_foreach_clamp_max",
    "_foreach_clamp_max_",
    "_foreach_clamp_min",
    "_foreach_clamp_min_",
    "_foreach_clone",
    "_foreach_copy_",
    "_foreach_cos",
    "_foreach_cos_",
    "_foreach_cosh",
    "_foreach_cosh_",
    "_foreach_div",
    "_foreach_div_",
    "_foreach_erf",
    "_foreach_erf_",
    "_foreach_erfc",
    "_foreach_erfc_",
    "_foreach_exp",
    "_foreach_exp_",
    "_foreach_expm1",
    "_foreach_expm1_",
    "_foreach_floor",
    "_foreach_floor_",
    "_foreach_frac",
    "_foreach_frac_",
    "_foreach_lerp",
    "_foreach_lerp_",
    "_foreach_lgamma",
    "_foreach_lgamma_",
    "_foreach_log",
    "_foreach_log1p",
    "_foreach_log1p_",
    "_foreach_log2",
    "_foreach_log2_",
    "_foreach_log10",
    "_foreach_log10_",
    "_foreach_log_",
    "_foreach_max",
    "_foreach_maximum",
    "_foreach_maximum_",
    "_foreach_minimum",
    "_foreach_minimum_",
    "_foreach_mm",
    "_foreach_mul",
    "_foreach_mul_",
    "_foreach_neg",
    "_foreach_neg_",
    "_foreach_norm",
    "_foreach_pow",
    "_foreach_pow_",
    "_foreach_powsum",
    "_foreach_reciprocal",
    "_foreach_reciprocal_",
    "_foreach_round",
    "_foreach_round_",
    "_foreach_rsqrt",
    "_foreach_rsqrt_",
    "_foreach_sigmoid",
    "_foreach_sigmoid_",
    "_foreach_sign",
    "_foreach_sign_",
    "_foreach_sin",
    "_foreach_sin_",
    "_foreach_sinh",
    "_foreach_sinh_",
    "_foreach_sqrt",
    "_foreach_sqrt_",
    "_foreach_sub",
    "_foreach_sub_",
    "_foreach_tan",
    "_foreach_tan_",
    "_foreach_tanh",
    "_foreach_tanh_",
    "_foreach_trunc",
    "_foreach_trunc_",
    "_foreach_zero_",
]
