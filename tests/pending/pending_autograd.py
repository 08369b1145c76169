# Moved from tests/test_autograd.py: behaviour not implemented yet (see tests/pending/README.md).

def test_in_place_on_a_view_updates_the_base_and_its_graph():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    m = x * 1
    m[0].mul_(10)  # in place through a view of m
    assert m.tolist() == [[10.0, 20.0], [3.0, 4.0]]
    m.sum().backward()
    assert x.grad.tolist() == [[10.0, 10.0], [1.0, 1.0]]


def test_next_functions_structure():
    x = leaf([1.0, 2.0])
    c = fg.ones(2)
    y = x + 2
    nf = y.grad_fn.next_functions
    assert isinstance(nf, tuple)
    assert len(nf) == 2
    assert all(isinstance(e, tuple) and len(e) == 2 for e in nf)
    acc, idx = nf[0]
    assert node_name(acc) == "AccumulateGrad"
    assert idx == 0
    assert nf[1] == (None, 0)  # the constant 2 has no node
    assert acc.next_functions == ()
    assert acc.variable is x

    nf = (c + x).grad_fn.next_functions
    assert nf[0] == (None, 0)
    assert node_name(nf[1][0]) == "AccumulateGrad"

    z = (x * 2) + x
    (n0, i0), (n1, i1) = z.grad_fn.next_functions
    assert n0.name() == "MulBackward0" and i0 == 0
    assert node_name(n1) == "AccumulateGrad" and i1 == 0
    assert n0.next_functions[0][0] is n1  # one accumulator per leaf

    s = x.sum()
    assert len(s.grad_fn.next_functions) == 1
    assert s.grad_fn.next_functions[0][0] is n1
