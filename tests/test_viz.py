"""Pictures of the backward graph (`ferrograd.viz`): DOT text with PyTorch's node
names, and SVG files drawn by Graphviz's `dot`.

`viz` draws PyTorch's graphs too, so with FG_TEST_BACKEND=torch the same expectations
are checked against PyTorch's own graph."""

import re
import shutil

import pytest
from backend import fg
from ferrograd import viz


def tour_graph():
    x = fg.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    return x, z.mean()


def labels(dot: str) -> list[str]:
    return re.findall(r'\[label="([^"]*)"', dot)


def edges(dot: str) -> list[tuple[str, str]]:
    return re.findall(r"(n\d+) -> (n\d+)(?! \[style=dashed\])", dot)


def test_nodes_are_labelled_by_grad_fn_name():
    x, out = tour_graph()
    dot = viz.to_dot(out, params={"x": x})
    assert dot.startswith("digraph") and dot.rstrip().endswith("}")
    assert sorted(labels(dot)) == sorted([
        r"output\n()", "MeanBackward0", "MulBackward0", "MulBackward0", "AddBackward0", "AccumulateGrad",
        r"x\n(2, 2)"])


def test_edges_run_from_inputs_to_outputs():
    x, out = tour_graph()
    dot = viz.to_dot(out, params={"x": x})
    label_of = dict(re.findall(r'(n\d+) \[label="([^"]*)"', dot))
    pairs = [(label_of[a], label_of[b]) for a, b in edges(dot)]
    assert (r"x\n(2, 2)", "AccumulateGrad") in pairs
    assert ("AccumulateGrad", "AddBackward0") in pairs
    assert pairs.count(("AddBackward0", "MulBackward0")) == 2  # y * y uses y twice
    assert ("MeanBackward0", r"output\n()") in pairs
    assert len(pairs) == 7


def test_leaves_without_a_name_show_their_shape():
    w = fg.ones(3, 1, requires_grad=True)
    dot = viz.to_dot((w * 2).sum())
    assert r"(3, 1)" in labels(dot) and "SumBackward0" in labels(dot)


def test_saved_tensors_are_shown_on_request():
    _, out = tour_graph()
    plain = viz.to_dot(out)
    shown = viz.to_dot(out, show_saved=True)
    assert "saved" not in plain
    saved = [lab for lab in labels(shown) if lab.startswith("saved")]
    assert r"saved\n(2, 2)" in saved and r"saved\n()" in saved
    assert "style=dashed" in shown


def test_several_outputs_and_no_graph():
    a = fg.ones(2, requires_grad=True)
    dot = viz.to_dot([a * 2, a.exp()])
    assert r"output 0\n(2,)" in labels(dot) and r"output 1\n(2,)" in labels(dot)
    assert labels(dot).count("AccumulateGrad") == 1
    assert labels(viz.to_dot(fg.ones(2))) == [r"output\n(2,)"]
    with pytest.raises(TypeError):
        viz.to_dot(3)


def test_render_draws_an_svg_with_dot(tmp_path):
    x, out = tour_graph()
    path = tmp_path / "graph.svg"
    if shutil.which("dot"):
        assert viz.render(out, path, params={"x": x}) == str(path)
        svg = path.read_text()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        for name in ("MeanBackward0", "MulBackward0", "AddBackward0", "AccumulateGrad", "x"):
            assert f">{name}</text>" in svg
    else:  # scripts/test.sh installs Graphviz; without it render explains how
        with pytest.raises(RuntimeError, match="apt-get install graphviz"):
            viz.render(out, path)


def test_render_without_graphviz_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    _, out = tour_graph()
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        viz.render(out, tmp_path / "g.svg")
