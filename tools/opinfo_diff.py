"""Differential check of ferrograd against PyTorch's own OpInfo database.

PyTorch ships, in `torch.testing._internal.common_methods_invocations.op_db`, one OpInfo
per op with generators of sample inputs and of bad inputs (with the exception type PyTorch
raises). This tool feeds every sample to PyTorch and to ferrograd and records where they
differ: exception raised by one only, dtype, shape, values, gradients (float64 and
complex128, backward of a fixed weighting of the outputs), grad_fn name, and for the bad
inputs the exception type.

What is PyTorch's own doing is recorded under statuses of its own, not as a difference:
`grad-torch-xfail` (a gradient PyTorch's tests mark as known wrong), `grad-torch-raises`
(PyTorch's backward refuses) and `torch-out-inconsistent` (PyTorch's `out=` form
disagrees with its own function).

A developer tool, not a test: it needs torch and expecttest installed
(`pip install expecttest ../shared/wheels/torch-*.whl`). Each op runs in a child process
that is restarted after a crash or a hang, which is itself recorded.

    python tools/opinfo_diff.py --out /tmp/opinfo.jsonl [--ops add,mul] [--dtypes float32]
        [--half-ulps 1]  (float16/bfloat16 values more than 1 ulp apart: `value-ulps`)
    python tools/opinfo_diff.py --summary /tmp/opinfo.jsonl

With `--mutate` (tools/opinfo_mutate.py) it compares instead the exception types of bad
calls derived from the sample inputs: out-of-range dims, wrong dtypes, shapes and argument
kinds, bad out= tensors and in-place writes autograd must refuse.

    python tools/opinfo_diff.py --mutate --out /tmp/mut.jsonl [--ops add] [--samples 3]
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import os
import sys
import types

from child_watch import run_watched

DEFAULT_DTYPES = ("float32", "float64", "int64", "bool", "complex64")
# Outputs PyTorch leaves unspecified (uninitialized memory) or defines only up to a sign or
# phase per vector: only their dtypes and shapes are compared.
VALUES_UNSPECIFIED = (
    "empty",
    "new_empty",
    "svd",
    "linalg.svd",
    "linalg.eig",
    "linalg.eigh",
    "qr",
    "linalg.qr",
    "pca_lowrank",
    "svd_lowrank",
    "linalg.householder",
    "resize_",
)
HANG_SECONDS = 90
STARTUP_SECONDS = 600  # importing torch and its op_db takes minutes on a loaded machine
MUTATE_MEMORY_BYTES = 8 << 30
# With --half-ulps N, float16/bfloat16 values more than N ulps apart are recorded as
# `value-ulps` (the default tolerance of 1e-2 lets a few ulps of double rounding pass).
HALF_ULPS = 0


# ---------------------------------------------------------------- conversion torch -> fg
def to_fg(value, fg, torch, keep_strides: bool, memo=None):
    """`value` with PyTorch's objects swapped for ferrograd's. `memo` (id -> converted
    tensor) keeps one tensor given twice one tensor (an `out=` that is also an input)."""
    if memo is None:
        memo = {}
    if isinstance(value, torch.Tensor):
        if id(value) not in memo:
            memo[id(value)] = (value, tensor_to_fg(value, fg, torch, keep_strides))
        return memo[id(value)][1]
    if isinstance(value, torch.dtype):
        return getattr(fg, str(value).split(".")[1])
    if isinstance(value, torch.device):
        return str(value)
    if isinstance(value, torch.layout):
        return getattr(fg, str(value).split(".")[1])
    if isinstance(value, torch.memory_format):
        return getattr(fg, str(value).split(".")[1])
    if isinstance(value, torch.Size):
        return tuple(value)
    if isinstance(value, torch.Generator):
        return None
    if isinstance(value, list):
        return [to_fg(v, fg, torch, keep_strides, memo) for v in value]
    if isinstance(value, tuple):
        return tuple(to_fg(v, fg, torch, keep_strides, memo) for v in value)
    if isinstance(value, dict):
        return {k: to_fg(v, fg, torch, keep_strides, memo) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and type(value).__module__.startswith("torch."):
        return dataclass_to_fg(value, fg, torch, keep_strides, memo)
    return value


def dataclass_to_fg(value, fg, torch, keep_strides, memo):
    """A PyTorch settings object (LinearCrossEntropyOptions) as ferrograd's namesake built
    from the converted fields; unchanged where ferrograd has none."""
    cls = type(value)
    fg_cls = resolve_path(fg, cls.__module__.split(".")[1:] + [cls.__name__])
    if fg_cls is None:
        return value
    fields = {f.name: to_fg(getattr(value, f.name), fg, torch, keep_strides, memo) for f in dataclasses.fields(value)}
    return fg_cls(**fields)


def dense_to_fg(t, fg, torch):
    if t.dim() > 64:  # NumPy's limit, not ferrograd's: cross it flat
        return dense_to_fg(t.reshape(-1), fg, torch).reshape(tuple(t.shape))
    dtype = getattr(fg, str(t.dtype).split(".")[1])
    t = t.resolve_conj().resolve_neg()
    if t.dtype in (torch.bfloat16,):
        return fg.tensor(t.float().numpy()).to(dtype)
    if t.dtype == torch.complex32:
        return fg.tensor(t.to(torch.complex64).numpy()).to(dtype)
    return fg.tensor(t.numpy(), dtype=dtype)


def sparse_to_fg(t, fg, torch):
    """A COO or CSR tensor from its parts, converted one by one."""
    size = tuple(t.shape)
    if t.layout == torch.sparse_csr:
        parts = (t.crow_indices(), t.col_indices(), t.values())
        return fg.sparse_csr_tensor(*(dense_to_fg(p.contiguous(), fg, torch) for p in parts), size)
    out = fg.sparse_coo_tensor(
        dense_to_fg(t._indices().contiguous(), fg, torch), dense_to_fg(t._values().contiguous(), fg, torch), size
    )
    return out.coalesce() if t.is_coalesced() else out


def tensor_to_fg(t, fg, torch, keep_strides: bool):
    wants_grad = t.requires_grad
    t = t.detach()
    if t.device.type == "meta":
        dtype = getattr(fg, str(t.dtype).split(".")[1])
        return fg.empty(tuple(t.shape), dtype=dtype, device="meta").requires_grad_(wants_grad)
    if t.layout in (torch.sparse_coo, torch.sparse_csr):
        return sparse_to_fg(t, fg, torch).requires_grad_(wants_grad)
    if t.layout == torch.strided and t.storage_offset() != 0 and t.numel() > 0:
        # a view into a larger storage (a slice): the same view of the whole storage, so
        # that as_strided and storage_offset see what PyTorch sees
        whole = t.untyped_storage().nbytes() // t.element_size()
        base = dense_to_fg(torch.as_strided(t, (whole,), (1,), 0).clone(), fg, torch)
        out = fg.as_strided(base, tuple(t.shape), tuple(t.stride()), t.storage_offset())
        return out.requires_grad_(wants_grad)
    if keep_strides and not t.is_contiguous() and t.numel() > 0:
        extent = t.storage_offset() + 1 + sum((s - 1) * st for s, st in zip(t.shape, t.stride()))
        base = torch.as_strided(t, (extent,), (1,), 0).clone()
        out = fg.as_strided(
            dense_to_fg(base, fg, torch), tuple(t.shape), tuple(t.stride()), t.storage_offset()
        )
        return out
    out = dense_to_fg(t.contiguous(), fg, torch)
    if wants_grad:
        out.requires_grad_(True)
    return out


def to_numpy(value, torch):
    """(dtype name, shape, float64/complex128 array) of a tensor of either library."""
    import numpy as np

    dtype = str(value.dtype).split(".")[1]
    v = value.detach()
    if dtype in ("bfloat16", "float16"):
        v = v.float()
    elif dtype == "complex32":
        v = v.cfloat()
    if getattr(v, "is_sparse", False) or str(getattr(v, "layout", "")).endswith("sparse_csr"):
        # a sparse result is compared by its dense values
        v = v.to_dense()
    if hasattr(v, "resolve_conj"):
        v = v.resolve_conj().resolve_neg()
    try:
        arr = np.asarray(v.numpy())
    except RuntimeError:  # PyTorch's ZeroTensor gradients
        arr = np.asarray(v.numpy(force=True))
    return dtype, tuple(value.shape), arr


# ---------------------------------------------------------------- resolving fg's callable
def fg_counterpart(op, fg, torch):
    """The ferrograd function that stands for `op.op`, or None."""
    f = op.op
    parts = op.name.split(".")
    if resolve_path(torch, parts) is f and fg_function(fg, parts) is not None:
        return fg_function(fg, parts)
    kind = type(f).__name__
    if kind in ("OpOverloadPacket", "OpOverload"):
        return aten_counterpart(f, fg)
    if kind == "builtin_function_or_method":
        return resolve_builtin(op, f, fg, torch)
    if kind in ("method_descriptor", "wrapper_descriptor"):
        return getattr(fg.Tensor, f.__name__, None)
    if kind == "function":
        module = getattr(f, "__module__", "") or ""
        if module == "torch._tensor":
            return getattr(fg.Tensor, f.__name__, None)
        if module.startswith("torch.testing"):
            return rebind(f, fg, torch)
        if module.startswith("torch."):
            found = resolve_path(fg, module[len("torch.") :].split(".") + [f.__name__])
            return found if found is not None else resolve_path(fg, parts)
    return None


def aten_counterpart(f, fg):
    """`fg.ops.<ns>.<name>[.<overload>]` for PyTorch's `torch.ops` operator `f`."""
    ns, name = f._qualified_op_name.split("::") if hasattr(f, "_qualified_op_name") else (None, None)
    if ns is None:  # an overload: its packet's name and its own
        ns, name = f._schema.name.split("::")
    try:
        packet = getattr(getattr(fg.ops, ns), name)
        return getattr(packet, f._overloadname) if hasattr(f, "_overloadname") else packet
    except AttributeError:
        return None


def resolve_path(root, parts):
    obj = root
    for p in parts:
        if not p:
            continue
        obj = getattr(obj, p, None)
        if obj is None:
            return None
    return obj


def fg_function(fg, parts):
    """What `parts` names in ferrograd, unless it is a module (`fg._segment_reduce` is the
    file that implements `segment_reduce`, where `torch._segment_reduce` is the function)."""
    found = resolve_path(fg, parts)
    return None if isinstance(found, types.ModuleType) else found


def resolve_builtin(op, f, fg, torch):
    candidates = [
        op.name.split("."),
        [f.__name__],
        ["nn", "functional", f.__name__],
        ["linalg", f.__name__],
        ["special", f.__name__],
        ["fft", f.__name__],
    ]
    for parts in candidates:
        if resolve_path(torch, parts) is f and fg_function(fg, parts) is not None:
            return fg_function(fg, parts)
    name = f.__name__
    return getattr(fg, name, None) or getattr(fg.Tensor, name, None)


def rebind(f, fg, torch):
    """`f` with its globals' torch modules swapped for ferrograd's."""
    mapping = {}
    for key, val in f.__globals__.items():
        if isinstance(val, types.ModuleType) and (
            val.__name__ == "torch" or val.__name__.startswith("torch.")
        ):
            if val.__name__ == "torch":
                mapping[key] = fg
            elif val.__name__.startswith("torch.testing"):
                continue
            else:
                sub = resolve_path(fg, val.__name__[len("torch.") :].split("."))
                if sub is not None:
                    mapping[key] = sub
    if not mapping:
        return None
    g = dict(f.__globals__)
    g.update(mapping)
    if "wrapper_set_seed" in g:

        def wrapper_set_seed(op, *args, **kwargs):
            fg.manual_seed(42)
            return op(*args, **kwargs)

        g["wrapper_set_seed"] = wrapper_set_seed
    return types.FunctionType(f.__code__, g, f.__name__, f.__defaults__, f.__closure__)


# ---------------------------------------------------------------- one op
def flat_tensors(value, cls):
    if isinstance(value, cls):
        return [value]
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            out.extend(flat_tensors(v, cls))
        return out
    return []


def exc_name(e: BaseException) -> str:
    return type(e).__name__


def compare_outputs(t_out, f_out, torch, fg, dtype_name, values=True):
    import numpy as np

    t_list, f_list = flat_tensors(t_out, torch.Tensor), flat_tensors(f_out, fg.Tensor)
    if not isinstance(t_out, torch.Tensor) and not isinstance(t_out, (list, tuple)):
        # Python scalar results (item, etc.)
        if isinstance(f_out, (fg.Tensor, list, tuple)):
            return "kind", f"torch gives {type(t_out).__name__}, fg {type(f_out).__name__}"
        try:
            if not np.allclose(np.asarray(t_out), np.asarray(f_out), equal_nan=True):
                return "value", f"{t_out!r} vs {f_out!r}"
        except Exception as e:  # noqa: BLE001
            return "value", f"uncomparable {t_out!r} vs {f_out!r}: {e}"
        return None
    if len(t_list) != len(f_list):
        return "arity", f"torch {len(t_list)} tensors, fg {len(f_list)}"
    exact = True
    for i, (a, b) in enumerate(zip(t_list, f_list)):
        ta, sa, va = to_numpy(a, torch)
        tol = {
            "float16": (1e-2, 1e-2),
            "bfloat16": (2e-2, 2e-2),
            "float32": (1e-4, 1e-5),
            "complex64": (1e-4, 1e-5),
            "complex32": (1e-2, 1e-2),
        }.get(ta, (1e-7, 1e-7))
        tb, sb, vb = to_numpy(b, torch)
        if ta != tb:
            return "dtype", f"out{i}: torch {ta} fg {tb}"
        if sa != sb:
            return "shape", f"out{i}: torch {sa} fg {sb}"
        if values and va.size and not np.allclose(va, vb, rtol=tol[0], atol=tol[1], equal_nan=True):
            with np.errstate(all="ignore"):
                d = np.nanmax(np.abs(va.astype(np.complex128) - vb.astype(np.complex128)))
            return "value", f"out{i} {ta}{list(sa)}: max abs diff {d:.3g}"
        if values and va.size and HALF_ULPS and ta in ("float16", "bfloat16"):
            ulps = half_ulps_apart(va, vb, ta, np)
            if ulps > HALF_ULPS:
                return "value-ulps", f"out{i} {ta}{list(sa)}: {ulps} ulps apart"
        exact = exact and np.array_equal(va, vb, equal_nan=True)
    if exact:
        # Printed text is compared where the numbers are identical, so formatting is all
        # that can differ.
        t_text, f_text = repr(t_out), repr(f_out).replace("ferrograd", "torch")
        if t_text != f_text:
            return "repr", f"torch {t_text[:300]!r} fg {f_text[:300]!r}"
    return None


def half_ulps_apart(va, vb, dtype_name, np) -> int:
    """The largest distance, in units in the last place of `dtype_name`, between the
    float32 arrays `va` and `vb` holding float16 or bfloat16 values (NaNs aside)."""

    def ordinal(v):
        if dtype_name == "float16":
            bits = v.astype(np.float16).view(np.int16).astype(np.int64)
            sign = 1 << 15
        else:
            bits = (v.astype(np.float32).view(np.int32).astype(np.int64) >> 16) & 0xFFFF
            bits = np.where(bits >= 1 << 15, bits - (1 << 16), bits)
            sign = 1 << 15
        return np.where(bits < 0, -(bits + sign), bits)  # monotonic in the value

    finite = np.isfinite(va) & np.isfinite(vb)
    if not finite.any():
        return 0
    return int(np.abs(ordinal(va[finite]) - ordinal(vb[finite])).max())


def grad_weights(shape, np, complex_=False):
    n = 1
    for s in shape:
        n *= s
    w = (np.cos(np.arange(n) * 0.7) + 0.1).reshape(shape)
    return w * (1 - 0.6j) if complex_ else w


def compare_grads(op, sample_t, fn_fg, torch, fg):
    import numpy as np

    sample_f = to_fg_sample(sample_t, fg, torch, keep_strides=False)
    t_inputs = [
        x
        for x in flat_tensors(
            [sample_t.input, sample_t.args, list(sample_t.kwargs.values())], torch.Tensor
        )
        if x.requires_grad
    ]
    f_inputs = [
        x
        for x in flat_tensors(
            [sample_f.input, sample_f.args, list(sample_f.kwargs.values())], fg.Tensor
        )
        if x.requires_grad
    ]
    if not t_inputs or len(t_inputs) != len(f_inputs):
        return None
    torch.manual_seed(0)
    t_out = op(sample_t.input, *sample_t.args, **sample_t.kwargs)
    t_outs = [
        o
        for o in flat_tensors(t_out, torch.Tensor)
        if o.requires_grad and (o.dtype.is_floating_point or o.dtype.is_complex)
    ]
    if not t_outs:
        return None
    try:
        fg.manual_seed(0)
        f_out = fn_fg(sample_f.input, *sample_f.args, **sample_f.kwargs)
    except Exception as e:  # noqa: BLE001
        return "grad-forward-raises", f"{exc_name(e)}: {str(e)[:160]}"
    f_all = flat_tensors(f_out, fg.Tensor)
    t_all = flat_tensors(t_out, torch.Tensor)
    if len(f_all) != len(t_all):
        return "grad-arity", ""
    f_outs = [
        f for t, f in zip(t_all, f_all) if t.requires_grad and (t.dtype.is_floating_point or t.dtype.is_complex)
    ]
    t_name = type(t_outs[0].grad_fn).__name__ if t_outs[0].grad_fn is not None else None
    f_name = type(f_outs[0].grad_fn).__name__ if f_outs[0].grad_fn is not None else None
    weights = [grad_weights(tuple(o.shape), np, o.dtype.is_complex) for o in t_outs]
    try:
        t_grads = torch.autograd.grad(
            t_outs,
            t_inputs,
            [torch.tensor(w, dtype=o.dtype) for w, o in zip(weights, t_outs)],
            allow_unused=True,
            retain_graph=True,
        )
    except RuntimeError as e:  # PyTorch's own backward refuses (no derivative, phase-dependent)
        return "grad-torch-raises", f"{exc_name(e)}: {str(e)[:160]}"
    try:
        if not all(f.requires_grad for f in f_outs):
            return "grad-not-required", f"fg outputs do not require grad (torch {t_name})"
        f_grads = fg.autograd.grad(
            f_outs,
            f_inputs,
            [fg.tensor(w, dtype=f.dtype) for w, f in zip(weights, f_outs)],
            allow_unused=True,
            retain_graph=True,
        )
    except Exception as e:  # noqa: BLE001
        return "grad-raises", f"{exc_name(e)}: {str(e)[:160]}"
    for i, (a, b) in enumerate(zip(t_grads, f_grads)):
        if (a is None) != (b is None):
            if a is None or not bool((a != 0).any()):
                continue  # ferrograd's None against PyTorch's zeros (or empty gradient)
            return "grad-none", f"input{i}: torch {'None' if a is None else 'grad'}"
        if a is None:
            continue
        _, sa, va = to_numpy(a, torch)
        _, sb, vb = to_numpy(b, torch)
        if sa != sb or not np.allclose(va, vb, rtol=1e-6, atol=1e-6, equal_nan=True):
            return "grad-value", f"input{i} shape torch {sa} fg {sb}"
    if t_name != f_name:
        return "grad_fn", f"torch {t_name} fg {f_name}"
    if op.supports_gradgrad:
        return compare_second_order(t_outs, f_outs, t_inputs, f_inputs, weights, torch, fg)
    return None


def compare_second_order(t_outs, f_outs, t_inputs, f_inputs, weights, torch, fg):
    """Gradients of a weighted sum of the first-order gradients (create_graph=True)."""
    import numpy as np

    try:
        t_first = torch.autograd.grad(
            t_outs,
            t_inputs,
            [torch.tensor(w, dtype=o.dtype) for w, o in zip(weights, t_outs)],
            allow_unused=True,
            create_graph=True,
        )
    except RuntimeError as e:
        return "grad-torch-raises", f"{exc_name(e)}: {str(e)[:160]}"
    keep = [i for i, g in enumerate(t_first) if g is not None and g.requires_grad]
    if not keep:
        return None
    try:
        f_first = fg.autograd.grad(
            f_outs,
            f_inputs,
            [fg.tensor(w, dtype=f.dtype) for w, f in zip(weights, f_outs)],
            allow_unused=True,
            create_graph=True,
        )
        if any(f_first[i] is None or not f_first[i].requires_grad for i in keep):
            return "gradgrad-not-required", "first-order gradients do not require grad"
    except Exception as e:  # noqa: BLE001
        return "gradgrad-raises", f"{exc_name(e)}: {str(e)[:160]}"
    w2 = [grad_weights(tuple(t_first[i].shape), np, t_first[i].dtype.is_complex) * 0.5 for i in keep]
    try:
        t_second = torch.autograd.grad(
            [t_first[i] for i in keep],
            t_inputs,
            [torch.tensor(w, dtype=t_first[i].dtype) for w, i in zip(w2, keep)],
            allow_unused=True,
        )
    except RuntimeError as e:  # no second derivative in PyTorch (ctc_loss, flash attention)
        return "grad-torch-raises", f"{exc_name(e)}: {str(e)[:160]}"
    try:
        f_second = fg.autograd.grad(
            [f_first[i] for i in keep],
            f_inputs,
            [fg.tensor(w, dtype=f_first[i].dtype) for w, i in zip(w2, keep)],
            allow_unused=True,
        )
    except Exception as e:  # noqa: BLE001
        return "gradgrad-raises", f"{exc_name(e)}: {str(e)[:160]}"
    for i, (a, b) in enumerate(zip(t_second, f_second)):
        if a is None or b is None:
            if (a is None) != (b is None) and a is not None and bool((a != 0).any()):
                return "gradgrad-none", f"input{i}: fg gives None"
            continue
        _, sa, va = to_numpy(a, torch)
        _, sb, vb = to_numpy(b, torch)
        if sa != sb or not np.allclose(va, vb, rtol=1e-6, atol=1e-6, equal_nan=True):
            return "gradgrad-value", f"input{i} shape torch {sa} fg {sb}"
    return None


def shared_storage_memo(values, fg, torch) -> dict:
    """The tensors of a sample that share memory with another one (an `out=` that is a
    slice of an input), converted as views of one ferrograd storage, keyed as `to_fg`'s
    memo."""
    by_storage = collections.defaultdict(dict)
    for t in flat_tensors(values, torch.Tensor):
        if t.layout == torch.strided and t.device.type == "cpu" and t.numel() > 0:
            by_storage[t.untyped_storage().data_ptr()][id(t)] = t
    memo = {}
    for group in by_storage.values():
        tensors = list(group.values())
        if len(group) < 2 or len({t.dtype for t in tensors}) > 1 or any(t.requires_grad for t in tensors):
            continue
        first = next(iter(group.values())).detach()
        whole = first.untyped_storage().nbytes() // first.element_size()
        base = dense_to_fg(torch.as_strided(first, (whole,), (1,), 0).clone(), fg, torch)
        for key, t in group.items():
            view = fg.as_strided(base, tuple(t.shape), tuple(t.stride()), t.storage_offset())
            memo[key] = (t, view)
    return memo


def to_fg_sample(sample, fg, torch, keep_strides):
    memo = shared_storage_memo([sample.input, list(sample.args), list(sample.kwargs.values())], fg, torch)
    return types.SimpleNamespace(
        input=to_fg(sample.input, fg, torch, keep_strides, memo),
        args=to_fg(tuple(sample.args), fg, torch, keep_strides, memo),
        kwargs=to_fg(dict(sample.kwargs), fg, torch, keep_strides, memo),
    )


def out_forms(op, base_fg, torch, fg):
    """The op writing into an `out=` tensor shaped and typed as PyTorch's result."""
    like = {}

    def fn_t(*args, **kwargs):
        result = op(*args, **kwargs)
        if not isinstance(result, torch.Tensor) or result.layout != torch.strided:
            raise TypeError("not a single dense result")  # skipped as refused by PyTorch
        out = torch.empty_like(result)
        torch.manual_seed(0)
        op(*args, **kwargs, out=out)
        like["shape"], like["dtype"] = tuple(result.shape), str(result.dtype).split(".")[1]
        # PyTorch's out= form disagreeing with its own function (ihfftn over one dim
        # leaves `out` unwritten) is PyTorch's bug, recorded apart
        self_diff = compare_outputs(result, out, torch, torch, like["dtype"])
        like["consistent"] = self_diff is None or self_diff[0] == "repr"
        return out

    def fn_fg(*args, **kwargs):
        out = fg.empty(like["shape"], dtype=getattr(fg, like["dtype"]))
        base_fg(*args, **kwargs, out=out)
        return out

    fn_t.like = like
    return fn_t, fn_fg


def check_op(op, dtypes, fg, torch, emit, variant):
    key = op.name + ("." + op.variant_test_name if op.variant_test_name else "")
    if variant == "function":
        fn_t, fn_fg = op, fg_counterpart(op, fg, torch)
        if fn_fg is None:
            emit(key, "-", "missing", f"no ferrograd counterpart for {op.op!r}")
            return
    elif variant == "out":
        base_fg = fg_counterpart(op, fg, torch)
        if not op.supports_out or base_fg is None:
            return
        key = f"{key} [out=]"
        fn_t, fn_fg = out_forms(op, base_fg, torch, fg)
    else:
        fn_t = op.method_variant if variant == "method" else op.inplace_variant
        if fn_t is None or getattr(fn_t, "__name__", None) is None:
            return
        key = f"{key} [{variant} {fn_t.__name__}]"
        if fn_t.__name__ == "<lambda>":
            fn_fg = rebind(fn_t, fg, torch)
        else:
            fn_fg = getattr(fg.Tensor, fn_t.__name__, None)
        if fn_fg is None:
            emit(key, "-", "missing", f"no Tensor.{fn_t.__name__}")
            return
    supported = {str(d).split(".")[1] for d in op.supported_dtypes("cpu")}
    for dtype_name in dtypes:
        if dtype_name not in supported:
            continue
        dtype = getattr(torch, dtype_name)
        try:
            samples = list(op.sample_inputs("cpu", dtype, requires_grad=False))
        except Exception:  # noqa: BLE001
            samples = []  # PyTorch has no samples of this op for this dtype
        for k, s in enumerate(samples):
            try:
                torch.manual_seed(0)
                t_in = s.input.clone() if variant == "inplace" else s.input
                t_out = fn_t(t_in, *s.args, **s.kwargs)
            except Exception:  # noqa: BLE001, S112 - PyTorch refuses this sample itself
                continue
            try:
                # an in-place method ran on a clone of the input (a fresh storage)
                if variant == "inplace":
                    s_fg = types.SimpleNamespace(input=s.input.clone(), args=s.args, kwargs=s.kwargs)
                else:
                    s_fg = s
                fs = to_fg_sample(s_fg, fg, torch, keep_strides=True)
            except Exception as e:  # noqa: BLE001
                emit(key, dtype_name, "convert", f"{exc_name(e)}: {str(e)[:120]}")
                continue
            try:
                fg.manual_seed(0)
                f_out = fn_fg(fs.input, *fs.args, **fs.kwargs)
            except Exception as e:  # noqa: BLE001
                emit(
                    key, dtype_name, "raises", f"{exc_name(e)}: {str(e)[:200]}", sample=describe(s)
                )
                continue
            try:
                values = not op.name.startswith(VALUES_UNSPECIFIED)
                diff = compare_outputs(t_out, f_out, torch, fg, dtype_name, values)
            except Exception as e:  # noqa: BLE001
                diff = ("compare-error", f"{exc_name(e)}: {str(e)[:160]}")
            if diff and variant == "out" and not getattr(fn_t, "like", {}).get("consistent", True):
                diff = ("torch-out-inconsistent", diff[1])
            emit(
                key,
                dtype_name,
                diff[0] if diff else "ok",
                diff[1] if diff else "",
                sample=describe(s) if diff else None,
            )
        if variant == "function" and (
            dtype_name == "float64" and op.supports_autograd
            or dtype_name == "complex128" and op.supports_autograd and dtype in op.supported_backward_dtypes("cpu")
        ):
            try:
                gsamples = list(op.sample_inputs("cpu", dtype, requires_grad=True))
            except Exception:  # noqa: BLE001
                gsamples = []
            for s in gsamples[:12]:
                try:
                    diff = compare_grads(op, s, fn_fg, torch, fg)
                except Exception as e:  # noqa: BLE001
                    diff = ("grad-harness", f"{exc_name(e)}: {str(e)[:120]}")
                if diff and diff[0] == "grad-value" and torch_gradient_known_wrong(op):
                    diff = ("grad-torch-xfail", diff[1])
                if diff:
                    emit(key, dtype_name, diff[0], diff[1], sample=describe(s))
                else:
                    emit(key, dtype_name, "grad-ok", "")
    if op.error_inputs_func is not None and variant == "function":
        try:
            errors = list(op.error_inputs("cpu"))
        except Exception:  # noqa: BLE001
            errors = []
        for e_in in errors:
            s = e_in.sample_input
            try:
                fs = to_fg_sample(s, fg, torch, keep_strides=True)
            except Exception as e:  # noqa: BLE001
                emit(key, "-", "convert", f"{exc_name(e)}: {str(e)[:120]}")
                continue
            if not torch_refuses(fn_t, s):
                continue  # a bad input PyTorch itself computes: nothing to compare
            try:
                fn_fg(fs.input, *fs.args, **fs.kwargs)
            except Exception as e:  # noqa: BLE001
                if isinstance(e, e_in.error_type) or exc_name(e) == e_in.error_type.__name__:
                    emit(key, "-", "error-ok", "")
                else:
                    emit(
                        key,
                        "-",
                        "error-type",
                        f"torch {e_in.error_type.__name__} ({e_in.error_regex[:80]}); fg "
                        f"{exc_name(e)}: {str(e)[:120]}",
                        sample=describe(s),
                    )
                continue
            emit(
                key,
                "-",
                "error-none",
                f"torch {e_in.error_type.__name__} ({e_in.error_regex[:100]})",
                sample=describe(s),
            )


def torch_refuses(fn_t, s) -> bool:
    try:
        fn_t(s.input, *s.args, **s.kwargs)
    except Exception:  # noqa: BLE001
        return True
    return False


def torch_gradient_known_wrong(op) -> bool:
    """Whether PyTorch's own gradcheck of `op` is marked as an expected failure (its
    backward formula is known wrong, as `as_strided_scatter`'s): a gradient differing
    from PyTorch's is then recorded apart, as `grad-torch-xfail`."""
    return any(
        getattr(info, "cls_name", None) == "TestBwdGradients"
        and info.test_name == "test_fn_grad"
        and any(getattr(d, "__name__", "") == "expectedFailure" for d in info.decorators)
        for info in getattr(op, "decorators", ())
    )


def describe(s) -> str:
    def d(v):
        if hasattr(v, "shape") and hasattr(v, "dtype"):
            layout = str(getattr(v, "layout", "strided")).split(".")[-1]
            if layout != "strided":
                c = f" {layout}"
            else:
                c = "" if not hasattr(v, "is_contiguous") or v.is_contiguous() else " nc"
            return f"T{list(v.shape)}{str(v.dtype).split('.')[1]}{c}"
        if isinstance(v, (list, tuple)):
            return "[" + ", ".join(d(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k}={d(x)}" for k, x in v.items()) + "}"
        return repr(v)[:40]

    return f"{d(s.input)} {d(tuple(s.args))} {d(dict(s.kwargs))}"[:300]


# ---------------------------------------------------------------- child and driver
def child(args):
    import warnings

    if args.mutate:
        import resource

        # Mutations pass huge sizes: an allocation PyTorch would refuse must fail here
        # too rather than take the machine's memory.
        resource.setrlimit(resource.RLIMIT_AS, (MUTATE_MEMORY_BYTES, MUTATE_MEMORY_BYTES))

    warnings.filterwarnings("ignore")
    import ferrograd as fg
    import torch
    from torch.testing._internal.common_methods_invocations import op_db

    wanted = set(args.ops.split(",")) if args.ops else None
    args.skip = set(read_progress(skip_path(args.out))) if args.mutate else set()
    with open(args.out, "a") as out, open(args.progress, "w") as progress:
        run_ops(op_db, wanted, args, out, progress, fg, torch)


def run_ops(op_db, wanted, args, out, progress, fg, torch):
    if args.mutate:
        run_mutations(op_db, wanted, args, out, progress, fg, torch)
        return
    for i, op in enumerate(op_db):
        if i < args.start or (wanted and op.name not in wanted):
            continue
        progress.write(f"{i}\n")
        progress.flush()

        def emit(key, dtype, status, detail, sample=None, _i=i):
            # Each record restarts the driver's hang timer: an op with thousands of
            # samples (max_pool2d over six dtypes) is slow, not hung.
            progress.write(f"{_i}\n")
            progress.flush()
            out.write(
                json.dumps(
                    {
                        "i": _i,
                        "op": key,
                        "dtype": dtype,
                        "status": status,
                        "detail": detail,
                        "sample": sample,
                    }
                )
                + "\n"
            )

        try:
            for variant in ("function", "method", "inplace", "out"):
                check_op(op, args.dtypes.split(","), fg, torch, emit, variant)
        except Exception as e:  # noqa: BLE001
            emit(op.name, "-", "harness", f"{exc_name(e)}: {str(e)[:200]}")
        out.flush()
    progress.write("DONE\n")
    progress.flush()


def run_mutations(op_db, wanted, args, out, progress, fg, torch):
    import opinfo_mutate

    for i, op in enumerate(op_db):
        if i < args.start or (wanted and op.name not in wanted):
            continue

        def tick(where, _i=i):
            # One line per call, so the driver's hang timer restarts, and the call a
            # crash or hang happened in is on record.
            progress.write(f"{_i}\n")
            progress.flush()
            with open(args.progress + ".where", "w") as f:
                f.write(where)

        def emit(key, label, status, detail, sample, _i=i):
            record = {
                "i": _i,
                "op": key,
                "mutation": label,
                "status": status,
                "detail": detail,
                "sample": describe(sample) if sample is not None else None,
            }
            out.write(json.dumps(record) + "\n")

        tick(op.name)
        try:
            opinfo_mutate.check_op_mutations(
                op, args.dtypes.split(","), args.samples, fg, torch, emit, tick, args.skip
            )
        except Exception as e:  # noqa: BLE001
            emit(op.name, "-", "harness", f"{exc_name(e)}: {str(e)[:200]}", None)
        out.flush()
    progress.write("DONE\n")
    progress.flush()


def skip_path(out):
    """The --mutate calls that crashed or hung a child, one `key|label` a line (no spaces
    in either), which the next child skips so the rest of the op still runs."""
    return out + ".skip"


def driver(args):
    progress = args.out + ".progress"
    if os.path.exists(skip_path(args.out)):
        os.remove(skip_path(args.out))
    start, failures_at = 0, collections.Counter()
    while True:
        cmd = [
            sys.executable,
            __file__,
            "--child",
            "--out",
            args.out,
            "--progress",
            progress,
            "--start",
            str(start),
            "--dtypes",
            args.dtypes,
        ]
        if args.ops:
            cmd += ["--ops", args.ops]
        if args.half_ulps:
            cmd += ["--half-ulps", str(args.half_ulps)]
        if args.mutate:
            cmd += ["--mutate", "--samples", str(args.samples)]
        returncode = run_watched(cmd, progress, read_progress, HANG_SECONDS, STARTUP_SECONDS)
        cur = read_progress(progress)
        if cur and cur[-1] == "DONE":
            return
        failed = int(cur[-1]) if cur else start
        status = "hang" if returncode in (-9,) else f"crash rc={returncode}"
        where = progress + ".where"
        detail = ""
        if os.path.exists(where):
            with open(where) as f:
                detail = f.read()
        record = {"i": failed, "op": f"#{failed}", "dtype": "-", "status": status}
        record.update({"detail": detail.replace("\t", " "), "sample": None})
        failures_at[failed] += 1
        start = failed + 1
        parts = detail.split("\t")
        if args.mutate and len(parts) == 4:
            # A mutation killed the child (parts[3] says in which library): the next
            # child resumes at the same op and skips only that call.
            record.update({"op": parts[0], "mutation": parts[1], "sample": parts[2]})
            with open(skip_path(args.out), "a") as f:
                f.write(f"{parts[0].replace(' ', '')}|{parts[1]}\n")
            if failures_at[failed] < 20:
                start = failed
        with open(args.out, "a") as f:
            f.write(json.dumps(record) + "\n")


def read_progress(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return f.read().split()


def summary(path):
    by_op = collections.defaultdict(collections.Counter)
    examples = {}
    labels = collections.defaultdict(list)  # --mutate records: the mutations per op/status
    with open(path) as f:
        records = [json.loads(line) for line in f]
    for r in records:
        by_op[r["op"]][r["status"]] += 1
        if r["status"] not in ("ok", "grad-ok", "error-ok", "mut-ok"):
            dt = r.get("mutation", r.get("dtype"))
            examples.setdefault((r["op"], r["status"]), (dt, r["detail"], r["sample"]))
            if "mutation" in r and r["mutation"] not in labels[(r["op"], r["status"])]:
                labels[(r["op"], r["status"])].append(r["mutation"])
    totals = collections.Counter()
    for c in by_op.values():
        totals.update(c)
    print("totals:", dict(totals.most_common()))
    for op in sorted(by_op):
        bad = {
            k: v for k, v in by_op[op].items() if k not in ("ok", "grad-ok", "error-ok", "mut-ok")
        }
        if not bad:
            continue
        print(f"{op}: {dict(by_op[op])}")
        for status in bad:
            dt, detail, sample = examples[(op, status)]
            print(f"    {status} [{dt}] {detail} | {sample}")
            more = labels.get((op, status), [])[1:]
            if more:
                print(f"        also: {', '.join(more[:12])}{' ...' if len(more) > 12 else ''}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default="/tmp/opinfo.jsonl")
    p.add_argument("--ops", default="")
    p.add_argument("--dtypes", default="", help="default: five dtypes, float32 with --mutate")
    p.add_argument("--summary", default="")
    p.add_argument("--child", action="store_true")
    p.add_argument("--progress", default="")
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--mutate", action="store_true", help="bad calls from the samples")
    p.add_argument("--samples", type=int, default=3, help="samples per op and dtype (--mutate)")
    p.add_argument("--half-ulps", type=int, default=0, help="float16/bfloat16 values further apart: value-ulps")
    args = p.parse_args()
    global HALF_ULPS
    HALF_ULPS = args.half_ulps
    if not args.dtypes:
        args.dtypes = "float32" if args.mutate else ",".join(DEFAULT_DTYPES)
    if args.summary:
        summary(args.summary)
    elif args.child:
        child(args)
    else:
        if os.path.exists(args.out):
            os.remove(args.out)
        driver(args)


if __name__ == "__main__":
    main()
