"""PyTorch's view semantics after in-place writes: every other view of the written
base regenerates its history (`AsStridedBackward0` over the base's new history) on its
next use; views made in no-grad mode of a tensor that requires grad. Expected values
were recorded from PyTorch 2.13; the property test compares each program with the same
computation written without in-place writes into views."""

import random

import pytest
from backend import fg

X0 = [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]

WRITTEN_VIEWS = {
    "t": lambda b: b.t(),
    "transpose": lambda b: b.transpose(0, 1),
    "select": lambda b: b[1],
    "slice": lambda b: b[:, 1:3],
    "narrow": lambda b: b.narrow(1, 1, 2),
    "diagonal": lambda b: b.diagonal(),
    "view": lambda b: b.view(2, 6),
    "unsqueeze": lambda b: b.unsqueeze(0),
    "as_strided": lambda b: b.as_strided((2, 2), (4, 1), 1),
    "view_of_view": lambda b: b.t()[1:3][:, 0],
}

# x.grad recorded from PyTorch for `_sibling_program`.
SIBLING_GRADS = {
    't': [[153.0, 144.0, 216.0, 288.0], [2115.0, 108.0, 126.0, 144.0], [6723.0, 180.0, 198.0, 216.0]],
    'transpose': [[153.0, 144.0, 216.0, 288.0], [2115.0, 108.0, 126.0, 144.0], [6723.0, 180.0, 198.0, 216.0]],
    'select': [[9.0, 12.0, 18.0, 24.0], [2115.0, 108.0, 126.0, 144.0], [243.0, 0.0, 0.0, 0.0]],
    'slice': [[9.0, 144.0, 216.0, 24.0], [75.0, 108.0, 126.0, 0.0], [243.0, 180.0, 198.0, 0.0]],
    'narrow': [[9.0, 144.0, 216.0, 24.0], [75.0, 108.0, 126.0, 0.0], [243.0, 180.0, 198.0, 0.0]],
    'diagonal': [[153.0, 12.0, 18.0, 24.0], [75.0, 108.0, 0.0, 0.0], [243.0, 0.0, 198.0, 0.0]],
    'view': [[153.0, 144.0, 216.0, 288.0], [2115.0, 108.0, 126.0, 144.0], [6723.0, 180.0, 198.0, 216.0]],
    'unsqueeze': [[153.0, 144.0, 216.0, 288.0], [2115.0, 108.0, 126.0, 144.0], [6723.0, 180.0, 198.0, 216.0]],
    'as_strided': [[9.0, 144.0, 216.0, 24.0], [75.0, 108.0, 126.0, 0.0], [243.0, 0.0, 0.0, 0.0]],
    'view_of_view': [[9.0, 144.0, 216.0, 24.0], [75.0, 0.0, 0.0, 0.0], [243.0, 0.0, 0.0, 0.0]],
}


def _sibling_program(name):
    x = fg.tensor(X0, dtype=fg.float64, requires_grad=True)
    base = x * 1
    expanded = base[0:1].expand(3, 4)
    col = base[:, 0]
    w = WRITTEN_VIEWS[name](base)
    w.mul_(fg.full(tuple(w.shape), 3.0, dtype=fg.float64))
    names = (
        type(w.grad_fn).__name__,
        type(expanded.grad_fn).__name__,
        type(col.grad_fn).__name__,
    )
    loss = (expanded * expanded).sum() + (col**3).sum() + (w * w).sum()
    loss.backward()
    return names, x.grad.tolist()


@pytest.mark.parametrize("name", sorted(WRITTEN_VIEWS))
def test_sibling_views_see_the_write(name):
    names, grad = _sibling_program(name)
    assert names == ("AsStridedBackward0",) * 3
    assert grad == SIBLING_GRADS[name]


def test_brief_example_transposed_base():
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = (x * 1).t()
    a = y[:, 1]
    b = y[:, 0]
    assert type(b.grad_fn).__name__ == "SelectBackward0"
    a.mul_(fg.tensor([5.0, 6.0]))
    assert type(y.grad_fn).__name__ == "AsStridedBackward0"
    assert type(b.grad_fn).__name__ == "AsStridedBackward0"
    assert type(a.grad_fn).__name__ == "AsStridedBackward0"
    assert type(y.grad_fn.next_functions[0][0]).__name__ == "CopySlices"
    (y * y).sum().backward()
    assert x.grad.tolist() == [[2.0, 4.0], [150.0, 288.0]]


def test_brief_example_row_then_column():
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    base = x * 1
    v1 = base[0]
    v2 = base[:, 0]
    v1.mul_(3)
    (v2 * v2).sum().backward()
    assert x.grad.tolist() == [[18.0, 0.0], [6.0, 0.0]]


def test_write_into_the_base_itself():
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=fg.float64, requires_grad=True)
    base = x * 1
    v = base[:, 0]
    base.mul_(x)
    assert type(v.grad_fn).__name__ == "AsStridedBackward0"
    assert type(base.grad_fn).__name__ == "MulBackward0"
    assert v.grad_fn.next_functions[0][0] is base.grad_fn
    assert not v.is_leaf
    (v**3).sum().backward()
    assert x.grad.tolist() == [[6.0, 0.0], [1458.0, 0.0]]


def test_untouched_view_keeps_its_node():
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    base = x * 1
    v = base[0]
    _ = base * 2
    assert type(v.grad_fn).__name__ == "SelectBackward0"


def test_no_grad_write_still_regenerates():
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=fg.float64, requires_grad=True)
    base = x * 2
    v = base[0]
    w = base[:, 1]
    with fg.no_grad():
        v.mul_(10)
    assert type(w.grad_fn).__name__ == "AsStridedBackward0"
    assert type(v.grad_fn).__name__ == "AsStridedBackward0"
    (w * w + v).sum().backward()
    assert x.grad.tolist() == [[2.0, 162.0], [0.0, 32.0]]


def test_view_of_leaf_after_no_grad_write():
    leaf = fg.ones(2, 2, requires_grad=True)
    v = leaf[0]
    with fg.no_grad():
        leaf.mul_(2)
    assert type(v.grad_fn).__name__ == "AsStridedBackward0"
    assert type(v.grad_fn.next_functions[0][0]).__name__ == "AccumulateGrad"
    (v * v).sum().backward()
    assert leaf.grad.tolist() == [[4.0, 4.0], [0.0, 0.0]]


def test_inplace_into_view_of_leaf_still_refused():
    leaf = fg.ones(2, 2, requires_grad=True)
    v = leaf[0]
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        v.mul_(2)


def test_base_without_grad_gains_history_through_a_view():
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=fg.float64, requires_grad=True)
    b = fg.zeros(2, 2, dtype=fg.float64)
    v = b[0]
    w = b[:, 1]
    assert not w.requires_grad and w.grad_fn is None
    v.copy_(x[1])
    assert w.requires_grad
    assert type(w.grad_fn).__name__ == "AsStridedBackward0"
    assert type(b.grad_fn).__name__ == "CopySlices"
    (w * w).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0], [0.0, 8.0]]


def test_retained_grad_follows_the_new_node():
    x = fg.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=fg.float64, requires_grad=True)
    base = x * 1
    v = base[0]
    v.retain_grad()
    base[1].mul_(2)
    (v * v).sum().backward()
    assert v.grad.tolist() == [2.0, 4.0]


def test_second_derivative_through_regenerated_view():
    x = fg.tensor([1.0, 2.0, 3.0], dtype=fg.float64, requires_grad=True)
    base = x * x
    v = base[:2]
    w = base[1:]
    v.mul_(x[:2])
    (g,) = fg.autograd.grad((w * w).sum(), x, create_graph=True)
    assert g.tolist() == [0.0, 192.0, 108.0]
    assert type(g.grad_fn).__name__ == "AddBackward0"
    (gg,) = fg.autograd.grad(g.sum(), x)
    assert gg.tolist() == [0.0, 480.0, 108.0]


def test_autograd_grad_wrt_a_stale_view():
    x = fg.tensor([1.0, 2.0, 3.0], dtype=fg.float64, requires_grad=True)
    base = x * 1
    v = base[1:]
    base[0].mul_(5)
    loss = (v * 2).sum()
    (g,) = fg.autograd.grad(loss, v)
    assert g.tolist() == [2.0, 2.0]


def test_gradcheck_sibling_view():
    def f(x, s):
        base = x * 1
        col = base[:, 0]
        base[1].mul_(s)
        return (col * col).sum() + base.sum()

    x = fg.randn(3, 2, dtype=fg.float64, requires_grad=True)
    s = fg.randn(2, dtype=fg.float64, requires_grad=True)
    assert fg.autograd.gradcheck(f, (x, s))
    assert fg.autograd.gradgradcheck(f, (x, s))


def test_multi_output_view_after_base_write():
    x = fg.ones(2, 2, requires_grad=True)
    base = x * 1
    a, _ = base.unbind(0)
    base.add_(1)
    msg = (
        "Output 0 of Unbind is a view and its base or another view of its base has been "
        "modified inplace. This view is the output of a function that returns multiple views."
    )
    with pytest.raises(RuntimeError, match=msg):
        _ = a.grad_fn
    with pytest.raises(RuntimeError, match=msg):
        _ = a.is_leaf


# ---- views made under no_grad -------------------------------------------------------

NO_GRAD_INDIRECT = (
    "A view was created in no_grad mode and its base or another view of its base has "
    "been modified inplace with grad mode enabled."
)
NO_GRAD_DIRECT = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled."
)


def test_no_grad_view_reads_like_torch():
    leaf = fg.ones(2, 2, requires_grad=True)
    with fg.no_grad():
        w = leaf[0]
    assert w.requires_grad is True
    assert w.is_leaf is True
    assert w.grad_fn is None


def test_op_on_no_grad_view_records_without_edge():
    leaf = fg.ones(2, 2, requires_grad=True)
    with fg.no_grad():
        w = leaf[0]
    z = w * 2
    assert z.requires_grad
    assert type(z.grad_fn).__name__ == "MulBackward0"
    assert z.grad_fn.next_functions == ((None, 0), (None, 0))
    z.sum().backward()
    assert leaf.grad is None


def test_no_grad_view_in_a_mixed_expression():
    leaf = fg.ones(2, 2, requires_grad=True)
    with fg.no_grad():
        w = leaf[0]
    (w * leaf[1]).sum().backward()
    assert leaf.grad.tolist() == [[0.0, 0.0], [1.0, 1.0]]


def test_view_of_no_grad_view():
    leaf = fg.ones(2, 2, requires_grad=True)
    with fg.no_grad():
        w = leaf[0]
    u = w[1:]
    assert u.requires_grad and not u.is_leaf
    assert type(u.grad_fn).__name__ == "SliceBackward0"
    assert u.grad_fn.next_functions == ((None, 0),)
    with pytest.raises(RuntimeError, match="Output 0 of Slice is a view of a view which was created in no_grad mode and is being modified inplace"):
        u.mul_(2)


def test_no_grad_view_of_non_leaf():
    leaf = fg.ones(2, 2, requires_grad=True)
    base = leaf * 1
    v = base[0]
    with fg.no_grad():
        vv = v[1:]
    assert vv.requires_grad and vv.is_leaf and vv.grad_fn is None
    with pytest.raises(RuntimeError, match=NO_GRAD_DIRECT):
        vv.mul_(2)


def test_no_grad_view_inplace_refused():
    leaf = fg.ones(2, 2, requires_grad=True)
    with fg.no_grad():
        w = leaf[0]
    with pytest.raises(RuntimeError, match=NO_GRAD_DIRECT):
        w.mul_(2)


@pytest.mark.parametrize("write_mode", ["grad", "no_grad"])
def test_no_grad_view_after_base_write(write_mode):
    leaf = fg.ones(2, 2, requires_grad=True)
    base = leaf * 1
    with fg.no_grad():
        w = base[0]
    if write_mode == "grad":
        base.mul_(2)
    else:
        with fg.no_grad():
            base.mul_(2)
    assert w.requires_grad
    with pytest.raises(RuntimeError, match=NO_GRAD_INDIRECT):
        _ = w.grad_fn
    with pytest.raises(RuntimeError, match=NO_GRAD_INDIRECT):
        _ = w.is_leaf
    with fg.no_grad(), pytest.raises(RuntimeError, match=NO_GRAD_INDIRECT):
        _ = w.grad_fn


def test_ops_refuse_a_no_grad_view_after_base_write():
    leaf = fg.ones(2, 2, requires_grad=True)
    base = leaf * 1
    with fg.no_grad():
        w = base[0]
    base.mul_(2)
    for use in (lambda: w * 2, lambda: w.sum(), lambda: w + base[1], lambda: w.clone()):
        with pytest.raises(RuntimeError, match=NO_GRAD_INDIRECT):
            use()
    assert w.detach().tolist() == [2.0, 2.0]
    assert repr(w) == "tensor([2., 2.], grad_fn=<Invalid>)"
    with fg.no_grad():
        assert (w * 2).tolist() == [4.0, 4.0]


def test_multi_output_view_refused_in_an_op_after_base_write():
    x = fg.ones(2, 2, requires_grad=True)
    base = x * 1
    a, _ = base.unbind(0)
    base.add_(1)
    with pytest.raises(RuntimeError, match="Output 0 of Unbind is a view and its base or another view"):
        _ = a * 2


def test_no_grad_view_of_base_without_grad():
    b = fg.zeros(3)
    with fg.no_grad():
        v = b[0]
    b.add_(1)
    assert v.grad_fn is None and not v.requires_grad and v.is_leaf


def test_view_requires_grad_follows_base():
    b = fg.zeros(3)
    v = b[0]
    b.requires_grad_()
    assert v.requires_grad and v.grad_fn is None and v.is_leaf


# ---- property test: random programs vs the same program without in-place views ------

SHAPE = (3, 4)
PROPERTY_VIEWS = [
    lambda b: b[0],
    lambda b: b[:, 1],
    lambda b: b.t(),
    lambda b: b.t()[1:3],
    lambda b: b.diagonal(),
    lambda b: b.narrow(1, 1, 2),
    lambda b: b.view(12)[2:9:3],
    lambda b: b.unsqueeze(0)[0, 1],
    lambda b: b.as_strided((2, 2), (4, 1), 1),
    lambda b: b.transpose(0, 1)[2],
    lambda b: b[1:, ::2],
]
OPS = ["mul_", "add_", "copy_", "setitem"]


def _random_program(rng):
    steps = []
    for _ in range(rng.randint(1, 5)):
        steps.append((rng.randrange(len(PROPERTY_VIEWS)), rng.choice(OPS), rng.uniform(-2, 2)))
    reads = rng.sample(range(len(PROPERTY_VIEWS)), 3)
    made_early = rng.sample(range(len(PROPERTY_VIEWS)), 4)
    return steps, reads, made_early


def _operand(x, view, c):
    # A value depending on x, shaped like the view.
    return x.sum() * c + fg.zeros(tuple(view.shape), dtype=fg.float64)


def _apply(op, view, x, c):
    if op == "mul_":
        view.mul_(_operand(x, view, c))
    elif op == "add_":
        view.add_(_operand(x, view, c))
    elif op == "copy_":
        view.copy_(_operand(x, view, c))
    else:
        view[...] = _operand(x, view, c)


def _value(op, old, x, c):
    if op == "mul_":
        return old * _operand(x, old, c)
    if op == "add_":
        return old + _operand(x, old, c)
    return _operand(x, old, c)


def _loss(base, views):
    total = (base * base).sum()
    for i, v in enumerate(views):
        total = total + ((v * (i + 1.5)) ** 2).sum()
    return total


def _run_inplace(x, steps, reads, made_early):
    base = x * 1.0
    early = {i: PROPERTY_VIEWS[i](base) for i in made_early}
    for vi, op, c in steps:
        _apply(op, early.get(vi, PROPERTY_VIEWS[vi](base)), x, c)
    views = [early.get(i, PROPERTY_VIEWS[i](base)) for i in reads]
    _loss(base, views).backward()


def _run_functional(x, steps, reads):
    base = (x * 1.0).reshape(-1)
    where = fg.arange(12).reshape(SHAPE)
    for vi, op, c in steps:
        pos = PROPERTY_VIEWS[vi](where).reshape(-1)
        old = fg.gather(base, 0, pos)
        new = _value(op, old, x, c).reshape(-1)
        mask = fg.zeros(12, dtype=fg.bool)
        mask[pos] = True
        base = fg.where(mask, fg.zeros(12, dtype=fg.float64).scatter(0, pos, new), base)
    views = [fg.gather(base, 0, PROPERTY_VIEWS[i](where).reshape(-1)) for i in reads]
    _loss(base.reshape(SHAPE), views).backward()


@pytest.mark.parametrize("seed", range(60))
def test_random_inplace_programs_match_functional_replay(seed):
    rng = random.Random(seed)
    steps, reads, made_early = _random_program(rng)
    init = [[rng.uniform(-1, 1) for _ in range(SHAPE[1])] for _ in range(SHAPE[0])]
    x1 = fg.tensor(init, dtype=fg.float64, requires_grad=True)
    x2 = fg.tensor(init, dtype=fg.float64, requires_grad=True)
    _run_inplace(x1, steps, reads, made_early)
    _run_functional(x2, steps, reads)
    assert fg.allclose(x1.grad, x2.grad, rtol=1e-10, atol=1e-10), (steps, reads)
