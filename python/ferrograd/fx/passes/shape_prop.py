"""`ShapeProp`: run a GraphModule on example inputs and record each node's result
(`meta["tensor_meta"]`, a `TensorMetadata` per tensor, and `meta["type"]`)."""

from __future__ import annotations

from typing import Any, NamedTuple

from ..interpreter import Interpreter
from ..node import Node, map_aggregate


class TensorMetadata(NamedTuple):
    shape: Any
    dtype: Any
    requires_grad: bool
    stride: tuple[int, ...]
    memory_format: Any
    is_quantized: bool
    qparams: dict[str, Any]


def _extract_tensor_metadata(result: Any) -> TensorMetadata:
    import ferrograd

    memory_format = None
    for query_format in (ferrograd.contiguous_format, ferrograd.channels_last, ferrograd.channels_last_3d):
        try:
            if result.is_contiguous(memory_format=query_format):
                memory_format = query_format
                break
        except RuntimeError:
            continue
    return TensorMetadata(result.shape, result.dtype, result.requires_grad, result.stride(), memory_format,
                          False, {})


class ShapeProp(Interpreter):
    """`ShapeProp(gm).propagate(*inputs)` runs `gm` and stores each node's result metadata."""

    def run_node(self, n: Node) -> Any:
        from ... import Tensor

        result = super().run_node(n)
        found_tensor = False

        def extract(obj: Any) -> Any:
            nonlocal found_tensor
            if isinstance(obj, Tensor):
                found_tensor = True
                return _extract_tensor_metadata(obj)
            return obj

        meta = map_aggregate(result, extract)
        if found_tensor:
            n.meta["tensor_meta"] = meta
        n.meta["type"] = type(result)
        return result

    def propagate(self, *args: Any) -> Any:
        return super().run(*args)
