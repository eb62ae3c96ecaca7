"""Funnel plot limits and CPES expected ranges for proportions.

:func:`funnel` follows Spiegelhalter (2005) as implemented for proportions in NHS-R's
FunnelPlotR: on the arcsine-square-root scale ``y = asin(sqrt(p))`` with standard error
``s = 1 / (2 sqrt(n))``; z-scores winsorised at 10% / 90%; dispersion ``phi = mean(z^2)``; when
``phi > 1`` the DerSimonian-Laird between-unit variance

    tau^2 = max(0, (k phi - (k - 1)) / (sum w - sum w^2 / sum w)),  w = 1 / s^2

widens the limits ``sin^2(y0 +/- z_alpha sqrt(s^2 + tau^2))``. A supplied ``target`` (e.g. the
national score) and a supplied ``tau2`` override the estimates.

**Few units.** tau^2 is estimated from the units themselves only when there are at least
``min_units`` (20) of them, or when ``overdispersion=True`` says so. With a handful of
hospitals against an external target, a shortfall that every one of them shares would be
absorbed as "overdispersion" and nobody flagged (six sites 6-9 points below 0.80 at n ~240
all read "within"); so with few units the limits are binomial unless a ``tau2`` is supplied,
for example one estimated from the national distribution of trusts
(:func:`pledge_analysis.survey.trust_funnel` shows it in its ``tau2`` column). ``tau2_source``
says which applied.

Both levels are flagged, in ``flag95`` and ``flag998``; ``flag`` repeats the *headline* level
(95% unless ``headline=0.998``) and the ``headline`` column names it.

>>> import pandas as pd
>>> f = funnel(pd.DataFrame({"n": [100], "estimate": [0.6]}), target=0.5, overdispersion=False)
>>> round(float(f["upper95"].iloc[0]), 4), f["flag"].iloc[0]
(0.5974, 'above')
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import InputError


def _winsorise(z: np.ndarray, fraction: float) -> np.ndarray:
    lo, hi = np.quantile(z, [fraction, 1 - fraction])
    return np.clip(z, lo, hi)


def dispersion(y: np.ndarray, s: np.ndarray, y0: float, *, winsorise: float = 0.1) -> tuple[float, float]:
    """``(phi, tau2)`` for unit estimates ``y`` with standard errors ``s`` around target ``y0``."""
    z = (y - y0) / s
    zw = _winsorise(z, winsorise) if winsorise else z
    k = len(z)
    phi = float(np.mean(zw ** 2))
    w = 1 / s ** 2
    denom = w.sum() - (w ** 2).sum() / w.sum()
    tau2 = max(0.0, (k * phi - (k - 1)) / denom) if phi > 1 and denom > 0 else 0.0
    return phi, float(tau2)


MIN_UNITS_TAU2 = 20


def _tag(level: float) -> str:
    return f"{level * 100:g}".replace(".", "")


def funnel(df: pd.DataFrame, *, n: str = "n", estimate: str = "estimate", target: float | None = None,
           tau2: float | None = None, overdispersion: bool | None = None, winsorise: float = 0.1,
           levels: tuple[float, ...] = (0.95, 0.998), headline: float = 0.95,
           min_units: int = MIN_UNITS_TAU2) -> pd.DataFrame:
    """Funnel limits for each unit (row) of ``df``.

    Adds ``target, phi, tau2, tau2_source, z``; for each level ``lower95/upper95`` and
    ``lower998/upper998`` and a flag ``flag95`` / ``flag998`` (``above``, ``within`` or
    ``below``); ``flag`` is the flag at the ``headline`` level, named in ``headline`` (e.g.
    ``"95%"``). Estimates are fractions in [0, 1].

    ``overdispersion``: ``None`` (default) estimates tau^2 only with at least ``min_units``
    units; ``True`` estimates it whatever the number (as FunnelPlotR); ``False`` never. A
    supplied ``tau2`` is used as given.
    """
    if n not in df.columns or estimate not in df.columns:
        raise InputError(f"funnel needs columns {n!r} and {estimate!r}; found {list(df.columns)}",
                         hint="Pass n= and estimate= naming your columns.")
    out = df.copy()
    nn = out[n].to_numpy(dtype=float)
    p = out[estimate].to_numpy(dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise InputError("funnel estimates must be fractions in [0, 1] (percentages? divide by 100)",
                         column=estimate)
    if target is None:
        target = float(np.sum(p * nn) / np.sum(nn))
    y0 = np.arcsin(np.sqrt(target))
    y = np.arcsin(np.sqrt(p))
    s = 1 / (2 * np.sqrt(nn))
    if headline not in levels:
        raise InputError(f"funnel headline level {headline} is not among levels {levels}",
                         hint="Pass headline= one of the levels (0.95 or 0.998).")
    k = len(out)
    phi, tau2_est = dispersion(y, s, y0, winsorise=winsorise) if k > 2 else (np.nan, 0.0)
    estimate_tau2 = overdispersion if overdispersion is not None else k >= min_units
    if tau2 is not None:
        use_tau2, source = float(tau2), "supplied"
    elif not estimate_tau2:
        use_tau2 = 0.0
        source = ("none (overdispersion=False)" if overdispersion is False
                  else f"none: {k} units, fewer than {min_units} (supply tau2)")
    elif k <= 2 or not tau2_est > 0:
        use_tau2, source = 0.0, f"none: no overdispersion among {k} units (phi {phi:.2f})"
    else:
        use_tau2, source = tau2_est, f"estimated from {k} units"
    out["target"] = target
    out["phi"] = phi
    out["tau2"] = use_tau2
    out["tau2_source"] = source
    out["z"] = (y - y0) / np.sqrt(s ** 2 + use_tau2)
    for level in levels:
        zc = stats.norm.ppf(1 - (1 - level) / 2)
        half = zc * np.sqrt(s ** 2 + use_tau2)
        tag = _tag(level)
        out[f"lower{tag}"] = np.sin(np.clip(y0 - half, 0, np.pi / 2)) ** 2
        out[f"upper{tag}"] = np.sin(np.clip(y0 + half, 0, np.pi / 2)) ** 2
        out[f"flag{tag}"] = np.where(p > out[f"upper{tag}"], "above",
                                     np.where(p < out[f"lower{tag}"], "below", "within"))
    out["flag"] = out[f"flag{_tag(headline)}"]
    out["headline"] = f"{headline * 100:g}%"
    return out


def expected_range(p0, n, *, tau: float = 0.0, z: float = 1.96):
    """The CPES expected range ``p0 +/- z sqrt(p0 (1 - p0) / n + tau^2)``, clipped to [0, 1].

    >>> [round(x, 4) for x in expected_range(0.8, 100)]
    [0.7216, 0.8784]
    """
    p0 = np.asarray(p0, dtype=float)
    n = np.asarray(n, dtype=float)
    half = z * np.sqrt(p0 * (1 - p0) / n + tau ** 2)
    lo, hi = np.clip(p0 - half, 0, 1), np.clip(p0 + half, 0, 1)
    if lo.ndim == 0:
        return float(lo), float(hi)
    return lo, hi
