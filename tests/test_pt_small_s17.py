"""Small PyTorch behaviours (torch 2.13's, written in): out-of-range index messages name
the position in the index, a tuple inside an index tuple indexes like a list, Python's
number types as dtypes of the samplers, `p.grad.data = x` changes `p.grad`, `sum`/`prod`
with out= but no dim, and `F.batch_norm` of a non-tensor in training."""

from __future__ import annotations

import re

import pytest
from backend import MOD, fg

# (index, PyTorch's message), on zeros(2, 3) ("x") or zeros(2, 3, 4) ("y")
OUT_OF_RANGE = [
    ("x", (0, 5), "index 5 is out of bounds for dimension 1 with size 3"),
    ("x", 5, "index 5 is out of bounds for dimension 0 with size 2"),
    ("x", (5, 0), "index 5 is out of bounds for dimension 0 with size 2"),
    ("x", (0, -4), "index -4 is out of bounds for dimension 1 with size 3"),
    ("x", (None, 0, 5), "index 5 is out of bounds for dimension 2 with size 3"),
    ("x", (Ellipsis, 5), "index 5 is out of bounds for dimension 1 with size 3"),
    ("x", (slice(None), 5), "index 5 is out of bounds for dimension 1 with size 3"),
    ("x", -3, "index -3 is out of bounds for dimension 0 with size 2"),
    ("y", (Ellipsis, 9), "index 9 is out of bounds for dimension 1 with size 4"),
    ("y", (Ellipsis, 0, 9), "index 9 is out of bounds for dimension 2 with size 4"),
    ("y", (0, Ellipsis, 9), "index 9 is out of bounds for dimension 2 with size 4"),
    ("y", (slice(None), slice(None), 9), "index 9 is out of bounds for dimension 2 with size 4"),
    ("y", (None, None, 0, 0, 9), "index 9 is out of bounds for dimension 4 with size 4"),
    ("y", (1, None, 5), "index 5 is out of bounds for dimension 2 with size 3"),
    ("y", (5,), "index 5 is out of bounds for dimension 0 with size 2"),
]

SHAPES = {"x": (2, 3), "y": (2, 3, 4)}


@pytest.mark.parametrize("which,index,message", OUT_OF_RANGE)
def test_an_out_of_range_index_names_its_position_in_the_index(which, index, message):
    t = fg.zeros(*SHAPES[which])
    with pytest.raises(IndexError) as caught:
        t[index]
    assert str(caught.value) == message


@pytest.mark.parametrize("which,index,message", OUT_OF_RANGE)
def test_an_out_of_range_setitem_index_names_its_position(which, index, message):
    t = fg.zeros(*SHAPES[which])
    with pytest.raises(IndexError) as caught:
        t[index] = 1.0
    assert str(caught.value) == message
    assert t.abs().sum().item() == 0.0


@pytest.mark.parametrize("index,shape,values", [
    ((0, (1,)), [1], [1]),
    ((0, (1, 2)), [2], [1, 2]),
    (((0, 1), (1, 2)), [2], [1, 5]),
    ((0, ()), [0], []),
    (((0, 1),), [2, 3], [[0, 1, 2], [3, 4, 5]]),
    ((0, (1,), None), [1, 1], [[1]]),
])
def test_a_tuple_inside_an_index_tuple_indexes_as_a_list(index, shape, values):
    x = fg.arange(6).reshape(2, 3)
    out = x[index]
    assert list(out.shape) == shape
    assert out.tolist() == values


def test_a_tuple_inside_an_index_tuple_writes_as_a_list():
    z = fg.zeros(2, 3)
    z[(0, (1, 2))] = 5
    assert z.tolist() == [[0.0, 5.0, 5.0], [0.0, 0.0, 0.0]]


@pytest.mark.parametrize("draw", ["rand", "randn"])
@pytest.mark.parametrize("python_type,dtype", [(float, "float64"), (complex, "complex128")])
def test_samplers_read_python_number_types_as_dtypes(draw, python_type, dtype):
    assert getattr(fg, draw)(2, dtype=python_type).dtype == getattr(fg, dtype)
    assert getattr(fg, f"{draw}_like")(fg.ones(2), dtype=python_type).dtype == getattr(fg, dtype)


@pytest.mark.parametrize("draw,kernel", [("rand", "check_uniform_bounds"), ("randn", "normal_kernel_cpu")])
@pytest.mark.parametrize("python_type,name", [(int, "Long"), (bool, "Bool")])
def test_samplers_refuse_integral_python_types_as_pytorch_does(draw, kernel, python_type, name):
    with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for \'{name}\''):
        getattr(fg, draw)(2, dtype=python_type)


@pytest.mark.parametrize("python_type,dtype", [(float, "float64"), (int, "int64"), (complex, "complex128"),
                                               (bool, "bool")])
def test_python_number_types_as_dtypes(python_type, dtype):
    assert fg.empty_strided((2,), (1,), dtype=python_type).dtype == getattr(fg, dtype)
    assert fg.ones(2, 2).sum(dtype=python_type).dtype == getattr(fg, dtype)
    assert fg.zeros(2, dtype=python_type).dtype == getattr(fg, dtype)


@pytest.mark.parametrize("python_type,dtype", [(float, "float64"), (int, "int64")])
def test_randint_reads_python_number_types_as_dtypes(python_type, dtype):
    assert fg.randint(0, 3, (2,), dtype=python_type).dtype == getattr(fg, dtype)
    assert fg.randint_like(fg.ones(2), 3, dtype=python_type).dtype == getattr(fg, dtype)


def test_randint_refuses_a_complex_dtype():
    message = "check_random_bounds handles only integral, floating-point and boolean types"
    with pytest.raises(RuntimeError, match=message):
        fg.randint(0, 3, (2,), dtype=complex)
    with pytest.raises(RuntimeError, match=message):
        fg.zeros(2, dtype=fg.complex128).random_(0, 3)


def test_complex_as_a_dtype_of_reductions():
    x = fg.ones(2, 2)
    assert x.sum(dtype=complex).dtype == fg.complex128
    assert x.prod(dtype=complex).dtype == fg.complex128
    assert x.mean(dtype=complex).dtype == fg.complex128


def _leaf_with_grad():
    p = fg.ones(2, requires_grad=True)
    (p * 3).sum().backward()
    return p


def test_setting_the_data_of_a_grad_changes_the_grad():
    p = _leaf_with_grad()
    g = p.grad
    p.grad.data = fg.full((2,), 7.0)
    assert p.grad.tolist() == [7.0, 7.0]
    assert g.tolist() == [7.0, 7.0]
    assert p.grad is g


def test_setting_the_data_of_a_grad_may_change_its_shape():
    p = _leaf_with_grad()
    p.grad.data = fg.zeros(3)
    assert list(p.grad.shape) == [3]


def test_backward_accumulates_into_the_new_data_of_a_grad():
    q = fg.ones(2, requires_grad=True)
    (q * 2).sum().backward()
    gq = q.grad
    gq.data = fg.tensor([5.0, 6.0])
    assert q.grad.tolist() == [5.0, 6.0]
    (q * 2).sum().backward()
    assert q.grad.tolist() == [7.0, 8.0]
    assert gq.tolist() == [7.0, 8.0]


def test_setting_the_data_of_an_assigned_grad_changes_the_grad():
    p = fg.ones(2, requires_grad=True)
    g = fg.zeros(2)
    p.grad = g
    g.data = fg.full((2,), 4.0)
    assert p.grad.tolist() == [4.0, 4.0]


def test_an_in_place_view_op_on_a_grad_changes_the_grad():
    p = fg.ones(2, 2, requires_grad=True)
    (p * fg.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    g = p.grad
    g.t_()
    assert p.grad.tolist() == [[1.0, 3.0], [2.0, 4.0]]
    g.unsqueeze_(0)
    assert list(p.grad.shape) == [1, 2, 2]


def _signatures(dim_type: str) -> str:
    return (f" * (Tensor input, *, {MOD}.dtype dtype = None)\n"
            f" * (Tensor input, {dim_type} dim, bool keepdim = False, *, {MOD}.dtype dtype = None, "
            "Tensor out = None)\n")


@pytest.mark.parametrize("name,dim_type", [("sum", "tuple of ints"), ("prod", "int")])
def test_a_full_reduction_takes_no_out(name, dim_type):
    x, o = fg.ones(2, 3), fg.zeros(())
    with pytest.raises(TypeError) as caught:
        getattr(fg, name)(x, out=o)
    assert str(caught.value) == (f"{name}() received an invalid combination of arguments - got (Tensor, out=Tensor), "
                                 "but expected one of:\n" + _signatures(dim_type))
    with pytest.raises(TypeError, match=re.escape(f'{name}() missing 1 required positional arguments: "dim"')):
        getattr(fg, name)(x, dtype=fg.float32, out=o)
    assert o.item() == 0.0


def test_a_reduction_over_a_dim_still_writes_out():
    o = fg.zeros(3)
    assert fg.sum(fg.ones(2, 3), 0, out=o) is o
    assert o.tolist() == [2.0, 2.0, 2.0]


def test_batch_norm_of_a_non_tensor_in_training_fails_on_its_size():
    F = fg.nn.functional
    with pytest.raises(AttributeError, match="'NoneType' object has no attribute 'size'") as caught:
        F.batch_norm(None, None, None, training=True)
    assert type(caught.value) is AttributeError
    with pytest.raises(TypeError, match="batch_norm\\(\\): argument 'input' \\(position 1\\) must be Tensor, "
                                        "not NoneType"):
        F.batch_norm(None, fg.zeros(3), fg.ones(3))
