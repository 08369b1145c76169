"""Pictures of the backward graph: `to_dot` gives Graphviz DOT text, `render` runs
Graphviz's `dot` on it.

>>> import ferrograd as torch
>>> from ferrograd import viz
>>> w = torch.ones(2, requires_grad=True)
>>> print(viz.to_dot((w * 3).sum(), params={"w": w}))  # doctest: +SKIP

Nodes are the grad_fn nodes by name (`MulBackward0`, `AccumulateGrad`, ...); edges run
from each node's inputs to it, in the direction the forward pass went. Leaves show the
name given in `params` (else their shape only), outputs are green, and with
`show_saved=True` the tensors each node saved for backward hang off it in orange.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from . import _core
from ._core import Tensor

__all__ = ["render", "to_dot"]

_INSTALL_HINT = (
    "Graphviz's `dot` program was not found on PATH. Install Graphviz: `apt-get install graphviz` "
    "(Debian/Ubuntu), `dnf install graphviz` (Fedora), `brew install graphviz` (macOS), or see "
    "https://graphviz.org/download/"
)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _shape(t) -> str:
    return str(tuple(int(d) for d in t.shape))


def _is_tensor(t) -> bool:
    # Duck-typed, so that PyTorch's graphs can be drawn too.
    return isinstance(t, Tensor) or (hasattr(t, "grad_fn") and hasattr(t, "shape"))


def _outputs(out) -> list:
    if _is_tensor(out):
        return [out]
    if isinstance(out, Iterable):
        items = list(out)
        if items and all(_is_tensor(t) for t in items):
            return items
    raise TypeError(f"to_dot expects a Tensor or a sequence of Tensors, got {type(out).__name__}")


def _saved_tensors(fn) -> list:
    if isinstance(fn, _core.Node):
        return _core._node_saved_tensors(fn)
    saved = []  # PyTorch's nodes expose them as _saved_<name> attributes
    for attr in sorted(a for a in dir(fn) if a.startswith("_saved_")):
        try:
            value = getattr(fn, attr)
        except RuntimeError:  # freed by backward
            continue
        if _is_tensor(value):
            saved.append(value)
    return saved


def to_dot(out, params: Mapping[str, Tensor] | None = None, show_saved: bool = False) -> str:
    """Graphviz DOT text of the graph that `out.backward()` would run through.

    Args:
        out: the tensor whose backward graph is drawn.
        params: optional names for leaf tensors (e.g. `dict(model.named_parameters())`),
            shown on their accumulate-grad nodes.
        show_saved: also draw the tensors each node saved for backward.
    """
    names = {id(t): name for name, t in (params or {}).items()}
    lines = [
        "digraph backward {",
        '    graph [rankdir=TB, fontname="monospace"]',
        '    node [shape=box, style="rounded,filled", fillcolor=lightgray, fontname="monospace", fontsize=10]',
        "    edge [fontname=\"monospace\", fontsize=9]",
    ]
    ids: dict[int, str] = {}
    keep: list[object] = []  # objects whose id() names a node stay alive until the end

    def node_id(obj: object, label: str, attrs: str = "") -> tuple[str, bool]:
        key = id(obj)
        if key in ids:
            return ids[key], False
        keep.append(obj)
        ids[key] = f"n{len(ids)}"
        extra = f", {attrs}" if attrs else ""
        lines.append(f"    {ids[key]} [label={_quote(label)}{extra}]")
        return ids[key], True

    def leaf_label(t) -> str:
        name = names.get(id(t))
        return f"{name}\n{_shape(t)}" if name else _shape(t)

    stack = []
    for i, t in enumerate(_outputs(out)):
        label = f"output{'' if _is_tensor(out) else f' {i}'}\n{_shape(t)}"
        out_id, _ = node_id(t, label, "fillcolor=darkolivegreen1")
        fn = t.grad_fn
        if fn is None:
            continue
        fn_id, new = node_id(fn, type(fn).__name__)
        lines.append(f"    {fn_id} -> {out_id}")
        if new:
            stack.append(fn)
    while stack:
        fn = stack.pop()
        fn_id = ids[id(fn)]
        if type(fn).__name__ == "AccumulateGrad":
            try:
                var = fn.variable
            except AttributeError:
                var = None
            if var is not None:
                var_id, _ = node_id(var, leaf_label(var), "fillcolor=lightblue")
                lines.append(f"    {var_id} -> {fn_id}")
        if show_saved:
            for s in _saved_tensors(fn):
                saved_id, _ = node_id(s, f"saved\n{_shape(s)}", "fillcolor=orange")
                lines.append(f"    {saved_id} -> {fn_id} [style=dashed]")
        for nxt, _nr in fn.next_functions:
            if nxt is None:
                continue
            nxt_id, new = node_id(nxt, type(nxt).__name__)
            lines.append(f"    {nxt_id} -> {fn_id}")
            if new:
                stack.append(nxt)
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(out, filename: str | os.PathLike, params: Mapping[str, Tensor] | None = None,
           show_saved: bool = False, format: str | None = None) -> str:
    """Draws the backward graph of `out` into `filename` with Graphviz's `dot`.

    Args:
        out: the tensor whose backward graph is drawn.
        filename: where the picture is written.
        params: optional names for leaf tensors, as in `to_dot`.
        show_saved: also draw the tensors each node saved for backward.
        format: Graphviz output format; by default the extension of `filename`
            (`.svg`, `.png`, `.pdf`, ...).

    Returns the path written. Raises RuntimeError when Graphviz is not installed.
    """
    import shutil
    import subprocess

    dot = shutil.which("dot")
    if dot is None:
        raise RuntimeError(_INSTALL_HINT)
    filename = os.fspath(filename)
    fmt = format or os.path.splitext(filename)[1].lstrip(".") or "svg"
    proc = subprocess.run(
        [dot, f"-T{fmt}", "-o", filename],
        input=to_dot(out, params, show_saved).encode(),
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"dot failed (exit {proc.returncode}): {proc.stderr.decode(errors='replace').strip()}")
    return filename
