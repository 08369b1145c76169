"""Graph memory accounting: `autograd.graph_stats()` counters, `autograd.live_graphs()`
(which roots keep nodes alive) and `autograd.set_graph_retention_warning` (a graph that
outlives its backward calls, as `total_loss += loss` makes).

These are ferrograd's own diagnostics (PyTorch has none), so the file tests ferrograd
under either test backend; every expected count follows from the graph's structure.
"""

import gc
import inspect
import os
import warnings

import ferrograd as fg
import pytest

A = fg.autograd
THIS_FILE = os.path.abspath(__file__)


@pytest.fixture(autouse=True)
def _accounting_off():
    gc.collect()
    _report_graphs_left_by_other_tests()
    yield
    A.set_graph_retention_warning(None)
    A.record_graph_sites(False)


def _report_graphs_left_by_other_tests():
    """Lets the warning name (and so mark) every graph alive now, so that a warning test
    sees only the graphs it makes."""
    x = fg.ones(1, requires_grad=True)
    A.set_graph_retention_warning(1, record_sites=False)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        for _ in range(3):
            (x * 2).sum().backward()
    A.set_graph_retention_warning(None)


def _new_graphs(before):
    """The live graphs that were not in `before` (other tests may leave tensors alive);
    graphs are compared without their idle count, which every backward call moves."""
    remaining = [g._replace(idle_backward_calls=0) for g in before]
    out = []
    for g in A.live_graphs():
        key = g._replace(idle_backward_calls=0)
        if key in remaining:
            remaining.remove(key)
        else:
            out.append(g)
    return out


def _leaves():
    return fg.ones(3, requires_grad=True), fg.ones(3, requires_grad=True)


def _retention_warnings(record):
    return [w for w in record if "outlived" in str(w.message)]


# ---- counters ---------------------------------------------------------------------------

def test_graph_stats_count_nodes_and_saved_bytes_of_a_graph():
    before = A.graph_stats()
    x, w = _leaves()
    y = (x * w).sum()  # SumBackward0 -> MulBackward0 -> two AccumulateGrad
    during = A.graph_stats()
    assert during["live_nodes"] - before["live_nodes"] == 4
    # MulBackward0 saves both float32 operands of 3 elements
    assert during["saved_tensors"] - before["saved_tensors"] == 2
    assert during["saved_bytes"] - before["saved_bytes"] == 2 * 3 * 4
    y.backward()
    after_backward = A.graph_stats()
    assert after_backward["live_nodes"] == during["live_nodes"]  # y still holds its graph
    assert after_backward["saved_tensors"] == before["saved_tensors"]  # freed by backward
    del y
    assert A.graph_stats()["live_nodes"] == before["live_nodes"]


def test_backward_calls_count_backward_and_autograd_grad():
    x, w = _leaves()
    start = A.backward_calls()
    assert A.graph_stats()["backward_calls"] == start
    (x * w).sum().backward()
    assert A.backward_calls() == start + 1
    A.grad((x * w).sum(), [x])
    assert A.backward_calls() == start + 2
    assert A.graph_stats()["backward_calls"] == start + 2


# ---- live_graphs ------------------------------------------------------------------------

def test_live_graphs_names_the_root_and_counts_what_it_reaches():
    before = A.live_graphs()
    x, w = _leaves()
    y = (x * w).sum()
    (g,) = _new_graphs(before)
    assert isinstance(g, A.LiveGraph)
    assert g.root == "SumBackward0"
    assert (g.nodes, g.saved_tensors, g.saved_bytes) == (4, 2, 24)
    assert g.site is None  # sites are not recorded unless asked for
    assert g.idle_backward_calls == 0
    y.backward()
    (g,) = _new_graphs(before)
    assert (g.root, g.nodes, g.saved_tensors, g.saved_bytes) == ("SumBackward0", 4, 0, 0)
    del y
    assert _new_graphs(before) == []


def test_live_graphs_has_one_record_per_root_and_counts_shared_nodes_in_each():
    before = A.live_graphs()
    x, w = _leaves()
    a = x * w
    p = a + 1  # AddBackward0 -> MulBackward0 -> 2 AccumulateGrad
    q = a.sum()  # SumBackward0 -> the same MulBackward0
    graphs = _new_graphs(before)
    assert sorted((g.root, g.nodes) for g in graphs) == [("AddBackward0", 4), ("SumBackward0", 4)]
    # the intermediate `a` is reachable from both roots, so it is no root itself
    assert "MulBackward0" not in [g.root for g in graphs]
    del p, q
    (g,) = _new_graphs(before)
    assert (g.root, g.nodes) == ("MulBackward0", 3)
    del a
    assert _new_graphs(before) == []


def test_live_graphs_are_sorted_largest_first():
    before = A.live_graphs()
    x, w = _leaves()
    small = x + w  # saves nothing
    big = (fg.ones(1000, requires_grad=True) * fg.ones(1000, requires_grad=True)).sum()
    graphs = _new_graphs(before)
    assert [g.root for g in graphs] == ["SumBackward0", "AddBackward0"]
    assert graphs[0].saved_bytes == 2 * 1000 * 4
    del small, big


def test_recorded_site_is_the_line_of_the_forward_op():
    A.record_graph_sites(True)
    before = A.live_graphs()
    x, w = _leaves()
    line = inspect.currentframe().f_lineno + 1
    y = (x * w).sum()
    (g,) = _new_graphs(before)
    assert g.site == f"{THIS_FILE}:{line}"
    assert A.record_graph_sites(False) is True
    del y


# ---- the retention warning ----------------------------------------------------------------

def test_total_loss_plus_equals_loss_warns_once_naming_root_and_size():
    A.set_graph_retention_warning(3)
    x, w = _leaves()
    total_loss = 0
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        for _ in range(8):
            loss = (x * w).sum()
            loss.backward()
            total_loss += loss
    found = _retention_warnings(record)
    assert len(found) == 1, [str(w.message) for w in record]
    message = str(found[0].message)
    assert found[0].category is UserWarning
    assert "AddBackward0" in message
    assert "3 backward() calls" in message
    # At the 5th backward, loss0's nodes have sat through 3 calls unused. total_loss
    # is then ((((0 + loss0) + loss1) + loss2) + loss3): 4 AddBackward0, a
    # SumBackward0 -> MulBackward0 pair per loss, and the 2 leaves' AccumulateGrad.
    assert "keeps 14 nodes alive" in message
    assert "total_loss += loss" in message
    assert os.path.basename(found[0].filename) == "test_graph_accounting.py"
    (g,) = [g for g in A.live_graphs() if g.root == "AddBackward0"]
    assert g.idle_backward_calls == 7  # loss0's nodes, last reached by the 1st call
    assert g.nodes == 8 + 2 * 8 + 2
    assert g.site is not None and g.site.startswith(THIS_FILE + ":")
    del total_loss


def test_a_normal_training_loop_does_not_warn():
    A.set_graph_retention_warning(1)
    model = fg.nn.Linear(4, 2)
    opt = fg.optim.SGD(model.parameters(), lr=0.1)
    data = fg.ones(8, 4)
    target = fg.zeros(8, 2)
    total_loss = 0.0
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        for _ in range(10):
            opt.zero_grad()
            out = model(data)
            loss = fg.nn.functional.mse_loss(out, target)
            loss.backward()
            opt.step()
            total_loss += loss.item()
    assert _retention_warnings(record) == []
    assert total_loss > 0


def test_a_graph_reused_with_retain_graph_does_not_warn():
    A.set_graph_retention_warning(1)
    x, w = _leaves()
    y = (x * w).sum()
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        for _ in range(5):
            y.backward(retain_graph=True)
    assert _retention_warnings(record) == []
    assert x.grad.tolist() == [5.0, 5.0, 5.0]


def test_no_warning_when_off_and_warnings_as_errors_raise():
    x, w = _leaves()
    kept = [(x * w).sum()]
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        for _ in range(4):
            (x * w).sum().backward()
    assert _retention_warnings(record) == []  # off by default
    A.set_graph_retention_warning(2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="SumBackward0"):
            (x * w).sum().backward()
    del kept


def test_set_graph_retention_warning_checks_its_argument():
    with pytest.raises(ValueError):
        A.set_graph_retention_warning(-1)
    with pytest.raises(TypeError):
        A.set_graph_retention_warning("3")
    A.set_graph_retention_warning(0)  # off, as None
