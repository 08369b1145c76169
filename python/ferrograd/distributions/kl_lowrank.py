"""KL divergences between (low-rank) multivariate normals: log-determinants,
traces and Mahalanobis terms through the capacitance factors (Woodbury)."""

from __future__ import annotations

import ferrograd as _fg

from .kl import register_kl
from .lowrank_multivariate_normal import (
    LowRankMultivariateNormal,
    _lowrank_logdet,
    _lowrank_mahalanobis,
)
from .multivariate_normal import MultivariateNormal, _mahalanobis

_EVENT_ERROR = ("KL-divergence between two (Low Rank) Multivariate Normals with"
                "                          different event shapes cannot be computed")


def _trace_xxt(m):
    """trace(X Xᵀ) over the last two dimensions."""
    return m.pow(2).sum((-2, -1))


def _q_capacitance_solve(q):
    scaled = q._unbroadcasted_cov_factor.mT / q._unbroadcasted_cov_diag.unsqueeze(-2)
    return _fg.linalg.solve_triangular(q._capacitance_tril, scaled, upper=False)


def _q_terms(p, q):
    log_det_q = _lowrank_logdet(q._unbroadcasted_cov_diag, q._capacitance_tril)
    mahalanobis = _lowrank_mahalanobis(q._unbroadcasted_cov_factor, q._unbroadcasted_cov_diag, q.loc - p.loc,
                                       q._capacitance_tril)
    return log_det_q, mahalanobis


@register_kl(LowRankMultivariateNormal, LowRankMultivariateNormal)
def _kl_lowrank_lowrank(p, q):
    if p.event_shape != q.event_shape:
        raise ValueError("KL-divergence between two Low Rank Multivariate Normals with"
                         "                          different event shapes cannot be computed")
    log_det_q, term3 = _q_terms(p, q)
    term1 = log_det_q - _lowrank_logdet(p._unbroadcasted_cov_diag, p._capacitance_tril)
    a = _q_capacitance_solve(q)
    pw, pd, qd = p._unbroadcasted_cov_factor, p._unbroadcasted_cov_diag, q._unbroadcasted_cov_diag
    term2 = ((pd / qd).sum(-1) + _trace_xxt(pw * qd.rsqrt().unsqueeze(-1)) - _trace_xxt(a * pd.sqrt().unsqueeze(-2))
             - _trace_xxt(a.matmul(pw)))
    return 0.5 * (term1 + term2 + term3 - p.event_shape[0])


@register_kl(MultivariateNormal, LowRankMultivariateNormal)
def _kl_mvn_lowrank(p, q):
    if p.event_shape != q.event_shape:
        raise ValueError(_EVENT_ERROR)
    log_det_q, term3 = _q_terms(p, q)
    lower = p._unbroadcasted_scale_tril
    term1 = log_det_q - 2 * lower.diagonal(dim1=-2, dim2=-1).log().sum(-1)
    a = _q_capacitance_solve(q)
    term2 = _trace_xxt(lower * q._unbroadcasted_cov_diag.rsqrt().unsqueeze(-1)) - _trace_xxt(a.matmul(lower))
    return 0.5 * (term1 + term2 + term3 - p.event_shape[0])


@register_kl(LowRankMultivariateNormal, MultivariateNormal)
def _kl_lowrank_mvn(p, q):
    if p.event_shape != q.event_shape:
        raise ValueError(_EVENT_ERROR)
    lower = q._unbroadcasted_scale_tril
    term1 = (2 * lower.diagonal(dim1=-2, dim2=-1).log().sum(-1)
             - _lowrank_logdet(p._unbroadcasted_cov_diag, p._capacitance_tril))
    term3 = _mahalanobis(lower, q.loc - p.loc)
    n = p.event_shape[0]
    batch = tuple(_fg.broadcast_shapes(tuple(lower.shape[:-2]), tuple(p._unbroadcasted_cov_factor.shape[:-2])))
    q_lower = lower.expand(batch + (n, n))
    factor = p._unbroadcasted_cov_factor.expand(batch + (n, p.cov_factor.size(-1)))
    diag = _fg.diag_embed(p._unbroadcasted_cov_diag.sqrt()).expand(batch + (n, n))
    term2 = (_trace_xxt(_fg.linalg.solve_triangular(q_lower, factor, upper=False))
             + _trace_xxt(_fg.linalg.solve_triangular(q_lower, diag, upper=False)))
    return 0.5 * (term1 + term2 + term3 - p.event_shape[0])
