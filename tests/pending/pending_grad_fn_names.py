# Moved from tests/test_grad_fn_names.py: behaviour not implemented yet (see tests/pending/README.md).

def test_floor_divide_records_a_not_implemented_node():
    # floor_divide has no derivative: PyTorch still tracks the result, with a node
    # named NotImplemented whose backward raises
    ns = make_inputs()
    for expr in ["x // 2", "x // y", "fg.floor_divide(x, y)"]:
        out = eval(expr, ns)
        assert out.requires_grad
        assert node_name(out.grad_fn) == "NotImplemented"
        with pytest.raises(RuntimeError, match="floor_divide is not implemented"):
            out.sum().backward()
