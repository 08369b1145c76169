"""`replace_pattern`: find each occurrence of a pattern function's graph in a GraphModule
and put the replacement function's graph in its place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ._symbolic_trace import symbolic_trace
from .graph_module import GraphModule
from .node import Node


class Match(NamedTuple):
    anchor: Node  # the pattern's node whose value the pattern returns
    nodes_map: dict[Node, Node]  # pattern node -> the graph node it matched


def _match_arg(pattern_arg: Any, graph_arg: Any, nodes_map: dict[Node, Node]) -> bool:
    if isinstance(pattern_arg, Node):
        return isinstance(graph_arg, Node) and _match_node(pattern_arg, graph_arg, nodes_map)
    if isinstance(pattern_arg, (list, tuple)):
        return (type(graph_arg) is type(pattern_arg) and len(graph_arg) == len(pattern_arg)
                and all(_match_arg(p, g, nodes_map) for p, g in zip(pattern_arg, graph_arg)))
    if isinstance(pattern_arg, dict):
        return (isinstance(graph_arg, dict) and pattern_arg.keys() == graph_arg.keys()
                and all(_match_arg(v, graph_arg[k], nodes_map) for k, v in pattern_arg.items()))
    return type(pattern_arg) is type(graph_arg) and pattern_arg == graph_arg


def _match_node(pattern_node: Node, graph_node: Node, nodes_map: dict[Node, Node]) -> bool:
    """Whether `graph_node` computes what `pattern_node` does (a pattern placeholder matches
    any value, the same one each time); records the pairs in `nodes_map`."""
    if pattern_node in nodes_map:
        return nodes_map[pattern_node] is graph_node
    if pattern_node.op == "placeholder":
        nodes_map[pattern_node] = graph_node
        return True
    if pattern_node.op != graph_node.op or pattern_node.target != graph_node.target:
        return False
    nodes_map[pattern_node] = graph_node
    return (_match_arg(pattern_node.args, graph_node.args, nodes_map)
            and _match_arg(pattern_node.kwargs, graph_node.kwargs, nodes_map))


def _find_matches(gm: GraphModule, pattern_anchor: Node) -> list[Match]:
    matches: list[Match] = []
    taken: set[Node] = set()
    for node in gm.graph.nodes:
        nodes_map: dict[Node, Node] = {}
        if not _match_node(pattern_anchor, node, nodes_map):
            continue
        inner = {g for p, g in nodes_map.items() if p.op != "placeholder"}
        # the nodes the replacement removes: none taken already, none read outside the match
        if inner & taken or any(user not in inner for n in inner if n is not node for user in n.users):
            continue
        taken |= inner
        matches.append(Match(pattern_anchor, nodes_map))
    return matches


def replace_pattern(gm: GraphModule, pattern: Callable[..., Any] | GraphModule,
                    replacement: Callable[..., Any] | GraphModule) -> list[Match]:
    """Replace each non-overlapping occurrence of `pattern` in `gm` by `replacement` (both
    traced with `symbolic_trace` unless GraphModules), recompile `gm`, and return the matches."""
    pattern_graph = (pattern if isinstance(pattern, GraphModule) else symbolic_trace(pattern)).graph
    replacement_graph = (replacement if isinstance(replacement, GraphModule) else symbolic_trace(replacement)).graph
    pattern_output = pattern_graph.output_node.args[0]
    if not isinstance(pattern_output, Node):
        raise NotImplementedError("replace_pattern: the pattern must return a single value")
    pattern_placeholders = [n for n in pattern_graph.nodes if n.op == "placeholder"]
    replacement_placeholders = [n for n in replacement_graph.nodes if n.op == "placeholder"]
    graph = gm.graph
    matches = _find_matches(gm, pattern_output)
    replaced: dict[Node, Any] = {}  # an earlier match's anchor -> the value that replaced it
    for match in matches:
        anchor = match.nodes_map[pattern_output]
        val_map = {r: replaced.get(match.nodes_map[p], match.nodes_map[p])
                   for r, p in zip(replacement_placeholders, pattern_placeholders)}
        first_user = min(anchor.users, key=lambda n: _position(graph, n))
        with graph.inserting_before(first_user):
            new_value = graph.graph_copy(replacement_graph, val_map)
        anchor.replace_all_uses_with(new_value)
        replaced[anchor] = new_value
        inner = {g for p, g in match.nodes_map.items() if p.op != "placeholder"}
        for node in reversed(graph.nodes):
            if node in inner:
                graph.erase_node(node)
    gm.recompile()
    return matches


def _position(graph: Any, node: Node) -> int:
    return next(i for i, n in enumerate(graph.nodes) if n is node)
