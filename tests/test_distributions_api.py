"""ferrograd.distributions beyond values: printed forms, argument and sample validation
(PyTorch's exception types and messages), shapes (sample_shape, expand, broadcasting),
constraints, transforms, reparameterized gradients (and gradcheck of log_prob), and the
special samplers fg.poisson / fg.binomial / fg._standard_gamma. Every expectation was
recorded from PyTorch 2.13."""

import math

import pytest
from backend import MOD, fg

D = fg.distributions
C = D.constraints


def t(values, dtype=None):
    return fg.tensor(values, dtype=dtype or fg.float32)


def close(got, want, tol=1e-6):
    got = got.tolist() if hasattr(got, "tolist") else got
    flat_got = _flat(got)
    flat_want = _flat(want)
    assert len(flat_got) == len(flat_want)
    for g, w in zip(flat_got, flat_want):
        assert abs(g - w) <= tol * (1 + abs(w)), (g, w)


def _flat(x):
    if isinstance(x, list):
        return [v for item in x for v in _flat(item)]
    return [x]


# ---- printed forms --------------------------------------------------------------


def test_repr_of_distributions():
    assert repr(D.Normal(t([0.0, 1.0]), t([1.0, 2.0]))) == f"Normal(loc: {MOD}.Size([2]), scale: {MOD}.Size([2]))"
    assert repr(D.Normal(0.0, 1.0)) == "Normal(loc: 0.0, scale: 1.0)"
    assert repr(D.Bernoulli(logits=t([0.3]))) == "Bernoulli(logits: tensor([0.3000]))"
    assert repr(D.Independent(D.Normal(fg.zeros(2), fg.ones(2)), 1)) == (
        f"Independent(Normal(loc: {MOD}.Size([2]), scale: {MOD}.Size([2])), 1)")
    mixture = D.MixtureSameFamily(D.Categorical(fg.ones(2)), D.Normal(fg.zeros(2), fg.ones(2)))
    assert repr(mixture) == (f"MixtureSameFamily(\n  Categorical(probs: {MOD}.Size([2]), logits: {MOD}.Size([2])),\n"
                             f"  Normal(loc: {MOD}.Size([2]), scale: {MOD}.Size([2])))")
    assert repr(D.LogNormal(0.0, 1.0)) == "LogNormal()"
    assert repr(D.Gumbel(0.0, 1.0)) == "Gumbel(loc: 0.0, scale: 1.0)"
    assert repr(D.Uniform(0.0, 1.0)) == "Uniform(low: 0.0, high: 1.0)"
    assert repr(D.MultivariateNormal(fg.zeros(2), fg.eye(2))) == (
        f"MultivariateNormal(loc: {MOD}.Size([2]), covariance_matrix: {MOD}.Size([2, 2]))")
    assert repr(D.Categorical(fg.ones(3))) == f"Categorical(probs: {MOD}.Size([3]))"


def test_repr_of_constraints_and_transforms():
    shown = [repr(c) for c in (C.real, C.positive, C.unit_interval, C.simplex, C.integer_interval(0, 3),
                               C.real_vector, C.nonnegative_integer, C.lower_cholesky, C.greater_than_eq(1.5),
                               C.half_open_interval(0, 1), C.boolean)]
    assert shown == ["Real()", "GreaterThan(lower_bound=0.0)", "Interval(lower_bound=0.0, upper_bound=1.0)",
                     "Simplex()", "IntegerInterval(lower_bound=0, upper_bound=3)", "IndependentConstraint(Real(), 1)",
                     "IntegerGreaterThan(lower_bound=0)", "LowerCholesky()", "GreaterThanEq(lower_bound=1.5)",
                     "HalfOpenInterval(lower_bound=0, upper_bound=1)", "Boolean()"]
    tr = D.transforms
    composed = tr.ComposeTransform([tr.ExpTransform(), tr.AffineTransform(0.0, 2.0)])
    assert repr(composed) == "ComposeTransform(\n    ExpTransform(),\n    AffineTransform()\n)"
    assert repr(tr.ExpTransform().inv) == "_InverseTransform(ExpTransform())"


# ---- validation -----------------------------------------------------------------


def _message(fn, kind):
    with pytest.raises(kind) as info:
        fn()
    return str(info.value)


def test_bad_parameter_names_parameter_and_constraint():
    msg = _message(lambda: D.Normal(t([0.0]), t([-1.0])), ValueError)
    assert msg == ("Expected parameter scale (Tensor of shape (1,)) of distribution Normal(loc: tensor([0.]), "
                   "scale: tensor([-1.])) to satisfy the constraint GreaterThan(lower_bound=0.0), but found invalid "
                   "values:\ntensor([-1.])")
    msg = _message(lambda: D.Bernoulli(probs=t([1.5])), ValueError)
    assert "constraint Interval(lower_bound=0.0, upper_bound=1.0)" in msg
    msg = _message(lambda: D.Uniform(t([1.0]), t([0.0])), ValueError)
    assert msg.startswith("Expected parameter low (Tensor of shape (1,)) of distribution Uniform(low: tensor([1.]), "
                          "high: tensor([0.])) to satisfy the constraint LessThan(upper_bound=tensor([0.]))")
    msg = _message(lambda: D.Geometric(t([0.0])), ValueError)
    assert msg == ("Expected parameter probs (Tensor of shape (1,)) of distribution Geometric(probs: tensor([0.])) "
                   "to be positive but found invalid values:\ntensor([0.])")


def test_constructor_errors():
    assert _message(lambda: D.Bernoulli(), ValueError) == "Either `probs` or `logits` must be specified, but not both."
    assert _message(lambda: D.Categorical(t(0.5)), ValueError) == "`probs` parameter must be at least one-dimensional."
    assert _message(lambda: D.MultivariateNormal(fg.zeros(2)), ValueError) == (
        "Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.")
    assert _message(lambda: D.MultivariateNormal(t(0.0), fg.eye(1)), ValueError) == "loc must be at least one-dimensional."
    assert _message(lambda: D.Dirichlet(t(1.0)), ValueError) == "`concentration` parameter must be at least one-dimensional."
    assert _message(lambda: D.Independent(D.Normal(fg.zeros(2), fg.ones(2)), 2), ValueError) == (
        "Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual 2 vs 1")
    assert _message(lambda: D.Multinomial(fg.tensor(3), fg.ones(2)), NotImplementedError) == (
        "inhomogeneous total_count is not supported")
    with pytest.raises(ValueError):
        D.Distribution.set_default_validate_args(3)


def test_values_outside_support_and_shape_mismatch():
    msg = _message(lambda: D.Bernoulli(t([0.5])).log_prob(t([0.5])), ValueError)
    assert msg == ("Expected value argument (Tensor of shape (1,)) to be within the support (Boolean()) of the "
                   "distribution Bernoulli(probs: tensor([0.5000])), but found invalid values:\ntensor([0.5000])")
    msg = _message(lambda: D.Exponential(t([1.0])).log_prob(t([-1.0])), ValueError)
    assert "support (GreaterThanEq(lower_bound=0.0))" in msg
    msg = _message(lambda: D.Normal(fg.zeros(3), fg.ones(3)).log_prob(fg.zeros(2)), ValueError)
    assert msg == f"Value is not broadcastable with batch_shape+event_shape: {MOD}.Size([2]) vs {MOD}.Size([3])."
    msg = _message(lambda: D.Normal(fg.zeros(2), fg.ones(2)).log_prob([0.0, 1.0]), ValueError)
    assert msg == "The value argument to log_prob must be a Tensor"
    unchecked = D.Normal(fg.zeros(2), fg.ones(2), validate_args=False)
    assert tuple(unchecked.log_prob(fg.zeros(3, 2)).shape) == (3, 2)
    assert not D.Normal(t([0.0]), t([-1.0]), validate_args=False)._validate_args


def test_kl_errors_and_infinities():
    msg = _message(lambda: D.kl_divergence(D.Categorical(fg.ones(2)), D.Normal(0.0, 1.0)), NotImplementedError)
    assert msg == "No KL(p || q) is implemented for p type Categorical and q type Normal"
    assert D.kl_divergence(D.Normal(fg.zeros(2), fg.ones(2)), D.Exponential(fg.ones(2))).tolist() == [math.inf] * 2
    with pytest.raises(NotImplementedError):
        D.kl_divergence(D.Binomial(2, t([0.5])), D.Binomial(5, t([0.5])))


def test_register_kl_prefers_the_most_specific_pair():
    class MyNormal(D.Normal):
        pass

    @D.register_kl(MyNormal, D.Normal)
    def _kl_mine(p, q):
        return fg.zeros(())

    assert D.kl_divergence(MyNormal(0.0, 1.0), D.Normal(1.0, 1.0)).item() == 0.0
    close(D.kl_divergence(D.Normal(0.0, 1.0), MyNormal(1.0, 1.0)), 0.5)


# ---- shapes ---------------------------------------------------------------------


def test_shapes_broadcasting_and_expand():
    n = D.Normal(fg.zeros(2, 1), fg.ones(3))
    assert n.batch_shape == (2, 3) and n.event_shape == ()
    assert n.sample((4, 5)).shape == (4, 5, 2, 3)
    assert n.expand([6, 2, 3]).batch_shape == (6, 2, 3)
    m = D.MultivariateNormal(fg.zeros(3), fg.eye(3))
    assert m.batch_shape == () and m.event_shape == (3,)
    assert m.sample((2,)).shape == (2, 3) and m.expand((4,)).sample().shape == (4, 3)
    assert D.Normal(t([0.0, 1.0]), t([1.0, 2.0])).expand([3, 2]).loc.tolist() == [[0.0, 1.0]] * 3
    assert isinstance(n.batch_shape, fg.Size)
    assert D.Dirichlet(fg.ones(4, 3)).expand((2, 4)).sample().shape == (2, 4, 3)
    assert D.Categorical(fg.ones(2, 3)).sample((5,)).shape == (5, 2)
    assert D.OneHotCategorical(fg.ones(2, 3)).sample((5,)).shape == (5, 2, 3)


def test_enumerate_support():
    assert D.Bernoulli(t([0.2, 0.7])).enumerate_support().tolist() == [[0.0, 0.0], [1.0, 1.0]]
    assert D.Categorical(fg.ones(2, 3)).enumerate_support(False).shape == (3, 1)
    assert D.Binomial(4, t([0.3])).enumerate_support().tolist() == [[0.0], [1.0], [2.0], [3.0], [4.0]]
    assert D.OneHotCategorical(fg.ones(3)).enumerate_support().tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0],
                                                                            [0.0, 0.0, 1.0]]


def test_constraint_checks():
    assert C.simplex.check(t([[0.2, 0.8], [0.5, 0.6]])).tolist() == [True, False]
    assert C.positive.check(t([1.0, -1.0, 0.0])).tolist() == [True, False, False]
    assert C.integer_interval(0, 3).check(t([0.0, 3.0, 1.5, 4.0])).tolist() == [True, True, False, False]
    assert C.lower_cholesky.check(t([[1.0, 0.0], [2.0, 1.0]])).tolist() is True
    assert C.positive_definite.check(t([[2.0, 0.5], [0.5, 1.0]])).tolist() is True
    assert C.real_vector.check(t([[0.0, math.nan]])).tolist() == [False]
    assert C.is_dependent(D.Uniform.support) and not C.is_dependent(C.real)


# ---- transforms -----------------------------------------------------------------


def test_transformed_distribution_and_transforms():
    tr = D.transforms
    d = D.TransformedDistribution(D.Normal(t([0.0, 0.5]), t([1.0, 2.0])),
                                  [tr.TanhTransform(), tr.AffineTransform(1.0, 3.0)])
    close(d.log_prob(t([0.5, 2.0])), [-2.0035316944122314, -2.5958573818206787], 1e-5)
    assert d.batch_shape == (2,) and repr(d.support) == "Real()"
    stick = tr.StickBreakingTransform()
    y = stick(t([0.3, -0.2]))
    close(y, [0.4029598832130432, 0.26876717805862427, 0.3282729685306549], 1e-5)
    close(stick.inv(y), [0.3, -0.2], 1e-5)
    close(stick.log_abs_det_jacobian(t([0.3, -0.2]), y), -3.336737871170044, 1e-5)
    sigmoid = tr.SigmoidTransform()
    close(sigmoid.log_abs_det_jacobian(t([0.5]), sigmoid(t([0.5]))), [-1.4481539726257324])
    assert tr.ExpTransform() == tr.ExpTransform() and tr.ExpTransform().inv.inv == tr.ExpTransform()
    cached = tr.ExpTransform(cache_size=1)
    x = t([0.25])
    assert cached.inv(cached(x)) is x


# ---- gradients --------------------------------------------------------------------


def test_normal_rsample_gradients():
    fg.manual_seed(0)
    mu = t([0.5, -1.0]).requires_grad_()
    s = t([2.0, 0.5]).requires_grad_()
    x = D.Normal(mu, s).rsample()
    x.sum().backward()
    close(x, [3.5819921493530273, -1.146714448928833])
    assert mu.grad.tolist() == [1.0, 1.0]
    close(s.grad, [1.5409960746765137, -0.293428897857666])
    assert type(x.grad_fn).__name__ == "AddBackward0"


def test_gamma_rsample_gradients():
    fg.manual_seed(0)
    a = t([0.5, 3.0], fg.float64).requires_grad_()
    r = t([1.0, 2.0], fg.float64).requires_grad_()
    x = D.Gamma(a, r).rsample()
    x.sum().backward()
    close(x, [0.0007893582063475732, 0.636421708945544], 1e-12)
    close(a.grad, [0.0113429374175142, 0.33320350515086605], 1e-9)
    close(r.grad, [-0.0007893582063475732, -0.318210854472772], 1e-12)
    fg.manual_seed(0)
    assert type(fg._standard_gamma(t([0.5, 3.0]).requires_grad_()).grad_fn).__name__ == "StandardGammaBackward0"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dirichlet_and_beta_rsample_gradients(dtype):
    dt = getattr(fg, dtype)
    fg.manual_seed(0)
    c = t([[1.0, 2.0, 3.0], [0.3, 0.5, 4.0]], dt).requires_grad_()
    y = D.Dirichlet(c).rsample()
    assert type(y.grad_fn).__name__ == "_DirichletBackward"
    (y * t([1.0, 2.0, 3.0], dt)).sum().backward()
    # PyTorch's Beta-CDF gradient is a series/rational approximation (a few parts in 10^4)
    close(c.grad, [[-0.24975522, 0.04794791, 0.1581931], [-0.16247912, -0.22220574, 0.02168745]], 1e-3)
    fg.manual_seed(0)
    a = t([0.5, 3.0], dt).requires_grad_()
    D.Beta(a, t(2.0, dt)).rsample().sum().backward()
    close(a.grad, [0.01504204, 0.06423629], 1e-3)


def test_biject_to_and_transform_to():
    shown = [repr(D.transform_to(c)).replace("\n", " ") for c in (C.real, C.positive, C.unit_interval,
                                                                  C.interval(-1.0, 3.0), C.simplex, C.real_vector,
                                                                  C.lower_cholesky)]
    assert shown == ["ComposeTransform(      )", "ComposeTransform(     ExpTransform(),     AffineTransform() )",
                     "SigmoidTransform()", "ComposeTransform(     SigmoidTransform(),     AffineTransform() )",
                     "SoftmaxTransform()", "IndependentTransform(ComposeTransform(      ), 1)",
                     "LowerCholeskyTransform()"]
    assert repr(D.biject_to(C.simplex)) == "StickBreakingTransform()"
    close(D.biject_to(C.interval(-1.0, 3.0))(t([0.3])), [1.2977700233459473], 1e-6)
    x = t([[0.1, 0.0], [0.5, 0.2]])
    to_pd = D.transform_to(C.positive_definite)
    close(to_pd(x), [[1.221402883529663, 0.5525854825973511], [0.5525854825973511, 1.741824746131897]], 1e-6)
    close(to_pd.inv(to_pd(x)), [[0.1, 0.0], [0.5, 0.2]], 1e-5)
    assert _message(lambda: D.biject_to(C.lower_cholesky), NotImplementedError) == (
        "Cannot transform _LowerCholesky constraints")
    reshape = D.transforms.ReshapeTransform((2, 2), (4,))
    assert reshape(fg.ones(3, 2, 2)).shape == (3, 4) and reshape.inverse_shape((5, 4)) == (5, 2, 2)


@pytest.mark.parametrize("make", [
    lambda p: D.Normal(p[0], p[1].exp()),
    lambda p: D.Laplace(p[0], p[1].exp()),
    lambda p: D.Cauchy(p[0], p[1].exp()),
    lambda p: D.Gamma(p[0].exp(), p[1].exp()),
    lambda p: D.Beta(p[0].exp(), p[1].exp()),
    lambda p: D.StudentT(p[0].exp() + 1, p[1], 2.0),
    lambda p: D.LogNormal(p[0], p[1].exp()),
    lambda p: D.Gumbel(p[0], p[1].exp()),
])
def test_gradcheck_log_prob(make):
    params = fg.tensor([0.3, -0.2], dtype=fg.float64, requires_grad=True)
    value = fg.tensor(0.4, dtype=fg.float64)
    assert fg.autograd.gradcheck(lambda p: make(p).log_prob(value), (params,))


def test_gradcheck_multivariate_normal_log_prob():
    loc = fg.tensor([0.1, -0.3], dtype=fg.float64, requires_grad=True)
    tril = fg.tensor([[1.2, 0.0], [0.4, 0.8]], dtype=fg.float64, requires_grad=True)
    value = fg.tensor([0.5, 0.25], dtype=fg.float64)
    assert fg.autograd.gradcheck(lambda a, b: D.MultivariateNormal(a, scale_tril=b.tril(), validate_args=False).log_prob(value), (loc, tril))


# ---- special samplers ---------------------------------------------------------------


def test_special_samplers_follow_the_seed():
    fg.manual_seed(1)
    assert fg.poisson(t([1.0, 5.0, 20.0])).tolist() == [0.0, 3.0, 13.0]
    assert fg.binomial(t([10.0, 50.0]), t([0.3, 0.6])).tolist() == [4.0, 28.0]
    close(fg._standard_gamma(t([0.2, 2.0], fg.float64)), [1.4191461511482555, 3.2427305368073194], 1e-12)


def test_special_sampler_errors_and_generators():
    with pytest.raises(RuntimeError, match="invalid Poisson rate, expected rate to be non-negative"):
        fg.poisson(t([-1.0]))
    g = fg.Generator().manual_seed(1)
    first = fg.poisson(t([3.0, 30.0]), generator=g)
    g.manual_seed(1)
    assert fg.poisson(t([3.0, 30.0]), generator=g).tolist() == first.tolist()


def test_misc_properties():
    close(D.Normal(t([0.0, 1.0]), t([1.0, 2.0])).perplexity(), [4.1327314376831055, 8.265463829040527])
    assert D.Normal(0.0, 1.0).has_rsample and not D.Poisson(1.0).has_rsample
    assert D.Independent(D.Normal(fg.zeros(2), fg.ones(2)), 1).has_rsample
    assert isinstance(D.Normal(0.0, 1.0), D.ExponentialFamily)
    close(D.ExponentialFamily.entropy(D.Normal(t([0.0]), t([2.0]))), D.Normal(t([0.0]), t([2.0])).entropy().tolist(),
          1e-5)


# ---- the later families, transforms and module layout ------------------------------


def test_errors_of_the_matrix_families():
    assert _message(lambda: D.LKJCholesky(1), ValueError) == (
        "Expected dim to be an integer greater than or equal to 2. Found dim=1.")
    assert _message(lambda: D.Wishart(3.0), AssertionError) == (
        "Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.")
    assert _message(lambda: D.Wishart(1.0, fg.eye(3)), ValueError) == (
        "Value of df=1.0 expected to be greater than ndim - 1 = 2.")
    assert _message(lambda: D.LowRankMultivariateNormal(fg.zeros(3), fg.zeros(2, 1), fg.ones(3)), ValueError) == (
        "cov_factor must be a batch of matrices with shape 3 x m")
    assert _message(lambda: D.LowRankMultivariateNormal(fg.zeros(3), fg.zeros(3, 1), fg.ones(2)), ValueError) == (
        f"cov_diag must be a batch of vectors with shape {MOD}.Size([3])")
    msg = _message(lambda: D.MultivariateNormal(fg.zeros(2), t([[1.0, 2.0], [2.0, 1.0]])), ValueError)
    assert "to satisfy the constraint PositiveDefinite()" in msg


def test_errors_of_the_scalar_families():
    assert _message(lambda: D.Binomial(t([2.0, 3.0]), t([0.5, 0.5])).entropy(), NotImplementedError) == (
        "Inhomogeneous total count not supported by `entropy`.")
    assert "constraint IntegerGreaterThan(lower_bound=0)" in _message(lambda: D.Binomial(t([2.5]), t([0.5])),
                                                                      ValueError)
    msg = _message(lambda: D.Categorical(t([0.2, 0.8])).log_prob(fg.tensor([2])), ValueError)
    assert "within the support (IntegerInterval(lower_bound=0, upper_bound=1))" in msg
    assert _message(lambda: D.MixtureSameFamily(D.Categorical(fg.ones(3)), D.Normal(fg.zeros(2), fg.ones(2))),
                    ValueError) == "`mixture_distribution component` (3) does not equal " \
                                   "`component_distribution.batch_shape[-1]` (2)"
    assert _message(lambda: D.transforms.Transform(cache_size=2), ValueError) == "cache_size must be 0 or 1"
    assert _message(lambda: D.Independent(D.Normal(fg.zeros(2, 3), fg.ones(2, 3)), 1).enumerate_support(),
                    NotImplementedError) == "Enumeration over cartesian product is not implemented"
    with pytest.raises(NotImplementedError):
        D.Normal(0.0, 1.0).enumerate_support()


def test_supports_print_their_bounds():
    assert repr(D.Uniform(t([0.0]), t([2.0])).support) == (
        "Interval(lower_bound=tensor([0.]), upper_bound=tensor([2.]))")
    assert repr(D.Binomial(t([3.0]), t([0.5])).support) == "IntegerInterval(lower_bound=0, upper_bound=tensor([3.]))"
    assert repr(D.Categorical(fg.ones(4)).support) == "IntegerInterval(lower_bound=0, upper_bound=3)"


def test_default_validation_switch_and_sample_n():
    D.Distribution.set_default_validate_args(False)
    try:
        assert D.Normal(t([0.0]), t([-1.0])).scale.tolist() == [-1.0]
    finally:
        D.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        D.Normal(t([0.0]), t([-1.0]))
    with pytest.warns(FutureWarning, match=r"`sample_n\(n\)` will be deprecated"):
        assert D.Normal(0.0, 1.0).sample_n(2).shape == (2,)


def test_structural_transforms():
    tr = D.transforms
    x = t([[0.3, -0.5, 1.2], [0.1, 0.2, -0.3]])
    corr = tr.CorrCholeskyTransform()
    y = corr(x)
    close(y, [[[1.0, 0.0, 0.0], [0.29131263494491577, 0.9566279053688049, 0.0],
               [-0.46211716532707214, 0.7393006682395935, 0.48977774381637573]],
              [[1.0, 0.0, 0.0], [0.0996679961681366, 0.9950207471847534, 0.0],
               [0.1973753273487091, -0.28558194637298584, 0.93780916929245]]], 1e-6)
    close(corr.inv(y), x.tolist(), 1e-5)
    close(corr.log_abs_det_jacobian(x, y), [-1.6364028453826904, -0.15826921164989471], 1e-5)
    assert tuple(corr.forward_shape((2, 3))) == (2, 3, 3) and tuple(corr.inverse_shape((2, 3, 3))) == (2, 3)
    assert C.corr_cholesky.check(y).tolist() == [True, True]
    cat = tr.CatTransform([tr.ExpTransform(), tr.identity_transform], dim=-1, lengths=[2, 1])
    z = cat(x)
    close(z, [[1.3498588800430298, 0.6065306663513184, 1.2], [1.1051709651947021, 1.2214027643203735, -0.3]], 1e-6)
    close(cat.log_abs_det_jacobian(x, z), [[0.3, -0.5, 0.0], [0.1, 0.2, 0.0]], 1e-6)
    stack = tr.StackTransform([tr.ExpTransform(), tr.AffineTransform(1.0, 2.0)], dim=0)
    z = stack(x)
    close(z, [[1.3498588800430298, 0.6065306663513184, 3.3201169967651367], [1.2, 1.4, 0.4]], 1e-6)
    close(stack.log_abs_det_jacobian(x, z), [[0.3, -0.5, 1.2], [0.6931471824645996] * 3], 1e-6)
    cdf = tr.CumulativeDistributionTransform(D.Normal(0.0, 1.0))
    close(cdf(t([0.3])), [0.6179114580154419])
    close(cdf.log_abs_det_jacobian(t([0.3]), None), [-0.9639385342597961])
    assert repr(D.biject_to(C.corr_cholesky)) == "CorrCholeskyTransform()"
    assert type(D.biject_to(C.cat([C.positive, C.real], -1, [2, 1]))).__name__ == "CatTransform"
    assert type(D.transform_to(C.stack([C.positive, C.real], 0))).__name__ == "StackTransform"
    assert repr(tr.IndependentTransform(tr.ExpTransform(), 1)) == "IndependentTransform(ExpTransform(), 1)"
    assert D.utils.tril_matrix_to_vec(fg.arange(9.0).view(3, 3), -1).tolist() == [3.0, 6.0, 7.0]
    assert D.utils.vec_to_tril_matrix(t([1.0, 2.0, 3.0])).tolist() == [[1.0, 0.0], [2.0, 3.0]]


def test_module_layout_matches_pytorch():
    assert sorted(D.__all__) == sorted([
        "AbsTransform", "AffineTransform", "Bernoulli", "Beta", "Binomial", "CatTransform", "Categorical", "Cauchy",
        "Chi2", "ComposeTransform", "ContinuousBernoulli", "CorrCholeskyTransform", "CumulativeDistributionTransform",
        "Dirichlet", "Distribution", "ExpTransform", "Exponential", "ExponentialFamily", "FisherSnedecor", "Gamma",
        "GeneralizedPareto", "Geometric", "Gumbel", "HalfCauchy", "HalfNormal", "Independent", "IndependentTransform",
        "InverseGamma", "Kumaraswamy", "LKJCholesky", "Laplace", "LogNormal", "LogisticNormal",
        "LowRankMultivariateNormal", "LowerCholeskyTransform", "MixtureSameFamily", "Multinomial",
        "MultivariateNormal", "NegativeBinomial", "Normal", "OneHotCategorical", "OneHotCategoricalStraightThrough",
        "Pareto", "Poisson", "PositiveDefiniteTransform", "PowerTransform", "RelaxedBernoulli",
        "RelaxedOneHotCategorical", "ReshapeTransform", "SigmoidTransform", "SoftmaxTransform", "SoftplusTransform",
        "StackTransform", "StickBreakingTransform", "StudentT", "TanhTransform", "Transform", "TransformedDistribution",
        "Uniform", "VonMises", "Weibull", "Wishart", "biject_to", "identity_transform", "kl_divergence", "register_kl",
        "transform_to"])
    assert D.studentT.StudentT is D.StudentT and D.beta.Beta is D.Beta and D.chi2.Chi2 is D.Chi2
    assert D.relaxed_bernoulli.LogitRelaxedBernoulli(t(0.5), t([0.3])).batch_shape == (1,)
    assert D.relaxed_categorical.ExpRelaxedCategorical(t(0.5), t([0.3, 0.7])).event_shape == (2,)


def test_special_samplers_stay_on_pytorch_stream_over_long_runs():
    # thousands of draws: rejection loops, boosted concentrations, the cached normal
    fg.manual_seed(11)
    x = fg._standard_gamma(fg.tensor([0.3, 2.5, 100.0] * 1000, dtype=fg.float64))
    assert x[-3:].tolist() == [0.0003925456600194193, 1.0255990767427943, 109.04261659978565]
    assert x[:2].tolist() == [1.2467646672741282, 1.0163557250939035]
    assert fg.poisson(t([0.5, 30.0] * 1500))[-4:].tolist() == [0.0, 24.0, 0.0, 28.0]
    assert fg.binomial(t([20.0, 500.0] * 1000), t([0.3, 0.7] * 1000))[-4:].tolist() == [5.0, 362.0, 5.0, 352.0]
    assert fg.rand(2).tolist() == [0.07084870338439941, 0.8675675392150879]


_F64 = {"dtype": fg.float64}


@pytest.mark.parametrize(("name", "make", "value"), [
    ("Exponential", lambda p: D.Exponential(p.exp()), [0.7, 1.5]),
    ("Uniform", lambda p: D.Uniform(p - 2, p + 2), [0.1, 0.2]),
    ("Poisson", lambda p: D.Poisson(p.exp()), [1.0, 3.0]),
    ("Binomial", lambda p: D.Binomial(5, logits=p), [1.0, 3.0]),
    ("Bernoulli", lambda p: D.Bernoulli(logits=p), [1.0, 0.0]),
    ("Categorical", lambda p: D.Categorical(logits=p), 1),
    ("Geometric", lambda p: D.Geometric(probs=p.sigmoid()), [2.0, 0.0]),
    ("Dirichlet", lambda p: D.Dirichlet(p.exp()), [0.3, 0.7]),
    ("Chi2", lambda p: D.Chi2(p.exp()), [0.5, 2.0]),
    ("HalfNormal", lambda p: D.HalfNormal(p.exp()), [0.5, 2.0]),
    ("Weibull", lambda p: D.Weibull(p.exp(), p.exp() + 0.5), [0.5, 2.0]),
    ("Kumaraswamy", lambda p: D.Kumaraswamy(p.exp(), p.exp() + 1), [0.25, 0.5]),
    ("VonMises", lambda p: D.VonMises(p, p.exp()), [0.5, -1.0]),
    ("ContinuousBernoulli", lambda p: D.ContinuousBernoulli(logits=p), [0.2, 0.9]),
    ("NegativeBinomial", lambda p: D.NegativeBinomial(p.exp(), logits=p), [1.0, 3.0]),
    ("FisherSnedecor", lambda p: D.FisherSnedecor(p.exp() + 2, p.exp() + 3), [0.5, 2.0]),
    ("InverseGamma", lambda p: D.InverseGamma(p.exp() + 1, p.exp()), [0.5, 2.0]),
    ("HalfCauchy", lambda p: D.HalfCauchy(p.exp()), [0.5, 2.0]),
    ("Pareto", lambda p: D.Pareto(p.exp() * 0.1, p.exp()), [0.5, 2.0]),
    ("MultivariateNormal", lambda p: D.MultivariateNormal(p, covariance_matrix=fg.eye(2, **_F64) + p.outer(p)),
     [0.5, -0.5]),
    ("LowRankMultivariateNormal", lambda p: D.LowRankMultivariateNormal(p, p.unsqueeze(-1), p.exp()), [0.5, -0.5]),
])
def test_gradcheck_log_prob_of_more_families(name, make, value):
    params = fg.tensor([0.3, -0.2], requires_grad=True, **_F64)
    target = fg.tensor(value, **_F64) if name != "Categorical" else fg.tensor(value)
    assert fg.autograd.gradcheck(lambda p: make(p).log_prob(target), (params,))


@pytest.mark.parametrize("make", [
    lambda p: D.Normal(p, p.exp()),
    lambda p: D.Gamma(p.exp(), p.exp() + 1),
    lambda p: D.Beta(p.exp(), p.exp() + 1),
    lambda p: D.Categorical(logits=p),
    lambda p: D.Bernoulli(logits=p),
    lambda p: D.StudentT(p.exp() + 1, p, p.exp()),
    lambda p: D.Dirichlet(p.exp()),
    lambda p: D.Gumbel(p, p.exp()),
])
def test_gradcheck_entropy(make):
    params = fg.tensor([0.3, -0.2], requires_grad=True, **_F64)
    assert fg.autograd.gradcheck(lambda p: make(p).entropy(), (params,))


def test_gradcheck_kl_divergence():
    a = fg.tensor([0.3, -0.2], requires_grad=True, **_F64)
    b = fg.tensor([-0.1, 0.4], requires_grad=True, **_F64)
    assert fg.autograd.gradcheck(lambda x, y: D.kl_divergence(D.Normal(x, y.exp()), D.Normal(y, x.exp())), (a, b))
    assert fg.autograd.gradcheck(lambda x, y: D.kl_divergence(D.Gamma(x.exp(), y.exp()), D.Gamma(y.exp(), 1.0)),
                                 (a, b))


def test_special_samplers_edge_values_and_errors():
    fg.manual_seed(0)
    tiny = 1.1754943508222875e-38
    assert fg._standard_gamma(t([-1.0, 2.0, math.nan, 0.0])).tolist() == [tiny, 0.6315405964851379, tiny, tiny]
    assert fg._standard_gamma(t(2.0)).tolist() == 0.9999370574951172
    assert fg.poisson(t(2.0)).tolist() == 1.0
    assert fg.poisson(t([math.inf])).tolist() == [-9.223372036854776e18]  # C's cast of an infinite count
    with pytest.raises(RuntimeError, match="invalid Poisson rate"):
        fg.poisson(t([math.nan]))
    assert fg._sample_dirichlet(t([[1.0, math.nan]])).tolist() == [[0.9999999403953552, tiny]]
    assert fg.binomial(t([1e6, 5.0]), t([0.5, 1e-9])).tolist() == [499537.0, 0.0]
    assert fg.rand(2).tolist() == [0.5262957811355591, 0.24365824460983276]
    for fn, name in ((lambda x: fg.poisson(x), "poisson_cpu"), (lambda x: fg._standard_gamma(x), "gamma_cpu"),
                     (lambda x: fg._sample_dirichlet(x), "dirichlet")):
        with pytest.raises(NotImplementedError, match=f'"{name}" not implemented for \'Long\''):
            fn(fg.tensor([1, 2]))


def test_samplers_without_a_derivative_record_not_implemented():
    for make, op in ((lambda: fg._sample_dirichlet(t([[1.0, 2.0]]).requires_grad_()), "_sample_dirichlet"),
                     (lambda: fg.binomial(t([1.0, 2.0]).requires_grad_(), t([0.5, 0.5])), "binomial")):
        drawn = make()
        assert drawn.requires_grad and type(drawn.grad_fn).__name__ == "NotImplemented"
        with pytest.raises(RuntimeError, match=f"derivative for aten::{op} is not implemented"):
            drawn.sum().backward()
    rate = t([1.0, 2.0]).requires_grad_()
    assert type(fg.poisson(rate).grad_fn).__name__ == "PoissonBackward0"
