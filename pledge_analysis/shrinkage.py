"""Empirical-Bayes shrinkage for small counts: pure functions, one per method.

Used by :mod:`pledge_analysis.priorities` so that a theme raised twice, both times negatively,
does not outrank one raised 200 times, 70% negatively, and so that a survey item a few points
below its benchmark on 40 answers is not read as a real shortfall.

:func:`beta_binomial_shrink`
    counts ``x`` out of ``n`` for several units (themes) that share a pooled rate: a beta prior
    centred on the pooled rate, its strength ``m`` (pseudo-counts) estimated by the method of
    moments from the spread of the units' rates beyond binomial noise, clipped to
    ``[m_min, m_max]``; returns the posterior mean and an equal-tailed interval (beta quantiles).
:func:`normal_shrink_to_zero`
    estimates ``d`` with standard errors ``se`` whose prior is centred on 0 ("no difference from
    the benchmark") with a spread ``tau`` estimated by the method of moments (the mean-zero form of
    DerSimonian-Laird), floored at ``tau_min``; returns the posterior mean ``B d`` with
    ``B = tau^2 / (tau^2 + se^2)`` and the posterior standard deviation ``sqrt(B) se``.

>>> mean, low, high, m = beta_binomial_shrink([0, 20], [0, 40])   # a unit with no data gets the pooled rate
>>> round(float(mean[0]), 3), round(float(mean[1]), 3)
(0.5, 0.5)
>>> post, sd, tau = normal_shrink_to_zero([0.5, -0.5], [0.1, 0.1])
>>> round(tau, 3), [round(float(v), 3) for v in post]
(0.49, [0.48, -0.48])
"""
from __future__ import annotations

import numpy as np
from scipy import stats

#: bounds of the beta prior's strength, in pseudo-comments: at least 2 (a handful of comments
#: never gives a rate of 0 or 1), at most 400 (the prior never outweighs a few hundred comments)
M_MIN, M_MAX = 2.0, 400.0
#: floor of the prior spread of survey gaps on the log-odds scale (0.05 is about 1 point at 80%)
TAU_MIN = 0.05


def beta_binomial_shrink(x, n, *, m: float | None = None, m_min: float = M_MIN, m_max: float = M_MAX,
                         confidence: float = 0.95):
    """Posterior mean, interval and prior strength for ``x`` out of ``n`` (arrays over units).

    The prior is Beta(m p0, m (1 - p0)) with p0 = sum(x) / sum(n) (the pooled rate). With ``m``
    None it is estimated: the between-unit variance of the rates is their n-weighted variance
    minus the binomial part p0 (1 - p0) mean(1 / n) over units with n > 0, and
    m = p0 (1 - p0) / variance - 1, clipped to ``[m_min, m_max]`` (``m_max`` when the variance
    is not above binomial noise). Returns ``(mean, low, high, m)``.
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    total = n.sum()
    p0 = float(x.sum() / total) if total > 0 else 0.5
    p0 = min(max(p0, 1e-6), 1 - 1e-6)
    if m is None:
        seen = n > 0
        if seen.sum() >= 2:
            rates = x[seen] / n[seen]
            w = n[seen] / n[seen].sum()
            var = float(np.sum(w * (rates - p0) ** 2)) - p0 * (1 - p0) * float(np.mean(1 / n[seen]))
            m = p0 * (1 - p0) / var - 1 if var > 0 else m_max
        else:
            m = m_max
        m = float(np.clip(m, m_min, m_max))
    a, b = x + m * p0, n - x + m * (1 - p0)
    alpha = (1 - confidence) / 2
    return a / (a + b), stats.beta.ppf(alpha, a, b), stats.beta.ppf(1 - alpha, a, b), float(m)


def normal_shrink_to_zero(d, se, *, tau: float | None = None, tau_min: float = TAU_MIN):
    """Posterior means and standard deviations of ``d`` (estimates with standard errors ``se``)
    under a N(0, tau^2) prior, ``tau`` estimated as sqrt(max(0, sum(w d^2) - k) / sum(w)) with
    w = 1 / se^2 (method of moments for a mean-zero random-effects model), floored at
    ``tau_min``; or ``tau`` as given (a prior known from elsewhere). Returns
    ``(posterior_mean, posterior_sd, tau)``."""
    d = np.asarray(d, dtype=float)
    se = np.asarray(se, dtype=float)
    if len(d) == 0:
        return d, se, float(tau_min)
    w = 1 / se ** 2
    if tau is None:
        tau2 = max(0.0, (float(np.sum(w * d ** 2)) - len(d)) / float(np.sum(w)))
        tau2 = max(tau2, tau_min ** 2)
    else:
        tau2 = float(tau) ** 2
    shrink = tau2 / (tau2 + se ** 2)
    return shrink * d, np.sqrt(shrink) * se, float(np.sqrt(tau2))
