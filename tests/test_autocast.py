"""CPU autocast and GradScaler (`ferrograd.amp`), as PyTorch 2.13's CPU build behaves
(dtypes, node names and warnings observed there)."""

import warnings

import ferrograd as fg
import numpy as np
import pytest

F = fg.nn.functional


def operands():
    x = fg.ones(2, 3)
    w = fg.ones(4, 3, requires_grad=True)
    b = fg.zeros(4, requires_grad=True)
    return x, w, b


def test_state_functions_inside_and_outside():
    assert fg.get_autocast_dtype("cpu") is fg.bfloat16
    assert not fg.is_autocast_enabled("cpu") and not fg.is_autocast_enabled()
    with fg.autocast("cpu"):
        assert fg.is_autocast_enabled("cpu") and fg.get_autocast_dtype("cpu") is fg.bfloat16
        with pytest.warns(DeprecationWarning, match="is_autocast_cpu_enabled"):
            assert fg.is_autocast_cpu_enabled()
    assert not fg.is_autocast_enabled("cpu")
    assert fg.amp.is_autocast_available("cpu")


def test_products_and_convolutions_run_in_bfloat16():
    x, w, b = operands()
    with fg.autocast("cpu"):
        y = F.linear(x, w, b)
        assert y.dtype is fg.bfloat16 and type(y.grad_fn).__name__ == "AddmmBackward0"
        names = [type(n).__name__ if n is not None else None for n, _ in y.grad_fn.next_functions]
        assert names == ["ToCopyBackward0", None, "TBackward0"]
        assert type(y.grad_fn.next_functions[2][0].next_functions[0][0]).__name__ == "ToCopyBackward0"
        assert (x @ w.t()).dtype is fg.bfloat16
        assert fg.mm(x, w.t()).dtype is fg.bfloat16 and fg.bmm(x[None], w.t()[None]).dtype is fg.bfloat16
        assert fg.addmm(fg.zeros(2, 4), x, w.t()).dtype is fg.bfloat16
        assert fg.einsum("ij,kj->ik", x, w).dtype is fg.bfloat16
        assert F.conv2d(fg.ones(1, 1, 3, 3), fg.ones(1, 1, 2, 2)).dtype is fg.bfloat16
        # outside PyTorch's lower-precision list, and float64, stay as they are
        assert fg.mv(w, fg.ones(3)).dtype is fg.float32 and fg.dot(fg.ones(3), fg.ones(3)).dtype is fg.float32
        assert (x.double() @ w.t().double()).dtype is fg.float64
        assert y.relu().dtype is fg.bfloat16 and y.softmax(-1).dtype is fg.bfloat16 and y.sum().dtype is fg.bfloat16
    np.testing.assert_allclose(y.detach().float().numpy(), np.full((2, 4), 3.0))


def test_losses_run_in_float32_and_gradients_reach_float32_parameters():
    x, w, b = operands()
    with fg.autocast("cpu"):
        y = F.linear(x, w, b)
        loss = F.mse_loss(y, fg.zeros(2, 4))
        assert loss.dtype is fg.float32 and type(loss.grad_fn).__name__ == "MseLossBackward0"
        assert F.cross_entropy(y, fg.tensor([0, 1])).dtype is fg.float32
    loss.backward()
    assert w.grad.dtype is fg.float32 and b.grad.dtype is fg.float32
    # y = 3 everywhere; d mean(y^2) / dy = 2 * 3 / 8 = 0.75, summed over the 2 rows (x = 1)
    np.testing.assert_allclose(w.grad.numpy(), np.full((4, 3), 1.5))
    np.testing.assert_allclose(b.grad.numpy(), np.full(4, 1.5))


def test_nesting_disabling_and_float16():
    x, w, _ = operands()
    with fg.autocast("cpu"):
        with fg.autocast("cpu", enabled=False):
            assert (x @ w.t()).dtype is fg.float32 and not fg.is_autocast_enabled("cpu")
        with fg.autocast("cpu", dtype=fg.float16):
            assert (x @ w.t()).dtype is fg.float16 and fg.get_autocast_dtype("cpu") is fg.float16
        assert fg.get_autocast_dtype("cpu") is fg.bfloat16 and (x @ w.t()).dtype is fg.bfloat16


def test_unsupported_dtype_or_device_warns_and_disables():
    x, w, _ = operands()
    with pytest.warns(UserWarning, match="CPU Autocast only supports dtypes of"), \
            fg.autocast("cpu", dtype=fg.float32):
        assert (x @ w.t()).dtype is fg.float32 and not fg.is_autocast_enabled("cpu")
    with pytest.warns(UserWarning, match="CUDA is not available"), fg.autocast("cuda"):
        assert (x @ w.t()).dtype is fg.float32
    with pytest.raises(RuntimeError, match="device type at start of device string: foo"):
        fg.autocast("foo")
    with pytest.raises(ValueError, match="Expected `device_type` of type `str`"):
        fg.autocast(1)


def test_decorator_and_deprecated_cpu_spelling():
    x, w, _ = operands()

    @fg.autocast("cpu")
    def product(a, b):
        return a @ b.t()

    assert product(x, w).dtype is fg.bfloat16 and not fg.is_autocast_enabled("cpu")
    with pytest.warns(FutureWarning, match="torch.cpu.amp.autocast"):
        ctx = fg.cpu.amp.autocast()
    with ctx:
        assert (x @ w.t()).dtype is fg.bfloat16


def test_autocast_is_per_thread():
    import threading

    seen = []
    with fg.autocast("cpu"):
        t = threading.Thread(target=lambda: seen.append((fg.ones(2, 2) @ fg.ones(2, 2)).dtype))
        t.start()
        t.join()
    assert seen == [fg.float32]


def sgd_setup():
    p = fg.tensor([1.0, 2.0], requires_grad=True)
    return p, fg.optim.SGD([p], lr=0.1)


def test_grad_scaler_scales_unscales_and_steps():
    p, opt = sgd_setup()
    scaler = fg.amp.GradScaler("cpu", init_scale=8.0, growth_interval=2)
    loss = (p * p).sum()
    scaled = scaler.scale(loss)
    assert scaled.item() == 40.0
    scaled.backward()
    assert p.grad.tolist() == [16.0, 32.0]
    scaler.step(opt)
    assert p.grad.tolist() == [2.0, 4.0]
    np.testing.assert_allclose(p.detach().numpy(), [0.8, 1.6], rtol=1e-6)
    scaler.update()
    assert scaler.get_scale() == 8.0
    opt.zero_grad()
    scaler.scale((p * p).sum()).backward()
    scaler.step(opt)
    scaler.update()
    assert scaler.get_scale() == 16.0  # grown after growth_interval clean steps
    assert scaler.state_dict() == {"scale": 16.0, "growth_factor": 2.0, "backoff_factor": 0.5,
                                   "growth_interval": 2, "_growth_tracker": 0}


def test_grad_scaler_skips_a_step_with_inf_and_backs_off():
    p, opt = sgd_setup()
    scaler = fg.amp.GradScaler("cpu", init_scale=4.0)
    with pytest.raises(AssertionError, match="Attempted update but _scale is None"):
        scaler.update()
    scaler.scale(p * float("inf")).sum().backward()
    assert scaler.step(opt) is None
    assert p.detach().tolist() == [1.0, 2.0]
    scaler.update()
    assert scaler.get_scale() == 2.0
    scaler.scale(p.sum())
    scaler.unscale_(opt)
    with pytest.raises(RuntimeError, match="unscale_\\(\\) has already been called"):
        scaler.unscale_(opt)


def test_grad_scaler_for_another_device_is_disabled():
    with pytest.warns(UserWarning, match="GradScaler is enabled, but CUDA is not available"):
        scaler = fg.amp.GradScaler()
    assert not scaler.is_enabled() and scaler.get_scale() == 1.0
    loss = fg.tensor(2.0)
    assert scaler.scale(loss) is loss
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fg.amp.GradScaler("cpu").is_enabled()


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_half_precision_convolutions_compute_in_float32(dtype):
    dt = getattr(fg, dtype)
    rng = np.random.default_rng(0)
    x32 = fg.tensor(rng.standard_normal((1, 2, 4, 4)), dtype=fg.float32).to(dt).float()
    w32 = fg.tensor(rng.standard_normal((3, 2, 2, 2)), dtype=fg.float32).to(dt).float()
    x, w = x32.to(dt).requires_grad_(), w32.to(dt).requires_grad_()
    y = F.conv2d(x, w)
    assert y.dtype is dt
    want = F.conv2d(x32, w32).to(dt).float()  # float32 products rounded once
    np.testing.assert_array_equal(y.detach().float().numpy(), want.numpy())
    y.sum().backward()
    assert x.grad.dtype is dt and w.grad.dtype is dt
    assert F.conv_transpose2d(y.detach(), w.detach()).dtype is dt
