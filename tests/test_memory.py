"""Graphs are freed when nobody holds them: the arena's counters return to zero and its
slots are reused, so memory returns to its baseline after each step."""

import gc

from backend import IS_TORCH, fg


def tour_step():
    x = fg.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    out.backward()
    return x.grad


def stats():
    return fg.autograd.graph_stats()


def test_a_finished_step_leaves_no_live_node():
    if IS_TORCH:  # graph_stats is ferrograd's own
        return
    gc.collect()
    before = stats()
    for _ in range(2000):
        tour_step()
    after = stats()
    assert after["live_nodes"] == before["live_nodes"]
    assert after["saved_tensors"] == before["saved_tensors"] == 0
    # slots are reused rather than grown step after step
    assert after["arena_slots"] <= before["arena_slots"] + 16


def test_a_graph_held_by_its_output_lives_until_the_output_goes():
    if IS_TORCH:
        return
    base = stats()["live_nodes"]
    x = fg.ones(3, requires_grad=True)
    y = (x * 2).exp().sum()
    assert stats()["live_nodes"] == base + 4  # Mul, Exp, Sum and x's AccumulateGrad
    assert stats()["saved_bytes"] > 0
    del y
    assert stats()["live_nodes"] == base
    assert stats()["saved_bytes"] == 0


def test_backward_without_retain_graph_frees_saved_tensors_at_once():
    if IS_TORCH:
        return
    x = fg.ones(100, requires_grad=True)
    y = (x * x).sum()
    assert stats()["saved_tensors"] >= 2
    y.backward()
    assert stats()["saved_tensors"] == 0
    assert x.grad.tolist() == [2.0] * 100
