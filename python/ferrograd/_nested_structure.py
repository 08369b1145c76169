"""Nested-tensor ops that move dims or contract them: transpose, reshape/view, unsqueeze,
matmul/bmm/linear and scaled dot-product attention, with PyTorch's rules for which dims
of each layout may take part and its errors where they may not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._core import Tensor
from ._memory_format import jagged, strided
from ._nested import NestedTensor, make_jagged, rebuild, unsupported, wrap_dim


def transpose(func: Callable, name: str, args: tuple, kwargs: dict) -> NestedTensor:
    nt = args[0]
    d0 = wrap_dim(args[1] if len(args) > 1 else kwargs["dim0"], nt.dim())
    d1 = wrap_dim(args[2] if len(args) > 2 else kwargs["dim1"], nt.dim())
    if 0 in (d0, d1):
        if nt.layout is jagged:
            raise ValueError("Transpose is not supported on the batch dimension for jagged NT")
        raise RuntimeError("Nested tensor dimension 0 cannot be transposed")
    if nt.layout is strided:
        return rebuild(nt, [c.transpose(d0 - 1, d1 - 1) for c in nt.unbind()])
    ragged = {d0: d1, d1: d0}.get(nt._fg_ragged, nt._fg_ragged)
    return make_jagged(nt._fg_data.transpose(d0 - 1, d1 - 1), nt._fg_offsets, nt._fg_lengths, ragged)


def _shape_argument(args: tuple) -> list:
    shape = args[1:]
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return list(shape)


def _shape_list(shape: list) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def reshape(func: Callable, name: str, args: tuple, kwargs: dict) -> NestedTensor:
    nt, shape = args[0], _shape_argument(args)
    batch = nt.size(0)
    if nt.layout is jagged:
        return _jagged_view(nt, shape)
    if shape[0] != batch:
        raise RuntimeError(f"{name}: For now nested {name} cannot change or infer the implicit batch dimension")
    out = []
    for c in nt.unbind():
        target = [c.shape[k] if s == -1 and k < c.dim() else s for k, s in enumerate(shape[1:])]
        count = 1
        for s in target:
            count *= s
        if -1 not in target and count != c.numel():
            raise RuntimeError(f"shape '{_shape_list(shape)}' is invalid for input of size {c.numel()}")
        out.append(c.reshape(target))
    return rebuild(nt, out)


def _jagged_view(nt: NestedTensor, shape: list) -> NestedTensor:
    """PyTorch's jagged view: the batch and the ragged dim stay (given as themselves or
    -1), the inner dims are the values' to reshape."""
    ragged, outer, size = nt._fg_ragged, nt._jagged_size(), nt._size_text()
    if ragged != 1 and tuple(shape) != outer:
        raise RuntimeError(f"view(): does not support ragged_idx != 1 except when inp._size == size. inp._size is "
                           f"({size}) and size is ({tuple(shape)}).")
    keeps_ragged = len(shape) >= 3 and shape[0] == outer[0] and (shape[ragged] == -1 or shape[ragged] is nt._fg_j)
    if not keeps_ragged:
        raise RuntimeError(f"view(): cannot view shape {size} as {_shape_list(shape)}")
    inner = [nt._fg_data.shape[i] if i == ragged - 1 else shape[i + 1] for i in range(len(shape) - 1)]
    return with_values(nt, nt._fg_data.reshape(inner))


def with_values(nt: NestedTensor, values: Tensor) -> NestedTensor:
    return make_jagged(values, nt._fg_offsets, nt._fg_lengths, nt._fg_ragged)


def unsqueeze(func: Callable, name: str, args: tuple, kwargs: dict) -> NestedTensor:
    nt = args[0]
    d = wrap_dim(args[1] if len(args) > 1 else kwargs["dim"], nt.dim() + 1)
    if d == 0:
        if nt.layout is jagged:
            raise RuntimeError("unsqueeze(): not supported for NestedTensor on dim=0")
        raise RuntimeError("unsqueeze(): For nested tensors, unsqueezing dimension 0 is not supported at the moment "
                           "if you need this feature, please open an issue on github describing your use case.")
    if nt.layout is strided:
        return rebuild(nt, [c.unsqueeze(d - 1) for c in nt.unbind()])
    ragged = nt._fg_ragged + (1 if d <= nt._fg_ragged else 0)
    return make_jagged(nt._fg_data.unsqueeze(d - 1), nt._fg_offsets, nt._fg_lengths, ragged)


def _size_text(t: Any) -> str:
    return t._size_text() if isinstance(t, NestedTensor) and t.layout is jagged else str(t.shape)


def _strided_products(name: str, a: Any, b: Any) -> NestedTensor:
    if not isinstance(b, NestedTensor):
        if name == "matmul":
            raise RuntimeError("Expected both to be nested, but got a nested self and non-nested other")
        if b.dim() != 3:
            raise RuntimeError("batch2 must be a 3D tensor")
        if b.shape[0] != a.size(0):
            raise RuntimeError(f"Expected size for the 1st dimension of batch2 tensor to be: {a.size(0)} but got: "
                               f"{b.shape[0]}.")
        return rebuild(a, [x.matmul(y) for x, y in zip(a.unbind(), b.unbind(0))])
    if b.layout is not strided or b.size(0) != a.size(0):
        raise RuntimeError("Expected both to be nested, but got a nested self and non-nested other") \
            if b.layout is not strided else RuntimeError(
                f"Expected size for the 1st dimension of batch2 tensor to be: {a.size(0)} but got: {b.size(0)}.")
    return rebuild(a, [x.matmul(y) for x, y in zip(a.unbind(), b.unbind())])


def _jagged_products(a: Any, b: Any) -> NestedTensor:
    refuse = RuntimeError(f"matmul(): not supported between inputs of shapes {_size_text(a)} and {b.shape}")
    if not isinstance(a, NestedTensor) or a.layout is not jagged or a._fg_ragged >= a.dim() - 2 + (
            0 if isinstance(b, NestedTensor) else 1):
        raise refuse
    if isinstance(b, NestedTensor):
        if b.layout is not jagged or b._fg_j is not a._fg_j or b._fg_ragged != a._fg_ragged or b.dim() != a.dim():
            raise refuse
        return rebuild(a, [x.matmul(y) for x, y in zip(a.unbind(), b.unbind())])
    if b.dim() == 2:
        return with_values(a, a._fg_data.matmul(b))
    if b.dim() == a.dim() and b.shape[0] == a.size(0):
        return rebuild(a, [x.matmul(y) for x, y in zip(a.unbind(), b.unbind(0))])
    raise refuse


def matmul(func: Callable, name: str, args: tuple, kwargs: dict) -> NestedTensor:
    """`matmul`, `bmm` and `linear` (whose weight and bias are dense)."""
    a = args[0]
    if name == "linear":
        weight, bias = args[1], args[2] if len(args) > 2 else kwargs.get("bias")
        if a.layout is jagged and a._fg_ragged < a.dim() - 1:
            return with_values(a, func(a._fg_data, weight, bias))
        if a.layout is jagged:
            raise unsupported("linear", jagged)
        if a.dim() != 3 or weight.dim() != 2:
            raise RuntimeError(f"Linear requires nested_tensor.dim == 3 and dense_matrix.dim == 2. Nested tensor dim: "
                               f"{a.dim()}. Dense tensor dim: {weight.dim()}")
        return rebuild(a, [func(c, weight, bias) for c in a.unbind()])
    b = args[1] if len(args) > 1 else kwargs.get("other", kwargs.get("mat2"))
    if not isinstance(a, NestedTensor):
        return _dense_first_products(name, a, b)
    if a.layout is strided:
        return _strided_products(name, a, b)
    return _jagged_products(a, b)


def _dense_first_products(name: str, a: Tensor, b: Any) -> NestedTensor:
    """`matmul`/`bmm` of a dense tensor by a nested one: PyTorch's strided layout has a
    batched `bmm` only; its jagged layout refuses both (matmul with an AttributeError of
    its Python implementation)."""
    if b.layout is jagged:
        if name == "bmm":
            raise ValueError("NestedTensor bmm_default(self: jt_all, mat2: any): expected self to be a jagged "
                             "layout NestedTensor")
        raise AttributeError("'Tensor' object has no attribute '_size'")
    if name == "matmul":
        raise RuntimeError("Expected both to be nested, but got a non-nested self and nested other")
    if a.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.size(0) != a.shape[0]:
        raise RuntimeError(f"Expected size for the 1st dimension of batch2 tensor to be: {a.shape[0]} but got: "
                           f"{b.size(0)}.")
    products = []
    for i, (x, y) in enumerate(zip(a.unbind(0), b.unbind())):
        if y.dim() != 2 or x.shape[1] != y.shape[0]:
            raise RuntimeError(f"{i}-th nested matrices in batch cannot be multiplied ({x.shape[0]}x{x.shape[1]} "
                               f"and {'x'.join(str(s) for s in y.shape)})")
        products.append(x.matmul(y))
    return rebuild(b, products)


def scaled_dot_product_attention(func: Callable, name: str, args: tuple, kwargs: dict) -> NestedTensor:
    """Attention of each batch entry on its own: the query's, key's and value's
    components (heads x its length x features) in turn; the result has the query's structure."""
    q, k, v = args[:3]
    if not all(isinstance(t, NestedTensor) and t.layout is jagged for t in (q, k, v)):
        raise unsupported("scaled_dot_product_attention", strided if q.layout is strided else jagged)
    if kwargs.get("attn_mask", args[3] if len(args) > 3 else None) is not None:
        raise RuntimeError("scaled_dot_product_attention(): attn_mask is not supported for nested tensors")
    if kwargs.get("is_causal", args[5] if len(args) > 5 else False):
        raise RuntimeError("No viable backend for scaled_dot_product_attention was found.")
    if not q.size(0) == k.size(0) == v.size(0):
        raise RuntimeError("scaled_dot_product_attention(): the query, key and value must have the same batch size")
    rest = {key: value for key, value in kwargs.items() if key != "attn_mask"}
    outs = [func(x, y, z, None, *args[4:], **rest) for x, y, z in zip(q.unbind(), k.unbind(), v.unbind())]
    return rebuild(q, outs)

