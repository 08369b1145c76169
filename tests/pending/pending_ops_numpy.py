# Moved from tests/test_ops_numpy.py: behaviour not implemented yet (see tests/pending/README.md).

@SETTINGS
@given(dtype=float_dtypes, shape=shapes, data=st.data())
def test_clamp_with_tensor_bounds(dtype, shape, data):
    x = data.draw(arrays(dtype, shape, "moderate"), label="x")
    lo = data.draw(arrays(dtype, shape, "finite"), label="lo")
    out = to_fg(x).clamp(min=to_fg(lo))
    with np.errstate(all="ignore"):
        assert_close(fg_result(out, dtype), np.maximum(x, lo), dtype)


@SETTINGS
@given(
    name=st.sampled_from(sorted(MINMAX)),
    dtype=dtypes,
    shape=shapes,
    keepdim=st.booleans(),
    data=st.data(),
)
def test_amax_amin(name, dtype, shape, keepdim, data):
    x = data.draw(arrays(dtype, shape), label="x")
    dim = data.draw(reduction_dims(len(shape)), label="dim")
    t = to_fg(x)
    if (dim is None and x.size == 0) or reduced_is_empty(x, dim):
        # no identity to start from: PyTorch raises (IndexError for an empty dim)
        with pytest.raises((IndexError, RuntimeError)):
            call_reduction(t, name, dim, keepdim)
        return
    out = call_reduction(t, name, dim, keepdim)
    expected = reduce_np(MINMAX[name], x, dim, keepdim)  # NaN propagates in both
    assert_close(fg_result(out, dtype), expected, dtype, rtol=0.0, atol=0.0)


def test_reductions_of_empty_tensors():
    e = fg.ones(0, 3)
    assert e.sum().item() == 0.0
    assert e.prod().item() == 1.0
    assert math.isnan(e.mean().item())
    assert e.all().item() is True
    assert e.any().item() is False
    assert e.norm().item() == 0.0
    assert e.sum(0).tolist() == [0.0, 0.0, 0.0]
    assert e.amax(1).shape == (0,)
    with pytest.raises(RuntimeError):
        e.amax()
    with pytest.raises(IndexError):
        e.amax(0)
