"""layer_norm, batch_norm, group_norm and embedding as PyTorch's single nodes
(`NativeLayerNormBackward0`, ...), with the tensors PyTorch's nodes save. The callers in
`functional` check the arguments first.

The backward of a normalisation uses the saved statistics; while a backward is being
recorded (`create_graph=True`) it recomputes them from the saved input, so that the
formula is differentiable in the input as well (double backward)."""

from __future__ import annotations

import functools

from .. import _core
from .._core import Tensor
from .._grad_mode import no_grad
from ._composite_nodes import record, record_recomputed


def _xhat_grad(gxhat: Tensor, xhat: Tensor, rstd: Tensor, dims: tuple[int, ...]) -> Tensor:
    """d loss / dx for xhat = (x - mean(x)) * rstd(x), statistics over `dims`."""
    return rstd * (gxhat - gxhat.mean(dims, keepdim=True) - xhat * (gxhat * xhat).mean(dims, keepdim=True))


def _stats(x: Tensor, dims: tuple[int, ...], eps: float) -> tuple[Tensor, Tensor]:
    """Mean and 1/sqrt(biased variance + eps) over `dims`, keeping them."""
    mean = x.mean(dims, keepdim=True)
    centered = x - mean
    return mean, ((centered * centered).mean(dims, keepdim=True) + eps).rsqrt()


def _cast(grad: Tensor | None, like: Tensor | None) -> Tensor | None:
    if grad is None or like is None or grad.dtype == like.dtype:
        return grad
    return grad.to(like.dtype)


# --------------------------------------------------------------------------- layer_norm


def _layer_norm_grads(n_dims: int, g: Tensor, x: Tensor, weight: Tensor | None, mean: Tensor, rstd: Tensor,
                      needs) -> tuple:
    dims = tuple(range(x.dim() - n_dims, x.dim()))
    batch_dims = tuple(range(x.dim() - n_dims))
    xhat = (x - mean) * rstd
    gx = gw = gb = None
    if needs[0]:
        gx = _cast(_xhat_grad(g * weight if weight is not None else g, xhat, rstd, dims), x)
    if needs[1]:
        gw = _cast((g * xhat).sum(batch_dims) if batch_dims else g * xhat, weight)
    if needs[2]:
        gb = g.sum(batch_dims) if batch_dims else g
    return gx, gw, gb


def _layer_norm_backward(n_dims: int, eps: float, has_weight: bool, has_bias: bool, grads, saved, needs):
    x = saved[0]
    weight = saved[1] if has_weight else None
    if _core.is_grad_enabled():  # recorded: PyTorch's single node, differentiated by recomputing
        bias = saved[2 if has_weight else 1] if has_bias else None
        with no_grad():
            values = _layer_norm_backward(n_dims, eps, has_weight, has_bias, grads, saved, needs)
        return record_recomputed("NativeLayerNormBackwardBackward0", (grads[0], x, None, None, weight, bias),
                                 values, functools.partial(_layer_norm_twice, n_dims, eps, tuple(needs)))
    mean, rstd = saved[-2], saved[-1]
    fused = _core._layer_norm_backward(grads[0], x, mean, rstd, weight, n_dims)
    if fused is not None:
        return tuple(g if need else None for g, need in zip(fused, needs))
    if x.dtype in _REDUCED_FLOATS and mean.dtype == x.dtype:  # PyTorch's kernel works in float32
        wide = (t.float() if t is not None else None for t in (grads[0], x, weight, mean, rstd))
        values = _layer_norm_grads(n_dims, *wide, needs)
        return tuple(_cast(v, like) for v, like in zip(values, (x, weight, x)))
    return _layer_norm_grads(n_dims, grads[0], x, weight, mean, rstd, needs)


def _layer_norm_twice(n_dims: int, eps: float, needs, g, x, _mean, _rstd, weight, _bias):
    """The layer_norm backward of ops, statistics recomputed from x (so differentiable in x)."""
    mean, rstd = _stats(x, tuple(range(x.dim() - n_dims, x.dim())), eps)
    return _layer_norm_grads(n_dims, g, x, weight, mean, rstd, needs)


_REDUCED_FLOATS = frozenset({_core.float16, _core.bfloat16})


def _reduced_layer_norm(input: Tensor, dims: tuple[int, ...], weight: Tensor | None, bias: Tensor | None,
                        eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """PyTorch's CPU kernel for float16/bfloat16: the statistics and `x * rstd - rstd * mean`
    (then the weight and bias) in float32, each result rounded once to the dtype."""
    x = input.float()
    mean, rstd = _stats(x, dims, eps)
    out = x * rstd + (-rstd * mean)
    if weight is not None:
        out = out * weight.float()
    if bias is not None:
        out = out + bias.float()
    return out.to(input.dtype), mean.to(input.dtype), rstd.to(input.dtype)


def layer_norm(input: Tensor, shape: tuple[int, ...], weight: Tensor | None, bias: Tensor | None, eps: float,
               mixed: bool) -> Tensor:
    dims = tuple(range(input.dim() - len(shape), input.dim()))
    fused = None if mixed else _core._layer_norm_forward(input, len(shape), weight, bias, eps)
    if fused is not None:
        out, mean, rstd = fused
    elif input.dtype in _REDUCED_FLOATS and not mixed:
        with no_grad():
            out, mean, rstd = _reduced_layer_norm(input, dims, weight, bias, eps)
    else:
        with no_grad():
            mean, rstd = _stats(input, dims, eps)
            out = (input - mean) * rstd
            if weight is not None:
                out = out * weight
            if bias is not None:
                out = out + bias
            out = out.to(input.dtype) if mixed else out
    return record("NativeLayerNormBackward0", (input, weight, bias), out,
                  (("input", input), ("weight", weight), ("bias", bias), ("result1", mean),
                   ("result2", rstd)),
                  functools.partial(_layer_norm_backward, len(shape), eps, weight is not None, bias is not None),
                  {"normalized_shape": shape})


# --------------------------------------------------------------------------- group_norm


def _group_norm_backward(groups: int, eps: float, has_weight: bool, grads, saved, needs):
    x = saved[0]
    weight = saved[1] if has_weight else None
    g = grads[0]
    n, c = x.shape[0], x.shape[1]
    channel = (1, c) + (1,) * (x.dim() - 2)
    grouped_shape = (n, groups, n and x.numel() // (n * groups))
    if x.dtype in _REDUCED_FLOATS and saved[-2].dtype == x.dtype:  # PyTorch's kernel works in float32
        wide = _group_norm_backward(groups, eps, has_weight, tuple(t.float() for t in grads),
                                    (x.float(), *(t.float() for t in saved[1:])), needs)
        return tuple(_cast(v, like) for v, like in zip(wide, (x, weight, x)))
    xg = x.reshape(grouped_shape)
    recorded = _core.is_grad_enabled()
    if recorded:
        mean, rstd = _stats(xg, (2,), eps)
    else:
        mean, rstd = saved[-2].unsqueeze(-1), saved[-1].unsqueeze(-1)
    if not recorded:
        gx, gw, gb = _group_norm_kernel_grads(groups, g, x, weight, mean, rstd, needs)
    else:
        xhat = ((xg - mean) * rstd).reshape(tuple(x.shape))
        other = (0, *range(2, x.dim()))
        gx = gw = gb = None
        if needs[0]:
            gxhat = g * weight.reshape(channel) if weight is not None else g
            gx = _xhat_grad(gxhat.reshape(grouped_shape), xhat.reshape(grouped_shape), rstd, (2,))
            gx = _cast(gx.reshape(tuple(x.shape)), x)
        if needs[1]:
            gw = _cast((g * xhat).sum(other), weight)
        if needs[2]:
            gb = g.sum(other)
    if needs[0] and (grads[1].any() or grads[2].any()):
        gx = gx + _statistics_grad(grads[1], grads[2], xg, mean, rstd).reshape(tuple(x.shape)).to(gx.dtype)
    return gx, gw, gb


def _group_norm_kernel_grads(groups: int, g: Tensor, x: Tensor, weight: Tensor | None, mean: Tensor, rstd: Tensor,
                             needs) -> tuple:
    """PyTorch's CPU kernel's formula, from the per-channel sums of `g * x` and `g`
    (so that its exact zeros come out as zeros)."""
    n, c = x.shape[0], x.shape[1]
    per_channel = (n, c, n and c and x.numel() // (n * c))
    g3, x3 = g.reshape(per_channel), x.reshape(per_channel)
    ds, db = (g3 * x3).sum(2), g3.sum(2)  # (N, C)
    grouped = (n, groups, c // groups)
    mean2, rstd2 = mean.reshape(n, groups), rstd.reshape(n, groups)
    gx = gw = gb = None
    if needs[0]:
        scaled_ds, scaled_db = (ds * weight, db * weight) if weight is not None else (ds, db)
        ds_g, db_g = scaled_ds.reshape(grouped).sum(2), scaled_db.reshape(grouped).sum(2)
        s = 1.0 / (x.numel() // (n * groups)) if n * groups else 0.0
        c2 = (db_g * mean2 - ds_g) * rstd2 * rstd2 * rstd2 * s
        c3 = -c2 * mean2 - db_g * rstd2 * s
        c1 = rstd2.repeat_interleave(c // groups, 1)  # (N, C)
        if weight is not None:
            c1 = c1 * weight
        per_group = (n, groups, 1)
        grouped_x = (n, groups, n and x.numel() // (n * groups))  # -1 is ambiguous for an empty batch
        gx = (c1.reshape(n, c, 1) * g3).reshape(grouped_x) + c2.reshape(per_group) * x.reshape(grouped_x) \
            + c3.reshape(per_group)
        gx = _cast(gx.reshape(tuple(x.shape)), x)
    if needs[1]:
        centered = (ds.reshape(grouped) - db.reshape(grouped) * mean2.unsqueeze(-1)) * rstd2.unsqueeze(-1)
        gw = _cast(centered.reshape(n, c).sum(0), weight)
    if needs[2]:
        gb = db.sum(0)
    return gx, gw, gb


def _statistics_grad(grad_mean: Tensor, grad_rstd: Tensor, xg: Tensor, mean: Tensor, rstd: Tensor) -> Tensor:
    """d loss / dx through the results `mean` and `rstd` (shaped (N, group)), x grouped."""
    count = xg.shape[2]
    return (grad_mean.unsqueeze(-1) - grad_rstd.unsqueeze(-1) * rstd ** 3 * (xg - mean)) / count


def native_group_norm(input: Tensor, groups: int, weight: Tensor | None, bias: Tensor | None, eps: float,
                      mixed: bool) -> tuple[Tensor, Tensor, Tensor]:
    """`(out, mean, rstd)`, the statistics shaped (N, group): three outputs of PyTorch's node."""
    n, c = input.shape[0], input.shape[1]
    channel = (1, c) + (1,) * (input.dim() - 2)
    grouped_shape = (n, groups, n and input.numel() // (n * groups))  # -1 is ambiguous for an empty batch
    reduced = input.dtype in _REDUCED_FLOATS and not mixed  # PyTorch's kernel works in float32
    with no_grad():
        x = input.float() if reduced else input
        mean, rstd = _stats(x.reshape(grouped_shape), (2,), eps)
        out = ((x.reshape(grouped_shape) - mean) * rstd).reshape(tuple(input.shape))
        if weight is not None:
            out = out * (weight.float() if reduced else weight).reshape(channel)
        if bias is not None:
            out = out + (bias.float() if reduced else bias).reshape(channel)
        out = out.to(input.dtype) if mixed or reduced else out
        if reduced:
            mean, rstd = mean.to(input.dtype), rstd.to(input.dtype)
        mean, rstd = mean.squeeze(-1), rstd.squeeze(-1)
    hxw = input.numel() // (n * c) if n * c else 0
    record("NativeGroupNormBackward0", (input, weight, bias), out,
           (("input", input), ("weight", weight), ("result1", mean), ("result2", rstd)),
           functools.partial(_group_norm_backward, groups, eps, weight is not None),
           {"C": c, "HxW": hxw, "N": n, "eps": eps, "group": groups}, more=(mean, rstd))
    return out, mean, rstd


# --------------------------------------------------------------------------- batch_norm


def _batch_norm_backward(training: bool, eps: float, has_weight: bool, grads, saved, needs):
    x = saved[0]
    weight = saved[1] if has_weight else None
    c = x.shape[1]
    channel = (1, c) + (1,) * (x.dim() - 2)
    dims = (0, *range(2, x.dim()))
    recorded = _core.is_grad_enabled()
    if training:
        if recorded:
            mean = rstd = None  # recomputed from x in the node's formula
        else:
            mean, rstd = saved[-2].reshape(channel), saved[-1].reshape(channel)
    else:
        at = 2 if has_weight else 1
        mean = saved[at].reshape(channel)
        rstd = (saved[at + 1] + eps).rsqrt().reshape(channel)
    if recorded:  # PyTorch's single node, differentiated by recomputing
        with no_grad():
            values = _batch_norm_twice(dims, channel, eps, mean, rstd, tuple(needs), grads[0], x, weight, None, None)
        return record_recomputed("NativeBatchNormBackwardBackward0", (grads[0], x, weight, None, None), values,
                                 functools.partial(_batch_norm_twice, dims, channel, eps, mean, rstd, tuple(needs)))
    if x.is_contiguous():
        fused = _core._batch_norm_backward(grads[0], x, mean.reshape(c), rstd.reshape(c), weight, training)
        if fused is not None:
            return tuple(g if need else None for g, need in zip(fused, needs))
    return _batch_norm_grads(dims, channel, training, grads[0], x, weight, mean, rstd, needs)


def _batch_norm_twice(dims, channel, eps, mean, rstd, needs, g, x, weight, _mean, _invstd):
    """The batch_norm backward of ops: training statistics (mean None) recomputed from x."""
    training = mean is None
    if training:
        mean, rstd = _stats(x, dims, eps)
    return _batch_norm_grads(dims, channel, training, g, x, weight, mean, rstd, needs)


def _batch_norm_grads(dims, channel, training: bool, g: Tensor, x: Tensor, weight: Tensor | None, mean: Tensor,
                      rstd: Tensor, needs) -> tuple:
    xhat = (x - mean) * rstd
    gx = gw = gb = None
    if needs[0]:
        gxhat = g * weight.reshape(channel) if weight is not None else g
        gx = _xhat_grad(gxhat, xhat, rstd, dims) if training else gxhat * rstd
        gx = _cast(gx, x)
    if needs[1]:
        gw = _cast((g * xhat).sum(dims), weight)
    if needs[2]:
        gb = g.sum(dims)
    return gx, gw, gb


def _unbiased_factor(count: int) -> float:
    """n / (n - 1), the running variance's correction: infinite for one value per channel
    (its variance, 0, then updates the running one to NaN, as PyTorch's kernel does)."""
    return count / (count - 1) if count != 1 else float("inf")


def _update_running(running: Tensor, batch: Tensor, momentum: float) -> None:
    """`running = (1 - momentum) * running + momentum * batch`, through `.data` as PyTorch's
    kernel writes it: the running statistic's version stays, so that a graph which saved
    it (an earlier forward's) still runs backward."""
    running.data.mul_(1 - momentum).add_(batch * momentum)


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None,
               bias: Tensor | None, training: bool, momentum: float, eps: float, mixed: bool) -> Tensor:
    c = input.shape[1] if input.dim() > 1 else 0
    channel = (1, c) + (1,) * (input.dim() - 2)
    dims = (0, *range(2, input.dim()))
    fused = None
    if not mixed and input.dim() > 1 and input.is_contiguous():  # other layouts keep theirs
        fused = (_core._batch_norm_train_forward(input, weight, bias, eps) if training else
                 _core._batch_norm_eval_forward(input, weight, bias, running_mean, running_var, eps))
    with no_grad():
        if fused is not None and training:
            out, result1, result2, var = fused
            if running_mean is not None and running_var is not None:
                count = input.numel() // c if c else 0
                _update_running(running_mean, result1, momentum)
                _update_running(running_var, var * _unbiased_factor(count), momentum)
        elif fused is not None:
            out, result1 = fused, input.new_zeros((0,))
            result2 = result1
        elif training:
            count = input.numel() // c if c else 0
            mean = input.mean(dims, keepdim=True)
            centered = input - mean
            var = (centered * centered).mean(dims, keepdim=True)
            if running_mean is not None and running_var is not None:
                _update_running(running_mean, mean.reshape(c), momentum)
                _update_running(running_var, var.reshape(c) * _unbiased_factor(count), momentum)
            rstd = (var + eps).rsqrt()
            out = centered * rstd
            result1, result2 = mean.reshape(c), rstd.reshape(c)
        else:
            out = (input - running_mean.reshape(channel)) * (running_var.reshape(channel) + eps).rsqrt()
            result1 = result2 = input.new_zeros((0,))
        if fused is None:
            if weight is not None:
                out = out * weight.reshape(channel)
            if bias is not None:
                out = out + bias.reshape(channel)
            out = out.to(input.dtype) if mixed else out
    return record("NativeBatchNormBackward0", (input, weight, bias), out,
                  (("input", input), ("weight", weight), ("running_mean", running_mean),
                   ("running_var", running_var), ("result1", result1), ("result2", result2)),
                  functools.partial(_batch_norm_backward, training, eps, weight is not None),
                  {"eps": eps, "training": training})


# --------------------------------------------------------------------------- embedding


def _embedding_backward(rows: int, padding_idx: int, scale_grad_by_freq: bool, grads, saved, needs):
    indices = saved[0]
    g = grads[0]
    flat = indices.reshape(-1)
    src = g.reshape(flat.numel(), g.shape[-1])
    if padding_idx < 0 and not scale_grad_by_freq and not src.requires_grad:
        # no graph to build: the rows added in one kernel pass (None: another dtype)
        dense = _core._embedding_dense_backward(src, flat, rows)
        if dense is not None:
            return (dense,)
    with no_grad():
        scale = None
        if padding_idx >= 0:
            scale = (flat != padding_idx).to(g.dtype)
        if scale_grad_by_freq:
            counts = g.new_zeros((rows,)).index_add(0, flat, g.new_ones((flat.numel(),)))
            per = counts[flat].reciprocal()
            scale = per if scale is None else scale * per
    if scale is not None:
        src = src * scale.unsqueeze(-1)
    return (g.new_zeros((rows, g.shape[-1])).index_add(0, flat, src),)


def embedding(input: Tensor, weight: Tensor, padding_idx: int, scale_grad_by_freq: bool, sparse: bool) -> Tensor:
    """`padding_idx` is -1 for none, else counted from the start."""
    from .._saved_values import c_int

    with no_grad():
        out = weight[input]
    rows = weight.shape[0]
    return record("EmbeddingBackward0", (weight,), out, (("indices", input),),
                  functools.partial(_embedding_backward, rows, padding_idx, scale_grad_by_freq),
                  {"padding_idx": c_int(padding_idx), "scale_grad_by_freq": scale_grad_by_freq, "sparse": sparse,
                   "weight_sym_argsize_0": rows})
