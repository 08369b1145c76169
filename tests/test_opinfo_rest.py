"""Regressions from PyTorch's OpInfo samples left after session 14 (issue 3): second-order
gradients, reflected subtraction, deprecation warnings and out= forms. Each expected
value, grad_fn name, warning and exception type was observed from PyTorch 2.13; the
file also runs against PyTorch with FG_TEST_BACKEND=torch."""

import warnings

import numpy as np
import pytest
from backend import fg as torch

F = torch.nn.functional


def _f64(values, requires_grad=False):
    return torch.tensor(values, dtype=torch.float64, requires_grad=requires_grad)


def _second_order(fn, x, w1, w2):
    """(first-order gradient under create_graph, gradient of its weighted sum)."""
    y = fn(x)
    (g,) = torch.autograd.grad(y, x, w1, create_graph=True)
    (gg,) = torch.autograd.grad(g, x, w2)
    return g, gg


# ---- cumprod with zeros: the double backward is differentiable -------------------------


def test_cumprod_second_order_with_a_zero():
    x = _f64([2.0, 0.0, 3.0, -1.5], requires_grad=True)
    g, gg = _second_order(lambda t: torch.cumprod(t, 0), x, _f64([1.0, 0.5, -2.0, 0.25]),
                          _f64([1.0, -1.0, 0.5, 2.0]))
    assert g.tolist() == [1.0, -13.25, 0.0, 0.0]
    assert g.requires_grad
    assert gg.tolist() == [6.625, -6.0, 4.75, -1.5]


def test_cumprod_second_order_with_zeros_along_dim_1():
    x = _f64([[0.0, 2.0, 0.0], [1.5, -1.0, 2.0]], requires_grad=True)
    y = torch.cumprod(x, 1)
    (g,) = torch.autograd.grad(y, x, torch.ones_like(y), create_graph=True)
    assert g.tolist() == [[3.0, 0.0, 0.0], [-2.0, 4.5, -1.5]]
    (gg,) = torch.autograd.grad(g.sum(), x)
    assert gg.tolist() == [[3.0, 1.0, 2.0], [2.0, 4.5, 0.5]]


# ---- piecewise ops: their backward is recorded under create_graph ----------------------


def test_remainder_gradient_of_other_is_differentiable():
    a = _f64([5.5, -3.25, 7.0], requires_grad=True)
    b = _f64([2.0, 1.5, -2.5], requires_grad=True)
    r = torch.remainder(a, b)
    _, gb = torch.autograd.grad(r, (a, b), torch.ones(3, dtype=torch.float64), create_graph=True)
    assert gb.tolist() == [-2.0, 3.0, 3.0]
    assert gb.requires_grad and type(gb.grad_fn).__name__ == "MulBackward0"
    second = torch.autograd.grad(gb.sum(), (a, b), allow_unused=True)
    assert [s.tolist() for s in second] == [[0.0, 0.0, 0.0]] * 2


def test_fmod_gradient_of_other_is_differentiable():
    a = _f64([5.5, -3.25, 7.0], requires_grad=True)
    b = _f64([2.0, 1.5, -2.5], requires_grad=True)
    _, gb = torch.autograd.grad(torch.fmod(a, b), (a, b), torch.ones(3, dtype=torch.float64),
                                create_graph=True)
    assert gb.tolist() == [-2.0, 2.0, 2.0]
    assert gb.requires_grad


def _fractional_input():
    x = torch.arange(16.0, dtype=torch.float64).reshape(1, 1, 4, 4)
    x[0, 0, 1, 1] = 20.0
    return x.requires_grad_()


def test_fractional_max_pool2d_backward_is_recorded():
    x = _fractional_input()
    samples = _f64([[[0.3, 0.7]]])
    y, idx = F.fractional_max_pool2d(x, 2, output_size=2, return_indices=True, _random_samples=samples)
    assert y.tolist() == [[[[20.0, 7.0], [13.0, 15.0]]]]
    assert idx.tolist() == [[[[5, 7], [13, 15]]]]
    assert type(y.grad_fn).__name__ == "FractionalMaxPool2DBackward0"
    go = _f64([[[[1.0, 2.0], [3.0, 4.0]]]], requires_grad=True)
    (g,) = torch.autograd.grad(y, x, go, create_graph=True)
    assert g.tolist() == [[[[0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 2.0],
                            [0.0, 0.0, 0.0, 0.0], [0.0, 3.0, 0.0, 4.0]]]]
    assert type(g.grad_fn).__name__ == "FractionalMaxPool2DBackwardBackward0"
    d_go, d_x = torch.autograd.grad(g, (go, x), torch.arange(16.0, dtype=torch.float64).reshape(1, 1, 4, 4),
                                    allow_unused=True)
    assert d_go.tolist() == [[[[5.0, 7.0], [13.0, 15.0]]]]
    assert d_x.tolist() == [[[[0.0] * 4] * 4]]


def test_fractional_max_pool_unbatched_and_3d_names():
    x = _fractional_input()[0].detach().requires_grad_()
    y = F.fractional_max_pool2d(x, 2, output_size=2, _random_samples=_f64([[[0.3, 0.7]]]))
    assert type(y.grad_fn).__name__ == "FractionalMaxPool2DBackward0"
    assert y.tolist() == [[[20.0, 7.0], [13.0, 15.0]]]
    x3 = torch.arange(64.0, dtype=torch.float64).reshape(1, 1, 4, 4, 4).requires_grad_()
    y3 = F.fractional_max_pool3d(x3, 2, output_size=2, _random_samples=_f64([[[0.5, 0.5, 0.5]]]))
    assert type(y3.grad_fn).__name__ == "FractionalMaxPool3DBackward0"
    (g,) = torch.autograd.grad(y3, x3, torch.ones_like(y3), create_graph=True)
    assert type(g.grad_fn).__name__ == "FractionalMaxPool3DBackwardBackward0"
    assert g.sum().item() == 8.0


# ---- modified Bessel functions: second derivatives (no NaN at 0) -------------------------

_BESSEL_X = [0.0, 1e-20, 0.5, -2.0, 3.0]
_BESSEL = {
    "i1": ([0.5, 0.5, 0.5476947599595309, 1.484266875017402, 3.563002513397487],
           [0.0, 0.0, 0.1940820070354201, -1.246162630787961, 3.2049660704259595]),
    "i1e": ([0.5, 0.5, 0.17577286089453492, -0.014395611319735546, -0.01943526356790909],
            [0.0, 0.0, -0.39024983720839623, 0.017828294012895547, 0.0016096787034987972]),
    "i0e": ([0.0, -1.0, -0.4886144672642784, 0.0932390333047333, -0.04617364086452452],
            [0.5, 1.5, 0.6643873281588133, 0.07884342198499775, 0.026738377296615434]),
    "i0": ([0.0, 5.0000000000000005e-21, 0.25789430539089636, -1.5906368546373295, 3.9533702174026093],
           [0.5, 0.5, 0.5476947599595309, 1.484266875017402, 3.563002513397487]),
}


@pytest.mark.parametrize("name", sorted(_BESSEL))
def test_bessel_first_and_second_derivatives(name):
    fn = getattr(torch.special, name)
    x = _f64(_BESSEL_X, requires_grad=True)
    ones = torch.ones(5, dtype=torch.float64)
    g, gg = _second_order(fn, x, ones, ones)
    first, second = _BESSEL[name]
    np.testing.assert_allclose(g.detach().numpy(), first, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(gg.numpy(), second, rtol=1e-12, atol=1e-15)


# ---- torch.lu's deprecation warning ------------------------------------------------------


def test_lu_warns_that_it_is_deprecated_once():
    a = _f64([[4.0, 3.0], [6.0, 3.0]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.lu(a)
        torch.lu(a, get_infos=True)
        a.lu()
    lu_warnings = [w for w in caught if "torch.lu is deprecated" in str(w.message)]
    # PyTorch's TORCH_WARN_ONCE: at most one per process (an earlier test may have seen it)
    assert len(lu_warnings) <= 1
    for w in lu_warnings:
        assert w.category is UserWarning
        assert str(w.message).startswith(
            "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and will "
            "be removed in a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\nshould be "
            "replaced with\nLU, pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, pivots, info = "
            "torch.lu(A, compute_pivots, get_infos=True)\nshould be replaced with\nLU, pivots, info = "
            "torch.linalg.lu_factor_ex(A, compute_pivots) (Triggered internally at ")


def test_lu_method_returns_a_plain_tuple():
    a = _f64([[4.0, 3.0], [6.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert type(a.lu(get_infos=True)) is tuple and len(a.lu(get_infos=True)) == 3
        assert type(torch.lu(a, get_infos=True)).__name__ == "_lu_with_info"
        assert type(a.lu()) is tuple


def test_lu_warning_in_a_fresh_process():
    import subprocess
    import sys

    code = ("import warnings\nfrom backend import fg\nwarnings.simplefilter('always')\n"
            "with warnings.catch_warnings(record=True) as w:\n"
            "    warnings.simplefilter('always')\n"
            "    a = fg.eye(2, dtype=fg.float64)\n    fg.lu(a); fg.lu(a); a.lu()\n"
            "print(sum('torch.lu is deprecated' in str(x.message) for x in w), w[0].category.__name__)\n")
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run([sys.executable, "-c", code], cwd=here, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "UserWarning"]


# ---- svd of empty matrices: the first-order gradient is differentiable -------------------


@pytest.mark.parametrize("shape", [(0, 0), (3, 0), (0, 3), (2, 0, 3), (2, 3, 0)])
@pytest.mark.parametrize("full", [True, False])
def test_svd_of_an_empty_matrix_has_second_order_gradients(shape, full):
    a = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
    outs = torch.linalg.svd(a, full_matrices=full)
    (g,) = torch.autograd.grad(outs, a, [torch.ones_like(o) for o in outs], create_graph=True)
    assert tuple(g.shape) == shape and g.requires_grad
    (gg,) = torch.autograd.grad(g, a, torch.ones_like(g))
    assert tuple(gg.shape) == shape


# ---- hash_tensor -------------------------------------------------------------------------


def test_hash_tensor_out():
    x = torch.tensor([[1.0, 2.5], [-3.0, 0.0]])
    out = torch.empty(0, dtype=torch.uint64)
    r = torch.hash_tensor(x, out=out)
    assert r is out
    assert out.dtype == torch.uint64 and out.item() == 13833932155375321088
    with pytest.raises(RuntimeError, match="uint64"):
        torch.hash_tensor(x, out=torch.empty(0, dtype=torch.int64))


# ---- complex silu in place ---------------------------------------------------------------


def test_complex_silu_in_place():
    z = torch.tensor([0.5 + 1j, -1 - 2j], dtype=torch.complex128)
    r = F.silu(z, inplace=True)
    assert r is z
    np.testing.assert_allclose(z.numpy(), [0.07585482177636524 + 0.7823355219259353j,
                                           -0.7854620479909045 + 0.44626943442590356j], rtol=1e-15)


def test_complex_silu_in_place_is_differentiable():
    leaf = torch.tensor([0.5 + 1j, -1 - 2j], dtype=torch.complex128, requires_grad=True)
    y = leaf * 1
    F.silu(y, inplace=True)
    assert type(y.grad_fn).__name__ == "SiluBackward0"
    y.backward(torch.tensor([1 + 0j, 0.5 - 1j], dtype=torch.complex128))
    np.testing.assert_allclose(leaf.grad.numpy(), [0.8796328594438018 + 0.5020748041028869j,
                                                   -0.7663684070924868 + 0.8714917103947133j], rtol=1e-13)


def test_complex_silu_out_of_place_refuses_autograd():
    z = torch.tensor([0.5 + 1j], dtype=torch.complex128, requires_grad=True)
    with pytest.raises(RuntimeError, match="complex"):
        F.silu(z)


# ---- embedding_bag with bfloat16 per-sample weights --------------------------------------


def test_embedding_bag_bfloat16_weighted_sums_round_once():
    w = torch.tensor([[0.3, 1.7, -2.2], [0.9, -0.4, 1.1], [2.5, 0.6, -0.7]]).bfloat16()
    idx = torch.tensor([0, 2, 1, 2, 0])
    psw = torch.tensor([0.35, -1.3, 0.77, 2.1, -0.45]).bfloat16()
    r = F.embedding_bag(idx, w, torch.tensor([0, 2]), mode="sum", per_sample_weights=psw)
    assert r.dtype == torch.bfloat16
    assert r.float().tolist() == [[-3.140625, -0.1845703125, 0.13671875], [5.78125, 0.1865234375, 0.373046875]]


# ---- interpolate of uint8 images -----------------------------------------------------------

_IMAGE = [[[[0, 50, 100, 150, 200], [255, 10, 20, 30, 40], [7, 77, 177, 250, 3]]]]
_UINT8_RESIZED = {
    ("bilinear", False): ([[[[64, 51, 51, 80, 109, 137, 160], [69, 64, 83, 138, 179, 117, 12]]]],
                          [[[[0, 100, 200], [128, 60, 120], [255, 20, 40], [131, 99, 22], [7, 177, 3]]]]),
    ("bilinear", True): ([[[[96, 61, 45, 70, 95, 120, 140], [100, 73, 71, 118, 153, 103, 17]]]],
                         [[[[36, 125, 188], [56, 100, 151], [96, 50, 76], [102, 61, 45], [75, 134, 58]]]]),
    ("bicubic", False): ([[[[67, 47, 47, 76, 102, 140, 169], [68, 57, 81, 139, 200, 122, 4]]]],
                         [[[[0, 100, 200], [151, 45, 123], [255, 20, 40], [155, 91, 7], [7, 177, 3]]]]),
    ("bicubic", True): ([[[[99, 60, 37, 66, 89, 122, 148], [101, 71, 65, 119, 170, 102, 8]]]],
                        [[[[18, 139, 213], [47, 104, 169], [108, 30, 75], [115, 46, 30], [67, 149, 41]]]]),
}


@pytest.mark.parametrize("mode, antialias", sorted(_UINT8_RESIZED))
def test_interpolate_uint8_matches_the_fixed_point_kernel(mode, antialias):
    x = torch.tensor(_IMAGE, dtype=torch.uint8)
    wide, tall = _UINT8_RESIZED[(mode, antialias)]
    y = F.interpolate(x, size=(2, 7), mode=mode, antialias=antialias)
    assert y.dtype == torch.uint8
    assert y.tolist() == wide
    assert F.interpolate(x, size=(5, 3), mode=mode, antialias=antialias, align_corners=True).tolist() == tall
