"""`ferrograd.fx`: PyTorch's `torch.fx` for ferrograd. `symbolic_trace` records a Module's
(or a function's) `forward` as a `Graph` of `Node`s, wrapped in a `GraphModule` whose
`code` is Python generated from the graph; `Interpreter`/`Transformer` run or rewrite a
graph node by node."""

from ._pytree_args import PH
from ._symbolic_trace import Tracer, symbolic_trace, wrap
from .graph import Graph
from .graph_module import GraphModule
from .interpreter import Interpreter, Transformer
from .node import Node, map_arg
from .proxy import Proxy, TraceError
from .subgraph_rewriter import replace_pattern

__all__ = ["PH", "Graph", "GraphModule", "Interpreter", "Node", "Proxy", "TraceError", "Tracer", "Transformer", "map_arg", "replace_pattern", "symbolic_trace", "wrap"]
